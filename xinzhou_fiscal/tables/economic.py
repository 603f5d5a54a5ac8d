"""general_budget_basic 一般公共预算财政拨款基本支出决算明细表: economic codes in side-by-side column groups.

Each group is (科目代码, 科目名称, 决算数); Xinzhou prints four groups (人员经费 in the first,
公用经费 over the other three), Shanghai two. The closing row carries 人员经费合计 and 公用经费合计,
whose amount may sit in the last column of the span.
"""
from __future__ import annotations

from xinzhou_fiscal.read.source import normalize_label
from xinzhou_fiscal.tables.common import TableBuilder, header_layout, is_code, normalize_header
from xinzhou_fiscal.tables.parsed import WideRows

_TOTAL_KEYS = {"人员经费合计": "personnel_total", "公用经费合计": "public_total"}


def parse_economic(b: TableBuilder) -> WideRows:
    layout = header_layout(b.block.rows)
    if not layout.header_rows:
        b.fail("the table has no header row")
    starts = [j for j, p in enumerate(layout.paths) if p and ("科目代码" in p[-1] or "科目编码" in p[-1])]
    groups = []
    for j in starts:
        if j + 2 >= layout.ncols or "名称" not in layout.leaf(j + 1):
            b.fail(f"column group at column {j + 1} is not 科目代码/科目名称/决算数: {layout.paths}",
                   layout.header_rows[-1])
        section = layout.paths[j][0] if len(layout.paths[j]) > 1 else ""
        groups.append({"code": j, "name": j + 1, "amount": j + 2, "section": section,
                       "measure": layout.joined(j + 2)})
    if not groups:
        b.fail(f"cannot find the 科目代码 columns in the header {layout.paths}", layout.header_rows[0])
    wide_rows = []
    totals_seen = set()
    for row in layout.data_rows:
        if row.is_blank:
            continue
        first = normalize_header(row.cell(0))
        if first.endswith("合计"):
            _parse_totals(b, row, layout, totals_seen)
            continue
        used = set()
        for g in groups:
            used |= {g["code"], g["name"], g["amount"]}
            code = row.cell(g["code"]).strip()
            name = normalize_label(row.cell(g["name"]))
            cell = b.read(row, g["amount"])
            if not code and not name:
                if cell.kind in ("number", "dash"):
                    b.fail(f"amount {cell.printed!r} in column {g['amount'] + 1} has no code or name", row)
                continue
            if not is_code(code):
                b.account_label(row, g["code"])
                b.fail(f"column {g['code'] + 1} holds {code!r}, not an economic classification code", row)
            b.account(row, g["code"], "code")
            b.account_label(row, g["name"])
            if cell.kind == "number":
                b.add(row, g["amount"], cell, section=g["section"], code=code, item=name,
                      measure=g["measure"], measure_key="amount")
            wide_rows.append({"section": g["section"], "code": code, "item": name,
                              g["measure"].split("/")[-1]: cell.value, "dash": cell.kind == "dash",
                              "line": row.line})
        b.check_no_stray_cells(row, used)
    if set(_TOTAL_KEYS.values()) - totals_seen and wide_rows:
        b.fail("the table has no 人员经费合计/公用经费合计 row: it may be cut off",
               b.block.rows[-1] if b.block.rows else None)
    return WideRows(sorted(wide_rows, key=lambda r: r["line"]))      # in printed order (a stable sort)


def _parse_totals(b: TableBuilder, row, layout, totals_seen: set) -> None:
    """``人员经费合计 | | 1488.86 | 公用经费合计 | | … | 283.76``: each label takes the first number
    after it and before the next label."""
    label, label_col = None, None
    for j, text in enumerate(row.cells):
        t = normalize_header(text)
        if t.endswith("合计"):
            if label is not None:
                b.fail(f"{label} has no amount before {t}", row)
            label, label_col = t, j
            continue
        cell = b.read(row, j)
        if cell.kind == "number":
            if label is None:
                b.fail(f"amount {cell.printed} in the totals row has no label", row)
            key = _TOTAL_KEYS.get(label, "")
            section = label.replace("合计", "")
            b.add(row, j, cell, section=section, item=label, item_key=key,
                  measure=f"{section}/{layout.leaf(label_col + 2) or '决算数'}" if section else "决算数",
                  measure_key="amount")
            if key:
                totals_seen.add(key)
            label = None
        elif cell.kind == "dash" and label is not None:
            continue
    if label is not None:
        key = _TOTAL_KEYS.get(label, "")
        if key:
            totals_seen.add(key)  # printed with a blank amount


