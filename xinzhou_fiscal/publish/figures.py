"""The department notebook's charts, one function per chart: a report in, a matplotlib
``Figure`` out (amounts in 万元). Each docstring names the printed table the figures come from; a
cell the source prints blank is left out of the chart (:func:`.present.chart_frame`).

:data:`FIGURES` maps the names the notebook uses (``page.figure("income_sources")``, see
:mod:`xinzhou_fiscal.publish.views`) to these functions, in the package's one registry shape
(``id → entry`` with ``id``, a Chinese ``title`` and ``func``; as the audit's rules, the displays
and the export formats). Call one directly for a live figure to restyle
or extend: ``figures.income_sources(report)`` after :func:`xinzhou_fiscal.publish.charts.setup_notebook`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from xinzhou_fiscal.analysis import evaluations, standard_tables, text
from xinzhou_fiscal.analysis.present import chart_frame
from xinzhou_fiscal.publish import charts


def income_sources(report: Any):
    """收入来源: ``income`` 合计行, one bar per source of funds (blank sources not drawn)."""
    frame = chart_frame(standard_tables.income_sources(report))
    return charts.bar_chart(frame, "source_of_funds", "amount", title="收入来源（万元）")


def expenditure_by_class(report: Any):
    """支出结构: ``expenditure`` each 类 row, 基本支出 and 项目支出 stacked."""
    frame = chart_frame(standard_tables.expenditure_by_function(report, "类"))
    return charts.stacked_bar_chart(frame, "name", ["basic", "project"],
                                    names={"basic": "基本支出", "project": "项目支出"},
                                    title="按功能分类（类）的支出（万元）")


def economic_classes(report: Any):
    """基本支出按经济分类: ``general_budget_basic`` each 经济分类 类 row."""
    return charts.bar_chart(chart_frame(standard_tables.economic_classes(report)), "name", "amount",
                            title="基本支出按经济分类（万元）")


def three_public(report: Any):
    """“三公”经费: ``three_public`` 预算数 and 决算数 per item (blank cells get no bar and no label)."""
    frame = chart_frame(standard_tables.three_public(report))
    return charts.grouped_bar_chart(frame, "item", ["budget", "actual"], names={"budget": "预算数", "actual": "决算数"},
                                    title="“三公”经费 预算与决算（万元）", rotate=20)


def budget_completion(report: Any):
    """年初预算与决算: the narrative's 一般公共预算财政拨款支出决算具体情况, per subject."""
    return charts.grouped_bar_chart(chart_frame(text.budget_completion(report)), "subject", ["budget", "actual"],
                                    names={"budget": "年初预算", "actual": "决算"}, title="年初预算与决算（万元）",
                                    rotate=20)


def execution_scores(report: Any):
    """执行率与自评总分: one point per 项目支出绩效自评表."""
    return charts.execution_score_chart(evaluations.project_evaluations(report))


@dataclass(frozen=True)
class Chart:
    """One chart of the department notebook: ``func(report)`` → a matplotlib Figure."""

    id: str
    title: str
    func: Callable[[Any], Any]


#: chart id → :class:`Chart`
FIGURES: dict[str, Chart] = {c.id: c for c in (
    Chart("income_sources", "收入来源", income_sources), Chart("expenditure_by_class", "支出结构", expenditure_by_class),
    Chart("economic_classes", "基本支出按经济分类", economic_classes), Chart("three_public", "“三公”经费", three_public),
    Chart("budget_completion", "年初预算与决算", budget_completion),
    Chart("execution_scores", "执行率与自评总分", execution_scores))}
