"""A budget's cross-table identities (#25.5, checks/rules_budget_cross.py, [[identities]] in the budget
families' TOML) on the two bundled budgets, with figures typed from the PDFs (pdftotext -layout)."""
from __future__ import annotations

import dataclasses
import types

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths
from xinzhou_fiscal.checks.context import build_context
from xinzhou_fiscal.checks.findings import verdict
from xinzhou_fiscal.checks.registry import RULES
from xinzhou_fiscal.tables.common import fact_rows

RAW = paths.PROJECT_ROOT / "data" / "raw"


@pytest.fixture(scope="module")
def swu():
    return xf.read_report(RAW / "chongqing_swu_2023_budget.pdf")


@pytest.fixture(scope="module")
def shanghai():
    return xf.read_report(RAW / "shanghai_shi_czj_2025_budget.pdf")


def _checks(report, rule_id, records=None, tables=None):
    """The checks of one rule, each with its verdict: (subject, severity, expected 万元, actual 万元)."""
    if tables is not None:
        report = types.SimpleNamespace(tables=tables, template=report.template, kind=report.kind)
    ctx = build_context(report, records=records)
    out = []
    for c in RULES[rule_id].func(ctx):
        sev = verdict(c)[0] if c.expected is not None else c.coverage
        out.append((c.subject, sev, c.expected.value if c.expected else None,
                    c.actual.value if c.actual else None, c.note))
    return out


def _records(report):
    return [dict(r) for r in fact_rows(report.fact_records)]


def test_the_university_budget_totals_agree_across_tables(swu):
    # p7 收支预算总表 “收 入 总 计 557,259.13”; p8 收入预算表 “合计 557,259.13 93,801.70 230,876.38 …”
    [(_, sev, exp, act, _)] = _checks(swu, "budget_cross.income_grand_total")
    assert (sev, exp, act) == ("ok", 557259.13, 557259.13)
    # p7 “本年支出合计 468,779.07”; p9 支出预算表 “合计 468,779.07 376,019.88 92,759.19”
    [(_, sev, exp, act, _)] = _checks(swu, "budget_cross.expenditure_total")
    assert (exp, act) == (468779.07, 468779.07) and sev == "ok"
    # p7 “一、教育支出 434,334.99”; p9 “205 教育支出 434,334.99 343,658.30 90,676.69”
    by_class = {s.split()[1]: (exp, act) for s, _, exp, act, _ in _checks(swu, "budget_cross.expenditure_classes")}
    assert by_class["205"] == (434334.99, 434334.99) and set(by_class) == {"205", "206", "208", "221", "229"}
    # p10 财政拨款支出预算表 “205 教育支出 208,613.34” ≤ p9 支出预算表 205 434,334.99
    bound = {s.split()[1]: (exp, act) for s, _, exp, act, _ in _checks(swu, "budget_cross.fiscal_grant_within_classes")}
    assert bound["205"] == (434334.99, 208613.34)


def test_the_shanghai_budget_totals_agree_across_tables(shanghai):
    # p7 表1 支出总计 “102,464,260 25,177,779 44,273,130” (人员经费, 公用经费, 项目支出);
    # 表3 支出预算总表 “合计 171,915,169 127,642,039 44,273,130”: 102,464,260 + 25,177,779 = 127,642,039 元
    [(_, sev, exp, act, _)] = _checks(shanghai, "budget_cross.expenditure_basic")
    assert (exp, act) == (pytest.approx(12764.2039), pytest.approx(12764.2039)) and sev == "ok"
    # 表8 一般公共预算基本支出 “合计 127,642,039 102,464,260 25,177,779” = 表5 合计 基本支出 127,642,039
    [(_, sev, exp, act, _)] = _checks(shanghai, "budget_cross.general_basic_total")
    assert (exp, act) == (pytest.approx(12764.2039), pytest.approx(12764.2039)) and sev == "ok"
    # 表4 “一、一般公共服务支出 127,886,849 127,886,849” = 表5 “201 一般公共服务支出 127,886,849”
    by_class = {s.split()[1]: (exp, act) for s, _, exp, act, _ in _checks(shanghai, "budget_cross.general_budget_classes")}
    assert by_class["201"] == (pytest.approx(12788.6849), pytest.approx(12788.6849))
    # 表6/表7 print only “合计” with no figure, and 表4's 政府性基金预算 column is blank: nothing to compare
    [(_, cov, _, _, note)] = _checks(shanghai, "budget_cross.gov_fund_total")
    assert cov == "not applicable" and "blank" in note


def test_one_edited_figure_makes_one_error(swu):
    # 支出预算表 合计 printed 468,779.07; edit it to 468,779.70: 收支预算总表 本年支出合计 468,779.07 differs by 0.63
    records = _records(swu)
    [hit] = [r for r in records if r["table"] == "budget_expenditure" and r["item_key"] == "total"
             and r["measure_key"] == "total"]
    hit.update(printed="468,779.70", amount=468779.70)
    [(_, sev, exp, act, _)] = _checks(swu, "budget_cross.expenditure_total", records=records)
    assert (sev, exp, act) == ("error", 468779.70, 468779.07)
    # the other identities are untouched by the edit: the 收入 side still holds
    [(_, sev, _, _, _)] = _checks(swu, "budget_cross.income_grand_total", records=records)
    assert sev == "ok"


def test_a_missing_table_makes_the_identity_cannot_check_with_the_reason(swu):
    tables = dict(swu.tables)
    tables["budget_income"] = dataclasses.replace(tables["budget_income"], status="missing")
    [(_, cov, exp, _, note)] = _checks(swu, "budget_cross.income_grand_total", records=_records(swu), tables=tables)
    assert cov == "cannot check" and exp is None and "收入预算表 missing" in note


def test_a_final_accounts_report_declares_no_budget_identity(seed):
    assert _checks(seed, "budget_cross.expenditure_total") == []


def test_every_declared_identity_names_tables_of_its_own_family():
    from xinzhou_fiscal.templates.families import templates
    declared = [(t, i) for t in templates() for i in t.identities]
    assert {t.id for t, _ in declared} == {"university_budget", "shanghai_budget"}
    for fam, ident in declared:
        assert ident["what"] and ident["source"] and ident.get("relation", "eq") in ("eq", "le"), ident["id"]
        for ref in (*ident["expected"], *ident["actual"]):
            assert ref["table"] in fam.keys, (fam.id, ident["id"], ref["table"])
        assert f"budget_cross.{ident['id']}" in RULES
