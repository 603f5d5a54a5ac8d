"""Table grids → canonical rows: cells normalised, codes printed as 类 | 款 | 项 columns merged into
one code cell, header rows told from data rows, a continuation's cells put into the block's columns."""
from __future__ import annotations

from xinzhou_fiscal import patterns
from xinzhou_fiscal.numbers import is_amount
from xinzhou_fiscal.read.pdf.lines import join_wrapped
from xinzhou_fiscal.read.source import normalize_label

_CODE_LABELS = ("类", "款", "项")
_DIGITS = patterns.compile(r"^\d{1,3}$")
_CODE_CELL = patterns.compile(r"^\d{3}(\d{2}){0,2}$")
TOTAL_LABEL = patterns.compile(r"合计|总计")


def code_groups(grid: list[list[str | None]]) -> list[tuple[int, int]]:
    """Column groups printing one code split as 类 | 款 (| 项): found from the header cells
    ``类``, ``款``, ``项`` side by side, or — when the sub-header is missing — from data rows whose
    adjacent cells hold a 3-digit class followed by 2-digit parts."""
    groups: list[tuple[int, int]] = []
    for row in grid[:8]:
        cells = [normalize_label(c or "") for c in row]
        j = 0
        while j < len(cells) - 1:
            if cells[j] == "类" and cells[j + 1] == "款":
                end = j + 3 if j + 2 < len(cells) and cells[j + 2] == "项" else j + 2
                groups.append((j, end))
                j = end
            else:
                j += 1
        if groups:
            return groups
    # no sub-header: look at the data
    ncols = max((len(r) for r in grid), default=0)
    j = 0
    while j < ncols - 1:
        hits = 0
        width = 2
        for row in grid:
            a = (row[j] or "").strip() if j < len(row) else ""
            b = (row[j + 1] or "").strip() if j + 1 < len(row) else ""
            c = (row[j + 2] or "").strip() if j + 2 < len(row) else ""
            if patterns.compile(r"\d{3}").fullmatch(a) and patterns.compile(r"\d{2}").fullmatch(b):
                hits += 1
                if patterns.compile(r"\d{2}").fullmatch(c):
                    width = 3
        if hits >= 2:
            groups.append((j, j + width))
            j += width
        else:
            j += 1
    return groups


def _merge_codes(cells: list[str], groups: list[tuple[int, int]]) -> list[str]:
    """Replace each 类 | 款 | 项 group by one cell: the concatenated code for data rows
    (``201 | 06 | 01`` → ``2010601``), nothing for the 类/款/项 sub-header, else the header text."""
    if not groups:
        return cells
    out: list[str] = []
    j = 0
    for start, end in groups:
        out.extend(cells[j:start])
        parts = [p for p in cells[start:end] if p]
        if parts and all(_DIGITS.match(p) for p in parts):
            out.append("".join(parts))
        elif parts and all(p in _CODE_LABELS for p in parts):
            out.append("")
        else:
            out.append("".join(parts))
        j = end
    out.extend(cells[j:])
    return out


def canonical_rows(grid: list[list[str | None]], groups: list[tuple[int, int]]) -> list[list[str]]:
    rows = []
    for raw in grid:
        cells = [normalize_label(c) if c else "" for c in raw]
        rows.append(_merge_codes(cells, groups))
    return rows


def _is_data_row(cells: list[str]) -> bool:
    """An amount, a code in the first column, or a first label 合计/总计: the header is over."""
    first = next((c for c in cells if c), "")
    return any(is_amount(c) for c in cells) or bool(_CODE_CELL.match(cells[0] if cells else "")) \
        or first in ("合计", "总计")


def header_rows(rows: list[list[str]]) -> list[tuple[str, ...]]:
    out = []
    for r in rows:
        if _is_data_row(r):
            break
        out.append(tuple(r))
    return out


def remap_columns(rows: list[list[str | None]], row_x: list[float], col_x: list[float],
           tol: float) -> list[list[str | None]] | None:
    """Put a continuation's cells into the block's columns by x position (when the continuation
    page was ruled with a different column count); None if a cell fits no column."""
    grid = []
    n = len(col_x)
    for row in rows:
        new: list[str | None] = [None] * n
        for j, cell in enumerate(row):
            if cell is None:
                continue
            x = row_x[j]
            k = max((i for i in range(n) if col_x[i] <= x + tol), default=None)
            if k is None:
                return None
            new[k] = join_wrapped(new[k] or "", cell) if new[k] else cell
        grid.append(new)
    return grid
