"""Open a PDF report and read it into a :class:`~xinzhou_fiscal.read.source.SourceDocument`: the file
checked (empty, not a PDF, corrupt, password-protected, scanned), every page's characters and rulings
read — by PDFium (pypdfium2, the default) or by pdfplumber (the reference, and the fallback for what
PDFium cannot take) — the items assembled into lines and table blocks.

The reader is chosen by the ``reader`` parameter or the ``XF_PDF_READER`` environment variable
(``pdfium`` or ``pdfplumber``); see docs/pdf.md."""
from __future__ import annotations

import os
import warnings
from pathlib import Path

from xinzhou_fiscal.errors import (
    EmptyPdfError,
    NotAReportError,
    ParseProblem,
    PdfCorruptError,
    PdfEncryptedError,
    PdfError,
    PdfNoTextError,
    PdfWarning,
)
from xinzhou_fiscal.numbers import LazyPattern
from xinzhou_fiscal.read.pdf.assemble import assemble
from xinzhou_fiscal.read.pdf.page import Item, PageInfo, read_page
from xinzhou_fiscal.read.pdf.paragraphs import logical_items
from xinzhou_fiscal.read.source import SourceDocument

READER_ENV = "XF_PDF_READER"
READERS = ("pdfium", "pdfplumber")
_REPORT_TEXT = LazyPattern(r"(部门|单位)[决预]算|[决预]算(公开|报告|情况说明|表)|年度?\s*[决预]算")


def _open_error(path: Path, exc: BaseException) -> PdfError:
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    name = type(inner).__name__
    if "Password" in name or "Encryption" in name:
        return PdfEncryptedError(
            "the PDF is password-protected (encrypted); it cannot be read without the password — "
            "save an unprotected copy first", file=path)
    detail = str(inner) or name
    return PdfCorruptError(f"the PDF is corrupt or truncated and cannot be parsed ({name}: {detail})",
                           file=path)


def _decrypted(path: Path, data: bytes):
    """The PDF to hand to pdfplumber (PDFium decrypts an owner-password file itself): the path itself, or — for an encrypted file that opens with
    the empty user password (an owner password only restricts printing or copying) — its plain
    bytes, decrypted in memory by pikepdf (qpdf), because pdfminer decrypts every string and stream
    in Python, 50× slower than reading the plain file. A file that needs a user password raises
    :class:`PdfEncryptedError`."""
    if b"/Encrypt" not in data:
        return path
    import io

    import pikepdf
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if not pdf.is_encrypted:
                return path
            plain = io.BytesIO()
            pdf.save(plain)
    except pikepdf.PasswordError as exc:
        raise _open_error(path, exc) from exc
    except pikepdf.PdfError:
        return path                       # damaged: let pdfplumber name what is wrong
    plain.seek(0)
    return plain


def _blank(path: Path) -> bool:
    """True when the file holds nothing but white space; read in chunks (PDFium reads the file
    itself: its bytes are not kept in memory)."""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 16):
            if chunk.strip():
                return False
    return True


def chosen_reader(reader: str | None = None) -> str:
    """``reader``, else the ``XF_PDF_READER`` environment variable, else ``pdfium``."""
    name = (reader or os.environ.get(READER_ENV) or "pdfium").strip().lower()
    if name not in READERS:
        raise ValueError(f"unknown PDF reader {name!r}: choose one of {', '.join(READERS)} "
                         f"(parameter reader= or the {READER_ENV} environment variable)")
    return name


def _pages_pdfplumber(path: Path) -> tuple[int, dict[int, PageInfo], list[Item]]:
    """Every page read through pdfplumber (pdfminer.six): (page count, page infos, items)."""
    import pdfplumber

    pages: dict[int, PageInfo] = {}
    items: list[Item] = []
    try:
        with pdfplumber.open(_decrypted(path, path.read_bytes())) as pdf:
            page_count = len(pdf.pages)
            for i, page in enumerate(pdf.pages, start=1):
                info, page_items = read_page(page, i)
                pages[i] = info
                items.extend(page_items)
                page.close()
    except PdfError:
        raise
    except Exception as exc:  # pdfminer raises many types (PDFSyntaxError, PSEOF, KeyError, ...)
        raise _open_error(path, exc) from exc
    return page_count, pages, items


def _pages_pdfium(path: Path) -> tuple[int, dict[int, PageInfo], list[Item]]:
    """Every page read through PDFium. Raises ``PdfiumUnsupported`` when the file is to be read by
    pdfplumber instead: PDFium cannot open it (pdfplumber then names what is wrong), a page is
    rotated or cropped, a character has no Unicode mapping, or no page has any text (pdfplumber then tells
    a scan from an empty file, as before)."""
    from xinzhou_fiscal.read.pdf.pdfium import (
        READ_LOCK,
        PdfiumPasswordError,
        PdfiumUnsupported,
        open_document,
        read_pages,
    )

    pages: dict[int, PageInfo] = {}
    items: list[Item] = []
    with READ_LOCK:
        try:
            doc = open_document(path)
        except PdfiumPasswordError as exc:
            raise _open_error(path, exc) from exc
        try:
            for i, page in enumerate(read_pages(doc), start=1):
                info, page_items = read_page(page, i)
                pages[i] = info
                items.extend(page_items)
            page_count = len(doc)
        finally:
            doc.close()
    if not any(p.n_chars for p in pages.values()):
        raise PdfiumUnsupported("no text on any page")
    return page_count, pages, items


def read_pages(path: Path, reader: str) -> tuple[int, dict[int, PageInfo], list[Item]]:
    """(page count, page infos, items) by the chosen reader; PDFium falls back to pdfplumber for
    a file it cannot take as it is."""
    if reader == "pdfium":
        try:
            from xinzhou_fiscal.read.pdf.pdfium import PdfiumUnsupported
        except ImportError:                 # pypdfium2 (its PDFium library) missing
            return _pages_pdfplumber(path)
        try:
            return _pages_pdfium(path)
        except PdfiumUnsupported:
            pass
    return _pages_pdfplumber(path)


def read_pdf_document(path: Path | str, reader: str | None = None) -> SourceDocument:
    """Read a PDF final-accounts report: every line in reading order and every ruled table found,
    as a :class:`SourceDocument` with ``kind="pdf"``. ``reader`` is ``"pdfium"`` (the default) or
    ``"pdfplumber"``; without it the ``XF_PDF_READER`` environment variable decides.

    Raises :class:`EmptyPdfError` for an empty file, :class:`PdfCorruptError` for a file that is
    not a readable PDF, :class:`PdfEncryptedError` for a password-protected one,
    :class:`PdfNoTextError` for a scan without text layer (OCR needed), and
    :class:`~xinzhou_fiscal.errors.NotAReportError` for a readable PDF that is not a
    final-accounts report. Every message names the file.
    """
    path = Path(path)
    reader = chosen_reader(reader)
    if _blank(path):
        raise EmptyPdfError("the file is empty: no PDF to read", file=path)
    with path.open("rb") as fh:
        if b"%PDF-" not in fh.read(1024):
            raise PdfCorruptError("the file is not a PDF (no %PDF- header)", file=path)

    page_count, pages, items = read_pages(path, reader)
    if page_count == 0:
        raise PdfCorruptError("the PDF has no pages", file=path)
    total_chars = sum(p.n_chars for p in pages.values())
    if total_chars == 0:
        images = sum(p.n_images for p in pages.values())
        what = f"its {page_count} page(s) hold {images} image(s) and no text" if images else \
            f"none of its {page_count} page(s) holds any text"
        raise PdfNoTextError(f"the PDF has no text layer ({what}): it looks scanned — OCR is "
                             "needed before it can be read", file=path)
    reading_problems = []
    scanned = [p.number for p in pages.values() if p.n_chars == 0 and p.n_images > 0]
    if scanned:
        reading_problems += [ParseProblem("pdf", "the page is an image without a text layer; its content is "
                                          "not read (OCR needed)", page=n) for n in scanned]
        warnings.warn(f"{path}: page(s) {', '.join(map(str, scanned))} are images without a text "
                      "layer; their content (if any) is not read (OCR needed)", PdfWarning,
                      stacklevel=2)

    sideways = [p.number for p in pages.values() if p.n_chars and p.n_sideways > p.n_chars / 2]
    if sideways:
        reading_problems += [ParseProblem("pdf", "the page's text runs sideways (rotated) and is read out of "
                                          "order", page=n) for n in sideways]
        warnings.warn(f"{path}: the text of page(s) {', '.join(map(str, sideways))} runs sideways (rotated); "
                      "rotated text is not supported and is read out of order", PdfWarning, stacklevel=2)

    lines, blocks = assemble(logical_items(items, pages), pages)
    text = "\n".join(ln.text for ln in lines)
    if not blocks and not _REPORT_TEXT.search(text):
        if sum(p.n_sideways for p in pages.values()) > total_chars / 2:
            raise PdfError("the PDF's text runs sideways (rotated pages): rotated text is not supported — "
                           "save the pages upright and try again", file=path)
        raise NotAReportError(
            "the PDF has a text layer but is not a budget or final-accounts report (部门预算/部门决算): no "
            "预算 or 决算 table title and no 预算 or 决算 heading found", file=path)
    doc = SourceDocument(path=path, kind="pdf", encoding=None, lines=lines, tables=blocks,
                         page_count=page_count, problems=reading_problems)
    from xinzhou_fiscal.read.source import _toc_pages
    doc.toc_pages = _toc_pages(lines)
    return doc
