"""Reading the seed in each format against reading its text, side by side in one run (medians, runs
interleaved so that every format shares the machine's load): file → SourceDocument, and file →
Report (``read_report``). The Word, Excel and HTML files are written from the seed here, as the tests
write them (tests/seed_formats.py); .doc goes through LibreOffice and is timed once, apart.

Run: ``.venv/bin/python benchmarks/bench_formats.py [REPEATS]``. The machine is shared: read the
spread too.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from seed_formats import write_docx, write_html, write_xlsx  # noqa: E402
from timing import timings  # noqa: E402

from xinzhou_fiscal import paths  # noqa: E402
from xinzhou_fiscal.read.formats import read_document  # noqa: E402
from xinzhou_fiscal.read.office import soffice  # noqa: E402
from xinzhou_fiscal.report.parse import read_report  # noqa: E402

SEED = paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt"
REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 3


def main() -> None:
    text = SEED.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = {"text": SEED, "docx": write_docx(text, tmp / "seed.docx"),
                 "xlsx": write_xlsx(text, tmp / "seed.xlsx", sheet_per_table=True),
                 "html": write_html(text, tmp / "seed.html")}
        for stage, fn in (("SourceDocument", read_document), ("Report", read_report)):
            times = {k: [] for k in files}
            for _ in range(REPEATS):                       # interleaved rounds
                for k, f in files.items():
                    times[k] += timings(lambda f=f: fn(f), 1, warmup=False)
            base = statistics.median(times["text"])
            for k, t in times.items():
                med = statistics.median(t)
                print(f"{stage:15s} {k:5s} median {med * 1000:7.1f} ms  ({med / base:4.2f}× text; "
                      f"min {min(t) * 1000:.1f}, max {max(t) * 1000:.1f})")
        if soffice():
            import subprocess
            subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                            "doc", "--outdir", str(tmp), str(files["docx"])], check=True, capture_output=True)
            t0 = time.perf_counter()
            read_document(tmp / "seed.doc")
            print(f"SourceDocument  doc   once   {(time.perf_counter() - t0) * 1000:7.1f} ms  (LibreOffice conversion included)")


if __name__ == "__main__":
    main()
