"""Direction and comparison words against the numbers of the same sentence.

- 决算数大于/小于/等于预算数, 与预算数（基本）持平: against the 决算 and 预算 printed before them
  (in the same paragraph, after the previous comparison);
- 增加/增长 and 减少/下降 of one subject in one sentence: the amount and the rate of a change go
  the same way;
- a completion rate printed against a budget of 0, a growth rate against a previous year of 0.

Numbers come from the narrative's claims; the word comes from the claim's ``direction_word``
column when the narrative reader gives it, else from the sentence as printed."""
from __future__ import annotations

from xinzhou_fiscal import patterns
from xinzhou_fiscal.checks.context import AuditContext
from xinzhou_fiscal.checks.findings import Check
from xinzhou_fiscal.checks.registry import rule
from xinzhou_fiscal.checks.rules_narrative import claims_records
from xinzhou_fiscal.checks.textscan import document_rule, prose_spans, text_facts
from xinzhou_fiscal.checks.tolerance import judge

DOMAIN = "../shared/DOMAIN.md「Narrative against tables」；决算与预算比较的表述"
_BUDGETS = ("年初预算", "全年预算", "调整后预算", "预算", "预算数")
_COMPARE = patterns.compile(r"决算数?\s*(?:(大于|小于|高于|低于|超过|等于)\s*(?:年初|全年|调整后)?预算数?|"
                      r"(?:与|同)\s*(?:年初|全年|调整后)?预算数?\s*(基本)?\s*(持平|相等|一致))")


def _sense(word: str) -> str:
    words = text_facts()["direction_words"]
    return next((k for k, v in words.items() if word in v), "")


def _positions(text: str, recs: list[dict]) -> list[tuple[int, dict]]:
    """Where each claim's printed figure stands in its line (claims in reading order)."""
    out, at = [], 0
    for d in recs:
        vt = str(d.get("value_text") or "")
        k = text.find(vt, at) if vt else -1
        if k >= 0:
            out.append((k, d))
            at = k + len(vt)
    return out


def _by_line(ctx) -> dict[int, list[dict]]:
    lines: dict[int, list[dict]] = {}
    for d in claims_records(ctx):
        if d.get("line") == d.get("line") and d.get("line") is not None:
            lines.setdefault(int(d["line"]), []).append(d)
    return lines


def _by_span(ctx) -> list[tuple[object, list[dict]]]:
    """The claims of each reflowed span (a sentence cut by a line or page end is one span), in
    reading order; claims on no prose line are left out."""
    span_of = {ln.line: sp for sp in prose_spans(ctx.report) for ln in sp.lines}
    groups: dict[int, tuple[object, list[dict]]] = {}
    for line, recs in sorted(_by_line(ctx).items()):
        sp = span_of.get(line)
        if sp is not None:
            groups.setdefault(id(sp), (sp, []))[1].extend(recs)
    return list(groups.values())


@rule("words.comparison", "“决算数大于/小于/等于预算数”“与预算数持平”与同段所印的决算数、预算数一致", DOMAIN)
@document_rule
def comparison(ctx: AuditContext):
    for sp, recs in _by_span(ctx):
        said = list(_said_by_claims(recs))
        if said:                         # the narrative reader gives the word: its claims say it all
            yield from said
            continue
        text = sp.text
        pos = _positions(text, recs)
        start = 0
        for m in _COMPARE.finditer(text):
            before = [(k, d) for k, d in pos if start <= k < m.start()]
            start = m.end()
            budget = next((kd for kd in reversed(before) if kd[1].get("metric") in _BUDGETS), None)
            finals = [kd for kd in reversed(before) if kd[1].get("metric") == "决算数"]
            final = next((kd for kd in finals if budget and kd[1].get("subject") == budget[1].get("subject")), None) or \
                next(iter(finals), None)     # the 决算 of the budget's own subject, else the nearest
            if budget is None or final is None:
                continue
            check = _comparison_check(sp.line_at(m.start()).line, m, budget[1], final[1])
            check.doubt = sp.doubt_in(min(budget[0], final[0]), m.end())
            yield check


class _Said:
    """A comparison word given by the narrative reader (``direction_word``), shaped like a match."""

    def __init__(self, word: str):
        self.word = word

    def group(self, i: int):
        if i == 0:
            return f"决算数{self.word}预算数"
        same = _sense(self.word) == "same"
        return {1: None if same else self.word, 2: None, 3: self.word if same else None}[i]


def _said_by_claims(recs):
    """Comparisons from the claims' ``direction_word`` (大于/小于/等于/持平 on a 决算数 claim) against
    the budget claim of the same subject, when the narrative reader provides the column."""
    for d in recs:
        word = str(d.get("direction_word") or "")
        if d.get("metric") != "决算数" or word not in ("大于", "小于", "等于", "持平", "高于", "低于"):
            continue
        budget = next((b for b in recs if b.get("subject") == d.get("subject") and b.get("metric") in _BUDGETS), None)
        if budget is not None:
            yield _comparison_check(int(d["line"]), _Said(word), budget, d)


def _comparison_check(line: int, m, budget: dict, final: dict) -> Check:
    word = m.group(1) or m.group(3)
    sense = "same" if m.group(3) else _sense(word)
    b, f = budget["_num"], final["_num"]
    v = judge(b, f)
    # a gap of a whole printed unit between two amounts is a direction the reader sees, even where
    # the tolerance policy would call it rounding (a difference equal to the tolerance)
    same = v.status == "ok" or (v.status == "info" and abs(v.difference) < v.tolerance - 1e-9)
    actual = "same" if same else ("up" if v.difference > 0 else "down")
    loose = bool(m.group(2))          # 基本持平: a difference the reader calls small (≤ 1 %)
    if loose and sense == "same" and abs(v.difference) <= 0.01 * max(abs(b.value), 1e-9):
        actual = "same"
    status = "ok" if actual == sense else "error"
    said = {"up": "大于", "down": "小于", "same": "等于"}
    return Check("words.comparison", f"line {line} {final.get('subject')} {m.group(0)}",
                 f"第 {line} 行 {final.get('subject')}“{m.group(0)}”", status=status,
                 expected_label=f"决算{f.label()} {said[actual]} {budget.get('metric')}{b.label()}",
                 actual_label=m.group(0), unit="", evidence_expected=b.evidence, evidence_actual=f.evidence,
                 note="" if status == "ok" else f"所印决算数 {f.label()} 与{budget.get('metric')} {b.label()} 的关系是"
                 f"“{said[actual]}”，文字却说“{word}”")


@rule("words.direction", "同一句中同一事项的增减额与增减率方向一致（增加/增长 ↔ 减少/下降）", DOMAIN)
@document_rule
def direction(ctx: AuditContext):
    for _, recs in _by_span(ctx):
        pairs: dict[str, dict[str, dict]] = {}
        for d in recs:
            if d.get("metric") in ("同比增减额", "同比增减率") and d.get("direction") in ("增加", "减少"):
                pairs.setdefault(str(d.get("subject")), {}).setdefault(d["metric"], d)
        for subject, p in pairs.items():
            if len(p) < 2:
                continue
            a, r = p["同比增减额"], p["同比增减率"]
            line = int(a["line"])
            ok = a["direction"] == r["direction"]
            yield Check("words.direction", f"line {line} {subject}", f"第 {line} 行 {subject} 增减额与增减率的方向",
                        status="ok" if ok else "error", expected_label=a["direction"], actual_label=r["direction"],
                        unit="", evidence_expected=a["_num"].evidence, evidence_actual=r["_num"].evidence,
                        note="" if ok else f"增减额说“{a['direction']}”，增减率却说“{r['direction']}”")


@rule("words.zero_base", "完成率的预算数为 0、增减率的上年数为 0：比率无从计算", DOMAIN, severity="warning")
@document_rule
def zero_base(ctx: AuditContext):
    for _, recs in _by_span(ctx):
        by_subject: dict[str, dict[str, dict]] = {}
        for d in recs:
            by_subject.setdefault(str(d.get("subject")), {}).setdefault(str(d.get("metric")), d)
        for subject, ms in by_subject.items():
            rate = ms.get("完成率")
            base = next((ms[b] for b in _BUDGETS if b in ms), None)
            final = ms.get("决算数")
            spent = final is not None and final["_num"].value != 0 and rate is not None and rate["_num"].value != 0
            # a non-zero rate of a non-zero 决算 on a 0 budget: narrative.completion's error, not counted twice
            if rate is not None and base is not None and base["_num"].value == 0 and base["_num"].err == 0 and not spent:
                line = int(rate["line"])
                yield Check("words.zero_base", f"line {line} {subject} 完成率", f"第 {line} 行 {subject} 完成率",
                            status="warning", expected_label="（预算为 0，无完成率）", actual_label=f"{rate.get('value_text')}%",
                            unit="", evidence_expected=base["_num"].evidence, evidence_actual=rate["_num"].evidence,
                            note=f"{base.get('metric')}为 0，完成率无从计算，应写“无预算”而不是百分比")
            cur, chg, yoy = ms.get("决算数"), ms.get("同比增减额"), ms.get("同比增减率")
            if cur and chg and yoy and abs(cur["_num"].value - chg["_num"].value) < 1e-9 and cur["_num"].value:
                line = int(yoy["line"])
                yield Check("words.zero_base", f"line {line} {subject} 增减率", f"第 {line} 行 {subject} 增减率",
                            status="warning", expected_label="（上年为 0，无增减率）", actual_label=f"{yoy.get('value_text')}%",
                            unit="", evidence_expected=chg["_num"].evidence, evidence_actual=yoy["_num"].evidence,
                            note="上年数为 0（本年数等于增加额），增长率无从计算")
