"""The 概况 (overview) and the 名词解释 (glossary) of a report, as data.

Source: the part headed ``第X部分 …概况`` (duties, organisation, 人员编制数, the units included)
and the part headed ``第X部分 名词解释``. No amounts here; 人员编制数 is a head count (人).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from xinzhou_fiscal import patterns
from xinzhou_fiscal.errors import ParseProblem
from xinzhou_fiscal.numbers import LazyPattern, token_value
from xinzhou_fiscal.read.source import SourceDocument
from xinzhou_fiscal.tables.frames import Records
from xinzhou_fiscal.text.paragraphs import squash
from xinzhou_fiscal.text.parts import find_parts

if TYPE_CHECKING:
    import pandas as pd

_STAFFING = LazyPattern(r"(?:人员)?(?:核定|行政|事业)?编制(?:数|人数)?(?:为|共|是|共计)?\s*(\d+|[零一二两三四五六七八九十百千]+)\s*(人|名)")
_UNIT_TYPE = LazyPattern(r"(?:为|是|属于|系|单位性质[:：为]?|单位类型[:：为]?)\s*(参照公务员法管理的事业单位|"
                        r"参照公务员法管理事业单位|参公管理(?:的)?事业单位|参公(?:管理)?单位|"
                        r"行政单位|公益[一二三]类事业单位|事业单位|国有企业|企业)")
_UNITS_INTRO = LazyPattern(r"(范围|单位构成|决算单位|预算单位)[^，,。；;]{0,10}?(?:共[^，,。；;]{1,4}[，,])?"
                          r"(?:包括|分别是|分别为)[:：]?\s*(.*)$")
_ITEM = LazyPattern(r"^\s*(?:\d{1,2}\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）])\s*(?!\d)(.+?)\s*[。；;]?\s*$")
_ENTRY = patterns.compile(r"^\s*(?:[-•·*]\s*)?([一二三四五六七八九十]+|\d{1,2})\s*[、.．]\s*(.+?)\s*[:：]\s*(.*)$")


def parse_overview(doc: SourceDocument) -> dict:
    """What the 概况 says.

    Keys: ``staffing`` (人员编制数, int, persons), ``unit_type`` (行政单位 / 事业单位 / …),
    ``units_included`` (the units listed under 纳入…范围的包括 / 单位构成, as printed),
    ``lines`` (key → source line; a list of lines for ``units_included``), ``pages`` (same for
    pages), ``text`` (the 概况 paragraphs, joined) and ``problems`` (stage ``overview``: a figure
    not found, or a listed unit name that looks cut off because the 概况 elsewhere writes a
    longer name starting with it). Missing values are None.
    """
    parts = find_parts(doc)
    out: dict = {"staffing": None, "unit_type": None, "units_included": [], "lines": {}, "pages": {},
                 "text": "", "problems": []}
    part = parts.get("overview")
    if part is None:
        out["problems"].append(ParseProblem("overview", "no 概况 part (第X部分 …概况) found"))
        return out
    body = [(ln, squash(ln.text) if "\t" not in ln.text else " | ".join(c.strip() for c in ln.text.split("\t")))
            for ln in part.lines]
    body = [(ln, s) for ln, s in body if s]
    out["text"] = "\n".join(s for _, s in body)
    for ln, s in body:
        if out["staffing"] is None and (m := _STAFFING.search(s)):
            out["staffing"] = int(token_value(m.group(1)))
            out["lines"]["staffing"], out["pages"]["staffing"] = ln.line, ln.page
        if out["unit_type"] is None and (m := _UNIT_TYPE.search(s)):
            out["unit_type"] = m.group(1)
            out["lines"]["unit_type"], out["pages"]["unit_type"] = ln.line, ln.page
    units, lines, pages = [], [], []
    for k, (ln, s) in enumerate(body):
        m = _UNITS_INTRO.search(s)
        if not m:
            continue
        if m.group(2):       # the list in the sentence itself: 包括：A、B、C。
            for name in patterns.compile(r"[、，,；;]").split(m.group(2).rstrip("。")):
                name = patterns.compile(r"等$").sub("", name.strip())
                if name:
                    units.append(name)
                    lines.append(ln.line)
                    pages.append(ln.page)
        for ln2, s2 in body[k + 1:]:
            if "\t" in ln2.text:       # a small table: 序号 | 单位名称 | 备注
                cells = [c.strip() for c in ln2.text.split("\t")]
                if cells[0].startswith("序号"):
                    continue
                if not (cells[0].isdigit() and len(cells) > 1 and cells[1]):
                    break
                name = cells[1]
            else:
                mi = _ITEM.match(ln2.text)
                if not mi:
                    break
                name = mi.group(1)
            units.append(squash(name))
            lines.append(ln2.line)
            pages.append(ln2.page)
        if units:
            break
    out["units_included"] = units
    out["lines"]["units_included"], out["pages"]["units_included"] = lines, pages
    for key, what in (("staffing", "人员编制数"), ("unit_type", "unit type (行政单位/事业单位)")):
        if out[key] is None:
            out["problems"].append(ParseProblem("overview", f"{what} not found in the 概况",
                                                line=part.heading_line.line, page=part.heading_line.page))
    if not units:
        out["problems"].append(ParseProblem("overview", "no list of included units (…范围的包括 / 单位构成)",
                                            line=part.heading_line.line, page=part.heading_line.page))
    text = "\n".join(s for ln, s in body if "\t" not in ln.text)   # prose only, not the unit table
    for name, line, page in zip(units, lines, pages):
        longer = {m.group(0) for m in patterns.compile(re.escape(name) + r"[\u4e00-\u9fff]+").finditer(text)}
        longer = {x for x in longer if x != name and not patterns.compile(r"(的|和|及|为|等|、)").search(x[len(name):len(name) + 1])}
        if longer:
            out["problems"].append(ParseProblem(
                "overview", f"included unit {name!r} looks cut off: the 概况 also writes "
                f"{', '.join(sorted(longer))}", line=line, page=page, text=name))
    return out


GLOSSARY_COLUMNS = ["term", "definition", "line", "end_line", "page", "number"]
_GLOSSARY_DTYPES = {"line": "Int64", "end_line": "Int64", "page": "Int64"}


def parse_glossary(doc: SourceDocument) -> "pd.DataFrame":
    """名词解释 as one row per term: ``term``, ``definition`` (a definition wrapped over several
    lines, blank lines included, is joined), ``line`` (where the entry starts), ``end_line``,
    ``page`` and ``number`` (the printed ordinal, 一, 二, …)."""
    return glossary_records(doc).frame


def glossary_records(doc: SourceDocument) -> Records:
    """The rows of :func:`parse_glossary` (its DataFrame is built on first use)."""
    part = find_parts(doc).get("glossary")
    rows: list[dict] = []
    if part is None:
        return Records([], GLOSSARY_COLUMNS, _GLOSSARY_DTYPES)
    for ln in part.lines:
        s = ln.text.strip()
        if not s:
            continue
        m = _ENTRY.match(s)
        if m:
            rows.append({"term": squash(m.group(2)), "definition": m.group(3).strip(), "line": ln.line,
                         "end_line": ln.line, "page": ln.page, "number": m.group(1)})
        elif rows:
            prev = rows[-1]["definition"]
            sep = " " if prev[-1:].isascii() and prev[-1:].isalnum() and s[:1].isascii() and s[:1].isalnum() else ""
            rows[-1]["definition"] = prev + sep + s
            rows[-1]["end_line"] = ln.line
    return Records(rows, GLOSSARY_COLUMNS, _GLOSSARY_DTYPES)
