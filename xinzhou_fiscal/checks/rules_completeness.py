"""Completeness (a table missing, a table printed empty without its note, cells the parser could
not read) and the report's text against its own year and kind (决算 vs 预算)."""
from __future__ import annotations

import re

from xinzhou_fiscal.checks.context import AuditContext, table_name
from xinzhou_fiscal.checks.findings import Check, Evidence
from xinzhou_fiscal.checks.registry import rule
from xinzhou_fiscal.checks.rules_text import toc_entries
from xinzhou_fiscal.checks.textscan import document_rule, prose_lines
from xinzhou_fiscal.templates.detect import title_key
from xinzhou_fiscal.templates.text_facts import text_facts
from xinzhou_fiscal.read.source import PART_HEADING

_EMPTY_NOTE = re.compile(r"无数据|无此项|没有.*(收支|支出|收入|数据)|未发生|空表")
#: a clause that says its amount is nothing: 为0 · 0万元 · 为零 · 无 (the amount is the clause's last number)
_ZERO_CLAUSE = re.compile(r"(?:为|是)\s*(?:0(?:\.0+)?|零)\s*(?:万?元)?\s*$|(?<![\d.,])0(?:\.0+)?\s*万?元\s*$|为无\s*$")
_CLAUSE = re.compile(r"[^；;。，,]+")


def narrative_zero(report, title: str):
    """The narrative line that says the fund of an empty table is 0 (``政府性基金拨款支出预算为0``
    for the 政府性基金预算支出功能分类预算表), or None; the fund is the first word of
    ``empty_table_funds`` (templates/wording/text_rules.toml) in the table's title."""
    fund = next((w for w in text_facts()["empty_table_funds"] if w in (title or "")), None)
    if fund is None:
        return None
    for ln in prose_lines(report):
        if fund in ln.text and any(fund in c.group(0) and _ZERO_CLAUSE.search(c.group(0)) for c in _CLAUSE.finditer(ln.text)):
            return ln
    return None


def _text_ev(ln, item: str = "", table_no: str = "") -> Evidence:
    return Evidence("text", "", table_no, "", "", item, "", ln.text.strip()[:120], None, ln.line, ln.page)


def _label(t, key: str) -> str:
    """How a finding names a table: its printed number, else the template's label (the title in
    unnumbered families), else the placeholder of its name (filled from the template)."""
    return t.number or t.label or table_name(key) or key


def _table_ev(key, t, no, printed="") -> tuple:
    return (Evidence("table", key, no, "", "", t.title, "", printed, None, t.error_line or t.start_line, t.page),)


def _printed_title(report, title: str):
    """The first body line (after the 目录) that prints the table's title as a title — a short line
    without a sentence mark that ends with it, a project's or unit's name allowed before it
    (``236 中央高校教育教学改革专项绩效目标表`` for the 绩效目标表) — or None."""
    want = title_key(title or "")
    if not want:
        return None
    lines = report.document.lines
    _, body = toc_entries(lines)
    for ln in lines[body:]:
        text = ln.text.strip()
        if len(text) <= 60 and not re.search(r"[。，；：,;:]", text) and title_key(text).endswith(want):
            return ln
    return None


@rule("complete.table_missing", "模板要求的每张表是否都在报告中（缺表、未能读取的表）",
      "报告所属模板（xinzhou_fiscal/templates/*.toml 的 required）；财政部部门决算公开表式",
      severity="error (a required table missing); warning (a table that could not be read)")
def table_missing(ctx: AuditContext):
    for key, t in ctx.report.tables.items():
        no = _label(t, key)
        if t.status == "missing" and not t.required:
            continue                      # not part of this template: not applicable
        printed = _printed_title(ctx.report, t.title) if t.status == "missing" else None
        if printed is not None:
            yield Check("complete.table_missing", no, f"{no} {t.title}", status="warning",
                        expected_label="可读取", actual_label="印有此表，未能读取", unit="",
                        evidence_actual=(_text_ev(printed, t.title, no),),
                        note=f"正文第 {printed.line} 行（第 {printed.page} 页）印有此表（“{printed.text.strip()[:40]}”），"
                             "但未能读取为表格；此表不缺，依赖它的核对无法进行（cannot check）")
        elif t.status == "missing":
            toc = "（目录列有此表，正文却没有）" if t.in_toc else ""
            yield Check("complete.table_missing", no, f"{no} {t.title}", status="error",
                        expected_label="有此表", actual_label="缺表", unit="",
                        note=f"报告中找不到此表{toc}；模板要求公开此表，无数据的也应公开空表并说明")
        elif t.status == "failed":
            yield Check("complete.table_missing", no, f"{no} {t.title}", status="warning",
                        expected_label="可读取", actual_label="未能读取", unit="", evidence_actual=_table_ev(key, t, no),
                        note=f"此表未能读取（{t.reason}）；依赖此表的核对无法进行（cannot check）")
        else:
            yield Check("complete.table_missing", no, f"{no} {t.title}", status="ok", expected_label="有此表",
                        actual_label="有此表" if t.status == "parsed" else "空表", unit="",
                        evidence_actual=_table_ev(key, t, no))


@rule("complete.empty_note", "空表（无数据）是否附说明（如“本表无数据”）；无说明的空白表为错误",
      "财政部部门决算公开要求：无数据的表格应公开空表并说明", severity="error")
def empty_note(ctx: AuditContext):
    for key, t in ctx.report.tables.items():
        if t.status not in ("empty", "blank"):
            continue
        no = _label(t, key)
        note = t.empty_note or ""
        if not note and t.block is not None:
            note = next((ln.text.strip() for ln in t.block.notes if _EMPTY_NOTE.search(ln.text)), "")
        said = None if note else narrative_zero(ctx.report, t.title)
        if said is not None:
            note = f"情况说明第 {said.line} 行说明此项为 0"
        ev = _table_ev(key, t, no, note) + ((_text_ev(said, t.title, no),) if said is not None else ())
        if note:
            yield Check("complete.empty_note", no, f"{no} {t.title} 为空表", status="ok", expected_label="附说明",
                        actual_label=note, unit="", evidence_actual=ev)
        else:
            yield Check("complete.empty_note", no, f"{no} {t.title} 为空表", status="error", expected_label="附说明",
                        actual_label="无说明", unit="", evidence_actual=ev,
                        note="表中没有任何数据，也没有“本表无数据”之类的说明，读者无法区分“确实为零”与“漏填”")


@rule("complete.table_problems", "表格中未能解析的内容（涉及它的核对可能不完整）",
      "xinzhou_fiscal 解析记录（Report.table_problems）", severity="warning")
def table_problems(ctx: AuditContext):
    for i, p in enumerate(ctx.report.table_problems):
        if p.stage == "metadata":
            continue          # a disagreement of the department's name: names.department cites the line
        ev = (Evidence("table", "", p.table or "", "", "", "", "", (p.text or "")[:120], None, p.line, p.page),)
        yield Check("complete.table_problems", f"{p.table or ''} {p.line or ''} #{i}", f"{p.table or '表格'} 第 {p.line} 行",
                    status="warning", expected_label="", actual_label=p.message, unit="", evidence_actual=ev,
                    note=f"{p.message}；涉及该处的核对可能不完整")


# ---------------------------------------------------------------- text: the report's year and kind
_DOC_TITLE = re.compile(r"((?:19|20)\d{2})\s*年度?\s*(?:单位|部门)?\s*(预算|决算)\s*(?:公开|表|报告)")
_THIS_KIND = re.compile(r"本次\s*(预算|决算)")
_TABLE_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*年度?\s*$")
_EVAL_YEAR = re.compile(r"^\s*[（(]\s*((?:19|20)\d{2})\s*年度\s*[)）]\s*$|自评表\s*[（(]\s*((?:19|20)\d{2})\s*年度\s*[)）]")


@rule("text.report_kind_year", "正文中提到的报告年度、报告种类（决算/预算）与本报告一致",
      "报告封面与表头（本报告为 YYYY 年度决算公开）", severity="warning")
@document_rule
def report_kind_year(ctx: AuditContext):
    rep = ctx.report
    year, kind = rep.year, rep.kind
    table_lines = set()
    for t in rep.tables.values():
        if t.block is not None:
            table_lines.update(r.line for r in t.block.rows)
    for ln in rep.document.lines:
        text = ln.text
        if not text.strip() or ln.line in table_lines or PART_HEADING.match(text):
            continue                  # a part heading's year: text.years
        for m in _DOC_TITLE.finditer(text):
            y, k = int(m.group(1)), m.group(2)
            if y == year and k == kind:
                continue
            wrong = []
            if y != year:
                wrong.append(f"年度写作 {y}（本报告为 {year} 年度）")
            if k != kind:
                wrong.append(f"种类写作“{k}”（本报告为“{kind}”公开）")
            yield Check("text.report_kind_year", f"line {ln.line} {m.group(0)}", f"第 {ln.line} 行“{m.group(0)}”",
                        status="warning", expected_label=f"{year}年度…{kind}", actual_label=m.group(0), unit="",
                        evidence_actual=(_text_ev(ln, m.group(0)),),
                        note="；".join(wrong) + "，与本报告自身矛盾，疑为沿用其他年度或预算公开的文字")
        for m in _THIS_KIND.finditer(text):
            if m.group(1) != kind:
                yield Check("text.report_kind_year", f"line {ln.line} {m.group(0)}", f"第 {ln.line} 行“{m.group(0)}”",
                            status="warning", expected_label=f"本次{kind}", actual_label=m.group(0), unit="",
                            evidence_actual=(_text_ev(ln, m.group(0)),),
                            note=f"本报告是{kind}公开，文字却说“{m.group(0)}”，疑为沿用预算公开的文字")


@rule("text.table_year", "各表表头年度、各绩效自评表年度 = 报告年度",
      "{n:income_expenditure_summary–related_info}表表头（“YYYY年度”）；绩效自评表表头", severity="error")
@document_rule
def table_year(ctx: AuditContext):
    rep = ctx.report
    lines = rep.document.lines
    for key, t in rep.tables.items():
        if t.block is None or t.status == "missing":
            continue
        first = t.block.rows[0].line if t.block.rows else t.block.end_line
        no = table_name(key) or key
        for ln in lines[max(t.block.start_line - 1, 0): max(first - 1, 0)]:
            m = _TABLE_YEAR.match(ln.text)
            if m:
                y = int(m.group(1))
                yield Check("text.table_year", no, f"{no} 表头年度", status="ok" if y == rep.year else "error",
                            expected_label=f"{rep.year}年度", actual_label=ln.text.strip(), unit="",
                            evidence_actual=(_text_ev(ln, "表头年度", no),),
                            note="" if y == rep.year else "表头年度与报告年度不一致，表中数字可能不是本年度的")
                break
    for ln in lines:
        m = _EVAL_YEAR.search(ln.text)
        if m:
            y = int(m.group(1) or m.group(2))
            if y != rep.year:
                yield Check("text.table_year", f"绩效自评表 line {ln.line}", f"第 {ln.line} 行 绩效自评表年度", status="error",
                            expected_label=f"{rep.year}年度", actual_label=ln.text.strip()[:60], unit="",
                            evidence_actual=(_text_ev(ln, "绩效自评表年度", "绩效自评表"),),
                            note="自评表年度与报告年度不一致")
