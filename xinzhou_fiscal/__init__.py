"""xinzhou-fiscal: tidy, checked datasets from Xinzhou department final-accounts disclosures (部门决算公开).

Amounts are 万元 (10,000 yuan) with two decimals, as printed. Main entry points:

- :func:`read_report` — parse a report file (text, PDF, Word, Excel, HTML) into a :class:`Report`;
- :func:`load` — parse a catalogued report by id, after verifying its sha256;
- :func:`catalog` — the catalogue of raw reports as a DataFrame;
- :func:`audit` — recompute every identity the report implies; findings as a DataFrame;
- :func:`sql` — a DuckDB query over every catalogued report, as a DataFrame.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from xinzhou_fiscal.errors import (
    BadNumberError,
    CatalogError,
    ChecksumMismatchError,
    EmptyReportError,
    EncodingError,
    FormatError,
    NotAReportError,
    PdfError,
    ReportError,
    TableLayoutError,
    TruncatedTableError,
    UnknownReportError,
)
from xinzhou_fiscal.paths import package_version
from xinzhou_fiscal.store.catalogue import catalog, report_ids
from xinzhou_fiscal.store.sql import sql

if TYPE_CHECKING:
    from xinzhou_fiscal.report.model import Report
    from xinzhou_fiscal.tables.parsed import ParsedTable

#: names served on first use (PEP 562), so that ``import xinzhou_fiscal`` does not import pandas:
#: a notebook served from the view cache (:mod:`.views`) never needs it.
_LAZY = {"ParsedTable": ".tables.parsed", "Report": ".report.model"}


def __getattr__(name: str):
    if name == "__version__":            # read from the installed metadata on first use (importlib.metadata: 6 MiB)
        globals()[name] = package_version()
        return globals()[name]
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")



def read_report(path, report_id: str | None = None, *, strict: bool = False) -> Report:
    """Parse a report file (extracted text, PDF, Word, Excel, HTML; or a list of files or a folder
    holding one report over several files) into a :class:`Report` (amounts in 万元); a file the
    catalogue lists gets its catalogued id. See :func:`xinzhou_fiscal.report.parse.read_report`."""
    from xinzhou_fiscal.report.parse import read_report as _read
    from xinzhou_fiscal.store.catalogue import id_for_sha256

    return _read(path, report_id, strict=strict, id_for_sha256=id_for_sha256)


def load(report_id: str) -> Report:
    """The catalogued report ``report_id``, its raw file verified against the catalogue's sha256:
    parsed afresh each call, through the one "report by id" path
    (:func:`xinzhou_fiscal.store.cache.parsed`, which hashes the raw file once per process)."""
    from xinzhou_fiscal.store.cache import parsed

    return parsed(report_id, keep=False, cached=False)


def budget_vs_final(budget, final):
    """A department's budget (预算) against its final accounts (决算) of the same year, one row per
    item: code, name, level, budgeted and final amount (万元), difference, execution rate, and each
    amount's table, line and page. Two Reports or two catalogued ids. See
    :mod:`xinzhou_fiscal.analysis.budget_vs_final`."""
    from xinzhou_fiscal.analysis.budget_vs_final import budget_vs_final as _bvf
    return _bvf(budget, final)


def _partner(report: Report, kwargs: dict) -> dict:
    """``kwargs`` with ``budget`` set to the catalogued budget of ``report``'s department and year
    (:func:`xinzhou_fiscal.store.cache.partner_budget`) unless the caller passed one (or None)."""
    if "budget" not in kwargs:
        from xinzhou_fiscal.store.cache import partner_budget
        kwargs["budget"] = partner_budget(report)
    return kwargs


def audit(report: Report, **kwargs):
    """Audit findings for a report as a DataFrame (columns rule, severity, message, expected, actual, …).
    A catalogued final-accounts report whose budget (预算, same department and year) is catalogued
    too is also checked against it (its 年初预算 statements: rule ``budget_final.stated_budget``);
    ``budget=`` passes a budget Report explicitly."""
    from xinzhou_fiscal.checks import audit as _audit
    return _audit(report, **_partner(report, kwargs))


def audit_coverage(report: Report, **kwargs):
    """What the audit checked: counts per rule family and outcome (holds, rounding, error,
    warning, not applicable, cannot check). Built with the same budget as :func:`audit` (the
    catalogued one, or ``budget=``), so the rules across documents count what they checked."""
    from xinzhou_fiscal.checks.coverage import audit_coverage as _coverage
    return _coverage(report, **_partner(report, kwargs))


def audit_lead(report: Report, **kwargs) -> str:
    """The one line to lead with: ``checked N identities and K of M narrative claims: E errors,
    W warnings, R rounding; cannot check: …`` (with the budget :func:`audit` uses, or ``budget=``)."""
    from xinzhou_fiscal.checks.coverage import audit_lead as _lead
    return _lead(report, **_partner(report, kwargs))


__all__ = ["BadNumberError", "CatalogError", "ChecksumMismatchError", "EmptyReportError", "EncodingError",
           "FormatError", "NotAReportError", "ParsedTable", "PdfError", "Report", "ReportError", "TableLayoutError",
           "TruncatedTableError", "UnknownReportError", "__version__", "audit", "audit_coverage", "audit_lead",
           "budget_vs_final",
           "catalog", "load", "read_report", "report_ids", "sql"]
