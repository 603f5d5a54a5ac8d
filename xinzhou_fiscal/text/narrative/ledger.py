"""The narrative ledger: every numeric token of the 情况说明 (and the 概况) and what became of it.

One row per token, in the order printed: ``part``, ``token`` (as printed: ``2,795.38``, ``三``),
``unit`` (the word printed right after it, "" when none), ``kind`` (amount / percent / count /
other, from that unit), ``outcome`` (``claim``, ``non-claim`` or ``problem``), ``claim`` (the
row number in the claims frame, for a claim), ``reason`` (for a non-claim: year, date, ordinal,
threshold, document number, phone, count, table; for a problem: its message), ``line``, ``page``,
``sentence``. Like the tables' accounting, the ledger accounts for every number: nothing is read
without a place in it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from xinzhou_fiscal.tables.frames import Records
from xinzhou_fiscal.text.paragraphs import norm_unit, unit_kind

if TYPE_CHECKING:
    import pandas as pd

LEDGER_COLUMNS = ["part", "token", "unit", "kind", "outcome", "claim", "reason", "line", "page", "sentence"]


def token_kind(unit: str) -> str:
    """amount (万元/元/…), percent (%/百分点), count (辆/个/…), other (no unit, 分)."""
    if not unit:
        return "other"
    return {"money": "amount", "pct": "percent", "count": "count"}.get(unit_kind(norm_unit(unit)), "other")


def ledger_records(entries: list[dict]) -> Records:
    """The ledger's rows (its DataFrame is built on first use)."""
    rows = [dict(e, kind=token_kind(e["unit"])) for e in entries]
    return Records(rows, LEDGER_COLUMNS, {"claim": "Int64", "line": "Int64", "page": "Int64"})


def coverage(ledger: "pd.DataFrame", part: str | None = None) -> dict:
    """Counts of the ledger (of one part when given): tokens; amount and percent tokens and how many
    are claims (``rate`` in %, None when there are none); non-claims; problems."""
    led = ledger if part is None else ledger[ledger.part == part]
    money = led[led.kind.isin(["amount", "percent"])]
    claimed = int((money.outcome == "claim").sum())
    return {"tokens": len(led), "amount_percent": len(money), "amount_percent_claims": claimed,
            "rate": round(100 * claimed / len(money), 2) if len(money) else None,
            "claims": int((led.outcome == "claim").sum()), "non_claims": int((led.outcome == "non-claim").sum()),
            "problems": int((led.outcome == "problem").sum())}


def coverage_line(ledger: "pd.DataFrame", part: str | None) -> str:
    """One line for the CLI: ``情况说明: 182 numeric tokens · 150 of 152 amounts/percentages are claims
    (98.68 %) · 30 classified non-claims · 0 problems``."""
    if part is None:
        return "情况说明: not found — no narrative tokens read"
    c = coverage(ledger, part)
    rate = f"{c['rate']:.2f} %" if c["rate"] is not None else "n/a"
    return (f"情况说明: {c['tokens']} numeric tokens · {c['amount_percent_claims']} of {c['amount_percent']} "
            f"amounts/percentages are claims ({rate}) · {c['non_claims']} classified non-claims · "
            f"{c['problems']} problems")
