"""A budget's narrative (部门预算 情况说明 / 编制说明) against its own tables: every 预算数 the
narrative states that a budget table prints — 收支总计, 本年收入/支出合计, each source of income
(财政拨款收入, 事业收入, 上年结转 …), 结转下年, the classes of 支出 and of 财政拨款支出, the 财政拨款 total,
the “三公” total and items and 机关运行经费 — compared with the project's rounding-aware tolerance
(a narrative that rounds 171,915,169 元 to 17,192万元 is within it). The tables are found by
:mod:`xinzhou_fiscal.checks.budget_figures`. Shares, year-on-year rates and lists of a budget's
narrative are checked by the narrative rules (``narrative.share``, ``narrative.yoy_rate``,
``narrative.parts_sum``), which read 预算数 as they read 决算数."""
from __future__ import annotations

from xinzhou_fiscal.checks.budget_figures import budget_table_figure
from xinzhou_fiscal.checks.context import AuditContext
from xinzhou_fiscal.checks.findings import Check
from xinzhou_fiscal.checks.registry import rule
from xinzhou_fiscal.checks.rules_narrative import claims_records

SOURCE = "../shared/DOMAIN.md「Narrative against tables」；部门预算公开 情况说明（收支预算总表、财政拨款支出预算表、“三公”经费预算表）"
BUDGET_AMOUNT = "预算数"


@rule("narrative.budget_amount", "预算情况说明中的预算数（收支总计、各项收入、各类支出、财政拨款、“三公”经费、机关运行经费）= 预算表中同一数字",
      SOURCE)
def narrative_budget_amount(ctx: AuditContext):
    if getattr(ctx.report, "kind", "") != "预算":
        return
    for d in claims_records(ctx):
        if d.get("metric") != BUDGET_AMOUNT or d.get("unit") != "万元":
            continue
        hit = budget_table_figure(ctx, d["_subject"], d["_parent"])
        if hit is None:
            continue
        table, desc = hit
        yield Check("narrative.budget_amount", f"line {d.get('line')} {d['_subject']} 预算数",
                    f"情况说明第 {d.get('line')} 行“{d.get('label') or d['_subject']}”预算数", table, d["_num"],
                    unit="万元", expected_desc=desc, actual_desc="情况说明")
