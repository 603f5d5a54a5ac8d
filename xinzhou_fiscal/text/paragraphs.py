"""A part's lines as headings, paragraphs and small tables (the first step of reading prose).

* Lines are joined into paragraphs by :func:`xinzhou_fiscal.text.reflow.blocks`: a line that
  does not end with 。；：!? continues on the next non-blank line unless that starts a heading, a
  list item or a note (PDF line wraps, and the text extraction's blank lines inside a sentence);
  a heading cut by the page width is one heading.
* Headings (一、 / （一） / 1、 followed by a short title with no comma and no amount) start a
  new paragraph and carry their level (1, 2, 3).
* A tab-separated line is a small table row, not a sentence.
* :func:`squash` removes the spaces extraction puts inside Chinese text; it is
  :func:`xinzhou_fiscal.read.source.normalize_label` after full-width digits are made ASCII.
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass

from xinzhou_fiscal import patterns
from xinzhou_fiscal.numbers import NUMBER_TOKEN
from xinzhou_fiscal.read.source import Line, normalize_label

_FULLWIDTH = str.maketrans("０１２３４５６７８９％．－", "0123456789%.-")
_BULLET = patterns.compile(r"^[-•·*]\s+")

_H1 = patterns.compile(r"^([一二三四五六七八九十]+)\s*[、.．]")
_H2 = patterns.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[)）]")
_H3 = patterns.compile(r"^(\d{1,2})\s*[、.．](?!\d)")
ITEM_START = patterns.compile(r"^(\d{1,2}\s*[、.．](?!\d)|[（(]\s*[一二三四五六七八九十\d]+\s*[)）])")
SENTENCE_END = "。；;！!？?"
CLAUSE_SEP = "，,：:、"

#: every unit a narrative figure may carry, longest first where one is the start of another
UNIT = patterns.compile(
    r"万元|亿元|千元|元|个百分点|百分点|%|个|辆车?|批次|人次|台[（(]套[)）]|台套|台|套|人|名|次|件|项|家|户|分|天|公里|"
    r"平方米|场|期|份")


def squash(text: str) -> str:
    """The line without the spaces that extraction puts inside Chinese text (``与 2023 年度`` →
    ``与2023年度``); a space between two digits or letters is kept (it separates two tokens)."""
    return normalize_label(_BULLET.sub("", text.strip().translate(_FULLWIDTH)))


def unit_kind(unit: str) -> str:
    """money / pct / score / count for a unit matched by :data:`UNIT`."""
    if unit in ("万元", "亿元", "千元", "元"):
        return "money"
    if unit in ("%", "个百分点", "百分点"):
        return "pct"
    if unit == "分":
        return "score"
    return "count"


def norm_unit(unit: str) -> str:
    """台（套） → 台套, 辆车 → 辆; other units as printed."""
    if unit.startswith("台") and len(unit) > 1:
        return "台套"
    if unit == "辆车":
        return "辆"
    return unit


#: a 类/款/项 chain cut by the line: a name after its last level marker (…离退休（类）机关事业单位基本养老保险 /
#: 缴费支出（项）607.1万元…): an item going on, not a heading
_CUT_CHAIN = patterns.compile(r"[（(](?:类|款)[)）][^（()）]+$")


def heading_level(s: str) -> int:
    """1, 2 or 3 for a heading line (一、… / （一）… / 1、… with a short title), else 0."""
    for level, rx in ((1, _H1), (2, _H2), (3, _H3)):
        m = rx.match(s)
        if not m:
            continue
        rest = s[m.end():].rstrip("。")
        if len(rest) > 40 or patterns.compile(r"[，,；;。]").search(rest) or _CUT_CHAIN.search(rest):
            return 0
        for t in NUMBER_TOKEN.finditer(rest):
            # an amount, also one whose unit the line cuts (…支出2464.02万 / 元，与上年…)
            if UNIT.match(rest, t.end()) or rest[t.end():t.end() + 1] in ("万", "亿", "千") \
                    or ("." in t.group(0) and t.end() == len(rest)):
                return 0
        return level
    return 0


@dataclass
class Paragraph:
    text: str
    starts: list[int]          # offset in text where each source line begins
    lines: list[Line]

    def line_at(self, pos: int) -> Line:
        return self.lines[bisect_right(self.starts, pos) - 1]


@dataclass
class Heading:
    level: int
    text: str
    line: Line


@dataclass
class TableRow:
    """A tab-separated line inside a narrative part: a small table (e.g. the units of the 概况),
    not a sentence. Its numbers are recorded as non-claims (reason "table")."""

    line: Line


def joined_paragraph(cur: list[tuple[Line, str]]) -> Paragraph:
    text, starts = "", []
    for _, s in cur:
        if text and text[-1].isalpha() and s[0].isalpha() and text[-1].isascii() and s[0].isascii():
            text += " "                 # two Latin words; a number cut by the line end runs on
        starts.append(len(text))
        text += s
    return Paragraph(text, starts, [ln for ln, _ in cur])


def spans(text: str, seps: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split ``text`` at any char of ``seps`` outside the protected (number) spans; the
    separator stays with the span it ends."""
    out, start, k = [], 0, 0
    for m in _separators(seps).finditer(text):
        i = m.start()
        while k < len(protected) and protected[k][1] <= i:
            k += 1
        if k < len(protected) and protected[k][0] <= i:
            continue                    # inside a number (1,234.56 / 3:1)
        out.append((start, i + 1))
        start = i + 1
    if start < len(text):
        out.append((start, len(text)))
    return out


@functools.cache
def _separators(seps: str) -> re.Pattern:
    return patterns.compile("[" + re.escape(seps) + "]")
