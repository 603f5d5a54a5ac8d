"""Narrative statements as data: every figure of the 情况说明 (and of the 概况), one row each,
and a ledger that accounts for every numeric token.

Source: the part found by :mod:`xinzhou_fiscal.text.parts` as the narrative (第三部分 情况说明,
三、部门决算情况说明, 第三章 情况说明, a wrapped or 目录-only heading) and the 概况. Amounts are
in 万元 (an amount printed in 元/千元/亿元 is converted exactly; ``printed_unit`` keeps the printed
unit); shares and rates in % as printed; counts in their own unit (个, 辆, 批次, 人次, 台套, 人, …).

How a sentence becomes claims (rules, not per-report cases; the phrasing families are listed
in :mod:`.phrasing`):

* paragraphs and headings come from :mod:`xinzhou_fiscal.text.paragraphs`; a paragraph is split
  into sentences at 。；!? and sentences into clauses at ，：、;
* every numeric token (Arabic or a Chinese numeral before a counting word, see
  :data:`xinzhou_fiscal.numbers.NUMBER_TOKEN`) is a claim, a classified non-claim
  (:mod:`.tokens`) or a :class:`ParseProblem` (stage ``narrative``) naming its line — each one
  is a row of the ledger (:mod:`.ledger`);
* a claim's ``metric`` comes from the words right before the number, its ``subject`` from what
  remains, cleaned of fillers; a clause with no subject of its own takes the previous figure's;
* ``parent`` is the figure a list belongs to (…合计X万元，其中：…), and the ``basis`` of a share
  printed without one;
* statements without a number — 与上年相同 / 持平 (a change of 0) and 决算数小于预算数 (a
  comparison with the budget) — are claims with ``implied`` True.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xinzhou_fiscal.errors import ParseProblem
from xinzhou_fiscal.read.source import SourceDocument
from xinzhou_fiscal.tables.frames import Records, dataset_property, dataset_rows
from xinzhou_fiscal.text.narrative.ledger import coverage, coverage_line, ledger_records
from xinzhou_fiscal.text.narrative.phrasing import canonical_subject
from xinzhou_fiscal.text.narrative.scan import Sink, scan_part
from xinzhou_fiscal.text.parts import locate_parts

if TYPE_CHECKING:
    import pandas as pd

CLAIM_COLUMNS = ["part", "section", "subsection", "topic", "subject", "label", "qualifier", "parent",
                 "category_level", "metric", "value", "unit", "direction", "signed_value", "basis",
                 "compare_year", "implied", "value_text", "sentence", "paragraph", "line", "page",
                 "direction_word", "budget", "printed_unit", "class_name", "kind_name", "item_name", "purpose"]
IGNORED_COLUMNS = ["text", "reason", "line", "page", "sentence"]
CLAIM_DTYPES = {"compare_year": "Int64", "line": "Int64", "page": "Int64", "paragraph": "Int64",
                "value": "float64", "signed_value": "float64", "implied": "bool"}


@dataclass
class NarrativeScan:
    """Everything the narrative pass found: the claims, the problems, the ledger (one row per
    numeric token) and, from it, the tokens deliberately not read as figures (with the reason).
    ``claims`` and ``ledger`` are DataFrames built on first access; :attr:`claim_records` gives
    the claims as the frame's rows without pandas."""

    claims: Any      # "pd.DataFrame": held as Records until read (see dataset_property below)
    problems: list[ParseProblem]
    ledger: Any      # "pd.DataFrame", likewise
    narrative_part: str | None = None    # the heading of the 情况说明 part, None when not found

    @property
    def claim_records(self) -> list[dict]:
        """The claims as dicts of CLAIM_COLUMNS, valued as the claims DataFrame holds them."""
        return dataset_rows(self, "claims")

    @property
    def ignored(self) -> pd.DataFrame:
        non = self.ledger[self.ledger.outcome == "non-claim"]
        return non.rename(columns={"token": "text"})[IGNORED_COLUMNS].reset_index(drop=True)

    @property
    def coverage(self) -> dict:
        return coverage(self.ledger, self.narrative_part) if self.narrative_part else {}

    @property
    def coverage_line(self) -> str:
        return coverage_line(self.ledger, self.narrative_part)


def scan_narrative(doc: SourceDocument, kind: str = "决算") -> NarrativeScan:
    """Claims, problems and ledger of the 概况 and 情况说明 parts (see the module doc). ``kind``: the
    report's kind (预算 or 决算); a budget's narrative is read with its own phrasing (:mod:`.budget`)."""
    parts = locate_parts(doc).parts
    sink = Sink()
    if "narrative" not in parts:
        sink.problems.append(ParseProblem("narrative", "no 情况说明 part (第X部分 / X、 …情况说明) found: no claims"))
    for part_kind in ("overview", "narrative"):
        if part_kind in parts:
            scan_part(parts[part_kind], sink, budget=kind == "预算")
    claims = Records(sink.rows, CLAIM_COLUMNS, CLAIM_DTYPES)
    return NarrativeScan(claims, sink.problems, ledger_records(sink.ledger),
                         parts["narrative"].heading if "narrative" in parts else None)


def extract_claims(doc: SourceDocument) -> tuple[pd.DataFrame, list[ParseProblem]]:
    """Every numeric statement of the narrative (情况说明) and the 概况, one row per figure.

    Columns (see docs/narrative-and-performance.md): ``part``, ``section``, ``subsection``,
    ``topic``, ``subject``, ``label``, ``qualifier``, ``parent``, ``category_level``, ``metric``,
    ``value``, ``unit``, ``direction``, ``signed_value``, ``basis``, ``compare_year``, ``implied``,
    ``value_text``, ``sentence``, ``paragraph``, ``line``, ``page``, ``direction_word``, ``budget``,
    ``printed_unit``, ``class_name``, ``kind_name``, ``item_name``, ``purpose``. Amounts in 万元.
    Problems have stage ``narrative``.
    """
    scan = scan_narrative(doc)
    return scan.claims, scan.problems


NarrativeScan.claims = dataset_property("claims")
NarrativeScan.ledger = dataset_property("ledger")


__all__ = ["CLAIM_COLUMNS", "NarrativeScan", "canonical_subject", "coverage", "extract_claims", "scan_narrative"]
