"""ParsedTable: one table of a report as the table parsers return it (amounts in 万元)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from xinzhou_fiscal.read.source import TableBlock


@dataclass
class ParsedTable:
    """One table the template expects, or one the report prints.

    ``status`` is one of :data:`xinzhou_fiscal.tables.STATUSES`: "parsed", "empty" (printed without
    figures, with a no-data note such as 本表无数据), "blank" (without figures and without a note),
    "missing" (not in the body; ``in_toc`` says whether the 目录 lists it) or "failed" (``reason``,
    ``error_line`` and ``page`` say why and where). ``wide`` is the table in its printed shape: one
    row per printed row, one column per measure, in 万元, NaN where the cell is blank (a printed 0
    stays 0.0). ``printed_unit`` is the unit the table prints ("" when it prints none); ``unit`` is
    the unit its amounts were read in before conversion to 万元.
    """

    key: str
    title: str
    number: str | None
    status: str
    wide: pd.DataFrame
    facts: pd.DataFrame
    empty_note: str | None = None
    unit: str | None = None
    start_line: int | None = None
    end_line: int | None = None
    page: int | None = None
    block: "TableBlock | None" = field(default=None, repr=False)
    label: str = ""                     # how findings name it: its printed number, or the title in unnumbered families
    printed_unit: str = ""
    required: bool = True
    in_toc: bool | None = None          # missing tables: does the 目录 list it?
    reason: str | None = None           # failed tables: why; a table read from word positions says so
    error_line: int | None = None
    error: Exception | None = field(default=None, repr=False)
