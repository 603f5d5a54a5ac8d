"""Parsed reports cached across processes: each batch job, notebook kernel and ``xf.sql`` call
reads a catalogued report from a pickle instead of parsing and auditing it again.

A cache file is named by the report id, the sha256 of its raw file and a fingerprint of the code
that parsed it (this package's .py and .toml files, its version, and the Python, pandas and
pyarrow versions), so a changed document or a changed parser is never served from an old file.
It holds the Report with its datasets read and its audit run (:func:`warm`). Files are written
atomically (a temporary file, then a rename), so parallel jobs never read half a file.

Where: ``$XINZHOU_FISCAL_CACHE``; else ``data/interim/cache/`` of a clone (git-ignored); else
``$XDG_CACHE_HOME/xinzhou-fiscal`` (``~/.cache/xinzhou-fiscal``). ``XINZHOU_FISCAL_CACHE=off``
turns the cache off. The files are this package's own pickles: do not point the cache at a folder
that others can write to.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path

from . import paths

CACHE_ENV = "XINZHOU_FISCAL_CACHE"


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off."""
    env = os.environ.get(CACHE_ENV, "")
    if env.lower() in ("off", "0", "no", "false"):
        return None
    if env:
        return Path(env).expanduser().resolve()
    if paths.IN_CLONE:
        return paths.PROJECT_ROOT / "data" / "interim" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "xinzhou-fiscal"


@cache
def code_fingerprint() -> str:
    """sha256 of the package's source and template files, its version and the versions of Python,
    pandas and pyarrow (what decides the parsed values and whether a pickle loads)."""
    import pandas
    import pyarrow

    from . import __version__

    h = hashlib.sha256()
    h.update(f"{__version__}|{sys.version}|{pandas.__version__}|{pyarrow.__version__}".encode())
    for p in sorted(paths.PACKAGE_DIR.rglob("*")):
        if p.suffix in (".py", ".toml") and "_bundled" not in p.parts:
            h.update(p.relative_to(paths.PACKAGE_DIR).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def cache_file(report_id: str, sha256: str) -> Path | None:
    """Where the report's pickle lives (None when the cache is off)."""
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"{report_id}--{sha256[:16]}--{code_fingerprint()[:16]}.pickle"


def warm(report) -> None:
    """Read every lazy dataset of ``report``, run its audit and compute the written summary (the
    audit frame and the analysis figures are kept on the report), so that what is cached is what
    a notebook asks for."""
    from .analysis.findings import _audit_frame
    from .analysis.summary import department_summary

    for name in ("claims", "projects", "indicators", "glossary", "overview", "narrative_ledger", "parts"):
        getattr(report, name)
    _audit_frame(report)
    department_summary(report)


_REPORTS: dict[tuple[str, str], object] = {}


def parsed(report_id: str):
    """The parsed :class:`~xinzhou_fiscal.model.Report` of a catalogued id, its raw file verified
    against the catalogue's sha256 first; held once per process (keyed by id and sha256) and
    across processes by this cache. What the notebooks, ``xf.sql`` and the exports read."""
    from . import catalogue
    from .parse import read_report

    sha = catalogue.entry(report_id)["sha256"]
    key = (report_id, sha)
    if key not in _REPORTS:
        path = catalogue.verified_path(report_id)
        _REPORTS[key] = cached_report(report_id, sha, lambda: read_report(path, report_id=report_id))
    return _REPORTS[key]


def cached_report(report_id: str, sha256: str, parse):
    """The report ``report_id`` (raw file ``sha256``) from the cache, or ``parse()`` warmed and
    stored there. A cache file that cannot be read is parsed again and replaced; a folder that
    cannot be written leaves the report uncached."""
    path = cache_file(report_id, sha256)
    if path is not None and path.is_file():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except Exception:  # noqa: BLE001 - a truncated or foreign file: parse again, rewrite it
            pass
    report = parse()
    warm(report)
    if path is not None:
        _store(report, path)
    return report


def _store(report, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError:
        return                  # a read-only place: the report stays uncached, nothing else changes
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(report, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)

