"""Median time to parse the seed report (tables 01–10 into facts), after import.

Run: ``.venv/bin/python benchmarks/bench_parse.py`` (or ``make benchmark``). Prints medians of
repeated runs for: tables only (read_report), and tables + narrative + performance datasets.
"""
from __future__ import annotations

import statistics
import time

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths

SEED = paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt"
REPEATS = 50


def median_ms(fn, repeats=REPEATS) -> float:
    fn()  # warm-up (imports, caches)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def full():
    r = xf.read_report(SEED)
    r.claims, r.projects, r.indicators, r.glossary, r.overview  # noqa: B018 — force the lazy datasets


if __name__ == "__main__":
    print(f"parse seed, tables 01–10 → facts: median {median_ms(lambda: xf.read_report(SEED)):.1f} ms "
          f"over {REPEATS} runs")
    try:
        print(f"parse seed, tables + narrative + self-evaluations: median {median_ms(full):.1f} ms over {REPEATS} runs")
    except ImportError as e:  # narrative/performance modules not installed yet
        print(f"(narrative/performance not available: {e})")
