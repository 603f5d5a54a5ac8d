"""Command line: ``xinzhou-fiscal parse|audit|annotate|run|catalog|add|export``.

``--data DIR`` (before or after the command) names the data folder holding the user's own reports;
its catalogue extends the bundled one. ``-h``/``--help`` and ``--version`` work everywhere. Every
error is printed as one line naming the file (and the entry and field of a catalogue), exit status 2.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xinzhou_fiscal.errors import CatalogError, ReportError
from xinzhou_fiscal.store import catalogue as catalog_mod

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode="markdown",
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Tidy, checked datasets from 部门决算公开 reports (amounts in 万元).")
console = Console()
err_console = Console(stderr=True, soft_wrap=True)   # an error is one line, never wrapped


def _no_type_names() -> None:
    """Help shows a value's name (``--out DIR``), never a Python type name (``<list[Path]>``,
    ``<bool>``): typer's display of types is replaced by the metavar each option gives."""
    from typer import core

    def metavar_only(self, ctx):
        return self.metavar or None
    core.TyperOption.display_type_rich = metavar_only
    core.TyperArgument.display_type_rich = lambda self, ctx: None      # its name column says it already


_no_type_names()

DATA_HELP = "Data folder of your own reports (raw/ + catalog.json); extends the bundled catalogue."


def _use_data(data: Optional[Path], create: bool = False) -> None:
    """Make ``data`` (or ``$XINZHOU_FISCAL_DATA``) the data folder; a folder that does not exist is
    an error (``add`` creates it: ``create``)."""
    from xinzhou_fiscal import paths
    if data is not None:
        paths.use_data_dir(data)
    named = data if data is not None else os.environ.get(paths.DATA_ENV)
    if named and not create and not paths.data_dir().is_dir():
        _fail(f"data folder {paths.data_dir()} (--data or ${paths.DATA_ENV}) does not exist; create it, "
              f"or add a report there with: xinzhou-fiscal add FILE --data {paths.data_dir()}")


def _version(value: bool) -> None:
    if value:
        from xinzhou_fiscal import paths
        console.print(f"xinzhou-fiscal {paths.package_version()}", highlight=False)
        raise typer.Exit(0)


#: the options every command accepts, after its name as well as before it
DATA = typer.Option(None, "--data", envvar="XINZHOU_FISCAL_DATA", file_okay=False, metavar="DIR", help=DATA_HELP)


@app.callback()
def _global(data: Optional[Path] = DATA,
            version: bool = typer.Option(False, "--version", is_eager=True, callback=_version, metavar="",
                                         help="Print the version and exit.")) -> None:
    """Tidy, checked datasets from 部门决算公开 reports (amounts in 万元)."""
    if data is not None:
        from xinzhou_fiscal import paths
        paths.use_data_dir(data)


def _open(source: str):
    """A report from a catalogued id or from a file path."""
    from xinzhou_fiscal import load, read_report
    path = Path(source)
    from xinzhou_fiscal.read.formats import REPORT_SUFFIXES
    if path.exists() or path.suffix.lower() in REPORT_SUFFIXES:
        return read_report(path)      # a missing file is named as such; a folder is one report over its files
    return load(source)               # an unknown id lists the valid ids


def _targets(source: Optional[str], all_reports: bool) -> list[str]:
    if all_reports:
        return catalog_mod.report_ids()
    if not source:
        raise typer.BadParameter("give a file or report id, or --all")
    return [source]


def _fail(e: Exception | str) -> None:
    err_console.print(f"[bold red]error:[/] {escape(str(e))}", highlight=False)
    raise typer.Exit(2)


CATALOG_FORMATS = ("table", "csv", "json")


@app.command("catalog")
def catalog_cmd(fmt: str = typer.Option("table", "--format", metavar="table|csv|json",
                                        help="table (readable; whole ids at any width), csv or json."),
                data: Optional[Path] = DATA) -> None:
    """List the catalogued reports (bundled and of the data folder)."""
    if fmt not in CATALOG_FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(CATALOG_FORMATS)}")
    _use_data(data)
    try:
        df = catalog_mod.catalog()
    except CatalogError as e:
        _fail(e)
    df = df.drop(columns=[c for c in df.columns if c.startswith("_")])
    if "year" in df:    # a year is a whole number; an entry without one (a forced add) shows none
        df["year"] = df["year"].astype("Int64")
    if fmt == "csv":
        sys.stdout.write(df.to_csv(index=False, lineterminator="\n"))
    elif fmt == "json":
        sys.stdout.write(df.to_json(orient="records", force_ascii=False, indent=2) + "\n")
    else:
        console.print(_catalog_table(df))


def _catalog_table(df) -> Table:
    """The catalogue as a terminal table: the report id, the one thing a user copies, is never cut."""
    t = Table()
    t.add_column("report_id", no_wrap=True, min_width=int(df["report_id"].str.len().max() or 9))
    t.add_column("year", no_wrap=True)
    t.add_column("kind", no_wrap=True)
    t.add_column("department", overflow="fold")
    t.add_column("file", overflow="fold")
    import pandas as pd
    for r in df.to_dict("records"):
        year = "" if pd.isna(r.get("year")) else str(int(r["year"]))
        incomplete = " (incomplete)" if r.get("complete") is not None and r.get("complete") == False else ""  # noqa: E712
        t.add_row(r["report_id"], year, str(r.get("kind") or ""), str(r.get("department") or "") + incomplete,
                  str(r.get("file") or ""))
    return t


#: exit status of ``parse``: 0 every table read, 2 the file cannot be read as a report, 3 a partial report
EXIT_UNREADABLE, EXIT_PARTIAL = 2, 3


@app.command("parse")
def parse_cmd(source: Optional[str] = typer.Argument(None, metavar="FILE|ID", help="A report file (.txt/.pdf/.docx/.doc/.xlsx/.xls/.html), a folder holding one report split over several files, or a catalogued report id."),
              out: Optional[Path] = typer.Option(None, "--out", metavar="DIR", help="Write the tidy tables as CSV (UTF-8 with BOM) and Parquet here."),
              all_reports: bool = typer.Option(False, "--all", metavar="", help="Every catalogued report."),
              data: Optional[Path] = DATA) -> None:
    """Parse a report and print a readable summary; with --out, write the datasets.

    Exits 0 when every table the template expects was read, 3 when the report is partial (a
    table failed, or a required table is missing: each is named), 2 when the file is not a
    readable report."""
    from xinzhou_fiscal.store.export import write_datasets
    _use_data(data)
    status = 0
    for src in _targets(source, all_reports):
        try:
            report = _open(src)
        except (ReportError, CatalogError) as e:
            _fail(e)
        _print_parse_summary(report)
        if not report.complete:
            status = EXIT_PARTIAL
        if out is not None:
            written = write_datasets(report, out / report.report_id if all_reports else out)
            console.print(f"wrote {len(written)} files to {written[0].parent}")
    raise typer.Exit(status)


def _print_parse_summary(report) -> None:
    """The table outcomes, the counts, the partial-report banner and every parse problem."""
    from xinzhou_fiscal.store.export import summary_rows
    tpl = report.template.name if report.template is not None else "?"
    t = Table(title=f"{report.department} · {report.year}年度{report.kind} · {report.report_id}\n模板 {tpl}")
    for col in ("table", "no.", "title", "status", "facts", "lines"):
        t.add_column(col)
    for row in summary_rows(report):
        t.add_row(*[str(v) for v in row])
    console.print(t)
    console.print(f"{len(report.facts)} facts · {len(report.claims)} narrative statements · "
                  f"{len(report.projects)} self-evaluation tables · {len(report.indicators)} indicators · "
                  f"{len(report.problems)} parse problem(s)")
    console.print(report.narrative_coverage_line, highlight=False)
    for c in report.unit_conversions.itertuples():
        where = f"page {c.page}" if c.page == c.page and c.page is not None else f"line {c.line}"
        console.print(f"  [cyan]unit[/] {c.label} ({where}): printed in {c.printed_unit}, converted to 万元 "
                      f"(× {c.factor})", highlight=False)
    if not report.complete:
        console.print(f"[bold red]PARTIAL[/]: {len(report.missing_pieces)} piece(s) could not be read; "
                      "what did read is kept:", highlight=False)
        for piece in report.missing_pieces:
            console.print(f"  [red]✗[/] {piece}", highlight=False)
    for p in report.problems.itertuples():
        where = ", ".join(x for x in (p.table and str(p.table), p.page == p.page and p.page is not None
                                       and f"page {p.page}", p.line == p.line and p.line is not None
                                       and f"line {p.line}") if x)
        console.print(f"  [yellow]{p.stage}[/] ({where}): {p.message}", highlight=False)


@app.command("audit")
def audit_cmd(source: Optional[str] = typer.Argument(None, metavar="FILE|ID", help="A report file or a catalogued report id."),
              fmt: str = typer.Option("text", "--format", metavar="FORMAT", help="text (readable, fits the terminal), json, csv or markdown."),
              severity: Optional[list[str]] = typer.Option(
                  None, "--severity", "-s", metavar="SEVERITY", help="Show these severities (error, warning, info, ok or all; "
                  "repeatable or comma-separated). Default: error and warning (json/csv: all)."),
              all_findings: bool = typer.Option(False, "--all-findings", "-A", metavar="", help="Show every finding (= --severity all)."),
              width: Optional[int] = typer.Option(None, "--width", metavar="N", help="Line width for text (default: $COLUMNS, the terminal, or 80)."),
              fail: bool = typer.Option(True, "--fail/--no-fail", metavar="", help="Exit with status 1 when an error is found."),
              all_reports: bool = typer.Option(False, "--all", metavar="", help="Every catalogued report."),
              data: Optional[Path] = DATA) -> None:
    """Recompute every identity the report implies and list the findings (amounts in 万元):
    a summary line, then one block per finding. Errors and warnings by default."""
    from xinzhou_fiscal.checks import exit_code, findings_records, format_findings
    from xinzhou_fiscal.checks import formatting as af
    from xinzhou_fiscal.store.cache import partner_budget
    _use_data(data)
    if fmt == "table":  # the former name of the readable listing
        fmt = "text"
    if fmt not in af.FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(af.FORMATS)}")
    try:  # machine formats carry every finding unless --severity narrows them
        shown = af.severities_for(severity, all_findings or (fmt in ("json", "csv") and not severity))
    except ValueError as e:
        raise typer.BadParameter(str(e))
    status = 0
    for src in _targets(source, all_reports):
        try:
            report = _open(src)
        except (ReportError, CatalogError) as e:
            _fail(e)
        budget = partner_budget(report)
        findings = findings_records(report, budget=budget)   # records: pandas only for --format csv
        status = max(status, exit_code(findings))
        if fmt in ("json", "csv"):
            sys.stdout.write(format_findings(af.select(findings, shown), fmt))
        elif fmt == "markdown":
            sys.stdout.write(af.render_markdown(findings, report.report_id, shown, af.coverage_line(report, budget)))
        else:
            sys.stdout.write(af.render_text(findings, report.report_id, shown, width,
                                            af.coverage_line(report, budget)))
    if fail and status:
        raise typer.Exit(1)


@app.command("annotate")
def annotate_cmd(source: str = typer.Argument(..., metavar="ID|FILE", help="A PDF report file or a catalogued report id."),
                 out: Path = typer.Option(..., "--out", metavar="FILE.pdf", help="Where to write the annotated copy."),
                 data: Optional[Path] = DATA) -> None:
    """Write a copy of a PDF report with every error and warning of the audit boxed on its page
    (the printed figure and the figures it contradicts), each box with a note holding the finding."""
    from xinzhou_fiscal.publish.annotate import annotate_pdf, marked_pages, read_annotations
    _use_data(data)
    try:
        report = _open(source)
        pdf = annotate_pdf(report)
    except (ReportError, CatalogError) as e:
        _fail(e)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(pdf)
    except OSError as e:
        _fail(f"cannot write {out}: {e.strerror or e}")
    marks = read_annotations(pdf)
    console.print(f"wrote {out}: {len(marks)} boxes on pages {', '.join(map(str, sorted(marked_pages(marks)))) or '(none)'}",
                  highlight=False)


@app.command("run")
def run_cmd(jobs: int = typer.Option(2, "--jobs", "-j", metavar="N", help="Parallel processes."),
            report_ids: Optional[list[str]] = typer.Option(None, "--report-id", metavar="ID", help="Only these reports (repeatable)."),
            scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS", help="Run on a Dask distributed cluster at this address, e.g. tcp://127.0.0.1:8786."),
            out: Optional[Path] = typer.Option(None, "--out", metavar="DIR", help="Output folder (default: reports/ of the project)."),
            html: bool = typer.Option(True, "--html/--no-html", metavar="", help="Also export HTML."),
            data: Optional[Path] = DATA) -> None:
    """Main job: execute the per-department notebook for every catalogued report, then the
    comparative notebook, writing executed notebooks and HTML to reports/. Exits 1 if any failed."""
    from xinzhou_fiscal import paths
    from xinzhou_fiscal.batch import run_batch
    _use_data(data)
    try:
        summary = run_batch(report_ids=report_ids or None, jobs=jobs, out_dir=out or paths.REPORTS_DIR,
                            scheduler=scheduler, html=html)
    except (ReportError, CatalogError) as e:
        _fail(e)
    raise typer.Exit(summary.exit_code)


@app.command("add")
def add_cmd(files: list[Path] = typer.Argument(..., metavar="FILE", help="Report files (.txt/.pdf/.docx/.doc/.xlsx/.xls/.html) or folders of them."),
            report_id: Optional[str] = typer.Option(None, "--id", metavar="ID", help="Report id (one file only); default: from the file name."),
            source: Optional[str] = typer.Option(None, "--source", metavar="URL", help="URL the file was downloaded from."),
            retrieved: Optional[str] = typer.Option(None, "--retrieved", metavar="DATE", help="Date retrieved, YYYY-MM-DD."),
            licence: Optional[str] = typer.Option(None, "--licence", metavar="TEXT", help="Licence or terms of the publication."),
            force: bool = typer.Option(False, "--force", metavar="", help="Catalogue a report that parses only partly, as incomplete "
                                       "(a file that is not a report is never catalogued)."),
            one_report: bool = typer.Option(False, "--one-report", metavar="", help="The files are one report split over several files (narrative in one, tables in another)."),
            data: Optional[Path] = DATA) -> None:
    """Copy reports into the data folder's raw/, parse each once and add it to its catalogue.
    Exits 1 when a file was refused."""
    from rich.progress import Progress

    from xinzhou_fiscal import paths
    from xinzhou_fiscal.store.add import add_reports, report_files
    _use_data(data, create=True)
    todo = report_files(files)
    if report_id and len(todo) != 1 and not one_report:
        raise typer.BadParameter("--id names one report: give exactly one file")
    options = dict(report_id=report_id, force=force, source=source, retrieved=retrieved, licence=licence)
    try:
        with Progress(console=err_console, transient=True, disable=len(todo) < 2) as bar:
            task = bar.add_task("adding", total=len(todo))
            results = add_reports(files, progress=lambda f: bar.advance(task), one_report=one_report, **options)
    except CatalogError as e:
        _fail(e)
    for r in results:
        if r.ok:
            done = "" if r.entry.get("complete") else " [yellow](incomplete)[/]"
            console.print(f"added {r.entry['report_id']} ← {r.file.name}{done}", highlight=False)
    failed = [r for r in results if not r.ok]
    for r in failed:
        err_console.print(f"[red]refused[/] {r.error}", highlight=False)
    console.print(f"{len(results) - len(failed)} added, {len(failed)} refused · data folder {paths.data_dir()}",
                  highlight=False)
    if failed:
        raise typer.Exit(1)


@app.command("export")
def export_cmd(ids: Optional[list[str]] = typer.Argument(None, metavar="ID", help="Catalogued report ids (default: every one)."),
               formats: list[str] = typer.Option(["xlsx"], "--format", "-f", metavar="FORMAT",
                                                 help="xlsx, csv, parquet, datapackage or duckdb (repeatable)."),
               out: Path = typer.Option(Path("exports"), "--out", metavar="DIR", help="Output folder."),
               data: Optional[Path] = DATA) -> None:
    """Write the datasets of catalogued reports as Excel workbooks, CSV, Parquet, a Frictionless
    data package or a DuckDB database (amounts in 万元)."""
    from xinzhou_fiscal.store.export import FORMATS, export
    _use_data(data)
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}; got {', '.join(bad)}")
    try:
        written = export(ids or None, formats, out)
    except (ReportError, CatalogError) as e:
        _fail(e)
    for fmt, files in written.items():
        console.print(f"{fmt}: {len(files)} file(s) in {out}", highlight=False)


def main() -> None:
    """The ``xinzhou-fiscal`` script: the app, with any report or catalogue error as one line."""
    try:
        app()
    except (ReportError, CatalogError) as e:
        err_console.print(f"[bold red]error:[/] {e}", highlight=False)
        raise SystemExit(2) from None
    except ModuleNotFoundError as e:
        if e.name not in ("dask", "distributed"):
            raise
        err_console.print("[bold red]error:[/] --scheduler needs Dask: pip install 'xinzhou-fiscal\\[cluster]'")
        raise SystemExit(2) from None


