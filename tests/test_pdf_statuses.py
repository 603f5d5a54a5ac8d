"""Table statuses on PDFs, and PDFs that must be told apart from reports.

The fixtures are the seed (data/raw/xinzhou_swbgs_2023_final.txt) cut before its glossary and
varied the way real reports vary — a 三公 table printed with blank cells and a 无数据 note under it
or on the next page, or with no note at all; a table the 目录 lists but the body lacks; a table
printed in 元; the department name wrapped over two lines of the cover — then rendered as a ruled
PDF by xinzhou_fiscal.read.render into tmp_path and read through the PDF path. Expected
values are typed from the seed (line numbers in the comments).
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from xinzhou_fiscal import paths
from xinzhou_fiscal.errors import BlankTemplateError, NotAReportError
from xinzhou_fiscal.report.parse import read_report

SEED = paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt"
PUTUO = paths.RAW_DIR / "putuo_czj_2024_final.pdf"
BLANK_TEMPLATE = paths.PROJECT_ROOT / "data" / "templates" / "shanghai_template_2024_blank.pdf"   # data/templates/README.md
DEPARTMENT = "中国共产党忻州市委员会办公室"
THREE_PUBLIC_ROW = "8.59\t\t8.59\t\t8.59\t\t8.59\t\t8.59\t\t8.59\t"          # line 358
NO_DATA = "说明：本单位无“三公”经费支出，故本表无数据"


def _seed_lines() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    return text[: text.index("第四部分 名词解释\n", text.index("第三部分 情况说明\n"))].split("\n")


def _table_span(lines: list[str], number: str) -> tuple[int, int]:
    """(title index, index after the last line) of the table numbered ``number`` in the seed."""
    k = lines.index(number)
    start = next(i for i in range(k - 1, -1, -1) if lines[i].strip())
    end = next(i for i in range(k + 1, len(lines)) if lines[i].startswith(("注：", "注:"))) + 1
    return start, end


def _three_public(lines: list[str], note: str | None) -> list[str]:
    """公开09表 with its figures blanked; ``note`` after its 注 line ("\\f" + note: on the next page)."""
    out = [("\t" * THREE_PUBLIC_ROW.count("\t")) if ln == THREE_PUBLIC_ROW else ln for ln in lines]
    assert out != lines
    _, end = _table_span(out, "公开09表")
    if note is not None:
        out[end:end] = note.split("\n")
    return out


def _in_yuan(lines: list[str], number: str) -> list[str]:
    """The table printed in 元: its unit line says 元 and every amount is ×10,000 (thousands separated)."""
    start, end = _table_span(lines, number)
    out = list(lines)
    for i in range(start, end):
        if out[i].strip() == "金额单位：万元":
            out[i] = "金额单位：元"
        elif "\t" in out[i]:
            out[i] = re.sub(r"(?<![\d.])\d+\.\d{2}(?![\d.])",
                            lambda m: f"{Decimal(m.group()) * 10000:,.2f}", out[i])
    return out


def _render(tmp_path, lines: list[str], name: str) -> Path:
    pytest.importorskip("reportlab")
    from xinzhou_fiscal.read.render import render
    return render("\n".join(lines), tmp_path / name)


@pytest.fixture(scope="module")
def varied(tmp_path_factory):
    """三公 empty (note under it), 公开08 missing though listed, 公开05 in 元, the cover name wrapped."""
    lines = _three_public(_seed_lines(), NO_DATA)
    start, end = _table_span(lines, "公开08表")
    del lines[start:end + 2]                                # with its 说明：本表无数据 line
    lines = _in_yuan(lines, "公开05表")
    cover = lines.index(DEPARTMENT)                         # line 3
    lines[cover:cover + 1] = ["中国共产党忻州市委员会", "办公室"]
    return read_report(_render(tmp_path_factory.mktemp("varied"), lines, "varied.pdf"))


def _status(report, key):
    return report.table(key).status


def test_three_public_blank_with_a_no_data_note_under_it_is_empty(varied):
    assert _status(varied, "three_public") == "empty"
    assert varied.table("three_public").facts is None or len(varied.table("three_public").facts) == 0


def test_table_listed_in_the_toc_but_absent_is_missing(varied):
    st = varied.table_status.set_index("table")
    assert st.loc["state_capital", "status"] == "missing"
    assert bool(st.loc["state_capital", "in_toc"]) is True
    assert st.loc["general_budget_expenditure", "status"] == "parsed"


def test_table_in_yuan_is_converted_exactly(varied):
    f = varied.facts[varied.facts.table == "general_budget_expenditure"]
    total = f[(f.code == "") & (f.measure.str.contains("小计"))]
    assert total.amount.tolist() == [2792.45]                                        # line 240, in 万元
    assert total.printed.tolist() == ["27,924,500.00"] and total.printed_unit.tolist() == ["元"]
    basic = f[(f.code == "2013101") & f.measure.str.contains("基本支出")]
    assert basic.amount.tolist() == [1365.76]                                        # line 244
    other = varied.facts[varied.facts.table == "general_budget_basic"]
    assert set(other.printed_unit) == {"万元"}                                      # table by table


def test_department_wrapped_on_the_cover_is_read_whole(varied):
    assert [ln.text for ln in varied.document.lines[:2]] == ["中国共产党忻州市委员会", "办公室"]   # two lines
    cover = [m["text"] for m in varied.metadata.mentions if m["what"] == "department" and m["source"] == "cover"]
    assert cover == [DEPARTMENT]
    assert varied.department == DEPARTMENT and varied.metadata.problems == []


def test_no_data_note_on_the_next_page_is_empty(tmp_path):
    lines = _three_public(_seed_lines(), "\f\n" + NO_DATA)
    r = read_report(_render(tmp_path, lines, "note_next_page.pdf"))
    assert _status(r, "three_public") == "empty"


def test_blank_table_without_a_note_is_blank_and_a_problem(tmp_path):
    r = read_report(_render(tmp_path, _three_public(_seed_lines(), None), "blank.pdf"))
    assert _status(r, "three_public") == "blank"
    probs = r.problems
    assert probs["message"].str.contains("without any amount").any()


def test_blank_shanghai_template_is_refused():
    with pytest.raises(BlankTemplateError) as e:
        read_report(BLANK_TEMPLATE)
    assert isinstance(e.value, NotAReportError)
    assert "blank template with no figures" in str(e.value)


# ---------------------------------------------------------------------------------------------
# encrypted PDFs
# ---------------------------------------------------------------------------------------------

def _encrypt(tmp_path, user: str) -> Path:
    pikepdf = pytest.importorskip("pikepdf")
    out = tmp_path / ("owner_only.pdf" if not user else "user_password.pdf")
    with pikepdf.open(PUTUO) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="owner-secret", user=user, R=6))
    return out


def test_owner_password_pdf_reads_to_the_same_document(tmp_path):
    from xinzhou_fiscal.read.pdf import read_pdf_document
    locked = _encrypt(tmp_path, user="")
    assert b"/Encrypt" in locked.read_bytes()
    plain, enc = read_pdf_document(PUTUO), read_pdf_document(locked)
    assert [ln.text for ln in enc.lines] == [ln.text for ln in plain.lines]
    assert [[r.cells for r in b.rows] for b in enc.tables] == [[r.cells for r in b.rows] for b in plain.tables]
    assert enc.path == locked


def test_user_password_pdf_is_a_clear_error(tmp_path):
    from xinzhou_fiscal.errors import PdfEncryptedError
    locked = _encrypt(tmp_path, user="reader")
    with pytest.raises(PdfEncryptedError) as e:
        read_report(locked)
    assert "user_password.pdf" in str(e.value) and "password-protected" in str(e.value)
