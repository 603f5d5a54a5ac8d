"""The PDF path against its baselines, measured side by side in one run (medians, runs interleaved so
that all sides share the machine's load), on every PDF in the repository (data/raw, data/templates)
and in ../shared/samples/ (files with the same bytes measured once).

Run: ``.venv/bin/python benchmarks/bench_pdf.py [REPEATS [NAME …]]`` (default 3 rounds, every file;
or ``make benchmark``). Prints:

(a) whole processes, per file: PDF → audited Report (imports included) against a bare pdfplumber
    pass over the same PDF (``extract_tables()`` and ``extract_text()`` on every page), three ways:
    with the PDFium reader (the default) and the findings as records (``xf.read_report`` +
    ``checks.findings_records``: the pandas-free hot path) — target ≤ 0.5×; with the PDFium reader
    and ``xf.audit`` returning the findings DataFrame (pandas imported for it); and with the
    pdfplumber reader and ``xf.audit``. Each process's peak RSS — target ≤ the bare pass's; the
    time the audited process spends importing, and which heavy packages it imports (pdfplumber
    and pdfminer must not be among them on the PDFium path, nor pandas and pyarrow on the hot path);
(b) in process, per file: the page layer alone (every page's characters and rulings: PDFium
    ``PdfiumPage`` against pdfplumber's ``page.chars`` + ``page.edges``) — target ≤ 0.1×; and the
    grid finding on the PDFium edges, the project's ``rulings.find_tables`` against pdfplumber's
    ``TableFinder`` functions on the same edges (the same cells asserted);
(c) ``read_report`` of the Putuo sample encrypted with an owner password only (made here with pikepdf,
    AES-256) against the unencrypted file, in process — target ≤ 2×.

The package's bytecode is written first (``compileall``), as an install writes it; so are its compiled
regular expressions and parsed template files (``xinzhou_fiscal.pycache``), by a first audited process per
file (its time printed apart).
The machine is shared (2 cores): run it when nothing else is busy, and read the spread too.
"""
from __future__ import annotations

import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import describe

PROJECT = Path(__file__).resolve().parents[1]
REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
ONLY = sys.argv[2:]                     # optional: measure only the files whose name contains one of these
HOT = "audited Report, PDFium, findings records"
FRAME = "audited Report, PDFium, xf.audit() DataFrame"
HEAVY = ("pdfplumber", "pdfminer", "pikepdf", "pypdfium2", "pypdfium2_raw", "pandas", "pyarrow", "numpy", "matplotlib")

#: the child's peak RSS in MiB: VmHWM of its own memory (ru_maxrss would carry over the bench
#: process's peak, inherited through fork and kept across exec on Linux)
_PEAK = r"""
def peak_rss():
    try:
        with open("/proc/self/status") as fh:
            return next(int(l.split()[1]) for l in fh if l.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

_BARE = r"""
import json, resource, sys, time
""" + _PEAK + r"""
t0 = time.perf_counter()
import pdfplumber
t1 = time.perf_counter()
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_tables()
        page.extract_text()
        page.close()
print(json.dumps({"imports": t1 - t0, "rss": peak_rss(),
                  "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""

_AUDIT = r"""
import json, os, resource, sys, time
""" + _PEAK + r"""
t0 = time.perf_counter()
import xinzhou_fiscal as xf
from xinzhou_fiscal.report import parse
from xinzhou_fiscal import checks
if os.environ.get("XF_PDF_READER") == "pdfplumber":
    import pdfplumber
else:
    from xinzhou_fiscal.read.pdf import pdfium
t1 = time.perf_counter()
try:
    report = xf.read_report(sys.argv[1])
    if os.environ.get("XF_AUDIT_ENTRY") == "records":
        checks.findings_records(report)      # the findings as records: no pandas
    else:
        xf.audit(report)                     # the findings DataFrame
    outcome = "report"
except Exception as exc:
    outcome = type(exc).__name__
print(json.dumps({"imports": t1 - t0, "rss": peak_rss(),
                  "outcome": outcome, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def pdfs() -> list[Path]:
    """Every PDF in the repository and in ../shared/samples, one per distinct content."""
    found = sorted((PROJECT / "data").glob("*/*.pdf")) + sorted((PROJECT.parent / "shared" / "samples").glob("*.pdf"))
    seen: dict[str, Path] = {}
    for p in found:
        seen.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), p)
    return list(seen.values())


def run_child(code: str, path: Path, env_reader: str | None = None, entry: str | None = None) -> tuple[float, dict]:
    """Wall seconds of a whole child process (start-up and imports included) and what it reports."""
    import os
    env = dict(os.environ, PYTHONPATH=str(PROJECT), PYTHONWARNINGS="ignore")
    if env_reader:
        env["XF_PDF_READER"] = env_reader
    if entry:
        env["XF_AUDIT_ENTRY"] = entry
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True,
                         check=True, cwd=PROJECT)
    return time.perf_counter() - t0, json.loads(out.stdout.strip().splitlines()[-1])


def first_process(path: Path) -> None:
    """The first audited process after an install or a change of the package: nothing stored yet
    (``xinzhou_fiscal.pycache``), so it compiles every pattern it uses and parses the template files,
    and writes them for the next processes, which the timed rounds below are."""
    import os
    cache = PROJECT / "xinzhou_fiscal" / "__pycache__"
    for stored in cache.glob("*.marshal"):
        stored.unlink()
    os.environ["XF_PYCACHE"] = str(cache)      # written even under PYTHONDONTWRITEBYTECODE
    try:
        t, _ = run_child(_AUDIT, path, "pdfium", "records")
    finally:
        del os.environ["XF_PYCACHE"]
    print(f"  first process, no stored patterns or templates yet (not in the rounds below): {HOT}: {t:.3f} s")


def whole_processes(path: Path, repeats: int) -> dict[str, list[tuple[float, dict]]]:
    first_process(path)
    sides = {"bare pdfplumber": (_BARE, None, None),
             HOT: (_AUDIT, "pdfium", "records"),
             FRAME: (_AUDIT, "pdfium", "frame"),
             "audited Report, pdfplumber reader, xf.audit() DataFrame": (_AUDIT, "pdfplumber", "frame")}
    runs: dict[str, list[tuple[float, dict]]] = {k: [] for k in sides}
    for _ in range(repeats):
        for label, (code, reader, entry) in sides.items():
            runs[label].append(run_child(code, path, reader, entry))
    return runs


def report_whole(path: Path, runs: dict[str, list[tuple[float, dict]]]) -> dict[str, float]:
    med = {k: statistics.median(t for t, _ in v) for k, v in runs.items()}
    rss = {k: max(info["rss"] for _, info in v) for k, v in runs.items()}
    for label, v in runs.items():
        info = v[-1][1]
        heavy = [m for m in HEAVY if m in info["modules"]]
        print("  " + describe(label, [t for t, _ in v]) +
              f"; peak RSS {rss[label]:.0f} MiB; imports {statistics.median(i['imports'] for _, i in v):.2f} s"
              + (f"; outcome {info['outcome']}" if "outcome" in info else "") + f"; imports {', '.join(heavy)}")
    base, base_rss = med["bare pdfplumber"], rss["bare pdfplumber"]
    r, m = med[HOT] / base, rss[HOT] / base_rss
    r_df, m_df = med[FRAME] / base, rss[FRAME] / base_rss
    r_old = med["audited Report, pdfplumber reader, xf.audit() DataFrame"] / base
    print(f"  ratio PDFium audited, findings records / bare: {r:.2f}× ({'within' if r <= 0.5 else 'ABOVE'} the "
          f"0.5× target), peak RSS {m:.2f}× ({'within' if m <= 1 else 'ABOVE'} the 1× target)")
    print(f"  ratio PDFium audited, xf.audit() DataFrame / bare: {r_df:.2f}×, peak RSS {m_df:.2f}×; "
          f"pdfplumber reader, xf.audit() / bare: {r_old:.2f}×")
    hot_mods = runs[HOT][-1][1]["modules"]
    if "pdfplumber" in hot_mods or "pdfminer" in hot_mods:
        print("  NOTE: the PDFium process imported pdfplumber/pdfminer (a fallback?)")
    if "pandas" in hot_mods or "pyarrow" in hot_mods:
        print("  NOTE: the hot path imported pandas/pyarrow")
    return {"time": r, "rss": m, "time_frame": r_df, "rss_frame": m_df}


def page_layers(path: Path, repeats: int) -> None:
    """(b): the page layer alone and the grid finding, in process."""
    import pdfplumber
    from pdfplumber import table as ptable
    from pdfplumber.utils import filter_edges

    from xinzhou_fiscal.read.pdf.pdfium import open_document, read_pages
    from xinzhou_fiscal.read.pdf.rulings import find_tables

    def pdfium_layer():
        doc = open_document(path)
        try:
            return list(read_pages(doc))        # each page loaded, read (PdfiumPage) and closed
        finally:
            doc.close()

    def pdfplumber_layer():
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.chars, page.edges
                page.close()

    t_plumber, t_pdfium = [], []
    pdfium_layer(), pdfplumber_layer()
    for _ in range(repeats):
        t0 = time.perf_counter(); pdfplumber_layer(); t_plumber.append(time.perf_counter() - t0)
        t0 = time.perf_counter(); pages = pdfium_layer(); t_pdfium.append(time.perf_counter() - t0)
    r = statistics.median(t_pdfium) / statistics.median(t_plumber)
    print("  " + describe("page layer, pdfplumber (chars + edges)", t_plumber, "ms"))
    print("  " + describe("page layer, PDFium (chars + edges)", t_pdfium, "ms"))
    print(f"  ratio PDFium / pdfplumber page layer: {r:.3f}× ({'within' if r <= 0.1 else 'ABOVE'} the 0.1× target)")

    def as_dicts(page):
        return ([{"x0": e[0], "top": e[1], "x1": e[2], "bottom": e[3], "width": e[2] - e[0], "height": 0,
                  "orientation": "h", "doctop": e[1]} for e in page.edges.h] +
                [{"x0": e[0], "top": e[1], "x1": e[2], "bottom": e[3], "width": 0, "height": e[3] - e[1],
                  "orientation": "v", "doctop": e[1]} for e in page.edges.v])

    def plumber_cells(edges):
        edges = ptable.merge_edges(filter_edges(edges, min_length=1), 3, 3, 3, 3)
        edges = filter_edges(edges, min_length=3)
        cells = ptable.intersections_to_cells(ptable.edges_to_intersections(edges, 3, 3))
        return [sorted(t) for t in ptable.cells_to_tables(cells)]

    dict_edges = [as_dicts(p) for p in pages]
    own = [[sorted(t.cells) for t in find_tables(p.edges)] for p in pages]
    theirs = [plumber_cells(e) for e in dict_edges]
    assert own == theirs, f"{path.name}: the grids differ"
    t_own = [0.0] * repeats
    t_theirs = [0.0] * repeats
    for k in range(repeats):
        t0 = time.perf_counter(); [find_tables(p.edges) for p in pages]; t_own[k] = time.perf_counter() - t0
        t0 = time.perf_counter(); [plumber_cells(e) for e in dict_edges]; t_theirs[k] = time.perf_counter() - t0
    n_tables = sum(len(t) for t in own)
    print(f"  grids ({n_tables} tables, the same cells): " + describe("rulings.find_tables", t_own, "ms")
          + "; " + describe("pdfplumber.table functions", t_theirs, "ms"))


def owner_password(repeats: int) -> None:
    import pikepdf

    from xinzhou_fiscal.report.parse import read_report
    putuo = PROJECT / "data" / "raw" / "putuo_czj_2024_final.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        locked = Path(tmp) / "owner_only.pdf"
        with pikepdf.open(putuo) as pdf:
            pdf.save(locked, encryption=pikepdf.Encryption(owner="owner-secret", user="", R=6))
        read_report(putuo), read_report(locked)
        plain, enc = [], []
        for _ in range(repeats):
            t0 = time.perf_counter(); read_report(putuo); plain.append(time.perf_counter() - t0)
            t0 = time.perf_counter(); read_report(locked); enc.append(time.perf_counter() - t0)
    r = statistics.median(enc) / statistics.median(plain)
    print("  " + describe("unencrypted", plain) + "\n  " + describe("owner password", enc))
    print(f"  ratio owner password / unencrypted: {r:.2f}× ({'within' if r <= 2 else 'ABOVE'} the 2× target)")


def compile_package() -> None:
    """Write the package's bytecode, as an install does (pdfplumber's in site-packages is compiled):
    with PYTHONDONTWRITEBYTECODE set, every child would otherwise compile the whole package from
    source, about 70 ms of its imports."""
    import compileall
    compileall.compile_dir(PROJECT / "xinzhou_fiscal", quiet=1)


def main() -> None:
    import warnings
    warnings.simplefilter("ignore")
    compile_package()
    files = [p for p in pdfs() if not ONLY or any(w in p.name for w in ONLY)]
    print(f"{len(files)} distinct PDFs, {REPEATS} interleaved rounds each")
    ratios = []
    for path in files:
        print(f"(a) {path.relative_to(PROJECT.parent)}: whole processes")
        ratios.append(report_whole(path, whole_processes(path, REPEATS)))
        print(f"(b) {path.name}: in process")
        page_layers(path, REPEATS)
    for key, label in (("", "findings records"), ("_frame", "xf.audit() DataFrame")):
        t, m = [r["time" + key] for r in ratios], [r["rss" + key] for r in ratios]
        print(f"over all files, PDFium audited ({label}) / bare: median {statistics.median(t):.2f}× "
              f"(max {max(t):.2f}×); peak RSS ratio max {max(m):.2f}×")
    print("(c) owner-password PDF against the unencrypted one (read_report, PDFium)")
    owner_password(REPEATS)


if __name__ == "__main__":
    main()
