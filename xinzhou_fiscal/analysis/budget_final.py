"""A department's budget (部门预算) against its final accounts (部门决算) of the same year (#25 point 6).

:func:`budget_vs_final` gives one row per item: the expenditure of each function code (类/款/项) from
the budget's 支出预算表 and the final's 支出决算表, matched by code, and the totals matched by role
(本年支出合计, 本年收入合计). Amounts in 万元; each with its source (table, line, page).
"""
from __future__ import annotations

import pandas as pd

from xinzhou_fiscal.tables.common import code_level

COLUMNS = ["code", "name", "level", "budget", "final", "difference", "execution_rate",
           "budget_source", "final_source"]
#: (budget table, final table) printing expenditure by function code, total column
CODED_PAIRS = (("budget_expenditure", "expenditure"),)
#: role (item_key) → (budget table, final table) of the two-sided summaries
ROLES = {"expenditure_total": ("budget_summary", "income_expenditure_summary"),
         "income_total": ("budget_summary", "income_expenditure_summary")}


def _as_report(r):
    if isinstance(r, str):
        from xinzhou_fiscal.store.cache import parsed
        return parsed(r, keep=False, cached=False)
    return r


def _source(f) -> str:
    return f"{f['table_title']} 第{f['line']}行" + (f" 第{f['page']}页" if pd.notna(f["page"]) else "")


def _coded(report, table: str) -> dict[str, pd.Series]:
    """code → the row's total fact (the first printing) of a coded table; 合计 under ''."""
    t = report.tables.get(table)
    if t is None or t.status != "parsed":
        return {}
    f = t.facts[t.facts["measure_key"] == "total"]
    out: dict[str, pd.Series] = {}
    for _, row in f.iterrows():
        key = row["code"] if row["code"] else ("" if row["item_key"] == "total" else None)
        if key is not None:
            out.setdefault(key, row)
    return out


def _role(report, table: str, role: str) -> pd.Series | None:
    t = report.tables.get(table)
    if t is None or t.status != "parsed":
        return None
    f = t.facts[t.facts["item_key"] == role]
    return f.iloc[0] if len(f) else None


def _row(code, name, level, b, f) -> dict:
    budget = b["amount"] if b is not None else float("nan")
    final = f["amount"] if f is not None else float("nan")
    return {"code": code, "name": name, "level": level, "budget": budget, "final": final,
            "difference": round(final - budget, 2), "execution_rate": round(final / budget * 100, 2) if budget else float("nan"),
            "budget_source": _source(b) if b is not None else "", "final_source": _source(f) if f is not None else ""}


def budget_vs_final(budget, final) -> pd.DataFrame:
    """One row per item of the budget and the final accounts (Reports or catalogued ids): code, name,
    level (类/款/项, 合计, or the role), budgeted and final amount (万元), the difference (final −
    budget) and the execution rate (final / budget, %), each amount's source."""
    budget, final = _as_report(budget), _as_report(final)
    rows = []
    for role, (bt, ft) in ROLES.items():
        b, f = _role(budget, bt, role), _role(final, ft, role)
        if b is not None or f is not None:
            rows.append(_row("", (b if b is not None else f)["item"], role, b, f))
    for bt, ft in CODED_PAIRS:
        bs, fs = _coded(budget, bt), _coded(final, ft)
        for code in sorted(set(bs) | set(fs), key=lambda c: (c == "", c)):
            b, f = bs.get(code), fs.get(code)
            name = (b if b is not None else f)["item"]
            rows.append(_row(code, name, code_level(code) or "合计", b, f))
    return pd.DataFrame(rows, columns=COLUMNS)
