"""Identities across a budget's tables (#25 point 5), declared as data by each budget family
(``[[identities]]`` in ``templates/<family>.toml``): the 收支预算总表's totals against the 收入/支出
预算表, the 财政拨款收支预算总表 against the 一般公共预算支出表, the 基本支出 table against the 基本支出
column. One rule per identity id (``budget_cross.<id>``); a report whose family does not declare the id
has nothing to check. A table the identity reads that is missing or could not be read makes it
"cannot check" (with the reason), never a silent skip; a table printed empty reads as blank (0).

An identity (TOML)::

    [[identities]]
    id = "expenditure_total"                       # the rule is budget_cross.expenditure_total
    what = "本年支出合计（收支预算总表 ↔ 支出预算表）"
    source = "…"                                   # why it holds by definition of the tables
    expected = [{table = "budget_expenditure", item_key = "total", measure_key = "total"}]
    actual = [{table = "budget_summary", section = "expenditure", item_key = "expenditure_total"}]
    relation = "eq"                                # eq (error when broken) | le (expected ≥ actual, warning)
    each = "class"                                 # optional: once per 类 code, "{class}" in the refs

Each side is the sum of its references. A reference picks the first fact of ``table`` whose fields
equal the given ``section``, ``item_key``, ``code``, ``measure_key`` and whose ``item`` / ``measure``
(the printed row name / column path) match the given regular expressions; none is a blank cell (0).
Amounts are in 万元 (a budget printed in 元 converts exactly, :func:`~.context.fact_num`)."""
from __future__ import annotations

from xinzhou_fiscal import patterns
from xinzhou_fiscal.checks.context import AuditContext, Fact, blank
from xinzhou_fiscal.checks.findings import Check
from xinzhou_fiscal.checks.registry import rule
from xinzhou_fiscal.checks.tolerance import Num, total
from xinzhou_fiscal.templates.families import templates

FAMILY = "budget_cross"
_EXACT = ("section", "item_key", "code", "measure_key")
_PATTERN = ("item", "measure")
#: a table read (possibly printed empty: its cells read as blank) versus not read at all
_READABLE = ("parsed", "empty", "blank")


def _fill(ref: dict, code: str) -> dict:
    return {k: (v.replace("{class}", code) if isinstance(v, str) else v) for k, v in ref.items()}


def _matches(f: Fact, ref: dict) -> bool:
    return all(getattr(f, k) == ref[k] for k in _EXACT if k in ref) and \
        all(patterns.compile(ref[k]).search(getattr(f, k)) for k in _PATTERN if k in ref)


def ref_num(ctx: AuditContext, ref: dict) -> Num:
    """The figure a reference names (万元), or a blank (0) carrying the table and what was sought."""
    f = next((f for f in ctx.by_table.get(ref["table"], ()) if _matches(f, ref)), None)
    if f is not None:
        return f.num
    label = ref.get("item_key") or ref.get("code") or ref.get("item", "")
    return blank(ref["table"], code=ref.get("code", ""), item=label, section=ref.get("section", ""),
                 measure=ref.get("measure_key") or ref.get("measure", ""))


def side(ctx: AuditContext, refs: list[dict], code: str = "") -> Num:
    nums = [ref_num(ctx, _fill(r, code)) for r in refs]
    return nums[0] if len(nums) == 1 else total(nums)


def _class_codes(ctx: AuditContext, ident: dict) -> list[str]:
    """The 类 codes printed in any table the identity reads (a summary's ``class:205`` line or a coded
    table's 205 row)."""
    codes = set()
    for t in _tables(ident):
        for f in ctx.by_table.get(t, ()):
            code = f.item_key.split(":", 1)[1] if f.item_key.startswith("class:") else f.code
            if len(code) == 3 and code.isdigit():
                codes.add(code)
    return sorted(codes)


def _tables(ident: dict) -> list[str]:
    return list(dict.fromkeys(r["table"] for r in (*ident["expected"], *ident["actual"])))


def _unreadable(ctx: AuditContext, ident: dict) -> list[str]:
    """Why the identity cannot be checked: each table it reads that was not read (missing, failed)."""
    out = []
    for key in _tables(ident):
        t = ctx.report.tables.get(key)
        if t is None or t.status not in _READABLE:
            name = getattr(t, "title", "") or key
            status = "not in the template" if t is None else t.status
            reason = f"：{t.reason}" if t is not None and getattr(t, "reason", "") else ""
            out.append(f"{name} {status}{reason}")
    return out


def _blank(*nums: Num) -> bool:
    return all(n.printed == "" and n.value == 0 for n in nums)


def _descs(ctx: AuditContext, refs: list[dict]) -> str:
    names = {k: (getattr(t, "title", "") or k) for k, t in ctx.report.tables.items()}
    return " + ".join(f"{names.get(r['table'], r['table'])} {r.get('desc', '')}".strip() for r in refs)


def check_identity(ctx: AuditContext, ident: dict):
    """The checks of one declared identity on this report (see the module docstring)."""
    rid = f"{FAMILY}.{ident['id']}"
    missing = _unreadable(ctx, ident)
    if missing:
        yield Check(rid, ident["what"], ident["what"], status="info", coverage="cannot check",
                    note="；".join(missing))
        return
    relation = ident.get("relation", "eq")
    codes = _class_codes(ctx, ident) if ident.get("each") == "class" else [""]
    checked = 0
    for code in codes:
        exp, act = side(ctx, ident["expected"], code), side(ctx, ident["actual"], code)
        if _blank(exp, act):
            continue
        checked += 1
        subject = f"类 {code} {ident['what']}" if code else ident["what"]
        yield Check(rid, subject, subject, exp, act, relation="le" if relation == "le" else "eq",
                    broken="warning" if relation == "le" else "error",
                    expected_desc=_descs(ctx, ident["expected"]), actual_desc=_descs(ctx, ident["actual"]))
    if not checked:                     # both sides blank (a table printed without figures): nothing to compare
        yield Check(rid, ident["what"], ident["what"], status="info", coverage="not applicable",
                    note="两侧均为空白（表中无数）：" + "；".join(
                        f"{getattr(ctx.report.tables.get(t), 'title', t)} {ctx.report.tables[t].status}"
                        for t in _tables(ident)))


def _declared() -> dict[str, dict]:
    """identity id → the first declaration of it (its title and source for the catalogue)."""
    out: dict[str, dict] = {}
    for t in templates():
        for ident in t.identities:
            out.setdefault(ident["id"], ident)
    return out


def _register(ident_id: str, first: dict) -> None:
    def run(ctx: AuditContext):
        family = getattr(ctx.report, "template", None)
        for ident in getattr(family, "identities", ()):
            if ident["id"] == ident_id:
                yield from check_identity(ctx, ident)
    severity = "warning" if first.get("relation") == "le" else "error"
    rule(f"{FAMILY}.{ident_id}", f"预算表间：{first['what']}", first["source"], severity=severity)(run)


for _id, _first in _declared().items():
    _register(_id, _first)
