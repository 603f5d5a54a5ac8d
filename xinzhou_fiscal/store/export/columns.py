"""What each output knows about a column, derived from the pandera schemas (schemas.py), the single
source: Frictionless field types, DuckDB column types, Excel number formats and headers."""
from __future__ import annotations

from dataclasses import dataclass

import pandera.pandas as pa

from xinzhou_fiscal.store.schemas import DATASETS, REPORT_ID, REPORTS, WAN

#: Excel format of amounts in 万元: two decimals, more only when the document printed more
AMOUNT_FORMAT = "#,##0.00##"
NUMBER_FORMAT = "0.00##"

_KIND = {"float64": "number", "Int64": "integer", "int64": "integer", "bool": "boolean"}
_FRICTIONLESS = {"string": "string", "number": "number", "integer": "integer", "boolean": "boolean"}
_DUCKDB = {"string": "VARCHAR", "number": "DOUBLE", "integer": "BIGINT", "boolean": "BOOLEAN"}


@dataclass(frozen=True)
class Field:
    """One published column."""

    name: str
    title: str
    description: str
    kind: str            # string / number / integer / boolean
    unit: str | None

    @property
    def duckdb_type(self) -> str:
        return _DUCKDB[self.kind]

    @property
    def excel_format(self) -> str | None:
        if self.kind == "number":
            return AMOUNT_FORMAT if self.unit == WAN else NUMBER_FORMAT
        return None

    def table_schema_field(self) -> dict:
        text = self.description + (f" (unit: {self.unit})" if self.unit else "")
        out = {"name": self.name, "title": self.title, "description": text, "type": _FRICTIONLESS[self.kind]}
        if self.unit:
            out["unit"] = self.unit
        return out


def _field(name: str, column: pa.Column) -> Field:
    unit = (column.metadata or {}).get("unit")
    return Field(name, column.title or name, column.description or "", _KIND.get(str(column.dtype), "string"), unit)


def dataset_fields(name: str) -> list[Field]:
    """The published columns of a dataset (``reports`` or one of schemas.DATASETS), report_id first."""
    if name == "reports":
        return [_field(n, c) for n, c in REPORTS.columns.items()]
    columns = DATASETS[name].columns
    out = [_field("report_id", REPORT_ID)]
    return out + [_field(n, c) for n, c in columns.items() if n != "report_id"]


def dataset_names() -> list[str]:
    return ["reports", *DATASETS]
