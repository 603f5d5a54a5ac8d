"""Performance self-evaluation tables (第五部分 附件) as projects and indicators.

Expected values typed from data/raw/xinzhou_swbgs_2023_final.txt; the indicator counts and the
sums of 分值/得分 were counted and added by hand, table by table (line ranges given).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from xinzhou_fiscal.read.source import read_text_document
from xinzhou_fiscal.report.model import Report
from xinzhou_fiscal.text.self_evaluations import parse_performance, parse_performance_tables

SEED = Path(__file__).resolve().parents[1] / "data" / "raw" / "xinzhou_swbgs_2023_final.txt"
DEPT = "中国共产党忻州市委员会办公室部门整体"


@pytest.fixture(scope="module")
def doc():
    return read_text_document(SEED)


@pytest.fixture(scope="module")
def parsed(doc):
    return parse_performance_tables(doc)


@pytest.fixture(scope="module")
def projects(parsed):
    return parsed.projects.set_index("project")


@pytest.fixture(scope="module")
def indicators(parsed):
    return parsed.indicators


# project: 全年预算数, 全年执行数, 执行率, 得分 (budget row), 总分, 等级,
#          indicator rows, sum of 分值, sum of 得分, (资金总额 line, 总分 line)
TABLES = {
    DEPT:                                  (2833.505, 2833.505, 81.51, 8.15, 87, "良", 22, 78, 77, (554, 586)),
    "领导调研费":                           (48, 39.728, 82.77, 8.28, 96.28, "优", 9, 90, 88, (608, 622)),
    "保密技术检查、设备维修(护)费":          (10, 7.621, 76.21, 7.62, 94.62, "优", 7, 90, 87, (644, 656)),
    "重点工作督查及机关运行保障经费":        (117, 107.2, 91.62, 9.16, 99.16, "优", 20, 87, 87, (678, 704)),
    "机要密码专项经费":                     (30, 19.027, 63.42, 6.34, 94.34, "优", 9, 90, 88, (724, 738)),
    "保密监管专项经费":                     (113.6, 83.046, 73.1, 7.31, 96.31, "优", 10, 87, 86, (764, 779)),
    "电子政务内网专项经费":                 (40, 33.478, 83.69, 8.37, 96.37, "优", 8, 90, 88, (804, 817)),
    "国家安全工作经费":                     (12, 6, 50, 5, 70, "中", 11, 90, 65, (839, 855)),
    "机要交通业务工作经费":                 (20, 13.764, 68.82, 6.88, 96.88, "优", 8, 90, 90, (877, 890)),
    "机要线路租金及专线维护经费":            (30, 29.432, 98.11, 9.81, 99.81, "优", 9, 90, 90, (915, 929)),
    "档案、法治宣传经费":                   (10, 8.745, 87.45, 8.75, 98.75, "优", 7, 90, 90, (951, 963)),
    "扩建完善市级国家安全教育实践基地专项费": (2, 1.69, 84.49, 8.45, 98.45, "优", 7, 90, 90, (983, 995)),
    "驻村帮扶干部补助经费":                 (13.6, 12.582, 92.51, 9.25, 99.25, "优", 8, 90, 90, (1017, 1030)),
    "遗属人员补助":                         (1.594, 0.11, 6.87, 0.69, 32.69, "差", 7, 90, 32, (1052, 1064)),
    "治安办保密工作经费":                   (39, 35.939, 92.15, 9.22, 99.22, "优", 7, 90, 90, (1084, 1096)),
    "干部专业能力提升培训":                 (37.25, 29.89, 80.25, 8.03, 90, "优", 9, 80, 80, (1118, 1132)),
    "追加驻村帮扶干部补助经费":             (8.4, 6.88, 81.96, 8.2, 95, "优", 8, 90, 85, (1154, 1167)),
}


def test_one_department_table_and_sixteen_project_tables(parsed):
    p = parsed.projects
    assert list(p.project) == list(TABLES)           # in document order
    assert list(p.kind).count("department") == 1 and list(p.kind).count("project") == 16
    assert "部门整体" in p[p.kind == "department"].project.iloc[0]


@pytest.mark.parametrize("project", list(TABLES))
def test_project_figures(projects, indicators, project):
    budget, executed, rate, exec_score, total, grade, n, wsum, ssum, (bline, tline) = TABLES[project]
    r = projects.loc[project]
    assert r.budget == pytest.approx(budget)
    assert r.executed == pytest.approx(executed)
    assert r.execution_rate == pytest.approx(rate)
    assert r.execution_score == pytest.approx(exec_score)
    assert r.total_score == pytest.approx(total)
    assert r.grade == grade
    assert (r.budget_line, r.total_line) == (bline, tline)
    rows = indicators[indicators.project == project]
    assert len(rows) == n == r.n_indicators
    assert rows.weight.sum() == pytest.approx(wsum)
    assert rows.score.sum() == pytest.approx(ssum)
    assert rows.line.is_monotonic_increasing and rows.line.between(bline, tline).all()


def test_seed_performance_has_no_problems(parsed):
    assert parsed.problems == []


def test_codes_and_initial_budget(projects):
    r = projects.loc["领导调研费"]
    assert (r.supervisor_code, r.supervisor) == ("101", "中国共产党忻州市委员会办公室")
    assert (r.unit_code, r.unit_name) == ("101001", "中国共产党忻州市委员会办公室")
    assert (r.initial_declared, r.initial_budget, r.balance) == (48, 48, 8.272)
    assert r.title_line == 600 and r.name_line == 604
    # line 608's 资金总额 row has no 得分: it comes from the 市县区财政资金 row below (line 609)
    assert r.score_line == 609
    assert projects.loc["治安办保密工作经费"].score_line == 1085
    d = projects.loc[DEPT]
    assert d.supervisor_code == "101" and pd.isna(d.unit_code)      # no 预算单位 row
    # 部门整体: 年初预算数 4981.697 (line 554); the second 资金总额 row (line 557) prints 81.15
    assert d.initial_budget == pytest.approx(4981.697)
    assert d.execution_rate_alt == pytest.approx(81.15) and d.budget_line_alt == 557
    assert d.year == 2023 and projects.loc["机要密码专项经费"].year == 2023


def test_fund_rows(parsed):
    f = parsed.funds
    dept = f[f.project == DEPT].set_index("label")
    # lines 558–559: 基本支出 1,722.903 / 1,805.033, 项目支出 3,258.794 / 1,028.471
    assert dept.loc["基本支出", "initial_budget"] == pytest.approx(1722.903)
    assert dept.loc["基本支出", "budget"] == pytest.approx(1805.033)
    assert dept.loc["项目支出", "executed"] == pytest.approx(1028.471)
    assert dept.loc["项目支出", "execution_rate"] == pytest.approx(73.35)
    assert set(dept.group) == {"1.按资金来源划分", "2.按资金方向划分"}


def ind(indicators, line):
    rows = indicators[indicators.line == line]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_indicator_rows_with_shifted_cells(indicators):
    # line 613: the full layout
    r = ind(indicators, 613)
    assert (r.level1, r.level2, r.level3) == ("产出指标", "数量指标", "调研常委人数")
    assert (r.initial_target, r.adjusted_target, r.actual, r.weight, r.score) == ("=6人", "=6人", "=6人", 20, 20)
    # line 563: the 部门整体 table has no 调整后指标值 and prints 数量 指标 in the level-1 column
    r = ind(indicators, 563)
    assert (r.level1, r.level2, r.level3, r.initial_target, r.actual) == ("产出指标", "数量指标", "信息报送", "≤500条", "226条")
    assert pd.isna(r.adjusted_target)
    assert (r.weight, r.score, r.deviation_reason) == (2, 1, "深度挖掘提炼信息")
    # line 585: a row without levels is forward-filled
    r = ind(indicators, 585)
    assert (r.level1, r.level2, r.level3) == ("效益指标", "经济效益指标", "群众满意度")
    # line 697: the name shifted into the first column
    r = ind(indicators, 697)
    assert (r.level2, r.level3, r.initial_target, r.actual, r.weight) == ("社会效益指标", "印制效率", "保障", "达成预期指标", 5)
    # line 698: a level-2 cell in the first column
    assert ind(indicators, 698).level2 == "可持续影响指标"
    # line 734: 分值 5, 得分 3, then the reason
    r = ind(indicators, 734)
    assert (r.level3, r.actual, r.weight, r.score) == ("其他工作支出成本", "=16.03万元、年", 5, 3)
    assert r.deviation_reason == "牢固树立“过紧日子”思想,节约成本"
    # line 773: 时效指标 shifted right
    r = ind(indicators, 773)
    assert (r.level2, r.level3, r.weight, r.score) == ("时效指标", "任务完成及时性", 10, 10)
    # line 810: numeric targets (1, 1) before 分值/得分
    r = ind(indicators, 810)
    assert (r.initial_target, r.adjusted_target, r.weight, r.score) == ("1", "1", 10, 10)
    # line 925: a blank cell between the targets
    r = ind(indicators, 925)
    assert (r.level3, r.initial_target, r.adjusted_target, r.actual) == ("通信服务费用", "≤2次/万元", "≤2次/万元", "≤2次/万元")
    # line 1059: a blank, then the reason after 得分
    r = ind(indicators, 1059)
    assert (r.weight, r.score, r.deviation_reason) == (10, 0, "遗属人员1月份去世,只发放当月补助")
    # line 621: a name printed in the level-2 column stays as printed
    assert ind(indicators, 621).level2 == "调研领导满意度"


def test_weights_printed_in_the_level_cells_and_blank_initial_targets(indicators):
    # line 1123: 产出指标50 / 数量指标20, and 年初指标值 left blank
    r = ind(indicators, 1123)
    assert (r.level1, r.level1_weight, r.level2, r.level2_weight) == ("产出指标", 50, "数量指标", 20)
    assert pd.isna(r.initial_target)
    assert (r.adjusted_target, r.actual, r.weight, r.score) == ("≥56人", "≥56人", 10, 10)
    r = ind(indicators, 1130)
    assert (r.level1, r.level1_weight, r.level2) == ("效益指标", 30, "社会效益指标")


def _table(tmp_path, rows: list[str]):
    p = tmp_path / "perf.txt"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return read_text_document(p)


HEAD = [
    "第五部分 附件",                                                    # 1
    "测试项目支出绩效自评表",                                           # 2
    "(2023年度)",                                                        # 3
    "项目名称\t\t测试项目",                                              # 4
    "主管部门及代码\t\t101-某部门\t\t\t预算单位\t101001-某单位",         # 5
    "项目资金预算安排及执行进度(万元)\t\t年初预算数\t\t全年预算数\t全年执行数\t资金结(转)余\t执行率\t得分",  # 6
    "\t\t目标申报数\t预算编制数",                                        # 7
    "\t\t资金总额:\t10\t10\t10\t8\t2\t80\t8",                            # 8
    "绩效指标\t一级指标\t二级指标\t三级指标\t年初指标值\t调整后指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",  # 9
    "\t产出指标\t数量指标\t次数\t=2次\t=2次\t=2次\t50\t50\t",             # 10
]


def test_a_broken_indicator_row_is_a_problem_with_its_line(tmp_path):
    doc = _table(tmp_path, HEAD + [
        "\t\t质量指标\t合格率\t=100%\t=100%\t未打分\t",                     # 11: no 分值/得分
        "\t效益指标\t社会效益指标\t满意度\t高\t高\t高\t40\t30\t",            # 12
        "总分\t\t\t\t\t\t\t88\t良",                                          # 13
    ])
    projects, indicators, problems = parse_performance(doc)
    assert [(p.stage, p.line, p.table) for p in problems] == [("performance", 11, "测试项目")]
    assert "分值/得分" in problems[0].message
    assert list(indicators.line) == [10, 12]
    r = projects.iloc[0]
    assert (r.project, r.budget, r.executed, r.execution_rate, r.execution_score, r.total_score, r.grade) == \
        ("测试项目", 10, 8, 80, 8, 88, "良")


def test_missing_total_and_budget_rows_are_problems(tmp_path):
    doc = _table(tmp_path, HEAD[:6] + HEAD[8:])      # no 目标申报数 row, no 资金总额 row, no 总分
    projects, indicators, problems = parse_performance(doc)
    messages = [p.message for p in problems]
    assert any("资金总额" in m for m in messages) and any("总分" in m for m in messages)
    assert all(p.line == 2 for p in problems)         # the table's title line
    assert len(indicators) == 1
    doc = _table(tmp_path, HEAD[:7] + ["\t\t资金总额:\t10\t10\t10\t8\t2\t80\t8\t7\t6"] + HEAD[8:])
    _, _, problems = parse_performance(doc)
    assert any(p.line == 8 and "cells for" in p.message for p in problems)


def test_no_self_evaluation_tables_gives_empty_frames(tmp_path):
    projects, indicators, problems = parse_performance(_table(tmp_path, ["第一部分 概况", "无"]))
    assert projects.empty and indicators.empty and problems == []
    assert "execution_rate" in projects.columns and "weight" in indicators.columns


def test_report_model_exposes_the_datasets_with_no_problems(doc):
    report = Report(report_id="xinzhou_swbgs_2023", department="中国共产党忻州市委员会办公室", year=2023,
                    unit="万元", kind="department", source_file=str(SEED), document=doc)
    assert len(report.projects) == 17 and len(report.indicators) == 166
    assert len(report.claims) > 150
    prev = report.previous_year.set_index("subject")
    # 情况说明 line 400: 收入总计2,795.38万元 … 减少959.88万元 → 2022: 3,755.26万元
    assert prev.loc["收入总计", "year"] == 2022 and prev.loc["收入总计", "value"] == pytest.approx(2795.38 + 959.88)
    assert prev["year"].eq(2022).all()
    problems = report.problems
    assert problems[problems.stage.isin(["narrative", "performance"])].empty
