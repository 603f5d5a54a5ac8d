"""Loading catalogued reports for the notebooks (an unknown id fails listing the valid ones)."""
from __future__ import annotations

import math
from typing import Any

import pandas as pd

from xinzhou_fiscal.analysis._common import _staffing


def catalogued_ids() -> list[str]:
    """Sorted report ids of the catalogue (data/catalog.json)."""
    from xinzhou_fiscal.store.catalogue import report_ids

    return sorted(str(i) for i in report_ids())


def check_report_id(report_id: str) -> str:
    """``report_id`` if it is catalogued; otherwise :class:`~xinzhou_fiscal.errors.UnknownReportError`
    whose message lists the valid ids. Nothing is read or written for an unknown id (so a path
    like ``../x`` never reaches the file system)."""
    from xinzhou_fiscal.store.catalogue import unknown_id

    valid = catalogued_ids()
    if not isinstance(report_id, str) or report_id not in valid:
        raise unknown_id(report_id, valid)
    return report_id


def load_report(report_id: str):
    """Load a catalogued report by id (checked first by :func:`check_report_id`), parsed and audited
    once per process and once across processes, shared with :func:`xinzhou_fiscal.store.sql` (both read
    it from :func:`xinzhou_fiscal.store.cache.parsed`, keyed by id, sha256 and code)."""
    from xinzhou_fiscal.store.cache import parsed

    return parsed(check_report_id(report_id))


def describe(report: Any) -> pd.DataFrame:
    """Who and what: department, year, unit, source file name (no path), staffing (概况)."""
    src = str(getattr(report, "source_file", "") or "")
    rows = [
        ("报告编号", getattr(report, "report_id", "")),
        ("部门（单位）", getattr(report, "department", "")),
        ("年度", getattr(report, "year", "")),
        ("类型", getattr(report, "kind", "")),
        ("原始文件", src.replace("\\", "/").rsplit("/", 1)[-1]),
        ("人员编制数", _fmt_count(_staffing(report))),
    ]
    return pd.DataFrame(rows, columns=["field", "value"]).astype({"value": str})


def _fmt_count(v: float) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.0f}"
