"""Two-sided summary tables (income_expenditure_summary 收入支出决算总表, fiscal_grant_summary 财政拨款收入支出决算总表).

Income lines sit on the left, expenditure lines (by function class) on the right; each side has
its 项目 label, its 行次 and one or more amount columns.
"""
from __future__ import annotations

from xinzhou_fiscal.read.source import normalize_label
from xinzhou_fiscal.tables.common import TableBuilder, header_layout, strip_ordinal
from xinzhou_fiscal.tables.parsed import WideRows
from xinzhou_fiscal.templates.specs import function_classes

SIDES = {"收入": "income", "支出": "expenditure"}
_AMOUNT_KEYS = {"金额": "amount", "决算数": "amount", "预算数": "amount", "合计": "total",
                "一般公共预算财政拨款": "general_budget", "政府性基金预算财政拨款": "gov_fund",
                "国有资本经营预算财政拨款": "state_capital"}
_FUNDS = {"一般公共预算": "general_budget", "政府性基金": "gov_fund", "国有资本经营": "state_capital"}


def item_key(label: str, side: str, after_carryover: str) -> str:
    """A canonical key for a printed line label (see docs/data-dictionary.md)."""
    name = strip_ordinal(label)
    if not name:
        return ""
    if side == "expenditure" and name in function_classes():
        return f"class:{function_classes()[name]}"
    if name == "合计":
        return "grand_total"      # the university family closes each side with 合计, not 总计
    if side == "income" and name == "财政拨款收入":
        return "fiscal_grant"     # the university family prints one 财政拨款收入 line, not one per fund
    rules = [
        ("本年收入合计", "income_total"), ("本年支出合计", "expenditure_total"), ("总计", "grand_total"),
        ("非财政拨款结余", "use_nonfiscal_balance"), ("结余分配", "balance_distribution"),
        ("年初", "carryover_begin"), ("上年", "carryover_begin"), ("年末", "carryover_end"),
        ("上级补助收入", "higher_subsidy"), ("事业收入", "business"), ("经营收入", "operating"),
        ("附属单位上缴收入", "affiliate_remit"), ("其他收入", "other"),
    ]
    for needle, key in rules:
        if needle in name and (needle not in ("年初", "上年", "年末") or "结转" in name):
            return key
    for needle, fund in _FUNDS.items():
        if name.startswith(needle):
            return f"{after_carryover}:{fund}" if after_carryover else f"grant:{fund}"
    return ""


def parse_two_sided(b: TableBuilder) -> WideRows:
    layout = header_layout(b.block.rows)
    if not layout.header_rows:
        b.fail("the table has no header row")
    side_of: dict[int, str] = {}
    for j, path in enumerate(layout.paths):
        for name, side in SIDES.items():
            # 收入 | 支出; a budget's 本年收入 | 本年支出, 财政拨款收入 | 财政拨款支出, 收 入 | 支 出
            if path and (path[0] == name or (path[0].endswith(name) and len(path[0]) <= 6)):
                side_of[j] = side
    if set(side_of.values()) != {"income", "expenditure"}:
        b.fail(f"cannot find the 收入 and 支出 sides in the header {layout.paths}", layout.header_rows[0])
    groups: dict[str, dict] = {}
    for side in ("income", "expenditure"):
        cols = [j for j, s in side_of.items() if s == side]
        label = [j for j in cols if layout.leaf(j) == "项目" or layout.leaf(j).startswith("项目（")]
        rowno = [j for j in cols if layout.leaf(j) == "行次"]
        amounts = [j for j in cols if j not in label + rowno]
        if len(label) != 1 or not amounts:
            b.fail(f"the {side} side has no 项目 column or no amount column: {layout.paths}", layout.header_rows[0])
        groups[side] = {"label": label[0], "row_no": rowno[0] if rowno else None, "amounts": amounts}
    for j in layout.column_numbers:
        b.account(layout.numbering_row, j, "column_number")
    wide_rows = []
    seen = {"income": set(), "expenditure": set()}
    after = {"income": "", "expenditure": ""}
    for row in layout.data_rows:
        if row.is_blank:
            continue
        used: set[int] = set()
        printed_row: dict = {}
        for side, g in groups.items():
            label = normalize_label(row.cell(g["label"]))
            b.account_label(row, g["label"])
            used.add(g["label"])
            row_no = None
            if g["row_no"] is not None:
                used.add(g["row_no"])
                rn = row.cell(g["row_no"]).strip()
                if rn:
                    if not rn.isdigit():
                        b.fail(f"行次 cell holds {rn!r}, not a line number", row)
                    row_no = int(rn)
                    b.account(row, g["row_no"], "row_number")
            key = item_key(label, side, after[side])
            if key in ("carryover_begin", "carryover_end"):
                after[side] = key
            if key:
                seen[side].add(key)
            values = {}
            for j in g["amounts"]:
                used.add(j)
                cell = b.read(row, j)
                measure = layout.joined(j)
                values[measure] = cell.value
                if cell.kind == "number":
                    if not label:
                        b.problem(f"amount {cell.printed} on the {side} side has no line label", row)
                    b.add(row, j, cell, section=side, item=label, item_key=key, measure=measure,
                          measure_key=_AMOUNT_KEYS.get(layout.leaf(j), ""), row_no=row_no,
                          column_no=layout.column_numbers.get(j))
            printed_row.update({layout.joined(g["label"]): label, f"{layout.paths[g['label']][0]}/行次": row_no,
                                **values})
        b.check_no_stray_cells(row, used)
        wide_rows.append({**printed_row, "line": row.line})
    for side in ("income", "expenditure"):
        if "grand_total" not in seen[side]:
            b.fail(f"the {side} side has no 总计 line: the table may be cut off",
                   b.block.rows[-1] if b.block.rows else None)
    return WideRows(wide_rows, int_suffix="行次")


