"""What went wrong and where: the package's one error root, its one warning root, and the problems a
parse records instead of raising.

* :class:`XinzhouFiscalError` — every exception the package raises on purpose derives from it: a
  report that cannot be read (:class:`ReportError`), a catalogue that is inconsistent
  (:class:`CatalogError`), a chart font that is missing (:class:`FontNotFoundError`). Each message names
  the file and, when known, the table, page and line.
* :class:`XinzhouFiscalWarning` — every warning the package issues derives from it.
* :class:`ParseProblem` — anything a parser could not turn into data, recorded on the report with its
  location: nothing is dropped silently. A cell, row or statement that cannot be parsed becomes either an
  exception (when the result would otherwise look complete but be wrong) or a ParseProblem.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


class XinzhouFiscalError(Exception):
    """The root of every error the package raises on purpose."""


class XinzhouFiscalWarning(UserWarning):
    """The root of every warning the package issues."""


class ReportError(XinzhouFiscalError):
    """A report could not be read. The message names the file and, when known, the table and line."""

    def __init__(self, message: str, *, file: str | Path | None = None, table: str | None = None,
                 line: int | None = None, page: int | None = None):
        self.file = str(file) if file is not None else None
        self.table = table
        self.line = line
        self.page = page
        self.reason = message
        where = []
        if self.file:
            where.append(f"file {self.file}")
        if table:
            where.append(f"table {table}")
        if page is not None:
            where.append(f"page {page}")
        if line is not None:
            where.append(f"line {line}")
        super().__init__(f"{message} ({', '.join(where)})" if where else message)


class EmptyReportError(ReportError):
    """The input holds no text at all."""


class NotAReportError(ReportError):
    """The input is readable but is not a final-accounts report (部门决算)."""


class TruncatedTableError(ReportError):
    """A table starts but is cut off before its end."""


class BadNumberError(ReportError):
    """A cell that must hold an amount holds something that is not a number, e.g. `12.3.4` or `1O2.5`."""


class EncodingError(ReportError):
    """The bytes could not be decoded as UTF-8 or GB18030 (a superset of GBK)."""


class TableLayoutError(ReportError):
    """A table's header or rows do not have the shape its template requires."""


class UnitError(ReportError):
    """A table or sentence prints an amount unit that cannot be converted to 万元."""


class BlankTemplateError(NotAReportError):
    """The input is a blank template (placeholders such as 上海市 XX 局, no figures), not a report."""


class FormatError(ReportError):
    """The file is in a format that cannot be read (a Word, Excel or HTML file that is damaged, a
    ZIP archive of another kind, …); the message names the format."""


class ConverterMissingError(FormatError):
    """The format needs an external converter (LibreOffice for Word 97 .doc) that is not installed;
    the message says how to install it."""


class PdfError(ReportError):
    """A PDF is corrupt, encrypted, or has no text layer."""


class PdfCorruptError(PdfError):
    """The file is not a readable PDF: not a PDF at all, truncated, or damaged."""


class PdfEncryptedError(PdfError):
    """The PDF is password-protected and cannot be opened without the password."""


class PdfNoTextError(PdfError):
    """The PDF has no text layer (a scan): it must go through OCR first."""


class EmptyPdfError(PdfError, EmptyReportError):
    """The file is empty (0 bytes or only whitespace)."""


class PdfWarning(XinzhouFiscalWarning):
    """Something in the PDF was readable only in part (e.g. some pages are images without text)."""


class FontNotFoundError(XinzhouFiscalError, RuntimeError):
    """The bundled CJK font file is not installed (mplfonts missing or broken)."""


class MissingPieceWarning(XinzhouFiscalWarning):
    """A dataset of the report (narrative, performance annex, audit, ...) could not be computed;
    the analysis goes on without it (NaN / empty) and says so."""


class CatalogError(XinzhouFiscalError):
    """The catalogue is inconsistent, an id is unknown, or a file's checksum changed."""


class ChecksumMismatchError(CatalogError):
    """A catalogued file's sha256 no longer matches the catalogue."""


class UnknownReportError(CatalogError, KeyError):
    """A report id is not in the catalogue."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


# --- problems recorded on a report (not raised) --------------------------------------------------
@dataclass(frozen=True)
class ParseProblem:
    stage: str          # "table", "narrative", "performance", "overview", "pdf"
    message: str
    table: str | None = None
    line: int | None = None
    page: int | None = None
    text: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


PROBLEM_COLUMNS = ["stage", "message", "table", "line", "page", "text"]


def problems_frame(problems: list[ParseProblem]) -> pd.DataFrame:
    """The problems as a DataFrame (empty, with the columns, when there are none)."""
    import pandas as pd

    return pd.DataFrame([p.as_dict() for p in problems], columns=PROBLEM_COLUMNS)
