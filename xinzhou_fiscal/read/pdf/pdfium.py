"""The page layer through PDFium (pypdfium2, Apache-2.0/BSD): each page's characters with their boxes
and font sizes, and the straight pieces of its path objects (the rulings), as the plain records the
page reader works on — the same records pdfplumber gives, so ``page.read_page`` reads either.

Character boxes are built the way pdfminer builds them, so that both readers group the same
characters into the same lines: from the character's origin on the baseline, its advance width
(PDFium's loose box), the font size and the font's descent — ``bottom`` is the baseline minus the
descent, ``top`` one font size above it. Paths are split into subpaths and classified like pdfminer
does (a single segment is a line, a closed axis-aligned four-point subpath a rectangle, anything
else a polyline whose horizontal and vertical pieces are edges); ruled tables are then found by
:mod:`~xinzhou_fiscal.read.pdf.rulings`.

A document this reader cannot take as it is — a page rotated by /Rotate, a page box not at the
origin or cropped, a character without a Unicode mapping — raises :class:`PdfiumUnsupported`, and
``open.read_pdf_document`` reads the file with pdfplumber instead.
"""
from __future__ import annotations

import ctypes
import math
import threading
from pathlib import Path

from xinzhou_fiscal.read.pdf import pdfium_lib as L
from xinzhou_fiscal.read.pdf.rulings import Edges, find_tables


#: PDFium is not thread-safe: one document is read at a time in a process
READ_LOCK = threading.Lock()


class PdfiumUnsupported(Exception):
    """The file is read by pdfplumber instead (what PDFium gave cannot be taken as it is)."""


class PdfiumPasswordError(Exception):
    """The PDF needs a user password (its name says Password, as ``open._open_error`` expects)."""


def open_document(path: Path):
    """The file opened by PDFium (an owner-password file is decrypted by PDFium itself).

    Raises :class:`PdfiumPasswordError` for a file that needs a password, :class:`PdfiumUnsupported`
    for a file PDFium cannot open (pdfplumber then names what is wrong)."""
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        raise FileNotFoundError(path)
    _init_library()
    handle = L.LoadDocument(str(path).encode("utf-8", errors="surrogateescape"), None)
    if not handle or L.GetPageCount(handle) < 1:
        err = L.GetLastError()
        if handle:
            L.CloseDocument(handle)
        if err == L.ERR_PASSWORD:
            raise PdfiumPasswordError("incorrect password")
        raise PdfiumUnsupported(f"Failed to load document (PDFium error {err}).")
    return PdfiumDocument(handle)


_LIBRARY: list[bool] = []


def _init_library() -> None:
    """Initialise PDFium once per process, as pypdfium2 does (config version 2); PDFium ignores a
    second initialisation, so pypdfium2 imported beside this module is harmless. The library is
    not destroyed: the process's exit frees it."""
    if not _LIBRARY:
        L.InitLibraryWithConfig(ctypes.byref(L.LIBRARY_CONFIG(version=2)))
        _LIBRARY.append(True)


class PdfiumDocument:
    """An open PDFium document (its raw handle): ``len()`` pages, :meth:`close`."""

    def __init__(self, handle) -> None:
        self.handle = handle

    def __len__(self) -> int:
        return L.GetPageCount(self.handle)

    def close(self) -> None:
        if self.handle is not None:
            L.CloseDocument(self.handle)
            self.handle = None


def _page_box(page, get, fallback):
    """A page box (left, bottom, right, top) from PDFium, or ``fallback()`` when the page has none."""
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not get(page, left, bottom, right, top):
        return fallback()
    return (left.value, bottom.value, right.value, top.value)


class PdfiumPage:
    """One page's characters, image count and edges, with the attributes ``page.read_page`` uses."""

    def __init__(self, page) -> None:
        """``page``: a raw PDFium page handle (``FPDF_LoadPage``)."""
        if L.GetRotation(page) % 4:
            raise PdfiumUnsupported("the page is rotated (/Rotate)")
        box = _page_box(page, L.GetMediaBox, lambda: (0, 0, 612, 792))     # ANSI A, as pypdfium2
        if box[0] or box[1] or tuple(_page_box(page, L.GetCropBox, lambda: box)) != tuple(box):
            raise PdfiumUnsupported("the page box does not start at the origin, or is cropped")
        self.width, self.height = float(box[2]), float(box[3])
        self.edges = Edges([], [])
        self.n_images = 0
        self._walk(page, L.CountObjects, L.PageObject, None)
        self.images = range(self.n_images)
        textpage = L.TextLoadPage(page)
        if not textpage:
            raise PdfiumUnsupported("PDFium cannot read the page's text")
        try:
            self.chars = self._chars(textpage)
        finally:
            L.TextClosePage(textpage)

    # -- characters -------------------------------------------------------------------------

    def _chars(self, tp) -> list[dict]:
        """The page's characters as pdfminer-shaped records: text, x0, x1, top, bottom, size, upright.
        Characters PDFium generates (spaces, line breaks) and whitespace are left out. The text of the
        page is taken in one call; per character, its text object, Unicode-map status and loose box
        (x0, x1); the size, descent and uprightness once per text object (computed once per font,
        size and matrix); the origin (the baseline) only when the loose box's vertical extent changes or the
        shape does — PDFium computes that extent from the baseline, the font, its size and the
        matrix, so the same extent with the same shape is the same baseline."""
        h = self.height
        n = L.CountChars(tp)
        codes = (ctypes.c_ushort * (n + 1))()
        if n and L.GetText(tp, 0, n, codes) != n + 1:
            codes = [L.GetUnicode(tp, i) for i in range(n)]   # (a character outside the BMP)
        box, ox, oy = L.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
        p_box, p_ox, p_oy = ctypes.byref(box), ctypes.byref(ox), ctypes.byref(oy)
        map_error, object_at, loose_box, origin = L.HasUnicodeMapError, L.TextObjectAddress, L.LooseCharBox, L.CharOrigin
        shapes = _TextShapes(tp)
        last, shape, extent, bottom = -1, (0.0, 0.0, True), None, 0.0
        out = []
        for i in range(n):
            code = codes[i]
            if code in _SKIPPED:
                continue
            if map_error(tp, i) == 1:
                raise PdfiumUnsupported("a character has no Unicode mapping")
            address = object_at(tp, i)
            if address != last:
                last, new = address, shapes.of(address, i)
                if new is not shape:
                    shape, extent = new, None
            size, descent, upright = shape
            loose_box(tp, i, p_box)
            if (box.bottom, box.top) != extent:
                extent = (box.bottom, box.top)
                origin(tp, i, p_ox, p_oy)
                bottom = h - (oy.value + descent)
            out.append({"text": chr(code), "x0": box.left, "x1": box.right, "top": bottom - size,
                        "bottom": bottom, "size": size, "upright": upright})
        return out

    # -- paths ------------------------------------------------------------------------------

    def _walk(self, parent, count, get, outer) -> None:
        """Every path and image object, into forms, with the form's matrix applied."""
        m = L.FS_MATRIX()
        p_m = ctypes.byref(m)
        object_type = L.ObjectType
        for k in range(count(parent)):
            obj = get(parent, k)
            kind = object_type(obj)
            if kind == _IMAGE:
                self.n_images += 1
            elif kind == _PATH or kind == _FORM:
                L.ObjectMatrix(obj, p_m)
                mat = (m.a, m.b, m.c, m.d, m.e, m.f)
                if outer is not None:
                    mat = _compose(mat, outer)
                if kind == _PATH:
                    self._path(obj, mat)
                else:
                    self._walk(obj, L.FormCount, L.FormObject, mat)

    def _path(self, obj, mat) -> None:
        """A path object's subpaths → edges (see the module docstring)."""
        a, b, c, d, e, f = mat
        h = self.height
        px, py = ctypes.c_float(), ctypes.c_float()
        p_x, p_y = ctypes.byref(px), ctypes.byref(py)
        get_segment, get_point = L.Segment, L.SegmentPoint
        get_type, get_close = L.SegmentType, L.SegmentClose
        n = L.SegmentCount(obj)
        if n == 2:                                  # the common case, a single line (closed or not)
            s0, s1 = get_segment(obj, 0), get_segment(obj, 1)
            if get_type(s0) == _MOVETO and get_type(s1) == _LINETO:
                get_point(s0, p_x, p_y)
                x, y = px.value, py.value
                p0 = (a * x + c * y + e, h - (b * x + d * y + f))
                get_point(s1, p_x, p_y)
                x, y = px.value, py.value
                self.edges.add_segment(p0, (a * x + c * y + e, h - (b * x + d * y + f)), line=True)
                return
        sub: list[tuple[str, tuple[float, float]]] = []
        n_bezier = 0
        for k in range(n):
            seg = get_segment(obj, k)
            get_point(seg, p_x, p_y)
            x, y = px.value, py.value
            pt = (a * x + c * y + e, h - (b * x + d * y + f))
            kind = get_type(seg)
            if kind == _MOVETO:
                self._subpath(sub)
                sub = [("m", pt)]
            elif kind == _BEZIERTO:
                n_bezier += 1
                if n_bezier % 3 == 0:               # a curve's end point (its two control points skipped)
                    sub.append(("c", pt))
            else:
                sub.append(("l", pt))
            if get_close(seg) and sub:
                sub.append(("h", sub[0][1]))
        self._subpath(sub)

    def _subpath(self, sub: list[tuple[str, tuple[float, float]]]) -> None:
        if not sub or sub[0][0] != "m":
            return
        shape = "".join(op for op, _ in sub)
        pts = [p for _, p in sub]
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts.pop()
        if shape in ("mlh", "ml"):
            self.edges.add_segment(pts[0], pts[1], line=True)
            return
        if shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                     or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
                self.edges.add_rect(min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2))
                return
        for p0, p1 in zip(pts, pts[1:]):
            self.edges.add_segment(p0, p1)

    # -- what page.read_page asks -----------------------------------------------------------

    @property
    def has_rulings(self) -> bool:
        return bool(self.edges)

    def find_tables(self):
        return find_tables(self.edges)

    def close(self) -> None:
        pass


_MOVETO, _LINETO, _BEZIERTO = L.SEGMENT_MOVETO, L.SEGMENT_LINETO, L.SEGMENT_BEZIERTO
_IMAGE, _PATH, _FORM = L.PAGEOBJ_IMAGE, L.PAGEOBJ_PATH, L.PAGEOBJ_FORM
_SKIPPED = frozenset((0x20, 0x0D, 0x0A, 0x09, 0x00, 0xFFFE, 0xFFFF))   # whitespace, PDFium's markers


class _TextShapes:
    """(size, descent, upright) of the characters of each text object of a page, in page units:
    the font size times the matrix's vertical scale (pdfminer's ``size``), the font's descent
    (below the baseline, negative) at that size, and whether the text stands upright.

    Text objects with the same font, font size and matrix (its linear part) share one shape tuple —
    the same object, so ``is`` tells the reader that the mapping from baseline to loose box is the
    same (several PDF writers set every character as a text object of its own)."""

    def __init__(self, tp) -> None:
        self.tp = tp
        self.matrix = L.FS_MATRIX()
        self.p_matrix = ctypes.byref(self.matrix)
        self.out = ctypes.c_float()
        self.by_object: dict[int | None, tuple[float, float, bool]] = {}
        self.by_key: dict[tuple, tuple[float, float, bool]] = {}

    def of(self, address: int | None, i: int) -> tuple[float, float, bool]:
        """The shape of the text object at ``address`` (None: PDFium names none), whose character ``i`` is."""
        shape = self.by_object.get(address)
        if shape is None:
            m = self.matrix
            L.TextMatrix(self.tp, i, self.p_matrix)
            em = L.FontSize(self.tp, i)                     # in text space
            font = L.TextObjectFont(L.Handle(address)).value if address else None
            key = (font, em, m.a, m.b, m.c, m.d)
            shape = self.by_key.get(key)
            if shape is None:
                scale = math.hypot(m.c, m.d)
                shape = self.by_key[key] = (em * scale, self._descent(font, em) * scale,
                                            m.a * m.d > 0 and m.b * m.c <= 0)
            self.by_object[address] = shape
        return shape

    def _descent(self, font: int | None, em: float) -> float:
        """The font's descent at ``em`` (text space; 0 without a font)."""
        ok = font and L.GetDescent(font, em, ctypes.byref(self.out))
        return self.out.value if ok else 0.0


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix ``inner`` then ``outer`` (PDF row-vector convention: inner × outer)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def read_pages(doc):
    """Each page of an open PDFium document as a :class:`PdfiumPage`, closed after reading."""
    for i in range(len(doc)):
        page = L.LoadPage(doc.handle, i)
        if not page:
            raise PdfiumUnsupported(f"PDFium cannot load page {i + 1}")
        try:
            yield PdfiumPage(page)
        finally:
            L.ClosePage(page)
