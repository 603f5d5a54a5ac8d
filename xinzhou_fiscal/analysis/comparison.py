"""The comparative table: one row per department × year (derived previous years included) with the
headline ratios, ranked by the notebooks."""
from __future__ import annotations

from typing import Any, Iterable

import pandas as pd

from xinzhou_fiscal.analysis._common import NaN, _ratio, _sorted, _staffing
from xinzhou_fiscal.analysis.audit_tables import _audit_counts
from xinzhou_fiscal.analysis.evaluations import performance_summary
from xinzhou_fiscal.analysis.loading import catalogued_ids, check_report_id, load_report
from xinzhou_fiscal.analysis.standard_tables import (
    _summary_amount,
    _three_public_total,
    basic_project_split,
    fiscal_share,
    personnel_share,
    running_costs,
    total_expenditure,
    total_income,
)
from xinzhou_fiscal.analysis.text import overall_budget_completion, year_on_year
from xinzhou_fiscal.errors import XinzhouFiscalError

COMPARISON_COLUMNS = [
    "report_id", "department", "year", "basis", "label", "income_total", "expenditure_total",
    "grand_total", "general_budget_expenditure", "fiscal_share_pct", "basic_share_pct",
    "project_share_pct", "personnel_share_pct", "staffing", "three_public_actual",
    "three_public_per_staff", "running_costs", "running_costs_per_staff", "budget_completion_pct",
    "mean_execution_rate", "mean_self_score", "self_score_gap", "audit_errors", "audit_warnings",
]


def with_city(city: str, short: str) -> str:
    """A short department name with its city in front, the words they share written once:
    忻州市 + 市委办公室 → 忻州市委办公室; 上海市普陀区 + 普陀区财政局 → 上海市普陀区财政局."""
    if not city or short.startswith(city):
        return short
    overlap = next((k for k in range(min(len(city), len(short)), 0, -1) if city.endswith(short[:k])), 0)
    return city + short[overlap:]


def _short_name(report: Any) -> str:
    """The catalogue's short department name (department_short) with its city, else the full name."""
    try:
        from xinzhou_fiscal.store.catalogue import catalog

        cat = catalog()
        hit = cat.loc[cat["report_id"] == getattr(report, "report_id", None)]
        if len(hit) and "department_short" in hit.columns and isinstance(hit["department_short"].iloc[0], str):
            city = hit["city"].iloc[0] if "city" in hit.columns else ""
            return with_city(city if isinstance(city, str) else "", hit["department_short"].iloc[0])
    except Exception:  # noqa: BLE001 - a label only
        pass
    return str(getattr(report, "department", "") or getattr(report, "report_id", ""))


def comparison_row(report: Any) -> dict:
    """One department-year: totals and headline ratios (%, or 万元 per 编制 position).

    Totals: 本年收入合计, 本年支出合计, 总计 (01) and 一般公共预算财政拨款支出 (05 合计).
    fiscal_share = 财政拨款收入 / 本年收入合计 (02, 01); basic/project share of 本年支出 (03);
    personnel_share = 人员经费 / (人员经费 + 公用经费) (06); 三公 决算 (09) and 机关运行经费 (10)
    per staff position (人员编制数, 概况); budget_completion = 决算 / 年初预算 (情况说明);
    mean execution rate and self-score of the project self-evaluations; audit error and
    warning counts."""
    split = basic_project_split(report)
    staff = _staffing(report)
    tp_actual = _three_public_total(report, "actual")
    rc = running_costs(report)
    perf = performance_summary(report)
    errors, warns = _audit_counts(report)
    return {
        "report_id": getattr(report, "report_id", ""),
        "department": getattr(report, "department", ""),
        "year": int(getattr(report, "year", 0) or 0),
        "basis": "决算报表",
        "label": f"{_short_name(report)} {int(getattr(report, 'year', 0) or 0)}",
        "income_total": total_income(report),
        "expenditure_total": total_expenditure(report),
        "grand_total": _summary_amount(report, "收入", "grand_total", ("总计",)),
        "general_budget_expenditure": split["total"].iloc[1],
        "fiscal_share_pct": fiscal_share(report) * 100,
        "basic_share_pct": split["basic_share_pct"].iloc[0],
        "project_share_pct": split["project_share_pct"].iloc[0],
        "personnel_share_pct": personnel_share(report) * 100,
        "staffing": staff,
        "three_public_actual": tp_actual,
        "three_public_per_staff": _ratio(tp_actual, staff),
        "running_costs": rc,
        "running_costs_per_staff": _ratio(rc, staff),
        "budget_completion_pct": overall_budget_completion(report) * 100,
        "mean_execution_rate": perf["mean_execution_rate"],
        "mean_self_score": perf["mean_total_score"],
        "self_score_gap": perf["mean_score_gap"],
        "audit_errors": errors,
        "audit_warnings": warns,
    }


#: comparison column ← subjects of the derived previous-year figures (report.previous_year)
PREVIOUS_YEAR_SUBJECTS = {
    "income_total": ("本年收入合计", "收入合计"),
    "expenditure_total": ("本年支出合计", "支出合计"),
    "grand_total": ("收入总计", "支出总计", "收入支出总计"),
    "general_budget_expenditure": ("一般公共预算财政拨款支出",),
    "three_public_actual": ("三公经费",),
    "running_costs": ("机关运行经费",),
}


def previous_year_row(report: Any) -> dict | None:
    """The department's previous year as far as the year-on-year statements allow
    (``report.previous_year``, previous = current − change): totals, 一般公共预算财政拨款支出,
    三公 and 机关运行经费, and their per-position ratios using this year's 人员编制数 (the only one
    printed). Ratios that need figures the narrative does not give stay NaN. None when the
    report states no year-on-year change."""
    yoy = year_on_year(report)
    if yoy.empty:
        return None
    staff = _staffing(report)
    year = int(getattr(report, "year", 0) or 0)
    row = {c: NaN for c in COMPARISON_COLUMNS}
    row.update({"report_id": getattr(report, "report_id", ""), "department": getattr(report, "department", ""),
                "year": year - 1, "basis": "上年（由同比说明推算）", "label": f"{_short_name(report)} {year - 1}（推算）",
                "audit_errors": pd.NA, "audit_warnings": pd.NA, "staffing": staff})
    found = False
    for col, subjects in PREVIOUS_YEAR_SUBJECTS.items():
        for subject in subjects:
            hit = yoy.loc[yoy["subject"] == subject, "previous"].dropna()
            if len(hit):
                row[col] = float(hit.iloc[0])
                found = True
                break
    if not found:
        return None
    row["three_public_per_staff"] = _ratio(row["three_public_actual"], staff)
    row["running_costs_per_staff"] = _ratio(row["running_costs"], staff)
    return row


def is_final(report: Any) -> bool:
    """Whether a report is final accounts (决算; a report that does not say is taken as one)."""
    return (getattr(report, "kind", "") or "决算") == "决算"


class Reports(list):
    """The reports to compare, and those left out (``left_out``: report id → why, in Chinese)."""

    def __init__(self, reports=(), left_out: dict[str, str] | None = None):
        super().__init__(reports)
        self.left_out = dict(left_out or {})


def comparison_table(reports: Iterable[Any]) -> pd.DataFrame:
    """One row per department × year: each report's :func:`comparison_row` and, where the
    narrative allows, its derived previous year (:func:`previous_year_row`). Sorted by
    department, year, report id. A report whose figures cannot be compared is left out and named
    in ``df.attrs["left_out"]`` (report id → why), with those :func:`load_reports` left out.

    Only final accounts (决算) are compared: a budget's figures are plans, not the same kind of
    number. Budgets are named in ``df.attrs["budgets"]`` (report ids) and compared with their final
    accounts by :func:`~xinzhou_fiscal.analysis.budget_vs_final.budget_final_gaps`."""
    rows, left_out = [], dict(getattr(reports, "left_out", {}))
    budgets = [str(getattr(r, "report_id", "")) for r in reports if not is_final(r)]
    for r in (r for r in reports if is_final(r)):
        try:
            mine = [comparison_row(r), previous_year_row(r)]
        except Exception as e:  # noqa: BLE001 - one report never stops the comparison
            left_out[getattr(r, "report_id", "?")] = f"其数字无法比较（{type(e).__name__}）"
            continue
        rows += [row for row in mine if row is not None]
    df = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    df.attrs["left_out"] = left_out
    df.attrs["budgets"] = budgets
    for c in COMPARISON_COLUMNS[5:]:
        df[c] = pd.to_numeric(df[c], errors="coerce")
    for c in ("audit_errors", "audit_warnings"):
        df[c] = df[c].astype("Int64")
    return _sorted(df, ["department", "year", "report_id"])


def load_reports(report_ids: Iterable[str] | None = None) -> list:
    """The reports to compare: every catalogued report when ``report_ids`` is None, else the given
    ids (each checked against the catalogue first). Sorted by id. A report that cannot be read is
    left out and named in the result's ``left_out``."""
    ids = catalogued_ids() if report_ids is None else sorted({check_report_id(i) for i in report_ids})
    out = Reports()
    for i in ids:
        try:
            out.append(load_report(i))
        except XinzhouFiscalError:      # one unreadable report never stops the comparison; it is named
            out.left_out[i] = "其原始文件无法读取为部门预算或决算报告"
    return out


def comparison_labels() -> dict[str, str]:
    """Chinese column headings for :func:`comparison_table` (for display)."""
    return {
        "report_id": "报告编号", "department": "部门", "year": "年度", "basis": "口径", "label": "部门·年度",
        "income_total": "本年收入合计", "expenditure_total": "本年支出合计", "grand_total": "收支总计",
        "general_budget_expenditure": "一般公共预算财政拨款支出",
        "fiscal_share_pct": "财政拨款占比%", "basic_share_pct": "基本支出占比%",
        "project_share_pct": "项目支出占比%", "personnel_share_pct": "人员经费占比%",
        "staffing": "编制数", "three_public_actual": "三公决算", "three_public_per_staff": "人均三公",
        "running_costs": "机关运行经费", "running_costs_per_staff": "人均机关运行经费",
        "budget_completion_pct": "预算完成率%", "mean_execution_rate": "平均执行率%",
        "mean_self_score": "平均自评分", "self_score_gap": "自评分−执行率",
        "audit_errors": "审核错误", "audit_warnings": "审核警告",
    }


def comparison_display(table: pd.DataFrame, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """``table`` (from :func:`comparison_table`) with the chosen columns under Chinese headings,
    indexed by 部门·年度, for display."""
    cols = list(columns) if columns is not None else [c for c in COMPARISON_COLUMNS
                                                     if c not in ("report_id", "department", "year", "label")]
    labels = comparison_labels()
    out = table.set_index("label")[cols].rename(columns=labels)
    out.index.name = labels["label"]
    return out


#: the columns of the DuckDB view ``three_public`` shown across departments, with their headers
THREE_PUBLIC_SQL_COLUMNS = [("department", "部门", "text"), ("year", "年度", "text"),
                            ("budget_total", "预算数合计（万元）", "wan"), ("actual_total", "决算数合计（万元）", "wan"),
                            ("actual_abroad", "因公出国（境）费决算（万元）", "wan"),
                            ("actual_vehicles", "公务用车决算（万元）", "wan"),
                            ("actual_reception", "公务接待费决算（万元）", "wan")]


def three_public_by_department(report_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """三公经费 per department and year from the DuckDB view ``three_public`` (:func:`xinzhou_fiscal.store.sql`
    over every catalogued report; the three_public table: Xinzhou's 09, Shanghai's 表七), amounts in 万元. A NULL is a cell the
    report prints blank (no fact): it is named in the ``blank`` column, so it is shown blank, not 0."""
    from xinzhou_fiscal.store.sql import sql

    from xinzhou_fiscal.store.catalogue import catalog

    df = sql("SELECT * FROM three_public ORDER BY department, year")
    if report_ids is not None:
        df = df[df["report_id"].isin([check_report_id(r) for r in report_ids])]
    cat = catalog()
    df = df[df["report_id"].isin(cat.loc[cat["kind"].fillna("决算") == "决算", "report_id"])]   # 决算 only, as above
    amounts = [c for c, _, kind in THREE_PUBLIC_SQL_COLUMNS if kind == "wan"]
    df = df.reset_index(drop=True)
    df["blank"] = [",".join(c for c in amounts if pd.isna(row[c])) for _, row in df.iterrows()]
    df["year"] = df["year"].astype(str)
    return df
