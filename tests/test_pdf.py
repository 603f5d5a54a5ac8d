"""The PDF path: a real Shanghai-variant report (上海市普陀区财政局 2024) read into lines and tables,
the facts the table parsers take from it, synthetic PDFs for the Xinzhou variant and the edge
cases (continuation pages, repeated headers, a document cut off mid-table), and the files that
must be refused (scanned, not a report, corrupt, password-protected, empty).

Every value pinned below was typed from the rendered pages of the sample PDF, not copied from
the reader's output.
"""
from __future__ import annotations

import hashlib
import re
import warnings
from pathlib import Path

import pytest

from xinzhou_fiscal import paths
from xinzhou_fiscal.errors import (
    EmptyPdfError,
    EmptyReportError,
    NotAReportError,
    PdfCorruptError,
    PdfEncryptedError,
    PdfError,
    PdfNoTextError,
    PdfWarning,
    TruncatedTableError,
)
from xinzhou_fiscal.read.pdf import read_pdf_document

PUTUO = paths.RAW_DIR / "putuo_czj_2024_final.pdf"
PUTUO_SHA256 = "d45e923176f9fe4b6533829d3a2fe67f8cbcd55d07099dabf73aca62701f8eb5"

TITLES = [
    "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表",
    "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算表",
    "财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表",
    "国有资本经营预算财政拨款收入支出决算表",
]


# ---------------------------------------------------------------------------------------------
# fixtures and helpers
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def doc():
    assert hashlib.sha256(PUTUO.read_bytes()).hexdigest() == PUTUO_SHA256, "the sample PDF was modified"
    return read_pdf_document(PUTUO)


@pytest.fixture(scope="module")
def blocks(doc):
    return {b.title: b for b in doc.tables}


def row(block, *start):
    """The one row whose first cells are ``start`` (e.g. a code, or a code and a name)."""
    found = [r for r in block.rows if r.cells[:len(start)] == start]
    assert len(found) == 1, (block.title, start, [r.cells for r in found])
    return found[0]


def row_with(block, label):
    found = [r for r in block.rows if label in r.cells]
    assert len(found) == 1, (block.title, label, [r.cells for r in found])
    return found[0]


def line_containing(doc, *parts):
    found = [ln for ln in doc.lines if all(p in ln.text for p in parts)]
    assert len(found) == 1, (parts, found)
    return found[0]


# ---------------------------------------------------------------------------------------------
# the document as a whole
# ---------------------------------------------------------------------------------------------

def test_document_shape(doc):
    assert doc.kind == "pdf" and doc.encoding is None and doc.page_count == 25
    assert doc.path == PUTUO
    assert [b.title for b in doc.tables] == TITLES
    assert all(b.number is None for b in doc.tables)          # Shanghai prints no 公开NN表
    assert all(b.unit == "万元" for b in doc.tables)
    assert all(b.closed for b in doc.tables)
    assert [b.page for b in doc.tables] == [6, 8, 10, 12, 15, 16, 18, 19, 20]


def test_lines_are_numbered_in_reading_order(doc):
    assert [ln.line for ln in doc.lines] == list(range(1, len(doc.lines) + 1))
    pages = [ln.page for ln in doc.lines]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == 25
    assert 14 not in pages                                    # the blank page has no text


def test_each_table_row_is_one_line_and_only_once(doc):
    for b in doc.tables:
        for r in b.rows:
            assert doc.lines[r.line - 1].text == "\t".join(r.cells)
            assert doc.lines[r.line - 1].page == r.page
        assert b.start_line < b.rows[0].line <= b.rows[-1].line <= b.end_line
        assert doc.lines[b.start_line - 1].text == b.title
    assert sum("1,238.58" in ln.text for ln in doc.lines) == 1
    assert sum("2,961.68" in ln.text for ln in doc.lines) == 1


def test_no_number_is_left_on_a_line_of_its_own(doc):
    """pdfplumber's plain extract_text puts the narrative's numbers (a Latin font set lower than
    the Chinese one) on separate lines; the reader puts them back into their sentences."""
    loose = [ln for ln in doc.lines if "\t" not in ln.text and re.fullmatch(r"[\d.,%\s]+", ln.text)]
    assert loose == []


# ---------------------------------------------------------------------------------------------
# narrative, 概况, 名词解释
# ---------------------------------------------------------------------------------------------

def test_narrative_sentences_have_their_numbers_inline(doc):
    ln = line_containing(doc, "2946.25", "99.79%")
    assert ln.text == ("本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；"
                       "其他收入6.2万元，占0.21%；")
    assert ln.page == 21
    assert line_containing(doc, "本年支出合计2940.05万元").text == (
        "本年支出合计2940.05万元，其中：基本支出2336.91万元，占79.49%；项目支出603.14万元，占20.51%；")
    assert "收入支出总计减少56.95万元，下降1.87%" in line_containing(doc, "2995.39万元").text
    assert "年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%" in \
        line_containing(doc, "2993.92").text
    # a sentence wrapped across three visual lines, the number at the start of the last one
    assert line_containing(doc, "445.69万元，占15.16%；").page == 21
    assert line_containing(doc, "机关运行经费支出184.65万元").text.startswith(
        "机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。")
    assert "平均得分99.43分" in line_containing(doc, "绩效自评的2024年度项目4个").text
    assert "单价100万元（含）以上设备（不含车辆）2台（套）" in line_containing(doc, "共有车辆0辆").text


def test_headings_overview_and_glossary_are_lines(doc):
    texts = [ln.text for ln in doc.lines]
    for heading in ("第一部分 上海市普陀区财政局概况", "二、收入决算情况说明", "第四部分 名词解释",
                    "七、财政拨款“三公”经费支出决算情况说明"):
        assert heading in texts
    assert "第三条 上海市普陀区财政局的主要职责是：" in texts
    # the unit list in 概况 is a ruled table without a title: its rows are lines, not a table
    assert "2\t上海市普陀区财政局财政所\t预算不单列，并入本级" in texts
    glossary = line_containing(doc, "十一、机关运行经费：")
    assert glossary.text.endswith("基本支出中的日常公用经费支出。") and glossary.page == 25
    assert line_containing(doc, "四、其他收入：").text == \
        "四、其他收入：指除上述“财政拨款收入”“事业收入”“经营收入”等以外的收入。"


# ---------------------------------------------------------------------------------------------
# the nine tables, value by value
# ---------------------------------------------------------------------------------------------

def test_income_expenditure_summary(blocks):
    b = blocks["收入支出决算总表"]
    assert b.rows[0].cells == ("收入", "", "支出", "")
    assert b.rows[1].cells == ("项目", "决算数", "项目", "决算数")
    assert row(b, "一、一般公共预算财政拨款收入").cells == (
        "一、一般公共预算财政拨款收入", "2,940.05", "一、一般公共服务支出", "2,106.66")
    assert row(b, "八、其他收入").cells == ("八、其他收入", "6.20", "八、社会保障和就业支出", "326.71")
    assert row(b, "", "", "九、卫生健康支出").cells[3] == "60.99"
    assert row(b, "", "", "十九、住房保障支出").cells[3] == "445.69"
    assert row(b, "本年收入合计").cells == ("本年收入合计", "2,946.25", "本年支出合计", "2,940.05")
    # continued on page 7 without a title: merged into the same block
    assert row(b, "年初结转和结余").cells == ("年初结转和结余", "49.14", "年末结转和结余", "55.34")
    total = row(b, "总计")
    assert total.cells == ("总计", "2,995.39", "总计", "2,995.39") and total.page == 7
    assert {r.page for r in b.rows} == {6, 7}


def test_income_table(blocks):
    b = blocks["收入决算表"]
    head = [r.cells for r in b.rows[:3]]
    assert head[0] == ("项目", "", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
                       "附属单位上缴收入", "其他收入")
    assert head[1][:2] == ("支出功能分类", "科目名称") and head[2][0] == "科目编码"
    assert row(b, "", "合计").cells[2:] == ("2,946.25", "2,940.05", "", "", "", "", "6.20")
    assert row(b, "201").cells[1:5] == ("一般公共服务支出", "2,112.86", "2,106.66", "")
    assert row(b, "20106").cells[8] == "6.20"
    r = row(b, "2010601", "行政运行")
    assert (r.cells[2], r.cells[3], r.cells[8]) == ("1,511.90", "1,511.89", "0.01")
    r = row(b, "2010602")
    assert (r.cells[1], r.cells[2], r.cells[3], r.cells[8]) == ("一般行政管理事务", "16.19", "10.00", "6.19")
    # names wrapped inside their cells come back whole
    assert row(b, "2080505").cells[1:4] == ("机关事业单位基本养老保险缴费支出", "160.75", "160.75")
    assert row(b, "2080506").cells[1:3] == ("机关事业单位职业年金缴费支出", "80.38")
    assert row(b, "2080599").cells[2] == "0.94"
    # page 9 continues the table
    r = row(b, "2210203", "购房补贴")
    assert r.cells[2:4] == ("258.50", "258.50") and r.page == 9
    assert row(b, "2210201").cells[2] == "187.19"
    assert len(b.rows) == 23 and all(len(r.cells) == 9 for r in b.rows)


def test_expenditure_table(blocks):
    b = blocks["支出决算表"]
    assert b.rows[0].cells[2:] == ("本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出",
                                   "对附属单位补助支出")
    assert row(b, "", "合计").cells[2:5] == ("2,940.05", "2,336.91", "603.14")
    assert row(b, "201").cells[2:5] == ("2,106.66", "1,503.52", "603.14")
    assert row(b, "2010601").cells[2:5] == ("1,511.89", "1,503.52", "8.37")
    assert row(b, "2010608").cells[2:5] == ("449.52", "", "449.52")
    assert row(b, "2080506").cells[1] == "机关事业单位职业年金缴费支出"
    assert row(b, "2080599").page == 11


def test_fiscal_grant_summary(blocks):
    b = blocks["财政拨款收入支出决算总表"]
    assert b.rows[1].cells == ("项目", "决算数", "项目", "合计", "一般公共预算财政拨款",
                               "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
    assert row(b, "一、一般公共预算财政拨款", "2,940.05").cells[2:5] == ("一、一般公共服务支出", "2,106.66", "2,106.66")
    assert row(b, "二、政府性基金预算财政拨款", "", "二、外交支出").page == 12   # wrapped in its cell
    assert row(b, "", "", "十四、资源勘探工业信息等支出").page == 13
    assert row(b, "", "", "二十六、抗疫特别国债安排的支出").cells[3:] == ("", "", "", "")
    assert row(b, "本年收入合计").cells == ("本年收入合计", "2,940.05", "本年支出合计", "2,940.05", "2,940.05",
                                           "", "")
    assert row(b, "年初财政拨款结转和结余").cells[:5] == (
        "年初财政拨款结转和结余", "21.63", "年末财政拨款结转和结余", "21.63", "21.63")
    assert row(b, "一、一般公共预算财政拨款", "21.63").page == 13
    assert row(b, "总计").cells == ("总计", "2,961.68", "总计", "2,961.68", "2,961.68", "", "")
    # page 14 holds nothing but an empty ruled row: it adds no row
    assert {r.page for r in b.rows} == {12, 13} and b.rows[-1].cells[0] == "总计"


def test_general_budget_expenditure(blocks):
    b = blocks["一般公共预算财政拨款支出决算表"]
    assert b.rows[0].cells == ("项目", "", "合计", "基本支出", "项目支出")
    assert row(b, "2010601", "行政运行").cells[2:] == ("1,511.89", "1,503.52", "8.37")
    assert row(b, "2080505").cells[1:3] == ("机关事业单位基本养老保险缴费支出", "160.75")
    assert row(b, "221").cells[2:] == ("445.69", "445.69", "")
    assert b.rows[-1].cells == ("合计", "", "2,940.05", "2,336.91", "603.14")


def test_general_budget_basic(blocks):
    b = blocks["一般公共预算财政拨款基本支出决算表"]
    assert b.rows[0].cells == ("经济分类", "科目名称", "决算数", "经济分类", "科目名称", "决算数")
    assert row(b, "301").cells == ("301", "工资福利支出", "2,082.85", "302", "商品和服务支出", "171.07")
    assert row(b, "30102").cells[:3] == ("30102", "津贴补贴", "1,238.58")
    assert row(b, "30101").cells == ("30101", "基本工资", "262.33", "30201", "办公费", "21.21")
    assert row(b, "30108").cells[1:3] == ("机关事业单位基本养老保险缴费", "160.75")
    assert row(b, "30113").cells[3:] == ("30212", "因公出国（境）费用", "")  # justified text, no spaces
    assert row(b, "303").cells[:3] == ("303", "对个人和家庭的补助", "69.41")
    assert row(b, "30302").cells[2] == "69.10"
    r = row(b, "30309")
    assert r.cells == ("30309", "奖励金", "0.31", "30228", "工会经费", "24.42") and r.page == 17
    right = {r.cells[3]: r.cells[4:] for r in b.rows}          # the right-hand column group
    assert right["30239"] == ("其他交通费用", "48.49")
    assert right["30299"] == ("其他商品和服务支出", "11.53")
    assert right["310"] == ("资本性支出", "13.58")
    assert right["31002"] == ("办公设备购置", "13.58")
    assert right["31007"] == ("信息网络及软件购置更新", "")
    assert b.rows[-1].cells == ("人员经费合计", "", "2,152.26", "公用经费合计", "", "184.65")


def test_three_public(blocks):
    b = blocks["财政拨款“三公”经费支出决算表"]
    cells = [r.cells for r in b.rows]
    assert cells[0][0] == "财政拨款“三公”经费"
    assert cells[1][0] == "合计" and cells[1][2] == "因公出国（境）费" and cells[1][4] == "公务用车购置及运行费"
    assert cells[1][10] == "公务接待费"
    assert cells[2][4] == "小计" and cells[2][6] == "公务用车购置费" and cells[2][8] == "公务用车运行费"
    assert cells[-2] == ("预算数", "决算数") * 6
    # 合计 预算数 0.95 and 公务接待费 预算数 0.95; every 决算数 is blank
    assert cells[-1] == ("0.95",) + ("",) * 9 + ("0.95", "")


@pytest.mark.parametrize("title,who", [
    ("政府性基金预算财政拨款收入支出决算表", "政府性基金预算"),
    ("国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算"),
])
def test_empty_tables_have_their_note(blocks, title, who):
    b = blocks[title]
    assert [n.text for n in b.notes] == [f"注：上海市普陀区财政局无{who}财政拨款支出，故本表无数据。"]
    assert b.rows[0].cells == ("项目", "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余")
    assert b.rows[1].cells[:2] == ("支出功能分类科目编码", "科目名称")
    assert b.rows[-1].cells == ("合计",) + ("",) * 7
    assert not any(re.search(r"\d", c) for r in b.rows for c in r.cells)
    assert b.end_line == b.notes[-1].line


# ---------------------------------------------------------------------------------------------
# the facts the table parsers take from the PDF, and the identities they satisfy
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report():
    from xinzhou_fiscal.report.parse import read_report
    return read_report(PUTUO)


def amount(report, table, measure, code=None, item=None):
    f = report.facts
    sel = (f["table"] == table) & (f["measure"] == measure)
    if code is not None:
        sel &= f["code"] == code
    if item is not None:
        sel &= f["item"] == item
    got = f.loc[sel, "amount"].tolist()
    assert len(got) == 1, (table, measure, code, item, got)
    return got[0]


def close(total, parts, what):
    """total == sum(parts) up to the rounding of the printed values (0.005 each)."""
    tol = 0.005 * (len(parts) + 1) + 1e-9
    assert abs(total - sum(parts)) <= tol, f"{what}: {total} vs {sum(parts):.2f} ({parts})"


def test_report_from_pdf(report):
    assert report.year == 2024 and report.department == "上海市普陀区财政局"
    assert report.document.kind == "pdf"
    status = {k: t.status for k, t in report.tables.items()}
    assert status == {"income_expenditure_summary": "parsed", "income": "parsed", "expenditure": "parsed",
                      "fiscal_grant_summary": "parsed", "general_budget_expenditure": "parsed",
                      "general_budget_basic": "parsed", "three_public": "parsed", "gov_fund": "empty",
                      "state_capital": "empty", "related_info": "missing"}
    assert "本表无数据" in report.tables["gov_fund"].empty_note
    # the Shanghai template has nine tables: 公开10表 is not expected, so the report is complete
    assert report.template.id == "shanghai"
    assert report.tables["related_info"].required is False
    assert report.complete and report.missing_pieces == []


def test_pdf_facts_amounts(report):
    assert amount(report, "income", "本年收入合计", "2010601") == 1511.90
    assert amount(report, "income", "财政拨款收入", "2010601") == 1511.89
    assert amount(report, "income", "其他收入", "2010601") == 0.01
    assert amount(report, "income", "本年收入合计", "", "合计") == 2946.25
    assert amount(report, "expenditure", "基本支出", "", "合计") == 2336.91
    assert amount(report, "expenditure", "项目支出", "", "合计") == 603.14
    assert amount(report, "general_budget_expenditure", "基本支出", "2010601") == 1503.52
    assert amount(report, "general_budget_basic", "决算数", "30102") == 1238.58
    assert amount(report, "general_budget_basic", "决算数", "31002") == 13.58
    s = report.facts[report.facts["table"] == "income_expenditure_summary"]
    assert sorted(s.loc[s["item"] == "总计", "amount"]) == [2995.39, 2995.39]
    assert s.loc[s["item"] == "年初结转和结余", "amount"].tolist() == [49.14]
    tp = report.facts[report.facts["table"] == "three_public"]
    assert tp["amount"].tolist() == [0.95, 0.95]
    # every printed amount of every table became exactly one fact, with its line and page
    from collections import Counter
    printed = Counter((r.line, c) for b in report.document.tables for r in b.rows for c in r.cells
                      if re.fullmatch(r"[\d,]+\.\d\d", c))
    facts = Counter(zip(report.facts["line"].astype(int), report.facts["printed"]))
    assert printed == facts and sum(printed.values()) == len(report.facts) == 195


def _coded(report, table, measure):
    f = report.facts[(report.facts["table"] == table) & (report.facts["measure"] == measure)]
    return dict(zip(f["code"], f["amount"]))


@pytest.mark.parametrize("table,measures", [
    ("income", ["本年收入合计", "财政拨款收入", "其他收入"]),
    ("expenditure", ["本年支出合计", "基本支出", "项目支出"]),
    ("general_budget_expenditure", ["合计", "基本支出", "项目支出"]),
])
def test_coded_table_identities(report, table, measures):
    for m in measures:
        by_code = _coded(report, table, m)
        total = by_code.pop("")                                  # the 合计 row
        classes = {c: v for c, v in by_code.items() if len(c) == 3}
        close(total, list(classes.values()), f"{table} {m} 合计")
        for c3, v in classes.items():
            close(v, [v5 for c5, v5 in by_code.items() if len(c5) == 5 and c5[:3] == c3], f"{m} {c3}")
        for c5, v in ((c, v) for c, v in by_code.items() if len(c) == 5):
            kids = [v7 for c7, v7 in by_code.items() if len(c7) == 7 and c7[:5] == c5]
            if kids:
                close(v, kids, f"{m} {c5}")
    # per row: the total column = the sum of its parts
    tot, *parts = [_coded(report, table, m) for m in measures]
    for code, v in tot.items():
        close(v, [p.get(code, 0.0) for p in parts], f"{table} row {code or '合计'}")


def test_summary_and_economic_identities(report):
    s = "income_expenditure_summary"
    close(amount(report, s, "收入/决算数", item="总计"),
          [amount(report, s, "收入/决算数", item="本年收入合计"), amount(report, s, "收入/决算数", item="年初结转和结余")],
          "01 income 总计")
    close(amount(report, s, "支出/决算数", item="总计"),
          [amount(report, s, "支出/决算数", item="本年支出合计"), amount(report, s, "支出/决算数", item="年末结转和结余")],
          "01 expenditure 总计")
    f = report.facts
    exp_lines = f[(f["table"] == s) & (f["section"] == "expenditure") & f["item"].str.contains("、")]
    close(amount(report, s, "支出/决算数", item="本年支出合计"), exp_lines["amount"].tolist(), "01 本年支出合计")
    # across tables
    close(amount(report, s, "收入/决算数", item="本年收入合计"), [amount(report, "income", "本年收入合计", "")], "01 = 02")
    close(amount(report, s, "支出/决算数", item="本年支出合计"), [amount(report, "expenditure", "本年支出合计", "")],
          "01 = 03")
    e = "general_budget_basic"
    eco = _coded(report, e, "决算数")
    for c3 in ("301", "302", "303", "310"):
        close(eco[c3], [v for c, v in eco.items() if len(c) == 5 and c[:3] == c3], f"06 {c3}")
    personnel = amount(report, e, "人员经费/决算数")
    public = amount(report, e, "公用经费/决算数")
    close(personnel, [eco["301"], eco["303"]], "人员经费合计 = 301 + 303")
    close(public, [eco["302"], eco["310"]], "公用经费合计 = 302 + 310")
    close(amount(report, "general_budget_expenditure", "基本支出", ""), [personnel, public], "05 基本 = 06")


# ---------------------------------------------------------------------------------------------
# synthetic PDFs: the Xinzhou variant, continuation rules, a document cut off mid-table
# ---------------------------------------------------------------------------------------------

def _cjk_font():
    mplfonts = pytest.importorskip("mplfonts")
    f = Path(mplfonts.__file__).parent / "fonts" / "SimHei.ttf"
    if not f.exists():
        pytest.skip("no CJK font to draw synthetic PDFs")
    return f


def _width(s, size):
    return sum(size / 2 if ord(ch) < 0x80 else size for ch in s)


def make_pdf(path, pages, font=None):
    """Draw a PDF with matplotlib (TrueType text, so it has a text layer). ``pages`` is a list of
    (size, ops); ops are ("text", x, y, s, size) with y the top of the text in points from the top
    of the page, ("mixed", x, y, [(s, dy), ...], size) for runs set dy points lower (a Latin font
    sitting below the Chinese one), ("table", x, y, widths, rows, size) for a ruled grid, and
    ("image",) for a scanned-looking picture."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D

    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pp:
        for (W, H), ops in pages:
            fig = plt.figure(figsize=(W / 72, H / 72))
            fig.patch.set_visible(False)

            def put(x, y, s, size):
                kw = {"fontproperties": FontProperties(fname=str(font), size=size)} if font else {"fontsize": size}
                fig.text(x / W, 1 - y / H, s, va="top", ha="left", **kw)

            def rule(x0, y0, x1, y1):
                fig.add_artist(Line2D([x0 / W, x1 / W], [1 - y0 / H, 1 - y1 / H], color="k", lw=0.6))

            for op in ops:
                if op[0] == "text":
                    put(*op[1:])
                elif op[0] == "mixed":
                    _, x, y, runs, size = op
                    for s, dy in runs:
                        put(x, y + dy, s, size)
                        x += _width(s, size)
                elif op[0] == "table":
                    _, x, y, widths, rows, size = op
                    xs = [x]
                    for w in widths:
                        xs.append(xs[-1] + w)
                    ys = [y]
                    for cells in rows:
                        n = max(c.count("\n") + 1 for c in cells)
                        ys.append(ys[-1] + n * size * 1.25 + 6)
                    for yy in ys:
                        rule(xs[0], yy, xs[-1], yy)
                    for xx in xs:
                        rule(xx, ys[0], xx, ys[-1])
                    for i, cells in enumerate(rows):
                        for j, c in enumerate(cells):
                            for k, part in enumerate(c.split("\n")):
                                put(xs[j] + 3, ys[i] + 3 + k * size * 1.25, part, size)
                elif op[0] == "image":
                    fig.figimage(np.random.default_rng(0).random((200, 150)), xo=40, yo=40)
            pp.savefig(fig)
            plt.close(fig)
    return path


A4 = (595, 842)
A4L = (842, 595)
HEAD = [["项目", "", "本年收入合计", "财政拨款收入", "其他收入"],
        ["科目代码", "科目名称", "", "", ""],
        ["栏次", "", "1", "2", "3"]]
WIDTHS = [70, 200, 90, 90, 90]


def _xinzhou_pages(cut_off: bool):
    """A small report in the Xinzhou layout: 公开NN表 numbers, department/year/unit lines, one
    code column, a 栏次 row, a table continued on the next page with its header printed again."""
    narrative = [("本年收入合计", 0), ("300.00", 5), ("万元，其中：财政拨款收入", 0), ("290.00", 5),
                 ("万元，占", 0), ("96.67%", 5), ("；其他", 0)]
    p1 = [("text", 200, 60, "测试单位2023年度部门决算", 16),
          ("text", 72, 100, "第三部分 情况说明", 14),
          ("mixed", 96, 130, narrative, 12),
          ("mixed", 72, 146, [("收入", 0), ("10.00", 5), ("万元，占", 0), ("3.33%", 5), ("。", 0)], 12),
          ("text", 72, 180, "第二部分 2023年部门决算表", 14),
          ("text", 250, 220, "收入决算表", 16),
          ("text", 270, 245, "公开02表", 12),
          ("text", 40, 270, "部门名称：测试单位", 10), ("text", 280, 270, "2023年度", 10),
          ("text", 460, 270, "金额单位：万元", 10),
          ("table", 40, 290, WIDTHS, HEAD + [
              ["合计", "", "300.00", "290.00", "10.00"],
              ["201", "一般公共服务支出", "200.00", "190.00", "10.00"],
              ["20131", "党委办公厅（室）及相关\n机构事务", "200.00", "190.00", "10.00"],
              ["2013101", "行政运行", "150.00", "140.00", "10.00"],
              ["2013102", "一般行政管理事务", "50.00", "50.00", ""],
          ], 10),
          ("text", 280, 800, "- 1 -", 10)]
    p2 = [("table", 40, 60, WIDTHS, HEAD + [
              ["208", "社会保障和就业支出", "100.00", "100.00", ""],
              ["20805", "行政事业单位养老支出", "100.00", "100.00", ""],
              ["2080505", "机关事业单位基本养老\n保险缴费支出", "100.00", "100.00", ""],
          ], 10),
          ("text", 40, 250, "注：本表反映部门本年度取得的各项收入情况。", 10),
          ("text", 40, 265, "1.本表金额单位转换时可能存在尾数误差。", 10),
          ("text", 72, 300, "2023年度本单位收入合计300.00万元。", 12),
          ("text", 280, 800, "- 2 -", 10)]
    exp_head = [["项目", "", "本年支出合计", "基本支出", "项目支出"],
                ["科目代码", "科目名称", "", "", ""],
                ["栏次", "", "1", "2", "3"]]
    p3 = [("text", 250, 60, "支出决算表", 16), ("text", 270, 85, "公开03表", 12),
          ("text", 40, 110, "部门名称：测试单位", 10), ("text", 460, 110, "金额单位：万元", 10),
          ("table", 40, 130, WIDTHS, exp_head + [["合计", "", "52.00", "52.00", ""]] + [
              [f"2{k:02d}", f"测试支出{k}", "1.00", "1.00", ""] for k in range(1, 33)], 10)]
    p4 = [("text", 230, 60, "支出决算表（续）", 16),
          ("table", 40, 90, WIDTHS, exp_head + [["299", "其他测试支出", "20.00", "20.00", ""]], 10),
          ("text", 40, 200, "注：本表反映部门本年度各项支出情况。", 10)]
    pages = [(A4, p1), (A4, p2), (A4, p3)]
    return pages if cut_off else pages + [(A4, p4)]


@pytest.fixture(scope="module")
def xinzhou_pdfs(tmp_path_factory):
    font = _cjk_font()
    d = tmp_path_factory.mktemp("pdf")
    whole = make_pdf(d / "xinzhou_variant.pdf", _xinzhou_pages(cut_off=False), font)
    cut = make_pdf(d / "cut_off.pdf", _xinzhou_pages(cut_off=True), font)
    return whole, cut


def test_xinzhou_variant_tables(xinzhou_pdfs):
    doc = read_pdf_document(xinzhou_pdfs[0])
    assert [(b.title, b.number) for b in doc.tables] == [("收入决算表", "公开02表"), ("支出决算表", "公开03表")]
    inc, exp = doc.tables
    assert inc.department == "测试单位" and inc.unit == "万元" and inc.page == 1 and inc.closed
    cells = [r.cells for r in inc.rows]
    # the header printed again on page 2 is dropped; the rows of both pages are one block
    assert cells[:3] == [tuple(h) for h in HEAD]
    assert cells[3] == ("合计", "", "300.00", "290.00", "10.00")
    assert cells[5] == ("20131", "党委办公厅（室）及相关机构事务", "200.00", "190.00", "10.00")
    assert cells[-1] == ("2080505", "机关事业单位基本养老保险缴费支出", "100.00", "100.00", "")
    assert [c[0] for c in cells[3:]] == ["合计", "201", "20131", "2013101", "2013102", "208", "20805", "2080505"]
    assert [r.page for r in inc.rows][-3:] == [2, 2, 2]
    assert [n.text for n in inc.notes] == ["注：本表反映部门本年度取得的各项收入情况。",
                                           "1.本表金额单位转换时可能存在尾数误差。"]
    assert inc.end_line == inc.notes[-1].line
    assert "2023年度本单位收入合计300.00万元。" in [ln.text for ln in doc.lines]   # not a note
    # 支出决算表 continues on page 4 under the title 支出决算表（续）
    assert exp.closed and exp.rows[-1].cells[:3] == ("299", "其他测试支出", "20.00") and exp.rows[-1].page == 4
    assert sum(r.cells[0] == "栏次" for r in exp.rows) == 1
    assert len(exp.rows) == 3 + 1 + 32 + 1
    # the repeated headers and the page numbers are still lines of the document
    assert sum(ln.text.startswith("栏次\t") for ln in doc.lines) == 4
    assert any(ln.text == "- 2 -" for ln in doc.lines)


def test_xinzhou_variant_narrative_numbers_set_lower(xinzhou_pdfs):
    import pdfplumber
    with pdfplumber.open(xinzhou_pdfs[0]) as pdf:
        plain = pdf.pages[0].extract_text()
    assert "合计300.00万元" not in plain                    # what plain extraction gives
    doc = read_pdf_document(xinzhou_pdfs[0])
    ln = line_containing(doc, "96.67%")
    assert ln.text == "本年收入合计300.00万元，其中：财政拨款收入290.00万元，占96.67%；其他收入10.00万元，占3.33%。"


def test_xinzhou_variant_report(xinzhou_pdfs):
    from xinzhou_fiscal.report.parse import read_report
    r = read_report(xinzhou_pdfs[0])
    assert r.year == 2023
    assert amount(r, "income", "本年收入合计", "", "合计") == 300.00
    assert amount(r, "income", "财政拨款收入", "2080505") == 100.00
    assert amount(r, "expenditure", "本年支出合计", "299") == 20.00
    assert amount(r, "expenditure", "基本支出", "232") == 1.00


def test_document_cut_off_mid_table(xinzhou_pdfs):
    doc = read_pdf_document(xinzhou_pdfs[1])
    assert [b.closed for b in doc.tables] == [True, False]
    assert doc.tables[1].rows[-1].cells[0] == "232"
    from xinzhou_fiscal.report.parse import read_report
    with pytest.raises(TruncatedTableError) as e:
        read_report(xinzhou_pdfs[1], strict=True)
    assert "cut_off.pdf" in str(e.value) and "支出决算表" in str(e.value)
    partial = read_report(xinzhou_pdfs[1])
    assert partial.tables["expenditure"].status == "failed" and not partial.complete
    assert partial.tables["income"].status == "parsed"


def test_paragraph_continues_over_a_page_break(tmp_path):
    """A sentence running from the bottom of one page to the top of the next is one line; the
    page number and the running header between its halves are lines of their own, after it."""
    font = _cjk_font()
    header = ("text", 200, 30, "测试单位2023年度部门决算", 10)
    first = [("本年支出合计", 0), ("52.00", 5), ("万元，其中：基本支出", 0), ("52.00", 5),
             ("万元，占", 0), ("100.00%", 5), ("；项目支出", 0)]
    pages = [(A4, [header, ("text", 72, 100, "三、支出决算情况说明", 12),
                   ("mixed", 96, 760, first, 12), ("text", 280, 800, "- 1 -", 10)]),
             (A4, [header, ("mixed", 72, 72, [("0.00", 5), ("万元，占", 0), ("0.00%", 5), ("。", 0)], 12),
                   ("text", 96, 100, "四、财政拨款收入支出决算总体情况说明", 12), ("text", 280, 800, "- 2 -", 10)]),
             (A4, [header, ("text", 72, 100, "第四部分 名词解释", 12), ("text", 280, 800, "- 3 -", 10)])]
    doc = read_pdf_document(make_pdf(tmp_path / "paragraph.pdf", pages, font))
    texts = [ln.text for ln in doc.lines]
    i = texts.index("本年支出合计52.00万元，其中：基本支出52.00万元，占100.00%；项目支出0.00万元，占0.00%。")
    assert doc.lines[i].page == 1
    assert texts[i + 1:i + 4] == ["- 1 -", "测试单位2023年度部门决算", "四、财政拨款收入支出决算总体情况说明"]
    assert [ln.page for ln in doc.lines[i + 1:i + 4]] == [1, 2, 2]
    assert texts.count("测试单位2023年度部门决算") == 3 and "- 2 -" in texts


def test_titles_numbers_and_metadata_in_other_places(tmp_path):
    """公开NN表 printed above the title; a title and the metadata ruled inside the grid (as Excel
    exports do); a long title wrapped on two lines."""
    font = _cjk_font()
    two_sided = [["项目", "行次", "金额", "项目", "行次", "金额"],
                 ["本年收入合计", "1", "10.00", "本年支出合计", "2", "10.00"]]
    p1 = [("text", 270, 40, "公开01表", 12), ("text", 240, 60, "收入支出决算总表", 16),
          ("text", 460, 85, "单位：万元", 10),
          ("table", 40, 100, [120, 40, 80, 120, 40, 80], two_sided, 10),
          ("table", 40, 250, [260, 100, 120], [
              ["部门决算公开相关信息统计表", "", ""],
              ["部门名称：测试单位", "2023年度", "金额单位：万元"],
              ["项目", "行次", "统计数"],
              ["合计", "1", "49.13"]], 10),
          ("text", 200, 420, "一般公共预算财政拨款基本支出", 16), ("text", 250, 440, "决算明细表", 16),
          ("table", 40, 470, [60, 200, 80], [["科目代码", "科目名称", "决算数"], ["301", "工资福利支出", "1.00"],
                                             ["人员经费合计", "", "1.00"]], 10)]
    doc = read_pdf_document(make_pdf(tmp_path / "variants.pdf", [(A4, p1)], font))
    got = [(b.title, b.number, b.unit, b.department) for b in doc.tables]
    assert got == [("收入支出决算总表", "公开01表", "万元", None),
                   ("部门决算公开相关信息统计表", None, "万元", "测试单位"),
                   ("一般公共预算财政拨款基本支出决算明细表", None, None, None)]
    summary, stats, basic = doc.tables
    assert [r.cells for r in summary.rows] == [tuple(r) for r in two_sided]
    assert [r.cells for r in stats.rows] == [("项目", "行次", "统计数"), ("合计", "1", "49.13")]
    assert doc.lines[stats.start_line - 1].text == "部门决算公开相关信息统计表"
    assert "部门名称：测试单位\t2023年度\t金额单位：万元" in [ln.text for ln in doc.lines]
    assert doc.lines[basic.start_line - 1].text == "一般公共预算财政拨款基本支出"
    assert basic.rows[-1].cells == ("人员经费合计", "", "1.00") and all(b.closed for b in doc.tables)


# ---------------------------------------------------------------------------------------------
# files that must be refused, each error naming the file
# ---------------------------------------------------------------------------------------------

def _encrypted_pdf_bytes() -> bytes:
    """A minimal PDF encrypted with the standard security handler (RC4, revision 2) whose user
    password is not empty: its /U entry does not match the empty password, as in any
    password-protected file (pdfminer and PDFium both refuse it without the password)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>",
        b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>",
        b"<< /Length 8 >>\nstream\n\x8a\x13\x01\xfe\x99\x00\x12\x34\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef>"
            b"<0123456789abcdef0123456789abcdef>] >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return bytes(out)


def test_scanned_pdf_needs_ocr(tmp_path):
    p = make_pdf(tmp_path / "scan.pdf", [(A4, [("image",)]), (A4, [("image",)])])
    with pytest.raises(PdfNoTextError) as e:
        read_pdf_document(p)
    assert isinstance(e.value, PdfError)
    msg = str(e.value)
    assert "scan.pdf" in msg and "OCR" in msg and "no text layer" in msg and "2 image" in msg


def test_pdf_that_is_not_a_report(tmp_path):
    p = make_pdf(tmp_path / "hello.pdf", [(A4, [("text", 72, 72, "Hello", 24)])])
    with pytest.raises(NotAReportError) as e:
        read_pdf_document(p)
    assert "hello.pdf" in str(e.value) and "final-accounts report" in str(e.value)
    from xinzhou_fiscal.report.parse import read_report
    with pytest.raises(NotAReportError):
        read_report(p)


@pytest.mark.parametrize("keep", [0.02, 0.5, 0.98])
def test_truncated_pdf_is_corrupt(tmp_path, keep):
    data = PUTUO.read_bytes()
    p = tmp_path / "truncated.pdf"
    p.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(PdfCorruptError) as e:
        read_pdf_document(p)
    assert "truncated.pdf" in str(e.value) and "corrupt or truncated" in str(e.value)


def test_file_that_is_not_a_pdf(tmp_path):
    p = tmp_path / "fake.pdf"
    p.write_bytes(b"<html><body>404 Not Found</body></html>")
    with pytest.raises(PdfCorruptError) as e:
        read_pdf_document(p)
    assert "fake.pdf" in str(e.value) and "not a PDF" in str(e.value)
    from xinzhou_fiscal.report.parse import read_report
    with pytest.raises(PdfError):
        read_report(p)


def test_password_protected_pdf(tmp_path):
    p = tmp_path / "locked.pdf"
    p.write_bytes(_encrypted_pdf_bytes())
    with pytest.raises(PdfEncryptedError) as e:
        read_pdf_document(p)
    assert isinstance(e.value, PdfError)
    assert "locked.pdf" in str(e.value) and "password-protected" in str(e.value)


def test_sideways_pages_are_refused(tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    src = pdfium.PdfDocument(str(PUTUO))
    dst = pdfium.PdfDocument.new()
    dst.import_pages(src, [7, 20])                    # a table page and a narrative page
    for page in dst:
        page.set_rotation(90)
    p = tmp_path / "sideways.pdf"
    dst.save(str(p))
    with warnings.catch_warnings(record=True) as caught, pytest.raises(PdfError) as e:
        warnings.simplefilter("always")
        read_pdf_document(p)
    assert "sideways.pdf" in str(e.value) and "sideways" in str(e.value)
    assert any(issubclass(w.category, PdfWarning) and "page(s) 1, 2" in str(w.message) for w in caught)


def test_empty_pdf_file(tmp_path):
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    with pytest.raises(EmptyPdfError) as e:
        read_pdf_document(p)
    assert isinstance(e.value, PdfError) and isinstance(e.value, EmptyReportError)
    assert "empty.pdf" in str(e.value)


def test_pages_without_text_layer_are_reported(tmp_path):
    font = _cjk_font()
    pages = [(A4, [("text", 72, 72, "测试单位2023年度部门决算", 16),
                   ("text", 72, 100, "本年收入合计300.00万元。", 12)]),
             (A4, [("image",)])]
    p = make_pdf(tmp_path / "half_scanned.pdf", pages, font)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        doc = read_pdf_document(p)
    assert doc.page_count == 2 and doc.tables == []
    msgs = [str(w.message) for w in caught if issubclass(w.category, PdfWarning)]
    assert len(msgs) == 1 and "half_scanned.pdf" in msgs[0] and "page(s) 2" in msgs[0]
    # and the reading problem is recorded on the document, with its page (Report.problems lists it)
    assert [(p.stage, p.page) for p in doc.problems] == [("pdf", 2)]
    assert "OCR" in doc.problems[0].message
