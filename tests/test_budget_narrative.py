"""The narrative of a budget (部门预算 情况说明 / 编制说明, issue #25 points 4–5): its claims, its ledger
and its audit against its own tables. Every figure, page and quoted word below was typed from the PDFs
(read page by page with pdfplumber's extract_text), never copied from the code's output."""
from __future__ import annotations

import copy
import dataclasses
import functools

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths
from xinzhou_fiscal.report.parse import build_report

RAW = paths.PROJECT_ROOT / "data" / "raw"
SWU = RAW / "chongqing_swu_2023_budget.pdf"
SHANGHAI = RAW / "shanghai_shi_czj_2025_budget.pdf"
JIANGSU = paths.PROJECT_ROOT.parent / "shared" / "samples" / "jiangsu_sheng_rdcwh_2019_budget.pdf"


@functools.cache
def _report(path):
    return xf.read_report(path)


def _claims(path) -> list[dict]:
    return _report(path).claims.to_dict("records")


def _one(path, page: int, words: str, **match) -> dict:
    """The one claim printed on ``page`` whose sentence holds ``words`` and whose columns equal ``match``."""
    hits = [c for c in _claims(path) if c["page"] == page and words in c["sentence"]
            and all(c[k] == v for k, v in match.items())]
    assert len(hits) == 1, (words, match, [(c["subject"], c["metric"], c["value"]) for c in hits])
    return hits[0]


# ---------------------------------------------------------------- 西南大学 2023 budget, pages 11–13
def test_swu_total_and_sources():
    # p11 “我校 2023 年收支总预算 557,259.13 万元，其中本年收入预算 403,484.64 万元”
    total = _one(SWU, 11, "收支总预算", subject="收入支出总计", metric="预算数")
    assert total["value"] == 557259.13 and total["unit"] == "万元"
    assert _one(SWU, 11, "收支总预算", subject="本年收入合计")["value"] == 403484.64
    # p11 “财政拨款收入 230,876.38 万元，占 41.43%”
    grant = _one(SWU, 11, "财政拨款", subject="财政拨款收入", metric="预算数")
    assert grant["value"] == 230876.38 and grant["parent"] == "收入总计"
    share = _one(SWU, 11, "财政拨款", subject="财政拨款收入", metric="占比")
    assert share["value"] == 41.43 and share["basis"] == "收入总计"
    # p11 “上年结转 93,801.70 万元，占 16.84%” (the PDF spaces this line with tabs)
    assert _one(SWU, 11, "上年结转", subject="上年结转", metric="预算数", parent="收入总计")["value"] == 93801.70


def test_swu_fiscal_grant_classes_and_changes():
    # p12 “其中教育支出 208,613.34 万元，占 90.36%；科学技术支出 1,178.72 万元，占 0.51%；…”
    science = _one(SWU, 12, "科学技术支出", subject="科学技术支出", metric="预算数", parent="财政拨款支出")
    assert science["value"] == 1178.72
    # p13 “2023 年当年财政拨款支出预算与上年全年预算数相比增加 2,898.54 万元”
    change = _one(SWU, 13, "与上年全年预算数相比", subject="财政拨款支出", metric="同比增减额")
    assert (change["value"], change["direction"], change["basis"]) == (2898.54, "增加", "上年全年预算")
    # p13 “3.科学技术支出比上年减少 1,985.18 万元”
    cut = _one(SWU, 13, "科学技术支出比上年减少", subject="科学技术支出", metric="同比增减额")
    assert (cut["value"], cut["signed_value"]) == (1985.18, -1985.18)


def test_swu_ledger_has_no_problem_and_classifies_the_charts():
    led = _report(SWU).narrative_ledger.to_dict("records")
    assert not [t for t in led if t["outcome"] == "problem"]
    # p11 the chart 预算收入构成情况 prints its labels 16.84% / 41.43% / 10.76% … under the prose
    charts = {(t["token"], t["page"]) for t in led if t["reason"] == "chart"}
    assert {("16.84", 11), ("41.43", 11), ("77.94", 12), ("90.36", 13)} <= charts
    # p13 “减少了一个 206 基建项目”: a number in a name
    assert any(t["token"] == "206" and t["reason"] == "name" and t["page"] == 13 for t in led)


# ---------------------------------------------------------------- 上海市财政局 2025 budget, pages 6 and 21
def test_shanghai_total_source_and_change():
    # p6 “2025年，上海市财政局收入预算17,192万元，其中：财政拨款收入17,192万元，比2024年预算减少990万元”
    assert _one(SHANGHAI, 6, "收入预算17,192", subject="收入总计", metric="预算数")["value"] == 17192
    change = _one(SHANGHAI, 6, "收入预算17,192", subject="财政拨款收入", metric="同比增减额")
    assert (change["value"], change["direction"], change["compare_year"], change["basis"]) == \
        (990, "减少", 2024, "上年预算")
    # p6 “政府性基金拨款支出预算为0”: a 0 needs no unit
    zero = _one(SHANGHAI, 6, "政府性基金拨款支出预算为0", subject="政府性基金拨款支出")
    assert (zero["value"], zero["metric"], zero["printed_unit"]) == (0, "预算数", "")


def test_shanghai_three_public_admin_procurement_targets_assets():
    # p21 “2025年“三公”经费预算数为346.30万元，与2024年预算持平。其中：（一）因公出国（境）费288.70万元”
    assert _one(SHANGHAI, 21, "346.30", subject="三公经费", metric="预算数")["value"] == 346.30
    same = _one(SHANGHAI, 21, "346.30", subject="三公经费", metric="同比增减额")
    assert (same["direction"], same["implied"], same["compare_year"]) == ("持平", True, 2024)
    assert _one(SHANGHAI, 21, "288.70", subject="因公出国（境）费", parent="三公经费")["value"] == 288.70
    # p21 “机关运行经费预算为2,517.78万元”
    assert _one(SHANGHAI, 21, "2,517.78", subject="机关运行经费", metric="预算数")["value"] == 2517.78
    # p21 “政府采购预算1,708.03万元，其中：政府采购货物预算42.50万元、…工程预算0.00万元、…服务预算1,665.53万元”
    assert _one(SHANGHAI, 21, "1,708.03", subject="政府采购", metric="预算数")["value"] == 1708.03
    assert _one(SHANGHAI, 21, "1,708.03", subject="政府采购服务", parent="政府采购")["value"] == 1665.53
    # p21 “编报绩效目标的项目共12个，涉及项目预算资金4,222.51万元”
    assert _one(SHANGHAI, 21, "编报绩效目标", subject="绩效目标项目", metric="个")["value"] == 12
    assert _one(SHANGHAI, 21, "编报绩效目标", metric="涉及资金")["value"] == 4222.51
    # p21 “单价100万元（含）以上设备（不含车辆）1台（套）”
    assert _one(SHANGHAI, 21, "设备（不含车辆）1台", metric="台套")["value"] == 1


def test_shanghai_ledger_has_no_problem():
    led = _report(SHANGHAI).narrative_ledger.to_dict("records")
    assert not [t for t in led if t["outcome"] == "problem"]
    # p21 “截至2024年8月31日”: a date; “单价100万元（含）以上”: a threshold
    assert {("8", "date"), ("31", "date"), ("100", "threshold")} <= \
        {(t["token"], t["reason"]) for t in led if t["page"] == 21}


def test_shanghai_narrative_part_is_its_two_pieces_only():
    """The 目录 (p2) lists 三、名词解释 四、单位预算编制说明 五、单位预算表 六、其他相关情况说明; the body prints
    名词解释 (p5), 2025年单位预算编制说明 (p6), the nine tables (pp. 7–20) and 其他相关情况说明 (p21). The
    narrative is the two pieces p6 and p21: neither the glossary nor a table page is in it."""
    parts = _report(SHANGHAI).parts.to_dict("records")
    used = [(p["kind"], p["heading"], p["page"], p["last_page"]) for p in parts if p["status"] == "used"]
    assert used == [("glossary", "名词解释", 5, 5), ("narrative", "2025年单位预算编制说明", 6, 6),
                    ("tables", "五、单位预算表", 7, 20), ("narrative", "其他相关情况说明", 21, 21)]
    from xinzhou_fiscal.text.parts import find_parts
    narrative = find_parts(_report(SHANGHAI).document)["narrative"]
    texts = [ln.text for ln in narrative.lines]
    # p6 last line “4.“住房保障支出”科目2,180万元，主要用于缴纳在职人员住房公积金等住房改革支出。”
    first_piece = [ln for ln in narrative.pieces[0].lines if ln.text.strip()]
    assert first_piece[-1].page == 6 and "科目2,180万元" in first_piece[-1].text
    # p21 last line “辆）0台（套）。”
    assert narrative.lines[-1].page == 21 and narrative.lines[-1].text.strip().endswith("0台（套）。")
    assert {ln.page for ln in narrative.lines} == {6, 21}
    assert not [t for t in texts if "名词解释" in t or "财政拨款收入：是市级预算主管部门" in t]   # p5
    assert not [t for t in texts if "171,915,169" in t]                                         # p7 收入总计


def test_shanghai_ledger_counts():
    """The ledger holds only the narrative's tokens (pp. 6 and 21): no table row, no 机构设置 (p4 设22个)."""
    r = _report(SHANGHAI)
    led = r.narrative_ledger.to_dict("records")
    assert {t["page"] for t in led} == {6, 21}
    assert not [t for t in led if t["reason"] == "table"] and not [t for t in led if t["token"] == "22"]
    counts = {o: sum(t["outcome"] == o for t in led) for o in ("claim", "non-claim", "problem")}
    # claims: p6 17 (收入预算17,192 … 为0 twice … “住房保障支出”科目2,180), p21 33 (三公 6, 机关运行经费 1,
    # 采购 4, 绩效目标 2, 车辆 9 + 设备 1 twice); non-claims: p6 5 years + 4 ordinals (1. … 4.), p21 13 years,
    # 8月31日 (2 dates), 单价100万元（含）以上 twice (2 thresholds)
    assert counts == {"claim": 50, "non-claim": 26, "problem": 0}


# ---------------------------------------------------------------- the audit against the tables
def _budget_checks(report) -> list[dict]:
    f = xf.audit(report, include_passed=True)
    return f[f.rule == "narrative.budget_amount"].to_dict("records")


def test_swu_narrative_agrees_with_its_tables():
    checks = _budget_checks(_report(SWU))
    assert checks and all(c["severity"] == "ok" for c in checks)
    # p12 教育支出 208,613.34 (财政拨款) against 财政拨款支出预算表 205 教育支出 208,613.34 (p10)
    edu = [c for c in checks if "教育支出" in c["subject"] and c["actual"] == 208613.34]
    assert edu and edu[0]["expected"] == 208613.34


def test_shanghai_rounded_narrative_is_within_the_tolerance():
    # p6 “收入预算17,192万元” against 收入总计 171,915,169 元 = 17,191.5169 万元 (p7): rounded, not an error
    checks = _budget_checks(_report(SHANGHAI))
    total = [c for c in checks if c["subject"].endswith("收入总计 预算数")]
    assert total and total[0]["severity"] == "ok" and total[0]["expected"] == pytest.approx(17191.5169)
    # p21 三公 346.30 = 表9 合计 346.30 (p20)
    assert any(c["subject"].endswith("三公经费 预算数") and c["severity"] == "ok" for c in checks)


def test_a_narrative_figure_that_misses_its_table_is_an_error():
    """SWU p12 教育支出 208,613.34 changed to 208,618.34 in the document: one error."""
    doc = copy.copy(_report(SWU).document)
    doc.lines = [dataclasses.replace(ln, text=ln.text.replace("208,613.34", "208,618.34"))
                 if ln.page == 12 else ln for ln in doc.lines]
    errors = [c for c in _budget_checks(build_report(doc, "swu-mutated")) if c["severity"] == "error"]
    assert len(errors) == 1 and errors[0]["actual"] == 208618.34 and errors[0]["expected"] == 208613.34


# ---------------------------------------------------------------- 江苏省人大常委会办公厅 2019 budget
@pytest.mark.skipif(not JIANGSU.exists(), reason="../shared/samples/jiangsu_sheng_rdcwh_2019_budget.pdf is absent")
def test_jiangsu_leftovers_are_found_and_not_read_as_figures():
    r = _report(JIANGSU)
    led = r.narrative_ledger.to_dict("records")
    # p9 “（2）政府性基金收入预算0万元，与上年相比增加（减少）0万元，增长（减少）0%。”, the same for 财政专户,
    # 其他资金 and 上年结转 (p9, its leftover runs onto p10: the PDF line starts on p9); p16 “比上年预算增加（减少）
    # 0万元” twice and “增加（减少）0万元，增长（减少）0%”: 12 figures
    leftovers = [t for t in led if t["reason"] == "template leftover"]
    assert len(leftovers) == 12 and {t["page"] for t in leftovers} == {9, 16}
    assert all(t["token"] == "0" for t in leftovers)
    assert not [c for c in r.claims.to_dict("records") if "减少）" in c["subject"]]
    f = xf.audit(r)
    # one error per sentence that keeps 增加（减少）: p9 (2) and 2–4, p16 (1), (2) and 十 — seven, none doubted now
    # that the reader joins the paragraphs at the document's own line pitch (docs/pdf.md)
    assert len(f[(f.rule == "text.leftover") & (f.severity == "error")]) == 7
    assert f[f.rule == "text.leftover"].severity.eq("error").all()
    # p9 “收入、支出预算总计18330.37万元，与上年相比收、支预算总计各增加2432.93万元，增长15.3%”
    c = _one(JIANGSU, 9, "收入、支出预算总计", subject="收入支出总计", metric="同比增减率")
    assert (c["value"], c["direction"]) == (15.3, "增加")


@pytest.mark.skipif(not JIANGSU.exists(), reason="../shared/samples/jiangsu_sheng_rdcwh_2019_budget.pdf is absent")
def test_jiangsu_reason_clauses():
    """A figure after 主要原因 is a claim only with a subject of its own; else a classified non-claim."""
    r = _report(JIANGSU)
    led = r.narrative_ledger.to_dict("records")
    why = [(t["page"], t["token"], t["reason"]) for t in led if "reason clause" in str(t["reason"])]
    # p10 “主要原因是运转类项目经费统一压减10%，…增减相抵后项目支出预算数增加125.62万元”; p12 “相关运转类经费压减10%，
    # 增加综合管理费209万元…，增加外事经费200万元，增减相抵后增加123.67万元” and “增加了…专项经费200万元，其余会议费按照
    # 规定压减10%，增减相抵后增加164.48万元”; p13 “按照规定运转类专项经费压减10%” five times, “增加…专项经费23.3万元”,
    # “扶贫经费压减10万元”; p16 “按规定运转类专项经费统一压减10%” four times, “根据实际开支人代会专项经费增加200万元”,
    # “增减相抵后增加164.48万元”: 21 figures (“扶贫经费压减10万元” names its own subject: a claim, below)
    assert len(why) == 21
    assert sum(1 for w in why if w[2] == "rate in a reason clause") == 12      # 压减10%: p10 1, p12 2, p13 5, p16 4
    assert (12, "209", "amount in a reason clause") in why and (16, "164.48", "amount in a reason clause") in why
    claims = r.claims.to_dict("records")
    assert not [c for c in claims if c["subject"].endswith("压") or c["subject"].startswith(("增加", "增减相抵后"))]
    # subjects of their own stay claims: p10 “外事经费专项增加200万元”, p13 “信息化建设经费增加35万元”,
    # p17 “工会经费人均定额增加1000元” (0.1 万元)
    assert _one(JIANGSU, 10, "外事经费专项增加200万元", subject="外事经费专项")["value"] == 200
    assert _one(JIANGSU, 13, "信息化建设经费增加35万元", subject="信息化建设经费")["value"] == 35
    assert _one(JIANGSU, 17, "工会经费人均定额", metric="同比增减额")["value"] == pytest.approx(0.1)
    # p13 “扶贫经费压减10万元”: 压减 is the change word, 扶贫经费 the subject, the change a decrease
    cut = _one(JIANGSU, 13, "扶贫经费压减10万元", subject="扶贫经费")
    assert (cut["value"], cut["unit"], cut["direction"], cut["direction_word"]) == (10, "万元", "减少", "压减")
    assert cut["metric"] == "同比增减额" and cut["signed_value"] == -10
    # the rates of a rule applied across the board stay non-claims: p12 “相关运转类经费压减10%”, “其余会议费按照
    # 规定压减10%”; p16 “按规定运转类专项经费统一压减10%”
    assert not [c for c in claims if c["subject"].startswith(("相关", "其余")) or c["subject"].endswith(("统一", "规定"))]


@pytest.mark.skipif(not JIANGSU.exists(), reason="../shared/samples/jiangsu_sheng_rdcwh_2019_budget.pdf is absent")
def test_jiangsu_ledger_counts_and_the_short_unit():
    led = _report(JIANGSU).narrative_ledger.to_dict("records")
    counts = {o: sum(t["outcome"] == o for t in led) for o in ("claim", "non-claim", "problem")}
    # before the reason-clause rule: 170 claims, 78 non-claims, 1 problem; the 21 figures above moved
    assert counts == {"claim": 149, "non-claim": 99, "problem": 1}
    # p10 “综合管理费专项增加209万用于办公用房租赁”: 万 without 元, left a problem (docs 1b say why)
    problem = [t for t in led if t["outcome"] == "problem"][0]
    assert (problem["page"], problem["token"]) == (10, "209") and "209万" in problem["reason"]


# ---------------------------------------------------------------- the phrasing family, on printed variants
@pytest.mark.parametrize("printed, canonical", [
    ("上海市财政局收入预算", "收入总计"),                      # Shanghai p6
    ("江苏省人大常委会办公厅本年收入预算合计", "本年收入合计"),   # Jiangsu p11
    ("收支总预算", "收入支出总计"),                             # SWU p11
    ("财政拨款收、支总预算", "财政拨款收入支出总计"),              # Jiangsu p12
    ("一般公共预算收入预算", "一般公共预算收入"),                 # Jiangsu p9
    ("国有资本经营预算拨款支出预算", "国有资本经营预算拨款支出"),   # Shanghai p6
    ("“一般公共服务支出”科目", "“一般公共服务支出”"),           # Shanghai p6 (quotes go earlier)
    ("拟采购货物支出", "政府采购货物"),                         # Jiangsu p17
    ("政府采购支出预算总额", "政府采购"),                        # Jiangsu p17
    ("编报绩效目标的项目", "绩效目标项目"),                      # Shanghai p21
    ("上年结转资金预算数", "上年结转"),                          # Jiangsu p9
    ("上海市财政局财政拨款的机关运行经费预算", "机关运行经费"),    # Shanghai p21
])
def test_budget_subjects(printed, canonical):
    from xinzhou_fiscal.text.narrative.budget import budget_subject
    assert budget_subject(printed) == canonical


@pytest.mark.skipif(not JIANGSU.exists(), reason="../shared/samples/jiangsu_sheng_rdcwh_2019_budget.pdf is absent")
def test_jiangsu_items_cut_by_the_line_are_whole():
    # p14 “2．行政事业单位离退休（类）机关事业单位基本养老保险 / 缴费支出（项）607.1万元，与上年相比增加27.09万元”
    item = _one(JIANGSU, 14, "607.1", metric="预算数")
    assert (item["subject"], item["value"]) == ("机关事业单位基本养老保险缴费支出", 607.1)
    # p12 “2. 人大事务（款）一般行政管理事务（项）支出2464.02万 / 元，与上年相比增加123.67万元，增长5.28%”
    assert _one(JIANGSU, 12, "2464.02", metric="同比增减率")["value"] == 5.28
    # p17 “2019年本部门一般公共预算机关运行经费预算支出1642.08万元” (after the heading 十一、 on p16)
    admin = _one(JIANGSU, 17, "1642.08", metric="预算数")
    assert (admin["subject"], admin["section"]) == ("机关运行经费", "十一、一般公共预算机关运行经费支出预算情况说明")


def test_last_years_budget_from_the_changes():
    # Shanghai p6 “财政拨款收入17,192万元，比2024年预算减少990万元”: the 2024 budget was 18,182
    prev = _report(SHANGHAI).previous_year.to_dict("records")
    grant = [p for p in prev if p["subject"] == "财政拨款收入"]
    assert len(grant) == 1 and (grant[0]["year"], grant[0]["metric"], grant[0]["value"]) == (2024, "预算数", 18182)
    # SWU p12–13: 科学技术支出 1,178.72 (财政拨款), “比上年减少 1,985.18 万元” → 3,163.90
    science = [p for p in _report(SWU).previous_year.to_dict("records") if p["subject"] == "科学技术支出"]
    assert len(science) == 1 and science[0]["value"] == 3163.90


# ---------------------------------------------------------------- parts: a 目录 part of no known kind
def test_swu_glossary_ends_where_the_performance_targets_begin():
    """西南大学 2023 budget: the 目录 (p2) lists 四、名词解释 …14 and 五、项目绩效目标表 …16; the glossary (p14)
    ends on p15 with “职工（含离退休人员）发放的用于购买住房的补贴。”, and p16 opens with 五、项目绩效目标表,
    whose tables run to p40 (the last page)."""
    r = _report(SWU)
    glossary = r.parts[(r.parts.status == "used") & (r.parts.kind == "glossary")].iloc[0]
    assert (glossary["heading"], glossary["page"], glossary["last_page"]) == ("四、名词解释", 14, 15)
    from xinzhou_fiscal.text.parts import locate_parts
    found = locate_parts(r.document)
    texts = [ln.text.strip() for ln in found.parts["glossary"].lines if ln.text.strip()]
    assert texts[-1] == "15" and texts[-2].endswith("职工（含离退休人员）发放的用于购买住房的补贴。")  # page number last
    other = r.parts[r.parts.status == "other"].iloc[0]
    assert (other["heading"], other["page"], other["last_page"]) == ("五、项目绩效目标表", 16, 40)
    # the 目录 entry is matched to its body heading, not reported missing
    f = xf.audit(r)
    assert not len(f[(f.rule == "complete.toc") & f.message.str.contains("项目绩效目标表")])


def test_swu_final_tables_part_is_its_own():
    """西南大学 2023 final: 目录 p2 and body p7 print 二、2023 年度部门决算报表 (决算报表); the 概况 (p3) ends
    on p7 before it, the tables run to p15, and 三、决算报表说明 begins on p16."""
    r = xf.read_report(RAW / "chongqing_swu_2023_final.pdf")
    used = r.parts[r.parts.status == "used"].set_index("kind")
    assert (used.loc["overview", "page"], used.loc["overview", "last_page"]) == (3, 7)
    assert (used.loc["tables", "heading"], used.loc["tables", "page"], used.loc["tables", "last_page"]) == \
        ("二、2023 年度部门决算报表", 7, 15)
    assert used.loc["narrative", "page"] == 16
    f = xf.audit(r)
    assert not len(f[(f.rule == "complete.parts") & (f.severity != "ok")])


# ---------------------------------------------------------------- verbs of adjustment in reason clauses
#: a budget narrative in the Jiangsu budget's phrasing (p13 “…主要原因是增加…专项经费23.3万元，信息化建设经费增加35万元，
#: 扶贫经费压减10万元。”; p12 “其余会议费按照规定压减10%”; p16 “按规定运转类专项经费统一压减10%”), its verbs varied as
#: other budgets print them (追加, 调减, 核减, 缩减)
ADJUSTMENTS = """第三部分 2019年度部门预算情况说明
一、收支预算总体情况说明
1.人大事务（款）其他人大事务（项）支出628.3万元，与上年相比增加48.3万元，增长8.33%。主要原因是信息化建设经费增加35万元，扶贫经费压减10万元，培训经费追加20万元，印刷经费调减5万元，差旅经费核减3.5万元。
2.人大事务（款）人大立法（项）支出729万元，与上年相比减少81万元，减少10%。主要原因是其余会议费按照规定压减10%，运转类项目经费统一缩减10%，相关运转类经费压减10%，增减相抵后减少81万元。
"""


def test_adjustment_verbs_are_change_words(tmp_path):
    from xinzhou_fiscal.read.source import read_text_document
    from xinzhou_fiscal.text.narrative import scan_narrative

    path = tmp_path / "budget.txt"
    path.write_text(ADJUSTMENTS, encoding="utf-8")
    scan = scan_narrative(read_text_document(path), kind="预算")
    said = {(c["subject"], c["value"], c["direction"], c["direction_word"])
            for c in scan.claims.to_dict("records") if c["metric"] == "同比增减额"}
    for subject, value, direction, word in (("扶贫经费", 10, "减少", "压减"), ("培训经费", 20, "增加", "追加"),
                                            ("印刷经费", 5, "减少", "调减"), ("差旅经费", 3.5, "减少", "核减"),
                                            ("信息化建设经费", 35, "增加", "增加")):
        assert (subject, value, direction, word) in said
    # no subject of their own: a rule (按照规定), a manner (统一), a pointer to others (相关), a net (增减相抵后)
    led = scan.ledger.to_dict("records")
    reasons = [(t["token"], t["reason"]) for t in led if t["line"] == 4 and "reason clause" in str(t["reason"])]
    assert reasons == [("10", "rate in a reason clause")] * 3 + [("81", "amount in a reason clause")]
