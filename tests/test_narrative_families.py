"""Parts and phrasing families: fixtures built from real phrasings (the seed's and the Putuo PDF's
sentences, varied as other reports print them), and pins on the two documents. Every expected
value is typed from the fixture text or the document."""
from __future__ import annotations

import math
import warnings
from pathlib import Path

import pytest

from xinzhou_fiscal.read.source import read_text_document
from xinzhou_fiscal.text.narrative import scan_narrative
from xinzhou_fiscal.text.overview import parse_overview
from xinzhou_fiscal.text.parts import locate_parts

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "xinzhou_swbgs_2023_final.txt"
PDF = ROOT / "data" / "raw" / "putuo_czj_2024_final.pdf"


def _doc(tmp_path, text: str, name="r.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return read_text_document(p)


def one(claims, subject, metric, line, **extra):
    sel = claims[(claims.subject == subject) & (claims.metric == metric) & (claims.line == line)]
    for k, v in extra.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, f"{subject}/{metric} on line {line}: {len(sel)} rows\n{sel}"
    return sel.iloc[0]


# ---------------------------------------------------------------------------------- parts

TOC_AND_WRAPPED = """上海市普陀区示范局
2024年度部门决算
目 录
第一部分 上海市普陀区示范局概况
第二部分 上海市普陀区示范局2024年度部门决算表
第三部分 上海市普陀区示范局2024年度部门决算情况说明
第四部分 名词解释
第一部分 上海市普陀区示范局概况
一、主要职能
上海市普陀区示范局为行政单位，人员编制数为二十人。
第二部分 上海市普陀区示范局2024年度部门决算表
第三部分上海市普陀区示范局2024年度部门决算情况
说明
一、收入支出决算总体情况说明
上海市普陀区示范局2024年度收入支出总计1,200.00万元。与2023年度相比，收入支出总计减少-5.00万元，下降幅度为0.41%。
第四部分 名词解释
一、机关运行经费：指行政单位的公用经费。
"""


def test_wrapped_heading_with_department_and_year_and_the_toc(tmp_path):
    found = locate_parts(_doc(tmp_path, TOC_AND_WRAPPED))
    t = found.table
    assert found.problems == []
    assert list(t[t.status == "toc"].kind) == ["overview", "tables", "narrative", "glossary"]
    used = t[t.status == "used"].set_index("kind")
    assert used.loc["narrative", "heading"] == "第三部分上海市普陀区示范局2024年度部门决算情况说明"
    assert used.loc["narrative", "how"] == "wrapped heading"
    assert (used.loc["narrative", "first_line"], used.loc["narrative", "last_line"]) == (12, 15)
    assert (used.loc["glossary", "first_line"], used.loc["glossary", "last_line"]) == (16, 17)
    assert used.loc["narrative", "name"] == "情况说明"
    claims = scan_narrative(_doc(tmp_path, TOC_AND_WRAPPED)).claims
    # the body of the part starts after the two heading lines: the section heading on line 14
    assert one(claims, "收入支出总计", "决算数", 15).section == "一、收入支出决算总体情况说明"


NUMBERED_WITH_DUN = """一、部门概况
本单位为事业单位，编制人数共12人。
二、部门决算表
收入支出决算总表
三、部门决算情况说明
一、收入支出决算总体情况说明
2024年度收入总计1,100.00万元，较上年增加100.00万元，增幅10.00%。
二、收入决算情况说明
本年收入合计1,100.00万元，其中：财政拨款收入1,100.00万元，占比100.00%。
四、名词解释
一、财政拨款收入：指本级财政部门取得的财政拨款。
"""


def test_parts_numbered_with_dun_and_sections_are_not_parts(tmp_path):
    found = locate_parts(_doc(tmp_path, NUMBERED_WITH_DUN))
    used = found.table[found.table.status == "used"].set_index("kind")
    assert sorted(used.index) == ["glossary", "narrative", "overview", "tables"]
    assert used.loc["narrative", "heading"] == "三、部门决算情况说明"
    assert (used.loc["narrative", "first_line"], used.loc["narrative", "last_line"]) == (5, 9)
    assert found.problems == []
    claims = scan_narrative(_doc(tmp_path, NUMBERED_WITH_DUN)).claims
    c = one(claims, "收入总计", "同比增减率", 7)
    assert (c.value, c.direction, c.direction_word) == (10.00, "增加", "增幅")
    assert one(claims, "财政拨款收入", "占比", 9).value == 100.00
    assert parse_overview(_doc(tmp_path, NUMBERED_WITH_DUN))["staffing"] == 12


@pytest.mark.parametrize("heading", ["第三章 情况说明", "第三部分 部门决算情况说明（含预算绩效）",
                                     "第三部分 中共忻州市委办公室2023年度部门决算情况说明",
                                     "三、中共忻州市委办公室2023年度部门决算情况说明"])
def test_other_numberings_of_the_narrative(tmp_path, heading):
    text = (f"第二部分 2023年部门决算表\n{heading}\n一、其他重要事项情况说明\n"
            "2023年机关运行经费支出283.76万元，比2022年增加35.05万元，增长14.09%。\n第四部分 名词解释\n")
    claims = scan_narrative(_doc(tmp_path, text)).claims
    assert one(claims, "机关运行经费", "同比增减额", 4).value == 35.05
    assert set(claims.part) == {heading}


def test_a_part_only_in_the_toc_is_found_by_its_first_entry(tmp_path):
    text = ("目录\n第一部分 概况\n第二部分 部门决算表\n第三部分 情况说明\n一、收入支出决算总体情况说明\n第四部分 名词解释\n"
            "第一部分 概况\n本单位为行政单位。\n第二部分 部门决算表\n收入支出决算总表\n"
            "一、收入支出决算总体情况说明\n2023年度收入总计2,795.38万元，支出总计2,795.38万元。\n"
            "第四部分 名词解释\n")
    found = locate_parts(_doc(tmp_path, text))
    used = found.table[found.table.status == "used"].set_index("kind")
    assert used.loc["narrative", "how"] == "目录 first entry"
    assert (used.loc["narrative", "first_line"], used.loc["narrative", "last_line"]) == (11, 12)
    assert used.loc["tables", "last_line"] == 10
    claims = scan_narrative(_doc(tmp_path, text)).claims
    assert one(claims, "收入总计", "决算数", 12).section == "一、收入支出决算总体情况说明"


def test_two_headings_for_one_part_are_a_recorded_problem(tmp_path):
    text = ("第三部分 情况说明\n一、收入支出决算总体情况说明\n2023年度收入总计2,795.38万元。\n"
            "第四部分 名词解释\n一、基本支出：指人员支出。\n第五部分 情况说明\n无。\n")
    found = locate_parts(_doc(tmp_path, text))
    t = found.table
    assert list(t[t.kind == "narrative"].status) == ["used", "duplicate"]
    assert [(p.stage, p.line) for p in found.problems] == [("parts", 6)]
    assert "two headings for the 情况说明 part" in found.problems[0].message


def test_a_toc_part_missing_from_the_body_is_a_problem(tmp_path):
    text = "目录\n第一部分 概况\n第四部分 名词解释\n第一部分 概况\n本单位为行政单位。\n"
    found = locate_parts(_doc(tmp_path, text))
    assert [(p.stage, p.line) for p in found.problems] == [("parts", 3)]


# ------------------------------------------------------------------------- phrasing families

FAMILIES = (TOC_AND_WRAPPED.split("第四部分 名词解释\n一、")[0] +
            """二、一般公共预算财政拨款支出决算情况说明
一般公共预算财政拨款支出年初预算为100.00万元，全年预算为120.00万元，支出决算为110.00万元，完成年初预算的110.00%，完成全年预算的91.67%。决算数大于年初预算数的主要原因：年中追加预算。
一般公共预算财政拨款支出110.00万元，较上年增加10.00万元，增幅10.00%。其中：基本支出80.00万元，占72.73%；项目支出30.00万元，占比27.27%。
1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：机关人员经费及公用经费。年初预算为 90.00 万元，支出决算为85.00万元。决算数小于预算数的主要原因：人员变化。
2、住房保障支出（类）住房改革支出（款）住房公积金（项）。主要用于：缴纳在职人员住房公积金。年初预算为 25.00 万元，支出决算为25.00万元。决算数同预算数持平。
三、财政拨款“三公”经费支出决算情况说明
“三公”经费财政拨款支出决算为3.50万元，完成预算的87.50%，同比下降幅度为9.09%。公务用车保有量三辆，出国团组两个。公务接待费支出决算为0.50万元，共接待十二人次。
四、其他重要事项的情况说明
机关运行经费支出1,846,500.00元，比2023年度增加25,500元，增长1.40%。
2024年度政府采购支出总额49.13万元，其中：政府采购货物支出7.72万元、政府采购工程支出2.02万元、政府采购服务支出39.38万元；授予中小企业合同金额49.13万元，占政府采购支出总额的100.00%。
截至2024年12月31日，本部门共有车辆三辆，其中：其他用车三辆；单价100万元（含）以上设备（不含车辆）2台（套）。
第四部分 名词解释
一、机关运行经费：指行政单位的公用经费。
""")


@pytest.fixture(scope="module")
def fam(tmp_path_factory):
    doc = _doc(tmp_path_factory.mktemp("fam"), FAMILIES)
    return scan_narrative(doc)


def test_fixture_reads_without_problems(fam):
    assert fam.problems == []
    assert fam.coverage["rate"] >= 95 and fam.coverage["problems"] == 0


def test_year_on_year_family(fam):
    c = fam.claims
    ch = one(c, "收入支出总计", "同比增减额", 15)        # 减少-5.00万元: a clean subject, value as printed
    assert (ch.value, ch.signed_value, ch.value_text, ch.direction_word) == (5.00, 5.00, "-5.00", "减少")
    r = one(c, "收入支出总计", "同比增减率", 15)         # 下降幅度为0.41%
    assert (r.value, r.direction, r.direction_word, r.compare_year) == (0.41, "减少", "下降幅度", 2023)
    r = one(c, "一般公共预算财政拨款支出", "同比增减率", 18)   # 较上年…增幅10.00%
    assert (r.value, r.direction_word) == (10.00, "增幅")
    r = one(c, "三公经费", "同比增减率", 22)            # 同比下降幅度为9.09%
    assert (r.value, r.direction, r.direction_word) == (9.09, "减少", "下降幅度")


def test_budget_and_final_family_with_comparison(fam):
    c = fam.claims
    assert one(c, "一般公共预算财政拨款支出", "年初预算", 17).budget == "年初"
    assert one(c, "一般公共预算财政拨款支出", "全年预算", 17).value == 120.00
    assert one(c, "一般公共预算财政拨款支出", "全年预算", 17).budget == "全年"
    assert one(c, "一般公共预算财政拨款支出", "完成率", 17, budget="年初").value == 110.00
    assert one(c, "一般公共预算财政拨款支出", "完成率", 17, budget="全年").value == 91.67
    v = one(c, "一般公共预算财政拨款支出", "决算与预算比较", 17)
    assert (v.direction, v.direction_word, v.budget, bool(v.implied)) == ("大于", "大于", "年初", True)
    assert math.isnan(v.value)
    assert one(c, "三公经费", "完成率", 22).budget == ""      # 完成预算的87.50%: no named budget


def test_shares_and_breakdown_family(fam):
    c = fam.claims
    assert one(c, "基本支出", "决算数", 18).parent == "一般公共预算财政拨款支出"
    assert one(c, "基本支出", "占比", 18).value == 72.73
    assert one(c, "项目支出", "占比", 18).basis == "一般公共预算财政拨款支出"


def test_class_kind_item_family_with_purpose(fam):
    c = fam.claims
    r = one(c, "行政运行", "年初预算", 19)
    assert (r["class_name"], r["kind_name"], r["item_name"], r.category_level) == ("一般公共服务支出", "财政事务", "行政运行", "(项)")
    assert r.purpose == "机关人员经费及公用经费"
    assert one(c, "行政运行", "决算数", 19).value == 85.00
    assert one(c, "行政运行", "决算与预算比较", 19).direction == "小于"
    flat = one(c, "住房公积金", "决算与预算比较", 20)
    assert (flat.direction, flat.direction_word, flat["class_name"]) == ("等于", "持平", "住房保障支出")
    assert one(c, "住房公积金", "决算数", 20).purpose == "缴纳在职人员住房公积金"


def test_three_public_family_with_chinese_numerals(fam):
    c = fam.claims
    assert one(c, "三公经费", "决算数", 22).value == 3.50
    assert one(c, "三公经费", "完成率", 22).value == 87.50
    car = one(c, "公务用车保有量", "辆", 22)
    assert (car.value, car.value_text) == (3.0, "三")
    assert one(c, "出国团组", "个", 22).value == 2.0
    visit = one(c, "公务接待费", "人次", 22)
    assert (visit.value, visit.value_text, visit.qualifier) == (12.0, "十二", "接待")


def test_amounts_printed_in_yuan(fam):
    c = fam.claims
    r = one(c, "机关运行经费", "决算数", 24)
    assert (r.value, r.unit, r.printed_unit, r.value_text) == (184.65, "万元", "元", "1,846,500.00")
    ch = one(c, "机关运行经费", "同比增减额", 24)
    assert (ch.value, ch.printed_unit) == (2.55, "元")


def test_procurement_and_assets_families(fam):
    c = fam.claims
    assert one(c, "政府采购", "决算数", 25).value == 49.13
    assert one(c, "政府采购工程支出", "决算数", 25).parent == "政府采购"
    assert one(c, "授予中小企业合同金额", "占比", 25).basis == "政府采购"
    assert one(c, "车辆", "辆", 26).value == 3.0
    assert one(c, "其他用车", "辆", 26).parent == "车辆"
    eq = one(c, "单价100万元（含）以上设备（不含车辆）", "台套", 26)
    assert (eq.value, eq.printed_unit) == (2.0, "台（套）")


def test_overview_staffing_in_chinese_numerals(tmp_path):
    ov = parse_overview(_doc(tmp_path, FAMILIES))
    assert (ov["staffing"], ov["unit_type"]) == (20, "行政单位")


# ------------------------------------------------------- the same columns on the two documents

@pytest.fixture(scope="module")
def seed():
    return scan_narrative(read_text_document(SEED)).claims


def test_seed_new_columns(seed):
    # line 460: 一般公共服务支出年初预算4585.73万元，…完成年初预算的53.57%，用于人员工资薪金发放…。较2022年决算增加539.80万元，增加28.16%
    r = one(seed, "一般公共服务支出", "完成率", 460)
    assert (r.budget, r.purpose) == ("年初", "人员工资薪金发放及社保费用交纳、日常办公运转及专项工作任务保障")
    assert one(seed, "一般公共服务支出", "同比增减率", 460).direction_word == "增加"
    assert one(seed, "社会保障和就业支出", "同比增减率", 460).direction_word == "增长"
    assert one(seed, "社会保障和就业支出", "同比增减额", 460).purpose == "机关事业单位基本养老保险方面的支出"
    # line 482: 全年预算8.59万元，…完成全年预算的100.00%
    assert one(seed, "三公经费", "全年预算", 482).budget == "全年"
    assert one(seed, "三公经费", "完成率", 482).budget == "全年"
    # line 484: 与上年相同
    assert one(seed, "因公出国（境）费", "同比增减额", 484).direction_word == "相同"
    # line 498: 使用财政拨款负担的公务用车保有量共3辆车
    car = one(seed, "公务用车保有量", "辆", 498)
    assert (car.value, car.printed_unit) == (3.0, "辆车")
    assert one(seed, "一般公共服务支出", "决算数", 446)["class_name"] == "一般公共服务支出"


@pytest.fixture(scope="module")
def putuo():
    pdf_source = pytest.importorskip("xinzhou_fiscal.read.pdf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return scan_narrative(pdf_source.read_pdf_document(PDF)).claims


def _on_page(claims, subject, metric, page, **extra):
    sel = claims[(claims.subject == subject) & (claims.metric == metric) & (claims.page == page)]
    for k, v in extra.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, sel
    return sel.iloc[0]


def test_putuo_new_columns(putuo):
    # page 22, item 1: 一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：局本部人员经费及公用经费等的基本支出。
    r = _on_page(putuo, "行政运行", "决算数", 22)
    assert (r["class_name"], r["kind_name"], r["item_name"]) == ("一般公共服务支出", "财政事务", "行政运行")
    assert r.purpose == "局本部人员经费及公用经费等的基本支出"
    assert r.value == 1511.89
    assert _on_page(putuo, "行政运行", "决算与预算比较", 22).direction_word == "小于"
    # item 2: 决算数与预算数基本持平
    assert _on_page(putuo, "一般行政管理事务", "决算与预算比较", 22).direction == "等于"
    assert _on_page(putuo, "住房公积金", "年初预算", 22)["kind_name"] == "住房改革支出"
    # page 21: 完成年初预算的98.20%; page 23: 三公 完成预算的0%
    assert _on_page(putuo, "一般公共预算财政拨款支出", "完成率", 21).budget == "年初"
    assert _on_page(putuo, "三公经费", "完成率", 23).budget == ""
    assert _on_page(putuo, "三公经费", "决算与预算比较", 23).direction == "小于"
    # page 21: 与2023年度相比，…减少56.95万元，下降1.87%
    r = _on_page(putuo, "收入支出总计", "同比增减率", 21)
    assert (r.direction_word, r.compare_year) == ("下降", 2023)


@pytest.mark.parametrize("sentence,staffing,unit_type", [
    ("中共忻州市委办公室（本级）为行政单位，人员编制数为138人。", 138, "行政单位"),            # the seed, line 45
    ("本单位系参照公务员法管理的事业单位，核定编制十二名。", 12, "参照公务员法管理的事业单位"),
    ("单位性质：公益一类事业单位，编制人数共25人。", 25, "公益一类事业单位"),
    ("本部门属于参公单位，人员编制数为两百人。", 200, "参公单位"),
])
def test_overview_staffing_and_unit_type_variants(tmp_path, sentence, staffing, unit_type):
    ov = parse_overview(_doc(tmp_path, f"第一部分 概况\n二、机构设置情况\n{sentence}\n第二部分 部门决算表\n"))
    assert (ov["staffing"], ov["unit_type"]) == (staffing, unit_type)


def test_overview_figures_other_than_head_counts_are_classified_not_claimed(tmp_path):
    # a 概况 with a numbered list of duties and a score (the case of a real Putuo report): only the
    # head count is a claim; the rest is classified, and the 情况说明 still reads
    text = ("第一部分 概况\n一、主要职能\n（十五）完成区委交办的其他任务，考核得分15分，共设5个科室。\n"
            "二、机构设置\n本局为行政单位，人员编制数为45人。\n"
            "第三部分 情况说明\n一、收入支出决算总体情况说明\n2024年度收入总计100.00万元。\n第四部分 名词解释\n")
    scan = scan_narrative(_doc(tmp_path, text))
    assert scan.problems == []
    assert list(zip(scan.claims.subject, scan.claims.value)) == [("人员编制数", 45.0), ("收入总计", 100.0)]
    led = scan.ledger
    assert list(led[led.line == 3].reason) == ["overview", "overview"]


def test_part_heading_ends_a_table_region(tmp_path):
    from xinzhou_fiscal.read.source import PART_HEADING
    assert PART_HEADING.match("第三章 情况说明") and PART_HEADING.match("第三部分 部门决算情况说明（含预算绩效）")
    assert PART_HEADING.match("三、上海市普陀区财政局2024年度部门决算情况说明")
    assert not PART_HEADING.match("一、收入支出决算总体情况说明")
    doc = _doc(tmp_path, "收入支出决算总表\n公开01表\n单位：万元\n项目\t金额\n收入合计\t1,100.00\n"
                         "三、部门决算情况说明\n一、收入支出决算总体情况说明\n2024年度收入总计1,100.00万元，共3个项目。\n")
    block = doc.tables[0]
    assert (block.start_line, block.end_line) == (1, 5)
    assert [r.cells for r in block.rows] == [("项目", "金额"), ("收入合计", "1,100.00")]


@pytest.mark.parametrize("text,units", [
    # the seed's numbered lines (lines 49–53, cut-off name kept as printed)
    ("纳入中共忻州市委办公室2024年度单位预算公开范围的包括：\n1. 中国共产党忻州市委员会办公室机关\n2. 忻州市保密技术检查中心\n",
     ["中国共产党忻州市委员会办公室机关", "忻州市保密技术检查中心"]),
    ("纳入本部门2024年度部门决算编制范围的二级预算单位共2个，包括：上海市普陀区财政局（本级）、上海市普陀区国库收付中心。\n",
     ["上海市普陀区财政局（本级）", "上海市普陀区国库收付中心"]),
    ("从预算单位构成看，本部门决算单位分别是：上海市普陀区财政局本级、上海市普陀区财政局财政所。\n",
     ["上海市普陀区财政局本级", "上海市普陀区财政局财政所"]),
])
def test_units_included_variants(tmp_path, text, units):
    ov = parse_overview(_doc(tmp_path, f"第一部分 概况\n二、部门决算单位构成\n{text}第二部分 部门决算表\n"))
    assert ov["units_included"] == units


def test_an_unnumbered_title_is_a_part_only_when_no_numbered_heading_names_it(tmp_path):
    cover = "中共忻州市委办公室2023年度部门决算情况说明\n"
    body = ("第三部分 情况说明\n一、收入支出决算总体情况说明\n2023年度收入总计2,795.38万元。\n第四部分 名词解释\n")
    found = locate_parts(_doc(tmp_path, cover + body))
    assert found.problems == [] and list(found.table.first_line) == [2, 5]
    # without a numbered heading the same title line starts the part
    found = locate_parts(_doc(tmp_path, cover + body.replace("第三部分 情况说明\n", "")))
    t = found.table.set_index("kind")
    assert (t.loc["narrative", "first_line"], t.loc["narrative", "numbering"]) == (1, "")


#: a 目录 numbering its parts 一、…五、 where 五、 is a part of no known kind (a university budget's
#: 五、项目绩效目标表), and a narrative whose sections are numbered 一、二、… like the parts (as the
#: fixture above); the 目录 lists the sections as （一）（二）
OTHER_PART = """目录
一、学校基本情况
二、部门预算报表
三、部门预算情况说明
（一）收支预算情况说明
四、名词解释
五、项目绩效目标表
一、学校基本情况
本校为事业单位。
二、部门预算报表
收支预算总表
三、部门预算情况说明
一、收支预算情况说明
2023年收支总预算1,000.00万元。
二、收入预算情况说明
三、支出预算情况说明
四、财政拨款支出预算情况说明
五、其他情况说明
本年收入预算1,000.00万元。
四、名词解释
1.财政拨款收入：指中央财政当年拨付的资金。
五、项目绩效目标表
236 教育教学改革专项绩效目标表
年度资金总额：2112.76
"""


def test_a_listed_part_of_no_known_kind_ends_the_part_before_it(tmp_path):
    found = locate_parts(_doc(tmp_path, OTHER_PART))
    t = found.table.set_index(["status", "kind"])
    # 四、名词解释 (line 20) runs to line 21; 五、项目绩效目标表 (line 22) is a part of its own, to the end
    assert (t.loc[("used", "glossary"), "first_line"], t.loc[("used", "glossary"), "last_line"]) == (20, 21)
    other = t.loc[("other", "other")]
    assert (other["heading"], other["first_line"], other["last_line"]) == ("五、项目绩效目标表", 22, 24)
    # the narrative's sections 一、… 五、 (lines 13–18) are no parts: the 目录 lists them as （一）, and its 五、
    # entry is printed on line 22, not line 18; the narrative runs from line 12 to line 19
    assert (t.loc[("used", "narrative"), "first_line"], t.loc[("used", "narrative"), "last_line"]) == (12, 19)
    assert [p.heading for p in found.others] == ["五、项目绩效目标表"] and "other" not in found.parts
    assert found.problems == []


def test_without_a_listed_entry_nothing_is_cut(tmp_path):
    """The same report with a 目录 that does not list 五、: the glossary runs to the end, as before."""
    text = OTHER_PART.replace("五、项目绩效目标表\n一、学校基本情况", "一、学校基本情况", 1)
    found = locate_parts(_doc(tmp_path, text))
    t = found.table.set_index(["status", "kind"])
    assert t.loc[("used", "glossary"), "last_line"] == 23 and found.others == ()
