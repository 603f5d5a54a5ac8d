"""The bundled budgets and the 西南大学 budget–final pair (#25.6, #25.7): catalogued with their kinds,
kept out of the comparison of final accounts, and compared with their final accounts item by item.

Figures typed from the PDFs in data/raw/ (page numbers in the comments), in 万元 as printed.
"""
from __future__ import annotations

import warnings

import pytest

import xinzhou_fiscal as xf
import xinzhou_fiscal.analysis as xa
from xinzhou_fiscal.analysis import present as xp
from xinzhou_fiscal.analysis.summary import comparative_summary, department_summary

NEW = {"shanghai-czj-2025-budget": ("上海市财政局", 2025, "预算"), "swu-2023-budget": ("西南大学", 2023, "预算"),
       "swu-2023-final": ("西南大学", 2023, "决算")}


@pytest.fixture(scope="module")
def reports():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return xa.load_reports()


@pytest.fixture(scope="module")
def gaps(reports):
    return xa.budget_final_gaps(reports)


def test_catalogue_lists_the_budgets_and_the_pair_with_their_kinds():
    cat = xf.catalog().set_index("report_id")
    for rid, (dept, year, kind) in NEW.items():
        assert (cat.loc[rid, "department"], cat.loc[rid, "year"], cat.loc[rid, "kind"]) == (dept, year, kind)
        assert cat.loc[rid, "format"] == "pdf" and cat.loc[rid, "licence"].startswith("Public government disclosure")
    # the checksums as published in ../shared/samples/README.md
    assert cat.loc["swu-2023-budget", "sha256"] == "810a3477d6e084f344a9374c49c7fa9eb81501267ae7acf00c297ca39c36ad42"
    assert cat.loc["swu-2023-final", "sha256"] == "86287b24a9397e330ece5918aa4515793e33b2b7c66c2d0506e484ae8263fc8c"
    assert cat.loc["shanghai-czj-2025-budget", "sha256"] == \
        "223f7ad8218f9d59d6ef37bd33c9b0f37316f155f8b53d822672013fb498e800"


def test_the_parsed_reports_say_their_kind(reports):
    by_id = {r.report_id: r for r in reports}
    assert {rid: (by_id[rid].department, by_id[rid].year, by_id[rid].kind) for rid in NEW} == NEW


def test_department_summary_says_budget_for_a_budget(reports):
    by_id = {r.report_id: r for r in reports}
    assert str(department_summary(by_id["swu-2023-budget"])).startswith("## 西南大学 2023 年度部门预算：要点")
    assert str(department_summary(by_id["swu-2023-final"])).startswith("## 西南大学 2023 年度部门决算：要点")


def test_comparison_table_compares_final_accounts_only(reports):
    table = xa.comparison_table(reports)
    assert set(table["report_id"]) == {"putuo-czj-2024", "swu-2023-final", "xinzhou-swbgs-2023"}
    assert table.attrs["budgets"] == ["shanghai-czj-2025-budget", "swu-2023-budget"]
    assert set(xa.three_public_by_department()["report_id"]) <= {"putuo-czj-2024", "swu-2023-final", "xinzhou-swbgs-2023"}


def test_the_only_pair_is_the_university(reports):
    assert [(b.report_id, f.report_id) for b, f in xa.department_pairs(reports)] == [("swu-2023-budget", "swu-2023-final")]


def test_budget_final_gaps_largest_first_with_values_from_the_pdfs(gaps):
    assert set(gaps["budget_id"]) == {"swu-2023-budget"} and set(gaps["final_id"]) == {"swu-2023-final"}
    top = gaps.head(3)
    # 收支预算总表 p7: 本年收入合计 403,484.64, 本年支出合计 468,779.07; 高等学校收支决算总表 p9: 430,725.03, 457,676.75
    assert top.iloc[0][["name", "budget", "final"]].tolist() == ["本年收入合计", 403484.64, 430725.03]
    assert top.iloc[2][["name", "budget", "final"]].tolist() == ["本年支出合计", 468779.07, 457676.75]
    assert top.iloc[0]["difference"] == pytest.approx(27240.39, abs=0.005)
    diffs = gaps["difference"].abs().dropna().tolist()
    assert diffs == sorted(diffs, reverse=True)
    # 支出预算表 p9 and 高等学校支出决算表 p12, row 2050205 高等教育, 合计 column
    (row,) = gaps[(gaps["section"] == "支出") & (gaps["code"] == "2050205")].itertuples()
    assert (row.name, row.budget, row.final, row.budget_page, row.final_page) == ("高等教育", 396393.59, 389606.87, 9, 12)
    assert row.difference == pytest.approx(389606.87 - 396393.59, abs=0.005)
    # a row the final does not print is absent there, never 0: 财政拨款支出预算表 p10 prints 229 其他支出 109.50
    (other,) = gaps[(gaps["section"] == "财政拨款支出") & (gaps["code"] == "229")].itertuples()
    assert other.budget == 109.50 and other.final != other.final


def test_comparative_summary_names_the_largest_gaps(reports):
    text = str(comparative_summary(xa.comparison_table(reports), reports))
    assert "**预算与决算对比**" in text and "**西南大学 2023**" in text
    # 本年支出合计 468,779.07 → 457,676.75; the largest 项: 2050205 高等教育 in 支出 (p9, p12) and
    # 财政拨款支出 (财政拨款支出预算表 p10: 181,866.03; 财政拨款支出决算表 p14: 186,663.39)
    assert "本年支出合计（收支总表）预算 468,779.07 → 决算 457,676.75 万元（−11,102.32" in text
    assert "1. 2050205 高等教育（支出）预算 396,393.59 → 决算 389,606.87 万元（−6,786.72" in text
    assert "2. 2050205 高等教育（财政拨款支出）预算 181,866.03 → 决算 186,663.39 万元（+4,797.36" in text
    assert "`swu-2023-budget`" in text.split("**预算与决算对比**")[0]


def test_budget_final_display_and_no_pair(gaps):
    shown = xp.budget_final(gaps, n=5).frame
    assert len(shown) == 5 and shown["科目名称"].iloc[0] == "本年收入合计" and shown["预算数（万元）"].iloc[0] == "403,484.64"
    assert xa.budget_final_gaps([]).empty
