"""The PDF path against its baselines, measured side by side in one run (medians, runs interleaved so
that both sides share the machine's load). The sample is the Putuo PDF (上海市普陀区财政局 2024, 25 pages).

Run: ``.venv/bin/python benchmarks/bench_pdf.py [REPEATS]`` (or ``make benchmark``). Prints:

(a) PDF → audited Report (``read_report`` + ``xf.audit``) against a bare pdfplumber pass over the
    same PDF (``extract_tables()`` and ``extract_text()`` on every page) — target ≤ 1.3×;
(b) ``read_report`` of a copy encrypted with an owner password only (made here with pikepdf,
    AES-256) against the unencrypted file — target ≤ 2×;
plus PDF → SourceDocument alone and the peak memory of reading the PDF into facts.

The machine is shared (2 cores): run it when nothing else is busy, and read the spread too.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber
import pikepdf
from timing import max_rss_mib, peak_memory_mib

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths
from xinzhou_fiscal.read.pdf import read_pdf_document
from xinzhou_fiscal.report.parse import read_report

PDF = paths.RAW_DIR / "putuo_czj_2024_final.pdf"
REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 5


def bare_pdfplumber(path: Path) -> None:
    """What any PDF table reader has to do at least: every page's tables and text."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.extract_text()
            page.close()


def audited_report(path: Path) -> None:
    xf.audit(read_report(path))


def side_by_side(fns: dict[str, callable], repeats: int) -> dict[str, list[float]]:
    """Seconds of each function per round, the functions run in turn in every round (one warm-up)."""
    for fn in fns.values():
        fn()
    out: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeats):
        for label, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            out[label].append(time.perf_counter() - t0)
    return out


def line(label: str, times: list[float]) -> str:
    return (f"  {label}: median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}) "
            f"over {len(times)} runs")


def ratio(times: dict[str, list[float]], subject: str, baseline: str, target: float) -> None:
    r = statistics.median(times[subject]) / statistics.median(times[baseline])
    verdict = "within" if r <= target else "ABOVE"
    print(f"  ratio {subject} / {baseline}: {r:.2f}× ({verdict} the {target}× target)")


def main() -> None:
    pages = read_pdf_document(PDF).page_count
    print(f"{PDF.name}: {pages} pages, {REPEATS} interleaved rounds")
    print("(a) PDF → audited Report against a bare pdfplumber pass")
    a = side_by_side({"bare pdfplumber": lambda: bare_pdfplumber(PDF),
                      "read_report + audit": lambda: audited_report(PDF),
                      "read_pdf_document": lambda: read_pdf_document(PDF)}, REPEATS)
    for label, times in a.items():
        print(line(label, times))
    ratio(a, "read_report + audit", "bare pdfplumber", 1.3)

    print("(b) owner-password PDF against the unencrypted one (read_report)")
    with tempfile.TemporaryDirectory() as tmp:
        locked = Path(tmp) / "owner_only.pdf"
        with pikepdf.open(PDF) as pdf:
            pdf.save(locked, encryption=pikepdf.Encryption(owner="owner-secret", user="", R=6))
        b = side_by_side({"unencrypted": lambda: read_report(PDF),
                          "owner password": lambda: read_report(locked)}, REPEATS)
    for label, times in b.items():
        print(line(label, times))
    ratio(b, "owner password", "unencrypted", 2.0)
    print(f"peak Python heap while reading the PDF into facts: {peak_memory_mib(lambda: read_report(PDF)):.1f} MiB; "
          f"process peak RSS: {max_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
