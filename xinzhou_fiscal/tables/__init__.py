"""Table parsers. Each works on rows of cells (a :class:`~xinzhou_fiscal.read.source.TableBlock`),
whether those came from extracted text or from a PDF.

:func:`read_table` gives every located table exactly one outcome (see :data:`STATUSES`); a table
that cannot be read becomes ``failed`` with its reason and location and never stops the others.
"""
from __future__ import annotations

import re

from xinzhou_fiscal.errors import FormatError, ReportError, TableLayoutError, TruncatedTableError
from xinzhou_fiscal.numbers import LazyPattern, factor, is_amount
from xinzhou_fiscal.tables.coded import parse_coded
from xinzhou_fiscal.tables.common import FACT_COLUMNS, TableBuilder, facts_frame
from xinzhou_fiscal.tables.economic import parse_economic
from xinzhou_fiscal.tables.generic import parse_generic
from xinzhou_fiscal.tables.parsed import FactSet, ParsedTable, WideRows
from xinzhou_fiscal.tables.stats import parse_stats
from xinzhou_fiscal.tables.three_public import parse_three_public
from xinzhou_fiscal.tables.two_sided import parse_two_sided
from xinzhou_fiscal.templates.specs import SPECS_BY_KEY, TABLE_KEYS, TABLE_SPECS, TableSpec, spec_for_title

#: layout → its parser: the one list of layouts (a template table names one of these in ``layout``)
PARSERS = {"coded": parse_coded, "two_sided": parse_two_sided, "economic": parse_economic,
           "three_public": parse_three_public, "stats": parse_stats, "generic": parse_generic}
_NO_PARSER = sorted({f"{s.key}: {s.layout}" for s in TABLE_SPECS if s.layout not in PARSERS})
if _NO_PARSER:
    raise ValueError(f"templates/*.toml name a layout no parser reads ({', '.join(_NO_PARSER)}); "
                     f"layouts: {sorted(PARSERS)}")
#: every table ends in exactly one of these
STATUSES = {
    "parsed": "read: its figures are facts",
    "empty": "printed without figures, with a note saying it has no data (本表无数据 …)",
    "blank": "printed without figures and without a note",
    "missing": "not in the body of the report (in_toc says whether the 目录 lists it)",
    "failed": "printed, but could not be read: reason, page and line say why and where",
}


#: layouts whose rows carry item labels even when blank (the 三公 table prints one unlabelled row of figures)
LABELLED_LAYOUTS = frozenset({"coded", "two_sided", "economic", "stats"})
_ITEM_LABEL = LazyPattern(r"^\s*(?:\d{3,7}|合\s*计|总\s*计|[一二三四五六七八九十]+\s*、|[（(][一二三四五六七八九十\d]+[)）])")


def _labelled(row) -> bool:
    """A row printing an item label: a classification code, 合计/总计, or an enumerated item (一、 …)."""
    return any(_ITEM_LABEL.match(c) for c in row.cells)


def has_amounts(block) -> bool:
    """True when any cell of the table prints a number that is an amount rather than numbering
    (a decimal point or a thousands separator): the test for "printed without figures"."""
    return any(is_amount(c, broken_too=True) for r in block.rows for c in r.cells)


def no_data_note(block, nearby_lines, pattern: re.Pattern) -> str | None:
    """The note saying the table has no data, wherever it is printed: in a cell, among the notes
    under the table, or in the lines above, below or on the next page (``nearby_lines``)."""
    texts = [c for r in block.rows for c in r.cells] + [n.text for n in block.notes] + [ln.text for ln in nearby_lines]
    return next((t.strip() for t in texts if pattern.search(t)), None)


def read_table(spec: TableSpec, block, file: str, report_id: str, *, unit: str, unit_printed: bool,
               note: str | None, label: str) -> tuple[ParsedTable, TableBuilder]:
    """Parse one located table and give it its status (parsed/empty/blank/failed). ``unit`` is the
    amount unit its figures are read in (see :class:`~xinzhou_fiscal.tables.common.TableBuilder`)."""
    builder = TableBuilder(spec, block, file, report_id, amount_unit=unit, unit_printed=unit_printed)
    status, wide, error = "parsed", WideRows(), None
    prints_amounts = has_amounts(block)
    try:
        factor(unit, where=label, file=file, line=block.start_line)
        if block.embedded:
            prints_amounts = True          # a picture or an OLE object: figures we cannot see
            raise FormatError(block.embedded, file=file, table=f"{label} {block.title}".strip(),
                              line=block.start_line, page=block.page)
        if prints_amounts and not block.closed:
            raise TruncatedTableError("the table is cut off: the source ends before the table's closing note "
                                      "or total line", file=file, table=f"{label} {block.title}".strip(),
                                      line=block.end_line, page=block.page)
        wide = PARSERS[spec.layout](builder)
    except ReportError as exc:
        if prints_amounts:
            status, error = "failed", exc
            builder.problem(f"the table could not be read ({exc.reason}); "
                            f"{len(builder.facts)} cells had read before", text=str(exc))
    if status == "parsed" and not builder.facts:
        status = "empty" if note else "blank"
        if status == "blank" and spec.layout in LABELLED_LAYOUTS and not any(map(_labelled, block.rows)):
            # a blank table still prints its item rows (合计, codes, 一、…); without them its rows were lost
            status, error = "failed", TableLayoutError(
                "the table prints its heading but no row (its rows are missing)", file=file,
                table=f"{label} {block.title}".strip(), line=block.start_line, page=block.page)
            builder.problem(f"the table could not be read ({error.reason})", text=str(error))
    if status in ("empty", "blank"):
        builder.facts.clear()
        builder.accounting[:] = [a for a in builder.accounting if a["role"] != "fact"]
        if status == "blank":
            builder.problem("the table is printed without any amount and without a note saying it has no data")
    table = ParsedTable(key=spec.key, title=block.title, number=block.number, status=status, wide_rows=wide,
                        empty_note=note, unit=unit, printed_unit=block.unit or "",
                        start_line=block.start_line, end_line=block.end_line, page=block.page, block=block,
                        label=label, reason=error.reason if error else None,
                        error_line=error.line if error else None, error=error)
    return table, builder


def missing_table(spec: TableSpec, *, label: str, in_toc: bool, required: bool = True) -> ParsedTable:
    return ParsedTable(key=spec.key, title=spec.title, number=None, status="missing", label=label,
                       in_toc=in_toc, required=required)


__all__ = ["EMPTY_FACTS", "FACT_COLUMNS", "FactSet", "ParsedTable", "WideRows", "STATUSES", "facts_frame",
           "SPECS_BY_KEY", "TABLE_KEYS", "TABLE_SPECS", "has_amounts", "missing_table", "no_data_note", "read_table", "spec_for_title"]


def __getattr__(name: str):
    """``EMPTY_FACTS`` (the facts frame with no row) is built on first use: importing the parsers
    does not import pandas."""
    if name == "EMPTY_FACTS":
        return facts_frame([])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
