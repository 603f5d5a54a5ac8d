"""The department notebook's displays rendered once and served from the cache
(xinzhou_fiscal.publish.views): a served display shows the document's figures; serving imports neither
pandas nor matplotlib; the key tells calls apart; a changed document or a damaged file is never
served; a live figure is still there for researchers; a batch worker renders a notebook's
displays ahead of its kernel (prerender), which is then served all of them. Values typed from
data/raw/xinzhou_swbgs_2023_final.txt."""
from __future__ import annotations

import base64
import json
import subprocess
import sys
import warnings

import pytest

from xinzhou_fiscal import errors, paths
from xinzhou_fiscal.publish.views import Page, notebook_displays, prerender
from xinzhou_fiscal.store import cache as parsed_cache
from xinzhou_fiscal.store import catalogue

SEED_ID = "xinzhou-swbgs-2023"

#: what rendering needs and serving must not import: the tables and charts, reading or loading the
#: report (its pickle holds a Report), and the distributions' metadata (the code fingerprint is
#: remembered in the cache folder)
SERVED_WITHOUT = ('pandas', 'matplotlib', 'pdfplumber', 'xinzhou_fiscal.read.source', 'xinzhou_fiscal.report.parse',
                  'xinzhou_fiscal.report.model', 'importlib.metadata')

SERVE_EVERYTHING = f"IMPORTED_TO_RENDER = {SERVED_WITHOUT!r}\n" + """
import json, sys
from xinzhou_fiscal.publish.views import Page
page = Page('xinzhou-swbgs-2023')
views = {'summary': page.summary(), 'totals': page.table('totals'),
         'items': page.table('expenditure_by_function', '项', table='general_budget_expenditure'),
         'three_public': page.figure('three_public')}
print(json.dumps({'bundles': {k: v.bundle for k, v in views.items()},
                  'imported': sorted(m for m in IMPORTED_TO_RENDER if m in sys.modules)}))
"""


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(parsed_cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(parsed_cache, "_REPORTS", {})
    return tmp_path / "cache"


def _serve_in_new_process(cache_dir) -> dict:
    code = f"import os; os.environ['{parsed_cache.CACHE_ENV}'] = {str(cache_dir)!r}\n" + SERVE_EVERYTHING
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300)
    return json.loads(out.stdout)


def test_a_second_kernel_is_served_the_same_displays_without_pandas_or_matplotlib(cache):
    first = _serve_in_new_process(cache)
    second = _serve_in_new_process(cache)
    assert {"matplotlib", "pandas"} <= set(first["imported"])  # rendered: parsed, tabulated, drawn
    assert second["imported"] == []                           # served: nothing of that imported
    assert second["bundles"] == first["bundles"]
    bundles = second["bundles"]
    # 情况说明 line 400: 支出总计2,795.38万元 … 减少959.88万元，下降25.56%
    assert "2,795.38" in bundles["summary"]["text/markdown"] and "25.56%" in bundles["summary"]["text/markdown"]
    # 公开01表: 本年收入合计 2792.45, 总计 2795.38
    assert "2,792.45" in bundles["totals"]["text/html"] and "2,795.38" in bundles["totals"]["text/html"]
    # 公开05表 line 240: 2013101 行政运行 1365.87
    assert "2013101" in bundles["items"]["text/html"] and "1,365.87" in bundles["items"]["text/html"]
    png = base64.b64decode(bundles["three_public"]["image/png"])
    assert png.startswith(b"\x89PNG") and bundles["three_public"]["text/plain"] == "[图] “三公”经费 预算与决算（万元）"
    assert len(list(cache.glob(f"{SEED_ID}--*.views/*.json"))) == 4


def test_the_key_tells_arguments_apart(cache):
    page = Page(SEED_ID)
    classes = page.table("expenditure_by_function", "类").bundle["text/html"]
    items = page.table("expenditure_by_function", "项").bundle["text/html"]
    # 公开03表 rows: 类 201 一般公共服务支出; 项 2013101 行政运行 — each only at its own level
    assert "一般公共服务支出" in classes and "行政运行" not in classes
    assert "行政运行" in items
    captioned = page.table("totals", caption="收入支出决算总表（公开01表）").bundle["text/html"]
    assert "收入支出决算总表（公开01表）" in captioned
    assert "收入支出决算总表" not in page.table("totals").bundle["text/html"]


def test_the_folder_carries_the_document_and_the_code(cache):
    page = Page(SEED_ID)
    sha = catalogue.entry(SEED_ID)["sha256"]
    assert page.folder.parent == cache
    assert sha[:16] in page.folder.name and parsed_cache.code_fingerprint()[:16] in page.folder.name


def test_a_damaged_file_is_rendered_again_and_replaced(cache):
    Page(SEED_ID).table("totals")
    (stored,) = list(cache.glob(f"{SEED_ID}--*.views/*.json"))
    stored.write_text("{not json", encoding="utf-8")
    assert "2,795.38" in Page(SEED_ID).table("totals").bundle["text/html"]
    assert json.loads(stored.read_text(encoding="utf-8"))["key"] == ["table", "totals", [], "", {}]


def test_with_the_cache_off_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv(parsed_cache.CACHE_ENV, "off")
    monkeypatch.setattr(parsed_cache, "_REPORTS", {})
    page = Page(SEED_ID)
    assert page.folder is None
    assert "2,795.38" in page.summary().bundle["text/markdown"]


def test_an_unknown_id_fails_listing_the_valid_ones(cache):
    with pytest.raises(errors.UnknownReportError, match=r"unknown report id '\.\./x'; valid ids: .*xinzhou-swbgs-2023"):
        Page("../x")
    assert not cache.exists()


def test_a_changed_document_is_refused_before_the_cache_is_read(tmp_path, cache, monkeypatch):
    Page(SEED_ID).summary()
    real = catalogue.verified_path(SEED_ID)
    copy = tmp_path / "raw" / real.name
    copy.parent.mkdir()
    copy.write_bytes(real.read_bytes().replace("2795.38".encode(), "2795.39".encode(), 1))
    monkeypatch.setattr(catalogue, "raw_path", lambda entry, data_dir=None: copy)
    with pytest.raises(errors.ChecksumMismatchError):
        Page(SEED_ID)


def test_a_live_figure_is_a_matplotlib_figure_with_the_printed_values(cache):
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # a missing glyph would be a warning
        fig = Page(SEED_ID).figure("three_public", live=True)
    ax = fig.axes[0]
    assert ax.get_title() == "“三公”经费 预算与决算（万元）"
    # 公开09表 line 358: 预算 and 决算 合计 8.59; 因公出国(境)费 and 公务接待费 printed blank — no bar label
    labels = [t.get_text() for t in ax.texts]
    assert labels.count("8.59") == 6 and "0.00" not in labels
    assert not list(cache.glob("*.views/*.json")), "a live figure is not a cached display"


# --------------------------------------------------------------------------- rendered ahead of the kernel

DEPARTMENT_NOTEBOOK = paths.NOTEBOOKS_DIR / "10-department-analysis.ipynb"

SERVE_THE_NOTEBOOK = f"IMPORTED_TO_RENDER = {SERVED_WITHOUT!r}\n" + """
import json, sys
from xinzhou_fiscal.publish.views import Page, notebook_displays
page = Page('xinzhou-swbgs-2023')
shown = [getattr(page, m)(*a, **k).bundle for m, a, k in notebook_displays(NOTEBOOK)]
print(json.dumps({'shown': shown, 'imported': sorted(m for m in IMPORTED_TO_RENDER if m in sys.modules)}))
"""


def _notebook(path, *sources: str):
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "source": s, "outputs": []}
                                          for s in sources]}), encoding="utf-8")
    return path


def test_the_display_calls_of_a_notebook_are_found_with_their_literal_arguments(tmp_path):
    calls = notebook_displays(DEPARTMENT_NOTEBOOK)
    # the notebook's cells: the summary, its tables (one captioned 公开01表) and its six charts
    assert calls[0] == ("summary", (), {})
    assert ("table", ("totals",), {"caption": "收入支出决算总表（公开01表）"}) in calls
    assert ("table", ("expenditure_by_function", "项"), {"table": "general_budget_expenditure"}) in calls
    assert [a[0] for m, a, k in calls if m == "figure"] == ["income_sources", "expenditure_by_class", "economic_classes",
                                                           "three_public", "budget_completion", "execution_scores"]
    nb = _notebook(tmp_path / "x.ipynb", "%matplotlib inline", "p = Page(report_id)\np.table('totals')",
                   "p.table(name)", "p.figure('three_public', live=True)", "other.table('vehicles')",
                   "p.table('headline', **opts)")
    assert notebook_displays(nb) == [("table", ("totals",), {})]


def test_prerendered_displays_are_what_the_kernel_is_served_without_pandas_or_matplotlib(cache):
    report = prerender(SEED_ID, DEPARTMENT_NOTEBOOK)
    assert report.report_id == SEED_ID
    stored = len(list(cache.glob(f"{SEED_ID}--*.views/*.json")))
    assert stored == len(notebook_displays(DEPARTMENT_NOTEBOOK)) == 27
    code = f"import os; os.environ['{parsed_cache.CACHE_ENV}'] = {str(cache)!r}\n" \
        f"NOTEBOOK = {str(DEPARTMENT_NOTEBOOK)!r}\n" + SERVE_THE_NOTEBOOK
    out = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                    timeout=300).stdout)
    assert out["imported"] == []
    assert len(list(cache.glob(f"{SEED_ID}--*.views/*.json"))) == stored   # nothing rendered in the kernel
    # 情况说明 line 400: 支出总计2,795.38万元; 公开01表 本年收入合计 2792.45
    assert "2,795.38" in out["shown"][0]["text/markdown"]
    assert any("2,792.45" in b.get("text/html", "") for b in out["shown"])


def test_a_display_that_warns_is_left_to_the_kernel_a_deprecation_notice_is_not(cache, tmp_path, monkeypatch):
    from xinzhou_fiscal.analysis import present

    real = present.show

    def warning_show(name, *args, **kwargs):
        if name == "vehicles":
            warnings.warn("公开10表 could not be read", errors.MissingPieceWarning)
        else:   # a library's deprecation notice, which a kernel does not show either
            warnings.warn("an old keyword", DeprecationWarning)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(present, "show", warning_show)
    nb = _notebook(tmp_path / "x.ipynb", "page = Page(report_id)", "page.table('vehicles')", "page.table('totals')")
    prerender(SEED_ID, nb)
    (stored,) = list(cache.glob(f"{SEED_ID}--*.views/*.json"))
    assert json.loads(stored.read_text(encoding="utf-8"))["key"] == ["table", "totals", [], "", {}]


def test_an_unknown_id_is_left_to_the_kernel_to_report(cache):
    assert prerender("../x", DEPARTMENT_NOTEBOOK) is None
    assert not cache.exists()


# --------------------------------------------------------------------------- rendered beside the kernel

def _marker(page: Page, files: list[str], pid: int, **fields):
    import socket

    from xinzhou_fiscal.publish import views

    page.folder.mkdir(parents=True, exist_ok=True)
    marker = page.folder / views.RENDERING_MARKER
    marker.write_text(json.dumps({"pid": pid, "host": socket.gethostname(), "files": files, **fields}),
                      encoding="utf-8")
    return marker


def test_a_kernel_waits_for_a_display_rendered_beside_it_instead_of_rendering_it(cache, monkeypatch):
    import os
    import threading

    from xinzhou_fiscal.analysis import present

    page = Page(SEED_ID)
    path = page._path(["table", "totals", [], "", {}])
    _marker(page, [path.name], os.getpid())
    bundle = {"text/html": "<table>公开01表 本年收入合计 2,792.45</table>", "text/plain": "totals"}

    def render_beside():
        parsed_cache.write_atomically(path, json.dumps({"key": [], "bundle": bundle}).encode("utf-8"))

    def no_rendering_here(*args, **kwargs):
        raise AssertionError("the kernel rendered a display that was being rendered beside it")

    monkeypatch.setattr(present, "show", no_rendering_here)
    timer = threading.Timer(0.3, render_beside)
    timer.start()
    try:
        assert page.table("totals").bundle == bundle
    finally:
        timer.join()


def test_a_display_whose_renderer_is_gone_or_that_it_leaves_out_is_rendered_by_the_kernel(cache):
    import time

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = int(done.stdout)             # a process that has exited
    page = Page(SEED_ID)
    _marker(page, [page._path(["table", "totals", [], "", {}]).name], gone)
    start = time.monotonic()
    # 公开01表: 本年收入合计 2792.45, 总计 2795.38
    assert "2,792.45" in page.table("totals").bundle["text/html"]
    assert "2,795.38" in page.table("headline").bundle["text/html"]   # not among the marker's files
    assert time.monotonic() - start < 30


def test_an_old_marker_or_one_whose_process_id_was_given_again_is_not_waited_for(cache):
    import os
    import time

    from xinzhou_fiscal.publish import views

    page = Page(SEED_ID)
    name = page._path(["table", "totals", [], "", {}]).name
    # this process is alive, but it is not the one that started at tick 1
    _marker(page, [name], os.getpid(), started="1")
    start = time.monotonic()
    assert "2,792.45" in page.table("totals").bundle["text/html"]       # 公开01表 本年收入合计
    (page.folder / name).unlink()
    marker = _marker(page, [name], os.getpid())                       # alive, but written long ago
    long_ago = time.time() - views.WAIT_SECONDS - 60
    os.utime(marker, (long_ago, long_ago))
    assert "2,792.45" in page.table("totals").bundle["text/html"]
    assert time.monotonic() - start < 30


def test_rendered_beside_the_kernel_it_is_served_every_display_without_pandas_or_matplotlib(cache, tmp_path):
    from xinzhou_fiscal.publish import views

    kernel = f"import os; os.environ['{parsed_cache.CACHE_ENV}'] = {str(cache)!r}\n" \
        f"NOTEBOOK = {str(DEPARTMENT_NOTEBOOK)!r}\n" + SERVE_THE_NOTEBOOK
    # a worker (a fresh process: no thread running) renders ahead while its kernel starts
    worker = f"""
import json, os, subprocess, sys
os.environ['{parsed_cache.CACHE_ENV}'] = {str(cache)!r}
from xinzhou_fiscal.publish import views
ahead = views.render_ahead({SEED_ID!r}, {str(DEPARTMENT_NOTEBOOK)!r})
forked = ahead.pid is not None
try:
    kernel = subprocess.run([sys.executable, '-c', {kernel!r}], capture_output=True, text=True, check=True)
finally:
    ahead.wait()
print(json.dumps({{'forked': forked, 'kernel': json.loads(kernel.stdout)}}))
"""
    done = json.loads(subprocess.run([sys.executable, "-c", worker], capture_output=True, text=True, check=True,
                                     timeout=300).stdout)
    assert done["forked"]               # rendered in a child process
    out = done["kernel"]
    assert out["imported"] == []        # it waited for them, it rendered none
    (folder,) = cache.glob(f"{SEED_ID}--*.views")
    assert len(list(folder.glob("*.json"))) == 27 and not (folder / views.RENDERING_MARKER).exists()
    # 情况说明 line 400: 支出总计2,795.38万元; 公开01表 本年收入合计 2792.45
    assert "2,795.38" in out["shown"][0]["text/markdown"]
    assert any("2,792.45" in b.get("text/html", "") for b in out["shown"])
    # the same bundles, charts included, as rendered in one process
    one = tmp_path / "one"
    code_one = f"import os; os.environ['{parsed_cache.CACHE_ENV}'] = {str(one)!r}\n" \
        f"NOTEBOOK = {str(DEPARTMENT_NOTEBOOK)!r}\n" + SERVE_THE_NOTEBOOK
    alone = json.loads(subprocess.run([sys.executable, "-c", code_one], capture_output=True, text=True, check=True,
                                      timeout=300).stdout)
    assert alone["shown"] == out["shown"]


def test_where_threads_run_the_displays_are_rendered_in_the_process_before_the_kernel(cache):
    import threading

    from xinzhou_fiscal.publish import views

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)          # as in a Dask worker: forking is not safe
    other.start()
    try:
        ahead = views.render_ahead(SEED_ID, DEPARTMENT_NOTEBOOK)
    finally:
        stop.set()
        other.join()
    assert ahead.pid is None and len(list(cache.glob(f"{SEED_ID}--*.views/*.json"))) == 27
    assert ahead.wait().department == "中国共产党忻州市委员会办公室"      # 封面: the department's name
