"""Narrative claims (情况说明 and 概况) and the previous-year figures derived from them.

Every expected value below was typed from data/raw/xinzhou_swbgs_2023_final.txt (line numbers
given), and the previous-year figures were computed by hand from those printed numbers.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from xinzhou_fiscal.read.source import read_text_document
from xinzhou_fiscal.report.previous_year import derive_previous_year
from xinzhou_fiscal.text.narrative import extract_claims, scan_narrative

SEED = Path(__file__).resolve().parents[1] / "data" / "raw" / "xinzhou_swbgs_2023_final.txt"


@pytest.fixture(scope="module")
def doc():
    return read_text_document(SEED)


@pytest.fixture(scope="module")
def scan(doc):
    return scan_narrative(doc)


@pytest.fixture(scope="module")
def claims(scan):
    return scan.claims


def one(claims, subject, metric, line, **extra):
    """The single claim of ``subject``/``metric`` on ``line`` (and matching ``extra`` columns)."""
    sel = claims[(claims.subject == subject) & (claims.metric == metric) & (claims.line == line)]
    for k, v in extra.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, f"{subject}/{metric} on line {line} {extra}: {len(sel)} rows\n{sel}"
    return sel.iloc[0]


# (section prefix, subject, metric, line, value, unit, extra columns) — typed from the document
PINNED = [
    # 一、收入支出决算总体情况说明 (line 400)
    ("一、", "收入总计", "决算数", 400, 2795.38, "万元", {}),
    ("一、", "支出总计", "决算数", 400, 2795.38, "万元", {}),
    ("一、", "收入总计", "同比增减额", 400, 959.88, "万元", {"direction": "减少"}),
    ("一、", "收入总计", "同比增减率", 400, 25.56, "%", {"direction": "减少"}),
    ("一、", "支出总计", "同比增减额", 400, 959.88, "万元", {"direction": "减少"}),
    ("一、", "支出总计", "同比增减率", 400, 25.56, "%", {"direction": "减少"}),
    # 二、收入决算情况说明 (lines 404–416)
    ("二、", "收入合计", "决算数", 404, 2792.45, "万元", {}),
    ("二、", "财政拨款收入", "决算数", 406, 2792.45, "万元", {"parent": "收入合计"}),
    ("二、", "财政拨款收入", "占比", 406, 100.00, "%", {"basis": "收入合计"}),
    ("二、", "上级补助收入", "决算数", 408, 0.0, "万元", {}),
    ("二、", "上级补助收入", "占比", 408, 0.0, "%", {}),
    ("二、", "其他收入", "决算数", 416, 0.0, "万元", {}),
    # 三、支出决算情况说明 (lines 420–430)
    ("三、", "支出合计", "决算数", 420, 2795.38, "万元", {}),
    ("三、", "基本支出", "决算数", 422, 1775.55, "万元", {"parent": "支出合计"}),
    ("三、", "基本支出", "占比", 422, 63.52, "%", {"basis": "支出合计"}),
    ("三、", "项目支出", "决算数", 424, 1019.83, "万元", {}),
    ("三、", "项目支出", "占比", 424, 36.48, "%", {}),
    ("三、", "对附属单位补助支出", "占比", 430, 0.0, "%", {}),
    # 四、财政拨款收支决算总体情况说明 (line 434)
    ("四、", "财政拨款收入总计", "决算数", 434, 2792.45, "万元", {}),
    ("四、", "财政拨款支出总计", "决算数", 434, 2792.45, "万元", {"label": "支出总计"}),
    ("四、", "财政拨款收入总计", "同比增减额", 434, 959.88, "万元", {"direction": "减少"}),
    ("四、", "财政拨款收入总计", "同比增减率", 434, 25.58, "%", {"direction": "减少"}),
    ("四、", "财政拨款支出总计", "同比增减率", 434, 25.58, "%", {"direction": "减少"}),
    # 五、一般公共预算财政拨款支出决算情况说明 (lines 440–460)
    ("五、", "一般公共预算财政拨款支出", "决算数", 440, 2792.45, "万元", {"label": "一般公共预算财政拨款决算支出"}),
    ("五、", "一般公共预算财政拨款支出", "占比", 440, 99.90, "%", {"basis": "本年支出合计"}),
    ("五、", "一般公共预算财政拨款支出", "同比增减额", 440, 959.88, "万元", {"direction": "减少"}),
    ("五、", "一般公共服务支出", "决算数", 446, 2456.55, "万元", {"category_level": "(类)"}),
    ("五、", "一般公共服务支出", "占比", 446, 87.97, "%", {"basis": "一般公共预算财政拨款支出"}),
    ("五、", "社会保障和就业支出", "占比", 448, 5.03, "%", {}),
    ("五、", "卫生健康支出", "决算数", 450, 62.53, "万元", {}),
    ("五、", "农林水支出", "占比", 452, 0.70, "%", {}),
    ("五、", "住房保障支出", "决算数", 454, 113.38, "万元", {}),
    ("五、", "一般公共预算财政拨款支出", "年初预算", 458, 4942.21, "万元", {}),
    ("五、", "一般公共预算财政拨款支出", "完成率", 458, 56.50, "%", {"basis": "年初预算"}),
    ("五、", "一般公共服务支出", "年初预算", 460, 4585.73, "万元", {}),
    ("五、", "一般公共服务支出", "决算数", 460, 2456.55, "万元", {}),
    ("五、", "一般公共服务支出", "完成率", 460, 53.57, "%", {}),
    ("五、", "一般公共服务支出", "同比增减额", 460, 539.80, "万元", {"direction": "增加", "compare_year": 2022}),
    ("五、", "一般公共服务支出", "同比增减率", 460, 28.16, "%", {"direction": "增加"}),
    ("五、", "社会保障和就业支出", "年初预算", 460, 143.84, "万元", {}),
    ("五、", "社会保障和就业支出", "同比增减率", 460, 19.85, "%", {}),
    ("五、", "卫生健康支出", "完成率", 460, 99.89, "%", {}),
    ("五、", "农林水支出", "完成率", 460, 143.16, "%", {}),
    ("五、", "农林水支出", "同比增减率", 460, 540.46, "%", {}),
    ("五、", "住房保障支出", "同比增减额", 460, 16.60, "万元", {}),
    ("五、", "其他支出", "年初预算", 460, 0.0, "万元", {}),
    # 六、一般公共预算财政拨款基本支出决算情况说明 (lines 464–468)
    ("六、", "财政拨款基本支出", "决算数", 464, 1772.62, "万元", {}),
    ("六、", "人员经费", "决算数", 466, 1488.86, "万元", {"parent": "财政拨款基本支出"}),
    ("六、", "工资福利支出", "决算数", 466, 1408.06, "万元", {"parent": "人员经费"}),
    ("六、", "对个人和家庭的补助支出", "决算数", 466, 80.80, "万元", {"parent": "人员经费"}),
    ("六、", "公用经费", "决算数", 468, 283.76, "万元", {}),
    ("六、", "商品和服务支出", "决算数", 468, 254.52, "万元", {"parent": "公用经费"}),
    ("六、", "资本性支出", "决算数", 468, 29.24, "万元", {"parent": "公用经费"}),
    # 九、财政拨款“三公”经费支出决算情况说明 (lines 482–500)
    ("九、", "三公经费", "全年预算", 482, 8.59, "万元", {}),
    ("九、", "三公经费", "决算数", 482, 8.59, "万元", {}),
    ("九、", "三公经费", "完成率", 482, 100.00, "%", {"basis": "全年预算"}),
    ("九、", "三公经费", "同比增减额", 482, 0.21, "万元", {"direction": "增加"}),
    ("九、", "三公经费", "同比增减率", 482, 2.51, "%", {"direction": "增加"}),
    ("九、", "因公出国（境）费", "决算数", 484, 0.0, "万元", {"parent": "三公经费"}),
    ("九、", "公务用车运行维护费", "决算数", 488, 8.59, "万元", {}),
    ("九、", "公务用车运行维护费", "同比增减额", 488, 0.21, "万元", {}),
    ("九、", "出国团组", "个", 494, 0.0, "个", {}),
    ("九、", "出国团组", "人次", 494, 0.0, "人次", {}),
    ("九、", "公务用车购置费", "辆", 496, 0.0, "辆", {"qualifier": "购置公务用车"}),
    ("九、", "公务用车保有量", "辆", 498, 3.0, "辆", {}),
    ("九、", "公务接待费", "批次", 500, 0.0, "批次", {}),
    ("九、", "外事接待费", "决算数", 500, 0.0, "万元", {"parent": "国内接待费"}),
    # 十、其他重要事项情况说明 (lines 506–522)
    ("十、", "机关运行经费", "决算数", 506, 283.76, "万元", {}),
    ("十、", "机关运行经费", "同比增减额", 506, 35.05, "万元", {"direction": "增加", "compare_year": 2022}),
    ("十、", "机关运行经费", "同比增减率", 506, 14.09, "%", {"direction": "增加"}),
    ("十、", "政府采购", "决算数", 510, 49.13, "万元", {"label": "政府采购支出总额"}),
    ("十、", "政府采购货物支出", "决算数", 510, 7.72, "万元", {"parent": "政府采购"}),
    ("十、", "政府采购工程支出", "决算数", 512, 2.02, "万元", {"parent": "政府采购"}),
    ("十、", "政府采购服务支出", "决算数", 512, 39.38, "万元", {}),
    ("十、", "政府采购授予中小企业合同金额", "占比", 512, 100.00, "%", {"basis": "政府采购"}),
    ("十、", "授予小微企业合同金额", "决算数", 512, 0.0, "万元", {}),
    ("十、", "车辆", "辆", 516, 10.0, "辆", {}),
    ("十、", "主要负责人用车", "辆", 516, 1.0, "辆", {"parent": "车辆"}),
    ("十、", "其他用车", "辆", 516, 9.0, "辆", {"parent": "车辆"}),
    ("十、", "单价100万元（含）以上设备（不含车辆）", "台套", 516, 5.0, "台套", {"parent": ""}),
    ("十、", "项目绩效自评", "个", 522, 18.0, "个", {"qualifier": ""}),
    ("十、", "项目绩效自评", "涉及资金", 522, 1019.83, "万元", {}),
    ("十、", "项目绩效自评", "个", 522, 10.0, "个", {"qualifier": "优"}),
    ("十、", "项目绩效自评", "个", 522, 0.0, "个", {"qualifier": "良"}),
    ("十、", "项目绩效自评", "个", 522, 4.0, "个", {"qualifier": "中"}),
    ("十、", "项目绩效自评", "个", 522, 4.0, "个", {"qualifier": "差"}),
]


@pytest.mark.parametrize("section,subject,metric,line,value,unit,extra", PINNED,
                         ids=[f"{p[3]}-{p[1]}-{p[2]}-{p[6].get('qualifier', '')}" for p in PINNED])
def test_pinned_claims(claims, section, subject, metric, line, value, unit, extra):
    c = one(claims, subject, metric, line, **{k: v for k, v in extra.items() if k == "qualifier"})
    assert c.section.startswith(section)
    assert c.value == pytest.approx(value, abs=1e-9)
    assert c.unit == unit
    assert c.part == "第三部分 情况说明"
    for k, v in extra.items():
        assert c[k] == v, (k, c[k], v)


def test_every_numbered_section_has_claims_except_the_empty_ones(claims):
    narrative = claims[claims.part == "第三部分 情况说明"]
    sections = set(narrative.section.str.extract(r"^([一二三四五六七八九十]+)、")[0].dropna())
    # 七 and 八 say 本年度无此项支出 (lines 472, 476): no figure
    assert sections == {"一", "二", "三", "四", "五", "六", "九", "十"}


def test_signed_values_and_directions(claims):
    c = one(claims, "收入总计", "同比增减额", 400)
    assert c.signed_value == pytest.approx(-959.88)
    c = one(claims, "一般公共服务支出", "同比增减额", 460)
    assert c.signed_value == pytest.approx(539.80)
    c = one(claims, "收入总计", "决算数", 400)
    assert c.direction == "" and c.signed_value == pytest.approx(2795.38)


def test_same_as_last_year_becomes_an_implied_zero_change(claims):
    # line 484: 因公出国（境）费支出0万元，完成全年预算的0%，与上年相同
    c = one(claims, "因公出国（境）费", "同比增减额", 484)
    assert c.implied and c.direction == "持平" and c.value == 0 and c.value_text == "与上年相同"
    # lines 486 and 490 say the same of 公务用车购置费 and 公务接待费
    assert set(claims[claims.implied].line) == {484, 486, 490}


def test_overview_figure_is_a_claim(claims):
    c = one(claims, "人员编制数", "人", 45)
    assert c.value == 138 and c.section == "二、机构设置情况" and c.part == "第一部分 概况"


# Every numeric token is accounted for by the ledger: tests/test_narrative_ledger.py counts the
# tokens with an independent scanner (not the parser's regular expression).


def test_ignored_tokens_are_years_dates_ordinals_thresholds_and_words(scan):
    ign = scan.ignored
    # 一次性 (lines 400, 434, 440) is a word; 新增三名驻村队员 (line 460) a count that is no figure
    assert set(ign.reason) == {"year", "date", "ordinal", "threshold", "word", "count"}
    assert list(ign[ign.reason == "word"].line) == [400, 434, 440]
    assert list(ign[ign.reason == "count"].text) == ["三"]
    # line 516: 截至2023年12月31日 … 单价100万元（含）以上设备
    on516 = ign[ign.line == 516].set_index("text").reason.to_dict()
    assert on516 == {"2023": "year", "12": "date", "31": "date", "100": "threshold"}
    # lines 51–53 (概况) start with 1. 2. 3., lines 494–500 with 1、 2、 3、 4、, and the
    # headings on lines 520 and 524 with 1、 and 2、
    assert list(ign[ign.reason == "ordinal"].line) == [51, 52, 53, 494, 496, 498, 500, 520, 524]


def test_seed_narrative_has_no_problems(scan):
    assert scan.problems == []


# ---- previous year (year − 1 = 2022), hand-computed from the printed figures

DERIVED = [
    # subject, value 2022 (= current − signed change), stated rate, recomputed rate (change / previous)
    ("收入总计", 2795.38 + 959.88, -25.56, -25.56),            # 3755.26
    ("支出总计", 2795.38 + 959.88, -25.56, -25.56),
    ("财政拨款收入总计", 2792.45 + 959.88, -25.58, -25.58),     # 3752.33
    ("财政拨款支出总计", 3752.33, -25.58, -25.58),
    ("一般公共预算财政拨款支出", 3752.33, -25.58, -25.58),
    ("一般公共服务支出", 1916.75, 28.16, 28.16),                # 2456.55 − 539.80
    ("社会保障和就业支出", 117.22, 19.85, 19.88),               # 23.30 / 117.22 = 19.877 %
    ("卫生健康支出", 51.43, 21.56, 21.58),                      # 11.10 / 51.43 = 21.583 %
    ("农林水支出", 3.07, 540.46, 534.20),                       # 16.40 / 3.07 = 534.202 %
    ("住房保障支出", 96.78, 17.10, 17.15),                      # 16.60 / 96.78 = 17.152 %
    ("三公经费", 8.38, 2.51, 2.51),                              # 0.21 / 8.38 = 2.506 %
    ("公务用车运行维护费", 8.38, 2.51, 2.51),
    ("机关运行经费", 248.71, 14.09, 14.09),                      # 35.05 / 248.71 = 14.093 %
]


@pytest.fixture(scope="module")
def previous(claims):
    return derive_previous_year(claims, 2023)


@pytest.mark.parametrize("subject,value,stated,recomputed", DERIVED, ids=[d[0] for d in DERIVED])
def test_derived_previous_year(previous, subject, value, stated, recomputed):
    rows = previous[previous.subject == subject]
    assert len(rows) == 1, rows
    r = rows.iloc[0]
    assert r.year == 2022 and r.metric == "决算数" and bool(r.derived) and r.method == "change"
    assert r.value == pytest.approx(value, abs=0.005)
    assert r.stated_rate == pytest.approx(stated)
    assert r.recomputed_rate == pytest.approx(recomputed)
    assert r.unit == "万元"


def test_derived_previous_year_provenance_and_unchanged(previous):
    r = previous[previous.subject == "收入总计"].iloc[0]
    assert (r.current_line, r.change_line, r.rate_line) == (400, 400, 400)
    assert r.current_value == pytest.approx(2795.38) and r.change == pytest.approx(-959.88)
    # 与上年相同 (lines 484, 486, 490): last year's figure equals this year's, 0 万元
    unchanged = previous[previous.method == "unchanged"].set_index("subject").value.to_dict()
    assert unchanged == {"因公出国（境）费": 0.0, "公务用车购置费": 0.0, "公务接待费": 0.0}
    assert len(previous) == len(DERIVED) + 3


def test_derive_previous_year_from_a_rate_only_and_skips_other_years(tmp_path):
    text = ("第三部分 情况说明\n一、其他重要事项情况说明\n"
            "2023年机关运行经费支出110.00万元，比上年增长10.00%。\n"
            "2023年公用经费支出50.00万元，比2020年增加5.00万元。\n")
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    claims, problems = extract_claims(read_text_document(p))
    assert problems == []
    prev = derive_previous_year(claims, 2023)
    assert list(prev.subject) == ["机关运行经费"]          # 比2020年 is not the previous year
    r = prev.iloc[0]
    assert r.method == "rate" and r.value == pytest.approx(100.00)   # 110 / 1.10


# ---- robustness: broken text and other phrasings


def _doc(tmp_path, body: str):
    p = tmp_path / "report.txt"
    p.write_text(body, encoding="utf-8")
    return read_text_document(p)


def test_broken_sentence_and_unitless_number_become_problems_with_their_line(tmp_path):
    body = ("第三部分 情况说明\n\n一、收入支出决算总体情况说明\n\n"
            "2023年度收入总计100.00万元，支出总计100.00万元。\n\n"          # line 5
            "较2022年决算增加23.30万元，增长19.8\ufffd\n\n"                  # line 7: cut off
            "本年度发生费用12，主要用于办公。\n\n"                           # line 9: no unit
            "其中95%用于办公。\n\n"                                          # line 11: which rate?
            "第四部分 名词解释\n")
    scan = scan_narrative(_doc(tmp_path, body))
    lines = sorted(p.line for p in scan.problems)
    assert lines == [7, 7, 9, 11]
    assert all(p.stage == "narrative" for p in scan.problems)
    assert any("U+FFFD" in p.message for p in scan.problems)
    c = scan.claims
    # the figures before the break are still claims, and the change takes the paragraph's subject
    assert list(c[c.line == 7].value_text) == ["23.30"]
    assert one(c, "支出总计", "同比增减额", 7).value == pytest.approx(23.30)


def test_shanghai_phrasing_thousands_separators_and_eleven_sections(tmp_path):
    body = ("第三部分 上海市普陀区财政局 2024 年度部门决算情况说明\n"
            "一、收入支出决算总体情况说明\n"
            "上海市普陀区财政局 2024 年度收入支出总计 2,995.39 万元。与 2023 年度相比，收入\n"
            "支出总计减少 56.95 万元，下降 1.87%。\n"
            "二、收入决算情况说明\n"
            "本年收入合计 2946.25 万元，其中：财政拨款收入 2940.05 万元，占 99.79%；其他\n"
            "收入 6.2 万元，占 0.21%；\n"
            "四、财政拨款收入支出决算总体情况说明\n"
            "上海市普陀区财政局 2024 年度财政拨款收入支出总计 0.3 万元。与 2023 年度相比，\n"
            "财政拨款收入支出总计持平。\n"
            "十一、其他重要事项的情况说明\n"
            "（一）机关运行经费支出情况\n"
            "机关运行经费支出 184.65 万元，比 2023 年度增加 2.55 万元，增长 1.40%。\n"
            "第四部分 名词解释\n")
    scan = scan_narrative(_doc(tmp_path, body))
    assert scan.problems == []
    c = scan.claims
    assert one(c, "收入支出总计", "决算数", 3).value == pytest.approx(2995.39)
    ch = one(c, "收入支出总计", "同比增减额", 4)
    assert ch.direction == "减少" and ch.compare_year == 2023
    assert one(c, "财政拨款收入", "占比", 6, basis="本年收入合计").value == pytest.approx(99.79)
    assert one(c, "其他收入", "决算数", 7).value == pytest.approx(6.2)
    flat = one(c, "财政拨款收入支出总计", "同比增减额", 10)
    assert flat.implied and flat.direction == "持平"
    m = one(c, "机关运行经费", "同比增减率", 13)
    assert m.section == "十一、其他重要事项的情况说明" and m.subsection == "（一）机关运行经费支出情况"
    prev = derive_previous_year(c, 2024).set_index("subject")
    assert prev.loc["收入支出总计", "value"] == pytest.approx(2995.39 + 56.95)   # 3052.34
    assert prev.loc["收入支出总计", "recomputed_rate"] == pytest.approx(-1.87)    # 56.95 / 3052.34
    assert prev.loc["机关运行经费", "value"] == pytest.approx(184.65 - 2.55)      # 182.10
    assert prev.loc["财政拨款收入支出总计", "value"] == pytest.approx(0.3)


def test_no_narrative_part_is_a_problem_not_silence(tmp_path):
    scan = scan_narrative(_doc(tmp_path, "第一部分 概况\n一、机构设置情况\n本单位为行政单位。\n"))
    assert scan.claims.empty and list(scan.claims.columns)[:3] == ["part", "section", "subsection"]
    assert [p.stage for p in scan.problems] == ["narrative"]


# ---- the same rules on another place's wording: the Shanghai (Putuo) PDF through the PDF reader.
# Values typed from the PDF's pages 21–24 (情况说明), 4–5 (概况) and 25 (名词解释).

PDF = Path(__file__).resolve().parents[1] / "data" / "raw" / "putuo_czj_2024_final.pdf"


@pytest.fixture(scope="module")
def pdf_doc():
    pdf_source = pytest.importorskip("xinzhou_fiscal.read.pdf")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pdf_source.read_pdf_document(PDF)


def by_page(claims, subject, metric, page, **extra):
    sel = claims[(claims.subject == subject) & (claims.metric == metric) & (claims.page == page)]
    for k, v in extra.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, f"{subject}/{metric} on page {page}: {len(sel)} rows\n{sel}"
    return sel.iloc[0]


PDF_PINNED = [
    ("收入支出总计", "决算数", 21, 2995.39, {}),
    ("收入支出总计", "同比增减额", 21, 56.95, {"direction": "减少", "compare_year": 2023}),
    ("收入支出总计", "同比增减率", 21, 1.87, {"direction": "减少"}),
    ("本年收入合计", "决算数", 21, 2946.25, {}),
    ("财政拨款收入", "占比", 21, 99.79, {"basis": "本年收入合计"}),
    ("其他收入", "决算数", 21, 6.2, {"parent": "本年收入合计"}),
    ("基本支出", "占比", 21, 79.49, {"basis": "本年支出合计"}),
    ("项目支出", "决算数", 21, 603.14, {}),
    ("一般公共预算财政拨款支出", "年初预算", 21, 2993.92, {}),
    ("一般公共预算财政拨款支出", "完成率", 21, 98.20, {}),
    ("一般公共服务支出", "占比", 21, 71.73, {"category_level": "(类)"}),
    ("行政运行", "年初预算", 22, 1560.05, {"category_level": "(项)"}),
    ("行政运行", "决算数", 22, 1511.89, {}),
    ("机关事业单位基本养老保险缴费支出", "决算数", 22, 160.75, {}),
    ("购房补贴", "年初预算", 22, 258.50, {}),
    ("人员经费", "决算数", 23, 2152.26, {"parent": "一般公共预算财政拨款基本支出"}),
    ("公用经费", "决算数", 23, 184.65, {"parent": "一般公共预算财政拨款基本支出"}),
    ("三公经费", "年初预算", 23, 0.95, {}),
    ("项目绩效自评", "平均得分", 23, 99.43, {}),
    ("项目绩效自评", "个", 23, 4, {"qualifier": "优"}),
    ("机关运行经费", "同比增减额", 24, 2.55, {"direction": "增加"}),
    ("政府采购金额", "决算数", 24, 251.25, {}),
    ("车辆", "辆", 24, 0, {}),
    ("单价100万元（含）以上设备（不含车辆）", "台套", 24, 2, {}),
]


def test_shanghai_pdf_narrative(pdf_doc):
    scan = scan_narrative(pdf_doc)
    assert scan.problems == []
    c = scan.claims
    for subject, metric, page, value, extra in PDF_PINNED:
        r = by_page(c, subject, metric, page, **{k: v for k, v in extra.items() if k == "qualifier"})
        assert r.value == pytest.approx(value), (subject, metric)
        for k, v in extra.items():
            assert r[k] == v, (subject, metric, k, r[k])
    # 与2023年度持平 (page 23): 三公经费 and its three parts, implied zero changes
    flat = c[c.implied & (c.page == 23)]
    assert set(flat.subject) == {"三公经费", "因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"}
    prev = derive_previous_year(c, 2024).set_index("subject")
    assert prev.loc["收入支出总计", "value"] == pytest.approx(3052.34)          # 2995.39 + 56.95
    assert prev.loc["一般公共预算财政拨款支出", "value"] == pytest.approx(3003.19)  # 2940.05 + 63.14
    assert prev.loc["一般公共预算财政拨款支出", "recomputed_rate"] == pytest.approx(-2.10)
    assert prev.loc["机关运行经费", "value"] == pytest.approx(182.10)          # 184.65 − 2.55
    assert prev.loc["机关运行经费", "recomputed_rate"] == pytest.approx(1.40)  # 2.55 / 182.10
