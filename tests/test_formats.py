"""Word, Excel, Word 97, HTML: the seed written in each format by the test (python-docx, openpyxl,
LibreOffice, HTML by hand) reads the same 197 facts as the text, fact by fact; a table embedded as a
picture or an OLE object fails with its reason and place while the rest reads; a format that cannot
be read says which format; a report split over several files reads as one.

The reference is the seed's printed figures (data/raw/xinzhou_swbgs_2023_final.txt): spot values are
typed from it with their line numbers.
"""
from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from seed_facts import amount, fact_list
from seed_formats import png, write_docx, write_html, write_xlsx

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths
from xinzhou_fiscal.errors import ConverterMissingError, FormatError
from xinzhou_fiscal.read.formats import sniff
from xinzhou_fiscal.report.parse import read_report

SEED = paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt"


def soffice_convert(src: Path, to: str, outdir: Path) -> Path:
    from xinzhou_fiscal.read.office import soffice
    exe = soffice()
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed: the .doc/.xls fixtures are converted with it")
    subprocess.run([exe, f"-env:UserInstallation=file://{outdir}/profile", "--headless", "--convert-to", to,
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=240)
    out = outdir / f"{src.stem}.{to}"
    if not out.exists():   # e.g. only LibreOffice Writer installed: no Calc to write .xls
        pytest.skip(f"LibreOffice could not convert {src.suffix} to .{to} here (its {to} filter is not installed)")
    return out


# ---------------------------------------------------------------------------------------------
# the same facts in every format
# ---------------------------------------------------------------------------------------------



@pytest.fixture(scope="module")
def seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def text_report():
    return read_report(SEED)


@pytest.fixture(scope="module")
def formats_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("formats")


@pytest.fixture(scope="module")
def docx_file(formats_dir, seed_text):
    return write_docx(seed_text, formats_dir / "seed.docx")


@pytest.fixture(scope="module")
def xlsx_file(formats_dir, seed_text):
    return write_xlsx(seed_text, formats_dir / "seed.xlsx", sheet_per_table=True)


def _same_as_text(report, text_report):
    assert len(text_report.facts) == 197
    assert report.complete, report.missing_pieces
    assert fact_list(report) == fact_list(text_report)
    assert list(report.table_status["status"]) == list(text_report.table_status["status"])
    assert report.department == "中国共产党忻州市委员会办公室" and report.year == 2023
    # typed from the seed: 公开01表 总计 (line 101), 公开06表 公用经费 302 (line 276), 公开09表
    assert amount(report, "income_expenditure_summary", "支出/金额", item="总计") == 2795.38
    assert amount(report, "general_budget_basic", "公用经费/决算数", "302") == 254.52
    assert amount(report, "income", "本年收入合计", "2080505") == 140.52                          # line 135


def test_docx_reads_the_same_facts_as_the_text(docx_file, text_report):
    r = read_report(docx_file)
    assert r.document.kind == "docx" and sniff(docx_file, docx_file.read_bytes()) == "docx"
    _same_as_text(r, text_report)
    assert len(r.projects) == len(text_report.projects) == 17
    key = ["subject", "metric", "value"]
    assert r.claims[key].astype(str).values.tolist() == text_report.claims[key].astype(str).values.tolist()


def test_docx_merged_header_cells_are_expanded(docx_file):
    """公开01表's header 收入 spans three columns in the Word table (merged): it reads as 收入 and
    two blanks, as the text prints it (line 87)."""
    doc = read_report(docx_file).document
    t01 = doc.tables[0]
    assert t01.number == "公开01表"
    assert t01.rows[0].cells[:6] == ("收入", "", "", "支出", "", "")


@pytest.mark.parametrize("sheet_per_table", [True, False], ids=["sheet-per-table", "one-sheet"])
def test_xlsx_reads_the_same_facts_as_the_text(formats_dir, seed_text, text_report, sheet_per_table):
    path = write_xlsx(seed_text, formats_dir / f"seed-{sheet_per_table}.xlsx", sheet_per_table=sheet_per_table)
    r = read_report(path)
    assert r.document.kind == "xlsx"
    _same_as_text(r, text_report)
    if sheet_per_table:
        assert r.document.page_count > 10
        assert r.tables["general_budget_basic"].page > 1


def test_html_page_reads_the_same_facts_as_the_text(formats_dir, seed_text, text_report):
    r = read_report(write_html(seed_text, formats_dir / "seed.html"))
    assert r.document.kind == "html" and r.document.encoding == "gb18030"
    _same_as_text(r, text_report)


def test_doc_converted_by_libreoffice_reads_the_same_facts(formats_dir, docx_file, text_report):
    doc = soffice_convert(docx_file, "doc", formats_dir / "doc")
    assert doc.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    r = read_report(doc)
    assert r.document.kind == "doc" and r.source_file == "seed.doc"
    _same_as_text(r, text_report)


def test_xls_converted_by_libreoffice_reads_the_same_facts(formats_dir, xlsx_file, text_report):
    pytest.importorskip("xlrd")
    xls = soffice_convert(xlsx_file, "xls", formats_dir / "xls")
    r = read_report(xls)
    assert r.document.kind == "xls"
    _same_as_text(r, text_report)


def test_doc_without_libreoffice_names_the_file_and_how_to_install(tmp_path, monkeypatch):
    from xinzhou_fiscal.read import office
    p = tmp_path / "old.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    monkeypatch.setattr(office, "soffice", lambda: None)
    with pytest.raises(ConverterMissingError) as e:
        read_report(p)
    msg = str(e.value)
    assert "old.doc" in msg and "Word 97" in msg and "apt-get install libreoffice" in msg and "\n" not in msg


def test_cli_parse_of_a_doc_without_libreoffice_exits_2(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from xinzhou_fiscal.cli import app
    from xinzhou_fiscal.read import office
    p = tmp_path / "old.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    monkeypatch.setattr(office, "soffice", lambda: None)
    res = CliRunner().invoke(app, ["parse", str(p)])
    assert res.exit_code == 2
    assert "old.doc" in res.output and "LibreOffice" in res.output


# ---------------------------------------------------------------------------------------------
# formats that cannot be read, content that is not a report
# ---------------------------------------------------------------------------------------------

def test_a_zip_that_is_no_office_document_says_so(tmp_path):
    p = tmp_path / "report.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    p.write_bytes(buf.getvalue())
    with pytest.raises(FormatError, match=r"ZIP archive, not a Word \(\.docx\) or Excel") as e:
        read_report(p)
    assert "report.docx" in str(e.value)


def test_a_damaged_docx_says_which_format(tmp_path):
    p = tmp_path / "cut.docx"
    p.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(FormatError, match=r"Word document \(\.docx\) is damaged"):
        read_report(p)


def test_a_docx_that_is_not_a_report_gets_the_clear_error(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("会议纪要")
    d.add_paragraph("今天开会讨论了工作安排。")
    p = tmp_path / "minutes.docx"
    d.save(p)
    with pytest.raises(xf.NotAReportError, match="final-accounts report") as e:
        read_report(p)
    assert "minutes.docx" in str(e.value)


# ---------------------------------------------------------------------------------------------
# embedded objects
# ---------------------------------------------------------------------------------------------

def test_tables_embedded_as_picture_or_ole_object_fail_and_the_rest_reads(tmp_path, seed_text, text_report):
    pytest.importorskip("PIL")
    p = write_docx(seed_text, tmp_path / "embedded.docx", embed={"公开02表": "picture", "公开05表": "ole"})
    r = read_report(p)
    assert not r.complete
    income, general = r.tables["income"], r.tables["general_budget_expenditure"]
    assert income.status == general.status == "failed"
    assert "picture" in income.reason and "word/media/image" in income.reason and "paragraph" in income.reason
    assert "OLE object (Excel.Sheet.12)" in general.reason
    assert any("公开02表" in m for m in r.missing_pieces)
    others = r.table_status.set_index("table")["status"].drop(["income", "general_budget_expenditure"])
    assert (others == text_report.table_status.set_index("table")["status"].drop(
        ["income", "general_budget_expenditure"])).all()
    expected = [f for f in fact_list(text_report) if f[0] not in ("income", "general_budget_expenditure")]
    assert fact_list(r) == expected
    assert amount(r, "expenditure", "本年支出合计", item="合计") == 2795.38                       # line 157


def test_a_table_published_as_a_picture_in_a_web_page_fails(tmp_path, seed_text, text_report):
    page = write_html(seed_text, tmp_path / "seed.html")
    html = page.read_bytes().decode("gbk")
    at = html.index("<p>公开02表</p>")
    start, end = html.index("<table>", at), html.index("</table>", at) + len("</table>")
    page.write_bytes((html[:start] + '<table><tr><td><img src="images/t02.png"></td></tr></table>' + html[end:]).encode("gbk"))
    r = read_report(page)
    assert r.tables["income"].status == "failed" and "a picture (images/t02.png)" in r.tables["income"].reason
    assert [f for f in fact_list(text_report) if f[0] != "income"] == fact_list(r)


def test_a_picture_in_an_html_page_outside_tables_is_recorded(tmp_path, seed_text):
    page = write_html(seed_text, tmp_path / "seed.html")
    html = page.read_bytes().decode("gbk").replace("<p>第五部分 附件</p>", '<p>第五部分 附件</p><img src="seal.png">')
    page.write_bytes(html.encode("gbk"))
    r = read_report(page)
    assert r.complete
    assert any("seal.png" in p for p in r.problems["message"])


# ---------------------------------------------------------------------------------------------
# one report over several files
# ---------------------------------------------------------------------------------------------

def split_seed(text: str) -> tuple[str, str]:
    """The seed as some provinces publish it: the narrative (cover, 目录, parts 1, 3, 4, 5) in one
    file and the tables (part 2: 公开01–10表) in another."""
    lines = text.split("\n")
    a = next(i for i, ln in enumerate(lines) if ln.startswith("第二部分") and "\t" not in ln)
    b = next(i for i, ln in enumerate(lines) if ln.startswith("第三部分") and "\t" not in ln)
    return "\n".join(lines[:a] + lines[b:]), "\n".join(lines[a:b])


@pytest.fixture(scope="module")
def split_files(formats_dir, seed_text):
    narrative, tables = split_seed(seed_text)
    folder = formats_dir / "split"
    folder.mkdir()
    return [write_docx(narrative, folder / "1-narrative.docx"),
            write_xlsx(tables, folder / "2-tables.xlsx", sheet_per_table=True)]


def test_a_report_split_over_two_files_reads_as_one(split_files, text_report):
    r = read_report(split_files)
    assert r.document.kind == "docx+xlsx" and [f.name for f, *_ in r.document.files] == ["1-narrative.docx", "2-tables.xlsx"]
    _same_as_text(r, text_report)
    key = ["subject", "metric", "value"]
    assert r.claims[key].astype(str).values.tolist() == text_report.claims[key].astype(str).values.tolist()
    assert len(r.projects) == 17
    # a folder holding the files is the same report (files in name order)
    assert fact_list(read_report(split_files[0].parent)) == fact_list(text_report)


def test_add_one_report_from_several_files(split_files, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from xinzhou_fiscal.cli import app
    data = tmp_path / "data"
    monkeypatch.setenv(paths.DATA_ENV, str(data))
    res = CliRunner().invoke(app, ["--data", str(data), "add", "--one-report", "--id", "xinzhou-split-2023",
                                   *map(str, split_files)])
    assert res.exit_code == 0, res.output
    folder = data / "raw" / "xinzhou-split-2023"
    assert sorted(p.name for p in folder.iterdir()) == ["1-narrative.docx", "2-tables.xlsx"]
    assert all((folder / f.name).read_bytes() == f.read_bytes() for f in split_files)
    r = xf.load("xinzhou-split-2023")
    assert len(r.facts) == 197 and r.complete and r.year == 2023
    (folder / "2-tables.xlsx").write_bytes(split_files[1].read_bytes() + b"\0")   # raw data must not change
    with pytest.raises(xf.ChecksumMismatchError):
        xf.load("xinzhou-split-2023")


def test_a_picture_on_a_sheet_where_a_table_should_be_fails_that_table(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("PIL")
    from openpyxl.drawing.image import Image
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [["某某办公室2023年度部门决算"], ["收入决算表"], ["公开02表"], ["金额单位：万元"], [], [],
                ["注：本表反映部门本年度取得的各项收入情况。"]]:
        ws.append(row)
    ws.add_image(Image(io.BytesIO(png())), "A6")
    p = tmp_path / "picture.xlsx"
    wb.save(p)
    income = read_report(p).tables["income"]
    assert income.status == "failed"
    assert "embedded as a picture (sheet 'Sheet' row 6)" in income.reason
