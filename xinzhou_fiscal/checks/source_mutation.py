"""Mutation test on the source document: change the document itself, parse it, audit it.

A text report is mutated in its text (one line rewritten, then read again from the bytes); a PDF
report in its document model (the extracted lines and the row cells of its tables), then built
again. Each mutation names its *place*: the lines it changed and, for a table mutation, the table.
A mutation is **detected** when a finding that the unmutated report does not have (a new finding
id, or a known one at a worse severity), of severity error or warning, involves the place: one of
its evidence lines is a changed line, or it names the mutated table. Every other new error or
warning is **noise**.

Mutations (:func:`mutations`): numeric table cells (+0.01, +1.00, sign change, a blank cell given
a value, two cells of a row swapped); direction words (大于↔小于, 增加↔减少, 增长↔下降); metadata
(a heading's year, XX inserted into the department's name); punctuation (a doubled 。); names (a
narrative 项 name changed); tables (deleted, blanked); rates (a % figure + 1).
"""
from __future__ import annotations

import copy
import dataclasses
import time
from dataclasses import dataclass, field

import pandas as pd

from xinzhou_fiscal import patterns
from xinzhou_fiscal.numbers import DECIMAL, read_cell
from xinzhou_fiscal.read.source import PART_HEADING
from xinzhou_fiscal.templates.names import fill

KINDS = ("numeric", "words", "metadata", "punctuation", "names", "tables", "rates")
_WORD_SWAPS = (("大于", "小于"), ("增加", "减少"), ("增长", "下降"))
_RATE = patterns.compile(rf"(?<![\d.])({DECIMAL})(?=\s*[%％])")
_HEADING_YEAR = patterns.compile(r"((?:19|20)\d{2})(\s*年)")


@dataclass
class Mutation:
    kind: str                  # one of KINDS
    op: str                    # +0.01, +1.00, sign, fill, swap, 大于→小于, year, XX, 。。, 项, delete, blank, %+1
    lines: dict[int, str]      # line number → new text
    cells: dict[int, tuple] = field(default_factory=dict)   # row line → new cells (document model)
    table: str = ""            # table key (table mutations): the block is removed or blanked
    drop_table: bool = False
    beyond_rounding: bool = True

    table_line: int | None = None   # cell mutations: the table's first line, where table-level problems are cited

    @property
    def place(self) -> set[int]:
        return set(self.lines) | set(self.cells) | ({self.table_line} if self.table_line else set())


# ---------------------------------------------------------------- generating mutations
def _row_text(row) -> str:
    return "\t".join(row.cells)


def _fmt_like(value: float, printed: str) -> str:
    d = len(printed.rsplit(".", 1)[1]) if "." in printed else 0
    return f"{value:,.{d}f}" if "," in printed else f"{value:.{d}f}"


def _cell_mutations(report) -> list[Mutation]:
    """Mutations of the cells that hold a fact (codes, 栏次 and row numbers are not figures)."""
    facts = set(zip(report.facts["line"].tolist(), report.facts["printed"].tolist())) if len(report.facts) else set()
    out = []
    for block in report.document.tables:
        fact_cols = {i for r in block.rows for i, c in enumerate(r.cells) if (r.line, c.strip()) in facts}
        for row in block.rows:
            cells = list(row.cells)
            nums = [i for i, c in enumerate(cells) if (row.line, c.strip()) in facts and read_cell(c).kind == "number"]
            if not nums:
                continue
            for i in nums:
                v = read_cell(cells[i]).value
                for op, new in (("+0.01", v + 0.01), ("+1.00", v + 1.0), ("sign", -v)):
                    if op == "sign" and v == 0:
                        continue
                    c2 = cells.copy()
                    c2[i] = _fmt_like(new, cells[i]) if op != "+0.01" else f"{new:.2f}"
                    out.append(_row_mutation("numeric", op, row, c2, op != "+0.01", block.start_line))
            for i in sorted(fact_cols - set(nums)):
                if i < len(cells) and read_cell(cells[i]).kind == "blank":
                    c2 = cells.copy()
                    c2[i] = "1.00"
                    out.append(_row_mutation("numeric", "fill", row, c2, True, block.start_line))
                    break                      # one blank cell per row
            for a, b in zip(nums, nums[1:]):
                if read_cell(cells[a]).value != read_cell(cells[b]).value:
                    c2 = cells.copy()
                    c2[a], c2[b] = cells[b], cells[a]
                    out.append(_row_mutation("numeric", "swap", row, c2, True, block.start_line))
                    break                      # one swap per row
    return out


def _row_mutation(kind, op, row, cells, beyond=True, table_line=None) -> Mutation:
    return Mutation(kind, op, {row.line: "\t".join(cells)}, {row.line: tuple(cells)}, beyond_rounding=beyond,
                    table_line=table_line)


def _prose(report) -> list:
    from xinzhou_fiscal.checks.textscan import prose_lines
    return prose_lines(report)


_FIGURE_NEAR = patterns.compile(r"^.{0,12}\d|^[^，。；]{0,6}预算数?")


def _word_with_figure(text: str, word: str) -> int:
    """Where a direction word states a figure (增加539.80万元, 下降25.56%, 小于预算数), or -1: a
    word in a reason clause with no figure (原因…减少支付) is not a checkable statement."""
    k = text.find(word)
    while k >= 0:
        if _FIGURE_NEAR.match(text[k + len(word):]) and not text[k + len(word):k + len(word) + 1] in "的":
            return k
        k = text.find(word, k + 1)
    return -1


def _text_mutations(report) -> list[Mutation]:
    out = []
    claim_lines = set(report.claims["line"].dropna().astype(int)) if len(report.claims) else set()
    for ln in _prose(report):
        t = ln.text
        for a, b in _WORD_SWAPS:
            for x, y in ((a, b), (b, a)):
                k = _word_with_figure(t, x)
                if k >= 0:
                    out.append(Mutation("words", f"{x}→{y}", {ln.line: t[:k] + y + t[k + len(x):]}))
        if "。" in t:
            k = t.find("。")
            out.append(Mutation("punctuation", "。。", {ln.line: t[:k] + "。" + t[k:]}))
        m = _RATE.search(t) if ln.line in claim_lines else None
        if m:
            new = _fmt_like(float(m.group(1)) + 1.0, m.group(1))
            out.append(Mutation("rates", "%+1", {ln.line: t[:m.start(1)] + new + t[m.end(1):]}))
        m = _HEADING_YEAR.search(t)
        if m and PART_HEADING.match(t):
            out.append(Mutation("metadata", "year", {ln.line: t[:m.start(1)] + str(int(m.group(1)) + 1) + t[m.end(1):]}))
    return out


def _meta_mutations(report) -> list[Mutation]:
    """XX inserted into the department's name where a heading or caption prints it."""
    from xinzhou_fiscal.checks.textscan import mention_line
    out, done = [], set()
    for m in (report.metadata.mentions if report.metadata else ()):
        ln = mention_line(report, m) if m["what"] == "department" and m["source"] != "cover" else None
        if ln is None or ln.line in done or m["text"] not in ln.text:
            continue
        done.add(ln.line)
        k = ln.text.find(m["text"]) + max(2, len(m["text"]) // 2)
        out.append(Mutation("metadata", "XX", {ln.line: ln.text[:k] + "XX" + ln.text[k:]}))
    return out


def _name_mutations(report) -> list[Mutation]:
    from xinzhou_fiscal.checks.rules_names import narrative_chains
    out = []
    for sp, chain in narrative_chains(report):
        level, name, start, _ = chain[-1]
        ln = sp.line_at(start)
        if level == "项" and len(name) >= 3 and name in ln.text:
            k = ln.text.find(name)
            new = name[0] + "乙" + name[2:]
            out.append(Mutation("names", "项", {ln.line: ln.text[:k] + new + ln.text[k + len(name):]}))
    return out


def _table_mutations(report) -> list[Mutation]:
    out = []
    for key, t in report.tables.items():
        b = t.block
        if b is None or t.status != "parsed":
            continue
        span = range(b.start_line, b.end_line + 1)
        out.append(Mutation("tables", "delete", {n: "" for n in span}, table=key, drop_table=True))
        blanked = {r.line: tuple("" if read_cell(c).kind == "number" else c for c in r.cells) for r in b.rows}
        out.append(Mutation("tables", "blank", {n: "\t".join(c) for n, c in blanked.items()}, blanked, table=key))
    return out


def mutations(report) -> list[Mutation]:
    """Every mutation of the report's source, in document order within each kind."""
    return (_cell_mutations(report) + _text_mutations(report) + _meta_mutations(report)
            + _name_mutations(report) + _table_mutations(report))


def sample(muts: list[Mutation], per_op: int) -> list[Mutation]:
    """A deterministic sample: at most ``per_op`` mutations of each (kind, op), evenly spread."""
    groups: dict[tuple, list] = {}
    for m in muts:
        groups.setdefault((m.kind, m.op), []).append(m)
    out = []
    for g in groups.values():
        step = max(1, len(g) // per_op)
        out.extend(g[::step][:per_op])
    return out


# ---------------------------------------------------------------- applying one and judging it
class Source:
    """A parsed report's source, ready to be mutated and read again."""

    def __init__(self, report):
        self.report = report
        self.doc = report.document
        self.kind = self.doc.kind
        if self.kind == "text":
            raw = self.doc.path.read_bytes()
            self.encoding = self.doc.encoding or "utf-8"
            self.raw_lines = raw.decode(self.encoding).splitlines()

    def build(self, m: Mutation):
        """The mutated report: a text report re-read from its mutated text, a PDF rebuilt from
        its mutated document model."""
        from xinzhou_fiscal.report.parse import build_report, read_document
        if self.kind == "text":
            lines = list(self.raw_lines)
            for n, text in m.lines.items():
                lines[n - 1] = self._raw_row(lines[n - 1], m.cells[n]) if n in m.cells else text
            data = "\n".join(lines).encode(self.encoding)
            return build_report(read_document(self.doc.path, data), self.report.report_id)
        doc = copy.deepcopy(self.doc)
        doc.lines = [dataclasses.replace(ln, text=m.lines[ln.line]) if ln.line in m.lines else ln for ln in doc.lines]
        for b in doc.tables:
            b.rows = [dataclasses.replace(r, cells=m.cells[r.line]) if r.line in m.cells else r for r in b.rows]
        if m.drop_table:
            block = self.report.tables[m.table].block
            doc.tables = [b for b in doc.tables if b.start_line != block.start_line]
        return build_report(doc, self.report.report_id)

    @staticmethod
    def _raw_row(raw: str, cells: tuple) -> str:
        fields = raw.split("\t")
        if len(fields) != len(cells):
            return "\t".join(cells)
        return "\t".join(f if f.strip() == c else c for f, c in zip(fields, cells))


_RANK = {"warning": 1, "error": 2}


def findings_index(report) -> dict[str, tuple[str, set, str]]:
    """finding id → (severity, evidence lines, subject and title, (actual, expected, label)) of
    every error and warning."""
    from xinzhou_fiscal.checks import build_context, verdicts
    out = {}
    for fid, sev, c in verdicts(build_context(report)):
        if sev not in _RANK:
            continue
        value = (c.actual.value if c.actual is not None else None, c.expected.value if c.expected is not None else None,
                 c.actual_label)
        ev = [e for n in (c.expected, c.actual) if n is not None for e in n.evidence]
        ev += [*c.evidence_expected, *c.evidence_actual]
        out[fid] = (sev, {e.line for e in ev if e.line}, fill(f"{c.subject} {c.what} ", None) + " ".join(e.table for e in ev), value)
    return out


def judge_mutation(base: dict, report, m: Mutation, labels: tuple[str, ...]) -> tuple[bool, list[str], list[str]]:
    """(detected, new findings involving the place, new findings elsewhere = noise)."""
    hits, noise = [], []
    for fid, (sev, lines, text, value) in findings_index(report).items():
        old = base.get(fid)
        involved = bool(lines & m.place) or (m.table and any(lb and lb in text for lb in labels))
        if old is not None and _RANK[old[0]] >= _RANK[sev]:
            if involved and old[3] != value:
                hits.append(f"{sev} {fid} (now {value[0]})")   # a known finding now reports the changed figure
            continue
        (hits if involved else noise).append(f"{sev} {fid}")
    return bool(hits), hits, noise


@dataclass
class SourceMutationResult:
    report_id: str
    cells: pd.DataFrame          # one row per mutation
    seconds: float

    def rates(self) -> pd.DataFrame:
        """Detection rate and noise per kind (numeric mutations beyond rounding apart from +0.01)."""
        df = self.cells.assign(group=self.cells["kind"].where(self.cells["beyond_rounding"], "numeric +0.01"))
        g = df.groupby("group", sort=False)
        return pd.DataFrame({"mutations": g.size(), "detected": g["detected"].sum(),
                             "rate": g["detected"].mean().round(4), "noisy": g["noise"].apply(lambda s: int((s > 0).sum()))})

    def summary(self) -> str:
        lines = [f"source mutations of {self.report_id}: {len(self.cells)} in {self.seconds:.0f} s"]
        for kind, r in self.rates().iterrows():
            lines.append(f"  {kind:14s} {int(r.detected):4d}/{int(r.mutations):4d} detected = {r.rate:6.1%}; "
                         f"mutations with noise: {int(r.noisy)}")
        return "\n".join(lines)


def source_mutation_test(report, muts: list[Mutation] | None = None) -> SourceMutationResult:
    """Apply each mutation to the report's source, parse, audit, judge (see the module doc)."""
    from xinzhou_fiscal.errors import ReportError
    t0 = time.perf_counter()
    src = Source(report)
    base = findings_index(report)
    rows = []
    for m in (mutations(report) if muts is None else muts):
        t = report.tables.get(m.table)
        labels = tuple(x for x in ((t.label, t.number, t.title, m.table) if t else ()) if x)
        try:
            mutated = src.build(m)
        except ReportError as exc:          # the parser refused the mutated document, naming the place
            rows.append(_row(m, True, [f"refused: {exc}"], []))
            continue
        detected, hits, noise = judge_mutation(base, mutated, m, labels)
        rows.append(_row(m, detected, hits, noise))
    return SourceMutationResult(report.report_id, pd.DataFrame(rows), time.perf_counter() - t0)


def _row(m: Mutation, detected: bool, hits: list[str], noise: list[str]) -> dict:
    return {"kind": m.kind, "op": m.op, "lines": ",".join(map(str, sorted(m.place)))[:40], "table": m.table,
            "beyond_rounding": m.beyond_rounding, "detected": detected, "found": "; ".join(hits[:3]),
            "noise": len(noise), "noise_findings": "; ".join(noise[:3])}
