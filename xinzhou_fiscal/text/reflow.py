"""Reflow: the document's prose lines joined into the spans a reader reads (paragraphs, headings,
目录 entries), before any claim, name, word or heading rule reads them.

A PDF (or a text extracted from one) cuts narrative lines, headings and 目录 entries at the page
width; a name (``社会保障和就业支出（类）``), a number with its unit (``0 个``) or a comparison
word (``大于``) may stand on two lines, or on two pages. The rules read spans, never single lines:

* a line continues on the next prose line when it does not end a sentence (。；！？：), a heading,
  a list item's title, a 目录 entry (its page number), a table title or table metadata, and the
  next line does not start a heading, a list item, a note, a table or page furniture; Chinese
  text continues without a space (a space only between two Latin words);
* page furniture (page numbers, running headers) and blank lines between the two pieces are
  skipped: a paragraph continues across a page break, the furniture is a span of its own;
* a heading continues only on a short line with no sentence punctuation (a wrapped title:
  ``…部门决算情况`` / ``说明``);
* every span keeps its lines (number and page) and where each begins, for evidence;
* a join the reader is not sure of is recorded with why (:attr:`Span.doubts`): a heading's wrap,
  or a line that stops well short of the span's longest line (it may end a paragraph without
  punctuation). A finding whose evidence crosses a doubtful join is a warning, never an error
  (see :mod:`xinzhou_fiscal.checks.findings`).

The same spans come from the text path and from the PDF path, whose visual lines are already
joined where the geometry shows a wrap (:mod:`xinzhou_fiscal.read.pdf.paragraphs`): joining what is
left by the text gives the same spans, however narrow the columns.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from xinzhou_fiscal import patterns
from xinzhou_fiscal.numbers import LazyPattern
from xinzhou_fiscal.read.furniture import PAGE_NUMBER
from xinzhou_fiscal.read.source import NOTE, PART_HEADING, Line, normalize_label
from xinzhou_fiscal.templates.labels import ORDINAL
from xinzhou_fiscal.text.paragraphs import (
    Heading,
    TableRow,
    heading_level,
    joined_paragraph,
    squash,
)

#: a line that ends here: a sentence, a clause that opens a list, a closing bracket after them
_ENDS = patterns.compile(r"[。；;！!？?：:][)）”’\"」』]*$")
#: a line that starts a new block: a part or chapter, an ordinal heading or list item, a note
_STARTS = patterns.compile(
    r"^\s*(第[一二三四五六七八九十]+\s*(部分|条|章|节)|[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]"
    r"|\d{1,2}\s*[、．](?!\d)|\d{1,2}\.(?!\d)|[①②③④⑤⑥⑦⑧⑨⑩]|[-•·*]\s|附件|附表|目\s*录\s*$)")
_HEADING = patterns.compile(r"^\s*(第[一二三四五六七八九十]+\s*(部分|章)|[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[)）])")
_TOC_PAGE = patterns.compile(r"(\.{2,}|…{1,}|·{2,})\s*\d{1,3}\s*$|\t\s*\d{1,3}\s*$")
_META = patterns.compile(r"^\s*((部门|单位|编制单位|填报单位)名称\s*[:：]|(金额)?单位\s*[:：]|公开\s*\d{1,2}\s*表\s*$|"
                   r"(19|20)\d{2}\s*年度?\s*$)")
_SENTENCE_MARK = patterns.compile(r"[，,。；;：:！!？?]")
_SENTENCE_END = LazyPattern(r"[。！!？?][)）”’\"」』]*$")
_LATIN = patterns.compile(r"[A-Za-z]")
#: an amount (a number with decimals): no heading's title holds one, so a heading never wraps onto it
_AMOUNT = patterns.compile(r"\d\.\d")

#: why a join is doubted (what a downgraded finding says)
SHORT_LINE = "上一行未排满（也可能是不带标点的段落结尾），按文字推断为折行"
SENTENCE_AT_EDGE = "句号恰在排满的行末，按文字推断段落未完"
LAID_OUT = "版面上不是折行（上一行未排到栏的右缘，或下一行缩进），按文字推断为折行"
HEADING_WRAP = "标题折行按文字推断（短行接在标题之后）"


@dataclass
class Span:
    """A reflowed paragraph, heading or entry: its text, the lines it crosses and where each
    begins in the text, and the joins the reader doubts (offset of the join → why)."""

    text: str
    starts: list[int]
    lines: list[Line]
    doubts: dict[int, str] = field(default_factory=dict)
    furniture: bool = False            # a page number or running header, not the document's text

    @property
    def line(self) -> Line:
        return self.lines[0]

    def line_at(self, pos: int) -> Line:
        return self.lines[max(bisect_right(self.starts, pos) - 1, 0)]

    def lines_in(self, start: int, end: int) -> list[Line]:
        """The lines the text from ``start`` to ``end`` is printed on."""
        a = max(bisect_right(self.starts, start) - 1, 0)
        b = max(bisect_right(self.starts, max(end - 1, start)) - 1, 0)
        return self.lines[a: b + 1]

    def doubt_in(self, start: int, end: int) -> str:
        """Why the reader doubts the text from ``start`` to ``end`` ("" when it does not): a
        doubtful join inside it."""
        return next((why for at, why in sorted(self.doubts.items()) if start < at < end), "")

    @property
    def pages(self) -> list[int]:
        """The pages the span is printed on (a PDF line may itself run over a page break)."""
        return sorted({p for ln in self.lines for p in (ln.page, ln.end_page) if p is not None})


_WIDE_QUOTES = set("“”‘’…—")


def display_width(text: str) -> int:
    """Columns a line takes: two for a Chinese (full-width) character or quote, one for the others."""
    return sum(2 if ord(c) > 0x2E7F or c in _WIDE_QUOTES else 1 for c in text.strip())


def _is_title(s: str, known: bool = False) -> bool:
    """A table title; ``known``: one of a template's, or numbered (the end of a wrapped heading,
    ``…局2024年度部门决算表``, looks like a title too)."""
    from xinzhou_fiscal.read.pdf.titles import known_title, table_title
    t = table_title(s)
    return t is not None and (not known or t[1] is not None or known_title(t[0]))


#: a justified prose line whose gaps the PDF reader printed as tabs: a tab between a number and its unit
_SPACED_PROSE = LazyPattern(r"\d\t+(?:万元|亿元|元|%|％)[^\t]*[，。；]")


def table_row(s: str) -> bool:
    """A tab-separated row of a table inside the text — not a line whose only tabs trail its text
    (``93,801.70万元，占16.84%。\t\t\t``) nor justified prose whose gaps the PDF reader printed as tabs
    (``非财政拨款结余\t59,972.79\t万元，占\t10.76%；上年结转``)."""
    body = s.rstrip()
    return "\t" in body and not _SPACED_PROSE.search(body)


def block_start(s: str) -> bool:
    """The line starts a block of its own: heading, list item, note, 目录, table title, metadata."""
    return _starts_block(s) or _is_title(s, True)


def _starts_block(s: str) -> bool:
    """… a heading, list item, note, 目录 or metadata (a table title aside: a name cut after
    ``财政拨款`` goes on with ``支出决算表``)."""
    return bool(_STARTS.match(s) or NOTE.match(s) or _META.match(s) or PART_HEADING.match(s))


def _ends_block(s: str) -> bool:
    """Nothing continues after this line: a sentence or list opener ends it, it is a 目录 entry
    (ends in its page number), table metadata, a table title."""
    return bool(_ENDS.search(s) or _TOC_PAGE.search(s) or _META.match(s) or _is_title(s))


def is_heading(s: str) -> bool:
    """A heading: an ordinal (第X部分 / 一、 / （一）) and a short title without a sentence in it."""
    m = _HEADING.match(s) or PART_HEADING.match(s)
    if not m:
        return False
    rest = normalize_label(s[m.end():])
    return len(rest) <= 40 and not _SENTENCE_MARK.search(rest.rstrip("。"))


def furniture_lines(lines: list[Line]) -> set[int]:
    """Line numbers of page furniture: page numbers, and running headers and footers: short lines
    printed three or more times (digits aside), nearly always at a page's edge (its first or last
    line, or next to a page number when pages are not known; on three pages or more when they
    are), that are not table metadata, a heading or a 目录 entry."""
    text = [ln for ln in lines if ln.text.strip()]
    key = [patterns.compile(r"\d+").sub("#", normalize_label(ln.text)) for ln in text]
    counts = Counter(k for k in key if len(k) <= 40)
    pages: dict[str, set] = {}
    for k, ln in zip(key, text):
        pages.setdefault(k, set()).add(ln.page)
    counts = Counter({k: n for k, n in counts.items() if None in pages[k] or len(pages[k]) >= 3})
    number = [bool(PAGE_NUMBER.match(ln.text)) for ln in text]

    def at_edge(k: int) -> bool:
        for j in (k - 1, k + 1):
            if not 0 <= j < len(text):
                return True
            if number[j] or (text[j].page is not None and text[j].page != text[k].page):
                return True
        return False

    edge = [at_edge(k) for k in range(len(text))]
    edges = Counter(key[k] for k in range(len(text)) if edge[k])
    running = {k for k, n in counts.items() if n >= 3 and edges[k] >= 0.8 * n}   # at an edge nearly always
    return {ln.line for k, ln in enumerate(text) if number[k] or (
        key[k] in running and edge[k] and not _META.match(ln.text) and not block_start(ln.text.strip())
        and not _TOC_PAGE.search(ln.text))}


def _join_text(a: str, b: str) -> str:
    if a and b and _LATIN.match(a[-1]) and _LATIN.match(b[0]):
        return a + " " + b
    return a + b


def _continues(cur: list[Line], nxt: str, fill: tuple[bool, bool] | None, headings: set[str]) -> str | None:
    """Does the span whose lines are ``cur`` go on with the line ``nxt``? None if not, else the
    doubt of the join ("" when sure). ``fill``: (the last line fills its column, it does to the
    last character); None when the lines are a PDF's logical lines, whose geometry has already
    joined the wraps. ``headings``: the titles the 目录 lists (a heading that fills a line is whole)."""
    last = cur[-1].text.strip()
    if _starts_block(nxt) or table_row(nxt) or table_row(last):
        return None
    if _is_title(nxt, True) and not (fill and fill[0]):
        return None                     # a table title, unless the line before is cut by the column
    first = cur[0].text.strip()
    if _ends_block(last):
        # extracted text: a sentence ending at the very end of a full line may be no paragraph's end
        if fill and fill[1] and _SENTENCE_END.search(last) and not _looks_like_heading(first):
            return SENTENCE_AT_EDGE
        return None
    if headings and _listed_heading("".join(ln.text for ln in cur), headings):
        return None
    if fill and fill[0]:
        return ""
    if _looks_like_heading(first):
        # a wrapped heading's lines are as wide as its first (it filled the column) but the last
        wide = _title_width(first)
        if _SENTENCE_MARK.search(nxt) or _AMOUNT.search(nxt) or _title_width(nxt) > wide + 2 \
                or _title_width(last) < 0.9 * wide - 2:
            return None
        return HEADING_WRAP
    return LAID_OUT if fill is None else SHORT_LINE


def _listed_heading(text: str, headings: set[str]) -> bool:
    """A heading the 目录 lists: as its entry is printed, or printed with words before the entry's own
    (the department's name: ``上海市财政局（单位）主要职能`` for the entry ``一、单位主要职能``) — a short
    line without sentence punctuation that ends with the entry's words (ordinal, spaces and
    brackets aside, four characters at least)."""
    label = normalize_label(text)
    if label in headings:
        return True
    if _SENTENCE_MARK.search(text) or len(label) > 40:
        return False
    flat = _UNBRACKET.sub("", ORDINAL.sub("", label))
    return any(len(w) >= 4 and flat.endswith(w) for w in (_UNBRACKET.sub("", ORDINAL.sub("", h)) for h in headings))


_UNBRACKET = patterns.compile(r"[\s（(）)]")


def _title_width(s: str) -> int:
    """Width of a heading or 目录 line without its leader dots and page number."""
    return display_width(patterns.compile(r"[\s.…·]*\d{0,3}\s*$").sub("", s))


def _looks_like_heading(s: str) -> bool:
    return is_heading(s) or heading_level(squash(s)) > 0


def _column_widths(lines: list[Line], keep) -> dict[int, int]:
    """For each kept line, the width of the column it is set in (extracted text keeps a PDF's
    visual lines): the widest kept line among its eight neighbours either side, when three of them
    or more are as wide to two columns (lines cut by a column); else 0 (a paragraph per line)."""
    kept = [ln for ln in lines if ln.text.strip() and keep(ln)]
    widths = [display_width(ln.text) for ln in kept]
    out = {}
    for k, ln in enumerate(kept):
        near = widths[max(0, k - 8): k + 9]
        wide = max(near)
        out[ln.line] = wide if sum(w >= wide - 2 for w in near) >= 3 else 0
    return out


def reflow(lines: list[Line], keep=lambda ln: True, laid_out: bool = False) -> list[Span]:
    """The spans of ``lines`` (in document order) that ``keep`` accepts (e.g. not rows of a
    table): each line joined to the previous one when it continues it, over blank lines and
    page furniture (which become spans of their own, after the paragraph they interrupt).

    ``laid_out``: the lines are a PDF's logical lines, already joined where the page geometry
    shows a wrap; a join the text alone suggests is then one the geometry did not, and doubtful.
    Otherwise (extracted text) a line that fills its column continues surely, a shorter one
    doubtfully. A heading the 目录 lists is whole (the 目录's entries are read first)."""
    spans = _reflow(lines, keep, laid_out, set())
    headings = toc_titles(spans)
    return _reflow(lines, keep, laid_out, headings) if headings else spans


def _bare_title(text: str) -> str:
    return normalize_label(_TOC_PAGE.sub("", text)).rstrip(".…·")


def toc_titles(spans: list[Span]) -> set[str]:
    """The titles the 目录 lists: the entries after a ``目录`` line up to the body (where its first
    entry is printed again), and any line ending in leader dots and a page number."""
    out = {_bare_title(sp.text) for sp in spans if _TOC_PAGE.search(sp.text)}
    start = next((k for k, sp in enumerate(spans[:200]) if normalize_label(sp.text) in ("目录", "目次")), None)
    if start is None:
        return out
    entries: list[str] = []
    for sp in spans[start + 1: start + 120]:
        if sp.furniture:
            continue
        title = patterns.compile(r"\s*\d{1,3}$").sub("", _bare_title(sp.text))
        if entries and title == entries[0]:
            break
        entries.append(title)
    return out | {t for t in entries if t}


def _reflow(lines: list[Line], keep, laid_out: bool, headings: set[str]) -> list[Span]:
    furniture = furniture_lines(lines)
    column = {} if laid_out else _column_widths(lines, keep)
    out: list[Span] = []
    cur: list[Line] = []
    doubts: list[str] = []
    held: list[Line] = []

    def flush() -> None:
        if cur:
            out.append(_span(cur, doubts))
        out.extend(_span([h], [""], furniture=True) for h in held)
        cur.clear(), doubts.clear(), held.clear()

    for ln in lines:
        s = ln.text.strip()
        if not s:
            continue
        if not keep(ln):
            flush()
            continue
        if ln.line in furniture:
            (held.append(ln) if cur else out.append(_span([ln], [""], furniture=True)))
            continue
        why = _continues(cur, s, _fill(cur[-1], column), headings) if cur else None
        if why is None:
            flush()
        doubts.append(why or "")
        cur.append(ln)
    flush()
    return out


def _fill(ln: Line, column: dict[int, int]) -> tuple[bool, bool] | None:
    """(the line fills its column, to its last character) in extracted text; None for a PDF."""
    if not column:
        return None
    if not column[ln.line]:
        return False, False
    slack = column[ln.line] - display_width(ln.text)
    return slack <= 0.15 * column[ln.line], slack <= 2


def _span(lines: list[Line], doubts: list[str], furniture: bool = False) -> Span:
    text, starts, marks = "", [], {}
    for ln, why in zip(lines, doubts):
        piece = ln.text.strip()
        joined = _join_text(text, piece)
        starts.append(len(joined) - len(piece))
        if text and why:
            marks[starts[-1]] = why
        text = joined
    return Span(text, starts, list(lines), marks, furniture)


def blocks(lines) -> list:
    """Headings, paragraphs and table rows of a part body, in order: the lines reflowed
    (:func:`xinzhou_fiscal.text.reflow.reflow`: a line cut by the page width continues, a heading
    wrapped over two lines is one heading), page numbers left out."""
    out: list = []
    for sp in reflow(list(lines)):
        if len(sp.lines) == 1 and table_row(sp.line.text):
            out.append(TableRow(sp.line))
            continue
        pieces = [(ln, squash(ln.text)) for ln in sp.lines if not PAGE_NUMBER.match(ln.text)]
        pieces = [(ln, t) for ln, t in pieces if t]
        if not pieces:
            continue
        para = joined_paragraph(pieces)
        level = heading_level(para.text)
        out.append(Heading(level, para.text, para.lines[0]) if level else para)
    return out
