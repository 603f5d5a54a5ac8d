"""The batch runner: parallel processes, failures reported without stopping the others, Dask."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal import batch, paths

SEED_ID = "xinzhou-swbgs-2023"
DEPT = "10-department-analysis"
COMP = "20-comparative-analysis"


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    """One batch over a good id, an unknown id and a path-like id, plus a job that is planned
    (bypassing the catalogue check) but fails while executing: 3 notebooks on 2 processes."""
    out = tmp_path_factory.mktemp("reports")
    real_plan = batch.plan

    def plan_with_a_failing_job(report_ids, **kw):
        jobs, comparative, rejected = real_plan(report_ids, **kw)
        bad = batch.Job(label=f"{DEPT} [nope]", notebook_name=f"{DEPT}.ipynb", parameters={"report_id": "nope"},
                        output_stem=batch.output_stem(DEPT, "nope"), html=kw.get("html", True),
                        scratch_dir=kw.get("scratch_dir"), kernel_name=kw.get("kernel_name", batch.KERNEL_NAME))
        return [bad, *jobs], comparative, rejected

    mp = pytest.MonkeyPatch()
    mp.setattr(batch, "plan", plan_with_a_failing_job)
    try:
        summary = batch.run_batch([SEED_ID, "../x"], jobs=2, out_dir=out, html=True, progress=False)
    finally:
        mp.undo()
    return summary, out


def test_summary_reports_failures_without_stopping_the_others(batch_run):
    summary, _ = batch_run
    by_label = {r.label: r for r in summary.results}
    assert by_label[f"{DEPT} [{SEED_ID}]"].ok
    assert by_label[f"{COMP} [{SEED_ID}]"].ok
    assert not by_label[f"{DEPT} [nope]"].ok
    assert not by_label[f"{DEPT} [../x]"].ok
    assert len(summary.failed) == 2
    assert summary.exit_code == 1 and not summary.ok
    assert "2 failed" in str(summary)


def test_unknown_ids_fail_clearly_listing_the_valid_ids(batch_run):
    summary, _ = batch_run
    for r in summary.failed:
        assert r.error.startswith("UnknownReportError: unknown report id"), r.error
        assert re.search(r"valid ids: .*" + re.escape(SEED_ID), r.error)
    pre = next(r for r in summary.failed if r.parameters["report_id"] == "../x")
    assert pre.ipynb is None and pre.html is None  # never executed, never a file name


def test_outputs_are_named_from_the_parameters_and_stay_in_out_dir(batch_run):
    summary, out = batch_run
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([
        f"{DEPT}__{SEED_ID}.ipynb", f"{DEPT}__{SEED_ID}.html",
        f"{COMP}__{SEED_ID}.ipynb", f"{COMP}__{SEED_ID}.html",
        f"{DEPT}__nope.ipynb", f"{DEPT}__nope.html",  # the failed run is kept for inspection
        f"audit__{SEED_ID}.html",  # the separate audit report of the department that ran
    ])
    assert not any(p.name.startswith(".run-") for p in out.iterdir())  # scratch folders cleaned up
    assert not (out.parent / "x.ipynb").exists()


def test_executed_notebook_has_the_parameters_and_no_run_metadata(batch_run):
    _, out = batch_run
    nb = nbformat.read(out / f"{DEPT}__{SEED_ID}.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and f'report_id = "{SEED_ID}"' in injected[0].source
    text = (out / f"{DEPT}__{SEED_ID}.ipynb").read_text(encoding="utf-8")
    for needle in ("start_time", "end_time", "iopub.execute_input", str(paths.PROJECT_ROOT)):
        assert needle not in text
    assert nb.metadata.papermill.parameters == {"report_id": SEED_ID}
    html = (out / f"{DEPT}__{SEED_ID}.html").read_text(encoding="utf-8")
    assert "2,795.38" in html and "data:image/png;base64" in html


def test_the_audit_report_lists_every_error_and_warning(batch_run):
    _, out = batch_run
    html = (out / f"audit__{SEED_ID}.html").read_text(encoding="utf-8")
    findings = xf.audit(xf.load(SEED_ID))
    shown = findings[findings["severity"].isin(["error", "warning"])]
    assert html.count("<tr><td>") == len(shown)
    # 情况说明 line 460 prints 住房保障支出 同比 17.10%: printed figure, recomputed figure, where
    row = next(r for r in html.split("<tr>") if "住房保障支出 同比增减率" in r)
    assert "17.10%" in row and "17.15%" in row and "情况说明第460行" in row    # in Chinese, two decimals
    assert "SHA-256" in html


def test_comparative_notebook_gets_the_chosen_ids(batch_run):
    _, out = batch_run
    nb = nbformat.read(out / f"{COMP}__{SEED_ID}.ipynb", as_version=4)
    assert nb.metadata.papermill.parameters == {"report_ids": [SEED_ID]}


def test_the_failed_notebook_shows_the_error(batch_run):
    _, out = batch_run
    nb = nbformat.read(out / f"{DEPT}__nope.ipynb", as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert [e.ename for e in errors] == ["UnknownReportError"]
    assert SEED_ID in errors[0].evalue


def test_plan_all_catalogued_reports():
    jobs, comparative, rejected = batch.plan(None)
    assert [j.parameters for j in jobs] == [{"report_id": i} for i in sorted(xf.report_ids())]
    assert comparative.parameters == {"report_ids": None}
    assert comparative.output_stem == f"{COMP}__all"
    assert rejected == []


@pytest.mark.parametrize("label", ["../x", "a/b", "..", ".hidden", "Upper", ""])
def test_output_names_cannot_escape(label):
    with pytest.raises(ValueError):
        batch.output_stem(DEPT, label)


def test_scrub_removes_timestamps_and_paths():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    nb.cells[0].metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}
    nb.cells[0].metadata["papermill"] = {"start_time": "2026-01-01", "duration": 1.0}
    nb.metadata["papermill"] = {"start_time": "t", "end_time": "t", "duration": 2.0, "parameters": {"a": 1},
                                "input_path": "/abs/path/nb.ipynb", "output_path": "/abs/out.ipynb",
                                "environment_variables": {"HOME": "/root"}}
    clean = batch.scrub(nb)
    assert json.dumps(clean).count("2026") == 0
    assert clean.metadata.papermill == {"parameters": {"a": 1}, "input_path": "nb.ipynb", "output_path": "out.ipynb"}


def test_kernel_is_the_current_environment():
    from jupyter_client.kernelspec import KernelSpecManager

    name = batch.ensure_kernel()
    spec = KernelSpecManager().get_kernel_spec(name)
    exe = spec.argv[0]
    assert exe == "python" or Path(exe).resolve().is_relative_to(Path(sys.prefix).resolve())


def test_dask_cluster_runs_the_same_jobs(tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster:
        summary = batch.run_batch([SEED_ID], out_dir=tmp_path, scheduler=cluster.scheduler_address, html=False,
                                  progress=False)
    assert summary.ok, str(summary)
    assert summary.backend.startswith("dask")
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{DEPT}__{SEED_ID}.ipynb", f"{COMP}__{SEED_ID}.ipynb"]


# ----------------------------------------------------------------------------- no process left behind

def _parent(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("PPid:"))
    except (OSError, StopIteration, ValueError):
        return None


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_the_batch_leaves_no_process_behind(tmp_path):
    """Every process the batch starts (pool workers, the resource tracker, kernels — which run in
    their own sessions, so the process group alone would miss them) has ended when it returns."""
    import os
    import subprocess
    import time

    code = (f"from xinzhou_fiscal import batch; batch.run_batch([{SEED_ID!r}], jobs=2, out_dir={str(tmp_path)!r}, "
            "html=False, progress=False)")
    env = dict(os.environ, PYTHONPATH=str(paths.PROJECT_ROOT))
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True, env=env)
    family = {proc.pid}
    while proc.poll() is None:  # collect the descendants while the batch runs
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) not in family and _parent(int(entry)) in family:
                family.add(int(entry))
        time.sleep(0.05)
    assert proc.returncode == 0
    assert len(family) >= 3, "the batch started its workers and kernels"
    alive = [pid for pid in family - {proc.pid} if Path(f"/proc/{pid}").exists()]
    assert alive == [], [Path(f"/proc/{p}/cmdline").read_bytes()[:100] for p in alive if Path(f"/proc/{p}").exists()]
