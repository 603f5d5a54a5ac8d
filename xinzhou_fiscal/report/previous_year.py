"""The previous year's figures implied by the year-on-year statements of the narrative claims
(analysis on parsed claims, not reading: see :mod:`xinzhou_fiscal.text.narrative`)."""
from __future__ import annotations

import pandas as pd

from xinzhou_fiscal.tables.frames import records_frame

PREVIOUS_COLUMNS = ["year", "subject", "metric", "value", "unit", "derived", "method", "current_value",
                    "change", "stated_rate", "recomputed_rate", "rate_difference", "category_level",
                    "section", "current_line", "change_line", "rate_line", "page"]
_DTYPES = {"year": "Int64", "current_line": "Int64", "change_line": "Int64", "rate_line": "Int64", "page": "Int64",
           "value": "float64", "current_value": "float64", "change": "float64", "stated_rate": "float64",
           "recomputed_rate": "float64", "rate_difference": "float64", "derived": "bool"}

# the claim columns the derivation reads (converting only these to records halves its cost)
_CLAIM_FIELDS = {"section", "subject", "metric", "unit", "value", "signed_value", "direction", "paragraph",
                 "compare_year", "category_level", "line", "page"}


#: the report's own amount: 决算数 in final accounts, 预算数 in a budget (whose change is against last
#: year's budget, so the derived figure is last year's 预算数)
_LEVEL = ("决算数", "预算数")


def _current_for(recs: list[dict], i: int, c: dict) -> dict | None:
    """The 决算数 (预算数) claim of the same subject and unit printed before claim ``i`` in its section."""
    for j in range(i - 1, -1, -1):
        d = recs[j]
        if d["section"] != c["section"]:
            break
        if d["subject"] == c["subject"] and d["metric"] in _LEVEL and d["unit"] == c["unit"]:
            return d
    return None


def _rate_for(recs: list[dict], i: int, c: dict) -> tuple[int, dict] | None:
    """The 同比增减率 claim of the same subject after change ``i`` in its paragraph."""
    for j in range(i + 1, len(recs)):
        d = recs[j]
        if d["paragraph"] != c["paragraph"]:
            break
        if d["subject"] == c["subject"] and d["metric"] == "同比增减额":
            break
        if d["subject"] == c["subject"] and d["metric"] == "同比增减率":
            return j, d
    return None


def _other_year(c: dict, year: int) -> bool:
    return not pd.isna(c["compare_year"]) and int(c["compare_year"]) != year - 1


def _from_change(recs: list[dict], i: int, c: dict, year: int, used_rates: set[int]) -> dict | None:
    cur = _current_for(recs, i, c)
    if cur is None:
        return None
    rate = _rate_for(recs, i, c)
    prev = round(cur["value"] - c["signed_value"], 6)
    stated = None
    if rate:
        used_rates.add(rate[0])
        stated = rate[1]["signed_value"]
    recomputed = round(c["signed_value"] / prev * 100, 2) if prev else None
    return {"year": year - 1, "subject": c["subject"], "metric": cur["metric"], "value": round(prev, 2),
            "unit": c["unit"], "derived": True, "method": "unchanged" if c["direction"] == "持平" else "change",
            "current_value": cur["value"], "change": c["signed_value"], "stated_rate": stated,
            "recomputed_rate": recomputed,
            "rate_difference": round(stated - recomputed, 2) if stated is not None and recomputed is not None else None,
            "category_level": c["category_level"], "section": c["section"], "current_line": cur["line"],
            "change_line": c["line"], "rate_line": rate[1]["line"] if rate else None, "page": c["page"]}


def _from_rate(recs: list[dict], i: int, c: dict, year: int) -> dict | None:
    cur = _current_for(recs, i, dict(c, unit="万元"))
    if cur is None or c["signed_value"] == -100:
        return None
    prev = cur["value"] / (1 + c["signed_value"] / 100)
    return {"year": year - 1, "subject": c["subject"], "metric": cur["metric"], "value": round(prev, 2),
            "unit": cur["unit"], "derived": True, "method": "rate", "current_value": cur["value"],
            "change": round(cur["value"] - prev, 2), "stated_rate": c["signed_value"],
            "recomputed_rate": None, "rate_difference": None, "category_level": c["category_level"],
            "section": c["section"], "current_line": cur["line"], "change_line": None,
            "rate_line": c["line"], "page": c["page"]}


def derive_previous_year(claims: pd.DataFrame, year: int) -> pd.DataFrame:
    """The previous year's figures implied by the year-on-year statements of the narrative.

    For each change (同比增减额, or a 持平 statement) the current figure is the 决算数 claim of
    the same subject and unit printed before it in the same section (nearest first), and
    previous = current − signed change (``method`` "change" / "unchanged"). When only a rate is
    printed, previous = current / (1 + rate/100) (``method`` "rate"). ``stated_rate`` is the
    printed rate (signed), ``recomputed_rate`` = signed change / previous × 100, rounded to 2
    decimals, and ``rate_difference`` their difference. ``year`` is ``year - 1``; ``value`` in
    the claim's unit (万元); ``derived`` is always True. A change whose current figure cannot be
    found is left out (the audit sees it in the claims). A change measured against another year
    (比2020年) is left out.
    """
    if claims is None or claims.empty:
        return pd.DataFrame(columns=PREVIOUS_COLUMNS)
    cols = [c for c in claims.columns if c in _CLAIM_FIELDS]
    recs = [dict(zip(cols, vals)) for vals in zip(*(claims[c].tolist() for c in cols))]
    out: list[dict] = []
    used_rates: set[int] = set()
    for i, c in enumerate(recs):
        if c["metric"] == "同比增减额" and not _other_year(c, year):
            row = _from_change(recs, i, c, year, used_rates)
            if row:
                out.append(row)
    # a rate printed without an amount: previous = current / (1 + rate)
    for i, c in enumerate(recs):
        if c["metric"] != "同比增减率" or i in used_rates or c["direction"] == "持平" or _other_year(c, year):
            continue
        if any(o["change_line"] == c["line"] and o["subject"] == c["subject"] for o in out):
            continue
        row = _from_rate(recs, i, c, year)
        if row:
            out.append(row)
    return records_frame(out, PREVIOUS_COLUMNS, _DTYPES)
