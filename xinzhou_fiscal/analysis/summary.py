"""The written summary that opens each report: a short article in Chinese, generated from the
datasets, every figure followed by the table or line it comes from.

:func:`department_summary` covers one report: headline totals and their change on last year
(收入支出决算总表, 情况说明), the structure (基本/项目, largest function class: 支出决算表), budget
completion (情况说明), 三公 against budget (三公 table), the self-evaluations (绩效自评表) and the audit.
Each table is named as the report's template names it (:func:`~._common.source_label`).
:func:`comparative_summary` covers a comparison table: who ranks where on each ratio, and what
changed since last year. Both return :class:`~.present.Markdown` (displayed as Markdown in a
notebook). A report that is not complete opens with a banner naming each missing piece.

Amounts in 万元 (two decimals, thousands separators), percentages two decimals.
"""
from __future__ import annotations

import math
from typing import Any

import pandas as pd

from xinzhou_fiscal.analysis._common import _claims, _frame, memoized, norm, source_label
from xinzhou_fiscal.analysis.audit_tables import _audit_frame
from xinzhou_fiscal.analysis.budget_vs_final import budget_final_gaps
from xinzhou_fiscal.analysis.evaluations import grade_counts, project_evaluations
from xinzhou_fiscal.analysis.present import SEVERITY_NAMES, Markdown, blank_cells, fmt_pct, fmt_wan
from xinzhou_fiscal.analysis.standard_tables import basic_project_split, expenditure_by_function, three_public, totals
from xinzhou_fiscal.analysis.text import budget_completion, year_on_year
from xinzhou_fiscal.templates.names import fill


def _ok(v: Any) -> bool:
    try:
        return v is not None and not math.isnan(float(v))
    except (TypeError, ValueError):
        return False


def _line_ref(line: Any, where: str = "情况说明") -> str:
    return f"{where}第 {int(line)} 行" if _ok(line) else where


# --------------------------------------------------------------------------- banner and header

def missing_pieces_zh(report: Any) -> list[str]:
    """What could not be read, for readers: ``<table> 收入决算表：无法读取（第105行，第4页）`` or
    ``…：缺失（目录中列有此表）`` — the Chinese of ``report.missing_pieces``."""
    unread = getattr(report, "unread_tables", None)
    if not isinstance(unread, list):     # no table outcomes to word: the pieces as the report names them
        return list(getattr(report, "missing_pieces", []) or [])
    out = []
    for name, t in unread:
        if t.status == "failed":
            where = f"第{t.error_line or t.start_line}行" + (f"，第{t.page}页" if t.page else "")
            out.append(f"{name}：无法读取（{where}）")
        else:
            out.append(f"{name}：缺失" + ("（目录中列有此表）" if t.in_toc else ""))
    return out


def completeness_banner(report: Any) -> str:
    """A warning paragraph naming each missing piece when ``report.complete`` is False; ""."""
    if getattr(report, "complete", True):
        return ""
    items = "\n".join(f"> - {p}" for p in missing_pieces_zh(report)) or "> - （未列明）"
    return ("> **⚠ 本报告不完整**：以下部分缺失或无法读取，涉及它们的数字不在下文中，"
            "相关的核对也无法进行。\n>\n" + items)


def source_line(report: Any) -> str:
    """Source file name and its sha256 (from the catalogue)."""
    rid = getattr(report, "report_id", "")
    try:
        from xinzhou_fiscal.store.catalogue import catalog

        cat = catalog()
        hit = cat.loc[cat["report_id"] == rid]
        if len(hit):
            name = str(hit["file"].iloc[0]).rsplit("/", 1)[-1]
            return f"来源：`{name}`，SHA-256 `{hit['sha256'].iloc[0]}`"
    except Exception:  # noqa: BLE001 - a header line only
        pass
    src = str(getattr(report, "source_file", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    return f"来源：`{src}`" if src else ""


# --------------------------------------------------------------------------- paragraphs

def _yoy_change(report: Any, subject_names: tuple[str, ...]) -> str:
    """“比上年增加/减少 Y 万元，增长/下降 Z%（情况说明第 N 行）” for the first subject the
    year-on-year statements give; "" when none does."""
    yoy = year_on_year(report)
    hit = yoy[yoy["subject"].map(norm).isin([norm(s) for s in subject_names])] if not yoy.empty else yoy
    if hit.empty or not _ok(hit["change"].iloc[0]):
        return ""
    row = hit.iloc[0]
    prev = _frame(report, "previous_year")
    line = None
    if not prev.empty and {"current_line", "subject"} <= set(prev.columns):
        lines = prev.loc[prev["subject"].map(norm) == row["subject"], "current_line"]
        line = lines.iloc[0] if len(lines) else None
    change = float(row["change"])
    if change == 0:
        return f"与上年持平（{_line_ref(line)}）"
    up = change > 0
    rate = f"，{'增长' if up else '下降'} {fmt_pct(abs(row['change_pct']))}%" if _ok(row["change_pct"]) else ""
    return f"比上年{'增加' if up else '减少'} {fmt_wan(abs(change))} 万元{rate}（{_line_ref(line)}）"


def _yoy_sentence(report: Any, subject_names: tuple[str, ...], label: str, current: float, where: str) -> str:
    """“<label> X 万元（where），比上年增加/减少 …（情况说明第 N 行）”."""
    change = _yoy_change(report, subject_names)
    return f"{label} {fmt_wan(current)} 万元（{where}）" + (f"，{change}" if change else "")


def _totals_paragraph(report: Any) -> str:
    t = totals(report)
    get = lambda side, item: t.loc[(t["side"] == side) & (t["item"] == item), "amount"]  # noqa: E731
    grand_in, grand_out = get("收入", "收入总计"), get("支出", "支出总计")
    inc, exp = get("收入", "本年收入合计"), get("支出", "本年支出合计")
    parts, summary = [], source_label(report, "income_expenditure_summary")
    if len(grand_out) and _ok(grand_out.iloc[0]):
        parts.append(_yoy_sentence(report, ("支出总计", "收入支出总计"), "支出总计", grand_out.iloc[0], f"{summary} 总计行"))
    if len(grand_in) and _ok(grand_in.iloc[0]) and len(grand_out) and grand_in.iloc[0] == grand_out.iloc[0]:
        parts.append(f"收入总计与之相等（{summary} 总计行）")
    elif len(grand_in) and _ok(grand_in.iloc[0]):
        parts.append(_yoy_sentence(report, ("收入总计", "收入支出总计"), "收入总计", grand_in.iloc[0], f"{summary} 总计行"))
    if len(inc) and _ok(inc.iloc[0]) and len(exp) and _ok(exp.iloc[0]):
        parts.append(f"其中本年收入合计 {fmt_wan(inc.iloc[0])} 万元，本年支出合计 {fmt_wan(exp.iloc[0])} 万元（{summary}）")
    return "。".join(parts) + "。" if parts else ""


def _structure_paragraph(report: Any) -> str:
    split = basic_project_split(report)
    row = split.iloc[0]
    parts, expenditure = [], source_label(report, "expenditure")
    if _ok(row["basic"]) and _ok(row["project"]):
        parts.append(f"本年支出中，基本支出 {fmt_wan(row['basic'])} 万元，占 {fmt_pct(row['basic_share_pct'])}%；"
                     f"项目支出 {fmt_wan(row['project'])} 万元，占 {fmt_pct(row['project_share_pct'])}%（{expenditure} 合计行）")
    by_class = expenditure_by_function(report, "类")
    if not by_class.empty and by_class["total"].notna().any():
        top = by_class.sort_values(["total", "code"], ascending=[False, True], kind="mergesort").iloc[0]
        parts.append(f"支出最多的功能分类是 {top['code']} {top['name']}，{fmt_wan(top['total'])} 万元，"
                     f"占 {fmt_pct(top['share_pct'])}%（{expenditure} {top['code']} 行）")
    return "。".join(parts) + "。" if parts else ""


def _claim_line(report: Any, subject: str, metric: str) -> Any:
    c = _claims(report)
    if c.empty or "line" not in c.columns:
        return None
    hit = c.loc[(c["_subject"] == subject) & (c["_metric"] == metric), "line"].dropna()
    return hit.iloc[0] if len(hit) else None


def _budget_paragraph(report: Any) -> str:
    bc = budget_completion(report)
    if bc.empty:
        return ""
    whole = bc[bc["scope"] == "合计"]
    parts = []
    if len(whole) and _ok(whole["completion_pct"].iloc[0]):
        w = whole.iloc[0]
        parts.append(f"{w['subject']}年初预算 {fmt_wan(w['budget'])} 万元，决算 {fmt_wan(w['actual'])} 万元，"
                     f"完成年初预算的 {fmt_pct(w['completion_pct'])}%"
                     f"（{_line_ref(_claim_line(report, w['subject'], '年初预算'))}）")
    parts_rows = bc[(bc["scope"] != "合计") & bc["completion_pct"].notna()]
    if len(parts_rows) >= 2:
        ordered = parts_rows.sort_values(["completion_pct", "subject"], kind="mergesort")
        low, high = ordered.iloc[0], ordered.iloc[-1]
        parts.append(f"分科目看，完成率最低的是{low['subject']}（{fmt_pct(low['completion_pct'])}%），"
                     f"最高的是{high['subject']}（{fmt_pct(high['completion_pct'])}%）"
                     f"（{_line_ref(_claim_line(report, low['subject'], '年初预算'))}起）")
    return "。".join(parts) + "。" if parts else ""


def _three_public_paragraph(report: Any) -> str:
    tp = three_public(report)
    if tp.empty or not (_ok(tp["budget"].iloc[0]) or _ok(tp["actual"].iloc[0])):
        return ""
    total = tp.iloc[0]
    blanks = {col for i, col in blank_cells(tp) if i == 0}
    budget = "预算数一栏空白" if "budget" in blanks else f"预算 {fmt_wan(total['budget'])} 万元"
    where = f"（{source_label(report, 'three_public')} 合计）"
    if "actual" in blanks:
        text = f"“三公”经费{budget}，决算数一栏空白（按 0 计）{where}"
    else:
        text = f"“三公”经费决算 {fmt_wan(total['actual'])} 万元，{budget}"
        if _ok(total["completion_pct"]):
            text += f"，决算为预算的 {fmt_pct(total['completion_pct'])}%"
        text += where
    change = _yoy_change(report, ("三公经费",))
    return text + (f"；{change}" if change else "") + "。"


def _evaluation_paragraph(report: Any) -> str:
    p = project_evaluations(report)
    if p.empty:
        return "报告未附项目支出绩效自评表。"
    counts = grade_counts(report).set_index("grade")["projects"]
    graded = "、".join(f"{g} {int(counts.get(g, 0))} 个" for g in ("优", "良", "中", "差"))
    text = f"附件共有 {len(p)} 张项目支出绩效自评表，自评等级{graded}（绩效自评表）"
    gaps = p.dropna(subset=["score_gap"])
    if len(gaps):
        g = gaps.sort_values(["score_gap", "project"], ascending=[False, True], kind="mergesort").iloc[0]
        text += (f"。自评分与预算执行率差距最大的是“{g['project']}”：预算执行率 {fmt_pct(g['execution_rate'])}%，"
                 f"自评 {fmt_wan(g['total_score'])} 分，相差 {fmt_wan(g['score_gap'])} 分（绩效自评表）")
    return text + "。"


# --------------------------------------------------------------------------- audit

def _first_sentence(message: str) -> str:
    s = str(message).strip()
    return s.split("。", 1)[0] + "。" if "。" in s else s + "。"


def most_serious_errors(findings: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` most serious errors, one per rule: ranked by the difference relative to the
    expected figure (largest first), then rule."""
    err = findings[findings["severity"].astype(str) == "error"].copy() if "severity" in findings.columns \
        else pd.DataFrame()
    if err.empty:
        return err
    diff = pd.to_numeric(err.get("difference"), errors="coerce").abs()
    base = pd.to_numeric(err.get("expected"), errors="coerce").abs().where(lambda v: v > 0, 1.0)
    err["_weight"] = (diff / base).fillna(0.0)
    err = err.sort_values(["_weight", "rule"], ascending=[False, True], kind="mergesort")
    return err.drop_duplicates("rule").head(n).drop(columns="_weight")


def _audit_paragraph(report: Any) -> str:
    from xinzhou_fiscal.store.cache import partner_budget
    budget = partner_budget(report)          # its budget, when catalogued: 年初预算 checked against it
    f = _audit_frame(report, budget)
    if f is None:
        return "审核未能运行。"
    sev = f["severity"].astype(str).str.lower()
    counts = {s: int((sev == s).sum()) for s in ("error", "warning", "info")}
    text = (f"审核复算了报告自身的勾稽关系与文字中的数字，发现{SEVERITY_NAMES['error']} {counts['error']} 个、"
            f"{SEVERITY_NAMES['warning']} {counts['warning']} 个，另有尾差等提示 {counts['info']} 条")
    from xinzhou_fiscal.checks.coverage import coverage_zh

    coverage = coverage_zh(report, budget)
    if coverage:
        text += f"（{coverage}）"
    lines = [text + "。"]
    top = most_serious_errors(f)
    if len(top):
        lines.append("最严重的几处：")
        lines += [f"- {_first_sentence(m)}" for m in top["message"]]
    return "\n".join(lines)


# --------------------------------------------------------------------------- one report

@memoized
def department_summary(report: Any) -> Markdown:
    """The article that opens the department report (Markdown, Chinese); written once per report
    (and kept in the parsed-report cache, :mod:`xinzhou_fiscal.store.cache`)."""
    dept = getattr(report, "department", "") or getattr(report, "report_id", "")
    year = getattr(report, "year", "")
    kind = getattr(report, "kind", "") or "决算"     # 预算 or 决算, as the document says (report.metadata)
    head = [f"## {dept} {year} 年度部门{kind}：要点", source_line(report), completeness_banner(report)]
    body = [("总体", _totals_paragraph(report)), ("结构", _structure_paragraph(report)),
            ("预算执行", _budget_paragraph(report)), ("“三公”经费", _three_public_paragraph(report)),
            ("绩效自评", _evaluation_paragraph(report)), ("审核", _audit_paragraph(report))]
    parts = [h for h in head if h]
    parts += [f"**{title}**　{text}" for title, text in body if text]
    parts.append("*金额单位：万元。括号内为数字所在的表或行；“上年”数由情况说明的同比增减额推算。*")
    return Markdown("\n\n".join(parts))


# --------------------------------------------------------------------------- across reports

#: comparison column → (name in the text, unit, higher means)
RANKED_RATIOS = {
    "fiscal_share_pct": ("财政拨款占本年收入的比例", "%"),
    "project_share_pct": ("项目支出占本年支出的比例", "%"),
    "personnel_share_pct": ("人员经费占基本支出的比例", "%"),
    "running_costs_per_staff": ("人均机关运行经费（按编制数）", "万元/人"),
    "three_public_per_staff": ("人均“三公”经费（按编制数）", "万元/人"),
    "budget_completion_pct": ("预算完成率", "%"),
    "mean_execution_rate": ("项目平均执行率", "%"),
    "self_score_gap": ("平均自评分高出执行率", "分"),
}
#: where each ratio comes from; the reports compared may follow different templates, so the tables
#: are named as the reference template names them (filled by :func:`_ranking_line`)
_RATIO_SOURCES = {"fiscal_share_pct": "{t:income}", "project_share_pct": "{t:expenditure}",
                  "personnel_share_pct": "{t:general_budget_basic}",
                  "running_costs_per_staff": "{t:related_info}/情况说明、概况", "three_public_per_staff": "{t:three_public}、概况",
                  "budget_completion_pct": "情况说明", "mean_execution_rate": "绩效自评表",
                  "self_score_gap": "绩效自评表"}
#: what the “since last year” sentences compare (derived previous year vs the report)
_CHANGES = {"grand_total": "收支总计", "general_budget_expenditure": "一般公共预算财政拨款支出",
            "three_public_actual": "“三公”经费", "running_costs": "机关运行经费"}


def _value_text(v: float, unit: str) -> str:
    return f"{fmt_pct(v)}%" if unit == "%" else f"{fmt_wan(v)} {unit}"


def _ranking_line(current: pd.DataFrame, col: str) -> str:
    name, unit = RANKED_RATIOS[col]
    data = current[["label", col]].dropna()
    if data.empty:
        return ""
    data = data.sort_values([col, "label"], ascending=[False, True], kind="mergesort")
    ranked = "，".join(f"{i}. {r.label} {_value_text(getattr(r, col), unit)}"
                      for i, r in enumerate(data.itertuples(), 1))
    missing = current.loc[current[col].isna(), "label"].tolist()
    tail = f"；无此数：{'、'.join(missing)}" if missing else ""
    return f"- **{name}**（{fill(_RATIO_SOURCES[col], None)}）：{ranked}{tail}"


def _change_line(table: pd.DataFrame, report_id: str) -> str:
    rows = table[table["report_id"] == report_id].sort_values("year", kind="mergesort")
    if len(rows) < 2:
        return ""
    prev, cur = rows.iloc[0], rows.iloc[-1]
    bits = []
    for col, name in _CHANGES.items():
        if _ok(prev[col]) and _ok(cur[col]):
            change = float(cur[col]) - float(prev[col])
            rate = f"，{'+' if change >= 0 else ''}{fmt_pct(change / prev[col] * 100)}%" if prev[col] else ""
            bits.append(f"{name} {fmt_wan(prev[col])} → {fmt_wan(cur[col])} 万元（{'+' if change >= 0 else ''}"
                        f"{fmt_wan(change)}{rate}）")
    if not bits:
        return ""
    return f"- **{cur['label']}** 比 {int(prev['year'])} 年：" + "；".join(bits) + "（上年由情况说明同比增减额推算）"


def _gap_text(row: dict) -> str:
    """“2050205 高等教育（支出）预算 396,393.59 → 决算 389,606.87 万元（−6,786.72，执行率 98.29%；sources）”."""
    rate = f"，执行率 {fmt_pct(row['execution_rate'])}%" if _ok(row["execution_rate"]) else ""
    sign = "+" if row["difference"] >= 0 else "−"
    code = f"{row['code']} " if row["code"] else ""
    return (f"{code}{row['name']}（{row['section']}）预算 {fmt_wan(row['budget'])} → 决算 {fmt_wan(row['final'])} 万元"
            f"（{sign}{fmt_wan(abs(row['difference']))}{rate}；{row['budget_source']}，{row['final_source']}）")


def budget_final_lines(gaps: pd.DataFrame, n: int = 3) -> list[str]:
    """One line per department and year with both documents (``gaps`` from
    :func:`~xinzhou_fiscal.analysis.budget_vs_final.budget_final_gaps`): 本年支出合计 of the budget
    against the final (收支总表), then the ``n`` largest gaps between budget and final among the
    most detailed rows (项, every section), amounts in 万元."""
    out = []
    for (dept, year), rows in gaps.groupby(["department", "year"], sort=True):
        total = rows[(rows["section"] == "收支总表") & (rows["name"] == "本年支出合计") & rows["difference"].notna()]
        head = f"{_gap_text(total.iloc[0].to_dict())}。" if len(total) else ""
        detail = rows[(rows["level"] == "项") & rows["difference"].notna() & (rows["difference"] != 0)].head(n)
        largest = "；".join(f"{i}. {_gap_text(r)}" for i, r in enumerate(detail.to_dict("records"), 1))
        out.append(f"- **{dept} {year}**　{head}" + (f"差额最大的科目：{largest}。" if largest else "各科目预算与决算相等。"))
    return out


def comparative_summary(table: pd.DataFrame, reports: list | None = None) -> Markdown:
    """The summary that opens the comparative report: rankings on each ratio (reports as
    published, not the derived previous years), then what changed since last year."""
    current = table[table["basis"] == "决算报表"]
    parts = [f"## 部门决算比较：要点（{len(current)} 份报告）"]
    left_out = table.attrs.get("left_out") or getattr(reports, "left_out", {}) or {}
    if left_out:
        parts.append("> **⚠ 未纳入比较**：" + "；".join(f"`{rid}`（{why}）" for rid, why in left_out.items())
                     + "。其余报告照常比较。")
    for rep in reports or []:
        banner = completeness_banner(rep)
        if banner:
            parts.append(banner.replace("本报告", f"{getattr(rep, 'report_id', '')} ", 1))
    ranking = [line for col in RANKED_RATIOS if (line := _ranking_line(current, col))]
    if ranking:
        parts.append("**各项比率排名**（从高到低）\n\n" + "\n".join(ranking))
    changes = [line for rid in dict.fromkeys(current["report_id"]) if (line := _change_line(table, rid))]
    if changes:
        parts.append("**与上年相比**\n\n" + "\n".join(changes))
    budgets = table.attrs.get("budgets") or []
    if budgets:
        parts.append(f"*预算报告（{'、'.join(f'`{b}`' for b in budgets)}）不参与上述比较：预算数与决算数不是同一种数字；"
                     "同一部门同一年度既有预算又有决算时，二者在“预算与决算对比”中逐项对照。*")
    pairs = budget_final_lines(budget_final_gaps(reports)) if reports else []
    if pairs:
        parts.append("**预算与决算对比**（决算 − 预算，差额最大者在前）\n\n" + "\n".join(pairs))
    parts.append("*金额单位：万元。比率按各报告所印数字复算。*")
    return Markdown("\n\n".join(parts))
