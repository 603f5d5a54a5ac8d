"""The audit's findings for people: a terminal listing, Markdown, and an HTML audit report.

A listing opens with one summary line (counts by severity, what is shown, what could not be
checked), then one block per finding::

    [1/38] 错误 error · narrative.yoy_rate
      where   情况说明 · line 460
      figures printed 17.10 % · recomputed 17.1523 % · diff -0.0523 · tol 0.0119
      情况说明第 460 行 住房保障支出 同比增减率：应为 17.1523%（…），印刷为 17.10%…

No line is wider than ``width`` terminal columns: widths are counted in cells (a CJK character
takes two) with :func:`rich.cells.cell_len`, never with ``len()``. Errors and warnings are shown
by default; ``severities`` chooses others (``("all",)`` for every finding).

The summary line quotes the audit's coverage (:func:`xinzhou_fiscal.audit_lead`): how many
identities and narrative claims were checked, and what could not be checked.

Every function takes the findings as :func:`xinzhou_fiscal.audit`'s DataFrame or as
:func:`xinzhou_fiscal.checks.findings_records`' list of dicts (no pandas needed then).
"""
from __future__ import annotations

import html
import math
import os
import re
import shutil
import sys
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Iterable, Union

from rich.cells import cell_len

from xinzhou_fiscal import patterns

if TYPE_CHECKING:
    import pandas as pd

Findings = Union["pd.DataFrame", list]      # the findings DataFrame, or finding records

DEFAULT_SEVERITIES = ("error", "warning")
ALL_SEVERITIES = ("error", "warning", "info", "ok")
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示", "ok": "通过"}
FORMATS = ("text", "json", "csv", "markdown")
_NO_LINE_START = set("，。；：、）」』》？！,.;:)")
_TOKEN = patterns.compile(r"[A-Za-z0-9_.,:%+\-/()\[\]]+|\s+|.", re.S)


# --------------------------------------------------------------------------- selection

def severities_for(chosen: Iterable[str] | None = None, everything: bool = False) -> tuple[str, ...]:
    """The severities to show: ``everything`` → all; ``chosen`` (``all`` allowed); else errors
    and warnings. An unknown severity raises ValueError naming the valid ones."""
    if everything:
        return ALL_SEVERITIES
    chosen = [s.strip().lower() for c in (chosen or ()) for s in str(c).split(",") if s.strip()]
    if not chosen:
        return DEFAULT_SEVERITIES
    if "all" in chosen:
        return ALL_SEVERITIES
    bad = [s for s in chosen if s not in ALL_SEVERITIES]
    if bad:
        raise ValueError(f"unknown severity {', '.join(bad)}: use {', '.join(ALL_SEVERITIES)} or all")
    return tuple(s for s in ALL_SEVERITIES if s in chosen)


def select(findings: "Findings", severities: Iterable[str]) -> "Findings":
    """The findings of the given severities, in the audit's order (errors first)."""
    if isinstance(findings, list):
        return [r for r in findings if str(r["severity"]) in set(severities)]
    if findings.empty:
        return findings
    return findings[findings["severity"].astype(str).isin(list(severities))]


def coverage_line(report: Any, budget=None) -> str:
    """What the audit checked and could not check, in one line (:func:`xinzhou_fiscal.audit_lead`):
    ``checked N identities and K of M narrative claims: …; cannot check: …``; ``budget``: the budget
    the audit was given (:func:`xinzhou_fiscal.checks.audit`)."""
    from xinzhou_fiscal.checks.coverage import audit_lead
    return audit_lead(report, budget)


def summary_line(findings: "Findings", report_id: str, shown: Iterable[str], coverage: str = "") -> str:
    """``<id>: 27 error · 12 warning · 27 info — showing error, warning`` (+ coverage)."""
    sev = _severities(findings)
    counts = " · ".join(f"{sev.count(s)} {s}" for s in ("error", "warning", "info"))
    text = f"{report_id}: {counts} — showing {', '.join(shown)}"
    return text + (f"; {coverage}" if coverage else "")


def _severities(findings: Findings) -> list[str]:
    if isinstance(findings, list):
        return [str(r["severity"]) for r in findings]
    return findings["severity"].astype(str).tolist() if len(findings) else []


def _rows(findings: Findings):
    """Each finding with its fields as attributes (``f.rule``, ``f.message`` …)."""
    if isinstance(findings, list):
        return [SimpleNamespace(**r) for r in findings]
    return findings.itertuples(index=False)


# --------------------------------------------------------------------------- text blocks

def terminal_width(default: int = 80) -> int:
    """``$COLUMNS`` when set; the terminal's width when stdout is one; else ``default`` (80)."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    if sys.stdout.isatty():
        return shutil.get_terminal_size((default, 24)).columns
    return default


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """``text`` wrapped to ``width`` terminal cells (CJK counts two), breaking between CJK
    characters or at spaces; a Latin word longer than a line is cut."""
    first = indent if first is None else first
    lines, cur = [], first
    room = lambda prefix: max(8, width - cell_len(prefix))  # noqa: E731
    for tok in _TOKEN.findall(" ".join(str(text).split())):
        if tok.isspace():
            if cell_len(cur) < width and cur.strip():
                cur += " "
            continue
        while cell_len(tok) > room(indent):  # cut an over-long token
            head = ""
            for ch in tok:
                if cell_len(cur) + cell_len(head + ch) > width:
                    break
                head += ch
            if not head:
                lines.append(cur.rstrip())
                cur = indent
                continue
            lines.append((cur + head).rstrip())
            cur, tok = indent, tok[len(head):]
        if cell_len(cur) + cell_len(tok) > width:
            carry = ""
            if tok in _NO_LINE_START and cell_len(cur) > cell_len(indent) + 2:
                cur, carry = cur[:-1], cur[-1]  # a closing mark never opens a line
            lines.append(cur.rstrip())
            cur = indent + carry
        cur += tok
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def _float(v: Any) -> float | None:
    """``v`` as a number, or None (not a number, or NaN)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _num(v: Any, unit: str = "") -> str:
    f = _float(v)
    if f is None:
        return ""
    text = f"{f:,.2f}" if abs(f - round(f, 2)) < 1e-9 else f"{f:,.4f}"
    return f"{text} {unit}".rstrip()


def where(finding: Any) -> str:
    """Table(s), line(s) and page(s) of a finding: ``<table name>, 情况说明 · line 172, 269 · page 13, 21``."""
    pages = sorted({int(e["page"]) for e in (getattr(finding, "evidence", None) or [])    # this report's pages
                    if e.get("page") is not None and e.get("page") == e.get("page") and e.get("source") != "budget"})
    parts = [str(getattr(finding, "tables", "") or getattr(finding, "subject", "") or "")]
    if getattr(finding, "lines", ""):
        parts.append(f"line {finding.lines}")
    if pages:
        parts.append(f"page {', '.join(map(str, pages))}")
    return " · ".join(p for p in parts if p)


def figures(finding: Any) -> str:
    """``printed X · recomputed Y · diff D · tol T`` (labels when the figures are not numbers)."""
    unit = str(getattr(finding, "unit", "") or "")
    printed = _num(finding.actual, unit) or str(getattr(finding, "actual_label", "") or "")
    expected = _num(finding.expected, unit) or str(getattr(finding, "expected_label", "") or "")
    bits = [f"printed {printed}" if printed else "", f"recomputed {expected}" if expected else "",
            f"diff {_num(finding.difference)}" if _num(finding.difference) else "",
            f"tol {_num(finding.tolerance)}" if _num(finding.tolerance) else ""]
    return " · ".join(b for b in bits if b)


def text_blocks(findings: "Findings", width: int) -> list[str]:
    """One block per finding (severity and rule; where; figures; the sentence), ≤ ``width`` cells."""
    lines: list[str] = []
    total = len(findings)
    for i, f in enumerate(_rows(findings), 1):
        sev = str(f.severity)
        lines += wrap(f"[{i}/{total}] {SEVERITY_NAMES.get(sev, sev)} {sev} · {f.rule}", width, "  ")
        loc = where(f)
        if loc:
            lines += wrap(loc, width, " " * 10, first="  where   ")
        fig = figures(f)
        if fig:
            lines += wrap(fig, width, " " * 10, first="  figures ")
        lines += wrap(f.message, width, "  ")
        lines.append("")
    return lines


def render_text(findings: "Findings", report_id: str, severities: Iterable[str] = DEFAULT_SEVERITIES,
                width: int | None = None, coverage: str = "") -> str:
    """The terminal listing: summary line, then one block per finding of ``severities``."""
    width = width or terminal_width()
    shown = select(findings, severities)
    lines = wrap(summary_line(findings, report_id, severities, coverage), width, "  ", first="")
    lines.append("")
    lines += text_blocks(shown, width) if len(shown) else ["  (no finding of these severities)", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- markdown and html

def _md_cell(v: Any) -> str:
    return str(v).replace("|", "\\|").replace("\n", " ")


def render_markdown(findings: "Findings", report_id: str, severities: Iterable[str] = DEFAULT_SEVERITIES,
                    coverage: str = "") -> str:
    """A Markdown section: the summary line and a table (severity, rule, where, printed,
    recomputed, difference, tolerance, sentence)."""
    shown = select(findings, severities)
    out = [f"## Audit · {report_id}", "", summary_line(findings, report_id, severities, coverage), "",
           "| # | severity | rule | where | printed | recomputed | diff | tol | finding |",
           "|---|---|---|---|---|---|---|---|---|"]
    for i, f in enumerate(_rows(shown), 1):
        unit = str(f.unit or "")
        cells = [i, f.severity, f.rule, where(f), _num(f.actual, unit) or f.actual_label or "",
                 _num(f.expected, unit) or f.expected_label or "", _num(f.difference), _num(f.tolerance), f.message]
        out.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return "\n".join(out) + "\n"


_HTML_STYLE = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:70em;margin:2em auto;
color:#222;line-height:1.5}table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
td.n{text-align:right;white-space:nowrap}.error{color:#b00}.warning{color:#a60}.info{color:#555}
"""


#: units of counts: shown as whole numbers (18 个, never 18.00 个)
COUNT_UNITS = frozenset("个辆台人条项次套处张家")


def number_zh(v: Any, unit: str = "") -> str:
    """A figure for readers: a count (:data:`COUNT_UNITS`) as a whole number, any other figure
    (万元, %) with two decimals and thousands separators; "" for no number."""
    f = _float(v)
    if f is None:
        return ""
    text = f"{f:,.0f}" if unit in COUNT_UNITS and f == round(f) else f"{f:,.2f}"
    return f"{text} {unit}".rstrip() if unit != "%" else f"{text}%"


def rule_name(rule_id: str) -> str:
    """A rule in words (its registered Chinese title), never its code."""
    from xinzhou_fiscal.checks.registry import RULES
    r = RULES.get(str(rule_id))
    return r.title if r is not None else str(rule_id)


def in_words(text: str) -> str:
    """``text`` with every rule code it quotes (``perf.total_score``) replaced by the rule in words."""
    from xinzhou_fiscal.checks.registry import RULES
    return patterns.compile(r"\b[a-z_]+\.[a-z_]+\b").sub(lambda m: f"“{RULES[m.group(0)].title}”" if m.group(0) in RULES
                  else m.group(0), str(text))


def where_zh(finding: Any) -> str:
    """Where a finding's figures are printed, in Chinese, one place per figure of its evidence:
    ``财政拨款收入支出决算总表第172行（第13页）、情况说明第269行（第21页）``."""
    places = []
    for e in getattr(finding, "evidence", None) or []:
        line, page = e.get("line"), e.get("page")
        if line is None or line != line:
            continue
        where = f"{e.get('table_no') or ''}第{int(line)}行"
        places.append(where + (f"（第{int(page)}页）" if page is not None and page == page else ""))
    if places:
        return "、".join(dict.fromkeys(places))
    tables = str(getattr(finding, "tables", "") or getattr(finding, "subject", "") or "").replace(", ", "、")
    lines = str(getattr(finding, "lines", "") or "")
    return tables + (f"第{lines.replace(', ', '、')}行" if lines else "")


def summary_zh(findings: "Findings", coverage: str = "") -> str:
    """The audit report's heading line, in Chinese, counted from the findings themselves:
    ``错误 27 个 · 警告 12 个 · 尾差等提示 24 条；复算勾稽关系 224 项 …``."""
    sev = _severities(findings)
    n = {s: sev.count(s) for s in ("error", "warning", "info")}
    text = f"错误 {n['error']} 个 · 警告 {n['warning']} 个 · 尾差等提示 {n['info']} 条"
    return text + (f"；{coverage}" if coverage else "")


def render_html(findings: "Findings", report: Any, severities: Iterable[str] = DEFAULT_SEVERITIES,
                coverage: str = "", generated: str = "", source: str = "", annotated_pdf: str = "") -> str:
    """A standalone HTML audit report of one department, in Chinese: title, source, the summary
    line, and one table row per finding (printed and recomputed figures, where they are printed);
    ``annotated_pdf`` names the PDF copy with every finding boxed, linked when given. ``coverage``
    is :func:`~xinzhou_fiscal.checks.coverage.coverage_zh`."""
    title = f"{getattr(report, 'department', '')} {getattr(report, 'year', '')} 年度部门决算 · 审核报告"
    shown = select(findings, severities)
    rows = []
    for i, f in enumerate(_rows(shown), 1):
        unit = str(f.unit or "")
        sev = str(f.severity)
        cells = [str(i), f"<span class=\"{html.escape(sev)}\">{SEVERITY_NAMES.get(sev, sev)}</span>",
                 html.escape(rule_name(f.rule)), html.escape(where_zh(f))]
        nums = [number_zh(f.actual, unit) or str(f.actual_label or ""),
                number_zh(f.expected, unit) or str(f.expected_label or ""),
                number_zh(f.difference, unit), number_zh(f.tolerance, unit)]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells)
                    + "".join(f"<td class=\"n\">{html.escape(n)}</td>" for n in nums)
                    + f"<td>{html.escape(in_words(f.message))}</td></tr>")
    head = ("<tr><th>#</th><th>严重程度</th><th>核对项目</th><th>位置（表 · 行 · 页）</th><th>印刷数</th>"
            "<th>复算数</th><th>差额</th><th>容差</th><th>说明</th></tr>")
    meta = " · ".join(x for x in (source, f"生成于 {generated}" if generated else "") if x)
    pdf = (f'<p>在原报告上逐条标出这些错误和警告的 PDF：<a href="{html.escape(annotated_pdf)}">'
           f"{html.escape(annotated_pdf)}</a></p>\n") if annotated_pdf else ""
    return (f"<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{_HTML_STYLE}</style></head><body>\n<h1>{html.escape(title)}</h1>\n"
            f"<p>{html.escape(meta)}</p>\n<p><b>{html.escape(summary_zh(findings, coverage))}</b></p>\n{pdf}"
            f"<table>\n<thead>{head}</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>\n"
            "<p><small>印刷数：报告中印出的数字；复算数：按勾稽关系由其他印刷数字算出的数；金额单位万元。"
            "</small></p>\n</body></html>\n")
