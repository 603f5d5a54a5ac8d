"""Median time to export every catalogued report to all formats (xlsx, csv, parquet, data package,
DuckDB), on top of parsing — the parsed reports are cached, as in one ``xinzhou-fiscal export``
run — against the parse itself measured in the same run. Target: export < 2 s.

Wall-clock medians are printed, and the export's mean CPU time, which a busy shared machine
inflates less. Run: ``.venv/bin/python benchmarks/bench_export.py`` (or ``make benchmark``).
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from timing import describe, timings

import xinzhou_fiscal as xf
from xinzhou_fiscal.store.export import FORMATS, export
from xinzhou_fiscal.store.export.collection import collect
from xinzhou_fiscal.store.export.database import write_duckdb
from xinzhou_fiscal.store.export.datapackage import write_datapackage
from xinzhou_fiscal.store.export.flat import write_flat
from xinzhou_fiscal.store.export.xlsx import write_workbooks

REPEATS = 5


def parse_all():
    for rid in xf.report_ids():
        xf.load(rid)


if __name__ == "__main__":
    parse = timings(parse_all, 3, warmup=False)
    print(describe(f"parse every catalogued report ({len(xf.report_ids())})", parse))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        collect()                                           # parse once (cached), as export does
        cpu0 = time.process_time()
        total = timings(lambda: export(None, FORMATS, out), REPEATS)
        cpu = (time.process_time() - cpu0) / (REPEATS + 1)          # the warm-up call included
        print(describe("export every report to all formats (parsing cached: audit + shaping + writing)", total))
        print(f"  CPU time per export (mean, less sensitive to other processes on the machine): {cpu:.3f} s")
        coll = collect()
        for label, fn in [("  collect (audit + shaping)", collect),
                          ("  xlsx", lambda: write_workbooks(coll, out)),
                          ("  csv + parquet", lambda: (write_flat(coll, out, "csv"), write_flat(coll, out, "parquet"))),
                          ("  datapackage", lambda: write_datapackage(coll, out)),
                          ("  duckdb", lambda: write_duckdb(coll, out))]:
            print(describe(label, timings(fn, REPEATS)))
        ratio = sorted(total)[len(total) // 2] / sorted(parse)[len(parse) // 2]
        print(f"export / parse (medians): {ratio:.2f}")
