"""Checks, findings and their evidence; the findings DataFrame and its JSON/CSV/text renderings."""
from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from xinzhou_fiscal.checks.tolerance import INTERVAL, MIXED, TRUNCATED, Num, fmt, judge
from xinzhou_fiscal.templates.names import fill

if TYPE_CHECKING:
    import pandas as pd

SEVERITIES = ("error", "warning", "info", "ok")

FINDING_COLUMNS = [
    "finding_id", "rule", "severity", "category", "subject", "message", "expected", "actual",
    "difference", "tolerance", "unit", "expected_label", "actual_label", "expected_source",
    "actual_source", "tables", "lines", "evidence",
    # added by issue #23 (existing columns keep their names and order)
    "rounding", "caused_by", "consequences",
]
EVIDENCE_COLUMNS = ["finding_id", "rule", "severity", "side", "source", "table", "table_no", "section",
                    "code", "item", "measure", "printed", "value", "line", "page"]


@dataclass(frozen=True)
class Evidence:
    """Where one input of a check was printed. ``source`` is table / narrative / performance / text,
    or budget (a figure of the budget document a final is checked against: its line and page are that
    document's)."""

    source: str
    table: str = ""          # table key (income, …) or the self-evaluation table's project
    table_no: str = ""       # the table's name ({t:general_budget_basic}, filled from the template), 绩效自评表, 情况说明 …
    section: str = ""
    code: str = ""
    item: str = ""
    measure: str = ""
    printed: str = ""        # the cell/text as printed ("" for a blank cell, read as 0)
    value: float | None = None
    line: int | None = None
    page: int | None = None
    doubt: str = ""          # why the reader doubts this reading (a wrap it guessed, a cut cell …)

    def short(self) -> str:
        where = " ".join(p for p in (self.table_no, self.code, self.item, self.measure) if p)
        at = f" @{self.line}" if self.line else ""
        if self.source == "table" and self.measure:
            return f"{where} = {self.printed or '空白(0)'}{at}"
        if self.source == "table":
            return f"{where}{at}"
        return f"{where}：{self.printed}{at}" if self.printed else f"{where}{at}"


@dataclass
class Check:
    """One evaluated identity. A rule yields checks; :func:`evaluate` turns each into a finding row.

    Numeric checks give ``expected`` (recomputed) and ``actual`` (printed) as :class:`Num`;
    the verdict comes from the tolerance policy. Non-numeric checks (a missing table, a grade, a
    year in the text) give ``status`` and the labels directly.
    """

    rule: str
    subject: str
    what: str                                  # the identity, in Chinese
    expected: Num | None = None
    actual: Num | None = None
    relation: str = "eq"                       # eq | ge | le
    broken: str = "error"                      # severity when broken beyond tolerance
    unit: str = "万元"
    expected_desc: str = ""                    # how expected was obtained ("13 个款之和")
    actual_desc: str = ""                      # what actual is ("类 302 印刷数")
    status: str | None = None                  # non-numeric checks: ok | info | warning | error
    expected_label: str = ""
    actual_label: str = ""
    note: str = ""                             # extra explanation appended to the message
    underlying: Num | None = None              # for two printings of one quantity: what both were rounded from
    evidence_expected: tuple = field(default=())
    evidence_actual: tuple = field(default=())
    doubt: str = ""                            # why the reader doubts the reading the check rests on
    coverage: str = ""                         # a note that checked nothing: "not applicable" | "cannot check"


_COUNT_UNITS = ("个", "辆", "台（套）", "批次", "人次")


def _fmt_u(x: float, unit: str) -> str:
    return fmt(x, 0) if unit in _COUNT_UNITS and abs(x - round(x)) < 1e-9 else fmt(x)


def _num_label(n: Num | None, unit: str) -> str:
    if n is None:
        return ""
    if n.printed is not None:
        return n.printed or "空白(0)"
    return _fmt_u(n.value, unit)


def _with_unit(label: str, n: Num | None, unit: str) -> str:
    """A figure's words with its unit: a figure printed in another unit than the check's (元 in a
    万元 check) keeps its printed unit, followed by its value in the check's unit — never 元 digits
    labelled 万元 (``24,840,779元（2,484.0779万元）``)."""
    if label == "空白(0)":
        return label
    if n is not None and n.printed_unit and label == n.printed:
        return f"{label}{n.printed_unit}（{fmt(n.value, 4)}{unit}）"
    return f"{label}{unit}"


def doubt(c: Check) -> str:
    """Why the reader doubts a reading this check rests on ("" when it does not): the first
    doubt of its evidence (a wrap guessed from the text, a cut cell, a guessed column)."""
    if c.doubt:
        return c.doubt
    for e in (*c.evidence_expected, *c.evidence_actual,
              *(c.expected.evidence if c.expected is not None and not c.evidence_expected else ()),
              *(c.actual.evidence if c.actual is not None and not c.evidence_actual else ())):
        if getattr(e, "doubt", ""):
            return e.doubt
    return ""


def verdict(c: Check) -> tuple[str, float, float, str]:
    """(severity, difference, tolerance, rounding method) of a check under the tolerance policy;
    the method (tolerance.ROUNDING_METHODS) is "" unless the figures differ by rounding. An error
    whose evidence the reader doubts is a warning (:func:`doubt`)."""
    severity, diff, tol, method = _verdict(c)
    if severity == "error" and doubt(c):
        severity = "warning"
    return severity, diff, tol, method


def _verdict(c: Check) -> tuple[str, float, float, str]:
    if c.status is not None:
        if c.expected is not None and c.actual is not None:
            return c.status, round(c.actual.value - c.expected.value, 9), c.expected.err + c.actual.err, ""
        return c.status, math.nan, math.nan, ""
    v = judge(c.expected, c.actual, c.relation, c.underlying)
    if v.status == "one_unit":       # a copy one unit apart: two methods or a typo (settle_one_unit_gaps)
        return "warning", v.difference, v.tolerance, MIXED
    severity = {"ok": "ok", "info": "info", "broken": c.broken}[v.status]
    return severity, v.difference, v.tolerance, v.method if severity == "info" else ""


def settle_one_unit_gaps(judged: list[tuple[Check, tuple]]) -> list[tuple[Check, tuple]]:
    """The document-level half of the ``one_unit`` verdict (tolerance module doc): a copy printed
    one unit apart is a warning (two rounding methods or a typo), and a rounding note naming the
    two methods (:data:`~xinzhou_fiscal.checks.tolerance.MIXED`) when the same document prints a
    figure that is provably truncated (a 截尾 verdict), which the note cites. ``judged``: (check,
    verdict) pairs of one report."""
    truncated = next((c for c, v in judged if v[0] == "info" and v[3] == TRUNCATED), None)
    if truncated is None:
        return judged
    where = f"{fill(truncated.subject, None)} 印刷 {truncated.actual.label()}"
    out = []
    for c, v in judged:
        if v[0] == "warning" and v[3] == MIXED:
            c = copy.copy(c)            # checks may be shared between audits (textscan.document_rule)
            c.note = "；".join(filter(None, (c.note, f"本报告另有截尾印刷的数（{where}）")))
            v = ("info", v[1], v[2], MIXED)
        out.append((c, v))
    return out


def _rounding_note(method: str, diff: float, tol: float, unit: str, pct: str) -> str:
    """The message's tail for a rounding difference, naming how it arose."""
    gap = f"相差 {_fmt_u(abs(diff), unit)}{pct}"
    if method == MIXED:
        return f"{gap}，恰为一个印刷单位：同一数额两处印刷，{method}：属尾数误差，不是错误"
    if method == INTERVAL:
        return f"{gap}，不超过四舍五入容差 {fmt(tol, 4)}{pct}（各数分别取整后运算）：属尾数误差，不是错误"
    return f"{gap}，为按{method}印刷的结果：属尾数误差，不是错误"


def _one_unit_gap(diff: float, unit: str, pct: str) -> str:
    """The message's tail for a copy printed one unit apart with no sign of a second rounding method."""
    return (f"相差 {_fmt_u(abs(diff), unit)}{pct}，恰为一个印刷单位：同一数额两处印刷，按同一取整方法应完全相同；"
            "可能是两处取整方法不同（一处四舍五入、一处截尾），也可能是录入错误。本报告未见截尾印刷的数，"
            "不能断定为尾数误差，须核对")


def finding_id(c: Check) -> str:
    """The stable id of a check's finding: rule and subject, tables named as the reference template
    names them whatever the report's template."""
    return f"{c.rule}|{fill(c.subject, None)}"


#: the finding's words that name tables (placeholders filled from the report's template)
_NAMING_FIELDS = ("subject", "message", "expected_label", "actual_label", "expected_source", "actual_source")


def evaluate(c: Check, verdict_: tuple[str, float, float, str] | None = None, family=None) -> dict:
    """A check → a finding record (a dict with the FINDING_COLUMNS). The check names tables by
    placeholder (:mod:`xinzhou_fiscal.templates.names`); the record names them as ``family``, the
    report's template, does (None: the reference template), except its id (:func:`finding_id`)."""
    record = _record(c, verdict_)
    record["finding_id"] = finding_id(c)
    for name in _NAMING_FIELDS:
        record[name] = fill(record[name], family)
    for e in record["evidence"]:
        e["table_no"] = fill(e["table_no"], family)
    record["tables"] = ", ".join(sorted({e["table_no"] for e in record["evidence"] if e["table_no"]}))
    return record


def _record(c: Check, verdict_: tuple[str, float, float, str] | None) -> dict:
    unit = c.unit
    u = "" if unit in ("%",) else unit
    severity, diff, tol, method = verdict_ or verdict(c)
    if c.status is not None:
        exp_v = c.expected.value if c.expected is not None else math.nan
        act_v = c.actual.value if c.actual is not None else math.nan
        exp_l = c.expected_label or _num_label(c.expected, unit)
        act_l = c.actual_label or _num_label(c.actual, unit)
        msg = f"{c.what}：{c.note}" if c.note else c.what
    else:
        exp_v, act_v = c.expected.value, c.actual.value
        exp_l = c.expected_label or _num_label(c.expected, unit)
        act_l = c.actual_label or _num_label(c.actual, unit)
        pct = "个百分点" if unit == "%" else u
        su = "%" if unit == "%" else u
        e_txt = exp_l if c.expected.is_printed else _fmt_u(exp_v, unit)
        a_txt = _with_unit(act_l, c.actual, su)
        e_txt = _with_unit(e_txt, c.expected if c.expected.is_printed else None, su)
        lead = {"eq": "应为", "ge": "下限", "le": "上限"}[c.relation]
        head = f"{c.what}：{lead} {e_txt}（{c.expected_desc}），印刷为 {a_txt}（{c.actual_desc}）"
        if severity == "ok":
            if c.relation == "eq":
                agreed = "相符"
            else:
                agreed = "满足" + ("下限" if c.relation == "ge" else "上限")
            msg = f"{head}，{agreed}"
        elif severity == "info":
            msg = f"{head}，{_rounding_note(method, diff, tol, unit, pct)}"
            msg += f"（{c.note}）" if method == MIXED and c.note else ""
        elif method == MIXED:
            msg = f"{head}，{_one_unit_gap(diff, unit, pct)}"
        else:
            if c.relation == "eq":
                kind = "不相符"
            elif c.relation == "ge":
                kind = "低于应有的下限"
            else:
                kind = "超过应有的上限"
            tol_txt = "0（整数，无容差）" if tol == 0 else f"{fmt(tol, 4)}{pct}"
            msg = f"{head}，{kind}，相差 {_fmt_u(abs(diff), unit)}{pct}，超出四舍五入容差 {tol_txt}"
        if c.note and severity in ("error", "warning"):
            msg += f"。{c.note}"
    why = doubt(c)
    if why and severity in ("warning", "error"):
        msg += f"（读取存疑：{why}；不作为错误）"
    ev = [{"side": "expected", **e.__dict__} for e in (c.evidence_expected or (c.expected.evidence if c.expected else ()))]
    ev += [{"side": "actual", **e.__dict__} for e in (c.evidence_actual or (c.actual.evidence if c.actual else ()))]
    lines = sorted({e["line"] for e in ev if e["line"] and e["source"] != "budget"})   # this report's lines only
    return {
        "finding_id": "",
        "rule": c.rule, "severity": severity, "category": c.rule.split(".", 1)[0], "subject": c.subject,
        "message": msg, "expected": exp_v, "actual": act_v,
        "difference": diff, "tolerance": tol if tol != tol else round(tol, 9), "unit": unit,
        "expected_label": exp_l, "actual_label": act_l,
        "expected_source": "; ".join(e.short() for e in (c.evidence_expected or (c.expected.evidence if c.expected else ()))),
        "actual_source": "; ".join(e.short() for e in (c.evidence_actual or (c.actual.evidence if c.actual else ()))),
        "tables": "", "lines": ", ".join(str(x) for x in lines),
        "evidence": ev, "rounding": method if severity == "info" else "", "caused_by": "", "consequences": "",
    }


_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def sort_findings(records: list[dict]) -> list[dict]:
    """Finding records in the findings DataFrame's order: errors first, then by rule and subject."""
    return sorted(records, key=lambda r: (_ORDER.get(r["severity"], 9), r["rule"], r["subject"]))


def findings_frame(records: list[dict]) -> "pd.DataFrame":
    """Finding records → the findings DataFrame, errors first."""
    import pandas as pd

    if not records:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("expected", "actual", "difference", "tolerance")
                                          else "object") for c in FINDING_COLUMNS})
    df = pd.DataFrame.from_records(sort_findings(records), columns=FINDING_COLUMNS)
    for c in ("expected", "actual", "difference", "tolerance"):
        df[c] = df[c].astype("float64")
    return df


def evidence_frame(findings: "pd.DataFrame") -> "pd.DataFrame":
    """The evidence of every finding as a long table: one row per printed figure used, with the
    side (expected/actual) it entered, its table, code or item, measure, printed text and line."""
    import pandas as pd

    rows = []
    for r in findings.itertuples(index=False):
        for e in r.evidence or ():
            rows.append({"finding_id": r.finding_id, "rule": r.rule, "severity": r.severity,
                         **{k: e.get(k) for k in EVIDENCE_COLUMNS[3:]}})
    df = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    return df.astype({"line": "Int64", "page": "Int64"})


def _plain(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


_FLOATS = ("expected", "actual", "difference", "tolerance")


def format_findings(findings: "pd.DataFrame | list[dict]", fmt_: str = "json") -> str:
    """Render findings (the DataFrame, or finding records) for the CLI. ``json``: a list of
    objects, evidence nested; ``csv``: one row per finding, evidence flattened into
    expected_source/actual_source (UTF-8, no index); ``text``: one line per finding."""
    if isinstance(findings, list):
        if fmt_ == "csv":
            return format_findings(findings_frame(findings), fmt_)
        if fmt_ == "json":              # as the DataFrame gives them: its columns, the figures as floats
            recs = [{c: _plain(float(r[c]) if c in _FLOATS and r[c] is not None else r[c]) for c in FINDING_COLUMNS}
                    for r in findings]
            return json.dumps(recs, ensure_ascii=False, indent=1) + "\n"
        if fmt_ == "text":
            return "".join(f"[{r['severity']}] {r['rule']} {r['subject']}: {r['message']}\n" for r in findings)
    if fmt_ == "json":
        recs = [{k: _plain(v) for k, v in rec.items()} for rec in findings.to_dict("records")]
        return json.dumps(recs, ensure_ascii=False, indent=1) + "\n"
    if fmt_ == "csv":
        return findings.drop(columns=["evidence"]).to_csv(index=False)
    if fmt_ == "text":
        return "".join(f"[{r.severity}] {r.rule} {r.subject}: {r.message}\n" for r in findings.itertuples())
    raise ValueError(f"unknown format {fmt_!r}: json, csv or text")


def exit_code(findings: "pd.DataFrame | list[dict]") -> int:
    """1 when the findings (a DataFrame, or finding records) hold an error, else 0 (for the CLI)."""
    if isinstance(findings, list):
        return int(any(r["severity"] == "error" for r in findings))
    return int(bool((findings["severity"] == "error").any())) if len(findings) else 0
