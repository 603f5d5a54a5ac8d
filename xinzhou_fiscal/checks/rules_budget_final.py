"""Budget against final accounts, across the two documents (#25.6): what a final-accounts report
(部门决算) states about its budget, checked against the department's budget document (部门预算) of the
same year.

The final's statements about its budget (万元):

- narrative claims (``report.claims``) with metric 年初预算 or 全年预算 (``年初预算为X万元``,
  ``“三公”经费…全年预算数X万元``): about a total (一般公共预算财政拨款支出), a function class, 款 or
  项 (named by the narrative, matched by code), or a 三公 item / 机关运行经费 (matched by name);
- the 预算数 columns of its tables: the 三公 table's ``budget_*`` columns; any coded table whose
  column says 年初预算 or 预算数 (by code).

Each is looked up in the budget: a coded row by its 功能分类 code in the budget table of the same
fund scope (``wording/budget_final.toml``: the scope is read from the words of the statement's
section or table), a total by role (the 合计 row of that table), a 三公 item or 机关运行经费 in the
budget's 三公 / 机关运行经费 table by its column header. Outcomes: agree (ok or a rounding note, under
the one tolerance policy), differ (an error only when the final calls the figure 年初预算 and the
budget prints the same item in a table of the same scope; otherwise a warning: a 全年预算 or an
unnamed 预算数 may be the adjusted budget), unverifiable (severity info, "无法核对": the budget prints
no such figure). A final that states no budget figure gets one info finding saying so.

The budget document is not part of the report: it is passed to the audit by the layer that knows the
catalogue (``audit(report, budget=…)``; the store finds the 预算 catalogued for the same department
and year). Without it this rule yields nothing. Budget-side evidence has ``source`` "budget".
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xinzhou_fiscal import patterns
from xinzhou_fiscal.checks.context import AuditContext, Fact, build_context, optional_int
from xinzhou_fiscal.checks.findings import Check, Evidence
from xinzhou_fiscal.checks.registry import rule
from xinzhou_fiscal.checks.rules_narrative import claims_records
from xinzhou_fiscal.checks.tolerance import Num, half_unit, printed_decimals
from xinzhou_fiscal.tables.three_public import measure_key as three_public_key
from xinzhou_fiscal.templates.specs import budget_final_facts, function_classes

RULE = "budget_final.stated_budget"
_LEVEL_LENGTH = {"(类)": 3, "(款)": 5, "(项)": 7}


@dataclass(frozen=True)
class Stated:
    """One budget figure the final states: ``kind`` coded (``key`` a 功能分类 code), total (``key``
    the scope) or item (``key`` a 三公 category key or ``admin``); ``label`` what the final calls it
    (年初预算, 全年预算, or 预算数 for a table column that does not say); ``where`` where the final
    prints it (情况说明 第L行 第P页, or the table and line); ``table`` the final's table ("" for the
    narrative)."""

    kind: str
    key: str
    name: str
    scope: str
    num: Num
    label: str
    where: str
    table: str = ""

    @property
    def initial(self) -> bool:
        """The final calls the figure 年初预算 (the budget as approved at the start of the year)."""
        return self.label == "年初预算"


def _norm(text) -> str:
    return patterns.compile(r"[\s“”\"']").sub("", str(text or "")).replace("(", "（").replace(")", "）")


def scope_of(words: str) -> dict:
    """The fund scope (``budget_final.toml`` [[scopes]]) whose words ``words`` contain; the last
    scope (财政拨款) when none does."""
    scopes = budget_final_facts()["scopes"]
    return next((s for s in scopes if any(w in words for w in s["words"])), scopes[-1])


# --------------------------------------------------------------------------- the final's statements

def _code_names(*ctxs: AuditContext) -> dict[str, set[str]]:
    """功能分类 code → the names printed for it in the coded tables of these reports."""
    out: dict[str, set[str]] = {}
    for c in ctxs:
        for f in c.facts:
            if f.code.isdigit() and len(f.code) in (3, 5, 7):
                out.setdefault(f.code, set()).add(_norm(f.item))
    return out


def resolve_code(d: dict, names: dict[str, set[str]]) -> str | None:
    """The 功能分类 code a narrative claim names (its subject, level and 类/款 chain), when exactly
    one printed code fits; None otherwise."""
    subject = _norm(d.get("item_name") or d.get("subject"))
    length = _LEVEL_LENGTH.get(_norm(d.get("category_level")).replace("（", "(").replace("）", ")"))
    hits = [c for c, ns in names.items() if subject in ns and (length is None or len(c) == length)]
    for part, n in ((d.get("class_name"), 3), (d.get("kind_name"), 5)):
        if _norm(part) and _norm(part) != subject:
            hits = [c for c in hits if _norm(part) in names.get(c[:n], ())]
    if len(hits) > 1 and length is None:        # a 类 named alone: the 3-digit code
        hits = [c for c in hits if len(c) == 3] or hits
    if not hits and length in (None, 3):        # a 类 neither document prints: its code by name
        hits = [c for n, c in function_classes().items() if _norm(n) == subject]
    return hits[0] if len(hits) == 1 else None


def _claim_statements(ctx: AuditContext, names: dict[str, set[str]]):
    facts = budget_final_facts()
    for d in claims_records(ctx):
        if d.get("metric") not in ("年初预算", "全年预算") or str(d.get("unit") or "") != "万元":
            continue
        subject = d["_subject"]
        scope = scope_of(f"{d.get('section') or ''}{d.get('label') or ''}")["name"]
        page = optional_int(d.get("page"))
        where = f"情况说明 第{d.get('line')}行" + (f" 第{page}页" if page else "")
        label = str(d.get("metric"))
        if subject in facts["totals"]:
            yield Stated("total", facts["totals"][subject], subject, facts["totals"][subject], d["_num"], label, where)
        elif subject in facts["items"]:
            yield Stated("item", facts["items"][subject], subject, "财政拨款", d["_num"], label, where)
        else:
            code = resolve_code(d, names)
            yield Stated("coded", code or "", str(d.get("label") or subject), scope, d["_num"], label, where)


def _table_statements(ctx: AuditContext):
    """The 预算数 columns of the final's own tables."""
    for f in ctx.facts:
        where = f"{f.num.evidence[0].table_no or f.table} 第{f.line}行" if f.num.evidence else f.table
        if f.table == "three_public" and f.measure_key.startswith("budget_"):
            key = f.measure_key[len("budget_"):]
            name = next((n for n, k in budget_final_facts()["items"].items() if k == key), f.measure)
            yield Stated("item", key, name, "财政拨款", f.num, "预算数", where, f.table)
        elif (f.code.isdigit() or f.item_key == "total") and patterns.compile("年初预算|预算数").search(f.measure):
            scope = scope_of(str(ctx.report.tables[f.table].title if f.table in ctx.report.tables else f.table))
            label = "年初预算" if "年初预算" in f.measure else "预算数"
            if f.code.isdigit():
                yield Stated("coded", f.code, f.item, scope["name"], f.num, label, where, f.table)
            else:                                   # the table's 合计 row: matched by role
                yield Stated("total", scope["name"], f"{scope['name']}支出合计", scope["name"], f.num, label, where, f.table)


def statements(ctx: AuditContext, bctx: AuditContext) -> list[Stated]:
    """Every budget figure the final states (module docstring), in print order of each source."""
    return list(_claim_statements(ctx, _code_names(ctx, bctx))) + list(_table_statements(ctx))


# --------------------------------------------------------------------------- the budget's figures

def _item_key(f: Fact) -> str:
    """The 三公 category key (or ``admin`` for 机关运行经费) of a budget 三公 / 机关运行经费 column."""
    if budget_final_facts()["item_tables"]["admin_word"] in f.measure:
        return "admin"
    return three_public_key([p for p in f.measure.split("/") if "三公" not in p])


def budget_figure(s: Stated, bctx: AuditContext) -> tuple[Fact, bool] | None:
    """(the budget's printing of what ``s`` states, whether its table has the same fund scope), or
    None when the budget prints no such figure. The first table of the scope's ``same`` then
    ``wider`` lists that is read and prints it; in a coded table, the column of measure ``total``."""
    facts = budget_final_facts()
    if s.kind == "item":
        hits = [f for key in facts["item_tables"]["tables"] for f in bctx.by_table.get(key, ()) if _item_key(f) == s.key]
        return (hits[0], True) if hits else None
    if s.kind == "coded" and not s.key:
        return None
    scope = next(x for x in facts["scopes"] if x["name"] == s.scope)
    for same, tables in ((True, scope["same"]), (False, scope["wider"])):
        for key in tables:
            for f in bctx.by_table.get(key, ()) if bctx.status.get(key) == "parsed" else ():
                if f.measure_key == "total" and (f.code == s.key if s.kind == "coded" else f.item_key == "total" and not f.code):
                    return f, same
    return None


def budget_num(f: Fact, budget) -> Num:
    """A budget figure in 万元 with its printed rounding (an amount printed in 元 is exact to
    0.00005 万元: the half-unit scales with the unit) and its evidence (source ``budget``)."""
    e = f.num.evidence[0]
    title = budget.tables[f.table].title if f.table in budget.tables else f.table
    ev = Evidence("budget", f.table, f"预算：{title}", e.section, f.code, f.item, f.measure, e.printed, e.value, e.line, e.page)
    try:
        shown = float(str(e.printed).replace(",", ""))
    except ValueError:
        shown = 0.0
    scale = abs(f.num.value / shown) if shown else 1.0
    if abs(scale - 1.0) < 1e-9:
        return Num(f.num.value, f.num.err, f.num.printed, (ev,))
    return Num(f.num.value, half_unit(printed_decimals(e.printed)) * scale, None, (ev,))


# --------------------------------------------------------------------------- the rule

def _subject(s: Stated) -> str:
    """``年初预算：2050205 高等教育`` (narrative), ``预算数（{t:three_public}）：公务接待费`` (a table)."""
    where = f"（{{t:{s.table}}}）" if s.table else ""
    return f"{s.label}{where}：{s.key + ' ' if s.kind == 'coded' and s.key else ''}{s.name}"


def _note(s: Stated, same: bool, title: str) -> str:
    if s.initial and same:
        return "决算明称年初预算，预算文件在同一口径的表中印有同一项目：两份公开文件相互矛盾"
    if not same:
        return f"预算文件只在口径更宽的表（{title}）中印有此项，口径可能不同：差额不一定是错误"
    return "决算所列为全年预算或预算数，可能含年中追加、调整：差额不一定是错误"


def judge_statement(s: Stated, bctx: AuditContext, budget, files: tuple[str, str]) -> Check:
    """One statement against the budget: a numeric check (agree / differ) or, when the budget has no
    such figure, an info check saying it cannot be verified."""
    final_file, budget_file = files
    label = s.label
    hit = budget_figure(s, bctx)
    if hit is None:
        code = f"（科目编码 {s.key}）" if s.kind == "coded" and s.key else \
            ("（情况说明未指明可对应的科目编码）" if s.kind == "coded" else "")
        return Check(RULE, _subject(s), f"决算所称{label}（{s.name}）无法核对", actual=s.num, status="info",
                     coverage="cannot check", note=f"预算文件 {budget_file} 未列示{s.scope}的此项{code}；决算文件 {final_file} {s.where}",
                     evidence_actual=s.num.evidence)
    f, same = hit
    bnum = budget_num(f, budget)
    ev = bnum.evidence[0]
    return Check(RULE, _subject(s), f"决算所称{label}（{s.name}）与预算文件所列", expected=bnum, actual=s.num,
                 broken="error" if s.initial and same else "warning",
                 expected_desc=f"预算文件 {budget_file} {ev.table_no[3:]} 第{ev.page}页 第{ev.line}行",
                 actual_desc=f"决算文件 {final_file} {s.where}", note=_note(s, same, ev.table_no[3:]))


def budget_context(ctx: AuditContext) -> AuditContext | None:
    """The audit context of the budget passed with the report (``ctx.extras["budget"]``), built once."""
    budget = ctx.extras.get("budget")
    if budget is None:
        return None
    if "budget_ctx" not in ctx.extras:
        ctx.extras["budget_ctx"] = build_context(budget)
    return ctx.extras["budget_ctx"]


@rule(RULE, "决算所述预算数（情况说明的年初预算、全年预算，表中的预算数）= 同一部门同一年度预算文件所列（按科目编码、合计按角色、三公按名称）",
      "#25.6：决算与预算两份公开文件；年初预算应为批复的部门预算（预算文件）",
      severity="error if the final says 年初预算 and the budget prints the same item in a table of the same scope; "
               "warning otherwise (全年预算 / 预算数 may be adjusted); info when the budget has no such figure")
def stated_budget(ctx: AuditContext):
    bctx = budget_context(ctx)
    if bctx is None:
        return
    budget = ctx.extras["budget"]
    files = (Path(str(ctx.report.source_file)).name, Path(str(budget.source_file)).name)
    stated = statements(ctx, bctx)
    if not stated:
        yield Check(RULE, "(none)", "决算未列示年初预算或预算数", status="info", coverage="not applicable",
                    note=f"决算文件 {files[0]} 的情况说明和表中没有年初预算、全年预算或预算数，"
                         f"无可与预算文件 {files[1]} 核对的数")
        return
    for s in stated:
        yield judge_statement(s, bctx, budget, files)
