"""DuckDB: one database holding the tables reports, facts, claims, projects, indicators and
findings (each with report_id; column types from the pandera schemas) and a few views."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from xinzhou_fiscal.store.export.collection import Collection
from xinzhou_fiscal.store.export.columns import dataset_fields

DATABASE_FILE = "xinzhou-fiscal.duckdb"

VIEWS = {
    # the headline figures of each report, in 万元
    "headline": """
        SELECT r.report_id, r.department, r.year, r.kind,
          max(f.amount) FILTER (WHERE f."table" = 'income_expenditure_summary' AND f.section = 'income'
                                AND f.item_key = 'grand_total')       AS grand_total,
          max(f.amount) FILTER (WHERE f."table" = 'income_expenditure_summary' AND f.section = 'income'
                                AND f.item_key = 'income_total')      AS income_total,
          max(f.amount) FILTER (WHERE f."table" = 'income_expenditure_summary' AND f.section = 'expenditure'
                                AND f.item_key = 'expenditure_total') AS expenditure_total,
          max(f.amount) FILTER (WHERE f."table" = 'fiscal_grant_summary' AND f.section = 'income'
                                AND f.item_key = 'grand_total')       AS fiscal_grant_total,
          max(f.amount) FILTER (WHERE f."table" = 'three_public' AND f.measure_key = 'actual_total')
                                                                       AS three_public_actual
        FROM reports r LEFT JOIN facts f USING (report_id)
        GROUP BY ALL ORDER BY r.report_id""",
    # 三公 (trips abroad, official vehicles, official reception) per department and year, in 万元
    "three_public": """
        SELECT r.department, r.year, f.report_id,
          max(f.amount) FILTER (WHERE f.measure_key = 'budget_total') AS budget_total,
          max(f.amount) FILTER (WHERE f.measure_key = 'actual_total') AS actual_total,
          max(f.amount) FILTER (WHERE f.measure_key = 'actual_abroad') AS actual_abroad,
          max(f.amount) FILTER (WHERE f.measure_key = 'actual_vehicle_subtotal') AS actual_vehicles,
          max(f.amount) FILTER (WHERE f.measure_key = 'actual_reception') AS actual_reception
        FROM facts f JOIN reports r USING (report_id)
        WHERE f."table" = 'three_public'
        GROUP BY ALL ORDER BY r.department, r.year""",
    # the audit's errors and warnings per report
    "findings_summary": """
        SELECT report_id, severity, count(*) AS n FROM findings
        WHERE severity IN ('error', 'warning') GROUP BY ALL ORDER BY report_id, severity""",
}


def create_tables(con, frames: dict[str, pd.DataFrame]) -> None:
    """Create each dataset's table with the schema's column types, fill it, then the views."""
    for name, df in frames.items():
        fields = dataset_fields(name)
        cols = ", ".join(f'"{f.name}" {f.duckdb_type}' for f in fields)
        con.execute(f'CREATE OR REPLACE TABLE "{name}" ({cols})')
        con.register("_frame", df[[f.name for f in fields]])
        con.execute(f'INSERT INTO "{name}" SELECT * FROM _frame')
        con.unregister("_frame")
    for view, sql in VIEWS.items():
        con.execute(f'CREATE OR REPLACE VIEW "{view}" AS {sql}')


def write_duckdb(coll: Collection, out_dir: Path) -> list[Path]:
    """``<out_dir>/xinzhou-fiscal.duckdb`` (replaced when it exists)."""
    import duckdb
    path = Path(out_dir) / DATABASE_FILE
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        create_tables(con, {"reports": coll.catalogue, **coll.frames})
    finally:
        con.close()
    return [path]
