"""Excel workbooks (openpyxl): one per report and one across all reports.

Sheets: 来源 (source, sha256, retrieval date of each report), then one per dataset (facts, claims,
projects, indicators, findings) with Chinese headers from the schemas, then — in a report's own
workbook — each standard table in its printed shape. The header row is frozen; amounts are
numbers in 万元 shown with two decimals; a blank cell stays blank."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .collection import Collection
from .columns import AMOUNT_FORMAT, Field, dataset_fields

SHEETS = {"reports": "来源", "facts": "facts 数据", "claims": "claims 文字数据", "projects": "projects 绩效自评",
          "indicators": "indicators 绩效指标", "findings": "findings 审核发现"}
_BOLD = Font(bold=True)


def _cell(v):
    """A value as Excel holds it: NaN / NA / None / "" → blank; numpy scalars → Python numbers."""
    if v is None or v is pd.NA or v == "" or (isinstance(v, float) and math.isnan(v)):
        return None
    return v.item() if hasattr(v, "item") else v


def _sheet(wb: Workbook, title: str, headers: list[str], df: pd.DataFrame, formats: list[str | None]) -> None:
    """A sheet written row by row (openpyxl's write-only mode): bold frozen header, formatted numbers."""
    ws = wb.create_sheet(title[:31])
    ws.freeze_panes = "A2"
    header = []
    for h in headers:
        c = WriteOnlyCell(ws, value=h)
        c.font = _BOLD
        header.append(c)
    ws.append(header)
    for row in df.itertuples(index=False, name=None):
        out = []
        for v, fmt in zip(row, formats):
            v = _cell(v)
            if fmt and v is not None:
                v = WriteOnlyCell(ws, value=v)
                v.number_format = fmt
            out.append(v)
        ws.append(out)


def _dataset_sheet(wb: Workbook, name: str, df: pd.DataFrame) -> None:
    fields: list[Field] = dataset_fields(name)
    _sheet(wb, SHEETS[name], [f.title for f in fields], df[[f.name for f in fields]],
           [f.excel_format for f in fields])


def _printed_table_sheet(wb: Workbook, label: str, wide: pd.DataFrame) -> None:
    """A standard table as printed: its own headers; amounts formatted (行次/栏次/line are integers)."""
    formats = []
    for c in wide.columns:
        numeric = pd.api.types.is_numeric_dtype(wide[c]) and not pd.api.types.is_bool_dtype(wide[c])
        integer = pd.api.types.is_integer_dtype(wide[c])
        formats.append(None if integer else AMOUNT_FORMAT if numeric else None)
    headers = [{"code": "科目编码", "item": "项目", "line": "行号", "section": "部分"}.get(str(c), str(c))
               for c in wide.columns]
    _sheet(wb, label, headers, wide, formats)


def workbook(coll: Collection, report_id: str | None) -> Workbook:
    """The workbook of one report (its printed tables included), or of all (report_id None)."""
    wb = Workbook(write_only=True)
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
    return wb


def write_workbooks(coll: Collection, out_dir: Path) -> list[Path]:
    """``<report_id>.xlsx`` for each report and ``all-reports.xlsx`` across them."""
    written = []
    for rid in [r.report_id for r in coll.reports] + [None]:
        p = Path(out_dir) / f"{rid or 'all-reports'}.xlsx"
        workbook(coll, rid).save(p)
        written.append(p)
    return written
