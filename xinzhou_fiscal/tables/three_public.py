"""three_public 财政拨款“三公”经费支出决算表: 预算数 and 决算数 of 合计, 因公出国(境)费,
公务用车购置及运行维护费 (小计, 购置费, 运行维护费) and 公务接待费, all in 万元.

Xinzhou nests the categories under 预算数/决算数; Shanghai nests 预算数/决算数 under each
category. Measures are normalised to ``预算数/<category path>`` either way.
"""
from __future__ import annotations

from xinzhou_fiscal.tables.common import TableBuilder, header_layout
from xinzhou_fiscal.tables.parsed import WideRows

_STAGES = {"预算数": "budget", "决算数": "actual"}
ITEM = "财政拨款“三公”经费"


def measure_key(leaf_path: list[str]) -> str:
    leaf = leaf_path[-1] if leaf_path else ""
    if leaf == "合计":
        return "total"
    if "出国" in leaf:
        return "abroad"
    if leaf == "小计":
        return "vehicle_subtotal"
    if "购置费" in leaf:
        return "vehicle_purchase"
    if "运行" in leaf and "购置" not in leaf:
        return "vehicle_operation"
    if "接待" in leaf:
        return "reception"
    return ""


def parse_three_public(b: TableBuilder) -> WideRows:
    layout = header_layout(b.block.rows)
    if not layout.header_rows:
        b.fail("the table has no header row")
    measures, keys = {}, {}
    for j, path in enumerate(layout.paths):
        path = [p for p in path if "三公" not in p]
        stage = [p for p in path if p in _STAGES]
        rest = [p for p in path if p not in _STAGES]
        if len(stage) != 1 or not rest:
            b.fail(f"column {j + 1} header {'/'.join(path)!r} is not 预算数/决算数 of a 三公 category",
                   layout.header_rows[-1])
        mk = measure_key(rest)
        if not mk:
            b.fail(f"column {j + 1} header {'/'.join(rest)!r} is not a 三公 category", layout.header_rows[-1])
        measures[j] = "/".join(stage + rest)
        keys[j] = f"{_STAGES[stage[0]]}_{mk}"
    for j in layout.column_numbers:
        b.account(layout.numbering_row, j, "column_number")
    wide_rows = []
    for row in layout.data_rows:
        if row.is_blank:
            continue
        values = {}
        for j in measures:
            cell = b.read(row, j)
            values[measures[j]] = cell.value
            if cell.kind == "number":
                b.add(row, j, cell, item=ITEM, measure=measures[j], measure_key=keys[j],
                      column_no=layout.column_numbers.get(j))
        b.check_no_stray_cells(row, set(measures))
        wide_rows.append({**values, "line": row.line})
    if not wide_rows:
        b.fail("the table has a header but no data row: it may be cut off",
               b.block.rows[-1] if b.block.rows else None)
    return WideRows(wide_rows, [*measures.values(), "line"])
