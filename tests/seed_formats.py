"""The seed written in other formats by python-docx, openpyxl and by hand (HTML): the fixtures of
tests/test_formats.py and of benchmarks/bench_formats.py."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

_AMOUNT = re.compile(r"^-?\d+\.(\d+)$")
_CODE = re.compile(r"^\d{1,7}$")
_DATA = re.compile(r"^(合计|总计)$|^\d{3,7}$")


def pieces(text: str) -> list[tuple[str, object]]:
    """The seed as ("para", line) and ("table", rows): a run of tab-separated lines is a table
    (blank lines inside it skipped)."""
    out: list[tuple[str, object]] = []
    for line in text.split("\n"):
        if "\t" in line:
            if out and out[-1][0] == "table":
                out[-1][1].append(line.split("\t"))
            else:
                out.append(("table", [line.split("\t")]))
        elif not line.strip() and out and out[-1][0] == "table":
            continue
        else:
            out.append(("para", line))
    return out


def header_spans(rows: list[list[str]]) -> list[tuple[int, int, int]]:
    """(row, first, last) column runs to merge in the header rows (before the first data row): a
    filled cell followed by blank cells, as a spreadsheet or Word table merges a heading over its
    columns."""
    spans = []
    for i, row in enumerate(rows):
        if any(_AMOUNT.match(c) for c in row) or _DATA.match(row[0].strip()) or i >= 4:
            break
        j = 0
        while j < len(row):
            k = j + 1
            while row[j].strip() and k < len(row) and not row[k].strip():
                k += 1
            if k - j > 1:
                spans.append((i, j, k - 1))
            j = k
    return spans


def _padded(rows):
    n = max(len(r) for r in rows)
    return [r + [""] * (n - len(r)) for r in rows], n


def write_docx(text: str, out: Path, *, embed: dict[str, str] | None = None) -> Path:
    """The seed as a Word document: paragraphs, tables with their header cells merged. ``embed``
    maps a table number (公开02表) to "picture" or "ole": that table is replaced by the object."""
    docx = pytest.importorskip("docx")
    d = docx.Document()
    number = None
    for kind, v in pieces(text):
        if kind == "para":
            d.add_paragraph(v)
            number = v.strip() if re.fullmatch(r"公开\d\d表", v.strip()) else number
            continue
        if embed and number in embed:
            _embed(d, embed.pop(number))
            continue
        rows, n = _padded(v)
        t = d.add_table(rows=len(rows), cols=n)
        for i, r in enumerate(rows):
            for j, c in enumerate(r):
                t.cell(i, j).text = c
        for i, a, b in header_spans(rows):
            t.cell(i, a).merge(t.cell(i, b)).text = rows[i][a]
    d.save(out)
    return out


def png() -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buf, format="PNG")
    return buf.getvalue()


def _embed(d, what: str) -> None:
    from docx.oxml import parse_xml
    if what == "picture":
        d.add_paragraph().add_run().add_picture(io.BytesIO(png()))
        return
    run = d.add_paragraph().add_run()
    run._r.append(parse_xml(
        '<w:object xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:o="urn:schemas-microsoft-com:office:office">'
        '<o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" ShapeID="_x0000_i1025" DrawAspect="Content"/>'
        '</w:object>'))


def write_xlsx(text: str, out: Path, *, sheet_per_table: bool) -> Path:
    """The seed as a workbook: amounts stored as numbers with a 0.00 format (as many zeros as the
    seed prints decimals), codes as integers, header cells and title rows merged; one sheet, or a
    new sheet at each table's title (the 目录 and the narrative on sheets of their own)."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "封面"
    items = pieces(text)
    for k, (kind, v) in enumerate(items):
        if kind == "para":
            nxt = next((x for x in items[k + 1:k + 3] if x[0] == "para" and x[1].strip()), None)
            if sheet_per_table and nxt and re.fullmatch(r"公开\d\d表", nxt[1].strip()) or (
                    sheet_per_table and re.match(r"^第[一二三四五]部分", v) and ws.max_row > 1):
                ws = wb.create_sheet(f"表{len(wb.worksheets)}")
            ws.append([v.strip()] if v.strip() else [])
            if v.strip():                   # a line of text: merged across the table's width
                ws.merge_cells(start_row=ws._current_row, start_column=1, end_row=ws._current_row, end_column=6)
            continue
        rows, n = _padded(v)
        first = ws._current_row + 1
        for r in rows:
            ws.append([_typed(c) for c in r])
            for j, c in enumerate(r, start=1):
                m = _AMOUNT.match(c.strip())
                if m:
                    ws.cell(ws._current_row, j).number_format = "0." + "0" * len(m.group(1))
        for i, a, b in header_spans(rows):
            ws.merge_cells(start_row=first + i, start_column=a + 1, end_row=first + i, end_column=b + 1)
    wb.save(out)
    return out


def _typed(cell: str):
    s = cell.strip()
    if _AMOUNT.match(s):
        return float(s)
    if _CODE.match(s) and not s.startswith("0"):
        return int(s)
    return cell


def write_html(text: str, out: Path) -> Path:
    """The seed as a web page: <h2>/<p> paragraphs, <table> rows with colspan header cells, GBK
    encoded with its <meta charset>."""
    from html import escape
    parts = ['<!DOCTYPE html><html><head><meta charset="gbk"><title>决算公开</title>'
             '<style>td{border:1px solid}</style></head><body>']
    for kind, v in pieces(text):
        if kind == "para":
            parts.append(f"<p>{escape(v)}</p>\n" if v.strip() else "\n")
            continue
        rows, n = _padded(v)
        spans = {(i, a): b - a + 1 for i, a, b in header_spans(rows)}
        covered = {(i, j) for (i, a), w in spans.items() for j in range(a + 1, a + w)}
        parts.append("<table>\n")
        for i, r in enumerate(rows):
            cells = "".join(
                f'<td colspan="{spans[(i, j)]}">{escape(c)}</td>' if (i, j) in spans else f"<td>{escape(c)}</td>"
                for j, c in enumerate(r) if (i, j) not in covered)
            parts.append(f"<tr>{cells}</tr>\n")
        parts.append("</table>\n")
    parts.append("</body></html>")
    out.write_bytes("".join(parts).encode("gbk"))
    return out


