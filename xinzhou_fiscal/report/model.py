"""The parsed report: metadata, the ten tables, the tidy facts, and the text-derived datasets."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from xinzhou_fiscal.errors import ParseProblem, problems_frame
from xinzhou_fiscal.tables.parsed import FactSet, ParsedTable

if TYPE_CHECKING:
    import pandas as pd

    from xinzhou_fiscal.read.source import SourceDocument
    from xinzhou_fiscal.report.metadata import DocumentMeta
    from xinzhou_fiscal.templates import Template, TemplateMatch


CODE_COLUMNS = ["code", "name", "scheme", "level", "parent"]
ACCOUNTING_COLUMNS = ["table", "line", "page", "column", "printed", "role"]
CONVERSION_COLUMNS = ["table", "label", "printed_unit", "factor", "line", "page"]


#: the report's cached DataFrames built from its records, not pickled (built again on access)
DERIVED_FRAMES = ("codes", "accounting", "unit_conversions", "previous_year", "glossary")


@dataclass
class Report:
    """A parsed final-accounts report (部门决算公开). Amounts are in 万元 unless ``unit`` says otherwise.

    The parsers fill it with records (``fact_records``, ``code_records``, ``accounting_records``,
    ``conversion_records``); the DataFrames (``facts``, ``codes``, ``accounting``,
    ``unit_conversions``, ``claims`` …) are built from them on first access, so reading and
    auditing a report does not import pandas."""

    report_id: str
    department: str
    year: int
    unit: str
    kind: str
    source_file: str
    document: "SourceDocument" = field(repr=False)
    tables: dict[str, ParsedTable] = field(default_factory=dict, repr=False)
    fact_set: FactSet = field(default_factory=lambda: FactSet([]), repr=False)
    code_records: list[dict] = field(default_factory=list, repr=False)
    table_problems: list[ParseProblem] = field(default_factory=list, repr=False)
    accounting_records: list[dict] = field(default_factory=list, repr=False)
    template: "Template | None" = field(default=None, repr=False)
    template_match: "TemplateMatch | None" = field(default=None, repr=False)
    metadata: "DocumentMeta | None" = field(default=None, repr=False)
    conversion_records: list[dict] = field(default_factory=list, repr=False)
    facts: Any = field(default=None, repr=False, compare=False)     # a DataFrame may be given (see below)

    @property
    def fact_records(self) -> list[dict]:
        """The tidy facts as records (dicts of FACT_COLUMNS; ``amount`` in 万元)."""
        return self.fact_set.records

    @cached_property
    def codes(self) -> "pd.DataFrame":
        """Every classification code printed in the tables: code, name, scheme, level, parent."""
        import pandas as pd
        return pd.DataFrame(self.code_records, columns=CODE_COLUMNS)

    @cached_property
    def accounting(self) -> "pd.DataFrame":
        """Every numeric cell of the tables and what it became (fact, row/column number, code)."""
        import pandas as pd
        return pd.DataFrame(self.accounting_records, columns=ACCOUNTING_COLUMNS)

    @cached_property
    def unit_conversions(self) -> "pd.DataFrame":
        """The tables printed in another unit than 万元 and the exact factor their amounts took."""
        import pandas as pd
        return pd.DataFrame(self.conversion_records, columns=CONVERSION_COLUMNS)

    @property
    def table_status(self) -> "pd.DataFrame":
        """One row per table the template expects (and per extra table printed): key, label,
        title, status (parsed/empty/blank/missing/failed), required, in_toc, reason, line, page,
        the printed unit and the number of facts."""
        cols = ["table", "label", "title", "status", "required", "in_toc", "reason", "line", "page",
                "printed_unit", "facts"]
        rows = [[k, t.label or t.number or t.title, t.title, t.status, t.required, t.in_toc, t.reason,
                 t.error_line or t.start_line, t.page, t.printed_unit, len(t.facts)] for k, t in self.tables.items()]
        import pandas as pd
        return pd.DataFrame(rows, columns=cols)

    @property
    def missing_pieces(self) -> list[str]:
        """What could not be read, one phrase each: a failed table, a required table that is
        missing, a department the document does not print. Empty when the report read completely."""
        out = []
        for name, t in self.unread_tables:
            if t.status == "failed":
                where = f"line {t.error_line or t.start_line}" + (f", page {t.page}" if t.page else "")
                out.append(f"{name}: failed ({t.reason}; {where})")
            else:
                out.append(f"{name}: missing" + (" (listed in the 目录)" if t.in_toc else ""))
        return out + (list(self.metadata.missing) if self.metadata else [])

    @property
    def unread_tables(self) -> list[tuple[str, Any]]:
        """(name, table) of every table that failed, and of every required table that is missing."""
        def name(t):
            label = t.label or t.number or ""
            return t.title if label == t.title else f"{label} {t.title}".strip()   # an unnumbered table: its title once
        return [(name(t), t) for t in self.tables.values()
                if t.status == "failed" or (t.status == "missing" and t.required)]

    @property
    def complete(self) -> bool:
        """True when every table the template requires was read (parsed, empty or blank)."""
        return not self.missing_pieces

    @property
    def meta(self) -> dict:
        return {"report_id": self.report_id, "department": self.department, "year": self.year,
                "unit": self.unit, "kind": self.kind, "source_file": self.source_file,
                "encoding": self.document.encoding, "source_kind": self.document.kind,
                "template": self.template.id if self.template else None, "complete": self.complete}

    def table(self, key: str) -> ParsedTable:
        return self.tables[key]

    def __getstate__(self) -> dict:
        """Pickled (the report cache, store/cache.py) without the DataFrames derived from its records
        (built again on access) and with any other DataFrame it keeps (the audit's findings) as a
        :class:`~xinzhou_fiscal.tables.frames.PickledFrame`: loading a cached report and auditing it
        then imports no pandas."""
        from xinzhou_fiscal.tables.frames import PickledFrame

        state = {k: v for k, v in self.__dict__.items() if k not in DERIVED_FRAMES}
        for k, v in state.items():
            if type(v) is tuple and len(v) == 1 and type(v[0]).__module__.startswith("pandas"):
                state[k] = (PickledFrame(v[0]),)      # checks.audit_frame's (findings,)
        return state

    # ---- datasets parsed from the text around the tables (narrative, self-evaluations, glossary)
    @cached_property
    def _narrative_scan(self):
        from xinzhou_fiscal.text.narrative import scan_narrative
        return scan_narrative(self.document, self.kind)

    @property
    def _narrative(self):
        return self._narrative_scan.claims, self._narrative_scan.problems

    @property
    def claims(self) -> pd.DataFrame:
        """Numeric statements of the narrative (情况说明), one row per figure; column ``value``."""
        return self._narrative[0]

    @property
    def parts(self) -> pd.DataFrame:
        """The parts of the report (概况, 决算表, 情况说明, 名词解释, 附件): one row per heading found,
        目录 entries and duplicates included — name, kind, status (used/duplicate/toc), numbering,
        heading, first_line, last_line, page, last_page, how."""
        from xinzhou_fiscal.text.parts import locate_parts
        return locate_parts(self.document).table

    @property
    def narrative_ledger(self) -> pd.DataFrame:
        """Every numeric token of the 情况说明 and the 概况: a claim (row number in ``claims``), a
        classified non-claim (reason) or a problem; see xinzhou_fiscal.text.narrative.ledger."""
        return self._narrative_scan.ledger

    @property
    def narrative_coverage(self) -> dict:
        """Ledger counts of the 情况说明 part: tokens, amount/percent tokens and how many are claims,
        the rate in %, non-claims and problems ({} when the report has no 情况说明)."""
        return self._narrative_scan.coverage

    @property
    def narrative_coverage_line(self) -> str:
        """The ledger's coverage in one line, as ``xinzhou-fiscal parse`` prints it."""
        return self._narrative_scan.coverage_line

    @cached_property
    def previous_year(self) -> pd.DataFrame:
        """Previous-year figures derived from year-on-year statements (current − change)."""
        from xinzhou_fiscal.report.previous_year import derive_previous_year
        return derive_previous_year(self.claims, self.year)

    @cached_property
    def _performance(self):
        from xinzhou_fiscal.text.self_evaluations import parse_performance_tables
        return parse_performance_tables(self.document)

    @property
    def projects(self) -> pd.DataFrame:
        """One row per performance self-evaluation table (绩效自评表), the 部门整体 one included;
        amounts in 万元, rates in %."""
        return self._performance.projects

    @property
    def indicators(self) -> pd.DataFrame:
        """One row per indicator row of the self-evaluation tables (分值/得分 in points)."""
        return self._performance.indicators

    @property
    def funds(self) -> pd.DataFrame:
        """Every budget row (资金总额, 按资金来源/方向 rows) of the self-evaluation tables, 万元."""
        return self._performance.funds

    @cached_property
    def overview(self) -> dict:
        """What the 概况 says: 人员编制数, the units included, ..."""
        from xinzhou_fiscal.text.overview import parse_overview
        return parse_overview(self.document)

    @cached_property
    def _glossary(self):
        from xinzhou_fiscal.text.overview import glossary_records
        return glossary_records(self.document)

    @cached_property
    def glossary(self) -> pd.DataFrame:
        """名词解释 as term → definition."""
        return self._glossary.frame

    def records(self, name: str) -> list[dict]:
        """The rows of a text-derived dataset — ``claims``, ``projects``, ``indicators``, ``funds``
        or ``glossary`` — as dicts valued as its DataFrame holds them (NaN where a text or float
        cell is empty, None where an integer one is), without building the DataFrame: what the
        audit reads."""
        from xinzhou_fiscal.tables.frames import dataset_rows
        if name == "claims":
            return dataset_rows(self._narrative_scan, "claims")
        if name in ("projects", "indicators", "funds"):
            return dataset_rows(self._performance, name)
        if name == "glossary":
            return self._glossary.values
        raise KeyError(f"no dataset {name!r}: claims, projects, indicators, funds or glossary")

    @property
    def problems(self) -> "pd.DataFrame":
        """Every recorded parse problem, from every stage, with its location."""
        from xinzhou_fiscal.text.parts import locate_parts
        allp = (list(self.document.problems) + list(self.table_problems) + list(locate_parts(self.document).problems)
                + list(self._narrative[1]) + list(self._performance.problems)
                + list(self.overview.get("problems", [])))
        return problems_frame(allp)


def _get_facts(self: Report) -> "pd.DataFrame":
    return self.fact_set.frame


def _set_facts(self: Report, frame: "pd.DataFrame | None") -> None:
    """Facts given as a DataFrame (``dataclasses.replace(report, facts=…)``, a modified copy) become
    the report's fact records; the frame built from them is kept as it is."""
    if frame is not None and frame is not self.fact_set._frame:
        self.fact_set = FactSet.from_frame(frame)


Report.facts = property(_get_facts, _set_facts, doc="the tidy facts: one row per printed figure of the tables, "
                        "``amount`` in 万元 (a DataFrame built on first access from ``fact_records``)")
