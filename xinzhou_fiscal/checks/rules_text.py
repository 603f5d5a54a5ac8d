"""The words of the report, on any template: template leftovers and placeholders, punctuation,
years and dates, the department's name, the parts of the report and its 目录.

Each rule reads the prose lines (not the table rows) and cites the line it judges, so that a
finding always names the place to look at."""
from __future__ import annotations

import re
from functools import lru_cache

from xinzhou_fiscal import patterns
from xinzhou_fiscal.checks.context import AuditContext
from xinzhou_fiscal.checks.findings import Check
from xinzhou_fiscal.checks.registry import rule
from xinzhou_fiscal.checks.rules_completeness import ORDINAL as _ORDINAL
from xinzhou_fiscal.checks.textscan import (
    document_rule,
    line_ev,
    mention_line,
    prose_spans,
    snippet,
    span_ev,
    text_facts,
    text_patterns,
)
from xinzhou_fiscal.numbers import DECIMAL, LazyPattern
from xinzhou_fiscal.read.source import PART_HEADING

TEMPLATE = "报告模板（xinzhou_fiscal/templates/wording/text_rules.toml）"


# ---------------------------------------------------------------- placeholders and leftovers
@rule("text.placeholder", "模板占位符（XX、××、某某、XXXX年）未替换；脱敏字样（AK**工程）仅提示", TEMPLATE,
      severity="error (placeholder); info (redaction)")
@document_rule
def placeholder(ctx: AuditContext):
    holders, redactions = text_patterns("placeholders"), text_patterns("redactions")
    marks = set(text_facts()["placeholder_marks"])
    for sp in prose_spans(ctx.report):
        if marks.isdisjoint(sp.text):
            continue
        seen = set()
        for pat in holders:
            for m in pat.finditer(sp.text):
                if m.start() in seen:
                    continue
                seen.add(m.start())
                ln = sp.line_at(m.start())
                yield Check("text.placeholder", f"line {ln.line} {m.group(0)}", f"第 {ln.line} 行模板占位符“{m.group(0)}”",
                            status="error", expected_label="实际内容", actual_label=snippet(sp.text, m.start(), m.end()),
                            unit="", evidence_actual=span_ev(sp, m.start(), m.end(), "占位符"),
                            note="模板的占位符没有替换为实际内容")
        for pat in redactions:
            for m in pat.finditer(sp.text):
                ln = sp.line_at(m.start())
                yield Check("text.placeholder", f"line {ln.line} {m.group(0)}", f"第 {ln.line} 行脱敏字样“{m.group(0)}”",
                            status="info", expected_label="", actual_label=m.group(0), unit="",
                            evidence_actual=span_ev(sp, m.start(), m.end(), "脱敏"), note="有意隐去的名称（脱敏），不是占位符")


#: after “增加/减少”: not a leftover when a word follows (“增加/减少的”, “增加或减少了”)
_NOT_LEFTOVER_AFTER = "(?![\u4e00-\u9fff]{0,1}[的了])"


@lru_cache(maxsize=None)
def _opposite_re() -> re.Pattern:
    """Both spellings of every pair of opposites — “增加（减少）” and “增加/减少” (not followed by
    :data:`_NOT_LEFTOVER_AFTER`) — in one pattern, compiled once. When no word of the pairs begins
    another, a bracketed and a slashed spelling never match at the same place, so all the bracketed
    ones come first and the slashed ones share one lookahead (compiling the CJK class once, not per
    pair: ~10 ms less per process); otherwise they alternate pair by pair."""
    pairs = [(x, y) for a, b in text_facts()["opposites"] for x, y in ((a, b), (b, a))]
    bracketed = [f"{x}\\s*[（(]\\s*{y}\\s*[)）]" for x, y in pairs]
    slashed = [f"{x}\\s*[/／或]\\s*{y}" for x, y in pairs]
    words = {w for pair in pairs for w in pair}
    if any(v != w and v.startswith(w) for v in words for w in words):
        return patterns.compile("|".join(f"{b}|{s}{_NOT_LEFTOVER_AFTER}" for b, s in zip(bracketed, slashed)))
    return patterns.compile("|".join(bracketed) + f"|(?:{'|'.join(slashed)}){_NOT_LEFTOVER_AFTER}")


@rule("text.leftover", "模板的备选字样未删去（增加（减少）、大于（小于）…：只应保留一个）", TEMPLATE)
@document_rule
def leftover(ctx: AuditContext):
    pat = _opposite_re()
    for sp in prose_spans(ctx.report):
        for m in pat.finditer(sp.text):
            ln = sp.line_at(m.start())
            yield Check("text.leftover", f"line {ln.line} {m.group(0)}", f"第 {ln.line} 行“{m.group(0)}”",
                        status="error", expected_label="二者选一", actual_label=snippet(sp.text, m.start(), m.end()),
                        unit="", evidence_actual=span_ev(sp, m.start(), m.end(), "模板备选字样"),
                        note="模板中的两个相反词都保留了，读者无法知道是增是减")


_RATE_NO_PCT = patterns.compile(rf"(占比|比重为?|下降|增长|完成[^，。；\d]{{0,12}}的)\s*({DECIMAL})(?![\d.%％万元亿个辆台套人次批倍年月日项])")
_AMOUNT_NO_NUMBER = patterns.compile(r"(为|决算|预算|支出|收入|合计|总计|金额|费)\s*(万元|元|亿元)")


@rule("text.missing_figure", "比率没有 %（占比63.52）、金额没有数字（支出决算为万元）", TEMPLATE)
@document_rule
def missing_figure(ctx: AuditContext):
    for sp in prose_spans(ctx.report):
        for pat, what, fix in ((_RATE_NO_PCT, "比率缺少 %", "%"), (_AMOUNT_NO_NUMBER, "金额缺少数字", "数字")):
            for m in pat.finditer(sp.text):
                ln = sp.line_at(m.start())
                # the figure's end is read up to the next character, which may be the next line's
                said = snippet(sp.text, m.start(), m.end())
                yield Check("text.missing_figure", f"line {ln.line} {m.group(0)}", f"第 {ln.line} 行“{m.group(0)}”",
                            status="error", expected_label=fix, actual_label=said,
                            unit="", evidence_actual=span_ev(sp, m.start(), m.end() + 1, what),
                            note=f"{what}（“{said}”），读者无法知道所说的是哪个数")


# ---------------------------------------------------------------- punctuation
_DOUBLED = patterns.compile(r"(。。|，，|、、|；；|：：|[%％]{2,})")
_PAIRS = (("（(", "）)"), ("“", "”"), ("《", "》"), ("【", "】"))   # full- and half-width brackets pair


_BRACKETS = patterns.compile(r"[（()）“”《》【】]")


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
    spans = prose_spans(ctx.report)
    for i, sp in enumerate(spans):
        for m in _DOUBLED.finditer(sp.text):
            ln = sp.line_at(m.start())
            yield Check("text.punctuation", f"line {ln.line} {m.group(0)}", f"第 {ln.line} 行“{m.group(0)}”",
                        status="warning", expected_label=m.group(0)[0], actual_label=snippet(sp.text, m.start(), m.end()),
                        unit="", evidence_actual=span_ev(sp, m.start(), m.end(), "标点"), note="标点重复")
        bad = _unbalanced(sp.text)
        if not bad:
            continue
        ln = sp.line
        prev = spans[i - 1].text if i and spans[i - 1].lines[-1].line >= ln.line - 2 else ""
        nxt = spans[i + 1].text if i + 1 < len(spans) and spans[i + 1].line.line <= sp.lines[-1].line + 2 else ""
        if not _unbalanced(prev + sp.text) or not _unbalanced(sp.text + nxt) or not _unbalanced(prev + sp.text + nxt):
            continue      # a bracket opened in one span and closed in the next (a break the reflow kept)
        yield Check("text.punctuation", f"line {ln.line} {bad}", f"第 {ln.line} 行括号或引号不成对",
                    status="warning", expected_label="成对", actual_label=bad, unit="",
                    evidence_actual=span_ev(sp, 0, len(sp.text), "标点"), note=f"{bad}")


# ---------------------------------------------------------------- years and dates
_AS_OF = patterns.compile(r"截至\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR_DU = patterns.compile(r"((?:19|20)\d{2})\s*年度")
_ANY_YEAR = patterns.compile(r"((?:19|20)\d{2})\s*年")
_COMPARE = LazyPattern(r"上年|上一年|相比|较|同比|比\d{4}|增加|减少|增长|下降|持平|以前年度|一次性")
_OTHER_DOC = LazyPattern(r"预算公开|预算编制|《[^》]*》|规划|计划|以来|至今|以后|此前|起")
_DOC_TITLE = patterns.compile(r"(?:19|20)\d{2}\s*年度?\s*(?:单位|部门)?\s*(?:预算|决算)\s*(?:公开|表|报告)")


def _year_check(sp, m, kind: str, status: str, year: int, note: str) -> Check:
    ln, token = sp.line_at(m.start()), m.group(0)
    return Check("text.years", f"line {ln.line} {token}", f"第 {ln.line} 行{kind}“{token}”", status=status,
                 expected_label=f"{year}年", actual_label=token, unit="",
                 evidence_actual=span_ev(sp, m.start(), m.end(), kind), note=note)


def _budget_as_of(sp, m, y: int, year: int) -> Check:
    """A 截至 date in a budget: a budget is written before its year, so its assets are counted at a
    date of the year before (截至2024年8月31日 in a 2025 budget) — normal; a date of another year
    is a warning, never an error (the rule for final accounts' 12月31日 is about 决算)."""
    ok = y in (year - 1, year)
    return _year_check(sp, m, "截至日期", "ok" if ok else "warning", year,
                       "" if ok else f"预算的截至日期通常在 {year - 1} 年（编制预算时），此处为 {y} 年")


@rule("text.years", "标题中的年度、“截至YYYY年12月31日”、“YYYY年度”：是报告年度、同比句的上年，或明说的其他文件",
      "报告年度（封面）；财政部部门决算公开口径", severity="error (heading, 截至 date); warning (other mentions)")
@document_rule
def years(ctx: AuditContext):
    year = ctx.report.year
    for sp in prose_spans(ctx.report):
        text = sp.text
        for m in _AS_OF.finditer(text):
            y, mo, d = (int(g) for g in m.groups())
            if getattr(ctx.report, "kind", "") == "预算":
                yield _budget_as_of(sp, m, y, year)
                continue
            ok = (y, mo, d) == (year, 12, 31)
            yield _year_check(sp, m, "截至日期", "ok" if ok else "error", year,
                              "" if ok else f"决算的资产数应截至 {year} 年 12 月 31 日")
        heading = bool(PART_HEADING.match(text) or _ORDINAL.match(text.strip())) and len(text.strip()) <= 40 \
            and not patterns.compile(r"[。，；：]").search(text)
        scan = _ANY_YEAR if heading else _YEAR_DU
        for m in scan.finditer(text):
            y = int(m.group(1))
            if not heading and _DOC_TITLE.match(text, m.start()) or any(a.start() <= m.start() < a.end() for a in _AS_OF.finditer(text)):
                continue         # report titles: text.report_kind_year; dates: above
            if y == year:
                continue
            if heading:
                yield _year_check(sp, m, "标题年度", "error", year, f"标题的年度不是报告年度 {year}")
            elif y == year - 1 and _COMPARE.search(text) or _OTHER_DOC.search(text[max(0, m.start() - 20): m.end() + 20]):
                continue
            else:
                yield _year_check(sp, m, "年度", "warning", year,
                                  f"既不是报告年度 {year}，也不是同比句的上年，又未说明是其他文件")


# ---------------------------------------------------------------- the department's name
def name_problem(name: str, reference: str) -> tuple[str, str] | None:
    """(severity, what) when a printed department name differs from the report's: a placeholder
    or a one/two-character variant is an error; a part missing or added is a warning."""
    if name == reference:
        return None
    if any(p.search(name) for p in text_patterns("placeholders")):
        return "error", "名称中有占位符"
    lost = _lost_division(name, reference)
    if lost:
        return "error", f"名称缺少“{lost}”，成了上级行政区同名部门的名称"
    if name in reference or reference in name:
        return "warning", "名称多出或缺少一部分"
    from rapidfuzz.distance import Levenshtein  # here: only a name that differs (rapidfuzz costs 4.6 MiB)
    if Levenshtein.distance(name, reference) <= 2:
        return "error", "名称有错字"
    return "warning", "名称与封面不同"


_DIVISION = LazyPattern(r"[\u4e00-\u9fff]{1,7}?(?:自治区|自治州|自治县|省|市|区|县|旗|州|盟)")


def _lost_division(name: str, reference: str) -> str:
    """The lower administrative division (普陀区 of 上海市普陀区财政局) that a printed name drops
    while keeping the higher one before it (上海市财政局): "" if it drops none. Dropping the higher
    one (普陀区财政局) is a short form, not another department."""
    units, pos = [], 0
    while (m := _DIVISION.match(reference, pos)) is not None:
        units.append(m.group(0))
        pos = m.end()
    for k in range(1, len(units)):
        start = sum(len(u) for u in units[:k])
        if name == reference[:start] + reference[start + len(units[k]):]:
            return units[k]
    return ""


@rule("names.department", "部门名称在封面、各部分标题、各表表头中一致（缺字、多字、错字、占位符）",
      "报告封面（部门名称）", severity="error (placeholder, wrong character); warning (part of the name)")
@document_rule
def department_name(ctx: AuditContext):
    meta = getattr(ctx.report, "metadata", None)
    if meta is None or not meta.department:
        return
    ref = meta.department
    for m in (x for x in meta.mentions if x["what"] == "department"):
        name = patterns.compile(r"\s+").sub("", m["text"])
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
