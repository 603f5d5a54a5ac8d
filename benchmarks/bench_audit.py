"""Median time to audit the seed report after parsing; the coverage lead; the mutation harness
on the source documents (seed text and Putuo PDF).

Run: ``.venv/bin/python benchmarks/bench_audit.py [--per-op N] [--csv DIR]``. The report is
parsed once (narrative and self-evaluation datasets included, as they are cached on the report);
then ``xinzhou_fiscal.audit(report)`` runs REPEATS times and the median is printed, with the
spread. The machine is shared (2 cores): read the spread too.

The source mutation harness (xinzhou_fiscal.checks.source_mutation) runs every mutation of each
document by default (several minutes: each mutation is one parse and one audit); ``--per-op N``
takes a deterministic sample of at most N per kind of mutation. ``--csv DIR`` writes one row per
mutation (what was changed, detected, the findings, the noise).
"""
from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from timing import describe, timings

import xinzhou_fiscal as xf
from xinzhou_fiscal.checks.mutation import mutation_test
from xinzhou_fiscal.checks.source_mutation import mutations, sample, source_mutation_test

REPEATS = 50


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-op", type=int, default=0, help="sample at most N mutations per kind (0 = all)")
    ap.add_argument("--csv", type=Path, default=None)
    ap.add_argument("--skip-timing", action="store_true")
    args = ap.parse_args()
    seed = xf.load("xinzhou-swbgs-2023")
    putuo = xf.load("putuo-czj-2024")
    if not args.skip_timing:
        t = [x * 1000 for x in timings(lambda: xf.audit(seed), REPEATS)]
        q = statistics.quantiles(t, n=10)
        counts = xf.audit(seed)["severity"].value_counts().to_dict()
        print(f"audit seed (after parsing): median {statistics.median(t):.1f} ms over {REPEATS} runs "
              f"(p10 {q[0]:.1f} ms, p90 {q[-1]:.1f} ms); findings: "
              + ", ".join(f"{k} {counts.get(k, 0)}" for k in ("error", "warning", "info")))
        print(describe("audit seed with every passing check rendered",
                       timings(lambda: xf.audit(seed, include_passed=True), 20), "ms"))
        print(describe("audit_lead seed (audit + coverage ledger)", timings(lambda: xf.audit_lead(seed), 10), "ms"))
    for r in (seed, putuo):
        print(f"{r.report_id}: {xf.audit_lead(r)}")
        print(xf.audit_coverage(r).to_string(index=False))
    print("(parsed-facts harness, +1.00) " + mutation_test(seed).summary().splitlines()[0])
    for r in (seed, putuo):
        muts = mutations(r)
        res = source_mutation_test(r, sample(muts, args.per_op) if args.per_op else muts)
        print(res.summary())
        if args.csv:
            args.csv.mkdir(parents=True, exist_ok=True)
            res.cells.to_csv(args.csv / f"source_mutations_{r.report_id}.csv", index=False)


if __name__ == "__main__":
    main()
