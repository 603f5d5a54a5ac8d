"""Narrative statements as data: every figure of the 情况说明 (and of the 概况), one row each.

Source: the report's part headed ``第X部分 …情况…`` (Xinzhou: 第三部分 情况说明; Shanghai:
第三部分 …年度部门决算情况说明) and the part headed ``…概况``. Amounts are in 万元 as printed;
shares and rates in % as printed; counts in their own unit (个, 辆, 批次, 人次, 台套, 人, …).

How a sentence becomes claims (rules, not per-report cases):

* Lines are joined into paragraphs: a line that does not end with 。；：!? continues on the next
  non-blank line (PDF line wraps, and the text extraction's blank lines inside a sentence).
  Headings (一、 / （一） / 1、 followed by a short title) set ``section`` / ``subsection`` /
  ``topic`` and start a new paragraph.
* A paragraph is split into sentences at 。；!? and sentences into clauses at ，：、.
* Every number token (``2,795.38``, ``0.21``, ``18``) is either a claim, an ignored token (a year
  ``2023年``, a date ``12月31日``, a list ordinal ``1、`` / ``（1）``, a threshold ``单价100万元以上``),
  or a :class:`ParseProblem` (stage ``narrative``) naming its line: nothing is dropped silently.
* A claim's ``unit`` is the word printed right after the number. Its ``metric`` comes from the
  words right before it: 减少/下降 and 增加/增长 give a year-on-year change (同比增减额 for 万元,
  同比增减率 for %), 占…的 / 占比 a share (占比, with its ``basis``), 完成…预算的 a completion
  rate (完成率), 年初预算 / 全年预算 / 决算 those amounts; otherwise an amount is a 决算数 and a
  count takes its unit as metric (个, 辆, 批次, 人次, 台套, …).
* The ``subject`` is what remains before the metric words, cleaned of fillers (其中, 我单位,
  2023年度, 与上年相比, list ordinals, and the list before 等), of the classification level
  ``(类)`` (kept in ``category_level``) and of the word 决算; a few printed variants are
  canonicalised (``…费支出`` → ``…费``, ``…支出总额`` → ``…``, “三公”经费财政拨款支出 → 三公经费).
  ``label`` keeps the subject as printed. A clause with no subject of its own (``下降25.56%``,
  ``支出决算2,792.45万元``) takes the subject of the previous figure of the paragraph.
* ``direction`` is 增加 / 减少 / 持平 for changes (the value stays positive as printed;
  ``signed_value`` carries the sign). A sentence saying the figure is the same as last year
  (与上年相同, 与2023年度持平) becomes a change of 0 with ``implied`` True.
* ``parent`` is the figure a list belongs to (…合计X万元，其中：…; …主要包括…), and is the
  ``basis`` of a share printed without one (占比87.97%).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

import pandas as pd

from .document.furniture import PAGE_NUMBER
from .frames import records_frame
from .problems import ParseProblem
from .source import Line, SourceDocument

# --------------------------------------------------------------------------------------------
# Parts of the report (第X部分)

_PART = re.compile(r"^\s*第([一二三四五六七八九十]+)部分\s*(.*)$")


@dataclass(frozen=True)
class Part:
    """One part of the report: its kind, heading and body lines (the heading excluded)."""

    kind: str          # "overview", "tables", "narrative", "glossary", "annex", "other"
    heading: str
    heading_line: Line
    lines: tuple[Line, ...]


def _part_kind(title: str) -> str:
    t = re.sub(r"\s+", "", title)
    if "名词解释" in t:
        return "glossary"
    if "附件" in t or "绩效" in t:
        return "annex"
    if "概况" in t:
        return "overview"
    if "情况" in t or "说明" in t:
        return "narrative"
    if "决算表" in t or "报表" in t:
        return "tables"
    return "other"


def find_parts(doc: SourceDocument) -> dict[str, Part]:
    """The parts of the report by kind. A part runs from its 第X部分 heading to the next one.

    The table of contents repeats the headings; of several parts of one kind the one with the
    most text is the real one (a TOC entry only spans a few short lines)."""
    lines = doc.lines
    heads = [i for i, ln in enumerate(lines) if _PART.match(ln.text)]
    best: dict[str, tuple[int, Part]] = {}
    for k, i in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else len(lines)
        body = tuple(lines[i + 1:end])
        title = lines[i].text.split("\t")[0]
        title = re.sub(r"(\.{2,}|…+).*$", "", title).strip()
        kind = _part_kind(_PART.match(title).group(2) if _PART.match(title) else title)
        size = sum(len(ln.text) for ln in body)
        if kind not in best or size > best[kind][0]:
            best[kind] = (size, Part(kind, re.sub(r"\s+", " ", title), lines[i], body))
    return {kind: part for kind, (_, part) in best.items()}


# --------------------------------------------------------------------------------------------
# Text normalisation and paragraphs

_FULLWIDTH = str.maketrans("０１２３４５６７８９％．", "0123456789%.")
_SPACES = re.compile(r"\s+(?![0-9A-Za-z])|(?<![0-9A-Za-z])\s+")
_BULLET = re.compile(r"^[-•·*]\s+")


def squash(text: str) -> str:
    """The line without the spaces that extraction puts inside Chinese text (``与 2023 年度`` →
    ``与2023年度``); a space between two digits or letters is kept (it separates two tokens)."""
    text = _BULLET.sub("", text.strip().translate(_FULLWIDTH))
    return _SPACES.sub("", text)


_H1 = re.compile(r"^([一二三四五六七八九十]+)\s*[、.．]")
_H2 = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[)）]")
_H3 = re.compile(r"^(\d{1,2})\s*[、.．](?!\d)")
_ITEM_START = re.compile(r"^(\d{1,2}\s*[、.．](?!\d)|[（(]\s*[一二三四五六七八九十\d]+\s*[)）])")
_TERMINAL = re.compile(r"[。；;！!？?：:][)）”’\"]*$")
_SENTENCE_END = "。；;！!？?"
_CLAUSE_SEP = "，,：:、"

_NUM = re.compile(r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_UNIT = re.compile(
    r"万元|亿元|千元|元|个百分点|百分点|%|个|辆车?|批次|人次|台[（(]套[)）]|台套|台|套|人|名|次|件|项|家|户|分|天|公里|平方米")


def _unit_kind(unit: str) -> str:
    if unit in ("万元", "亿元", "千元", "元"):
        return "money"
    if unit in ("%", "个百分点", "百分点"):
        return "pct"
    if unit == "分":
        return "score"
    return "count"


def _norm_unit(unit: str) -> str:
    if unit.startswith("台") and len(unit) > 1:
        return "台套"
    if unit == "辆车":
        return "辆"
    return unit


def _heading_level(s: str) -> int:
    """1, 2 or 3 for a heading line (一、… / （一）… / 1、… with a short title), else 0."""
    for level, rx in ((1, _H1), (2, _H2), (3, _H3)):
        m = rx.match(s)
        if not m:
            continue
        rest = s[m.end():].rstrip("。")
        if len(rest) > 40 or re.search(r"[，,；;。]", rest):
            return 0
        for t in _NUM.finditer(rest):
            if _UNIT.match(rest, t.end()):
                return 0
        return level
    return 0


@dataclass
class _Paragraph:
    text: str
    starts: list[int]          # offset in text where each source line begins
    lines: list[Line]

    def line_at(self, pos: int) -> Line:
        return self.lines[bisect_right(self.starts, pos) - 1]


@dataclass
class _Heading:
    level: int
    text: str
    line: Line


@dataclass
class _TableRow:
    """A tab-separated line inside a narrative part: a small table (e.g. the units of the 概况),
    not a sentence. Its numbers are recorded as ignored tokens (reason "table")."""

    line: Line


def _blocks(lines) -> list:
    """Headings and paragraphs of a part body, in order."""
    out: list = []
    cur: list[tuple[Line, str]] = []

    def flush():
        if cur:
            text, starts = "", []
            for ln, s in cur:
                if text and text[-1].isalnum() and s[0].isalnum() and text[-1].isascii() and s[0].isascii():
                    text += " "
                starts.append(len(text))
                text += s
            out.append(_Paragraph(text, starts, [ln for ln, _ in cur]))
            cur.clear()

    for ln in lines:
        if "\t" in ln.text and ln.text.strip():
            flush()
            out.append(_TableRow(ln))
            continue
        if PAGE_NUMBER.match(ln.text):
            continue                    # a page number (PDF page furniture) never joins a paragraph
        s = squash(ln.text)
        if not s:
            continue
        level = _heading_level(s)
        if level:
            flush()
            out.append(_Heading(level, s, ln))
            continue
        if cur and not _ITEM_START.match(s) and not _TERMINAL.search(cur[-1][1]):
            cur.append((ln, s))
        else:
            flush()
            cur.append((ln, s))
    flush()
    return out


# --------------------------------------------------------------------------------------------
# Interpreting one figure

_ORDINAL_PREFIX = re.compile(r"^(\d{1,2}[、.．](?!\d)|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")
_COMPARE = re.compile(r"(与|较|比|同比)(上一?年度?|上年同期|(\d{4})年度?)(相比较?|同期|决算数?)?")
_YOY_CONTEXT = re.compile(r"(与|较|比)(上一?年度?|\d{4}年度?)(相比|同期)?|同比")
_FILLERS = re.compile(
    r"^(其中|主要包括|主要用于|包括|以及|我单位|本单位|我部门|本部门(?:[（(]单位[)）])?|本年度|全年|"
    r"共有|共计|共|合计为|使用财政拨款负担的|使用财政拨款|根据决算报表数据显示)")
_TRAILING = re.compile(r"(为|共|共计|共有|达|约|是|达到|的)$")
_YEAR_IN_TEXT = re.compile(r"(19|20)\d{2}年度?")
_ORG_END = re.compile(r"(局|室|会|院|中心|部|委|厅|所|站|队|馆|校|社|处|办|机关|单位|[)）])$")
_LEVEL = re.compile(r"[（(](类|款|项)[)）]")
_QUOTES = re.compile(r"[“”‘’\"'「」]")
_COUNT_VERBS = ("接待", "购置", "组织", "开展", "举办", "派出", "安排", "发生", "参加")
_GRADE = re.compile(r"(?:等级|评级|评价|评定)为?[“\"]?(优秀|优|良好|良|中|差|合格|不合格)[”\"]?")
_OPENER = re.compile(r"其中|主要包括|主要用于以下|具体包括|分别为")
_UNCHANGED = re.compile(
    r"(?:(与|较|比)(上一?年度?|\d{4}年度?)(相比)?)?(?:基本)?(相同|持平|一致|无变化|没有变化|未发生变化)")

_METRICS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"(?:共计)?(减少|下降|降低|减|增加|增长|上升|提高|增)了?$"), "change"),
    (re.compile(r"占(?:比|比重|比例)?(?:为)?$"), "share"),
    (re.compile(r"占(.+?)的?(?:比重|比例)?(?:为)?$"), "share_of"),
    (re.compile(r"完成(.*?预算(?:数)?)的?(?:比例)?(?:为)?$"), "completion"),
    (re.compile(r"(?:预算)?完成率(?:为|达)?$"), "completion_plain"),
    (re.compile(r"年初预算(?:数)?(?:为)?$"), "年初预算"),
    (re.compile(r"(?:全年预算|调整后预算|调整预算)(?:数)?(?:为)?$"), "全年预算"),
    (re.compile(r"(?:支出)?决算(?:数)?(?:为)?$"), "决算数"),
    (re.compile(r"涉及(?:资金|预算金额|金额)(?:为)?$"), "涉及资金"),
    (re.compile(r"平均得分(?:为)?$"), "平均得分"),
]
_DOWN = ("减少", "下降", "降低", "减")

# printed variants of one subject → the canonical subject
_CANONICAL: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^.*(?:绩效自评(?:的)?(?:二级)?项目|项目绩效自评)(?:个数|数量|数)?$"), "项目绩效自评"),
    (re.compile(r"(?<=费)(?:财政拨款)?支出$"), ""),
    (re.compile(r"购置支出$"), "购置费"),
    (re.compile(r"(?<=.)(?:支出总额|总额)$"), ""),
    (re.compile(r"(?<=.)(?:个数)$"), ""),
    (re.compile(r"[（(]以[^）)]*为准[)）]"), ""),        # 政府采购金额（以合同签订为准）
]


def _to_fullwidth_brackets(s: str) -> str:
    return s.replace("(", "（").replace(")", "）")


def _clean_label(text: str) -> tuple[str, str]:
    """(label, category_level) from the words before a figure, metric words already removed."""
    s = _QUOTES.sub("", text)
    s = _ORDINAL_PREFIX.sub("", s)
    # a year: cut what stands before it when that is an organisation name (…局2024年度收入…),
    # otherwise drop the year alone
    while True:
        m = _YEAR_IN_TEXT.search(s)
        if not m:
            break
        before = s[:m.start()]
        s = s[m.end():] if (not before or _ORG_END.search(before) or _FILLERS.fullmatch(before)) \
            else before + s[m.end():]
    prev = None
    while prev != s:
        prev = s
        s = _FILLERS.sub("", s)
        s = s.lstrip("，,、：:")
    if "等" in s and s.split("等")[-1]:
        s = s.split("等")[-1]
    # …局共有车辆 → 车辆: what stands before 共有/共计 is the owner
    m = re.search(r"共有|共计", s)
    if m and s[m.end():]:
        s = s[m.end():]
    s = _TRAILING.sub("", s)
    level = ""
    levels = list(_LEVEL.finditer(s))
    if levels:
        last = levels[-1]
        level = f"({last.group(1)})"
        start = levels[-2].end() if len(levels) > 1 else 0
        s = s[start:last.start()] + s[last.end():]
    return _to_fullwidth_brackets(s.strip()), level


def canonical_subject(label: str) -> str:
    """The canonical subject of a printed label (决算 removed, ``…费支出`` → ``…费``, …)."""
    s = label.replace("决算", "")
    for rx, repl in _CANONICAL:
        s = rx.sub(repl, s)
    return s


@dataclass
class _Ctx:
    part: str = ""
    section: str = ""
    subsection: str = ""
    topic: str = ""
    last: dict | None = None          # subject fields of the previous figure (any unit)
    last_amount: dict | None = None   # … of the previous amount (万元)
    last_level: dict | None = None    # … of the previous level (an amount or a count, not a rate)
    units: dict = field(default_factory=dict)  # subject → units of its levels under this heading
    list_parent: str = ""     # subject whose list ("…：" ending a paragraph) runs over the next paragraphs
    # lists opened inside the paragraph (其中…, 主要包括…), innermost last:
    # [parent subject, punctuation that ends it, whether it runs past a ；]
    inline: list = field(default_factory=list)
    yoy: bool = False
    compare_year: int | None = None   # 与2023年度相比 said earlier in the paragraph
    sentence_subjects: list = field(default_factory=list)  # subjects named so far in the sentence

    def reset_subject(self):
        self.last = self.last_amount = self.last_level = None
        self.units = {}
        self.list_parent = ""
        self.inline = []
        self.yoy = False


@dataclass
class NarrativeScan:
    """Everything the narrative pass found: the claims, the problems, and the number tokens it
    deliberately ignored (with the reason), so a test can check that every token is accounted for."""

    claims: pd.DataFrame
    problems: list[ParseProblem]
    ignored: pd.DataFrame


CLAIM_COLUMNS = ["part", "section", "subsection", "topic", "subject", "label", "qualifier", "parent",
                 "category_level", "metric", "value", "unit", "direction", "signed_value", "basis",
                 "compare_year", "implied", "value_text", "sentence", "paragraph", "line", "page"]
IGNORED_COLUMNS = ["text", "reason", "line", "page", "sentence"]


def _ignore_reason(text: str, start: int, end: int, tok: str, line_start: bool) -> str | None:
    nxt = text[end:end + 1]
    prev = text[start - 1:start] if start else ""
    if re.fullmatch(r"(19|20)\d{2}", tok) and nxt == "年":
        return "year"
    if nxt == "月" and tok.isdigit() and 1 <= int(tok) <= 12:
        return "date"
    if nxt == "日" and prev == "月":
        return "date"
    if (start == 0 or line_start) and re.match(r"\s*[、.．](?!\d)", text[end:]):
        return "ordinal"
    if prev in "（(" and nxt in "）)":
        return "ordinal"
    if prev == "第":
        return "ordinal"
    u = _UNIT.match(text, end)
    if u and text[max(0, start - 3):start].endswith(("单价", "单价为")) and \
            re.match(r"[（(]?含?[)）]?以[上下]", text[u.end():]):
        return "threshold"
    return None


def _spans(text: str, seps: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split ``text`` at any char of ``seps`` outside the protected (number) spans; the
    separator stays with the span it ends."""
    inside = set()
    for a, b in protected:
        inside.update(range(a, b))
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in seps and i not in inside:
            out.append((start, i + 1))
            start = i + 1
    if start < len(text):
        out.append((start, len(text)))
    return out


def _scan_part(part: Part, rows: list[dict], ignored: list[dict],
               problems: list[ParseProblem], para_counter: list[int]) -> None:
    ctx = _Ctx(part=part.heading)
    _scan_heading(_Heading(0, squash(part.heading_line.text), part.heading_line), ignored, problems)
    for block in _blocks(part.lines):
        if isinstance(block, _TableRow):
            for m in _NUM.finditer(block.line.text):
                ignored.append({"text": m.group(0), "reason": "table", "line": block.line.line,
                                "page": block.line.page, "sentence": block.line.text})
            continue
        if isinstance(block, _Heading):
            _scan_heading(block, ignored, problems)
            if block.level == 1:
                ctx.section, ctx.subsection, ctx.topic = block.text, "", ""
            elif block.level == 2:
                ctx.subsection, ctx.topic = block.text, ""
            else:
                ctx.topic = block.text
            ctx.reset_subject()
            continue
        para_counter[0] += 1
        _scan_paragraph(block, ctx, para_counter[0], rows, ignored, problems)
        # a list announced by "…：" runs over the following paragraphs while they end with ；/：
        # or are numbered items (1、… 2、…)
        end = block.text.rstrip(")）”’\"")[-1:]
        if end in "：:":
            ctx.list_parent = ctx.last_level["subject"] if ctx.last_level else ""
        elif end not in "；;" and not _ITEM_START.match(block.text):
            ctx.list_parent = ""


def _scan_heading(h: _Heading, ignored: list[dict], problems: list[ParseProblem]) -> None:
    """A heading's numbers are its ordinal (1、) or a year; anything else is recorded as a problem."""
    for m in _NUM.finditer(h.text):
        reason = _ignore_reason(h.text, m.start(), m.end(), m.group(0), False)
        if reason:
            ignored.append({"text": m.group(0), "reason": reason, "line": h.line.line, "page": h.line.page,
                            "sentence": h.text})
        else:
            problems.append(ParseProblem("narrative", f"number {m.group(0)} in a heading: not a figure the "
                                         "parser reads", line=h.line.line, page=h.line.page, text=h.text))


def _scan_paragraph(para: _Paragraph, ctx: _Ctx, pno: int, rows: list[dict], ignored: list[dict],
                    problems: list[ParseProblem]) -> None:
    text = para.text
    toks = [m for m in _NUM.finditer(text)]
    spans = [(m.start(), m.end()) for m in toks]
    line_starts = set(para.starts)
    reasons = {m.start(): _ignore_reason(text, m.start(), m.end(), m.group(0), m.start() in line_starts)
               for m in toks}
    if "\ufffd" in text:
        pos = text.index("\ufffd")
        ln = para.line_at(pos)
        problems.append(ParseProblem("narrative", "broken character (U+FFFD) in the sentence: the text "
                                     "is damaged or cut off here; figures after it may be missing",
                                     line=ln.line, page=ln.page, text=text[max(0, pos - 40):pos + 1]))
    ctx.yoy, ctx.compare_year = False, None
    where = {"part": ctx.part, "section": ctx.section, "subsection": ctx.subsection, "topic": ctx.topic,
             "paragraph": pno}
    for s0, s1 in _spans(text, _SENTENCE_END, spans):
        sentence = text[s0:s1]
        if not sentence.strip():
            continue
        stoks = [m for m in toks if s0 <= m.start() < s1]
        ctx.sentence_subjects = []
        # a sentence without figures that names a 类/款/项 chain sets the subject of what follows
        if all(reasons[m.start()] for m in stoks):
            m = re.match(r"^(?:\d{1,2}[、.．])?(.+?[（(](?:类|款|项)[)）])+", sentence)
            if m:
                ctx.last = dict(_subject_fields(*_clean_label(m.group(0))), unit="万元")
        for c0, c1 in _spans(sentence, _CLAUSE_SEP, [(a - s0, b - s0) for a, b in spans if s0 <= a < s1]):
            c0 += s0
            c1 += s0
            clause = text[c0:c1]
            ctoks = [m for m in stoks if c0 <= m.start() < c1]
            if _YOY_CONTEXT.search(clause):
                ctx.yoy = True
                cm = _COMPARE.search(clause)
                if cm:
                    ctx.compare_year = int(cm.group(3)) if cm.group(3) else None
            figures = [m for m in ctoks if not reasons[m.start()]]
            op = _OPENER.search(clause)
            if op and ctx.last_level and (not figures or op.start() < figures[0].start() - c0):
                # "其中：" and 主要包括 lists run to the end of the sentence (主要包括 past a ；
                # only once it has listed a figure: a list of names ends at the next ；);
                # "其中X" without a colon covers one item, up to the next ；
                colon = clause[op.end():op.end() + 1] in "：:" or op.group(0) != "其中"
                ctx.inline.append([ctx.last_level["subject"], "。！!？?" if colon else "；;。！!？?",
                                   op.group(0) == "其中"])
            pos = c0
            for k, m in enumerate(ctoks):
                tok = m.group(0)
                ln = para.line_at(m.start())
                reason = reasons[m.start()]
                if reason:
                    ignored.append({"text": tok, "reason": reason, "line": ln.line, "page": ln.page,
                                    "sentence": sentence})
                    continue
                u = _UNIT.match(text, m.end())
                nxt_start = next((t.start() for t in ctoks[k + 1:]), c1)
                if not u:
                    problems.append(ParseProblem(
                        "narrative", f"number {tok} has no unit after it: cannot tell what it measures",
                        line=ln.line, page=ln.page, text=sentence))
                    pos = m.end()
                    continue
                if text[u.end():u.end() + 1] == "\ufffd":
                    problems.append(ParseProblem(
                        "narrative", f"number {tok}{u.group(0)} is followed by a broken character: "
                        "the figure may be cut off", line=ln.line, page=ln.page, text=sentence))
                    pos = u.end()
                    continue
                prefix = text[pos:m.start()]
                suffix = text[u.end():nxt_start]
                row = _interpret(prefix, suffix, tok, u.group(0), ctx)
                pos = u.end()
                if isinstance(row, str):
                    problems.append(ParseProblem("narrative", f"number {tok}{u.group(0)}: {row}",
                                                 line=ln.line, page=ln.page, text=sentence))
                    continue
                row.update(where, value_text=tok, sentence=sentence, line=ln.line, page=ln.page, implied=False)
                rows.append(row)
            # "与上年相同" / "持平": a change of 0, when the sentence compares with last year
            if not figures:
                um = _UNCHANGED.search(clause)
                if um and "预算" not in clause and (um.group(1) or ctx.yoy or "上年" in sentence):
                    row = _unchanged(text[c0:c0 + um.start()], um, ctx)
                    if row is not None:
                        ln = para.line_at(c0 + um.start())
                        row.update(where, value_text=um.group(0), sentence=sentence, line=ln.line,
                                   page=ln.page, implied=True)
                        rows.append(row)
        end = sentence[-1:]
        while ctx.inline and (end in ctx.inline[-1][1] or (end in "；;" and not ctx.inline[-1][2])):
            ctx.inline.pop()
    ctx.inline = []


def _subject_fields(label: str, level: str) -> dict:
    """A classification item (…（类）/（款）/（项）) keeps its official name; other labels are
    canonicalised."""
    subject = label if level else canonical_subject(label)
    return {"subject": subject, "label": label, "category_level": level, "qualifier": ""}


_LEVEL_METRICS = ("决算数", "年初预算", "全年预算", "涉及资金")


def _is_level(metric: str, kind: str) -> bool:
    return metric in _LEVEL_METRICS or (kind == "count" and not metric.startswith("同比"))


def _parallel(subject: str, earlier: list[str]) -> str:
    """``…财政拨款收入总计X万元，支出总计Y万元``: the second subject shares the first one's
    qualifier (财政拨款支出总计), printed once for both. Applies to 收入/支出 pairs only."""
    if subject[:2] not in ("收入", "支出"):
        return subject
    other = "支出" if subject.startswith("收入") else "收入"
    for prev in reversed(earlier):
        k = prev.find(other)
        if k > 0 and prev[k + 2:] == subject[2:]:
            return prev[:k] + subject
    return subject


def _parent_of(ctx: _Ctx, metric: str, unit: str, subject: str) -> str:
    """The subject of the list the figure belongs to: only for a level in the parent's own unit
    (车辆 10辆 is not the parent of 设备 5台套) and for a share of a parent amount."""
    p = ctx.inline[-1][0] if ctx.inline else ctx.list_parent
    if not p or p == subject:
        return ""
    units = ctx.units.get(p, set())
    if metric == "占比":
        return p if "万元" in units else ""
    if _is_level(metric, _unit_kind(unit)) and unit in units:
        if ctx.inline:
            ctx.inline[-1][2] = True
        return p
    return ""


def _interpret(prefix: str, suffix: str, tok: str, unit_text: str, ctx: _Ctx) -> dict | str:
    """One figure as a claim row (or the reason it cannot be one)."""
    unit = _norm_unit(unit_text)
    kind = _unit_kind(unit)
    value = float(tok.replace(",", ""))
    p = _ORDINAL_PREFIX.sub("", _QUOTES.sub("", prefix))
    compare_year = None
    cm = _COMPARE.search(p)
    if cm:
        compare_year = int(cm.group(3)) if cm.group(3) else None
        p = p[:cm.start()] + p[cm.end():]
        ctx.yoy = True
    metric, basis, direction = "", "", ""
    for rx, name in _METRICS:
        mm = rx.search(p)
        if not mm:
            continue
        if name == "change":
            direction = "减少" if mm.group(1) in _DOWN else "增加"
            metric = {"money": "同比增减额", "pct": "同比增减率"}.get(kind, "同比增减数")
        elif name == "share":
            metric = "占比"
        elif name == "share_of":
            metric, basis = "占比", canonical_subject(_QUOTES.sub("", mm.group(1)))
        elif name == "completion":
            metric, basis = "完成率", mm.group(1)
        elif name == "completion_plain":
            metric, basis = "完成率", "预算"
        else:
            metric = name
        p = p[:mm.start()]
        break
    label, level = _clean_label(p)
    fields: dict
    grade = _GRADE.search(prefix + unit_text + suffix) if kind == "count" else None
    if grade:
        fields = {"subject": "项目绩效自评", "label": label or _QUOTES.sub("", suffix).strip("，,。；;：:"),
                  "category_level": "", "qualifier": grade.group(1)}
    elif label and kind == "count" and label.startswith(_COUNT_VERBS) and ctx.last_amount:
        fields = dict(ctx.last_amount, qualifier=label)
    elif label:
        fields = _subject_fields(label, level)
        fields["subject"] = _parallel(fields["subject"], ctx.sentence_subjects)
    elif ctx.last:
        fields = {k: ctx.last[k] for k in ("subject", "label", "category_level", "qualifier")}
    else:
        return "no subject: the words before it name nothing and no earlier figure of the paragraph does"
    if not fields["subject"]:
        return f"no subject left after removing the metric words from {prefix!r}"
    if not metric:
        if kind == "money":
            metric = "决算数"
        elif kind == "count":
            metric = unit
        elif kind == "score":
            metric = "得分"
        elif fields["subject"].endswith("率"):
            metric = "比率"
        else:
            return f"a percentage without 占/完成/增减 words: cannot tell which rate it is ({prefix!r})"
    parent = _parent_of(ctx, metric, unit, fields["subject"])
    if metric == "占比" and not basis:
        basis = parent
    if direction and compare_year is None:
        compare_year = ctx.compare_year
    signed = -value if direction == "减少" else value
    row = dict(fields)
    row.update(parent=parent, metric=metric, value=value, unit=unit, direction=direction,
               signed_value=signed, basis=basis, compare_year=compare_year)
    core = {k: row[k] for k in ("subject", "label", "category_level", "qualifier")}
    core["unit"] = unit
    ctx.sentence_subjects.append(core["subject"])
    ctx.last = core
    if kind == "money":
        ctx.last_amount = core
    if _is_level(metric, kind):
        ctx.last_level = core
        ctx.units.setdefault(core["subject"], set()).add(unit)
    return row


def _unchanged(before: str, um: re.Match, ctx: _Ctx) -> dict | None:
    label, level = _clean_label(_COMPARE.sub("", before))
    label = re.sub(r"决算数?$", "", label)
    if label:
        fields = _subject_fields(label, level)
    elif ctx.last:
        fields = {k: ctx.last[k] for k in ("subject", "label", "category_level", "qualifier")}
    else:
        return None
    units = ctx.units.get(fields["subject"], set())
    unit = "万元" if "万元" in units or not units else sorted(units)[0]
    metric = "同比增减额" if unit == "万元" else "同比增减数"
    compare_year = int(um.group(2)[:4]) if um.group(2) and um.group(2)[:4].isdigit() else ctx.compare_year
    row = dict(fields)
    row.update(parent="", metric=metric, value=0.0, unit=unit,
               direction="持平", signed_value=0.0, basis="", compare_year=compare_year)
    return row


# --------------------------------------------------------------------------------------------
# Public API



def scan_narrative(doc: SourceDocument) -> NarrativeScan:
    """Claims, problems and ignored tokens of the 概况 and 情况说明 parts (see the module doc)."""
    parts = find_parts(doc)
    rows: list[dict] = []
    ignored: list[dict] = []
    problems: list[ParseProblem] = []
    counter = [0]
    scanned = [parts[k] for k in ("overview", "narrative") if k in parts]
    if "narrative" not in parts:
        problems.append(ParseProblem("narrative", "no 情况说明 part (第X部分 …情况说明) found: no claims"))
    for part in scanned:
        _scan_part(part, rows, ignored, problems, counter)
    claims = records_frame(rows, CLAIM_COLUMNS, {
        "compare_year": "Int64", "line": "Int64", "page": "Int64", "paragraph": "Int64",
        "value": "float64", "signed_value": "float64", "implied": "bool"})
    ign = records_frame(ignored, IGNORED_COLUMNS, {"line": "Int64", "page": "Int64"})
    return NarrativeScan(claims, problems, ign)


def extract_claims(doc: SourceDocument) -> tuple[pd.DataFrame, list[ParseProblem]]:
    """Every numeric statement of the narrative (情况说明) and the 概况, one row per figure.

    Columns: ``part``, ``section``, ``subsection``, ``topic`` (the headings above the sentence),
    ``subject`` (canonical, e.g. 收入总计, 一般公共服务支出, 三公经费), ``label`` (as printed),
    ``qualifier`` (a grade 优/良/中/差 for self-evaluation counts; the verb of a count such as 接待),
    ``parent`` (the figure a list belongs to), ``category_level`` ("(类)"), ``metric`` (决算数,
    年初预算, 全年预算, 完成率, 同比增减额, 同比增减率, 占比, 涉及资金, or a count unit such as
    个 / 辆 / 批次 / 人次 / 台套), ``value`` (float, as printed, positive), ``unit`` (万元, %, …),
    ``direction`` (增加/减少/持平 for changes), ``signed_value``, ``basis`` (of a share or a
    completion rate), ``compare_year`` (比2022年 → 2022), ``implied`` (a 持平 statement with no
    printed number), ``value_text`` (the token as printed), ``sentence``, ``paragraph``,
    ``line``, ``page``. Amounts in 万元. Problems have stage ``narrative``.
    """
    scan = scan_narrative(doc)
    return scan.claims, scan.problems


PREVIOUS_COLUMNS = ["year", "subject", "metric", "value", "unit", "derived", "method", "current_value",
                    "change", "stated_rate", "recomputed_rate", "rate_difference", "category_level",
                    "section", "current_line", "change_line", "rate_line", "page"]


def derive_previous_year(claims: pd.DataFrame, year: int) -> pd.DataFrame:
    """The previous year's figures implied by the year-on-year statements of the narrative.

    For each change (同比增减额, or a 持平 statement) the current figure is the 决算数 claim of
    the same subject and unit printed before it in the same section (nearest first), and
    previous = current − signed change (``method`` "change" / "unchanged"). When only a rate is
    printed, previous = current / (1 + rate/100) (``method`` "rate"). ``stated_rate`` is the
    printed rate (signed), ``recomputed_rate`` = signed change / previous × 100, rounded to 2
    decimals, and ``rate_difference`` their difference. ``year`` is ``year - 1``; ``value`` in
    the claim's unit (万元); ``derived`` is always True. A change whose current figure cannot be
    found is left out (the audit sees it in the claims).
    """
    if claims is None or claims.empty:
        return pd.DataFrame(columns=PREVIOUS_COLUMNS)
    cols = list(claims.columns)
    recs = [dict(zip(cols, vals)) for vals in zip(*(claims[c].tolist() for c in cols))]
    out: list[dict] = []
    used_rates: set[int] = set()

    def current_for(i: int, c: dict) -> dict | None:
        for j in range(i - 1, -1, -1):
            d = recs[j]
            if d["section"] != c["section"]:
                break
            if d["subject"] == c["subject"] and d["metric"] == "决算数" and d["unit"] == c["unit"]:
                return d
        return None

    def rate_for(i: int, c: dict) -> tuple[int, dict] | None:
        for j in range(i + 1, len(recs)):
            d = recs[j]
            if d["paragraph"] != c["paragraph"]:
                break
            if d["subject"] == c["subject"] and d["metric"] == "同比增减额":
                break
            if d["subject"] == c["subject"] and d["metric"] == "同比增减率":
                return j, d
        return None

    for i, c in enumerate(recs):
        if c["metric"] == "同比增减额":
            if not pd.isna(c["compare_year"]) and int(c["compare_year"]) != year - 1:
                continue
            cur = current_for(i, c)
            if cur is None:
                continue
            rate = rate_for(i, c)
            prev = round(cur["value"] - c["signed_value"], 6)
            stated = None
            if rate:
                used_rates.add(rate[0])
                stated = rate[1]["signed_value"]
            recomputed = round(c["signed_value"] / prev * 100, 2) if prev else None
            out.append({"year": year - 1, "subject": c["subject"], "metric": "决算数", "value": round(prev, 2),
                        "unit": c["unit"], "derived": True,
                        "method": "unchanged" if c["direction"] == "持平" else "change",
                        "current_value": cur["value"], "change": c["signed_value"], "stated_rate": stated,
                        "recomputed_rate": recomputed,
                        "rate_difference": round(stated - recomputed, 2) if stated is not None and recomputed is not None else None,
                        "category_level": c["category_level"], "section": c["section"],
                        "current_line": cur["line"], "change_line": c["line"],
                        "rate_line": rate[1]["line"] if rate else None, "page": c["page"]})
    # a rate printed without an amount: previous = current / (1 + rate)
    for i, c in enumerate(recs):
        if c["metric"] != "同比增减率" or i in used_rates or c["direction"] == "持平":
            continue
        if not pd.isna(c["compare_year"]) and int(c["compare_year"]) != year - 1:
            continue
        if any(o["change_line"] == c["line"] and o["subject"] == c["subject"] for o in out):
            continue
        cur = current_for(i, dict(c, unit="万元"))
        if cur is None or c["signed_value"] == -100:
            continue
        prev = cur["value"] / (1 + c["signed_value"] / 100)
        out.append({"year": year - 1, "subject": c["subject"], "metric": "决算数", "value": round(prev, 2),
                    "unit": cur["unit"], "derived": True, "method": "rate", "current_value": cur["value"],
                    "change": round(cur["value"] - prev, 2), "stated_rate": c["signed_value"],
                    "recomputed_rate": None, "rate_difference": None, "category_level": c["category_level"],
                    "section": c["section"], "current_line": cur["line"], "change_line": None,
                    "rate_line": c["line"], "page": c["page"]})
    return records_frame(out, PREVIOUS_COLUMNS, {
        "year": "Int64", "current_line": "Int64", "change_line": "Int64", "rate_line": "Int64", "page": "Int64",
        "value": "float64", "current_value": "float64", "change": "float64", "stated_rate": "float64",
        "recomputed_rate": "float64", "rate_difference": "float64", "derived": "bool"})
