"""Tables read by their title, rows and columns alone (layout ``generic``): the tables of an unknown
family, and the tables of a known family whose shape no specific parser reads (a budget's 三公 and
机关运行经费 table, 政府采购预算表, 绩效目标表).

Each row's label is its text cells (the code, when one cell prints a 3/5/7-digit code, and the name); a
budget unit's code under a 单位代码 header (101001) is the row's unit (``item_key`` unit:101001), never a figure;
each printed number under a column header is a fact whose measure is that header path. 合计/总计 rows are
``item_key`` total; a 3/5/7-digit code gives ``class:``/款/项 through its code. Amounts are in the
table's unit, converted to 万元; a bare integer (no decimal point, no thousands separator: a score, a count)
is kept as printed with an empty unit, since nothing says it is an amount.
"""
from __future__ import annotations

from xinzhou_fiscal.numbers import TARGET_UNIT, is_amount, read_cell
from xinzhou_fiscal.read.source import normalize_label
from xinzhou_fiscal.tables.common import (
    UNIT_CODE,
    UNIT_CODE_HEADERS,
    TableBuilder,
    header_layout,
    is_code,
    normalize_header,
    strip_ordinal,
)
from xinzhou_fiscal.tables.parsed import WideRows
from xinzhou_fiscal.templates.specs import TableSpec

_NUMBERING = ("行次", "栏次", "序号")
_TOTALS = ("合计", "总计", "小计")


def split_codes(cells) -> tuple[str, int]:
    """The code a row prints in its first cells, 类 | 款 | 项 columns joined (``208 | 05 | 05`` →
    ``2080505``), and how many cells it took; ("", 0) when the row starts with no code."""
    code, used = "", 0
    for c in cells[:3]:
        t = c.strip()
        if is_code(t) and (not code or len(t) == 2):
            code, used = code + t, used + 1
        elif len(t) == 2 and t.isdigit() and code:
            code, used = code + t, used + 1
        else:
            break
    return (code, used) if is_code(code) else ("", 0)


def has_coded_rows(block) -> bool:
    """True when at least two rows of the table print a classification code (3/5/7 digits, or
    类 | 款 | 项 columns): the mark of a budget or final-accounts table of any family."""
    return sum(1 for r in block.rows if split_codes(r.cells)[0]) >= 2


def generic_spec(block, i: int) -> TableSpec:
    """The spec of the ``i``-th table of a document of the unknown family: key ``unknown_NN``, its
    printed title, layout generic."""
    return TableSpec(key=f"unknown_{i:02d}", title=block.title, layout="generic")


def _measure(layout, j: int) -> str:
    return layout.joined(j) or f"第{j + 1}列"


def parse_generic(b: TableBuilder) -> WideRows:
    """Every printed number of the table as a fact of its row label and column header (see module)."""
    layout = header_layout(b.block.rows)
    numbering_cols = {j for j in range(layout.ncols) if layout.leaf(j) in _NUMBERING}
    unit_code_cols = {j for j in range(layout.ncols) if layout.leaf(j) in UNIT_CODE_HEADERS}
    for j in layout.column_numbers:
        b.account(layout.numbering_row, j, "column_number")
    wide_rows = []
    for row in layout.data_rows:
        if row.is_blank:
            continue
        code, used = split_codes(row.cells)
        for j in range(used):
            b.account(row, j, "code")
        texts, values, unit = [], {}, ""
        for j in range(used, len(row.cells)):
            text = row.cell(j).strip()
            kind = read_cell(text).kind
            if j in numbering_cols and text.isdigit():
                b.account(row, j, "row_number")
            elif j in unit_code_cols and UNIT_CODE.match(text):
                b.account(row, j, "code")            # 101001: the budget unit of the row, not an amount
                unit = text
            elif kind == "number":
                amount = is_amount(text)     # a bare integer (a score, a count) is kept as printed, no unit
                cell = b.read(row, j, amount=amount)
                item = strip_ordinal(normalize_label(" ".join(texts))) or b.block.title
                total = normalize_header(item) in _TOTALS or normalize_header(item).endswith(("合计", "总计"))
                b.add(row, j, cell, code=code, item=item,
                      item_key="total" if total and not code else f"unit:{unit}" if unit and not code else "",
                      measure=_measure(layout, j), measure_key="", unit=TARGET_UNIT if amount else "")
                values[_measure(layout, j)] = cell.value
            elif kind == "invalid":
                b.account_label(row, j)
                texts.append(text)
        wide_rows.append({"code": code, "item": normalize_label(" ".join(texts)), **values, "line": row.line})
    return WideRows(wide_rows)
