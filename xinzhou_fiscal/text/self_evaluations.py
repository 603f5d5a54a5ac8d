"""Performance self-evaluation tables (绩效自评表) as data: one row per table, one per indicator.

Source: the annex (第五部分 附件) of the report: one 部门整体绩效自评表 and one 项目支出绩效自评表
per project, each a sequence of tab-separated rows (``line.text.split("\\t")``). Amounts are in
万元 as printed (three decimals are common: 39.728); 执行率 in % as printed; 分值/得分 in points.

The layouts vary from table to table (cells shift left or right, the leading 绩效指标 column may be
missing, rows wrap, the 总分 lands in different columns), so the rules never rely on a fixed
column position:

* A table starts at a line ``…(部门整体|项目支出)绩效自评表 (2023年度)`` and runs to the next one.
* Header rows are recognised by their words: 项目名称, 主管部门, 预算单位, the budget header (a row
  naming 全年预算数 and 执行率, whose measure names give the order of the figures below; a row of
  目标申报数/预算编制数 splits 年初预算数 in two), the goals header (年度目标 / 实际完成情况), the
  indicator header (a row naming 三级指标; 调整后指标值 tells whether there are three target
  columns or two) and the 总分 row.
* A budget row (资金总额, 市县区财政资金, 基本支出, …): its label is the first text cell, its
  figures the cells after it with the leading and trailing blanks removed, matched in order to
  the header's measures. The first 资金总额 row gives the project's figures; a 得分 it lacks is
  taken from the next fund row with the same budget and execution.
* An indicator row: 分值 and 得分 are the last two numeric cells (only blanks between them); what
  follows them is the 偏差原因. Before them, cells naming a level-1 or level-2 indicator by
  vocabulary (产出/效益/满意度指标; 数量/质量/时效/成本/…效益/可持续影响/…满意度指标) set those
  levels (a trailing weight such as 产出指标50 is kept apart); the other non-blank cells are the
  三级指标 followed by the target values (年初, 调整后, 实际). Levels are forward-filled; a level-2
  name implies its level 1.
* A row inside the indicator block that does not fit becomes a :class:`ParseProblem` (stage
  ``performance``) with its line; so does a table without a 资金总额 row, without indicators or
  without a 总分.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from xinzhou_fiscal import patterns
from xinzhou_fiscal.errors import ParseProblem
from xinzhou_fiscal.numbers import DECIMAL, NUMBER, LazyPattern
from xinzhou_fiscal.read.source import Line, SourceDocument, normalize_label
from xinzhou_fiscal.tables.frames import Records, dataset_property
from xinzhou_fiscal.templates.labels import fullwidth_brackets

if TYPE_CHECKING:
    import pandas as pd

_TITLE = patterns.compile(r"^\s*(?P<name>.*?)(?P<kind>部门整体|单位整体|整体|项目支出|项目)?绩效自评表\s*"
                    r"(?:[（(]\s*(?P<year>\d{4})\s*年度?\s*[)）])?\s*$")
_YEAR_LINE = LazyPattern(r"^\s*[（(]\s*(\d{4})\s*年度?\s*[)）]\s*$")
_NUMBER = NUMBER           # the package's one number pattern (xinzhou_fiscal.numbers)
_SCORE = patterns.compile(rf"^(-?{DECIMAL})分?$")
_CODE_NAME = LazyPattern(r"^(\d{3,})\s*[-－—–_]\s*(.+)$")
_GRADES = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "合格": "中", "差": "差",
           "不合格": "差"}

_L1 = patterns.compile(rf"^(产出指标|效益指标|满意度指标)({DECIMAL})?$")
_L2 = LazyPattern(r"^((?:数量|质量|时效|成本|经济成本|社会成本|生态环境成本|经济效益|社会效益|生态效益|环境效益|"
                 r"可持续影响|可持续性影响|服务对象满意度|部门满意度|群众满意度|社会公众满意度)指标|服务对象满意度)"
                 rf"({DECIMAL})?$")
_L2_TO_L1 = [("满意度", "满意度指标"), ("效益", "效益指标"), ("影响", "效益指标")]

_MEASURES = [("目标申报", "initial_declared"), ("预算编制", "initial_budget"), ("年初预算", "initial"),
             ("全年预算", "budget"), ("全年执行", "executed"), ("结（转）余", "balance"), ("结转", "balance"),
             ("结余", "balance"), ("执行率", "execution_rate"), ("得分", "score")]

PROJECT_COLUMNS = ["project", "kind", "title", "year", "supervisor_code", "supervisor", "unit_code", "unit_name",
                   "initial_declared", "initial_budget", "budget", "executed", "balance", "execution_rate",
                   "execution_score", "execution_rate_alt", "total_score", "grade", "n_indicators",
                   "goal", "goal_result", "title_line", "name_line", "budget_line", "budget_line_alt",
                   "score_line", "indicator_header_line", "total_line", "page"]
INDICATOR_COLUMNS = ["project", "kind", "level1", "level2", "level3", "initial_target", "adjusted_target",
                     "actual", "weight", "score", "deviation_reason", "level1_weight", "level2_weight",
                     "line", "page"]
FUND_COLUMNS = ["project", "group", "label", "initial_declared", "initial_budget", "budget", "executed",
                "balance", "execution_rate", "score", "line", "page"]


@dataclass
class PerformanceTables:
    """The parsed self-evaluation tables: projects, indicators, every budget (fund) row, problems.
    The three datasets are DataFrames built on first access (``dataset_rows`` gives their rows)."""

    projects: Any      # "pd.DataFrame": held as Records until read (see dataset_property below)
    indicators: Any
    funds: Any
    problems: list[ParseProblem] = field(default_factory=list)


for _name in ("projects", "indicators", "funds"):
    setattr(PerformanceTables, _name, dataset_property(_name))
del _name


def _num(cell: str) -> float | None:
    c = cell.strip()
    if _NUMBER.match(c):
        return float(c.replace(",", ""))
    return None


@functools.lru_cache(maxsize=4096)
def _score_of(cell: str) -> float | None:
    """The 分值/得分 a normalised cell prints (``10``, ``9.5分``), or None. Memoised: cells repeat."""
    m = _SCORE.match(cell)
    return float(m.group(1)) if m else None


@functools.lru_cache(maxsize=4096)
def _level_of(cell: str) -> tuple[int, str, float | None] | None:
    """(1 or 2, the 一级/二级指标 name, the weight printed with it) of a normalised cell, or None."""
    for depth, rx in ((1, _L1), (2, _L2)):
        m = rx.match(cell)
        if m:
            return depth, m.group(1), (float(m.group(2)) if m.group(2) else None)
    return None


def _l2_to_l1(level2: str) -> str:
    if level2.startswith(("数量", "质量", "时效", "成本", "经济成本", "社会成本", "生态环境成本")):
        return "产出指标"
    for key, l1 in _L2_TO_L1:
        if key in level2:
            return l1
    return ""


_PART_HEADING = LazyPattern(r"\s*第[一二三四五六七八九十]+部分")


def find_tables(lines: list[Line]) -> list[tuple[int, int, re.Match]]:
    """(start index, end index, title match) of every 绩效自评表 in the document."""
    heads = []
    for i, ln in enumerate(lines):
        if "\t" in ln.text or len(ln.text) > 120:
            continue
        m = _TITLE.match(ln.text)
        if m and "。" not in ln.text:
            heads.append((i, m))
    out = []
    for k, (i, m) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        for j in range(i + 1, end):
            if _PART_HEADING.match(lines[j].text):
                end = j
                break
        out.append((i, end, m))
    return out


class _Table:
    """State of one table while its rows are read."""

    def __init__(self, title_line: Line, m: re.Match):
        kind_word = m.group("kind") or ""
        self.kind = "department" if "整体" in kind_word else "project"
        self.title = normalize_label(title_line.text)
        stem = normalize_label(m.group("name") or "")
        self.project = stem + kind_word if self.kind == "department" else stem
        self.rec: dict = {c: None for c in PROJECT_COLUMNS}
        self.rec.update(project=self.project, kind=self.kind, title=self.title,
                        year=int(m.group("year")) if m.group("year") else None,
                        title_line=title_line.line, page=title_line.page)
        self.measures: list[str] = []
        self.group = ""
        self.state = "header"
        self.n_targets = 3
        self.level1 = self.level2 = ""
        self.funds: list[dict] = []
        self.indicators: list[dict] = []
        self.goal_texts: list[str] = []


def parse_performance_tables(doc: SourceDocument) -> PerformanceTables:
    """Every 绩效自评表 of the document (see the module doc for the rules)."""
    lines = doc.lines
    projects, indicators, funds, problems = [], [], [], []
    for start, end, m in find_tables(lines):
        t = _Table(lines[start], m)
        for ln in lines[start + 1:end]:
            _read_line(t, ln, problems)
        _finish(t, problems)
        projects.append(t.rec)
        indicators.extend(t.indicators)
        funds.extend(t.funds)
    ints = dict.fromkeys(["year", "title_line", "name_line", "budget_line", "budget_line_alt", "score_line",
                          "indicator_header_line", "total_line", "page", "n_indicators", "line"], "Int64")
    floats = dict.fromkeys(["initial_declared", "initial_budget", "budget", "executed", "balance",
                            "execution_rate", "execution_score", "execution_rate_alt", "total_score",
                            "weight", "score", "level1_weight", "level2_weight"], "float64")
    dtypes = {**ints, **floats}
    return PerformanceTables(Records(projects, PROJECT_COLUMNS, dtypes), Records(indicators, INDICATOR_COLUMNS, dtypes),
                             Records(funds, FUND_COLUMNS, dtypes), problems)


def parse_performance(doc: SourceDocument) -> "tuple[pd.DataFrame, pd.DataFrame, list[ParseProblem]]":
    """The self-evaluation tables as (projects, indicators, problems).

    ``projects``: one row per table, the 部门整体 one included (``kind`` "department", its
    ``project`` contains 部门整体) — ``supervisor_code``/``supervisor`` (主管部门), ``unit_code``/
    ``unit_name`` (预算单位), ``initial_declared`` (年初预算数 › 目标申报数), ``initial_budget``
    (年初预算数 › 预算编制数; the department table's single 年初预算数), ``budget`` (全年预算数),
    ``executed`` (全年执行数), ``balance`` (资金结(转)余), ``execution_rate`` (执行率, %, as printed),
    ``execution_score`` (得分 of the budget-execution row), ``execution_rate_alt`` (the second
    资金总额 row's rate of a department table, 按资金方向划分), ``total_score`` (总分), ``grade``
    (优/良/中/差), ``n_indicators``, ``goal``/``goal_result`` (年度目标 / 实际完成情况), and the lines
    of the title, 项目名称, 资金总额 row(s), the row the 得分 came from, the indicator header and
    the 总分 row. Amounts in 万元.

    ``indicators``: one row per indicator row — ``project``, ``kind``, ``level1``/``level2``/
    ``level3`` (一级/二级/三级指标, forward-filled), ``initial_target`` (年初指标值),
    ``adjusted_target`` (调整后指标值; None where the table has no such column), ``actual``
    (实际完成值), ``weight`` (分值), ``score`` (得分), ``deviation_reason``, ``level1_weight``/
    ``level2_weight`` (a weight printed in the level cell, 产出指标50), ``line``, ``page``.
    """
    r = parse_performance_tables(doc)
    return r.projects, r.indicators, r.problems


# --------------------------------------------------------------------------------------------


def _problem(t: _Table, ln: Line, message: str) -> ParseProblem:
    return ParseProblem("performance", message, table=t.project, line=ln.line, page=ln.page, text=ln.text)


def _read_line(t: _Table, ln: Line, problems: list[ParseProblem]) -> None:
    raw = ln.text
    if not raw.strip():
        return
    if "\t" not in raw:
        s = raw.strip()
        if t.rec["year"] is None and _YEAR_LINE.match(s):
            t.rec["year"] = int(_YEAR_LINE.match(s).group(1))
        elif t.state == "indicators" and patterns.compile(r"\d").search(s) and not patterns.compile(r"^(备注|注|说明)").match(s):
            problems.append(_problem(t, ln, "line without cells inside the indicator rows: cannot "
                                            "tell which indicator it belongs to"))
        return
    if t.state == "analysis":
        return
    cells = [c.strip() for c in raw.split("\t")]
    # long cells are free text (goals, analysis): only short ones can be labels worth normalising
    norm = [normalize_label(c) if len(c) <= 60 else c for c in cells]
    joined = "".join(norm)
    # ---- header rows, recognised by their words wherever they sit
    if norm[0].startswith("项目名称"):
        name = next((c for c in cells[1:] if c), "")
        if name:
            t.rec["project"] = t.project = normalize_label(name)
            t.rec["name_line"] = ln.line
        return
    if any("主管部门" in c for c in norm[:2]):
        _read_units(t, cells, norm)
        return
    if "三级指标" in joined:
        t.state = "indicators"
        t.n_targets = 3 if any("调整后" in c for c in norm) else 2
        t.rec["indicator_header_line"] = ln.line
        return
    if any(c in ("总分", "总计得分", "总得分") for c in norm[:3]):
        _read_total(t, ln, cells, norm, problems)
        t.state = "analysis"
        return
    if t.state == "indicators":
        if not any(norm):
            return
        _read_indicator(t, ln, cells, norm, problems)
        return
    if "全年预算" in joined and "执行率" in joined:
        _read_budget_header(t, norm)
        t.state = "budget"
        return
    if t.state == "budget" and "目标申报" in joined and "预算编制" in joined:
        # the second header row splits 年初预算数 into 目标申报数 | 预算编制数
        i = t.measures.index("initial") if "initial" in t.measures else 0
        t.measures[i:i + ("initial" in t.measures)] = ["initial_declared", "initial_budget"]
        return
    if ("年度目标" in norm or any(c.endswith("绩效目标") for c in norm)) and "实际完成情况" in joined:
        t.state = "goals"
        return
    if t.state == "goals":
        t.goal_texts.extend(c for c, n in zip(cells, norm) if n and n not in ("目标", "年度目标"))
        return
    if t.state == "budget":
        _read_fund_row(t, ln, cells, norm, problems)


def _read_units(t: _Table, cells: list[str], norm: list[str]) -> None:
    for i, c in enumerate(norm):
        m = _CODE_NAME.match(cells[i])
        if not m:
            continue
        label = next((norm[j] for j in range(i - 1, -1, -1) if norm[j]), "")
        if "预算单位" in label or "实施单位" in label:
            t.rec["unit_code"], t.rec["unit_name"] = m.group(1), normalize_label(m.group(2))
        elif t.rec["supervisor_code"] is None:
            t.rec["supervisor_code"], t.rec["supervisor"] = m.group(1), normalize_label(m.group(2))


def _read_budget_header(t: _Table, norm: list[str]) -> None:
    measures = []
    for c in norm:
        c = fullwidth_brackets(c)
        for key, name in _MEASURES:
            if key in c:
                if name not in measures:
                    measures.append(name)
                break
    t.measures = measures
    t.group = next((c for c in norm if "划分" in c), "")


def _read_fund_row(t: _Table, ln: Line, cells: list[str], norm: list[str], problems) -> None:
    li = next((i for i, c in enumerate(norm) if c and _num(c) is None), None)
    if li is None or not any(_num(c) is not None for c in norm[li + 1:]):
        if any(_num(c) is not None for c in norm):
            problems.append(_problem(t, ln, "budget row without a label: cannot tell which fund it is"))
        return
    label = norm[li].rstrip(":：")
    seq = norm[li + 1:]
    while seq and not seq[0]:
        seq.pop(0)
    while seq and not seq[-1]:
        seq.pop()
    if not t.measures:
        problems.append(_problem(t, ln, "budget row before the budget header (全年预算数/执行率)"))
        return
    if len(seq) > len(t.measures):
        problems.append(_problem(t, ln, f"budget row {label} has {len(seq)} cells for {len(t.measures)} "
                                        f"measures ({', '.join(t.measures)})"))
        return
    vals: dict = {}
    for name, c in zip(t.measures, seq):
        if not c:
            continue
        v = _num(c)
        if v is None:
            problems.append(_problem(t, ln, f"budget row {label}: {name} is not a number: {c!r}"))
            return
        vals["initial_budget" if name == "initial" else name] = v
    row = {c: None for c in FUND_COLUMNS}
    row.update(vals, project=t.project, group=t.group, label=label, line=ln.line, page=ln.page)
    t.funds.append(row)


def _read_total(t: _Table, ln: Line, cells, norm, problems) -> None:
    nums = [(i, _num(c)) for i, c in enumerate(norm) if _num(c) is not None]
    grade = next((_GRADES[c] for c in norm if c in _GRADES), None)
    t.rec["total_line"] = ln.line
    if not nums:
        problems.append(_problem(t, ln, "总分 row without a score"))
    else:
        t.rec["total_score"] = nums[-1][1]
    if grade is None:
        problems.append(_problem(t, ln, "总分 row without a grade (优/良/中/差)"))
    t.rec["grade"] = grade


def _read_indicator(t: _Table, ln: Line, cells, norm, problems) -> None:
    scores = [_score_of(c) for c in norm]
    nums = [i for i, v in enumerate(scores) if v is not None]
    if len(nums) < 2:
        problems.append(_problem(t, ln, "indicator row without a 分值/得分 pair (two numbers after the targets)"))
        return
    si, wi = nums[-1], nums[-2]
    if any(norm[i] for i in range(wi + 1, si)):
        problems.append(_problem(t, ln, "indicator row: text between 分值 and 得分"))
        return
    weight, score = scores[wi], scores[si]
    deviation = "；".join(c for c in cells[si + 1:] if c) or None
    l1 = l2 = ""
    l1w = l2w = None
    rest: list[int] = []
    for i in range(wi):
        c = norm[i]
        if c == "绩效指标":
            continue
        level = _level_of(c)
        if level is None:
            rest.append(i)
        elif level[0] == 1:
            l1, l1w = level[1], level[2]
        else:
            l2, l2w = level[1], level[2]
    filled = [i for i in rest if norm[i]]
    T = t.n_targets
    if not filled:
        problems.append(_problem(t, ln, "indicator row without a 三级指标 name"))
        return
    if len(filled) >= T + 1:
        targets = [cells[i] for i in filled[-T:]]
        name_i = filled[-(T + 1)]
        extra = [norm[i] for i in filled[:-(T + 1)]]
    else:
        # a target is blank: the cells after the name keep their positions
        name_i = filled[0]
        after = [cells[i] for i in rest if i > name_i]
        targets = ([""] * T + after)[-T:]
        extra = []
    if extra and not l2:
        l2 = extra[-1]      # a non-vocabulary name printed in the level-2 column
    # forward fill; a level-2 name implies its level 1
    if l1:
        if l1 != t.level1 and not l2:
            t.level2 = ""
        t.level1 = l1
    if l2:
        implied = _l2_to_l1(l2)
        if implied and not l1:
            t.level1 = implied
        t.level2 = l2
    row = {"project": t.project, "kind": t.kind, "level1": t.level1 or None, "level2": t.level2 or None,
           "level3": normalize_label(cells[name_i]),
           "initial_target": targets[0] or None,
           "adjusted_target": (targets[1] or None) if T == 3 else None,
           "actual": targets[-1] or None, "weight": weight, "score": score, "deviation_reason": deviation,
           "level1_weight": l1w, "level2_weight": l2w, "line": ln.line, "page": ln.page}
    t.indicators.append(row)


def _finish(t: _Table, problems: list[ParseProblem]) -> None:
    rec = t.rec
    title_ln = Line(rec["title"], rec["title_line"], rec["page"])
    totals = [f for f in t.funds if "资金总额" in f["label"] or f["label"] in ("合计", "总计")]
    if not totals:
        problems.append(_problem(t, title_ln, "no 资金总额 row: the table's budget figures are missing"))
    else:
        main = totals[0]
        for k in ("initial_declared", "initial_budget", "budget", "executed", "balance", "execution_rate"):
            rec[k] = main[k]
        rec["budget_line"] = main["line"]
        if main["score"] is not None:
            rec["execution_score"], rec["score_line"] = main["score"], main["line"]
        else:
            i = t.funds.index(main)
            nxt = next((f for f in t.funds[i + 1:] if f["score"] is not None and f["budget"] == main["budget"]
                        and f["executed"] == main["executed"]), None)
            if nxt is not None:
                rec["execution_score"], rec["score_line"] = nxt["score"], nxt["line"]
        if len(totals) > 1:
            rec["execution_rate_alt"] = totals[1]["execution_rate"]
            rec["budget_line_alt"] = totals[1]["line"]
    if not t.indicators:
        problems.append(_problem(t, title_ln, "no indicator rows (一级/二级/三级指标) found"))
    if rec["total_line"] is None:
        problems.append(_problem(t, title_ln, "no 总分 row: the total score and grade are missing"))
    rec["project"] = t.project
    rec["n_indicators"] = len(t.indicators)
    if t.goal_texts:
        rec["goal"] = t.goal_texts[0]
        if len(t.goal_texts) > 1:
            rec["goal_result"] = "\n".join(t.goal_texts[1:])
