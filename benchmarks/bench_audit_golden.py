"""The golden evaluation: precision and recall of the audit's errors against hand-made labels.

Run: ``.venv/bin/python benchmarks/bench_audit_golden.py [--findings]``. Reads every report labelled in
tests/golden/ (the seed, the Putuo PDF and the samples in ../shared/samples/), audits it, and prints
per report and per rule family: errors raised, how many are true (match an ``error`` label), false
(match a ``false_error``, ``holds`` or ``rounding`` label) or unlabelled; precision; the labelled real
errors and how many an error finds (recall); the labelled roundings and how many are called errors.
Reports the reader refuses are listed as ``unread`` with the reason (their labels wait), files that are
absent as ``absent``. ``--findings`` also lists every error with its verdict. The matching is
:mod:`xinzhou_fiscal.checks.golden` (shared with tests/test_golden.py).
"""
from __future__ import annotations

import argparse
import time

import pandas as pd

from xinzhou_fiscal import paths
from xinzhou_fiscal.checks import golden

GOLDEN_DIR = paths.PROJECT_ROOT / "tests" / "golden"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--findings", action="store_true", help="list every error and its verdict")
    args = ap.parse_args()
    t0 = time.perf_counter()
    scores, judged = golden.evaluate(golden.load_golden(GOLDEN_DIR), paths.PROJECT_ROOT)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_colwidth", 60)
    read = scores[scores["status"] == "read"]
    print("Per report and rule family (family * = all):")
    print(read.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    other = scores[scores["status"] != "read"]
    if len(other):
        print("\nNot evaluated (labels wait):")
        for r in other.itertuples():
            print(f"  {r.report}: {r.status} — {r.family}  ({r.labelled:.0f} error labels, {r.roundings:.0f} roundings)")
    fam = read[read["family"] != "*"].groupby("family")[["errors", "true", "labelled", "found"]].sum()
    fam["precision"] = fam["true"] / fam["errors"]
    fam["recall"] = fam["found"] / fam["labelled"]
    print("\nPer rule family, all read reports:")
    print(fam.to_string(float_format=lambda x: f"{x:.3f}"))
    if args.findings:
        print("\nErrors and their verdicts:")
        print(judged[judged["severity"] == "error"].to_string(index=False))
    print(f"\n({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
