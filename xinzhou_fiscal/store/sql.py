"""``xf.sql("SELECT …")``: DuckDB in-process over every catalogued report (but incomplete ones).

The tables are those of the DuckDB export (reports, facts, claims, projects, indicators, findings,
each with report_id; views headline, three_public, findings_summary). They are built once per
process and rebuilt when the catalogue changes (a report added, a sha256 changed)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_CACHE: dict = {}


def connection():
    """An in-memory DuckDB connection holding every catalogued report's datasets (cached)."""
    import duckdb

    from xinzhou_fiscal.store import catalogue
    from xinzhou_fiscal.store.export.collection import collect, readable_ids
    from xinzhou_fiscal.store.export.database import create_tables
    key = tuple((rid, catalogue.entry(rid)["sha256"]) for rid in readable_ids())
    if key not in _CACHE:
        coll = collect([rid for rid, _ in key])
        con = duckdb.connect(":memory:")
        create_tables(con, {"reports": coll.catalogue, **coll.frames})
        _CACHE.clear()
        _CACHE[key] = con
    return _CACHE[key]


def sql(query: str, params: list | dict | None = None) -> pd.DataFrame:
    """Run a DuckDB query over every catalogued report; the result as a DataFrame (amounts in 万元).

    >>> xf.sql("SELECT report_id, grand_total FROM headline")   # doctest: +SKIP
    """
    con = connection().cursor()
    try:
        return con.execute(query, params).df() if params is not None else con.execute(query).df()
    finally:
        con.close()
