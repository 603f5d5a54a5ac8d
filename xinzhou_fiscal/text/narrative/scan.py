"""One pass over a part: every numeric token becomes a claim row, a classified non-claim, or a
problem — recorded in the ledger in the order printed (see the package doc)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from xinzhou_fiscal import patterns
from xinzhou_fiscal.errors import ParseProblem
from xinzhou_fiscal.numbers import (
    AMOUNT_UNITS,
    NUMBER_TOKEN,
    LazyPattern,
    to_wanyuan,
    token_value,
)
from xinzhou_fiscal.text.narrative import budget as bp
from xinzhou_fiscal.text.narrative import phrasing as ph
from xinzhou_fiscal.text.narrative.tokens import ignore_reason, reason_clause_reason
from xinzhou_fiscal.text.paragraphs import (
    CLAUSE_SEP,
    ITEM_START,
    SENTENCE_END,
    UNIT,
    Heading,
    Paragraph,
    TableRow,
    norm_unit,
    spans,
    squash,
    unit_kind,
)
from xinzhou_fiscal.text.parts import Part
from xinzhou_fiscal.text.reflow import blocks

SUBJECT_KEYS = ("subject", "label", "category_level", "qualifier", *ph.LEVEL_NAME_KEYS)


@dataclass
class Ctx:
    part: str = ""
    kind: str = "narrative"           # the part's kind: narrative, or overview (概况)
    section: str = ""
    subsection: str = ""
    topic: str = ""
    last: dict | None = None          # subject fields of the previous figure (any unit)
    last_amount: dict | None = None   # … of the previous amount (万元)
    last_level: dict | None = None    # … of the previous level (an amount or a count, not a rate)
    units: dict = field(default_factory=dict)  # subject → units of its levels under this heading
    list_parent: str = ""     # subject whose list ("…：" ending a paragraph) runs over the next paragraphs
    list_level: str = ""      # the ordinal level of the paragraph that opened it (1．… 其中：)
    list_prev_end: str = ""   # the last character of the previous paragraph of the list
    open_inline: str = ""     # the parent of an inline list still open when its paragraph ended (…；)
    # lists opened inside the paragraph (其中…, 主要包括…), innermost last:
    # [parent subject, punctuation that ends it, whether it runs past a ；]
    inline: list = field(default_factory=list)
    yoy: bool = False
    compare_year: int | None = None   # 与2023年度相比 said earlier in the paragraph
    sentence_subjects: list = field(default_factory=list)  # subjects named so far in the sentence
    budget: bool = False              # the report is a budget (部门预算): its amounts are 预算数

    def reset_subject(self):
        self.last = self.last_amount = self.last_level = None
        self.units = {}
        self.list_parent = ""
        self.inline = []
        self.yoy = False


@dataclass
class Sink:
    """Where a pass writes: claim rows, ledger entries (one per token), problems."""

    rows: list = field(default_factory=list)
    ledger: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    paragraphs: int = 0

    def token(self, tok: str, unit: str, outcome: str, reason: str, ln, sentence: str, part: str,
              claim: int | None = None):
        self.ledger.append({"part": part, "token": tok, "unit": unit, "outcome": outcome, "claim": claim,
                            "reason": reason, "line": ln.line, "page": ln.page, "sentence": sentence})

    def problem(self, tok: str, unit: str, message: str, ln, sentence: str, part: str):
        self.problems.append(ParseProblem("narrative", message, line=ln.line, page=ln.page, text=sentence))
        self.token(tok, unit, "problem", message, ln, sentence, part)

    def claim(self, row: dict, ln, sentence: str, part: str, tok: str = "", unit: str = ""):
        self.rows.append(row)
        if tok:
            self.token(tok, unit, "claim", "", ln, sentence, part, len(self.rows) - 1)


def scan_part(part: Part, sink: Sink, budget: bool = False) -> None:
    """Claims, ledger and problems of one part; ``budget``: the report is a 部门预算 (its phrasing,
    templates/wording/budget_phrasing.toml)."""
    ctx = Ctx(part=part.heading, kind=part.kind, budget=budget)
    for hl in part.heading_lines:
        scan_heading(Heading(0, squash(hl.text), hl), sink, part.heading)
    for block in blocks(part.lines):
        if isinstance(block, TableRow):
            for m in NUMBER_TOKEN.finditer(block.line.text):
                sink.token(m.group(0), "", "non-claim", "table", block.line, block.line.text, part.heading)
            continue
        if isinstance(block, Heading):
            scan_heading(block, sink, part.heading)
            if block.level == 1:
                ctx.section, ctx.subsection, ctx.topic = block.text, "", ""
            elif block.level == 2:
                ctx.subsection, ctx.topic = block.text, ""
            else:
                ctx.topic = block.text
            ctx.reset_subject()
            continue
        sink.paragraphs += 1
        first = len(sink.rows)
        _close_list(block.text, ctx)
        scan_paragraph(block, ctx, sink.paragraphs, sink)
        _purposes(block.text, sink.rows[first:])
        _open_list(block.text, ctx)


def _open_list(text: str, ctx: Ctx) -> None:
    """A list announced by "…：" runs over the following paragraphs while they end with ；/： or are
    numbered items (1、… 2、…). Its parent is the last figure's subject; in a budget, a last sentence
    without figures that names what it lists (财政拨款支出主要内容如下：) names the parent itself, and
    one that names nothing (具体情况如下：) none; an inline list open at a ； goes on."""
    end = text.rstrip(")）”’\"")[-1:]
    if end in "：:":
        ctx.list_parent = ctx.last_level["subject"] if ctx.last_level else ""
        ctx.list_level = ph.item_level(text)
        last_sentence = patterns.compile(r"[。；;]").split(text)[-1]
        announced = ph.LIST_ANNOUNCED.match(last_sentence) \
            if ctx.budget and not patterns.compile(r"\d").search(last_sentence) else None
        if announced:
            label, level, names = ph.clean_label(announced.group(1))
            ctx.list_parent = _fields(label, level, names, ctx)["subject"] if label else ""
    elif end in "；;" and ctx.budget and ctx.open_inline:
        ctx.list_parent = ctx.open_inline      # 其中：教育支出…；(a new line) 住房保障支出…
    elif end not in "；;" and not ITEM_START.match(text):
        ctx.list_parent = ""
    ctx.list_prev_end = end


def _close_list(text: str, ctx: Ctx) -> None:
    """In a budget, a list ends before an item at the level of the paragraph that opened it ((二) after
    (一)…包括：) and before an unnumbered paragraph that follows a finished sentence."""
    if not (ctx.budget and ctx.list_parent):
        return
    level = ph.item_level(text)
    if (level and level == ctx.list_level) or (not level and ctx.list_prev_end not in "；;：:"):
        ctx.list_parent = ""


def scan_heading(h: Heading, sink: Sink, part: str) -> None:
    """A heading's numbers are its ordinal (1、) or a year; anything else is recorded as a problem."""
    for m in NUMBER_TOKEN.finditer(h.text):
        reason = ignore_reason(h.text, m.start(), m.end(), m.group(0), False)
        if reason:
            sink.token(m.group(0), "", "non-claim", reason, h.line, h.text, part)
        else:
            sink.problem(m.group(0), "", f"number {m.group(0)} in a heading: not a figure the parser reads",
                         h.line, h.text, part)


def _purposes(text: str, rows: list[dict]) -> None:
    """``主要用于：…`` purpose text: to the figures of its own sentence, else to the paragraph's
    figures of the subject named when it was printed."""
    by_subject: dict[str, str] = {}
    for r in rows:
        if r["purpose"]:
            by_subject.setdefault(r["subject"], r["purpose"])
    for r in rows:
        if not r["purpose"] and r["subject"] in by_subject:
            r["purpose"] = by_subject[r["subject"]]


def _chain_subject(sentence: str, ctx: Ctx) -> None:
    """A sentence without figures that names a 类/款/项 chain sets the subject of what follows."""
    m = patterns.compile(r"^(?:\d{1,2}[、.．])?(.+?[（(](?:类|款|项)[)）])+").match(sentence)
    if m:
        label, level, names = ph.clean_label(m.group(0))
        ctx.last = dict(_fields(label, level, names, ctx), unit="万元")


def scan_paragraph(para: Paragraph, ctx: Ctx, pno: int, sink: Sink) -> None:
    text = para.text
    toks = list(NUMBER_TOKEN.finditer(text))
    tok_spans = [(m.start(), m.end()) for m in toks]
    # 收入、支出预算总计 / 收、支总预算: one subject, not two clauses
    kept = sorted(tok_spans + [(m.start(), m.end()) for m in _BOTH_SIDES.finditer(text)])
    line_starts = set(para.starts)
    reasons = {m.start(): ignore_reason(text, m.start(), m.end(), m.group(0), m.start() in line_starts)
               for m in toks}
    if "\ufffd" in text:
        pos = text.index("\ufffd")
        ln = para.line_at(pos)
        sink.problems.append(ParseProblem("narrative", "broken character (U+FFFD) in the sentence: the text "
                                          "is damaged or cut off here; figures after it may be missing",
                                          line=ln.line, page=ln.page, text=text[max(0, pos - 40):pos + 1]))
    ctx.yoy, ctx.compare_year = False, None
    where = {"part": ctx.part, "section": ctx.section, "subsection": ctx.subsection, "topic": ctx.topic,
             "paragraph": pno}
    for s0, s1 in spans(text, SENTENCE_END, kept):
        sentence = text[s0:s1]
        if not sentence.strip():
            continue
        stoks = [m for m in toks if s0 <= m.start() < s1]
        ctx.sentence_subjects = []
        if all(reasons[m.start()] for m in stoks):
            _chain_subject(sentence, ctx)
        first = len(sink.rows)
        for c0, c1 in spans(sentence, CLAUSE_SEP, [(a - s0, b - s0) for a, b in kept if s0 <= a < s1]):
            _scan_clause(para, ctx, sink, where, sentence, s0 + c0, s0 + c1,
                         [m for m in stoks if s0 + c0 <= m.start() < s0 + c1], reasons)
        pm = ph.PURPOSE.search(sentence)
        if pm:
            purpose = pm.group(1).strip()
            own = sink.rows[first:]
            for r in own:
                r["purpose"] = purpose
            if not own and ctx.last:
                ctx.last["purpose"] = purpose
        end = sentence[-1:]
        while ctx.inline and (end in ctx.inline[-1][1] or (end in "；;" and not ctx.inline[-1][2])):
            ctx.inline.pop()
    ctx.open_inline = ctx.inline[-1][0] if ctx.inline else ""
    ctx.inline = []


_BOTH_SIDES = patterns.compile(r"收入?、支出?")


def _scan_clause(para: Paragraph, ctx: Ctx, sink: Sink, where: dict, sentence: str, c0: int, c1: int,
                 ctoks: list, reasons: dict) -> None:
    text = para.text
    clause = text[c0:c1]
    if ph.YOY_CONTEXT.search(clause):
        ctx.yoy = True
        cm = ph.COMPARE.search(clause)
        if cm:
            ctx.compare_year = int(cm.group(3)) if cm.group(3) else None
    figures = [m for m in ctoks if not reasons[m.start()]]
    op = ph.OPENER.search(clause)
    if op and ctx.last_level and (not figures or op.start() < figures[0].start() - c0):
        # "其中：" and 主要包括 lists run to the end of the sentence (主要包括 past a ；
        # only once it has listed a figure: a list of names ends at the next ；);
        # "其中X" without a colon covers one item, up to the next ；
        # (a budget's 其中教育支出…；科学技术支出…。 lists every class, colon or not)
        colon = clause[op.end():op.end() + 1] in "：:" or op.group(0) != "其中" or ctx.budget
        ctx.inline.append([ctx.last_level["subject"], "。！!？?" if colon else "；;。！!？?",
                           op.group(0) == "其中"])
    pos = c0
    for k, m in enumerate(ctoks):
        pos = _scan_token(para, ctx, sink, where, sentence, m, pos, ctoks[k + 1:], c1, reasons[m.start()])
    if not figures:
        _statement_without_figure(para, ctx, sink, where, sentence, c0, clause)


def _scan_token(para, ctx, sink, where, sentence, m, pos, later, c1, reason) -> int:
    text, tok = para.text, m.group(0)
    ln = para.line_at(m.start())
    u = UNIT.match(text, m.end())
    unit_text = u.group(0) if u else ""
    if reason:
        sink.token(tok, unit_text, "non-claim", reason, ln, sentence, ctx.part)
        return pos
    row: dict | str
    saved = (ctx.last, ctx.last_amount, ctx.last_level)
    if not u and token_value(tok) == 0:
        # 政府性基金拨款支出预算为0: a 0 needs no unit (0 元 = 0 万元); printed_unit stays ""
        nxt_start = next((t.start() for t in later), c1)
        row = interpret(text[pos:m.start()], text[m.end():nxt_start], tok, "万元", ctx)
        if isinstance(row, dict):
            row["printed_unit"] = ""
    elif not u and text[m.end():m.end() + 1] in ("万", "亿", "千"):
        # 增加209万用于…: 万 is a numeral, not a unit; the noun it counts (元? 人次?) is not printed
        row = (f"number {tok}{text[m.end()]} without the noun it counts (the unit printed short, 元 left out?): "
               "not read as an amount")
    elif not u:
        row = f"number {tok} has no unit after it: cannot tell what it measures"
    elif text[u.end():u.end() + 1] == "\ufffd":
        row = f"number {tok}{unit_text} is followed by a broken character: the figure may be cut off"
    else:
        nxt_start = next((t.start() for t in later), c1)
        row = interpret(text[pos:m.start()], text[u.end():nxt_start], tok, unit_text, ctx)
        if isinstance(row, str):
            row = f"number {tok}{unit_text}: {row}"
    s0 = text.rfind(sentence, 0, m.start() + len(sentence))          # the sentence, up to the figure
    why = reason_clause_reason(text[max(s0, 0):m.start()], row["label"], unit_text) if isinstance(row, dict) else None
    if why:
        ctx.last, ctx.last_amount, ctx.last_level = saved     # its subject is no subject for what follows
        sink.token(tok, unit_text, "non-claim", why, ln, sentence, ctx.part)
    elif ctx.kind == "overview" and (isinstance(row, str) or not _STAFFING_SUBJECT.search(row["subject"])):
        # the 概况 describes the department; only its head counts (人员编制数 …) are figures
        sink.token(tok, unit_text, "non-claim", "overview", ln, sentence, ctx.part)
    elif isinstance(row, str) and unit_text in ("%", "％") and _CHART_LABELS.fullmatch(ln.text):
        # a chart's data labels (预算收入构成情况: 16.84% / 41.43% …) repeat the prose's shares
        sink.token(tok, unit_text, "non-claim", "chart", ln, sentence, ctx.part)
    elif isinstance(row, str):
        sink.problem(tok, unit_text, row, ln, sentence, ctx.part)
    else:
        row.update(where, value_text=tok, sentence=sentence, line=ln.line, page=ln.page, implied=False)
        sink.claim(row, ln, sentence, ctx.part, tok, unit_text)
    return u.end() if u else m.end()


#: a short line of percentages and names without a sentence: the data labels and legend of a chart
#: printed in the narrative (预算收入构成情况: ``16.84%`` / ``财政拨款收入10.76%`` / ``9.02% 使用非财政拨款结余``)
_CHART_LABELS = LazyPattern(r"(?:\s*[\u4e00-\u9fff]{0,12}\s*\d+(?:\.\d+)?\s*[%％]\s*[\u4e00-\u9fff]{0,12})+\s*")
_STAFFING_SUBJECT = LazyPattern(r"编制|人数|在职|退休|职工|人员")


def _statement_without_figure(para, ctx, sink, where, sentence, c0, clause) -> None:
    """决算数小于预算数 (a comparison with the budget) and 与上年相同 / 持平 (a change of 0): claims
    with no printed number (``implied``)."""
    vm = ph.VERSUS.search(clause)
    if vm:
        row = _versus(para.text[c0:c0 + vm.start()], vm, ctx)
    else:
        um = ph.UNCHANGED.search(clause)
        # 与上年预算持平 is a change; a clause naming 预算 without a year is a comparison with the budget
        if not (um and (um.group(1) or "预算" not in clause) and (um.group(1) or ctx.yoy or "上年" in sentence)):
            return
        row = _unchanged(para.text[c0:c0 + um.start()], um, ctx)
        vm = um
    if row is None:
        return
    ln = para.line_at(c0 + vm.start())
    row.update(where, value_text=vm.group(0), sentence=sentence, line=ln.line, page=ln.page, implied=True)
    sink.claim(row, ln, sentence, ctx.part)


def _fields(label: str, level: str, names: dict | None, ctx: Ctx) -> dict:
    """:func:`subject_fields`, with a budget's canonical subject (收入预算 → 收入总计 …) in a budget."""
    fields = subject_fields(label, level, names)
    if ctx.budget and ctx.kind == "narrative" and not level:
        fields["subject"] = ph.canonical_subject(bp.budget_subject(fields["subject"]))
    return fields


def subject_fields(label: str, level: str, names: dict | None = None) -> dict:
    """A classification item (…（类）/（款）/（项）) keeps its official name; other labels are
    canonicalised."""
    subject = label if level else ph.canonical_subject(label)
    return {"subject": subject, "label": label, "category_level": level, "qualifier": "",
            **(names or dict.fromkeys(ph.LEVEL_NAME_KEYS, ""))}


_LEVEL_METRICS = ("决算数", "预算数", "年初预算", "全年预算", "涉及资金")


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


def _parent_of(ctx: Ctx, metric: str, unit: str, subject: str) -> str:
    """The subject of the list the figure belongs to: only for a level in the parent's own unit
    (车辆 10辆 is not the parent of 设备 5台套) and for a share of a parent amount."""
    p = ctx.inline[-1][0] if ctx.inline else ctx.list_parent
    if not p or p == subject:
        return ""
    units = ctx.units.get(p, set())
    if metric == "占比":
        return p if "万元" in units else ""
    if _is_level(metric, unit_kind(unit)) and unit in units:
        if ctx.inline:
            ctx.inline[-1][2] = True
        return p
    return ""


def _subject(label: str, level: str, names: dict, prefix: str, suffix: str, unit_text: str, kind: str,
             ctx: Ctx) -> dict | str:
    grade = ph.GRADE.search(prefix + unit_text + suffix) if kind == "count" else None
    if grade:
        return {**subject_fields("项目绩效自评", ""), "label": label or ph.QUOTES.sub("", suffix).strip("，,。；;：:"),
                "qualifier": grade.group(1)}
    if label and kind == "count" and label.startswith(ph.COUNT_VERBS) and ctx.last_amount:
        return dict(ctx.last_amount, qualifier=label)
    if label:
        fields = _fields(label, level, names, ctx)
        fields["subject"] = _parallel(fields["subject"], ctx.sentence_subjects)
        return fields
    if ctx.last:
        return {k: ctx.last.get(k, "") for k in SUBJECT_KEYS}
    noun = bp.count_noun(suffix) if kind == "count" and ctx.budget else ""
    if noun:        # 共0个项目实行绩效目标管理: the noun after the count
        return _fields(noun, "", None, ctx)
    return "no subject: the words before it name nothing and no earlier figure of the paragraph does"


def _default_metric(kind: str, unit: str, subject: str, budget: bool) -> str | None:
    if kind == "money":
        return bp.amount_metric() if budget else "决算数"
    if kind == "count":
        return unit
    if kind == "score":
        return "得分"
    if subject.endswith("率"):
        return "比率"
    return None


def interpret(prefix: str, suffix: str, tok: str, unit_text: str, ctx: Ctx) -> dict | str:
    """One figure as a claim row (or the reason it cannot be one)."""
    unit = norm_unit(unit_text)
    kind = unit_kind(unit)
    value = token_value(tok)
    if unit in AMOUNT_UNITS and unit != "万元":
        value, unit = to_wanyuan(tok, unit), "万元"
    p = ph.strip_ordinal(prefix)
    compare_year, change_basis = None, ""
    cm = ph.COMPARE.search(p)
    if cm:
        compare_year = int(cm.group(3)) if cm.group(3) else None
        change_basis = bp.change_basis(cm.group(0)) if ctx.budget else ""
        p = p[:cm.start()] + p[cm.end():]
        ctx.yoy = True
    before, metric, basis, direction, direction_word = ph.read_metric(p, kind)
    budget = ph.budget_of(p[len(before):]) if metric in ("年初预算", "全年预算", "完成率") else ""
    label, level, names = ph.clean_label(before)
    fields = _subject(label, level, names, prefix, suffix, unit_text, kind, ctx)
    if isinstance(fields, str):
        return fields
    if not fields["subject"]:
        return f"no subject left after removing the metric words from {prefix!r}"
    metric = metric or _default_metric(kind, unit, fields["subject"], ctx.budget)
    if not metric:
        return f"a percentage without 占/完成/增减 words: cannot tell which rate it is ({prefix!r})"
    parent = _parent_of(ctx, metric, unit, fields["subject"])
    if metric == "占比" and not basis:
        basis = parent
    if direction and not basis:
        basis = change_basis
    if direction and compare_year is None:
        compare_year = ctx.compare_year
    row = dict(fields)
    # value is the magnitude printed; a printed minus flips signed_value (减少-5.00万元 → +5.00)
    row.update(parent=parent, metric=metric, value=abs(value), unit=unit, direction=direction,
               signed_value=-value if direction == "减少" else value, basis=basis, compare_year=compare_year,
               direction_word=direction_word, budget=budget, printed_unit=unit_text,
               purpose=(ctx.last or {}).get("purpose", "") if not label else "")
    _remember(ctx, row, kind, metric, unit)
    return row


def _remember(ctx: Ctx, row: dict, kind: str, metric: str, unit: str) -> None:
    core = {k: row[k] for k in SUBJECT_KEYS}
    core["unit"] = unit
    if ctx.last and ctx.last.get("subject") == core["subject"] and ctx.last.get("purpose"):
        core["purpose"] = ctx.last["purpose"]
    ctx.sentence_subjects.append(core["subject"])
    ctx.last = core
    if kind == "money":
        ctx.last_amount = core
    if _is_level(metric, kind):
        ctx.last_level = core
        ctx.units.setdefault(core["subject"], set()).add(unit)


def _implied_row(fields: dict, metric: str, unit: str, direction: str, word: str, budget: str = "",
                 compare_year=None) -> dict:
    row = {k: fields.get(k, "") for k in SUBJECT_KEYS}
    row.update(parent="", metric=metric, value=0.0 if unit else float("nan"), unit=unit, direction=direction,
               signed_value=0.0 if unit else float("nan"), basis="", compare_year=compare_year,
               direction_word=word, budget=budget, printed_unit="", purpose=fields.get("purpose", ""))
    return row


def _unchanged(before: str, um: re.Match, ctx: Ctx) -> dict | None:
    label, level, names = ph.clean_label(ph.COMPARE.sub("", before))
    label = patterns.compile(r"决算数?$").sub("", label)
    if label:
        fields = _fields(label, level, names, ctx)
    elif ctx.last:
        fields = ctx.last
    else:
        return None
    units = ctx.units.get(fields["subject"], set())
    unit = "万元" if "万元" in units or not units else sorted(units)[0]
    metric = "同比增减额" if unit == "万元" else "同比增减数"
    compare_year = int(um.group(2)[:4]) if um.group(2) and um.group(2)[:4].isdigit() else ctx.compare_year
    row = _implied_row(fields, metric, unit, "持平", um.group(4), compare_year=compare_year)
    row["basis"] = bp.change_basis(um.group(0)) if ctx.budget else ""
    return row


def _versus(before: str, vm: re.Match, ctx: Ctx) -> dict | None:
    """决算数小于预算数: metric 决算与预算比较, direction 大于/小于/等于, no value; the subject is
    named before 决算数 or is the previous figure's."""
    label, level, names = ph.clean_label(before)
    fields = _fields(label, level, names, ctx) if label else ctx.last
    if not fields:
        return None
    word = vm.group(1) or vm.group(4)
    budget = vm.group(2) or vm.group(3) or ""
    return _implied_row(fields, "决算与预算比较", "", ph.VERSUS_DIRECTION[word], word, budget)
