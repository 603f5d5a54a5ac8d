"""What the rules read: the report's printed figures indexed for lookup, each as a :class:`Num`
carrying its evidence. Built once per audit (and once per mutation, from the mutated facts)."""
from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from xinzhou_fiscal.checks.findings import Evidence
from xinzhou_fiscal.checks.tolerance import Num, printed
from xinzhou_fiscal.numbers import AMOUNT_UNITS
from xinzhou_fiscal.tables.common import fact_rows
from xinzhou_fiscal.tables.parsed import WideRows
from xinzhou_fiscal.templates.names import placeholder
from xinzhou_fiscal.templates.specs import TABLE_KEYS

if TYPE_CHECKING:
    import pandas as pd

CODED_TABLES = ("income", "expenditure", "general_budget_expenditure", "gov_fund", "state_capital")
SUMMARY_TABLES = ("income_expenditure_summary", "fiscal_grant_summary")

_FACT_FIELDS = ("table", "table_no", "section", "code", "item", "item_key", "measure", "measure_key",
                "amount", "printed", "printed_unit", "row_no", "line", "page")


def table_name(key: str) -> str:
    """How a check names table ``key``: the placeholder ``{t:key}``, which the finding fills from the
    report's template (:func:`~xinzhou_fiscal.checks.findings.evaluate`); "" for no standard table."""
    return placeholder(key) if key in TABLE_KEYS else ""


def optional_int(v) -> int | None:
    """A line or page number of a record as an int; None when it is missing (None, NaN, pandas' NA)
    or not a number."""
    try:
        return None if v is None or v != v else int(v)
    except (TypeError, ValueError):
        return None


def _int(v):
    pd = sys.modules.get("pandas")      # pandas' NA can only come from a DataFrame, when pandas is in use
    return None if v is None or (isinstance(v, float) and v != v) or (pd is not None and v is pd.NA) else int(v)


@dataclass
class Fact:
    table: str
    table_no: str
    section: str
    code: str
    item: str
    item_key: str
    measure: str
    measure_key: str
    num: Num
    row_no: int | None
    line: int | None


def fact_num(rec: dict) -> Num:
    """A fact as a printed figure in 万元. A figure printed in another unit (the Shanghai budget's
    元: ``171,915,169`` → 17,191.5169 万元) carries the half-unit of its printing in that unit,
    converted (0.5 元 = 0.00005 万元), not 0.5 万元."""
    unit = rec.get("printed_unit") or ""
    scale = float(AMOUNT_UNITS[unit]) if unit in AMOUNT_UNITS else 1.0
    ev = Evidence("table", rec["table"], rec["table_no"] or table_name(rec["table"]), rec["section"] or "",
                  rec["code"] or "", rec["item"] or "", rec["measure"] or "", rec["printed"], float(rec["amount"]),
                  _int(rec["line"]), _int(rec["page"]))
    return printed(rec["amount"], rec["printed"], exact=rec["measure_key"] == "count", evidence=(ev,), scale=scale,
                   unit=unit)


def blank(table: str, *, code: str = "", item: str = "", measure: str = "", section: str = "",
          line: int | None = None) -> Num:
    """A blank cell: read as exactly 0, its evidence says it was blank."""
    ev = Evidence("table", table, table_name(table), section, code, item, measure, "", None, line, None)
    return Num(0.0, 0.0, "", (ev,))


@dataclass
class AuditContext:
    report: object
    facts: list[Fact]
    by_table: dict[str, list[Fact]]
    # coded tables: table -> code ("" for 合计) -> measure_key -> Fact
    coded: dict[str, dict[str, dict[str, Fact]]]
    # coded tables: table -> printed codes in order (with or without amounts) and their lines/names
    coded_rows: dict[str, dict[str, tuple[str, int | None]]]
    measures: dict[str, dict[str, str]]           # table -> measure_key -> printed measure path
    status: dict[str, str]
    extras: dict = field(default_factory=dict)    # narrative / performance data, filled lazily

    # ------------------------------------------------------------------ lookups
    def coded_num(self, table: str, code: str, mk: str) -> Num:
        f = self.coded.get(table, {}).get(code, {}).get(mk)
        if f is not None:
            return f.num
        name, line = self.coded_rows.get(table, {}).get(code, ("合计" if not code else "", None))
        return blank(table, code=code, item=name, measure=self.measures.get(table, {}).get(mk, mk), line=line)

    def coded_aggregate(self, table: str, code: str, mk: str) -> Num:
        """A coded-table row (a 类, or 合计 for ``code=""``) read as the aggregate of the 项 printed
        under it. The report warns of 尾数误差: a table may print an aggregate by rounding the whole
        or by adding its rounded 项, so two tables' printings of one aggregate can differ by up to
        the half-units of those 项 (k × 0.005). The figure keeps its value; its half-width becomes
        that of the sum of its printed 项 when wider, and it is no longer a single printing."""
        num = self.coded_num(table, code, mk)
        leaves = [by_mk[mk].num for c, by_mk in self.coded.get(table, {}).items()
                  if len(c) == 7 and c.startswith(code) and mk in by_mk]
        spread = sum(n.err for n in leaves)
        if len(leaves) < 2 or spread <= num.err:
            return num
        return Num(num.value, spread, None, num.evidence)

    def items(self, table: str, **match) -> list[Fact]:
        out = []
        for f in self.by_table.get(table, ()):
            if all(getattr(f, k) == v for k, v in match.items()):
                out.append(f)
        return out

    def one(self, table: str, **match) -> Fact | None:
        hits = self.items(table, **match)
        return hits[0] if hits else None

    def num(self, table: str, *, item: str = "", **match) -> Num:
        """The figure matching, or a blank (0) carrying the table and a label."""
        f = self.one(table, **match)
        if f is not None:
            return f.num
        label = item or match.get("item_key") or match.get("code") or ""
        measure = self.measures.get(table, {}).get(match.get("measure_key", ""), match.get("measure_key", ""))
        return blank(table, code=match.get("code", ""), item=label, measure=measure,
                     section=match.get("section", ""))


def fact_records(facts: "pd.DataFrame") -> list[dict]:
    """The facts frame as a list of plain dicts (the fields the audit reads)."""
    cols = {c: facts[c].tolist() for c in _FACT_FIELDS if c in facts.columns}
    return [{c: (cols[c][i] if c in cols else None) for c in _FACT_FIELDS} for i in range(len(facts))]


def wide_rows(table) -> WideRows:
    """A table's printed rows (:class:`~xinzhou_fiscal.tables.parsed.WideRows`); for a table-like
    object without them, the rows of its ``wide`` DataFrame (none when it has none)."""
    rows = getattr(table, "wide_rows", None)
    if rows is not None:
        return rows
    wide = getattr(table, "wide", None)
    return WideRows() if wide is None or not len(wide) else WideRows.from_frame(wide)


def dataset_records(report, name: str) -> list[dict]:
    """The rows of a report's text-derived dataset (claims, projects, indicators, funds, glossary)
    as dicts: :meth:`Report.records <xinzhou_fiscal.report.model.Report.records>` (no DataFrame
    built), or the rows of the DataFrame attribute of a report-like object without it."""
    get = getattr(report, "records", None)
    if callable(get):
        return get(name)
    df = getattr(report, name)
    if df is None or not len(df):
        return []
    cols = list(df.columns)
    return [dict(zip(cols, vals)) for vals in zip(*(df[c].tolist() for c in cols))]


def build_context(report, facts: "pd.DataFrame | None" = None, records: list[dict] | None = None,
                  budget=None) -> AuditContext:
    """Index the report's facts (or a modified copy: a DataFrame, or records from
    :func:`fact_records`) for the rules. The report's own facts are read as records (valued as
    the facts DataFrame holds them), without building the DataFrame. ``budget``: the budget
    document (a 预算 Report) of the same department and year, when the caller knows one
    (``extras["budget"]``: rules_budget_final)."""
    if records is None:
        own = getattr(report, "fact_records", None) if facts is None else None
        records = fact_rows(own) if own is not None else fact_records(report.facts if facts is None else facts)
    facts_list: list[Fact] = []
    by_table: dict[str, list[Fact]] = defaultdict(list)
    coded: dict[str, dict[str, dict[str, Fact]]] = defaultdict(lambda: defaultdict(dict))
    measures: dict[str, dict[str, str]] = defaultdict(dict)
    for rec in records:
        rec = dict(rec)
        for c in ("section", "code", "item", "item_key", "measure", "measure_key", "table_no"):
            if rec[c] is None or (isinstance(rec[c], float) and rec[c] != rec[c]):
                rec[c] = ""
        f = Fact(rec["table"], rec["table_no"] or table_name(rec["table"]), rec["section"], rec["code"],
                 rec["item"], rec["item_key"], rec["measure"], rec["measure_key"], fact_num(rec),
                 _int(rec["row_no"]), _int(rec["line"]))
        facts_list.append(f)
        by_table[f.table].append(f)
        measures[f.table].setdefault(f.measure_key, f.measure)
        if f.section:
            measures[f.table].setdefault(f"{f.section}:{f.measure_key}", f.measure)
        if f.table in CODED_TABLES:
            coded[f.table][f.code if f.item_key != "total" else ""][f.measure_key] = f
    coded_rows: dict[str, dict[str, tuple[str, int | None]]] = {}
    status = {}
    for key, t in report.tables.items():
        status[key] = t.status
        wide = wide_rows(t)
        if key in CODED_TABLES and wide.rows and wide.has("code"):
            rows = {}
            for code, item, line in zip(wide.column("code"), wide.column("item"), wide.column("line")):
                rows.setdefault(code or "", (item, _int(line)))
            coded_rows[key] = rows
    ctx = AuditContext(report, facts_list, dict(by_table), coded, coded_rows, dict(measures), status)
    if budget is not None:
        ctx.extras["budget"] = budget
    return ctx
