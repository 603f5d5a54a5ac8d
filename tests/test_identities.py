"""The identities of ../shared/DOMAIN.md, computed over the parsed facts of the seed.

Expected numbers are typed from the document; where the seed itself is inconsistent the test pins
the inconsistency with the hand-computed sums (in the comments).
"""
from __future__ import annotations

import pytest


def amt(seed, table, **where):
    f = seed.tables[table].facts
    for col, val in where.items():
        f = f[f[col] == val]
    return round(float(f["amount"].sum()), 2)


def test_summary_table_01(seed):
    t = "income_expenditure_summary"
    income_lines = seed.tables[t].facts.query("section == 'income' and row_no <= 26")["amount"].sum()
    assert round(income_lines, 2) == amt(seed, t, item_key="income_total") == 2792.45
    assert amt(seed, t, section="income", item_key="grand_total") == round(2792.45 + 2.93, 2) == 2795.38
    classes = seed.tables[t].facts.query("section == 'expenditure' and item_key.str.startswith('class:')")
    # 2459.48 + 140.52 + 62.53 + 19.47 + 113.38 = 2795.38
    assert round(classes["amount"].sum(), 2) == amt(seed, t, item_key="expenditure_total") == 2795.38
    assert amt(seed, t, section="expenditure", item_key="grand_total") == 2795.38


def test_summary_01_against_02_and_03(seed):
    assert amt(seed, "income_expenditure_summary", item_key="income_total") == \
        amt(seed, "income", code="", measure_key="total") == 2792.45
    assert amt(seed, "income_expenditure_summary", item_key="expenditure_total") == \
        amt(seed, "expenditure", code="", measure_key="total") == 2795.38
    for code in ("201", "208", "210", "213", "221"):
        assert amt(seed, "income_expenditure_summary", item_key=f"class:{code}") == \
            amt(seed, "expenditure", code=code, measure_key="total")


def _children_sum(seed, table, parent, measure):
    f = seed.tables[table].facts
    kids = f[(f["code"].str.len() == len(parent) + 2) & f["code"].str.startswith(parent) & (f["measure_key"] == measure)]
    return round(float(kids["amount"].sum()), 2)


@pytest.mark.parametrize("table", ["income", "expenditure", "general_budget_expenditure"])
def test_total_is_sum_of_classes(seed, table):
    f = seed.tables[table].facts
    classes = f[(f["code"].str.len() == 3) & (f["measure_key"] == "total")]
    assert round(classes["amount"].sum(), 2) == amt(seed, table, code="", measure_key="total")


def test_hierarchy_sums_and_the_seed_rounding_differences(seed):
    # 款 = Σ项 holds exactly except where the printed values are rounded:
    # 02/03/05 21011 行政事业单位医疗 62.53 vs 2101101 55.99 + 2101102 6.53 = 62.52
    for table in ("income", "expenditure", "general_budget_expenditure"):
        assert _children_sum(seed, table, "21011", "total") == 62.52
        assert amt(seed, table, code="21011", measure_key="total") == 62.53
    # 03 20131 基本支出 1459.12 vs 1368.69 + 90.42 = 1459.11; 项目支出 1000.36 vs 0.11 + 1000.26 = 1000.37
    assert _children_sum(seed, "expenditure", "20131", "basic") == 1459.11
    assert amt(seed, "expenditure", code="20131", measure_key="basic") == 1459.12
    assert _children_sum(seed, "expenditure", "20131", "project") == 1000.37
    assert amt(seed, "expenditure", code="20131", measure_key="project") == 1000.36
    # 05 20131 基本支出 1456.19 vs 1365.76 + 90.42 = 1456.18
    assert _children_sum(seed, "general_budget_expenditure", "20131", "basic") == 1456.18
    # 类 = Σ款 holds everywhere (each 类 has a single 款)
    for table in ("income", "expenditure", "general_budget_expenditure"):
        for cls in ("201", "208", "210", "213", "221"):
            assert _children_sum(seed, table, cls, "total") == amt(seed, table, code=cls, measure_key="total")


def test_row_total_is_sum_of_components(seed):
    f = seed.tables["expenditure"].facts
    for code in set(f["code"]):
        parts = f[(f["code"] == code) & f["measure_key"].isin(["basic", "project"])]["amount"].sum()
        assert round(parts, 2) == amt(seed, "expenditure", code=code, measure_key="total"), code
    f = seed.tables["general_budget_expenditure"].facts
    for code in set(f["code"]):
        parts = f[(f["code"] == code) & f["measure_key"].isin(["basic", "project"])]["amount"].sum()
        assert round(parts, 2) == amt(seed, "general_budget_expenditure", code=code, measure_key="total"), code


def test_fiscal_grant_tables_04_05_02(seed):
    t = "fiscal_grant_summary"
    assert amt(seed, t, section="expenditure", item_key="expenditure_total", measure_key="general_budget") == \
        amt(seed, "general_budget_expenditure", code="", measure_key="total") == 2792.45
    assert amt(seed, "income", code="", measure_key="fiscal_grant") == amt(seed, t, item_key="income_total") == 2792.45
    classes = seed.tables[t].facts.query("item_key.str.startswith('class:') and measure_key == 'total'")
    assert round(classes["amount"].sum(), 2) == 2792.45


def test_basic_expenditure_06(seed):
    t = "general_budget_basic"
    # 05 基本支出 1772.62 = 06 人员经费合计 1488.86 + 公用经费合计 283.76
    assert round(amt(seed, t, item_key="personnel_total") + amt(seed, t, item_key="public_total"), 2) == \
        amt(seed, "general_budget_expenditure", code="", measure_key="basic") == 1772.62
    # 人员经费 = 301 + 303: 1408.06 + 80.80 = 1488.86; 公用经费 = 302 + 310: 254.52 + 29.24 = 283.76
    assert round(amt(seed, t, code="301") + amt(seed, t, code="303"), 2) == amt(seed, t, item_key="personnel_total")
    assert round(amt(seed, t, code="302") + amt(seed, t, code="310"), 2) == amt(seed, t, item_key="public_total")
    # 类 = Σ款 — the seed is inconsistent in two classes:
    # 301: 510.52+263.18+284.89+28.29+140.52+2.04+59.41+5.81+113.38 = 1408.04 vs printed 1408.06
    assert _children_sum(seed, t, "301", "amount") == 1408.04 and amt(seed, t, code="301") == 1408.06
    # 302: 64.23+0.07+3.85+1.94+14.67+2.88+12.18+4.03+3.00+9.13+28.38+67.60+42.58 = 254.54 vs printed 254.52
    assert _children_sum(seed, t, "302", "amount") == 254.54 and amt(seed, t, code="302") == 254.52
    assert _children_sum(seed, t, "303", "amount") == 80.80 == amt(seed, t, code="303")
    assert _children_sum(seed, t, "310", "amount") == 29.24 == amt(seed, t, code="310")


def test_three_public_09(seed):
    f = seed.tables["three_public"].facts.set_index("measure_key")["amount"].to_dict()
    for stage in ("budget", "actual"):
        g = lambda k: f.get(f"{stage}_{k}", 0.0)  # noqa: E731 — blank cells count as 0
        assert round(g("vehicle_purchase") + g("vehicle_operation"), 2) == g("vehicle_subtotal") == 8.59
        assert round(g("abroad") + g("vehicle_subtotal") + g("reception"), 2) == g("total") == 8.59


def test_statistics_10(seed):
    t = "related_info"
    # 政府采购: 7.72 + 2.02 + 39.38 = 49.12 vs printed 合计 49.13 (a 0.01 rounding difference)
    parts = sum(amt(seed, t, item_key=k) for k in ("procurement_goods", "procurement_works", "procurement_services"))
    assert round(parts, 2) == 49.12 and amt(seed, t, item_key="procurement_total") == 49.13
    # 车辆: 1 主要负责人用车 + 9 其他用车 = 10
    kinds = seed.tables[t].facts.query("item_key.str.startswith('vehicles_') and item_key != 'vehicles_total'")
    assert kinds["amount"].sum() == amt(seed, t, item_key="vehicles_total") == 10
    # 机关运行经费 (行政单位) 283.76 = 06 公用经费合计 283.76
    assert amt(seed, t, item_key="admin_operating_admin_units") == amt(seed, "general_budget_basic", item_key="public_total")


def test_03_and_05_differ_by_non_fiscal_spending(seed):
    # 03 本年支出合计 2795.38 − 05 合计 2792.45 = 2.93 = 01 年初结转和结余 2.93 (spent from carry-over, basic)
    diff = round(amt(seed, "expenditure", code="", measure_key="total")
                 - amt(seed, "general_budget_expenditure", code="", measure_key="total"), 2)
    assert diff == 2.93 == amt(seed, "income_expenditure_summary", item_key="carryover_begin")
