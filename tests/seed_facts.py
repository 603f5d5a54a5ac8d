"""Comparing a report's facts with the text reading of the seed: the helpers of the tests that read
the seed in another format (a rendered PDF, Word, Excel, HTML) and expect the same 197 facts."""
from __future__ import annotations

FACT_KEY = ["table", "code", "item", "measure", "amount", "printed", "printed_unit"]


def fact_list(report) -> list[tuple[str, ...]]:
    """The report's facts as sorted tuples of FACT_KEY (where they sit, line and page, left out)."""
    return sorted(tuple(str(v) for v in rec) for rec in report.facts[FACT_KEY].itertuples(index=False))


def amount(report, table, measure, code="", item=None) -> float:
    """The one fact of ``table`` with this measure and code (and item): its amount in 万元."""
    f = report.facts
    sel = f[(f.table == table) & (f.measure == measure) & (f.code == code)]
    if item is not None:
        sel = sel[sel.item == item]
    assert len(sel) == 1, sel
    return float(sel.amount.iloc[0])
