"""Identities that need no template family (#24 point 5), for the coded tables the family-specific rules
do not read: a budget's tables, the university's 财政拨款支出决算表, and every table of a report of the
``unknown`` family (read generically). Per printed column: 合计 = the sum of the 类, each 类 = the sum of
its 款, each 款 = the sum of its 项 (function or economic codes alike: a code's parent is its first
digits). A report of the unknown family also gets one finding saying what could not be checked."""
from __future__ import annotations

from collections import defaultdict

from xinzhou_fiscal.checks.context import CODED_TABLES, AuditContext
from xinzhou_fiscal.checks.findings import Check
from xinzhou_fiscal.checks.registry import rule
from xinzhou_fiscal.checks.tolerance import total
from xinzhou_fiscal.templates.families import UNKNOWN_FAMILY

_LEVELS = ((None, 3, "类"), (3, 5, "款"), (5, 7, "项"))


def _other_coded_tables(ctx: AuditContext):
    """table → measure → code ("" for the 合计 row) → Fact, for parsed tables with codes that no
    family-specific rule reads. A 合计 row printed twice counts once (its first printing)."""
    for key, t in ctx.report.tables.items():
        if key in CODED_TABLES or t.status != "parsed" or key == "general_budget_basic":
            continue
        rows: dict[str, dict[str, object]] = defaultdict(dict)
        for f in ctx.by_table.get(key, ()):
            code = "" if f.item_key == "total" and not f.code else f.code
            if code or f.item_key == "total":
                rows[f.measure].setdefault(code, f)
        if any(len(c) in (5, 7) for by_code in rows.values() for c in by_code):
            yield key, t, rows


@rule("coded.any_table_hierarchy", "编码表（预算表、未知模板的表）：合计 = 各类之和，类 = 所属各款之和，款 = 所属各项之和（逐栏）",
      "支出功能分类 / 经济分类科目的层级（../shared/DOMAIN.md「Classification codes」）：与模板无关")
def code_hierarchy(ctx: AuditContext):
    for key, t, rows in _other_coded_tables(ctx):
        name = t.label or t.title
        for measure, by_code in rows.items():
            codes = list(by_code)
            for parent_len, child_len, what in _LEVELS:
                parents = [""] if parent_len is None else [c for c in codes if len(c) == parent_len]
                for p in parents:
                    if p not in by_code:
                        continue
                    kids = [c for c in codes if len(c) == child_len and c.startswith(p)]
                    if not kids:
                        continue
                    label = f"{p} {by_code[p].item}" if p else "合计"
                    yield Check("coded.any_table_hierarchy", f"{name} {p or '合计'} {measure}", f"{name} {label}（{measure}）",
                                total([by_code[k].num for k in kids]), by_code[p].num,
                                expected_desc=f"{len(kids)} 个{what}之和", actual_desc="本行印刷数")


@rule("complete.unknown_family_unchecked", "未知模板：说明哪些核对因模板未知而无法进行", "报告所属模板（xinzhou_fiscal/templates/unknown.toml）",
      severity="info")
def unchecked(ctx: AuditContext):
    if getattr(ctx.report.template, "id", "") != UNKNOWN_FAMILY:
        return
    read = [t.title for t in ctx.report.tables.values() if t.status == "parsed"]
    yield Check("complete.unknown_family_unchecked", "模板", "模板未知的报告", status="info", expected_label="已知模板",
                actual_label="未知模板", unit="",
                note=f"已按表题、行、列通读 {len(read)} 张表（{'、'.join(read[:4])}），只核对了与模板无关的编码层级"
                     "（合计、类、款、项）；表间勾稽（如收支总表与收入、支出表）、各表的栏间关系和情况说明与表的核对"
                     "需要知道表的含义，无法进行（cannot check）")


_TOTAL_NAMES = ("合计", "总计")
_GROUP_TOTALS = ("小计", "合计", "金额")


def row_parts(measures: list[str]) -> tuple[str, list[str]] | None:
    """(total column, component columns) of a coded table, from its printed header paths
    (``事业收入/金额``), or None when the header does not say which column is the total. The path
    segments all columns share are set aside (``收入预算/合计``, ``收入预算/财政拨款收入``); the total is the
    top-level column named 合计 or 总计 (收入合计); each other top-level column is one component — a group
    of columns counts once, by its 小计/合计/金额 column, else by its columns — and a column
    whose name says 其中 is part of the one before it, never a component."""
    split = [m.split("/") for m in measures]
    common = 0
    while all(len(s) > common + 1 and s[common] == split[0][common] for s in split):
        common += 1
    paths = {m: s[common:] for m, s in zip(measures, split)}
    totals = [m for m, p in paths.items() if len(p) == 1 and p[0].endswith(_TOTAL_NAMES)]
    if len(totals) != 1:
        return None
    groups: dict[str, list[str]] = {}
    for m, p in paths.items():
        if m != totals[0] and "其中" not in p[-1]:
            groups.setdefault(p[0], []).append(m)
    parts = []
    for members in groups.values():
        sub = [m for m in members if paths[m][-1] in _GROUP_TOTALS]
        parts += sub[:1] if len(sub) == 1 else ([] if sub else members)
    return (totals[0], parts) if parts else None


@rule("coded.any_table_row_columns", "编码表（预算表、未知模板的表）：每行 合计栏 = 各构成栏之和（“其中”栏不计）",
      "表头：合计/总计栏与其构成栏（与模板无关）")
def any_table_row_columns(ctx: AuditContext):
    for key, t, rows in _other_coded_tables(ctx):
        split = row_parts(list(rows))
        if split is None:
            continue
        total_col, parts = split
        name = t.label or t.title
        for code, act in rows[total_col].items():
            nums = [rows[m][code].num for m in parts if code in rows[m]]
            if not nums:
                continue
            label = f"{code} {act.item}" if code else "合计"
            names = "、".join(m.split("/")[-1] if m.split("/")[-1] not in _GROUP_TOTALS else m.split("/")[-2]
                             for m in parts)
            yield Check("coded.any_table_row_columns", f"{name} {code or '合计'}", f"{name} {label} {total_col.split('/')[-1]}",
                        total(nums), act.num, expected_desc=f"{names} 之和", actual_desc=total_col.split("/")[-1])
