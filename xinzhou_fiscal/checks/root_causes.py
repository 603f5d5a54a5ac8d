"""One root cause, one error (issue #23): findings that follow from another error are attached to
it instead of being counted again.

A root and what follows from it:

- **a required table missing** (``complete.table_missing``, error): the 目录 line that lists it
  (``complete.toc``, "正文无此标题"), every error of a check that reads the table, and the rules
  the missing table makes impossible (:func:`~xinzhou_fiscal.checks.inputs.rule_inputs`);
- **a template placeholder** (``text.placeholder``, error, e.g. ``XX``): every other error on the
  same line whose printed text carries the placeholder (the department name ``上海市普XX陀区财政局``
  of ``names.department``, a 项 name of ``names.item``);
- **a misspelt department name** (``names.department``, error): the near-miss warning
  (``vocab.near_miss``) of the same line that reads the same name (上海市普陀区财攻局).

The root keeps its severity and lists its consequences (``consequences``: their finding ids, then
``无法核对 <rule>`` for each rule made impossible); each consequence stays in the findings with
``caused_by`` = the root's id and severity ``info`` ("the same fault, counted once"), so the error
count says how many things are wrong. Links are made by structure (the table's key and title, the
line and the placeholder's text), never by a report's wording.
"""
from __future__ import annotations

from xinzhou_fiscal import patterns
from xinzhou_fiscal.checks.context import AuditContext
from xinzhou_fiscal.checks.inputs import rule_inputs
from xinzhou_fiscal.templates.labels import normalize_label
from xinzhou_fiscal.templates.names import fill

#: the severity of a consequence: it is reported with its root, not counted again
CONSEQUENCE_SEVERITY = "info"


def _label(t, key: str) -> str:
    from xinzhou_fiscal.checks.rules_completeness import _label as label
    return label(t, key)


def _lines(c) -> set[int]:
    ev = [e for n in (c.expected, c.actual) if n is not None for e in n.evidence]
    return {e.line for e in (*ev, *c.evidence_expected, *c.evidence_actual) if e.line}


def _reads_table(c, key: str) -> bool:
    ev = [e for n in (c.expected, c.actual) if n is not None for e in n.evidence]
    return any(e.source == "table" and e.table == key for e in (*ev, *c.evidence_expected, *c.evidence_actual))


def _squash(text: str) -> str:
    return patterns.compile(r"\s+").sub("", normalize_label(text or ""))


def _missing_table_links(ctx: AuditContext, items, errors) -> dict[str, tuple[list[str], list[str]]]:
    """{root fid: (consequence fids, rules made impossible)} for each required table missing."""
    from xinzhou_fiscal.checks.registry import RULES
    out = {}
    for key, t in ctx.report.tables.items():
        root = f"complete.table_missing|{fill(_label(t, key), None)}"
        if t.status != "missing" or not t.required or root not in errors:
            continue
        title = _squash(t.title)
        follow = []
        for fid, c in errors.items():
            if fid == root:
                continue
            if c.rule == "complete.toc" and title and title in _squash(c.expected_label):
                follow.append(fid)                       # its 目录 line
            elif not c.rule.startswith("complete.") and _reads_table(c, key):
                follow.append(fid)                       # a check that read its absence
        impossible = [rid for rid in RULES if key in rule_inputs(rid)[0]]
        out[root] = (follow, impossible)
    return out


def _placeholder_links(errors) -> dict[str, tuple[list[str], list[str]]]:
    """{root fid: (consequence fids, [])} for each placeholder: the other errors of its line that
    print it."""
    out = {}
    for fid, c in errors.items():
        if c.rule != "text.placeholder":
            continue
        token = c.subject.split(" ", 2)[-1]
        lines = _lines(c)
        follow = [f for f, d in errors.items() if f != fid and d.rule != "text.placeholder" and lines & _lines(d)
                  and token in (d.actual_label or "")]
        if follow:
            out[fid] = (follow, [])
    return out


def _misspelt_name_links(errors, items) -> dict[str, tuple[list[str], list[str]]]:
    """{root fid: (consequence fids, [])} for each misspelt department name (names.department,
    error): the near-miss warning (vocab.near_miss) of the same line that reads the same name."""
    near = {fid: c for fid, sev, c in items if c.rule == "vocab.near_miss" and sev == "warning"}
    out = {}
    for fid, c in errors.items():
        name = c.actual_label or ""
        if c.rule != "names.department" or not name:
            continue
        lines = _lines(c)
        follow = [f for f, d in near.items() if lines & _lines(d) and (d.actual_label or "") and
                  ((d.actual_label in name) or (name in d.actual_label))]
        if follow:
            out[fid] = (follow, [])
    return out


def root_causes(ctx: AuditContext, items) -> dict[str, tuple[list[str], list[str]]]:
    """Root errors and their consequences among ``items`` ((finding_id, severity, check) of one
    audit): {root fid: (consequence fids, rule ids the root makes impossible)}. A consequence is
    attached to one root only (the first found: missing tables, then placeholders)."""
    errors = {fid: c for fid, sev, c in items if sev == "error"}
    links = {**_missing_table_links(ctx, items, errors)}
    for more in (_placeholder_links(errors), _misspelt_name_links(errors, items)):
        for root, (follow, impossible) in more.items():
            links.setdefault(root, (follow, impossible))
    taken: set[str] = set()
    out = {}
    for root, (follow, impossible) in links.items():
        if root in taken:
            continue
        mine = [f for f in follow if f not in taken and f not in links]
        taken.update(mine)
        if mine or impossible:
            out[root] = (mine, impossible)
    return out


def caused_by(links: dict[str, tuple[list[str], list[str]]]) -> dict[str, str]:
    """{consequence fid: root fid} of :func:`root_causes`' links."""
    return {f: root for root, (follow, _) in links.items() for f in follow}


def attach(records: list[dict], links: dict[str, tuple[list[str], list[str]]]) -> list[dict]:
    """Finding records with their roots and consequences filled in (``caused_by``,
    ``consequences``), a consequence's severity lowered to :data:`CONSEQUENCE_SEVERITY` and its
    message saying which error it follows from."""
    parent = caused_by(links)
    for rec in records:
        fid = rec["finding_id"]
        if fid in links:
            follow, impossible = links[fid]
            rec["consequences"] = "; ".join([*follow, *(f"无法核对 {r}" for r in impossible)])
            extra = []
            if follow:
                extra.append(f"由此引起的另 {len(follow)} 项发现已并入本条，不另计为错误")
            if impossible:
                extra.append(f"由此无法核对 {len(impossible)} 条规则（{'、'.join(impossible)}）")
            rec["message"] = rec["message"].rstrip("。") + "。" + "；".join(extra)
        elif fid in parent:
            rec["caused_by"] = parent[fid]
            rec["severity"] = CONSEQUENCE_SEVERITY
            rec["message"] = f"（后果：根源为 {parent[fid]}，不另计为错误）{rec['message']}"
    return records
