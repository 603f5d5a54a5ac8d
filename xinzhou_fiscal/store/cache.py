"""Parsed reports cached across processes: each batch job, notebook kernel and ``xf.sql`` call
reads a catalogued report from a pickle instead of parsing and auditing it again.

A cache file is named by the report id, the sha256 of its raw file and a fingerprint of the code
that parsed it (this package's .py and .toml files, its version, and the versions of Python and
the libraries that decide the values), so a changed document or a changed parser is never served
from an old file. It holds the Report with its datasets read and its audit run (:func:`warm`):
its records, with each DataFrame pickled apart (:class:`~xinzhou_fiscal.tables.frames.PickledFrame`,
unpickled on first access), so that loading a report and auditing it imports no pandas.
Files are written atomically (a temporary file, then a rename), so parallel jobs never read half
a file.

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
from typing import Callable, Iterable

from xinzhou_fiscal import paths

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


#: distributions whose versions decide the parsed values, whether a pickle loads, and how a
#: rendered view looks (read from their metadata: importing them would cost a notebook ~1.5 s)
FINGERPRINT_DISTRIBUTIONS = ("pandas", "pyarrow", "numpy", "matplotlib", "mplfonts")


#: file in the cache folder remembering the last :func:`code_fingerprint` with the state it was
#: computed for (:func:`code_state`)
FINGERPRINT_MEMO = "code-fingerprint.json"


def code_fingerprint() -> str:
    """sha256 of the package's source and template files, its version, the Python version and the
    versions of :data:`FINGERPRINT_DISTRIBUTIONS` (what decides the parsed values, whether a pickle
    loads and how a chart is drawn). Computed once per process, and across processes remembered in
    the cache folder (:data:`FINGERPRINT_MEMO`) for as long as :func:`code_state` is unchanged:
    a process served from the cache then reads no source file and no distribution's metadata."""
    return _remembered_fingerprint(cache_dir())


@cache
def _remembered_fingerprint(folder: Path | None) -> str:
    import json

    if folder is None:
        return _hashed_code()
    memo, state = folder / FINGERPRINT_MEMO, code_state()
    try:
        stored = json.loads(memo.read_text(encoding="utf-8"))
        if stored["state"] == state and isinstance(stored["fingerprint"], str):
            return stored["fingerprint"]
    except (OSError, ValueError, KeyError, TypeError):   # absent or damaged: computed, replaced
        pass
    fingerprint = _hashed_code()
    write_atomically(memo, json.dumps({"state": state, "fingerprint": fingerprint}).encode("utf-8"))
    return fingerprint


def _fingerprinted_files() -> list[Path]:
    """The package's files :func:`code_fingerprint` hashes (.py and .toml, bundled data left out)."""
    return [p for p in sorted(paths.PACKAGE_DIR.rglob("*"))
            if p.suffix in (".py", ".toml") and "_bundled" not in p.parts]


@cache
def _hashed_code() -> str:
    from importlib import metadata

    h = hashlib.sha256()
    h.update(f"{paths.package_version()}|{sys.version}".encode())
    for name in FINGERPRINT_DISTRIBUTIONS:
        try:
            h.update(f"|{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"|{name}=absent".encode())
    for p in _fingerprinted_files():
        h.update(p.relative_to(paths.PACKAGE_DIR).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def code_state() -> str:
    """A cheap stand-in for what :func:`code_fingerprint` hashes, from file metadata alone: the
    Python version, each hashed file's path, size and modification time (ns), and the name and
    modification time of the metadata folder (``*.dist-info``/``*.egg-info`` on ``sys.path``) of this
    package and of each of :data:`FINGERPRINT_DISTRIBUTIONS` (an install or upgrade replaces it).
    Any edit, checkout, install or upgrade changes it, so the remembered fingerprint is recomputed."""
    h = hashlib.sha256(sys.version.encode())
    for p in _fingerprinted_files():
        st = p.stat()
        h.update(f"|{p.relative_to(paths.PACKAGE_DIR).as_posix()}:{st.st_size}:{st.st_mtime_ns}".encode())
    prefixes = tuple(f"{name.replace('-', '_').lower()}-" for name in ("xinzhou_fiscal", *FINGERPRINT_DISTRIBUTIONS))
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for name in names:
            if name.lower().startswith(prefixes) and name.endswith((".dist-info", ".egg-info")):
                try:
                    mtime = os.stat(os.path.join(entry or ".", name)).st_mtime_ns
                except OSError:
                    continue
                h.update(f"|{entry}/{name}:{mtime}".encode())
    return h.hexdigest()


def cache_stem(report_id: str, sha256: str) -> Path | None:
    """``<cache>/<id>--<sha256[:16]>--<code[:16]>``: what the report's cached files are named
    after (None when the cache is off)."""
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"{report_id}--{sha256[:16]}--{code_fingerprint()[:16]}"


def cache_file(report_id: str, sha256: str) -> Path | None:
    """Where the report's pickle lives (None when the cache is off)."""
    stem = cache_stem(report_id, sha256)
    return None if stem is None else stem.with_name(stem.name + ".pickle")


def warm(report, prepare: Iterable[Callable] = ()) -> None:
    """Read every lazy dataset of ``report`` and run its audit (the audit frame is kept on the
    report), then call each of ``prepare`` on it: what the caller will ask for next (a notebook's
    written summary), so that what is cached is what it needs. The cache imports nothing above it:
    the caller says what to prepare."""
    from xinzhou_fiscal.checks import audit_frame

    for name in ("claims", "projects", "indicators", "glossary", "overview", "narrative_ledger", "parts"):
        getattr(report, name)
    audit_frame(report, budget=partner_budget(report))
    for step in prepare:
        step(report)


def partner_budget(report):
    """The budget (预算) catalogued for the same department and year as ``report``, parsed through
    :func:`parsed` (from the cache when it can), when ``report`` is a catalogued final-accounts
    report (决算, its id and year those of its catalogue entry); else None. What the audit checks
    the final's 年初预算 statements against (``checks.audit(report, budget=…)``). A budget that
    cannot be read is reported as a :class:`~xinzhou_fiscal.errors.MissingPieceWarning`, never fatal."""
    import warnings

    from xinzhou_fiscal.errors import MissingPieceWarning, XinzhouFiscalError
    from xinzhou_fiscal.store import catalogue

    rid = getattr(report, "report_id", None)
    if getattr(report, "kind", "") != "决算" or not isinstance(rid, str):
        return None
    try:
        own = catalogue.entry(rid)
    except XinzhouFiscalError:
        return None
    if own.get("kind") != "决算" or own.get("year") != getattr(report, "year", None):
        return None
    budget_id = catalogue.partner_id(rid, "预算")
    if budget_id is None:
        return None
    try:
        return parsed(budget_id, keep=False)
    except XinzhouFiscalError as exc:
        warnings.warn(f"{rid}: its budget {budget_id} could not be read ({exc}); 年初预算 not checked against it",
                      MissingPieceWarning, stacklevel=2)
        return None


_REPORTS: dict[tuple[str, str], object] = {}


def parsed(report_id: str, *, keep: bool = True, prepare: Iterable[Callable] = (), cached: bool = True):
    """The parsed :class:`~xinzhou_fiscal.report.model.Report` of a catalogued id, its raw file verified
    against the catalogue's sha256 first; held once per process (keyed by id and sha256; not
    with ``keep=False``, e.g. in a batch worker that handles one report after another) and across
    processes by this cache. What the notebooks, ``xf.sql``, the exports and the batch read: the
    one "report by id" path. ``prepare``: see :func:`warm`. ``cached=False`` parses the verified
    file afresh, neither read from nor written to the cache, and not warmed (``xf.load``)."""
    from xinzhou_fiscal.report.parse import read_report
    from xinzhou_fiscal.store import catalogue

    sha = catalogue.entry(report_id)["sha256"]
    key = (report_id, sha)
    if keep and key in _REPORTS:
        return _REPORTS[key]
    path = catalogue.verified_path(report_id)
    if not cached:
        return read_report(path, report_id=report_id)
    report = cached_report(report_id, sha, lambda: read_report(path, report_id=report_id), prepare)
    if keep:
        _REPORTS[key] = report
    return report


def cached_report(report_id: str, sha256: str, parse, prepare: Iterable[Callable] = ()):
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
    warm(report, prepare)
    if path is not None:
        write_atomically(path, pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))
    return report


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so that a parallel reader
    sees the old file or the new one, never half of one. A folder that cannot be written is left
    alone (what would have been cached is simply not)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
