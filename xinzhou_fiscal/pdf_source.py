"""The PDF reader, kept importable from its old place: the code lives in
:mod:`xinzhou_fiscal.document.pdf` (one module per step) and the errors in
:mod:`xinzhou_fiscal.errors`."""
from __future__ import annotations

from .document.pdf import read_pdf_document
from .errors import EmptyPdfError, PdfCorruptError, PdfEncryptedError, PdfNoTextError, PdfWarning

__all__ = [
    "read_pdf_document", "PdfCorruptError", "PdfEncryptedError", "PdfNoTextError",
    "EmptyPdfError", "PdfWarning",
]
