"""Which reader reads a file: the one place that decides, by the file's content (its first bytes)
and its suffix.

=========================  ===========================================  ===========================
format                     told by                                      read by
=========================  ===========================================  ===========================
PDF                        ``%PDF-``                                    :mod:`.pdf` (pdfplumber)
Word (.docx)               a ZIP holding ``word/document.xml``          :mod:`.office` (python-docx)
Excel (.xlsx)              a ZIP holding ``xl/workbook.xml``            :mod:`.sheets` (openpyxl)
Word 97 (.doc), RTF        an OLE2 file with a WordDocument stream;     :mod:`.office` after
                           ``{\\rtf``                                   LibreOffice converts it
Excel 97 (.xls)            an OLE2 file with a Workbook stream          :mod:`.sheets` (xlrd)
HTML page                  ``<!DOCTYPE html``/``<html`` or .htm(l)      :mod:`.html` (html.parser)
extracted text             anything else                                :mod:`.source`
=========================  ===========================================  ===========================

A format recognised but not readable (a ZIP of another kind, an OLE2 file that is neither Word
nor Excel, a damaged workbook) raises :class:`~xinzhou_fiscal.errors.FormatError` naming the format.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from xinzhou_fiscal.errors import EmptyReportError, FormatError
from xinzhou_fiscal.read.source import SourceDocument, read_text_document

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
                         re.IGNORECASE | re.DOTALL)
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_BOOK_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".doc": "doc", ".rtf": "rtf",
            ".xls": "xls", ".html": "html", ".htm": "html", ".xhtml": "html"}


def sniff(path: Path, data: bytes) -> str:
    """The format of a file: pdf, docx, xlsx, doc, xls, rtf, html or text (see the module's table)."""
    suffix = SUFFIXES.get(path.suffix.lower())
    head = data[:2048]
    if head.startswith(b"%PDF-") or (suffix == "pdf" and b"%PDF-" in data[:1024]):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path, data)
    if head.startswith(OLE2):
        if suffix in ("doc", "xls"):
            return suffix
        if _WORD_STREAM in data:
            return "doc"
        if any(s in data for s in _BOOK_STREAMS):
            return "xls"
        raise FormatError("the file is an OLE2 compound document (Microsoft Office 97) that is neither a Word "
                          "document nor an Excel workbook; it cannot be read", file=path)
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")) or (suffix == "html" and b"<" in head):
        return "html"
    if suffix == "pdf":
        return "pdf"                 # the PDF reader says what is wrong with it
    return "text"


def _zip_format(path: Path, data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as exc:
        what = {".docx": "Word document (.docx)", ".xlsx": "Excel workbook (.xlsx)"}.get(path.suffix.lower(), "ZIP archive")
        raise FormatError(f"the {what} is damaged and cannot be read ({exc})", file=path) from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names:
        raise FormatError("the file is an OpenDocument file (.odt/.ods); save it as .docx or .xlsx to read it",
                          file=path)
    raise FormatError("the file is a ZIP archive, not a Word (.docx) or Excel (.xlsx) document: unpack it and "
                      "add the report inside", file=path)


def read_document(path: Path | str, data: bytes | None = None) -> SourceDocument:
    """Read a file into a SourceDocument by its format (:func:`sniff`)."""
    path = Path(path)
    if data is None:
        data = path.read_bytes()
    if not data.strip() and SUFFIXES.get(path.suffix.lower()) != "pdf":
        raise EmptyReportError("the file is empty: no text to parse", file=path)
    fmt = sniff(path, data)
    if fmt == "pdf":
        from xinzhou_fiscal.read.pdf import read_pdf_document
        return read_pdf_document(path)
    if fmt == "docx":
        from xinzhou_fiscal.read.office import read_docx_document
        return read_docx_document(path)
    if fmt in ("doc", "rtf"):
        from xinzhou_fiscal.read.office import read_converted_document
        return read_converted_document(path, "Word 97 document (.doc)" if fmt == "doc" else "RTF document (.rtf)")
    if fmt in ("xlsx", "xls"):
        from xinzhou_fiscal.read.sheets import read_workbook_document
        return read_workbook_document(path, fmt)
    if fmt == "html":
        from xinzhou_fiscal.read.html import read_html_document
        return read_html_document(path, data)
    return read_text_document(path, data)
