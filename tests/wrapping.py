"""Test helper: a report's prose as a narrow-column text extraction would give it.

:func:`wrap_document` copies a :class:`~xinzhou_fiscal.read.source.SourceDocument` with every prose
line (not a table row, not inside a table) longer than ``width`` display columns cut into lines of
that width — anywhere: inside a name, a number, a unit, a comparison word — and a page number line
(``- 7 -``) put inside every ``page_every``-th cut paragraph of sentences, after its first piece; lines are
renumbered and the table blocks follow. The copy is read by the text path
(:func:`~xinzhou_fiscal.report.parse.build_report`), as a text file of a narrow PDF would be.
"""
from __future__ import annotations

import copy
from dataclasses import replace

from xinzhou_fiscal.read.source import Line, Row
from xinzhou_fiscal.text.reflow import display_width


def cut(text: str, width: int) -> list[str]:
    """``text`` cut into pieces of at most ``width`` display columns (Chinese counts two)."""
    out, cur = [], ""
    for ch in text:
        if cur and display_width(cur + ch) > width:
            out.append(cur)
            cur = ""
        cur += ch
    return out + [cur]


def wrap_document(doc, width: int = 36, page_every: int = 5, page_after: str | None = None):
    """A copy of ``doc`` with its prose cut at ``width`` columns (see the module doc); the 附件 (the
    performance self-evaluation tables, read line by line as tables) is left as it is. With
    ``page_after``, a page number also follows every piece that ends with that text."""
    from xinzhou_fiscal.text.parts import find_parts
    in_table = set()
    for b in doc.tables:
        in_table.update(range(b.start_line, b.end_line + 1))
    annex = find_parts(doc).get("annex")
    if annex is not None:
        in_table.update(range(annex.heading_line.line, doc.lines[-1].line + 1))
    new_of: dict[int, int] = {}
    lines: list[Line] = []
    cut_paragraphs = 0
    for ln in doc.lines:
        text = ln.text.strip()
        new_of[ln.line] = len(lines) + 1
        if ln.line in in_table or "\t" in ln.text or display_width(text) <= width:
            lines.append(Line(ln.text, len(lines) + 1, ln.page))
            continue
        cut_paragraphs += 1
        sentence = any(p in text for p in "，。；")
        for k, piece in enumerate(cut(text, width)):
            lines.append(Line(piece, len(lines) + 1, ln.page))
            if (k == 0 and sentence and cut_paragraphs % page_every == 0) or (page_after and piece.endswith(page_after)):
                lines.append(Line(f"- {cut_paragraphs} -", len(lines) + 1, ln.page))
    out = copy.copy(doc)
    out.kind, out.lines = "text", lines
    out.tables = [_moved(b, new_of) for b in doc.tables]
    return out


def _moved(block, new_of: dict[int, int]):
    b = copy.copy(block)
    b.rows = [Row(r.cells, new_of[r.line], r.page) for r in block.rows]
    b.notes = [replace(n, line=new_of[n.line]) for n in block.notes]
    b.start_line, b.end_line = new_of.get(block.start_line, block.start_line), new_of.get(block.end_line, block.end_line)
    return b
