"""Median time to parse the seed report (tables 01–10 into facts), after import.

Run: ``.venv/bin/python benchmarks/bench_parse.py`` (or ``make benchmark``). Prints medians of
repeated runs for: tables only (read_report), and tables + narrative + performance datasets.
"""
from __future__ import annotations

from timing import describe, max_rss_mib, peak_memory_mib, timings

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths

SEED = paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt"
REPEATS = 50




def full():
    r = xf.read_report(SEED)
    r.claims, r.projects, r.indicators, r.glossary, r.overview  # noqa: B018 — force the lazy datasets


if __name__ == "__main__":
    print(describe("parse seed, tables 01–10 → facts", timings(lambda: xf.read_report(SEED), REPEATS), "ms"))
    print(describe("parse seed, tables + narrative + self-evaluations", timings(full, REPEATS), "ms"))
    print(f"peak Python heap while parsing the seed (tables + text datasets): {peak_memory_mib(full):.1f} MiB; "
          f"process peak RSS: {max_rss_mib():.0f} MiB")
