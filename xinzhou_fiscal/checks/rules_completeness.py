"""Completeness (a table missing, a table printed empty without its note, cells the parser could
not read) and the report's text against its own year and kind (决算 vs 预算)."""
from __future__ import annotations


from xinzhou_fiscal import patterns
from xinzhou_fiscal.checks.context import AuditContext, table_name
from xinzhou_fiscal.checks.findings import Check, Evidence
from xinzhou_fiscal.checks.registry import rule
from xinzhou_fiscal.checks.textscan import (
    document_rule,
    line_ev,
    prose_lines,
    prose_spans,
    reading_lines,
    report_cache,
    span_ev,
    text_facts,
)
from xinzhou_fiscal.numbers import LazyPattern
from xinzhou_fiscal.templates.detect import strip_title_prefixes, title_key
from xinzhou_fiscal.read.source import PART_HEADING
from xinzhou_fiscal.templates.labels import normalize_label
from xinzhou_fiscal.templates.text_facts import text_patterns
from xinzhou_fiscal.text.parts import heading_kind, locate_parts, part_span, toc_page_ended

_EMPTY_NOTE = LazyPattern(r"无数据|无此项|没有.*(收支|支出|收入|数据)|未发生|空表")
#: a clause that says its amount is nothing: 为0 · 0万元 · 为零 · 无 (the amount is the clause's last number)
_ZERO_CLAUSE = LazyPattern(r"(?:为|是)\s*(?:0(?:\.0+)?|零)\s*(?:万?元)?\s*$|(?<![\d.,])0(?:\.0+)?\s*万?元\s*$|为无\s*$")
_CLAUSE = LazyPattern(r"[^；;。，,]+")


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
        if len(text) <= 60 and not patterns.compile(r"[。，；：,;:]").search(text) and title_key(text).endswith(want):
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
_DOC_TITLE = patterns.compile(r"((?:19|20)\d{2})\s*年度?\s*(?:单位|部门)?\s*(预算|决算)\s*(?:公开|表|报告)")
_THIS_KIND = patterns.compile(r"本次\s*(预算|决算)")
_TABLE_YEAR = patterns.compile(r"^\s*((?:19|20)\d{2})\s*年度?\s*$")
_EVAL_YEAR = patterns.compile(r"^\s*[（(]\s*((?:19|20)\d{2})\s*年度\s*[)）]\s*$|自评表\s*[（(]\s*((?:19|20)\d{2})\s*年度\s*[)）]")


@rule("text.report_kind_year", "正文中提到的报告年度、报告种类（决算/预算）与本报告一致",
      "报告封面与表头（本报告为 YYYY 年度决算公开）",
      severity="error when the report's own scope statement (纳入…YYYY年度…决算…范围) names another year; "
               "warning otherwise")
@document_rule
def report_kind_year(ctx: AuditContext):
    rep = ctx.report
    year, kind = rep.year, rep.kind
    for sp in prose_spans(rep):      # reflowed: a title cut by the line end is read whole
        text = sp.text
        if PART_HEADING.match(text):
            continue                  # a part heading's year: text.years
        scopes = [m for pat in text_patterns("scope_statements") for m in pat.finditer(text)]
        yield from _scope_checks(sp, scopes, year, kind)
        for m in _DOC_TITLE.finditer(text):
            if any(s.start() <= m.start() < s.end() for s in scopes):
                continue              # a title inside the scope statement: judged there
            ln = sp.line_at(m.start())
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
                        evidence_actual=span_ev(sp, m.start(), m.end(), m.group(0), ""),
                        note="；".join(wrong) + "，与本报告自身矛盾，疑为沿用其他年度或预算公开的文字")
        for m in _THIS_KIND.finditer(text):
            ln = sp.line_at(m.start())
            if m.group(1) != kind:
                yield Check("text.report_kind_year", f"line {ln.line} {m.group(0)}", f"第 {ln.line} 行“{m.group(0)}”",
                            status="warning", expected_label=f"本次{kind}", actual_label=m.group(0), unit="",
                            evidence_actual=span_ev(sp, m.start(), m.end(), m.group(0), ""),
                            note=f"本报告是{kind}公开，文字却说“{m.group(0)}”，疑为沿用预算公开的文字")


def _scope_checks(sp, scopes, year: int, kind: str):
    """The report's own scope statement (text_rules.toml ``scope_statements``: “纳入本部门2023年度部门决算
    编制范围的单位包括”) names the report's year and kind. Another year is an error: the sentence says
    which document this is, and it names another one (seed line 49 “纳入中共忻州市委办公室2024年度单位预算
    公开范围的包括” in the 2023 决算; Jiangsu 2019 budget p5 “纳入本部门2018年部门汇总预算编制范围”). The
    kind alone (a 决算 naming its units by the same year's 预算) is a warning: the budget's units are
    the final accounts' too."""
    for m in scopes:
        y, k = int(m.group(1)), m.group(2)
        if y == year and k == kind:
            continue
        ln = sp.line_at(m.start())
        wrong = ([f"年度写作 {y}（本报告为 {year} 年度）"] if y != year else []) + (
            [f"种类写作“{k}”（本报告为“{kind}”公开）"] if k != kind else [])
        yield Check("text.report_kind_year", f"line {ln.line} {m.group(0)}", f"第 {ln.line} 行本报告范围的表述“{m.group(0)}”",
                    status="error" if y != year else "warning", expected_label=f"{year}年度…{kind}",
                    actual_label=m.group(0), unit="", evidence_actual=span_ev(sp, m.start(), m.end(), m.group(0), ""),
                    note="；".join(wrong) + "：这句话说明本报告的编制范围，却写成了另一份报告，疑为沿用其他年度或预算公开的文字")


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


# ---------------------------------------------------------------- parts and 目录, by structure
_TOC = patterns.compile(r"^\s*目\s*录\s*$")
#: an ordinal that numbers a heading (第X部分, 一、, （一）)
ORDINAL = patterns.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
_TOC_TAIL = patterns.compile(r"[.．…·\s]*\d*\s*$")


def part_heads(report) -> list[tuple[object, str]]:
    """Part headings (第X部分 …) of the body (after the 目录) with the next line joined (a heading
    wrapped over two lines)."""
    out = []
    lines = reading_lines(report)          # reflowed: a heading cut by the page width is whole
    _, body = toc_entries(lines)
    for i, ln in enumerate(lines):
        if i < body:
            continue
        if PART_HEADING.match(ln.text):
            nxt = lines[i + 1].text if i + 1 < len(lines) and len(lines[i + 1].text.strip()) <= 6 else ""
            out.append((ln, patterns.compile(r"\s+").sub("", ln.text + nxt)))
    return out


def _has_contents(report, kind: str) -> str:
    """What the body holds of a part whose heading it does not print ("" if nothing): the tables
    part's tables, the narrative's statements."""
    if kind == "tables":
        n = sum(1 for t in report.tables.values() if t.status != "missing")
        return f"{n} 张决算表" if n else ""
    if kind == "narrative":
        claims = getattr(report, "claims", None)
        return f"{len(claims)} 处情况说明的数字" if claims is not None and len(claims) else ""
    return ""


@rule("complete.parts", "模板的每个部分（概况、决算表、情况说明、名词解释…）都在报告中（有内容而无标题为警告）",
      "报告所属模板（templates/*.toml 的 parts）", severity="error (neither heading nor contents); warning (contents without heading)")
@document_rule
def parts(ctx: AuditContext):
    tpl = getattr(ctx.report, "template", None)
    if tpl is None:
        return
    found = locate_parts(ctx.report.document).parts
    optional = set(text_facts()["optional_parts"])
    for kind, words in tpl.parts.items():
        p = found.get(kind)
        what = f"“{words[0]}”部分"
        if p is not None and p.heading_lines:          # its heading, with or without 第X部分, wrapped or not
            yield Check("complete.parts", kind, what, status="ok", expected_label=words[0], actual_label=p.heading,
                        unit="", evidence_actual=(line_ev(p.heading_lines[0], kind),))
            continue
        contents = _has_contents(ctx.report, kind)
        if p is not None or contents:
            where = (line_ev(p.heading_line, kind),) if p is not None else ()
            held = contents or f"目录所列的第一节（第 {p.heading_line.line} 行）"
            yield Check("complete.parts", kind, what, status="warning", expected_label=words[0], actual_label="有内容无标题",
                        unit="", evidence_actual=where, note=f"正文有此部分的内容（{held}），但没有此部分的标题")
        elif kind not in optional:
            yield Check("complete.parts", kind, what, status="error", expected_label=words[0],
                        actual_label="缺", unit="", note=f"报告中没有“{words[0]}”部分（既无标题，也无内容）；模板要求有此部分")


def toc_entries(lines) -> tuple[list[tuple[object, str]], int]:
    """The 目录's entries (line, title without dots and page) and the index of the first body line:
    the 目录 ends where one of its first three entries is printed again."""
    start = next((i for i, ln in enumerate(lines[:80]) if _TOC.match(ln.text)), None)
    if start is None:
        return [], 0
    entries = []
    for j in range(start + 1, len(lines)):
        if toc_page_ended(lines, start, j):
            return entries, j          # a new page that does not open with an entry: the body
        title = normalize_label(_TOC_TAIL.sub("", lines[j].text.strip()))
        if not title:
            continue
        part = PART_HEADING.match(title)
        if any(title == e[1] for e in entries[:3]) or part and any(e[1].startswith(part.group(0)) for e in entries):
            return entries, j          # the body prints a first entry, or a part heading, again
        entries.append((lines[j], title))
    return entries, len(lines)


def _bare(title: str) -> str:
    """A heading without spaces, its ordinal (第X部分, 一、, （一）, 1.) and a year printed before it
    (``1. 2025年预算单位财务收支预算总表`` → ``预算单位财务收支预算总表``)."""
    return strip_title_prefixes(_NUMBER_BEFORE_YEAR.sub("", ORDINAL.sub("", patterns.compile(r"\s+").sub("", title))))


#: ``1.2025年…``: a sequence number before a year once the space between them is gone
_NUMBER_BEFORE_YEAR = patterns.compile(r"^\d{1,2}[.、．](?=(?:19|20)\d{2}年)")
_BRACKETED = patterns.compile(r"[（(）)]")


def _named_heading(text: str, bare: str, department: str) -> bool:
    """A body heading that prints the department's name before the entry's words, the entry's
    bracketed qualifier left as printed: ``上海市财政局（单位）主要职能`` for the entry ``一、单位主要职能``."""
    if not department or not bare:
        return False
    flat, want = _BRACKETED.sub("", text), _BRACKETED.sub("", bare)
    return flat.endswith(want) and flat[: len(flat) - len(want)] == _BRACKETED.sub("", patterns.compile(r"\s+").sub("", department))


@rule("complete.toc", "目录中的每一项在正文中都有对应：部分 ↔ 部分标题，决算表部分的条目 ↔ 表，其余条目 ↔ 本部分内的同名标题",
      "报告的目录与正文各级标题", severity="error (no such heading or table); warning (title differs, or a part's contents without its heading)")
@document_rule
def toc(ctx: AuditContext):
    rep = ctx.report
    entries, texts, joined = _toc_body(rep)
    located = locate_parts(rep.document)
    found = located.parts
    cursor, current = 0, None
    for ln, title in entries:
        other = next((p for p in located.others if _bare(p.heading) == _bare(title)), None)
        if other is not None:          # a part of no known kind (五、项目绩效目标表): its heading is the entry's
            current = None
            yield _toc_part(ln, title, other, rep, "other")
            continue
        kind = heading_kind(title)
        if kind is not None or PART_HEADING.match(title):
            current = kind
            if kind is not None:
                yield _toc_part(ln, title, found.get(kind), rep, kind)
                continue
        if (hit := _table_titled(rep, _bare(title), exact_only=current != "tables")) is not None:
            yield _toc_table(ln, title, *hit)
            continue
        span = part_span(found[current]) if current in found else None
        check, hit = _toc_section(ln, title, texts, joined, cursor, span, rep.department or "")
        if hit is not None:
            cursor = hit + 1
        yield check


def _toc_part(ln, title: str, part, report, kind: str) -> Check:
    """A part-level 目录 entry against the part found in the body (its heading printed with or
    without 第X部分, wrapped or not)."""
    subject, what = f"line {ln.line} {title}", f"目录“{title}”"
    if part is not None and part.heading_lines:
        return Check("complete.toc", subject, what, status="ok", expected_label=title, actual_label=part.heading,
                     unit="", evidence_actual=(line_ev(ln, "目录"), line_ev(part.heading_lines[0], "正文标题")))
    contents = _has_contents(report, kind)
    if part is not None or contents:
        return Check("complete.toc", subject, what, status="warning", expected_label=title, actual_label="有内容无标题",
                     unit="", evidence_actual=(line_ev(ln, "目录"),),
                     note=f"正文有这一部分的内容（{contents or '目录所列的第一节'}），但没有这一部分的标题")
    return Check("complete.toc", subject, what, status="error", expected_label=title, actual_label="正文无此部分",
                 unit="", evidence_actual=(line_ev(ln, "目录"),), note="目录列出的这一部分在正文中找不到")


def _table_titled(report, bare: str, exact_only: bool = False):
    """(key, table) a 决算表-part 目录 entry names: its title exactly, else the longest table title
    the entry ends with (``…2023年度收入支出决算总表``); None if the entry names no table."""
    if not bare:
        return None
    tables = [(key, t) for key, t in report.tables.items() if t.title]
    exact = next((kt for kt in tables if _bare(normalize_label(kt[1].title)) == bare), None)
    if exact is not None or exact_only:
        return exact
    ends = [kt for kt in tables if bare.endswith(_bare(normalize_label(kt[1].title)))]
    return max(ends, key=lambda kt: len(kt[1].title), default=None)


def _toc_table(ln, title: str, key: str, t) -> Check:
    """A 决算表-part 目录 entry against the table it names (found by the table reader, whatever
    line its title is printed on)."""
    subject, what = f"line {ln.line} {title}", f"目录“{title}”"
    if t.status == "missing":
        return Check("complete.toc", subject, what, status="error", expected_label=title, actual_label="正文无此表",
                     unit="", evidence_actual=(line_ev(ln, "目录"),), note="目录列出的这张表在正文中找不到")
    no = _label(t, key)
    at = (Evidence("table", key, no, "", "", t.title, "", t.title, None, t.start_line, t.page),) if t.start_line else ()
    return Check("complete.toc", subject, what, status="ok", expected_label=title,
                 actual_label=f"{no} {t.title}".strip(), unit="", evidence_actual=(line_ev(ln, "目录"), *at))


def _toc_section(ln, title, texts, joined, cursor, span, department: str = ""):
    """(check, index of the body heading) for a section entry, looked for in its part's lines
    (the whole body when its part was not found), in order."""
    bare = _bare(title)
    lo, hi = span if span else (0, 10 ** 9)
    def same(k):
        return texts[k][1] == bare or joined[k][1] == bare or _named_heading(texts[k][1], bare, department)
    hit = next((k for k in range(cursor, len(texts)) if lo <= texts[k][0].line <= hi and same(k)), None)
    if hit is None and span:
        hit = next((k for k in range(len(texts)) if lo <= texts[k][0].line <= hi and same(k)), None)
    if hit is not None:
        return Check("complete.toc", f"line {ln.line} {title}", f"目录“{title}”", status="ok", expected_label=title,
                     actual_label=texts[hit][0].text.strip(), unit="", evidence_actual=(line_ev(ln, "目录"),)), hit
    inside = [t for t in texts if lo <= t[0].line <= hi]
    return _toc_miss(ln, title, bare, inside, 0 if span else cursor), None


def _toc_body(report):
    """The 目录's entries, the body's lines without their ordinals, and each joined with the next
    (cached on the report: the document does not change between audits)."""
    cache = report_cache(report)
    if "toc" not in cache:
        lines = reading_lines(report)      # reflowed: an entry or heading cut by the page width is whole
        entries, body = toc_entries(lines)
        texts = [(ln, _bare(ln.text)) for ln in lines[body:] if ln.text.strip()]
        joined = [(ln, t + (texts[k + 1][1] if k + 1 < len(texts) else "")) for k, (ln, t) in enumerate(texts)]
        cache["toc"] = entries, texts, joined
    return cache["toc"]


def _toc_miss(ln, title, bare, texts, cursor) -> Check:
    """The closest body heading after the cursor with the same ordinal (一、…) when the entry's
    title is not printed: a title that differs (warning) or no such heading (error)."""
    from rapidfuzz import fuzz
    m = ORDINAL.match(patterns.compile(r"\s+").sub("", title))
    same = [t for t in texts[cursor: cursor + 400] if m and patterns.compile(r"\s+").sub("", t[0].text).startswith(m.group(0))]
    best = max(same, key=lambda t: fuzz.ratio(t[1], bare), default=None)
    subject = f"line {ln.line} {title}"
    if best is not None and fuzz.ratio(best[1], bare) >= 70:
        return Check("complete.toc", subject, f"目录“{title}”", status="warning", expected_label=title,
                     actual_label=best[0].text.strip(), unit="", evidence_actual=(line_ev(ln, "目录"), line_ev(best[0], "正文标题")),
                     note=f"目录的标题与正文第 {best[0].line} 行的标题“{best[0].text.strip()}”不一致")
    return Check("complete.toc", subject, f"目录“{title}”", status="error", expected_label=title, actual_label="正文无此标题",
                 unit="", evidence_actual=(line_ev(ln, "目录"),), note="目录列出的这一项在正文中找不到")
