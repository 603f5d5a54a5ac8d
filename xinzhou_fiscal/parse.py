"""read_report: one input file (extracted text or PDF) → a checked :class:`~xinzhou_fiscal.model.Report`."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

from .errors import NotAReportError, ReportError, TruncatedTableError
from .model import Report
from .problems import ParseProblem
from .source import SourceDocument, read_text_document
from .tables import TABLE_SPECS, facts_frame, missing_table, parse_table, spec_for_title
from .tables.common import code_level, code_parent

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
_REPORT_WORDS = re.compile(r"决算")


def read_document(path: Path, data: bytes | None = None) -> SourceDocument:
    """Read a file into a SourceDocument, by its format (``.pdf`` or extracted text)."""
    path = Path(path)
    head = data[:5] if data is not None else path.open("rb").read(5)
    if path.suffix.lower() == ".pdf" or head == b"%PDF-":
        from .pdf_source import read_pdf_document
        return read_pdf_document(path)
    return read_text_document(path, data)


def read_report(path: str | Path, report_id: str | None = None) -> Report:
    """Parse a final-accounts report (部门决算) into a Report. Amounts are 万元.

    Raises a :class:`~xinzhou_fiscal.errors.ReportError` subclass naming the file, the table and
    the line when the input is empty, not a report, cut off, or holds a malformed amount.
    """
    path = Path(path)
    if not path.is_file():
        raise ReportError("no such file" if not path.exists() else "not a file", file=path)
    data = path.read_bytes() if path.suffix.lower() != ".pdf" else None
    doc = read_document(path, data)
    if report_id is None:
        from .catalogue import id_for_sha256
        digest = hashlib.sha256(data if data is not None else path.read_bytes()).hexdigest()
        report_id = id_for_sha256(digest) or re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "report"
    return build_report(doc, report_id)


def build_report(doc: SourceDocument, report_id: str) -> Report:
    """Parse every located table of a SourceDocument and assemble the Report."""
    file = doc.path.name
    head_text = "\n".join(ln.text for ln in doc.lines[:60])
    recognised = [(spec_for_title(b.title), b) for b in doc.tables]
    if not any(spec for spec, _ in recognised):
        if not _REPORT_WORDS.search(head_text):
            raise NotAReportError("this is not a final-accounts report (部门决算): no 决算 title and none of "
                                  "the standard tables (收入支出决算总表 …) was found", file=doc.path)
        raise NotAReportError("no standard final-accounts table (收入支出决算总表, 公开01表 …) was found",
                              file=doc.path)
    tables, problems, records, ledger = {}, [], [], []
    for spec, block in recognised:
        if spec is None:
            problems.append(ParseProblem("table", f"unrecognised table title {block.title!r}; its rows were "
                                         "not parsed", table=block.number or block.title,
                                         line=block.start_line, page=block.page))
            continue
        if spec.key in tables:
            raise ReportError(f"table {spec.title} appears twice (second at line {block.start_line})",
                              file=file, table=block.number or spec.title, line=block.start_line)
        if not block.closed:
            raise TruncatedTableError("the table is cut off: the source ends before the table's closing note "
                                      "or total line", file=file, table=f"{block.number or ''} {block.title}".strip(),
                                      line=block.end_line, page=block.page)
        parsed, builder = parse_table(spec, block, file, report_id)
        tables[spec.key] = parsed
        problems.extend(builder.problems)
        records.extend(builder.facts)
        ledger.extend(builder.accounting)
    for spec in TABLE_SPECS:
        if spec.key not in tables:
            tables[spec.key] = missing_table(spec)
    facts_df = facts_frame(records)
    for key, part in facts_df.groupby("table", sort=False):
        tables[key].facts = part.reset_index(drop=True)
    department = _department(doc)
    year = _year(doc, head_text)
    units = sorted({t.unit for t in tables.values() if t.unit})
    report = Report(report_id=report_id, department=department, year=year,
                    unit=units[0] if len(units) == 1 else "万元", kind="决算", source_file=file, document=doc,
                    tables=tables, facts=facts_df, codes=_codes(tables), table_problems=problems,
                    accounting=pd.DataFrame(ledger, columns=["table", "line", "page", "column", "printed", "role"]))
    if len(units) > 1:
        problems.append(ParseProblem("table", f"tables print different amount units: {units}"))
    return report


def _department(doc: SourceDocument) -> str:
    names = [b.department for b in doc.tables if b.department]
    if names:
        return max(set(names), key=names.count)
    for ln in doc.lines[:20]:
        s = ln.text.strip()
        if s and not _YEAR.match(s) and "目录" not in s.replace(" ", ""):
            return re.sub(r"\s+", "", s)
    return ""


def _year(doc: SourceDocument, head_text: str) -> int:
    m = _YEAR.search(head_text)
    if not m:
        raise NotAReportError("cannot find the report's year (e.g. 2023年度) in its first lines", file=doc.path)
    return int(m.group(1))


def _codes(tables: dict) -> pd.DataFrame:
    """Every classification code printed in the report's tables (with or without an amount):
    code, name, scheme (function/economic), level (类/款/项), parent code."""
    cols = ["code", "name", "scheme", "level", "parent"]
    rows = {}
    for key, table in tables.items():
        wide = table.wide
        if wide is None or wide.empty or "code" not in wide.columns:
            continue
        scheme = "economic" if key == "general_budget_basic" else "function"
        for code, item in zip(wide["code"], wide["item"]):
            if code:
                rows.setdefault((scheme, code), {"code": code, "name": item, "scheme": scheme,
                                                 "level": code_level(code), "parent": code_parent(code)})
    return pd.DataFrame(list(rows.values()), columns=cols).sort_values(["scheme", "code"], ignore_index=True)
