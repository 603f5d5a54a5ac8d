"""Reflow before reading (#23): names, figures with their units, comparison words and headings cut
by a line or page end are read whole, by the text path and the PDF path alike; a join the reader
guesses is a doubt, and an error resting on a doubt is a warning.

Sentences are typed from the Putuo PDF (data/raw/putuo_czj_2024_final.pdf, page 21–22, 情况说明 五)
and the seed (data/raw/xinzhou_swbgs_2023_final.txt, line numbers in the comments).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from wrapping import cut, wrap_document

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths
from xinzhou_fiscal.checks.findings import Check, Evidence, verdict
from xinzhou_fiscal.read.source import Line
from xinzhou_fiscal.report.parse import build_report, read_document
from xinzhou_fiscal.text.reflow import HEADING_WRAP, SHORT_LINE, reflow

SEED = paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt"
PUTUO = paths.RAW_DIR / "putuo_czj_2024_final.pdf"

# page 21, 五（二）: the sentence whose 社会保障和就业支出（类） a narrow PDF printed as 社 / 会保障…
STRUCTURE = ("一般公共预算财政拨款支出2940.05万元，主要用于以下方面：一般公共服务支出（类）2106.66万元，"
             "占71.73%；社会保障和就业支出（类）326.72万元，占11.11%；卫生健康支出（类）60.99万元，占2.07%；"
             "住房保障支出（类）445.69万元，占15.16%；")


def _lines(*texts: str) -> list[Line]:
    return [Line(t, k + 1) for k, t in enumerate(texts)]


def test_a_name_cut_after_its_first_character_is_read_whole():
    width = next(w for w in range(24, 48) if any(p.endswith("社") for p in cut(STRUCTURE, w)))
    pieces = cut(STRUCTURE, width)                         # a narrow column: a line ends with 社
    spans = reflow(_lines(*pieces))
    assert len(spans) == 1
    sp = spans[0]
    assert sp.text == STRUCTURE and "社会保障和就业支出（类）326.72万元" in sp.text
    at = sp.text.index("社会保障和就业支出（类）")
    crossed = sp.lines_in(at, at + len("社会保障和就业支出（类）"))
    k = next(i for i, p in enumerate(pieces) if p.endswith("社"))
    assert [ln.text for ln in crossed] == pieces[k:k + 2]  # both lines, for evidence
    assert sp.doubt_in(at, at + 12) == ""                  # the line was cut by its column: no doubt


def test_a_count_whose_unit_starts_the_next_line_across_a_page():
    # 完成整改的 0 个 (the misreading of #23): the line ends with the figure, 个 starts the next page
    lines = _lines("经自查，发现问题3个，已完成整改的 0", "- 22 -", "个，正在整改中。")
    spans = [sp for sp in reflow(lines) if not sp.furniture]
    assert [sp.text for sp in spans] == ["经自查，发现问题3个，已完成整改的 0个，正在整改中。"]
    assert [ln.line for ln in spans[0].lines] == [1, 3]
    from xinzhou_fiscal.checks.rules_text import _RATE_NO_PCT
    assert _RATE_NO_PCT.search(lines[0].text)              # the cut line alone reads a rate without %
    assert not _RATE_NO_PCT.search(spans[0].text)


def test_what_ends_a_span():
    spans = reflow(_lines("三、支出决算情况说明", "本年支出合计2940.05万元，其中：", "基本支出2336.91万元，占79.49%；",
                          "项目支出603.14万元，占20.51%；", "四、财政拨款收入支出决算总体情况说明"))
    assert [sp.text for sp in spans] == ["三、支出决算情况说明", "本年支出合计2940.05万元，其中：",
                                         "基本支出2336.91万元，占79.49%；", "项目支出603.14万元，占20.51%；",
                                         "四、财政拨款收入支出决算总体情况说明"]


def test_a_wrapped_heading_is_one_doubtful_heading():
    # page 21: 第三部分上海市普陀区财政局2024年度部门决算情况 / 说明 (centred, cut by the page width)
    spans = reflow(_lines("第三部分上海市普陀区财政局2024年度部门决算情况", "说明", "一、收入支出决算总体情况说明"),
                   laid_out=True)
    assert spans[0].text == "第三部分上海市普陀区财政局2024年度部门决算情况说明"
    assert list(spans[0].doubts.values()) == [HEADING_WRAP]
    assert spans[1].text == "一、收入支出决算总体情况说明"


def test_a_short_line_that_goes_on_is_a_doubt():
    # seed lines 544/546: a glossary entry broken after 公务员 (a blank line between)
    spans = reflow(_lines("- 十五、事业运行：是反映事业单位的基本支出，不包括行政单位（包括实行公务员", "",
                          "管理的事业单位) 后勤服务中心、医务室等附属事业单位。"))
    assert len(spans) == 1 and "实行公务员管理的事业单位" in spans[0].text
    assert list(spans[0].doubts.values()) == [SHORT_LINE]


def test_doubt_lowers_an_error_to_a_warning():
    ev = Evidence("text", "", "正文", "", "", "", "", "……", None, 12, 3, "标题折行按文字推断")
    c = Check("names.item", "line 12 x", "x", status="error", unit="", evidence_actual=(ev,))
    assert verdict(c)[0] == "warning"
    assert verdict(Check("names.item", "line 12 x", "x", status="error", unit=""))[0] == "error"
    assert verdict(Check("names.item", "x", "x", status="error", unit="", doubt="猜测的栏"))[0] == "warning"
    rec = xf.checks.evaluate(c)
    assert rec["severity"] == "warning" and "读取存疑：标题折行按文字推断" in rec["message"]


# ------------------------------------------------------------------ whole reports, wrapped
def _key(findings, severities=("error", "warning", "info")):
    """A finding without its line numbers (they differ between a report and its wrapping)."""
    f = findings[findings.severity.isin(severities)]
    return sorted((r, s, re.sub(r"line \d+(↔\d+)?|\s\d+$", "", subj), str(e), str(a))
                  for r, s, subj, e, a in zip(f.rule, f.severity, f.subject, f.expected, f.actual))


@pytest.fixture(scope="module")
def seed_findings():
    return xf.audit(xf.read_report(SEED))


def _wrapped(path: Path, *args, **kw):
    data = path.read_bytes() if path.suffix != ".pdf" else None
    return build_report(wrap_document(read_document(path, data), *args, **kw), "wrapped")


@pytest.mark.parametrize("width,every", [(36, 5), (30, 4)])
def test_the_seed_cut_as_a_narrow_text_gives_the_same_findings(seed_findings, width, every):
    wrapped = xf.audit(_wrapped(SEED, width, every))
    assert (seed_findings.severity == "error").sum() == (wrapped.severity == "error").sum() == 27
    assert _key(wrapped) == _key(seed_findings)


# leading 1.85: 16 pt text on a fixed 29.6 pt line, as the Jiangsu 2019 budget and the 西南大学 reports
# print their narrative — every wrapped line is more than 1.8 sizes below the one before it
@pytest.mark.parametrize("style", [{"column": 200.0}, {"column": 200.0, "text_bottom": 400.0},
                                   {"column": 200.0, "leading": 1.85}])
def test_the_seed_rendered_in_a_narrow_column_gives_the_same_findings(seed_findings, tmp_path, style):
    pytest.importorskip("reportlab")
    from xinzhou_fiscal.read.render import render
    pdf = render(SEED.read_text(encoding="utf-8"), tmp_path / "narrow.pdf", **style)
    report = xf.read_report(pdf)
    findings = xf.audit(report)
    assert (findings.severity == "error").sum() == 27
    assert _key(findings) == _key(seed_findings)
    # the narrative really is cut: 年初预算4,942.21万元 (seed line 458) is printed over two lines or more
    assert any("年初预算4,942.21万元" not in ln.text for ln in report.document.lines if "4,942.21" in ln.text) or \
        len([ln for ln in report.document.lines if "完成年初预算的56.50%" in ln.text]) == 1


@pytest.fixture(scope="module")
def putuo():
    if not PUTUO.exists():
        pytest.skip("sample PDF not present")
    return xf.read_report(PUTUO)


def test_putuo_cut_as_a_narrow_text_keeps_its_two_errors_and_its_names(putuo):
    orig = xf.audit(putuo, include_passed=True)
    wrapped_report = _wrapped(PUTUO, 36, 3)
    wrapped = xf.audit(wrapped_report, include_passed=True)
    assert _key(wrapped, ("error", "warning")) == _key(orig, ("error", "warning"))
    assert set(wrapped[wrapped.severity == "error"].rule) == {"narrative.amount", "narrative.share"}
    names = wrapped[wrapped.rule == "names.item"]
    assert set(names.severity) == {"ok"} and len(names) == len(orig[orig.rule == "names.item"]) > 20
    # some 类/款/项 names were cut by the line end and read whole: their evidence crosses two lines
    assert any(len([e for e in ev if e["side"] == "actual"]) >= 2 for ev in names.evidence)
    assert {"行政单位医疗", "城乡社区规划与管理"} & set(names.actual_label) == {"行政单位医疗"}


def test_a_comparison_word_cut_in_the_middle_and_across_a_page_is_checked(putuo):
    """The planted error of the outside PDFs: 决算数大于预算数 where the figures printed before it say
    小于 (page 22, item 1: 年初预算为 1560.05 万元，支出决算为1511.89万元), its word cut as 大 / 于 over a
    page break."""
    doc = read_document(PUTUO, None)
    k = next(i for i, ln in enumerate(doc.lines) if ln.text.startswith("1、一般公共服务支出（类）财政事务（款）行政运行（项）"))
    ln = doc.lines[k]
    doc.lines[k] = Line(ln.text.replace("决算数小于预算数", "决算数大于预算数"), ln.line, ln.page)
    width = next(w for w in range(28, 44) if any(p.endswith("大") for p in cut(doc.lines[k].text, w)))
    report = build_report(wrap_document(doc, width, 1000, page_after="决算数大"), "planted")
    lines = [x.text for x in report.document.lines]
    at = next(i for i, t in enumerate(lines) if t.endswith("决算数大"))
    assert re.fullmatch(r"- \d+ -", lines[at + 1]) and lines[at + 2].startswith("于预算数")
    f = xf.audit(report)
    hit = f[(f.rule == "words.comparison") & f.subject.str.contains("行政运行")]
    assert len(hit) == 1 and hit.iloc[0].severity == "error"
    r = hit.iloc[0]
    assert "1511.89" in r.expected_label and "1560.05" in r.expected_label and r.actual_label == "决算数大于预算数"


def test_a_heading_printed_with_the_department_before_its_entry_is_whole():
    # ../shared/samples/shanghai_shi_czj_2025_budget.pdf: the 目录 (p2) lists 一、单位主要职能; the body (p3)
    # prints the heading 上海市财政局（单位）主要职能 with no ordinal, then its first sentence
    lines = [Line("目 录", 3, 2), Line("一、单位主要职能", 4, 2), Line("二、单位机构设置", 5, 2),
             Line("上海市财政局（单位）主要职能", 19, 3), Line("上海市财政局是主管全市财政工作的市政府组成部门。", 20, 3)]
    texts = [sp.text for sp in reflow(lines, laid_out=True)]
    assert "上海市财政局（单位）主要职能" in texts
    assert "上海市财政局是主管全市财政工作的市政府组成部门。" in texts
