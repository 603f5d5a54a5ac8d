"""The audit machinery: the tolerance policy at its boundaries, rules firing on altered facts,
evidence, output formats, the rule catalogue and its documentation, speed."""
from __future__ import annotations

import dataclasses
import json
import re
from decimal import Decimal

import pandas as pd
import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths
from xinzhou_fiscal.checks import RULES, evidence_frame, exit_code, format_findings, rule_catalogue
from xinzhou_fiscal.checks.tolerance import (
    HALF_EVEN,
    HALF_UP,
    INTERVAL,
    MIXED,
    TRUNCATED,
    Num,
    exact,
    judge,
    printed,
    ratio_pct,
    rounding_method,
    total,
    yoy_rate_pct,
)


# --------------------------------------------------------------------------- tolerance policy
def p(x: str):
    return printed(float(x.replace(",", "")), x)


def test_printed_half_units():
    assert p("2,795.38").err == pytest.approx(0.005)
    assert p("4981.697").err == pytest.approx(0.0005)
    assert p("10").err == pytest.approx(0.5)
    assert printed(48.0, "48", min_decimals=2).err == pytest.approx(0.005)   # general format
    assert exact(10).err == 0


def test_sum_tolerance_is_n_half_units_plus_the_total():
    parts = total([p("55.99"), p("6.53")])                 # 62.52, ± 0.01
    v = judge(parts, p("62.53"))
    assert (v.status, v.tolerance) == ("info", pytest.approx(0.015))
    assert judge(parts, p("62.52")).status == "ok"
    assert judge(parts, p("62.54")).status == "broken"      # 0.02 ≥ 0.015


def test_two_printings_of_one_amount():
    assert judge(p("2792.45"), p("2792.45")).status == "ok"
    # one unit apart: the difference 0.01 equals the tolerance 0.005 + 0.005. One value rounded by one
    # method prints the same twice, so the gap is two methods (one rounded, one truncated) or a typo:
    # one_unit, a warning unless the document truncates elsewhere (settle_one_unit_gaps)
    v = judge(p("2792.45"), p("2792.46"))
    assert (v.status, v.method) == ("one_unit", MIXED) and v.difference == pytest.approx(0.01)
    assert judge(p("2792.45"), p("2792.47")).status == "broken"
    # the same for a sum of one printed figure and a blank (exact 0): still one rounding on each side
    assert judge(total([p("2792.45"), exact(0)]), p("2792.46")).status == "one_unit"
    # a coarser printing of a finer one is its rounding
    assert judge(p("2833.505"), p("2833.51")).status == "ok"


def test_a_copy_one_unit_apart_is_rounding_only_where_the_document_truncates():
    from xinzhou_fiscal.checks import Check
    from xinzhou_fiscal.checks.findings import evaluate, settle_one_unit_gaps, verdict
    # seed 公开01 208 printed 140.52 and a copy printed 140.53; issue #23's truncated rate 95.4572 % → 95.45 %
    copied = Check("cross.classes_01_03", "208", "类 208 两表金额", expected=p("140.52"), actual=p("140.53"))
    rate = Check("narrative.share", "line 9", "占比", expected=Num(95.4572, 0.0003), actual=p("95.45"), unit="%")
    alone = settle_one_unit_gaps([(copied, verdict(copied))])
    assert alone[0][1][0] == "warning" and "录入错误" in evaluate(*alone[0])["message"]
    both = settle_one_unit_gaps([(copied, verdict(copied)), (rate, verdict(rate))])
    (c, v), (_, v_rate) = both
    assert (v[0], v[3]) == ("info", MIXED) and v_rate[3] == TRUNCATED
    record = evaluate(c, v)
    assert record["rounding"] == MIXED and "本报告另有截尾印刷的数（line 9 印刷 95.45）" in record["message"]
    assert copied.note == ""                    # the shared check is not changed


def test_a_sum_of_rounded_parts_at_its_tolerance_is_rounding():
    # three amounts that are exact ties, 0.015 + 0.035 + 0.055 = 0.105, rounded half-even (四舍六入五成双)
    # print 0.02, 0.04, 0.06 and a total of 0.10: their sum 0.12 is 0.02 off, exactly the tolerance
    # 3 × 0.005 + 0.005 of one method applied throughout — rounding, not a copy
    v = judge(total([p("0.02"), p("0.04"), p("0.06")]), p("0.10"))
    assert (v.status, v.method) == ("info", INTERVAL) and v.tolerance == pytest.approx(0.02)


def test_a_one_unit_gap_is_an_error_when_the_figure_both_come_from_is_known():
    # seed line 725: 全年执行数 19.027 ÷ 全年预算数 30 = 63.4233 %, printed 63.42 in the table; the text at
    # line 739 prints 63.43, which no rounding method makes of 63.4233 (half-up, half-even and
    # truncation all give 63.42)
    computed = ratio_pct(printed(19.027, "19.027"), printed(30.0, "30", min_decimals=2))
    assert judge(p("63.42"), p("63.43"), underlying=computed).status == "broken"
    assert judge(p("63.42"), p("63.43")).status == "one_unit"  # without it: two methods or a typo
    assert judge(p("63.42"), p("63.42"), underlying=computed).status == "ok"


def test_truncation_is_a_rounding_note_that_names_it():
    # issue #23's misfires: a printed 95.45 % for 95.4572 %, 99.86 % for 99.868 %, 9.55 % for 9.5575 %
    for computed, shown in (("95.4572", "95.45"), ("99.868", "99.86"), ("9.5575", "9.55")):
        v = judge(Num(float(computed), 0.0003), p(shown))
        assert (v.status, v.method) == ("info", TRUNCATED), (computed, shown, v)
    # rounding half-up is simply the printed figure: ok
    assert judge(Num(95.4572, 0.0003), p("95.46")).status == "ok"
    # truncation explains one direction only: 95.4572 printed 95.44 is an error
    assert judge(Num(95.4572, 0.0003), p("95.44")).status == "broken"
    # a negative figure is truncated towards 0
    assert judge(Num(-9.5575, 0.0003), p("-9.55")).method == TRUNCATED


def test_rounding_methods_are_read_in_decimal():
    assert rounding_method(Decimal("2.345"), Decimal("2.35"), 2) == HALF_UP
    assert rounding_method(Decimal("2.345"), Decimal("2.34"), 2) == HALF_EVEN
    assert rounding_method(Decimal("2.347"), Decimal("2.34"), 2) == TRUNCATED
    assert rounding_method(Decimal("2.347"), Decimal("2.33"), 2) == ""
    # 0.10 + 0.20 is 0.30000000000000004 in binary floating point; in decimal it is 0.30
    assert judge(total([p("0.10"), p("0.20")]), p("0.30")).difference == 0


def test_ratio_tolerance_propagates_inputs_and_the_printed_decimals():
    r = ratio_pct(p("2792.45"), p("2795.38"))                 # 99.8952 %
    assert r.value == pytest.approx(99.89518, abs=1e-5)
    assert judge(r, p("99.90")).status == "ok"
    # tolerance = 99.8952 × (0.005/2792.45 + 0.005/2795.38) + 0.005 ≈ 0.00536
    assert judge(r, p("99.90")).tolerance == pytest.approx(0.005357, abs=2e-6)
    assert judge(r, p("99.89")).status == "info"             # |−0.0052| < 0.00536
    assert judge(r, p("99.88")).status == "broken"
    assert judge(r, p("99.9")).status == "ok"                # one decimal: ± 0.05


def test_yoy_rate():
    r = yoy_rate_pct(p("62.53"), p("11.10"))                  # 11.10 / 51.43
    assert r.value == pytest.approx(21.58273, abs=1e-5)
    assert judge(r, p("21.58")).status == "ok"
    assert judge(r, p("21.56")).status == "broken"
    assert yoy_rate_pct(p("8.59"), p("8.59")) is None         # previous year 0: undefined


def test_counts_are_exact():
    assert judge(total([exact(1), exact(9)]), exact(10)).status == "ok"
    v = judge(total([exact(1), exact(9)]), exact(11))
    assert v.status == "broken" and v.tolerance == 0


def test_bounds():
    assert judge(p("8.59"), p("0.00"), "le").status == "ok"
    assert judge(p("0"), p("8.59"), "ge").status == "ok"
    assert judge(total([p("3.00"), p("2.00")]), p("4.99"), "ge").status == "info"   # 0.01 below, tolerance 0.015
    # a part one unit above the whole it belongs to (both printed once): two methods or a typo
    assert judge(p("5.00"), p("4.99"), "ge").status == "one_unit"
    assert judge(p("5.00"), p("4.98"), "ge").status == "broken"   # 0.02 below


# --------------------------------------------------------------------------- rules on altered facts
def altered(seed, mask, amount, printed_text):
    facts = seed.facts.copy()
    facts.loc[mask, "amount"] = amount
    facts.loc[mask, "printed"] = printed_text
    return facts


def errors(df):
    return set(df.loc[df["severity"] == "error", "finding_id"])


@pytest.fixture(scope="module")
def base_errors(seed):
    return errors(xf.audit(seed))


def test_admin_costs_above_06_is_an_error_below_a_warning(seed, base_errors):
    mask = seed.facts["item_key"] == "admin_operating_admin_units"
    above = xf.audit(seed, facts=altered(seed, mask, 300.0, "300.00"))
    r = above[above["rule"] == "cross.admin_costs_10_06"].iloc[0]
    assert r["severity"] == "error" and r["expected"] == 283.76 and r["actual"] == 300.0
    below = xf.audit(seed, facts=altered(seed, mask, 200.0, "200.00"))
    assert below.loc[below["rule"] == "cross.admin_costs_10_06", "severity"].iloc[0] == "warning"


def test_09_against_06_is_a_lower_bound(seed):
    # give 06 a 30217 公务接待费 of 5.00 (09 prints no 接待费): a bound broken → warning, never error
    extra = seed.facts[seed.facts["code"] == "30215"].copy()
    extra["code"], extra["item"], extra["amount"], extra["printed"] = "30217", "公务接待费", 5.0, "5.00"
    facts = pd.concat([seed.facts, extra], ignore_index=True)
    df = xf.audit(seed, facts=facts)
    r = df[(df["rule"] == "cross.three_public_09_06") & (df["subject"] == "公务接待费")].iloc[0]
    assert r["severity"] == "warning" and r["expected"] == 5.0 and r["actual"] == 0.0
    # the 302 class no longer adds up (254.54 + 5.00 vs 254.52): that one is an error
    assert "basic.class_items|公开06表 302" in errors(df)


def test_a_changed_class_line_breaks_01_and_its_reconciliation(seed, base_errors):
    mask = (seed.facts["table"] == "income_expenditure_summary") & (seed.facts["item_key"] == "class:208")
    df = xf.audit(seed, facts=altered(seed, mask, 140.54, "140.54"))
    new = errors(df) - base_errors
    # 01 本年支出合计 2795.38 vs 2459.48 + 140.54 + 62.53 + 19.47 + 113.38 = 2795.40: 0.02 < 6 × 0.005 → info;
    # but 01 208 140.54 vs 03 208 140.52 is one amount printed twice, 0.02 apart (> 0.005 + 0.005) → error
    assert new == {"cross.classes_01_03|208"}
    r = df[df["finding_id"] == "summary.expenditure_total|公开01表 支出/金额"].iloc[0]
    assert r["severity"] == "info" and r["tolerance"] == pytest.approx(0.03)
    # one unit apart (140.53 vs 140.52): the difference equals the tolerance 0.01. The seed prints no
    # truncated figure, so nothing shows a second rounding method: a warning saying so, not an error
    one_unit = xf.audit(seed, facts=altered(seed, mask, 140.53, "140.53"))
    r = one_unit[one_unit["finding_id"] == "cross.classes_01_03|208"].iloc[0]
    assert (r["severity"], r["rounding"]) == ("warning", "") and r["tolerance"] == pytest.approx(0.01)
    assert "恰为一个印刷单位" in r["message"] and "也可能是录入错误" in r["message"]
    assert "cross.classes_01_03|208" not in errors(one_unit)


def test_missing_table_and_empty_table_without_note(seed):
    tables = dict(seed.tables)
    t07 = tables["gov_fund"]
    tables["gov_fund"] = dataclasses.replace(t07, status="blank", empty_note=None, block=None)   # no 本表无数据
    tables["three_public"] = dataclasses.replace(tables["three_public"], status="missing", block=None,
                                                 wide=pd.DataFrame(), facts=seed.facts.iloc[0:0])
    rep = dataclasses.replace(seed, tables=tables, facts=seed.facts[seed.facts["table"] != "three_public"])
    df = xf.audit(rep, rules={"complete.table_missing", "complete.empty_note"})
    # the seed still prints the 三公 table's title (line 344 财政拨款“三公”经费支出决算表): a table printed
    # but not read is a warning naming that line, never “缺表”
    assert df.set_index("subject")["severity"].to_dict() == {"公开09表": "warning", "公开07表": "error"}
    t09 = df[df["subject"] == "公开09表"].iloc[0]
    assert "正文第 344 行" in t09["message"] and "未能读取" in t09["message"]


def test_rule_subset_and_include_passed(seed):
    df = xf.audit(seed, rules={"summary.sides"}, include_passed=True)
    assert list(df["severity"]) == ["ok", "ok"] and set(df["subject"]) == {"公开01表", "公开04表"}


# --------------------------------------------------------------------------- evidence and formats
def test_evidence_of_a_finding(seed):
    df = xf.audit(seed)
    ev = evidence_frame(df)
    e302 = ev[ev["finding_id"] == "basic.class_items|公开06表 302"]
    printed_parts = e302[(e302["side"] == "expected") & (e302["printed"] != "")]
    assert len(printed_parts) == 13 and printed_parts["value"].sum() == pytest.approx(254.54)
    actual = e302[e302["side"] == "actual"].iloc[0]
    assert (actual["table_no"], actual["code"], actual["printed"], actual["line"]) == ("公开06表", "302", "254.52", 271)
    row = df[df["finding_id"] == "basic.class_items|公开06表 302"].iloc[0]
    assert "公开06表 30201 办公费" in row["expected_source"] and "@272" in row["expected_source"]
    # narrative evidence carries the line of the statement
    yoy = ev[ev["finding_id"].str.startswith("narrative.yoy_rate|line 460 卫生健康支出")]
    assert set(yoy["line"]) == {460} and set(yoy["source"]) == {"narrative"}


def test_formats(seed):
    df = xf.audit(seed)
    recs = json.loads(format_findings(df, "json"))
    assert len(recs) == len(df) and {"rule", "severity", "message", "expected", "actual", "evidence"} <= set(recs[0])
    csv = format_findings(df, "csv")
    assert csv.splitlines()[0].startswith("finding_id,rule,severity") and "evidence" not in csv.splitlines()[0]
    assert format_findings(df, "text").count("\n") == len(df)
    assert exit_code(df) == 1 and exit_code(df[df["severity"] != "error"]) == 0
    with pytest.raises(ValueError):
        format_findings(df, "xml")


def test_checks_audit_reports_the_printed_rate_of_the_seed(seed):
    # 情况说明 line 460: 住房保障支出 支出决算113.38万元 … 较2022年决算增加16.60万元，增加17.10%;
    # the rate the two printed amounts give is 16.60 / (113.38 − 16.60) = 17.152…%, not 17.10%.
    from xinzhou_fiscal.checks import audit
    df = audit(seed, rules=["narrative.yoy_rate"])
    row = df[df["subject"] == "line 460 住房保障支出"].iloc[0]
    assert row["severity"] == "error"
    assert row["actual"] == pytest.approx(17.10)
    assert row["expected"] == pytest.approx(16.60 / (113.38 - 16.60) * 100, abs=1e-6)


def test_findings_columns_and_types(seed):
    df = xf.audit(seed)
    for c in ("rule", "severity", "message", "expected", "actual", "difference", "tolerance", "evidence"):
        assert c in df.columns
    assert df["expected"].dtype == "float64" and set(df["severity"]) <= {"error", "warning", "info"}
    assert df["severity"].tolist() == sorted(df["severity"], key=["error", "warning", "info"].index)


# --------------------------------------------------------------------------- catalogue and docs
def test_every_rule_is_documented():
    doc = (paths.PROJECT_ROOT / "docs" / "audit-rules.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### `([a-z_.0-9]+)`", doc, flags=re.M))
    assert documented == set(RULES), (set(RULES) - documented, documented - set(RULES))
    cat = rule_catalogue()
    assert len(cat) == len(RULES) and cat["source"].str.len().min() > 5


def test_a_figure_printed_in_yuan_carries_half_a_yuan():
    # Shanghai 2025 budget p7 表1: 财政拨款收入 “171,915,169” 元 = 17,191.5169 万元, ± 0.5 元 = 0.00005 万元 (not ± 0.5 万元)
    from xinzhou_fiscal.checks.context import fact_num
    rec = {"table": "budget_summary", "table_no": "", "section": "income", "code": "", "item": "一、财政拨款收入",
           "measure": "本年收入/预算数", "printed": "171,915,169", "amount": 17191.5169, "printed_unit": "元",
           "measure_key": "amount", "line": 62, "page": 7}
    n = fact_num(rec)
    assert n.value == 17191.5169 and n.err == pytest.approx(0.00005) and n.printed == "171,915,169"
    # pp17–18 表8: 302 商品和服务支出 24,840,779 元 against its 18 款 adding to 24,840,778 元: 1 元, within 18 × 0.5 + 0.5 元
    assert judge(Num(2484.0778, 18 * 0.00005), printed(2484.0779, "24,840,779", scale=0.0001)).status == "info"
    # a 万元 slip of that printing is no longer within the tolerance (it was: ± 9.5 万元 when 元 were read as 万元)
    assert judge(Num(2484.0778, 18 * 0.00005), printed(2485.0779, "24,850,779", scale=0.0001)).status == "broken"
    assert fact_num({**rec, "printed_unit": "万元", "printed": "17,191.52", "amount": 17191.52}).err == pytest.approx(0.005)
