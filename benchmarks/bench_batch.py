"""The batch at scale: N department notebooks (+ the comparative one) with --jobs 1, --jobs 2
and a Dask LocalCluster.

Run: ``.venv/bin/python benchmarks/bench_batch.py [--sizes 2 8 32] [--backends jobs1 jobs2 dask]``.

For each N, a temporary data folder gets a ``catalog.json`` and ``raw/`` holding N copies of the
bundled reports (cycling through them), each under its own id (``<id>-c01`` …) and made
byte-distinct (the catalogue holds one id per sha256); the batch runs
in a child process with ``XINZHOU_FISCAL_DATA`` pointing there (so ``paths.DATA_DIR`` is that
folder), writing .ipynb + .html into a temporary reports folder. Reported per run:

- department notebooks per minute (the department notebooks run — the N copies and the bundled
  reports, whose catalogue the data folder extends — ÷ wall time of the department phase), and its
  inverse, seconds per report: what every report costs in the batch, parsed, audited, rendered
  and published from an empty cache, at that parallelism;
- peak memory: the largest sum of resident memory (RSS) over the child and all its descendants
  (workers and kernels), sampled every 0.1 s;
- the comparative notebook's own time (how it grows with N);
- 2 jobs against 1 job: the throughput ratio (target at N = 32: ≥ 1.8×; comparative < 30 s).

Each (N, backend) runs once, with an empty parsed-report cache of its own: at N = 32 one run
already takes minutes. Nothing is written to the project's data/ or reports/.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
BACKENDS = ("jobs1", "jobs2", "dask")

_CHILD = r"""
import json, sys, time
from xinzhou_fiscal import batch
backend, out = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
if backend == "dask":
    from distributed import LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=50) as cluster:
        s = batch.run_batch(None, out_dir=out, scheduler=cluster.scheduler_address, progress=False)
else:
    s = batch.run_batch(None, jobs=int(backend[-1]), out_dir=out, progress=False)
wall = time.perf_counter() - t0
comp = [r.seconds for r in s.results if r.notebook.startswith("20-")]
print(json.dumps({"ok": s.ok, "wall": wall, "comparative": comp[0] if comp else None,
                  "failed": [r.error for r in s.failed], "notebooks": len(s.results)}))
"""


def make_data_folder(root: Path, n: int) -> list[str]:
    """``root/catalog.json`` + ``root/raw/``: ``n`` copies of the bundled reports, each its own id."""
    catalog = json.loads((PROJECT / "data" / "catalog.json").read_text(encoding="utf-8"))
    (root / "raw").mkdir(parents=True)
    entries = []
    for i in range(n):
        base = catalog[i % len(catalog)]
        rid = f"{base['report_id']}-c{i + 1:02d}"
        src = PROJECT / "data" / base["file"]
        name = f"{Path(base['file']).stem}-c{i + 1:02d}{src.suffix}"
        data = src.read_bytes()
        # the catalogue holds one id per file (sha256): each copy is made byte-distinct without
        # changing what it says (a PDF comment after %%EOF; blank lines after a text report)
        data += f"\n%xf-bench-copy-{i + 1:02d}\n".encode() if src.suffix == ".pdf" else b"\n" * (i + 1)
        (root / "raw" / name).write_bytes(data)
        entries.append({**base, "report_id": rid, "file": f"raw/{name}",
                        "sha256": hashlib.sha256(data).hexdigest()})
    (root / "catalog.json").write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    return [e["report_id"] for e in entries]


def _family_rss_mib(root_pid: int, family: set[int]) -> float:
    """Add new descendants of ``family`` to it; the summed RSS (MiB) of those still alive."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if pid not in family and int(fields.get("PPid", "0").strip() or 0) in family:
            family.add(pid)
        if pid in family and "VmRSS" in fields:
            total += int(fields["VmRSS"].split()[0])
    return total / 1024


def run_once(data: Path, backend: str) -> dict:
    """One batch in a child process; its result plus peak memory of the process tree. Each run
    starts with an empty parsed-report cache of its own (every department job parses its report,
    the comparative notebook reads them all from the cache), so the backends do the same work."""
    with tempfile.TemporaryDirectory(prefix="bench-batch-cache-") as cache:
        env = dict(os.environ, XINZHOU_FISCAL_DATA=str(data), PYTHONPATH=str(PROJECT), XINZHOU_FISCAL_CACHE=cache)
        return _run_child(env, backend)


def _run_child(env: dict, backend: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-batch-out-") as out, \
            tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        proc = subprocess.Popen([sys.executable, "-c", _CHILD, backend, out], env=env, stdout=subprocess.PIPE,
                                stderr=err, text=True)
        family, peak = {proc.pid}, 0.0
        while proc.poll() is None:
            peak = max(peak, _family_rss_mib(proc.pid, family))
            time.sleep(0.1)
        lines = [ln for ln in proc.stdout.read().splitlines() if ln.startswith("{")]
        err.seek(0)
        tail = err.read()[-2000:]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"batch ({backend}) failed with status {proc.returncode}:\n{tail}")
    result = json.loads(lines[-1])
    result["peak_mib"] = peak
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2, 8, 32])
    ap.add_argument("--backends", nargs="+", default=list(BACKENDS), choices=BACKENDS)
    args = ap.parse_args()
    print(f"{'N':>3} {'backend':>7} {'dept nb':>7} {'wall s':>8} {'dept/min':>9} {'s/report':>8} {'comp s':>7} "
          f"{'peak MiB':>9}")
    summary = {}
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="bench-batch-data-") as tmp:
            make_data_folder(Path(tmp), n)
            for backend in args.backends:
                r = run_once(Path(tmp), backend)
                if not r["ok"]:
                    raise SystemExit(f"N={n} {backend}: {r['failed'][:3]}")
                dept_phase = r["wall"] - (r["comparative"] or 0.0)
                n_dept = r["notebooks"] - (r["comparative"] is not None)   # the bundled reports run too
                per_min = n_dept / dept_phase * 60 if dept_phase > 0 else float("nan")
                summary[(n, backend)] = per_min
                print(f"{n:>3} {backend:>7} {n_dept:>7} {r['wall']:>8.1f} {per_min:>9.2f} {60 / per_min:>8.2f} "
                      f"{r['comparative'] or 0:>7.1f} {r['peak_mib']:>9.0f}", flush=True)
        if (n, "jobs1") in summary and (n, "jobs2") in summary:
            print(f"    N={n}: 2 jobs / 1 job throughput = {summary[(n, 'jobs2')] / summary[(n, 'jobs1')]:.2f}×"
                  + (" (target ≥ 1.8× at N = 32)" if n == 32 else ""), flush=True)


if __name__ == "__main__":
    main()
