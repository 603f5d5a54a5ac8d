"""Every number of 公开01–10 of the seed, typed from the document (data/raw/xinzhou_swbgs_2023_final.txt).

The expected values below were typed by reading the source lines given in the comments; they are
never copied from what the parser printed.
"""
from __future__ import annotations

import math

import pytest

# 公开02表 收入决算表 (lines 118–136): code → (本年收入合计, 财政拨款收入); other columns blank
T02 = {
    "": (2792.45, 2792.45),  # 合计
    "201": (2456.55, 2456.55), "20131": (2456.55, 2456.55), "2013101": (1365.87, 1365.87),
    "2013102": (1000.26, 1000.26), "2013150": (90.42, 90.42),
    "208": (140.52, 140.52), "20805": (140.52, 140.52), "2080505": (140.52, 140.52),
    "210": (62.53, 62.53), "21011": (62.53, 62.53), "2101101": (55.99, 55.99), "2101102": (6.53, 6.53),
    "213": (19.47, 19.47), "21305": (19.47, 19.47), "2130599": (19.47, 19.47),
    "221": (113.38, 113.38), "22102": (113.38, 113.38), "2210201": (113.38, 113.38),
}
# 公开03表 支出决算表 (lines 153–171): code → (本年支出合计, 基本支出, 项目支出); None = blank
T03 = {
    "": (2795.38, 1775.55, 1019.83),
    "201": (2459.48, 1459.12, 1000.36), "20131": (2459.48, 1459.12, 1000.36),
    "2013101": (1368.80, 1368.69, 0.11), "2013102": (1000.26, None, 1000.26), "2013150": (90.42, 90.42, None),
    "208": (140.52, 140.52, None), "20805": (140.52, 140.52, None), "2080505": (140.52, 140.52, None),
    "210": (62.53, 62.53, None), "21011": (62.53, 62.53, None), "2101101": (55.99, 55.99, None),
    "2101102": (6.53, 6.53, None),
    "213": (19.47, None, 19.47), "21305": (19.47, None, 19.47), "2130599": (19.47, None, 19.47),
    "221": (113.38, 113.38, None), "22102": (113.38, 113.38, None), "2210201": (113.38, 113.38, None),
}
# 公开05表 一般公共预算财政拨款支出决算表 (lines 237–255): code → (小计, 基本支出, 项目支出)
T05 = {
    "": (2792.45, 1772.62, 1019.83),
    "201": (2456.55, 1456.19, 1000.36), "20131": (2456.55, 1456.19, 1000.36),
    "2013101": (1365.87, 1365.76, 0.11), "2013102": (1000.26, None, 1000.26), "2013150": (90.42, 90.42, None),
    "208": (140.52, 140.52, None), "20805": (140.52, 140.52, None), "2080505": (140.52, 140.52, None),
    "210": (62.53, 62.53, None), "21011": (62.53, 62.53, None), "2101101": (55.99, 55.99, None),
    "2101102": (6.53, 6.53, None),
    "213": (19.47, None, 19.47), "21305": (19.47, None, 19.47), "2130599": (19.47, None, 19.47),
    "221": (113.38, 113.38, None), "22102": (113.38, 113.38, None), "2210201": (113.38, 113.38, None),
}
# 公开06表 (lines 271–302): economic code → 决算数 (printed amounts only; —— and blanks excluded)
T06 = {
    "301": 1408.06, "30101": 510.52, "30102": 263.18, "30103": 284.89, "30107": 28.29, "30108": 140.52,
    "30109": 2.04, "30110": 59.41, "30112": 5.81, "30113": 113.38,
    "303": 80.80, "30302": 79.59, "30305": 1.21,
    "302": 254.52, "30201": 64.23, "30204": 0.07, "30207": 3.85, "30211": 1.94, "30213": 14.67,
    "30215": 2.88, "30216": 12.18, "30226": 4.03, "30227": 3.00, "30228": 9.13, "30229": 28.38,
    "30239": 67.60, "30299": 42.58,
    "310": 29.24, "31002": 28.24, "31007": 1.00,
}
# 公开01表 (lines 67–101): (side, 行次) → (label, amount)
T01 = {
    ("income", 1): ("一、一般公共预算财政拨款收入", 2792.45), ("income", 27): ("本年收入合计", 2792.45),
    ("income", 29): ("年初结转和结余", 2.93), ("income", 31): ("总计", 2795.38),
    ("expenditure", 32): ("一、一般公共服务支出", 2459.48), ("expenditure", 39): ("八、社会保障和就业支出", 140.52),
    ("expenditure", 40): ("九、卫生健康支出", 62.53), ("expenditure", 43): ("十二、农林水支出", 19.47),
    ("expenditure", 50): ("十九、住房保障支出", 113.38), ("expenditure", 58): ("本年支出合计", 2795.38),
    ("expenditure", 62): ("总计", 2795.38),
}
# 公开04表 (lines 185–220): (side, 行次) → amounts; expenditure: (合计, 一般公共预算财政拨款)
T04 = {
    ("income", 1): (2792.45,), ("income", 27): (2792.45,), ("income", 32): (2792.45,),
    ("expenditure", 33): (2456.55, 2456.55), ("expenditure", 40): (140.52, 140.52),
    ("expenditure", 41): (62.53, 62.53), ("expenditure", 44): (19.47, 19.47),
    ("expenditure", 51): (113.38, 113.38), ("expenditure", 59): (2792.45, 2792.45),
    ("expenditure", 64): (2792.45, 2792.45),
}
# 公开10表 (lines 370–392): 行次 → (统计数, unit)
T10 = {1: (49.13, "万元"), 2: (7.72, "万元"), 3: (2.02, "万元"), 4: (39.38, "万元"), 5: (283.76, "万元"),
       7: (10, "辆"), 9: (1, "辆"), 15: (9, "辆"), 17: (5, "台（套）")}


def _cells(df, code, keys):
    sub = df[df["code"] == code]
    out = []
    for k in keys:
        v = sub.loc[sub["measure_key"] == k, "amount"]
        assert len(v) <= 1
        out.append(float(v.iloc[0]) if len(v) else None)
    return tuple(out)


def _close(a, b):
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, abs_tol=1e-9))


@pytest.mark.parametrize("key,expected,measures", [
    ("income", T02, ("total", "fiscal_grant")),
    ("expenditure", T03, ("total", "basic", "project")),
    ("general_budget_expenditure", T05, ("total", "basic", "project")),
])
def test_coded_tables_every_cell(seed, key, expected, measures):
    facts = seed.tables[key].facts
    assert set(facts["code"]) == set(expected)
    for code, values in expected.items():
        got = _cells(facts, code, measures)
        assert all(_close(g, e) for g, e in zip(got, values)), (key, code, got, values)
    assert len(facts) == sum(v is not None for vals in expected.values() for v in vals)


def test_income_table_other_columns_blank(seed):
    assert set(seed.tables["income"].facts["measure_key"]) == {"total", "fiscal_grant"}
    assert list(seed.tables["income"].wide.columns[2:9]) == [
        "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]


def test_expenditure_table_measures_are_normalised(seed):
    # printed "上缴 上级 支出" and "对附属单 位补助 支出" lose their extraction spaces
    assert list(seed.tables["expenditure"].wide.columns[2:8]) == [
        "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
    assert list(seed.tables["general_budget_expenditure"].wide.columns[2:5]) == [
        "本年支出/小计", "本年支出/基本支出", "本年支出/项目支出"]


def test_items_lose_extraction_spaces(seed):
    f = seed.tables["expenditure"].facts
    assert f.loc[f["code"] == "2130599", "item"].iloc[0] == "其他巩固脱贫攻坚成果衔接乡村振兴支出"
    assert f.loc[f["code"] == "20131", "item"].iloc[0] == "党委办公厅（室）及相关机构事务"


def test_economic_table_every_cell(seed):
    facts = seed.tables["general_budget_basic"].facts
    coded = facts[facts["code"] != ""]
    assert dict(zip(coded["code"], coded["amount"])) == pytest.approx(T06)
    assert len(coded) == len(T06)
    totals = facts[facts["code"] == ""].set_index("item_key")["amount"]
    assert totals["personnel_total"] == pytest.approx(1488.86)
    assert totals["public_total"] == pytest.approx(283.76)
    sections = dict(zip(coded["code"], coded["section"]))
    assert sections["30302"] == "人员经费" and sections["31002"] == "公用经费"


def test_economic_table_keeps_dashes_apart_from_blanks(seed):
    wide = seed.tables["general_budget_basic"].wide.set_index("code")
    assert bool(wide.loc["30901", "dash"]) and math.isnan(wide.loc["30901", "决算数"])   # printed ——
    assert not bool(wide.loc["30202", "dash"]) and math.isnan(wide.loc["30202", "决算数"])  # blank


@pytest.mark.parametrize("key,expected", [("income_expenditure_summary", T01), ("fiscal_grant_summary", T04)])
def test_two_sided_tables_every_cell(seed, key, expected):
    facts = seed.tables[key].facts
    assert len(facts) == sum(len(v if isinstance(v[0], float) else (v[1],)) for v in expected.values())
    for (side, row_no), values in expected.items():
        got = facts[(facts["section"] == side) & (facts["row_no"] == row_no)]
        if key == "income_expenditure_summary":
            label, amount = values
            assert got["item"].tolist() == [label] and got["amount"].tolist() == pytest.approx([amount])
        else:
            assert got["amount"].tolist() == pytest.approx(list(values))


def test_three_public_table(seed):
    f = seed.tables["three_public"].facts.set_index("measure_key")["amount"]
    assert f.to_dict() == pytest.approx({
        "budget_total": 8.59, "budget_vehicle_subtotal": 8.59, "budget_vehicle_operation": 8.59,
        "actual_total": 8.59, "actual_vehicle_subtotal": 8.59, "actual_vehicle_operation": 8.59})
    m = seed.tables["three_public"].facts.set_index("measure_key")["measure"]
    assert m["actual_vehicle_operation"] == "决算数/公务用车购置及运行维护费/公务用车运行维护费"
    assert m["budget_total"] == "预算数/合计"


def test_statistics_table(seed):
    f = seed.tables["related_info"].facts
    got = {int(r): (a, u) for r, a, u in zip(f["row_no"], f["amount"], f["unit"])}
    assert got == {k: (pytest.approx(v), u) for k, (v, u) in T10.items()}


def test_empty_tables_are_present_not_missing(seed):
    for key in ("gov_fund", "state_capital"):
        t = seed.tables[key]
        assert t.status == "empty" and len(t.facts) == 0
        assert t.empty_note == "说明：本表无数据"
        assert t.number in ("公开07表", "公开08表")


def test_every_standard_table_found_with_printed_number(seed):
    numbers = {k: t.number for k, t in seed.tables.items()}
    assert numbers == {
        "income_expenditure_summary": "公开01表", "income": "公开02表", "expenditure": "公开03表",
        "fiscal_grant_summary": "公开04表", "general_budget_expenditure": "公开05表",
        "general_budget_basic": "公开06表", "gov_fund": "公开07表", "state_capital": "公开08表",
        "three_public": "公开09表", "related_info": "公开10表"}
    assert seed.tables["general_budget_basic"].title == "一般公共预算财政拨款基本支出决算明细表"


def test_metadata(seed):
    assert seed.department == "中国共产党忻州市委员会办公室"
    assert seed.year == 2023 and seed.unit == "万元" and seed.kind == "决算"
    assert seed.report_id == "xinzhou-swbgs-2023"


def test_facts_carry_provenance(seed):
    f = seed.facts
    row = f[(f["table"] == "general_budget_basic") & (f["code"] == "302")].iloc[0]
    assert int(row["line"]) == 271 and row["printed"] == "254.52" and row["table_no"] == "公开06表"
    assert f["line"].notna().all()
    assert set(f.columns) >= {"table", "code", "item", "measure", "amount"}


def test_code_hierarchy(seed):
    codes = seed.codes.set_index(["scheme", "code"])
    assert codes.loc[("function", "2013101"), "level"] == "项"
    assert codes.loc[("function", "2013101"), "parent"] == "20131"
    assert codes.loc[("function", "20131"), "parent"] == "201"
    assert codes.loc[("function", "201"), "level"] == "类"
    assert codes.loc[("economic", "30217"), "name"] == "公务接待费"   # printed with a blank amount
    assert codes.loc[("economic", "30217"), "parent"] == "302"


def test_seed_parses_without_table_problems(seed):
    assert seed.table_problems == []
