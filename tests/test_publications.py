"""The publications a reader sees (issue #22), on the executed notebooks' HTML: the batch runs the
Putuo report on a temporary output folder (the committed notebooks are not re-executed). Chinese
throughout, self-contained (nothing loaded from a CDN), titled with the department and year, a real
link to the audit report and to the annotated PDF; the comparative report leaves out a report that
cannot be read, and says so."""
from __future__ import annotations

import json
import re

import pytest

import xinzhou_fiscal as xf
import xinzhou_fiscal.analysis as xa
from xinzhou_fiscal import batch, paths
from xinzhou_fiscal.analysis.summary import comparative_summary, department_summary
from xinzhou_fiscal.checks import audit_frame
from xinzhou_fiscal.publish.annotate import read_annotations

PUTUO = "putuo-czj-2024"
DEPT = f"10-department-analysis__{PUTUO}.html"
COMP = f"20-comparative-analysis__{PUTUO}.html"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    summary = batch.run_batch([PUTUO], jobs=2, out_dir=out, html=True, progress=False)
    assert summary.ok, [r.error for r in summary.failed]
    return out


def _visible(html: str) -> str:
    """The text a reader sees: the body without scripts, styles and tags."""
    body = html[html.index("<body"):]
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize("name", [DEPT, COMP])
def test_the_html_stands_alone(published, name):
    html = (published / name).read_text(encoding="utf-8")
    assert not re.search(r'<script[^>]+src="https?://', html)
    assert not re.search(r'<link[^>]+href="https?://', html)
    for loader in ("mathjax", "require.js", "requirejs", "mermaid"):
        assert loader not in html.lower(), loader


def test_the_department_report_is_titled_and_in_chinese(published):
    html = (published / DEPT).read_text(encoding="utf-8")
    assert re.search(r"<title>上海市普陀区财政局 2024 年度部门决算分析</title>", html)
    text = _visible(html)
    for english in ("Generated from", "Parameter", "checked ", "identities", " errors", " rounding"):
        assert english not in text, english
    assert "<report_id>" not in html and "&lt;report_id&gt;" not in html
    assert f'href="audit__{PUTUO}.html"' in html and f'href="annotated__{PUTUO}.pdf"' in html


def test_the_summary_counts_agree_with_the_audit():
    report = xf.load(PUTUO)
    text = str(department_summary(report))
    f = audit_frame(report)
    n = {s: int((f["severity"] == s).sum()) for s in ("error", "warning", "info")}
    audit = text[text.index("**审核**"):]
    assert f"错误 {n['error']} 个、警告 {n['warning']} 个，另有尾差等提示 {n['info']} 条" in audit
    assert not re.search(r"[A-Za-z]{4,}", audit.split("\n")[0])      # the paragraph's first line: no English


def test_the_audit_report_is_chinese_and_links_the_annotated_pdf(published):
    html = (published / f"audit__{PUTUO}.html").read_text(encoding="utf-8")
    f = audit_frame(xf.load(PUTUO))
    shown = f[f["severity"].isin(["error", "warning"])]
    n_err, n_warn = int((shown["severity"] == "error").sum()), int((shown["severity"] == "warning").sum())
    assert f"错误 {n_err} 个 · 警告 {n_warn} 个" in html and html.count("<tr><td>") == len(shown)
    cells = re.findall(r"<tr><td>\d+</td><td><span class=\"(\w+)\">([^<]*)</span></td><td>([^<]*)</td><td>([^<]*)</td>",
                       html)
    assert {sev: word for sev, word, _, _ in cells} == {"error": "错误", "warning": "警告"}
    for _, _, rule, where in cells:
        assert not re.search(r"[a-z]+\.[a-z_]+", rule), rule             # a rule in words, never its code
        assert "line" not in where and "page" not in where and "第" in where
    # 情况说明 page 21 prints 财政拨款收入支出总计 0.3万元; the table (page 13) 总计 2,961.68
    row = next(r for r in html.split("<tr>") if "财政拨款收入支出总计" in r)
    assert "第13页" in row and "第21页" in row and "2,961.68 万元" in row
    assert not re.search(r"\d\.\d{3,} 万元|\d\.00 个", html)           # two decimals; counts whole
    assert f'href="annotated__{PUTUO}.pdf"' in html
    marks = read_annotations((published / f"annotated__{PUTUO}.pdf").read_bytes())
    assert {13, 21} <= {m["page"] for m in marks}


def test_the_comparative_report_has_no_developer_wording(published):
    text = _visible((published / COMP).read_text(encoding="utf-8"))
    for word in ("DuckDB", "xf.sql", "Comparative analysis", "Parameter"):
        assert word not in text, word


def test_a_report_that_cannot_be_read_is_left_out_and_named(tmp_path, monkeypatch, seed_path):
    d = tmp_path / "data"
    (d / "raw").mkdir(parents=True)
    (d / "raw" / "changed.txt").write_bytes(seed_path.read_bytes() + b"\n")
    entry = {"report_id": "changed-2023", "department": "某部门", "year": 2023, "kind": "决算",
             "file": "raw/changed.txt", "format": "text", "sha256": "0" * 64}   # the bytes changed since
    (d / "catalog.json").write_text(json.dumps([entry], ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv(paths.DATA_ENV, str(d))
    reports = xa.load_reports(None)
    assert [r.report_id for r in reports] == [PUTUO, "shanghai-czj-2025-budget", "swu-2023-budget", "swu-2023-final",
                                              "xinzhou-swbgs-2023"]
    assert list(reports.left_out) == ["changed-2023"]
    table = xa.comparison_table(reports)
    text = str(comparative_summary(table, reports))
    assert "未纳入比较" in text and "changed-2023" in text
    assert set(table["report_id"]) == {PUTUO, "swu-2023-final", "xinzhou-swbgs-2023"}


def test_blank_vehicle_rows_are_shown_blank_not_zero(seed):
    """公开10表 lines 384–390: 副部(省)级…, 机要通信, 应急保障, 执法执勤, 特种专业技术, 离退休干部服务用车
    print no figure; 主要负责人用车 prints 1 (line 385), 其他用车 9 (line 391), 车辆数合计 10 (line 383)."""
    from xinzhou_fiscal.analysis import present as xp
    shown = xp.show("vehicles", seed).frame.set_index("项目")["数量（辆/台套）"]
    blank = ["副部(省)级及以上领导用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车",
             "离退休干部服务用车"]
    assert [shown[k] for k in blank] == [""] * 6
    assert (shown["车辆数合计"], shown["主要负责人用车"], shown["其他用车"]) == ("10", "1", "9")


def test_a_table_the_template_lacks_is_one_line():
    shown = __import__("xinzhou_fiscal.analysis.present", fromlist=["show"]).show("vehicles", xf.load(PUTUO))
    assert len(shown.frame) == 1 and "没有" in shown.frame.iloc[0, 0]


def test_a_figure_is_credited_to_the_table_it_came_from(tmp_path, seed_text):
    """公开01表's unit line (line 65) made unreadable: 公开01表 fails, so 本年收入合计 2,792.45 comes
    from 公开02表's 合计 row (line 118 prints 合计 2792.45), and is credited to it, not to 公开01表."""
    lines = seed_text.split("\n")
    assert lines[64] == "金额单位：万元"
    lines[64] = "金额单位：XX"
    p = tmp_path / "no01.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    report = xf.read_report(p)
    assert report.tables["income_expenditure_summary"].status == "failed"
    head = xa.headline(report).set_index("figure")
    assert head.loc["本年收入合计", "value"] == 2792.45 and head.loc["本年收入合计", "source"] == "公开02表 合计行"


def test_text_columns_are_left_aligned_and_rules_in_words(seed):
    from xinzhou_fiscal.analysis import present as xp
    html = xp.show("audit_by_rule", seed)._repr_html_()
    assert '<th style="text-align:left">核对项目</th>' in html and "<th>条数</th>" in html
    assert not re.search(r">\s*[a-z]+\.[a-z_]+\s*<", html)       # no rule code in a cell


def test_comparative_names_carry_their_city():
    from xinzhou_fiscal.analysis.comparison import with_city
    labels = set(xa.comparison_table(xa.load_reports(None))["label"])
    assert {"忻州市委办公室 2023", "上海市普陀区财政局 2024"} <= labels
    assert with_city("忻州市", "市委办公室") == "忻州市委办公室"


@pytest.mark.parametrize("rid, figure", [("xinzhou-swbgs-2023", "three_public"), (PUTUO, "budget_completion")])
def test_charts_stay_legible_and_the_legend_covers_no_bar(rid, figure):
    """The 三公 chart's legend sits outside the plot; the Putuo 预算执行 chart (a dozen subjects in its
    情况说明) lies horizontally, one row per subject, not a dozen pairs squeezed into one row."""
    import matplotlib
    matplotlib.use("Agg")
    from xinzhou_fiscal.publish import charts, figures
    charts.apply_style()
    fig = getattr(figures, figure)(xf.load(rid))
    fig.canvas.draw()
    ax, legend = fig.axes[0], fig.legends[0]
    renderer = fig.canvas.get_renderer()
    box = legend.get_window_extent(renderer)
    assert not any(box.overlaps(p.get_window_extent(renderer)) for p in ax.patches)
    if figure == "budget_completion":
        assert len(ax.get_yticklabels()) > charts.MAX_VERTICAL_GROUPS         # one row per subject
        assert fig.get_size_inches()[1] > fig.get_size_inches()[0]            # the figure grows downwards


def test_year_on_year_takes_the_tables_figure_over_a_misprint():
    """Putuo 情况说明 line 269 (page 21): 财政拨款收入支出总计0.3万元 … 持平; its 财政拨款收入支出决算总表
    (page 13) prints 总计 2,961.68: the year's figure is the table's, and 持平 makes last year's the same."""
    yoy = xa.year_on_year(xf.load(PUTUO)).set_index("subject")
    assert yoy.loc["财政拨款收入支出总计", "current"] == 2961.68
    assert yoy.loc["财政拨款收入支出总计", "previous"] == 2961.68
    assert yoy.loc["收入支出总计", "current"] == 2995.39       # not contradicted: as printed (line 263)
