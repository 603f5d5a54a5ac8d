"""The audit on the seed (xinzhou_swbgs_2023_final.txt): every real inconsistency, pinned with
numbers typed from the document and computed by hand in the comments; and no false error.

Line numbers are those of data/raw/xinzhou_swbgs_2023_final.txt.
"""
from __future__ import annotations

import pytest

import xinzhou_fiscal as xf


@pytest.fixture(scope="module")
def findings(seed):
    return xf.audit(seed)


@pytest.fixture(scope="module")
def everything(seed):
    return xf.audit(seed, include_passed=True)


def one(df, rule, subject_part, severity=None):
    hit = df[(df["rule"] == rule) & df["subject"].str.contains(subject_part, regex=False)]
    assert len(hit) == 1, f"{rule} / {subject_part}: {len(hit)} rows\n{df[df['rule'] == rule][['subject', 'severity']]}"
    row = hit.iloc[0]
    if severity is not None:
        assert row["severity"] == severity, row["message"]
    return row


# --------------------------------------------------------------------------- the complete lists
# Every error the seed must raise: (rule, subject fragment). Any other error is a false error.
SEED_ERRORS = {
    ("narrative.yoy_rate", "社会保障和就业支出"), ("narrative.yoy_rate", "卫生健康支出"),
    ("narrative.yoy_rate", "农林水支出"), ("narrative.yoy_rate", "住房保障支出"),
    ("perf.execution_rate", "1.按资金来源划分 资金总额"), ("perf.execution_rate", "一般公共预算资金"),
    ("perf.execution_rate", "2.按资金方向划分 资金总额"), ("perf.execution_rate", "基本支出"),
    ("perf.execution_rate", "项目支出"), ("perf.execution_score", "2.按资金方向划分 资金总额"),
    ("perf.fund_rows", "554↔557 execution_rate"), ("perf.level_weights", "干部专业能力提升培训 效益指标"),
    ("perf.narrative_grades", "line 522 优"), ("perf.narrative_grades", "unattached"),
    ("perf.text_rate", "保密监管专项经费 line 780"), ("perf.text_rate", "机要密码专项经费 line 739"),
    ("perf.text_rate", "机要密码专项经费 line 743"),
    ("perf.total_score", "部门整体"), ("perf.total_score", "重点工作督查及机关运行保障经费"),
    ("perf.total_score", "保密监管专项经费"), ("perf.total_score", "干部专业能力提升培训"),
    ("perf.total_score", "追加驻村帮扶干部补助经费"),
    ("perf.weights", "部门整体"), ("perf.weights", "重点工作督查及机关运行保障经费"),
    ("perf.weights", "保密监管专项经费"), ("perf.weights", "干部专业能力提升培训"),
    # line 49, the report's scope statement: “纳入中共忻州市委办公室2024年度单位预算公开范围的包括：” in the
    # 2023 决算 — it says this is another year's (and kind's) document
    ("text.report_kind_year", "纳入中共忻州市委办公室2024年度单位预算公开范围"),
}
SEED_WARNINGS = {
    ("narrative.change_sum", "一般公共预算财政拨款支出"),
    ("perf.department_vs_tables", "资金总额 executed"), ("perf.department_vs_tables", "基本支出 executed"),
    ("perf.department_vs_tables", "项目支出 executed"), ("perf.department_vs_tables", "initial budget"),
    ("perf.grade", "干部专业能力提升培训 recomputed"), ("perf.narrative_count", "line 522"),
    ("perf.narrative_grades", "line 522 中"), ("perf.narrative_grades", "line 522 差"),
    ("perf.text_rate", "驻村帮扶干部补助经费 line 1020"),
    ("text.report_kind_year", "本次预算"),
    # line 460: 其他支出年初预算0万元，支出决算0万元，完成年初预算的0% — a rate on a base of 0
    ("words.zero_base", "line 460 其他支出"),
}


def _matches(df, expected):
    got = set(zip(df["rule"], df["subject"]))
    for rule, part in expected:
        hits = [s for r, s in got if r == rule and part in s]
        assert len(hits) == 1, f"{rule} / {part}: {hits}"
    return len(got)


def test_exactly_the_expected_errors(findings):
    errors = findings[findings["severity"] == "error"]
    assert _matches(errors, SEED_ERRORS) == len(SEED_ERRORS) == 27, errors[["rule", "subject"]].to_string()


def test_exactly_the_expected_warnings(findings):
    warnings = findings[findings["severity"] == "warning"]
    assert _matches(warnings, SEED_WARNINGS) == len(SEED_WARNINGS) == 12, warnings[["rule", "subject"]].to_string()


def test_no_table_identity_of_the_seed_is_an_error(findings):
    """Every identity inside and across 公开01–10 holds on the seed, up to rounding."""
    table_rules = findings[findings["category"].isin(["summary", "coded", "basic", "three_public", "related", "cross"])]
    assert set(table_rules["severity"]) <= {"info"}


# --------------------------------------------------------------------------- tables: rounding only
def test_06_class_302_is_rounding_not_an_error(findings):
    # 公开06 302 商品和服务支出 printed 254.52 (line 271); its 13 printed 款:
    # 64.23 + 0.07 + 3.85 + 1.94 + 14.67 + 2.88 + 12.18 + 4.03 + 3.00 + 9.13 + 28.38 + 67.60 + 42.58 = 254.54
    # tolerance: 13 parts × 0.005 + the class's own 0.005 = 0.07 > |254.52 − 254.54| = 0.02 → info
    r = one(findings, "basic.class_items", "公开06表 302", "info")
    assert r["expected"] == pytest.approx(254.54) and r["actual"] == 254.52
    assert r["difference"] == pytest.approx(-0.02) and r["tolerance"] == pytest.approx(0.07)


def test_06_class_301_is_rounding(findings):
    # 301 工资福利支出 1408.06 vs 510.52 + 263.18 + 284.89 + 28.29 + 140.52 + 2.04 + 59.41 + 5.81 + 113.38
    # = 1408.04; 9 parts × 0.005 + 0.005 = 0.05 > 0.02 → info
    r = one(findings, "basic.class_items", "公开06表 301", "info")
    assert r["expected"] == pytest.approx(1408.04) and r["tolerance"] == pytest.approx(0.05)


def test_06_totals_hold(everything):
    # 人员经费合计 1488.86 = 301 1408.06 + 303 80.80; 公用经费合计 283.76 = 302 254.52 + 310 29.24
    assert one(everything, "basic.personnel_total", "公开06表")["severity"] == "ok"
    assert one(everything, "basic.public_total", "公开06表")["severity"] == "ok"
    # 05 基本支出 1772.62 = 1488.86 + 283.76
    assert one(everything, "cross.basic_05_06", "公开05表↔公开06表")["severity"] == "ok"
    # 10 机关运行经费 283.76 = 06 公用经费合计 283.76
    assert one(everything, "cross.admin_costs_10_06", "公开10表↔公开06表")["severity"] == "ok"


def test_21011_and_20131_are_rounding(findings):
    # 21011 行政事业单位医疗 62.53 vs 2101101 55.99 + 2101102 6.53 = 62.52: 2 × 0.005 + 0.005 = 0.015 > 0.01
    for sub in ("公开02表 21011 本年收入合计", "公开03表 21011 本年支出合计", "公开05表 21011 本年支出/小计"):
        r = one(findings, "coded.item_subitems", sub, "info")
        assert r["expected"] == pytest.approx(62.52) and r["actual"] == 62.53 and r["tolerance"] == pytest.approx(0.015)
    # 03 20131 基本支出 1459.12 vs 1368.69 + 90.42 = 1459.11; 项目支出 1000.36 vs 0.11 + 1000.26 = 1000.37
    assert one(findings, "coded.item_subitems", "公开03表 20131 基本支出", "info")["expected"] == pytest.approx(1459.11)
    assert one(findings, "coded.item_subitems", "公开03表 20131 项目支出", "info")["expected"] == pytest.approx(1000.37)


def test_10_procurement_is_rounding(findings):
    # 货物 7.72 + 工程 2.02 + 服务 39.38 = 49.12 vs 合计 49.13; 3 × 0.005 + 0.005 = 0.02 > 0.01
    r = one(findings, "related.procurement_total", "政府采购", "info")
    assert r["expected"] == pytest.approx(49.12) and r["tolerance"] == pytest.approx(0.02)


def test_01_class_lines_reconcile_with_03_not_02(everything):
    # 公开01 shows 支出 by class: 201 = 2459.48 (line 70) = 公开03 201 2459.48 (line 154). 公开02/05 print
    # 2456.55 for 201; the 2.93 between them is the 年初结转和结余 (01 line 99) spent in 2013101
    # (03: 1368.80 − 02/05: 1365.87 = 2.93). So the audit compares 01 with 03 only, and it holds.
    r = one(everything, "cross.classes_01_03", "201")
    assert r["severity"] == "ok" and r["expected"] == r["actual"] == 2459.48
    assert not any(everything["rule"].str.contains("01_02") & everything["subject"].eq("201"))


def test_03_minus_05_is_the_carryover(everything):
    # 05 (general budget grants) ≤ 03 (all funds): 2013101 1365.87 ≤ 1368.80; 合计 2792.45 ≤ 2795.38
    r = one(everything, "cross.subset_05_03", "合计 合计")
    assert r["severity"] == "ok" and r["expected"] == 2795.38 and r["actual"] == 2792.45


# --------------------------------------------------------------------------- narrative
def test_yoy_rates_of_the_classes(findings, everything):
    # rate = change / (current − change)
    cases = {  # subject: (current, change, printed rate, recomputed rate)
        "社会保障和就业支出": (140.52, 23.30, 19.85, 19.8772),   # 23.30 / 117.22 = 19.8772 %
        "卫生健康支出": (62.53, 11.10, 21.56, 21.5827),           # 11.10 / 51.43 = 21.5827 %
        "农林水支出": (19.47, 16.40, 540.46, 534.2020),            # 16.40 / 3.07 = 534.2020 %
        "住房保障支出": (113.38, 16.60, 17.10, 17.1523),           # 16.60 / 96.78 = 17.1523 %
    }
    for subject, (_, _, printed, recomputed) in cases.items():
        r = one(findings, "narrative.yoy_rate", subject, "error")
        assert r["actual"] == printed and r["expected"] == pytest.approx(recomputed, abs=5e-5)
        assert abs(r["difference"]) > r["tolerance"]
    # 卫生健康支出: interval of 11.10 ± 0.005 over (62.53 ± 0.005 − 11.10 ∓ 0.005) is 21.5688 … 21.5966,
    # so a printed 21.56 (21.555 … 21.565) cannot come from these figures.
    r = one(findings, "narrative.yoy_rate", "卫生健康支出")
    assert r["tolerance"] == pytest.approx(0.0139 + 0.005, abs=2e-4)
    # 一般公共服务支出 holds: 539.80 / (2456.55 − 539.80) = 539.80 / 1916.75 = 28.1623 % → 28.16
    assert one(everything, "narrative.yoy_rate", "一般公共服务支出")["severity"] == "ok"


def test_fiscal_grant_total_rate_holds(everything):
    # 财政拨款收入总计 减少959.88, 下降25.58% (line 434): 959.88 / (2792.45 + 959.88) = 959.88 / 3752.33
    # = 25.5809 % → 25.58: holds (signed: −25.58)
    r = one(everything, "narrative.yoy_rate", "line 434 财政拨款收入总计")
    assert r["severity"] == "ok" and r["actual"] == -25.58 and r["expected"] == pytest.approx(-25.5809, abs=5e-5)
    # 收入总计 下降25.56% (line 400): 959.88 / (2795.38 + 959.88) = 959.88 / 3755.26 = 25.5609 % → 25.56
    r = one(everything, "narrative.yoy_rate", "line 400 收入总计")
    assert r["severity"] == "ok" and r["expected"] == pytest.approx(-25.5609, abs=5e-5)


def test_shares_and_completion_hold(everything):
    # 一般公共预算 2,792.45 占本年支出合计的99.90% (line 440): 2792.45 / 2795.38 = 99.8952 % → 99.90
    r = one(everything, "narrative.share", "line 440")
    assert r["severity"] == "ok" and r["expected"] == pytest.approx(99.8952, abs=5e-5)
    # completion 2792.45 / 4942.21 = 56.5021 % → 56.50 (line 458)
    r = one(everything, "narrative.completion", "line 458")
    assert r["severity"] == "ok" and r["expected"] == pytest.approx(56.5021, abs=5e-5)
    # 农林水 completion 19.47 / 13.60 = 143.1618 % → 143.16
    r = one(everything, "narrative.completion", "line 460 农林水支出")
    assert r["severity"] == "ok" and r["actual"] == 143.16
    # 基本支出 1,775.55 占比63.52% of 支出合计 2,795.38: 63.5173 % (line 422)
    assert one(everything, "narrative.share", "line 422 基本支出")["severity"] == "ok"


def test_narrative_own_totals(findings, everything):
    # class 年初预算 4585.73 + 143.84 + 62.60 + 13.60 + 136.44 + 0 = 4942.21 = the stated total: holds
    r = one(everything, "narrative.parts_sum", "line 458 一般公共预算财政拨款支出 年初预算")
    assert r["severity"] == "ok" and r["expected"] == pytest.approx(4942.21)
    # the class changes: +539.80 + 23.30 + 11.10 + 16.40 + 16.60 = +607.20, but the total changed by −959.88:
    # only classes of 2022 absent from the 2023 list could explain −1567.08 → warning (not strict)
    r = one(findings, "narrative.change_sum", "一般公共预算财政拨款支出", "warning")
    assert r["expected"] == pytest.approx(607.20) and r["actual"] == -959.88
    assert r["difference"] == pytest.approx(-1567.08)


def test_narrative_amounts_match_the_tables(everything):
    amounts = everything[everything["rule"] == "narrative.amount"]
    assert len(amounts) >= 50 and set(amounts["severity"]) == {"ok"}
    # 单价100万元以上设备 5台（套） (line 516) = 公开10表 5
    assert one(everything, "narrative.amount", "设备")["expected"] == 5


# --------------------------------------------------------------------------- performance
def test_department_execution_rate(findings):
    # 部门整体 (line 554): 全年执行数 2833.505 / 全年预算数 2833.505 = 100.00 %, printed 81.51;
    # (by 年初预算: 2833.505 / 4981.697 = 56.88 %, not 81.51 either)
    r = one(findings, "perf.execution_rate", "1.按资金来源划分 资金总额", "error")
    assert r["expected"] == pytest.approx(100.0) and r["actual"] == 81.51
    assert "56.88%" in r["message"]
    # the 按资金方向 资金总额 row (line 557) prints 81.15 for the same total: 81.51 vs 81.15
    r = one(findings, "perf.fund_rows", "554↔557 execution_rate", "error")
    assert (r["expected"], r["actual"]) == (81.51, 81.15)
    # and its score 8.15 ≠ 81.15 × 10 % = 8.115
    r = one(findings, "perf.execution_score", "2.按资金方向划分 资金总额", "error")
    assert r["expected"] == pytest.approx(8.115) and r["actual"] == 8.15


def test_department_total_and_weights(findings):
    # 部门整体 indicator scores: 1+2+4+4+2+4+2+1+1+2 (数量) + 1+1+2+2 (质量) + 2+1+1+2+1+1 (时效)
    # + 30+10 (效益) = 77; + execution 8.15 = 85.15 ≠ 总分 87 (line 586)
    r = one(findings, "perf.total_score", "部门整体", "error")
    assert r["expected"] == pytest.approx(85.15) and r["actual"] == 87
    # weights 2+2+4+4+2+4+2+1+1+2 + 1+1+2+2 + 2+1+1+2+1+1 + 30+10 = 78; 78 + 10 = 88 ≠ 100
    r = one(findings, "perf.weights", "部门整体", "error")
    assert r["actual"] == pytest.approx(88)


@pytest.mark.parametrize("project, indicators, execution, printed", [
    # 10+5+5+3+4+3+3+4+3+4+3+3+10+5+5+4+3+3+3+4 = 87; + 9.16 = 96.16 ≠ 99.16 (line 704)
    ("重点工作督查及机关运行保障经费", 87, 9.16, 99.16),
    # 10+5+4+10+10+3+4+20+10+10 = 86; + 7.31 = 93.31 ≠ 96.31 (line 779)
    ("保密监管专项经费", 86, 7.31, 96.31),
    # 10+10+10+10+5+2+3+20+10 = 80; + 8.03 = 88.03 ≠ 90 (line 1132)
    ("干部专业能力提升培训", 80, 8.03, 90),
    # 20+10+8+10+17+5+5+10 = 85; + 8.2 = 93.2 ≠ 95 (line 1167)
    ("追加驻村帮扶干部补助经费", 85, 8.2, 95),
])
def test_project_total_scores(findings, project, indicators, execution, printed):
    r = one(findings, "perf.total_score", project, "error")
    assert r["expected"] == pytest.approx(indicators + execution) and r["actual"] == printed


def test_project_weights_and_levels(findings, everything):
    # 重点工作督查: Σ分值 = the scores above (all full marks) = 87; 87 + 10 = 97 ≠ 100
    assert one(findings, "perf.weights", "重点工作督查及机关运行保障经费", "error")["actual"] == pytest.approx(97)
    # 保密监管: 10+5+5+10+10+3+4+20+10+10 = 87; + 10 = 97
    assert one(findings, "perf.weights", "保密监管专项经费", "error")["actual"] == pytest.approx(97)
    # 干部专业能力提升培训: 80 + 10 = 90; and "效益指标30" over a single 20-point indicator
    assert one(findings, "perf.weights", "干部专业能力提升培训", "error")["actual"] == pytest.approx(90)
    r = one(findings, "perf.level_weights", "干部专业能力提升培训 效益指标", "error")
    assert (r["expected"], r["actual"]) == (20, 30)
    # its grade: printed 90 → 优 is consistent; recomputed 88.03 → 良 → warning
    assert one(everything, "perf.grade", "干部专业能力提升培训 printed")["severity"] == "ok"
    assert one(findings, "perf.grade", "干部专业能力提升培训 recomputed", "warning")["expected_label"] == "良"
    # 领导调研费 holds: 20+10+10+8+10+10+10+5+5 = 88; + 8.28 = 96.28; weights 90 + 10 = 100
    assert one(everything, "perf.total_score", "领导调研费")["severity"] == "ok"
    assert one(everything, "perf.weights", "领导调研费")["severity"] == "ok"


def test_project_scores_are_execution_rate_times_ten(everything):
    # every project's score = 执行率 × 10 %: 82.77 → 8.277 → 8.28; 87.45 → 8.745 → 8.75; 92.15 → 9.215 → 9.22
    # 16 projects × 2 fund rows, less the three 资金总额 rows printed without a 得分 (lines 608, 915, 1084)
    rows = everything[(everything["rule"] == "perf.execution_score") & ~everything["subject"].str.contains("部门整体")]
    assert len(rows) == 29 and set(rows["severity"]) == {"ok"}


def test_execution_rates_within_rounding(findings):
    # 遗属人员补助: 0.11 / 1.594 = 6.90 % vs printed 6.87: the executed 0.11 may be 0.105 … 0.115
    # (the text says 1095 元 = 0.1095 万元 → 6.87 %) → rounding, not an error
    r = one(findings, "perf.execution_rate", "遗属人员补助  资金总额", "info")
    assert r["expected"] == pytest.approx(6.9009, abs=1e-4)
    # 扩建…基地: 1.69 / 2 = 84.50 % vs 84.49 (the indicator row says 16897.55 元 → 84.49 %)
    assert one(findings, "perf.execution_rate", "扩建完善市级国家安全教育实践基地专项费  资金总额", "info")["actual"] == 84.49


def test_text_rates(findings, everything):
    # 保密监管 line 780 "全年预算执行率83.42%" vs the table's 73.10 (83.046 / 113.6 = 73.10 %)
    r = one(findings, "perf.text_rate", "保密监管专项经费 line 780", "error")
    assert (r["expected"], r["actual"]) == (73.1, 83.42)
    # line 781 says 73.10% → holds
    assert one(everything, "perf.text_rate", "保密监管专项经费 line 781")["severity"] == "ok"
    # 机要密码 "预算执行率63.43%" (lines 739, 743) vs the table's 63.42: two printings of one rate with
    # two decimals must be equal (19.027 / 30 = 63.4233 % → 63.42)
    assert one(findings, "perf.text_rate", "机要密码专项经费 line 739", "error")["actual"] == 63.43
    # 驻村帮扶 line 1020 "执行率100%" is not said to be the *budget* execution rate → warning
    assert one(findings, "perf.text_rate", "驻村帮扶干部补助经费 line 1020", "warning")["actual"] == 100
    # 扩建…基地 "预算执行率为84.5%" is 84.49 rounded to one decimal → holds
    assert one(everything, "perf.text_rate", "扩建完善市级国家安全教育实践基地专项费")["severity"] == "ok"


def test_narrative_count_and_grades_against_the_attached_tables(findings):
    # line 522: 18 evaluations, 10 优, 0 良, 4 中, 4 差. Attached: 16 project tables graded
    # 优 ×14, 中 ×1 (国家安全工作经费 70), 差 ×1 (遗属人员补助 32.69)
    r = one(findings, "perf.narrative_count", "line 522", "warning")
    assert (r["expected"], r["actual"]) == (16, 18)
    r = one(findings, "perf.narrative_grades", "line 522 优", "error")
    assert (r["expected"], r["actual"]) == (14, 10)
    assert one(findings, "perf.narrative_grades", "line 522 中", "warning")["expected"] == 1
    assert one(findings, "perf.narrative_grades", "line 522 差", "warning")["expected"] == 1
    # the 2 unattached tables cannot supply the 3 missing 中 and 3 missing 差 (6 > 2)
    r = one(findings, "perf.narrative_grades", "unattached", "error")
    assert (r["expected"], r["actual"]) == (2, 6)


def test_department_against_the_financial_tables(findings):
    # 部门整体 全年执行数 2833.505 vs 公开05 合计 2792.45; 基本 1805.033 vs 1772.62; 项目 1028.471 vs 1019.83
    r = one(findings, "perf.department_vs_tables", "资金总额 executed", "warning")
    assert r["difference"] == pytest.approx(41.055)
    assert one(findings, "perf.department_vs_tables", "基本支出 executed")["difference"] == pytest.approx(32.413)
    assert one(findings, "perf.department_vs_tables", "项目支出 executed")["difference"] == pytest.approx(8.641)
    # 年初预算: 4981.697 (自评表) vs 4,942.21 (情况说明 line 458)
    assert one(findings, "perf.department_vs_tables", "initial budget")["difference"] == pytest.approx(39.487)


# --------------------------------------------------------------------------- text
def test_overview_speaks_of_the_2024_budget(findings):
    # line 49: "纳入中共忻州市委办公室2024年度单位预算公开范围的包括" in a 2023 决算 report: the sentence that
    # states the report's own scope names another year's budget — an error (the mention is judged once)
    r = one(findings, "text.report_kind_year", "2024年度单位预算公开", "error")
    assert "年度写作 2024（本报告为 2023 年度）" in r["message"] and "种类写作“预算”" in r["message"]
    assert r["lines"] == "49"
    # line 47: "本次预算统一由二级预算单位…合并编制"
    assert one(findings, "text.report_kind_year", "本次预算", "warning")["lines"] == "47"


def test_tables_and_notes_complete(everything):
    missing = everything[everything["rule"] == "complete.table_missing"]
    assert len(missing) == 10 and set(missing["severity"]) == {"ok"}
    notes = everything[everything["rule"] == "complete.empty_note"]
    # 公开07表 and 公开08表 are printed empty with "说明：本表无数据"
    assert sorted(notes["subject"]) == ["公开07表", "公开08表"] and set(notes["severity"]) == {"ok"}
    years = everything[everything["rule"] == "text.table_year"]
    assert len(years) == 10 and set(years["severity"]) == {"ok"}
