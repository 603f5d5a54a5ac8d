"""The data catalogue: one entry per raw report, with its sha256 and provenance.

Two catalogues are read and merged: the bundled one (the seed and the Putuo PDF, shipped with the
package) and the one of the user's data folder (``$XINZHOU_FISCAL_DATA`` or ``--data``), which
extends it; an id or a sha256 catalogued in both is an error. Each entry's ``file`` is relative to
the folder of the catalogue that lists it.

Raw files are immutable. Loading a catalogued report verifies its checksum first and fails
loudly when the bytes changed.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from xinzhou_fiscal import paths, patterns
from xinzhou_fiscal.errors import CatalogError, ChecksumMismatchError, UnknownReportError

CATALOG_COLUMNS = ["report_id", "department", "department_short", "city", "province", "year", "kind",
                   "file", "format", "sha256", "provenance", "retrieved", "licence", "complete"]
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
_ID = patterns.compile(ID_PATTERN)
_DIR = "_dir"   # the folder an entry's file is relative to (never written, never shown)

if TYPE_CHECKING:
    import pandas as pd


def _read_entries(catalog_file: Path) -> tuple[dict, ...]:
    try:
        entries = json.loads(Path(catalog_file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(f"catalogue not found: {catalog_file}") from None
    except json.JSONDecodeError as e:
        raise CatalogError(f"catalogue {catalog_file} is not valid JSON: {e}") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CatalogError(f"catalogue {catalog_file}: expected a JSON list of entries")
    ids = [e.get("report_id") for e in entries]
    if len(set(ids)) != len(ids) or not all(isinstance(i, str) and _ID.match(i) for i in ids):
        raise CatalogError(f"catalogue {catalog_file}: report ids must be unique lowercase slugs, got {ids}")
    for e in entries:
        _check_entry(e, catalog_file)
    base = str(Path(catalog_file).resolve().parent)
    return tuple({**e, _DIR: base} for e in entries)


_SHA256 = patterns.compile(r"^[0-9a-f]{64}$")


def _check_entry(e: dict, catalog_file: Path) -> None:
    """One CatalogError naming the catalogue, the entry and the field when an entry lacks a field
    every later step needs (``file``, ``sha256``) or holds one of the wrong shape (a ``year`` that
    is not a number such as 2023)."""
    def bad(field: str, why: str) -> CatalogError:
        return CatalogError(f"catalogue {catalog_file}: entry {e['report_id']!r}, field {field!r}: {why}")
    for field in ("file", "sha256"):
        if not isinstance(e.get(field), str) or not e[field].strip():
            raise bad(field, "missing (every entry needs it)" if field not in e else f"must be text, got {e[field]!r}")
    if not _SHA256.match(e["sha256"]):
        raise bad("sha256", f"must be 64 lowercase hex digits, got {e['sha256']!r}")
    year = e.get("year")
    if year is not None and not (isinstance(year, int) and not isinstance(year, bool) and 1990 <= year <= 2100):
        raise bad("year", f"must be a year written in digits such as 2023, got {year!r}")


@lru_cache(maxsize=8)
def _entries_cached(catalog_file: str, mtime: float) -> tuple[dict, ...]:
    return _read_entries(Path(catalog_file))


def _file_entries(f: Path) -> tuple[dict, ...]:
    return _entries_cached(str(f), f.stat().st_mtime if f.exists() else 0.0)


def catalogue_files() -> list[Path]:
    """The catalogues read, in order: the bundled one, then the data folder's when it has one."""
    files = [paths.BUNDLED_CATALOG_FILE]
    own = paths.catalog_file()
    if own.resolve() != paths.BUNDLED_CATALOG_FILE.resolve() and own.exists():
        files.append(own)
    return files


def entries(catalog_file: Path | None = None) -> tuple[dict, ...]:
    """The entries of ``catalog_file``, or of the bundled catalogue extended by the data folder's."""
    if catalog_file is not None:
        return _file_entries(Path(catalog_file))
    merged: dict[str, dict] = {}
    seen_sha: dict[str, str] = {}
    for f in catalogue_files():
        for e in _file_entries(f):
            rid = e["report_id"]
            if rid in merged:
                raise CatalogError(f"report id {rid!r} is catalogued twice: in {merged[rid][_DIR]} and in {f}")
            if e.get("sha256") in seen_sha:
                raise CatalogError(f"{f}: {rid} has the sha256 of {seen_sha[e['sha256']]}, catalogued already")
            merged[rid] = e
            seen_sha[e.get("sha256")] = rid
    return tuple(merged.values())


def catalog(catalog_file: Path | None = None) -> pd.DataFrame:
    """All catalogued reports, one row each, sorted by report_id (column ``report_id`` first)."""
    import pandas as pd  # here, not at import: a notebook served from the view cache never needs it

    df = pd.DataFrame([{k: v for k, v in e.items() if k != _DIR} for e in entries(catalog_file)])
    if df.empty:
        return pd.DataFrame(columns=CATALOG_COLUMNS)
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
    raise unknown_id(report_id, report_ids(catalog_file))


def unknown_id(report_id: object, valid: list[str]) -> UnknownReportError:
    """The one error for an id that is not catalogued: it lists the valid ids."""
    return UnknownReportError(f"unknown report id {report_id!r}; valid ids: {', '.join(valid) or '(none catalogued)'}")


def sha256_of(path: Path) -> str:
    """The sha256 of a raw file, or of a folder holding one report split over several files (its
    manifest: :func:`xinzhou_fiscal.read.formats.content_sha256`), read in chunks."""
    from xinzhou_fiscal.read.formats import content_sha256
    return content_sha256(Path(path))


_HASHED: dict[tuple, str] = {}


def _hashed(p: Path) -> str:
    """``sha256_of(p)``, computed once per process for a file whose size and mtime are unchanged
    (every "report by id" path verifies the raw file; it is read and hashed only once)."""
    files = sorted(p.iterdir()) if p.is_dir() else [p]      # a report set: every file's size and mtime
    key = (str(p), *((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.is_file()))
    if key not in _HASHED:
        _HASHED[key] = sha256_of(p)
    return _HASHED[key]


def raw_path(e: dict, data_dir: Path | None = None) -> Path:
    """The raw file of an entry, inside the folder of the catalogue that lists it."""
    base = Path(data_dir or e.get(_DIR) or paths.data_dir()).resolve()
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
    actual = _hashed(p)
    if actual != e["sha256"]:
        raise ChecksumMismatchError(
            f"report {report_id}: sha256 of {e['file']} is {actual}, but the catalogue records "
            f"{e['sha256']}; raw data must not change — restore the file or re-catalogue it deliberately")
    return p


def id_for_sha256(digest: str, catalog_file: Path | None = None) -> str | None:
    """The catalogued id of a file's sha256, or None. Reading a file by path never needs a
    catalogue: an unreadable one gives None here (``catalog()`` and ``load()`` report it)."""
    try:
        found = entries(catalog_file)
    except CatalogError:
        return None
    return next((e["report_id"] for e in found if e["sha256"] == digest), None)


def partner_id(report_id: str, kind: str = "预算", catalog_file: Path | None = None) -> str | None:
    """The id of the report of ``kind`` (预算 or 决算) catalogued for the same department (the
    entries' ``department``) and ``year`` as ``report_id``; the first by id when there are several;
    None when there is none, or ``report_id`` is not catalogued, or its entry names no department
    or year."""
    try:
        found = entries(catalog_file)
    except CatalogError:
        return None
    own = next((e for e in found if e["report_id"] == report_id), None)
    if own is None or not own.get("department") or not own.get("year"):
        return None
    hits = sorted(e["report_id"] for e in found if e["report_id"] != report_id and e.get("kind") == kind
                  and e.get("department") == own["department"] and e.get("year") == own["year"])
    return hits[0] if hits else None
