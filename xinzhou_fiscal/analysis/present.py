"""Tables fit to print: the analysis frames with Chinese headers (units in the header), numbers
formatted as a reader expects, no index column, and a printed blank left blank.

* 万元 amounts: thousands separators and two decimals (``2,795.38``);
* percentages: two decimals, the % sign in the header (``25.56``);
* counts: whole numbers; scores: two decimals;
* a cell the source prints blank (named in the frame's ``blank`` column, see
  :mod:`.standard_tables`) is shown empty — it still counts 0 in every total;
* a figure that cannot be computed (e.g. a completion rate against a 0 budget) is shown as ``—``
  and the table's note says so. ``NaN``, ``<NA>`` and ``None`` never reach the page.

What each analysis table looks like is data (:data:`DISPLAYS`: column, header, kind); the
notebooks call :func:`show` (``xp.show("income_sources", report)``) and :func:`chart_frame` for
the charts (blank cells become NaN, so the chart leaves them out).
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import pandas as pd

from xinzhou_fiscal import patterns
from xinzhou_fiscal.templates import fill, relabel

#: Shown for a figure that cannot be computed (explained in the table's note).
NOT_APPLICABLE = "—"
BLANK_NOTE = "空白：原表该栏未填数（合计时按 0 计）。"
NA_NOTE = "—：无法计算（如分母为 0 或原文未给出）。"

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "rounding": "尾差", "info": "提示", "ok": "通过"}

_WAN, _PCT, _COUNT, _SCORE, _TEXT, _BY_UNIT, _SEVERITY, _RULE = ("wan", "pct", "count", "score", "text", "by_unit",
                                                                  "severity", "rule")
#: kinds of text: their columns are left-aligned (Chinese text reads from the left), numbers right
TEXT_KINDS = frozenset({_TEXT, _SEVERITY, _RULE})

#: analysis function → [(column, Chinese header with unit, kind)]. Columns not listed are not shown.
_COLUMNS: dict[str, list[tuple[str, str, str]]] = {
    "describe": [("field", "项目", _TEXT), ("value", "内容", _TEXT)],
    "headline": [("figure", "项目", _TEXT), ("value", "数值", _BY_UNIT), ("unit", "单位", _TEXT),
                 ("source", "来源", _TEXT)],
    "totals": [("side", "方向", _TEXT), ("item", "项目", _TEXT), ("amount", "金额（万元）", _WAN),
               ("source", "来源", _TEXT)],
    "income_sources": [("source_of_funds", "收入来源", _TEXT), ("amount", "金额（万元）", _WAN),
                       ("share_pct", "占本年收入（%）", _PCT), ("source", "来源", _TEXT)],
    "expenditure_by_function": [("code", "科目编码", _TEXT), ("name", "科目名称", _TEXT),
                                ("total", "合计（万元）", _WAN), ("basic", "基本支出（万元）", _WAN),
                                ("project", "项目支出（万元）", _WAN), ("share_pct", "占合计（%）", _PCT),
                                ("source", "来源", _TEXT)],
    "basic_project_split": [("scope", "口径", _TEXT), ("total", "合计（万元）", _WAN),
                            ("basic", "基本支出（万元）", _WAN), ("project", "项目支出（万元）", _WAN),
                            ("basic_share_pct", "基本支出占比（%）", _PCT),
                            ("project_share_pct", "项目支出占比（%）", _PCT), ("source", "来源", _TEXT)],
    "personnel_public": [("group", "类别", _TEXT), ("computed", "分项相加（万元）", _WAN),
                         ("printed", "表中合计（万元）", _WAN), ("share_pct", "占比（%）", _PCT),
                         ("source", "来源", _TEXT)],
    "economic_classes": [("code", "经济分类", _TEXT), ("name", "名称", _TEXT), ("group", "类别", _TEXT),
                         ("amount", "金额（万元）", _WAN), ("share_pct", "占基本支出（%）", _PCT),
                         ("source", "来源", _TEXT)],
    "three_public": [("item", "项目", _TEXT), ("budget", "预算数（万元）", _WAN), ("actual", "决算数（万元）", _WAN),
                     ("completion_pct", "决算占预算（%）", _PCT), ("source", "来源", _TEXT)],
    "related_info": [("item", "项目", _TEXT), ("value", "数值", _BY_UNIT), ("unit", "单位", _TEXT)],
    "procurement": [("item", "采购类别", _TEXT), ("amount", "金额（万元）", _WAN), ("share_pct", "占合计（%）", _PCT),
                    ("source", "来源", _TEXT)],
    "vehicles": [("item", "项目", _TEXT), ("count", "数量（辆/台套）", _COUNT), ("source", "来源", _TEXT)],
    "budget_completion": [("scope", "层级", _TEXT), ("subject", "科目", _TEXT), ("budget", "年初预算（万元）", _WAN),
                          ("actual", "决算数（万元）", _WAN), ("completion_pct", "完成率·复算（%）", _PCT),
                          ("stated_pct", "完成率·原文（%）", _PCT)],
    "year_on_year": [("subject", "项目", _TEXT), ("previous", "上年·推算（万元）", _WAN),
                     ("current", "本年（万元）", _WAN), ("change", "增减额（万元）", _WAN),
                     ("change_pct", "增减率·复算（%）", _PCT), ("stated_pct", "增减率·原文（%）", _PCT)],
    "project_evaluations": [("project", "项目", _TEXT), ("budget", "全年预算数（万元）", _WAN),
                            ("executed", "全年执行数（万元）", _WAN), ("execution_rate", "执行率（%）", _PCT),
                            ("total_score", "自评总分（分）", _SCORE), ("grade", "等级", _TEXT),
                            ("score_gap", "自评分−执行率（分）", _SCORE)],
    "grade_counts": [("grade", "等级", _TEXT), ("projects", "项目数（个）", _COUNT),
                     ("budget", "预算合计（万元）", _WAN)],
    "audit_summary": [("severity", "严重程度", _SEVERITY), ("findings", "条数", _COUNT)],
    "audit_by_rule": [("rule", "核对项目", _RULE), ("severity", "严重程度", _SEVERITY), ("findings", "条数", _COUNT)],
    "audit_findings": [("severity", "严重程度", _SEVERITY), ("rule", "核对项目", _RULE), ("message", "说明", _TEXT)],
}



@dataclass(frozen=True)
class Display:
    """One analysis table fit to print: ``func(report, …)`` is the analysis function of the same
    name (``xinzhou_fiscal.analysis.<id>``), ``columns`` its [(column, header, kind)]."""

    id: str
    columns: tuple[tuple[str, str, str], ...]

    @property
    def func(self) -> Callable[..., pd.DataFrame]:
        from xinzhou_fiscal import analysis

        return getattr(analysis, self.id)


#: display id → :class:`Display`, in the package's one registry shape (``id → entry`` with ``id``
#: and ``func``; as the audit's rules, the charts and the export formats)
DISPLAYS: dict[str, Display] = {name: Display(name, tuple(cols)) for name, cols in _COLUMNS.items()}

#: comparison column → kind (headers from :func:`~.comparison.comparison_labels`, units added here).
_COMPARISON_KINDS = {"basis": (_TEXT, ""), "staffing": (_COUNT, "（人）"), "audit_errors": (_COUNT, "（条）"),
                     "audit_warnings": (_COUNT, "（条）"), "mean_self_score": (_SCORE, "（分）"),
                     "self_score_gap": (_SCORE, "（分）"), "three_public_per_staff": (_WAN, "（万元/人）"),
                     "running_costs_per_staff": (_WAN, "（万元/人）")}


# --------------------------------------------------------------------------- numbers as text

def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return isinstance(value, float) and math.isnan(value)
    except TypeError:  # pragma: no cover
        return False


def _number(value: Any) -> float | None:
    if _missing(value):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def fmt_wan(value: Any) -> str:
    """A 万元 amount: ``2,795.38``; ``—`` when missing."""
    v = _number(value)
    return NOT_APPLICABLE if v is None else f"{v:,.2f}"


def fmt_pct(value: Any) -> str:
    """A percentage, two decimals, no sign (the header carries %): ``25.56``; ``—`` when missing."""
    v = _number(value)
    return NOT_APPLICABLE if v is None else f"{v:,.2f}"


def fmt_count(value: Any) -> str:
    """A count: ``138``; ``—`` when missing."""
    v = _number(value)
    return NOT_APPLICABLE if v is None else f"{v:,.0f}"


def fmt_by_unit(value: Any, unit: str) -> str:
    """A value whose unit is in the next column: counts (人, 辆, 台/套) whole, amounts two decimals."""
    return fmt_count(value) if str(unit) in ("人", "辆", "台", "套", "个") else fmt_wan(value)


def _fmt_text(value: Any) -> str:
    return "" if _missing(value) else str(value)


def _fmt_rule(value: Any) -> str:
    """A rule of the audit in words (its Chinese title), never its code."""
    from xinzhou_fiscal.checks.formatting import rule_name
    return rule_name(str(value))


_FORMATTERS = {_WAN: fmt_wan, _PCT: fmt_pct, _COUNT: fmt_count, _SCORE: fmt_wan, _TEXT: _fmt_text,
               _SEVERITY: lambda v: SEVERITY_NAMES.get(str(v), _fmt_text(v)), _RULE: _fmt_rule}


# --------------------------------------------------------------------------- tables

class PrintTable:
    """A table ready to print: every cell a string, Chinese headers, no index. Displays as HTML
    in a notebook (deterministic markup, no random ids) and as plain text elsewhere."""

    def __init__(self, frame: pd.DataFrame, caption: str = "", notes: Iterable[str] = (),
                 text_columns: Iterable[str] = ()):
        self.frame = frame
        self.caption = caption
        self.notes = [n for n in notes if n]
        self.text_columns = set(text_columns)

    def _repr_html_(self) -> str:
        body = _left_align(self.frame.to_html(index=False, escape=True, border=0, classes="xf-table", na_rep=""),
                           [i for i, c in enumerate(self.frame.columns) if c in self.text_columns])
        parts = [f"<p class=\"xf-caption\"><b>{html.escape(self.caption)}</b></p>" if self.caption else "", body]
        parts += [f"<p class=\"xf-note\"><small>{html.escape(n)}</small></p>" for n in self.notes]
        return "\n".join(p for p in parts if p)

    def __repr__(self) -> str:
        text = self.frame.to_string(index=False) if len(self.frame.columns) else "(空表)"
        head = [self.caption] if self.caption else []
        return "\n".join(head + [text] + self.notes)

    def __len__(self) -> int:
        return len(self.frame)


_CELL = patterns.compile(r"<(td|th)>")


def _left_align(table_html: str, positions: list[int]) -> str:
    """pandas' HTML table with the cells of the text columns at ``positions`` marked
    ``style="text-align:left"`` (a number column stays right-aligned)."""
    if not positions:
        return table_html
    out = []
    for row in patterns.compile(r"(?=<tr)").split(table_html):
        k = iter(range(10_000))
        out.append(_CELL.sub(lambda m: f'<{m.group(1)} style="text-align:left">' if next(k) in positions
                             else m.group(0), row))
    return "".join(out)


def blank_cells(df: pd.DataFrame) -> set[tuple[int, str]]:
    """(row position, column) of every cell the source prints blank (the ``blank`` column)."""
    if "blank" not in df.columns:
        return set()
    return {(i, col) for i, names in enumerate(df["blank"].fillna("").astype(str))
            for col in names.split(",") if col}


def format_table(df: pd.DataFrame, spec: list[tuple[str, str, str]], caption: str = "") -> PrintTable:
    """``df`` formatted by ``spec`` ([(column, header, kind)]): blank cells empty, missing figures
    ``—``, notes saying which of the two appear."""
    blanks = blank_cells(df)
    rows = df.reset_index(drop=True)
    out = {}
    has_blank = has_na = False
    for col, header, kind in spec:
        if col not in rows.columns:
            continue
        cells = []
        for i, value in enumerate(rows[col]):
            if (i, col) in blanks:
                cells.append("")
                has_blank = True
            elif kind == _BY_UNIT:
                cells.append(fmt_by_unit(value, rows["unit"].iloc[i] if "unit" in rows.columns else ""))
            else:
                cells.append(_FORMATTERS[kind](value))
            has_na |= cells[-1] == NOT_APPLICABLE
        out[header] = cells
    frame = pd.DataFrame(out, columns=list(out)) if out else pd.DataFrame()
    return PrintTable(frame, caption, [BLANK_NOTE if has_blank else "", NA_NOTE if has_na else ""],
                      text_columns=[header for col, header, kind in spec if kind in TEXT_KINDS])


def show(name: str, report: Any, *args, caption: str = "", **kwargs) -> PrintTable:
    """``xinzhou_fiscal.analysis.<name>(report, ...)`` formatted for print (:data:`DISPLAYS`).
    The analysis names each table as the report's template does; ``caption`` may name tables by
    placeholder (``{t:income_expenditure_summary}``, :func:`~xinzhou_fiscal.templates.fill`), or,
    written by hand in the reference template's numbers, is renamed for the report's template
    (:func:`~xinzhou_fiscal.templates.relabel`: a notebook's prose)."""
    display = DISPLAYS[name]
    family = getattr(report, "template", None)
    caption = relabel(fill(caption, family), family)
    return format_table(display.func(report, *args, **kwargs), list(display.columns), caption)


def chart_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every printed-blank cell set to NaN, so the charts leave it out."""
    out = df.reset_index(drop=True).copy()
    for i, col in blank_cells(out):
        if col in out.columns:
            out[col] = out[col].astype("float64")
            out.loc[i, col] = float("nan")
    return out


def comparison(table: pd.DataFrame, columns: Iterable[str]) -> PrintTable:
    """Columns of the comparative table (:func:`~.comparison.comparison_table`), one row per
    department·year, formatted: amounts 万元, ratios %, counts whole."""
    from xinzhou_fiscal.analysis.comparison import comparison_labels

    labels = comparison_labels()
    spec = [("label", labels["label"], _TEXT)]
    for col in columns:
        kind, unit = _COMPARISON_KINDS.get(col, (_PCT, "（%）") if col.endswith("_pct") or col == "mean_execution_rate"
                                           else (_WAN, "（万元）"))
        header = labels.get(col, col).rstrip("%") + unit
        spec.append((col, header, kind))
    return format_table(table, spec)


#: the columns of :func:`~.budget_vs_final.budget_final_gaps` shown, with their headers
BUDGET_FINAL_SPEC = [("department", "部门", _TEXT), ("year", "年度", _TEXT), ("section", "比较口径", _TEXT),
                     ("code", "科目编码", _TEXT), ("name", "科目名称", _TEXT), ("level", "级次", _TEXT),
                     ("budget", "预算数（万元）", _WAN), ("final", "决算数（万元）", _WAN),
                     ("difference", "决算−预算（万元）", _WAN), ("execution_rate", "决算÷预算（%）", _PCT),
                     ("budget_source", "预算数来源", _TEXT), ("final_source", "决算数来源", _TEXT)]


def budget_final(gaps: pd.DataFrame, n: int | None = 15) -> PrintTable:
    """The budget against the final accounts (``gaps`` from
    :func:`~xinzhou_fiscal.analysis.budget_vs_final.budget_final_gaps`), the ``n`` largest gaps of
    each department and year (all rows when None), amounts 万元."""
    rows = gaps if n is None else gaps.groupby(["department", "year"], sort=False).head(n)
    rows = rows.assign(year=rows["year"].astype(str))
    return format_table(rows, BUDGET_FINAL_SPEC)


# --------------------------------------------------------------------------- captions and text

class Markdown:
    """Markdown text displayed as such in a notebook (and as text elsewhere)."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def caption(text: str, source: str) -> Markdown:
    """The caption under a chart: what it shows and where its figures come from."""
    return Markdown(f"*图：{text}。数据来源：{source}。*")
