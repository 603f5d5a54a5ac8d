"""The one timing loop every benchmark script uses: wall time of repeated calls, medians reported."""
from __future__ import annotations

import statistics
import time


def timings(fn, repeats: int, warmup: bool = True, clock=time.perf_counter) -> list[float]:
    """Seconds taken by each of ``repeats`` calls of ``fn`` (after one warm-up call by default:
    imports, lazy datasets, font and kernel caches), by wall time, or by ``clock`` (e.g.
    ``time.process_time``: this process's CPU time, less sensitive to a shared machine)."""
    if warmup:
        fn()
    out = []
    for _ in range(repeats):
        t0 = clock()
        fn()
        out.append(clock() - t0)
    return out


def describe(label: str, times: list[float], unit: str = "s") -> str:
    """``label: median … (min …, max …) over n runs`` in seconds or milliseconds."""
    scale = 1000.0 if unit == "ms" else 1.0
    med, lo, hi = statistics.median(times) * scale, min(times) * scale, max(times) * scale
    digits = 1 if unit == "ms" else 3
    return f"{label}: median {med:.{digits}f} {unit} (min {lo:.{digits}f}, max {hi:.{digits}f}) over {len(times)} runs"


def peak_memory_mib(fn) -> float:
    """Peak Python heap allocated while ``fn`` runs once (tracemalloc), in MiB."""
    import tracemalloc
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def max_rss_mib() -> float:
    """Peak resident set size of this process so far (Linux: ru_maxrss is in KiB), in MiB."""
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
