"""Arithmetic inside each table (DOMAIN.md "Within a table")."""
from __future__ import annotations

from xinzhou_fiscal.checks.context import CODED_TABLES, AuditContext, blank, table_name, wide_rows
from xinzhou_fiscal.checks.findings import Check
from xinzhou_fiscal.checks.registry import rule
from xinzhou_fiscal.checks.tolerance import Num, total

DOMAIN = "../shared/DOMAIN.md「Within a table」"

# ---------------------------------------------------------------- income_expenditure_summary / fiscal_grant_summary (two-sided)
_INCOME_LINE_KEYS = {"fiscal_grant", "higher_subsidy", "business", "operating", "affiliate_remit", "other"}
_SIDE_NAMES = {"income": "收入", "expenditure": "支出"}


def _summary_tables(ctx: AuditContext):
    for t in ("income_expenditure_summary", "fiscal_grant_summary"):
        if ctx.status.get(t) == "parsed":
            yield t


def _is_income_line(f) -> bool:
    return f.section == "income" and (f.item_key.startswith("grant:") or f.item_key in _INCOME_LINE_KEYS)


def _side_measures(ctx: AuditContext, t: str, side: str) -> list[str]:
    seen = []
    for f in ctx.by_table.get(t, ()):
        if f.section == side and f.measure_key not in seen:
            seen.append(f.measure_key)
    return seen or ["amount"]


def _line(ctx: AuditContext, t: str, side: str, key: str, mk: str, label: str) -> Num:
    f = ctx.one(t, section=side, item_key=key, measure_key=mk)
    if f is not None:
        return f.num
    return blank(t, item=label, section=side, measure=ctx.measures.get(t, {}).get(f"{side}:{mk}", mk))


def _all_blank(*nums: Num) -> bool:
    return all(n.printed == "" and n.value == 0 for n in nums)


def _n_of(parts: list[Num], what: str) -> str:
    """「13 个款之和（另 14 个款空白）」: how many printed figures a sum adds."""
    shown = sum(1 for p in parts if p.printed != "")
    blanks = len(parts) - shown
    return f"{shown} 个{what}之和" + (f"（另 {blanks} 个{what}空白）" if blanks else "")


@rule("summary.sides", "{n:income_expenditure_summary/fiscal_grant_summary}：收入总计 = 支出总计", DOMAIN + "：01/04 总计 (income side) = 总计 (expenditure side)")
def summary_sides(ctx: AuditContext):
    for t in _summary_tables(ctx):
        inc = _line(ctx, t, "income", "grand_total", _side_measures(ctx, t, "income")[0], "总计")
        mk = "total" if "total" in _side_measures(ctx, t, "expenditure") else _side_measures(ctx, t, "expenditure")[0]
        exp = _line(ctx, t, "expenditure", "grand_total", mk, "总计")
        if _all_blank(inc, exp):
            continue
        yield Check("summary.sides", f"{table_name(t)}", f"{table_name(t)} 收入总计与支出总计", inc, exp,
                    expected_desc="收入方总计", actual_desc="支出方总计")


@rule("summary.income_total", "{n:income_expenditure_summary/fiscal_grant_summary}：本年收入合计 = 各收入行之和", DOMAIN + "：本年收入合计 = sum of income lines")
def summary_income_total(ctx: AuditContext):
    for t in _summary_tables(ctx):
        mk = _side_measures(ctx, t, "income")[0]
        lines = [f.num for f in ctx.by_table.get(t, ()) if _is_income_line(f) and f.measure_key == mk]
        act = _line(ctx, t, "income", "income_total", mk, "本年收入合计")
        if not lines and _all_blank(act):
            continue
        yield Check("summary.income_total", f"{table_name(t)}", f"{table_name(t)} 本年收入合计", total(lines), act,
                    expected_desc=f"{len(lines)} 个收入行之和", actual_desc="本年收入合计")


@rule("summary.expenditure_total", "{n:income_expenditure_summary/fiscal_grant_summary}：本年支出合计 = 各功能分类（类）支出行之和（04 逐列）",
      DOMAIN + "：本年支出合计 = sum of function-class lines")
def summary_expenditure_total(ctx: AuditContext):
    for t in _summary_tables(ctx):
        for mk in _side_measures(ctx, t, "expenditure"):
            lines = [f.num for f in ctx.by_table.get(t, ())
                     if f.section == "expenditure" and f.item_key.startswith("class:") and f.measure_key == mk]
            act = _line(ctx, t, "expenditure", "expenditure_total", mk, "本年支出合计")
            if not lines and _all_blank(act):
                continue
            col = ctx.measures.get(t, {}).get(f"expenditure:{mk}", mk)
            yield Check("summary.expenditure_total", f"{table_name(t)} {col}", f"{table_name(t)} 本年支出合计（{col}）",
                        total(lines), act, expected_desc=f"{len(lines)} 个类级支出行之和", actual_desc="本年支出合计")


@rule("summary.income_grand_total", "{n:income_expenditure_summary/fiscal_grant_summary}：收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
      DOMAIN + "：income 总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余")
def summary_income_grand(ctx: AuditContext):
    for t in _summary_tables(ctx):
        mk = _side_measures(ctx, t, "income")[0]
        keys = [("income_total", "本年收入合计"), ("carryover_begin", "年初结转和结余")]
        if t == "income_expenditure_summary":
            keys.insert(1, ("use_nonfiscal_balance", "使用非财政拨款结余"))
        parts = [_line(ctx, t, "income", k, mk, label) for k, label in keys]
        act = _line(ctx, t, "income", "grand_total", mk, "总计")
        if _all_blank(act, *parts):
            continue
        yield Check("summary.income_grand_total", f"{table_name(t)}", f"{table_name(t)} 收入总计", total(parts), act,
                    expected_desc=" + ".join(label for _, label in keys), actual_desc="收入方总计")


@rule("summary.expenditure_grand_total", "{n:income_expenditure_summary/fiscal_grant_summary}：支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余（04 逐列）",
      DOMAIN + "：expenditure 总计 = 本年支出合计 + 结余分配 + 年末结转和结余")
def summary_expenditure_grand(ctx: AuditContext):
    for t in _summary_tables(ctx):
        keys = [("expenditure_total", "本年支出合计"), ("carryover_end", "年末结转和结余")]
        if t == "income_expenditure_summary":
            keys.insert(1, ("balance_distribution", "结余分配"))
        for mk in _side_measures(ctx, t, "expenditure"):
            parts = [_line(ctx, t, "expenditure", k, mk, label) for k, label in keys]
            act = _line(ctx, t, "expenditure", "grand_total", mk, "总计")
            if _all_blank(act, *parts):
                continue
            col = ctx.measures.get(t, {}).get(f"expenditure:{mk}", mk)
            yield Check("summary.expenditure_grand_total", f"{table_name(t)} {col}", f"{table_name(t)} 支出总计（{col}）",
                        total(parts), act, expected_desc=" + ".join(label for _, label in keys), actual_desc="支出方总计")


_FUNDS = (("general_budget", "一般公共预算财政拨款"), ("gov_fund", "政府性基金预算财政拨款"),
          ("state_capital", "国有资本经营预算财政拨款"))


@rule("summary.fund_columns", "{n:fiscal_grant_summary}：支出各行 合计 = 一般公共预算 + 政府性基金 + 国有资本经营预算财政拨款",
      "{t:fiscal_grant_summary} 表式（合计栏 = 栏3 + 栏4 + 栏5）")
def summary_fund_columns(ctx: AuditContext):
    t = "fiscal_grant_summary"
    if ctx.status.get(t) != "parsed":
        return
    rows: dict = {}
    for f in ctx.by_table.get(t, ()):
        if f.section == "expenditure":
            rows.setdefault((f.row_no, f.item_key, f.item), {})[f.measure_key] = f
    for (row_no, key, item), cells in rows.items():
        parts = [cells[mk].num if mk in cells else blank(t, item=item, measure=label, section="expenditure")
                 for mk, label in _FUNDS]
        act = cells["total"].num if "total" in cells else blank(t, item=item, measure="合计", section="expenditure")
        yield Check("summary.fund_columns", f"{table_name(t)} 行{row_no} {item}", f"{table_name(t)} {item}（行次{row_no}）合计栏",
                    total(parts), act, expected_desc="三类财政拨款栏之和", actual_desc="合计栏")


@rule("summary.carryover_by_fund", "{n:fiscal_grant_summary}：年初财政拨款结转和结余 = 三类财政拨款年初结转之和",
      "{t:fiscal_grant_summary} 表式（行29–31 为行28 的分项）")
def summary_carryover_by_fund(ctx: AuditContext):
    t = "fiscal_grant_summary"
    if ctx.status.get(t) != "parsed":
        return
    parts = [_line(ctx, t, "income", f"carryover_begin:{k}", "amount", label) for k, label in _FUNDS]
    act = _line(ctx, t, "income", "carryover_begin", "amount", "年初财政拨款结转和结余")
    if _all_blank(act, *parts):
        return
    yield Check("summary.carryover_by_fund", table_name(t), f"{table_name(t)} 年初财政拨款结转和结余", total(parts), act,
                expected_desc="分资金来源的年初结转之和", actual_desc="年初财政拨款结转和结余")


@rule("summary.fund_balance", "{n:fiscal_grant_summary}：分资金来源 年初结转 + 本年收入 = 本年支出 + 年末结转",
      "{t:fiscal_grant_summary} 表式；" + DOMAIN + "（两方总计相等，逐资金来源同理）")
def summary_fund_balance(ctx: AuditContext):
    t = "fiscal_grant_summary"
    if ctx.status.get(t) != "parsed":
        return
    for k, label in _FUNDS:
        inc = _line(ctx, t, "income", f"grant:{k}", "amount", label)
        beg = _line(ctx, t, "income", f"carryover_begin:{k}", "amount", f"年初结转 {label}")
        spent = _line(ctx, t, "expenditure", "expenditure_total", k, "本年支出合计")
        end = _line(ctx, t, "expenditure", "carryover_end", k, "年末结转和结余")
        if _all_blank(inc, beg, spent, end):
            continue
        yield Check("summary.fund_balance", f"{table_name(t)} {label}", f"{table_name(t)} {label}收支平衡",
                    total([inc, beg]), total([spent, end]), expected_desc="本年收入 + 年初结转",
                    actual_desc="本年支出合计 + 年末结转")


# ---------------------------------------------------------------- coded tables (function codes)
_COMPONENTS = {
    "income": None, "expenditure": None,   # every column but the total
    "general_budget_expenditure": ("basic", "project"),
    "gov_fund": ("basic", "project"), "state_capital": ("basic", "project"),
}
_NON_COMPONENT = {"total", "", "carryover_begin", "income", "carryover_end",
                  "business_tuition", "project_capital"}   # 其中 columns: part of another column, not a component


def _coded_tables(ctx: AuditContext):
    for t in CODED_TABLES:
        if ctx.status.get(t) == "parsed":
            yield t


def _codes(ctx: AuditContext, t: str) -> list[str]:
    codes = list(ctx.coded_rows.get(t, {}))
    for c in ctx.coded.get(t, {}):
        if c not in codes:
            codes.append(c)
    return [c for c in codes if c]


def _table_measures(ctx: AuditContext, t: str) -> list[str]:
    return [mk for mk in ctx.measures.get(t, {}) if mk]


def _name(ctx: AuditContext, t: str, code: str) -> str:
    return ctx.coded_rows.get(t, {}).get(code, ("合计" if not code else "", None))[0] or ""


def _hierarchy(ctx: AuditContext, rule_id: str, parent_len: int | None, child_len: int, what: str):
    for t in _coded_tables(ctx):
        codes = _codes(ctx, t)
        parents = [""] if parent_len is None else [c for c in codes if len(c) == parent_len]
        for p in parents:
            kids = [c for c in codes if len(c) == child_len and c.startswith(p)]
            if not kids:
                continue
            if parent_len is None and "" not in ctx.coded_rows.get(t, {}) and "" not in ctx.coded.get(t, {}):
                continue
            for mk in _table_measures(ctx, t):
                parts = [ctx.coded_num(t, k, mk) for k in kids]
                act = ctx.coded_num(t, p, mk)
                if _all_blank(act, *parts):
                    continue
                col = ctx.measures[t].get(mk, mk)
                label = f"{p} {_name(ctx, t, p)}" if p else "合计"
                yield Check(rule_id, f"{table_name(t)} {p or '合计'} {col}", f"{table_name(t)} {label}（{col}）",
                            total(parts), act, expected_desc=_n_of(parts, what),
                            actual_desc=f"{'合计行' if not p else '本行'}印刷数")


@rule("coded.total_classes", "{n:income/expenditure/general_budget_expenditure/gov_fund/state_capital}：合计 = 各类之和（逐栏）", DOMAIN + "：02/03/05 合计 = sum of 类")
def coded_total_classes(ctx: AuditContext):
    yield from _hierarchy(ctx, "coded.total_classes", None, 3, "类")


@rule("coded.class_items", "{n:income/expenditure/general_budget_expenditure/gov_fund/state_capital}：类 = 所属各款之和（逐栏）", DOMAIN + "：类 = sum of its 款")
def coded_class_items(ctx: AuditContext):
    yield from _hierarchy(ctx, "coded.class_items", 3, 5, "款")


@rule("coded.item_subitems", "{n:income/expenditure/general_budget_expenditure/gov_fund/state_capital}：款 = 所属各项之和（逐栏）", DOMAIN + "：款 = sum of its 项")
def coded_item_subitems(ctx: AuditContext):
    yield from _hierarchy(ctx, "coded.item_subitems", 5, 7, "项")


@rule("coded.row_columns", "{n:income/expenditure/general_budget_expenditure/gov_fund/state_capital}：每行 合计栏 = 各构成栏之和",
      DOMAIN + "：per row, the total column = sum of the component columns")
def coded_row_columns(ctx: AuditContext):
    for t in _coded_tables(ctx):
        mks = _table_measures(ctx, t)
        if "total" not in mks:
            continue
        comps = _COMPONENTS.get(t) or tuple(mk for mk in mks if mk not in _NON_COMPONENT)
        for code in ["", *_codes(ctx, t)]:
            if code == "" and "" not in ctx.coded.get(t, {}) and "" not in ctx.coded_rows.get(t, {}):
                continue
            parts = [ctx.coded_num(t, code, mk) for mk in comps]
            act = ctx.coded_num(t, code, "total")
            if _all_blank(act, *parts):
                continue
            label = f"{code} {_name(ctx, t, code)}" if code else "合计"
            names = "、".join(ctx.measures[t].get(mk, mk).split("/")[-1] for mk in comps)
            yield Check("coded.row_columns", f"{table_name(t)} {code or '合计'}", f"{table_name(t)} {label} 合计栏",
                        total(parts), act, expected_desc=f"{names} 之和",
                        actual_desc=ctx.measures[t].get("total", "合计").split("/")[-1])


@rule("coded.gov_fund_flow", "{n:gov_fund}：年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出",
      "{t:gov_fund} 表式（栏6 = 栏1 + 栏2 − 栏3）")
def coded_gov_fund_flow(ctx: AuditContext):
    t = "gov_fund"
    if ctx.status.get(t) != "parsed":
        return
    from xinzhou_fiscal.checks.tolerance import derive
    for code in ["", *_codes(ctx, t)]:
        beg, inc, spent, end = (ctx.coded_num(t, code, mk) for mk in ("carryover_begin", "income", "total", "carryover_end"))
        if _all_blank(beg, inc, spent, end):
            continue
        exp = derive(lambda a, b, c: a + b - c, beg, inc, spent)
        yield Check("coded.gov_fund_flow", f"{table_name(t)} {code or '合计'}", f"{table_name(t)} {code or '合计'} 年末结转和结余",
                    exp, end, expected_desc="年初结转 + 本年收入 − 本年支出", actual_desc="年末结转和结余")


# ---------------------------------------------------------------- general_budget_basic (economic codes)
_PERSONNEL_CLASSES = ("301", "303")


def _econ(ctx: AuditContext):
    t = "general_budget_basic"
    rows: dict[str, tuple[str, int | None]] = {}
    wide = wide_rows(ctx.report.tables[t]) if t in ctx.report.tables else None
    if wide is not None and wide.rows and wide.has("code"):
        for code, item, line in zip(wide.column("code"), wide.column("item"), wide.column("line")):
            if code:
                rows.setdefault(code, (item, int(line) if line == line else None))
    facts = {f.code: f for f in ctx.by_table.get(t, ()) if f.code}
    for code, f in facts.items():
        rows.setdefault(code, (f.item, f.line))
    return t, rows, facts


def _econ_num(t, rows, facts, code) -> Num:
    if code in facts:
        return facts[code].num
    item, line = rows.get(code, ("", None))
    return blank(t, code=code, item=item, measure="决算数", line=line)


@rule("basic.class_items", "{n:general_budget_basic}：经济分类 类 = 所属各款之和", DOMAIN + "：{n:general_budget_basic} each 类 = sum of its 款")
def basic_class_items(ctx: AuditContext):
    t, rows, facts = _econ(ctx)
    if ctx.status.get(t) != "parsed":
        return
    for cls in [c for c in rows if len(c) == 3]:
        kids = [c for c in rows if len(c) == 5 and c.startswith(cls)]
        if not kids:
            continue
        parts = [_econ_num(t, rows, facts, k) for k in kids]
        act = _econ_num(t, rows, facts, cls)
        if _all_blank(act, *parts):
            continue
        yield Check("basic.class_items", f"{table_name(t)} {cls}", f"{table_name(t)} {cls} {rows[cls][0]}",
                    total(parts), act, expected_desc=_n_of(parts, "款"), actual_desc="类级印刷数")


def _econ_total(ctx: AuditContext, key: str, label: str):
    t, rows, facts = _econ(ctx)
    f = ctx.one(t, item_key=key)
    return t, rows, facts, (f.num if f is not None else blank(t, item=label, measure="决算数"))


@rule("basic.personnel_total", "{n:general_budget_basic}：人员经费合计 = 301 工资福利支出 + 303 对个人和家庭的补助",
      DOMAIN + "：人员经费合计 = 301 + 303")
def basic_personnel_total(ctx: AuditContext):
    t, rows, facts, act = _econ_total(ctx, "personnel_total", "人员经费合计")
    if ctx.status.get(t) != "parsed":
        return
    parts = [_econ_num(t, rows, facts, c) for c in _PERSONNEL_CLASSES]
    if _all_blank(act, *parts):
        return
    yield Check("basic.personnel_total", table_name(t), f"{table_name(t)} 人员经费合计", total(parts), act,
                expected_desc="301 + 303", actual_desc="人员经费合计")


@rule("basic.public_total", "{n:general_budget_basic}：公用经费合计 = 302 + 310 + 其余各类（307、309、311、312、313、399）",
      DOMAIN + "：公用经费合计 = 302 + 310 (+ other classes)")
def basic_public_total(ctx: AuditContext):
    t, rows, facts, act = _econ_total(ctx, "public_total", "公用经费合计")
    if ctx.status.get(t) != "parsed":
        return
    classes = [c for c in rows if len(c) == 3 and c not in _PERSONNEL_CLASSES]
    parts = [_econ_num(t, rows, facts, c) for c in classes]
    if _all_blank(act, *parts):
        return
    yield Check("basic.public_total", table_name(t), f"{table_name(t)} 公用经费合计", total(parts), act,
                expected_desc=" + ".join(classes), actual_desc="公用经费合计")


# ---------------------------------------------------------------- three_public 三公
_STAGES = (("budget", "预算数"), ("actual", "决算数"))


def _tp(ctx: AuditContext, stage: str, mk: str, label: str) -> Num:
    t = "three_public"
    f = ctx.one(t, measure_key=f"{stage}_{mk}")
    return f.num if f is not None else blank(t, item=label, measure=label)


@rule("three_public.vehicle_subtotal", "{n:three_public}：公务用车 小计 = 购置费 + 运行维护费（预算数、决算数）",
      DOMAIN + "：{n:three_public} 小计 = 购置费 + 运行维护费")
def three_public_vehicle(ctx: AuditContext):
    if ctx.status.get("three_public") != "parsed":
        return
    for stage, sname in _STAGES:
        parts = [_tp(ctx, stage, "vehicle_purchase", f"{sname}/公务用车购置费"),
                 _tp(ctx, stage, "vehicle_operation", f"{sname}/公务用车运行维护费")]
        act = _tp(ctx, stage, "vehicle_subtotal", f"{sname}/小计")
        if _all_blank(act, *parts):
            continue
        yield Check("three_public.vehicle_subtotal", f"{{t:three_public}} {sname}", f"{{t:three_public}} {sname} 公务用车购置及运行维护费小计",
                    total(parts), act, expected_desc="购置费 + 运行维护费", actual_desc="小计")


@rule("three_public.total", "{n:three_public}：合计 = 因公出国(境)费 + 公务用车小计 + 公务接待费（预算数、决算数）",
      DOMAIN + "：{n:three_public} 合计 = 出国 + 小计 + 接待")
def three_public_total(ctx: AuditContext):
    if ctx.status.get("three_public") != "parsed":
        return
    for stage, sname in _STAGES:
        parts = [_tp(ctx, stage, "abroad", f"{sname}/因公出国（境）费"),
                 _tp(ctx, stage, "vehicle_subtotal", f"{sname}/小计"),
                 _tp(ctx, stage, "reception", f"{sname}/公务接待费")]
        act = _tp(ctx, stage, "total", f"{sname}/合计")
        if _all_blank(act, *parts):
            continue
        yield Check("three_public.total", f"{{t:three_public}} {sname}", f"{{t:three_public}} {sname} 合计", total(parts), act,
                    expected_desc="因公出国(境)费 + 公务用车小计 + 公务接待费", actual_desc="合计")


# ---------------------------------------------------------------- related_info 相关信息
def _rel(ctx: AuditContext, key: str, label: str) -> Num:
    f = ctx.one("related_info", item_key=key)
    return f.num if f is not None else blank("related_info", item=label, measure="统计数")


@rule("related.procurement_total", "{n:related_info}：政府采购 合计 = 货物 + 工程 + 服务", DOMAIN + "：政府采购 合计 = 货物 + 工程 + 服务")
def related_procurement(ctx: AuditContext):
    if ctx.status.get("related_info") != "parsed":
        return
    parts = [_rel(ctx, "procurement_goods", "货物"), _rel(ctx, "procurement_works", "工程"),
             _rel(ctx, "procurement_services", "服务")]
    act = _rel(ctx, "procurement_total", "政府采购合计")
    if _all_blank(act, *parts):
        return
    yield Check("related.procurement_total", "{t:related_info} 政府采购", "{t:related_info} 政府采购合计", total(parts), act,
                expected_desc="货物 + 工程 + 服务", actual_desc="合计")


_VEHICLE_KINDS = (("vehicles_ministerial", "副部(省)级及以上领导用车"), ("vehicles_principal", "主要负责人用车"),
                  ("vehicles_confidential", "机要通信用车"), ("vehicles_emergency", "应急保障用车"),
                  ("vehicles_enforcement", "执法执勤用车"), ("vehicles_special", "特种专业技术用车"),
                  ("vehicles_retiree", "离退休干部服务用车"), ("vehicles_other", "其他用车"))


@rule("related.vehicles_total", "{n:related_info}：车辆数合计 = 各类用车之和（整数，无容差）", DOMAIN + "：车辆数合计 = sum of vehicle kinds")
def related_vehicles(ctx: AuditContext):
    if ctx.status.get("related_info") != "parsed":
        return
    parts = [_rel(ctx, k, label) for k, label in _VEHICLE_KINDS]
    act = _rel(ctx, "vehicles_total", "车辆数合计")
    if _all_blank(act, *parts):
        return
    yield Check("related.vehicles_total", "{t:related_info} 车辆", "{t:related_info} 车辆数合计", total(parts), act, unit="辆",
                expected_desc="8 类用车之和", actual_desc="车辆数合计")
