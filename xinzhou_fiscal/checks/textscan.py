"""What the text rules read: the report's prose lines (every line that is not a row of a parsed
table), the facts of templates/wording/text_rules.toml, and small helpers to cite a line as evidence.
Built once per report and cached on it (the document does not change between audits)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from xinzhou_fiscal import patterns
from xinzhou_fiscal.checks.findings import Evidence
from xinzhou_fiscal.read.source import Line
from xinzhou_fiscal.templates.text_facts import text_facts, text_patterns  # noqa: F401  (re-exported for the rules)

_YEAR = patterns.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def prose_lines(report) -> list:
    """The document's lines that are not rows of a parsed table (cached on the report)."""
    cache = report.__dict__.setdefault("_audit_text", {})
    if "prose" not in cache:
        rows = set()
        for t in report.tables.values():
            if t.block is not None:
                rows.update(r.line for r in t.block.rows)
        cache["prose"] = [ln for ln in report.document.lines if ln.text.strip() and ln.line not in rows]
    return cache["prose"]


def prose_spans(report) -> list:
    """The prose lines reflowed into spans (:func:`xinzhou_fiscal.text.reflow.reflow`): what the
    name, word and text rules read, so that a name, a figure with its unit or a comparison word
    cut by a line or page end is read whole (cached on the report)."""
    from xinzhou_fiscal.text.reflow import reflow
    cache = report_cache(report)
    if "spans" not in cache:
        prose = {ln.line for ln in prose_lines(report)}
        cache["spans"] = reflow(report.document.lines, lambda ln: ln.line in prose,
                                laid_out=report.document.kind == "pdf")
    return cache["spans"]


@dataclass(frozen=True)
class SpanLine(Line):
    """A reflowed span as one line (numbered by its first line): what heading and 目录 rules read,
    with the reader's doubt about a wrap it joined."""

    doubt: str = ""


def reading_lines(report) -> list[SpanLine]:
    """The document's prose as the heading and 目录 rules read it: one line per reflowed span
    (a heading or 目录 entry cut by the page width is whole), page furniture left out (cached)."""
    cache = report_cache(report)
    if "reading_lines" not in cache:
        cache["reading_lines"] = [
            SpanLine(sp.text, sp.line.line, sp.line.page, sp.lines[-1].end_page or sp.lines[-1].page,
                     sp.doubt_in(0, len(sp.text) + 1))
            for sp in prose_spans(report) if not sp.furniture]
    return cache["reading_lines"]


def span_ev(span, start: int, end: int, item: str = "", table_no: str = "正文") -> tuple[Evidence, ...]:
    """The text from ``start`` to ``end`` of a span as evidence: one item per line it is printed on
    (line number and page; the first carries the span's text around it), each with the reader's
    doubt about the wrap it crosses, if any."""
    doubt = span.doubt_in(start, end)
    lines = span.lines_in(start, end)
    text = span.text if len(span.text) <= 160 else snippet(span.text, start, end, 60)
    out = []
    for k, ln in enumerate(lines):
        printed = text[:160] if k == 0 else ln.text.strip()[:160]
        out.append(Evidence("text", "", table_no, "", "", item, "", printed, None, ln.line, ln.page, doubt))
    return tuple(out)


def report_cache(report) -> dict:
    return report.__dict__.setdefault("_audit_text", {})


def line_ev(ln, item: str = "", printed: str | None = None, table_no: str = "正文") -> Evidence:
    """A text line as evidence: the line number (what the mutation harness matches) and its text."""
    text = ln.text.strip() if printed is None else printed
    return Evidence("text", "", table_no, "", "", item, "", text[:160], None, ln.line, ln.page, getattr(ln, "doubt", ""))


def snippet(text: str, start: int, end: int, pad: int = 12) -> str:
    """The match with a few characters either side, for a message."""
    return ("…" if start > pad else "") + text[max(0, start - pad): end + pad] + ("…" if end + pad < len(text) else "")


def years_in(text: str) -> list[int]:
    return [int(y) for y in _YEAR.findall(text)]


def mention_line(report, mention: dict):
    """The line that prints a metadata mention's text: the mention's own line, else the nearest
    within six lines (a caption's 部门名称 line sits next to the title the mention names)."""
    lines = report.document.lines
    n = mention.get("line")
    if not n:
        return None
    text = patterns.compile(r"\s+").sub("", mention["text"])
    for d in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6):
        i = n - 1 + d
        if 0 <= i < len(lines) and text in patterns.compile(r"\s+").sub("", lines[i].text):
            return lines[i]
    return lines[n - 1] if 0 < n <= len(lines) else None


def document_rule(func):
    """A rule that reads only the document (its lines, metadata, template, claims and table rows,
    never the facts a mutation test may change): its checks are computed once per report and
    handed out as fresh copies on every audit."""
    @wraps(func)
    def run(ctx):
        cache = report_cache(ctx.report).setdefault("checks", {})
        key = f"{func.__module__}.{func.__name__}"
        if key not in cache:
            cache[key] = list(func(ctx))
        return cache[key]
    return run
