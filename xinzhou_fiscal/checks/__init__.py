"""The audit: recompute every identity a final-accounts report implies, with evidence.

``audit(report)`` returns the findings as a DataFrame, one row per check that did not simply
pass: ``rule``, ``severity`` (error / warning / info), ``message`` (Chinese), ``expected``,
``actual``, ``difference``, ``tolerance``, ``unit``, where each side was printed
(``expected_source``, ``actual_source``, ``tables``, ``lines``) and ``evidence`` (a list of dicts,
one per printed figure used; :func:`evidence_frame` gives it as a long table).
``audit(report, include_passed=True)`` also lists every check that held (severity ``ok``).

The rule catalogue is :data:`RULES` (see docs/audit-rules.md); the one tolerance policy is in
:mod:`xinzhou_fiscal.checks.tolerance`.
"""
from __future__ import annotations

import copy
import warnings
from typing import TYPE_CHECKING

# the rules register themselves on import, in this order (the order of the catalogue)
from xinzhou_fiscal.checks import (
    rules_completeness,  # noqa: F401
    rules_cross,  # noqa: F401
    rules_budget_cross,  # noqa: F401,I001 - after the final accounts' cross-table rules
    rules_generic,  # noqa: F401
    rules_names,  # noqa: F401
    rules_narrative,  # noqa: F401
    rules_budget_narrative,  # noqa: F401,I001 - after the narrative rules in the catalogue
    rules_performance,  # noqa: F401
    rules_tables,  # noqa: F401,I001
    rules_text,  # noqa: F401
    rules_words,  # noqa: F401
)
from xinzhou_fiscal.checks import rules_budget_final  # noqa: F401,I001 - last: across documents
from xinzhou_fiscal.checks.context import AuditContext, build_context
from xinzhou_fiscal.checks.findings import (
    EVIDENCE_COLUMNS,
    FINDING_COLUMNS,
    SEVERITIES,
    Check,
    Evidence,
    evaluate,
    evidence_frame,
    exit_code,
    finding_id,
    findings_frame,
    format_findings,
    settle_one_unit_gaps,
    sort_findings,
    verdict,
)
from xinzhou_fiscal.checks.registry import RULES, Rule
from xinzhou_fiscal.checks.root_causes import attach as attach_root_causes
from xinzhou_fiscal.checks.root_causes import root_causes
from xinzhou_fiscal.errors import MissingPieceWarning
from xinzhou_fiscal.tables.frames import PickledFrame

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AuditContext", "Check", "EVIDENCE_COLUMNS", "Evidence", "FINDING_COLUMNS", "RULES", "Rule",
           "SEVERITIES", "audit", "audit_frame", "build_context", "evidence_frame", "exit_code", "findings_records",
           "format_findings",
           "rule_catalogue", "run_checks", "verdicts"]


def run_checks(ctx: AuditContext, rules=None, include_passed: bool = True) -> list[dict]:
    """Evaluate every rule (or the given rule ids) on a context → finding records (passes
    included unless ``include_passed`` is False)."""
    family = getattr(ctx.report, "template", None)
    judged = _judged(ctx, rules)
    links = root_causes(ctx, [(finding_id(c), v[0], c) for c, v in judged])
    out = [evaluate(c, v, family) for c, v in judged if v[0] != "ok" or include_passed]
    return attach_root_causes(out, links)


def _judged(ctx: AuditContext, rules=None) -> list[tuple[Check, tuple]]:
    """(check, verdict) of every check, the document-level settling of one-unit gaps applied: the
    one judgement both the audit and the mutation test's fast path (:func:`verdicts`) read."""
    return settle_one_unit_gaps([(c, verdict(c)) for c in _checks(ctx, rules)])


def _checks(ctx: AuditContext, rules=None):
    """Every check of the selected rules; a subject repeated within a rule gets a ``#n`` suffix so
    that finding ids stay unique (and stable between runs)."""
    seen: dict[str, int] = {}
    failed = {k for k, s in ctx.status.items() if s == "failed"}
    for rid, r in RULES.items():
        if rules is not None and rid not in rules:
            continue
        for c in r.func(ctx):
            if failed and _reads(c, failed):
                continue            # an unread table: the coverage ledger says "cannot check"
            key = f"{c.rule}|{c.subject}"
            n = seen.get(key, 0) + 1
            seen[key] = n
            if n > 1:
                c = copy.copy(c)        # checks may be shared between audits (textscan.document_rule)
                c.subject = f"{c.subject} #{n}"
            yield c


def _reads(c: Check, tables: set[str]) -> bool:
    """True when a check compares a figure of one of these tables (read as blank because the
    table could not be read): its outcome would say nothing about the report."""
    if c.rule.startswith("complete."):
        return False                # the completeness rules report the unread table itself
    ev = [e for n in (c.expected, c.actual) if n is not None for e in n.evidence]
    return any(e.source == "table" and e.table in tables for e in (*ev, *c.evidence_expected, *c.evidence_actual))


def verdicts(ctx: AuditContext, rules=None) -> list[tuple[str, str, Check]]:
    """(finding_id, severity, check) of every check — no messages or evidence rendered (fast path
    of the mutation test)."""
    judged = _judged(ctx, rules)
    return [(finding_id(c), v[0], c) for c, v in judged]


def audit(report, *, include_passed: bool = False, rules=None, facts: "pd.DataFrame | None" = None,
          budget=None) -> "pd.DataFrame":
    """Audit a :class:`~xinzhou_fiscal.report.model.Report`; findings as a DataFrame (errors first).

    include_passed: also list the checks that held (severity "ok").
    rules: only these rule ids (default: all of :data:`RULES`).
    facts: audit these facts instead of ``report.facts`` (a modified copy, e.g. in a mutation test).
    budget: the budget (预算 Report) of the same department and year, for a final-accounts report:
    its 年初预算 statements are then checked against it (rule ``budget_final.stated_budget``). The
    audit never looks one up itself: the layer that knows the catalogue passes it
    (:func:`xinzhou_fiscal.store.cache.partner_budget`).
    """
    ctx = build_context(report, facts, budget=budget)
    return findings_frame(run_checks(ctx, rules, include_passed))


def findings_records(report, *, include_passed: bool = False, rules=None, budget=None) -> list[dict]:
    """:func:`audit` without pandas: the findings as records (dicts of :data:`FINDING_COLUMNS`, in
    the DataFrame's order, errors first) — what the CLI uses. Reading and auditing a report this
    way imports neither pandas nor pyarrow. ``budget``: as for :func:`audit`."""
    return sort_findings(run_checks(build_context(report, budget=budget), rules, include_passed))


#: where :func:`audit_frame` keeps the findings on the report object
AUDIT_CACHE_ATTR = "_analysis_audit_frame"


def audit_frame(report, budget=None) -> "pd.DataFrame | None":
    """:func:`audit` of ``report`` (with its ``budget``, see :func:`audit`), computed once per report
    object and kept on it (a cached report carries it); None when the audit cannot run (reported as
    a :class:`~xinzhou_fiscal.errors.MissingPieceWarning`)."""
    cached = getattr(report, "__dict__", {}).get(AUDIT_CACHE_ATTR)
    if cached is not None:
        if isinstance(cached[0], PickledFrame):         # a report from the cache: its findings, unpickled now
            cached = report.__dict__[AUDIT_CACHE_ATTR] = (cached[0].load(),)
        return cached[0]
    import pandas as pd

    try:
        df = audit(report, budget=budget)
        df = df if isinstance(df, pd.DataFrame) else None
    except Exception as exc:  # noqa: BLE001 - reported, not hidden
        warnings.warn(f"{getattr(report, 'report_id', '?')}: the audit could not run "
                      f"({type(exc).__name__}: {exc})", MissingPieceWarning, stacklevel=3)
        df = None
    try:
        report.__dict__[AUDIT_CACHE_ATTR] = (df,)
    except (AttributeError, TypeError):
        pass
    return df



def rule_catalogue() -> "pd.DataFrame":
    """The rules as a table: id, category, title, source, severity logic."""
    import pandas as pd

    return pd.DataFrame([{"rule": r.id, "category": r.category, "title": r.title, "source": r.source,
                          "severity": r.severity} for r in RULES.values()])
