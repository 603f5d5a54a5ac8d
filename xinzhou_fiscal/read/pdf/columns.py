"""Tables printed without ruling lines (columns by alignment only, as in the Jiangsu budget tables):
the grid inferred from the positions of the words, into the same :class:`GridTable` a ruled table gives.

Under a table title (and its metadata lines), the visual lines down to a note (注：), a part heading,
a new title or a wide vertical gap form the table's region. Within it:

- **rows**: visual lines closer than :data:`ROW_GAP` × the text size belong to one row (a name wrapped
  inside its cell); a wider gap starts a new row;
- **words**: characters of a line closer than :data:`WORD_GAP` × the text size form one word;
- **columns**: the horizontal extents of the words of the data rows (rows printing a number), merged where
  they overlap, each merged extent a column; a header word that overlaps no column (a column left blank
  in every data row) adds its own; a header word spanning two columns (a merged header cell) adds none.
  Boundaries lie midway between neighbouring columns, and every word goes to the column holding its centre.

The table is marked ``inferred=True``: the reader says so in the table's reason and problems.
"""
from __future__ import annotations

from dataclasses import dataclass

from xinzhou_fiscal import patterns
from xinzhou_fiscal.numbers import is_number
from xinzhou_fiscal.read.pdf.lines import VLine, char_size, join_wrapped, line_text

ROW_GAP = 0.45          # a vertical gap under 0.45 em keeps the next line in the same row
WORD_GAP = 0.5          # a horizontal gap over 0.5 em ends a word
REGION_GAP = 3.0        # a vertical gap over 3 em ends the table's region
MIN_COLUMNS = 3
_NOTE = patterns.compile(r"^\s*(注|说明)\s*[:：]")


@dataclass
class Word:
    text: str
    x0: float
    x1: float

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


def words(line: VLine) -> list[Word]:
    """The words of a visual line: runs of characters with gaps under :data:`WORD_GAP` em."""
    out: list[list[dict]] = []
    for c in line.chars:
        if out and c["x0"] - out[-1][-1]["x1"] <= WORD_GAP * min(char_size(c), char_size(out[-1][-1])):
            out[-1].append(c)
        else:
            out.append([c])
    return [Word(line_text(cs), min(c["x0"] for c in cs), max(c["x1"] for c in cs)) for cs in out]


def _rows(lines: list[VLine]) -> list[list[VLine]]:
    rows: list[list[VLine]] = []
    for ln in lines:
        if rows and ln.top - rows[-1][-1].bottom < ROW_GAP * ln.size:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return rows


def _is_data(row: list[VLine]) -> bool:
    return any(is_number(w.text) and patterns.compile(r"[.,]").search(w.text) for ln in row for w in words(ln))


def _columns(rows: list[list[VLine]]) -> list[tuple[float, float]]:
    """The columns' extents (see the module docstring)."""
    spans = sorted((w.x0, w.x1, is_number(w.text)) for row in rows if _is_data(row) for ln in row for w in words(ln))
    cols: list[list] = []                       # [x0, x1, numbers, words]
    for x0, x1, num in spans:
        if cols and x0 <= cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], x1)
            cols[-1][2] += num
            cols[-1][3] += 1
        else:
            cols.append([x0, x1, int(num), 1])
    for row in rows:
        if not _is_data(row):
            row_words = [w for ln in row for w in words(ln)]
            free = [w for w in row_words if not any(w.x0 <= c[1] and w.x1 >= c[0] for c in cols)]
            _absorb_left_aligned(cols, free, [w for w in row_words if w not in free])
            for w in free:
                if not any(w.x0 <= c[1] and w.x1 >= c[0] for c in cols):
                    cols.append([w.x0, w.x1, 0, 1])
                    cols.sort()
    return [(c[0], c[1]) for c in cols]


def _absorb_left_aligned(cols: list[list], free: list[Word], placed: list[Word]) -> None:
    """A column of right-aligned amounts takes the nearest free header word to its left (its own header,
    printed left-aligned) when no other column lies between them and no word of the same header row
    already stands over it (its own header, overlapping: the free word is then the header of a column
    left blank in every data row, 公务用车购置费 beside 公务用车运行费); the word is then no column of its own."""
    for k, c in enumerate(cols):
        if c[2] * 2 < c[3]:                     # not a column of amounts
            continue
        if any(w.x0 <= c[1] and w.x1 >= c[0] for w in placed):
            continue
        left = cols[k - 1][1] if k else float("-inf")
        near = [w for w in free if left < w.x0 and w.x1 < c[0]]
        if near:
            w = max(near, key=lambda w: w.x1)
            c[0] = min(c[0], w.x0)
            free.remove(w)


def _cell_index(bounds: list[float], x: float) -> int:
    return sum(1 for b in bounds if x > b)


def infer_grid(lines: list[VLine], titled: bool = True) -> tuple[list[list[str]], list[float]] | None:
    """The grid of cell texts and the columns' left edges of a table region, or None when the lines
    do not form a table: fewer than :data:`MIN_COLUMNS` columns, or — for a region without a title
    (the top of a page a table continues on) — no data row."""
    rows = _rows(lines)
    if not titled and not any(_is_data(r) for r in rows):
        return None
    cols = _columns(rows)
    if len(cols) < MIN_COLUMNS:
        return None
    col_x = [cols[0][0], *((cols[k][1] + cols[k + 1][0]) / 2 for k in range(len(cols) - 1))]
    return grid_in_columns(lines, col_x), col_x


def grid_in_columns(lines: list[VLine], col_x: list[float]) -> list[list[str]]:
    """The region's rows cut at given column left edges (those of the page the table began on, for a
    table continued without rulings on the next page)."""
    bounds = col_x[1:]
    grid = []
    for row in _rows(lines):
        cells = [""] * len(col_x)
        for ln in row:
            for w in words(ln):
                j = _cell_index(bounds, w.center)
                cells[j] = join_wrapped(cells[j], w.text)
        grid.append(cells)
    return grid


def _region_end(vlines: list[VLine], start: int, is_title) -> int:
    end = start
    while end + 1 < len(vlines):
        nxt, cur = vlines[end + 1], vlines[end]
        if _NOTE.match(nxt.text) or is_title(nxt.text) or nxt.top - cur.bottom > REGION_GAP * cur.size:
            break
        end += 1
    return end


def table_regions(vlines: list[VLine], is_title, is_meta) -> list[tuple[int, int, bool]]:
    """(first, last, titled) indices of the lines of each unruled table region: the lines after a table
    title (``is_title``) and its metadata (``is_meta``), down to a note, a part heading or title, or a
    gap of :data:`REGION_GAP` em; and the lines at the top of the page before any title, which may
    continue a table of the page before (untitled)."""
    regions = []
    # (a running header or a page number above a continued table: a line of one word, skipped)
    first = next((k for k, ln in enumerate(vlines) if not is_meta(ln.text) and len(words(ln)) > 1), len(vlines))
    if first < len(vlines) and not any(is_title(ln.text) for ln in vlines[:first + 1]) \
            and not _NOTE.match(vlines[first].text):
        regions.append((first, _region_end(vlines, first, is_title), False))
    i = regions[0][1] + 1 if regions else 0
    while i < len(vlines):
        if not is_title(vlines[i].text):
            i += 1
            continue
        start = i + 1
        while start < len(vlines) and is_meta(vlines[start].text):
            start += 1
        if start >= len(vlines):
            break
        end = _region_end(vlines, start, is_title)
        if not _NOTE.match(vlines[start].text):
            regions.append((start, end, True))
        i = end + 1
    return regions
