"""Project self-evaluations (绩效自评表): budget, execution rate vs the self-assigned score, grades."""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from xinzhou_fiscal.analysis._common import NaN, _frame, _pct, _sorted, memoized

_PROJECT_COLUMNS = ["project", "budget", "executed", "execution_rate", "total_score", "grade"]


def grade_for(score: float) -> str:
    """Grade by 财预〔2020〕10号: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return ""
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


def _is_whole(project: pd.Series) -> pd.Series:
    return project.astype(str).str.contains("部门整体|单位整体|整体绩效")


@memoized
def project_evaluations(report: Any, include_whole: bool = False) -> pd.DataFrame:
    """The project self-evaluations (附件 项目支出绩效自评表, ``report.projects``): budget and
    executed (万元), execution_rate (%), total_score and grade as printed, plus
    execution_points (the 10-point budget-execution indicator: the printed 得分, else
    execution_rate / 10),
    other_points (= total − execution points: the self-assigned 90-point part), score_gap
    (= total_score − execution_rate: how far the self-score sits above the execution rate) and
    grade_expected (from the total score). The 部门整体 table is left out unless
    ``include_whole``. Sorted by execution rate, then project."""
    projects = _frame(report, "projects")
    cols = _PROJECT_COLUMNS + ["execution_points", "other_points", "score_gap", "grade_expected"]
    if projects.empty or "project" not in projects.columns:
        return pd.DataFrame(columns=cols)
    p = projects.copy()
    for c in _PROJECT_COLUMNS:
        if c not in p.columns:
            p[c] = NaN if c != "grade" else ""
    if not include_whole:
        p = p[~_is_whole(p["project"])]
        if "kind" in p.columns:
            p = p[~p["kind"].astype(str).str.contains("whole|整体|department")]
    printed_points = pd.to_numeric(p["execution_score"], errors="coerce") if "execution_score" in p.columns \
        else pd.Series(np.nan, index=p.index)
    p = p[_PROJECT_COLUMNS].copy()
    for c in ("budget", "executed", "execution_rate", "total_score"):
        p[c] = pd.to_numeric(p[c], errors="coerce")
    missing_rate = p["execution_rate"].isna()
    p.loc[missing_rate, "execution_rate"] = [_pct(e, b) for e, b in
                                            zip(p.loc[missing_rate, "executed"], p.loc[missing_rate, "budget"])]
    p["grade"] = p["grade"].fillna("").astype(str)
    computed_points = (p["execution_rate"].clip(upper=100) / 10).round(2)
    p["execution_points"] = printed_points.where(printed_points.notna(), computed_points)
    p["other_points"] = (p["total_score"] - p["execution_points"]).round(2)
    p["score_gap"] = (p["total_score"] - p["execution_rate"]).round(2)
    p["grade_expected"] = p["total_score"].map(grade_for)
    return _sorted(p[cols], ["execution_rate", "project"])


def grade_counts(report: Any) -> pd.DataFrame:
    """Number of projects and their budget (万元) per grade 优/良/中/差 (project self-evaluations)."""
    p = project_evaluations(report)
    rows = []
    for g in ("优", "良", "中", "差"):
        sel = p[p["grade"] == g]
        rows.append({"grade": g, "projects": int(len(sel)), "budget": float(sel["budget"].sum())})
    return pd.DataFrame(rows, columns=["grade", "projects", "budget"])


def performance_summary(report: Any) -> dict:
    """Mean execution rate (%), mean self-score, mean score gap, budget-weighted execution rate."""
    p = project_evaluations(report)
    if p.empty:
        return {"projects": 0, "mean_execution_rate": NaN, "weighted_execution_rate": NaN,
                "mean_total_score": NaN, "mean_score_gap": NaN}
    return {"projects": int(len(p)),
            "mean_execution_rate": float(p["execution_rate"].mean()),
            "weighted_execution_rate": _pct(p["executed"].sum(min_count=1), p["budget"].sum(min_count=1)),
            "mean_total_score": float(p["total_score"].mean()),
            "mean_score_gap": float(p["score_gap"].mean())}
