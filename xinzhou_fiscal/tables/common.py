"""Shared machinery of the table parsers: reading header rows, reading cells, recording facts.

Every numeric cell a parser sees is *accounted for*: it becomes a fact, or it is 行次/栏次
numbering, or a classification code. ``TableBuilder.accounting`` keeps that ledger so a test
can prove that nothing in a table region was dropped.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from xinzhou_fiscal import patterns
from xinzhou_fiscal.errors import BadNumberError, ParseProblem, TableLayoutError
from xinzhou_fiscal.numbers import (
    TARGET_UNIT,
    Cell,
    LazyPattern,
    looks_like_broken_number,
    read_cell,
    to_wanyuan,
)
from xinzhou_fiscal.read.source import Row, TableBlock, normalize_label
from xinzhou_fiscal.tables.frames import frame_records, records_frame
from xinzhou_fiscal.templates.labels import fullwidth_brackets, strip_ordinal  # noqa: F401 - parsers import strip_ordinal here
from xinzhou_fiscal.templates.specs import TableSpec

if TYPE_CHECKING:
    import pandas as pd

FACT_COLUMNS = [
    "report_id", "table", "table_no", "table_title", "section", "code", "item", "item_key",
    "measure", "measure_key", "amount", "unit", "printed", "printed_unit", "row_no", "column_no", "line", "page",
]

_CODE = LazyPattern(r"^\d{3}(?:\d{2}){0,2}$")
#: the header of a column printing a budget unit's code (6 digits: 101001) in a table by unit (Jiangsu's
#: 收入预算总表, 三公经费 and 政府采购 tables: 单位代码 | 单位名称 | 合计 …): a code, never an amount
UNIT_CODE_HEADERS = ("单位代码", "单位编码")
UNIT_CODE = patterns.compile(r"^\d{6}$")


def normalize_header(text: str) -> str:
    """A header cell without inner spaces, with ASCII brackets made full-width
    (:mod:`xinzhou_fiscal.templates.labels`)."""
    return fullwidth_brackets(normalize_label(text))


def is_code(text: str) -> bool:
    return bool(_CODE.match(text.strip()))


def code_level(code: str) -> str:
    return {3: "类", 5: "款", 7: "项"}.get(len(code), "")


def code_parent(code: str) -> str:
    return code[:-2] if len(code) in (5, 7) else ""


_FACT_DTYPES = {"row_no": "Int64", "column_no": "Int64", "line": "Int64", "page": "Int64", "amount": "float64"}


def facts_frame(records: list[dict]) -> "pd.DataFrame":
    """Fact records → the facts DataFrame with its dtypes."""
    return records_frame(records, FACT_COLUMNS, _FACT_DTYPES)


def fact_rows(records: list[dict]) -> list[dict]:
    """Fact records valued as the facts DataFrame holds them (``amount`` float, NaN for an empty
    text cell), without building it."""
    return frame_records(records, FACT_COLUMNS, _FACT_DTYPES)


@dataclass
class HeaderLayout:
    """The header of a table: a path of header names per column, and the printed 栏次 numbers."""

    paths: list[list[str]]
    column_numbers: dict[int, int]
    header_rows: list[Row]
    numbering_row: Row | None
    data_rows: list[Row]

    @property
    def ncols(self) -> int:
        return len(self.paths)

    def leaf(self, j: int) -> str:
        return self.paths[j][-1] if self.paths[j] else ""

    def joined(self, j: int, drop: tuple[str, ...] = ()) -> str:
        return "/".join(p for p in self.paths[j] if p not in drop)


def _is_numbering_row(row: Row) -> bool:
    """栏次 row, or a row of consecutive small integers 1..n (the column numbers)."""
    cells = [c.strip() for c in row.cells]
    if cells and normalize_header(cells[0]) == "栏次":
        return True
    vals = [c for c in cells if c]
    if len(vals) < 2 or not all(c.isdigit() for c in vals):
        return False
    nums = [int(c) for c in vals]
    return nums == list(range(nums[0], nums[0] + len(nums))) and nums[0] <= 2


def _is_data_row(row: Row) -> bool:
    cells = [c.strip() for c in row.cells]
    first = normalize_header(cells[0]) if cells else ""
    if first in ("合计", "总计") and not any(read_cell(c).kind == "number" for c in cells) \
            and any(read_cell(c).kind == "invalid" for c in cells[1:]):
        # a header cell 合计 beside other column names (Shanghai 三公: 合计 | 因公出国（境）费 | …)
        return False
    if first in ("合计", "总计") or is_code(first) or patterns.compile(r"^[一二三四五六七八九十]+、").match(first):
        return True
    return any(read_cell(c).kind == "number" and "." in c for c in cells)


def split_header(rows: list[Row]) -> tuple[list[Row], Row | None, list[Row]]:
    """Header rows, the 栏次 numbering row (or None), and the data rows.

    A numbering row printed before the first decimal amount ends the header; without one, the
    header ends at the first row that looks like data (a code, 合计/总计, an ordinal line, an amount).
    """
    for i, row in enumerate(rows):
        if any(read_cell(c).kind == "number" and "." in c for c in row.cells):
            break
        if _is_numbering_row(row):
            return rows[:i], row, rows[i + 1:]
    for i, row in enumerate(rows):
        if _is_numbering_row(row):
            return rows[:i], row, rows[i + 1:]
        if _is_data_row(row):
            return rows[:i], None, rows[i:]
    return rows, None, []


def header_layout(rows: list[Row]) -> HeaderLayout:
    """Build a path of names per column from the header rows.

    A name printed once over a span of columns (a merged cell) is carried right over blank cells
    as long as a lower header row names those columns, e.g. ``本年支出`` over ``小计 | 基本支出 |
    项目支出`` gives ``本年支出/小计``, ``本年支出/基本支出``, ``本年支出/项目支出``.
    """
    header_rows, numbering, data_rows = split_header(rows)
    ncols = max([len(r.cells) for r in header_rows + ([numbering] if numbering else [])] + [0])
    grid = [[normalize_header(r.cell(j)) for j in range(ncols)] for r in header_rows]
    printed = [row[:] for row in grid]
    for r in range(len(grid) - 1):
        for j in range(1, ncols):
            if not grid[r][j] and grid[r][j - 1] and any(grid[q][j] for q in range(r + 1, len(grid))) \
                    and any(grid[q][j - 1] for q in range(r + 1, len(grid))) \
                    and not any(printed[q][j] for q in range(r)):
                # (a name printed in a higher row at column j starts a new span: stop there)
                grid[r][j] = grid[r][j - 1]
    paths = [[grid[r][j] for r in range(len(grid)) if grid[r][j]] for j in range(ncols)]
    # collapse a name repeated down the rows (a vertically merged cell printed twice)
    paths = [[p for k, p in enumerate(path) if k == 0 or p != path[k - 1]] for path in paths]
    column_numbers: dict[int, int] = {}
    if numbering is not None:
        for j, c in enumerate(numbering.cells):
            if c.strip().isdigit():
                column_numbers[j] = int(c.strip())
    return HeaderLayout(paths, column_numbers, header_rows, numbering, data_rows)


@dataclass
class TableBuilder:
    """Collects the facts, the cell ledger and the problems of one table.

    ``amount_unit`` is the unit the table's amounts are read in (万元, 元, 千元); every amount is
    converted from it to 万元 exactly. ``unit_printed`` is False when the table prints no unit and
    ``amount_unit`` was assumed (the facts' ``printed_unit`` is then blank, never a guessed unit).
    """

    spec: TableSpec
    block: TableBlock
    file: str
    report_id: str
    amount_unit: str = TARGET_UNIT
    unit_printed: bool = True
    facts: list[dict] = field(default_factory=list)
    accounting: list[dict] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)

    @property
    def table_name(self) -> str:
        return f"{self.block.number or self.spec.key} {self.block.title}".strip()

    def fail(self, message: str, row: Row | None = None, cls=TableLayoutError):
        raise cls(message, file=self.file, table=self.table_name,
                  line=row.line if row else self.block.start_line, page=row.page if row else self.block.page)

    def problem(self, message: str, row: Row | None = None, text: str | None = None) -> None:
        self.problems.append(ParseProblem("table", message, table=self.table_name,
                                          line=row.line if row else self.block.start_line,
                                          page=row.page if row else self.block.page, text=text))

    def read(self, row: Row, j: int, *, amount: bool = True) -> Cell:
        """Read cell j of a row: an amount (converted to 万元) or, with ``amount=False``, a count.
        A malformed number is an error naming the line."""
        cell = read_cell(row.cell(j))
        if cell.kind == "invalid":
            self.fail(f"cell {j + 1} holds {row.cell(j)!r}, which is not a valid amount", row, BadNumberError)
        if amount and cell.kind == "number" and self.amount_unit != TARGET_UNIT:
            return Cell("number", to_wanyuan(cell.printed, self.amount_unit), cell.printed)
        return cell

    def account(self, row: Row, j: int, role: str) -> None:
        self.accounting.append({"table": self.spec.key, "line": row.line, "page": row.page, "column": j,
                                "printed": row.cell(j).strip(), "role": role})

    def account_label(self, row: Row, j: int) -> None:
        """A label cell: a broken number in it (``1O2.5`` where a label should be) is an error."""
        text = row.cell(j).strip()
        if looks_like_broken_number(text):
            self.fail(f"cell {j + 1} holds {text!r}, a malformed number where a label or code belongs",
                      row, BadNumberError)

    def add(self, row: Row, j: int, cell: Cell, *, section: str = "", code: str = "", item: str,
            item_key: str = "", measure: str, measure_key: str, unit: str = "万元",
            row_no: int | None = None, column_no: int | None = None) -> None:
        self.facts.append({
            "report_id": self.report_id, "table": self.spec.key,
            "table_no": self.block.number or "", "table_title": self.block.title,
            "section": section, "code": code, "item": item, "item_key": item_key,
            "measure": measure, "measure_key": measure_key, "amount": cell.value, "unit": unit,
            "printed": cell.printed,
            "printed_unit": (self.amount_unit if self.unit_printed else "") if unit == TARGET_UNIT else unit, "row_no": row_no, "column_no": column_no,
            "line": row.line, "page": row.page,
        })
        self.account(row, j, "fact")

    def check_no_stray_cells(self, row: Row, used: set[int]) -> None:
        """A non-blank cell in a column the layout does not know is never ignored."""
        for j, c in enumerate(row.cells):
            if j not in used and c.strip():
                cell = read_cell(c)
                if cell.kind in ("number", "invalid"):
                    self.fail(f"cell {j + 1} ({c.strip()!r}) lies outside the table's columns", row)
                self.problem(f"text {c.strip()!r} in cell {j + 1} lies outside the table's columns", row, c)
