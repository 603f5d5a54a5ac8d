"""The audit on a second real report, read from PDF (上海市普陀区财政局 2024年度决算, Shanghai
template: nine tables, no 公开10表): only real inconsistencies are errors.

Typed from the PDF (page 6 公开01 line 64, page 12 公开04, pages 8/10/15 公开02/03/05, page 21 情况说明):
- 208 社会保障和就业支出 is 326.71 in 公开01 and 公开04 but 326.72 in 公开02/03/05, whose 项 add up to
  84.65 + 160.75 + 80.38 + 0.94 = 326.72: an aggregate rounded whole in one table and summed from its
  rounded 项 in the other (the 尾数误差 the report warns of): 0.01 < 4 × 0.005 + 0.005 → info (×2);
- "财政拨款收入支出总计0.3万元" (page 21, 四、财政拨款收入支出决算总体情况说明) while 公开04 prints 总计
  2,961.68 (page 13) → error: a figure the table contradicts, far beyond rounding;
- "一般公共服务支出（类）2106.66万元，占71.73%" of 2940.05: 2106.66 / 2940.05 = 71.654 % → error (the
  four shares printed add up to 71.73 + 11.11 + 2.07 + 15.16 = 100.07).
"""
from __future__ import annotations

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths

PUTUO = paths.RAW_DIR / "putuo_czj_2024_final.pdf"


@pytest.fixture(scope="module")
def findings():
    if not PUTUO.exists():
        pytest.skip("sample PDF not present")
    pytest.importorskip("pdfplumber")
    return xf.audit(xf.read_report(PUTUO))


def test_only_the_real_errors(findings):
    errors = findings[findings["severity"] == "error"]
    assert set(errors["finding_id"]) == {"narrative.share|line 275 一般公共服务支出",
                                         "narrative.amount|line 269 财政拨款收入支出总计 决算数"}
    r = errors[errors["rule"] == "narrative.amount"].iloc[0]
    assert (r["expected"], r["actual"]) == (2961.68, 0.3)
    r = errors[errors["rule"] == "narrative.share"].iloc[0]
    assert r["actual"] == 71.73 and r["expected"] == pytest.approx(71.6539, abs=1e-4)


def test_class_208_printed_326_71_and_326_72_is_rounding(findings):
    for rule in ("cross.classes_01_03", "cross.classes_04_05"):
        r = findings[findings["rule"] == rule].iloc[0]
        assert r["severity"] == "info"
        assert (r["expected"], r["actual"]) == (326.72, 326.71)          # 03/05 aggregate vs 01/04 line
        assert r["tolerance"] == pytest.approx(4 * 0.005 + 0.005)       # four 项 + the line's half-unit


def test_the_missing_table_10_is_not_compared(findings):
    # the narrative's 机关运行经费 184.65 and 2台（套） have no 公开10表 to be compared with: no finding;
    # the Shanghai template has no 公开10表: not missing, its rules are "not applicable"
    amounts = findings[findings["rule"] == "narrative.amount"]
    assert not amounts["subject"].str.contains("机关运行经费|设备").any()
    assert findings[findings["rule"] == "complete.table_missing"].empty
    from xinzhou_fiscal.checks.coverage import coverage_ledger
    ledger = coverage_ledger(xf.read_report(PUTUO))
    related = ledger[ledger["family"] == "related"]
    assert set(related["outcome"]) == {"not applicable"} and len(related) == 2


def test_item_amounts_of_the_narrative_are_compared_with_table_05(findings_all):
    # 情况说明 (三) lists each 项 with its 支出决算 (page 22): 行政运行 1511.89, 购房补贴 258.50 … and
    # 公开05表 prints the same (2010601 1,511.89; 2210203 258.50): each statement is checked, and holds
    checked = findings_all[(findings_all["rule"] == "narrative.amount")
                           & findings_all["finding_id"].str.contains("行政运行|购房补贴")]
    assert set(checked["severity"]) == {"ok"} and len(checked) == 2
    assert sorted(checked["actual"]) == [258.50, 1511.89]


@pytest.fixture(scope="module")
def findings_all():
    return xf.audit(xf.read_report(PUTUO), include_passed=True)
