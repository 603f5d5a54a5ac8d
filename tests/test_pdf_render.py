"""The seed rendered as a ruled-table PDF in the Xinzhou layout (xinzhou_fiscal.read.render) and
read back through the PDF path: the same table facts, self-evaluations and narrative claims as the
text path, and the continuation rules that join 公开06表 over its two pages.

Spot values are typed from data/raw/xinzhou_swbgs_2023_final.txt (line numbers in the comments).
"""
from __future__ import annotations

import re

import pdfplumber
import pytest
from seed_facts import amount, fact_list

from xinzhou_fiscal import paths
from xinzhou_fiscal.report.parse import read_report

SEED = paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    pytest.importorskip("reportlab")
    from xinzhou_fiscal.read.render import render
    return render(SEED.read_text(encoding="utf-8"), tmp_path_factory.mktemp("render") / "seed.pdf")


@pytest.fixture(scope="module")
def text_report():
    return read_report(SEED)


@pytest.fixture(scope="module")
def pdf_report(rendered):
    return read_report(rendered)




def test_layout_of_the_rendered_seed(rendered):
    with pdfplumber.open(rendered) as pdf:
        pages = [(p.width > p.height, p.extract_text() or "") for p in pdf.pages]
    assert "目 录" in pages[1][1] and "中国共产党忻州市委员会办公室" in pages[0][1]
    t06 = [k for k, (_, text) in enumerate(pages) if "公开06表" in text]
    assert len(t06) == 1
    k = t06[0]
    assert pages[k][0] and pages[k + 1][0]                  # wide: landscape, both pages
    assert "公用经费合计" not in pages[k][1] and "公用经费合计" in pages[k + 1][1]
    assert "科目代码" in pages[k + 1][1]                     # its header printed again
    assert not any(land for land, text in pages if "公开05表" in text)   # a narrow table stays portrait
    assert sum("绩效自评表" in text for _, text in pages) >= 17


def test_pdf_path_reads_the_same_table_facts(text_report, pdf_report):
    assert pdf_report.complete, pdf_report.missing_pieces
    assert len(text_report.facts) == 197
    assert fact_list(pdf_report) == fact_list(text_report)
    assert list(pdf_report.table_status["status"]) == list(text_report.table_status["status"])


def test_pdf_path_spot_values_typed_from_the_seed(pdf_report):
    r = pdf_report
    assert amount(r, "income_expenditure_summary", "支出/金额", item="总计") == 2795.38          # line 95
    assert amount(r, "general_budget_basic", "公用经费/决算数", "302") == 254.52                    # line 276
    assert amount(r, "general_budget_basic", "人员经费/决算数", item="人员经费合计") == 1488.86     # line 323
    assert amount(r, "general_budget_basic", "公用经费/决算数", item="公用经费合计") == 283.76
    assert amount(r, "general_budget_basic", "公用经费/决算数", "31002") == 28.24                   # 2nd page
    assert r.table("general_budget_basic").facts["page"].nunique() == 2
    assert r.department == "中国共产党忻州市委员会办公室" and r.year == 2023


def _squash(v) -> str:
    return re.sub(r"\s+", "", str(v))


def test_pdf_path_reads_the_same_self_evaluations(text_report, pdf_report):
    a, b = text_report.projects, pdf_report.projects
    assert len(a) == len(b) == 17
    where = [c for c in a.columns if c.endswith("line") or c.endswith("_alt") or c == "page"]
    for col in a.columns.drop(where):
        # a space printed after punctuation or at a wrap is not in a PDF's text layer
        assert [_squash(v) for v in a[col]] == [_squash(v) for v in b[col]], col
    assert b.loc[b.project == "领导调研费", "total_score"].item() == 96.28                          # line 620
    n_ind = len(text_report.indicators)
    assert len(pdf_report.indicators) == n_ind > 0


def test_pdf_path_reads_the_same_claims(text_report, pdf_report):
    key = ["subject", "metric", "value"]
    assert pdf_report.claims[key].astype(str).values.tolist() == text_report.claims[key].astype(str).values.tolist()
    c = pdf_report.claims
    assert ((c.metric == "年初预算") & (c.value == 4942.21)).any()                                # line 449


@pytest.mark.parametrize("style", [dict(repeat_header=False), dict(continued_title=True)])
def test_continuation_variants(tmp_path, style):
    """公开06表's second page without its header printed again (only the running header above it),
    and with a 「…（续）」 title: still one table."""
    pytest.importorskip("reportlab")
    from xinzhou_fiscal.read.render import render
    r = read_report(render(SEED.read_text(encoding="utf-8"), tmp_path / "v.pdf", **style))
    assert r.table("general_budget_basic").status == "parsed"
    assert amount(r, "general_budget_basic", "公用经费/决算数", item="公用经费合计") == 283.76
    assert amount(r, "general_budget_basic", "公用经费/决算数", "30239") == 67.60                   # 2nd page


def test_a_title_on_the_next_page_is_no_continuation(pdf_report):
    """Every titled table starts a table of its own, even right after another on the next page."""
    assert [b.number for b in pdf_report.document.tables] == [f"公开{k:02d}表" for k in range(1, 11)]


@pytest.mark.parametrize("name_width", [24.0, 40.0, 64.0])
def test_names_wrapped_inside_their_cells_read_the_same_facts(tmp_path, text_report, name_width):
    """Published PDFs wrap a long 科目名称 inside its cell: the code and the amounts sit on one line
    of the row (centred), the name runs over two, three or more. Rendered so at several widths of
    the name columns (wide tables on landscape pages), the seed reads the same 197 facts."""
    pytest.importorskip("reportlab")
    from xinzhou_fiscal.read.render import render
    pdf = render(SEED.read_text(encoding="utf-8"), tmp_path / "wrapped.pdf", name_width=name_width)
    r = read_report(pdf)
    row = next(row for b in r.document.tables if b.number == "公开02表" for row in b.rows if row.cells[0] == "2080505")
    with pdfplumber.open(pdf) as doc:      # its name (line 135) runs over several lines of its cell
        words = doc.pages[row.page - 1].extract_words()
    code = next(w for w in words if w["text"] == "2080505")
    assert not any("机关事业单位基本养老保险缴费支出" in w["text"] for w in words)
    assert sum(abs(w["top"] - code["top"]) < 30 and w["x0"] > code["x1"] and not w["text"][0].isdigit()
               for w in words) >= 2
    assert r.complete, r.missing_pieces
    assert fact_list(r) == fact_list(text_report)
    assert list(r.table_status["status"]) == list(text_report.table_status["status"])
    assert amount(r, "income", "本年收入合计", "2080505") == 140.52                               # line 135
    assert amount(r, "general_budget_basic", "人员经费/决算数", item="人员经费合计") == 1488.86      # line 323
    assert set(r.tables["income"].wide["item"]) >= {"机关事业单位基本养老保险缴费支出", "其他巩固脱贫攻坚成果衔接乡村振兴支出"}
