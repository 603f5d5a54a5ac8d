"""Mutation test: every printed figure of 公开01–10 of the seed, in turn, + 1.00; the audit must
raise a new error for at least 95 % of them (it detects all of them on the seed)."""
from __future__ import annotations

import pytest

from xinzhou_fiscal.checks.mutation import mutation_test


@pytest.fixture(scope="module")
def result(seed):
    return mutation_test(seed, delta=1.0)


def test_detection_rate(result, capsys):
    with capsys.disabled():
        print("\n" + result.summary())
    # 197 printed figures: 公开01 11, 02 38, 03 42, 04 17, 05 42, 06 32, 09 6, 10 9 (07/08 are empty)
    assert result.mutations == 197
    assert result.rate >= 0.95
    assert result.rate == 1.0 and result.undetected.empty


def test_every_table_is_mutated(result):
    counts = result.cells.groupby("table_no").size().to_dict()
    assert counts == {"公开01表": 11, "公开02表": 38, "公开03表": 42, "公开04表": 17, "公开05表": 42,
                      "公开06表": 32, "公开09表": 6, "公开10表": 9}


def test_the_baseline_is_the_seed_errors(result):
    # the mutations are judged against the 26 errors of the unmutated seed (tests/test_audit_seed.py)
    assert len(result.baseline_errors) == 26


def test_a_cell_read_by_one_rule_only(result):
    # 公开10 单价100万元以上设备 5 is in no table identity: the narrative (line 516, 5台（套）) catches it
    row = result.cells[result.cells["item"].str.contains("单价100万元")].iloc[0]
    assert row["detected"] and row["first_new_error"].startswith("narrative.amount|line 516")



def test_table_rules_alone(seed, capsys):
    """Without the narrative and self-evaluation rules, only the equipment count escapes: no table
    identity reads 公开10 单价100万元以上设备."""
    from xinzhou_fiscal.checks import RULES
    table_rules = {r for r in RULES if r.split(".")[0] in ("summary", "coded", "basic", "three_public", "related", "cross")}
    res = mutation_test(seed, rules=table_rules)
    with capsys.disabled():
        print("\n(table and cross-table rules only) " + res.summary())
    assert res.detected == 196
    (row,) = res.undetected.itertuples()
    assert "单价100万元" in row.item and row.reason == "no rule reads this cell"


def test_detection_rate_on_the_putuo_pdf(capsys):
    # the second catalogued report: 195 printed figures of the Shanghai variant (no 公开10表)
    import xinzhou_fiscal as xf
    result = mutation_test(xf.load("putuo-czj-2024"), delta=1.0)
    with capsys.disabled():
        print("\n(Putuo PDF) " + result.summary())
    assert result.mutations == 195
    assert result.rate >= 0.95
