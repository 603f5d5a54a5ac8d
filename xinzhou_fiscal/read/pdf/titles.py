"""Table titles, table metadata (公开NN表, 部门名称, 年度, 金额单位) and page furniture (page numbers,
running headers and footers)."""
from __future__ import annotations

from typing import Any

from xinzhou_fiscal import patterns
from xinzhou_fiscal.read.furniture import PAGE_NUMBER
from xinzhou_fiscal.read.source import PART_HEADING, normalize_label
from xinzhou_fiscal.templates.names import TABLE_NUMBER, printed_number

_NUMBER_IN = TABLE_NUMBER
_DEPT_IN = patterns.compile(r"(?:部门名称|单位名称|编制单位|填报单位|部门)\s*[:：]\s*(?!(?:金额)?单位\s*[:：])(.+?)"
                      r"(?=\s|(?:19|20)\d{2}\s*年|金额单位|单位\s*[:：]|$)")
_UNIT_IN = patterns.compile(r"(?:金额)?单位\s*[:：]\s*(万元|千元|亿元|元)")
_YEAR_IN = patterns.compile(r"(?:19|20)\d{2}\s*年度?")
_CONT = patterns.compile(r"^[（(]?\s*续(表)?\s*[)）]?$")
_TITLE_PREFIX = patterns.compile(r"^(附?表\s*[\d一二三四五六七八九十]+\s*[、.．:：]?|[一二三四五六七八九十]+、|\d+[、.．])")
_CONT_SUFFIX = patterns.compile(r"[（(]\s*续(表)?\s*[)）]$|续表$")


def table_meta(text: str) -> dict[str, str] | None:
    """If the line is table metadata (number, department, year, unit, page number, 续表), what it
    says; None for any other line."""
    s = text.strip()
    found: dict[str, str] = {}
    m = _NUMBER_IN.search(s)
    if m:
        found["number"] = printed_number(m)
    m = _DEPT_IN.search(s)
    if m:
        found["department"] = m.group(1).strip()
    m = _UNIT_IN.search(s)
    if m:
        found["unit"] = m.group(1)
    rest = s
    for rx in (_NUMBER_IN, _DEPT_IN, _UNIT_IN):
        rest = rx.sub(" ", rest)
    # (a label left blank: 单位名称：, or 单位： before 单位：万元 on one line)
    rest = patterns.compile(r"(?:部门名称|单位名称|编制单位|填报单位|部门|单位)\s*[:：]").sub(" ", rest)
    rest = _YEAR_IN.sub(" ", rest).strip(" \t:：,，")
    rest = patterns.compile(r"^[（(]\s*[)）]$").sub("", rest)         # (2023 年度) under a title: the year in brackets
    if not rest or PAGE_NUMBER.match(rest) or _CONT.match(rest):
        return found
    return None


def table_title(text: str) -> tuple[str, str | None, bool] | None:
    """(title, number, is_continuation) if the line is a table title, else None."""
    s = normalize_label(text)
    if not s or PART_HEADING.match(s) or len(s) > 60:
        return None
    number = None
    m = _NUMBER_IN.search(s)
    if m:
        number = printed_number(m)
        s = normalize_label(_NUMBER_IN.sub("", s))
    cont = bool(_CONT_SUFFIX.search(s))
    s = _CONT_SUFFIX.sub("", s).strip()
    s = _TITLE_PREFIX.sub("", s).strip()
    if not s.endswith("表") or len(s) < 4 or patterns.compile(r"[，。；：:,;]").search(s):
        return None                                    # (a sentence mentioning a table is no title)
    if not patterns.compile(r"决算|预算|统计表|经费.{0,6}表").search(s) and number is None and not known_title(s):
        return None
    return s, number, cont


def furniture_key(text: str) -> str:
    return patterns.compile(r"\d+").sub("#", normalize_label(text))


def running_lines(stream: list[tuple[str, Any]], min_pages: int = 3) -> set[str]:
    """Texts printed on at least ``min_pages`` pages (running headers and footers, ``第#页``)."""
    pages: dict[str, set[int]] = {}
    for kind, obj in stream:
        if kind == "text" and len(obj.text) <= 60:
            pages.setdefault(furniture_key(obj.text), set()).add(obj.page)
    return {k for k, v in pages.items() if len(v) >= min_pages}


def known_title(title: str) -> bool:
    from xinzhou_fiscal.templates.specs import spec_for_title
    return spec_for_title(title) is not None


def is_furniture(text: str, running: set[str] = frozenset()) -> bool:
    """Page furniture between two parts of a continued table: metadata, page numbers, 续表,
    running headers and footers."""
    return table_meta(text) is not None or (bool(running) and furniture_key(text) in running)
