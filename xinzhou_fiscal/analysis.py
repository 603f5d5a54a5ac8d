"""Analysis of a parsed report: the headline tables and ratios the notebooks show.

Every function takes a :class:`~xinzhou_fiscal.model.Report` (or anything shaped like one) and
returns a small, sorted :class:`pandas.DataFrame` (or a number). Amounts are in 万元 (a report
printed in 元 is converted). Each docstring names the printed table (公开NN表) or dataset the figures
come from. Nothing here raises because a piece is missing: a report without a table, a
narrative statement or a performance annex yields NaN (or an empty frame with the usual columns).

The notebooks in ``notebooks/`` only call these functions and :mod:`xinzhou_fiscal.charts`.
"""
from __future__ import annotations

import math
import re
import warnings
from typing import Any, Iterable

import numpy as np
import pandas as pd

NaN = float("nan")

#: Printed table number of each table key (Xinzhou numbering), used in the ``source`` columns.
TABLE_NUMBERS = {
    "income_expenditure_summary": "公开01表", "income": "公开02表", "expenditure": "公开03表",
    "fiscal_grant_summary": "公开04表", "general_budget_expenditure": "公开05表",
    "general_budget_basic": "公开06表", "gov_fund": "公开07表", "state_capital": "公开08表",
    "three_public": "公开09表", "related_info": "公开10表",
}

_UNIT_FACTORS = {"万元": 1.0, "元": 1e-4, "千元": 0.1, "百万元": 100.0, "亿元": 1e4}
_LEVELS = {"类": 3, "款": 5, "项": 7}
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．])\s*")
_SPACES = re.compile(r"[\s\u3000“”\"'‘’]")


# =========================================================================== helpers

def norm(label: Any) -> str:
    """A label for matching: no spaces or quotes, ASCII brackets, no leading ordinal (一、 (一) 1.)."""
    if label is None or (isinstance(label, float) and math.isnan(label)):
        return ""
    s = _SPACES.sub("", str(label)).replace("（", "(").replace("）", ")")
    return _ORDINAL.sub("", s)


class MissingPieceWarning(UserWarning):
    """A dataset of the report (narrative, performance annex, audit, ...) could not be computed;
    the analysis goes on without it (NaN / empty) and says so."""


def _frame(obj: Any, attr: str) -> pd.DataFrame:
    """``report.<attr>`` as a DataFrame; empty when the report has no such dataset. When computing
    it fails, a :class:`MissingPieceWarning` names the dataset and the error, and it counts as
    empty (one broken annex must not hide the rest of the analysis)."""
    try:
        value = getattr(obj, attr)
    except (AttributeError, ImportError):
        return pd.DataFrame()
    except Exception as exc:  # noqa: BLE001 - reported, not hidden
        warnings.warn(f"{getattr(obj, 'report_id', '?')}: report.{attr} could not be computed "
                      f"({type(exc).__name__}: {exc}); treated as missing", MissingPieceWarning, stacklevel=3)
        return pd.DataFrame()
    return value if isinstance(value, pd.DataFrame) else pd.DataFrame()


def _ratio(part: float, whole: float) -> float:
    """part / whole, NaN when either is missing or the whole is 0."""
    try:
        part, whole = float(part), float(whole)
    except (TypeError, ValueError):
        return NaN
    if math.isnan(part) or math.isnan(whole) or whole == 0:
        return NaN
    return part / whole


def _pct(part: float, whole: float) -> float:
    return _ratio(part, whole) * 100


def _staffing(report: Any) -> float:
    try:
        ov = report.overview
    except (AttributeError, ImportError):
        ov = None
    except Exception as exc:  # noqa: BLE001 - reported, not hidden
        warnings.warn(f"{getattr(report, 'report_id', '?')}: report.overview could not be computed "
                      f"({type(exc).__name__}: {exc}); staffing taken from the narrative", MissingPieceWarning,
                      stacklevel=3)
        ov = None
    if ov is None:
        value = None
    elif isinstance(ov, dict):
        value = ov.get("staffing")
    else:
        value = getattr(ov, "staffing", None)
    try:
        value = float(value)
    except (TypeError, ValueError):
        value = NaN
    if not value > 0:  # the 概况 sentence as a narrative claim (人员编制数为138人)
        c = _claims(report)
        hit = c[c["_subject"].str.contains("编制")]["value"].dropna() if not c.empty else []
        value = float(hit.iloc[0]) if len(hit) else NaN
    return value if value > 0 else NaN


def table_status(report: Any, key: str) -> str:
    """"present", "empty" (printed without data) or "missing" (not in the report)."""
    tables = getattr(report, "tables", None) or {}
    t = tables.get(key)
    if t is None:
        return "missing" if _facts(report, key).empty else "present"
    return getattr(t, "status", "present")


def _facts(report: Any, key: str) -> pd.DataFrame:
    """The facts of one table with helper columns: ``_item`` / ``_measure`` normalised labels
    and ``wan`` = the amount in 万元 (counts are left as printed)."""
    facts = _frame(report, "facts")
    if facts.empty or "table" not in facts.columns:
        return pd.DataFrame(columns=["table", "code", "item", "measure", "amount", "wan", "_item",
                                     "_measure", "item_key", "measure_key", "section"])
    df = facts[facts["table"] == key].copy()
    for col in ("code", "item", "measure", "item_key", "measure_key", "section", "unit"):
        if col not in df.columns:
            df[col] = ""
        df[col] = df[col].fillna("").astype(str)
    df["amount"] = pd.to_numeric(df["amount"], errors="coerce")
    factor = pd.to_numeric(df["unit"].map(lambda u: _UNIT_FACTORS.get(u.strip(), 1.0)), errors="coerce")
    df["wan"] = df["amount"].astype("float64") * factor.astype("float64").to_numpy()
    df["_item"] = df["item"].map(norm)
    df["_measure"] = df["measure"].map(norm)
    return df


def _match(series: pd.Series, needles: Iterable[str] | str | None, exact: bool) -> pd.Series:
    if needles is None:
        return pd.Series(True, index=series.index)
    if isinstance(needles, str):
        needles = (needles,)
    needles = [norm(n) for n in needles]
    if exact:
        return series.isin(needles)
    return series.map(lambda s: any(n in s for n in needles))


def _pick(df: pd.DataFrame, *, item=None, measure=None, item_key=None, measure_key=None,
          code=None, section=None) -> pd.DataFrame:
    """Rows matching every given criterion. Keys are compared exactly; labels exactly first
    and, when nothing matches exactly, by containment."""
    if df.empty:
        return df
    mask = pd.Series(True, index=df.index)
    if code is not None:
        mask &= df["code"] == str(code)
    if section is not None:
        mask &= df["section"] == section
    if item_key is not None:
        by_key = mask & df["item_key"].isin([item_key] if isinstance(item_key, str) else item_key)
        if by_key.any() or item is None:
            mask = by_key
            item = None
    if measure_key is not None:
        by_key = mask & df["measure_key"].isin([measure_key] if isinstance(measure_key, str) else measure_key)
        if by_key.any() or measure is None:
            mask = by_key
            measure = None
    for col, needles in (("_item", item), ("_measure", measure)):
        if needles is None:
            continue
        exact = mask & _match(df[col], needles, exact=True)
        mask = exact if exact.any() else mask & _match(df[col], needles, exact=False)
    return df[mask]


def _value(df: pd.DataFrame, blank: float = NaN, **criteria) -> float:
    """The amount (万元) of the first fact matching ``criteria``; ``blank`` when none matches."""
    hit = _pick(df, **criteria)
    hit = hit.dropna(subset=["wan"])
    if hit.empty:
        return blank
    return float(hit["wan"].iloc[0])


def _blank(report: Any, key: str) -> float:
    """What an unprinted cell means: 0 in a table that is printed (blank cell = nothing spent),
    NaN when the table is missing from the report."""
    return 0.0 if table_status(report, key) in ("present", "empty") else NaN


def _sorted(df: pd.DataFrame, by: list[str], ascending: bool | list[bool] = True) -> pd.DataFrame:
    if df.empty:
        return df.reset_index(drop=True)
    return df.sort_values(by, ascending=ascending, kind="mergesort").reset_index(drop=True)


def source_label(key: str) -> str:
    return TABLE_NUMBERS.get(key, key)


# =========================================================================== loading

def catalogued_ids() -> list[str]:
    """Sorted report ids of the catalogue (data/catalog.json)."""
    from . import report_ids

    return sorted(str(i) for i in report_ids())


def check_report_id(report_id: str) -> str:
    """``report_id`` if it is catalogued; otherwise :class:`~xinzhou_fiscal.errors.UnknownReportError`
    whose message lists the valid ids. Nothing is read or written for an unknown id (so a path
    like ``../x`` never reaches the file system)."""
    from .errors import UnknownReportError

    valid = catalogued_ids()
    if not isinstance(report_id, str) or report_id not in valid:
        raise UnknownReportError(
            f"unknown report id {report_id!r}; valid ids: {', '.join(valid) or '(none catalogued)'}")
    return report_id


def load_report(report_id: str):
    """Load a catalogued report by id (checked first by :func:`check_report_id`)."""
    from . import load

    return load(check_report_id(report_id))


def describe(report: Any) -> pd.DataFrame:
    """Who and what: department, year, unit, source file name (no path), staffing (概况)."""
    src = str(getattr(report, "source_file", "") or "")
    rows = [
        ("报告编号", getattr(report, "report_id", "")),
        ("部门（单位）", getattr(report, "department", "")),
        ("年度", getattr(report, "year", "")),
        ("类型", getattr(report, "kind", "")),
        ("原始文件", src.replace("\\", "/").rsplit("/", 1)[-1]),
        ("人员编制数", _fmt_count(_staffing(report))),
    ]
    return pd.DataFrame(rows, columns=["field", "value"]).astype({"value": str})


def _fmt_count(v: float) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.0f}"


# =========================================================================== 公开01表 / 02表

_SUMMARY = "income_expenditure_summary"

_TOTAL_LINES = [
    # (side, label, item_key, item needles)
    ("收入", "本年收入合计", "income_total", ("本年收入合计",)),
    ("收入", "使用非财政拨款结余和专用结余", "use_nonfiscal_balance", ("使用非财政拨款结余",)),
    ("收入", "年初结转和结余", "carryover_begin", ("年初结转和结余",)),
    ("收入", "收入总计", "grand_total", ("总计",)),
    ("支出", "本年支出合计", "expenditure_total", ("本年支出合计",)),
    ("支出", "结余分配", "balance_distribution", ("结余分配",)),
    ("支出", "年末结转和结余", "carryover_end", ("年末结转和结余",)),
    ("支出", "支出总计", "grand_total", ("总计",)),
]
_SIDE_KEYS = {"收入": "income", "支出": "expenditure"}


def _summary_amount(report: Any, side: str, item_key: str, needles: tuple[str, ...]) -> float:
    df = _facts(report, _SUMMARY)
    if df.empty:
        return NaN
    side_df = df[df["section"] == _SIDE_KEYS[side]] if (df["section"] != "").any() else df
    # the 金额 column only (04 has several); the first amount column otherwise
    value = _value(side_df, item_key=item_key, item=needles, blank=NaN)
    if math.isnan(value) and item_key in ("use_nonfiscal_balance", "carryover_begin",
                                          "balance_distribution", "carryover_end"):
        return _blank(report, _SUMMARY)
    return value


def totals(report: Any) -> pd.DataFrame:
    """收入/支出 totals of 公开01表 (收入支出决算总表): 本年收入合计, 年初结转和结余, 总计 on the
    income side; 本年支出合计, 结余分配, 年末结转和结余, 总计 on the expenditure side (万元)."""
    rows = [(side, label, _summary_amount(report, side, key, needles), source_label(_SUMMARY))
            for side, label, key, needles in _TOTAL_LINES]
    return pd.DataFrame(rows, columns=["side", "item", "amount", "source"])


def total_income(report: Any) -> float:
    """本年收入合计 (公开01表), falling back to the 合计 row of 公开02表."""
    v = _summary_amount(report, "收入", "income_total", ("本年收入合计",))
    if math.isnan(v):
        v = _value(_facts(report, "income"), item_key="total", item=("合计",), measure_key="total",
                   measure=("本年收入合计",))
    return v


def total_expenditure(report: Any) -> float:
    """本年支出合计 (公开01表), falling back to the 合计 row of 公开03表."""
    v = _summary_amount(report, "支出", "expenditure_total", ("本年支出合计",))
    if math.isnan(v):
        v = _value(_facts(report, "expenditure"), item_key="total", item=("合计",), measure_key="total",
                   measure=("本年支出合计",))
    return v


_INCOME_SOURCES = [
    # label, measure_key in 02, needles
    ("财政拨款收入", "fiscal_grant", ("财政拨款收入", "财政拨款")),
    ("上级补助收入", "higher_subsidy", ("上级补助收入",)),
    ("事业收入", "business", ("事业收入",)),
    ("经营收入", "operating", ("经营收入",)),
    ("附属单位上缴收入", "affiliate_remit", ("附属单位上缴收入",)),
    ("其他收入", "other", ("其他收入",)),
]


def income_sources(report: Any) -> pd.DataFrame:
    """Sources of funds: the 合计 row of 公开02表 (收入决算表) by income column, with each source's
    share of 本年收入合计 (%). Falls back to the income lines of 公开01表 when 02 is missing."""
    inc = _facts(report, "income")
    total = total_income(report)
    rows = []
    if not inc.empty:
        tot = _pick(inc, item_key="total", item=("合计",))
        blank = _blank(report, "income")
        for label, mkey, needles in _INCOME_SOURCES:
            rows.append((label, _value(tot, measure_key=mkey, measure=needles, blank=blank), "公开02表"))
    else:
        summ = _facts(report, _SUMMARY)
        summ = summ[summ["section"] == "income"] if (summ["section"] != "").any() else summ
        blank = _blank(report, _SUMMARY)
        if not summ.empty:
            fiscal = sum(_value(summ, item=(n,), blank=0.0) for n in
                         ("一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入"))
            rows.append(("财政拨款收入", fiscal, "公开01表"))
            for label, _, needles in _INCOME_SOURCES[1:]:
                rows.append((label, _value(summ, item=needles, blank=blank), "公开01表"))
    df = pd.DataFrame(rows, columns=["source_of_funds", "amount", "source"])
    df["share_pct"] = [_pct(a, total) for a in df["amount"]]
    return df[["source_of_funds", "amount", "share_pct", "source"]]


def fiscal_share(report: Any) -> float:
    """财政拨款收入 / 本年收入合计 (公开02表 合计 row, 公开01表), as a fraction."""
    src = income_sources(report)
    fiscal = src.loc[src["source_of_funds"] == "财政拨款收入", "amount"]
    return _ratio(fiscal.iloc[0] if len(fiscal) else NaN, total_income(report))


# =========================================================================== 公开03表 / 05表

_COLS = {"total": ("本年支出合计", "合计", "小计"), "basic": ("基本支出",), "project": ("项目支出",)}


def expenditure_by_function(report: Any, level: str = "类", table: str = "expenditure") -> pd.DataFrame:
    """Expenditure by function code at ``level`` 类/款/项 from 公开03表 (支出决算表, the default)
    or 公开05表 (``table="general_budget_expenditure"``, 一般公共预算财政拨款): columns code, name,
    total, basic, project (万元) and share_pct of the table's 合计. Sorted by code."""
    digits = _LEVELS[level]
    df = _facts(report, table)
    cols = ["code", "name", "level", "total", "basic", "project", "share_pct", "source"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    coded = df[df["code"].str.fullmatch(r"\d+") & (df["code"].str.len() == digits)]
    blank = _blank(report, table)
    rows = []
    for code, g in coded.groupby("code", sort=True):
        name = g["item"].iloc[0]
        vals = {k: _value(g, measure_key=k, measure=needles, blank=blank) for k, needles in _COLS.items()}
        rows.append({"code": code, "name": norm(name), "level": level, **vals})
    out = pd.DataFrame(rows, columns=cols[:-2])
    grand = _value(df, item_key="total", item=("合计",), measure_key="total", measure=_COLS["total"])
    out["share_pct"] = [_pct(v, grand) for v in out["total"]]
    out["source"] = source_label(table)
    return _sorted(out, ["code"])


def basic_project_split(report: Any) -> pd.DataFrame:
    """基本支出 vs 项目支出 from the 合计 rows of 公开03表 (all funds) and 公开05表 (一般公共预算
    财政拨款): total, basic, project (万元) and their shares (%)."""
    rows = []
    for key, scope in (("expenditure", "本年支出（全部资金）"),
                       ("general_budget_expenditure", "一般公共预算财政拨款")):
        df = _facts(report, key)
        tot = _pick(df, item_key="total", item=("合计",))
        blank = _blank(report, key) if not df.empty else NaN
        vals = {k: _value(tot, measure_key=k, measure=needles, blank=blank) for k, needles in _COLS.items()}
        rows.append({"scope": scope, **vals, "basic_share_pct": _pct(vals["basic"], vals["total"]),
                     "project_share_pct": _pct(vals["project"], vals["total"]), "source": source_label(key)})
    return pd.DataFrame(rows, columns=["scope", "total", "basic", "project", "basic_share_pct",
                                       "project_share_pct", "source"])


# =========================================================================== 公开06表

PERSONNEL_CLASSES = ("301", "303")
ECONOMIC_CLASS_NAMES = {
    "301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助", "307": "债务利息及费用支出",
    "309": "资本性支出（基本建设）", "310": "资本性支出", "311": "对企业补助（基本建设）", "312": "对企业补助",
    "313": "对社会保障基金补助", "399": "其他支出",
}


def economic_classes(report: Any) -> pd.DataFrame:
    """公开06表 (一般公共预算财政拨款基本支出决算明细表) by economic class (3-digit code): code, name,
    group (人员经费 = 301 + 303, 公用经费 = every other class), amount (万元), share_pct of 基本支出.
    Classes printed blank or with a dash are left out. Sorted by code."""
    df = _facts(report, "general_budget_basic")
    cols = ["code", "name", "group", "amount", "share_pct", "source"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    cls = df[df["code"].str.fullmatch(r"\d{3}")].dropna(subset=["wan"])
    rows = []
    for code, g in cls.groupby("code", sort=True):
        rows.append({"code": code, "name": ECONOMIC_CLASS_NAMES.get(code, norm(g["item"].iloc[0])),
                     "group": "人员经费" if code in PERSONNEL_CLASSES else "公用经费",
                     "amount": float(g["wan"].iloc[0])})
    out = pd.DataFrame(rows, columns=cols[:4])
    out["share_pct"] = [_pct(a, out["amount"].sum()) for a in out["amount"]]
    out["source"] = source_label("general_budget_basic")
    return _sorted(out, ["code"])


def personnel_public(report: Any) -> pd.DataFrame:
    """人员经费 vs 公用经费 (公开06表): ``computed`` from the class rows (301 + 303; 302 + 310 + other
    classes) and ``printed`` (人员经费合计 / 公用经费合计), in 万元, with share_pct of the sum."""
    df = _facts(report, "general_budget_basic")
    classes = economic_classes(report)
    rows = []
    for group, key, needles in (("人员经费", "personnel_total", ("人员经费合计",)),
                                ("公用经费", "public_total", ("公用经费合计",))):
        part = classes[classes["group"] == group]["amount"]
        computed = float(part.sum()) if len(classes) else NaN
        printed = _value(df, item_key=key, item=needles) if not df.empty else NaN
        rows.append({"group": group, "computed": computed, "printed": printed})
    out = pd.DataFrame(rows, columns=["group", "computed", "printed"])
    basis = out["printed"].where(out["printed"].notna(), out["computed"])
    out["share_pct"] = [_pct(v, basis.sum(min_count=1)) for v in basis]
    out["source"] = source_label("general_budget_basic")
    return out


def personnel_share(report: Any) -> float:
    """人员经费 / (人员经费 + 公用经费) of 公开06表 (printed totals, else computed), a fraction."""
    pp = personnel_public(report)
    basis = pp["printed"].where(pp["printed"].notna(), pp["computed"])
    return _ratio(basis.iloc[0], basis.sum(min_count=1))


# =========================================================================== 公开09表

THREE_PUBLIC_ITEMS = [
    # label, measure-key suffix (measure_key is "<budget|actual>_<suffix>"), header leaf
    ("合计", "total", "合计"),
    ("因公出国(境)费", "abroad", "因公出国(境)费"),
    ("公务用车购置及运行维护费", "vehicle_subtotal", "小计"),
    ("其中：公务用车购置费", "vehicle_purchase", "公务用车购置费"),
    ("其中：公务用车运行维护费", "vehicle_operation", "公务用车运行维护费"),
    ("公务接待费", "reception", "公务接待费"),
]
_PHASES = {"budget": "预算数", "actual": "决算数"}


def _three_public_value(df: pd.DataFrame, phase: str, key: str, leaf: str, blank: float) -> float:
    if df.empty:
        return blank
    hit = df[df["measure_key"] == f"{phase}_{key}"]
    if hit.empty:  # by the printed header: 预算数/…/<leaf>
        hit = df[df["_measure"].str.startswith(_PHASES[phase])
                 & (df["_measure"].str.rsplit("/", n=1).str[-1] == norm(leaf))]
    hit = hit.dropna(subset=["wan"])
    return float(hit["wan"].iloc[0]) if len(hit) else blank


def three_public(report: Any) -> pd.DataFrame:
    """“三公”经费 预算数 vs 决算数 from 公开09表 (财政拨款“三公”经费支出决算表): one row per item
    (合计, 因公出国(境)费, 公务用车购置及运行维护费 with 购置费/运行维护费, 公务接待费), budget and
    actual in 万元 (a blank cell of a printed table is 0), completion_pct = actual / budget."""
    df = _facts(report, "three_public")
    blank = _blank(report, "three_public")
    rows = []
    for label, key, leaf in THREE_PUBLIC_ITEMS:
        budget = _three_public_value(df, "budget", key, leaf, blank)
        actual = _three_public_value(df, "actual", key, leaf, blank)
        rows.append({"item": label, "budget": budget, "actual": actual,
                     "completion_pct": _pct(actual, budget)})
    out = pd.DataFrame(rows, columns=["item", "budget", "actual", "completion_pct"])
    out["source"] = source_label("three_public")
    return out


def _three_public_total(report: Any, column: str) -> float:
    tp = three_public(report)
    return float(tp.loc[tp["item"] == "合计", column].iloc[0])


# =========================================================================== 公开10表

_PROCUREMENT = [("合计", "procurement_total"), ("货物", "procurement_goods"),
                ("工程", "procurement_works"), ("服务", "procurement_services")]
_VEHICLES = [("车辆数合计", "vehicles_total"), ("副部(省)级及以上领导用车", "vehicles_ministerial"),
             ("主要负责人用车", "vehicles_principal"), ("机要通信用车", "vehicles_confidential"),
             ("应急保障用车", "vehicles_emergency"), ("执法执勤用车", "vehicles_enforcement"),
             ("特种专业技术用车", "vehicles_special"), ("离退休干部服务用车", "vehicles_retiree"),
             ("其他用车", "vehicles_other")]
_RUNNING_KEYS = ("admin_operating_admin_units", "admin_operating_civil_servant_units")


def _related_value(df: pd.DataFrame, key: str, label: str, blank: float, section: str = "") -> float:
    hit = df[df["item_key"] == key]
    if hit.empty and not df.empty:  # by the printed label within its section
        sec = df[df["section"].map(norm).str.contains(section)] if section else df
        hit = sec[sec["_item"].str.replace(r"\(辆\)$", "", regex=True) == norm(label)]
    hit = hit.dropna(subset=["wan"])
    return float(hit["wan"].iloc[0]) if len(hit) else blank


def _narrative_amount(report: Any, needle: str, parent: str | None = None) -> tuple[float, str]:
    """The first 决算数 (万元) the narrative states for a subject containing ``needle`` (and, when
    given, whose parent contains ``parent``, else with no parent): (value, subject)."""
    c = _claims(report)
    if c.empty:
        return NaN, ""
    par = c["parent"].fillna("").map(norm) if "parent" in c.columns else pd.Series("", index=c.index)
    hit = c[(c["_metric"] == "决算数") & c["_subject"].str.contains(needle, regex=False)
            & (par.str.contains(parent, regex=False) if parent else par.eq(""))]
    if "unit" in hit.columns:
        hit = hit[hit["unit"].fillna("万元").astype(str).isin(["万元", ""])]
    hit = hit.dropna(subset=["value"])
    return (float(hit["value"].iloc[0]), hit["_subject"].iloc[0]) if len(hit) else (NaN, "")


def procurement(report: Any) -> pd.DataFrame:
    """政府采购: 合计, 货物, 工程, 服务 in 万元 with share_pct of 合计, from 公开10表 (一、政府采购
    情况); when the report has no 公开10表 (e.g. Shanghai), from the 情况说明 (政府采购 sentences)."""
    if table_status(report, "related_info") == "missing":
        total, subject = _narrative_amount(report, "政府采购")
        rows = [{"item": "合计", "amount": total}]
        for label in ("货物", "工程", "服务"):
            v = _narrative_amount(report, label, parent=subject)[0] if subject else NaN
            rows.append({"item": label, "amount": v})
        source = "情况说明"
    else:
        df = _facts(report, "related_info")
        blank = _blank(report, "related_info")
        rows = [{"item": label, "amount": _related_value(df, key, label, blank, "采购")} for label, key in _PROCUREMENT]
        source = source_label("related_info")
    out = pd.DataFrame(rows, columns=["item", "amount"])
    total = out["amount"].iloc[0]
    out["share_pct"] = [_pct(a, total) for a in out["amount"]]
    out["source"] = source
    return out


def running_costs(report: Any) -> float:
    """机关运行经费 (公开10表 二、机关运行经费: 行政单位 + 参照公务员法管理事业单位), 万元; when the
    report has no 公开10表, the 机关运行经费 the 情况说明 states; NaN when neither gives it."""
    df = _facts(report, "related_info")
    if table_status(report, "related_info") == "missing":
        return _narrative_amount(report, "机关运行经费")[0]
    parts = [_related_value(df, key, label, NaN, "机关运行经费")
             for key, label in zip(_RUNNING_KEYS, ("行政单位", "参照公务员法管理事业单位"))]
    parts = [p for p in parts if not math.isnan(p)]
    return float(sum(parts)) if parts else 0.0


def vehicles(report: Any) -> pd.DataFrame:
    """国有资产占用 (公开10表 三): vehicle counts by kind (辆) and 单价100万元(含)以上设备 (台/套);
    a blank line of a printed table counts 0."""
    df = _facts(report, "related_info")
    blank = _blank(report, "related_info")
    rows = [{"item": label, "count": _related_value(df, key, label, blank, "资产")} for label, key in _VEHICLES]
    rows.append({"item": "单价100万元(含)以上设备", "count": _related_value(
        df, "equipment_over_1m", "单价100万元(含)以上设备(不含车辆)", blank, "资产")})
    out = pd.DataFrame(rows, columns=["item", "count"])
    out["source"] = "无公开10表" if table_status(report, "related_info") == "missing" else source_label("related_info")
    return out


def related_info(report: Any) -> pd.DataFrame:
    """公开10表 at a glance: 政府采购合计, 机关运行经费 (万元), 车辆数, and 机关运行经费 per staff
    position (人员编制数 from 概况)."""
    proc = procurement(report)
    veh = vehicles(report)
    rc = running_costs(report)
    staff = _staffing(report)
    rows = [("政府采购合计", proc["amount"].iloc[0], "万元"), ("机关运行经费", rc, "万元"),
            ("人均机关运行经费（按编制数）", _ratio(rc, staff), "万元/人"),
            ("车辆数合计", veh["count"].iloc[0], "辆"), ("人员编制数", staff, "人")]
    return pd.DataFrame(rows, columns=["item", "value", "unit"])


# =========================================================================== headline

def _related_source(report: Any) -> str:
    return "情况说明" if table_status(report, "related_info") == "missing" else source_label("related_info")


def headline(report: Any) -> pd.DataFrame:
    """The figures a reader looks for first, each with the table it comes from (万元)."""
    split = basic_project_split(report)
    pp = personnel_public(report)
    basis = pp["printed"].where(pp["printed"].notna(), pp["computed"])
    src = income_sources(report)
    fiscal = src.loc[src["source_of_funds"] == "财政拨款收入", "amount"]
    tp = three_public(report)
    rows = [
        ("本年收入合计", total_income(report), "万元", "公开01表"),
        ("本年支出合计", total_expenditure(report), "万元", "公开01表"),
        ("财政拨款收入", fiscal.iloc[0] if len(fiscal) else NaN, "万元", "公开02表"),
        ("基本支出", split["basic"].iloc[0], "万元", "公开03表"),
        ("项目支出", split["project"].iloc[0], "万元", "公开03表"),
        ("人员经费", basis.iloc[0], "万元", "公开06表"),
        ("公用经费", basis.iloc[1], "万元", "公开06表"),
        ("“三公”经费 预算数", tp["budget"].iloc[0], "万元", "公开09表"),
        ("“三公”经费 决算数", tp["actual"].iloc[0], "万元", "公开09表"),
        ("机关运行经费", running_costs(report), "万元", _related_source(report)),
        ("政府采购合计", procurement(report)["amount"].iloc[0], "万元", _related_source(report)),
        ("人员编制数", _staffing(report), "人", "概况"),
    ]
    return pd.DataFrame(rows, columns=["figure", "value", "unit", "source"])


# =========================================================================== narrative

def _claims(report: Any) -> pd.DataFrame:
    """``report.claims`` with normalised ``_subject`` / ``_metric`` and numeric ``value``; empty
    (with those columns) when the report has no narrative."""
    c = _frame(report, "claims")
    if c.empty or not {"subject", "metric", "value"} <= set(c.columns):
        return pd.DataFrame(columns=["subject", "metric", "value", "unit", "_subject", "_metric"])
    c = c.copy()
    c["_subject"] = c["subject"].map(norm)
    c["_metric"] = c["metric"].map(norm)
    c["value"] = pd.to_numeric(c["value"], errors="coerce")
    return c


def _function_class_names() -> set[str]:
    try:
        from .tables.spec import FUNCTION_CLASSES
    except ImportError:  # pragma: no cover
        return set()
    return {norm(n) for n in FUNCTION_CLASSES}


def budget_completion(report: Any) -> pd.DataFrame:
    """Budget completion from the narrative (情况说明 五（三）一般公共预算财政拨款支出决算具体情况):
    for the whole and for each function class, the 年初预算 and the 决算数 stated next to it (万元,
    ``report.claims``), completion_pct recomputed as 决算 / 年初预算 and stated_pct as printed
    (完成率). ``scope`` is 合计 for the whole, else the printed level (类/款/项) or 科目. Only
    statements of the 一般公共预算 section (三公 has its own). In the order printed."""
    c = _claims(report)
    cols = ["scope", "subject", "budget", "actual", "completion_pct", "stated_pct"]
    if c.empty:
        return pd.DataFrame(columns=cols)
    c = c.reset_index(drop=True)
    if "section" in c.columns:  # 一般公共预算 expenditure only (三公 has its own 全年预算 statements)
        in_section = c["section"].fillna("").map(norm).str.contains("一般公共预算")
        if in_section.any():
            c = c[in_section].reset_index(drop=True)
    parent = c["parent"].fillna("").map(norm) if "parent" in c.columns else pd.Series("", index=c.index)
    level = c["category_level"].fillna("").map(norm).str.strip("()") if "category_level" in c.columns \
        else pd.Series("", index=c.index)
    parents = set(parent)
    budget_rows = c.index[c["_metric"] == "年初预算"]
    rows = []
    for i in budget_rows:
        subject = c.at[i, "_subject"]
        after = c.iloc[i + 1:]
        after = after[after["_subject"] == subject]
        actual = after[after["_metric"] == "决算数"]["value"]
        rate = after[after["_metric"] == "完成率"]["value"]
        bv = float(c.at[i, "value"])
        av = float(actual.iloc[0]) if len(actual) else NaN
        scope = "合计" if subject in parents and not parent[i] else \
            (level[i] or ("类" if subject in _function_class_names() else "科目"))
        rows.append({"scope": scope, "subject": subject, "budget": bv, "actual": av,
                     "completion_pct": _pct(av, bv), "stated_pct": float(rate.iloc[0]) if len(rate) else NaN})
    out = pd.DataFrame(rows, columns=cols).drop_duplicates(["scope", "subject"])
    return out.reset_index(drop=True)


def overall_budget_completion(report: Any) -> float:
    """决算 / 年初预算 of all 一般公共预算财政拨款 expenditure (情况说明 五（三）), a fraction: the
    whole's own statement, else the sum over the function classes stated."""
    bc = budget_completion(report)
    if bc.empty:
        return NaN
    whole = bc[bc["scope"] == "合计"]
    if len(whole):
        return _ratio(whole["actual"].iloc[0], whole["budget"].iloc[0])
    return _ratio(bc["actual"].sum(min_count=1), bc["budget"].sum(min_count=1))


def year_on_year(report: Any) -> pd.DataFrame:
    """Year-on-year from the narrative (情况说明: 与上年相比 增加/减少 X万元, 增长/下降 Y%): for each
    subject, the previous-year figure derived as current − change (``report.previous_year``),
    the current figure, the change and the rate (recomputed; ``stated_pct`` as printed). In the
    order the narrative states them."""
    prev = _frame(report, "previous_year")
    cols = ["subject", "previous", "current", "change", "change_pct", "stated_pct"]
    if prev.empty or "subject" not in prev.columns:
        return pd.DataFrame(columns=cols)
    p = prev.copy()
    num = lambda name: pd.to_numeric(p[name], errors="coerce") if name in p.columns \
        else pd.Series(np.nan, index=p.index)  # noqa: E731
    out = pd.DataFrame({"subject": p["subject"].map(norm), "previous": num("value"), "current": num("current_value"),
                        "change": num("change"), "stated_pct": num("stated_rate")})
    if "metric" in p.columns:  # a figure other than an amount (e.g. a count) keeps its metric
        other = p["metric"].map(norm) != "决算数"
        out.loc[other, "subject"] = out.loc[other, "subject"] + "·" + p.loc[other, "metric"].map(norm)
    out["current"] = out["current"].where(out["current"].notna(), out["previous"] + out["change"])
    out["change"] = out["change"].where(out["change"].notna(), out["current"] - out["previous"])
    out["change_pct"] = [_pct(ch, pv) for ch, pv in zip(out["change"], out["previous"])]
    out = out.drop_duplicates("subject")
    return out[cols].reset_index(drop=True)


# =========================================================================== performance

_PROJECT_COLUMNS = ["project", "budget", "executed", "execution_rate", "total_score", "grade"]


def grade_for(score: float) -> str:
    """Grade by 财预〔2020〕10号: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return ""
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


def _is_whole(project: pd.Series) -> pd.Series:
    return project.astype(str).str.contains("部门整体|单位整体|整体绩效")


def project_evaluations(report: Any, include_whole: bool = False) -> pd.DataFrame:
    """The project self-evaluations (附件 项目支出绩效自评表, ``report.projects``): budget and
    executed (万元), execution_rate (%), total_score and grade as printed, plus
    execution_points (the 10-point budget-execution indicator: the printed 得分, else
    execution_rate / 10),
    other_points (= total − execution points: the self-assigned 90-point part), score_gap
    (= total_score − execution_rate: how far the self-score sits above the execution rate) and
    grade_expected (from the total score). The 部门整体 table is left out unless
    ``include_whole``. Sorted by execution rate, then project."""
    projects = _frame(report, "projects")
    cols = _PROJECT_COLUMNS + ["execution_points", "other_points", "score_gap", "grade_expected"]
    if projects.empty or "project" not in projects.columns:
        return pd.DataFrame(columns=cols)
    p = projects.copy()
    for c in _PROJECT_COLUMNS:
        if c not in p.columns:
            p[c] = NaN if c != "grade" else ""
    if not include_whole:
        p = p[~_is_whole(p["project"])]
        if "kind" in p.columns:
            p = p[~p["kind"].astype(str).str.contains("whole|整体|department")]
    printed_points = pd.to_numeric(p["execution_score"], errors="coerce") if "execution_score" in p.columns \
        else pd.Series(np.nan, index=p.index)
    p = p[_PROJECT_COLUMNS].copy()
    for c in ("budget", "executed", "execution_rate", "total_score"):
        p[c] = pd.to_numeric(p[c], errors="coerce")
    missing_rate = p["execution_rate"].isna()
    p.loc[missing_rate, "execution_rate"] = [_pct(e, b) for e, b in
                                            zip(p.loc[missing_rate, "executed"], p.loc[missing_rate, "budget"])]
    p["grade"] = p["grade"].fillna("").astype(str)
    computed_points = (p["execution_rate"].clip(upper=100) / 10).round(2)
    p["execution_points"] = printed_points.where(printed_points.notna(), computed_points)
    p["other_points"] = (p["total_score"] - p["execution_points"]).round(2)
    p["score_gap"] = (p["total_score"] - p["execution_rate"]).round(2)
    p["grade_expected"] = p["total_score"].map(grade_for)
    return _sorted(p[cols], ["execution_rate", "project"])


def grade_counts(report: Any) -> pd.DataFrame:
    """Number of projects and their budget (万元) per grade 优/良/中/差 (project self-evaluations)."""
    p = project_evaluations(report)
    rows = []
    for g in ("优", "良", "中", "差"):
        sel = p[p["grade"] == g]
        rows.append({"grade": g, "projects": int(len(sel)), "budget": float(sel["budget"].sum())})
    return pd.DataFrame(rows, columns=["grade", "projects", "budget"])


def performance_summary(report: Any) -> dict:
    """Mean execution rate (%), mean self-score, mean score gap, budget-weighted execution rate."""
    p = project_evaluations(report)
    if p.empty:
        return {"projects": 0, "mean_execution_rate": NaN, "weighted_execution_rate": NaN,
                "mean_total_score": NaN, "mean_score_gap": NaN}
    return {"projects": int(len(p)),
            "mean_execution_rate": float(p["execution_rate"].mean()),
            "weighted_execution_rate": _pct(p["executed"].sum(min_count=1), p["budget"].sum(min_count=1)),
            "mean_total_score": float(p["total_score"].mean()),
            "mean_score_gap": float(p["score_gap"].mean())}


# =========================================================================== audit

SEVERITY_ORDER = ("error", "warning", "rounding", "info", "ok")


AUDIT_COLUMNS = ["rule", "severity", "message", "expected", "actual"]


_AUDIT_CACHE_ATTR = "_analysis_audit_frame"


def _audit_frame(report: Any) -> pd.DataFrame | None:
    """``xinzhou_fiscal.audit(report)`` (computed once per report object); None when the audit
    cannot run (reported as a :class:`MissingPieceWarning`)."""
    cached = getattr(report, "__dict__", {}).get(_AUDIT_CACHE_ATTR)
    if cached is not None:
        return cached[0]
    try:
        from . import audit
        df = audit(report)
        df = df if isinstance(df, pd.DataFrame) else None
    except Exception as exc:  # noqa: BLE001 - reported, not hidden
        warnings.warn(f"{getattr(report, 'report_id', '?')}: the audit could not run "
                      f"({type(exc).__name__}: {exc})", MissingPieceWarning, stacklevel=3)
        df = None
    try:
        report.__dict__[_AUDIT_CACHE_ATTR] = (df,)
    except (AttributeError, TypeError):
        pass
    return df


def audit_findings(report: Any, audit_frame: pd.DataFrame | None = None,
                   severities: Iterable[str] | None = None) -> pd.DataFrame:
    """The audit's findings (``xinzhou_fiscal.audit(report)``) except passes, sorted by severity
    (error, warning, rounding, info) then rule; only the given ``severities`` when set. Empty,
    with the columns, when nothing was found or the audit is unavailable."""
    df = _audit_frame(report) if audit_frame is None else audit_frame
    if df is None or df.empty:
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    df = df.copy()
    for c in AUDIT_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df["severity"] = df["severity"].astype(str).str.lower()
    df = df[~df["severity"].isin(["ok", "pass", "passed"])]
    if severities is not None:
        df = df[df["severity"].isin([str(v).lower() for v in severities])]
    order = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    df["_o"] = df["severity"].map(lambda s: order.get(s, len(order)))
    return _sorted(df, ["_o", "rule", "message"])[AUDIT_COLUMNS]


def audit_summary(report: Any, audit_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Number of audit checks per severity (error, warning, rounding, info, ok). Error and
    warning rows are always present; the whole frame is empty when the audit is unavailable."""
    df = _audit_frame(report) if audit_frame is None else audit_frame
    if df is None:
        return pd.DataFrame(columns=["severity", "findings"])
    sev = df["severity"].astype(str).str.lower().replace({"pass": "ok", "passed": "ok"}) \
        if "severity" in df.columns else pd.Series(dtype=str)
    counts = sev.value_counts()
    names = list(dict.fromkeys(["error", "warning", *[s for s in SEVERITY_ORDER if s in counts.index],
                                *sorted(set(counts.index) - set(SEVERITY_ORDER))]))
    names.sort(key=lambda s: SEVERITY_ORDER.index(s) if s in SEVERITY_ORDER else len(SEVERITY_ORDER))
    return pd.DataFrame({"severity": names, "findings": [int(counts.get(s, 0)) for s in names]})


def audit_by_rule(report: Any, audit_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Audit findings per rule: rule, severity, number of findings; errors first, then warnings,
    rounding notes, infos; by rule within a severity."""
    f = audit_findings(report, audit_frame)
    cols = ["rule", "severity", "findings"]
    if f.empty:
        return pd.DataFrame(columns=cols)
    out = f.groupby(["rule", "severity"], sort=False).size().reset_index(name="findings")
    order = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    out["_o"] = out["severity"].map(lambda s: order.get(s, len(order)))
    return _sorted(out, ["_o", "rule"])[cols]


def _audit_counts(report: Any) -> tuple[Any, Any]:
    s = audit_summary(report)
    if s.empty:
        return pd.NA, pd.NA
    get = lambda sev: int(s.loc[s["severity"] == sev, "findings"].sum())  # noqa: E731
    return get("error"), get("warning")


# =========================================================================== comparison

COMPARISON_COLUMNS = [
    "report_id", "department", "year", "basis", "label", "income_total", "expenditure_total",
    "grand_total", "general_budget_expenditure", "fiscal_share_pct", "basic_share_pct",
    "project_share_pct", "personnel_share_pct", "staffing", "three_public_actual",
    "three_public_per_staff", "running_costs", "running_costs_per_staff", "budget_completion_pct",
    "mean_execution_rate", "mean_self_score", "self_score_gap", "audit_errors", "audit_warnings",
]


def _short_name(report: Any) -> str:
    """The catalogue's short department name (department_short), else the full name."""
    try:
        from . import catalog

        cat = catalog()
        hit = cat.loc[cat["report_id"] == getattr(report, "report_id", None)]
        if len(hit) and "department_short" in hit.columns and isinstance(hit["department_short"].iloc[0], str):
            return hit["department_short"].iloc[0]
    except Exception:  # noqa: BLE001 - a label only
        pass
    return str(getattr(report, "department", "") or getattr(report, "report_id", ""))


def comparison_row(report: Any) -> dict:
    """One department-year: totals and headline ratios (%, or 万元 per 编制 position).

    Totals: 本年收入合计, 本年支出合计, 总计 (01) and 一般公共预算财政拨款支出 (05 合计).
    fiscal_share = 财政拨款收入 / 本年收入合计 (02, 01); basic/project share of 本年支出 (03);
    personnel_share = 人员经费 / (人员经费 + 公用经费) (06); 三公 决算 (09) and 机关运行经费 (10)
    per staff position (人员编制数, 概况); budget_completion = 决算 / 年初预算 (情况说明);
    mean execution rate and self-score of the project self-evaluations; audit error and
    warning counts."""
    split = basic_project_split(report)
    staff = _staffing(report)
    tp_actual = _three_public_total(report, "actual")
    rc = running_costs(report)
    perf = performance_summary(report)
    errors, warns = _audit_counts(report)
    return {
        "report_id": getattr(report, "report_id", ""),
        "department": getattr(report, "department", ""),
        "year": int(getattr(report, "year", 0) or 0),
        "basis": "决算报表",
        "label": f"{_short_name(report)} {int(getattr(report, 'year', 0) or 0)}",
        "income_total": total_income(report),
        "expenditure_total": total_expenditure(report),
        "grand_total": _summary_amount(report, "收入", "grand_total", ("总计",)),
        "general_budget_expenditure": split["total"].iloc[1],
        "fiscal_share_pct": fiscal_share(report) * 100,
        "basic_share_pct": split["basic_share_pct"].iloc[0],
        "project_share_pct": split["project_share_pct"].iloc[0],
        "personnel_share_pct": personnel_share(report) * 100,
        "staffing": staff,
        "three_public_actual": tp_actual,
        "three_public_per_staff": _ratio(tp_actual, staff),
        "running_costs": rc,
        "running_costs_per_staff": _ratio(rc, staff),
        "budget_completion_pct": overall_budget_completion(report) * 100,
        "mean_execution_rate": perf["mean_execution_rate"],
        "mean_self_score": perf["mean_total_score"],
        "self_score_gap": perf["mean_score_gap"],
        "audit_errors": errors,
        "audit_warnings": warns,
    }


#: comparison column ← subjects of the derived previous-year figures (report.previous_year)
PREVIOUS_YEAR_SUBJECTS = {
    "income_total": ("本年收入合计", "收入合计"),
    "expenditure_total": ("本年支出合计", "支出合计"),
    "grand_total": ("收入总计", "支出总计", "收入支出总计"),
    "general_budget_expenditure": ("一般公共预算财政拨款支出",),
    "three_public_actual": ("三公经费",),
    "running_costs": ("机关运行经费",),
}


def previous_year_row(report: Any) -> dict | None:
    """The department's previous year as far as the year-on-year statements allow
    (``report.previous_year``, previous = current − change): totals, 一般公共预算财政拨款支出,
    三公 and 机关运行经费, and their per-position ratios using this year's 人员编制数 (the only one
    printed). Ratios that need figures the narrative does not give stay NaN. None when the
    report states no year-on-year change."""
    yoy = year_on_year(report)
    if yoy.empty:
        return None
    staff = _staffing(report)
    year = int(getattr(report, "year", 0) or 0)
    row = {c: NaN for c in COMPARISON_COLUMNS}
    row.update({"report_id": getattr(report, "report_id", ""), "department": getattr(report, "department", ""),
                "year": year - 1, "basis": "上年（由同比说明推算）", "label": f"{_short_name(report)} {year - 1}（推算）",
                "audit_errors": pd.NA, "audit_warnings": pd.NA, "staffing": staff})
    found = False
    for col, subjects in PREVIOUS_YEAR_SUBJECTS.items():
        for subject in subjects:
            hit = yoy.loc[yoy["subject"] == subject, "previous"].dropna()
            if len(hit):
                row[col] = float(hit.iloc[0])
                found = True
                break
    if not found:
        return None
    row["three_public_per_staff"] = _ratio(row["three_public_actual"], staff)
    row["running_costs_per_staff"] = _ratio(row["running_costs"], staff)
    return row


def comparison_table(reports: Iterable[Any]) -> pd.DataFrame:
    """One row per department × year: each report's :func:`comparison_row` and, where the
    narrative allows, its derived previous year (:func:`previous_year_row`). Sorted by
    department, year, report id."""
    rows = []
    for r in reports:
        rows.append(comparison_row(r))
        prev = previous_year_row(r)
        if prev is not None:
            rows.append(prev)
    df = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    for c in COMPARISON_COLUMNS[5:]:
        df[c] = pd.to_numeric(df[c], errors="coerce")
    for c in ("audit_errors", "audit_warnings"):
        df[c] = df[c].astype("Int64")
    return _sorted(df, ["department", "year", "report_id"])


def load_reports(report_ids: Iterable[str] | None = None) -> list:
    """The reports to compare: every catalogued report when ``report_ids`` is None, else the given
    ids (each checked against the catalogue first). Sorted by id."""
    ids = catalogued_ids() if report_ids is None else sorted({check_report_id(i) for i in report_ids})
    return [load_report(i) for i in ids]


def comparison_labels() -> dict[str, str]:
    """Chinese column headings for :func:`comparison_table` (for display)."""
    return {
        "report_id": "报告编号", "department": "部门", "year": "年度", "basis": "口径", "label": "部门·年度",
        "income_total": "本年收入合计", "expenditure_total": "本年支出合计", "grand_total": "收支总计",
        "general_budget_expenditure": "一般公共预算财政拨款支出",
        "fiscal_share_pct": "财政拨款占比%", "basic_share_pct": "基本支出占比%",
        "project_share_pct": "项目支出占比%", "personnel_share_pct": "人员经费占比%",
        "staffing": "编制数", "three_public_actual": "三公决算", "three_public_per_staff": "人均三公",
        "running_costs": "机关运行经费", "running_costs_per_staff": "人均机关运行经费",
        "budget_completion_pct": "预算完成率%", "mean_execution_rate": "平均执行率%",
        "mean_self_score": "平均自评分", "self_score_gap": "自评分−执行率",
        "audit_errors": "审核错误", "audit_warnings": "审核警告",
    }


def comparison_display(table: pd.DataFrame, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """``table`` (from :func:`comparison_table`) with the chosen columns under Chinese headings,
    indexed by 部门·年度, for display."""
    cols = list(columns) if columns is not None else [c for c in COMPARISON_COLUMNS
                                                     if c not in ("report_id", "department", "year", "label")]
    labels = comparison_labels()
    out = table.set_index("label")[cols].rename(columns=labels)
    out.index.name = labels["label"]
    return out
