"""A table split over a page break is one table, each row keeping its own page (read/pdf/assemble.py):
a continuation page without a title joins the open table when its columns align with the table's —
ruled finer (the first page printed only a merged row, e.g. a 绩效目标表's 项目名称, so the table is
widened to the finer columns) or coarser (a merged first column not ruled on the next page).

The real case: 西南大学 2023 部门预算 (data/raw/chongqing_swu_2023_budget.pdf), 项目绩效目标表, values
typed from the PDF. Before, five of them read as blank tables (their pages 2 squeezed into the
2 columns of page 1) and （一）'s page 17 was not read at all."""
from __future__ import annotations

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal.read.pdf.assemble import assemble
from xinzhou_fiscal.read.pdf.lines import VLine
from xinzhou_fiscal.read.pdf.page import GridTable, PageInfo
from xinzhou_fiscal.read.pdf.paragraphs import Logical


@pytest.fixture(scope="module")
def swu_budget():
    return xf.load("swu-2023-budget")


def _block(report, words: str):
    return next(b for b in report.document.tables if words in b.title)


def _targets(report, words: str):
    f = report.tables["performance_targets"].facts
    return f[f["section"].str.contains(words, regex=False)]


def test_a_first_page_with_only_the_project_row_is_widened_and_joined(swu_budget):
    """（八）236-中央高校改善基本办学条件专项-基础设施改造项目（小学）: title and 项目名称 row at the foot of
    p24, the rest on p25: 年度资金总额 150.00, 其中：财政拨款 150.00; 道路及绿化面积 600平方米 分值 20."""
    b = _block(swu_budget, "基础设施改造项目(小学)")
    assert [r.page for r in b.rows[:2]] == [24, 25] and {r.page for r in b.rows[1:]} == {25}
    first = b.rows[0].cells
    assert first[0] == "项目名称" and first[2].startswith("236-中央高校改善基本办学条件专项-基础设施改造项目")
    assert len(first) == len(b.rows[-1].cells) == 7                  # one column layout for the whole table
    assert swu_budget.document.lines[b.rows[0].line - 1].text == "\t".join(first)
    row = next(r.cells for r in b.rows if "道路及绿化面积" in r.cells)
    assert (row[5], row[6]) == ("600平方米", "20")
    f = _targets(swu_budget, "基础设施改造项目(小学)")
    money = f[f["unit"] == "万元"].set_index("item")
    assert money.filter(like="年度资金总额", axis=0)["printed"].tolist() == ["150.00"]
    assert money.filter(like="财政拨款", axis=0)["page"].tolist() == [25]
    assert not any("基础设施改造项目(小学)" in str(p.table) and "blank" in p.message for p in swu_budget.table_problems)


def test_every_split_project_table_reads(swu_budget):
    """（二十四）236教育管理与改革专项 (title p39, body p40): 年度资金总额 10.00, 教师满意度 90% 分值 10;
    （九）设备资料购置项目（小学） (p25 → p26): 年度资金总额 210.00. No 绩效目标表 reads as blank any more."""
    f = _targets(swu_budget, "教育管理与改革专项")
    assert f[f["item"].str.contains("年度资金总额")][["printed", "page"]].values.tolist() == [["10.00", 40]]
    assert f[f["item"].str.contains("教师满意度")]["printed"].tolist() == ["10"]
    g = _targets(swu_budget, "设备资料购置项目(小学)")
    assert g[g["item"].str.contains("年度资金总额")][["printed", "page"]].values.tolist() == [["210.00", 26]]
    assert not [p for p in swu_budget.table_problems if "绩效目标表" in str(p.table) and "blank" in p.message]


def test_a_coarser_aligned_continuation_joins(swu_budget):
    """（一）236中央高校教育教学改革专项: p16, then p17 ruled without the merged first column (its left
    edge further right): 设备更新数量 27台、件、套 5 … 教职工满意度 95% 5, in the same table."""
    b = _block(swu_budget, "（一）236中央高校教育教学改革专项")
    assert {r.page for r in b.rows} == {16, 17}
    row = next(r for r in b.rows if "设备更新数量" in r.cells)
    assert row.page == 17 and (row.cells[5], row.cells[6]) == ("27台、件、套", "5")
    assert b.rows[-1].cells[3:] == ("教职工满意度", "", "95%", "5")


def _title(text: str, page: int) -> Logical:
    return Logical(text, page, VLine([], 100.0, 110.0, page, text, 90.0, 300.0))


def _grid(page: int, col_x: list[float], rows: list[list[str | None]], x0: float = 90.0) -> GridTable:
    return GridTable(page, 200.0, 700.0, x0, 580.0, col_x, rows, page_height=842.0)


def test_the_rule_is_about_layout_not_this_file():
    """Made-up pages: a titled table whose first page holds one merged row (2 columns), continued on
    the next page ruled with 4 columns sharing those edges; then, on page 3, one starting further
    right whose edges are not the table's: not a continuation (its rows stay lines of text)."""
    pages = {p: PageInfo(p, 595.0, 842.0, 90.0, 580.0) for p in (1, 2, 3)}
    stream = [("text", _title("某项目绩效目标表", 1)),
              ("table", _grid(1, [90.0, 170.0], [["项目名称", "某项目"]])),
              ("table", _grid(2, [90.0, 170.0, 300.0, 450.0], [["一级指标", "二级指标", "指标值", "分值"],
                                                              ["产出指标", "数量指标", "10个", "20"]])),
              ("table", _grid(3, [120.0, 200.0, 333.0], [["甲", "乙", "丙"]], x0=120.0))]
    lines, blocks = assemble(stream, pages)
    assert len(blocks) == 1
    rows = blocks[0].rows
    assert [r.cells for r in rows] == [("项目名称", "某项目", "", ""), ("一级指标", "二级指标", "指标值", "分值"),
                                       ("产出指标", "数量指标", "10个", "20")]
    assert [r.page for r in rows] == [1, 2, 2]
    assert lines[rows[0].line - 1].text == "项目名称\t某项目\t\t"
    assert "甲\t乙\t丙" in [ln.text for ln in lines]             # not aligned: not part of the table
