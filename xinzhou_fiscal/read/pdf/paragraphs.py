"""Visual lines → logical lines (paragraphs): a line that runs to the right margin continues into
the next one when that starts at the left margin without indent or list marker, across a page
break too (the page's footer and the next page's header are emitted after the paragraph)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xinzhou_fiscal import patterns
from xinzhou_fiscal.read.furniture import PAGE_NUMBER
from xinzhou_fiscal.read.pdf.lines import VLine, join_wrapped
from xinzhou_fiscal.read.pdf.page import Item, PageInfo
from xinzhou_fiscal.read.pdf.titles import furniture_key

_LIST_START = patterns.compile(
    r"^\s*(第[一二三四五六七八九十]+(部分|条|章|节)|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]"
    r"|\d+[、.．](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩]|(注|说明|备注)\s*\d*\s*[:：]|附件|附表)")


_OPENING = set("（《“‘【〈「『([")
_CLOSING = set("，。；：、！？）》”’】〉」』%‰),.;:!?]")
_LATIN_RUN = patterns.compile(r"[A-Za-z0-9.,%‰+\-/:]")


def _lead_width(ln: VLine) -> float:
    """Width of the line's first unbreakable piece: a Latin word or number, or one Chinese
    character, with any opening punctuation before and closing punctuation after it (Chinese
    line breaking never starts a line with closing punctuation or ends one with an opening one)."""
    cs = ln.chars
    i = 0
    while i < len(cs) and cs[i]["text"] in _OPENING:
        i += 1
    if i < len(cs) and _LATIN_RUN.match(cs[i]["text"]):
        while i + 1 < len(cs) and _LATIN_RUN.match(cs[i + 1]["text"]) and cs[i + 1]["x0"] - cs[i]["x1"] < 1:
            i += 1
    while i + 1 < len(cs) and cs[i + 1]["text"] in _CLOSING:
        i += 1
    i = min(i, len(cs) - 1)
    return cs[i]["x1"] - cs[0]["x0"]


def _is_full(prev: VLine, nxt: VLine, info: PageInfo, columns: set) -> bool:
    """``prev`` ends where it does because the next line's first piece did not fit: it reaches
    the right margin of a text column spanning most of the page, or of a narrower column of
    running text (:func:`_columns`), up to less than that piece plus one em (word processors also
    keep a number with the character after it, and squeeze or stretch punctuation, so the fit is
    not exact)."""
    left, right = info.margin(prev.size)
    if prev.x1 - left < 0.55 * info.width and (
            _column_key(info, prev.size) not in columns or prev.x1 - left < 0.55 * (right - left)):
        return False
    return right - prev.x1 - _lead_width(nxt) < max(prev.size, nxt.size)


def _size_key(size: float) -> float:
    return round(size * 2) / 2


def _column_key(info: PageInfo, size: float) -> tuple[float, int, int]:
    left, right = info.margin(size)
    return _size_key(size), round(left), round(right)


def _columns(items: list[Item], pages: dict[int, PageInfo]) -> set[tuple[float, int, int]]:
    """(font size, left, right) of the narrow columns of running text: at least three lines of
    the document in that size start at the column's left margin and reach its right margin, ten
    characters or more from the left one (a narrow page or column; centred headings and titles
    make no column)."""
    flush: dict[tuple[float, int, int], int] = {}
    for it in items:
        ln = it.vline
        if it.kind != "text" or ln is None:
            continue
        left, right = pages[ln.page].margin(ln.size)
        if right - left >= 10 * ln.size and abs(ln.x0 - left) < 1 and right - ln.x1 < 2 * ln.size:
            key = _column_key(pages[ln.page], ln.size)
            flush[key] = flush.get(key, 0) + 1
    return {k for k, n in flush.items() if n >= 3}


def _pitches(items: list[Item]) -> dict[float, float]:
    """The document's usual line pitch (baseline to baseline, points) per font size: the most
    common distance between two consecutive lines of that size on a page (a document set with a
    fixed line spacing of 28–30 pt for 16 pt text has a pitch of 1.85 × the size)."""
    seen: dict[float, dict[float, int]] = {}
    prev: VLine | None = None
    for it in items:
        ln = it.vline if it.kind == "text" else None
        if ln is not None and prev is not None and prev.page == ln.page and _size_key(prev.size) == _size_key(ln.size):
            step = ln.top - prev.top
            if ln.size <= step <= 3 * ln.size:
                by = seen.setdefault(_size_key(ln.size), {})
                by[round(step * 2) / 2] = by.get(round(step * 2) / 2, 0) + 1
        prev = ln
    return {k: max(v, key=v.get) for k, v in seen.items()}


def _continues(prev: VLine, nxt: VLine, pinfo: PageInfo, ninfo: PageInfo, columns: set,
               pitches: dict[float, float] | None = None) -> bool:
    """Does visual line ``nxt`` continue the paragraph whose last line is ``prev``? A paragraph
    gap is a step down of more than 1.8 × the font size, or of more than the document's usual
    pitch for the size (:func:`_pitches`) by 15 % where its line spacing is wider."""
    if abs(prev.size - nxt.size) > 0.5:
        return False
    if not _is_full(prev, nxt, pinfo, columns):
        return False
    if nxt.x0 > ninfo.margin(nxt.size)[0] + 0.8 * nxt.size:   # first-line indent, centred, right-aligned
        return False
    if _LIST_START.match(nxt.text):
        return False
    pitch = (pitches or {}).get(_size_key(prev.size), 0.0)
    if prev.page == nxt.page and nxt.top - prev.top > max(1.8 * max(prev.size, nxt.size), 1.15 * pitch):
        return False                                   # a paragraph gap
    return True


@dataclass
class Logical:
    text: str
    page: int
    first: VLine
    end_page: int | None = None      # the page it ends on, when it runs over a page break


def _page_furniture(items: list[Item], pages: dict[int, PageInfo]) -> set[int]:
    """ids of the visual lines that are page furniture: page numbers, and running headers/footers
    (the same text, digits aside, in the top or bottom eighth of three or more pages)."""
    def margin_zone(ln: VLine) -> bool:
        h = pages[ln.page].height
        return ln.top < h / 8 or ln.bottom > h * 7 / 8

    seen: dict[str, set[int]] = {}
    for it in items:
        if it.kind == "text" and margin_zone(it.vline):
            seen.setdefault(furniture_key(it.vline.text), set()).add(it.page)
    running = {k for k, v in seen.items() if len(v) >= 3}
    return {id(it.vline) for it in items if it.kind == "text" and margin_zone(it.vline)
            and (PAGE_NUMBER.match(it.vline.text) or furniture_key(it.vline.text) in running)}


def logical_items(items: list[Item], pages: dict[int, PageInfo]) -> list[tuple[str, Any]]:
    """Merge runs of text items into paragraphs; tables pass through. A paragraph continues
    across a page break over the page's footer and the next page's header, which are emitted
    after it."""
    furniture = _page_furniture(items, pages)
    columns = _columns(items, pages)
    pitches = _pitches(items)
    out: list[tuple[str, Any]] = []
    cur: Logical | None = None
    last: VLine | None = None
    held: list[VLine] = []

    def flush() -> None:
        nonlocal cur, last
        if cur is not None:
            out.append(("text", cur))
        out.extend(("text", Logical(h.text, h.page, h)) for h in held)
        cur, last = None, None
        held.clear()

    for it in items:
        if it.kind == "table":
            flush()
            out.append(("table", it.table))
            continue
        ln = it.vline
        if cur is not None and id(ln) in furniture:
            held.append(ln)
            continue
        if cur is not None and last is not None and _continues(last, ln, pages[last.page], pages[ln.page], columns,
                                                                 pitches):
            cur.text = join_wrapped(cur.text, ln.text)
            if ln.page != cur.page:
                cur.end_page = ln.page
            last = ln
            continue
        flush()
        cur, last = Logical(ln.text, ln.page, ln), ln
    flush()
    return out
