"""Render an extracted-text report (tables as tab-separated rows) as a ruled-table PDF in the layout
of the published Xinzhou reports: a cover, the 目录, every part on a new page with its paragraphs,
one table per page under its title, 公开NN表 number and 部门名称 / 年度 / 金额单位 line, wide tables on
landscape pages, a table too long for its page continued on the next page with its header rows
printed again (the "print titles" of a spreadsheet export), and the performance self-evaluation
tables ruled too.

A line of plain text that the extraction left between two rows of one table (the running header
of the page the table continued on) is where the original page broke: the table breaks there too.

Run: ``python -m xinzhou_fiscal.read.render data/raw/xinzhou_swbgs_2023_final.txt out.pdf``.
Needs reportlab (a development dependency) and the CJK TrueType font shipped by mplfonts; nothing
is downloaded.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from xinzhou_fiscal import patterns
from xinzhou_fiscal.numbers import NUMBER_CORE
from xinzhou_fiscal.read.source import NOTE, PART_HEADING, decode_bytes
from xinzhou_fiscal.templates.names import TABLE_NUMBER

FONT = "SimHei"
A4 = (595.0, 842.0)
MARGIN = 56.0
BODY_SIZE = 11.0
CELL_SIZE = 7.5
_NUMBER_LINE = patterns.compile(rf"^\s*{TABLE_NUMBER.pattern}\s*$")
_META_LINE = patterns.compile(r"^\s*((部门|单位)名称\s*[:：]|(金额)?单位\s*[:：]|(19|20)\d{2}\s*年度?\s*$)")
_SELF_EVAL = patterns.compile(r"绩效自评表?\s*([（(]\s*\d{4}\s*年度?\s*[)）])?\s*$")
_YEAR_CAPTION = patterns.compile(r"^\s*[（(]\s*\d{4}\s*年度?\s*[)）]\s*$")
_AMOUNT = patterns.compile(rf"^-?{NUMBER_CORE}%?$")


def cjk_font_path() -> Path:
    """The TrueType CJK font shipped by mplfonts (SimHei): installed with the package, never
    downloaded."""
    import mplfonts
    path = Path(mplfonts.__file__).parent / "fonts" / "SimHei.ttf"
    if not path.exists():
        raise FileNotFoundError(f"no CJK font at {path}: mplfonts ships SimHei.ttf")
    return path


# ----------------------------------------------------------------------------------------------
# the text → sections (each starts a page) of paragraphs, captions and tables
# ----------------------------------------------------------------------------------------------

@dataclass
class Table:
    rows: list[list[str]]
    breaks: dict[int, str] = field(default_factory=dict)   # row index → running header of its new page


@dataclass
class Section:
    """What starts on a new page: a cover, the 目录, a part, or one table with its caption."""

    kind: str                                  # cover | toc | text | table
    lines: list[tuple[str, str]] = field(default_factory=list)   # (style, text) above the table
    table: Table | None = None
    notes: list[str] = field(default_factory=list)               # lines under the table


def _next(lines: list[str], i: int) -> int:
    """The next line from i on that is not blank (a form feed counts: it is a page break)."""
    while i < len(lines) and not lines[i].strip() and lines[i] != "\f":
        i += 1
    return i


def _table(lines: list[str], i: int) -> tuple[Table, int]:
    """The rows of the table starting at line i (blank lines inside it skipped). A lone plain line
    between two rows (the running header of the next page, as the extraction left it) or a form
    feed marks a page break; the plain line is printed as that page's running header."""
    rows: list[list[str]] = []
    breaks: dict[int, str] = {}
    while i < len(lines):
        s = lines[i]
        if "\t" in s:
            rows.append([c.strip() for c in s.split("\t")])
            i += 1
            continue
        j = _next(lines, i)
        if j < len(lines) and "\t" in lines[j]:
            i = j                               # blank lines inside the table
            continue
        if j >= len(lines) or not rows:
            break
        plain = lines[j] if lines[j] == "\f" else lines[j].strip()
        k = _next(lines, j + 1)
        if k < len(lines) and "\t" in lines[k] and (plain == "\f" or not (
                NOTE.match(plain) or _SELF_EVAL.search(plain) or PART_HEADING.match(plain))):
            breaks[len(rows)] = "" if plain == "\f" else plain
            i = k
            continue
        break
    return Table(rows, breaks), i


def sections(text: str) -> list[Section]:
    """Split an extracted-text report into the sections of its PDF layout."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n").split("\n")
    out: list[Section] = [Section("cover")]
    i = _next(lines, 0)
    while i < len(lines) and patterns.compile(r"\s").sub("", lines[i]) != "目录":
        out[0].lines.append(("cover", lines[i].strip()))
        i = _next(lines, i + 1)
    toc = Section("toc")
    while i < len(lines) and not (PART_HEADING.match(lines[i]) and "\t" not in lines[i]):
        toc.lines.append(("toc" if toc.lines else "heading", lines[i].strip()))
        i = _next(lines, i + 1)
    if toc.lines:
        out.append(toc)
    while True:
        i = _next(lines, i)
        if i >= len(lines):
            return out
        i = _body_element(lines, i, out)


def _unnumbered_title(s: str, lines: list[str], nxt: int) -> bool:
    """A known table title printed without a 公开NN表 number (the budget families: 收支预算总表), with its
    caption lines (单位：万元) or its rows right under it."""
    from xinzhou_fiscal.templates.specs import spec_for_title
    return nxt < len(lines) and ("\t" in lines[nxt] or bool(_META_LINE.match(lines[nxt]))) \
        and spec_for_title(s) is not None


def _body_element(lines: list[str], i: int, out: list[Section]) -> int:
    if lines[i] == "\f":                        # a form feed: what follows starts a new page
        out.append(Section("text"))
        return i + 1
    s = lines[i].strip()
    nxt = _next(lines, i + 1)
    numbered = nxt < len(lines) and _NUMBER_LINE.match(lines[nxt])
    if numbered or ("\t" not in s and (_SELF_EVAL.search(s) or _unnumbered_title(s, lines, nxt))):
        sec = Section("table", [("title", s)])
        out.append(sec)
        i = nxt
        while i < len(lines) and "\t" not in lines[i]:
            t = lines[i].strip()
            style = "number" if _NUMBER_LINE.match(t) else "year" if _YEAR_CAPTION.match(t) else \
                "meta" if _META_LINE.match(t) else None
            if style is None:
                break
            sec.lines.append((style, t))
            i = _next(lines, i + 1)
        if i < len(lines) and "\t" in lines[i]:
            sec.table, i = _table(lines, i)
        return i
    if "\t" in s:                               # a table without a caption of its own
        table, i = _table(lines, i)
        out.append(Section("table", table=table))
        return i
    if PART_HEADING.match(s):
        out.append(Section("text", [("heading", s)]))
        return i + 1
    last = out[-1]
    if last.kind == "table" and last.table is not None:
        last.notes.append(s)                    # 注：/说明：/备注 under the table
    else:
        last.lines.append(("para", s))
    return i + 1


# ----------------------------------------------------------------------------------------------
# drawing
# ----------------------------------------------------------------------------------------------

class _Pdf:
    """A reportlab canvas with a cursor, page numbers in the footer and CJK line wrapping."""

    def __init__(self, path: Path, font_path: Path):
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas
        if FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(FONT, str(font_path)))
        self.width_of = lambda s, size: pdfmetrics.stringWidth(s, FONT, size)
        self.c = canvas.Canvas(str(path), pagesize=A4)
        self.page_no = 0
        self.size = A4
        self.y = 0.0
        self.started = False
        self.repeat_header = True
        self.continued_title = False
        self.rulings = True
        self.name_width: float | None = None
        self.column: float | None = None       # width of the running text (None: the page's)
        self.text_bottom: float | None = None  # where running text stops on a page (None: the margin)
        self.leading = 1.6                      # line pitch of the running text, in font sizes

    @property
    def text_width(self) -> float:
        return self.column or self.size[0] - 2 * MARGIN

    def room(self, lead: float) -> None:
        """A new page when the next line of running text does not fit on this one."""
        bottom = self.size[1] - MARGIN if self.text_bottom is None else min(self.text_bottom, self.size[1] - MARGIN)
        if self.y + lead > bottom:
            self.new_page(self.size[0] > self.size[1])

    def new_page(self, landscape: bool = False) -> None:
        if self.started:
            self.c.showPage()
        self.started = True
        self.page_no += 1
        self.size = (A4[1], A4[0]) if landscape else A4
        self.c.setPageSize(self.size)
        self.y = MARGIN
        if self.page_no > 1:
            self.text(f"- {self.page_no} -", 9, align="center", y=self.size[1] - MARGIN / 2)

    def text(self, s: str, size: float, x: float | None = None, align: str = "left",
             y: float | None = None) -> None:
        """Draw one line with its top at y (points from the page top)."""
        w = self.width_of(s, size)
        W = self.size[0]
        if x is None:
            x = {"left": MARGIN, "center": (W - w) / 2, "right": W - MARGIN - w}[align]
        top = self.y if y is None else y
        self.c.setFont(FONT, size)
        self.c.drawString(x, self.size[1] - top - size * 0.88, s)

    def wrap(self, s: str, size: float, width: float, indent: float = 0.0) -> list[str]:
        """Break s into lines no wider than width (the first one ``indent`` narrower): Chinese
        text breaks between any two characters."""
        out, cur, limit = [], "", width - indent
        for ch in s:
            if cur and self.width_of(cur + ch, size) > limit:
                out.append(cur)
                cur, limit = "", width
            cur += ch
        out.append(cur)
        return out

    def paragraph(self, s: str, size: float = BODY_SIZE, indent_em: float = 2.0) -> None:
        lead = size * self.leading
        indent = indent_em * size
        for k, part in enumerate(self.wrap(s, size, self.text_width, indent)):
            self.room(lead)
            self.text(part, size, x=MARGIN + (indent if k == 0 else 0))
            self.y += lead

    def heading(self, s: str, size: float = 16) -> None:
        """A heading centred over the running text, wrapped when the column is narrower than it."""
        for part in self.wrap(s, size, self.text_width):
            self.room(30)
            self.text(part, size, x=MARGIN + (self.text_width - self.width_of(part, size)) / 2)
            self.y += 30

    def toc_entry(self, s: str) -> None:
        """A 目录 entry: its title (wrapped in a narrow column) and, on its last line, its page."""
        left, _, page = s.partition("\t")
        title = left.strip().rstrip(".")
        leader = left.strip()[len(title):]
        parts = self.wrap(title, BODY_SIZE, self.text_width - 40)
        if self.width_of(parts[-1] + leader, BODY_SIZE) <= self.text_width - 40:
            parts[-1] += leader                 # the leader dots when they fit after the title
        for k, part in enumerate(parts):
            self.room(BODY_SIZE * 1.8)
            self.text(part, BODY_SIZE, x=MARGIN + 20)
            if k == len(parts) - 1 and page.strip():
                self.text(page.strip(), BODY_SIZE, x=MARGIN + self.text_width - self.width_of(page.strip(), BODY_SIZE))
            self.y += BODY_SIZE * 1.8


def _natural_widths(pdf: _Pdf, rows: list[list[str]], ncols: int) -> list[float]:
    nat = [12.0] * ncols
    for r in rows:
        for j, c in enumerate(r):
            nat[j] = max(nat[j], pdf.width_of(c, CELL_SIZE) + 6)
    return nat


def _fit(nat: list[float], avail: float) -> list[float]:
    """Column widths filling ``avail``: the natural widths if they fit (stretched evenly), else
    every column capped at one level (water-filling), so the long texts wrap, the short ones not."""
    if sum(nat) <= avail:
        extra = (avail - sum(nat)) / len(nat)
        return [w + extra for w in nat]
    lo, hi = 0.0, max(nat)
    for _ in range(40):
        mid = (lo + hi) / 2
        if sum(min(w, mid) for w in nat) > avail:
            hi = mid
        else:
            lo = mid
    widths = [min(w, lo) for w in nat]
    extra = (avail - sum(widths)) / len(widths)
    return [w + extra for w in widths]


def _header_count(rows: list[list[str]]) -> int:
    """Rows before the first data row (an amount, a code, or 合计): the header printed again on a
    continuation page (at most four rows)."""
    for k, r in enumerate(rows):
        first = next((c for c in r if c), "")
        if first in ("合计", "总计") or any(_AMOUNT.match(c) and "." in c for c in r) or patterns.compile(r"\d{3,7}").fullmatch(r[0] if r else ""):
            return k if k <= 4 else 0
    return 0


def _draw_rows(pdf: _Pdf, rows, widths, heights, x0: float) -> None:
    lead = CELL_SIZE * 1.25
    top = pdf.y
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    y = top
    c = pdf.c
    H = pdf.size[1]
    c.setLineWidth(0.5)
    line = c.line if pdf.rulings else (lambda *a: None)
    for cells, h in zip(rows, heights):
        line(xs[0], H - y, xs[-1], H - y)
        for j, lines in enumerate(cells):
            # with narrow name columns, cells are centred vertically as published reports set them:
            # the code and the amounts on the middle line of a row whose name runs over three
            pad = (h - 6 - len(lines) * lead) / 2 if pdf.name_width else 0.0
            for k, part in enumerate(lines):
                w = pdf.width_of(part, CELL_SIZE)
                x = xs[j + 1] - 3 - w if _AMOUNT.match(part) and patterns.compile(r"[.,%]").search(part) else xs[j] + 3
                pdf.text(part, CELL_SIZE, x=x, y=y + 3 + pad + k * lead)
        y += h
    line(xs[0], H - y, xs[-1], H - y)
    for x in xs:
        line(x, H - top, x, H - y)
    pdf.y = y


def _name_columns(rows: list[list[str]], ncols: int) -> list[int]:
    """The columns that print names (科目名称, 项目): most of their filled cells are neither an
    amount nor a number."""
    out = []
    for j in range(ncols):
        filled = [r[j] for r in rows if r[j].strip()]
        words = [c for c in filled if not _AMOUNT.match(c.strip())]
        if filled and len(words) > len(filled) / 2:
            out.append(j)
    return out


def draw_table(pdf: _Pdf, table: Table, title: str | None = None) -> None:
    """The table on the current page and, when it does not fit or the source broke it, on the
    next pages (same orientation), its header rows printed again on each. With
    ``pdf.name_width`` the name columns are no wider than that (points): long names wrap inside
    their cells over two or three lines, while the code and the amounts take one line of the row."""
    ncols = max(len(r) for r in table.rows)
    rows = [r + [""] * (ncols - len(r)) for r in table.rows]
    widths = _fit(_natural_widths(pdf, rows, ncols), pdf.size[0] - 2 * MARGIN)
    if pdf.name_width:
        for j in _name_columns(rows, ncols):
            widths[j] = min(widths[j], pdf.name_width)
    wrapped = [[pdf.wrap(c, CELL_SIZE, w - 6) if c else [] for c, w in zip(r, widths)] for r in rows]
    heights = [max(1, *(len(c) for c in r)) * CELL_SIZE * 1.25 + 6 for r in wrapped]
    n_head = _header_count(rows)
    bottom = pdf.size[1] - MARGIN
    start = 0
    while start < len(rows):
        end, y = start, pdf.y
        while end < len(rows) and (end == start or end not in table.breaks) and y + heights[end] <= bottom:
            y += heights[end]
            end += 1
        if end == start:                        # a row taller than the page: draw it anyway
            end = start + 1
        _draw_rows(pdf, wrapped[start:end], widths, heights[start:end], MARGIN)
        start = end
        if start < len(rows):
            pdf.new_page(pdf.size[0] > pdf.size[1])
            if table.breaks.get(start):         # the running header the source printed there
                pdf.text(table.breaks[start], 9, align="center", y=MARGIN / 2)
            if pdf.continued_title and title:
                pdf.text(f"{title}（续）", 16, align="center")
                pdf.y += 30
            if n_head and pdf.repeat_header:
                _draw_rows(pdf, wrapped[:n_head], widths, heights[:n_head], MARGIN)


def _landscape(pdf: _Pdf, table: Table | None) -> bool:
    """A table whose columns do not fit a portrait page at their natural widths (capped) goes on
    a landscape page."""
    if table is None:
        return False
    ncols = max(len(r) for r in table.rows)
    nat = _natural_widths(pdf, table.rows, ncols)
    return sum(min(w, 160.0) for w in nat) > A4[0] - 2 * MARGIN


def render(text: str, out: Path | str, font_path: Path | None = None, *, repeat_header: bool = True,
           continued_title: bool = False, rulings: bool = True, name_width: float | None = None,
           column: float | None = None, text_bottom: float | None = None, leading: float = 1.6) -> Path:
    """Render an extracted-text report as a ruled-table PDF at ``out``. A table continued on the
    next page gets its header rows printed again (``repeat_header``) and, with
    ``continued_title``, its title followed by （续）. ``rulings=False`` prints the tables without any
    line (columns by alignment only, as some provinces publish). ``name_width`` (points) narrows the
    name columns of every table so that long names wrap inside their cells, as real reports print them.
    ``column``: the width (points) of the running text, part headings and 目录 (a narrow column
    wraps names, figures and headings); ``text_bottom``: where running text stops on a page
    (points from the top; a short page breaks paragraphs across pages); ``leading``: the running
    text's line pitch in font sizes (1.6; official documents set 16 pt text on a fixed 28–30 pt
    line, 1.85)."""
    out = Path(out)
    pdf = _Pdf(out, font_path or cjk_font_path())
    pdf.repeat_header, pdf.continued_title = repeat_header, continued_title
    pdf.rulings, pdf.name_width = rulings, name_width
    pdf.column, pdf.text_bottom, pdf.leading = column, text_bottom, leading
    for sec in sections(text):
        pdf.new_page(_landscape(pdf, sec.table))
        _draw_section(pdf, sec)
    pdf.c.save()
    return out


def _draw_section(pdf: _Pdf, sec: Section) -> None:
    if sec.kind == "cover":
        pdf.y = 260
        for _, s in sec.lines:
            pdf.text(s, 22, align="center")
            pdf.y += 60
        return
    meta = [s for style, s in sec.lines if style == "meta"]
    for style, s in sec.lines:
        if style == "heading":
            pdf.heading(s)
        elif style == "title":
            pdf.text(s, 16, align="center")
            pdf.y += 30
        elif style in ("number", "year"):
            pdf.text(s, 10, align="right" if style == "number" else "center")
            pdf.y += 18
        elif style == "toc":
            pdf.toc_entry(s)
        elif style == "para":
            pdf.paragraph(s)
    if meta:                                    # 部门名称 … 2023年度 … 金额单位：万元 on one line
        for s, align in zip(meta, ("left", "center", "right") if len(meta) == 3 else ("left", "right")):
            pdf.text(s, 10, align=align)
        pdf.y += 18
    if sec.table is not None:
        draw_table(pdf, sec.table, next((s for style, s in sec.lines if style == "title"), None))
        pdf.y += 8
    for s in sec.notes:
        pdf.paragraph(s, size=9, indent_em=0)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m xinzhou_fiscal.read.render REPORT.txt OUT.pdf", file=sys.stderr)
        return 2
    src = Path(args[0])
    text, _ = decode_bytes(src.read_bytes(), src)
    print(render(text, args[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
