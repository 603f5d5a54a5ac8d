"""The report's department, year and kind, read from the whole document: the cover, the part
headings and the table captions (部门名称：…). A name wrapped over two lines is joined, never cut.
Where the places disagree, the disagreement is kept (``mentions``) and recorded as a problem for
the audit; the name and year the report goes by come from the cover first.

How covers print them is template data (``templates/wording/covers.toml``): the year in Arabic or
Chinese numerals (2025年, 二〇二五年度), what may stand between it and the kind (上海市2025年市级单位预算),
the labelled name lines (预算单位：上海市财政局). A department the document does not print is a named
missing piece (``DocumentMeta.missing``), never a guess.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from xinzhou_fiscal import patterns
from xinzhou_fiscal.errors import NotAReportError, ParseProblem
from xinzhou_fiscal.numbers import LazyPattern
from xinzhou_fiscal.read.source import normalize_label
from xinzhou_fiscal.templates.text_facts import cover_facts

_HEADING = patterns.compile(r"^\s*(?:第\s*[一二三四五六七八九十]+\s*(?:部分|章)|[一二三四五六七八九十]+、)\s*")
_HEADING_END = LazyPattern(r"概况|(?:部门|单位)?(?:决算|预算)|情况说明|名词解释|附件")
_TOC = patterns.compile(r"^\s*目\s*录\s*$")
COVER_LINES = 12   # the cover is within the first non-blank lines, before the 目录
HEAD_LINES = 150   # without a cover title, the year is read from the headings and titles of the first lines
MISSING_DEPARTMENT = ("department: not printed on the cover, in a part heading or in a table caption "
                      "(部门名称：…)")


@dataclass
class DocumentMeta:
    """Department, year and kind of a report, with every place each was read from."""

    department: str
    year: int
    kind: str
    mentions: list[dict] = field(default_factory=list)     # what: department|year, source, text, line, page
    problems: list[ParseProblem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)       # what the document does not tell, one phrase each


@cache
def _patterns() -> dict[str, LazyPattern]:
    """The cover's patterns (covers.toml), each compiled when first used (a cover may need few of them)."""
    f = cover_facts()
    kinds = "|".join(map(re.escape, f["kinds"]))
    return {
        "year": LazyPattern(f["year"]),
        "title": LazyPattern(rf"^(?P<prefix>.*?){f['year']}{f['between']}(?P<kind>{kinds})(?P<rest>.*)$"),
        "title_end": LazyPattern(f["title_end"]),
        "label": LazyPattern(rf"^\s*(?:{'|'.join(map(re.escape, f['name_labels']))})\s*[:：]\s*(?P<name>\S.*?)\s*$"),
        "not_a_name": LazyPattern("|".join(f"(?:{p})" for p in f["not_a_name"])),
        "place_only": LazyPattern(f["place_only"]),
        "head_year": LazyPattern(rf"{f['year']}\s*(?:部门|单位)?\s*(?:{kinds})"),
    }


def year_value(printed: str) -> int | None:
    """A printed year as a number: ``2025`` → 2025, ``二〇二五`` → 2025 (the digits of covers.toml)."""
    if printed.isascii() and printed.isdigit():
        return int(printed)
    digits = cover_facts()["year_digits"]
    if all(ch in digits for ch in printed):
        return int("".join(str(digits[ch]) for ch in printed))
    return None


def cover_title(text: str) -> tuple[str, int, str] | None:
    """(name printed before the year, year, kind) when ``text`` is a cover title (2024年度部门决算,
    上海市普陀区XX局2025年单位预算, 西南大学二〇二二年度部门预算公开), else None. A table title
    (2025年预算单位财务收支预算总表) or a sentence is not a cover title."""
    s = normalize_label(text)
    m = _patterns()["title"].match(s)
    if not m or not _patterns()["title_end"].match(m.group("rest")):
        return None
    year = year_value(m.group("year"))
    kind = cover_facts()["kinds"][m.group("kind")]
    return (m.group("prefix").strip(), year, kind) if year else None


def _is_name(text: str) -> bool:
    s = normalize_label(text)
    return bool(s) and not _patterns()["not_a_name"].search(s) and not _patterns()["year"].search(s) \
        and cover_title(s) is None and len(s) <= 40


def _cover(lines) -> tuple[list, object | None, list]:
    """The cover's lines before the title, the title line (2024年度部门决算), and the lines after it."""
    seen = []
    for ln in lines:
        s = ln.text.strip()
        if not s:
            continue
        if _TOC.match(s) or len(seen) >= COVER_LINES:
            break
        seen.append(ln)
    for i, ln in enumerate(seen):
        if cover_title(ln.text):
            return seen[:i], ln, seen[i + 1:]
    return seen, None, []


def _cover_name(before, title, after) -> tuple[str, object | None]:
    """The name on the cover: a labelled line (预算单位：上海市财政局); else the name lines above the title
    joined (a name wrapped over lines) with what the title prints before its year (上海市普陀区财政局
    2024年度部门决算), unless that is only a place (上海市2025年市级单位预算); else the name line under
    the title (2025年度部门预算 / 上海市普陀区XX局)."""
    for ln in before + after:
        m = _patterns()["label"].match(normalize_label(ln.text))
        if m and normalize_label(m.group("name")):
            return normalize_label(m.group("name")), ln
    if title is None:
        return "", None
    above = [ln for ln in before[-3:] if _is_name(ln.text)]
    name = "".join(normalize_label(ln.text) for ln in above) + cover_title(title.text)[0]
    if name and not _patterns()["place_only"].match(name):
        return name, (above[0] if above else title)
    below = next((ln for ln in after[:2] if _is_name(ln.text)), None)
    if below is not None:
        return normalize_label(below.text).strip("（）()"), below
    return "", None


def _heading_names(lines) -> list[tuple[str, object]]:
    """Department names carried by part headings (第三部分 上海市…局2024年度部门决算情况说明),
    a heading wrapped over two lines joined first."""
    found = []
    year, end_words = _patterns()["year"], _HEADING_END
    for i, ln in enumerate(lines):
        m = _HEADING.match(ln.text)
        if not m or not ln.text.strip().startswith("第"):
            continue
        text = normalize_label(ln.text[m.end():])
        if not (year.search(text) or end_words.search(text)) and i + 1 < len(lines) \
                and len(lines[i + 1].text.strip()) <= 12:
            text += normalize_label(lines[i + 1].text)
        ends = [e.start() for e in (year.search(text), end_words.search(text)) if e]
        name = text[:min(ends)] if ends else ""
        if len(name) >= 3:
            found.append((name, ln))
    return found


def _mention(what: str, source: str, text, ln) -> dict:
    return {"what": what, "source": source, "text": str(text), "line": getattr(ln, "line", None),
            "page": getattr(ln, "page", None)}


def read_metadata(doc, default_kind: str) -> DocumentMeta:
    """Read department, year and kind from a SourceDocument (see the module docstring)."""
    before, title, after = _cover(doc.lines)
    cover, cover_ln = _cover_name(before, title, after)
    mentions = [_mention("department", "cover", cover, cover_ln)] if cover else []
    mentions += [_mention("department", "heading", n, ln) for n, ln in _heading_names(doc.lines)]
    mentions += [_mention("department", "caption", normalize_label(b.department), b.rows[0] if b.rows else None)
                 | {"line": b.start_line, "page": b.page} for b in doc.tables if b.department]
    department = _choose_department(cover, [m["text"] for m in mentions])
    year, kind, year_ln = _year_kind(doc, title, default_kind)
    mentions += [_mention("year", "cover" if title is not None else "heading", year, year_ln)]
    problems = [ParseProblem("metadata", f"the department is printed as {m['text']!r} in the {m['source']}, "
                             f"but the report is {department!r}", line=m["line"], page=m["page"], text=m["text"])
                for m in mentions if m["what"] == "department" and m["text"] != department]
    missing = [] if department else [MISSING_DEPARTMENT]
    return DocumentMeta(department, year, kind, mentions, problems, missing)


def _choose_department(cover: str, names: list[str]) -> str:
    """The cover's name; without a cover, the name printed most often. A name that is a cut-off
    start of a longer printed one (a line break inside the name) gives way to the longer one."""
    if not names:
        return ""
    chosen = cover or Counter(names).most_common(1)[0][0]
    longer = [n for n in names if n != chosen and n.startswith(chosen)]
    return max(longer, key=len) if longer and not cover else chosen


def _year_kind(doc, title, default_kind: str) -> tuple[int, str, object | None]:
    """The year and kind of the cover title; without one, the year the headings and table titles of the
    first lines print before a kind word (第二部分 2019年度部门预算表, 1. 2025年预算单位财务收支预算总表),
    the one printed most often; the kind then comes from the document's tables (``default_kind``)."""
    if title is not None:
        _, year, kind = cover_title(title.text)
        return year, kind, title
    found = [(y, ln) for ln in doc.lines[:HEAD_LINES] for m in _patterns()["head_year"].finditer(normalize_label(ln.text))
             if (y := year_value(m.group("year")))]
    if not found:
        raise NotAReportError("cannot find the report's year: no cover title (2023年度部门决算) and no heading or "
                              "table title printing a year before 预算/决算 in its first lines", file=doc.path)
    year = Counter(y for y, _ in found).most_common(1)[0][0]
    return year, default_kind, next(ln for y, ln in found if y == year)
