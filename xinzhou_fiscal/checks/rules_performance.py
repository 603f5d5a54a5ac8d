"""Performance self-evaluations (绩效自评表, 财预〔2020〕10号): budget execution, scores, weights,
grades; the narrative's count and grades of project evaluations against the attached tables; the
部门整体 table against the financial tables.

The self-evaluation tables print in Excel's general format (trailing zeros dropped: ``73.1``
beside ``73.10``): every figure is read with at least two decimals (see tolerance.py).
"""
from __future__ import annotations

from xinzhou_fiscal.checks.context import AuditContext, dataset_records
from xinzhou_fiscal.checks.findings import Check, Evidence
from xinzhou_fiscal.checks.registry import rule
from xinzhou_fiscal.checks.rules_narrative import claims_records
from xinzhou_fiscal.checks.textscan import document_rule
from xinzhou_fiscal.checks.tolerance import (
    Num,
    derive,
    exact,
    fmt,
    printed,
    ratio_pct,
    total,
)
from xinzhou_fiscal.numbers import DECIMAL, LazyPattern

REG = "财预〔2020〕10号《项目支出绩效评价管理办法》；../shared/DOMAIN.md「Performance self-evaluation」"
EXEC_POINTS = 10.0
GRADES = (("优", 90.0), ("良", 80.0), ("中", 60.0), ("差", float("-inf")))
_MEASURE_NAMES = {"initial_declared": "年初预算数(目标申报数)", "initial_budget": "年初预算数", "budget": "全年预算数",
                  "executed": "全年执行数", "balance": "资金结(转)余", "execution_rate": "执行率", "score": "得分"}


def grade_of(score: float) -> str:
    for g, low in GRADES:
        if score >= low:
            return g
    return "差"


def _gen_decimals(v: float) -> str:
    """A general-format figure as printed (trailing zeros dropped)."""
    s = f"{v:.6f}".rstrip("0").rstrip(".")
    return s


def pnum(v, project: str, measure: str, line, item: str = "") -> Num:
    """A self-evaluation figure: general format, read with ≥ 2 decimals."""
    text = _gen_decimals(float(v))
    ev = (Evidence("performance", project, "绩效自评表", "", "", item or project, measure, text, float(v), _i(line), None),)
    return printed(float(v), text, min_decimals=2, evidence=ev)


def _i(v):
    try:
        return None if v is None or v != v else int(v)
    except (TypeError, ValueError):
        return None


def _ok(v) -> bool:
    return v is not None and v == v


def perf_data(ctx: AuditContext) -> dict:
    """projects / indicators / fund rows as lists of dicts (cached on the report)."""
    if "perf" in ctx.extras:
        return ctx.extras["perf"]
    rep = ctx.report
    cache = rep.__dict__.get("_audit_perf")
    if cache is None:
        cache = {name: [dict(r) for r in dataset_records(rep, name)] for name in ("projects", "indicators", "funds")}
        rep.__dict__["_audit_perf"] = cache
    ctx.extras["perf"] = cache
    return cache


def _label(p: dict) -> str:
    return "部门整体" if p.get("kind") == "department" else str(p.get("project"))


# ---------------------------------------------------------------- budget rows
@rule("perf.execution_rate", "绩效自评表各资金行：执行率 = 全年执行数 / 全年预算数", REG + "：执行率 = 全年执行数 / 全年预算数")
@document_rule
def execution_rate(ctx: AuditContext):
    for f in perf_data(ctx)["funds"]:
        if not (_ok(f.get("budget")) and _ok(f.get("executed")) and _ok(f.get("execution_rate"))):
            continue
        proj = f["project"]
        b = pnum(f["budget"], proj, "全年预算数", f["line"], f["label"])
        e = pnum(f["executed"], proj, "全年执行数", f["line"], f["label"])
        r = pnum(f["execution_rate"], proj, "执行率", f["line"], f["label"])
        exp = ratio_pct(e, b)
        if exp is None:
            continue
        note = ""
        if _ok(f.get("initial_budget")) and f["initial_budget"]:
            alt = f["executed"] / f["initial_budget"] * 100
            note = f"按年初预算数 {_gen_decimals(f['initial_budget'])} 计算为 {alt:.2f}%，也不等于所印执行率"
            if abs(round(alt, 2) - f["execution_rate"]) < 0.006:
                note = f"所印执行率等于全年执行数 ÷ 年初预算数（{alt:.2f}%），不是 ÷ 全年预算数"
        who = "部门整体" if "部门整体" in str(proj) or "整体" in str(proj) else proj
        yield Check("perf.execution_rate", f"{proj} {f.get('group') or ''} {f['label']} line {f['line']}",
                    f"绩效自评表（{who}）{f.get('group') or ''}“{f['label']}”执行率", exp, r, unit="%",
                    expected_desc=f"全年执行数 {e.label()} ÷ 全年预算数 {b.label()}", actual_desc="所印执行率", note=note)


@rule("perf.execution_score", "预算执行得分 = 执行率 × 10 分（预算执行率指标权重 10 分）", REG + "：the budget-execution indicator is worth 10 points")
@document_rule
def execution_score(ctx: AuditContext):
    for f in perf_data(ctx)["funds"]:
        if not (_ok(f.get("execution_rate")) and _ok(f.get("score"))):
            continue
        proj = f["project"]
        r = pnum(f["execution_rate"], proj, "执行率", f["line"], f["label"])
        s = pnum(f["score"], proj, "得分", f["line"], f["label"])
        exp = derive(lambda x: min(x, 100.0) / 100.0 * EXEC_POINTS, r)
        yield Check("perf.execution_score", f"{proj} {f.get('group') or ''} {f['label']} line {f['line']}",
                    f"绩效自评表（{_short(proj)}）“{f['label']}”预算执行得分", exp, s, unit="分",
                    expected_desc=f"执行率 {r.label()}% × 10 分", actual_desc="所印得分")


@rule("perf.balance", "资金结(转)余 = 全年预算数 − 全年执行数（空白为 0）", "绩效自评表表式（结转结余栏）")
@document_rule
def balance(ctx: AuditContext):
    for f in perf_data(ctx)["funds"]:
        if not (_ok(f.get("budget")) and _ok(f.get("executed"))):
            continue
        proj = f["project"]
        b = pnum(f["budget"], proj, "全年预算数", f["line"], f["label"])
        e = pnum(f["executed"], proj, "全年执行数", f["line"], f["label"])
        bal = pnum(f["balance"], proj, "资金结(转)余", f["line"], f["label"]) if _ok(f.get("balance")) else \
            Num(0.0, 0.0, "", (Evidence("performance", proj, "绩效自评表", "", "", f["label"], "资金结(转)余", "", None, _i(f["line"])),))
        exp = derive(lambda x, y: x - y, b, e)
        yield Check("perf.balance", f"{proj} {f.get('group') or ''} {f['label']} line {f['line']}",
                    f"绩效自评表（{_short(proj)}）“{f['label']}”资金结(转)余", exp, bal,
                    expected_desc=f"全年预算数 {b.label()} − 全年执行数 {e.label()}", actual_desc="所印结(转)余")


def _short(proj) -> str:
    return "部门整体" if "整体" in str(proj) else str(proj)


@rule("perf.fund_rows", "资金总额行 = 其下各资金行之和（逐栏）；同一表的两个资金总额行（按来源、按方向）逐栏相同",
      "绩效自评表表式（资金总额 = 各资金来源/方向之和）")
@document_rule
def fund_rows(ctx: AuditContext):
    by_proj: dict = {}
    for f in perf_data(ctx)["funds"]:
        by_proj.setdefault(f["project"], []).append(f)
    for proj, rows in by_proj.items():
        groups: dict = {}
        for f in rows:
            groups.setdefault(f.get("group") or "", []).append(f)
        totals = []
        for g, grows in groups.items():
            head = [f for f in grows if "资金总额" in f["label"] or f["label"] in ("合计", "总计")]
            kids = [f for f in grows if f not in head]
            if not head:
                continue
            totals.append(head[0])
            if not kids:
                continue
            for mk in ("initial_budget", "budget", "executed", "balance"):
                vals = [k for k in kids if _ok(k.get(mk))]
                if not vals and not _ok(head[0].get(mk)):
                    continue
                parts = total([pnum(k[mk], proj, _MEASURE_NAMES[mk], k["line"], k["label"]) for k in vals])
                act = pnum(head[0][mk], proj, _MEASURE_NAMES[mk], head[0]["line"], head[0]["label"]) if _ok(head[0].get(mk)) \
                    else Num(0.0, 0.0, "", ())
                yield Check("perf.fund_rows", f"{proj} {g} {mk}", f"绩效自评表（{_short(proj)}）{g}资金总额的{_MEASURE_NAMES[mk]}",
                            parts, act, expected_desc=f"{'、'.join(k['label'] for k in kids)}之和", actual_desc="资金总额行")
        for a, b in zip(totals, totals[1:]):
            for mk in ("initial_budget", "budget", "executed", "balance", "execution_rate", "score"):
                if not (_ok(a.get(mk)) and _ok(b.get(mk))):
                    continue
                na = pnum(a[mk], proj, _MEASURE_NAMES[mk], a["line"], f"{a.get('group')}资金总额")
                nb = pnum(b[mk], proj, _MEASURE_NAMES[mk], b["line"], f"{b.get('group')}资金总额")
                yield Check("perf.fund_rows", f"{proj} 资金总额 line {a['line']}↔{b['line']} {mk}",
                            f"绩效自评表（{_short(proj)}）两个资金总额行的{_MEASURE_NAMES[mk]}", na, nb,
                            unit="%" if mk == "execution_rate" else ("分" if mk == "score" else "万元"),
                            expected_desc=f"第 {a['line']} 行（{a.get('group')}）", actual_desc=f"第 {b['line']} 行（{b.get('group')}）",
                            note="同一笔资金总额的两行应完全相同")


# ---------------------------------------------------------------- indicators, total, grade
def _indicators_by_project(ctx: AuditContext) -> dict:
    data = perf_data(ctx)
    if "by_project" not in data:
        out: dict = {}
        for i in data["indicators"]:
            out.setdefault(i["project"], []).append(i)
        data["by_project"] = out
    return data["by_project"]


def _main_fund(ctx: AuditContext, proj: str) -> dict | None:
    for f in perf_data(ctx)["funds"]:
        if f["project"] == proj and _ok(f.get("score")):
            return f
    return None


@rule("perf.indicator_score", "每个指标 0 ≤ 得分 ≤ 分值", REG + "（指标得分不超过其分值）")
@document_rule
def indicator_score(ctx: AuditContext):
    for proj, inds in _indicators_by_project(ctx).items():
        for i in inds:
            if not (_ok(i.get("weight")) and _ok(i.get("score"))):
                continue
            w = pnum(i["weight"], proj, "分值", i["line"], i.get("level3") or "")
            s = pnum(i["score"], proj, "得分", i["line"], i.get("level3") or "")
            yield Check("perf.indicator_score", f"{proj} line {i['line']}", f"绩效自评表（{_short(proj)}）指标“{i.get('level3')}”得分",
                        w, s, relation="le", unit="分", expected_desc="分值（上限）", actual_desc="得分")


@rule("perf.weights", "各指标分值之和 + 预算执行率 10 分 = 100 分", REG + "：total 100 points; budget execution 10, the other indicators 90")
@document_rule
def weights(ctx: AuditContext):
    for p in perf_data(ctx)["projects"]:
        inds = _indicators_by_project(ctx).get(p["project"], [])
        if not inds:
            continue
        ws = [pnum(i["weight"], p["project"], "分值", i["line"], i.get("level3") or "") for i in inds if _ok(i.get("weight"))]
        exp = total([*ws, exact(EXEC_POINTS)])
        full = exact(100.0, (Evidence("performance", p["project"], "绩效自评表", "", "", _label(p), "满分", "100", 100.0,
                                      _i(p.get("indicator_header_line"))),))
        yield Check("perf.weights", f"{p['project']}", f"绩效自评表（{_short(p['project'])}）分值合计", full, exp, unit="分",
                    expected_desc="满分 100 分", actual_desc=f"{len(ws)} 个指标的分值之和 + 预算执行 10 分",
                    note="分值合计不是 100 分：指标体系不完整或有漏印的指标行")


@rule("perf.level_weights", "一级/二级指标所印权重（如“产出指标50”）= 其下各指标分值之和", "绩效自评表表式（一级、二级指标权重）")
@document_rule
def level_weights(ctx: AuditContext):
    for proj, inds in _indicators_by_project(ctx).items():
        for level, wcol in (("level1", "level1_weight"), ("level2", "level2_weight")):
            printed_w = {}
            for i in inds:
                if _ok(i.get(wcol)):
                    printed_w.setdefault(i.get(level), i)
            for name, first in printed_w.items():
                rows = [i for i in inds if i.get(level) == name and _ok(i.get("weight"))]
                parts = total([pnum(i["weight"], proj, "分值", i["line"], i.get("level3") or "") for i in rows])
                act = pnum(first[wcol], proj, f"{name}权重", first["line"], name)
                yield Check("perf.level_weights", f"{proj} {name}", f"绩效自评表（{_short(proj)}）{name}所印权重", parts, act,
                            unit="分", expected_desc=f"其下 {len(rows)} 个指标的分值之和", actual_desc=f"“{name}{_gen_decimals(first[wcol])}”")


@rule("perf.total_score", "总分 = 各指标得分之和 + 预算执行得分", REG + "：总分 = sum of indicator scores + execution score")
@document_rule
def total_score(ctx: AuditContext):
    for p in perf_data(ctx)["projects"]:
        inds = _indicators_by_project(ctx).get(p["project"], [])
        f = _main_fund(ctx, p["project"])
        if not inds or f is None or not _ok(p.get("total_score")):
            continue
        ss = [pnum(i["score"], p["project"], "得分", i["line"], i.get("level3") or "") for i in inds if _ok(i.get("score"))]
        es = pnum(f["score"], p["project"], "预算执行得分", f["line"], f["label"])
        exp = total([*ss, es])
        act = pnum(p["total_score"], p["project"], "总分", p.get("total_line"), "总分")
        yield Check("perf.total_score", f"{p['project']}", f"绩效自评表（{_short(p['project'])}）总分", exp, act, unit="分",
                    expected_desc=f"{len(ss)} 个指标得分之和 {fmt(total(ss).value)} + 预算执行得分 {es.label()}", actual_desc="所印总分")


@rule("perf.grade", "等级与总分相符：优 ≥ 90，良 80–<90，中 60–<80，差 < 60（按所印总分为错误；按重算总分为警告）",
      REG + "：grade 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60", severity="error (printed total) / warning (recomputed total)")
@document_rule
def grade(ctx: AuditContext):
    for p in perf_data(ctx)["projects"]:
        g = p.get("grade")
        if not g or g != g or not _ok(p.get("total_score")):
            continue
        ev = (Evidence("performance", p["project"], "绩效自评表", "", "", "总分", "等级", f"{_gen_decimals(p['total_score'])} {g}",
                       float(p["total_score"]), _i(p.get("total_line"))),)
        exp_g = grade_of(p["total_score"])
        yield Check("perf.grade", f"{p['project']} printed", f"绩效自评表（{_short(p['project'])}）按所印总分 {_gen_decimals(p['total_score'])} 的等级",
                    status="ok" if exp_g == g else "error", expected_label=exp_g, actual_label=g, unit="",
                    evidence_actual=ev, note=f"总分 {_gen_decimals(p['total_score'])} 应评为“{exp_g}”，表中印“{g}”")
        inds = _indicators_by_project(ctx).get(p["project"], [])
        f = _main_fund(ctx, p["project"])
        if not inds or f is None:
            continue
        recomputed = sum(i["score"] for i in inds if _ok(i.get("score"))) + f["score"]
        rg = grade_of(round(recomputed, 6))
        if rg != g:
            yield Check("perf.grade", f"{p['project']} recomputed", f"绩效自评表（{_short(p['project'])}）按重算总分 {fmt(recomputed)} 的等级",
                        status="warning", expected_label=rg, actual_label=g, unit="", evidence_actual=ev,
                        note=f"各指标得分加预算执行得分为 {fmt(recomputed)} 分，应评为“{rg}”，表中印“{g}”（总分本身的差错见 perf.total_score）")


# ---------------------------------------------------------------- analysis text vs the table
_RATE_TEXT = LazyPattern(rf"(预算)?执行率\s*(?:为|达到|达|是)?\s*({DECIMAL})\s*[%％]")
_EXEC_TEXT = LazyPattern(rf"(预算执行数为|预算完成|全年财政预算支出)\s*({DECIMAL})\s*万元")


@rule("perf.text_rate", "自评表文字中的（预算）执行率、执行数 = 表中所印执行率、全年执行数（文字只说“执行率”而未说“预算执行率”时可能指别的执行率，为警告）",
      "绩效自评表（文字分析与表中数字是同一数字）", severity="error (预算执行率 / 执行数) / warning (bare 执行率)")
@document_rule
def text_rate(ctx: AuditContext):
    rep = ctx.report
    projects = perf_data(ctx)["projects"]
    lines = rep.document.lines
    starts = [(_i(p.get("title_line")), p) for p in projects if _i(p.get("title_line"))]
    starts.sort(key=lambda x: x[0])
    for k, (start, p) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines) + 1
        f = next((x for x in perf_data(ctx)["funds"] if x["project"] == p["project"]), None)
        if f is None or not _ok(f.get("execution_rate")):
            continue
        rate = pnum(f["execution_rate"], p["project"], "执行率", f["line"], f["label"])
        exe = pnum(f["executed"], p["project"], "全年执行数", f["line"], f["label"]) if _ok(f.get("executed")) else None
        computed = ratio_pct(exe, pnum(f["budget"], p["project"], "全年预算数", f["line"], f["label"])) \
            if exe is not None and _ok(f.get("budget")) else None
        for ln in lines[start: end - 1]:
            for pat, ref, unit, what in ((_RATE_TEXT, rate, "%", "执行率"), (_EXEC_TEXT, exe, "万元", "执行数")):
                if ref is None:
                    continue
                for m in pat.finditer(ln.text):
                    text = m.group(2)
                    broken = "error" if m.group(1) else "warning"
                    ev = (Evidence("performance", p["project"], "绩效自评表文字", "", "", _short(p["project"]), what,
                                   m.group(0), float(text), ln.line, ln.page),)
                    stated = printed(float(text), text, evidence=ev)
                    yield Check("perf.text_rate", f"{p['project']} line {ln.line} {m.start()}",
                                f"绩效自评表（{_short(p['project'])}）第 {ln.line} 行文字中的{what}", ref, stated, unit=unit,
                                broken=broken, expected_desc=f"表中所印{what}", actual_desc=f"文字“{m.group(0)}”",
                                underlying=computed if unit == "%" else None,
                                note="" if broken == "error" else "文字只说“执行率”，可能指补助发放等其他执行率，故为警告")


# ---------------------------------------------------------------- narrative ↔ attached tables
def _project_claims(ctx: AuditContext):
    return [d for d in claims_records(ctx) if "绩效自评" in d["_subject"] and d.get("unit") == "个"]


@rule("perf.narrative_count", "情况说明所说项目自评个数 与 附件中项目自评表张数（说多附少为警告：可能未全部附上；附多说少为错误）",
      "情况说明（预算绩效情况说明）与附件", severity="warning if fewer tables than stated, error if more")
@document_rule
def narrative_count(ctx: AuditContext):
    tables = [p for p in perf_data(ctx)["projects"] if p.get("kind") == "project"]
    for d in _project_claims(ctx):
        q = d.get("qualifier")
        if q and q == q:
            continue
        attached = exact(len(tables), tuple(Evidence("performance", p["project"], "绩效自评表", "", "", p["project"], "项目自评表",
                                                     "", None, _i(p.get("title_line"))) for p in tables))
        broken = "error" if len(tables) > d["value"] else "warning"
        yield Check("perf.narrative_count", f"line {d.get('line')}", "项目绩效自评个数（情况说明 ↔ 附件）", attached, d["_num"],
                    unit="个", broken=broken, expected_desc=f"附件中的项目支出绩效自评表 {len(tables)} 张",
                    actual_desc=f"情况说明第 {d.get('line')} 行所说个数",
                    note="情况说明所说的个数多于附上的自评表，可能有自评表未公开" if broken == "warning" else
                    "附上的自评表多于情况说明所说的个数")


@rule("perf.narrative_grades", "情况说明所说各等级项目个数 与 附件自评表所印等级（附件某等级多于所说为错误；少于所说为警告，除非未附的张数不够解释差额）",
      "情况说明（预算绩效情况说明）与附件", severity="error / warning")
@document_rule
def narrative_grades(ctx: AuditContext):
    tables = [p for p in perf_data(ctx)["projects"] if p.get("kind") == "project"]
    claims = _project_claims(ctx)
    stated_total = next((d for d in claims if not (d.get("qualifier") and d.get("qualifier") == d.get("qualifier"))), None)
    by_grade = {d.get("qualifier"): d for d in claims if d.get("qualifier") and d.get("qualifier") == d.get("qualifier")}
    if not by_grade:
        return
    shortfall = 0
    for g, _ in GRADES:
        d = by_grade.get(g)
        if d is None:
            continue
        hits = [p for p in tables if p.get("grade") == g]
        attached = exact(len(hits), tuple(Evidence("performance", p["project"], "绩效自评表", "", "", p["project"], "等级",
                                                    f"{_gen_decimals(p['total_score']) if _ok(p.get('total_score')) else ''} {g}",
                                                    None, _i(p.get("total_line"))) for p in hits))
        broken = "error" if len(hits) > d["value"] else "warning"
        shortfall += max(0, int(d["value"]) - len(hits))
        names = "、".join(p["project"] for p in hits)
        yield Check("perf.narrative_grades", f"line {d.get('line')} {g}", f"自评等级为“{g}”的项目个数（情况说明 ↔ 附件）", attached,
                    d["_num"], unit="个", broken=broken, expected_desc=f"附件中印“{g}”的自评表 {len(hits)} 张" + (f"：{names}" if names and len(hits) <= 4 else ""),
                    actual_desc="情况说明所说个数",
                    note="附件中该等级的自评表多于情况说明所说的个数" if broken == "error"
                    else "情况说明所说个数多于附件中该等级的自评表，差额只能来自未附上的自评表")
    stated_sum = total([d["_num"] for d in by_grade.values()])
    if stated_total is not None:
        yield Check("perf.narrative_grades", f"line {stated_total.get('line')} sum", "各等级项目个数之和 = 自评项目个数（情况说明自身）",
                    stated_sum, stated_total["_num"], unit="个", expected_desc="优、良、中、差个数之和", actual_desc="所说自评个数")
        missing = int(stated_total["value"]) - len(tables)
        ev = tuple(d["_num"].evidence[0] for d in by_grade.values())
        yield Check("perf.narrative_grades", f"line {stated_total.get('line')} unattached",
                    "未附上的自评表能否解释各等级的差额", exact(max(missing, 0), stated_total["_num"].evidence),
                    exact(shortfall, ev), relation="le", unit="个",
                    expected_desc=f"未附上的自评表 {stated_total['_num'].label()} − {len(tables)} = {max(missing, 0)} 张（上限）",
                    actual_desc="各等级“所说多于附件”的差额之和",
                    note="即使未附上的自评表全部计入，也无法使各等级个数与情况说明一致")


@rule("perf.narrative_funds", "附件项目自评表的全年执行数之和 ≤ 情况说明所说“涉及资金”（下限关系）", "情况说明（预算绩效情况说明）与附件",
      severity="warning")
@document_rule
def narrative_funds(ctx: AuditContext):
    tables = [p for p in perf_data(ctx)["projects"] if p.get("kind") == "project" and _ok(p.get("executed"))]
    for d in claims_records(ctx):
        if "绩效自评" in d["_subject"] and d.get("metric") == "涉及资金" and d.get("unit") == "万元" and tables:
            s = total([pnum(p["executed"], p["project"], "全年执行数", p.get("budget_line"), p["project"]) for p in tables])
            yield Check("perf.narrative_funds", f"line {d.get('line')}", "项目自评涉及资金（情况说明）不少于附件各表全年执行数之和",
                        s, d["_num"], relation="ge", broken="warning",
                        expected_desc=f"{len(tables)} 张自评表的全年执行数之和（下限）", actual_desc="情况说明所说涉及资金")


# ---------------------------------------------------------------- 部门整体 vs the financial tables
@rule("perf.department_vs_tables", "部门整体自评表 全年执行数（总额、基本、项目）与决算表（{t:general_budget_expenditure}）；年初预算数与情况说明所说年初预算（口径可能不同，为警告）",
      "部门整体绩效自评表与{t:general_budget_expenditure}、情况说明", severity="warning")
def department_vs_tables(ctx: AuditContext):
    funds = [f for f in perf_data(ctx)["funds"] if "整体" in str(f["project"])]
    if not funds or ctx.status.get("general_budget_expenditure") != "parsed":
        return
    t05 = "general_budget_expenditure"
    pairs = []
    for f in funds:
        lab = f["label"]
        if "资金总额" in lab and not any("资金总额" in x[0]["label"] for x in pairs):
            pairs.append((f, ctx.coded_num(t05, "", "total"), "{t:general_budget_expenditure} 合计 小计"))
        elif lab == "基本支出":
            pairs.append((f, ctx.coded_num(t05, "", "basic"), "{t:general_budget_expenditure} 合计 基本支出"))
        elif lab == "项目支出":
            pairs.append((f, ctx.coded_num(t05, "", "project"), "{t:general_budget_expenditure} 合计 项目支出"))
    for f, tab, desc in pairs:
        if not _ok(f.get("executed")):
            continue
        e = pnum(f["executed"], f["project"], "全年执行数", f["line"], f["label"])
        yield Check("perf.department_vs_tables", f"{f['label']} executed", f"部门整体自评表“{f['label']}”全年执行数与决算表", tab, e,
                    broken="warning", expected_desc=desc, actual_desc="部门整体自评表所印全年执行数",
                    note="自评表的执行数取自预算执行系统（指标确认数），与决算口径可能不同；差额应有说明")
    head = next((f for f in funds if "资金总额" in f["label"] and _ok(f.get("initial_budget"))), None)
    stated = next((d for d in claims_records(ctx) if d["_subject"] == "一般公共预算财政拨款支出" and d.get("metric") == "年初预算"), None)
    if head is not None and stated is not None:
        yield Check("perf.department_vs_tables", "initial budget", "部门整体自评表年初预算数与情况说明所说年初预算", stated["_num"],
                    pnum(head["initial_budget"], head["project"], "年初预算数", head["line"], head["label"]), broken="warning",
                    expected_desc=f"情况说明第 {stated.get('line')} 行 一般公共预算财政拨款支出年初预算", actual_desc="部门整体自评表资金总额 年初预算数",
                    note="两处年初预算口径可能不同（资金总额含非财政拨款支出？），但都指一般公共预算，差额应有说明")


@rule("perf.projects_within_department", "各项目自评表全年执行数之和 ≤ 部门整体自评表 项目支出全年执行数（下限关系）", "部门整体与项目支出绩效自评表",
      severity="warning")
@document_rule
def projects_within_department(ctx: AuditContext):
    funds = [f for f in perf_data(ctx)["funds"] if "整体" in str(f["project"]) and f["label"] == "项目支出" and _ok(f.get("executed"))]
    tables = [p for p in perf_data(ctx)["projects"] if p.get("kind") == "project" and _ok(p.get("executed"))]
    if not funds or not tables:
        return
    f = funds[0]
    s = total([pnum(p["executed"], p["project"], "全年执行数", p.get("budget_line"), p["project"]) for p in tables])
    yield Check("perf.projects_within_department", "项目支出", "部门整体“项目支出”全年执行数不少于各项目自评表之和", s,
                pnum(f["executed"], f["project"], "全年执行数", f["line"], f["label"]), relation="ge", broken="warning",
                expected_desc=f"{len(tables)} 张项目自评表全年执行数之和（下限）", actual_desc="部门整体自评表 项目支出 全年执行数")
