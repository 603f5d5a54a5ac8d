"""Which inputs each rule reads (tables, the narrative): what the coverage ledger calls "cannot
check" when an input is missing, and what a missing table makes impossible (root_causes)."""
from __future__ import annotations

from xinzhou_fiscal import patterns
from xinzhou_fiscal.checks.context import CODED_TABLES, SUMMARY_TABLES

NARRATIVE_FAMILIES = ("narrative", "words", "names", "sums")

_NUMBERED = {"01": "income_expenditure_summary", "02": "income", "03": "expenditure", "04": "fiscal_grant_summary",
             "05": "general_budget_expenditure", "06": "general_budget_basic", "07": "gov_fund",
             "08": "state_capital", "09": "three_public", "10": "related_info"}
_FAMILY_TABLES = {"summary": SUMMARY_TABLES, "coded": CODED_TABLES, "basic": ("general_budget_basic",),
                  "three_public": ("three_public",), "related": ("related_info",)}


#: rules that read one kind of report only (a budget's narrative against its budget tables)
_KIND_ONLY = {"narrative.budget_amount": "预算"}


def kind_only(rule_id: str) -> str:
    """The kind of report (预算 / 决算) a rule reads, "" when it reads both."""
    return _KIND_ONLY.get(rule_id, "")


def rule_inputs(rule_id: str) -> tuple[tuple[str, ...], bool]:
    """(tables, needs the narrative) that a rule reads. Cross rules name their tables by the
    公开NN numbers in their id (``cross.classes_04_05``); narrative families read the claims."""
    family = rule_id.split(".", 1)[0]
    if family == "cross":
        return tuple(_NUMBERED[n] for n in patterns.compile(r"_(\d\d)(?=_|$)").findall(rule_id) if n in _NUMBERED), False
    if family in _FAMILY_TABLES:
        return _FAMILY_TABLES[family], False
    if family in NARRATIVE_FAMILIES:
        return (), True
    return (), False
