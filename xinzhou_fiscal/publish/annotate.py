"""The annotated PDF: a copy of a PDF report in which every error and warning of the audit is boxed
on its page — both sides of the check, the printed figure and the figures it contradicts — each box
carrying a note with the finding's message (``xinzhou-fiscal annotate``).

Where a figure is printed comes from the finding's evidence (page, and the figure as printed); its
box from the page's words as pdfplumber reads them (the same page model the PDF reader uses). The
annotations are written with pikepdf (MPL-2.0); the original bytes of each page are left as they
are. A figure that cannot be found on its page still gets a note, in the page's top-left corner, so
that every page a finding names is marked.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Iterable

from xinzhou_fiscal import patterns
from xinzhou_fiscal.errors import ReportError

#: box colours (RGB 0–1) and the note's subject, by severity
STYLE = {"error": ((0.85, 0.0, 0.0), "错误"), "warning": ((0.95, 0.55, 0.0), "警告")}
SEVERITIES = tuple(STYLE)
_PAD = 1.5          # points around a figure's box
_NOTE_BOX = (18.0, 18.0, 40.0, 40.0)    # x0, top, x1, bottom of a note whose figure was not found


@dataclass(frozen=True)
class Mark:
    """One box to draw: page (1-based), pdfplumber box (x0, top, x1, bottom), severity, note."""

    page: int
    box: tuple[float, float, float, float]
    severity: str
    note: str
    found: bool = True


def _ok_page(e: dict) -> bool:
    """A figure printed on a page of this report (not of another document: a budget's evidence)."""
    p = e.get("page")
    return p is not None and p == p and e.get("source") != "budget"


def evidence_pages(findings) -> dict[int, set[int]]:
    """For every error and warning (by its position in ``findings``), the pages its evidence names."""
    out: dict[int, set[int]] = {}
    for i, f in enumerate(findings.itertuples(index=False)):
        if str(f.severity) in SEVERITIES:
            out[i] = {int(e["page"]) for e in (f.evidence or []) if _ok_page(e)}
    return out


def _norm(text: str) -> str:
    return patterns.compile(r"\s+").sub("", str(text or ""))


def _figure_box(page, printed: str, line_text: str) -> tuple[float, float, float, float] | None:
    """The box of ``printed`` on a pdfplumber page, as a whole figure (never part of a longer
    number); of several, the one on the row that reads most like the source line ``line_text``."""
    if not printed:
        return None
    edge = r"(?<![\d.,])" if printed[:1].isdigit() else ""
    tail = r"(?![\d]|[.,]\d)" if printed[-1:].isdigit() else ""
    hits = page.search(edge + re.escape(printed) + tail, regex=True, return_chars=False)
    boxes = [(h["x0"], h["top"], h["x1"], h["bottom"]) for h in hits]
    if len(boxes) <= 1:
        return boxes[0] if boxes else None
    words = page.extract_words()
    want = _norm(line_text)

    def likeness(b):
        row = "".join(w["text"] for w in words if w["top"] < b[3] and w["bottom"] > b[1])
        return SequenceMatcher(None, _norm(row), want, autojunk=False).ratio()
    return max(boxes, key=likeness)


def _marks(pdf, findings, lines: dict[int, str]) -> list[Mark]:
    """Every box of every error and warning: one per figure of its evidence (both sides of the
    check), found on its page, or one note in the page's corner when it is not found there.
    ``lines``: the source's text by line number (to tell one printing of a figure from another)."""
    marks: list[Mark] = []
    for f in findings.itertuples(index=False):
        sev = str(f.severity)
        if sev not in SEVERITIES:
            continue
        note = f"{STYLE[sev][1]}：{f.message}"
        for e in f.evidence or []:
            if not _ok_page(e) or not 1 <= int(e["page"]) <= len(pdf.pages):
                continue
            page_no = int(e["page"])
            line = e.get("line")
            box = _figure_box(pdf.pages[page_no - 1], str(e.get("printed") or "").strip(),
                              lines.get(int(line), "") if line is not None and line == line else "")
            marks.append(Mark(page_no, box, sev, note) if box else Mark(page_no, _NOTE_BOX, sev, note, found=False))
    return list(dict.fromkeys(marks))


def _annotation(pdf_out, page, mark: Mark):
    """A /Square annotation around ``mark.box`` with the note as its contents (PDF coordinates:
    origin bottom-left, from the page's media box)."""
    import pikepdf

    x0m, y0m, _x1m, y1m = [float(v) for v in page.mediabox]
    x0, top, x1, bottom = mark.box
    rect = [x0m + x0 - _PAD, y1m - bottom - _PAD, x0m + x1 + _PAD, y1m - top + _PAD]
    colour, subject = STYLE[mark.severity]
    return pdf_out.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Square, Rect=rect, C=list(colour),
        BS=pikepdf.Dictionary(W=1.2), Contents=pikepdf.String(mark.note), T=pikepdf.String("xinzhou-fiscal 审核"),
        Subj=pikepdf.String(subject), F=4, NM=pikepdf.String(f"xf-{mark.page}-{int(x0)}-{int(top)}-{subject}")))


def annotate_pdf(report: Any, findings=None) -> bytes:
    """The bytes of an annotated copy of ``report``'s PDF (see the module docstring). ``findings``
    defaults to the report's audit. A report read from text has no PDF to annotate: ReportError."""
    import pdfplumber
    import pikepdf

    doc = report.document
    path = Path(doc.path)
    if getattr(doc, "kind", "") != "pdf":
        raise ReportError("only a PDF report can be annotated; this report was read from text", file=path.name)
    if findings is None:
        from xinzhou_fiscal.checks import audit_frame
        findings = audit_frame(report)
    with pdfplumber.open(path) as src:
        marks = _marks(src, findings, {ln.line: ln.text for ln in doc.lines})
    with pikepdf.open(path) as pdf:
        for m in marks:
            page = pdf.pages[m.page - 1]
            if "/Annots" not in page.obj:
                page.obj.Annots = pdf.make_indirect(pikepdf.Array())
            page.obj.Annots.append(_annotation(pdf, page, m))
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def read_annotations(pdf_bytes: bytes | str | Path) -> list[dict]:
    """The annotations this module writes, read back: page (1-based), subject, note, rect."""
    import pikepdf

    data = pdf_bytes if isinstance(pdf_bytes, bytes) else Path(pdf_bytes).read_bytes()
    out = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            for a in page.obj.get("/Annots", []) or []:
                if a.get("/Subtype") == pikepdf.Name.Square and str(a.get("/T", "")).startswith("xinzhou-fiscal"):
                    out.append({"page": n, "subject": str(a.get("/Subj", "")), "note": str(a.get("/Contents", "")),
                                "rect": [float(v) for v in a.Rect]})
    return out


def marked_pages(annotations: Iterable[dict]) -> set[int]:
    return {a["page"] for a in annotations}
