"""The words of the report, on any template: template leftovers and placeholders, punctuation,
years and dates, the department's name, the parts of the report and its 目录.

Each rule reads the prose lines (not the table rows) and cites the line it judges, so that a
finding always names the place to look at."""
from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from xinzhou_fiscal.checks.context import AuditContext
from xinzhou_fiscal.checks.findings import Check
from xinzhou_fiscal.checks.registry import rule
from xinzhou_fiscal.checks.textscan import (
    document_rule,
    line_ev,
    mention_line,
    prose_lines,
    report_cache,
    snippet,
    text_facts,
    text_patterns,
)
from xinzhou_fiscal.numbers import DECIMAL
from xinzhou_fiscal.read.source import PART_HEADING, normalize_label
from xinzhou_fiscal.templates.detect import strip_title_prefixes

TEMPLATE = "报告模板（xinzhou_fiscal/templates/wording/text_rules.toml）"


# ---------------------------------------------------------------- placeholders and leftovers
@rule("text.placeholder", "模板占位符（XX、××、某某、XXXX年）未替换；脱敏字样（AK**工程）仅提示", TEMPLATE,
      severity="error (placeholder); info (redaction)")
@document_rule
def placeholder(ctx: AuditContext):
    holders, redactions = text_patterns("placeholders"), text_patterns("redactions")
    marks = set(text_facts()["placeholder_marks"])
    for ln in prose_lines(ctx.report):
        if marks.isdisjoint(ln.text):
            continue
        seen = set()
        for pat in holders:
            for m in pat.finditer(ln.text):
                if m.start() in seen:
                    continue
                seen.add(m.start())
                yield Check("text.placeholder", f"line {ln.line} {m.group(0)}", f"第 {ln.line} 行模板占位符“{m.group(0)}”",
                            status="error", expected_label="实际内容", actual_label=snippet(ln.text, m.start(), m.end()),
                            unit="", evidence_actual=(line_ev(ln, "占位符"),),
                            note="模板的占位符没有替换为实际内容")
        for pat in redactions:
            for m in pat.finditer(ln.text):
                yield Check("text.placeholder", f"line {ln.line} {m.group(0)}", f"第 {ln.line} 行脱敏字样“{m.group(0)}”",
                            status="info", expected_label="", actual_label=m.group(0), unit="",
                            evidence_actual=(line_ev(ln, "脱敏"),), note="有意隐去的名称（脱敏），不是占位符")


def _opposite_re() -> re.Pattern:
    alts = []
    for a, b in text_facts()["opposites"]:
        for x, y in ((a, b), (b, a)):
            alts.append(f"{x}\\s*[（(]\\s*{y}\\s*[)）]|{x}\\s*[/／或]\\s*{y}(?![\u4e00-\u9fff]{{0,1}}[的了])")
    return re.compile("|".join(alts))


@rule("text.leftover", "模板的备选字样未删去（增加（减少）、大于（小于）…：只应保留一个）", TEMPLATE)
@document_rule
def leftover(ctx: AuditContext):
    pat = _opposite_re()
    for ln in prose_lines(ctx.report):
        for m in pat.finditer(ln.text):
            yield Check("text.leftover", f"line {ln.line} {m.group(0)}", f"第 {ln.line} 行“{m.group(0)}”",
                        status="error", expected_label="二者选一", actual_label=snippet(ln.text, m.start(), m.end()),
                        unit="", evidence_actual=(line_ev(ln, "模板备选字样"),),
                        note="模板中的两个相反词都保留了，读者无法知道是增是减")


_RATE_NO_PCT = re.compile(rf"(占比|比重为?|下降|增长|完成[^，。；\d]{{0,12}}的)\s*({DECIMAL})(?![\d.%％万元亿个辆台套人次批倍年月日项])")
_AMOUNT_NO_NUMBER = re.compile(r"(为|决算|预算|支出|收入|合计|总计|金额|费)\s*(万元|元|亿元)")


@rule("text.missing_figure", "比率没有 %（占比63.52）、金额没有数字（支出决算为万元）", TEMPLATE)
@document_rule
def missing_figure(ctx: AuditContext):
    for ln in prose_lines(ctx.report):
        for pat, what, fix in ((_RATE_NO_PCT, "比率缺少 %", "%"), (_AMOUNT_NO_NUMBER, "金额缺少数字", "数字")):
            for m in pat.finditer(ln.text):
                yield Check("text.missing_figure", f"line {ln.line} {m.group(0)}", f"第 {ln.line} 行“{m.group(0)}”",
                            status="error", expected_label=fix, actual_label=snippet(ln.text, m.start(), m.end()),
                            unit="", evidence_actual=(line_ev(ln, what),), note=f"{what}，读者无法知道所说的数")


# ---------------------------------------------------------------- punctuation
_DOUBLED = re.compile(r"(。。|，，|、、|；；|：：|[%％]{2,})")
_PAIRS = (("（(", "）)"), ("“", "”"), ("《", "》"), ("【", "】"))   # full- and half-width brackets pair


_BRACKETS = re.compile(r"[（()）“”《》【】]")


def _unbalanced(text: str) -> str:
    """"" when every bracket, quote and 书名号 of the text is closed in order, else what is wrong."""
    marks = _BRACKETS.findall(text)
    if not marks:
        return ""
    for o, c in _PAIRS:
        depth = 0
        for ch in marks:
            depth += (ch in o) - (ch in c)
            if depth < 0:
                return f"{c[0]} 多于 {o[0]}"
        if depth > 0:
            return f"{o[0]} 多于 {c[0]}"
    return ""


@rule("text.punctuation", "标点：重复的。。，，%% 等；括号、引号、书名号不成对", "GB/T 15834 标点符号用法",
      severity="warning")
@document_rule
def punctuation(ctx: AuditContext):
    lines = prose_lines(ctx.report)
    for i, ln in enumerate(lines):
        for m in _DOUBLED.finditer(ln.text):
            yield Check("text.punctuation", f"line {ln.line} {m.group(0)}", f"第 {ln.line} 行“{m.group(0)}”",
                        status="warning", expected_label=m.group(0)[0], actual_label=snippet(ln.text, m.start(), m.end()),
                        unit="", evidence_actual=(line_ev(ln, "标点"),), note="标点重复")
        bad = _unbalanced(ln.text)
        if not bad:
            continue
        prev = lines[i - 1].text if i and lines[i - 1].line >= ln.line - 2 else ""
        nxt = lines[i + 1].text if i + 1 < len(lines) and lines[i + 1].line <= ln.line + 2 else ""
        if not _unbalanced(prev + ln.text) or not _unbalanced(ln.text + nxt) or not _unbalanced(prev + ln.text + nxt):
            continue      # a bracket opened on one line and closed on the next (a wrapped paragraph)
        yield Check("text.punctuation", f"line {ln.line} {bad}", f"第 {ln.line} 行括号或引号不成对",
                    status="warning", expected_label="成对", actual_label=bad, unit="",
                    evidence_actual=(line_ev(ln, "标点"),), note=f"{bad}")


# ---------------------------------------------------------------- years and dates
_AS_OF = re.compile(r"截至\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR_DU = re.compile(r"((?:19|20)\d{2})\s*年度")
_ANY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_COMPARE = re.compile(r"上年|上一年|相比|较|同比|比\d{4}|增加|减少|增长|下降|持平|以前年度|一次性")
_OTHER_DOC = re.compile(r"预算公开|预算编制|《[^》]*》|规划|计划|以来|至今|以后|此前|起")
_DOC_TITLE = re.compile(r"(?:19|20)\d{2}\s*年度?\s*(?:单位|部门)?\s*(?:预算|决算)\s*(?:公开|表|报告)")


def _year_check(ln, y: int, token: str, kind: str, status: str, year: int, note: str) -> Check:
    return Check("text.years", f"line {ln.line} {token}", f"第 {ln.line} 行{kind}“{token}”", status=status,
                 expected_label=f"{year}年", actual_label=token, unit="", evidence_actual=(line_ev(ln, kind),), note=note)


def _budget_as_of(ln, y: int, token: str, year: int) -> Check:
    """A 截至 date in a budget: a budget is written before its year, so its assets are counted at a
    date of the year before (截至2024年8月31日 in a 2025 budget) — normal; a date of another year
    is a warning, never an error (the rule for final accounts' 12月31日 is about 决算)."""
    ok = y in (year - 1, year)
    return _year_check(ln, y, token, "截至日期", "ok" if ok else "warning", year,
                       "" if ok else f"预算的截至日期通常在 {year - 1} 年（编制预算时），此处为 {y} 年")


@rule("text.years", "标题中的年度、“截至YYYY年12月31日”、“YYYY年度”：是报告年度、同比句的上年，或明说的其他文件",
      "报告年度（封面）；财政部部门决算公开口径", severity="error (heading, 截至 date); warning (other mentions)")
@document_rule
def years(ctx: AuditContext):
    year = ctx.report.year
    for ln in prose_lines(ctx.report):
        text = ln.text
        for m in _AS_OF.finditer(text):
            y, mo, d = (int(g) for g in m.groups())
            if getattr(ctx.report, "kind", "") == "预算":
                yield _budget_as_of(ln, y, m.group(0), year)
                continue
            ok = (y, mo, d) == (year, 12, 31)
            yield _year_check(ln, y, m.group(0), "截至日期", "ok" if ok else "error", year,
                              "" if ok else f"决算的资产数应截至 {year} 年 12 月 31 日")
        heading = bool(PART_HEADING.match(text) or _ORDINAL.match(text.strip())) and len(text.strip()) <= 40 \
            and not re.search(r"[。，；：]", text)
        scan = _ANY_YEAR if heading else _YEAR_DU
        for m in scan.finditer(text):
            y = int(m.group(1))
            if not heading and _DOC_TITLE.match(text, m.start()) or any(a.start() <= m.start() < a.end() for a in _AS_OF.finditer(text)):
                continue         # report titles: text.report_kind_year; dates: above
            if y == year:
                continue
            if heading:
                yield _year_check(ln, y, m.group(0), "标题年度", "error", year, f"标题的年度不是报告年度 {year}")
            elif y == year - 1 and _COMPARE.search(text) or _OTHER_DOC.search(text[max(0, m.start() - 20): m.end() + 20]):
                continue
            else:
                yield _year_check(ln, y, m.group(0), "年度", "warning", year,
                                  f"既不是报告年度 {year}，也不是同比句的上年，又未说明是其他文件")


# ---------------------------------------------------------------- the department's name
def name_problem(name: str, reference: str) -> tuple[str, str] | None:
    """(severity, what) when a printed department name differs from the report's: a placeholder
    or a one/two-character variant is an error; a part missing or added is a warning."""
    if name == reference:
        return None
    if any(p.search(name) for p in text_patterns("placeholders")):
        return "error", "名称中有占位符"
    if name in reference or reference in name:
        return "warning", "名称多出或缺少一部分"
    if Levenshtein.distance(name, reference) <= 2:
        return "error", "名称有错字"
    return "warning", "名称与封面不同"


@rule("names.department", "部门名称在封面、各部分标题、各表表头中一致（缺字、多字、错字、占位符）",
      "报告封面（部门名称）", severity="error (placeholder, wrong character); warning (part of the name)")
@document_rule
def department_name(ctx: AuditContext):
    meta = getattr(ctx.report, "metadata", None)
    if meta is None or not meta.department:
        return
    ref = meta.department
    for m in (x for x in meta.mentions if x["what"] == "department"):
        name = re.sub(r"\s+", "", m["text"])
        ln = mention_line(ctx.report, m)
        ev = (line_ev(ln, m["source"]),) if ln is not None else ()
        bad = name_problem(name, ref)
        subject = f"line {m.get('line')} {m['source']}"
        if bad is None:
            yield Check("names.department", subject, f"{m['source']} 第 {m.get('line')} 行的部门名称", status="ok",
                        expected_label=ref, actual_label=name, unit="", evidence_actual=ev)
        else:
            yield Check("names.department", subject, f"{m['source']} 第 {m.get('line')} 行的部门名称", status=bad[0],
                        expected_label=ref, actual_label=name, unit="", evidence_actual=ev,
                        note=f"{bad[1]}：封面为“{ref}”，此处为“{name}”")


# ---------------------------------------------------------------- parts and 目录
_TOP_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
_SENTENCE_MARK = re.compile(r"[。，；：,;:]")


def _heading_shaped(text: str) -> bool:
    """A line printed as a part heading: ``第X部分 …``; or short (≤ 30 characters) without a
    sentence mark — ``一、名词解释``, ``三、部门预算情况说明``, a bare ``名词解释`` or
    ``2025年单位预算编制说明`` (families that number their parts 一 to 四, or not at all)."""
    t = text.strip()
    return bool(PART_HEADING.match(t)) or (0 < len(t) <= 30 and not _SENTENCE_MARK.search(t))


def part_heads(report) -> list[tuple[object, str]]:
    """Part headings of the body (after the 目录), each with the next line joined when it is short
    (a heading wrapped over two lines): 第X部分 headings first, then the other heading-shaped lines
    (see :func:`_heading_shaped`), so that a 第X部分 heading is preferred as evidence."""
    lines = report.document.lines
    _, body = toc_entries(lines)
    numbered, other = [], []
    for i, ln in enumerate(lines):
        if i < body or not _heading_shaped(ln.text):
            continue
        nxt = lines[i + 1].text if i + 1 < len(lines) and len(lines[i + 1].text.strip()) <= 6 else ""
        (numbered if PART_HEADING.match(ln.text) else other).append((ln, re.sub(r"\s+", "", ln.text + nxt)))
    return numbered + other


def _tables_part(report, part: str, words) -> tuple | None:
    """The part of the tables is present when the report's tables are, whatever its heading says
    (``五、单位预算表`` may be printed only in the 目录): (first table's first line, its title)."""
    if part != "tables" or not report.tables:
        return None
    first = min(report.tables.values(), key=lambda t: t.start_line or 0)
    ln = next((x for x in report.document.lines if x.line == first.start_line), None)
    return (ln, first.title) if ln is not None else None


@rule("complete.parts", "模板的每个部分（概况、决算表、情况说明、名词解释…）都在报告中",
      "报告所属模板（templates/*.toml 的 parts）", severity="error")
@document_rule
def parts(ctx: AuditContext):
    tpl = getattr(ctx.report, "template", None)
    if tpl is None:
        return
    heads = part_heads(ctx.report)
    optional = set(text_facts()["optional_parts"])
    for part, words in tpl.parts.items():
        hit = next(((ln, h) for ln, h in heads if any(w in h for w in words)), None) \
            or _tables_part(ctx.report, part, words)
        if hit is not None:
            yield Check("complete.parts", part, f"“{words[0]}”部分", status="ok", expected_label=words[0],
                        actual_label=hit[1], unit="", evidence_actual=(line_ev(hit[0], part),))
        elif part not in optional:
            yield Check("complete.parts", part, f"“{words[0]}”部分", status="error", expected_label=words[0],
                        actual_label="缺", unit="", note=f"报告中没有“{words[0]}”部分（标题）；模板要求有此部分")


_TOC = re.compile(r"^\s*目\s*录\s*$")
_ORDINAL = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
_TOC_TAIL = re.compile(r"[.．…·\s]*\d*\s*$")


_ENTRY_SHAPED = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]"
                           r"|\d+\s*[.、．])|(?:[.．…·]{2,}|\s)\s*\d+\s*$")


def _toc_page_ended(lines, start: int, j: int) -> bool:
    """In a paged document, the 目录 ends at the first page after its own whose first line is not
    shaped like an entry (an ordinal, a number, or a trailing page number): the body begins there
    even when it prints its headings differently (``上海市财政局（单位）主要职能`` for the entry
    ``一、单位主要职能``)."""
    page, prev = getattr(lines[j], "page", None), getattr(lines[j - 1], "page", None)
    if page is None or prev is None or page == prev or j - 1 < start:
        return False
    return not _ENTRY_SHAPED.search(lines[j].text)


def toc_entries(lines) -> tuple[list[tuple[object, str]], int]:
    """The 目录's entries (line, title without dots and page) and the index of the first body line:
    the 目录 ends where one of its first three entries is printed again."""
    start = next((i for i, ln in enumerate(lines[:80]) if _TOC.match(ln.text)), None)
    if start is None:
        return [], 0
    entries = []
    for j in range(start + 1, len(lines)):
        if _toc_page_ended(lines, start, j):
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
    flat = _NUMBER_BEFORE_YEAR.sub("", _ORDINAL.sub("", re.sub(r"\s+", "", title)))
    return strip_title_prefixes(flat)


#: ``1.2025年…``: a sequence number before a year once the space between them is gone
_NUMBER_BEFORE_YEAR = re.compile(r"^\d{1,2}[.、．](?=(?:19|20)\d{2}年)")


_BRACKETED = re.compile(r"[（(）)]")


def _named_heading(text: str, bare: str, department: str) -> bool:
    """A body heading that prints the department's name before the entry's words, the entry's
    bracketed qualifier left as printed: ``上海市财政局（单位）主要职能`` for the entry ``一、单位主要职能``."""
    if not department or not bare:
        return False
    flat, want = _BRACKETED.sub("", text), _BRACKETED.sub("", bare)
    return flat.endswith(want) and flat[: len(flat) - len(want)] == _BRACKETED.sub("", re.sub(r"\s+", "", department))


_NUMBERED_ENTRY = re.compile(r"^\d+\s*[.、．]")


@rule("complete.toc", "目录中的每一项在正文中都有同名标题", "报告的目录与正文各级标题", severity="error (no such heading); warning (title differs)")
@document_rule
def toc(ctx: AuditContext):
    entries, texts, joined = _toc_body(ctx.report)
    department = getattr(ctx.report, "department", "") or ""
    cursor = 0
    for i, (ln, title) in enumerate(entries):
        bare = _bare(title)
        hit = next((k for k in range(cursor, len(texts)) if texts[k][1] == bare or joined[k][1] == bare
                    or _ORDINAL.match(title) and bare and texts[k][1].endswith(bare) and PART_HEADING.match(texts[k][0].text)
                    or _named_heading(texts[k][1], bare, department)), None)
        subject = f"line {ln.line} {title}"
        if hit is not None:
            cursor = hit + 1
            yield Check("complete.toc", subject, f"目录“{title}”", status="ok", expected_label=title,
                        actual_label=texts[hit][0].text.strip(), unit="", evidence_actual=(line_ev(ln, "目录"),))
            continue
        group = i + 1 < len(entries) and _ORDINAL.match(title) and _NUMBERED_ENTRY.match(entries[i + 1][1])
        yield _toc_miss(ln, title, bare, texts, cursor, group=bool(group))


def _toc_body(report):
    """The 目录's entries, the body's lines without their ordinals, and each joined with the next
    (cached on the report: the document does not change between audits)."""
    cache = report_cache(report)
    if "toc" not in cache:
        lines = report.document.lines
        entries, body = toc_entries(lines)
        texts = [(ln, _bare(ln.text)) for ln in lines[body:] if ln.text.strip()]
        joined = [(ln, t + (texts[k + 1][1] if k + 1 < len(texts) else "")) for k, (ln, t) in enumerate(texts)]
        cache["toc"] = entries, texts, joined
    return cache["toc"]


def _toc_miss(ln, title, bare, texts, cursor, group: bool = False) -> Check:
    """The closest body heading after the cursor with the same ordinal (一、…) when the entry's
    title is not printed: a title that differs (warning) or no such heading (error). A group
    entry (``五、单位预算表`` followed by the numbered tables ``1. …``) that the body does not print
    on its own line is a warning: its tables are the entries that follow, checked one by one."""
    from rapidfuzz import fuzz
    m = _ORDINAL.match(re.sub(r"\s+", "", title))
    same = [t for t in texts[cursor: cursor + 400] if m and re.sub(r"\s+", "", t[0].text).startswith(m.group(0))]
    best = max(same, key=lambda t: fuzz.ratio(t[1], bare), default=None)
    subject = f"line {ln.line} {title}"
    if best is not None and fuzz.ratio(best[1], bare) >= 70:
        return Check("complete.toc", subject, f"目录“{title}”", status="warning", expected_label=title,
                     actual_label=best[0].text.strip(), unit="", evidence_actual=(line_ev(ln, "目录"), line_ev(best[0], "正文标题")),
                     note=f"目录的标题与正文第 {best[0].line} 行的标题“{best[0].text.strip()}”不一致")
    if group:
        return Check("complete.toc", subject, f"目录“{title}”", status="warning", expected_label=title,
                     actual_label="正文无此分组标题", unit="", evidence_actual=(line_ev(ln, "目录"),),
                     note="目录的分组标题在正文中没有单独印出；其下各表逐项核对")
    return Check("complete.toc", subject, f"目录“{title}”", status="error", expected_label=title, actual_label="正文无此标题",
                 unit="", evidence_actual=(line_ev(ln, "目录"),), note="目录列出的这一项在正文中找不到")
