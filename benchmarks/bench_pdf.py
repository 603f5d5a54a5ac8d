"""Median time to read the sample PDF report (上海市普陀区财政局 2024, 25 pages).

Run: ``.venv/bin/python benchmarks/bench_pdf.py`` (or ``make benchmark``). Prints the median over
repeated runs, in total seconds and seconds per page, of:

- PDF → SourceDocument (``read_pdf_document``: text layer, ruled tables, lines in reading order);
- PDF → facts (``read_report``: the above plus the table parsers).

The machine is shared (2 cores): run it when nothing else is busy, and read the spread too.
"""
from __future__ import annotations

import statistics
import sys

from timing import max_rss_mib, peak_memory_mib, timings

from xinzhou_fiscal import paths
from xinzhou_fiscal.pdf_source import read_pdf_document

PDF = paths.RAW_DIR / "putuo_czj_2024_final.pdf"
REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 7




def report(label: str, times: list[float], pages: int) -> None:
    med = statistics.median(times)
    print(f"{label}: median {med:.3f} s over {len(times)} runs ({med / pages * 1000:.1f} ms per page, "
          f"{pages} pages; min {min(times):.3f} s, max {max(times):.3f} s)")


if __name__ == "__main__":
    pages = read_pdf_document(PDF).page_count
    report("PDF → SourceDocument", timings(lambda: read_pdf_document(PDF), REPEATS), pages)
    from xinzhou_fiscal.parse import read_report
    report("PDF → facts (read_report)", timings(lambda: read_report(PDF), REPEATS), pages)
    print(f"peak Python heap while reading the PDF into facts: {peak_memory_mib(lambda: read_report(PDF)):.1f} MiB; "
          f"process peak RSS: {max_rss_mib():.0f} MiB")
