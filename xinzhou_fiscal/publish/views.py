"""The department notebook's displays (its written summary, tables and charts), rendered once per
report and code and then served from the cache.

A notebook kernel that only shows what was rendered before imports neither pandas nor matplotlib
and parses nothing, which is most of what a department notebook used to cost (about 1.5 s of
imports and 3 s of charts per kernel). What it shows is exactly what the library renders:

- ``page = Page(report_id)`` checks the id against the catalogue (an unknown id raises
  :class:`~xinzhou_fiscal.errors.UnknownReportError` listing the valid ones) and the raw file
  against its sha256 (:class:`~xinzhou_fiscal.errors.ChecksumMismatchError`), before anything is
  read from the cache;
- ``page.summary()``: :func:`xinzhou_fiscal.analysis.summary.department_summary` (Markdown);
- ``page.table(name, *args, caption=…, **kwargs)``: ``xinzhou_fiscal.analysis.present.show``
  (an HTML table, :data:`~xinzhou_fiscal.analysis.present.DISPLAYS`);
- ``page.figure(name)``: a chart of :data:`xinzhou_fiscal.publish.figures.FIGURES` as PNG;
  ``page.figure(name, live=True)`` returns the matplotlib Figure itself, to restyle or extend;
- ``page.report``: the parsed :class:`~xinzhou_fiscal.report.model.Report`, for analysis of one's own
  (loaded on first use, from :mod:`xinzhou_fiscal.store.cache`).

A batch worker renders them ahead of the kernel (:func:`prerender`: the calls the notebook makes,
found in its cells), in a process that keeps pandas and matplotlib imported from one report to the
next; the kernel is then served the same bundles. :func:`render_ahead` does it in children forked
from the worker (the charts in one, the summary and tables in the other) while the kernel starts;
the kernel waits for each display they will write (:data:`RENDERING_MARKER`) instead of rendering it.

Served from the cache, a kernel reads the catalogue, hashes the raw file and reads each display's
JSON: it imports neither pandas nor matplotlib nor the readers, loads no parsed report, and takes the
code fingerprint remembered in the cache folder (:func:`xinzhou_fiscal.store.cache.code_fingerprint`).

Each display is a MIME bundle stored as JSON under the report's cache stem
(``<id>--<sha256>--<code>.views/``, next to its parsed-report pickle), so a changed document,
a changed package or a new pandas/matplotlib version renders again. Files are written
atomically; one that cannot be read is rendered again and replaced. ``XINZHOU_FISCAL_CACHE=off``
renders every time.
"""
from __future__ import annotations

import ast
import base64
import hashlib
import json
import os
import socket
import threading
import time
import warnings
from pathlib import Path
from typing import Any, Callable

from xinzhou_fiscal.store import cache as parsed_cache
from xinzhou_fiscal.store import catalogue

#: MIME type → the method of a displayable object that gives it (besides text/plain, from repr)
_REPR_METHODS = (("text/html", "_repr_html_"), ("text/markdown", "_repr_markdown_"))


class View:
    """One rendered display: a MIME bundle (``text/html``, ``text/markdown`` or ``image/png``,
    and always ``text/plain``) that a notebook shows as the library rendered it."""

    def __init__(self, bundle: dict[str, str]):
        self.bundle = bundle

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return dict(self.bundle)

    def __repr__(self) -> str:
        return self.bundle.get("text/plain", "")


def bundle_of(obj: Any) -> dict[str, str]:
    """The MIME bundle a notebook would show for ``obj`` (its ``_repr_html_`` or
    ``_repr_markdown_``, and ``repr`` as text/plain)."""
    bundle = {mime: getattr(obj, method)() for mime, method in _REPR_METHODS if hasattr(obj, method)}
    bundle["text/plain"] = repr(obj)
    return bundle


def figure_bundle(fig: Any) -> dict[str, str]:
    """A matplotlib Figure as a PNG bundle (text/plain: ``[图] <title>``); the figure is closed."""
    from xinzhou_fiscal.publish.charts import png_bytes

    title = next((ax.get_title() for ax in fig.axes if ax.get_title()), "")
    return {"image/png": base64.b64encode(png_bytes(fig)).decode("ascii"), "text/plain": f"[图] {title}"}


class Page:
    """The displays of one catalogued report (see the module docstring). ``keep=False``: the
    parsed report is held by this page only, not for the rest of the process (a batch worker that
    renders one report after another)."""

    def __init__(self, report_id: str, *, keep: bool = True):
        entry = catalogue.entry(report_id)
        catalogue.verified_path(report_id)
        self.report_id: str = report_id
        self.sha256: str = entry["sha256"]
        self._keep = keep
        self._report = None
        #: displays rendered but not yet written (:func:`prerender`), and the files a rendering
        #: ahead will write (:func:`render_ahead`); both None in a kernel
        self._held: list[tuple[Path, bytes]] | None = None
        self._planned: list[str] | None = None
        stem = parsed_cache.cache_stem(report_id, self.sha256)
        #: folder of this report's rendered displays (None when the cache is off)
        self.folder: Path | None = None if stem is None else stem.with_name(stem.name + ".views")

    @property
    def report(self):
        """The parsed report (:func:`xinzhou_fiscal.store.cache.parsed`: read once per page, and
        once per process unless ``keep=False``)."""
        from xinzhou_fiscal.analysis.summary import department_summary

        if self._report is None:
            self._report = parsed_cache.parsed(self.report_id, keep=self._keep, prepare=(department_summary,))
        return self._report

    def summary(self) -> View:
        """The written summary that opens the report (Markdown, Chinese; figures in 万元)."""
        def render() -> dict[str, str]:
            from xinzhou_fiscal.analysis.summary import department_summary

            return bundle_of(department_summary(self.report))

        return self._view(["summary"], render)

    def table(self, name: str, *args: Any, caption: str = "", **kwargs: Any) -> View:
        """``present.show(name, report, *args, caption=caption, **kwargs)``: an analysis table
        fit to print (Chinese headers with units, 万元 with two decimals, blanks blank)."""
        def render() -> dict[str, str]:
            from xinzhou_fiscal.analysis.present import show

            return bundle_of(show(name, self.report, *args, caption=caption, **kwargs))

        return self._view(["table", name, list(args), caption, kwargs], render)

    def figure(self, name: str, *, live: bool = False):
        """Chart ``name`` of :data:`~xinzhou_fiscal.publish.figures.FIGURES` as a PNG view; with
        ``live=True``, the matplotlib Figure (styled by :func:`~xinzhou_fiscal.publish.charts.apply_style`)."""
        def draw():
            from xinzhou_fiscal.publish.charts import apply_style
            from xinzhou_fiscal.publish.figures import FIGURES

            apply_style()
            return FIGURES[name].func(self.report)

        if live:
            return draw()

        def render() -> dict[str, str]:
            import matplotlib

            with matplotlib.rc_context():
                return figure_bundle(draw())

        return self._view(["figure", name], render)

    def _view(self, key: list, render: Callable[[], dict[str, str]]) -> View | None:
        path = self._path(key)
        if self._planned is not None:           # listing the files a rendering ahead will write
            if path is not None:
                self._planned.append(path.name)
            return None
        bundle = _stored(path)
        if bundle is None and path is not None and _rendered_ahead(path):
            bundle = _stored(path)
        if bundle is not None:
            return View(bundle)
        bundle = render()
        if path is not None:
            record = json.dumps({"key": key, "bundle": bundle}, ensure_ascii=False).encode("utf-8")
            if self._held is None:
                parsed_cache.write_atomically(path, record)
            else:                               # prerender: written once it is known not to warn
                self._held.append((path, record))
        return View(bundle)

    def _path(self, key: list) -> Path | None:
        if self.folder is None:
            return None
        text = json.dumps(key, ensure_ascii=False, sort_keys=True)
        return self.folder / f"{hashlib.sha256(text.encode()).hexdigest()[:24]}.json"


# --------------------------------------------------------------------------- rendering ahead of the kernel

#: the methods of :class:`Page` that give a cached display
_DISPLAY_METHODS = ("summary", "table", "figure")


def notebook_displays(notebook: Path | str) -> list[tuple[str, tuple, dict]]:
    """The cached displays a notebook asks for: each call ``<page>.summary()``, ``<page>.table(…)``
    or ``<page>.figure(…)`` in its code cells, where ``<page>`` is a name the notebook binds to
    ``Page(…)`` and every argument is a literal, as ``(method, args, kwargs)`` in the order of the
    cells. Other calls (a computed argument, ``live=True``, a cell that is not Python) are left to
    the kernel."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    trees = []
    for cell in cells:
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            try:
                trees.append(ast.parse("".join(source) if isinstance(source, list) else source))
            except SyntaxError:  # IPython magics: not a display call of ours
                continue
    pages = {t.id for tree in trees for node in ast.walk(tree) if isinstance(node, ast.Assign)
             and isinstance(node.value, ast.Call) and getattr(node.value.func, "id", None) == Page.__name__
             for t in node.targets if isinstance(t, ast.Name)}
    found = []
    for tree in trees:
        for node in ast.walk(tree):
            call = _display_call(node, pages)
            if call is not None:
                found.append(call)
    return found


def _display_call(node: ast.AST, pages: set[str]) -> tuple[str, tuple, dict] | None:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id in pages
            and node.func.attr in _DISPLAY_METHODS):
        return None
    try:
        args = tuple(ast.literal_eval(a) for a in node.args)
        kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg is not None}
    except (ValueError, TypeError, SyntaxError):  # a computed argument: rendered by the kernel
        return None
    if len(kwargs) != len(node.keywords) or kwargs.get("live"):
        return None
    return node.func.attr, args, kwargs


def prerender(report_id: str, notebook: Path | str):
    """Render into the cache, in this process, every display ``notebook`` asks of
    ``Page(report_id)`` (:func:`notebook_displays`), so that its kernel is served them: a batch
    worker keeps pandas and matplotlib imported from one report to the next, where each kernel
    would import them again. The kernel shows the same bundles it would have rendered. A display
    whose rendering warns is not stored (the kernel renders it and shows the warning); one that
    fails is left to the kernel, which reports the error in the notebook. Returns the parsed
    report (None when the cache is off or the page cannot be opened: the kernel says why)."""
    page = _page_to_render(report_id)
    if page is None:
        return None
    _render_into_cache(page, notebook_displays(notebook))
    return page._report


def _page_to_render(report_id: str) -> Page | None:
    try:
        page = Page(report_id, keep=False)
    except Exception:  # noqa: BLE001 - the kernel raises it again, in the notebook
        return None
    return None if page.folder is None else page


def _render_into_cache(page: Page, displays: list[tuple[str, tuple, dict]]) -> None:
    """Each display rendered and written, unless it failed or warned (what a kernel shows: it hides
    the libraries' own deprecation notices)."""
    for method, args, kwargs in displays:
        page._held = []
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                getattr(page, method)(*args, **kwargs)
            if all(issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning)) for w in caught):
                for path, record in page._held:
                    parsed_cache.write_atomically(path, record)
        except Exception:  # noqa: BLE001 - the kernel raises it again, in the notebook
            continue
        finally:
            page._held = None


# --------------------------------------------------------------------------- rendering beside the kernel

#: written in a report's views folder while another process renders the displays a kernel is about
#: to ask for (:func:`render_ahead`): that process's id, host and start time and the display files it
#: will write
RENDERING_MARKER = ".rendering.json"
#: how long after its marker was written a kernel still waits for a display rendered beside it,
#: rather than rendering it itself (s)
WAIT_SECONDS = 600.0
#: True in the processes :func:`render_ahead` forks
_RENDERING_AHEAD = False


def _stored(path: Path | None) -> dict[str, str] | None:
    """The bundle stored at ``path``, or None (absent, or damaged: rendered again and replaced)."""
    if path is None or not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))["bundle"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _rendered_ahead(path: Path) -> bool:
    """Whether the display file ``path`` was written by a process rendering it beside this one:
    waits while the folder's :data:`RENDERING_MARKER` lists the file, its process lives and it was
    written less than :data:`WAIT_SECONDS` ago (never in the process rendering them)."""
    if _RENDERING_AHEAD:                        # the renderer itself: it waits for nobody
        return False
    marker = path.parent / RENDERING_MARKER
    while not path.is_file():
        try:
            ahead, written = json.loads(marker.read_text(encoding="utf-8")), marker.stat().st_mtime
        except (OSError, ValueError):           # none, or gone: it has finished
            break
        if path.name not in ahead.get("files", ()) or time.time() > written + WAIT_SECONDS \
                or not _alive(ahead.get("pid"), ahead.get("host"), ahead.get("started")):
            break
        time.sleep(0.005)
    return path.is_file()


def _alive(pid: Any, host: Any, started: Any = None) -> bool:
    """Whether process ``pid`` of ``host``, started at ``started`` (:func:`_process_stat`), still
    runs: a process of another host is taken as alive; an exited child not yet reaped by its
    parent is not, nor a later process given the same id."""
    if not isinstance(pid, int):
        return False
    if host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    stat = _process_stat(pid)
    return stat is None or (stat[0] != "Z" and (started is None or stat[1] == started))


def _process_stat(pid: int) -> tuple[str, str] | None:
    """A process's state (``Z``: exited, not reaped) and start time (clock ticks since boot), from
    ``/proc/<pid>/stat``; None where there is no /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return fields[0], fields[19]
    except (OSError, IndexError):
        return None


class RenderingAhead:
    """A :func:`render_ahead` under way; :meth:`wait` ends it."""

    def __init__(self, report=None, pid: int | None = None):
        self._report = report
        #: the rendering child's process id (None: rendered in this process, or nothing to render)
        self.pid = pid

    def wait(self):
        """Wait for the rendering process to end; the parsed report when it was rendered in this
        process, else None (read it from the cache: :func:`xinzhou_fiscal.store.cache.parsed`)."""
        if self.pid is not None:
            os.waitpid(self.pid, 0)
            self.pid = None
        return self._report


def render_ahead(report_id: str, notebook: Path | str) -> RenderingAhead:
    """:func:`prerender`, in a child process forked from this one, while the caller starts the
    notebook's kernel: a batch worker (which keeps pandas and matplotlib imported) renders the
    displays on one core while the kernel starts on the other. The kernel waits for each display
    the child will write (:data:`RENDERING_MARKER`) instead of rendering it, and renders itself any
    that the child leaves out (one that warned or failed). Where this process cannot fork safely
    (no ``os.fork``, or threads running, as in a Dask worker) it renders here first, as
    :func:`prerender`. Call :meth:`RenderingAhead.wait` when the kernel is done."""
    global _RENDERING_AHEAD
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return RenderingAhead(prerender(report_id, notebook))
    page = _page_to_render(report_id)
    if page is None:
        return RenderingAhead()
    displays = notebook_displays(notebook)
    _renderer_imports()                     # kept by this process for the next report, shared with the child
    page._planned = []
    for method, args, kwargs in displays:
        try:
            getattr(page, method)(*args, **kwargs)
        except Exception:  # noqa: BLE001 - a call the kernel will report: nothing to wait for
            continue
    files, page._planned = page._planned, None
    ready, told = os.pipe()
    pid = os.fork()
    if pid == 0:                            # the child: mark, tell the parent, render, unmark, exit
        _RENDERING_AHEAD = True
        try:
            os.close(ready)
            marker = page.folder / RENDERING_MARKER
            me = os.getpid()
            parsed_cache.write_atomically(marker, json.dumps(
                {"pid": me, "host": socket.gethostname(), "started": (_process_stat(me) or (None, None))[1],
                 "files": files}).encode("utf-8"))
            os.write(told, b".")
            os.close(told)
            try:
                _render_in_two(page, displays)
            finally:
                marker.unlink(missing_ok=True)
        finally:
            os._exit(0)
    os.close(told)
    os.read(ready, 1)                       # the marker is written before any kernel can look for it
    os.close(ready)
    return RenderingAhead(pid=pid)


def _render_in_two(page: Page, displays: list[tuple[str, tuple, dict]]) -> None:
    """The report parsed and audited once (into the cache; the written summary is left to the
    rendering that follows), then its charts rendered by a child forked from this process while
    this one renders the summary and the tables: the charts (about half the work) on one core, the
    rest on the other."""
    figures = [d for d in displays if d[0] == "figure"]
    others = [d for d in displays if d[0] != "figure"]
    try:
        with warnings.catch_warnings(record=True):   # a parse warning: the kernel loads the pickle, silently
            warnings.simplefilter("always")
            page._report = parsed_cache.parsed(page.report_id, keep=False)
    except Exception:  # noqa: BLE001 - the kernel raises it again, in the notebook
        figures, others = [], displays
    pid = os.fork() if figures and others else -1
    if pid == 0:
        try:
            _render_into_cache(page, figures)
        finally:
            os._exit(0)
    try:
        _render_into_cache(page, others if pid > 0 else displays)
    finally:
        if pid > 0:
            os.waitpid(pid, 0)


def _renderer_imports() -> None:
    """What rendering the displays imports (pandas, matplotlib with its style and the CJK font
    registered), imported in this process so that every child forked from it starts with them."""
    import matplotlib

    from xinzhou_fiscal.analysis import present, summary  # noqa: F401 - imported for the children
    from xinzhou_fiscal.publish import charts, figures  # noqa: F401

    with matplotlib.rc_context():
        charts.apply_style()
