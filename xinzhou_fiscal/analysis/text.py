"""Figures stated in the narrative (情况说明): budget completion by function and year-on-year change
(previous year derived from the narrative). Amounts in 万元."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from xinzhou_fiscal.analysis._common import NaN, _claims, _frame, _pct, _ratio, memoized, norm
from xinzhou_fiscal.templates.specs import function_classes


_HALF_WIDTH = str.maketrans("（）", "()")


def _function_class_names() -> set[str]:
    return {norm(n) for n in function_classes()}


def contradicted_by_tables(report: Any) -> dict[str, float]:
    """Subject → the table's figure (万元), for every 决算数 the narrative prints that the audit finds
    contradicted by a table (an error of the narrative's amounts against the tables): the year's
    figure is the table's, not the misprint (e.g. a narrative 总计 of 0.3 where its table prints
    2,961.68)."""
    from xinzhou_fiscal.checks import audit_frame
    f = audit_frame(report)
    if f is None or f.empty:
        return {}
    out: dict[str, float] = {}
    for row in f[(f["severity"] == "error") & (f["rule"] == "narrative.amount")].itertuples(index=False):
        sides = {e.get("side"): e for e in row.evidence or []}
        printed, table = sides.get("actual"), sides.get("expected")
        if printed and table and table.get("source") == "table" and printed.get("measure") == "决算数":
            out.setdefault(norm(printed.get("item", "")), float(table["value"]))
    return out


@memoized
def budget_completion(report: Any) -> pd.DataFrame:
    """Budget completion from the narrative (情况说明 五（三）一般公共预算财政拨款支出决算具体情况):
    for the whole and for each function class, the 年初预算 and the 决算数 stated next to it (万元,
    ``report.claims``), completion_pct recomputed as 决算 / 年初预算 and stated_pct as printed
    (完成率). ``scope`` is 合计 for the whole, else the printed level (类/款/项) or 科目. Only
    statements of the 一般公共预算 section (三公 has its own). In the order printed."""
    c = _claims(report)
    cols = ["scope", "subject", "budget", "actual", "completion_pct", "stated_pct"]
    if c.empty:
        return pd.DataFrame(columns=cols)
    c = c.reset_index(drop=True)
    if "section" in c.columns:  # 一般公共预算 expenditure only (三公 has its own 全年预算 statements)
        in_section = c["section"].fillna("").map(norm).str.contains("一般公共预算")
        if in_section.any():
            c = c[in_section].reset_index(drop=True)
    parent = c["parent"].fillna("").map(norm) if "parent" in c.columns else pd.Series("", index=c.index)
    level = c["category_level"].fillna("").map(norm).str.strip("（）") if "category_level" in c.columns \
        else pd.Series("", index=c.index)
    parents = set(parent)
    subjects, metrics, values = c["_subject"].tolist(), c["_metric"].tolist(), c["value"].tolist()

    def first_after(i: int, subject: str, metric: str) -> float:
        """The value of the first statement after row ``i`` of ``subject``'s ``metric`` (NaN: none)."""
        return next((float(values[j]) for j in range(i + 1, len(subjects))
                     if _is(subjects[j], subject) and _is(metrics[j], metric)), NaN)

    rows = []
    for i in (i for i, metric in enumerate(metrics) if _is(metric, "年初预算")):
        subject = subjects[i]
        bv, av = float(values[i]), first_after(i, subject, "决算数")
        scope = "合计" if subject in parents and not parent[i] else \
            (level[i] or ("类" if subject in _function_class_names() else "科目"))
        rows.append({"scope": scope, "subject": subject, "budget": bv, "actual": av,
                     "completion_pct": _pct(av, bv), "stated_pct": first_after(i, subject, "完成率")})
    out = pd.DataFrame(rows, columns=cols).drop_duplicates(["scope", "subject"])
    return out.reset_index(drop=True)


def _is(label: Any, text: str) -> bool:
    """Whether a normalised label (a str, or missing) is ``text``."""
    return isinstance(label, str) and label == text


def overall_budget_completion(report: Any) -> float:
    """决算 / 年初预算 of all 一般公共预算财政拨款 expenditure (情况说明 五（三）), a fraction: the
    whole's own statement, else the sum over the function classes stated."""
    bc = budget_completion(report)
    if bc.empty:
        return NaN
    whole = bc[bc["scope"] == "合计"]
    if len(whole):
        return _ratio(whole["actual"].iloc[0], whole["budget"].iloc[0])
    return _ratio(bc["actual"].sum(min_count=1), bc["budget"].sum(min_count=1))


@memoized
def year_on_year(report: Any) -> pd.DataFrame:
    """Year-on-year from the narrative (情况说明: 与上年相比 增加/减少 X万元, 增长/下降 Y%): for each
    subject, the previous-year figure derived as current − change (``report.previous_year``),
    the current figure, the change and the rate (recomputed; ``stated_pct`` as printed). A current
    figure the audit finds contradicted by a table (:func:`contradicted_by_tables`) is the table's.
    In the order the narrative states them."""
    prev = _frame(report, "previous_year")
    cols = ["subject", "previous", "current", "change", "change_pct", "stated_pct"]
    if prev.empty or "subject" not in prev.columns:
        return pd.DataFrame(columns=cols)
    p = prev.copy()
    num = lambda name: pd.to_numeric(p[name], errors="coerce") if name in p.columns \
        else pd.Series(np.nan, index=p.index)  # noqa: E731
    # the subject's key, shown with half-width brackets like the analysis tables' own labels
    # (因公出国(境)费 in three_public); compare it through norm()
    subject = p["subject"].map(norm).str.translate(_HALF_WIDTH)
    out = pd.DataFrame({"subject": subject, "previous": num("value"), "current": num("current_value"),
                        "change": num("change"), "stated_pct": num("stated_rate")})
    if "metric" in p.columns:  # a figure other than an amount (决算数, a budget's 预算数), e.g. a count, keeps its metric
        other = ~p["metric"].map(norm).isin(["决算数", "预算数"])
        out.loc[other, "subject"] = out.loc[other, "subject"] + "·" + p.loc[other, "metric"].map(norm)
    out["current"] = out["current"].where(out["current"].notna(), out["previous"] + out["change"])
    table = out["subject"].map(contradicted_by_tables(report))   # a misprinted current figure → the table's
    if table.notna().any():
        out["current"] = table.where(table.notna(), out["current"])
        out["previous"] = (out["current"] - out["change"]).where(table.notna(), out["previous"])
    out["change"] = out["change"].where(out["change"].notna(), out["current"] - out["previous"])
    out["change_pct"] = [_pct(ch, pv) for ch, pv in zip(out["change"], out["previous"])]
    out = out.drop_duplicates("subject")
    return out[cols].reset_index(drop=True)
