"""Wall time of the notebooks: one per-department notebook, and the whole batch.

Run: ``.venv/bin/python benchmarks/bench_notebooks.py [--repeats N] [--jobs N]`` (or ``make
benchmark``). Prints the median (and min/max) over N ≥ 3 runs of

- one execution of ``notebooks/10-department-analysis.ipynb`` with papermill (kernel start
  included, HTML export excluded), i.e. what one batch job costs;
- the analysis calls of that notebook alone, in this process (no kernel), for scale;
- ``run_batch()`` over every catalogued report (department notebooks in parallel processes, then
  the comparative notebook, .ipynb + .html written), i.e. the main job's notebook stage.

Outputs go to a temporary folder, never to reports/.
"""
from __future__ import annotations

import argparse
import tempfile
import warnings
from pathlib import Path

from timing import describe, timings

from xinzhou_fiscal import batch

SEED_ID = "xinzhou-swbgs-2023"






def one_department_notebook(workdir: Path) -> None:
    job = batch.Job(label="bench", notebook_name=batch.DEPARTMENT_NOTEBOOK.name, parameters={"report_id": SEED_ID},
                    output_stem=batch.output_stem(batch.DEPARTMENT_NOTEBOOK, SEED_ID), html=False,
                    scratch_dir=str(workdir), kernel_name=batch.ensure_kernel())
    result = batch.run_job(job)
    if not result.ok:
        raise SystemExit(f"the department notebook failed: {result.error}")


def analysis_only() -> None:
    import xinzhou_fiscal.analysis as xa

    r = xa.load_report(SEED_ID)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fn in (xa.describe, xa.headline, xa.totals, xa.income_sources, xa.expenditure_by_function,
                   xa.basic_project_split, xa.personnel_public, xa.economic_classes, xa.three_public,
                   xa.related_info, xa.procurement, xa.vehicles, xa.budget_completion, xa.year_on_year,
                   xa.project_evaluations, xa.grade_counts, xa.audit_summary, xa.audit_by_rule, xa.audit_findings):
            fn(r)


def whole_batch(workdir: Path, jobs: int) -> None:
    summary = batch.run_batch(None, jobs=jobs, out_dir=workdir, html=True, progress=False)
    if not summary.ok:
        raise SystemExit(f"the batch failed:\n{summary}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    repeats = max(3, args.repeats)
    batch.ensure_kernel()
    with tempfile.TemporaryDirectory(prefix="bench-notebooks-") as tmp:
        tmp = Path(tmp)
        analysis_only()  # warm-up: imports, font cache
        print(describe("analysis calls of the department notebook, in-process", timings(analysis_only, repeats * 3, warmup=False), "ms"))
        one_department_notebook(tmp)  # warm-up: kernel spec, bytecode
        print(describe(f"department notebook ({SEED_ID}), papermill, kernel start included",
                  timings(lambda: one_department_notebook(tmp), repeats, warmup=False)))
        n = len(batch.plan(None)[0])
        print(describe(f"whole batch: {n} department notebook(s) + comparative, --jobs {args.jobs}, .ipynb + .html",
                  timings(lambda: whole_batch(tmp / "reports", args.jobs), repeats, warmup=False)))


if __name__ == "__main__":
    main()
