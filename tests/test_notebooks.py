"""The notebooks: executed, they show the document's headline figures and their charts, with no
missing-glyph warning; a bad report id fails clearly; the committed copies are clean references
for nbval (one parameters cell, outputs kept, nothing run-dependent)."""
from __future__ import annotations

import re

import nbformat
import papermill as pm
import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal import batch, paths
from xinzhou_fiscal.store import cache as parsed_cache

SEED_ID = "xinzhou-swbgs-2023"
DEPT = paths.NOTEBOOKS_DIR / "10-department-analysis.ipynb"
COMP = paths.NOTEBOOKS_DIR / "20-comparative-analysis.ipynb"
# typed from data/raw/xinzhou_swbgs_2023_final.txt
HEADLINES = {"本年支出合计": "2,795.38", "本年收入合计": "2,792.45", "“三公”经费 决算数": "8.59", "机关运行经费": "283.76"}
GLYPH_WARNING = re.compile(r"Glyph \d+|missing from (current )?font", re.IGNORECASE)


def _execute(tmp_path, notebook, **parameters):
    out = tmp_path / notebook.name
    nb = pm.execute_notebook(str(notebook), str(out), parameters=parameters, kernel_name=batch.ensure_kernel(),
                             cwd=str(tmp_path), progress_bar=False, extra_arguments=batch.KERNEL_ARGUMENTS)
    return nb


def _outputs(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _texts(nb) -> str:
    parts = []
    for o in _outputs(nb):
        if o.output_type == "stream":
            parts.append(o.text)
        elif o.output_type == "error":
            parts.append(f"{o.ename}: {o.evalue}")
        else:
            parts.extend(v for k, v in o.get("data", {}).items() if k.startswith("text/"))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def view_cache(tmp_path_factory):
    """An empty cache for this module's kernels (they inherit the environment): the first run
    parses, audits and renders in the kernel, so its outputs show any warning that raises."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(parsed_cache.CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="module")
def executed(tmp_path_factory, view_cache):
    return _execute(tmp_path_factory.mktemp("dept"), DEPT, report_id=SEED_ID)


@pytest.fixture(scope="module")
def served(tmp_path_factory, executed):
    """The same notebook run again: every display served from the cache the first run filled."""
    return _execute(tmp_path_factory.mktemp("dept-served"), DEPT, report_id=SEED_ID)


def _headline_lines(text: str) -> dict[str, str]:
    found = {}
    for label, value in HEADLINES.items():
        m = re.search(re.escape(label) + r"\s+([\d,]+\.\d{2})\s+万元", text)
        found[label] = m.group(1) if m else None
    return found


def test_executed_notebook_shows_the_headline_figures(executed):
    assert _headline_lines(_texts(executed)) == HEADLINES


def test_executed_notebook_has_its_charts(executed):
    pngs = [o for o in _outputs(executed) if "image/png" in o.get("data", {})]
    assert len(pngs) >= 5


def test_a_served_run_shows_what_the_first_run_rendered(executed, served):
    def shown(nb):
        return [{k: v for k, v in o.get("data", {}).items()} for o in _outputs(nb)]

    assert shown(served) == shown(executed)
    assert _headline_lines(_texts(served)) == HEADLINES


def test_no_warning_or_error_in_any_output(executed):
    text = _texts(executed)
    assert not GLYPH_WARNING.search(text)
    assert not [o for o in _outputs(executed) if o.output_type == "error"]
    assert not [o for o in _outputs(executed) if o.output_type == "stream" and o.name == "stderr"]


def test_executed_notebook_opens_with_the_generated_summary(executed):
    code = [c for c in executed.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
            and "injected-parameters" not in c.metadata.get("tags", [])]
    first = code[0].outputs[0]
    summary = first["data"]["text/markdown"]
    # 情况说明 line 400: 支出总计2,795.38万元 … 减少959.88万元，下降25.56%
    assert "2,795.38" in summary and "25.56%" in summary and "959.88" in summary
    assert summary.index("2,795.38") < 400


def _html_cells(html: str) -> list[str]:
    body = re.sub(r"<style.*?</style>|<script.*?</script>", "", html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", body, flags=re.S)]


def test_html_export_is_a_publication(executed):
    html = batch.to_html(batch.scrub(executed), "title", "2026-01-01")
    cells = _html_cells(html)
    assert cells, "tables are exported"
    assert not [c for c in cells if c in ("NaN", "nan", "&lt;NA&gt;", "<NA>", "None")]
    assert "xinzhou_fiscal.publish.views import" not in html and "page.summary()" not in html  # no code
    assert "<title>title</title>" in html and "生成于 2026-01-01" in html
    assert "SHA-256" in html and "目录" in html
    # 公开02表 合计 row (line 117) leaves 上级补助收入 blank: never shown as 0.00
    row = re.search(r"<td[^>]*>上级补助收入</td>(.*?)</tr>", html, flags=re.S)   # text cells are left-aligned
    assert row and "0.00" not in row.group(1)
    # every chart has a caption naming its source
    assert html.count("数据来源") >= len([o for o in _outputs(executed) if "image/png" in o.get("data", {})])


@pytest.mark.parametrize("bad", ["../x"])
def test_unknown_report_id_fails_clearly_and_writes_nothing(tmp_path, bad):
    work = tmp_path / "work"
    work.mkdir()
    before = sorted(p.name for p in paths.PROJECT_ROOT.iterdir())
    with pytest.raises(pm.PapermillExecutionError) as err:
        _execute(work, DEPT, report_id=bad)
    assert err.value.ename == "UnknownReportError"
    assert f"unknown report id {bad!r}" in err.value.evalue
    valid = err.value.evalue.split("valid ids: ", 1)[1]
    assert sorted(v.strip() for v in valid.split(",")) == xf.report_ids()
    assert sorted(p.name for p in work.iterdir()) == [DEPT.name]  # only papermill's own output
    assert sorted(p.name for p in paths.PROJECT_ROOT.iterdir()) == before
    assert not (tmp_path / "x").exists()


# ----------------------------------------------------------------------------- committed copies

@pytest.mark.parametrize("path, name, default", [(DEPT, "report_id", repr(SEED_ID).replace("'", '"')),
                                                 (COMP, "report_ids", "None")])
def test_exactly_one_parameters_cell_with_the_default(path, name, default):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert tagged[0].source.strip() == f"{name} = {default}"


@pytest.mark.parametrize("path", [DEPT, COMP], ids=lambda p: p.stem)
def test_committed_notebooks_are_clean_references(path):
    raw = path.read_text(encoding="utf-8")
    nb = nbformat.reads(raw, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code), "execute the notebook before committing"
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert any("image/png" in o.get("data", {}) for o in _outputs(nb))
    assert not [o for o in _outputs(nb) if o.output_type == "error"]
    assert not [o for o in _outputs(nb) if o.output_type == "stream" and o.name == "stderr"]
    for needle in (str(paths.PROJECT_ROOT), "/tmp/", "iopub.execute_input", "start_time", "papermill"):
        assert needle not in raw, needle
    assert not re.search(r"0x[0-9a-f]{8,}", _texts(nb))
    assert not GLYPH_WARNING.search(_texts(nb))
    assert nb.metadata.kernelspec.name == "python3"
    # a served chart (page.figure) is the cell's value, its last line; a live one (charts.…) is
    # assigned, `;`-ended
    served = [c for c in code if c.source.splitlines()[-1].startswith("page.figure(")]
    live = [c for c in code if "charts." in c.source and "setup_notebook" not in c.source]
    assert served or live
    assert all(any("image/png" in o.get("data", {}) for o in c.outputs) for c in served + live)
    assert all(c.source.rstrip().endswith(";") for c in live)


def test_committed_department_notebook_shows_the_headline_figures():
    nb = nbformat.read(DEPT, as_version=4)
    assert _headline_lines(_texts(nb)) == HEADLINES


def test_notebooks_resolve_paths_from_the_package():
    for path in (DEPT, COMP):
        src = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        assert "open(" not in src and "read_csv" not in src and "../" not in src and "os.getcwd" not in src
