"""Budgets (部门预算) and the university family, read from the real samples of ../shared/samples/ (#25).

Every figure below is typed from the PDF pages (page numbers in the comments), never printed by the code.
Amounts printed in 元 are compared in 万元 after the exact conversion (171,915,169 元 = 17191.5169 万元).
"""
from __future__ import annotations

import warnings
from decimal import Decimal

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths

SAMPLES = paths.PROJECT_ROOT.parent / "shared" / "samples"


def _read(name: str):
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared/samples/ lies beside the clone in CI)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return xf.read_report(path)


def yuan(printed: str) -> float:
    """A figure printed in 元 (thousands separators) in 万元, converted exactly."""
    return float(Decimal(printed.replace(",", "")) / 10000)


def cell(report, table, *, code="", item=None, measure_key=None, measure=None):
    f = report.tables[table].facts
    sel = f["code"] == code
    if item is not None:
        sel &= f["item"] == item
    if measure_key is not None:
        sel &= f["measure_key"] == measure_key
    if measure is not None:
        sel &= f["measure"] == measure
    values = f.loc[sel, "amount"].tolist()
    assert len(values) == 1, (table, code, item, measure_key, measure, values)
    return values[0]


@pytest.fixture(scope="module")
def shanghai():
    return _read("shanghai_shi_czj_2025_budget.pdf")


@pytest.fixture(scope="module")
def swu_budget():
    return _read("chongqing_swu_2023_budget.pdf")


@pytest.fixture(scope="module")
def swu_final():
    return _read("chongqing_swu_2023_final.pdf")


@pytest.fixture(scope="module")
def jiangsu():
    return _read("jiangsu_sheng_rdcwh_2019_budget.pdf")


# ---- Shanghai city-level budget: nine tables, 元 integers with thousands separators ----------------

def test_shanghai_budget_is_a_budget_of_its_family(shanghai):
    assert (shanghai.kind, shanghai.year, shanghai.department) == ("预算", 2025, "上海市财政局")   # cover, p.1
    assert shanghai.template.id == "shanghai_budget"
    statuses = {k: shanghai.tables[k].status for k in shanghai.template.keys}
    assert statuses == {"budget_summary": "parsed", "budget_income": "parsed", "budget_expenditure": "parsed",
                        "budget_fiscal_grant_summary": "parsed", "budget_general_expenditure": "parsed",
                        # p.15–16 print a 合计 row without any amount and without a note
                        "budget_gov_fund": "blank", "budget_state_capital": "blank",
                        "budget_general_basic": "parsed", "budget_three_public": "parsed"}
    assert shanghai.tables["budget_income"].unit == "元" and shanghai.tables["budget_three_public"].unit == "万元"


def test_shanghai_budget_summary_p7(shanghai):
    t = "budget_summary"
    assert cell(shanghai, t, item="收入总计") == yuan("171,915,169")
    assert cell(shanghai, t, item="一、财政拨款收入") == yuan("171,915,169")
    assert cell(shanghai, t, item="支出总计", measure="本年支出/预算数/合计") == yuan("171,915,169")
    assert cell(shanghai, t, item="支出总计", measure="本年支出/预算数/基本支出/人员经费") == yuan("102,464,260")
    assert cell(shanghai, t, item="支出总计", measure="本年支出/预算数/基本支出/公用经费") == yuan("25,177,779")
    assert cell(shanghai, t, item="一、一般公共服务支出", measure="本年支出/预算数/项目支出") == yuan("43,025,130")
    f = shanghai.facts[(shanghai.facts["table"] == t) & (shanghai.facts["item"] == "收入总计")]
    assert f["printed"].tolist() == ["171,915,169"] and f["printed_unit"].tolist() == ["元"]


def test_shanghai_budget_coded_tables_p8_to_p14(shanghai):
    # 收入预算总表 p.8–9: 合计 171,915,169; 201 06 01 行政运行 84,861,719; 208 08 01 死亡抚恤 1,200,000
    assert cell(shanghai, "budget_income", measure_key="total") == yuan("171,915,169")
    assert cell(shanghai, "budget_income", code="2010601", measure_key="total") == yuan("84,861,719")
    assert cell(shanghai, "budget_income", code="2080801", measure_key="fiscal_grant") == yuan("1,200,000")
    # 支出预算总表 p.10–11: 合计 171,915,169 = 127,642,039 + 44,273,130; 201 06 02 项目支出 28,544,130
    assert cell(shanghai, "budget_expenditure", measure_key="basic") == yuan("127,642,039")
    assert cell(shanghai, "budget_expenditure", measure_key="project") == yuan("44,273,130")
    assert cell(shanghai, "budget_expenditure", code="2010602", measure_key="project") == yuan("28,544,130")
    # 财政拨款收支预算总表 p.12: 收入总计 171,915,169; 四、住房保障支出 21,800,000
    assert cell(shanghai, "budget_fiscal_grant_summary", item="收入总计") == yuan("171,915,169")
    assert cell(shanghai, "budget_fiscal_grant_summary", item="四、住房保障支出",
                measure="财政拨款支出/合计") == yuan("21,800,000")
    # 一般公共预算支出功能分类预算表 p.13–14: 合计 171,915,169; 221 02 01 住房公积金 10,000,000
    assert cell(shanghai, "budget_general_expenditure", measure_key="total") == yuan("171,915,169")
    assert cell(shanghai, "budget_general_expenditure", code="2210201", measure_key="total") == yuan("10,000,000")


def test_shanghai_budget_economic_and_three_public_p17_to_p20(shanghai):
    t = "budget_general_basic"          # p.17–19, codes in 类 | 款 columns
    assert cell(shanghai, t, measure_key="total") == yuan("127,642,039")
    assert cell(shanghai, t, measure_key="personnel") == yuan("102,464,260")
    assert cell(shanghai, t, measure_key="public") == yuan("25,177,779")
    assert cell(shanghai, t, code="30101", measure_key="total") == yuan("13,150,000")
    assert cell(shanghai, t, code="30217", measure_key="public") == yuan("191,000")
    assert set(shanghai.codes.loc[shanghai.codes["code"] == "30217", "scheme"]) == {"economic"}
    three = shanghai.tables["budget_three_public"].facts     # p.20, 万元
    assert sorted(three["amount"]) == sorted([346.30, 288.70, 25.40, 32.20, 32.20, 2517.78])
    assert cell(shanghai, "budget_three_public", measure="机关运行经费预算数") == 2517.78


# ---- the university's budget and final accounts (a real pair) -------------------------------------

def test_university_budget(swu_budget):
    r = swu_budget
    assert (r.kind, r.year, r.department, r.template.id) == ("预算", 2023, "西南大学", "university_budget")
    for key in ("budget_summary", "budget_income", "budget_expenditure", "budget_fiscal_grant_expenditure"):
        assert r.tables[key].status == "parsed", key
    # 收支预算总表 p.7
    assert cell(r, "budget_summary", item="收入总计") == 557259.13
    assert cell(r, "budget_summary", item="本年收入合计") == 403484.64
    assert cell(r, "budget_summary", item="本年支出合计") == 468779.07
    assert cell(r, "budget_summary", item="一、财政拨款") == 230876.38
    assert cell(r, "budget_summary", item="结转下年") == 88480.06
    # 收入预算表 p.8: 合计 557,259.13, 上年结转 93,801.70; 2050205 高等教育 483,848.18
    assert cell(r, "budget_income", measure_key="total") == 557259.13
    assert cell(r, "budget_income", measure_key="carryover_begin") == 93801.70
    assert cell(r, "budget_income", code="2050205", measure_key="total") == 483848.18
    # 支出预算表 p.9: 合计 468,779.07 = 376,019.88 + 92,759.19; the unit row 105236 西南大学
    assert cell(r, "budget_expenditure", item="合计", measure_key="basic") == 376019.88
    assert cell(r, "budget_expenditure", item="西南大学", measure_key="total") == 468779.07
    assert cell(r, "budget_expenditure", code="2050205", measure_key="project") == 87924.17
    # 财政拨款支出预算表 p.10: 合计 230,876.38; 2080505 8,897.19
    assert cell(r, "budget_fiscal_grant_expenditure", measure_key="total") == 230876.38
    assert cell(r, "budget_fiscal_grant_expenditure", code="2080505", measure_key="basic") == 8897.19


def test_university_final(swu_final):
    r = swu_final
    assert (r.kind, r.year, r.department, r.template.id) == ("决算", 2023, "西南大学", "university_final")
    for key in r.template.keys:
        assert r.tables[key].status == "parsed", key
    # 表 1 高等学校收支决算总表 p.8–9
    t = "income_expenditure_summary"
    assert cell(r, t, item="本年收入合计") == 430725.03 and cell(r, t, item="本年支出合计") == 457676.75
    assert [f for f in r.tables[t].facts.query("item_key == 'grand_total'")["amount"]] == [569496.54, 569496.54]
    assert cell(r, t, item="五、教育支出") == 425287.27
    # 表 2 收入决算表 p.10–11
    assert cell(r, "income", measure_key="total") == 430725.03
    assert cell(r, "income", measure_key="fiscal_grant") == 243015.38
    assert cell(r, "income", measure_key="business_tuition") == 73648.19
    assert cell(r, "income", code="2050205", measure_key="total") == 363483.12
    # 表 3 支出决算表 p.12–13
    assert cell(r, "expenditure", measure_key="basic") == 359781.59
    assert cell(r, "expenditure", code="2210201", measure_key="total") == 15400.44
    # 表 4 财政拨款支出决算表 p.14–15: 合计 237,100.00 = 199,015.13 + 38,084.87, 基本建设 6,894.90, the
    # 合计 row printed twice (first under the header on p.14, again last on p.15): two printed rows, two facts
    f = r.tables["fiscal_grant_expenditure"].facts.query("code == ''")
    assert f.groupby("measure_key")["amount"].apply(list).to_dict() == {
        "total": [237100.00] * 2, "basic": [199015.13] * 2, "project": [38084.87] * 2, "project_capital": [6894.90] * 2}
    assert f["line"].nunique() == 2
    assert cell(r, "fiscal_grant_expenditure", code="2060204", measure_key="project_capital") == 1357.93


# ---- Jiangsu: the tables are published apart ("2019年部门预算公开表附后", p.8) -------------------------

def test_jiangsu_budget_reads_with_every_table_named_missing(jiangsu):
    r = jiangsu
    assert (r.kind, r.year, r.department, r.template.id) == ("预算", 2019, "江苏省人大常委会办公厅", "jiangsu_budget")
    own = [r.tables[k] for k in r.template.keys]
    assert len(own) == 12 and all(t.status == "missing" and t.in_toc for t in own)   # the 目录 lists all twelve
    assert not r.complete
    assert any("政府采购支出预算表" in p for p in r.missing_pieces)


# ---- a blank budget template reads as a blank template (#25 point 8) ----------------------------------

def blank_budget_template(family: str) -> str:
    """A budget template as a department receives it: the family's table titles (from its template data,
    with a year and a sequence number), headers and 合计 rows without a figure, placeholders for the name."""
    from xinzhou_fiscal.templates import template
    lines = ["上海市XXXX年市级单位预算", "预算单位：上海市XX局", "", "五、单位预算表"]
    for i, t in enumerate(template(family).tables, 1):
        lines += ["", f"{i}. 2025年{t.title}", "单位名称：上海市XX局", "单位：元", "",
                  "项目\t预算数", "合计\t", "", "注：本表反映预算单位的预算情况。"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("family", ["shanghai_budget", "university_budget"])
def test_a_blank_budget_template_is_a_blank_template(tmp_path, family):
    from xinzhou_fiscal.errors import BlankTemplateError
    p = tmp_path / f"{family}_blank.txt"
    p.write_text(blank_budget_template(family), encoding="utf-8")
    with pytest.raises(BlankTemplateError, match="blank template") as e:
        xf.read_report(p)
    assert p.name in str(e.value)


def test_family_free_identities_on_the_budgets(shanghai, swu_budget):
    """合计/类/款/项 per column on a budget's coded tables: all hold on the Shanghai budget; the university
    budget's 收入预算表 (p.8) prints 20502 普通教育 520,603.91 while its 项 add to 520,603.41
    (2050202 9,645.51 + 2050204 27,109.72 + 2050205 483,848.18): a real 0.50 万元 error of the document."""
    a = xf.audit(shanghai, include_passed=True).query("rule == 'coded.any_table_hierarchy'")
    assert len(a) > 50 and set(a["severity"]) == {"ok", "info"}
    # 表8 (pp. 17–18) 302 商品和服务支出 prints 24,840,779 元, its 18 款 add to 24,840,778 元: 1 元 within
    # 18 × 0.5 + 0.5 元 — a rounding note, in both columns that print it (合计, 公用经费)
    notes = a[a["severity"] == "info"]
    assert len(notes) == 2 and notes["subject"].str.contains(" 302 ").all() and (notes["rounding"] != "").all()
    # the figure keeps its printed unit in the words: 24,840,779 元 is 2,484.0779 万元, never "24,840,779万元"
    assert notes["message"].str.contains("印刷为 24,840,779元（2484.0779万元）", regex=False).all()
    assert not notes["message"].str.contains("24,840,779万元", regex=False).any()
    errors = xf.audit(swu_budget).query("rule == 'coded.any_table_hierarchy'")
    assert errors["subject"].tolist() == ["收入预算表 20502 收入合计"]
    assert "520,603.91" in errors["message"].iloc[0] and "520603.41" in errors["message"].iloc[0]


def test_university_budget_performance_targets_are_data(swu_budget):
    """项目绩效目标表 (pp. 16–40), one per project: each printing is read into the one table
    ``performance_targets`` with the project's title as ``section``. p.16, 236中央高校教育教学改革专项:
    年度资金总额 2112.76, 其中：财政拨款 2112.00, 上年结转 0.76 (万元); 分值 5 is a score, kept without a unit."""
    t = swu_budget.tables["performance_targets"]
    assert t.status == "parsed"
    f = t.facts[t.facts["section"].str.contains("236中央高校教育教学改革专项")]
    amounts = f[f["unit"] == "万元"].set_index("item")["amount"]
    assert amounts.filter(like="年度资金总额").tolist() == [2112.76]
    assert amounts.filter(like="财政拨款").tolist() == [2112.00] and amounts.filter(like="上年结转").tolist() == [0.76]
    scores = f[(f["unit"] == "") & (f["printed"] != "0")]
    # the table runs over pp.16–17: four indicators scored 5 on p.16; on p.17 ten scored 5 and five
    # scored 4 (设备的使用年限有效延长, 为国家经济增长提供人才支撑, 对标认证标准…, 改善实验教学条件,
    # 促进学校教师队伍建设): 19 indicators, Σ 90 = the header's 分值（90）
    assert sorted(scores["printed"].tolist()) == ["4"] * 5 + ["5"] * 14 and scores["printed_unit"].eq("").all()
    assert scores["amount"].sum() == 90 and sorted(set(scores["page"])) == [16, 17]
    # every project table is read (a table split over a page break is one table: test_pdf_continuation.py)
    read = set(t.facts["section"])
    blocks = [b.title for b in swu_budget.document.tables if b.title.endswith("绩效目标表")]
    # the headings number the projects （一） … （二十四） (p.16 … p.39)
    assert len(blocks) == 24 and all(b in read for b in blocks)


def test_budget_vs_final_on_the_university_pair(swu_budget, swu_final):
    """#25 point 6 on the real pair: 支出预算表 (budget p.9) against 支出决算表 (final p.12–13), by code;
    本年支出合计 by role (budget p.7 468,779.07; final p.9 457,676.75)."""
    d = xf.budget_vs_final(swu_budget, swu_final)
    summary = d[d["section"] == "收支总表"].set_index("name")
    total = summary.loc["本年支出合计"]
    assert (total["budget"], total["final"], total["difference"]) == (468779.07, 457676.75, -11102.32)
    row = d[d["section"] == "支出"].set_index(["level", "code"])
    he = row.loc[("项", "2050205")]                   # 高等教育: 396,393.59 budgeted, 389,606.87 spent
    assert (he["name"], he["budget"], he["final"], he["difference"]) == ("高等教育", 396393.59, 389606.87, -6786.72)
    assert he["execution_rate"] == pytest.approx(98.29, abs=0.005)
    assert he["budget_source"].startswith("西南大学支出预算表 第") and he["budget_source"].endswith("第9页")
    assert he["final_source"].startswith("高等学校支出决算表 第") and he["final_source"].endswith("第12页")
    subsidy = row.loc[("项", "2210203")]               # 购房补贴: 861.63 budgeted, 877.83 spent (101.88%)
    assert (subsidy["budget"], subsidy["final"]) == (861.63, 877.83)
    assert subsidy["execution_rate"] == pytest.approx(101.88, abs=0.005)
    assert (summary.loc["本年收入合计"]["budget"], summary.loc["本年收入合计"]["final"]) == (403484.64, 430725.03)


def test_jiangsu_paragraphs_on_a_wide_line_pitch_are_read_whole(jiangsu):
    # page 5 sets 16 pt text on a fixed line of 1.85 sizes: the paragraph that wraps after “预算编” is one
    # line of the document, and its scope statement names 2018 in the 2019 budget — an error, not doubted
    line = next(ln for ln in jiangsu.document.lines if "从预算单位构成看" in ln.text)
    assert line.text == "2．从预算单位构成看，纳入本部门2018年部门汇总预算编制范围的预算单位共计一家，具体包括：江苏省人大常委会办公厅部门本级。"
    df = xf.audit(jiangsu)
    r = df[df["rule"] == "text.report_kind_year"].iloc[0]
    assert r["severity"] == "error" and "年度写作 2018（本报告为 2019 年度）" in r["message"]
    assert "读取存疑" not in r["message"] and {e["page"] for e in r["evidence"]} == {5}
    # page 16: “2019年政府性基金支出预算支出 万元。” — no figure before 万元, now read whole: an error naming the fund
    gap = df[df["rule"] == "text.missing_figure"].iloc[0]
    assert gap["severity"] == "error" and "政府性基金支出预算支出" in gap["message"]


def test_jiangsu_calls_two_kuan_a_class(jiangsu):
    # page 13–14, 五（二）/（三）: “1．行政事业单位离退休（类）未归口管理的行政单位离退休支出（项）271.45万元” (and 2, 3)
    # and “1．住房改革支出（类）住房公积金（项）752.9万元” (and 2): 款 20805 and 22102 marked as 类. The report has
    # no tables to name rows, so the 类 names are read against the national function classes; the
    # shorthand “一般公共服务（类）”, “（二）社会保障和就业（类）” and “（三）住房保障支出（类）” are classes
    df = xf.audit(jiangsu, include_passed=True)
    names = df[df["rule"] == "names.item"]
    wrong = names[names["severity"] == "error"]
    assert sorted(wrong["actual_label"]) == ["住房改革支出"] * 2 + ["行政事业单位离退休"] * 3
    assert set(names.loc[names["severity"] == "ok", "actual_label"]) == {"一般公共服务", "社会保障和就业", "住房保障",
                                                                        "住房保障支出"}


def test_row_columns_of_a_budgets_coded_tables(shanghai, swu_budget):
    """收入合计 = the sum of the columns that make it, per row. 西南大学 budget 收入预算表 (p.8) “2050202 小学教育
    9,645.51 14.33 8,201.15 0.50 1,430.03”: 14.33 + 8,201.15 + 0.50 + 1,430.03 = 9,646.01, not 9,645.51 (the row
    total is the wrong figure: with 9,646.01 its 项 add to 20502's 520,603.91). Its 20502 row holds:
    91,913.64 + 206,667.26 + 122,342.73 + 46,880.28 + 52,800.00 = 520,603.91, the 其中：教育收费 column
    (74,162.23) left out as part of 事业收入."""
    from xinzhou_fiscal.checks.rules_generic import row_parts
    assert row_parts(["收入合计", "上年结转", "财政拨款收入", "事业收入/金额", "事业收入/其中：教育收费", "其他收入"]) == \
        ("收入合计", ["上年结转", "财政拨款收入", "事业收入/金额", "其他收入"])
    # the 西南大学 final's 财政拨款支出决算表: 本年支出 合计 = 基本支出 + 项目支出 小计 (其中：基本建设资金支出 aside)
    assert row_parts(["本年支出/合计", "本年支出/基本支出", "本年支出/项目支出/小计", "本年支出/项目支出/其中：基本建设资金支出"]) \
        == ("本年支出/合计", ["本年支出/基本支出", "本年支出/项目支出/小计"])
    assert row_parts(["财政拨款支出", "基本支出", "项目支出"]) is None        # no column says 合计: not guessed
    df = xf.audit(swu_budget, include_passed=True).query("rule == 'coded.any_table_row_columns'")
    wrong = df[df["severity"] == "error"]
    assert wrong["subject"].tolist() == ["收入预算表 2050202"]
    assert (wrong["expected"].iloc[0], wrong["actual"].iloc[0]) == (9646.01, 9645.51)
    assert df.loc[df["subject"] == "收入预算表 20502", "severity"].tolist() == ["ok"]
    a = xf.audit(shanghai, include_passed=True).query("rule == 'coded.any_table_row_columns'")
    assert len(a) > 100 and set(a["severity"]) == {"ok"}
