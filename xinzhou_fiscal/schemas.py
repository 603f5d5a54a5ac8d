"""pandera schemas of the published datasets: the contract a downstream user can rely on.

Validated by the tests and before every export (``xinzhou-fiscal parse --out``); kept out of
``read_report``'s hot path because importing pandera costs more than parsing a report.
"""
from __future__ import annotations

import pandera.pandas as pa

from .tables.spec import TABLE_KEYS

FACTS = pa.DataFrameSchema(
    {
        "report_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9][a-z0-9-]*$")),
        "table": pa.Column(str, pa.Check.isin(TABLE_KEYS)),
        "table_no": pa.Column(str),
        "table_title": pa.Column(str, pa.Check.str_length(min_value=1)),
        "section": pa.Column(str),
        "code": pa.Column(str, pa.Check.str_matches(r"^(\d{3}|\d{5}|\d{7})?$")),
        "item": pa.Column(str),
        "item_key": pa.Column(str),
        "measure": pa.Column(str, pa.Check.str_length(min_value=1)),
        "measure_key": pa.Column(str),
        "amount": pa.Column(float, nullable=False),
        "unit": pa.Column(str, pa.Check.isin(["万元", "辆", "台（套）"])),
        "printed": pa.Column(str, pa.Check.str_matches(r"^[+-]?[\d,]+(\.\d+)?$")),
        # the unit the figure was printed in ("" when the table prints none and 万元 was assumed)
        "printed_unit": pa.Column(str, pa.Check.isin(["", "万元", "元", "千元", "亿元", "辆", "台（套）"])),
        "row_no": pa.Column("Int64", nullable=True),
        "column_no": pa.Column("Int64", nullable=True),
        "line": pa.Column("Int64", pa.Check.gt(0)),
        "page": pa.Column("Int64", nullable=True),
    },
    checks=[
        pa.Check(lambda df: (df["code"] != "") | (df["item"] != "") | (df["table"] == "three_public"),
                 error="every fact has a code or an item label"),
        pa.Check(lambda df: ~df.duplicated(["table", "line", "section", "code", "item", "measure"]),
                 error="one fact per cell"),
    ],
    strict=True,
    coerce=False,
)


CLAIMS = pa.DataFrameSchema(
    {
        "section": pa.Column(str),
        "subject": pa.Column(str, pa.Check.str_length(min_value=1)),
        "metric": pa.Column(str, pa.Check.str_length(min_value=1)),
        "value": pa.Column(float, pa.Check.ge(0), nullable=True),
        "unit": pa.Column(str),
        "direction": pa.Column(str, pa.Check.isin(["", "增加", "减少", "持平", "大于", "小于", "等于"])),
        "signed_value": pa.Column(float, nullable=True),
        "sentence": pa.Column(str, pa.Check.str_length(min_value=1)),
        "line": pa.Column("Int64", pa.Check.gt(0)),
    },
    checks=[pa.Check(lambda df: (df["unit"] != "万元") | df["metric"].isin(
        ["决算数", "年初预算", "全年预算", "同比增减额", "涉及资金"]), error="万元 figures are amounts"),
            # a comparison with the budget (决算数小于预算数) prints no number: no value, no unit
            pa.Check(lambda df: (df["metric"] == "决算与预算比较") | (df["value"].notna() & (df["unit"] != "")),
                     error="every figure has a value and a unit"),
            pa.Check(lambda df: (df["metric"] == "决算与预算比较") | ~df["direction"].isin(["大于", "小于", "等于"]),
                     error="大于/小于/等于 only for comparisons with the budget")],
    strict=False,
)

PROJECTS = pa.DataFrameSchema(
    {
        "project": pa.Column(str, pa.Check.str_length(min_value=1)),
        "kind": pa.Column(str, pa.Check.isin(["department", "project"])),
        "budget": pa.Column(float, pa.Check.ge(0), nullable=True),
        "executed": pa.Column(float, pa.Check.ge(0), nullable=True),
        "execution_rate": pa.Column(float, pa.Check.in_range(0, 200), nullable=True),
        "total_score": pa.Column(float, pa.Check.in_range(0, 100), nullable=True),
        "grade": pa.Column(str, pa.Check.isin(["优", "良", "中", "差", ""]), nullable=True),
        "title_line": pa.Column("Int64", pa.Check.gt(0)),
    },
    strict=False,
)


def validate_datasets(report) -> None:
    """Validate the published datasets of a report (facts, claims, projects), lazily: one
    SchemaErrors listing every failing cell."""
    validate_facts(report.facts)
    CLAIMS.validate(report.claims, lazy=True)
    PROJECTS.validate(report.projects, lazy=True)


def validate_facts(facts):
    """Validate a facts DataFrame, raising pandera's SchemaErrors listing every failing cell."""
    return FACTS.validate(facts, lazy=True)
