"""The audit's findings as the notebooks show them: by severity, by rule, errors first."""
from __future__ import annotations

from typing import Any, Iterable

import pandas as pd

from xinzhou_fiscal.analysis._common import _sorted
from xinzhou_fiscal.checks import audit_frame as _audit_frame  # noqa: F401  (the audit, run once per report)

SEVERITY_ORDER = ("error", "warning", "rounding", "info", "ok")


AUDIT_COLUMNS = ["rule", "severity", "message", "expected", "actual"]


def audit_findings(report: Any, audit_frame: pd.DataFrame | None = None,
                   severities: Iterable[str] | None = None) -> pd.DataFrame:
    """The audit's findings (``xinzhou_fiscal.audit(report)``) except passes, sorted by severity
    (error, warning, rounding, info) then rule; only the given ``severities`` when set. Empty,
    with the columns, when nothing was found or the audit is unavailable."""
    df = _audit_frame(report) if audit_frame is None else audit_frame
    if df is None or df.empty:
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    df = df.copy()
    for c in AUDIT_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df["severity"] = df["severity"].astype(str).str.lower()
    df = df[~df["severity"].isin(["ok", "pass", "passed"])]
    if severities is not None:
        df = df[df["severity"].isin([str(v).lower() for v in severities])]
    order = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    df["_o"] = df["severity"].map(lambda s: order.get(s, len(order)))
    return _sorted(df, ["_o", "rule", "message"])[AUDIT_COLUMNS]


def audit_summary(report: Any, audit_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Number of audit checks per severity (error, warning, rounding, info, ok). Error and
    warning rows are always present; the whole frame is empty when the audit is unavailable."""
    df = _audit_frame(report) if audit_frame is None else audit_frame
    if df is None:
        return pd.DataFrame(columns=["severity", "findings"])
    sev = df["severity"].astype(str).str.lower().replace({"pass": "ok", "passed": "ok"}) \
        if "severity" in df.columns else pd.Series(dtype=str)
    counts = sev.value_counts()
    names = list(dict.fromkeys(["error", "warning", *[s for s in SEVERITY_ORDER if s in counts.index],
                                *sorted(set(counts.index) - set(SEVERITY_ORDER))]))
    names.sort(key=lambda s: SEVERITY_ORDER.index(s) if s in SEVERITY_ORDER else len(SEVERITY_ORDER))
    return pd.DataFrame({"severity": names, "findings": [int(counts.get(s, 0)) for s in names]})


def audit_by_rule(report: Any, audit_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Audit findings per rule: rule, severity, number of findings; errors first, then warnings,
    rounding notes, infos; by rule within a severity."""
    f = audit_findings(report, audit_frame)
    cols = ["rule", "severity", "findings"]
    if f.empty:
        return pd.DataFrame(columns=cols)
    out = f.groupby(["rule", "severity"], sort=False).size().reset_index(name="findings")
    order = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    out["_o"] = out["severity"].map(lambda s: order.get(s, len(order)))
    return _sorted(out, ["_o", "rule"])[cols]


def _audit_counts(report: Any) -> tuple[Any, Any]:
    s = audit_summary(report)
    if s.empty:
        return pd.NA, pd.NA
    get = lambda sev: int(s.loc[s["severity"] == sev, "findings"].sum())  # noqa: E731
    return get("error"), get("warning")
