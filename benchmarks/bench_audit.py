"""Median time to audit the seed report after parsing, and the mutation test's detection rate.

Run: ``.venv/bin/python benchmarks/bench_audit.py`` (or ``make benchmark``). The report is parsed
once (narrative and self-evaluation datasets included, as they are cached on the report); then
``xinzhou_fiscal.audit(report)`` runs REPEATS times and the median is printed, with the spread.
The machine is shared (2 cores): read the spread too.
"""
from __future__ import annotations

import statistics

from timing import describe, timings

import xinzhou_fiscal as xf
from xinzhou_fiscal.checks.mutation import mutation_test

REPEATS = 50




if __name__ == "__main__":
    report = xf.load("xinzhou-swbgs-2023")
    t = [x * 1000 for x in timings(lambda: xf.audit(report), REPEATS)]
    q = statistics.quantiles(t, n=10)
    findings = xf.audit(report)
    counts = findings["severity"].value_counts().to_dict()
    print(f"audit seed (after parsing): median {statistics.median(t):.1f} ms over {REPEATS} runs "
          f"(p10 {q[0]:.1f} ms, p90 {q[-1]:.1f} ms); findings: "
          + ", ".join(f"{k} {counts.get(k, 0)}" for k in ("error", "warning", "info")))
    print(describe("audit seed with every passing check rendered",
                   timings(lambda: xf.audit(report, include_passed=True), 20), "ms"))
    m = mutation_test(report)
    print(m.summary())
    from xinzhou_fiscal.checks import RULES
    table_rules = {r for r in RULES if r.split(".")[0] in ("summary", "coded", "basic", "three_public", "related", "cross")}
    print("(table and cross-table rules only) " + mutation_test(report, rules=table_rules).summary())
    print("(Putuo PDF) " + mutation_test(xf.load("putuo-czj-2024")).summary())
