"""Run the notebooks for every catalogued report: in parallel processes, or on a Dask cluster.

``run_batch()`` executes ``notebooks/10-department-analysis.ipynb`` once per report (parameter
``report_id`` from the catalogue) and then ``notebooks/20-comparative-analysis.ipynb`` once (parameter
``report_ids``), with papermill, and writes each executed notebook and its HTML export into
``reports/`` (git-ignored), named from the parameters::

    reports/10-department-analysis__xinzhou-swbgs-2023.ipynb / .html
    reports/20-comparative-analysis__all.ipynb / .html
    reports/audit__xinzhou-swbgs-2023.html   (every error and warning of one report)

Jobs run in separate processes (:class:`concurrent.futures.ProcessPoolExecutor`), or on a Dask
distributed cluster when ``scheduler="tcp://host:port"`` is given. A worker executes its notebook
in a scratch folder and returns the notebook and HTML as text; only the calling process writes into
``out_dir``, so a remote cluster needs no shared file system. While its kernel starts, a child
forked from the worker renders the displays a notebook asks of its report into the parsed-report
cache (:func:`xinzhou_fiscal.publish.views.render_ahead`; in the worker itself, before the kernel,
where forking is not safe): the worker keeps pandas and matplotlib imported from one report to the
next, and the kernel waits for and is served the same bundles without importing them. One failing notebook does not stop
the others: every outcome lands in the returned :class:`BatchSummary`, whose ``exit_code`` is 1
when anything failed.

An unknown report id (anything not in the catalogue, ``../x`` included) is never executed and
never becomes a file name: it is reported as a failure whose message lists the valid ids.

The executed notebooks are scrubbed of run-dependent metadata (timestamps, durations, absolute
paths), so two runs over the same data give the same files apart from the PNG bytes.
"""
from __future__ import annotations

import copy
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Iterable, Sequence

from xinzhou_fiscal import paths, patterns

DEPARTMENT_NOTEBOOK = paths.NOTEBOOKS_DIR / "10-department-analysis.ipynb"
COMPARATIVE_NOTEBOOK = paths.NOTEBOOKS_DIR / "20-comparative-analysis.ipynb"
#: Kernel used to execute the notebooks. "python3" is ipykernel's native spec; jupyter_client
#: starts it with the interpreter running papermill (the project's venv).
KERNEL_NAME = "python3"
#: Name of the kernelspec installed into the venv when "python3" points somewhere else.
FALLBACK_KERNEL_NAME = "xinzhou-fiscal"
EXECUTION_TIMEOUT = 600  # seconds per cell
#: the nbconvert template of the publications: JupyterLab's without any script fetched from a CDN
STANDALONE_TEMPLATE = paths.PACKAGE_DIR / "publish" / "nbconvert" / "xf-standalone"
_SAFE_NAME = patterns.compile(r"^[a-z0-9][a-z0-9+._-]*$")


# --------------------------------------------------------------------------- results

@dataclass(frozen=True)
class Job:
    """One notebook execution. Paths are absolute strings (picklable, valid on a worker that
    has the package installed at the same place, or ignored there: see ``notebook_name``)."""

    label: str
    notebook_name: str            # e.g. "10-department-analysis.ipynb" (looked up on the worker)
    parameters: dict
    output_stem: str              # e.g. "10-department-analysis__xinzhou-swbgs-2023"
    html: bool = True
    scratch_dir: str | None = None
    kernel_name: str = KERNEL_NAME


@dataclass
class JobResult:
    label: str
    notebook: str
    parameters: dict
    ok: bool
    error: str = ""
    seconds: float = 0.0
    ipynb: Path | None = None
    html: Path | None = None
    # filled by the worker, emptied once written by the caller
    ipynb_text: str | None = field(default=None, repr=False)
    html_text: str | None = field(default=None, repr=False)
    #: further files written next to the notebook (the audit report), name → text
    extra_texts: dict = field(default_factory=dict, repr=False)
    #: further binary files (the annotated PDF), name → bytes
    extra_bytes: dict = field(default_factory=dict, repr=False)
    extra: list = field(default_factory=list)


@dataclass
class BatchSummary:
    """What a batch did: one :class:`JobResult` per notebook execution, in the order of the jobs."""

    results: list[JobResult]
    out_dir: Path
    backend: str = "processes"
    seconds: float = 0.0

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if not r.ok]

    @property
    def succeeded(self) -> list[JobResult]:
        return [r for r in self.results if r.ok]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def exit_code(self) -> int:
        """0 when every notebook ran, 1 otherwise (for the CLI)."""
        return 0 if self.ok else 1

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([{
            "label": r.label, "notebook": r.notebook, "ok": r.ok, "seconds": round(r.seconds, 1),
            "ipynb": r.ipynb.name if r.ipynb else "", "html": r.html.name if r.html else "",
            "error": r.error} for r in self.results])

    def render(self, console=None) -> None:
        """Print the summary table and, for each failure, its message."""
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        console = console or Console(stderr=True)
        table = Table(title=f"notebooks → {_display_path(self.out_dir)}", title_justify="left")
        table.add_column("job", overflow="fold")
        table.add_column("status")
        table.add_column("seconds", justify="right")
        table.add_column("output", overflow="fold")
        for r in self.results:
            outputs = [p for p in (r.ipynb, r.html) if p]
            shown = f"{outputs[0].stem}.{{{','.join(p.suffix[1:] for p in outputs)}}}" if outputs else "-"
            table.add_row(escape(r.label), "[green]ok[/green]" if r.ok else "[red]FAILED[/red]", f"{r.seconds:.1f}",
                          escape(shown))
        console.print(table)
        for r in self.failed:
            console.print(f"[red]FAILED[/red] {escape(r.label)}: {escape(r.error)}", highlight=False)
        n_fail = len(self.failed)
        verdict = "[green]all notebooks ran[/green]" if not n_fail else \
            f"[red]{n_fail} of {len(self.results)} notebook run(s) failed[/red]"
        console.print(f"{verdict} ({self.backend}, {self.seconds:.1f} s)")

    def __str__(self) -> str:
        lines = [f"{len(self.results)} notebook run(s), {len(self.failed)} failed"]
        lines += [f"  FAILED {r.label}: {r.error}" for r in self.failed]
        return "\n".join(lines)


def _display_path(p: Path) -> str:
    try:
        return str(Path(p).resolve().relative_to(paths.PROJECT_ROOT))
    except ValueError:
        return str(p)


# --------------------------------------------------------------------------- kernel

def ensure_kernel() -> str:
    """The name of a kernelspec that runs this interpreter (the project's venv).

    ipykernel's native ``python3`` spec is used when it resolves to this interpreter (its argv
    starts with the bare word ``python``, which jupyter_client replaces by ``sys.executable``, or
    with a path inside ``sys.prefix``). Otherwise a spec named ``xinzhou-fiscal`` pointing at
    ``sys.executable`` is installed under ``sys.prefix`` (inside the venv, nowhere else)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    ksm = KernelSpecManager()
    for name in (KERNEL_NAME, FALLBACK_KERNEL_NAME):
        try:
            spec = ksm.get_kernel_spec(name)
        except NoSuchKernel:
            continue
        exe = spec.argv[0] if spec.argv else ""
        if exe in ("python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}") \
                or Path(exe).resolve() == Path(sys.executable).resolve() \
                or Path(exe).resolve().is_relative_to(Path(sys.prefix).resolve()):
            return name
    from ipykernel.kernelspec import install

    install(kernel_name=FALLBACK_KERNEL_NAME, display_name="Python (xinzhou-fiscal)", prefix=sys.prefix)
    return FALLBACK_KERNEL_NAME


#: Extra kernel command-line arguments: keep the kernel's own log (e.g. ipykernel's notice that
#: its local TCP sockets are unencrypted, or a KeyboardInterrupt logged while it is shut down)
#: quiet, so the batch output stays readable (errors inside the notebook still land in its
#: outputs). Then two savings per code cell (issue #21): an output stream whose flush does not
#: wait on the kernel's I/O thread when nothing was written
#: (:mod:`xinzhou_fiscal.publish.kernel_stream`, ~2 ms), and no 0.5 ms sleep before each execute
#: reply. ipykernel sleeps for clients that stop collecting a cell's output at its reply;
#: papermill and nbclient collect it until the kernel's ``idle`` status, which the kernel sends
#: after the cell's last output on the same channel.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL",
                    "--IPKernelApp.outstream_class=xinzhou_fiscal.publish.kernel_stream.SkipEmptyFlushOutStream",
                    "--IPythonKernel._execute_sleep=0"]


# --------------------------------------------------------------------------- notebook hygiene

_RUN_METADATA = ("execution", "papermill")


def scrub(nb) -> Any:
    """Remove what differs between two runs of the same notebook: per-cell timing metadata,
    papermill's start/end times, durations and absolute paths. Parameters stay."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for key in _RUN_METADATA:
            cell.metadata.pop(key, None)
    pm = nb.metadata.get("papermill")
    if pm is not None:
        for key in ("start_time", "end_time", "duration", "exception", "environment_variables"):
            pm.pop(key, None)
        for key in ("input_path", "output_path"):
            if pm.get(key):
                pm[key] = Path(str(pm[key])).name
    return nb


def publication_title(parameters: dict) -> str:
    """The HTML page title: ``<department> <year> 年度部门决算分析`` for a department report,
    ``部门决算比较`` for the comparative one."""
    rid = parameters.get("report_id")
    if isinstance(rid, str):
        try:
            from xinzhou_fiscal.store.catalogue import catalog

            cat = catalog()
            hit = cat.loc[cat["report_id"] == rid]
            if len(hit):
                return f"{hit['department'].iloc[0]} {int(hit['year'].iloc[0])} 年度部门决算分析"
        except Exception:  # noqa: BLE001 - a title only
            pass
        return f"部门决算分析 · {rid}"
    return "部门决算比较"


_HEADER_STYLE = ("<style>.xf-meta{color:#555;font-size:.9em;margin:1em 0 0 0;padding:0 0 .5em 0;"
                 "border-bottom:1px solid #ddd}.xf-table td,.xf-table th{text-align:right}"
                 ".xf-table td:first-child,.xf-table th:first-child{text-align:left}</style>")


def to_html(nb, title: str = "", generated: str = "") -> str:
    """HTML of an executed notebook (nbconvert, :data:`STANDALONE_TEMPLATE`: self-contained, nothing
    loaded from the network) as a publication: inputs hidden,
    the page titled ``title``, and a line under the top giving the title and the date it was
    generated (``generated``, e.g. 2026-12-04; the notebook itself carries no date, so the
    committed notebooks stay reproducible). The .ipynb next to it keeps the code."""
    import html as html_mod

    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name=STANDALONE_TEMPLATE.name,
                            extra_template_basedirs=[str(STANDALONE_TEMPLATE.parent)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    resources = {"metadata": {"name": title}} if title else None
    if title:     # the page's <title>: the notebook's own metadata title would win over the name
        nb = copy.deepcopy(nb)
        nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    if title or generated:
        meta = " · ".join(x for x in (title, f"生成于 {generated}" if generated else "") if x)
        banner = f'{_HEADER_STYLE}<div class="xf-meta">{html_mod.escape(meta)}</div>'
        body = patterns.compile(r"(<main[^>]*>|<body[^>]*>)").sub(lambda m: m.group(1) + banner, body, count=1)
    return body


_ANNOTATED_CLAUSE = patterns.compile(r"，以及[^，。]*\(annotated__<report_id>\.pdf\)（原报告为 PDF 时）")


def with_links(nb, report_id: str, title: str = "", annotated: bool = False):
    """An executed department notebook whose markdown links name this report's files: the
    ``<report_id>`` of ``audit__<report_id>.html`` becomes the id; the link to the annotated PDF is
    kept only when one was written (``annotated``); the top heading becomes ``title``."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        text = cell.source if annotated else _ANNOTATED_CLAUSE.sub("", cell.source)
        if i == 0 and title and text.startswith("# "):
            text = f"# {title}" + text[text.index("\n"):] if "\n" in text else f"# {title}"
        cell.source = text.replace("<report_id>", report_id)
    return nb


def in_the_reports_names(nb, family):
    """An executed department notebook with its text (markdown cells: section notes and chart
    captions, written with Xinzhou's 公开NN表) naming each table as the report's template
    ``family`` does, e.g. by title in a Shanghai report (:func:`~xinzhou_fiscal.templates.relabel`)."""
    from xinzhou_fiscal.templates import relabel

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = relabel(cell.source, family)
    return nb


def audit_report_html(report, generated: str = "", annotated_pdf: str = "") -> str:
    """The separate audit report of one department's parsed ``report`` (HTML): every error and
    warning with its printed and recomputed figures and where they are printed (:mod:`.audit_format`)."""
    from xinzhou_fiscal.analysis.summary import source_line
    from xinzhou_fiscal.checks import audit
    from xinzhou_fiscal.checks import audit_frame as _audit_frame
    from xinzhou_fiscal.checks import formatting as audit_format

    from xinzhou_fiscal.store.cache import partner_budget

    budget = partner_budget(report)     # its budget, when catalogued: 年初预算 checked against it
    findings = _audit_frame(report, budget)     # run when the report was cached (parsed_cache.warm)
    if findings is None:                # the audit could not run: let it raise its own error here
        findings = audit(report, budget=budget)
    source = source_line(report).replace("`", "")
    from xinzhou_fiscal.checks.coverage import coverage_zh
    return audit_format.render_html(findings, report, audit_format.DEFAULT_SEVERITIES, coverage_zh(report, budget),
                                    generated=generated, source=source, annotated_pdf=annotated_pdf)


def annotated_file_name(report_id: str) -> str:
    """``annotated__<report_id>.pdf``: the PDF report with every error and warning boxed."""
    return f"{output_stem('annotated', report_id)}.pdf"


def _publish_audit(result: JobResult, report, report_id: str, today: str) -> None:
    """The audit report of a department job and, for a PDF report, the annotated copy of the PDF
    beside it (linked from the audit report); an annotation that fails is noted, never fatal."""
    pdf = ""
    if getattr(report.document, "kind", "") == "pdf":
        try:
            from xinzhou_fiscal.publish.annotate import annotate_pdf
            result.extra_bytes[annotated_file_name(report_id)] = annotate_pdf(report)
            pdf = annotated_file_name(report_id)
        except Exception as exc:  # noqa: BLE001 - the audit report stands without it
            result.error = (result.error + "; " if result.error else "") + f"annotated PDF: {_error_message(exc)}"
    result.extra_texts[audit_file_name(report_id)] = audit_report_html(report, today, pdf)


def audit_file_name(report_id: str) -> str:
    """``audit__<report_id>.html`` (the id is a catalogue slug, checked like the notebook names)."""
    return f"{output_stem('audit', report_id)}.html"


# --------------------------------------------------------------------------- one job (worker side)

def _notebook_path(name: str) -> Path:
    p = (paths.NOTEBOOKS_DIR / name).resolve()
    if p.parent != paths.NOTEBOOKS_DIR.resolve() or not p.is_file():
        raise FileNotFoundError(f"notebook {name!r} not found in {paths.NOTEBOOKS_DIR}")
    return p


def _error_message(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    if ename:  # papermill.PapermillExecutionError: the exception raised inside the notebook
        evalue = str(getattr(exc, "evalue", "")).strip()
        return f"{ename}: {evalue}" if evalue else ename
    return f"{type(exc).__name__}: {exc}"


def run_job(job: Job) -> JobResult:
    """Execute one notebook with papermill in a scratch folder; return the executed notebook and
    its HTML as text (scrubbed) with the outcome. Never raises: a failure is a result."""
    import nbformat
    import papermill as pm

    from xinzhou_fiscal.publish.views import RenderingAhead, render_ahead

    start = time.perf_counter()
    result = JobResult(label=job.label, notebook=job.notebook_name, parameters=dict(job.parameters), ok=False)
    try:
        source = _notebook_path(job.notebook_name)
        if job.scratch_dir:
            Path(job.scratch_dir).mkdir(parents=True, exist_ok=True)
        rid = job.parameters.get("report_id")
        # the displays rendered by a child of this process, which keeps pandas and matplotlib
        # imported from one job to the next, while the kernel starts; the kernel is served them
        # (the same bundles) instead of importing them again
        ahead = render_ahead(rid, source) if isinstance(rid, str) else RenderingAhead()
        with tempfile.TemporaryDirectory(prefix=".run-", dir=job.scratch_dir) as tmp:
            out = Path(tmp) / f"{job.output_stem}.ipynb"
            try:
                pm.execute_notebook(str(source), str(out), parameters=dict(job.parameters),
                                    kernel_name=job.kernel_name, cwd=tmp, progress_bar=False,
                                    log_output=False, request_save_on_cell_execute=False,
                                    execution_timeout=EXECUTION_TIMEOUT,
                                    extra_arguments=list(KERNEL_ARGUMENTS))
                result.ok = True
            except Exception as exc:  # noqa: BLE001 - recorded in the result
                result.error = _error_message(exc)
            finally:
                prepared = ahead.wait()
            if out.exists():
                nb = scrub(nbformat.read(out, as_version=4))
                report = None
                if result.ok and isinstance(rid, str):
                    from xinzhou_fiscal.store.cache import parsed

                    # what the kernel was served or cached; not held by the worker
                    report = prepared if prepared is not None else parsed(rid, keep=False)
                    nb = in_the_reports_names(nb, report.template)
                result.ipynb_text = nbformat.writes(nb) + "\n"
                if job.html:
                    try:
                        today = time.strftime("%Y-%m-%d")
                        title = publication_title(job.parameters)
                        if report is not None:
                            _publish_audit(result, report, rid, today)
                            nb = with_links(nb, rid, title, annotated=annotated_file_name(rid) in result.extra_bytes)
                        result.html_text = to_html(nb, title, today)
                    except Exception as exc:  # noqa: BLE001
                        result.ok = False
                        result.error = (result.error + "; " if result.error else "") + \
                            f"HTML export failed: {_error_message(exc)}"
    except Exception as exc:  # noqa: BLE001
        result.ok = False
        result.error = result.error or _error_message(exc)
    result.seconds = time.perf_counter() - start
    return result


# --------------------------------------------------------------------------- planning

def output_stem(notebook: Path | str, label: str) -> str:
    """``<notebook stem>__<label>``; the label must be a catalogue-style slug (never a path)."""
    if not _SAFE_NAME.match(label) or ".." in label:
        raise ValueError(f"unsafe output name {label!r}")
    return f"{Path(notebook).stem}__{label}"


def _comparative_label(ids: Sequence[str] | None) -> str:
    if ids is None:
        return "all"
    return "+".join(ids) if len(ids) <= 3 else f"{ids[0]}+{len(ids) - 1}-more"


def plan(report_ids: Iterable[str] | None = None, *, html: bool = True, scratch_dir: str | None = None,
         kernel_name: str = KERNEL_NAME) -> tuple[list[Job], Job | None, list[JobResult]]:
    """The department jobs, the comparative job and the failures found before running anything
    (unknown report ids, each with a message listing the valid ids)."""
    from xinzhou_fiscal.store.catalogue import report_ids as catalogued_ids
    from xinzhou_fiscal.store.catalogue import unknown_id

    valid = sorted(catalogued_ids())
    rejected: list[JobResult] = []
    if report_ids is None:
        ids = valid
    else:
        ids = []
        for rid in dict.fromkeys(report_ids):
            if isinstance(rid, str) and rid in valid:
                ids.append(rid)
            else:
                msg = str(unknown_id(rid, valid))
                rejected.append(JobResult(label=f"{DEPARTMENT_NOTEBOOK.stem} [{rid}]",
                                          notebook=DEPARTMENT_NOTEBOOK.name, parameters={"report_id": rid},
                                          ok=False, error=f"UnknownReportError: {msg}"))
        ids = sorted(ids)
    jobs = [Job(label=f"{DEPARTMENT_NOTEBOOK.stem} [{rid}]", notebook_name=DEPARTMENT_NOTEBOOK.name,
                parameters={"report_id": rid}, output_stem=output_stem(DEPARTMENT_NOTEBOOK, rid), html=html,
                scratch_dir=scratch_dir, kernel_name=kernel_name) for rid in ids]
    comparative = None
    if ids:
        chosen = None if report_ids is None else ids
        label = _comparative_label(chosen)
        comparative = Job(label=f"{COMPARATIVE_NOTEBOOK.stem} [{label}]", notebook_name=COMPARATIVE_NOTEBOOK.name,
                          parameters={"report_ids": chosen}, output_stem=output_stem(COMPARATIVE_NOTEBOOK, label),
                          html=html, scratch_dir=scratch_dir, kernel_name=kernel_name)
    return jobs, comparative, rejected


# --------------------------------------------------------------------------- running

def _write(result: JobResult, job: Job, out_dir: Path) -> JobResult:
    if result.ipynb_text is not None:
        target = out_dir / f"{job.output_stem}.ipynb"
        target.write_text(result.ipynb_text, encoding="utf-8")
        result.ipynb = target
    html_target = out_dir / f"{job.output_stem}.html"
    if result.html_text is not None:
        html_target.write_text(result.html_text, encoding="utf-8")
        result.html = html_target
    elif html_target.exists():  # an export of an earlier run would no longer match the notebook
        html_target.unlink()
    for name, content in [*result.extra_texts.items(), *result.extra_bytes.items()]:
        target = out_dir / Path(name).name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        result.extra.append(target)
    result.ipynb_text = result.html_text = None
    result.extra_texts, result.extra_bytes = {}, {}
    return result


class _LocalBackend:
    name = "processes"

    def __init__(self, jobs: int):
        self.pool = ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=get_context("spawn"))

    def run(self, jobs: list[Job]):
        futures = {self.pool.submit(run_job, j): j for j in jobs}
        for fut in as_completed(futures):
            yield futures[fut], fut.result()

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)
        _stop_resource_tracker()


def _stop_resource_tracker() -> None:
    """Stop (and reap) multiprocessing's resource-tracker process, which the spawn pool starts and
    which otherwise outlives the batch until the interpreter exits (then lingers as a zombie in
    the process group). It is restarted on demand by the next pool."""
    from multiprocessing import resource_tracker

    stop = getattr(resource_tracker._resource_tracker, "_stop", None)  # CPython ≥ 3.8 internals
    if stop is not None:
        try:
            stop()
        except Exception:  # noqa: BLE001 - best effort; the tracker exits with us anyway
            pass


class _DaskBackend:
    name = "dask"

    def __init__(self, scheduler):
        from distributed import Client

        if isinstance(scheduler, Client):
            self.client, self.own = scheduler, False
        else:
            self.client, self.own = Client(scheduler, set_as_default=False), True
        self.name = f"dask {self.client.scheduler.address}"

    def run(self, jobs: list[Job]):
        from distributed import as_completed as dask_completed

        futures = {}
        for j in jobs:
            fut = self.client.submit(run_job, j, pure=False, key=f"notebook-{j.output_stem}-{time.monotonic_ns()}")
            futures[fut.key] = (fut, j)
        for fut in dask_completed([f for f, _ in futures.values()], loop=self.client.loop):
            job = futures[fut.key][1]
            try:
                res = fut.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker is a failed job
                res = JobResult(label=job.label, notebook=job.notebook_name, parameters=job.parameters,
                                ok=False, error=f"dask: {_error_message(exc)}")
            yield job, res

    def close(self):
        if self.own:
            self.client.close()


def run_batch(report_ids: Iterable[str] | None = None, jobs: int = 2, out_dir: Path | str = paths.REPORTS_DIR,
              scheduler: Any = None, html: bool = True, *, progress: bool = True,
              console=None) -> BatchSummary:
    """Execute the department notebook for each report (all catalogued ones when ``report_ids``
    is None), then the comparative notebook, writing ``.ipynb`` (and ``.html``) into ``out_dir``.

    ``jobs`` parallel processes (ProcessPoolExecutor), or the Dask cluster at ``scheduler``
    (an address such as ``tcp://127.0.0.1:8786``, or a ``distributed.Client``). Shows a rich
    progress bar and prints the summary when ``progress``. Never raises for a failing notebook
    or an unknown id: see :attr:`BatchSummary.failed` and :attr:`BatchSummary.exit_code`."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    started = time.perf_counter()
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    console = console or Console(stderr=True)
    kernel = ensure_kernel()
    dept_jobs, comparative, rejected = plan(report_ids, html=html,
                                            scratch_dir=None if scheduler else str(out_dir), kernel_name=kernel)
    results: dict[str, JobResult] = {}
    backend = _DaskBackend(scheduler) if scheduler else _LocalBackend(jobs)
    phases = [dept_jobs] + ([[comparative]] if comparative else [])
    total = sum(len(p) for p in phases)
    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, disable=not progress, transient=False) as bar:
            task = bar.add_task(f"notebooks ({backend.name})", total=total)
            for phase in phases:
                for job, res in backend.run(phase):
                    results[job.output_stem] = _write(res, job, out_dir)
                    status = "ok" if res.ok else "FAILED"
                    if progress:
                        bar.console.print(f"{status:>6}  {job.label}  ({res.seconds:.1f} s)", markup=False,
                                          highlight=False)
                    bar.advance(task)
    finally:
        backend.close()
    ordered = rejected + [results[j.output_stem] for p in phases for j in p if j.output_stem in results]
    summary = BatchSummary(ordered, out_dir, backend=backend.name, seconds=time.perf_counter() - started)
    if progress:
        summary.render(console)
    return summary


# --------------------------------------------------------------------------- committed notebooks

def execute_in_place(notebook: Path | str, parameters: dict | None = None, timeout: int = EXECUTION_TIMEOUT) -> None:
    """Re-execute a committed notebook (its outputs are nbval's reference) in place, in the
    notebooks folder, with the venv's kernel, and save it scrubbed of timing metadata.
    Raises ``nbclient.exceptions.CellExecutionError`` when a cell fails (nothing is written)."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(notebook).resolve()
    nb = nbformat.read(path, as_version=4)
    if parameters:
        raise ValueError("committed notebooks run with their default parameters")
    client = NotebookClient(nb, timeout=timeout, kernel_name=ensure_kernel(), record_timing=False,
                            extra_arguments=list(KERNEL_ARGUMENTS),
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nb = scrub(nb)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nbformat.write(nb, path)


def refresh_notebooks(names: Sequence[str] = (DEPARTMENT_NOTEBOOK.name, COMPARATIVE_NOTEBOOK.name)) -> None:
    """Re-execute the committed notebooks in place (see :func:`execute_in_place`)."""
    for name in names:
        execute_in_place(paths.NOTEBOOKS_DIR / name)


if __name__ == "__main__":  # python -m xinzhou_fiscal.batch [--refresh]
    if "--refresh" in sys.argv[1:]:
        refresh_notebooks()
    else:
        sys.exit(run_batch().exit_code)
