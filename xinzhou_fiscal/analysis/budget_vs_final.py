"""Budget against final accounts (#25.6): one department's 部门预算 and 部门决算 of the same year,
item by item.

``budget_vs_final(budget, final)`` takes two :class:`~xinzhou_fiscal.report.model.Report` (or two
catalogued ids) and gives one row per item and section, amounts in 万元:

- ``section`` — what is compared: 支出 (the expenditure tables by function code: a budget's
  支出预算表 against the final's 支出决算表), 财政拨款支出 (the 财政拨款支出 tables by code), 收支总表
  (the summary tables: function classes printed by name, matched by their codes, and totals matched
  by role: 本年收入合计, 本年支出合计, 收入总计);
- ``code`` (功能分类 code, "" for a total), ``name`` (as the budget prints it, else the final),
  ``level`` (类 / 款 / 项 / 合计);
- ``budget`` and ``final`` (NaN where one document has no such row: never a 0), ``difference``
  (final − budget) and ``execution_rate`` (final ÷ budget × 100, %; NaN when the budget is 0 or absent);
- each side's source: ``budget_table``, ``budget_line``, ``budget_page`` and the same for ``final``,
  and in one phrase ``budget_source`` / ``final_source`` (``西南大学支出预算表 第163行 第9页``).

Which tables pair is data (:data:`PAIRS`): each role lists the table keys of every family, budget
side and final side; the first key a report has is used.
"""
from __future__ import annotations

import math

import pandas as pd

from xinzhou_fiscal.templates.labels import strip_ordinal

#: role → (section, budget-side table keys, final-side table keys, measure_key of the amount)
PAIRS = (
    ("支出", ("budget_expenditure",), ("expenditure",), "total"),
    ("财政拨款支出", ("budget_fiscal_grant_expenditure", "budget_general_expenditure"),
     ("fiscal_grant_expenditure", "general_budget_expenditure"), "total"),
)
#: the summary tables (收支总表) of each kind, and the totals matched by role: item_key → name
SUMMARY = (("budget_summary",), ("income_expenditure_summary",))
TOTALS = {("income", "income_total"): "本年收入合计", ("expenditure", "expenditure_total"): "本年支出合计",
          ("income", "grand_total"): "收入总计"}
_LEVELS = {3: "类", 5: "款", 7: "项"}
COLUMNS = ["section", "code", "name", "level", "budget", "final", "difference", "execution_rate",
           "budget_table", "budget_line", "budget_page", "final_table", "final_line", "final_page",
           "budget_source", "final_source"]


def _source(side: dict | None) -> str:
    """``西南大学支出预算表 第163行 第9页``: where an amount is printed, in one phrase."""
    if not side:
        return ""
    page = side["page"]
    return f"{side['table']} 第{side['line']}行" + (f" 第{int(page)}页" if page == page and page is not None else "")


def _report(x):
    if isinstance(x, str):
        from xinzhou_fiscal.store.cache import parsed
        return parsed(x)
    return x


def _first_table(report, keys):
    return next((report.tables[k] for k in keys if k in report.tables and report.tables[k].status == "parsed"), None)


def _entries(table):
    """(fact columns, {name, amount, line, page, table}) of each fact of a table, in print order."""
    if table is None:
        return
    f = table.facts
    for section, code, key, item, mk, amount, line, page in zip(
            f["section"], f["code"], f["item_key"], f["item"], f["measure_key"], f["amount"], f["line"], f["page"]):
        yield (section, str(code or ""), str(key or ""), mk), \
            {"name": strip_ordinal(str(item)), "amount": amount, "line": line, "page": page, "table": table.title}


def _coded_rows(table, measure_key: str) -> dict[str, dict]:
    """code → {name, amount, line, page, table} of a coded table's rows in one column (万元)."""
    out = {}
    for (_, code, _, mk), entry in _entries(table):
        if mk == measure_key and code.isdigit():
            out.setdefault(code, entry)
    return out


def _summary_rows(table) -> dict[str, dict]:
    """Rows of a summary table keyed ``class:205`` (function classes printed by name → their code)
    or by role (``income:income_total``…), named by role."""
    out = {}
    for (section, _, key, _), entry in _entries(table):
        if key.startswith("class:") and section == "expenditure":
            out.setdefault(key, entry)
        elif (section, key) in TOTALS:
            out.setdefault(f"{section}:{key}", {**entry, "name": TOTALS[(section, key)]})
    return out


def _row(section, code, b, f) -> dict:
    bv = b["amount"] if b else math.nan
    fv = f["amount"] if f else math.nan
    diff = round(fv - bv, 2) if b and f else math.nan
    rate = fv / bv * 100.0 if b and f and bv else math.nan
    return {"section": section, "code": code, "name": (b or f)["name"],
            "level": _LEVELS.get(len(code), "合计") if code else "合计",
            "budget": bv, "final": fv, "difference": diff, "execution_rate": rate,
            "budget_table": b["table"] if b else "", "budget_line": b["line"] if b else None,
            "budget_page": b["page"] if b else None, "final_table": f["table"] if f else "",
            "final_line": f["line"] if f else None, "final_page": f["page"] if f else None,
            "budget_source": _source(b), "final_source": _source(f)}


def _pair(section, brows: dict, frows: dict, code_of=lambda k: k) -> list[dict]:
    keys = list(brows) + [k for k in frows if k not in brows]
    return [_row(section, code_of(k), brows.get(k), frows.get(k)) for k in keys]


def budget_vs_final(budget, final) -> pd.DataFrame:
    """The budget against the final accounts of one department and year (module docstring): two
    Reports or two catalogued ids; the first must be a 预算, the second a 决算."""
    from xinzhou_fiscal.errors import ReportError
    b, f = _report(budget), _report(final)
    if b.kind != "预算" or f.kind != "决算":
        raise ReportError(f"budget_vs_final needs a 预算 and a 决算: got {b.kind} ({b.source_file}) and {f.kind} ({f.source_file})")
    rows = []
    for section, bkeys, fkeys, mk in PAIRS:
        rows += _pair(section, _coded_rows(_first_table(b, bkeys), mk), _coded_rows(_first_table(f, fkeys), mk))
    rows += _pair("收支总表", _summary_rows(_first_table(b, SUMMARY[0])), _summary_rows(_first_table(f, SUMMARY[1])),
                  code_of=lambda k: k.split(":", 1)[1] if k.startswith("class:") else "")
    out = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("budget_line", "budget_page", "final_line", "final_page"):
        out[col] = out[col].astype("Int64")
    return out


#: the columns that name a pair in :func:`budget_final_gaps`, before those of :func:`budget_vs_final`
PAIR_COLUMNS = ["department", "year", "budget_id", "final_id"]


def department_pairs(reports) -> list[tuple]:
    """(budget, final): the 预算 and the 决算 of every department and year that has both among
    ``reports`` (Reports, e.g. :func:`~xinzhou_fiscal.analysis.comparison.load_reports`), sorted by
    department and year. A department with several reports of one kind and year pairs the first by id."""
    by_key: dict[tuple, dict[str, object]] = {}
    for r in sorted(reports, key=lambda r: str(getattr(r, "report_id", ""))):
        key = (str(getattr(r, "department", "") or ""), int(getattr(r, "year", 0) or 0))
        by_key.setdefault(key, {}).setdefault(getattr(r, "kind", "") or "", r)
    return [(kinds["预算"], kinds["决算"]) for key, kinds in sorted(by_key.items())
            if key[0] and "预算" in kinds and "决算" in kinds]


def budget_final_gaps(reports) -> pd.DataFrame:
    """:func:`budget_vs_final` of every pair of :func:`department_pairs`, one frame: the pair's
    department, year, budget_id and final_id, then the rows (万元), the largest gaps first within
    each pair (|final − budget| descending; rows that one document lacks last). Empty (same
    columns) when no department has both kinds."""
    frames = []
    for b, f in department_pairs(reports):
        rows = budget_vs_final(b, f)
        rows = rows.iloc[rows["difference"].abs().sort_values(ascending=False, na_position="last", kind="mergesort").index]
        frames.append(rows.assign(department=b.department, year=int(b.year), budget_id=b.report_id,
                                  final_id=f.report_id)[PAIR_COLUMNS + COLUMNS])
    if not frames:
        return pd.DataFrame(columns=PAIR_COLUMNS + COLUMNS)
    return pd.concat(frames, ignore_index=True)
