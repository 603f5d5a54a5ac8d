"""pandera schemas of the published datasets: the contract a downstream user can rely on, and the
single source of every output's column description.

Each column carries a Chinese ``title`` (the Excel header), an English ``description`` and, in
``metadata``, its ``unit`` when it has one. From them :mod:`xinzhou_fiscal.store.export` derives the
Frictionless Table Schemas, the DuckDB column types and the Excel number formats, and
``python -m xinzhou_fiscal.store.export.dictionary`` writes docs/data-dictionary.md.

Validated by the tests and before every export; kept out of ``read_report``'s hot path because
importing pandera costs more than parsing a report.
"""
from __future__ import annotations

import pandera.pandas as pa

from xinzhou_fiscal.numbers import NUMBER_PATTERN
from xinzhou_fiscal.store.catalogue import ID_PATTERN
from xinzhou_fiscal.templates.names import fill
from xinzhou_fiscal.templates.specs import GENERIC_KEY, TABLE_KEYS

WAN = "万元"


def col(dtype, title: str, description: str, *checks, unit: str | None = None, nullable: bool = True,
        required: bool = True) -> pa.Column:
    """A column with its Chinese title, its description and (for amounts) its unit."""
    return pa.Column(dtype, list(checks), nullable=nullable, required=required, title=title,
                     description=description, metadata={"unit": unit} if unit else None)


REPORT_ID = col(str, "报告编号", "catalogue id of the report", pa.Check.str_matches(ID_PATTERN), nullable=False)

FACTS = pa.DataFrameSchema(
    {
        "report_id": REPORT_ID,
        "table": col(str, "表键", "stable key of the table type, independent of any city's numbering "
                     "(unknown_NN for a table of an unknown family, read generically)",
                     pa.Check(lambda s: s.isin(TABLE_KEYS) | s.str.match(GENERIC_KEY.pattern), element_wise=False,
                              name="known_table_key"), nullable=False),
        "table_no": col(str, "表号", fill("the number as printed ({t:general_budget_basic}); empty when the report prints none", None), nullable=False),
        "table_title": col(str, "表名", "the title as printed", pa.Check.str_length(min_value=1), nullable=False),
        "section": col(str, "部分", fill("side of a two-sided table, column group of {n:general_budget_basic} or part of {n:related_info}", None), nullable=False),
        "code": col(str, "科目编码", "classification code as printed (3/5/7 digits); empty for totals and labels",
                    pa.Check.str_matches(r"^(\d{3}|\d{5}|\d{7})?$"), nullable=False),
        "item": col(str, "项目", "row label as printed", nullable=False),
        "item_key": col(str, "项目键", "canonical key of the line (total, grand_total, class:<code> …)", nullable=False),
        "measure": col(str, "栏目", "column header as printed, parent headers first",
                       pa.Check.str_length(min_value=1), nullable=False),
        "measure_key": col(str, "栏目键", "canonical key of the column (total, fiscal_grant, basic …)", nullable=False),
        "amount": col(float, "金额", "the number, in the unit of column unit (万元 for amounts)", unit=WAN,
                      nullable=False),
        "unit": col(str, "单位", "万元, 辆 or 台（套）; empty for a bare integer of a table read generically (a score, "
                    "a count: not known to be an amount, not converted)", pa.Check.isin([WAN, "辆", "台（套）", ""]),
                    nullable=False),
        "printed": col(str, "原文数字", "the cell exactly as printed (2,795.38)",
                       pa.Check.str_matches(NUMBER_PATTERN), nullable=False),
        "printed_unit": col(str, "原文单位", "the unit the figure was printed in; empty when the table prints none",
                            pa.Check.isin(["", WAN, "元", "千元", "亿元", "辆", "台（套）"]), nullable=False),
        "row_no": col("Int64", "行次", "行次 as printed, when the table has one"),
        "column_no": col("Int64", "栏次", "栏次 as printed, when the table has one"),
        "line": col("Int64", "行号", "1-based line of the source text", pa.Check.gt(0), nullable=False),
        "page": col("Int64", "页码", "1-based PDF page, when known"),
    },
    checks=[
        pa.Check(lambda df: (df["code"] != "") | (df["item"] != "") | (df["table"] == "three_public"),
                 error="every fact has a code or an item label"),
        pa.Check(lambda df: ~df.duplicated(["table", "line", "section", "code", "item", "measure"]),
                 error="one fact per cell"),
    ],
    strict=True,
    coerce=False,
    name="facts",
    description=fill("one row per printed number of the standard tables {n:income_expenditure_summary–related_info}", None),
)

CLAIMS = pa.DataFrameSchema(
    {
        "part": col(str, "部分", "part of the report (第三部分 情况说明)"),
        "section": col(str, "节", "section heading"),
        "subsection": col(str, "小节", "subsection heading"),
        "topic": col(str, "主题", "topic of the sentence"),
        "subject": col(str, "对象", "what the figure is about", pa.Check.str_length(min_value=1), nullable=False),
        "label": col(str, "标签", "the subject as printed"),
        "qualifier": col(str, "限定", "qualifier of the subject"),
        "parent": col(str, "上级", "parent category of the subject"),
        "category_level": col(str, "科目级次", "类/款/项 when the subject is a classification"),
        "metric": col(str, "指标", "what is measured (决算数; 预算数 in a budget; 同比增减额 …)", pa.Check.str_length(min_value=1),
                      nullable=False),
        "value": col(float, "数值", "the figure, in the row's unit (万元 for amounts); empty for a comparison "
                     "with the budget that prints no number", pa.Check.ge(0)),
        "unit": col(str, "单位", "unit of value (万元, %, 人 …); empty when value is", nullable=False),
        "direction": col(str, "增减方向", "增加, 减少, 持平; 大于, 小于, 等于 for comparisons with the budget; or empty",
                         pa.Check.isin(["", "增加", "减少", "持平", "大于", "小于", "等于"])),
        "direction_word": col(str, "方向用词", "the direction or comparison word as printed (增长, 下降, 大于 …)"),
        "budget": col(str, "预算口径", "which budget a completion rate or budget amount refers to: 年初, 全年, 调整后 or empty"),
        "printed_unit": col(str, "原文单位", "the unit the figure was printed in (元 amounts are converted to 万元)"),
        "class_name": col(str, "类名称", "the 类 name as printed in a 类/款/项 statement"),
        "kind_name": col(str, "款名称", "the 款 name as printed in a 类/款/项 statement"),
        "item_name": col(str, "项名称", "the 项 name as printed in a 类/款/项 statement"),
        "purpose": col(str, "主要用途", "the 主要用于 purpose text of a 类/款/项 statement"),
        "signed_value": col(float, "带符号数值", "value with the sign of direction"),
        "basis": col(str, "比较基础", "what a share is part of, or what a change is measured against (上年预算 in a budget)"),
        "compare_year": col("Int64", "比较年度", "the year compared with, when printed"),
        "implied": col(bool, "隐含", "true for a figure implied by the wording (持平)"),
        "value_text": col(str, "原文数字", "the figure as printed"),
        "sentence": col(str, "原句", "the sentence", pa.Check.str_length(min_value=1), nullable=False),
        "paragraph": col("Int64", "段落", "paragraph number"),
        "line": col("Int64", "行号", "1-based line of the source text", pa.Check.gt(0), nullable=False),
        "page": col("Int64", "页码", "1-based PDF page, when known"),
    },
    checks=[pa.Check(lambda df: (df["unit"] != WAN) | df["metric"].isin(
        ["决算数", "预算数", "年初预算", "全年预算", "同比增减额", "涉及资金"]), error="万元 figures are amounts"),
            # a comparison with the budget (决算数小于预算数) prints no number: no value, no unit
            pa.Check(lambda df: (df["metric"] == "决算与预算比较") | (df["value"].notna() & (df["unit"] != "")),
                     error="every figure has a value and a unit"),
            pa.Check(lambda df: (df["metric"] == "决算与预算比较") | ~df["direction"].isin(["大于", "小于", "等于"]),
                     error="大于/小于/等于 only for comparisons with the budget")],
    strict=False,
    name="claims",
    description="one row per figure of the narrative (概况, 情况说明)",
)

PROJECTS = pa.DataFrameSchema(
    {
        "project": col(str, "项目名称", "the project, or the department for the 部门整体 table",
                       pa.Check.str_length(min_value=1), nullable=False),
        "kind": col(str, "类型", "department or project", pa.Check.isin(["department", "project"]), nullable=False),
        "title": col(str, "表名", "title of the self-evaluation table"),
        "year": col("Int64", "年度", "year evaluated"),
        "supervisor_code": col(str, "主管部门编码", "code of the supervising department"),
        "supervisor": col(str, "主管部门", "supervising department"),
        "unit_code": col(str, "实施单位编码", "code of the implementing unit"),
        "unit_name": col(str, "实施单位", "implementing unit"),
        "initial_declared": col(float, "年初申报数", "amount declared at the start of the year", unit=WAN),
        "initial_budget": col(float, "年初预算数", "initial budget", unit=WAN),
        "budget": col(float, "全年预算数", "full-year budget", pa.Check.ge(0), unit=WAN),
        "executed": col(float, "全年执行数", "amount executed", pa.Check.ge(0), unit=WAN),
        "balance": col(float, "结余", "budget minus executed, as printed", unit=WAN),
        "execution_rate": col(float, "执行率", "execution rate in %", pa.Check.in_range(0, 200), unit="%"),
        "execution_score": col(float, "执行率得分", "score of the execution rate"),
        "execution_rate_alt": col(float, "执行率（另印）", "a second printed execution rate, in %", unit="%"),
        "total_score": col(float, "总分", "total score (0–100)", pa.Check.in_range(0, 100)),
        "grade": col(str, "等级", "优, 良, 中, 差 or empty", pa.Check.isin(["优", "良", "中", "差", ""])),
        "n_indicators": col("Int64", "指标数", "number of indicator rows"),
        "goal": col(str, "年度目标", "年度目标 text"),
        "goal_result": col(str, "完成情况", "实际完成情况 text"),
        "title_line": col("Int64", "标题行号", "line of the table title", pa.Check.gt(0), nullable=False),
        "name_line": col("Int64", "名称行号", "line of the project name"),
        "budget_line": col("Int64", "资金行号", "line of the budget row"),
        "budget_line_alt": col("Int64", "资金行号（另）", "line of a second budget row"),
        "score_line": col("Int64", "得分行号", "line of the execution score"),
        "indicator_header_line": col("Int64", "指标表头行号", "line of the indicator header"),
        "total_line": col("Int64", "总分行号", "line of the total score"),
        "page": col("Int64", "页码", "1-based PDF page, when known"),
    },
    strict=False,
    name="projects",
    description="one row per performance self-evaluation table (绩效自评表)",
)

INDICATORS = pa.DataFrameSchema(
    {
        "project": col(str, "项目名称", "the self-evaluation table's project", pa.Check.str_length(min_value=1),
                       nullable=False),
        "kind": col(str, "类型", "department or project", pa.Check.isin(["department", "project"]), nullable=False),
        "level1": col(str, "一级指标", "一级指标 (产出指标 …)"),
        "level2": col(str, "二级指标", "二级指标 (数量指标 …)"),
        "level3": col(str, "三级指标", "三级指标"),
        "initial_target": col(str, "年初目标值", "target as printed"),
        "adjusted_target": col(str, "调整后目标值", "adjusted target as printed"),
        "actual": col(str, "实际完成值", "achieved value as printed"),
        "weight": col(float, "分值", "weight (points)"),
        "score": col(float, "得分", "score (points)"),
        "deviation_reason": col(str, "偏差原因", "reason for a deviation"),
        "level1_weight": col(float, "一级指标分值", "weight of the level-1 indicator, when printed"),
        "level2_weight": col(float, "二级指标分值", "weight of the level-2 indicator, when printed"),
        "line": col("Int64", "行号", "1-based line of the source text", pa.Check.gt(0), nullable=False),
        "page": col("Int64", "页码", "1-based PDF page, when known"),
    },
    strict=False,
    name="indicators",
    description="one row per indicator row of the self-evaluation tables",
)

FINDINGS = pa.DataFrameSchema(
    {
        "finding_id": col(str, "发现编号", "rule and subject, unique within a report", nullable=False),
        "rule": col(str, "规则", "audit rule id (docs/audit-rules.md)", nullable=False),
        "severity": col(str, "严重程度", "error, warning, info or ok",
                        pa.Check.isin(["error", "warning", "info", "ok"]), nullable=False),
        "category": col(str, "类别", "family of the rule"),
        "subject": col(str, "对象", "what was checked"),
        "message": col(str, "说明", "the finding in words", nullable=False),
        "expected": col(float, "应为", "value the other figures imply, in unit"),
        "actual": col(float, "印刷值", "value as printed, in unit"),
        "difference": col(float, "差额", "actual minus expected, in unit"),
        "tolerance": col(float, "容差", "rounding tolerance, in unit"),
        "unit": col(str, "单位", "unit of expected/actual (万元, % …)"),
        "expected_label": col(str, "应为（文字）", "expected as written"),
        "actual_label": col(str, "印刷值（文字）", "actual as written"),
        "expected_source": col(str, "应为来源", "where the expected value comes from"),
        "actual_source": col(str, "印刷值来源", "where the actual value is printed"),
        "tables": col(str, "涉及表", "tables involved"),
        "lines": col(str, "涉及行", "source lines involved"),
        "evidence": col(object, "证据", "every input of the check (JSON list)"),
        "rounding": col(str, "舍入方式", "for a rounding note (info): how the printed figure was rounded "
                        "(四舍五入, 四舍六入五成双, 截尾（舍去尾数）, 各数分别取整后运算); else empty", required=False),
        "caused_by": col(str, "根源", "finding_id of the error this finding is a consequence of (empty for a root)",
                         required=False),
        "consequences": col(str, "后果", "finding_ids made impossible or explained by this root error "
                            "(separated by '; ')", required=False),
    },
    strict=False,
    name="findings",
    description="one row per audit finding (xf.audit)",
)

REPORTS = pa.DataFrameSchema(
    {
        "report_id": REPORT_ID,
        "department": col(str, "部门", "department as printed in the report", nullable=False),
        "department_short": col(str, "部门简称", "short name", required=False),
        "city": col(str, "地区", "city or district", required=False),
        "province": col(str, "省份", "province", required=False),
        "year": col("Int64", "年度", "fiscal year of the accounts (empty for an incomplete entry)",
                    pa.Check.in_range(1990, 2100), required=False),
        "kind": col(str, "类型", "决算 (final accounts) or 预算", nullable=False),
        "file": col(str, "文件", "raw file, relative to its data folder", pa.Check.str_matches(r"^raw/[^/\\]+$"),
                    nullable=False),
        "format": col(str, "格式", "text, pdf, docx, doc, rtf, xlsx, xls, html, or set (one report over several files)",
                      pa.Check.isin(["text", "pdf", "docx", "doc", "rtf", "xlsx", "xls", "html", "set"]), nullable=False),
        "sha256": col(str, "SHA-256", "checksum of the raw file", pa.Check.str_matches(r"^[0-9a-f]{64}$"),
                      nullable=False),
        "provenance": col(str, "来源说明", "where the file comes from", required=False),
        "source": col(str, "来源网址", "URL the file was downloaded from", required=False),
        "retrieved": col(str, "获取日期", "date the file was retrieved (YYYY-MM-DD)",
                         pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$"), required=False),
        "licence": col(str, "许可", "licence or terms of the publication", required=False),
        "complete": col(bool, "完整", "false when the report was catalogued with --force although it did "
                        "not parse completely", required=False),
    },
    strict=True,
    coerce=True,
    name="reports",
    description="the catalogue: one row per report",
)

#: the datasets every export writes, in order (each gets a report_id column first)
DATASETS = {"facts": FACTS, "claims": CLAIMS, "projects": PROJECTS, "indicators": INDICATORS,
            "findings": FINDINGS}


def validate_datasets(report) -> None:
    """Validate the published datasets of a report (facts, claims, projects, indicators), lazily:
    one SchemaErrors listing every failing cell."""
    validate_facts(report.facts)
    CLAIMS.validate(report.claims, lazy=True)
    PROJECTS.validate(report.projects, lazy=True)
    INDICATORS.validate(report.indicators, lazy=True)


def validate_facts(facts):
    """Validate a facts DataFrame, raising pandera's SchemaErrors listing every failing cell."""
    return FACTS.validate(facts, lazy=True)
