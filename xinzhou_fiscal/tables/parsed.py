"""ParsedTable: one table of a report as the table parsers return it (amounts in 万元).

The parsers give plain records (:class:`WideRows`, fact dicts); the DataFrames (``wide``,
``facts``) are built from them on first access, so reading and auditing never imports pandas."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from xinzhou_fiscal.tables.frames import frozen_state, held_frame, thawed

if TYPE_CHECKING:
    import pandas as pd

    from xinzhou_fiscal.read.source import TableBlock


@dataclass
class WideRows:
    """A table in its printed shape as records: one dict per printed row (measure → amount in 万元,
    None where the cell is blank; ``line``). ``columns``: the frame's columns (None: every key in
    the order first seen, as ``DataFrame(rows)``); columns whose name ends with ``int_suffix``
    (行次) become nullable integers in the frame."""

    rows: list[dict] = field(default_factory=list)
    columns: list[str] | None = None
    int_suffix: str | None = None
    _frame: Any = field(default=None, init=False, repr=False, compare=False)

    def frame(self) -> "pd.DataFrame":
        """The DataFrame (built once)."""
        return held_frame(self, self._build)

    def _build(self) -> "pd.DataFrame":
        import pandas as pd

        df = pd.DataFrame(self.rows, columns=self.columns) if self.columns is not None else pd.DataFrame(self.rows)
        if self.int_suffix and not df.empty:
            df = df.astype({c: "Int64" for c in df.columns if c.endswith(self.int_suffix)})
        return df

    def __getstate__(self) -> dict:
        return frozen_state(self, "_frame")

    @classmethod
    def from_frame(cls, df: "pd.DataFrame") -> "WideRows":
        """A table given as a DataFrame (a test's or a caller's replacement): its rows as records."""
        out = cls(frame_rows(df), list(df.columns))
        out._frame = df
        return out

    def column(self, name: str) -> list:
        """The values of one column, row by row (None where a row has none)."""
        return [r.get(name) for r in self.rows]

    def has(self, name: str) -> bool:
        """True when the frame has this column."""
        return name in self.columns if self.columns is not None else any(name in r for r in self.rows)


class FactSet:
    """The fact records of a report (dicts of :data:`~xinzhou_fiscal.tables.common.FACT_COLUMNS`,
    amounts in 万元), with their DataFrame — and each table's part of it — built on first use.
    The report and its tables share one FactSet."""

    def __init__(self, records: list[dict]):
        self.records = records
        self._frame = None
        self._parts = None

    @classmethod
    def from_frame(cls, df: "pd.DataFrame") -> "FactSet":
        """Facts given as a DataFrame (a modified copy): its rows as records."""
        out = cls(frame_rows(df))
        out._frame = df
        return out

    @property
    def frame(self) -> "pd.DataFrame":
        from xinzhou_fiscal.tables.common import facts_frame

        return held_frame(self, lambda: facts_frame(self.records))

    def __getstate__(self) -> dict:
        """Pickled with its frame as a :class:`PickledFrame` (each table's part is cut again from it)."""
        return {**frozen_state(self, "_frame"), "_parts": None}

    def part(self, key: str) -> "pd.DataFrame | None":
        """Table ``key``'s facts (None when it has none)."""
        if self._parts is None:
            self._parts = {k: p.reset_index(drop=True) for k, p in self.frame.groupby("table", sort=False)}
        return self._parts.get(key)


@dataclass
class ParsedTable:
    """One table the template expects, or one the report prints.

    ``status`` is one of :data:`xinzhou_fiscal.tables.STATUSES`: "parsed", "empty" (printed without
    figures, with a no-data note such as 本表无数据), "blank" (without figures and without a note),
    "missing" (not in the body; ``in_toc`` says whether the 目录 lists it) or "failed" (``reason``,
    ``error_line`` and ``page`` say why and where). ``wide`` is the table in its printed shape: one
    row per printed row, one column per measure, in 万元, NaN where the cell is blank (a printed 0
    stays 0.0); ``wide_rows`` holds it as records. ``facts`` are its tidy facts (``fact_records``
    as records; a failed table keeps what did read apart from the report's). ``printed_unit`` is the unit
    the table prints ("" when it prints none); ``unit`` is the unit its amounts were read in before
    conversion to 万元.
    """

    key: str
    title: str
    number: str | None
    status: str
    wide_rows: WideRows = field(default_factory=WideRows, repr=False)
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
    fact_set: FactSet | None = field(default=None, repr=False)      # where its facts are (the report's)
    # the DataFrames, built on first access; either may be given instead (see the properties below)
    wide: Any = field(default=None, repr=False, compare=False)
    facts: Any = field(default=None, repr=False, compare=False)

    @property
    def fact_records(self) -> list[dict]:
        """Its facts as records (dicts of FACT_COLUMNS)."""
        return [f for f in self.fact_set.records if f["table"] == self.key] if self.fact_set is not None else []

    def __getstate__(self) -> dict:
        return frozen_state(self, "_facts")


def _get_wide(self: ParsedTable) -> "pd.DataFrame":
    return self.wide_rows.frame()


def _set_wide(self: ParsedTable, frame: "pd.DataFrame | None") -> None:
    """A DataFrame given for ``wide`` (other than the one built from ``wide_rows``) replaces the rows."""
    if frame is not None and frame is not self.wide_rows._frame:
        self.wide_rows = WideRows.from_frame(frame)


def _get_facts(self: ParsedTable) -> "pd.DataFrame":
    got = thawed(self.__dict__.get("_facts"))
    if got is None:
        from xinzhou_fiscal.tables.common import facts_frame
        part = self.fact_set.part(self.key) if self.fact_set is not None else None
        got = part if part is not None else facts_frame([])
    self.__dict__["_facts"] = got
    return got


def _set_facts(self: ParsedTable, frame: "pd.DataFrame | None") -> None:
    if frame is not None:
        self.__dict__["_facts"] = frame


ParsedTable.wide = property(_get_wide, _set_wide, doc="the table in its printed shape (DataFrame, 万元)")
ParsedTable.facts = property(_get_facts, _set_facts, doc="its tidy facts (DataFrame, 万元)")


def frame_rows(df: "pd.DataFrame") -> list[dict]:
    """A DataFrame's rows as dicts, a missing value (NaN, NA) as None."""
    cols = list(df.columns)
    return [{c: (None if _missing(v) else v) for c, v in zip(cols, vals)} for vals in zip(*(df[c].tolist() for c in cols))]


def _missing(v) -> bool:
    import pandas as pd
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)
