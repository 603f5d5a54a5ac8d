"""Median time to parse the seed report (tables 01–10 into facts), after import.

Run: ``.venv/bin/python benchmarks/bench_parse.py`` (or ``make benchmark``). Prints medians of
repeated runs for: tables only (read_report), tables + narrative + performance datasets, and the
text parts alone on a document read once (parts, claims and ledger, previous year, self-evaluations,
overview, glossary) — that last figure must stay under 50 ms.
"""
from __future__ import annotations

import time

from timing import describe, max_rss_mib, peak_memory_mib, timings

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths
from xinzhou_fiscal.read.source import read_text_document
from xinzhou_fiscal.report.previous_year import derive_previous_year
from xinzhou_fiscal.text.narrative import scan_narrative
from xinzhou_fiscal.text.overview import parse_glossary, parse_overview
from xinzhou_fiscal.text.self_evaluations import parse_performance_tables

SEED = paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt"
REPEATS = 50


DOC = read_text_document(SEED)


def text_parts():
    """The text datasets of the seed from a document read once (the parts cache cleared each run)."""
    DOC.__dict__.pop("_parts_found", None)
    scan = scan_narrative(DOC)
    derive_previous_year(scan.claims, 2023)
    parse_performance_tables(DOC)
    parse_overview(DOC)
    parse_glossary(DOC)


def full():
    r = xf.read_report(SEED)
    r.claims, r.projects, r.indicators, r.glossary, r.overview  # noqa: B018 — force the lazy datasets


if __name__ == "__main__":
    print(describe("parse seed, tables 01–10 → facts", timings(lambda: xf.read_report(SEED), REPEATS), "ms"))
    print(describe("parse seed, tables + narrative + self-evaluations", timings(full, REPEATS), "ms"))
    print(describe("seed text parts only (parts, claims + ledger, previous year, self-evaluations, overview, "
                   "glossary)", timings(text_parts, REPEATS), "ms"))
    print(describe("the same, CPU time of this process (less sensitive to a shared machine)",
                   timings(text_parts, REPEATS, clock=time.process_time), "ms"))
    print(f"peak Python heap while parsing the seed (tables + text datasets): {peak_memory_mib(full):.1f} MiB; "
          f"process peak RSS: {max_rss_mib():.0f} MiB")
