"""Mutation test of the audit: change each printed figure of the standard tables in turn by +1.00
and re-run the audit; a mutation is *detected* when it raises at least one error that the
unmutated report does not raise (a new finding id with severity error).

Mutations are made on the parsed facts (the audit's input), not on the file: the facts are
turned into records once, one record is changed (``amount`` + delta, ``printed`` re-printed
with the same decimals; a count stays a whole number), and the audit runs on the changed
records with everything else (narrative claims, self-evaluation tables) parsed once. So each
mutation costs one audit (~30 ms), not one parse.

An undetected cell is reported with the reason: no rule reads it; or every rule that reads it
is a bound / warning rule; or every strict check reading it already failed on the original.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import pandas as pd

from xinzhou_fiscal.checks.context import build_context, fact_records
from xinzhou_fiscal.checks.tolerance import printed_decimals
from xinzhou_fiscal.templates.names import fill
from xinzhou_fiscal.templates.specs import TABLE_KEYS

#: the standard tables, named as the reference template does (its first–last number)
_STANDARD_TABLES = "{n:income_expenditure_summary–related_info}"


@dataclass
class MutationResult:
    delta: float
    mutations: int
    detected: int
    seconds: float
    baseline_errors: list[str]
    cells: pd.DataFrame = field(repr=False)   # one row per mutated cell

    @property
    def rate(self) -> float:
        return self.detected / self.mutations if self.mutations else float("nan")

    @property
    def undetected(self) -> pd.DataFrame:
        return self.cells[~self.cells["detected"]].reset_index(drop=True)

    def summary(self) -> str:
        lines = [f"mutation test: {self.detected}/{self.mutations} mutations (+{self.delta:.2f}) of the printed "
                 f"figures of {fill(_STANDARD_TABLES, None)} detected = {self.rate:.1%} ({self.seconds:.1f} s)"]
        for r in self.undetected.itertuples():
            lines.append(f"  undetected: {r.table_no} {r.code or ''} {r.item} {r.measure} = {r.printed} "
                         f"(line {r.line}): {r.reason}")
        return "\n".join(lines)


def _mutated(rec: dict, delta: float) -> dict:
    m = dict(rec)
    value = float(rec["amount"]) + delta
    d = printed_decimals(str(rec["printed"]))
    m["amount"] = value
    m["printed"] = f"{value:.{d}f}"
    return m


def _involves(check, rec) -> bool:
    for n in (check.expected, check.actual):
        if n is None:
            continue
        for e in n.evidence:
            if e.source == "table" and e.line == rec["line"] and e.table == rec["table"] and \
                    (e.code or "") == (rec["code"] or "") and (e.measure or "") == (rec["measure"] or "") and \
                    e.printed != "":
                return True
    return False


def mutation_test(report, delta: float = 1.0, tables: tuple[str, ...] | None = None,
                  rules=None) -> MutationResult:
    """Run the mutation test on a parsed report (see the module doc). ``rules``: only these rule
    ids (e.g. the table rules alone, to see what the narrative adds)."""
    from xinzhou_fiscal.checks import verdicts
    t0 = time.perf_counter()
    records = fact_records(report.facts)
    tables = tables or TABLE_KEYS
    base = verdicts(build_context(report, records=records), rules)
    base_errors = {fid for fid, sev, _ in base if sev == "error"}
    rows = []
    for i, rec in enumerate(records):
        if rec["table"] not in tables:
            continue
        mutated = list(records)
        mutated[i] = _mutated(rec, delta)
        res = verdicts(build_context(report, records=mutated), rules)
        new = sorted({fid for fid, sev, _ in res if sev == "error"} - base_errors)
        reason = ""
        if not new:
            touching = [(fid, sev, c) for fid, sev, c in res if _involves(c, mutated[i])]
            if not touching:
                reason = "no rule reads this cell"
            elif all(c.broken != "error" and c.status is None for _, _, c in touching):
                reason = "only bound/warning rules read this cell: " + ", ".join(sorted({c.rule for _, _, c in touching}))
            elif all(fid in base_errors for fid, _, c in touching if c.broken == "error"):
                reason = "every strict check reading it already fails on the original report"
            else:
                reason = "the strict checks reading it still hold within their tolerance"
        rows.append({"table": rec["table"], "table_no": rec["table_no"], "code": rec["code"], "item": rec["item"],
                     "measure": rec["measure"], "printed": rec["printed"], "line": rec["line"],
                     "detected": bool(new), "new_errors": len(new), "first_new_error": new[0] if new else "",
                     "reason": reason})
    cells = pd.DataFrame(rows, columns=["table", "table_no", "code", "item", "measure", "printed", "line", "detected",
                                        "new_errors", "first_new_error", "reason"])
    return MutationResult(delta, len(rows), int(cells["detected"].sum()) if len(cells) else 0,
                          time.perf_counter() - t0, sorted(base_errors), cells)
