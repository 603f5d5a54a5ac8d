"""xinzhou-fiscal: tidy, checked datasets from Xinzhou department final-accounts disclosures (部门决算公开).

Amounts are 万元 (10,000 yuan) with two decimals, as printed. Main entry points:

- :func:`read_report` — parse a report file (extracted text or PDF) into a :class:`Report`;
- :func:`load` — parse a catalogued report by id, after verifying its sha256;
- :func:`catalog` — the catalogue of raw reports as a DataFrame;
- :func:`audit` — recompute every identity the report implies; findings as a DataFrame;
- :func:`sql` — a DuckDB query over every catalogued report, as a DataFrame.
"""
from __future__ import annotations

from importlib import metadata as _metadata
from typing import TYPE_CHECKING

from .catalogue import catalog, report_ids
from .errors import (BadNumberError, CatalogError, ChecksumMismatchError, EmptyReportError, EncodingError,
                     NotAReportError, PdfError, ReportError, TableLayoutError, TruncatedTableError,
                     UnknownReportError)
from .sql import sql

if TYPE_CHECKING:
    from .model import ParsedTable, Report
    from .parse import read_report

#: names served on first use (PEP 562), so that ``import xinzhou_fiscal`` does not import pandas:
#: a notebook served from the view cache (:mod:`.views`) never needs it.
_LAZY = {"ParsedTable": ".model", "Report": ".model", "read_report": ".parse"}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


try:
    __version__ = _metadata.version("xinzhou-fiscal")
except _metadata.PackageNotFoundError:  # a checkout that was never installed
    __version__ = "0+unknown"


def load(report_id: str) -> Report:
    """Parse the catalogued report ``report_id`` after verifying its sha256 against the catalogue."""
    from .catalogue import verified_path
    from .parse import read_report

    return read_report(verified_path(report_id), report_id=report_id)


def audit(report: Report, **kwargs):
    """Audit findings for a report as a DataFrame (columns rule, severity, message, expected, actual, …)."""
    from .checks import audit as _audit
    return _audit(report, **kwargs)


def audit_coverage(report: Report):
    """What the audit checked: counts per rule family and outcome (holds, rounding, error,
    warning, not applicable, cannot check)."""
    from .checks.coverage import audit_coverage as _coverage
    return _coverage(report)


def audit_lead(report: Report) -> str:
    """The one line to lead with: ``checked N identities and K of M narrative claims: E errors,
    W warnings, R rounding; cannot check: …``."""
    from .checks.coverage import audit_lead as _lead
    return _lead(report)


__all__ = ["BadNumberError", "CatalogError", "ChecksumMismatchError", "EmptyReportError", "EncodingError",
           "NotAReportError", "ParsedTable", "PdfError", "Report", "ReportError", "TableLayoutError",
           "TruncatedTableError", "UnknownReportError", "__version__", "audit", "audit_coverage", "audit_lead",
           "catalog", "load", "read_report", "report_ids", "sql"]
