"""The audit of budgets and of the university family on the real samples: the policy for shares
adjusted so that a column totals 100%, with figures typed from the PDFs."""
from __future__ import annotations

from xinzhou_fiscal.checks.tolerance import adjusted_to_hundred, judge, printed, ratio_pct


def _shares(*texts):
    return [printed(float(t), t) for t in texts]


def test_a_share_adjusted_so_the_column_totals_100_is_a_rounding_note():
    # 西南大学 2023 final p17: 科学技术支出 2,536.65 万元 of 457,676.75 = 0.5542%, printed 0.56% so that
    # 92.92 + 0.56 + 2.94 + 3.56 + 0.02 = 100.00
    exp = ratio_pct(printed(2536.65, "2,536.65"), printed(457676.75, "457,676.75"))
    column = _shares("92.92", "0.56", "2.94", "3.56", "0.02")
    assert judge(exp, column[1]).status == "broken"          # half-up would print 0.55
    assert adjusted_to_hundred(exp, column[1], column)
    # 西南大学 2023 budget p11: 上年结转 93,801.70 of 557,259.13 = 16.8327%, printed 16.84%
    # (41.43 + 21.95 + 9.02 + 10.76 + 16.84 = 100.00)
    exp = ratio_pct(printed(93801.70, "93,801.70"), printed(557259.13, "557,259.13"))
    column = _shares("41.43", "21.95", "9.02", "10.76", "16.84")
    assert adjusted_to_hundred(exp, column[4], column)


def test_no_adjustment_when_the_column_misses_100_or_the_share_misses_by_more_than_a_unit():
    exp = ratio_pct(printed(2536.65, "2,536.65"), printed(457676.75, "457,676.75"))
    assert not adjusted_to_hundred(exp, printed(0.56, "0.56"), _shares("92.92", "0.56", "2.94", "3.56", "0.01"))
    assert not adjusted_to_hundred(exp, printed(0.58, "0.58"), _shares("92.90", "0.58", "2.94", "3.56", "0.02"))
    assert not adjusted_to_hundred(exp, printed(0.56, "0.56"), _shares("92.9", "0.56", "2.94", "3.58", "0.02"))


# ---------------------------------------------------------------- budget against final (#25.6)
import pytest  # noqa: E402

import xinzhou_fiscal as xf  # noqa: E402
from xinzhou_fiscal import paths  # noqa: E402

SAMPLES = paths.PROJECT_ROOT.parent / "shared" / "samples"


@pytest.fixture(scope="module")
def swu_pair():
    budget, final = SAMPLES / "chongqing_swu_2023_budget.pdf", SAMPLES / "chongqing_swu_2023_final.pdf"
    if not (budget.is_file() and final.is_file()):
        pytest.skip("../shared/samples is absent (CI lays shared/ beside the clone)")
    return xf.budget_vs_final(xf.read_report(budget), xf.read_report(final))


def _one(df, section, code="", name=None):
    rows = df[(df["section"] == section) & (df["code"] == code)]
    if name is not None:
        rows = rows[rows["name"] == name]
    assert len(rows) == 1, (section, code, name)
    return rows.iloc[0]


def test_budget_vs_final_by_code_on_the_university_2023_pair(swu_pair):
    # budget p9 支出预算表 “2050202 小学教育 9,631.68”; final p12 支出决算表 “2050202 小学教育 9,256.09”
    row = _one(swu_pair, "支出", "2050202")
    assert (row["name"], row["level"], row["budget"], row["final"]) == ("小学教育", "项", 9631.68, 9256.09)
    assert row["difference"] == pytest.approx(-375.59) and row["execution_rate"] == pytest.approx(9256.09 / 9631.68 * 100)
    assert (row["budget_page"], row["final_page"]) == (9, 12)
    # budget p10 财政拨款支出预算表 “2060204 实验室及相关设施 350.00”; final p15 表4 “2060204 … 1,707.93”
    row = _one(swu_pair, "财政拨款支出", "2060204")
    assert (row["budget"], row["final"], row["difference"]) == (350.00, 1707.93, 1357.93)
    assert (row["budget_page"], row["final_page"]) == (10, 15)
    # budget p10 prints 2296004 用于教育事业的彩票公益金支出 109.50; the final's 表4 has no such row: NaN, not 0
    row = _one(swu_pair, "财政拨款支出", "2296004")
    assert row["budget"] == 109.50 and row["final"] != row["final"] and row["execution_rate"] != row["execution_rate"]


def test_budget_vs_final_classes_by_code_and_totals_by_role(swu_pair):
    # summary tables: 教育支出 printed by name (budget p7 434,334.99; final p8 425,287.27) matched by its code 205
    row = _one(swu_pair, "收支总表", "205")
    assert (row["name"], row["budget"], row["final"]) == ("教育支出", 434334.99, 425287.27)
    # totals by role: 本年支出合计 468,779.07 (budget p7) vs 457,676.75 (final p9); 本年收入合计 403,484.64 vs 430,725.03;
    # 收入总计 557,259.13 (budget p7) vs 合计 569,496.54 (final p9)
    assert (_one(swu_pair, "收支总表", "", "本年支出合计")[["budget", "final"]].tolist()) == [468779.07, 457676.75]
    assert (_one(swu_pair, "收支总表", "", "本年收入合计")[["budget", "final"]].tolist()) == [403484.64, 430725.03]
    assert (_one(swu_pair, "收支总表", "", "收入总计")[["budget", "final"]].tolist()) == [557259.13, 569496.54]


def test_budget_vs_final_wants_a_budget_then_a_final(swu_pair):
    final = xf.read_report(SAMPLES / "chongqing_swu_2023_final.pdf")
    with pytest.raises(xf.ReportError, match="预算"):
        xf.budget_vs_final(final, final)
