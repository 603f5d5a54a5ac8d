"""The datasets of several catalogued reports side by side, each row carrying its report_id: the
input of every multi-report output (Excel, data package, DuckDB, ``xf.sql``).

Parsed reports come from :func:`xinzhou_fiscal.store.cache.parsed`: once per process, and once
per document and code across processes."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable

import pandas as pd

from xinzhou_fiscal.report.model import Report
from xinzhou_fiscal.store import catalogue
from xinzhou_fiscal.store.cache import parsed
from xinzhou_fiscal.store.export.columns import dataset_fields


@dataclass
class Collection:
    """Reports, their catalogue rows and their datasets (report_id first, schema columns only)."""

    reports: list[Report]
    catalogue: pd.DataFrame
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    per_report: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict)


def _json_text(v):
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False, default=str)
    return v


def shaped(name: str, df: pd.DataFrame, report_id: str) -> pd.DataFrame:
    """A dataset of one report in its published shape: report_id first, then the schema's columns;
    a column the schema does not describe is an error, never dropped silently."""
    fields = dataset_fields(name)
    names = [f.name for f in fields]
    extra = [c for c in df.columns if c not in names]
    if extra:
        raise ValueError(f"dataset {name}: columns {extra} are not described in schemas.py; add them there")
    out = df.copy()
    out["report_id"] = report_id
    for f in fields:
        if f.name not in out.columns:
            out[f.name] = pd.Series([None] * len(out), dtype="object")
        elif f.kind == "string" and out[f.name].dtype == object:
            out[f.name] = out[f.name].map(_json_text)
    return out[names].reset_index(drop=True)


def report_datasets(report: Report) -> dict[str, pd.DataFrame]:
    """facts, claims, projects, indicators and findings of one report, shaped for publication."""
    from xinzhou_fiscal.checks import audit
    raw = {"facts": report.facts, "claims": report.claims, "projects": report.projects,
           "indicators": report.indicators, "findings": audit(report)}
    return {name: shaped(name, df, report.report_id) for name, df in raw.items()}


def catalogue_rows(report_ids: list[str]) -> pd.DataFrame:
    """The catalogue rows of these reports in the columns of schemas.REPORTS."""
    names = [f.name for f in dataset_fields("reports")]
    cat = catalogue.catalog().set_index("report_id", drop=False).loc[report_ids]
    cat = cat.reindex(columns=names).reset_index(drop=True)
    cat["year"] = cat["year"].astype("Int64")
    cat["complete"] = cat["complete"].map(lambda v: True if v is None or v != v else bool(v)).astype(bool)
    return cat


def readable_ids() -> list[str]:
    """Every catalogued report except those catalogued as incomplete (``add --force``)."""
    return sorted(e["report_id"] for e in catalogue.entries() if e.get("complete", True) is not False)


def collect(report_ids: Iterable[str] | None = None) -> Collection:
    """The collection of these catalogued reports (default: every one that is not incomplete)."""
    ids = list(report_ids) if report_ids else readable_ids()
    reports = [parsed(i) for i in ids]
    coll = Collection(reports=reports, catalogue=catalogue_rows(ids))
    coll.per_report = {r.report_id: report_datasets(r) for r in reports}
    for name in ("facts", "claims", "projects", "indicators", "findings"):
        parts = [d[name] for d in coll.per_report.values()]
        coll.frames[name] = pd.concat(parts, ignore_index=True) if parts else shaped(name, pd.DataFrame(), "")
    return coll
