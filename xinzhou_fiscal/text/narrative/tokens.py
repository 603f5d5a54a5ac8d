"""Numeric tokens of a narrative that are not figures, and why (the non-claims of the ledger).

Reasons: ``year`` (2023年), ``date`` (12月31日), ``ordinal`` (1、 / （1） / 第3), ``threshold``
(单价100万元以上), ``document number`` (〔2023〕12号, 文号), ``phone`` (a telephone number),
``count`` (a Chinese numeral counting what follows it, not a figure of the report: 新增三名驻村队员),
``template leftover`` (the figure after a template's unfilled pair of words, 增加（减少）0万元, 增长（减少）0%:
the text rule ``text.leftover`` reports the leftover), ``name`` (a number that is part of a name: 一个206基建项目,
“211工程”),
``word`` (a numeral inside a word: 一次性), ``rate in a reason clause`` / ``amount …`` / ``count …``
(a figure after 主要原因是 whose words name no subject of their own: 运转类项目经费统一压减10%, 增加综合管理费209万元;
see :func:`reason_clause_reason`), ``overview`` (a figure of the 概况 that is not a head
count: the 概况 describes the department; only 人员编制数 and other head counts are claims), ``table`` (a tab-separated row inside the prose, e.g. the 概况's list of units).
"""
from __future__ import annotations

import re

from functools import lru_cache

from xinzhou_fiscal import patterns
from xinzhou_fiscal.numbers import LazyPattern, is_chinese_token
from xinzhou_fiscal.templates.text_facts import text_facts
from xinzhou_fiscal.text.paragraphs import UNIT, norm_unit, unit_kind

_PHONE = patterns.compile(r"(?:电话|联系方式|热线|传真|Tel)[:：]?\s*$", re.I)
_YEAR = patterns.compile(r"(19|20)\d{2}")
_ORDINAL_MARK = patterns.compile(r"\s*[、.．](?!\d)")
_BRACKETED_YEAR_END = LazyPattern(r"[〔\[［【(（]\s*(19|20)\d{2}\s*[〕\]］】)）]\s*$")
_LONG_DIGITS = patterns.compile(r"-?\d{7,12}")
_AT_LEAST = patterns.compile(r"[（(]?含?[)）]?以[上下]")
_HAN = patterns.compile(r"[\u4e00-\u9fff]")
_GRADE_PHRASE = LazyPattern(r"[的是为]|[^，,。；;]{0,12}(?:等级|评级|评价)为")


_LEFTOVER_BEFORE = patterns.compile(r"[（(]\s*(?:减少|下降|降低|增加|增长)\s*[)）]\s*$")
#: a number in a name: after a classifier or an opening quote, before a noun (一个206基建项目, “211工程”)
_NAME_BEFORE = LazyPattern(r"(?:[个项所座家批]|[“\"])\s*$")
_NAME_AFTER = LazyPattern(r"\s*[\u4e00-\u9fff]")


def ignore_reason(text: str, start: int, end: int, tok: str, line_start: bool) -> str | None:
    """Why the token ``text[start:end]`` is not a figure, or None when it is one."""
    nxt = text[end:end + 1]
    prev = text[start - 1:start] if start else ""
    if _LEFTOVER_BEFORE.search(text, max(0, start - 8), start):
        return "template leftover"
    if nxt == "年" and _YEAR.fullmatch(tok):
        return "year"
    if nxt == "月" and tok.isdigit() and 1 <= int(tok) <= 12:
        return "date"
    if nxt == "日" and prev == "月":
        return "date"
    if (start == 0 or line_start) and _ORDINAL_MARK.match(text, end):
        return "ordinal"
    if prev in "（(" and nxt in "）)" and not UNIT.match(text, end):
        return "ordinal"
    if prev == "第":
        return "ordinal"
    if nxt == "号" and _BRACKETED_YEAR_END.search(text, 0, start):
        return "document number"
    if prev in "〔[［【" and _YEAR.fullmatch(tok):
        return "document number"
    if _LONG_DIGITS.fullmatch(tok.replace("-", "")) and "." not in tok and not UNIT.match(text, end) \
            or _PHONE.search(text[max(0, start - 8):start]):
        return "phone"
    u = UNIT.match(text, end)
    if u and text[max(0, start - 3):start].endswith(("单价", "单价为")) and \
            _AT_LEAST.match(text, u.end()):
        return "threshold"
    if not u and tok.isdigit() and _NAME_BEFORE.search(text, max(0, start - 3), start) \
            and _NAME_AFTER.match(text, end):
        return "name"
    if is_chinese_token(tok) and u and text[u.end():u.end() + 1] == "性":
        return "word"
    if is_chinese_token(tok) and u and _HAN.match(text, u.end()) and not _GRADE_PHRASE.match(text, u.end()):
        return "count"
    return None


_AFTER_OPENER = LazyPattern(r"^.*?原因(?:是|为|在于)?[:：]?")


@lru_cache(maxsize=1)
def _reason_clause() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    facts = text_facts()["reason_clause"]
    return (patterns.compile(facts["opener"]), patterns.compile(f"{facts['verb_start']}|{facts['vague_start']}"),
            patterns.compile(facts["verb_end"]))


def reason_clause_reason(sentence_before: str, label: str, unit: str) -> str | None:
    """Why a figure read with ``label`` is not a claim when it stands in a reason clause (its sentence,
    up to the figure, ``sentence_before``, holds 原因), or None. The figure is a claim only when
    ``label`` (the words before it, its metric words removed) names a subject of its own: not empty
    (a subject taken from an earlier figure), not starting with a verb, a net or a pointer to others
    (增加综合管理费, 增减相抵后, 相关运转类经费) and not stopping inside a verb, at a manner or a rule
    (运转类项目经费统一|压减10%, 其余会议费按照规定|压减10%). A verb of adjustment is a change word
    (扶贫经费|压减10万元 keeps 扶贫经费: text_rules.toml ``[change_verbs]``). Words: text_rules.toml
    ``[reason_clause]``."""
    opener, verb_start, verb_end = _reason_clause()
    if not opener.search(sentence_before):
        return None
    label = _AFTER_OPENER.sub("", label)          # 主要原因是增加了…专项经费 → 增加了…专项经费
    if label and not verb_start.search(label) and not verb_end.search(label):
        return None
    kind = {"pct": "rate", "money": "amount", "count": "count"}.get(unit_kind(norm_unit(unit)), "figure")
    return f"{kind} in a reason clause"
