"""Tables by function code (income, expenditure, general_budget_expenditure, gov_fund, state_capital): one row per 类/款/项 code × amount columns."""
from __future__ import annotations


from xinzhou_fiscal.read.source import normalize_label
from xinzhou_fiscal.tables.common import UNIT_CODE, UNIT_CODE_HEADERS, TableBuilder, header_layout, is_code, normalize_header
from xinzhou_fiscal.tables.parsed import WideRows

# canonical measure keys by the leaf header name, per table
MEASURE_KEYS: dict[str, dict[str, str]] = {
    "income": {"本年收入合计": "total", "合计": "total", "财政拨款收入": "fiscal_grant",
               "上级补助收入": "higher_subsidy", "事业收入": "business", "经营收入": "operating",
               "附属单位上缴收入": "affiliate_remit", "其他收入": "other",
               "事业收入/金额": "business", "事业收入/其中：教育收费": "business_tuition"},
    "expenditure": {"本年支出合计": "total", "合计": "total", "基本支出": "basic", "项目支出": "project",
                    "上缴上级支出": "remit_higher", "经营支出": "operating",
                    "对附属单位补助支出": "affiliate_subsidy"},
    "general_budget_expenditure": {"小计": "total", "合计": "total", "基本支出": "basic", "项目支出": "project"},
    "gov_fund": {"年初结转和结余": "carryover_begin", "本年收入": "income", "小计": "total", "合计": "total",
                 "基本支出": "basic", "项目支出": "project", "年末结转和结余": "carryover_end"},
}
MEASURE_KEYS["state_capital"] = MEASURE_KEYS["gov_fund"]
#: a coded table of another kind (a budget's, the university's 财政拨款支出决算表): every key above that
#: names one column the same way everywhere
OTHER_MEASURE_KEYS = {name: key for table in ("income", "expenditure", "gov_fund") for name, key in MEASURE_KEYS[table].items()
                      } | {"收入预算/合计": "total", "财政拨款支出": "total", "事业单位经营收入": "operating",
                           "上年结转": "carryover_begin", "使用非财政拨款结余": "use_nonfiscal_balance",
                           "上缴上级支出": "remit_higher", "对下级单位补助支出": "affiliate_subsidy",
                           "收入合计": "total", "事业收入/金额": "business", "事业收入/其中：教育收费": "business_tuition",
                           "本年支出/项目支出/小计": "project", "本年支出/项目支出/其中：基本建设资金支出": "project_capital",
                           "人员经费": "personnel", "公用经费": "public",
                           # Jiangsu's 收入预算总表 by fund, and its 单位预留机动经费 (a reserve beside 基本/项目支出)
                           "一般公共预算拨款收入": "general_budget", "政府性基金预算拨款收入": "gov_fund",
                           "国有资本经营预算拨款收入": "state_capital", "财政专户管理资金收入": "special_account",
                           "其他资金收入": "other", "单位预留机动经费": "reserve"}
#: the code column: a function/economic class's (科目代码), or a budget unit's in a table by unit (Jiangsu's
#: 收入预算总表: 单位代码 | 单位名称 | 合计 …, one row per unit under the 合计 row)
_CODE_HEADERS = ("科目代码", "科目编码", *UNIT_CODE_HEADERS)
_NAME_HEADERS = ("科目名称", "单位名称")


def _role(path: list[str]) -> str:
    text = "/".join(path)
    if any(h in text for h in _CODE_HEADERS):
        return "code"
    if any(h in text for h in _NAME_HEADERS):
        return "name"
    if path and path[-1] == "行次":
        return "row_no"
    if not path or path == ["项目"]:
        return "label"
    return "amount"


def parse_coded(b: TableBuilder) -> WideRows:
    """Parse a coded table into facts (on the builder) and return its printed wide shape."""
    layout = header_layout(b.block.rows)
    if not layout.header_rows:
        b.fail("the table has no header row")
    roles = [_role(p) for p in layout.paths]
    if "code" not in roles and "label" in roles:
        roles[roles.index("label")] = "code"
    if roles.count("code") != 1:
        b.fail(f"cannot find the 科目代码 column in the header {layout.paths}", layout.header_rows[0])
    code_col = roles.index("code")
    name_col = roles.index("name") if "name" in roles else None
    amount_cols = [j for j, r in enumerate(roles) if r == "amount"]
    keys = MEASURE_KEYS.get(b.spec.key, OTHER_MEASURE_KEYS)
    measures = {j: layout.joined(j, drop=("项目",)) for j in amount_cols}
    for j in amount_cols:
        if layout.leaf(j) not in keys and measures[j] not in keys:
            b.problem(f"column {j + 1} header {measures[j]!r} is not a known measure of this table",
                      layout.header_rows[0])
    for j in layout.column_numbers:
        if layout.numbering_row is not None and layout.numbering_row.cell(j).strip():
            b.account(layout.numbering_row, j, "column_number")
    wide_rows = []
    saw_total = False
    for row in layout.data_rows:
        if row.is_blank:
            continue
        code_text = normalize_header(row.cell(code_col))
        name = normalize_label(row.cell(name_col)) if name_col is not None else ""
        if code_text in ("合计", "总计") or (not code_text and name in ("合计", "总计")):
            code, item, item_key = "", code_text or name, "total"
            saw_total = True
        elif is_code(code_text):
            code, item, item_key = code_text, name, ""
            b.account(row, code_col, "code")
        elif UNIT_CODE.match(code_text) and name:
            # a budget unit's subtotal (105236 西南大学) in a department's table: its own row, not a class
            code, item, item_key = "", name, f"unit:{code_text}"
            b.account(row, code_col, "code")
        else:
            b.account_label(row, code_col)
            b.fail(f"row has no classification code or total label (first cell {row.cell(code_col)!r})", row)
        if name_col is not None:
            b.account_label(row, name_col)
        values = {}
        for j in amount_cols:
            cell = b.read(row, j)
            values[measures[j]] = cell.value
            if cell.kind == "number":
                b.add(row, j, cell, code=code, item=item, item_key=item_key, measure=measures[j],
                      measure_key=keys.get(measures[j]) or keys.get(layout.leaf(j), ""),
                      column_no=layout.column_numbers.get(j))
        b.check_no_stray_cells(row, {code_col, *([name_col] if name_col is not None else []), *amount_cols})
        wide_rows.append({"code": code, "item": item, **values, "line": row.line})
    if not saw_total and wide_rows:
        b.fail("the table has rows but no 合计 row: it may be cut off", b.block.rows[-1])
    return WideRows(wide_rows, ["code", "item", *measures.values(), "line"])
