"""read_report: one input file (extracted text, PDF, Word, Excel, HTML — or one report over several
files) → a :class:`~xinzhou_fiscal.report.model.Report`.

The flow: read the document (:mod:`xinzhou_fiscal.read.formats` picks the reader) → drop stray text → detect its template family → read
every located table to one outcome (parsed/empty/blank/failed) → add the template's tables that are
missing → metadata (department, year, kind) from the whole document. A table that cannot be read
never stops the others: the Report is returned with ``complete == False`` and the failure named in
``missing_pieces`` and ``problems``; ``strict=True`` raises the first failure instead.
"""
from __future__ import annotations

from dataclasses import replace
from bisect import bisect_left
from collections import Counter
from operator import attrgetter
from pathlib import Path
from typing import Callable

from xinzhou_fiscal import patterns
from xinzhou_fiscal.errors import BlankTemplateError, NotAReportError, ParseProblem, ReportError
from xinzhou_fiscal.numbers import TARGET_UNIT, factor
from xinzhou_fiscal.read.formats import content_sha256, read_document, read_documents
from xinzhou_fiscal.read.source import PART_HEADING, Line, SourceDocument, stray_regions
from xinzhou_fiscal.report.metadata import read_metadata
from xinzhou_fiscal.report.model import Report
from xinzhou_fiscal.tables import (
    TABLE_SPECS,
    FactSet,
    missing_table,
    no_data_note,
    read_table,
    spec_for_title,
)
from xinzhou_fiscal.tables.common import code_level, code_parent
from xinzhou_fiscal.tables.generic import generic_spec, has_coded_rows
from xinzhou_fiscal.templates import TemplateMatch, detect_template, fill, reference, template
from xinzhou_fiscal.templates.detect import document_kind, title_key, toc_ordinals, toc_titles
from xinzhou_fiscal.templates.families import UNKNOWN_FAMILY

_REPORT_WORDS = patterns.compile(r"决算|预算")
NOTE_LINES_AFTER = 12   # a no-data note may sit on the next page, under its running header


def read_report(path: str | Path | list[str | Path], report_id: str | None = None, *, strict: bool = False,
                id_for_sha256: Callable[[str], str | None] | None = None) -> Report:
    """Parse a budget (部门预算) or final-accounts report (部门决算) into a Report; its kind (预算/决算)
    is read from the document (:func:`~xinzhou_fiscal.templates.detect.document_kind`). Amounts are 万元.

    ``path`` is one file (text, PDF, Word, Excel, HTML), or one report split over several files: a
    list of files (read in that order) or a folder holding them (in name order).

    Raises a :class:`~xinzhou_fiscal.errors.ReportError` subclass naming the file, the table and
    the line when the input is empty, not a report (or a blank template), or not decodable. A
    table that cannot be read makes the Report partial (``complete == False``); with
    ``strict=True`` its error is raised instead. Without ``report_id``, ``id_for_sha256`` (the
    catalogue's lookup, passed by :func:`xinzhou_fiscal.read_report`) names a known file; otherwise
    the id is made from the file name. The parser itself knows no catalogue.
    """
    if isinstance(path, (list, tuple)) and len(path) == 1:
        path = path[0]
    try:
        if isinstance(path, (list, tuple)):
            for p in map(Path, path):
                if not p.is_file():
                    raise ReportError("no such file" if not p.exists() else "not a file", file=p)
            doc, path = read_documents(path), Path(path[0])
        else:
            path = Path(path)
            if not path.exists() or not (path.is_file() or path.is_dir()):
                raise ReportError("no such file" if not path.exists() else "not a file", file=path)
            doc = read_document(path)
        known = None
        if report_id is None and id_for_sha256 is not None and doc.path.exists():
            known = id_for_sha256(content_sha256(doc.path))     # streamed: memory bounded by the chunk
    except OSError as e:
        raise ReportError(f"cannot read the file: {e.strerror or e}", file=getattr(e, "filename", None) or path) from None
    if report_id is None:
        report_id = known or patterns.compile(r"[^a-z0-9]+").sub("-", path.stem.lower()).strip("-") or "report"
    report = build_report(doc, report_id)
    if strict:
        failed = [t for t in report.tables.values() if t.status == "failed"]
        if failed:
            raise failed[0].error
    return report


def build_report(doc: SourceDocument, report_id: str) -> Report:
    """Read every located table of a SourceDocument and assemble the Report."""
    problems: list[ParseProblem] = []
    _drop_stray_text(doc, problems)
    recognised = [(spec_for_title(b.title), b) for b in doc.tables]
    if any(spec for spec, _ in recognised):
        match = detect_template(doc.lines, [b for s, b in recognised if s])
    else:
        match, recognised = _unknown_family(doc, problems)
    tables, records, ledger, conversions = _read_tables(doc, recognised, match.template, report_id, problems)
    _refuse_blank_template(doc, tables)
    meta = read_metadata(doc, document_kind(doc, match.template))
    fact_set = FactSet(records)
    for key in dict.fromkeys(f["table"] for f in records):
        tables[key].fact_set = fact_set
    return Report(report_id=report_id, department=meta.department, year=meta.year, unit=TARGET_UNIT,
                  kind=meta.kind, source_file=doc.path.name, document=doc, tables=tables, fact_set=fact_set,
                  code_records=_codes(tables), table_problems=problems + meta.problems, template=match.template,
                  template_match=match, metadata=meta, conversion_records=conversions, accounting_records=ledger)


def _unknown_family(doc: SourceDocument, problems: list[ParseProblem]):
    """No family knows any located table. A document with a 决算/预算 title whose 目录 lists known
    tables (tables published in a separate file) follows the family of those tables, every table
    missing; one whose tables print coded rows (类/款/项 columns or 3/5/7-digit codes) is of the
    ``unknown`` family, each table read generically (:func:`generic_spec`); anything else is not a
    report."""
    if not _REPORT_WORDS.search("\n".join(ln.text for ln in doc.lines[:60])):
        raise NotAReportError("this is not a budget or final-accounts report (部门预算/部门决算): no 预算 or 决算 "
                              "title and none of the standard tables (收入支出决算总表, 收支预算总表 …) was found",
                              file=doc.path)
    coded = [b for b in doc.tables if has_coded_rows(b)]
    if coded:
        match = TemplateMatch(template(UNKNOWN_FAMILY), 0, (), {})
        problems.append(ParseProblem("template", f"no known template family prints these tables "
                                     f"({'、'.join(b.title for b in coded[:4])}); the template is "
                                     f"{UNKNOWN_FAMILY!r}: each table is read by its title, rows and columns",
                                     line=coded[0].start_line, page=coded[0].page))
        number = {id(b): i for i, b in enumerate(coded, 1)}
        return match, [(generic_spec(b, number[id(b)]) if id(b) in number else None, b) for b in doc.tables]
    listed = [t for t in toc_titles(doc.lines) if spec_for_title(t)]
    if listed:
        return detect_template(doc.lines, [], listed), [(None, b) for b in doc.tables]
    raise NotAReportError(fill("no standard budget or final-accounts table (收入支出决算总表, 收支预算总表, "
                               "{t:income_expenditure_summary} …) and no table with coded rows (类/款/项) was found",
                               None), file=doc.path)


def _read_tables(doc, recognised, tpl, report_id, problems):
    """Every located table to its outcome, then the template's tables that are not in the body."""
    file = doc.path.name
    printed_units = Counter(b.unit for s, b in recognised if s and b.unit)
    doc_unit = printed_units.most_common(1)[0][0] if printed_units else tpl.default_unit
    tables, records, ledger, conversions = {}, [], [], []
    blocks = [b for _, b in recognised]
    for i, (spec, block) in enumerate(recognised):
        where = dict(table=block.number or block.title, line=block.start_line, page=block.page)
        if spec is None:
            problems.append(ParseProblem("table", f"unrecognised table title {block.title!r}; its rows were "
                                         "not parsed", **where))
            continue
        tt = tpl.table(spec.key)
        if spec.key in tables and tt is not None and tt.repeated:
            _read_repeated(doc, spec, block, tables[spec.key], report_id, records, ledger, problems, doc_unit)
            continue
        if spec.key in tables:
            problems.append(ParseProblem("table", f"table {spec.title} appears twice; the second (line "
                                         f"{block.start_line}) was not read", **where))
            continue
        label = block.number or (tt.label if tt else spec.title)
        if tt is None:
            problems.append(ParseProblem("table", f"{spec.title} is not one of the tables of the template "
                                         f"{tpl.name}; read by its layout", **where))
        if not block.unit:
            problems.append(ParseProblem("table", f"the table prints no amount unit; its amounts are read as "
                                         f"{doc_unit}, the unit {'the other tables print' if printed_units else 'of the template'}",
                                         **where))
        note = no_data_note(block, _nearby(doc.lines, blocks, i), tpl.no_data_pattern)
        parsed, builder = read_table(spec, block, file, report_id, unit=block.unit or doc_unit,
                                     unit_printed=bool(block.unit), note=note, label=label)
        parsed.required = tt.required if tt else False
        if tt is not None and tt.repeated:              # one printing per project: the project is the section
            for f in builder.facts:
                f["section"] = block.title
        if block.columns_inferred:
            _say_columns_inferred(parsed, problems, where)
        tables[spec.key] = parsed
        problems.extend(builder.problems)
        ledger.extend(builder.accounting)
        if parsed.status == "parsed":
            records.extend(builder.facts)
        elif builder.facts:
            parsed.fact_set = FactSet(builder.facts)    # what did read of a failed table, kept apart
        if parsed.unit != TARGET_UNIT and parsed.status == "parsed":
            conversions.append({"table": spec.key, "label": label, "printed_unit": parsed.unit,
                                "factor": str(factor(parsed.unit)), "line": block.start_line, "page": block.page})
    listed = set(toc_ordinals(doc.lines)) | {title_key(t) for t in doc.toc_pages} | \
        {title_key(t) for t in toc_titles(doc.lines)}
    expected = set(tpl.keys) | set(reference().keys) if tpl.id != UNKNOWN_FAMILY else set()
    for spec in TABLE_SPECS:
        if spec.key not in tables and spec.key in expected:
            tt = tpl.table(spec.key)
            own = replace(spec, title=tt.title) if tt else spec      # named as the family prints it
            tables[spec.key] = missing_table(own, label=tt.label if tt else spec.title, required=tt is not None,
                                             in_toc=any(title_key(t) in listed for t in (spec.title, *spec.aliases)))
    return tables, records, ledger, conversions


def _read_repeated(doc, spec, block, first, report_id, records, ledger, problems, doc_unit) -> None:
    """One more printing of a table the family prints once per project (绩效目标表): read like the first,
    its facts added to the same table with ``section`` = the printed title (the project)."""
    parsed, builder = read_table(spec, block, doc.path.name, report_id, unit=block.unit or doc_unit,
                                 unit_printed=bool(block.unit), note=None, label=first.label)
    problems.extend(builder.problems)
    if parsed.status != "parsed":
        problems.append(ParseProblem("table", f"{block.title}: {parsed.status}" + (f" ({parsed.reason})" if parsed.reason else ""),
                                     table=block.title, line=block.start_line, page=block.page))
        return
    for f in builder.facts:
        f["section"] = block.title
    records.extend(builder.facts)
    ledger.extend(builder.accounting)
    if first.status != "parsed":
        first.status, first.reason = "parsed", None


COLUMNS_INFERRED = "columns inferred from the positions of words: the table prints no ruling lines"


def _say_columns_inferred(parsed, problems: list[ParseProblem], where: dict) -> None:
    """A table read from word positions says so: in its reason (after the failure, if it failed) and
    as a problem, so a reader knows its columns were inferred, not ruled."""
    parsed.reason = f"{parsed.reason}; {COLUMNS_INFERRED}" if parsed.reason else COLUMNS_INFERRED
    problems.append(ParseProblem("table", f"{parsed.label}: {COLUMNS_INFERRED}", **where))


def _nearby(lines: list[Line], blocks, i: int) -> list[Line]:
    """The lines of table i's own region, the lines between it and the table before that belong
    to no table, and up to :data:`NOTE_LINES_AFTER` lines after it (a note on the next page),
    never past a part heading or the next table."""
    b = blocks[i]
    lo = blocks[i - 1].end_line + 1 if i > 0 else b.start_line
    hi = min(blocks[i + 1].start_line - 1 if i + 1 < len(blocks) else b.end_line + NOTE_LINES_AFTER,
             b.end_line + NOTE_LINES_AFTER)
    out = []
    for k in range(bisect_left(lines, lo, key=attrgetter("line")), len(lines)):   # lines are in order
        ln = lines[k]
        if ln.line > hi or (ln.line > b.end_line and PART_HEADING.match(ln.text)):
            break
        out.append(ln)
    return out


def _drop_stray_text(doc: SourceDocument, problems: list[ParseProblem]) -> None:
    """Text pasted into the file that is not part of a report (a README …) is blanked out of the
    document, so that it never becomes a table, a claim or a self-evaluation, and is recorded."""
    for a, b in stray_regions(doc.lines):
        first, last = doc.lines[a], doc.lines[b]
        problems.append(ParseProblem("document", f"lines {first.line}–{last.line} are not report text "
                                     "(markup or Latin-script prose, e.g. a pasted README); they were not read",
                                     line=first.line, page=first.page, text=first.text.strip()[:80]))
        for k in range(a, b + 1):
            doc.lines[k] = Line("", doc.lines[k].line, doc.lines[k].page)
        doc.tables = [t for t in doc.tables if not first.line <= t.start_line <= last.line]


def _refuse_blank_template(doc: SourceDocument, tables: dict) -> None:
    """A document whose tables print no figure and whose cover or headings hold placeholders
    (上海市 XX 局) is a blank template, not a report."""
    if any(t.status in ("parsed", "failed") for t in tables.values()):
        return
    from xinzhou_fiscal.templates.text_facts import text_patterns

    holders = text_patterns("placeholders")
    hit = next((ln for ln in doc.lines[:200] if any(p.search(ln.text) for p in holders)), None)
    if hit is not None:
        raise BlankTemplateError("this is a blank template with no figures, not a report: its tables print no "
                                 f"amount and it holds placeholders ({hit.text.strip()[:40]!r})",
                                 file=doc.path, line=hit.line, page=hit.page)


def _codes(tables: dict) -> list[dict]:
    """Every classification code printed in the report's tables (with or without an amount), in
    the order of scheme and code: code, name, scheme (function/economic), level (类/款/项), parent code."""
    rows = {}
    for key, table in tables.items():
        wide = table.wide_rows
        if not wide.rows or not wide.has("code"):
            continue
        scheme = "economic" if key.endswith("_basic") else "function"
        for code, item in zip(wide.column("code"), wide.column("item")):
            if code:
                rows.setdefault((scheme, code), {"code": code, "name": item, "scheme": scheme,
                                                 "level": code_level(code), "parent": code_parent(code)})
    return [rows[k] for k in sorted(rows)]
