"""The data catalogue (data/catalog.json): one entry per raw report, with its sha256 and provenance.

Raw files are immutable. Loading a catalogued report verifies its checksum first and fails
loudly when the bytes changed.
"""
from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import paths
from .errors import CatalogError, ChecksumMismatchError, UnknownReportError

CATALOG_COLUMNS = ["report_id", "department", "department_short", "city", "province", "year", "kind",
                   "file", "format", "sha256", "provenance", "retrieved", "licence"]
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _read_entries(catalog_file: Path) -> tuple[dict, ...]:
    try:
        entries = json.loads(Path(catalog_file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(f"catalogue not found: {catalog_file}") from None
    except json.JSONDecodeError as e:
        raise CatalogError(f"catalogue {catalog_file} is not valid JSON: {e}") from None
    ids = [e.get("report_id") for e in entries]
    if len(set(ids)) != len(ids) or not all(isinstance(i, str) and _ID.match(i) for i in ids):
        raise CatalogError(f"catalogue {catalog_file}: report ids must be unique lowercase slugs, got {ids}")
    return tuple(entries)


@lru_cache(maxsize=4)
def _entries_cached(catalog_file: str, mtime: float) -> tuple[dict, ...]:
    return _read_entries(Path(catalog_file))


def entries(catalog_file: Path | None = None) -> tuple[dict, ...]:
    f = Path(catalog_file or paths.CATALOG_FILE)
    return _entries_cached(str(f), f.stat().st_mtime if f.exists() else 0.0)


def catalog(catalog_file: Path | None = None) -> pd.DataFrame:
    """All catalogued reports, one row each, sorted by report_id (column ``report_id`` first)."""
    df = pd.DataFrame(list(entries(catalog_file)))
    cols = [c for c in CATALOG_COLUMNS if c in df.columns] + [c for c in df.columns if c not in CATALOG_COLUMNS]
    return df[cols].sort_values("report_id", ignore_index=True)


def report_ids(catalog_file: Path | None = None) -> list[str]:
    return sorted(e["report_id"] for e in entries(catalog_file))


def entry(report_id: str, catalog_file: Path | None = None) -> dict:
    """The catalogue entry of a report id. An unknown id — including anything path-like such as
    ``../x`` — raises UnknownReportError listing the valid ids."""
    for e in entries(catalog_file):
        if isinstance(report_id, str) and e["report_id"] == report_id:
            return e
    valid = ", ".join(report_ids(catalog_file))
    raise UnknownReportError(f"unknown report id {report_id!r}; valid ids: {valid}")


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def raw_path(e: dict, data_dir: Path | None = None) -> Path:
    base = Path(data_dir or paths.DATA_DIR).resolve()
    p = (base / e["file"]).resolve()
    if base not in p.parents:
        raise CatalogError(f"catalogue entry {e['report_id']}: file {e['file']!r} lies outside {base}")
    return p


def verified_path(report_id: str, catalog_file: Path | None = None, data_dir: Path | None = None) -> Path:
    """The raw file of a catalogued report, after checking that its sha256 is unchanged."""
    e = entry(report_id, catalog_file)
    p = raw_path(e, data_dir)
    if not p.exists():
        raise CatalogError(f"report {report_id}: raw file {p.name} is missing from {p.parent}")
    actual = sha256_of(p)
    if actual != e["sha256"]:
        raise ChecksumMismatchError(
            f"report {report_id}: sha256 of {e['file']} is {actual}, but the catalogue records "
            f"{e['sha256']}; raw data must not change — restore the file or re-catalogue it deliberately")
    return p


def id_for_sha256(digest: str, catalog_file: Path | None = None) -> str | None:
    for e in entries(catalog_file):
        if e["sha256"] == digest:
            return e["report_id"]
    return None
