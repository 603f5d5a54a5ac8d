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
