"""概况 and 名词解释. Expected values typed from data/raw/xinzhou_swbgs_2023_final.txt."""
from __future__ import annotations

from pathlib import Path

import pytest

from xinzhou_fiscal.read.source import read_text_document
from xinzhou_fiscal.text.overview import parse_glossary, parse_overview

SEED = Path(__file__).resolve().parents[1] / "data" / "raw" / "xinzhou_swbgs_2023_final.txt"


@pytest.fixture(scope="module")
def doc():
    return read_text_document(SEED)


def test_overview(doc):
    o = parse_overview(doc)
    # line 45: 中共忻州市委办公室（本级）为行政单位，人员编制数为138人
    assert o["staffing"] == 138 and o["lines"]["staffing"] == 45
    assert o["unit_type"] == "行政单位" and o["lines"]["unit_type"] == 45
    # lines 51–53, as printed (the third is cut off in the source: 信息化中 for 信息化中心)
    assert o["units_included"] == ["中国共产党忻州市委员会办公室机关", "忻州市保密技术检查中心", "忻州市委信息化中"]
    assert o["lines"]["units_included"] == [51, 52, 53]
    assert "正处级建制" in o["text"]


def test_a_cut_off_unit_name_is_reported_not_fixed(doc):
    problems = parse_overview(doc)["problems"]
    assert [(p.stage, p.line, p.text) for p in problems] == [("overview", 53, "忻州市委信息化中")]
    assert "忻州市委信息化中心" in problems[0].message


def test_overview_from_a_sentence_list_and_missing_parts(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("第一部分 概况\n二、部门决算单位构成\n本部门为事业单位，核定编制45名。纳入本部门决算范围的包括："
                 "某局机关、某中心、某站。\n第二部分 决算表\n", encoding="utf-8")
    o = parse_overview(read_text_document(p))
    assert (o["staffing"], o["unit_type"]) == (45, "事业单位")
    assert o["units_included"] == ["某局机关", "某中心", "某站"] and o["problems"] == []
    p.write_text("第二部分 决算表\n", encoding="utf-8")
    o = parse_overview(read_text_document(p))
    assert o["staffing"] is None and [x.stage for x in o["problems"]] == ["overview"]


TERMS = ["财政拨款收入", "事业收入", "经营收入", "其他收入", "使用非财政拨款结余", "年初结转和结余", "结余分配",
         "年末结转和结余", "基本支出", "项目支出", "“三公”经费", "机关运行经费", "行政运行", "一般行政管理事务",
         "事业运行"]


def test_glossary(doc):
    g = parse_glossary(doc)
    assert list(g.columns[:3]) == ["term", "definition", "line"]
    assert list(g.term) == TERMS
    assert list(g.line) == list(range(530, 545))
    assert g.definition.iloc[0] == "指单位从同级财政部门取得的财政预算资金。"
    # the 15th definition wraps over a blank line (lines 544–546) and is joined
    last = g.iloc[14]
    assert last.definition == ("是反映事业单位的基本支出，不包括行政单位（包括实行公务员管理的事业单位) "
                               "后勤服务中心、医务室等附属事业单位。")
    assert (last.line, last.end_line, last.number) == (544, 546, "十五")


def test_no_glossary_gives_an_empty_frame(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text("第一部分 概况\n", encoding="utf-8")
    g = parse_glossary(read_text_document(p))
    assert g.empty and list(g.columns[:3]) == ["term", "definition", "line"]


def test_shanghai_pdf_overview_and_glossary():
    """The PDF reader's lines (Putuo 2024): units in a small 序号 | 单位名称 | 备注 table on page 5,
    no 人员编制数 in this 概况 (reported, not invented), 11 glossary terms on page 25."""
    pdf_source = pytest.importorskip("xinzhou_fiscal.read.pdf")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = pdf_source.read_pdf_document(Path(__file__).resolve().parents[1] / "data" / "raw" /
                                           "putuo_czj_2024_final.pdf")
    o = parse_overview(doc)
    assert o["units_included"] == ["上海市普陀区财政局（本级）", "上海市普陀区财政局财政所", "上海市普陀区国库收付中心"]
    assert o["pages"]["units_included"] == [5, 5, 5]
    assert o["staffing"] is None and any("人员编制数" in p.message for p in o["problems"])
    g = parse_glossary(doc)
    assert len(g) == 11 and g.term.iloc[0] == "财政拨款收入" and g.term.iloc[-1] == "机关运行经费"
    assert set(g.page) == {25}
    assert g.definition.iloc[9].startswith("指单位使用本级财政拨款安排的因公出国（境）费")
