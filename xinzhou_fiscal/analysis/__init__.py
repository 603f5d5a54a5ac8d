"""Analysis of a parsed report: the headline tables and ratios the notebooks show.

Every function takes a :class:`~xinzhou_fiscal.report.model.Report` (or anything shaped like one) and
returns a small, sorted :class:`pandas.DataFrame` (or a number). Amounts are in 万元 (a report
printed in 元 is converted). Each docstring names the printed table (公开NN表) or dataset the figures
come from. Nothing here raises because a piece is missing: a report without a table, a
narrative statement or a performance annex yields NaN (or an empty frame with the usual columns).

The notebooks in ``notebooks/`` only call these functions and :mod:`xinzhou_fiscal.publish.charts`.

Modules, in the order of the notebooks: :mod:`.loading`, :mod:`.standard_tables` (the standard tables),
:mod:`.text` (情况说明), :mod:`.evaluations` (绩效自评表), :mod:`.findings` (audit), :mod:`.comparison`.
"""
from __future__ import annotations

from xinzhou_fiscal.analysis._common import MissingPieceWarning, NaN, norm, source_label, table_status  # noqa: F401
from xinzhou_fiscal.analysis.audit_tables import (
    AUDIT_COLUMNS,
    SEVERITY_ORDER,
    audit_by_rule,
    audit_findings,
    audit_summary,
)
from xinzhou_fiscal.analysis.budget_vs_final import budget_final_gaps, budget_vs_final, department_pairs  # noqa: F401
from xinzhou_fiscal.analysis.comparison import (
    COMPARISON_COLUMNS,
    PREVIOUS_YEAR_SUBJECTS,
    comparison_display,
    comparison_labels,
    comparison_row,
    comparison_table,
    load_reports,
    previous_year_row,
    three_public_by_department,
)
from xinzhou_fiscal.analysis.evaluations import grade_counts, grade_for, performance_summary, project_evaluations  # noqa: F401
from xinzhou_fiscal.analysis.loading import catalogued_ids, check_report_id, describe, load_report  # noqa: F401
from xinzhou_fiscal.analysis.standard_tables import (
    ECONOMIC_CLASS_NAMES,
    PERSONNEL_CLASSES,
    THREE_PUBLIC_ITEMS,
    basic_project_split,
    economic_classes,
    expenditure_by_function,
    fiscal_share,
    headline,
    income_sources,
    personnel_public,
    personnel_share,
    procurement,
    related_info,
    running_costs,
    three_public,
    total_expenditure,
    total_income,
    totals,
    vehicles,
)
from xinzhou_fiscal.analysis.text import budget_completion, overall_budget_completion, year_on_year  # noqa: F401

__all__ = [
    "AUDIT_COLUMNS", "COMPARISON_COLUMNS", "ECONOMIC_CLASS_NAMES", "MissingPieceWarning", "NaN",
    "PERSONNEL_CLASSES", "PREVIOUS_YEAR_SUBJECTS", "SEVERITY_ORDER",
    "THREE_PUBLIC_ITEMS", "audit_by_rule", "audit_findings", "audit_summary", "basic_project_split",
    "budget_completion", "budget_final_gaps", "budget_vs_final", "catalogued_ids", "check_report_id", "comparison_display", "comparison_labels",
    "comparison_row", "comparison_table", "department_pairs", "describe", "economic_classes", "expenditure_by_function",
    "fiscal_share", "grade_counts", "grade_for", "headline", "income_sources", "load_report",
    "load_reports", "norm", "overall_budget_completion", "performance_summary", "personnel_public",
    "personnel_share", "previous_year_row", "procurement", "project_evaluations", "related_info",
    "running_costs", "source_label", "table_status", "three_public", "three_public_by_department", "total_expenditure",
    "total_income", "totals", "vehicles", "year_on_year"
]
