"""What a budget narrative's subject is in the budget's own tables (部门预算: 收支预算总表,
财政拨款收支预算总表, 财政拨款支出预算表, 一般公共预算支出功能分类预算表, “三公”经费和机关运行经费预算表).

Tables are found by the keys of the budget families (``templates/*budget*.toml``); rows by their role
(``item_key``: grand_total, income_total, business …) or, where a family's summary prints a line
without one, by its printed name (一、财政拨款, 结转下年); the 三公 table's columns by their printed
header. Amounts are 万元 (a table printed in 元 is converted exactly by the reader). Plain values:
no DataFrame here."""
from __future__ import annotations

from xinzhou_fiscal import patterns
from xinzhou_fiscal.checks.context import AuditContext, Fact
from xinzhou_fiscal.checks.tolerance import Num
from xinzhou_fiscal.numbers import LazyPattern
from xinzhou_fiscal.templates.labels import label_key
from xinzhou_fiscal.templates.specs import function_classes

SUMMARY = "budget_summary"
FISCAL_SUMMARY = "budget_fiscal_grant_summary"
FISCAL_EXPENDITURE = "budget_fiscal_grant_expenditure"
GENERAL_EXPENDITURE = "budget_general_expenditure"
THREE_PUBLIC = "budget_three_public"

_ORDINAL = LazyPattern(r"^[一二三四五六七八九十]+、|^\d+[、.．]")
#: summary rows: subject → (side, item_key, printed names of a line without a key)
_SUMMARY_ROWS = {
    "收入总计": ("income", "grand_total", ()), "收入支出总计": ("income", "grand_total", ()),
    "本年收入合计": ("income", "income_total", ()), "支出总计": ("expenditure", "grand_total", ()),
    "本年支出合计": ("expenditure", "expenditure_total", ()),
    "财政拨款收入": ("income", "fiscal_grant", ("财政拨款", "财政拨款收入")),
    "事业收入": ("income", "business", ("事业收入",)), "其他收入": ("income", "other", ("其他收入",)),
    "事业单位经营收入": ("income", "operating", ("事业单位经营收入",)),
    "上年结转": ("income", "carryover_begin", ("上年结转",)),
    "使用非财政拨款结余": ("income", "use_nonfiscal_balance", ("使用非财政拨款结余",)),
    "结转下年": ("expenditure", "carryover_end", ("结转下年",)),
}
#: 三公 table columns: subject → words of the printed column header (all must be in it)
_THREE_PUBLIC_COLUMNS = {
    "三公经费": ("三公", "合计"), "因公出国（境）费": ("因公出国",), "公务接待费": ("公务接待费",),
    "公务用车购置及运行费": ("公务用车", "小计"), "公务用车购置及运行维护费": ("公务用车", "小计"),
    "公务用车购置费": ("购置费",), "公务用车运行费": ("运行费",), "公务用车运行维护费": ("运行",),
    "机关运行经费": ("机关运行经费",),
}
#: the words of a parent (or a subject) that put a figure in the fiscal-grant tables
_FISCAL = patterns.compile(r"财政拨款|一般公共预算")


def _name(f: Fact) -> str:
    return label_key(_ORDINAL.sub("", str(f.item or "").strip()))


def _amount(f: Fact) -> bool:
    return f.measure_key in ("amount", "total")


def _summary_row(ctx: AuditContext, table: str, side: str, key: str, names: tuple) -> Fact | None:
    rows = [f for f in ctx.by_table.get(table, ()) if f.section == side and _amount(f)]
    hit = [f for f in rows if f.item_key == key] or [f for f in rows if not f.item_key and _name(f) in names]
    return hit[0] if hit else None


def _three_public(ctx: AuditContext, subject: str) -> Fact | None:
    words = _THREE_PUBLIC_COLUMNS.get(subject)
    if not words:
        return None
    hit = [f for f in ctx.by_table.get(THREE_PUBLIC, ()) if all(w in label_key(f.measure) for w in words)]
    if subject == "公务用车运行维护费" or subject == "公务用车运行费":     # not the 运行 of 购置及运行费/小计
        hit = [f for f in hit if "小计" not in f.measure and not f.measure.endswith("购置及运行费")]
    return hit[0] if len(hit) == 1 else None


def _class_row(ctx: AuditContext, subject: str, fiscal: bool) -> tuple[Fact, str] | None:
    """A function class (教育支出 …) in the fiscal-grant tables (``fiscal``) or the summary."""
    code = function_classes().get(subject)
    if not code:
        return None
    if fiscal:
        for table in (FISCAL_EXPENDITURE, GENERAL_EXPENDITURE):
            row = next((f for f in ctx.by_table.get(table, ()) if f.code == code and f.measure_key == "total"), None)
            if row is not None:
                return row, table
        table, side = FISCAL_SUMMARY, "expenditure"
    else:
        table, side = SUMMARY, "expenditure"
    row = next((f for f in ctx.by_table.get(table, ()) if f.section == side and f.item_key == f"class:{code}"
                and _amount(f)), None)
    return (row, table) if row is not None else None


def _fiscal_total(ctx: AuditContext) -> tuple[Fact, str] | None:
    for table in (FISCAL_EXPENDITURE, GENERAL_EXPENDITURE):
        row = next((f for f in ctx.by_table.get(table, ()) if not f.code and f.measure_key == "total"
                    and (f.item_key == "total" or label_key(f.item) in ("合计", "总计"))), None)
        if row is not None:
            return row, table
    row = _summary_row(ctx, FISCAL_SUMMARY, "expenditure", "grand_total", ())
    return (row, FISCAL_SUMMARY) if row is not None else None


def budget_table_figure(ctx: AuditContext, subject: str, parent: str = "") -> tuple[Num, str] | None:
    """The budget table figure (万元) a budget narrative's subject states, and where it was found; None
    when no budget table of the report holds it. ``parent``: the figure the subject is listed under
    (a class listed under 财政拨款支出 is the fiscal-grant table's)."""
    fiscal = bool(_FISCAL.search(parent))
    hit: tuple[Fact, str] | None = None
    if subject in ("财政拨款支出", "财政拨款收入支出总计", "财政拨款支出总计", "一般公共预算拨款支出"):
        hit = _fiscal_total(ctx)
    elif subject in _SUMMARY_ROWS and not fiscal:
        row = _summary_row(ctx, SUMMARY, *_SUMMARY_ROWS[subject])
        hit = (row, SUMMARY) if row is not None else None
    elif subject in _THREE_PUBLIC_COLUMNS:
        row = _three_public(ctx, subject)
        hit = (row, THREE_PUBLIC) if row is not None else None
    else:
        hit = _class_row(ctx, subject, fiscal)
    if hit is None or ctx.status.get(hit[1]) in (None, "missing"):
        return None
    fact, table = hit
    return fact.num, f"{{t:{table}}} {fact.item or ''} {fact.measure or ''}".strip()
