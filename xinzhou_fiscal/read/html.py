"""A disclosure published as a web page: paragraphs (block elements, ``<br>`` line breaks) and
``<table>`` cells (``colspan``/``rowspan`` expanded to the grid: the text in the first position,
blanks in the others), read with the standard library's html.parser into the document model of
:mod:`.structured`. A ``<caption>`` is the line above its table; a table nested in a cell gives
its text to that cell. Pictures (``<img>``) and embedded objects (``<object>``, ``<embed>``,
``<iframe>``) are placed where they sit."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from xinzhou_fiscal import patterns
from xinzhou_fiscal.read.source import SourceDocument, decode_bytes
from xinzhou_fiscal.read.structured import Piece, document_from_pieces

_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "header", "footer",
          "blockquote", "pre", "dt", "dd", "ul", "ol", "dl", "center", "address", "hr", "body", "form"}
_SKIP = {"script", "style", "head", "title", "noscript", "template"}
_OBJECTS = {"object", "embed", "iframe", "applet"}
_CHARSET = patterns.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


class _Table:
    def __init__(self):
        self.rows: list[list[tuple[str, int, int]]] = []   # (text, colspan, rowspan)
        self.cell: list[str] | None = None
        self.span = (1, 1)
        self.caption: list[str] | None = None
        self.nested = False

    def grid(self) -> list[list[str]]:
        """The rows on the table's grid, row- and column-spans expanded."""
        out: list[list[str]] = []
        pending: dict[tuple[int, int], bool] = {}      # (row, col) covered by a rowspan above
        for r, cells in enumerate(self.rows):
            row: list[str] = []
            col = 0
            for text, colspan, rowspan in cells:
                while pending.pop((r, col), False):
                    row.append("")
                    col += 1
                row.append(text)
                row.extend([""] * (colspan - 1))
                for dr in range(1, rowspan):
                    for dc in range(colspan):
                        pending[(r + dr, col + dc)] = True
                col += colspan
            while pending.pop((r, col), False):
                row.append("")
                col += 1
            out.append(row)
        width = max((len(r) for r in out), default=0)
        return [r + [""] * (width - len(r)) for r in out]


def _span(attrs: dict, name: str) -> int:
    try:
        return max(1, min(int(str(attrs.get(name) or "1").strip()), 200))
    except ValueError:
        return 1


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[Piece] = []
        self.buffer: list[str] = []
        self.tables: list[_Table] = []
        self.skip = 0
        self.n_objects = 0
        self.in_tables: list[Piece] = []      # objects inside the open table: placed after it

    # -- text outside tables ------------------------------------------------------------------
    def _flush(self):
        text = "".join(self.buffer)
        self.buffer = []
        for line in text.split("\n"):
            line = " ".join(line.replace("\xa0", " ").split())
            if line:
                self.pieces.append(Piece("para", text=line))

    def _sink(self) -> list[str]:
        t = self.tables[-1] if self.tables else None
        if t is None:
            return self.buffer
        if t.cell is not None:
            return t.cell
        return t.caption if t.caption is not None else []

    def handle_data(self, data):
        if not self.skip:
            self._sink().append(patterns.compile(r"[ \t\r\n\f]+").sub(" ", data))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in _SKIP:
            self.skip += 1
        elif tag == "br":
            self._sink().append("\n")
        elif tag == "table":
            if self.tables and self.tables[-1].cell is not None:
                self.tables[-1].cell.append("\n")       # a nested table: its text joins the cell
                self.tables.append(_Table())
                self.tables[-1].nested = True
                return
            self._flush()
            self.tables.append(_Table())
        elif self.tables and tag == "tr":
            self._end_cell()
            self.tables[-1].rows.append([])
        elif self.tables and tag in ("td", "th"):
            self._end_cell()
            t = self.tables[-1]
            if not t.rows:
                t.rows.append([])
            t.cell, t.span = [], (_span(a, "colspan"), _span(a, "rowspan"))
        elif self.tables and tag == "caption":
            self.tables[-1].caption = []
        elif tag == "img" or tag in _OBJECTS:
            self._object(tag, a)
        elif tag in _BLOCK:
            if self.tables and self.tables[-1].cell is not None:
                self.tables[-1].cell.append("\n")
            elif not self.tables:
                self._flush()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "table" and self.tables:
            self._end_cell()
            t = self.tables.pop()
            if t.nested and self.tables and self.tables[-1].cell is not None:
                self.tables[-1].cell.append(" ".join(" ".join(r) for r in t.grid()))
                return
            if t.caption:
                self.pieces.append(Piece("para", text=" ".join("".join(t.caption).split())))
            self.pieces.append(Piece("table", rows=t.grid()))
            self.pieces += self.in_tables
            self.in_tables = []
        elif self.tables and tag in ("td", "th"):
            self._end_cell()
        elif self.tables and tag == "caption":
            t = self.tables[-1]
            t.caption = t.caption or []
        elif tag in _BLOCK and not self.tables:
            self._flush()

    def _end_cell(self):
        t = self.tables[-1]
        if t.cell is not None:
            text = "\n".join(" ".join(part.replace("\xa0", " ").split()) for part in "".join(t.cell).split("\n"))
            t.rows[-1].append((text.strip("\n"), *t.span))
            t.cell = None

    def _object(self, tag, a):
        self.n_objects += 1
        src = a.get("src") or a.get("data") or ""
        what = f"a picture ({src})" if tag == "img" else f"an embedded object <{tag}> ({a.get('type') or src})"
        piece = Piece("object", text=what, where=f"object {self.n_objects} of the page")
        if self.tables:
            piece.where += ", in a table cell"
            self.in_tables.append(piece)               # after the table: it fails only if it prints nothing
            return
        self._flush()
        self.pieces.append(piece)

    def close(self):
        super().close()
        while self.tables:
            self.handle_endtag("table")
        self._flush()


def decode_html(data: bytes, path: Path) -> tuple[str, str]:
    """The page's text: in the charset its ``<meta>`` declares (GBK read as GB18030), else as the
    text reader decodes."""
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii", "replace").lower()
        name = "gb18030" if name in ("gbk", "gb2312", "gb_2312-80", "x-gbk") else name
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, path)


def read_html_document(path: Path, data: bytes | None = None) -> SourceDocument:
    """A report published as an HTML page, as a SourceDocument."""
    path = Path(path)
    data = path.read_bytes() if data is None else data
    text, encoding = decode_html(data, path)
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    return document_from_pieces(path, "html", parser.pieces, encoding=encoding)
