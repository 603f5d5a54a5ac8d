"""The report's department, year and kind, read from the whole document: the cover, the part
headings and the table captions (部门名称：…). A name wrapped over two lines is joined, never cut.
Where the places disagree, the disagreement is kept (``mentions``) and recorded as a problem for
the audit; the name and year the report goes by come from the cover first.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from xinzhou_fiscal.errors import NotAReportError, ParseProblem
from xinzhou_fiscal.numbers import LazyPattern
from xinzhou_fiscal.read.source import normalize_label

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
_TITLE = re.compile(r"((?:19|20)\d{2})\s*年度?\s*(?:部门|单位)?\s*(决算|预算)")
_HEADING = re.compile(r"^\s*(?:第\s*[一二三四五六七八九十]+\s*(?:部分|章)|[一二三四五六七八九十]+、)\s*")
_HEADING_END = LazyPattern(r"(?:(?:19|20)\d{2}\s*年度?)|概况|(?:部门|单位)?(?:决算|预算)|情况说明|名词解释|附件")
_TOC = re.compile(r"^\s*目\s*录\s*$")
COVER_LINES = 12   # the cover is within the first non-blank lines, before the 目录


@dataclass
class DocumentMeta:
    """Department, year and kind of a report, with every place each was read from."""

    department: str
    year: int
    kind: str
    mentions: list[dict] = field(default_factory=list)     # what: department|year, source, text, line, page
    problems: list[ParseProblem] = field(default_factory=list)


def _cover(lines) -> tuple[list, object | None]:
    """The cover's name lines (before the title line) and the title line (2024年度部门决算)."""
    seen = []
    for ln in lines:
        s = ln.text.strip()
        if not s:
            continue
        if _TOC.match(s) or len(seen) >= COVER_LINES:
            break
        if _TITLE.search(normalize_label(s)):
            return seen[-3:], ln
        seen.append(ln)
    return [], None


def _cover_name(name_lines, title) -> tuple[str, object | None]:
    """The name on the cover: the lines above the title joined (a name wrapped over lines), then
    what the title line prints before its year (上海市普陀区财政局2024年度部门决算)."""
    prefix = normalize_label(title.text)[:_TITLE.search(normalize_label(title.text)).start()] if title is not None else ""
    name = "".join(normalize_label(ln.text) for ln in name_lines) + prefix
    return name, (name_lines[0] if name_lines else title)


def _heading_names(lines) -> list[tuple[str, object]]:
    """Department names carried by part headings (第三部分 上海市…局2024年度部门决算情况说明),
    a heading wrapped over two lines joined first."""
    found = []
    for i, ln in enumerate(lines):
        m = _HEADING.match(ln.text)
        if not m or not ln.text.strip().startswith("第"):
            continue
        text = normalize_label(ln.text[m.end():])
        if not _HEADING_END.search(text) and i + 1 < len(lines) and len(lines[i + 1].text.strip()) <= 12:
            text += normalize_label(lines[i + 1].text)
        end = _HEADING_END.search(text)
        name = text[:end.start()] if end else ""
        if len(name) >= 3:
            found.append((name, ln))
    return found


def _mention(what: str, source: str, text, ln) -> dict:
    return {"what": what, "source": source, "text": str(text), "line": getattr(ln, "line", None),
            "page": getattr(ln, "page", None)}


def read_metadata(doc, default_kind: str) -> DocumentMeta:
    """Read department, year and kind from a SourceDocument (see the module docstring)."""
    name_lines, title = _cover(doc.lines)
    cover, cover_ln = _cover_name(name_lines, title)
    mentions = [_mention("department", "cover", cover, cover_ln)] if cover else []
    mentions += [_mention("department", "heading", n, ln) for n, ln in _heading_names(doc.lines)]
    mentions += [_mention("department", "caption", normalize_label(b.department), b.rows[0] if b.rows else None)
                 | {"line": b.start_line, "page": b.page} for b in doc.tables if b.department]
    department = _choose_department(cover, [m["text"] for m in mentions])
    year, kind = _year_kind(doc, title, default_kind)
    mentions += [_mention("year", "cover", year, title)] if title is not None else []
    problems = [ParseProblem("metadata", f"the department is printed as {m['text']!r} in the {m['source']}, "
                             f"but the report is {department!r}", line=m["line"], page=m["page"], text=m["text"])
                for m in mentions if m["what"] == "department" and m["text"] != department]
    return DocumentMeta(department, year, kind, mentions, problems)


def _choose_department(cover: str, names: list[str]) -> str:
    """The cover's name; without a cover, the name printed most often. A name that is a cut-off
    start of a longer printed one (a line break inside the name) gives way to the longer one."""
    if not names:
        return ""
    chosen = cover or Counter(names).most_common(1)[0][0]
    longer = [n for n in names if n != chosen and n.startswith(chosen)]
    return max(longer, key=len) if longer and not cover else chosen


def _year_kind(doc, title, default_kind: str) -> tuple[int, str]:
    if title is not None:
        m = _TITLE.search(normalize_label(title.text))
        return int(m.group(1)), m.group(2)
    head = "\n".join(ln.text for ln in doc.lines[:60])
    m = _YEAR.search(head)
    if not m:
        raise NotAReportError("cannot find the report's year (e.g. 2023年度) in its first lines", file=doc.path)
    return int(m.group(1)), default_kind
