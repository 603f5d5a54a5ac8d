"""Junk after a report: parsing the seed followed by 50 MB of binary or of text junk, against the
seed alone, in the same run. Time and peak memory must stay bounded by the report (ratios near 1).

Run: ``.venv/bin/python benchmarks/bench_junk.py``.
"""
from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

from timing import describe, peak_memory_mib, timings

from xinzhou_fiscal import paths
from xinzhou_fiscal.report.parse import read_report

SEED = paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt"
JUNK_BYTES = 50 << 20
REPEATS = 5


def _files(folder: Path) -> dict[str, Path]:
    report = SEED.read_bytes()
    words = "the quick brown fox jumps over the lazy dog lorem ipsum dolor sit amet".split()
    line = (" ".join(random.Random(1).choice(words) for _ in range(14)) + "\n").encode()
    out = {"seed alone": SEED, "+50 MB binary": folder / "binary.txt", "+50 MB text": folder / "text.txt"}
    out["+50 MB binary"].write_bytes(report + os.urandom(JUNK_BYTES))
    out["+50 MB text"].write_bytes(report + b"\n" + line * (JUNK_BYTES // len(line)))
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = _files(Path(tmp))
        base_t = base_m = None
        for label, f in files.items():
            def parse(f=f):
                return len(read_report(f, report_id="bench").facts)
            times = sorted(timings(parse, REPEATS))
            mem = peak_memory_mib(parse)
            base_t, base_m = base_t or times[len(times) // 2], base_m or mem
            print(describe(label, times, "ms"), f"· peak {mem:.1f} MiB · ×{times[len(times) // 2] / base_t:.2f} "
                  f"time, ×{mem / base_m:.2f} memory vs the seed alone")


if __name__ == "__main__":
    main()
