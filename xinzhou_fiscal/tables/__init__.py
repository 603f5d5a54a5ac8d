"""Table parsers. Each works on rows of cells (a :class:`~xinzhou_fiscal.source.TableBlock`),
whether those came from extracted text or from a PDF."""
from __future__ import annotations

import pandas as pd

from ..model import ParsedTable
from .coded import parse_coded
from .common import FACT_COLUMNS, TableBuilder, facts_frame
from .economic import parse_economic
from .spec import SPECS_BY_KEY, TABLE_KEYS, TABLE_SPECS, TableSpec, spec_for_title
from .stats import parse_stats
from .three_public import parse_three_public
from .two_sided import parse_two_sided

PARSERS = {"coded": parse_coded, "two_sided": parse_two_sided, "economic": parse_economic,
           "three_public": parse_three_public, "stats": parse_stats}
EMPTY_FACTS = facts_frame([])
_EMPTY_MARKERS = ("本表无数据", "无数据", "无此项", "无相关")


def parse_table(spec: TableSpec, block, file: str, report_id: str) -> tuple[ParsedTable, TableBuilder]:
    """Parse one located table with the parser of its layout. The table's ``facts`` are left
    empty here; :func:`~xinzhou_fiscal.parse.build_report` fills them from the report's facts."""
    builder = TableBuilder(spec, block, file, report_id)
    wide = PARSERS[spec.layout](builder)
    facts = EMPTY_FACTS
    note = next((n.text.strip() for n in block.notes if any(m in n.text for m in _EMPTY_MARKERS)), None)
    status = "present" if builder.facts else "empty"
    if status == "empty" and note is None:
        builder.problem("the table is printed without any amount and without a note saying it has no data")
    return ParsedTable(key=spec.key, title=block.title, number=block.number, status=status, wide=wide,
                       facts=facts, empty_note=note, unit=block.unit, start_line=block.start_line,
                       end_line=block.end_line, page=block.page, block=block), builder


def missing_table(spec: TableSpec) -> ParsedTable:
    return ParsedTable(key=spec.key, title=spec.title, number=None, status="missing", wide=pd.DataFrame(),
                       facts=EMPTY_FACTS)


__all__ = ["EMPTY_FACTS", "FACT_COLUMNS", "facts_frame", "SPECS_BY_KEY", "TABLE_KEYS", "TABLE_SPECS", "parse_table", "missing_table",
           "spec_for_title"]
