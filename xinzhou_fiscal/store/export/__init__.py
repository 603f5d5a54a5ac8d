"""Outputs of the datasets: per report CSV + Parquet (``parse --out``), and for any set of
catalogued reports Excel workbooks, a Frictionless data package, a DuckDB database, CSV and
Parquet (``xinzhou-fiscal export``). Column types, units, headers and formats come from the
pandera schemas (schemas.py) through :mod:`.columns`.

:data:`FORMATS` is the registry of export formats, in the package's one registry shape (as the
audit's rules, the notebook's displays and charts): ``id → entry`` with the entry's ``id``, a
Chinese ``title`` and ``func`` (here ``func(collection, out_dir) → written files``)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from xinzhou_fiscal.report.model import Report
from xinzhou_fiscal.store.export.flat import parquet_safe as _parquet_safe


@dataclass(frozen=True)
class ExportFormat:
    """One export format: ``func(collection, out_dir)`` writes it and returns the files written."""

    id: str
    title: str
    func: Callable


# the writers import their libraries (openpyxl, frictionless, duckdb) only when they write
def _xlsx(coll, out_dir):
    from xinzhou_fiscal.store.export.xlsx import write_workbooks
    return write_workbooks(coll, out_dir)


def _flat(fmt: str):
    def write(coll, out_dir):
        from xinzhou_fiscal.store.export.flat import write_flat
        return write_flat(coll, out_dir, fmt)
    return write


def _datapackage(coll, out_dir):
    from xinzhou_fiscal.store.export.datapackage import write_datapackage
    return write_datapackage(coll, out_dir)


def _duckdb(coll, out_dir):
    from xinzhou_fiscal.store.export.database import write_duckdb
    return write_duckdb(coll, out_dir)


#: export format id → :class:`ExportFormat`, in the order ``xinzhou-fiscal export`` lists them
FORMATS: dict[str, ExportFormat] = {f.id: f for f in (
    ExportFormat("xlsx", "Excel 工作簿", _xlsx), ExportFormat("csv", "CSV", _flat("csv")),
    ExportFormat("parquet", "Parquet", _flat("parquet")),
    ExportFormat("datapackage", "Frictionless 数据包", _datapackage), ExportFormat("duckdb", "DuckDB 数据库", _duckdb))}


def datasets(report: Report) -> dict[str, pd.DataFrame]:
    """Every tidy dataset of a report by name (amounts in 万元)."""
    out = {"facts": report.facts, "codes": report.codes, "claims": report.claims,
           "previous_year": report.previous_year, "projects": report.projects,
           "indicators": report.indicators, "funds": report.funds, "glossary": report.glossary, "problems": report.problems}
    for key, table in report.tables.items():
        if table.status != "missing":
            out[f"table_{key}"] = table.wide
    return out


def write_datasets(report: Report, out_dir: Path) -> list[Path]:
    """Write every dataset as ``<name>.csv`` and ``<name>.parquet`` plus ``report.json``."""
    from xinzhou_fiscal.store.schemas import validate_datasets
    validate_datasets(report)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in datasets(report).items():
        csv = out_dir / f"{name}.csv"
        df.to_csv(csv, index=False, encoding="utf-8-sig")
        pq = out_dir / f"{name}.parquet"
        _parquet_safe(df).to_parquet(pq, index=False)
        written += [csv, pq]
    meta = out_dir / "report.json"
    meta.write_text(json.dumps(report.meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written.append(meta)
    return written


def summary_rows(report: Report) -> list[tuple]:
    """One row per table the template expects: key, label (printed number or template label),
    title, status (with the reason of a failed table, or 目录 for a missing one it lists),
    number of facts, lines."""
    rows = []
    for key, t in report.tables.items():
        lines = f"{t.start_line}–{t.end_line}" if t.start_line else ""
        status = t.status + ("" if t.required or t.status != "missing" else " (not in this template)")
        if t.status == "failed":
            status += f": {t.reason} (line {t.error_line or t.start_line})"
        elif t.status == "missing" and t.in_toc:
            status += " (listed in the 目录)"
        rows.append((key, t.number or "", t.title, status, len(t.facts), lines))
    return rows


def export(report_ids: Iterable[str] | None, formats: Iterable[str], out_dir: Path) -> dict[str, list[Path]]:
    """Write catalogued reports (default: every one) in each format to ``out_dir``; the files by format."""
    from xinzhou_fiscal.store.export.collection import collect
    coll = collect(report_ids)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return {fmt: FORMATS[fmt].func(coll, out_dir) for fmt in dict.fromkeys(formats)}
