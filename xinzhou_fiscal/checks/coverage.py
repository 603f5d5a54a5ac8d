"""What the audit checked: one outcome per rule and subject, and what could not be checked.

Every rule reports, for every subject it could apply to, exactly one outcome:

- ``holds`` — the check passed (severity ``ok``);
- ``rounding`` — a difference that rounding can produce (severity ``info``);
- ``error`` / ``warning`` — broken;
- ``not applicable`` — the rule ran on readable input and found nothing to check (an empty table,
  a template without that table, a narrative without that kind of sentence);
- ``cannot check`` — an input the rule needs could not be read (a failed or missing table, a
  narrative that was not found or gave no figure): ``reason`` says which and why.

:func:`coverage_ledger` gives the rows, :func:`audit_coverage` the counts per rule family and
outcome, :func:`audit_lead` the one line a reader sees first. A report whose tables or narrative
could not be read never reads as clean: the line ends with ``cannot check: …``.
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from xinzhou_fiscal.checks.context import AuditContext, build_context, optional_int
from xinzhou_fiscal.checks.inputs import NARRATIVE_FAMILIES, kind_only, rule_inputs  # noqa: F401 - rule_inputs is public here
from xinzhou_fiscal.checks.registry import RULES
from xinzhou_fiscal.checks.root_causes import caused_by, root_causes
from xinzhou_fiscal.checks.rules_completeness import part_heads
from xinzhou_fiscal.templates.names import fill

if TYPE_CHECKING:
    import pandas as pd

OUTCOMES = ("holds", "rounding", "error", "warning", "not applicable", "cannot check")
_OUTCOME = {"ok": "holds", "info": "rounding", "error": "error", "warning": "warning"}
LEDGER_COLUMNS = ["family", "rule", "subject", "outcome", "reason", "lines"]

# the identity families (the numbers of the tables and their cross-checks)
IDENTITY_FAMILIES = ("summary", "coded", "basic", "three_public", "related", "cross", "budget_cross")


def narrative_state(ctx: AuditContext) -> str:
    """"" when the narrative gave claims; otherwise why it cannot be checked."""
    from xinzhou_fiscal.checks.rules_narrative import claims_records
    if claims_records(ctx):
        return ""
    words = ("情况说明",)
    tpl = getattr(ctx.report, "template", None)
    if tpl is not None and tpl.parts.get("narrative"):
        words = tuple(tpl.parts["narrative"])
    if any(w in h for _, h in part_heads(ctx.report) for w in words):
        return "情况说明 found but no figure could be read from it"
    return "情况说明 not found"


def _unreadable(ctx: AuditContext, tables: tuple[str, ...]) -> list[str]:
    out = []
    for key in tables:
        t = ctx.report.tables.get(key)
        if t is None:
            continue
        name = t.label or t.number or t.title
        if t.status == "failed":
            out.append(f"{name} could not be read ({t.reason}; line {t.error_line or t.start_line})")
        elif t.status == "missing" and t.required:
            out.append(f"{name} missing")
    return out


def coverage_ledger(report, ctx: AuditContext | None = None, budget=None) -> "pd.DataFrame":
    """One row per (rule, subject) with its outcome; rules with nothing to check or whose input
    could not be read get one row saying so (columns :data:`LEDGER_COLUMNS`). ``budget``: the budget
    (预算 Report) the audit was given, as for :func:`xinzhou_fiscal.checks.audit` (the layer that
    knows the catalogue passes it): without it the rules across documents are not applicable."""
    import pandas as pd
    return pd.DataFrame(coverage_rows(report, ctx, budget), columns=LEDGER_COLUMNS)


def coverage_rows(report, ctx: AuditContext | None = None, budget=None) -> list[list]:
    """The rows of :func:`coverage_ledger` (lists in the order of :data:`LEDGER_COLUMNS`), without pandas."""
    from xinzhou_fiscal.checks import verdicts
    ctx = ctx or build_context(report, budget=budget)
    family = getattr(report, "template", None)
    rows, seen = [], set()
    judged = verdicts(ctx)
    parent = caused_by(root_causes(ctx, judged))
    for fid, sev, c in judged:
        seen.add(c.rule)
        lines = sorted({e.line for n in (c.expected, c.actual) if n is not None for e in n.evidence if e.line}
                       | {e.line for e in (*c.evidence_expected, *c.evidence_actual) if e.line})
        outcome = "holds" if sev == "info" and c.status is not None else _OUTCOME.get(sev, sev)  # a note, not rounding
        reason = ""
        if c.coverage:                 # a note that checked nothing: the budget lacks the item, the final states none
            outcome, reason = c.coverage, c.note
        if fid in parent:              # one root cause, one error: this one follows from another
            outcome, reason = "cannot check", f"follows from {parent[fid]}"
        rows.append([c.rule.split(".", 1)[0], c.rule, fill(c.subject, family), outcome, reason,
                     ", ".join(map(str, lines))])
    narrative = narrative_state(ctx)
    for rid in RULES:
        if kind_only(rid) and kind_only(rid) != getattr(report, "kind", ""):
            rows.append([rid.split(".", 1)[0], rid, "(none)", "not applicable", f"only for a {kind_only(rid)} report", ""])
            continue
        tables, needs_text = rule_inputs(rid)
        missing = _unreadable(ctx, tables) + ([narrative] if needs_text and narrative else [])
        fam = rid.split(".", 1)[0]
        if missing:
            rows.append([fam, rid, "(input)", "cannot check", "; ".join(missing), ""])
        elif rid not in seen:
            why = NEEDS_BUDGET if fam == "budget_final" and "budget" not in ctx.extras else \
                NOT_DECLARED if fam == "budget_cross" else _why_nothing(ctx, tables, needs_text)
            rows.append([fam, rid, "(none)", "not applicable", why, ""])
    return rows


#: why the rules across documents had nothing to check here: the ledger was given no budget
NEEDS_BUDGET = ("reads the budget (预算) of the same department and year, which this ledger was not given "
                "(xf.audit passes the catalogued one)")


#: why a budget's cross-table identity had nothing to check: the report's family does not declare it
NOT_DECLARED = "the report's template family declares no such identity ([[identities]] in templates/<family>.toml)"


def _why_nothing(ctx: AuditContext, tables, needs_text) -> str:
    if tables:
        states = {ctx.report.tables[k].status if k in ctx.report.tables else "not in the template" for k in tables}
        return "tables " + "/".join(sorted(states))
    return "no statement of this kind in the narrative" if needs_text else "nothing of this kind in the report"


def audit_coverage(report, ledger: "pd.DataFrame | None" = None, budget=None) -> "pd.DataFrame":
    """Counts per rule family and outcome: one row per family, one column per outcome (and total).
    ``budget``: as for :func:`coverage_ledger`."""
    import pandas as pd
    ledger = coverage_ledger(report, budget=budget) if ledger is None else ledger
    counts = pd.crosstab(ledger["family"], ledger["outcome"]).reindex(columns=list(OUTCOMES), fill_value=0)
    counts["total"] = counts.sum(axis=1)
    return counts.reset_index().rename_axis(columns=None)


def claims_checked(ctx: AuditContext, ledger_checks=None) -> tuple[int, int]:
    """(claims that at least one check read, claims of the narrative). A claim is read when a
    check's evidence names its line and its printed figure."""
    from xinzhou_fiscal.checks import verdicts
    from xinzhou_fiscal.checks.rules_narrative import claims_records
    recs = claims_records(ctx)
    used = set()
    for _, _, c in (ledger_checks if ledger_checks is not None else verdicts(ctx)):
        for n in (c.expected, c.actual):
            for e in (n.evidence if n is not None else ()):
                if e.source == "narrative":
                    used.add((e.line, e.printed))
        for e in (*c.evidence_expected, *c.evidence_actual):
            if e.source == "narrative":
                used.add((e.line, e.printed))
    keys = {(optional_int(d.get("line")), str(d.get("value_text") or "")) for d in recs}
    return len(keys & used), len(keys)


def coverage_counts(report, budget=None) -> dict:
    """What the audit covered: ``identities`` checked, narrative ``claims_used`` of ``claims``,
    the ledger's ``outcomes`` (holds/rounding/error/warning counts) and what it ``cannot`` check.
    ``budget``: as for :func:`coverage_ledger`."""
    from xinzhou_fiscal.checks import verdicts
    ctx = build_context(report, budget=budget)
    checks = verdicts(ctx)
    rows = coverage_rows(report, ctx)          # family, rule, subject, outcome, reason, lines
    done = [r for r in rows if r[3] in ("holds", "rounding", "error", "warning")]
    used, claims = claims_checked(ctx, checks)
    reasons = [r[4] for r in rows if r[3] == "cannot check"]
    return {"identities": sum(r[0] in IDENTITY_FAMILIES for r in done), "claims_used": used, "claims": claims,
            "outcomes": dict(Counter(r[3] for r in done).most_common()),
            "cannot": list(dict.fromkeys(part for reason in reasons for part in reason.split("; ")))}


def audit_lead(report, budget=None) -> str:
    """The one line to lead with, e.g. ``checked 143 identities and 96 of 98 narrative claims:
    20 errors, 3 warnings, 14 rounding; cannot check: 情况说明 not found``. ``budget``: as for
    :func:`coverage_ledger`."""
    c = coverage_counts(report, budget)
    n = c["outcomes"]
    head = f"checked {c['identities']} identities and {c['claims_used']} of {c['claims']} narrative claims" \
        if c["claims"] else f"checked {c['identities']} identities"
    line = (f"{head}: {n.get('error', 0)} errors, {n.get('warning', 0)} warnings, "
            f"{n.get('rounding', 0)} rounding")
    return line + (f"; cannot check: {', '.join(c['cannot'])}" if c["cannot"] else "")


def coverage_zh(report, budget=None) -> str:
    """What the audit covered, for readers (Chinese, no counts of findings: those are the
    findings' own), e.g. ``复算勾稽关系 224 项、核对情况说明中的数字 96 处（共 98 处）；3 项无法核对``.
    ``budget``: as for :func:`coverage_ledger`."""
    c = coverage_counts(report, budget)
    text = f"复算勾稽关系 {c['identities']} 项"
    if c["claims"]:
        text += f"、核对情况说明中的数字 {c['claims_used']} 处（共 {c['claims']} 处）"
    if c["cannot"]:
        text += f"；另有 {len(c['cannot'])} 项因原表缺失或无法读取而无法核对"
    return text
