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

A batch worker renders them before the kernel starts (:func:`prerender`: the calls the notebook
makes, found in its cells), in a process that keeps pandas and matplotlib imported from one report
to the next; the kernel is then served the same bundles.

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

    def _view(self, key: list, render: Callable[[], dict[str, str]]) -> View:
        path = self._path(key)
        if path is not None and path.is_file():
            try:
                return View(json.loads(path.read_text(encoding="utf-8"))["bundle"])
            except (OSError, ValueError, KeyError, TypeError):  # damaged: render again, replace it
                pass
        bundle = render()
        if path is not None:
            record = {"key": key, "bundle": bundle}
            parsed_cache.write_atomically(path, json.dumps(record, ensure_ascii=False).encode("utf-8"))
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
    try:
        page = Page(report_id, keep=False)
    except Exception:  # noqa: BLE001 - the kernel raises it again, in the notebook
        return None
    if page.folder is None:
        return None
    for method, args, kwargs in notebook_displays(notebook):
        before = set(page.folder.glob("*.json")) if page.folder.is_dir() else set()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                getattr(page, method)(*args, **kwargs)
            except Exception:  # noqa: BLE001 - the kernel raises it again, in the notebook
                continue
        # what a kernel shows (it hides the libraries' own deprecation notices)
        if any(not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning)) for w in caught):
            for path in set(page.folder.glob("*.json")) - before:
                path.unlink(missing_ok=True)
    return page._report
