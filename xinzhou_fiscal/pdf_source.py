"""Read a PDF report (部门决算公开) into the same :class:`~xinzhou_fiscal.source.SourceDocument`
the text reader produces, so the table parsers and the narrative parsers never know the difference.

How it works (see docs/pdf.md for the long version):

1. Every page's characters are taken from the PDF's text layer (pdfplumber / pdfminer). Ruled
   tables are found from the drawn lines (``page.find_tables()``); every character whose centre
   lies in a table belongs to that table, every other character to the running text.
2. Characters are grouped into visual lines by their *vertical overlap*, not by equal baselines:
   reports typeset in Word put digits in a Latin font whose glyph box sits ~0.4 em lower than
   the Chinese one, so pdfplumber's plain ``extract_text`` puts the numbers on lines of their
   own. A character joins the line whose core it overlaps by at least half its height.
3. Visual lines are joined into logical lines (paragraphs) when a line runs to the right margin
   and the next one starts at the left margin without a first-line indent or a list marker, so a
   narrative sentence reads ``本年收入合计2946.25万元，其中：…；其他收入6.2万元，占0.21%；``.
4. Each table becomes rows of cells, column order as ruled; a cell's wrapped lines are joined
   (no spaces inside Chinese names); codes printed as 类 | 款 | 项 columns are merged into one
   code cell (``201 | 06 | 01`` → ``2010601``). A table is identified by the title printed above
   it (normalised), continued across pages by its shape (same columns, no title, nothing but
   page furniture in between), with header rows repeated on continuation pages dropped.
5. ``lines`` holds every logical line in reading order, table rows included once (cells joined
   by tabs, like the text reader), so ``Row.line`` points into ``lines``.
"""
from __future__ import annotations

import re
import statistics
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pdfplumber

from .errors import (EmptyPdfError, NotAReportError, PdfCorruptError, PdfEncryptedError, PdfError,  # noqa: F401
                     PdfNoTextError, PdfWarning)
from .document.furniture import PAGE_NUMBER
from .problems import ParseProblem
from .source import NOTE, PART_HEADING, Line, Row, SourceDocument, TableBlock, normalize_label

__all__ = [
    "read_pdf_document", "PdfCorruptError", "PdfEncryptedError", "PdfNoTextError",
    "EmptyPdfError", "PdfWarning",
]


# ----------------------------------------------------------------------------------------------
# characters → visual lines
# ----------------------------------------------------------------------------------------------

_CJK_PUNCT = set("，。；：、！？（）《》〈〉“”‘’【】「」『』…—·,;:!?()")
_OVERLAP = 0.5          # a char joins a line it overlaps by at least half its (or the line's) height
_SPACE_GAP = 0.2        # a horizontal gap wider than 0.2 em is printed as one space


@dataclass
class _VLine:
    """One visual line: characters sharing a vertical band, left to right."""

    chars: list[dict]
    top: float            # core band (the first characters that made the line)
    bottom: float
    page: int = 0
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    size: float = 0.0

    def finish(self) -> "_VLine":
        self.chars.sort(key=lambda c: c["x0"])
        self.text = _line_text(self.chars)
        self.x0 = min(c["x0"] for c in self.chars)
        self.x1 = max(c["x1"] for c in self.chars)
        self.size = statistics.median(_size(c) for c in self.chars)
        return self


def _size(c: dict) -> float:
    return float(c.get("size") or (c["bottom"] - c["top"]) or 1.0)


def _cluster(chars: Iterable[dict]) -> list[_VLine]:
    """Group characters into visual lines by vertical overlap with each line's core band.

    Characters are visited by vertical centre; a character joins the (recent) line whose core band
    it overlaps most, if that overlap is at least half of the smaller height, else starts a line.
    Digits set in a Latin font ~0.4 em below the Chinese baseline therefore stay on their line.
    """
    lines: list[_VLine] = []
    for c in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        h = max(c["bottom"] - c["top"], 0.1)
        best, best_ratio = None, 0.0
        for ln in lines[-6:]:
            ov = min(c["bottom"], ln.bottom) - max(c["top"], ln.top)
            if ov <= 0:
                continue
            ratio = ov / min(h, max(ln.bottom - ln.top, 0.1))
            if ratio > best_ratio:
                best, best_ratio = ln, ratio
        if best is not None and best_ratio >= _OVERLAP:
            best.chars.append(c)
        else:
            lines.append(_VLine([c], c["top"], c["bottom"]))
    for ln in lines:
        ln.finish()
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def _line_text(chars: list[dict]) -> str:
    """The text of one visual line (chars sorted by x): a space where the gap is wider than
    0.2 em, none next to Chinese punctuation; overprinted duplicates (fake bold) dropped."""
    out: list[str] = []
    prev: dict | None = None
    for c in chars:
        t = c["text"]
        if prev is not None:
            if t == prev["text"] and abs(c["x0"] - prev["x0"]) < 0.3 * _size(c):
                continue  # the same glyph printed twice (simulated bold)
            gap = c["x0"] - prev["x1"]
            if (gap > _SPACE_GAP * min(_size(c), _size(prev))
                    and t not in _CJK_PUNCT and prev["text"] not in _CJK_PUNCT):
                out.append(" ")
        out.append(t)
        prev = c
    return "".join(out)


def _join(a: str, b: str) -> str:
    """Join two wrapped pieces of one cell or paragraph: no space, except between two words of
    Latin letters (digits and Chinese run on: a number or a Chinese name is never split)."""
    if not a:
        return b
    if not b:
        return a
    if re.match(r"[A-Za-z]", a[-1]) and re.match(r"[A-Za-z]", b[0]):
        return a + " " + b
    return a + b


def _chars_text(chars: list[dict]) -> str:
    """Text of a box of characters (a table cell): its visual lines joined."""
    if not chars:
        return ""
    text = ""
    for ln in _cluster(chars):
        text = _join(text, ln.text.strip())
    return text


# ----------------------------------------------------------------------------------------------
# pages → items (text lines and tables) in reading order
# ----------------------------------------------------------------------------------------------

@dataclass
class _Table:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    col_x: list[float]                 # left edges of the grid columns
    grid: list[list[str | None]]       # None where a merged cell covers the position
    page_height: float = 0.0


@dataclass
class _Item:
    kind: str                          # "text" | "table"
    page: int
    top: float
    vline: _VLine | None = None
    table: _Table | None = None


@dataclass
class _PageInfo:
    number: int
    width: float
    height: float
    left: float = 0.0                  # left margin of the running text
    right: float = 0.0                 # right margin of the running text
    margins: dict[float, tuple[float, float]] = field(default_factory=dict)  # by font size
    n_chars: int = 0
    n_images: int = 0
    n_sideways: int = 0                # characters not upright (text rotated on the page)

    def margin(self, size: float) -> tuple[float, float]:
        """(left, right) of the lines set in this font size: body text, not the headings,
        metadata or notes in other sizes."""
        return self.margins.get(round(size * 2) / 2, (self.left, self.right))


def _center_in(c: dict, bbox: tuple[float, float, float, float]) -> bool:
    x = (c["x0"] + c["x1"]) / 2
    y = (c["top"] + c["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _page_chars(page) -> list[dict]:
    """The page's visible characters, whitespace and exact duplicates dropped."""
    seen: set[tuple] = set()
    out = []
    for c in page.chars:
        t = c.get("text") or ""
        if not t or t.isspace():
            continue
        key = (t, round(c["x0"], 1), round(c["top"], 1))
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def _read_table(tbl, chars: list[dict], page_no: int, page_height: float) -> tuple[_Table | None, list[dict]]:
    """A pdfplumber table as a grid of cell texts (None where a merged cell covers the position),
    and the characters inside its frame that fall in no cell (they go back to the running text)."""
    rows = tbl.rows
    ncols = max((len(r.cells) for r in rows), default=0)
    if not rows or ncols < 2:
        return None, []
    x0, top, x1, bottom = tbl.bbox
    inside = [c for c in chars if _center_in(c, tbl.bbox)]
    used: set[int] = set()
    grid: list[list[str | None]] = []
    col_x: list[float | None] = [None] * ncols
    for r in rows:
        ry0, ry1 = r.bbox[1], r.bbox[3]
        row_chars = [c for c in inside if ry0 <= (c["top"] + c["bottom"]) / 2 <= ry1]
        cells: list[str | None] = []
        for j in range(ncols):
            bbox = r.cells[j] if j < len(r.cells) else None
            if bbox is None:
                cells.append(None)
                continue
            if col_x[j] is None:
                col_x[j] = bbox[0]
            mine = [c for c in row_chars if id(c) not in used and _center_in(c, bbox)]
            used.update(id(c) for c in mine)
            cells.append(_chars_text(mine))
        grid.append(cells)
    xs = [x if x is not None else x0 for x in col_x]
    return _Table(page_no, top, bottom, x0, x1, xs, grid, page_height), [c for c in inside if id(c) not in used]


def _read_page(page, page_no: int) -> tuple[_PageInfo, list[_Item]]:
    chars = _page_chars(page)
    info = _PageInfo(page_no, float(page.width), float(page.height), n_chars=len(chars),
                     n_images=len(page.images), n_sideways=sum(1 for c in chars if not c.get("upright", True)))
    items: list[_Item] = []
    tables: list[_Table] = []
    stray: list[dict] = []
    if page.rects or page.lines or page.curves:
        for tbl in page.find_tables():
            t, outside_cells = _read_table(tbl, chars, page_no, info.height)
            if t is not None:
                tables.append(t)
                stray.extend(outside_cells)
    if tables:
        boxes = [(t.x0, t.top, t.x1, t.bottom) for t in tables]
        text_chars = [c for c in chars if not any(_center_in(c, b) for b in boxes)] + stray
    else:
        text_chars = chars
    vlines = _cluster(text_chars)
    for ln in vlines:
        ln.page = page_no
        items.append(_Item("text", page_no, ln.top, vline=ln))
    for t in tables:
        items.append(_Item("table", page_no, t.top, table=t))
    items.sort(key=lambda it: it.top)
    if vlines:
        info.left = min(ln.x0 for ln in vlines)
        info.right = max(ln.x1 for ln in vlines)
        for ln in vlines:
            key = round(ln.size * 2) / 2
            lo, hi = info.margins.get(key, (ln.x0, ln.x1))
            info.margins[key] = (min(lo, ln.x0), max(hi, ln.x1))
    return info, items


# ----------------------------------------------------------------------------------------------
# visual lines → logical lines (paragraphs)
# ----------------------------------------------------------------------------------------------

_LIST_START = re.compile(
    r"^\s*(第[一二三四五六七八九十]+(部分|条|章|节)|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]"
    r"|\d+[、.．](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩]|(注|说明|备注)\s*\d*\s*[:：]|附件|附表)")


_OPENING = set("（《“‘【〈「『([")
_CLOSING = set("，。；：、！？）》”’】〉」』%‰),.;:!?]")
_LATIN_RUN = re.compile(r"[A-Za-z0-9.,%‰+\-/:]")


def _lead_width(ln: _VLine) -> float:
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


def _is_full(prev: _VLine, nxt: _VLine, info: _PageInfo) -> bool:
    """``prev`` ends where it does because the next line's first piece did not fit: it reaches
    the right margin of a text column spanning most of the page, up to less than that piece plus
    one em (word processors also keep a number with the character after it, and squeeze or
    stretch punctuation, so the fit is not exact)."""
    left, right = info.margin(prev.size)
    if prev.x1 - left < 0.55 * info.width:
        return False
    return right - prev.x1 - _lead_width(nxt) < max(prev.size, nxt.size)


def _continues(prev: _VLine, nxt: _VLine, pinfo: _PageInfo, ninfo: _PageInfo) -> bool:
    """Does visual line ``nxt`` continue the paragraph whose last line is ``prev``?"""
    if abs(prev.size - nxt.size) > 0.5:
        return False
    if not _is_full(prev, nxt, pinfo):
        return False
    if nxt.x0 > ninfo.margin(nxt.size)[0] + 0.8 * nxt.size:   # first-line indent, centred, right-aligned
        return False
    if _LIST_START.match(nxt.text):
        return False
    if prev.page == nxt.page and nxt.top - prev.top > 1.8 * max(prev.size, nxt.size):
        return False                                   # a paragraph gap
    return True


@dataclass
class _Logical:
    text: str
    page: int
    first: _VLine


def _page_furniture(items: list[_Item], pages: dict[int, _PageInfo]) -> set[int]:
    """ids of the visual lines that are page furniture: page numbers, and running headers/footers
    (the same text, digits aside, in the top or bottom eighth of three or more pages)."""
    def margin_zone(ln: _VLine) -> bool:
        h = pages[ln.page].height
        return ln.top < h / 8 or ln.bottom > h * 7 / 8

    seen: dict[str, set[int]] = {}
    for it in items:
        if it.kind == "text" and margin_zone(it.vline):
            seen.setdefault(_furniture_key(it.vline.text), set()).add(it.page)
    running = {k for k, v in seen.items() if len(v) >= 3}
    return {id(it.vline) for it in items if it.kind == "text" and margin_zone(it.vline)
            and (_PAGE_NO.match(it.vline.text) or _furniture_key(it.vline.text) in running)}


def _logical_items(items: list[_Item], pages: dict[int, _PageInfo]) -> list[tuple[str, Any]]:
    """Merge runs of text items into paragraphs; tables pass through. A paragraph continues
    across a page break over the page's footer and the next page's header, which are emitted
    after it."""
    furniture = _page_furniture(items, pages)
    out: list[tuple[str, Any]] = []
    cur: _Logical | None = None
    last: _VLine | None = None
    held: list[_VLine] = []

    def flush() -> None:
        nonlocal cur, last
        if cur is not None:
            out.append(("text", cur))
        out.extend(("text", _Logical(h.text, h.page, h)) for h in held)
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
        if cur is not None and last is not None and _continues(last, ln, pages[last.page], pages[ln.page]):
            cur.text = _join(cur.text, ln.text)
            last = ln
            continue
        flush()
        cur, last = _Logical(ln.text, ln.page, ln), ln
    flush()
    return out


# ----------------------------------------------------------------------------------------------
# table grids → canonical rows
# ----------------------------------------------------------------------------------------------

_CODE_LABELS = ("类", "款", "项")
_DIGITS = re.compile(r"^\d{1,3}$")
_AMOUNT = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$|^[+-]?\d{1,3}(?:,\d{3})+$")
_CODE_CELL = re.compile(r"^\d{3}(\d{2}){0,2}$")
_TOTAL = re.compile(r"合计|总计")


def _code_groups(grid: list[list[str | None]]) -> list[tuple[int, int]]:
    """Column groups printing one code split as 类 | 款 (| 项): found from the header cells
    ``类``, ``款``, ``项`` side by side, or — when the sub-header is missing — from data rows whose
    adjacent cells hold a 3-digit class followed by 2-digit parts."""
    groups: list[tuple[int, int]] = []
    for row in grid[:8]:
        cells = [normalize_label(c or "") for c in row]
        j = 0
        while j < len(cells) - 1:
            if cells[j] == "类" and cells[j + 1] == "款":
                end = j + 3 if j + 2 < len(cells) and cells[j + 2] == "项" else j + 2
                groups.append((j, end))
                j = end
            else:
                j += 1
        if groups:
            return groups
    # no sub-header: look at the data
    ncols = max((len(r) for r in grid), default=0)
    j = 0
    while j < ncols - 1:
        hits = 0
        width = 2
        for row in grid:
            a = (row[j] or "").strip() if j < len(row) else ""
            b = (row[j + 1] or "").strip() if j + 1 < len(row) else ""
            c = (row[j + 2] or "").strip() if j + 2 < len(row) else ""
            if re.fullmatch(r"\d{3}", a) and re.fullmatch(r"\d{2}", b):
                hits += 1
                if re.fullmatch(r"\d{2}", c):
                    width = 3
        if hits >= 2:
            groups.append((j, j + width))
            j += width
        else:
            j += 1
    return groups


def _merge_codes(cells: list[str], groups: list[tuple[int, int]]) -> list[str]:
    """Replace each 类 | 款 | 项 group by one cell: the concatenated code for data rows
    (``201 | 06 | 01`` → ``2010601``), nothing for the 类/款/项 sub-header, else the header text."""
    if not groups:
        return cells
    out: list[str] = []
    j = 0
    for start, end in groups:
        out.extend(cells[j:start])
        parts = [p for p in cells[start:end] if p]
        if parts and all(_DIGITS.match(p) for p in parts):
            out.append("".join(parts))
        elif parts and all(p in _CODE_LABELS for p in parts):
            out.append("")
        else:
            out.append("".join(parts))
        j = end
    out.extend(cells[j:])
    return out


def _canonical_rows(grid: list[list[str | None]], groups: list[tuple[int, int]]) -> list[list[str]]:
    rows = []
    for raw in grid:
        cells = [normalize_label(c) if c else "" for c in raw]
        rows.append(_merge_codes(cells, groups))
    return rows


def _is_data_row(cells: list[str]) -> bool:
    """An amount, a code in the first column, or a first label 合计/总计: the header is over."""
    first = next((c for c in cells if c), "")
    return any(_AMOUNT.match(c) for c in cells) or bool(_CODE_CELL.match(cells[0] if cells else "")) \
        or first in ("合计", "总计")


def _header_rows(rows: list[list[str]]) -> list[tuple[str, ...]]:
    out = []
    for r in rows:
        if _is_data_row(r):
            break
        out.append(tuple(r))
    return out


def _remap(rows: list[list[str | None]], row_x: list[float], col_x: list[float],
           tol: float) -> list[list[str | None]] | None:
    """Put a continuation's cells into the block's columns by x position (when the continuation
    page was ruled with a different column count); None if a cell fits no column."""
    grid = []
    n = len(col_x)
    for row in rows:
        new: list[str | None] = [None] * n
        for j, cell in enumerate(row):
            if cell is None:
                continue
            x = row_x[j]
            k = max((i for i in range(n) if col_x[i] <= x + tol), default=None)
            if k is None:
                return None
            new[k] = _join(new[k] or "", cell) if new[k] else cell
        grid.append(new)
    return grid


# ----------------------------------------------------------------------------------------------
# titles, metadata, notes
# ----------------------------------------------------------------------------------------------

_NUMBER_IN = re.compile(r"公开\s*(\d{1,2})\s*表")
_DEPT_IN = re.compile(r"(?:部门名称|单位名称|编制单位|填报单位|部门)\s*[:：]\s*(.+?)"
                      r"(?=\s|(?:19|20)\d{2}\s*年|金额单位|单位\s*[:：]|$)")
_UNIT_IN = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|千元|亿元|元)")
_YEAR_IN = re.compile(r"(?:19|20)\d{2}\s*年度?")
_PAGE_NO = PAGE_NUMBER
_CONT = re.compile(r"^[（(]?\s*续(表)?\s*[)）]?$")
_TITLE_PREFIX = re.compile(r"^(附?表\s*[\d一二三四五六七八九十]+\s*[、.．:：]?|[一二三四五六七八九十]+、|\d+[、.．])")
_CONT_SUFFIX = re.compile(r"[（(]\s*续(表)?\s*[)）]$|续表$")


def _meta(text: str) -> dict[str, str] | None:
    """If the line is table metadata (number, department, year, unit, page number, 续表), what it
    says; None for any other line."""
    s = text.strip()
    found: dict[str, str] = {}
    m = _NUMBER_IN.search(s)
    if m:
        found["number"] = f"公开{m.group(1)}表"
    m = _DEPT_IN.search(s)
    if m:
        found["department"] = m.group(1).strip()
    m = _UNIT_IN.search(s)
    if m:
        found["unit"] = m.group(1)
    rest = s
    for rx in (_NUMBER_IN, _DEPT_IN, _UNIT_IN):
        rest = rx.sub(" ", rest)
    rest = re.sub(r"(?:部门名称|单位名称|编制单位|填报单位|部门)\s*[:：]", " ", rest)
    rest = _YEAR_IN.sub(" ", rest).strip(" \t:：,，")
    if not rest or _PAGE_NO.match(rest) or _CONT.match(rest):
        return found
    return None


def _title(text: str) -> tuple[str, str | None, bool] | None:
    """(title, number, is_continuation) if the line is a table title, else None."""
    s = normalize_label(text)
    if not s or PART_HEADING.match(s) or len(s) > 60:
        return None
    number = None
    m = _NUMBER_IN.search(s)
    if m:
        number = f"公开{m.group(1)}表"
        s = normalize_label(_NUMBER_IN.sub("", s))
    cont = bool(_CONT_SUFFIX.search(s))
    s = _CONT_SUFFIX.sub("", s).strip()
    s = _TITLE_PREFIX.sub("", s).strip()
    if not s.endswith("表") or len(s) < 4 or re.search(r"[，。；：:,;]", s):
        return None                                    # (a sentence mentioning a table is no title)
    if "决算" not in s and "统计表" not in s and number is None:
        return None
    return s, number, cont


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", normalize_label(text))


def _running_lines(stream: list[tuple[str, Any]], min_pages: int = 3) -> set[str]:
    """Texts printed on at least ``min_pages`` pages (running headers and footers, ``第#页``)."""
    pages: dict[str, set[int]] = {}
    for kind, obj in stream:
        if kind == "text" and len(obj.text) <= 60:
            pages.setdefault(_furniture_key(obj.text), set()).add(obj.page)
    return {k for k, v in pages.items() if len(v) >= min_pages}


def _known_title(title: str) -> bool:
    from .tables.spec import spec_for_title
    return spec_for_title(title) is not None


def _is_furniture(text: str, running: set[str] = frozenset()) -> bool:
    """Page furniture between two parts of a continued table: metadata, page numbers, 续表,
    running headers and footers."""
    return _meta(text) is not None or (bool(running) and _furniture_key(text) in running)


# ----------------------------------------------------------------------------------------------
# the reader
# ----------------------------------------------------------------------------------------------

_REPORT_TEXT = re.compile(r"(部门|单位)决算|决算(公开|报告|情况说明|表)|年度?\s*决算")


def _open_error(path: Path, exc: BaseException) -> PdfError:
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    name = type(inner).__name__
    if "Password" in name or "Encryption" in name:
        return PdfEncryptedError(
            "the PDF is password-protected (encrypted); it cannot be read without the password — "
            "save an unprotected copy first", file=path)
    detail = str(inner) or name
    return PdfCorruptError(f"the PDF is corrupt or truncated and cannot be parsed ({name}: {detail})",
                           file=path)


def _decrypted(path: Path, data: bytes):
    """The PDF to hand to pdfplumber: the path itself, or — for an encrypted file that opens with
    the empty user password (an owner password only restricts printing or copying) — its plain
    bytes, decrypted in memory by pikepdf (qpdf), because pdfminer decrypts every string and stream
    in Python, 50× slower than reading the plain file. A file that needs a user password raises
    :class:`PdfEncryptedError`."""
    if b"/Encrypt" not in data:
        return path
    import io

    import pikepdf
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if not pdf.is_encrypted:
                return path
            plain = io.BytesIO()
            pdf.save(plain)
    except pikepdf.PasswordError as exc:
        raise _open_error(path, exc) from exc
    except pikepdf.PdfError:
        return path                       # damaged: let pdfplumber name what is wrong
    plain.seek(0)
    return plain


def read_pdf_document(path: Path | str) -> SourceDocument:
    """Read a PDF final-accounts report: every line in reading order and every ruled table found,
    as a :class:`SourceDocument` with ``kind="pdf"``.

    Raises :class:`EmptyPdfError` for an empty file, :class:`PdfCorruptError` for a file that is
    not a readable PDF, :class:`PdfEncryptedError` for a password-protected one,
    :class:`PdfNoTextError` for a scan without text layer (OCR needed), and
    :class:`~xinzhou_fiscal.errors.NotAReportError` for a readable PDF that is not a
    final-accounts report. Every message names the file.
    """
    path = Path(path)
    data = path.read_bytes()
    if not data.strip():
        raise EmptyPdfError("the file is empty: no PDF to read", file=path)
    if b"%PDF-" not in data[:1024]:
        raise PdfCorruptError("the file is not a PDF (no %PDF- header)", file=path)

    pages: dict[int, _PageInfo] = {}
    items: list[_Item] = []
    try:
        with pdfplumber.open(_decrypted(path, data)) as pdf:
            page_count = len(pdf.pages)
            for i, page in enumerate(pdf.pages, start=1):
                info, page_items = _read_page(page, i)
                pages[i] = info
                items.extend(page_items)
                page.close()
    except PdfError:
        raise
    except Exception as exc:  # pdfminer raises many types (PDFSyntaxError, PSEOF, KeyError, ...)
        raise _open_error(path, exc) from exc

    if page_count == 0:
        raise PdfCorruptError("the PDF has no pages", file=path)
    total_chars = sum(p.n_chars for p in pages.values())
    if total_chars == 0:
        images = sum(p.n_images for p in pages.values())
        what = f"its {page_count} page(s) hold {images} image(s) and no text" if images else \
            f"none of its {page_count} page(s) holds any text"
        raise PdfNoTextError(f"the PDF has no text layer ({what}): it looks scanned — OCR is "
                             "needed before it can be read", file=path)
    reading_problems = []
    scanned = [p.number for p in pages.values() if p.n_chars == 0 and p.n_images > 0]
    if scanned:
        reading_problems += [ParseProblem("pdf", "the page is an image without a text layer; its content is "
                                          "not read (OCR needed)", page=n) for n in scanned]
        warnings.warn(f"{path}: page(s) {', '.join(map(str, scanned))} are images without a text "
                      "layer; their content (if any) is not read (OCR needed)", PdfWarning,
                      stacklevel=2)

    sideways = [p.number for p in pages.values() if p.n_chars and p.n_sideways > p.n_chars / 2]
    if sideways:
        reading_problems += [ParseProblem("pdf", "the page's text runs sideways (rotated) and is read out of "
                                          "order", page=n) for n in sideways]
        warnings.warn(f"{path}: the text of page(s) {', '.join(map(str, sideways))} runs sideways (rotated); "
                      "rotated text is not supported and is read out of order", PdfWarning, stacklevel=2)

    lines, blocks = _assemble(_logical_items(items, pages), pages)
    text = "\n".join(ln.text for ln in lines)
    if not blocks and not _REPORT_TEXT.search(text):
        if sum(p.n_sideways for p in pages.values()) > total_chars / 2:
            raise PdfError("the PDF's text runs sideways (rotated pages): rotated text is not supported — "
                           "save the pages upright and try again", file=path)
        raise NotAReportError(
            "the PDF has a text layer but is not a final-accounts report (部门决算): no 决算 table "
            "title and no 决算 heading found", file=path)
    doc = SourceDocument(path=path, kind="pdf", encoding=None, lines=lines, tables=blocks,
                         page_count=page_count, problems=reading_problems)
    from .source import _toc_pages  # the same table-of-contents reader as the text path
    doc.toc_pages = _toc_pages(lines)
    return doc


@dataclass
class _Open:
    """A table block being built, with what continuation pages need to know."""

    block: TableBlock
    ncols: int
    col_x: list[float]
    x0: float
    x1: float
    groups: list[tuple[int, int]]
    headers: set[tuple[str, ...]] = field(default_factory=set)
    last_page: int = 0
    last_bottom: float = 0.0
    page_height: float = 0.0
    collecting_notes: bool = True


def _in_page_margin(vline: _VLine, pages: dict[int, _PageInfo]) -> bool:
    """The visual line sits in the top or bottom eighth of its page (a running header or footer)."""
    h = pages[vline.page].height
    return vline.top < h / 8 or vline.bottom > h * 7 / 8


def _plain(text: str) -> bool:
    """A line that can stand between two pages of one table: no table title, part heading or note."""
    return not _title(text) and not PART_HEADING.match(text) and not NOTE.match(text) and "本表无数据" not in text


def _repeats_header(grid: list[list[str | None]], cur: "_Open") -> bool:
    """The grid's first non-empty row is one of the open block's header rows (printed again)."""
    first = next((r for r in _canonical_rows(grid, cur.groups) if any(r)), None)
    return first is not None and tuple(first) in cur.headers


def _assemble(stream: list[tuple[str, Any]], pages: dict[int, _PageInfo]) -> tuple[list[Line], list[TableBlock]]:
    lines: list[Line] = []
    blocks: list[TableBlock] = []
    running = _running_lines(stream)

    def furniture(text: str) -> bool:
        return _is_furniture(text, running)

    cur: _Open | None = None              # the most recent table block
    since: list[Line] = []                # text lines since the last table
    in_margin: list[bool] = []            # ... each: does it sit in its page's header/footer zone?
    tail_content = False                  # anything substantive after the last table?

    def emit(text: str, page: int) -> Line:
        ln = Line(text, len(lines) + 1, page)
        lines.append(ln)
        return ln

    for kind, obj in stream:
        if kind == "text":
            ln = emit(obj.text, obj.page)
            if cur is not None and cur.collecting_notes:
                if NOTE.match(ln.text) or "本表无数据" in ln.text or (
                        cur.block.notes and not _title(ln.text) and not furniture(ln.text)
                        and re.match(r"^\s*(\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[)）])", ln.text)):
                    cur.block.notes.append(ln)
                    cur.block.end_line = ln.line
                    continue
                if not furniture(ln.text):
                    cur.collecting_notes = False
            since.append(ln)
            in_margin.append(_in_page_margin(obj.first, pages))
            if not furniture(ln.text):
                tail_content = True
            continue

        table: _Table = obj
        # title: the last non-metadata line before the table (after the previous table)
        title = number = unit = department = None
        cont_title = False
        title_line: Line | None = None
        texts = [ln for ln in since]
        for k in range(len(texts) - 1, -1, -1):
            ln = texts[k]
            m = _meta(ln.text)
            if m is not None:
                unit = unit or m.get("unit")
                department = department or m.get("department")
                number = number or m.get("number")
                continue
            t = _title(ln.text)
            if k > 0 and _meta(texts[k - 1].text) is None:
                # a long title wrapped on two lines: the joined text wins if it is a title and the
                # last line alone is not, or if it is a known title (出决算明细表 alone is not)
                t2 = _title(texts[k - 1].text + ln.text)
                if t2 and (not t or _known_title(t2[0])):
                    t, ln, k = t2, texts[k - 1], k - 1
            if t:
                title, tnum, cont_title = t
                number = number or tnum
                title_line = ln
                if k > 0 and number is None:                   # 公开NN表 printed above the title
                    above = _meta(texts[k - 1].text)
                    number = above.get("number") if above else None
            break
        between_is_furniture = all(furniture(ln.text) for ln in since)
        between_is_margin = all(furniture(ln.text) or (m and _plain(ln.text)) for ln, m in zip(since, in_margin))
        between_is_plain = all(_plain(ln.text) for ln in since)
        since, in_margin = [], []

        # a title and metadata ruled inside the grid, above the header (common in Excel exports)
        grid = table.grid
        lead: list[str] = []
        while grid:
            cells = [normalize_label(c) for c in grid[0] if c and c.strip()]
            if not cells:
                grid = grid[1:]
                continue
            m = _meta(" ".join(cells))
            t = _title(cells[0]) if len(cells) == 1 and title is None else None
            if m is not None and (m or lead):
                unit = unit or m.get("unit")
                department = department or m.get("department")
                number = number or m.get("number")
            elif t:
                title, tnum, cont_title = t
                number = number or tnum
            else:
                break
            lead.append("\t".join(cells))
            grid = grid[1:]
        lead_lines = [emit(text, table.page) for text in lead]
        if title is not None and title_line is None:
            title_line = next((ln for ln in lead_lines if _title(ln.text)), None)

        if all(not (c or "").strip() for row in grid for c in row) and title is None:
            continue  # an empty ruled box without title (e.g. a page left blank but for a rule)

        # continuation of the current block?
        is_cont = False
        if cur is not None:
            same_title = title is not None and normalize_label(title) == cur.block.title
            shape_ok = len(table.col_x) == cur.ncols
            cont_grid = grid
            if not shape_ok and abs(table.x0 - cur.x0) < 6 and abs(table.x1 - cur.x1) < 6:
                remapped = _remap(grid, table.col_x, cur.col_x, tol=3.0)
                if remapped is not None:
                    cont_grid, shape_ok = remapped, True
            next_page = table.page == cur.last_page + 1
            if title is None and between_is_furniture and shape_ok:
                is_cont = True                          # (on the next page, or split on the same one)
            elif title is None and shape_ok and next_page and (
                    between_is_margin or (between_is_plain and _repeats_header(cont_grid, cur))):
                is_cont = True                          # an untitled continuation page: a running header
                                                        # above it, or the block's header printed again
            elif title is not None and (cont_title or same_title) and shape_ok and between_is_furniture:
                is_cont = True
            elif title is not None and (cont_title or same_title) and shape_ok and table.page > cur.last_page:
                is_cont = True
        if is_cont:
            rows = _canonical_rows(cont_grid, cur.groups)
            dropping = True
            for cells in rows:
                if not any(cells):
                    continue
                if dropping and tuple(cells) in cur.headers:
                    emit("\t".join(cells), table.page)   # printed again on this page: a line, not a row
                    continue
                dropping = False
                ln = emit("\t".join(cells), table.page)
                cur.block.rows.append(Row(tuple(cells), ln.line, table.page))
                cur.block.end_line = ln.line
            cur.last_page, cur.last_bottom, cur.page_height = table.page, table.bottom, table.page_height
            cur.collecting_notes = True
            tail_content = False
            continue

        groups = _code_groups(grid)
        rows = [r for r in _canonical_rows(grid, groups) if any(r)]
        if title is None:
            # a ruled table that is not a report table (e.g. the unit list in 概况): its text is
            # part of the document's lines, it is not a TableBlock
            for cells in rows:
                emit("\t".join(cells), table.page)
            cur = None
            tail_content = True
            continue
        block = TableBlock(title=normalize_label(title), number=number, rows=[], unit=unit,
                           department=department, page=table.page, closed=True,
                           start_line=title_line.line if title_line else len(lines) + 1)
        for cells in rows:
            ln = emit("\t".join(cells), table.page)
            block.rows.append(Row(tuple(cells), ln.line, table.page))
        block.end_line = lines[-1].line if rows else block.start_line
        blocks.append(block)
        cur = _Open(block, len(table.col_x), list(table.col_x), table.x0, table.x1, groups,
                    headers=set(_header_rows([list(r.cells) for r in block.rows])),
                    last_page=table.page, last_bottom=table.bottom, page_height=table.page_height)
        tail_content = False

    # a table the document ends in, without total row or note, that runs to the page bottom:
    # the document may have been cut off mid-table
    if cur is not None and not tail_content:
        b = cur.block
        last_rows = [r.cells for r in b.rows[-2:]]
        has_total = any(_TOTAL.search(c) for cells in last_rows for c in cells)
        near_bottom = cur.last_bottom > 0.8 * cur.page_height if cur.page_height else True
        if not b.notes and not has_total and near_bottom:
            b.closed = False
    return lines, blocks
