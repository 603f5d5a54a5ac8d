"""One PDF page → its items in reading order: visual lines of running text and ruled tables as
grids of cell texts (every character whose centre lies in a table belongs to it). The page is a
pdfplumber page or a :class:`~xinzhou_fiscal.read.pdf.pdfium.PdfiumPage`: both give ``chars``
(plain records), ``width``, ``height``, ``images`` and ``find_tables()`` (tables with a ``bbox`` and
``rows`` of cell boxes)."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from xinzhou_fiscal.read.pdf.lines import VLine, chars_text, cluster_lines


@dataclass
class GridTable:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    col_x: list[float]                 # left edges of the grid columns
    grid: list[list[str | None]]       # None where a merged cell covers the position
    page_height: float = 0.0
    inferred: bool = False             # no ruling lines: columns inferred from word positions (columns.py)
    lines: list | None = None          # (inferred) the visual lines of the region, to re-cut on a continuation


@dataclass
class Item:
    kind: str                          # "text" | "table"
    page: int
    top: float
    vline: VLine | None = None
    table: GridTable | None = None


@dataclass
class PageInfo:
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


def center_in(c: dict, bbox: tuple[float, float, float, float]) -> bool:
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


def _centre_index(chars: list[dict], lo: str, hi: str) -> tuple[list[int], list[float]]:
    """The characters' positions sorted by their centre on one axis (``x0``/``x1`` or
    ``top``/``bottom``), and those centres, for :func:`_between`."""
    order = sorted(range(len(chars)), key=lambda k: (chars[k][lo] + chars[k][hi]) / 2)
    return order, [(chars[k][lo] + chars[k][hi]) / 2 for k in order]


def _between(index: tuple[list[int], list[float]], lo: float, hi: float) -> list[int]:
    """Positions (in the original order) of the characters whose centre lies in [lo, hi]."""
    order, centres = index
    return sorted(order[bisect.bisect_left(centres, lo):bisect.bisect_right(centres, hi)])


def _read_table(tbl, chars: list[dict], page_no: int, page_height: float) -> tuple[GridTable | None, list[dict]]:
    """A ruled table (pdfplumber's or :mod:`.rulings`') as a grid of cell texts (None where a merged
    cell covers the position), and the characters inside its frame that fall in no cell (they go
    back to the running text). Characters are taken in page order, each by the first cell (row by
    row, left to right) whose box holds its centre."""
    rows = tbl.rows
    ncols = max((len(r.cells) for r in rows), default=0)
    if not rows or ncols < 2:
        return None, []
    x0, top, x1, bottom = bbox = tbl.bbox
    inside = [c for c in chars if center_in(c, bbox)]
    by_y = _centre_index(inside, "top", "bottom")
    used: set[int] = set()
    grid: list[list[str | None]] = []
    col_x: list[float | None] = [None] * ncols
    for r in rows:
        row_chars = [inside[k] for k in _between(by_y, r.bbox[1], r.bbox[3])]
        by_x = _centre_index(row_chars, "x0", "x1")
        cells: list[str | None] = []
        for j in range(ncols):
            bbox = r.cells[j] if j < len(r.cells) else None
            if bbox is None:
                cells.append(None)
                continue
            if col_x[j] is None:
                col_x[j] = bbox[0]
            mine = [c for c in (row_chars[k] for k in _between(by_x, bbox[0], bbox[2]))
                    if id(c) not in used and center_in(c, bbox)]
            used.update(id(c) for c in mine)
            cells.append(chars_text(mine))
        grid.append(cells)
    xs = [x if x is not None else x0 for x in col_x]
    return GridTable(page_no, top, bottom, x0, x1, xs, grid, page_height), [c for c in inside if id(c) not in used]


def has_rulings(page) -> bool:
    """Does the page draw anything a table could be ruled with (a PDFium page says so itself)?"""
    ruled = getattr(page, "has_rulings", None)
    return ruled if ruled is not None else bool(page.rects or page.lines or page.curves)


def _unruled_tables(vlines: list[VLine], page_no: int, page_height: float) -> tuple[list[VLine], list[GridTable]]:
    """On a page without rulings, the tables printed by alignment only (:mod:`.columns`): the
    remaining text lines and the inferred grids."""
    from xinzhou_fiscal.read.pdf.columns import infer_grid, table_regions
    from xinzhou_fiscal.read.pdf.titles import table_meta, table_title

    tables, taken = [], set()
    for a, b, titled in table_regions(vlines, lambda t: table_title(t) is not None,
                                      lambda t: table_meta(t) is not None):
        found = infer_grid(vlines[a:b + 1], titled)
        if found is None:
            continue
        grid, col_x = found
        region = vlines[a:b + 1]
        tables.append(GridTable(page_no, region[0].top, region[-1].bottom, min(ln.x0 for ln in region),
                                max(ln.x1 for ln in region), col_x, grid, page_height, inferred=True,
                                lines=region))
        taken.update(range(a, b + 1))
    return [ln for k, ln in enumerate(vlines) if k not in taken], tables


def read_page(page, page_no: int) -> tuple[PageInfo, list[Item]]:
    chars = _page_chars(page)
    info = PageInfo(page_no, float(page.width), float(page.height), n_chars=len(chars),
                     n_images=len(page.images), n_sideways=sum(1 for c in chars if not c.get("upright", True)))
    items: list[Item] = []
    tables: list[GridTable] = []
    stray: list[dict] = []
    if has_rulings(page):
        for tbl in page.find_tables():
            t, outside_cells = _read_table(tbl, chars, page_no, info.height)
            if t is not None:
                tables.append(t)
                stray.extend(outside_cells)
    if tables:
        boxes = [(t.x0, t.top, t.x1, t.bottom) for t in tables]
        text_chars = [c for c in chars if not any(center_in(c, b) for b in boxes)] + stray
    else:
        text_chars = chars
    vlines = cluster_lines(text_chars)
    if not tables:
        vlines, tables = _unruled_tables(vlines, page_no, info.height)
    for ln in vlines:
        ln.page = page_no
        items.append(Item("text", page_no, ln.top, vline=ln))
    for t in tables:
        items.append(Item("table", page_no, t.top, table=t))
    items.sort(key=lambda it: it.top)
    if vlines:
        info.left = min(ln.x0 for ln in vlines)
        info.right = max(ln.x1 for ln in vlines)
        for ln in vlines:
            key = round(ln.size * 2) / 2
            lo, hi = info.margins.get(key, (ln.x0, ln.x1))
            info.margins[key] = (min(lo, ln.x0), max(hi, ln.x1))
    return info, items
