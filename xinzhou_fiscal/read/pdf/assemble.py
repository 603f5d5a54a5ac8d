"""Items in reading order → the document's numbered lines and its table blocks: each table's title
and metadata found above it (or ruled inside it), tables continued across pages joined, notes
under a table attached to it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xinzhou_fiscal.numbers import LazyPattern
from xinzhou_fiscal.read.pdf.grid import TOTAL_LABEL, canonical_rows, code_groups, header_rows, remap_columns
from xinzhou_fiscal.read.pdf.lines import VLine
from xinzhou_fiscal.read.pdf.page import GridTable, PageInfo
from xinzhou_fiscal.read.pdf.paragraphs import Logical
from xinzhou_fiscal.read.pdf.titles import is_furniture, known_title, running_lines, table_meta, table_title
from xinzhou_fiscal.read.source import NOTE, PART_HEADING, Line, Row, TableBlock, normalize_label


@dataclass
class Caption:
    """What the lines above a table (or the rows ruled above its header) say about it."""

    title: str | None = None
    number: str | None = None
    unit: str | None = None
    department: str | None = None
    continued: bool = False                  # the title ends in （续） / 续表
    line: Line | None = None                 # the title's line

    def add_meta(self, m: dict[str, str]) -> None:
        self.unit = self.unit or m.get("unit")
        self.department = self.department or m.get("department")
        self.number = self.number or m.get("number")

    def set_title(self, t: tuple[str, str | None, bool]) -> None:
        self.title, number, self.continued = t
        self.number = self.number or number


@dataclass
class OpenBlock:
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


@dataclass
class Between:
    """The text lines between the last table and the next one, and what they amount to."""

    lines: list[Line] = field(default_factory=list)
    in_margin: list[bool] = field(default_factory=list)     # each: in its page's header/footer zone?


def _in_page_margin(vline: VLine, pages: dict[int, PageInfo]) -> bool:
    """The visual line sits in the top or bottom eighth of its page (a running header or footer)."""
    h = pages[vline.page].height
    return vline.top < h / 8 or vline.bottom > h * 7 / 8


def _plain(text: str) -> bool:
    """A line that can stand between two pages of one table: no table title, part heading or note."""
    return not table_title(text) and not PART_HEADING.match(text) and not NOTE.match(text) and "本表无数据" not in text


_NOTE_ITEM = LazyPattern(r"^\s*(\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[)）])")


def _edges_among(edges: list[float], others: list[float], tol: float = 3.0) -> bool:
    """Every column edge of ``edges`` is (within ``tol`` pt) one of ``others``: the columns align."""
    return all(any(abs(x - y) <= tol for y in others) for x in edges)


def caption_above(texts: list[Line]) -> Caption:
    """The title (the last non-metadata line before the table) and the metadata under it."""
    cap = Caption()
    for k in range(len(texts) - 1, -1, -1):
        ln = texts[k]
        m = table_meta(ln.text)
        if m is not None:
            cap.add_meta(m)
            continue
        t = table_title(ln.text)
        if k > 0 and table_meta(texts[k - 1].text) is None:
            # a long title wrapped on two lines: the joined text wins if it is a title and the
            # last line alone is not, or if it is a known title (出决算明细表 alone is not)
            t2 = table_title(texts[k - 1].text + ln.text)
            if t2 and (not t or known_title(t2[0])):
                t, ln, k = t2, texts[k - 1], k - 1
        if t:
            cap.set_title(t)
            cap.line = ln
            if k > 0 and cap.number is None:                   # 公开NN表 printed above the title
                above = table_meta(texts[k - 1].text)
                cap.number = above.get("number") if above else None
        return cap
    return cap


def caption_in_grid(grid: list[list[str | None]], cap: Caption) -> tuple[list[list[str | None]], list[str]]:
    """A title and metadata ruled inside the grid above the header (common in Excel exports): read
    into ``cap``; returns the rest of the grid and the texts of the rows taken."""
    lead: list[str] = []
    while grid:
        cells = [normalize_label(c) for c in grid[0] if c and c.strip()]
        if not cells:
            grid = grid[1:]
            continue
        m = table_meta(" ".join(cells))
        t = table_title(cells[0]) if len(cells) == 1 and cap.title is None else None
        if m is not None and (m or lead):
            cap.add_meta(m)
        elif t:
            cap.set_title(t)
        else:
            break
        lead.append("\t".join(cells))
        grid = grid[1:]
    return grid, lead


class Assembler:
    """Text items and ruled tables, in reading order → numbered lines and table blocks."""

    def __init__(self, stream: list[tuple[str, Any]], pages: dict[int, PageInfo]):
        self.stream, self.pages = stream, pages
        self.running = running_lines(stream)
        self.lines: list[Line] = []
        self.blocks: list[TableBlock] = []
        self.cur: OpenBlock | None = None          # the most recent table block
        self.between = Between()
        self.tail_content = False                  # anything substantive after the last table?

    def furniture(self, text: str) -> bool:
        return is_furniture(text, self.running)

    def emit(self, text: str, page: int, end_page: int | None = None) -> Line:
        ln = Line(text, len(self.lines) + 1, page, end_page)
        self.lines.append(ln)
        return ln

    def run(self) -> tuple[list[Line], list[TableBlock]]:
        for kind, obj in self.stream:
            if kind == "text":
                self.text(obj)
            else:
                self.table(obj)
        self.mark_cut_off()
        return self.lines, self.blocks

    def text(self, obj: Logical) -> None:
        ln = self.emit(obj.text, obj.page, obj.end_page)
        cur = self.cur
        if cur is not None and cur.collecting_notes:
            if NOTE.match(ln.text) or "本表无数据" in ln.text or (
                    cur.block.notes and not table_title(ln.text) and not self.furniture(ln.text)
                    and _NOTE_ITEM.match(ln.text)):
                cur.block.notes.append(ln)
                cur.block.end_line = ln.line
                return
            if not self.furniture(ln.text):
                cur.collecting_notes = False
        self.between.lines.append(ln)
        self.between.in_margin.append(_in_page_margin(obj.first, self.pages))
        if not self.furniture(ln.text):
            self.tail_content = True

    def table(self, table: GridTable) -> None:
        between, self.between = self.between, Between()
        cap = caption_above(between.lines)
        if table.inferred and cap.title is None and self.cur is not None and self.cur.block.columns_inferred:
            # printed without rulings on the page before too: cut this page at that page's columns
            from xinzhou_fiscal.read.pdf.columns import grid_in_columns
            table.grid, table.col_x = grid_in_columns(table.lines, self.cur.col_x), list(self.cur.col_x)
        grid, lead = caption_in_grid(table.grid, cap)
        lead_lines = [self.emit(text, table.page) for text in lead]
        if cap.title is not None and cap.line is None:
            cap.line = next((ln for ln in lead_lines if table_title(ln.text)), None)
        if all(not (c or "").strip() for row in grid for c in row) and cap.title is None:
            return  # an empty ruled box without title (e.g. a page left blank but for a rule)
        cont_grid = self.continuation(table, grid, cap, between)
        if cont_grid is not None:
            if self.finer(table):
                self.widen(table)
            self.continue_block(table, cont_grid)
        elif cap.title is None:
            # a ruled table that is not a report table (e.g. the unit list in 概况): its text is
            # part of the document's lines, it is not a TableBlock
            for cells in canonical_rows(grid, code_groups(grid)):
                if any(cells):
                    self.emit("\t".join(cells), table.page)
            self.cur = None
            self.tail_content = True
        else:
            self.start_block(table, grid, cap)

    def continuation(self, table: GridTable, grid, cap: Caption, between: Between):
        """The grid in the open block's columns if this table continues it, else None.

        It does when its columns match (or fit by x position) and: it has no title and only page
        furniture stands between; or it has no title, is on the next page, and what stands between
        is a running header/footer in the page margins, or it prints the block's header again; or
        its title is the block's (or ends in （续）) and it is on a later page."""
        cur = self.cur
        if cur is None:
            return None
        cont_grid = grid
        shape_ok = len(table.col_x) == cur.ncols or self.finer(table)   # finer: the block is widened
        if not shape_ok and abs(table.x1 - cur.x1) < 6 and (
                abs(table.x0 - cur.x0) < 6 or _edges_among(table.col_x, cur.col_x)):
            remapped = remap_columns(grid, table.col_x, cur.col_x, tol=3.0)
            if remapped is not None:
                cont_grid, shape_ok = remapped, True
        if not shape_ok:
            return None
        texts = between.lines
        only_furniture = all(self.furniture(ln.text) for ln in texts)
        if cap.title is None:
            if only_furniture:
                return cont_grid                        # (on the next page, or split on the same one)
            if table.page != cur.last_page + 1:
                return None
            in_margins = all(self.furniture(ln.text) or (m and _plain(ln.text))
                             for ln, m in zip(texts, between.in_margin))
            plain = all(_plain(ln.text) for ln in texts)
            return cont_grid if in_margins or (plain and self.repeats_header(cont_grid)) else None
        same_title = normalize_label(cap.title) == cur.block.title
        if (cap.continued or same_title) and (only_furniture or table.page > cur.last_page):
            return cont_grid
        return None

    def finer(self, table: GridTable) -> bool:
        """The next piece is ruled with more columns than the open block, over the same width, and
        every column edge of the block is one of its edges: the block's cells so far spanned several
        of its columns (a 绩效目标表 whose first page holds only the merged 项目名称 row). Tables with
        code columns (类 | 款 | 项) are never widened."""
        cur = self.cur
        return (cur is not None and not cur.groups and len(table.col_x) > cur.ncols
                and abs(table.x0 - cur.x0) < 6 and abs(table.x1 - cur.x1) < 6
                and _edges_among(cur.col_x, table.col_x)
                and all(len(r.cells) == cur.ncols for r in cur.block.rows))

    def widen(self, table: GridTable) -> None:
        """The open block re-expressed in the finer columns of its continuation (:meth:`finer`): each
        cell moves to the column starting at its own left edge, the columns it spanned left empty
        (a merged cell); rows keep their lines and pages, and the lines their numbers."""
        cur = self.cur
        n = len(table.col_x)
        at = [min(range(n), key=lambda j: abs(table.col_x[j] - x)) for x in cur.col_x]
        rows = []
        for r in cur.block.rows:
            cells = [""] * n
            for i, c in enumerate(r.cells):
                cells[at[i]] = c
            rows.append(Row(tuple(cells), r.line, r.page))
            old = self.lines[r.line - 1]
            self.lines[r.line - 1] = Line("\t".join(cells), old.line, old.page, old.end_page)
        cur.block.rows = rows
        cur.ncols, cur.col_x = n, list(table.col_x)
        cur.headers = set(header_rows([list(r.cells) for r in rows]))

    def repeats_header(self, grid: list[list[str | None]]) -> bool:
        """The grid's first non-empty row is one of the open block's header rows (printed again)."""
        first = next((r for r in canonical_rows(grid, self.cur.groups) if any(r)), None)
        return first is not None and tuple(first) in self.cur.headers

    def continue_block(self, table: GridTable, grid) -> None:
        cur = self.cur
        cur.block.columns_inferred |= table.inferred
        dropping = True
        for cells in canonical_rows(grid, cur.groups):
            if not any(cells):
                continue
            if dropping and tuple(cells) in cur.headers:
                self.emit("\t".join(cells), table.page)   # printed again on this page: a line, not a row
                continue
            dropping = False
            ln = self.emit("\t".join(cells), table.page)
            cur.block.rows.append(Row(tuple(cells), ln.line, table.page))
            cur.block.end_line = ln.line
        cur.last_page, cur.last_bottom, cur.page_height = table.page, table.bottom, table.page_height
        cur.collecting_notes = True
        self.tail_content = False

    def start_block(self, table: GridTable, grid, cap: Caption) -> None:
        groups = code_groups(grid)
        rows = [r for r in canonical_rows(grid, groups) if any(r)]
        block = TableBlock(title=normalize_label(cap.title), number=cap.number, rows=[], unit=cap.unit,
                           department=cap.department, page=table.page, closed=True,
                           columns_inferred=table.inferred,
                           start_line=cap.line.line if cap.line else len(self.lines) + 1)
        for cells in rows:
            ln = self.emit("\t".join(cells), table.page)
            block.rows.append(Row(tuple(cells), ln.line, table.page))
        block.end_line = self.lines[-1].line if rows else block.start_line
        self.blocks.append(block)
        self.cur = OpenBlock(block, len(table.col_x), list(table.col_x), table.x0, table.x1, groups,
                             headers=set(header_rows([list(r.cells) for r in block.rows])),
                             last_page=table.page, last_bottom=table.bottom, page_height=table.page_height)
        self.tail_content = False

    def mark_cut_off(self) -> None:
        """A table the document ends in, without total row or note, that runs to the page bottom:
        the document may have been cut off mid-table."""
        cur = self.cur
        if cur is None or self.tail_content:
            return
        b = cur.block
        last_rows = [r.cells for r in b.rows[-2:]]
        has_total = any(TOTAL_LABEL.search(c) for cells in last_rows for c in cells)
        near_bottom = cur.last_bottom > 0.8 * cur.page_height if cur.page_height else True
        if not b.notes and not has_total and near_bottom:
            b.closed = False


def assemble(stream: list[tuple[str, Any]], pages: dict[int, PageInfo]) -> tuple[list[Line], list[TableBlock]]:
    """The document's numbered lines (table rows as tab-joined lines, once) and its table blocks."""
    return Assembler(stream, pages).run()
