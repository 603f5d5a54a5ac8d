"""Reconciliation across tables (DOMAIN.md "Across tables").

The income_expenditure_summary (收入支出决算总表) prints *expenditure* by function class, so its
class lines are reconciled with expenditure (支出决算表), never with income (income by class) or
general_budget_expenditure (general-budget grants only): in the seed 01 shows 201 = 2459.48
against 02/05's 2456.55, and the 2.93 between them is exactly the
年初结转和结余 spent in 2013101 行政运行 (03: 1368.80, 02/05: 1365.87). Not a finding.
"""
from __future__ import annotations

from xinzhou_fiscal.checks.context import AuditContext, blank
from xinzhou_fiscal.checks.findings import Check
from xinzhou_fiscal.checks.registry import rule
from xinzhou_fiscal.checks.tolerance import Num, total

DOMAIN = "../shared/DOMAIN.md「Across tables」"
T01, T02, T03, T04, T05, T06, T07, T08, T09, T10 = (
    "income_expenditure_summary", "income", "expenditure", "fiscal_grant_summary", "general_budget_expenditure",
    "general_budget_basic", "gov_fund", "state_capital", "three_public", "related_info")


def _present(ctx: AuditContext, *tables: str) -> bool:
    return all(ctx.status.get(t) == "parsed" for t in tables)


def _s(ctx: AuditContext, t: str, side: str, key: str, mk: str, label: str) -> Num:
    f = ctx.one(t, section=side, item_key=key, measure_key=mk)
    return f.num if f is not None else blank(t, item=label, section=side,
                                             measure=ctx.measures.get(t, {}).get(f"{side}:{mk}", mk))


def _blank(*nums: Num) -> bool:
    return all(n.printed == "" and n.value == 0 for n in nums)


def _same(rule_id, subject, what, exp, act, exp_desc, act_desc, **kw):
    if _blank(exp, act):
        return None
    return Check(rule_id, subject, what, exp, act, expected_desc=exp_desc, actual_desc=act_desc, **kw)


@rule("cross.income_total_01_02", "{n:income_expenditure_summary} 本年收入合计 = {n:income} 合计（本年收入合计栏）", DOMAIN + "：01 本年收入合计 = 02 合计")
def income_total_01_02(ctx: AuditContext):
    if not _present(ctx, T01, T02):
        return
    c = _same("cross.income_total_01_02", "{t:income_expenditure_summary}↔{t:income}", "本年收入合计（{t:income} ↔ {t:income_expenditure_summary}）",
              _s(ctx, T01, "income", "income_total", "amount", "本年收入合计"), ctx.coded_num(T02, "", "total"),
              "{t:income_expenditure_summary} 本年收入合计", "{t:income} 合计行 本年收入合计栏")
    if c:
        yield c


_SOURCES = (("fiscal_grant", "财政拨款收入", ("grant:general_budget", "grant:gov_fund", "grant:state_capital")),
            ("higher_subsidy", "上级补助收入", ("higher_subsidy",)), ("business", "事业收入", ("business",)),
            ("operating", "经营收入", ("operating",)), ("affiliate_remit", "附属单位上缴收入", ("affiliate_remit",)),
            ("other", "其他收入", ("other",)))


@rule("cross.income_sources_01_02", "{n:income_expenditure_summary} 各收入行 = {n:income} 合计行对应收入栏（财政拨款收入 = 01 行1–3 之和）",
      DOMAIN + "：01 本年收入合计 = 02 合计（按收入来源逐栏）")
def income_sources_01_02(ctx: AuditContext):
    if not _present(ctx, T01, T02):
        return
    for mk, label, keys in _SOURCES:
        if mk == "fiscal_grant" and ctx.one(T01, section="income", item_key="fiscal_grant") is not None:
            keys = ("fiscal_grant",)        # one 财政拨款收入 line (the university family), not one per fund
        parts = [_s(ctx, T01, "income", k, "amount", k) for k in keys]
        exp = parts[0] if len(parts) == 1 else total(parts)
        c = _same("cross.income_sources_01_02", f"{label}", f"{label}（{{t:income_expenditure_summary}} ↔ {{t:income}}）", exp,
                  ctx.coded_num(T02, "", mk), f"{{t:income_expenditure_summary}} {label}" + ("（行1–3 之和）" if len(parts) > 1 else ""),
                  f"{{t:income}} 合计行 {label}栏")
        if c:
            yield c


@rule("cross.expenditure_total_01_03", "{n:income_expenditure_summary} 本年支出合计 = {n:expenditure} 合计（本年支出合计栏）", DOMAIN + "：01 本年支出合计 = 03 合计")
def expenditure_total_01_03(ctx: AuditContext):
    if not _present(ctx, T01, T03):
        return
    c = _same("cross.expenditure_total_01_03", "{t:income_expenditure_summary}↔{t:expenditure}", "本年支出合计（{t:income_expenditure_summary} ↔ {t:expenditure}）",
              _s(ctx, T01, "expenditure", "expenditure_total", "amount", "本年支出合计"),
              ctx.coded_num(T03, "", "total"), "{t:income_expenditure_summary} 本年支出合计", "{t:expenditure} 合计行 本年支出合计栏")
    if c:
        yield c


def _class_lines(ctx: AuditContext, t: str, mk: str) -> dict[str, Num]:
    return {f.item_key.split(":", 1)[1]: f.num for f in ctx.by_table.get(t, ())
            if f.section == "expenditure" and f.item_key.startswith("class:") and f.measure_key == mk}


def _coded_classes(ctx: AuditContext, t: str) -> list[str]:
    codes = set(ctx.coded_rows.get(t, {})) | set(ctx.coded.get(t, {}))
    return sorted(c for c in codes if len(c) == 3)


@rule("cross.classes_01_03", "{n:income_expenditure_summary} 各功能分类（类）支出行 = {n:expenditure} 同类 本年支出合计", DOMAIN + "：01 class lines = 03 classes")
def classes_01_03(ctx: AuditContext):
    if not _present(ctx, T01, T03):
        return
    lines = _class_lines(ctx, T01, "amount")
    for code in sorted(set(lines) | set(_coded_classes(ctx, T03))):
        act = lines.get(code) or blank(T01, item=f"class:{code}", section="expenditure", measure="支出/金额")
        c = _same("cross.classes_01_03", code, f"类 {code} 支出（{{t:expenditure}} ↔ {{t:income_expenditure_summary}}）",
                  ctx.coded_aggregate(T03, code, "total"), act, f"{{t:expenditure}} {code} 本年支出合计",
                  f"{{t:income_expenditure_summary}} 类 {code} 支出行")
        if c:
            yield c


@rule("cross.fiscal_income_02_04", "{n:income} 合计行 财政拨款收入 = {n:fiscal_grant_summary} 本年收入合计", DOMAIN + "：02 财政拨款收入 = 04 本年收入")
def fiscal_income_02_04(ctx: AuditContext):
    if not _present(ctx, T02, T04):
        return
    c = _same("cross.fiscal_income_02_04", "{t:income}↔{t:fiscal_grant_summary}", "财政拨款收入（{t:income} ↔ {t:fiscal_grant_summary}）",
              ctx.coded_num(T02, "", "fiscal_grant"), _s(ctx, T04, "income", "income_total", "amount", "本年收入合计"),
              "{t:income} 合计行 财政拨款收入栏", "{t:fiscal_grant_summary} 本年收入合计")
    if c:
        yield c


_FUNDS = (("general_budget", "一般公共预算财政拨款"), ("gov_fund", "政府性基金预算财政拨款"),
          ("state_capital", "国有资本经营预算财政拨款"))


@rule("cross.grants_01_04", "{n:income_expenditure_summary} 行1–3 各类财政拨款收入 = {n:fiscal_grant_summary} 收入方行1–3", "{n:income_expenditure_summary/fiscal_grant_summary} 表式（同一笔财政拨款收入）")
def grants_01_04(ctx: AuditContext):
    if not _present(ctx, T01, T04):
        return
    for k, label in _FUNDS:
        c = _same("cross.grants_01_04", label, f"{label}收入（{{t:income_expenditure_summary}} ↔ {{t:fiscal_grant_summary}}）",
                  _s(ctx, T01, "income", f"grant:{k}", "amount", label), _s(ctx, T04, "income", f"grant:{k}", "amount", label),
                  f"{{t:income_expenditure_summary}} {label}收入", f"{{t:fiscal_grant_summary}} {label}")
        if c:
            yield c


@rule("cross.carryover_01_04", "{n:fiscal_grant_summary} 年初/年末财政拨款结转和结余 ≤ {n:income_expenditure_summary} 年初/年末结转和结余（下限关系）",
      "{n:income_expenditure_summary/fiscal_grant_summary} 表式：财政拨款结转是全部结转的一部分", severity="warning")
def carryover_01_04(ctx: AuditContext):
    if not _present(ctx, T01, T04):
        return
    pairs = ((("income", "carryover_begin", "amount"), ("income", "carryover_begin", "amount"), "年初"),
             (("expenditure", "carryover_end", "amount"), ("expenditure", "carryover_end", "total"), "年末"))
    for (s1, k1, m1), (s4, k4, m4), when in pairs:
        whole = _s(ctx, T01, s1, k1, m1, f"{when}结转和结余")
        part = _s(ctx, T04, s4, k4, m4, f"{when}财政拨款结转和结余")
        c = _same("cross.carryover_01_04", when, f"{when}财政拨款结转和结余（{{t:fiscal_grant_summary}}）不超过{when}结转和结余（{{t:income_expenditure_summary}}）",
                  whole, part, f"{{t:income_expenditure_summary}} {when}结转和结余（上限）", f"{{t:fiscal_grant_summary}} {when}财政拨款结转和结余",
                  relation="le", broken="warning")
        if c:
            yield c


@rule("cross.general_budget_04_05", "{n:fiscal_grant_summary} 一般公共预算财政拨款 本年支出合计 = {n:general_budget_expenditure} 合计", DOMAIN + "：04 一般公共预算 expenditure = 05 合计")
def general_budget_04_05(ctx: AuditContext):
    if not _present(ctx, T04, T05):
        return
    c = _same("cross.general_budget_04_05", "{t:fiscal_grant_summary}↔{t:general_budget_expenditure}", "一般公共预算财政拨款支出（{t:fiscal_grant_summary} ↔ {t:general_budget_expenditure}）",
              _s(ctx, T04, "expenditure", "expenditure_total", "general_budget", "本年支出合计"),
              ctx.coded_num(T05, "", "total"), "{t:fiscal_grant_summary} 本年支出合计 一般公共预算财政拨款栏", "{t:general_budget_expenditure} 合计行 小计")
    if c:
        yield c


@rule("cross.classes_04_05", "{n:fiscal_grant_summary} 各类 一般公共预算财政拨款栏 = {n:general_budget_expenditure} 同类 小计", DOMAIN + "：04 一般公共预算 = 05 (per class)")
def classes_04_05(ctx: AuditContext):
    if not _present(ctx, T04, T05):
        return
    lines = _class_lines(ctx, T04, "general_budget")
    for code in sorted(set(lines) | set(_coded_classes(ctx, T05))):
        act = lines.get(code) or blank(T04, item=f"class:{code}", section="expenditure", measure="支出/一般公共预算财政拨款")
        c = _same("cross.classes_04_05", code, f"类 {code} 一般公共预算财政拨款支出（{{t:general_budget_expenditure}} ↔ {{t:fiscal_grant_summary}}）",
                  ctx.coded_aggregate(T05, code, "total"), act, f"{{t:general_budget_expenditure}} {code} 小计",
                  f"{{t:fiscal_grant_summary}} 类 {code} 一般公共预算财政拨款栏")
        if c:
            yield c


@rule("cross.gov_fund_04_07", "{n:fiscal_grant_summary} 政府性基金栏/行 = {n:gov_fund} 合计（本年支出、本年收入、年初结转）", "{n:fiscal_grant_summary/gov_fund} 表式（同一笔政府性基金）")
def gov_fund_04_07(ctx: AuditContext):
    if ctx.status.get(T04) != "parsed" or ctx.status.get(T07) == "missing":
        return
    pairs = ((_s(ctx, T04, "expenditure", "expenditure_total", "gov_fund", "本年支出合计 政府性基金栏"), "total", "本年支出"),
             (_s(ctx, T04, "income", "grant:gov_fund", "amount", "政府性基金预算财政拨款"), "income", "本年收入"),
             (_s(ctx, T04, "income", "carryover_begin:gov_fund", "amount", "年初结转 政府性基金"), "carryover_begin", "年初结转和结余"))
    for n04, mk, label in pairs:
        c = _same("cross.gov_fund_04_07", label, f"政府性基金{label}（{{t:fiscal_grant_summary}} ↔ {{t:gov_fund}}）", n04,
                  ctx.coded_num(T07, "", mk), f"{{t:fiscal_grant_summary}} 政府性基金{label}", f"{{t:gov_fund}} 合计行 {label}")
        if c:
            yield c


@rule("cross.state_capital_04_08", "{n:fiscal_grant_summary} 国有资本经营预算栏 本年支出合计 = {n:state_capital} 合计", "{n:fiscal_grant_summary/state_capital} 表式（同一笔国有资本经营预算）")
def state_capital_04_08(ctx: AuditContext):
    if ctx.status.get(T04) != "parsed" or ctx.status.get(T08) == "missing":
        return
    c = _same("cross.state_capital_04_08", "{t:fiscal_grant_summary}↔{t:state_capital}", "国有资本经营预算财政拨款支出（{t:fiscal_grant_summary} ↔ {t:state_capital}）",
              _s(ctx, T04, "expenditure", "expenditure_total", "state_capital", "本年支出合计 国有资本经营栏"),
              ctx.coded_num(T08, "", "total"), "{t:fiscal_grant_summary} 本年支出合计 国有资本经营预算财政拨款栏", "{t:state_capital} 合计")
    if c:
        yield c


def _econ_total(ctx: AuditContext, key: str, label: str) -> Num:
    f = ctx.one(T06, item_key=key)
    return f.num if f is not None else blank(T06, item=label, measure="决算数")


@rule("cross.basic_05_06", "{n:general_budget_expenditure} 合计行 基本支出 = {n:general_budget_basic} 人员经费合计 + 公用经费合计", DOMAIN + "：05 基本支出 = 06 人员经费合计 + 公用经费合计")
def basic_05_06(ctx: AuditContext):
    if not _present(ctx, T05, T06):
        return
    exp = total([_econ_total(ctx, "personnel_total", "人员经费合计"), _econ_total(ctx, "public_total", "公用经费合计")])
    c = _same("cross.basic_05_06", "{t:general_budget_expenditure}↔{t:general_budget_basic}", "一般公共预算财政拨款基本支出（{t:general_budget_expenditure} ↔ {t:general_budget_basic}）", exp,
              ctx.coded_num(T05, "", "basic"), "{t:general_budget_basic} 人员经费合计 + 公用经费合计", "{t:general_budget_expenditure} 合计行 基本支出")
    if c:
        yield c


@rule("cross.subset_05_03", "{n:general_budget_expenditure}（一般公共预算财政拨款支出）逐科目逐栏 ≤ {n:expenditure}（全部资金支出）", "{n:expenditure/general_budget_expenditure} 表式：05 是 03 的一部分（下限关系）",
      severity="warning")
def subset_05_03(ctx: AuditContext):
    if not _present(ctx, T03, T05):
        return
    codes = ["", *sorted((set(ctx.coded_rows.get(T05, {})) | set(ctx.coded.get(T05, {}))) - {""})]
    for code in codes:
        for mk, label in (("total", "合计"), ("basic", "基本支出"), ("project", "项目支出")):
            part, whole = ctx.coded_num(T05, code, mk), ctx.coded_num(T03, code, mk)
            c = _same("cross.subset_05_03", f"{code or '合计'} {label}", f"{code or '合计'} {label}：{{t:general_budget_expenditure}}不超过{{t:expenditure}}",
                      whole, part, f"{{t:expenditure}} {code or '合计'} {label}（上限）", f"{{t:general_budget_expenditure}} {code or '合计'} {label}",
                      relation="le", broken="warning")
            if c:
                yield c


@rule("cross.admin_costs_10_06", "{n:related_info} 机关运行经费 = {n:general_budget_basic} 公用经费合计（大于为错误，小于为警告：事业单位公用经费不计入机关运行经费）",
      DOMAIN + "：10 机关运行经费 (行政单位) = 06 公用经费合计；名词解释 十二", severity="error if 10 > 06, warning if 10 < 06")
def admin_costs_10_06(ctx: AuditContext):
    if not _present(ctx, T06, T10):
        return
    parts = [f.num for f in ctx.by_table.get(T10, ()) if f.item_key.startswith("admin_operating")]
    act = total(parts) if len(parts) != 1 else parts[0]
    if not parts:
        act = blank(T10, item="机关运行经费", measure="统计数")
    exp = _econ_total(ctx, "public_total", "公用经费合计")
    broken = "error" if act.value > exp.value else "warning"
    c = _same("cross.admin_costs_10_06", "{t:related_info}↔{t:general_budget_basic}", "机关运行经费（{t:related_info}）与公用经费合计（{t:general_budget_basic}）", exp, act,
              "{t:general_budget_basic} 公用经费合计", "{t:related_info} 机关运行经费", broken=broken,
              note="机关运行经费不能超过公用经费；少于公用经费时可能是事业单位的公用经费未计入，故为警告")
    if c:
        yield c


_TP_06 = (("actual_abroad", "因公出国(境)费", ("30212",)), ("actual_vehicle_purchase", "公务用车购置费", ("31013", "30913")),
          ("actual_vehicle_operation", "公务用车运行维护费", ("30231",)), ("actual_reception", "公务接待费", ("30217",)))


@rule("cross.three_public_09_06", "{n:three_public} 决算数 ≥ {n:general_budget_basic} 对应经济科目（30212、31013+30913、30231、30217）：下限关系",
      DOMAIN + "：09 vs 06 30217/30231 as a lower bound only", severity="warning")
def three_public_09_06(ctx: AuditContext):
    if not _present(ctx, T06, T09):
        return
    econ = {f.code: f.num for f in ctx.by_table.get(T06, ()) if f.code}
    for mk, label, codes in _TP_06:
        parts = [econ.get(c) or blank(T06, code=c, measure="决算数") for c in codes]
        low = parts[0] if len(parts) == 1 else total(parts)
        f = ctx.one(T09, measure_key=mk)
        act = f.num if f is not None else blank(T09, item=label, measure=f"决算数/{label}")
        c = _same("cross.three_public_09_06", label, f"“三公”{label}决算数（{{t:three_public}}）不低于基本支出中的 {'+'.join(codes)}（{{t:general_budget_basic}}）",
                  low, act, f"{{t:general_budget_basic}} {'+'.join(codes)}（下限）", f"{{t:three_public}} 决算数 {label}", relation="ge",
                  broken="warning", note="09 含项目支出安排的三公经费，06 只含基本支出，故只能是下限")
        if c:
            yield c
