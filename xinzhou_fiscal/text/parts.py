"""The parts of a report (概况, 决算表, 情况说明, 名词解释, 附件) found by their headings, as data.

Rules (no document-specific phrase; the part words come from the template data, ``[parts]`` in
``xinzhou_fiscal/templates/*.toml``, read through :func:`xinzhou_fiscal.templates.templates`):

* A **heading** is a line numbered ``第三部分`` / ``第三章`` (the part word may stand anywhere in
  the title, after the department name and the year), or a line numbered ``三、`` — or not
  numbered — whose title is *only* the part word after the department name, the year and the
  words 部门/单位/决算/年度/的 (``三、部门决算情况说明``, ``上海市普陀区财政局2024年度部门决算情况说明``),
  so that a section heading such as ``一、收入支出决算总体情况说明`` is never taken for a part.
  Brackets in a title (``（含预算绩效）``) are ignored for the kind.
* A **wrapped heading** (``第三部分上海市普陀区财政局2024年度部门决算情况`` / ``说明``): a numbered
  line without a part word is joined with the next non-blank short lines (up to three: a narrow
  column), until the joined title names a part.
* The **目录** (table of contents) repeats the headings: the lines from a ``目录`` line to the first
  repetition of its first entry, and any line ending in dot leaders and a page number, are the
  目录. Its entries are kept (status ``toc``); a part the 目录 lists but the body does not head is
  looked for by its title, then by the title of its first 目录 entry (its first section).
* Two body headings of one kind are a recorded problem (stage ``parts``); the one with the most
  text is used, the other stays in the dataset with status ``duplicate``. A part listed in the
  目录 and found nowhere in the body is a problem too.
* An unnumbered title line is a heading only for a kind that no numbered heading names (a cover
  title ``…2023年度部门决算情况说明`` is not a second 情况说明).
* A part runs from its heading to the line before the next used part's heading.
* A part in **pieces**: when the 目录 lists two entries of one kind with different part words
  (四、单位预算编制说明 and 六、其他相关情况说明, with the tables between them), each body heading of
  those words is a piece of the part, not a duplicate: the part's lines are the pieces' lines, each
  piece ending where the next used heading (the 名词解释, the 预算表 found by its first 目录 entry) begins.
* A part the 目录 lists without a body heading is found by the title of its first 目录 entry, its
  sequence number aside (``1. 2025年预算单位财务收支预算总表`` → the table page's title).
* A part ends where **another part of the 目录** begins, even one of no known kind: a 目录 entry numbered
  like the used parts (``五、项目绩效目标表`` after ``一、`` … ``四、名词解释``; ``第六部分`` after ``第X部分``), with
  an ordinal no used part has, printed in the body with that ordinal and title, ends the part before it
  (row status ``other``, kind ``other``). Sections inside a part are never such a boundary: they are numbered
  in another style than the parts (``（一）`` under ``一、``, ``一、`` under ``第三部分``), or, numbered like
  them, are not 目录 entries at the parts' level with an ordinal of their own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from xinzhou_fiscal import patterns
from xinzhou_fiscal.errors import ParseProblem
from xinzhou_fiscal.numbers import LazyPattern
from xinzhou_fiscal.read.source import Line, SourceDocument, normalize_label
from xinzhou_fiscal.tables.frames import Records, dataset_property

#: the Chinese name of each part kind (``other``: a part the 目录 lists that is of no known kind)
PART_NAMES = {"overview": "概况", "tables": "决算表", "narrative": "情况说明", "glossary": "名词解释",
              "annex": "附件", "other": "其他部分"}
#: kinds in the order their words are tried (a 情况说明 that mentions 绩效 is the narrative)
_KIND_ORDER = ("glossary", "overview", "narrative", "tables", "annex")

_NUMBERED = patterns.compile(r"^(第[一二三四五六七八九十]+(?:部分|章))\s*(.*)$|^([一二三四五六七八九十]+)\s*[、.．]\s*(.*)$")
_TOC_TAIL = patterns.compile(r"(?:\.{2,}|…+|·{2,})[\s\d]*$|\t\s*\d+\s*$|\s+\d{1,3}\s*$")
_BRACKETS = patterns.compile(r"[（(][^)）]*[)）]")
_YEAR = patterns.compile(r"(?:19|20)\d{2}年度?")
_GENERIC = patterns.compile(r"部门|单位|决算|预算|年度|的|本|公开")
_ORG_END = patterns.compile(r"(局|委员会|委|办公室|室|会|院|中心|部|厅|所|站|队|馆|校|社|处|办|机关|政府|集团|公司)$")

PART_COLUMNS = ["name", "kind", "status", "numbering", "heading", "first_line", "last_line", "page", "last_page",
                "how"]


@dataclass(frozen=True)
class Part:
    """One part of the report: its kind, heading and body lines (the heading lines excluded)."""

    kind: str          # "overview", "tables", "narrative", "glossary", "annex"
    heading: str
    heading_line: Line
    lines: tuple[Line, ...]
    numbering: str = ""
    how: str = "heading"
    heading_lines: tuple[Line, ...] = ()   # the heading's own lines (two when wrapped; none when the
                                           # part was found by its first 目录 entry)
    pieces: tuple["Part", ...] = ()        # a part in pieces (see the module doc): each piece as a part,
                                           # in document order; () for a part in one piece


@dataclass
class PartsFound:
    """The used part of each kind, the parts dataset (every candidate, 目录 entries included) and
    the problems (stage ``parts``). ``table`` is a DataFrame built on first access."""

    parts: dict[str, Part]
    table: Any       # "pd.DataFrame": held as Records until read (see dataset_property below)
    problems: list[ParseProblem]
    others: tuple[Part, ...] = ()    # parts the 目录 lists that are of no known kind (kind "other")


PartsFound.table = dataset_property("table")


@cache
def part_words() -> dict[str, tuple[str, ...]]:
    """kind → the heading words of that part in any template family (``[parts]`` of the TOML files)."""
    from xinzhou_fiscal.templates import templates
    words: dict[str, list[str]] = {}
    for t in templates():
        for kind, ws in t.parts.items():
            for w in ws:
                if w not in words.setdefault(kind, []):
                    words[kind].append(w)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in words.items()}


@cache
def _kind_of(title: str, strict: bool) -> str | None:
    """The part kind a title names. ``strict``: the title must be only the part word after a
    department name, a year and generic words (部门, 单位, 决算, 年度, 的)."""
    t = _BRACKETS.sub("", title)
    words = part_words()
    for kind in _KIND_ORDER:
        for w in words.get(kind, ()):
            k = t.find(w)
            if k < 0:
                continue
            if not strict:
                return kind
            if t[k + len(w):]:
                continue
            rest = _GENERIC.sub("", _YEAR.sub("", t[:k]))
            if not rest or _ORG_END.search(rest):
                return kind
    return None


@dataclass
class _Candidate:
    index: int          # index of the heading's first line in doc.lines
    n_lines: int        # 1, or 2 for a wrapped heading
    kind: str
    title: str
    numbering: str
    in_toc: bool
    how: str = "heading"
    display: str = ""   # the heading as printed, runs of spaces made one

    def __post_init__(self):
        self.display = self.display or self.title


def _printed(text: str) -> str:
    return _SPACES.sub(" ", _TOC_TAIL.sub("", text.split("\t")[0] if "\t" in text.strip() else text)).strip()


_SPACES = patterns.compile(r"\s+")


@lru_cache(maxsize=4096)
def _title(text: str) -> str:
    return normalize_label(_printed(text))


def _split_numbering(title: str) -> tuple[str, str, bool]:
    """(numbering, title without it, lenient) — 第三部分/第三章 are lenient, 三、 and none strict."""
    m = _NUMBERED.match(title)
    if not m:
        return "", title, False
    if m.group(1):
        return m.group(1), m.group(2), True
    return m.group(3) + "、", m.group(4), False


def _next_nonblank(lines: list[Line], i: int) -> int | None:
    for j in range(i + 1, min(i + 4, len(lines))):
        if lines[j].text.strip():
            return j
    return None


def _candidate(lines: list[Line], i: int, in_toc: bool) -> _Candidate | None:
    raw = lines[i].text
    if not raw.strip() or len(raw.strip()) > 60 or ("\t" in raw.strip() and not in_toc):
        return None
    title = _title(raw)
    numbering, rest, lenient = _split_numbering(title)
    if not rest and not numbering:
        return None
    kind = _kind_of(rest, strict=not lenient)
    if kind:
        return _Candidate(i, 1, kind, title, numbering, in_toc, display=_printed(raw))
    if not numbering:
        return None
    j, joined, shown = i, rest, _printed(raw)
    for _ in range(3):                  # a heading wrapped over up to four lines of a narrow column
        j = _next_nonblank(lines, j)
        if j is None:
            return None
        nxt = _title(lines[j].text)
        if not nxt or len(nxt) > 20 or patterns.compile(r"[，。；：:\t]").search(lines[j].text) or _NUMBERED.match(nxt):
            return None
        joined, shown = joined + nxt, shown + _printed(lines[j].text)
        kind = _kind_of(joined, strict=not lenient)
        if kind:
            return _Candidate(i, j - i + 1, kind, title + joined[len(rest):], numbering, in_toc,
                              "wrapped heading", shown)
    return None


_ENTRY_SHAPED = patterns.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]"
                           r"|\d+\s*[.、．])|(?:[.．…·]{2,}|\s)\s*\d+\s*$")


def toc_page_ended(lines, start: int, j: int) -> bool:
    """In a paged document, the 目录 ends at the first page after its own whose first line is not
    shaped like an entry (an ordinal, a number, or a trailing page number): the body begins there
    even when it prints its headings differently (``上海市财政局（单位）主要职能`` for the entry
    ``一、单位主要职能``), and a table's rows are never read as entries."""
    page, prev = getattr(lines[j], "page", None), getattr(lines[j - 1], "page", None)
    if page is None or prev is None or page == prev or j - 1 < start:
        return False
    return not _ENTRY_SHAPED.search(lines[j].text)


def _toc_range(lines: list[Line]) -> tuple[int, int] | None:
    """(first, last) index of the 目录: from the 目录 line to the line before the first repetition
    of its first entry (or of its 第X部分 ordinal), or before the first page after its own that does not open with an entry
    (:func:`toc_page_ended`), whichever comes first."""
    start = next((i for i, ln in enumerate(lines[:200]) if normalize_label(ln.text) in ("目录", "目次")), None)
    if start is None:
        return None
    first = next((j for j in range(start + 1, min(start + 8, len(lines))) if lines[j].text.strip()), None)
    if first is None:
        return None
    key = _split_numbering(_title(lines[first].text))
    for j in range(first + 1, len(lines)):
        if toc_page_ended(lines, start, j) or (_could_head(lines[j].text.strip())
                                               and _repeats_first_entry(_title(lines[j].text), key)):
            return start, j - 1
    return None


def _repeats_first_entry(title: str, key: tuple[str, str, bool]) -> bool:
    """The 目录's first entry printed again: the same title, or the same 第X部分 / 第X章 ordinal (the body
    may name the department otherwise than the 目录: 第一部分 上海市普陀区财政局概况 / 第一部分 普陀区财政局概况)."""
    got = _split_numbering(title)
    return got == key or (key[2] and got[0] == key[0])


@cache
def _any_part_word() -> re.Pattern:
    return patterns.compile("|".join(re.escape(w) for ws in part_words().values() for w in ws))


def _could_head(s: str) -> bool:
    """Cheap test before the full one: a short line numbered like a part, or naming a part word."""
    if not 0 < len(s) <= 60 or ("\t" in s and not _TOC_TAB.fullmatch(s)):
        return False
    return bool(_NUMBERED.match(s) or _any_part_word().search(s))


_TOC_TAB = patterns.compile(r"[^\t]+\t\s*\d+")


def _candidates(lines: list[Line]) -> list[_Candidate]:
    toc = _toc_range(lines)
    out = []
    i = 0
    while i < len(lines):
        s = lines[i].text.strip()
        if not _could_head(s):
            i += 1
            continue
        in_toc = bool(toc and toc[0] <= i <= toc[1]) or bool(patterns.compile(r"\.{2,}|…|\t").search(s) and
                                                              _TOC_TAIL.search(s))
        c = _candidate(lines, i, in_toc)
        if c:
            out.append(c)
            i += c.n_lines
            continue
        i += 1
    return out


def _toc_entries_after(lines: list[Line], c: _Candidate, toc_end: int) -> str | None:
    """The title of the 目录 entry that follows part candidate ``c`` (the part's first section)."""
    for j in range(c.index + c.n_lines, min(toc_end + 1, len(lines))):
        t = _title(lines[j].text)
        if t:
            return None if _candidate(lines, j, True) else t
    return None


#: a 目录 entry's sequence number (``1. 2025年预算单位财务收支预算总表``), which the body's title may not print
_SEQUENCE = LazyPattern(r"^\d{1,2}\s*[.、．]\s*(?=(?:19|20)\d{2}年|\D)")


def _entry_key(title: str) -> str:
    """A title without its ordinal (第三部分, 三、) or sequence number (1.), as 目录 and body share it."""
    return _SEQUENCE.sub("", _split_numbering(title)[1])


def _find_in_body(lines: list[Line], title: str, start: int) -> int | None:
    want = _entry_key(title)
    for i in range(start, len(lines)):
        t = lines[i].text
        if want and "\t" not in t.strip() and _entry_key(_title(t)) == want:
            return i
    return None


def _found_by_toc(lines: list[Line], c: _Candidate, toc_end: int) -> _Candidate | None:
    """A part the 目录 lists but no body heading names: its title alone on a line of the body,
    else the title of its first 目录 entry (the part then starts at that section)."""
    i = _find_in_body(lines, c.title, toc_end + 1)
    if i is not None:
        return _Candidate(i, 1, c.kind, c.title, c.numbering, False, "目录 title", _printed(lines[i].text))
    child = _toc_entries_after(lines, c, toc_end)
    i = _find_in_body(lines, child, toc_end + 1) if child else None
    if i is not None:
        return _Candidate(i, 0, c.kind, c.title, c.numbering, False, "目录 first entry", c.display)
    return None


def _style(numbering: str) -> str:
    """The numbering style of a part ordinal: 第X部分 / 第X章 (``第``), X、 (``、``), none ("")."""
    return "第" if numbering.startswith("第") else ("、" if numbering else "")


def _other_parts(lines: list[Line], toc: tuple[int, int] | None, used: list[_Candidate]) -> list[_Candidate]:
    """Parts the 目录 lists that are of no known kind (``五、项目绩效目标表``), where the body prints them:
    entries numbered in the style of the used parts, with an ordinal no used part has, found after the
    目录 as a line with that ordinal and title (see the module doc). Each ends the part before it."""
    styles = {_style(c.numbering) for c in used} - {""}
    if toc is None or len(styles) != 1:
        return []
    taken = {c.numbering for c in used}
    out = []
    for j in range(toc[0] + 1, toc[1] + 1):
        title = _title(lines[j].text)
        numbering, rest, _ = _split_numbering(title)
        if not rest or _style(numbering) not in styles or numbering in taken or _candidate(lines, j, True):
            continue
        at = next((i for i in range(toc[1] + 1, len(lines)) if "\t" not in lines[i].text.strip()
                   and _split_numbering(_title(lines[i].text)) == (numbering, rest, numbering.startswith("第"))),
                  None)
        if at is not None:
            taken.add(numbering)
            out.append(_Candidate(at, 1, "other", title, numbering, False, "目录 title", _printed(lines[at].text)))
    return out


def _size(lines: list[Line], a: int, b: int) -> int:
    return sum(len(ln.text) for ln in lines[a:b])


def _row(c: _Candidate, status: str, lines: list[Line], end: int) -> dict:
    last_i = max(c.index, end - 1)
    while last_i > c.index and not lines[last_i].text.strip():
        last_i -= 1
    first, last = lines[c.index], lines[last_i]
    return {"name": PART_NAMES.get(c.kind, c.kind), "kind": c.kind, "status": status, "numbering": c.numbering,
            "heading": c.display, "first_line": first.line, "last_line": last.line if status != "toc" else
            lines[c.index + max(c.n_lines, 1) - 1].line, "page": first.page,
            "last_page": last.page if status != "toc" else first.page, "how": c.how}


def _extents(body: list[_Candidate], n: int) -> dict[int, int]:
    """candidate index → index of the line after its part (the next heading, or the end)."""
    starts = sorted(c.index for c in body)
    return {s: (starts[k + 1] if k + 1 < len(starts) else n) for k, s in enumerate(starts)}


def _part_word(title: str, kind: str) -> str:
    """The part word of ``kind`` a title holds (the longest: 其他相关情况说明 before 情况说明)."""
    t = _BRACKETS.sub("", title)
    return next((w for w in part_words().get(kind, ()) if w in t), "")


def _choose(lines: list[Line], body: list[_Candidate], toc: list[_Candidate],
            problems: list[ParseProblem]) -> dict[str, list[_Candidate]]:
    """The pieces of each kind, in document order. One candidate per part word the 目录 lists for the
    kind (a 目录 listing 四、单位预算编制说明 and 六、其他相关情况说明 gives a narrative in two pieces),
    else one per kind: the one with the most text; the others are recorded problems (duplicates)."""
    ext = _extents(body, len(lines))
    chosen: dict[str, list[_Candidate]] = {}
    for kind in dict.fromkeys(c.kind for c in body):
        group = [c for c in body if c.kind == kind]
        listed = {_part_word(c.title, kind) for c in toc if c.kind == kind}
        by_word = {w: [c for c in group if _part_word(c.title, kind) == w] for w in listed} if len(listed) > 1 else {}
        by_word = {w: g for w, g in by_word.items() if g} or {"": group}
        pieces = [max(g, key=lambda c: _size(lines, c.index, ext[c.index])) for g in by_word.values()]
        chosen[kind] = sorted(pieces, key=lambda c: c.index)
        best = max(pieces, key=lambda c: _size(lines, c.index, ext[c.index]))
        for c in group:
            if c not in pieces:
                problems.append(ParseProblem(
                    "parts", f"two headings for the {PART_NAMES.get(kind, kind)} part: {c.title!r} (line "
                    f"{lines[c.index].line}) and {best.title!r} (line {lines[best.index].line}); the longer "
                    "one is used", line=lines[c.index].line, page=lines[c.index].page, text=c.title))
    return chosen


def _assemble(lines: list[Line], pieces: list[_Candidate], ext: dict[int, int]) -> Part:
    """One part from its pieces (each ending where the next used heading begins): the first piece's
    heading; the lines of every piece, a later piece's heading lines included; ``pieces`` when more
    than one."""
    one = [Part(c.kind, c.display, lines[c.index], tuple(lines[c.index + c.n_lines:ext[c.index]]), c.numbering,
                c.how, tuple(lines[c.index:c.index + c.n_lines])) for c in pieces]
    if len(one) == 1:
        return one[0]
    body = one[0].lines + tuple(ln for p in one[1:] for ln in p.heading_lines + p.lines)
    return Part(one[0].kind, one[0].heading, one[0].heading_line, body, one[0].numbering, one[0].how,
                one[0].heading_lines, tuple(one))


# ---------------------------------------------------------------- headings as text (目录 ↔ body)
#: an ordinal that numbers a heading: 第三部分 / 三、 / （三）
_ORDINAL = LazyPattern(r"^(第[一二三四五六七八九十]+(?:部分|章)|[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）])")


def heading_kind(text: str) -> str | None:
    """The part kind (overview, tables, narrative, glossary, annex) a heading or 目录 line names,
    or None for a section heading: ``第二部分 2023年部门决算表`` and ``2023年部门决算表`` (printed
    without its 第X部分 prefix) → tables; ``一、收入支出决算总体情况说明`` → None. A function of the
    text alone, so a heading joined from wrapped lines reads the same."""
    _, rest, lenient = _split_numbering(_title(text))
    return _kind_of(rest, strict=not lenient) if rest else None


def bare_heading(text: str) -> str:
    """A heading's title without its ordinal, dot leaders, page number and spaces: what a 目录
    entry and the body heading it points to have in common."""
    t = patterns.compile(r"\s+").sub("", _title(text))
    return _ORDINAL.sub("", t)


def same_heading(entry: str, heading: str) -> bool:
    """True when a 目录 entry and a body heading are the same title (ordinals, spaces and dot
    leaders aside; a part heading may drop its 第X部分 prefix or the department and year before
    the part word)."""
    a, b = bare_heading(entry), bare_heading(heading)
    if not a or not b:
        return False
    if a == b:
        return True
    kind = heading_kind(entry)
    return kind is not None and kind == heading_kind(heading)


def part_span(part: Part) -> tuple[int, int]:
    """(first, last) line number of a part, its heading included."""
    first = (part.heading_lines[0] if part.heading_lines else part.heading_line).line
    last = part.lines[-1].line if part.lines else first
    return first, last


def locate_parts(doc: SourceDocument) -> PartsFound:
    """The parts of ``doc`` (see the module doc); computed once per list of lines (a copy of the
    document given new lines, as the mutation harness makes, is read again)."""
    cached = getattr(doc, "_parts_found", None)
    if cached is not None and cached[0] is doc.lines:
        return cached[1]
    lines = doc.lines
    cands = _candidates(lines)
    toc_c = [c for c in cands if c.in_toc]
    body = [c for c in cands if not c.in_toc]
    # an unnumbered title line (a cover title such as …2023年度部门决算情况说明) is a heading only
    # for a kind that no numbered heading names
    numbered = {c.kind for c in body if c.numbering}
    body = [c for c in body if c.numbering or c.kind not in numbered]
    toc = _toc_range(lines)
    toc_end = toc[1] if toc else max((c.index for c in toc_c), default=-1)
    problems: list[ParseProblem] = []
    for c in toc_c:
        if c.kind in {b.kind for b in body}:
            continue
        found = _found_by_toc(lines, c, toc_end)
        if found:
            body.append(found)
        else:
            problems.append(ParseProblem("parts", f"the 目录 lists the part {c.title!r} but the body has no "
                                         "heading for it", line=lines[c.index].line, page=lines[c.index].page,
                                         text=c.title))
    chosen = _choose(lines, body, toc_c, problems)
    used = sorted((c for pieces in chosen.values() for c in pieces), key=lambda c: c.index)
    others = _other_parts(lines, toc, used)
    ext = _extents(used + others, len(lines))
    parts = {kind: _assemble(lines, pieces, ext) for kind, pieces in
             sorted(chosen.items(), key=lambda kv: kv[1][0].index)}
    rows = [_row(c, "toc", lines, c.index + 1) for c in toc_c]
    all_ext = _extents(body + others, len(lines))
    rows += [_row(c, "used" if c in used else "other" if c in others else "duplicate", lines,
                  ext[c.index] if c in used or c in others else all_ext[c.index])
             for c in sorted(body + others, key=lambda c: c.index)]
    table = Records(rows, PART_COLUMNS, {"first_line": "Int64", "last_line": "Int64", "page": "Int64",
                                              "last_page": "Int64"})
    found = PartsFound(parts, table, problems, tuple(_assemble(lines, [c], ext) for c in others))
    try:
        doc._parts_found = (lines, found)
    except AttributeError:
        pass
    return found


def find_parts(doc: SourceDocument) -> dict[str, Part]:
    """The used part of each kind (see :func:`locate_parts`)."""
    return locate_parts(doc).parts
