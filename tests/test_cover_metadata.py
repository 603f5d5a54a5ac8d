"""Department, year and kind of budgets and final accounts the project has never seen (#25, last acceptance
line), measured on variants of the real samples of ../shared/samples/: the text each PDF yields, with the
cover's department name or year printed the way another department or year of the same family prints it
(the rest of the text, and every figure, byte-identical), read through the whole parser.

The figures asserted are typed from the sample PDFs (page numbers in the comments): a variant must still
read them, under the new name and year. Cover phrasings are the families' (docs/templates.md).
"""
from __future__ import annotations

import re
import warnings
from dataclasses import replace

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths
from xinzhou_fiscal.read.formats import read_document
from xinzhou_fiscal.report.metadata import MISSING_DEPARTMENT, cover_title, year_value
from xinzhou_fiscal.report.parse import build_report

SAMPLES = paths.PROJECT_ROOT.parent / "shared" / "samples"
SHANGHAI, JIANGSU = "shanghai_shi_czj_2025_budget.pdf", "jiangsu_sheng_rdcwh_2019_budget.pdf"
SWU_BUDGET, SWU_FINAL = "chongqing_swu_2023_budget.pdf", "chongqing_swu_2023_final.pdf"
_YEAR_BEFORE_NIAN = re.compile(r"(?<![\d,.])(20\d\d)(?=\s*年)")


def _doc(name: str):
    path = SAMPLES / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared/samples/ lies beside the clone in CI)")
    return read_document(path)


def variant(name: str, cover: list[str], *, names: tuple[str, str] | None = None, shift: int = 0):
    """The sample ``name`` read with its cover (the lines before the 目录) printed as ``cover``; ``names``
    (old, new) renames the department wherever the text prints it (lines and table captions); ``shift``
    moves every year printed before 年 by that many years. The rest of the text is the sample's."""
    doc = _doc(name)
    toc = next(i for i, ln in enumerate(doc.lines) if re.match(r"^\s*目\s*录\s*$", ln.text))

    def edit(text: str) -> str:
        if names:
            text = text.replace(*names)
        return _YEAR_BEFORE_NIAN.sub(lambda m: str(int(m.group(1)) + shift), text) if shift else text

    first = doc.lines[0]
    lines = [replace(first, text=t) for t in cover] + [replace(ln, text=edit(ln.text)) for ln in doc.lines[toc:]]
    for b in doc.tables:
        b.title = edit(b.title)
        b.department = edit(b.department) if b.department else b.department
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_report(replace(doc, lines=lines), "variant")


def _summary_total(r, item: str) -> float:
    f = r.tables["budget_summary"].facts
    return f.loc[f["item"] == item, "amount"].tolist()


# ---- the cover phrasings, one by one --------------------------------------------------------------

@pytest.mark.parametrize(("title", "expected"), [
    ("上海市普陀区财政局2025年单位预算", ("上海市普陀区财政局", 2025, "预算")),
    ("2025年度部门预算", ("", 2025, "预算")),
    ("上海市普陀区绿化中心2024年预算公开", ("上海市普陀区绿化中心", 2024, "预算")),
    ("江苏省财政厅2019年部门预算", ("江苏省财政厅", 2019, "预算")),
    ("江苏省生态环境厅2020年度部门预算公开", ("江苏省生态环境厅", 2020, "预算")),
    ("西南大学2024年部门预算", ("西南大学", 2024, "预算")),
    ("西南大学 2022 年度部门决算", ("西南大学", 2022, "决算")),
    ("二〇二五年度部门预算", ("", 2025, "预算")),
    ("上海市2025年市级单位预算", ("上海市", 2025, "预算")),
])
def test_cover_titles_of_the_families(title, expected):
    assert cover_title(title) == expected


@pytest.mark.parametrize("text", ["1. 2025年预算单位财务收支预算总表", "第二部分 2019年度部门预算表",
                                  "三、2019年度部门主要工作任务及目标", "2023 年 4 月",
                                  "二、2023 年度部门决算报表"])
def test_table_titles_headings_and_dates_are_not_cover_titles(text):
    assert cover_title(text) is None


def test_years_in_chinese_numerals():
    assert [year_value(y) for y in ("二〇二五", "二零一九", "二○二三", "2024", "二〇二X")] == [2025, 2019, 2023, 2024, None]


# ---- Shanghai: another district unit, the name on the title line, wrapped, below, in Chinese numerals ---

@pytest.mark.parametrize(("cover", "name", "year"), [
    (["上海市普陀区规划和自然资源局2025年单位预算"], "上海市普陀区规划和自然资源局", 2025),
    (["上海市普陀区规划和自然", "资源局2025年度部门预算"], "上海市普陀区规划和自然资源局", 2025),   # wrapped
    (["2025年度部门预算", "上海市普陀区规划和自然资源局", "2025年2月"], "上海市普陀区规划和自然资源局", 2025),
    (["二〇二五年度部门预算", "上海市普陀区规划和自然资源局"], "上海市普陀区规划和自然资源局", 2025),
    (["上海市2025年市级单位预算", "预算单位：上海市普陀区规划和自然资源局"], "上海市普陀区规划和自然资源局", 2025),
])
def test_shanghai_budget_under_another_name(cover, name, year):
    r = variant(SHANGHAI, cover, names=("上海市财政局", name))
    assert (r.department, r.year, r.kind) == (name, year, "预算")
    # the body is the city sample's (单位预算编制说明): either Shanghai budget family, whose tables are the same
    assert r.template.id in ("shanghai_budget", "shanghai_district_budget")
    assert not r.problems.query("stage == 'metadata'").shape[0]          # captions agree with the cover
    # 2025年预算单位财务收支预算总表 p.7: 收入总计 171,915,169 元 (the figures are the sample's)
    assert _summary_total(r, "收入总计") == [17191.5169]


def test_shanghai_budget_of_another_year():
    r = variant(SHANGHAI, ["上海市普陀区规划和自然资源局2024年单位预算"], names=("上海市财政局", "上海市普陀区规划和自然资源局"),
                shift=-1)
    assert (r.department, r.year, r.kind) == ("上海市普陀区规划和自然资源局", 2024, "预算")
    assert r.tables["budget_summary"].status == "parsed"                 # 2024年预算单位财务收支预算总表


def test_a_city_title_without_a_unit_line_takes_the_name_from_the_captions():
    """上海市2025年市级单位预算 names a level, not a unit; the tables' 单位名称 lines name it."""
    r = variant(SHANGHAI, ["上海市2025年市级单位预算"])
    assert (r.department, r.year) == ("上海市财政局", 2025)


# ---- Jiangsu: another department and year; a cover without a name ------------------------------------

@pytest.mark.parametrize(("cover", "name", "year", "shift"), [
    (["江苏省财政厅2019年部门预算"], "江苏省财政厅", 2019, 0),
    (["江苏省生态环境厅2020年度部门预算公开"], "江苏省生态环境厅", 2020, 1),
    (["江苏省生态环境厅", "二〇二〇年度部门预算公开"], "江苏省生态环境厅", 2020, 1),
])
def test_jiangsu_budget_of_another_department(cover, name, year, shift):
    r = variant(JIANGSU, cover, names=("江苏省人大常委会办公厅", name), shift=shift)
    assert (r.department, r.year, r.kind, r.template.id) == (name, year, "预算", "jiangsu_budget")
    assert MISSING_DEPARTMENT not in r.missing_pieces


def test_a_department_the_document_does_not_print_is_a_named_missing_piece():
    r = variant(JIANGSU, ["2019年度部门预算公开"])          # the Jiangsu sample prints its name only on the cover
    assert (r.department, r.year, r.kind) == ("", 2019, "预算")
    assert MISSING_DEPARTMENT in r.missing_pieces and not r.complete


def test_a_cover_without_a_name_takes_it_from_the_first_heading_that_prints_it():
    """第三部分 江苏省财政厅2019年度部门预算情况说明: a part heading naming the department (p.9 of the sample
    prints 第三部分 2019年度部门预算情况说明)."""
    doc_text = "第三部分 2019年度部门预算情况说明"
    r = variant(JIANGSU, ["2019年度部门预算公开"], names=(doc_text, "第三部分 江苏省财政厅2019年度部门预算情况说明"))
    assert (r.department, r.year, r.kind) == ("江苏省财政厅", 2019, "预算")
    assert MISSING_DEPARTMENT not in r.missing_pieces


def test_without_a_cover_title_the_year_comes_from_the_headings():
    """No cover title: 第二部分 2019年度部门预算表 (p.2) gives the year; the kind comes from the tables."""
    r = variant(JIANGSU, ["江苏省人大常委会办公厅"])
    assert (r.year, r.kind) == (2019, "预算")


# ---- the university, other years ---------------------------------------------------------------------

@pytest.mark.parametrize(("cover", "shift", "year"), [
    (["西南大学", "2024 年度部门预算", "2024 年 4 月"], 1, 2024),
    (["西南大学2022年部门预算"], -1, 2022),
    (["西南大学", "二〇二四年度部门预算"], 1, 2024),
])
def test_university_budget_of_another_year(cover, shift, year):
    r = variant(SWU_BUDGET, cover, shift=shift)
    assert (r.department, r.year, r.kind, r.template.id) == ("西南大学", year, "预算", "university_budget")
    # 西南大学收支预算总表 p.7: 收入总计 557,259.13, 本年收入合计 403,484.64 (万元)
    assert _summary_total(r, "收入总计") == [557259.13]
    assert _summary_total(r, "本年收入合计") == [403484.64]
    for key in ("budget_summary", "budget_income", "budget_expenditure", "budget_fiscal_grant_expenditure"):
        assert r.tables[key].status == "parsed", key


def test_university_final_of_another_year():
    r = variant(SWU_FINAL, ["西南大学 2024 年度部门决算", "2025 年 8 月"], shift=1)
    assert (r.department, r.year, r.kind, r.template.id) == ("西南大学", 2024, "决算", "university_final")
    assert all(r.tables[k].status == "parsed" for k in r.template.keys)
    # 高等学校收支决算总表 p.8: 本年收入合计 430,725.03 万元
    f = r.tables["income_expenditure_summary"].facts
    assert f.loc[f["item"] == "本年收入合计", "amount"].tolist() == [430725.03]


@pytest.mark.parametrize("name", [SWU_BUDGET, SWU_FINAL])
def test_the_university_reads_the_same_in_another_year(name):
    """Every year printed before 年 moved three years back (2023 → 2020, 2022年结转 → 2019年结转): the same
    facts, narrative claims and audit verdicts — nothing in the university families depends on 2023."""
    kind = "预算" if name == SWU_BUDGET else "决算"
    same, other = (variant(name, [f"西南大学 {y} 年度部门{kind}"], shift=y - 2023) for y in (2023, 2020))
    assert (same.year, other.year) == (2023, 2020)
    key = ["table", "code", "item", "measure", "amount"]
    assert other.facts[key].values.tolist() == same.facts[key].values.tolist()
    assert other.claims["value"].tolist() == same.claims["value"].tolist()
    verdicts = ["rule", "severity", "subject"]
    assert xf.audit(other)[verdicts].values.tolist() == xf.audit(same)[verdicts].values.tolist()
