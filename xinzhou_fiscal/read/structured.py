"""Documents that arrive structured (Word, Excel, HTML): paragraphs and tables of cells, in document
order → the same :class:`~xinzhou_fiscal.read.source.SourceDocument` the text reader builds.

Every reader of a structured format (:mod:`.office`, :mod:`.sheets`, :mod:`.html`) produces a list of
:class:`Piece`: a paragraph (one line of text), a table (rows of cells, merged cells expanded to
their grid positions: the text in the first, blanks in the others) or an embedded object (a picture,
an OLE object) with where it sits. They become lines exactly as an extracted-text report has them —
a paragraph one line, a table row its cells joined by tabs — and the text reader's table locator
finds the 公开NN表 tables in them, so every later stage is unchanged.

An embedded object inside a table's region (under its title, where its rows should be) makes that
table fail, naming the object and where it sits; one anywhere else is recorded as a problem.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from xinzhou_fiscal.errors import ParseProblem
from xinzhou_fiscal.numbers import is_amount
from xinzhou_fiscal.read.source import (
    Line,
    SourceDocument,
    _toc_pages,
    locate_text_tables,
)


@dataclass
class Piece:
    """One element of a structured document, in document order.

    ``kind`` is ``para`` (``text``), ``table`` (``rows`` of cell texts) or ``object`` (``text``
    describes the embedded object: "a picture (image3.png)"). ``page`` is the sheet or page number
    when the format has one; ``where`` says where it sits in the file ("paragraph 57", "sheet 3 row 4")."""

    kind: str
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    page: int | None = None
    where: str = ""


def _cell_text(cell: str) -> str:
    """A cell's text on one line: its line breaks and tabs become spaces (a wrapped name)."""
    return " ".join(cell.replace("\t", " ").split())


def document_from_pieces(path: Path, kind: str, pieces: list[Piece], *, encoding: str | None = None,
                         page_count: int | None = None) -> SourceDocument:
    """The SourceDocument of a structured file: numbered lines (a paragraph per line, a table row
    as tab-separated cells), the 公开NN表 tables located in them, embedded objects placed."""
    lines: list[Line] = []
    objects: list[tuple[Line, Piece]] = []
    for piece in pieces:
        if piece.kind == "para":
            for text in piece.text.replace("\r", "\n").split("\n"):
                lines.append(Line(text.replace("\t", " ").rstrip(), len(lines) + 1, piece.page))
        elif piece.kind == "table":
            for row in piece.rows:
                cells = [_cell_text(c) for c in row]
                text = "\t".join(cells) if len(cells) > 1 else (cells[0] if cells else "")
                lines.append(Line(text, len(lines) + 1, piece.page))
            lines.append(Line("", len(lines) + 1, piece.page))       # a table ends its rows
        else:
            ln = Line("", len(lines) + 1, piece.page)
            lines.append(ln)
            objects.append((ln, piece))
    doc = SourceDocument(path=path, kind=kind, encoding=encoding, lines=lines, tables=[], page_count=page_count)
    doc.toc_pages = _toc_pages(lines)
    doc.tables = locate_text_tables(lines, doc.toc_pages)
    _place_objects(doc, objects)
    return doc


def _place_objects(doc: SourceDocument, objects: list[tuple[Line, Piece]]) -> None:
    """An embedded object in the region of a table that prints no amount (a picture where its rows
    should be) makes the table unreadable (``TableBlock.embedded``); any other (a logo, a seal next
    to a table that reads) is recorded as a problem of the document."""
    for ln, piece in objects:
        block = next((b for b in doc.tables if b.start_line <= ln.line <= b.end_line), None)
        where = piece.where or f"line {ln.line}"
        if block is not None and block.embedded is None and not any(is_amount(c) for r in block.rows for c in r.cells):
            block.embedded = (f"the table is embedded as {piece.text} ({where}), not as text: its figures "
                              "cannot be read — publish the table as text, or convert the object to a table")
            continue
        doc.problems.append(ParseProblem("document", f"an embedded object, {piece.text} ({where}), is not read",
                                         line=ln.line, page=ln.page, text=piece.text))
