"""Add reports to the data folder: copy the file byte for byte into ``raw/``, parse it once, and
append a validated catalogue entry (``xinzhou-fiscal add``).

A file whose sha256 or id is catalogued already (bundled or in the data folder) is refused. A file
that is not a readable report (empty, unreadable, not a 决算 report) is never catalogued; one that
parses only partly (``Report.complete`` false) is catalogued only with ``force``, and its entry then
says ``"complete": false``.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from xinzhou_fiscal import paths, patterns
from xinzhou_fiscal.errors import CatalogError, ReportError
from xinzhou_fiscal.read.formats import REPORT_SUFFIXES
from xinzhou_fiscal.store import catalogue


@dataclass
class Added:
    """The outcome of adding one file: its entry, or why it was refused."""

    file: Path
    entry: dict | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.entry is not None


def report_files(sources: list[Path]) -> list[Path]:
    """The files to add: each file given, and every report file (.txt, .pdf, .docx, .xlsx, .doc, .xls,
    .html …) inside each folder given (sorted)."""
    files: list[Path] = []
    for s in map(Path, sources):
        if s.is_dir():
            files += sorted(p for p in s.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)
        else:
            files.append(s)
    return files


def slug(text: str) -> str:
    return patterns.compile(r"[^a-z0-9]+").sub("-", text.lower()).strip("-") or "report"


def build_entry(path: Path, digest: str, report, report_id: str | None, *, source: str | None = None,
                retrieved: str | None = None, licence: str | None = None) -> dict:
    """The catalogue entry of a parsed (possibly partial) report."""
    from xinzhou_fiscal.read.formats import sniff_file
    fmt = "set" if path.is_dir() else sniff_file(path)
    e = {"report_id": report_id or slug(path.stem),
         "department": report.department or "",
         "year": report.year,
         "kind": report.kind or "决算",
         "file": f"raw/{path.name}", "format": fmt, "sha256": digest,
         "provenance": f"added with xinzhou-fiscal add from {path.name}",
         "source": source, "retrieved": retrieved, "licence": licence,
         "complete": bool(report.complete)}
    return {k: v for k, v in e.items() if v is not None}


def validate_entry(e: dict) -> None:
    """Check an entry against the catalogue schema (schemas.REPORTS); one CatalogError naming the
    failing fields."""
    import pandas as pd
    import pandera.errors

    from xinzhou_fiscal.store.schemas import REPORTS
    try:
        REPORTS.validate(pd.DataFrame([e]), lazy=True)
    except pandera.errors.SchemaErrors as err:
        cases = err.failure_cases
        bad = ", ".join(f"{c}={v!r}" for c, v in zip(cases["column"], cases["failure_case"]))
        raise CatalogError(f"catalogue entry {e.get('report_id')!r} is not valid: {bad}") from None


def add_file(path: Path, data_dir: Path, *, report_id: str | None = None, force: bool = False,
             **provenance) -> Added:
    """Add one file to ``data_dir`` (see the module docstring); never raises for a bad file."""
    path = Path(path)
    try:
        if not path.is_file():
            raise CatalogError(f"{path}: no such file")
        digest = catalogue.sha256_of(path)
        known = catalogue.id_for_sha256(digest)
        if known:
            raise CatalogError(f"{path.name}: already catalogued as {known} (same sha256 {digest[:12]}…)")
        report = _parse(path, report_id or slug(path.stem), force)
        e = build_entry(path, digest, report, report_id, **provenance)
        if e["report_id"] in catalogue.report_ids():
            raise CatalogError(f"{path.name}: report id {e['report_id']!r} is catalogued already; choose another with --id")
        validate_entry(e)
        _copy_raw(path, data_dir / e["file"], digest)
        _append(data_dir / "catalog.json", e)
        return Added(path, entry=e)
    except CatalogError as err:
        return Added(path, error=str(err))


def _parse(path, report_id: str, force: bool):
    """The parsed report of a file or a report set; CatalogError when it is not a report (empty,
    unreadable, not a report, a blank template: never catalogued, ``force`` or not), or when it
    reads only partly and ``force`` is not set."""
    from xinzhou_fiscal.report.parse import read_report
    name = path.name if isinstance(path, Path) else "+".join(Path(p).name for p in path)
    try:
        report = read_report(path, report_id=report_id)
    except ReportError as e:
        raise CatalogError(f"{name}: not catalogued, {e}") from None
    if not report.complete and not force:
        raise CatalogError(f"{name}: not catalogued, parsed only partly: {'; '.join(report.missing_pieces)} "
                           "(use --force to catalogue it as incomplete)")
    return report


def add_set(files: list[Path], data_dir: Path, *, report_id: str | None = None, force: bool = False,
            **provenance) -> Added:
    """Add one report split over several files (narrative in one, tables in another …) as one
    catalogue entry: the files copied byte for byte into the folder ``raw/<id>/``, read in name order,
    the entry's sha256 that of the folder's manifest. Never raises for a bad file."""
    files = [Path(f) for f in files]
    rid = report_id or slug(files[0].stem)
    try:
        missing = [f for f in files if not f.is_file()]
        if missing:
            raise CatalogError(f"{missing[0]}: no such file")
        if len({f.name for f in files}) != len(files):
            raise CatalogError("two files of the report set have the same name; rename one")
        data_dir.joinpath("raw").mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=data_dir / "raw", prefix=".adding-") as tmp:
            folder = Path(tmp) / rid
            folder.mkdir()
            for f in files:
                shutil.copyfile(f, folder / f.name)
            digest = catalogue.sha256_of(folder)
            known = catalogue.id_for_sha256(digest)
            if known:
                raise CatalogError(f"{rid}: the same files are catalogued already as {known}")
            e = build_entry(folder, digest, _parse(folder, rid, force), report_id or rid, **provenance)
            e["provenance"] = "added with xinzhou-fiscal add --one-report from " + ", ".join(f.name for f in files)
            if e["report_id"] in catalogue.report_ids():
                raise CatalogError(f"{rid}: report id {e['report_id']!r} is catalogued already; choose another with --id")
            validate_entry(e)
            dest = data_dir / e["file"]
            if dest.exists():
                raise CatalogError(f"{rid}: {dest} exists already; choose another id with --id")
            shutil.move(str(folder), dest)
        _append(data_dir / "catalog.json", e)
        return Added(files[0], entry=e)
    except CatalogError as err:
        return Added(files[0], error=str(err))


def _copy_raw(src: Path, dest: Path, digest: str) -> None:
    if dest.exists():
        raise CatalogError(f"{src.name}: {dest} exists already with other content; rename the file")
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    if catalogue.sha256_of(dest) != digest:
        dest.unlink()
        raise CatalogError(f"{src.name}: the copy in {dest.parent} differs from the original")


def _append(catalog_file: Path, e: dict) -> None:
    """Append an entry to a catalogue file, written atomically (a crash never leaves half a file)."""
    current = [dict((k, v) for k, v in x.items() if k != "_dir") for x in catalogue.entries(catalog_file)] \
        if catalog_file.exists() else []
    text = json.dumps(current + [e], ensure_ascii=False, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(dir=catalog_file.parent, suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)     # mkstemp makes it 0600: a catalogue is as readable as any file
    os.replace(tmp, catalog_file)


def add_reports(sources: list[Path], data_dir: Path | None = None, *, progress=None, one_report: bool = False,
                **options) -> list[Added]:
    """Add every file of ``sources`` to the data folder; ``progress(path)`` is called after each.
    ``one_report``: the files are one report split over several files (:func:`add_set`)."""
    data_dir = Path(data_dir or paths.data_dir())
    if data_dir.resolve() == paths.BUNDLED_DATA_DIR.resolve() and not paths.IN_CLONE:
        raise CatalogError("the bundled data cannot be changed: give a data folder with --data DIR or "
                           f"${paths.DATA_ENV}")
    data_dir.mkdir(parents=True, exist_ok=True)
    if one_report:
        results = [add_set(report_files(sources), data_dir, **options)]
        if progress:
            progress(results[0].file)
        return results
    results = []
    for f in report_files(sources):
        results.append(add_file(f, data_dir, **options))
        if progress:
            progress(f)
    return results
