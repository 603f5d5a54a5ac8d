"""Mutation test: every printed figure of 公开01–10 of the seed, in turn, + 1.00; the audit must
raise a new error for at least 95 % of them (it detects all of them on the seed)."""
from __future__ import annotations

import pytest

from xinzhou_fiscal.checks.mutation import mutation_test
from xinzhou_fiscal.checks.source_mutation import Mutation, mutations, sample, source_mutation_test


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
    # the mutations are judged against the 27 errors of the unmutated seed (tests/test_audit_seed.py)
    assert len(result.baseline_errors) == 27


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


# ----------------------------------------------------------------------------- on the source document
# xinzhou_fiscal/checks/source_mutation.py: the document itself is mutated (the seed's text, the
# Putuo PDF's document model), parsed and audited; a mutation is detected only by a new (or changed)
# error/warning that involves the mutated line or table; any other new one is noise. The full run is
# benchmarks/bench_audit.py (figures in docs/audit-rules.md); here a deterministic sample, two
# mutations of each kind and operation.


@pytest.fixture(scope="module")
def seed_source(seed):
    return source_mutation_test(seed, sample(mutations(seed), 2))


@pytest.fixture(scope="module")
def putuo_source():
    import xinzhou_fiscal as xf
    r = xf.load("putuo-czj-2024")
    return source_mutation_test(r, sample(mutations(r), 2))


def _kinds(res):
    rates = res.rates()
    return rates, rates["mutations"].sum()


def test_source_mutations_of_the_seed(seed_source, capsys):
    with capsys.disabled():
        print("\n" + seed_source.summary())
    rates, _ = _kinds(seed_source)
    # the seed has no 大于/小于 and no (类)(款)(项) chain: no name mutation
    assert set(rates.index) == {"numeric", "numeric +0.01", "words", "metadata", "punctuation", "rates", "tables"}
    for kind in ("numeric", "words", "metadata"):
        assert rates.loc[kind, "rate"] == 1.0, seed_source.cells[seed_source.cells["kind"] == kind]
    assert seed_source.cells["noise"].sum() == 0, seed_source.cells[seed_source.cells["noise"] > 0]


def test_source_mutations_of_the_putuo_pdf(putuo_source, capsys):
    with capsys.disabled():
        print("\n(Putuo PDF) " + putuo_source.summary())
    rates, _ = _kinds(putuo_source)
    assert "names" in rates.index and "words" in rates.index
    for kind in ("numeric", "words", "metadata", "names"):
        assert rates.loc[kind, "rate"] == 1.0, putuo_source.cells[putuo_source.cells["kind"] == kind]
    assert putuo_source.cells["noise"].sum() == 0, putuo_source.cells[putuo_source.cells["noise"] > 0]


def test_a_mutation_is_judged_by_its_place(seed):
    # 情况说明 line 400: "收入总计减少959.88万元，下降25.56%": 下降 → 增长 contradicts the amount's
    # direction; the finding cites line 400. The same finding elsewhere would be noise.
    line = next(ln for ln in seed.document.lines if ln.line == 400).text
    assert "下降25.56%" in line
    m = Mutation("words", "下降→增长", {400: line.replace("下降25.56%", "增长25.56%", 1)})
    res = source_mutation_test(seed, [m])
    row = res.cells.iloc[0]
    assert row["detected"] and "words.direction|line 400 收入总计" in row["found"] and row["noise"] == 0


def test_words_without_a_figure_are_not_mutated(seed):
    # line 482: "…增长2.51%，主要原因是：2023年度车辆保险费用增加。" — the reason clause's 增加 states no
    # figure; the mutation changes the first 增加 that does ("比上年度增加0.21万元")
    words = [m for m in mutations(seed) if m.kind == "words" and 482 in m.lines]
    assert [m.op for m in words] == ["增加→减少", "增长→下降"]
    assert "比上年度减少0.21万元" in words[0].lines[482] and "费用增加" in words[0].lines[482]


def test_a_copied_figure_one_unit_off_is_a_warning(seed):
    # seed line 77: 公开01表 “八、社会保障和就业支出 39 140.52”; 公开03表 line 159 prints 208 = 140.52.
    # +0.01 makes 01 print 140.53: one amount printed twice one unit apart, in a report that prints no
    # truncated figure — two rounding methods or a typo, a warning that says so (not rounding, not an error)
    m = next(m for m in mutations(seed) if m.op == "+0.01" and 77 in m.lines)
    assert "140.53" in m.lines[77]
    row = source_mutation_test(seed, [m]).cells.iloc[0]
    assert row["detected"] and row["found"] == "warning cross.classes_01_03|208" and row["noise"] == 0


def test_a_sum_of_many_rounded_parts_one_unit_off_is_not_detected(seed):
    # seed line 272: 公开06表 30101 基本工资 510.52 is one of the nine 款 of 301 (printed 1408.06 against
    # their sum 1408.04): +0.01 moves the sum within 10 × 0.005 — rounding, rightly no finding
    m = next(m for m in mutations(seed) if m.op == "+0.01" and 272 in m.lines)
    assert "510.53" in m.lines[272]
    assert not source_mutation_test(seed, [m]).cells.iloc[0]["detected"]
