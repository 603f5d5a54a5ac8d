"""``xinzhou-fiscal annotate``: a copy of the Putuo PDF in which every error and warning is boxed on
each page its evidence names, both sides of the check, with the finding's message as the note."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

import xinzhou_fiscal as xf
from xinzhou_fiscal.checks import audit_frame
from xinzhou_fiscal.cli import app
from xinzhou_fiscal.publish.annotate import evidence_pages, marked_pages, read_annotations

PUTUO = "putuo-czj-2024"
runner = CliRunner()


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    out = tmp_path_factory.mktemp("annotated") / "putuo.pdf"
    res = runner.invoke(app, ["annotate", PUTUO, "--out", str(out)], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    return out, read_annotations(out)


def test_every_page_an_error_or_warning_names_is_marked(annotated):
    _, marks = annotated
    findings = audit_frame(xf.load(PUTUO))
    named = evidence_pages(findings)
    assert named, "the Putuo report has errors and warnings to mark"
    pages = marked_pages(marks)
    for i, wanted in named.items():
        assert wanted <= pages, (findings.iloc[i]["rule"], wanted - pages)
    # each finding's message is the note of a box on each page it names
    for i, wanted in named.items():
        message = findings.iloc[i]["message"]
        for page in wanted:
            assert any(m["page"] == page and message in m["note"] for m in marks), (message[:40], page)


def _text_in_box(pdf_path, mark) -> str:
    import pdfplumber
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[mark["page"] - 1]
        x0, y0, x1, y1 = mark["rect"]
        h = float(page.height)
        return page.crop((x0, h - y1, x1, h - y0)).extract_text() or ""


def test_both_sides_of_the_narrative_total_are_boxed(annotated):
    """情况说明 (page 21) says 财政拨款收入支出总计 0.3万元; 财政拨款收入支出决算总表 (page 13)
    prints 总计 2,961.68: one box around each printed figure, both notes the same error."""
    path, marks = annotated
    on13 = [m for m in marks if m["page"] == 13 and m["subject"] == "错误"]
    on21 = [m for m in marks if m["page"] == 21 and "财政拨款收入支出总计" in m["note"]]
    assert any("2,961.68" in _text_in_box(path, m) for m in on13)
    assert any("0.3" in _text_in_box(path, m) for m in on21)


def test_annotate_refuses_a_text_report_in_one_line():
    res = runner.invoke(app, ["annotate", "xinzhou-swbgs-2023", "--out", "x.pdf"], env={"COLUMNS": "80"})
    assert res.exit_code == 2 and "only a PDF report can be annotated" in res.output
    assert len([ln for ln in res.output.splitlines() if ln.strip()]) == 1
