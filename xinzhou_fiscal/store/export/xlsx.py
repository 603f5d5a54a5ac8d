"""Excel workbooks (XlsxWriter): one per report and one across all reports.

Sheets: 来源 (source, sha256, retrieval date of each report), then one per dataset (facts, claims,
projects, indicators, findings) with Chinese headers from the schemas, then — in a report's own
workbook — each standard table in its printed shape. The header row is frozen; amounts are
numbers in 万元 shown with two decimals; a blank cell stays blank (no cell is written)."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import xlsxwriter

from xinzhou_fiscal.store.export.collection import Collection
from xinzhou_fiscal.store.export.columns import AMOUNT_FORMAT, Field, dataset_fields

SHEETS = {"reports": "来源", "facts": "facts 数据", "claims": "claims 文字数据", "projects": "projects 绩效自评",
          "indicators": "indicators 绩效指标", "findings": "findings 审核发现"}
# text stays text: a code such as 2010301 or a value such as =100% is never turned into a number,
# a formula or a link
_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False}


def _cell(v):
    """A value as Excel holds it: NaN / NA / None / "" → blank; numpy scalars → Python numbers."""
    if v is None or v is pd.NA or v == "" or (isinstance(v, float) and math.isnan(v)):
        return None
    return v.item() if hasattr(v, "item") else v


class _Book:
    """One workbook being written, with its bold and number formats made once."""

    def __init__(self, path: Path):
        self.wb = xlsxwriter.Workbook(str(path), _OPTIONS)
        self.bold = self.wb.add_format({"bold": True})
        self._formats: dict[str, object] = {}

    def number_format(self, fmt: str | None):
        if fmt is None:
            return None
        if fmt not in self._formats:
            self._formats[fmt] = self.wb.add_format({"num_format": fmt})
        return self._formats[fmt]

    def close(self) -> None:
        self.wb.close()


def _sheet(book: _Book, title: str, headers: list[str], df: pd.DataFrame, formats: list[str | None]) -> None:
    """A sheet written row by row: bold frozen header, numbers with their format, blanks left out."""
    ws = book.wb.add_worksheet(title[:31])
    ws.freeze_panes(1, 0)
    ws.write_row(0, 0, headers, book.bold)
    fmts = [book.number_format(f) for f in formats]
    for r, row in enumerate(df.itertuples(index=False, name=None), start=1):
        for c, v in enumerate(row):
            v = _cell(v)
            if v is None:
                continue
            if isinstance(v, bool):
                ws.write_boolean(r, c, v)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v, fmts[c])
            else:
                ws.write_string(r, c, str(v))


def _dataset_sheet(wb: _Book, name: str, df: pd.DataFrame) -> None:
    fields: list[Field] = dataset_fields(name)
    _sheet(wb, SHEETS[name], [f.title for f in fields], df[[f.name for f in fields]],
           [f.excel_format for f in fields])


def _printed_table_sheet(wb: _Book, label: str, wide: pd.DataFrame) -> None:
    """A standard table as printed: its own headers; amounts formatted (行次/栏次/line are integers)."""
    formats = []
    for c in wide.columns:
        numeric = pd.api.types.is_numeric_dtype(wide[c]) and not pd.api.types.is_bool_dtype(wide[c])
        integer = pd.api.types.is_integer_dtype(wide[c])
        formats.append(None if integer else AMOUNT_FORMAT if numeric else None)
    headers = [{"code": "科目编码", "item": "项目", "line": "行号", "section": "部分"}.get(str(c), str(c))
               for c in wide.columns]
    _sheet(wb, label, headers, wide, formats)


def write_workbook(coll: Collection, report_id: str | None, path: Path) -> Path:
    """The workbook of one report (its printed tables included), or of all (report_id None)."""
    wb = _Book(path)
    cat = coll.catalogue if report_id is None else coll.catalogue[coll.catalogue["report_id"] == report_id]
    _dataset_sheet(wb, "reports", cat)
    frames = coll.frames if report_id is None else coll.per_report[report_id]
    for name in SHEETS:
        if name != "reports":
            _dataset_sheet(wb, name, frames[name])
    if report_id is not None:
        report = next(r for r in coll.reports if r.report_id == report_id)
        for key, table in report.tables.items():
            if table.status != "missing" and table.wide is not None:
                _printed_table_sheet(wb, table.number or key, table.wide)
    wb.close()
    return path


def write_workbooks(coll: Collection, out_dir: Path) -> list[Path]:
    """``<report_id>.xlsx`` for each report and ``all-reports.xlsx`` across them."""
    written = []
    for rid in [r.report_id for r in coll.reports] + [None]:
        written.append(write_workbook(coll, rid, Path(out_dir) / f"{rid or 'all-reports'}.xlsx"))
    return written
