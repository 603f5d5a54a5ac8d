"""Parse problems: anything the parsers could not turn into data, with its location.

Nothing is dropped silently: a cell, row or statement that cannot be parsed becomes either an
exception (when the result would otherwise look complete but be wrong) or a ``ParseProblem``
recorded on the report, naming where it sits.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd


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
    return pd.DataFrame([p.as_dict() for p in problems], columns=PROBLEM_COLUMNS)
