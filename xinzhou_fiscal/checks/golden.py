"""The golden evaluation: hand-made labels of the real reports against what the audit finds.

The labels live in ``tests/golden/*.toml`` (one file per report, format in tests/golden/README.md).
Each label was checked by hand against the document and carries the printed figures and where they
are printed (text line, PDF page), so a reviewer can re-check it. Four kinds:

- ``error``        a real error of the document (a figure the document itself contradicts);
- ``false_error``  an error the audit raised that the document shows is not one (a defect of the
                   reader or of a rule, listed so that it is counted, never to excuse it);
- ``rounding``     a difference that printed precision explains (a note, never an error);
- ``holds``        an identity checked by hand that holds (an error on it is a false error).

A finding matches a label when the rule family (the prefix of ``rule``: ``narrative``, ``perf`` …)
is the same, the location is the same (a label line among the finding's lines or evidence lines, or
a label page among its evidence pages — a finding that names no place, such as a missing part, is not
compared by place; the ``keywords`` all in its subject and message) and the
figures are the same (the label's ``printed`` is one side of the finding, within
:data:`FIGURE_TOLERANCE`, and one of its ``expected`` the other side). Precision counts the audit's
errors that match an ``error`` label; recall counts the ``error`` labels that some error matches;
``as_warning`` counts the ``error`` labels found only as a warning;
``holds_checked`` counts the ``holds`` labels that a passed check (or a rounding note) covers. A report the reader refuses is ``unread`` (its labels wait), never a recall of 0.
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: label kinds and the TOML array that holds each
LABEL_KINDS = ("error", "false_error", "rounding", "holds")
#: two figures are the same when they differ by at most this (a label writes the recomputed side at
#: the printed precision, the audit keeps every decimal: 17.15 for 17.1523)
FIGURE_TOLERANCE = 0.0051


@dataclass(frozen=True)
class Label:
    """One hand-checked fact about a report. Amounts in the unit the document prints them in (万元
    after the reader's conversion for the seed and Putuo; % for rates; 分 for scores)."""

    kind: str
    family: str                      # the rule family: prefix of the audit's rule id
    where: str                       # human-readable location: table, row, line or page
    evidence: str                    # the document's words and figures, quoted
    rule: str = ""                   # the rule id expected to find it (informative)
    lines: tuple[int, ...] = ()      # text reports: line numbers of the source file
    pages: tuple[int, ...] = ()      # PDFs: page numbers (1-based)
    keywords: tuple[str, ...] = ()   # words that must all appear in the finding's subject/message
    printed: float | None = None     # the figure as printed (one side)
    expected: tuple[float, ...] = () # the other side: printed elsewhere or recomputed (any of these)

    def figures_match(self, expected: float | None, actual: float | None) -> bool:
        """Does a finding's pair (expected, actual) hold this label's figures, in either order?"""
        if self.printed is None:
            return True
        sides = [(actual, expected), (expected, actual)]
        for mine, other in sides:
            if _same(self.printed, mine) and (not self.expected or any(_same(e, other) for e in self.expected)):
                return True
        return False


@dataclass
class GoldenReport:
    """The labels of one report file (``path`` relative to the project root)."""

    name: str
    path: str
    title: str
    labels: list[Label] = field(default_factory=list)
    source: Path | None = None

    def of_kind(self, kind: str) -> list[Label]:
        return [lab for lab in self.labels if lab.kind == kind]


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if math.isnan(a) or math.isnan(b):
        return False
    # a rate printed “下降1.87%” is 1.87 in a label and −1.87 in a signed recomputation
    return abs(a - b) <= FIGURE_TOLERANCE or abs(abs(a) - abs(b)) <= FIGURE_TOLERANCE


def _ints(value) -> tuple[int, ...]:
    if value is None:
        return ()
    return tuple(int(v) for v in (value if isinstance(value, list) else [value]))


def _floats(value) -> tuple[float, ...]:
    if value is None:
        return ()
    return tuple(float(v) for v in (value if isinstance(value, list) else [value]))


def _label(kind: str, raw: dict, file: Path) -> Label:
    missing = [k for k in ("family", "where", "evidence") if not raw.get(k)]
    if missing:
        raise ValueError(f"{file.name}: a [[{kind}]] label lacks {', '.join(missing)}: {raw}")
    if not raw.get("line") and not raw.get("page") and not raw.get("keywords"):
        raise ValueError(f"{file.name}: a [[{kind}]] label has no location (line, page or keywords): {raw}")
    return Label(kind=kind, family=raw["family"], where=raw["where"], evidence=raw["evidence"],
                 rule=raw.get("rule", ""), lines=_ints(raw.get("line")), pages=_ints(raw.get("page")),
                 keywords=tuple(raw.get("keywords", ())),
                 printed=float(raw["printed"]) if raw.get("printed") is not None else None,
                 expected=_floats(raw.get("expected")))


def load_golden(directory: Path) -> list[GoldenReport]:
    """Every ``*.toml`` label file of a folder, sorted by name."""
    out = []
    for file in sorted(Path(directory).glob("*.toml")):
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        head = data.get("report", {})
        if not head.get("path"):
            raise ValueError(f"{file.name}: [report] needs a path")
        labels = [_label(kind, raw, file) for kind in LABEL_KINDS for raw in data.get(kind, [])]
        out.append(GoldenReport(name=file.stem, path=head["path"], title=head.get("title", ""),
                                labels=labels, source=file))
    return out


def family_of(rule: str) -> str:
    """The rule family: ``narrative.yoy_rate`` → ``narrative``."""
    return str(rule).split(".", 1)[0]


def _finding_lines(row) -> set[int]:
    lines = {int(x) for x in str(row.get("lines", "") or "").replace("，", ",").split(",") if x.strip().isdigit()}
    for e in row.get("evidence") or []:
        if e.get("line"):
            lines.add(int(e["line"]))
    return lines


def _finding_pages(row) -> set[int]:
    return {int(e["page"]) for e in (row.get("evidence") or []) if e.get("page")}


def matches(label: Label, row) -> bool:
    """Does one audit finding (a row of ``xf.audit(...)`` as a dict) match a label?"""
    if family_of(row.get("rule", "")) != label.family:
        return False
    lines, pages = _finding_lines(row), _finding_pages(row)
    placed = (label.lines or label.pages) and (lines or pages)   # a missing part names no place to compare
    if placed and not (set(label.lines) & lines or set(label.pages) & pages):
        return False
    text = f"{row.get('subject', '')} {row.get('message', '')}".replace(" ", "")
    if any(k.replace(" ", "") not in text for k in label.keywords):
        return False
    return label.figures_match(row.get("expected"), row.get("actual"))


def judge_findings(golden: GoldenReport, findings: pd.DataFrame) -> pd.DataFrame:
    """One row per finding of the audit: its family, severity and verdict — ``true`` (matches an
    ``error`` label), ``false`` (matches a ``false_error`` or ``holds`` label), ``rounding`` (matches
    a ``rounding`` label) or ``unlabelled``. Passed checks (severity ``ok``) are left out."""
    rows = []
    for row in findings.to_dict("records"):
        if row.get("severity") == "ok":
            continue
        verdict, label = "unlabelled", None
        for kind, name in (("error", "true"), ("false_error", "false"), ("holds", "false"), ("rounding", "rounding")):
            hit = next((lab for lab in golden.of_kind(kind) if matches(lab, row)), None)
            if hit is not None:
                verdict, label = name, hit
                break
        rows.append({"report": golden.name, "rule": row.get("rule"), "family": family_of(row.get("rule", "")),
                     "severity": row.get("severity"), "verdict": verdict, "subject": row.get("subject", ""),
                     "label": label.where if label else ""})
    return pd.DataFrame(rows, columns=["report", "rule", "family", "severity", "verdict", "subject", "label"])


def found_labels(golden: GoldenReport, findings: pd.DataFrame, kind: str = "error",
                 severities: tuple[str, ...] = ("error",)) -> list[tuple[Label, bool]]:
    """Each label of a kind, and whether a finding of one of the severities matches it."""
    rows = [r for r in findings.to_dict("records") if r.get("severity") in severities]
    return [(lab, any(matches(lab, r) for r in rows)) for lab in golden.of_kind(kind)]


def read_and_audit(path: Path):
    """(findings with the passed checks, None) for a report that reads, (None, reason) for one the
    reader refuses."""
    from xinzhou_fiscal.checks import audit
    from xinzhou_fiscal.errors import XinzhouFiscalError
    from xinzhou_fiscal.report.parse import read_report
    try:
        report = read_report(path)
    except XinzhouFiscalError as exc:
        return None, str(exc).splitlines()[0]
    return audit(report, include_passed=True), None


SCORE_COLUMNS = ["report", "family", "status", "errors", "true", "false", "unlabelled", "precision",
                 "labelled", "found", "recall", "as_warning", "roundings", "rounding_as_error", "holds", "holds_checked"]


def _ratio(num: int, den: int) -> float:
    return num / den if den else float("nan")


def score_report(golden: GoldenReport, findings: pd.DataFrame) -> pd.DataFrame:
    """Precision and recall of one report that reads, per rule family and overall (family ``*``)."""
    judged = judge_findings(golden, findings)
    errors = judged[judged["severity"] == "error"]
    found = found_labels(golden, findings)
    warned = found_labels(golden, findings, "error", ("warning",))
    roundings = found_labels(golden, findings, "rounding", ("error",))
    holds = found_labels(golden, findings, "holds", ("ok", "info"))
    families = sorted(set(errors["family"]) | {lab.family for lab in golden.labels})
    rows = []
    for fam in [*families, "*"]:
        def mine(fam_of, fam=fam):
            return fam == "*" or fam_of == fam
        e = errors[errors["family"].map(mine)] if len(errors) else errors
        f = [hit for lab, hit in found if mine(lab.family)]
        w = [hit and not got for (lab, hit), (_, got) in zip(warned, found) if mine(lab.family)]
        r = [hit for lab, hit in roundings if mine(lab.family)]
        h = [hit for lab, hit in holds if mine(lab.family)]
        n_true = int((e["verdict"] == "true").sum())
        rows.append({"report": golden.name, "family": fam, "status": "read", "errors": len(e), "true": n_true,
                     "false": int(e["verdict"].isin(["false", "rounding"]).sum()),
                     "unlabelled": int((e["verdict"] == "unlabelled").sum()),
                     "precision": _ratio(n_true, len(e)), "labelled": len(f), "found": sum(f),
                     "recall": _ratio(sum(f), len(f)), "as_warning": sum(w), "roundings": len(r), "rounding_as_error": sum(r),
                     "holds": len(h), "holds_checked": sum(h)})
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def evaluate(reports: list[GoldenReport], root: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(scores, judged findings) of every labelled report. A report whose file is absent is
    ``absent``; one the reader refuses is ``unread`` with the reason in ``family``."""
    scores, judged = [], []
    for golden in reports:
        path = (Path(root) / golden.path).resolve()
        if not path.is_file():
            scores.append(pd.DataFrame([{"report": golden.name, "family": "", "status": "absent"}]))
            continue
        findings, reason = read_and_audit(path)
        if findings is None:
            n = len(golden.of_kind("error"))
            scores.append(pd.DataFrame([{"report": golden.name, "family": reason, "status": "unread",
                                         "labelled": n, "roundings": len(golden.of_kind("rounding"))}]))
            continue
        scores.append(score_report(golden, findings))
        judged.append(judge_findings(golden, findings))
    score = pd.concat(scores, ignore_index=True).reindex(columns=SCORE_COLUMNS)
    counts = ["errors", "true", "false", "unlabelled", "labelled", "found", "as_warning", "roundings", "rounding_as_error",
              "holds", "holds_checked"]
    score[counts] = score[counts].astype("Int64")
    found = pd.concat(judged, ignore_index=True) if judged else judge_findings(GoldenReport("", "", ""), pd.DataFrame())
    return score, found
