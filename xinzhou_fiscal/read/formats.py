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

import hashlib
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from xinzhou_fiscal.errors import EmptyReportError, FormatError
from xinzhou_fiscal.numbers import LazyPattern

if TYPE_CHECKING:
    from xinzhou_fiscal.read.source import SourceDocument

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = LazyPattern(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
                         re.IGNORECASE | re.DOTALL)
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_BOOK_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".doc": "doc", ".rtf": "rtf",
            ".xls": "xls", ".html": "html", ".htm": "html", ".xhtml": "html"}


def sniff(path: Path, data: bytes) -> str:
    """The format of a file: pdf, docx, xlsx, doc, xls, rtf, html or text (see the module's table)."""
    suffix = SUFFIXES.get(path.suffix.lower())
    head = data[:2048]
    if head.startswith(b"%PDF-") or suffix == "pdf":
        return "pdf"                 # (a .pdf that is none: the PDF reader says what it is not)
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
    return "text"


def sniff_file(path: Path) -> str:
    """The format of a file on disk (:func:`sniff`), reading no more of it than needed."""
    data, _ = _sniff_bytes(Path(path))
    return sniff(Path(path), data)


def _zip_format(path: Path, data: bytes) -> str:
    import zipfile  # here: only an Office file is a ZIP archive

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
    """Read a file into a SourceDocument by its format (:func:`sniff`); a folder is one report
    split over the files it holds (:func:`read_documents`, in name order)."""
    path = Path(path)
    if data is None and path.is_dir():
        files = set_files(path)
        if not files:
            raise EmptyReportError("not a file, and no folder of one report over several files: it holds no "
                                   f"report file ({', '.join(REPORT_SUFFIXES)})", file=path)
        return read_documents(files, name=path)
    whole = data is not None
    if data is None:
        data, whole = _sniff_bytes(path)
    if whole and not data.strip() and SUFFIXES.get(path.suffix.lower()) != "pdf":
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
        return read_html_document(path, data if whole else path.read_bytes())
    from xinzhou_fiscal.read.source import read_text_document  # here: hashing a file (content_sha256) needs none of it
    return read_text_document(path, data if whole else None)    # from the file: junk after the report set aside


#: how much of a file is read to tell its format; a text report is then read by its own reader,
#: which sets junk after the report aside without holding it (memory bounded by the report)
SNIFF_BYTES = 1 << 16


def _sniff_bytes(path: Path) -> tuple[bytes, bool]:
    """The first :data:`SNIFF_BYTES` of a file, or all of it for a container (ZIP, OLE2), whose
    directory the format is told by; and whether that is the whole file."""
    with open(path, "rb") as f:
        data = f.read(SNIFF_BYTES)
        if data.startswith((OLE2, b"PK\x03\x04")):
            data += f.read()
            return data, True
        return data, len(data) < SNIFF_BYTES


#: the files of a folder read as one report
REPORT_SUFFIXES = (".txt", *SUFFIXES)


def set_files(folder: Path) -> list[Path]:
    """The report files of a folder holding one report split over several files, in name order
    (hidden files and files of other kinds left out)."""
    return sorted(p for p in Path(folder).iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in REPORT_SUFFIXES)


def content_sha256(path: Path) -> str:
    """The sha256 of a file; of a folder holding one report set, the sha256 of its manifest (one
    line ``name<TAB>sha256`` per report file, in name order), so that changing, adding, removing or
    renaming a file changes it."""
    def file_sha(p: Path) -> str:
        h = hashlib.sha256()
        with open(p, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    path = Path(path)
    if not path.is_dir():
        return file_sha(path)
    manifest = "".join(f"{p.name}\t{file_sha(p)}\n" for p in set_files(path))
    return hashlib.sha256(manifest.encode("utf-8")).hexdigest()


def read_documents(paths: list[Path | str], name: Path | None = None) -> SourceDocument:
    """One report split over several files (the narrative in one, the tables in another, …), read
    as one document: each file by its format, their lines in the order given, numbered on
    (``SourceDocument.files`` says which lines came from which file), pages numbered on where the
    files have pages. ``name`` is what the document is called (default ``a.docx+b.xlsx``)."""
    from dataclasses import replace

    from xinzhou_fiscal.read.source import SourceDocument
    paths = [Path(p) for p in paths]
    if not paths:
        raise EmptyReportError("no file given: the report set is empty", file=name)
    docs = [read_document(p) for p in paths]
    if len(docs) == 1 and name is None:
        return docs[0]
    name = name or paths[0].parent / "+".join(p.name for p in paths)
    out = SourceDocument(path=name, kind="+".join(dict.fromkeys(d.kind for d in docs)), encoding=None,
                         lines=[], tables=[], page_count=0)
    for path, doc in zip(paths, docs):
        n, pages = len(out.lines), out.page_count or 0

        def page(p, pages=pages):
            return p + pages if p is not None else None

        out.files.append((path, n + 1, n + len(doc.lines)))
        out.lines += [replace(ln, line=ln.line + n, page=page(ln.page)) for ln in doc.lines]
        for b in doc.tables:
            out.tables.append(replace(b, start_line=b.start_line + n, end_line=b.end_line + n, page=page(b.page),
                                      rows=[replace(r, line=r.line + n, page=page(r.page)) for r in b.rows],
                                      notes=[replace(ln, line=ln.line + n, page=page(ln.page)) for ln in b.notes]))
        out.problems += [replace(p, line=p.line + n if p.line is not None else None, page=page(p.page))
                         for p in doc.problems]
        for title, p in doc.toc_pages.items():
            out.toc_pages.setdefault(title, p)
        out.page_count = pages + (doc.page_count or 0)
    out.page_count = out.page_count or None
    return out
