"""The narrative (情况说明) against the tables and against the other numbers of its own sentences:
amounts, shares (part / whole), year-on-year rates (change / (current − change)), completion
rates (决算 / 年初预算), and the narrative's own totals (lists that should add up)."""
from __future__ import annotations


from xinzhou_fiscal import patterns
from xinzhou_fiscal.checks.budget_figures import budget_table_figure
from xinzhou_fiscal.checks.context import AuditContext, blank, dataset_records, optional_int
from xinzhou_fiscal.checks.findings import Check, Evidence
from xinzhou_fiscal.checks.registry import rule
from xinzhou_fiscal.checks.tolerance import (ADJUSTED_TO_HUNDRED, Num, adjusted_to_hundred, judge, printed, ratio_pct,
                                             total, yoy_rate_pct)
from xinzhou_fiscal.templates.labels import label_key
from xinzhou_fiscal.templates.specs import function_classes
from xinzhou_fiscal.text.narrative.phrasing import item_level

DOMAIN = "../shared/DOMAIN.md「Narrative against tables」"
T01, T02, T03, T04, T05, T06, T09, T10 = (
    "income_expenditure_summary", "income", "expenditure", "fiscal_grant_summary", "general_budget_expenditure",
    "general_budget_basic", "three_public", "related_info")


_norm = label_key


def claims_records(ctx: AuditContext) -> list[dict]:
    """The narrative's claims as dicts (cached on the context); [] when there are none."""
    if "claims" not in ctx.extras and "_audit_claims" in ctx.report.__dict__:
        ctx.extras["claims"] = ctx.report.__dict__["_audit_claims"]
    if "claims" not in ctx.extras:
        try:
            rows = dataset_records(ctx.report, "claims")     # the claims frame's rows, without building it
        except Exception:  # noqa: BLE001 - the narrative parser is optional for the table rules
            rows = []
        recs = []
        if rows:
            for i, d in enumerate(rows):
                d = dict(d)
                if not str(d.get("part") or "").count("情况说明") and "概况" in str(d.get("part") or ""):
                    continue
                d["_i"] = i
                d["_subject"] = _norm(d.get("subject"))
                d["_basis"] = _norm(d.get("basis"))
                d["_parent"] = _norm(d.get("parent"))
                d["_num"] = claim_num(d)
                recs.append(d)
        ctx.extras["claims"] = recs
        ctx.report.__dict__["_audit_claims"] = recs
    return ctx.extras["claims"]


def claim_num(d: dict) -> Num:
    """A narrative figure: its printed decimals; a printed 0 (or 与上年相同) is exact."""
    text = str(d.get("value_text") or "")
    value = d.get("signed_value") if d.get("metric") in ("同比增减额", "同比增减率") else d.get("value")
    value = float(value if value == value and value is not None else d.get("value") or 0.0)
    ev = (Evidence("narrative", "", "情况说明", str(d.get("subsection") or d.get("section") or ""), "",
                   str(d.get("label") or d.get("subject") or ""), str(d.get("metric") or ""), text, value,
                   optional_int(d.get("line")), optional_int(d.get("page"))),)
    counted = str(d.get("unit") or "") in ("个", "辆", "台套", "台（套）", "批次", "人次", "人", "次", "家", "项")
    if counted or d.get("implied") is True or not patterns.compile(r"\d").search(text) or float(d.get("value") or 0) == 0 and "." not in text:
        return Num(value, 0.0, text or "0", ev)
    sign = -1 if value < 0 else 1
    n = printed(abs(value), text.replace(",", ""), evidence=ev)
    return Num(sign * n.value, n.err, ("-" if sign < 0 else "") + text, ev)


# ---------------------------------------------------------------- what a subject is in the tables
def _fact(ctx, t, **match) -> Num:
    f = ctx.one(t, **match)
    if f is not None:
        return f.num
    return blank(t, item=match.get("item_key") or match.get("code") or "", measure=match.get("measure_key", ""))


def _class_code(subject: str) -> str | None:
    return function_classes().get(subject)


def _printed_name_code(ctx: AuditContext, table: str, subject: str) -> str | None:
    """The 款/项 code whose printed name in ``table`` is the subject, when exactly one row has it
    (行政运行 can sit under several 款: then the statement is not compared)."""
    codes = [c for c, (name, _) in ctx.coded_rows.get(table, {}).items() if c and len(c) > 3 and name == subject]
    return codes[0] if len(codes) == 1 else None


_THREE_PUBLIC = {"三公经费": "total", "因公出国（境）费": "abroad", "公务用车购置费": "vehicle_purchase",
                 "公务用车购置": "vehicle_purchase", "公务用车运行维护费": "vehicle_operation",
                 "公务用车购置及运行维护费": "vehicle_subtotal", "公务接待费": "reception"}
_VEHICLES = {"车辆": "vehicles_total", "副部（省）级及以上领导用车": "vehicles_ministerial",
             "主要负责人用车": "vehicles_principal", "机要通信用车": "vehicles_confidential",
             "应急保障用车": "vehicles_emergency", "执法执勤用车": "vehicles_enforcement",
             "特种专业技术用车": "vehicles_special", "离退休干部服务用车": "vehicles_retiree", "其他用车": "vehicles_other"}
_INCOME_SOURCES = {"财政拨款收入": "fiscal_grant", "上级补助收入": "higher_subsidy", "事业收入": "business",
                   "经营收入": "operating", "附属单位上缴收入": "affiliate_remit", "其他收入": "other"}
_EXP_COLUMNS = {"基本支出": "basic", "项目支出": "project", "上缴上级支出": "remit_higher", "经营支出": "operating",
                "对附属单位补助支出": "affiliate_subsidy"}
_ECON = {"工资福利支出": "301", "对个人和家庭的补助支出": "303", "对个人和家庭的补助": "303",
         "商品和服务支出": "302", "资本性支出": "310"}


def table_figure(ctx: AuditContext, subject: str, metric: str, unit: str, section: str = "") -> tuple[Num, str] | None:
    """The table figure a narrative subject states (and how it was found), or None — also None
    when the table it would come from is missing from the report (nothing to compare with)."""
    hit = _table_figure(ctx, subject, metric, unit, section)
    if hit is None:
        return None
    if any(e.source == "table" and ctx.status.get(e.table) == "missing" for e in hit[0].evidence):
        return None
    return hit


def _table_figure(ctx: AuditContext, subject: str, metric: str, unit: str, section: str = "") -> tuple[Num, str] | None:
    s = subject
    if unit == "万元" and metric == "决算数":
        simple = {
            "收入总计": lambda: _fact(ctx, T01, section="income", item_key="grand_total"),
            "支出总计": lambda: _fact(ctx, T01, section="expenditure", item_key="grand_total"),
            "收入合计": lambda: _fact(ctx, T01, section="income", item_key="income_total"),
            "本年收入合计": lambda: _fact(ctx, T01, section="income", item_key="income_total"),
            "支出合计": lambda: _fact(ctx, T01, section="expenditure", item_key="expenditure_total"),
            "本年支出合计": lambda: _fact(ctx, T01, section="expenditure", item_key="expenditure_total"),
            # "收入支出总计 X万元" states both sides' 总计 at once (they are equal in a correct report)
            "收入支出总计": lambda: _fact(ctx, T01, section="income", item_key="grand_total"),
            "财政拨款收入支出总计": lambda: _fact(ctx, T04, section="income", item_key="grand_total"),
            "财政拨款收入总计": lambda: _fact(ctx, T04, section="income", item_key="grand_total"),
            "财政拨款支出总计": lambda: _fact(ctx, T04, section="expenditure", item_key="grand_total", measure_key="total"),
            "一般公共预算财政拨款支出": lambda: ctx.coded_num(T05, "", "total"),
            "财政拨款基本支出": lambda: ctx.coded_num(T05, "", "basic"),
            "一般公共预算财政拨款基本支出": lambda: ctx.coded_num(T05, "", "basic"),
            "人员经费": lambda: _fact(ctx, T06, item_key="personnel_total"),
            "公用经费": lambda: _fact(ctx, T06, item_key="public_total"),
            "机关运行经费": lambda: total([f.num for f in ctx.by_table.get(T10, ()) if f.item_key.startswith("admin_operating")]),
            "政府采购": lambda: _fact(ctx, T10, item_key="procurement_total"),
            "政府采购货物支出": lambda: _fact(ctx, T10, item_key="procurement_goods"),
            "政府采购工程支出": lambda: _fact(ctx, T10, item_key="procurement_works"),
            "政府采购服务支出": lambda: _fact(ctx, T10, item_key="procurement_services"),
        }
        if s in simple:
            n = simple[s]()
            if s == "机关运行经费" and not n.evidence:
                n = blank(T10, item="机关运行经费", measure="统计数")
            return n, f"表中{s}"
        if s in _INCOME_SOURCES:
            return ctx.coded_num(T02, "", _INCOME_SOURCES[s]), f"{{t:income}} 合计行 {s}"
        if s in _EXP_COLUMNS:
            return ctx.coded_num(T03, "", _EXP_COLUMNS[s]), f"{{t:expenditure}} 合计行 {s}"
        if s in _ECON:
            return _fact(ctx, T06, code=_ECON[s]), f"{{t:general_budget_basic}} {_ECON[s]} {s}"
        if s in _THREE_PUBLIC:
            return _fact(ctx, T09, measure_key=f"actual_{_THREE_PUBLIC[s]}"), f"{{t:three_public}} 决算数 {s}"
        code = _class_code(s) or _printed_name_code(ctx, T05, s)
        if code:
            return ctx.coded_num(T05, code, "total"), f"{{t:general_budget_expenditure}} {code} {s} 小计"
    if unit == "万元" and metric == "全年预算" and s in _THREE_PUBLIC:
        return _fact(ctx, T09, measure_key=f"budget_{_THREE_PUBLIC[s]}"), f"{{t:three_public}} 预算数 {s}"
    if unit == "辆" and s in _VEHICLES:
        return _fact(ctx, T10, item_key=_VEHICLES[s]), f"{{t:related_info}} {s}"
    if unit in ("台套", "台（套）") and "设备" in s:
        return _fact(ctx, T10, item_key="equipment_over_1m"), f"{{t:related_info}} {s}"
    return None


def _amount_claims(recs):
    for d in recs:
        if d.get("metric") in ("决算数", "全年预算") and d.get("unit") == "万元" or d.get("unit") in ("辆", "台套"):
            yield d


#: a sentence that names its item by name and code before its figure: ``1.小学教育（2050202），…决算数为7,970.38万元``
_NAMED_CODE = patterns.compile(r"^\s*(?:\d+[.、．]|[（(]?[一二三四五六七八九十]+[)）、])?\s*([\u4e00-\u9fff（）()“”]{2,30}?)[（(](\d{3,7})[)）]")
#: the table a subsection's 基本支出/项目支出 come from, when the subsection is about the fiscal grant
_FISCAL_GRANT_TABLE = "fiscal_grant_expenditure"


def _row_fact(ctx: AuditContext, table: str, code: str, mk: str):
    """The fact of a coded row (``code``; "" for the 合计 row) and column ``mk`` of any table, or None."""
    return next((f for f in ctx.by_table.get(table, ()) if (f.code or "") == code and f.measure_key == mk
                 and (code or f.item_key == "total" or label_key(f.item) in ("合计", "总计"))), None)


def _claim_figure(ctx: AuditContext, d: dict) -> tuple[str, tuple[Num, str] | None]:
    """(the subject compared, the table figure) of an amount claim. Three readings of the wording
    before the generic :func:`table_figure`: an item printed with its code (``小学教育（2050202）``)
    is that code's row; 基本支出/项目支出 under a subsection about the 财政拨款支出决算表 are that
    table's; a subject the family's narrative means otherwise (``[narrative_subjects]``)."""
    subsection = str(d.get("subsection") or "")
    table = _FISCAL_GRANT_TABLE if "财政拨款" in subsection and ctx.status.get(_FISCAL_GRANT_TABLE) not in (None, "missing") \
        else T03
    m = _NAMED_CODE.match(str(d.get("sentence") or ""))
    amount = d.get("metric") == "决算数" and d.get("unit") == "万元"
    if m and amount and _row_fact(ctx, table, m.group(2), "total") is not None:
        name, code = m.group(1), m.group(2)
        return name, (_row_fact(ctx, table, code, "total").num, f"{{t:{table}}} {code} {name} 合计")
    if table == _FISCAL_GRANT_TABLE and d["_subject"] in ("基本支出", "项目支出") and amount:
        f = _row_fact(ctx, table, "", _EXP_COLUMNS[d["_subject"]])
        if f is not None:
            return d["_subject"], (f.num, f"{{t:{table}}} 合计行 {d['_subject']}")
    tpl = getattr(ctx.report, "template", None)
    subject = (getattr(tpl, "narrative_subjects", None) or {}).get(d["_subject"], d["_subject"])
    return subject, table_figure(ctx, subject, d.get("metric"), d.get("unit"), d.get("section") or "")


@rule("narrative.amount", "情况说明中的金额、车辆和设备数 = 表中同一数字", DOMAIN + "：every amount … can be recomputed from the tables")
def narrative_amount(ctx: AuditContext):
    for d in _amount_claims(claims_records(ctx)):
        if d.get("unit") == "辆" and d.get("metric") != "辆":
            continue
        subject, hit = _claim_figure(ctx, d)
        if hit is None:
            continue
        tab, desc = hit
        unit = d.get("unit")
        yield Check("narrative.amount", f"line {d.get('line')} {subject} {d.get('metric')}",
                    f"情况说明第 {d.get('line')} 行“{subject if subject != d['_subject'] else d.get('label') or subject}”"
                    f"{'' if unit != '万元' else d.get('metric')}",
                    tab, d["_num"], unit="台（套）" if unit == "台套" else unit, expected_desc=desc, actual_desc="情况说明")


# ---------------------------------------------------------------- the numbers of the same sentence
def _before(recs, d, pred, same_paragraph=False):
    """Nearest claim before d (same section; same paragraph when asked) that satisfies pred."""
    for e in reversed(recs[: recs.index(d)]):
        if e.get("section") != d.get("section"):
            break
        if same_paragraph and e.get("paragraph") != d.get("paragraph"):
            continue
        if pred(e):
            return e
    return None


#: the metric of an amount that is the report's own figure: 决算数 (final accounts), 预算数 (a budget)
LEVEL_METRICS = ("决算数", "预算数")


def _amount_of(ctx, recs, d, subject, metric=None):
    """The figure a share/rate rests on: the narrative's own figure (same section, nearest
    before), else the table's (a budget's: :func:`budget_table_figure`). ``metric`` None: the
    report's own amount (决算数 or 预算数)."""
    metrics = LEVEL_METRICS if metric is None else (metric,)
    e = _before(recs, d, lambda e: e["_subject"] == subject and e.get("metric") in metrics and e.get("unit") == "万元")
    if e is not None:
        return e["_num"], f"情况说明第 {e.get('line')} 行 {subject}{'' if metric is None else metric}"
    if getattr(ctx.report, "kind", "") == "预算":
        hit = budget_table_figure(ctx, subject, d.get("_parent") or "") if metric is None else None
    else:
        hit = table_figure(ctx, subject, metric or "决算数", "万元")
    return hit if hit else (None, "")


@rule("narrative.share", "情况说明中的占比 = 部分 / 整体（用同句或同节的数字，缺则用表中数字）", DOMAIN + "：share = part / whole")
def narrative_share(ctx: AuditContext):
    recs = claims_records(ctx)
    for d in recs:
        if d.get("metric") != "占比" or d.get("unit") != "%":
            continue
        part, pdesc = _amount_of(ctx, recs, d, d["_subject"])
        whole, wdesc = _amount_of(ctx, recs, d, d["_basis"] or d["_parent"]) if (d["_basis"] or d["_parent"]) else (None, "")
        if part is None or whole is None:
            continue
        if whole.value == 0 and part.value == 0:
            continue
        exp = ratio_pct(part, whole)
        if exp is None:
            continue
        adjusted = judge(exp, d["_num"]).status == "broken" and adjusted_to_hundred(exp, d["_num"], _share_column(recs, d))
        yield Check("narrative.share", f"line {d.get('line')} {d['_subject']}",
                    f"情况说明第 {d.get('line')} 行 {d['_subject']} 占{d['_basis'] or d['_parent']}的比重", exp, d["_num"],
                    unit="%", expected_desc=f"{pdesc} ÷ {wdesc}", actual_desc="情况说明所印占比",
                    status="info" if adjusted else None, note=ADJUSTED_TO_HUNDRED if adjusted else "")


def _share_column(recs, d) -> list[Num]:
    """The printed shares of the same whole as ``d`` in its section (``d`` among them)."""
    whole = d["_basis"] or d["_parent"]
    return [e["_num"] for e in recs if e.get("metric") == "占比" and e.get("unit") == "%"
            and e.get("section") == d.get("section") and e.get("subsection") == d.get("subsection")
            and (e["_basis"] or e["_parent"]) == whole]


@rule("narrative.yoy_rate", "情况说明中的增减率 = 增减额 / (本年数 − 增减额)", DOMAIN + "：rate = change / (current − change)")
def narrative_yoy(ctx: AuditContext):
    recs = claims_records(ctx)
    for d in recs:
        if d.get("metric") != "同比增减率":
            continue
        ch = _before(recs, d, lambda e: e["_subject"] == d["_subject"] and e.get("metric") == "同比增减额")
        if ch is None:
            continue
        cur, cdesc = _amount_of(ctx, recs, ch, d["_subject"])
        if cur is None:
            continue
        exp = yoy_rate_pct(cur, ch["_num"])
        if exp is None:
            continue
        yield Check("narrative.yoy_rate", f"line {d.get('line')} {d['_subject']}",
                    f"情况说明第 {d.get('line')} 行 {d['_subject']} 同比增减率", exp, d["_num"], unit="%",
                    expected_desc=f"增减额 ({ch['_num'].label()}) ÷ (本年 {cur.label()} − ({ch['_num'].label()}))",
                    actual_desc="情况说明所印增减率（带方向）",
                    note=f"上年数 = {cur.label()} − ({ch['_num'].label()}) = {round(cur.value - ch['_num'].value, 2):.2f} 万元")


@rule("narrative.completion", "情况说明中的完成率 = 决算数 / 年初预算（或全年预算）", DOMAIN + "：completion = 决算 / 年初预算")
def narrative_completion(ctx: AuditContext):
    recs = claims_records(ctx)
    for d in recs:
        if d.get("metric") != "完成率":
            continue
        budget = _norm(d.get("budget"))          # the narrative reader's 年初/全年/调整后, when it gives it
        basis = d["_basis"] or (f"{budget}预算" if budget and not budget.endswith("预算") else budget) or "年初预算"
        num, ndesc = _amount_of(ctx, recs, d, d["_subject"])
        den, ddesc = _amount_of(ctx, recs, d, d["_subject"], basis)
        if num is None or den is None:
            continue
        if den.value == 0 and num.value == 0:
            if d["_num"].value != 0:     # 0 ÷ 0 has no rate; a non-zero one contradicts both figures
                yield Check("narrative.completion", f"line {d.get('line')} {d['_subject']}",
                            f"情况说明第 {d.get('line')} 行 {d['_subject']} 完成{basis}的比例", status="error",
                            expected_label="0%（决算与预算均为 0）", actual_label=f"{d.get('value_text')}%", unit="%",
                            evidence_expected=num.evidence + den.evidence, evidence_actual=d["_num"].evidence,
                            note=f"决算数与{basis}都是 0，完成率不可能是 {d.get('value_text')}%")
            continue
        if den.value == 0 and d["_num"].value != 0:
            yield _rate_on_a_zero_budget(ctx, recs, d, num, den, basis, ndesc, ddesc)
            continue
        exp = ratio_pct(num, den)
        if exp is None:
            continue
        yield Check("narrative.completion", f"line {d.get('line')} {d['_subject']}",
                    f"情况说明第 {d.get('line')} 行 {d['_subject']} 完成{basis}的比例", exp, d["_num"], unit="%",
                    expected_desc=f"{ndesc} ÷ {ddesc}", actual_desc="情况说明所印完成率",
                    note=_other_basis(ctx, recs, d, num, basis, exp))


_BASES = ("年初预算", "全年预算", "调整后预算")


def _rate_on_a_zero_budget(ctx, recs, d, num: Num, den: Num, basis: str, ndesc: str, ddesc: str) -> Check:
    """A completion rate printed against a budget of 0 with a 决算 that is not 0: no such rate
    exists (X ÷ 0), so the printed one is an error; the note says which other budget it fits."""
    fits = ""
    for other in (b for b in _BASES if b != basis):
        alt_den, desc = _amount_of(ctx, recs, d, d["_subject"], other)
        alt = ratio_pct(num, alt_den) if alt_den is not None and alt_den.value else None
        if alt is not None and judge(alt, d["_num"]).status != "broken":
            fits = f"；所印完成率是对{other}（{desc} {alt_den.label()}）算的"
            break
    return Check("narrative.completion", f"line {d.get('line')} {d['_subject']}",
                 f"情况说明第 {d.get('line')} 行 {d['_subject']} 完成{basis}的比例", status="error",
                 expected_label=f"无（{basis}为 0）", actual_label=f"{d.get('value_text')}%", unit="%",
                 evidence_expected=num.evidence + den.evidence, evidence_actual=d["_num"].evidence,
                 note=f"{ddesc}为 0 而{ndesc}为 {num.label()}，完成{basis}的比例无从计算，"
                      f"不可能是 {d.get('value_text')}%{fits}")


def _other_basis(ctx, recs, d, num: Num, basis: str, exp: Num) -> str:
    """When the printed rate misses the budget it names but fits another printed one: say which."""
    if judge(exp, d["_num"]).status != "broken":
        return ""
    for other in _BASES:
        if other == basis:
            continue
        den, desc = _amount_of(ctx, recs, d, d["_subject"], other)
        alt = ratio_pct(num, den) if den is not None and den.value else None
        if alt is not None and judge(alt, d["_num"]).status != "broken":
            return f"所印完成率与{other}（{desc}）相符，而不是所说的{basis}"
    return ""


# ---------------------------------------------------------------- the narrative's own totals
#: a subject that is a change, not an amount (a year-on-year figure, or a template's 增加（减少） leftover)
_CHANGE_SUBJECT = patterns.compile(r"增加|减少|增长|下降|降低|上升")
def _item_level(d: dict) -> str:
    return item_level(str(d.get("sentence") or ""))


def _listed_parts(kids: list[dict], parent: str) -> list[dict]:
    """The parts a 其中/包括 list gives of a whole: not a change (``增加（减少）0万元`` is a leftover,
    ``比上年增加X`` a change: neither is a part), not the whole restated, and only the items at the
    level of the list's first item (``1．财政拨款收入`` and its own ``（1）一般公共预算收入`` are not
    two parts; ``3．公务接待费`` after ``（1）…（2）…`` is the whole's sibling, not its part)."""
    kids = [k for k in kids if not _CHANGE_SUBJECT.search(k["_subject"]) and k["_subject"] != parent]
    if not kids:
        return kids
    level = _item_level(kids[0])
    return [k for k in kids if _item_level(k) == level] if level else kids


@rule("narrative.parts_sum", "情况说明中“其中”所列各项之和 = 总数（多于总数为错误；少于总数为警告：列举可能不全；单项“其中”只须不超过总数）",
      DOMAIN + "；情况说明的列举结构（…合计X万元，其中：…）", severity="error if the parts exceed the whole, warning if short")
def narrative_parts_sum(ctx: AuditContext):
    recs = claims_records(ctx)
    groups: dict = {}
    for d in recs:
        if not d["_parent"] or d.get("metric") not in (*LEVEL_METRICS, "年初预算", "全年预算", "辆") \
                or d.get("unit") not in ("万元", "辆"):
            continue
        key = (d.get("section"), d.get("subsection"), d["_parent"], d.get("metric"), d.get("unit"))
        groups.setdefault(key, []).append(d)
    for (sec, sub, parent, metric, unit), kids in groups.items():
        first = kids[0]
        whole = _before(recs, first, lambda e: e["_subject"] == parent and e.get("metric") == metric
                        and e.get("unit") == unit)
        if whole is None:
            continue
        kids = _listed_parts(kids, parent)
        for side, side_kids in _by_side(parent, kids):
            yield _parts_check(whole, side_kids, parent, metric, unit, side)


#: a total of both sides (收支总预算 557,259.13 万元，其中本年收入…，上年结转…；本年支出…，结转下年…)
_BOTH_SIDES = ("收入支出总计", "财政拨款收入支出总计")
_EXPENDITURE_SIDE = patterns.compile(r"支出|^结转下年|^年末结转")


def _by_side(parent: str, kids: list[dict]) -> list[tuple[str, list[dict]]]:
    """The parts of a total, per side when the total is both sides' and the list names both: each side
    adds up to the total on its own. ("", kids) otherwise."""
    if not kids:
        return []
    if parent in _BOTH_SIDES:
        out = [k for k in kids if _EXPENDITURE_SIDE.search(k["_subject"])]
        into = [k for k in kids if not _EXPENDITURE_SIDE.search(k["_subject"])]
        if out and into:
            return [("收入方", into), ("支出方", out)]
    return [("", kids)]


def _parts_check(whole: dict, kids: list[dict], parent: str, metric: str, unit: str, side: str) -> Check:
    parts = total([k["_num"] for k in kids])
    names = "、".join(k["_subject"] for k in kids)
    rel = "le" if len(kids) == 1 else "eq"
    broken = "error" if parts.value > whole["_num"].value else "warning"
    note = "各项之和超过总数，不可能是列举不全" if broken == "error" else "各项之和少于总数，可能列举不全"
    copied = [k for k in kids if k["_num"].value and k["_num"].value == whole["_num"].value]
    if len(copied) >= 2:              # a breakdown whose parts each repeat the whole
        note = f"{'、'.join(k['_subject'] for k in copied)}都等于总数 {whole['_num'].label()}：疑为把总数抄进了各项"
    return Check("narrative.parts_sum", f"line {whole.get('line')} {parent} {metric}{' ' + side if side else ''}",
                 f"情况说明第 {whole.get('line')} 行 {parent}{'' if metric in (*LEVEL_METRICS, '辆') else metric}"
                 f"{'（' + side + '）' if side else ''}与其所列各项",
                 parts, whole["_num"], relation="ge" if rel == "le" else "eq", broken=broken,
                 unit=unit, expected_desc=f"{len(kids)} 项之和（{names}）", actual_desc=f"所印{parent}", note=note)


@rule("narrative.change_sum", "情况说明中各类（功能分类）同比增减额之和 = 总的同比增减额（上年可能有本年未列出的类，故为警告）",
      DOMAIN + "（year-on-year statements give the previous year's figures）", severity="warning")
def narrative_change_sum(ctx: AuditContext):
    recs = claims_records(ctx)
    classes = [d for d in recs if d.get("metric") == "同比增减额" and _class_code(d["_subject"])]
    if len(classes) < 2:
        return
    totals = [d for d in recs if d.get("metric") == "同比增减额" and d["_subject"] == "一般公共预算财政拨款支出"]
    if not totals:
        return
    tot = totals[0]
    parts = total([d["_num"] for d in classes])
    names = "、".join(f"{d['_subject']}{d['_num'].label() if d['_num'].value < 0 else '+' + d['_num'].label()}" for d in classes)
    yield Check("narrative.change_sum", f"line {tot.get('line')} 一般公共预算财政拨款支出 同比增减额",
                "一般公共预算财政拨款支出的同比增减额与各类增减额之和", parts, tot["_num"], broken="warning",
                expected_desc=f"{len(classes)} 类增减额之和（{names}）", actual_desc=f"情况说明第 {tot.get('line')} 行所印总增减额（带方向）",
                note="各类增减额与总增减额方向或大小不符；差额只能来自上年有、本年未列出的类，请核实")
