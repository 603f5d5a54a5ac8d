"""Which template family a document follows, from what it prints.

Evidence, each weighed the same way for every family (the weights are stated in :data:`WEIGHTS`):

- a located table whose title is one of the family's and whose printed number agrees with the
  family's numbering (公开09表 for the Xinzhou 三公 table), or that prints no number in a family
  that numbers none;
- a table number that contradicts the family's numbering, a table printed without the number its
  family gives every table, or a table the family does not have;
- the 目录 ordinal of a table (七、财政拨款“三公”经费支出决算表) against the family's order;
- the family's marker words in the cover, headings and 目录 (上海市, 忻州 …).

The family with the highest score wins; ties go to the family of lower ``rank`` (its TOML file).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from xinzhou_fiscal import patterns
from xinzhou_fiscal.pycache import toml
from xinzhou_fiscal.templates.labels import label_key

#: this folder: the template families (*.toml) and their wording/
_HERE = Path(__file__).parent

WEIGHTS = {"number_agrees": 2, "unnumbered_agrees": 1, "number_contradicts": -2, "number_missing": -1,
           "table_not_in_family": -3,
           "toc_order_agrees": 1, "toc_order_contradicts": -1, "marker": 3}
_CN = "一二三四五六七八九十"
_TOC_LINE = patterns.compile(r"^\s*([一二三四五六七八九十]{1,2})\s*[、.．]\s*(.+?)(?:\s*\.{2,}.*|\s+\d+)?\s*$")
HEAD_LINES = 150   # the cover, the 目录 and the first headings are within the first lines


@cache
def title_facts() -> dict:
    """The title variations of ``wording/titles.toml``: prefixes (year, sequence number) and the rule
    for a name printed before a known title."""
    return toml(_HERE / "wording" / "titles.toml")


@cache
def _prefixes() -> tuple[re.Pattern, ...]:
    return tuple(patterns.compile(p) for p in title_facts()["prefixes"])


@lru_cache(maxsize=4096)      # the same titles come back from the TOC, the body and the audit
def strip_title_prefixes(title: str) -> str:
    """A printed title without the year and sequence number printed before its name
    (``5． 2025年预算单位一般公共预算支出功能分类预算表`` → ``预算单位一般公共预算支出功能分类预算表``)."""
    s = title or ""
    changed = True
    while changed:
        changed = False
        for rx in _prefixes():
            t = rx.sub("", s, count=1)
            if t != s and t.strip():
                s, changed = t, True
    return s


def title_key(title: str) -> str:
    """A printed title reduced to what identifies it: no year or sequence number before it (see
    :func:`strip_title_prefixes`), then its :func:`~.labels.label_key` (no spaces or quotes, full-width
    brackets)."""
    return label_key(strip_title_prefixes(title or ""))


def cn_ordinal(i: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一 … 19 → 十九 (the 目录 ordinals)."""
    return _CN[i - 1] if i <= 10 else "十" + _CN[i - 11]


@dataclass(frozen=True)
class TemplateMatch:
    """The detected family, its score, the evidence, and every family's score."""

    template: object
    score: int
    evidence: tuple[str, ...]
    scores: dict[str, int]


def toc_ordinals(lines) -> dict[str, str]:
    """Title key → 目录 ordinal (七) for the 目录-like lines among the first lines of a document."""
    found: dict[str, str] = {}
    for ln in lines[:HEAD_LINES]:
        m = _TOC_LINE.match(ln.text)
        if m:
            found.setdefault(title_key(m.group(2)), m.group(1))
    return found


_TOC_TABLE_LINE = patterns.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}\s*[.．、])"
                             r"\s*(.+?表)(?:\s*\.{2,}.*|\s+\d+)?\s*$")


def toc_titles(lines) -> list[str]:
    """The table titles the 目录 lists (一、收支预算总表; 1. 2025年预算单位财务收支预算总表; （一）高等学校
    收支决算总表) among the first lines of a document, as printed after their ordinal."""
    return [m.group(1).strip() for ln in lines[:HEAD_LINES] if (m := _TOC_TABLE_LINE.match(ln.text))]


_BUDGET_WORD = patterns.compile(r"预算(?:总)?表|部门预算|单位预算")
_FINAL_WORD = patterns.compile(r"决算")


def document_kind(doc, template) -> str:
    """预算 or 决算, from what the document prints: the titles of its located tables (收支预算总表 is a
    budget's, 收入决算表 a final's), else those its 目录 lists, else its first lines, else the family's kind.
    (The cover's title, 2023年度部门预算, is read by the metadata and wins over this.)"""
    for titles in ([b.title for b in doc.tables], toc_titles(doc.lines),
                   [ln.text for ln in doc.lines[:HEAD_LINES]]):
        text = "".join(titles)
        budget, final = len(_BUDGET_WORD.findall(text)), len(_FINAL_WORD.findall(text))
        if budget != final:
            return "预算" if budget > final else "决算"
    return template.kind


def _score(template, blocks, toc: dict[str, str], head: str, listed=()) -> tuple[int, list[str]]:
    score, why = 0, []
    by_title = {title_key(t): (i, tt) for i, tt in enumerate(template.tables) for t in tt.titles}

    def add(kind: str, text: str) -> None:
        nonlocal score
        score += WEIGHTS[kind]
        why.append(f"{kind}: {text}")

    for b in blocks:
        hit = by_title.get(title_key(b.title))
        if hit is None:
            if b.title:
                add("table_not_in_family", b.title)
            continue
        i, tt = hit
        if b.number and tt.number:
            add("number_agrees" if patterns.compile(r"\s").sub("", b.number) == tt.number else "number_contradicts",
                f"{b.number} {b.title}")
        elif not b.number:
            add("number_missing" if template.numbered else "unnumbered_agrees", b.title)
        ordinal = toc.get(title_key(b.title))
        if ordinal:
            expected = tt.toc or cn_ordinal(i + 1)
            add("toc_order_agrees" if ordinal == expected else "toc_order_contradicts", f"目录 {ordinal}、{b.title}")
    for title in listed:                    # tables the 目录 lists that the body does not print
        hit = by_title.get(title_key(title))
        add("toc_order_agrees" if hit else "table_not_in_family", f"目录 {title}")
    for marker in template.markers:
        if patterns.compile(marker).search(head):
            add("marker", marker)
    return score, why


def detect_template(lines, blocks, listed=()) -> TemplateMatch:
    """The template family of a document, from its lines and its located table blocks (and, for a
    document whose tables are published apart, the table titles its 目录 ``listed``)."""
    from xinzhou_fiscal.templates.families import templates
    head = "\n".join(ln.text for ln in lines[:HEAD_LINES])
    toc = toc_ordinals(lines)
    results = [(t, *_score(t, blocks, toc, head, listed)) for t in templates() if t.tables]
    best = max(results, key=lambda r: r[1])  # max keeps the first of equal scores: the lower rank
    return TemplateMatch(best[0], best[1], tuple(best[2]), {t.id: s for t, s, _ in results})
