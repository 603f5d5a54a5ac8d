"""Ruled tables from drawn lines, without pdfplumber: the page's path objects → edges (a rectangle's
four sides, a line, a polyline's straight pieces) → snapped and joined edges → their crossings →
the smallest cells those crossings close → tables of cells touching at a corner → rows.

The algorithm is pdfplumber's ``lines`` strategy (``pdfplumber.table.TableFinder`` with its default
settings: snap and join tolerance 3 pt, edges shorter than 3 pt dropped, crossings within 3 pt),
re-implemented on plain tuples so that the PDFium reader gives the same cells without importing
pdfplumber and pdfminer (pdfplumber is MIT-licensed; the steps and their order are kept so that both
readers find identical grids). Coordinates are PDF points, ``top`` measured from the page's top.
"""
from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

SNAP = 3.0                # edges on (almost) one line are moved onto their mean position
JOIN = 3.0                # collinear edges less than this apart are joined
MIN_LENGTH = 3.0          # shorter edges (after joining) are dropped
CROSS = 3.0               # a vertical and a horizontal edge this close cross

Edge = tuple[float, float, float, float]      # (x0, top, x1, bottom)


@dataclass
class Edges:
    """A page's straight edges by orientation (``h``: top == bottom, ``v``: x0 == x1 or a line)."""

    h: list[Edge]
    v: list[Edge]

    def add_segment(self, p0: tuple[float, float], p1: tuple[float, float], line: bool = False) -> None:
        """A straight piece from ``p0`` to ``p1`` (x, top). A polyline's piece that is neither
        horizontal nor vertical is no edge; a single line that is not horizontal counts as
        vertical (as pdfplumber's ``line_to_edge`` does)."""
        x0, x1 = min(p0[0], p1[0]), max(p0[0], p1[0])
        top, bottom = min(p0[1], p1[1]), max(p0[1], p1[1])
        if top == bottom:
            self.h.append((x0, top, x1, bottom))
        elif line or x0 == x1:
            self.v.append((x0, top, x1, bottom))

    def add_rect(self, x0: float, top: float, x1: float, bottom: float) -> None:
        self.h += [(x0, top, x1, top), (x0, bottom, x1, bottom)]
        self.v += [(x0, top, x0, bottom), (x1, top, x1, bottom)]

    def __bool__(self) -> bool:
        return bool(self.h or self.v)


def _snap(edges: list[Edge], pos: int) -> list[Edge]:
    """Edges whose coordinate ``pos`` (0: x0 of a vertical, 1: top of a horizontal) lies within
    SNAP of the next one's, in chains, moved onto the chain's mean."""
    if not edges:
        return []
    values = sorted(set(e[pos] for e in edges))
    cluster_of: dict[float, int] = {}
    k, last = 0, values[0]
    for x in values:
        if x > last + SNAP:
            k += 1
        cluster_of[x] = k
        last = x
    groups: dict[int, list[Edge]] = {}
    for e in sorted(edges, key=lambda e: cluster_of[e[pos]]):
        groups.setdefault(cluster_of[e[pos]], []).append(e)
    out = []
    for group in groups.values():
        mean = sum(e[pos] for e in group) / len(group)
        for e in group:
            d = mean - e[pos]
            out.append((e[0] + d, e[1], e[2] + d, e[3]) if pos == 0 else (e[0], e[1] + d, e[2], e[3] + d))
    return out


def _join(edges: list[Edge], lo: int, hi: int) -> list[Edge]:
    """Collinear edges (one group) overlapping or less than JOIN apart, joined."""
    ordered = sorted(edges, key=lambda e: e[lo])
    joined = [ordered[0]]
    for e in ordered[1:]:
        last = joined[-1]
        if e[lo] <= last[hi] + JOIN:
            if e[hi] > last[hi]:
                grown = list(last)
                grown[hi] = e[hi]
                joined[-1] = tuple(grown)
        else:
            joined.append(e)
    return joined


def merged_edges(edges: Edges) -> tuple[list[Edge], list[Edge]]:
    """(horizontal, vertical) edges after snapping, joining and dropping the short ones."""
    v = [e for e in edges.v if e[3] - e[1] >= 1]
    h = [e for e in edges.h if e[2] - e[0] >= 1]
    v, h = _snap(v, 0), _snap(h, 1)
    out_v = [j for _, grp in itertools.groupby(sorted(v, key=lambda e: e[0]), key=lambda e: e[0])
             for j in _join(list(grp), 1, 3)]
    out_h = [j for _, grp in itertools.groupby(sorted(h, key=lambda e: e[1]), key=lambda e: e[1])
             for j in _join(list(grp), 0, 2)]
    return ([e for e in out_h if e[2] - e[0] >= MIN_LENGTH],
            [e for e in out_v if e[3] - e[1] >= MIN_LENGTH])


def crossings(h_edges: list[Edge], v_edges: list[Edge]) -> dict[tuple[float, float], tuple[set, set]]:
    """Every point (x of a vertical edge, top of a horizontal one) where the two cross within
    CROSS, with the vertical and horizontal edges through it."""
    out: dict[tuple[float, float], tuple[set, set]] = {}
    hs = sorted(h_edges, key=lambda e: (e[1], e[0]))
    tops = [e[1] for e in hs]
    for v in sorted(v_edges, key=lambda e: (e[0], e[1])):
        start = bisect.bisect_left(tops, v[1] - CROSS)
        end = bisect.bisect_right(tops, v[3] + CROSS)
        for h in hs[start:end]:
            if h[0] - CROSS <= v[0] <= h[2] + CROSS:
                vs, hset = out.setdefault((v[0], h[1]), (set(), set()))
                vs.add(v)
                hset.add(h)
    return out


def cells_of(points: dict[tuple[float, float], tuple[set, set]]) -> list[Edge]:
    """The smallest rectangle closed by edges from each crossing point down and to the right."""
    def joined(p1, p2) -> bool:
        if p1[0] == p2[0] and points[p1][0] & points[p2][0]:
            return True
        return p1[1] == p2[1] and bool(points[p1][1] & points[p2][1])

    ordered = sorted(points)
    by_x: dict[float, list] = {}
    by_y: dict[float, list] = {}
    for p in ordered:
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)
    cells = []
    for pt in ordered:
        below = [p for p in by_x[pt[0]] if p > pt]
        right = [p for p in by_y[pt[1]] if p > pt]
        cell = None
        for b in below:
            if not joined(pt, b):
                continue
            for r in right:
                if not joined(pt, r):
                    continue
                corner = (r[0], b[1])
                if corner in points and joined(corner, r) and joined(corner, b):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


def _corners(c: Edge) -> tuple:
    return ((c[0], c[1]), (c[0], c[3]), (c[2], c[1]), (c[2], c[3]))


def tables_of(cells: list[Edge]) -> list[list[Edge]]:
    """Cells grouped into tables (cells sharing a corner), top to bottom; single cells dropped."""
    remaining = list(cells)
    corners: set = set()
    current: list[Edge] = []
    tables = []
    while remaining:
        before = len(current)
        for cell in list(remaining):
            cc = _corners(cell)
            if not current or any(c in corners for c in cc):
                corners.update(cc)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            tables.append(list(current))
            corners.clear()
            current.clear()
    if current:
        tables.append(list(current))
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


@dataclass
class CellRow:
    cells: list[Edge | None]           # one per column x of the table; None where no cell starts
    bbox: Edge


@dataclass
class RuledTable:
    """A table found from the rulings: its cells, bbox and rows (the shape pdfplumber's ``Table``
    gives the page reader)."""

    cells: list[Edge]

    def __post_init__(self) -> None:
        c = self.cells
        self.bbox: Edge = (min(x[0] for x in c), min(x[1] for x in c), max(x[2] for x in c), max(x[3] for x in c))

    @property
    def rows(self) -> list[CellRow]:
        xs = sorted(set(c[0] for c in self.cells))
        rows = []
        for _, row_cells in itertools.groupby(sorted(self.cells, key=lambda c: (c[1], c[0])), key=lambda c: c[1]):
            at = {c[0]: c for c in row_cells}
            cells = [at.get(x) for x in xs]
            present = [c for c in cells if c]
            rows.append(CellRow(cells, (min(c[0] for c in present), min(c[1] for c in present),
                                        max(c[2] for c in present), max(c[3] for c in present))))
        return rows


def find_tables(edges: Edges) -> list[RuledTable]:
    """The ruled tables drawn by ``edges``, top to bottom."""
    h, v = merged_edges(edges)
    return [RuledTable(cells) for cells in tables_of(cells_of(crossings(h, v)))]
