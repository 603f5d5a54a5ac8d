"""Figures of the standard tables: totals and sources of funds (01/02), spending by function and
basic vs project (03/05), 人员经费 vs 公用经费 (06), 三公 (09), procurement, 机关运行经费 and vehicles (10),
and the headline. Amounts in 万元; each docstring names its table."""
from __future__ import annotations

import math
from typing import Any

import pandas as pd

from xinzhou_fiscal.analysis._common import (
    _LEVELS,
    NaN,
    _blank,
    _blank_list,
    _claims,
    _facts,
    _pct,
    _pick,
    _printed,
    _ratio,
    _sorted,
    _staffing,
    _value,
    memoized,
    norm,
    source_label,
    table_status,
)

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


def _summary_side(report: Any, side: str) -> pd.DataFrame:
    df = _facts(report, _SUMMARY)
    return df[df["section"] == _SIDE_KEYS[side]] if not df.empty and (df["section"] != "").any() else df


def _summary_amount(report: Any, side: str, item_key: str, needles: tuple[str, ...]) -> float:
    side_df = _summary_side(report, side)
    if side_df.empty:
        return NaN
    # the 金额 column only (04 has several); the first amount column otherwise
    value = _value(side_df, item_key=item_key, item=needles, blank=NaN)
    if math.isnan(value) and item_key in ("use_nonfiscal_balance", "carryover_begin",
                                          "balance_distribution", "carryover_end"):
        return _blank(report, _SUMMARY)
    return value


@memoized
def totals(report: Any) -> pd.DataFrame:
    """收入/支出 totals of ``income_expenditure_summary`` (收入支出决算总表): 本年收入合计, 年初结转和结余, 总计 on the
    income side; 本年支出合计, 结余分配, 年末结转和结余, 总计 on the expenditure side (万元).
    ``blank`` is "amount" for a line printed blank in a printed table (counted 0)."""
    printed = table_status(report, _SUMMARY) != "missing"
    rows = [(side, label, _summary_amount(report, side, key, needles), source_label(report, _SUMMARY),
             _blank_list({"amount": not printed or _printed(_summary_side(report, side), item_key=key, item=needles)}))
            for side, label, key, needles in _TOTAL_LINES]
    return pd.DataFrame(rows, columns=["side", "item", "amount", "source", "blank"])


def _total_and_source(report: Any, side: str, key: str, label: str, fallback: str) -> tuple[float, str]:
    """A 本年…合计 of ``income_expenditure_summary`` and the table it came from: that table, or, when
    it does not give it (not read), the 合计 row of the ``fallback`` table; NaN and "" when neither does."""
    v = _summary_amount(report, side, key, (label,))
    if not math.isnan(v):
        return v, source_label(report, "income_expenditure_summary")
    v = _value(_facts(report, fallback), item_key="total", item=("合计",), measure_key="total", measure=(label,))
    return v, ("" if math.isnan(v) else f"{source_label(report, fallback)} 合计行")


def total_income(report: Any) -> float:
    """本年收入合计 (``income_expenditure_summary``), falling back to the 合计 row of ``income``."""
    return _total_and_source(report, "收入", "income_total", "本年收入合计", "income")[0]


def total_expenditure(report: Any) -> float:
    """本年支出合计 (``income_expenditure_summary``), falling back to the 合计 row of ``expenditure``."""
    return _total_and_source(report, "支出", "expenditure_total", "本年支出合计", "expenditure")[0]


_INCOME_SOURCES = [
    # label, measure_key in 02, needles
    ("财政拨款收入", "fiscal_grant", ("财政拨款收入", "财政拨款")),
    ("上级补助收入", "higher_subsidy", ("上级补助收入",)),
    ("事业收入", "business", ("事业收入",)),
    ("经营收入", "operating", ("经营收入",)),
    ("附属单位上缴收入", "affiliate_remit", ("附属单位上缴收入",)),
    ("其他收入", "other", ("其他收入",)),
]


@memoized
def income_sources(report: Any) -> pd.DataFrame:
    """Sources of funds: the 合计 row of ``income`` (收入决算表) by income column, with each source's
    share of 本年收入合计 (%). Falls back to the income lines of ``income_expenditure_summary`` when income is missing.
    ``blank`` is "amount" when the source's cell is printed blank (counted 0)."""
    inc = _facts(report, "income")
    total = total_income(report)
    rows = []
    if not inc.empty:
        tot = _pick(inc, item_key="total", item=("合计",))
        blank = _blank(report, "income")
        for label, mkey, needles in _INCOME_SOURCES:
            shown = _printed(tot, measure_key=mkey, measure=needles)
            rows.append((label, _value(tot, measure_key=mkey, measure=needles, blank=blank), source_label(report, "income"),
                         _blank_list({"amount": shown, "share_pct": shown})))
    else:
        summ = _facts(report, _SUMMARY)
        summ = summ[summ["section"] == "income"] if (summ["section"] != "").any() else summ
        blank = _blank(report, _SUMMARY)
        if not summ.empty:
            fiscal = sum(_value(summ, item=(n,), blank=0.0) for n in
                         ("一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入"))
            rows.append(("财政拨款收入", fiscal, source_label(report, "income_expenditure_summary"), ""))
            for label, _, needles in _INCOME_SOURCES[1:]:
                shown = _printed(summ, item=needles)
                rows.append((label, _value(summ, item=needles, blank=blank), source_label(report, "income_expenditure_summary"),
                             _blank_list({"amount": shown, "share_pct": shown})))
    df = pd.DataFrame(rows, columns=["source_of_funds", "amount", "source", "blank"])
    df["share_pct"] = [_pct(a, total) for a in df["amount"]]
    return df[["source_of_funds", "amount", "share_pct", "source", "blank"]]


def fiscal_share(report: Any) -> float:
    """财政拨款收入 / 本年收入合计 (``income`` 合计 row, ``income_expenditure_summary``), as a fraction."""
    src = income_sources(report)
    fiscal = src.loc[src["source_of_funds"] == "财政拨款收入", "amount"]
    return _ratio(fiscal.iloc[0] if len(fiscal) else NaN, total_income(report))


# =========================================================================== expenditure / general_budget_expenditure

_COLS = {"total": ("本年支出合计", "合计", "小计"), "basic": ("基本支出",), "project": ("项目支出",)}


@memoized
def expenditure_by_function(report: Any, level: str = "类", table: str = "expenditure") -> pd.DataFrame:
    """Expenditure by function code at ``level`` 类/款/项 from ``expenditure`` (支出决算表, the default)
    or ``general_budget_expenditure`` (``table="general_budget_expenditure"``, 一般公共预算财政拨款): columns code, name,
    total, basic, project (万元) and share_pct of the table's 合计; ``blank`` names the columns
    printed blank (counted 0). Sorted by code."""
    digits = _LEVELS[level]
    df = _facts(report, table)
    cols = ["code", "name", "level", "total", "basic", "project", "share_pct", "source"]
    if df.empty:
        return pd.DataFrame(columns=cols + ["blank"])
    coded = df[df["code"].str.fullmatch(r"\d+") & (df["code"].str.len() == digits)]
    blank = _blank(report, table)
    rows = []
    for code, g in coded.groupby("code", sort=True):
        name = g["item"].iloc[0]
        vals = {k: _value(g, measure_key=k, measure=needles, blank=blank) for k, needles in _COLS.items()}
        shown = {k: _printed(g, measure_key=k, measure=needles) for k, needles in _COLS.items()}
        rows.append({"code": code, "name": norm(name), "level": level, **vals, "blank": _blank_list(shown)})
    out = pd.DataFrame(rows, columns=cols[:-2] + ["blank"])
    grand = _value(df, item_key="total", item=("合计",), measure_key="total", measure=_COLS["total"])
    out["share_pct"] = [_pct(v, grand) for v in out["total"]]
    out["source"] = source_label(report, table)
    return _sorted(out, ["code"])[cols + ["blank"]]


@memoized
def basic_project_split(report: Any) -> pd.DataFrame:
    """基本支出 vs 项目支出 from the 合计 rows of ``expenditure`` (all funds) and ``general_budget_expenditure`` (一般公共预算
    财政拨款): total, basic, project (万元) and their shares (%)."""
    rows = []
    for key, scope in (("expenditure", "本年支出（全部资金）"),
                       ("general_budget_expenditure", "一般公共预算财政拨款")):
        df = _facts(report, key)
        tot = _pick(df, item_key="total", item=("合计",))
        blank = _blank(report, key) if not df.empty else NaN
        vals = {k: _value(tot, measure_key=k, measure=needles, blank=blank) for k, needles in _COLS.items()}
        rows.append({"scope": scope, **vals, "basic_share_pct": _pct(vals["basic"], vals["total"]),
                     "project_share_pct": _pct(vals["project"], vals["total"]), "source": source_label(report, key)})
    return pd.DataFrame(rows, columns=["scope", "total", "basic", "project", "basic_share_pct",
                                       "project_share_pct", "source"])


# =========================================================================== general_budget_basic

PERSONNEL_CLASSES = ("301", "303")
ECONOMIC_CLASS_NAMES = {
    "301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助", "307": "债务利息及费用支出",
    "309": "资本性支出（基本建设）", "310": "资本性支出", "311": "对企业补助（基本建设）", "312": "对企业补助",
    "313": "对社会保障基金补助", "399": "其他支出",
}


@memoized
def economic_classes(report: Any) -> pd.DataFrame:
    """``general_budget_basic`` (一般公共预算财政拨款基本支出决算明细表) by economic class (3-digit code): code, name,
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
    out["source"] = source_label(report, "general_budget_basic")
    return _sorted(out, ["code"])


@memoized
def personnel_public(report: Any) -> pd.DataFrame:
    """人员经费 vs 公用经费 (``general_budget_basic``): ``computed`` from the class rows (301 + 303; 302 + 310 + other
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
    out["source"] = source_label(report, "general_budget_basic")
    return out


def personnel_share(report: Any) -> float:
    """人员经费 / (人员经费 + 公用经费) of ``general_budget_basic`` (printed totals, else computed), a fraction."""
    pp = personnel_public(report)
    basis = pp["printed"].where(pp["printed"].notna(), pp["computed"])
    return _ratio(basis.iloc[0], basis.sum(min_count=1))


# =========================================================================== three_public

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


def _three_public_value(df: pd.DataFrame, phase: str, key: str, leaf: str, blank: float) -> tuple[float, bool]:
    """(amount, printed) of one 三公 cell; ``blank`` when the cell is printed blank."""
    if df.empty:
        return blank, False
    hit = df[df["measure_key"] == f"{phase}_{key}"]
    if hit.empty:  # by the printed header: 预算数/…/<leaf>
        hit = df[df["_measure"].str.startswith(_PHASES[phase])
                 & (df["_measure"].str.rsplit("/", n=1).str[-1] == norm(leaf))]
    hit = hit.dropna(subset=["wan"])
    return (float(hit["wan"].iloc[0]), True) if len(hit) else (blank, False)


@memoized
def three_public(report: Any) -> pd.DataFrame:
    """“三公”经费 预算数 vs 决算数 from ``three_public`` (财政拨款“三公”经费支出决算表): one row per item
    (合计, 因公出国(境)费, 公务用车购置及运行维护费 with 购置费/运行维护费, 公务接待费), budget and
    actual in 万元 (a blank cell of a printed table is 0, and named in ``blank``),
    completion_pct = actual / budget."""
    df = _facts(report, "three_public")
    blank = _blank(report, "three_public")
    rows = []
    for label, key, leaf in THREE_PUBLIC_ITEMS:
        budget, budget_printed = _three_public_value(df, "budget", key, leaf, blank)
        actual, actual_printed = _three_public_value(df, "actual", key, leaf, blank)
        rows.append({"item": label, "budget": budget, "actual": actual,
                     "completion_pct": _pct(actual, budget),
                     "blank": _blank_list({"budget": budget_printed, "actual": actual_printed,
                                           "completion_pct": budget_printed and actual_printed})})
    out = pd.DataFrame(rows, columns=["item", "budget", "actual", "completion_pct", "blank"])
    out["source"] = source_label(report, "three_public")
    return out[["item", "budget", "actual", "completion_pct", "source", "blank"]]


def _three_public_total(report: Any, column: str) -> float:
    tp = three_public(report)
    return float(tp.loc[tp["item"] == "合计", column].iloc[0])


# =========================================================================== related_info

_PROCUREMENT = [("合计", "procurement_total"), ("货物", "procurement_goods"),
                ("工程", "procurement_works"), ("服务", "procurement_services")]
_VEHICLES = [("车辆数合计", "vehicles_total"), ("副部(省)级及以上领导用车", "vehicles_ministerial"),
             ("主要负责人用车", "vehicles_principal"), ("机要通信用车", "vehicles_confidential"),
             ("应急保障用车", "vehicles_emergency"), ("执法执勤用车", "vehicles_enforcement"),
             ("特种专业技术用车", "vehicles_special"), ("离退休干部服务用车", "vehicles_retiree"),
             ("其他用车", "vehicles_other")]
_RUNNING_KEYS = ("admin_operating_admin_units", "admin_operating_civil_servant_units")


def _related_printed(df: pd.DataFrame, key: str, label: str, section: str = "") -> float | None:
    """The figure ``related_info`` prints for an item (by key, else by its label within ``section``); None
    when its cell is blank or the item is not printed."""
    hit = df[df["item_key"] == key]
    if hit.empty and not df.empty:  # by the printed label within its section
        sec = df[df["section"].map(norm).str.contains(section)] if section else df
        hit = sec[sec["_item"].str.replace(r"\(辆\)$", "", regex=True) == norm(label)]
    hit = hit.dropna(subset=["wan"])
    return float(hit["wan"].iloc[0]) if len(hit) else None


def _related_value(df: pd.DataFrame, key: str, label: str, blank: float, section: str = "") -> float:
    v = _related_printed(df, key, label, section)
    return blank if v is None else v


def _narrative_amount(report: Any, needle: str, parent: str | None = None) -> tuple[float, str]:
    """The first 决算数 (万元; a budget's 预算数) the narrative states for a subject containing ``needle``
    (and, when given, whose parent contains ``parent``, else with no parent): (value, subject)."""
    c = _claims(report)
    if c.empty:
        return NaN, ""
    par = c["parent"].fillna("").map(norm) if "parent" in c.columns else pd.Series("", index=c.index)
    hit = c[c["_metric"].isin(["决算数", "预算数"]) & c["_subject"].str.contains(needle, regex=False)
            & (par.str.contains(parent, regex=False) if parent else par.eq(""))]
    if "unit" in hit.columns:
        hit = hit[hit["unit"].fillna("万元").astype(str).isin(["万元", ""])]
    hit = hit.dropna(subset=["value"])
    return (float(hit["value"].iloc[0]), hit["_subject"].iloc[0]) if len(hit) else (NaN, "")


@memoized
def procurement(report: Any) -> pd.DataFrame:
    """政府采购: 合计, 货物, 工程, 服务 in 万元 with share_pct of 合计, from ``related_info`` (一、政府采购
    情况); when the report has no ``related_info`` (e.g. Shanghai), from the 情况说明 (政府采购 sentences)."""
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
        source = source_label(report, "related_info")
    out = pd.DataFrame(rows, columns=["item", "amount"])
    total = out["amount"].iloc[0]
    out["share_pct"] = [_pct(a, total) for a in out["amount"]]
    out["source"] = source
    return out


@memoized
def running_costs(report: Any) -> float:
    """机关运行经费 (``related_info`` 二、机关运行经费: 行政单位 + 参照公务员法管理事业单位), 万元; when the
    report has no ``related_info``, the 机关运行经费 the 情况说明 states; NaN when neither gives it."""
    df = _facts(report, "related_info")
    if table_status(report, "related_info") == "missing":
        return _narrative_amount(report, "机关运行经费")[0]
    parts = [_related_value(df, key, label, NaN, "机关运行经费")
             for key, label in zip(_RUNNING_KEYS, ("行政单位", "参照公务员法管理事业单位"))]
    parts = [p for p in parts if not math.isnan(p)]
    return float(sum(parts)) if parts else 0.0


@memoized
def vehicles(report: Any) -> pd.DataFrame:
    """国有资产占用 (``related_info`` 三): vehicle counts by kind (辆) and 单价100万元(含)以上设备 (台/套);
    a line printed blank counts 0 and is named in ``blank`` (shown blank, as printed). A report
    without that table gives one line saying so."""
    if table_status(report, "related_info") == "missing":    # one line, not a row per item of a table not printed
        return pd.DataFrame([{"item": f"本报告没有{source_label(report, 'related_info')}", "count": NaN, "source": "",
                              "blank": ""}])
    df = _facts(report, "related_info")
    items = [*((label, key, label) for label, key in _VEHICLES),
             ("单价100万元(含)以上设备", "equipment_over_1m", "单价100万元(含)以上设备(不含车辆)")]
    rows = []
    for shown, key, printed_label in items:
        v = _related_printed(df, key, printed_label, "资产")
        rows.append({"item": shown, "count": 0.0 if v is None else v, "blank": _blank_list({"count": v is not None})})
    out = pd.DataFrame(rows, columns=["item", "count", "blank"])
    out["source"] = source_label(report, "related_info")
    return out[["item", "count", "source", "blank"]]


def related_info(report: Any) -> pd.DataFrame:
    """``related_info`` at a glance: 政府采购合计, 机关运行经费 (万元), 车辆数, and 机关运行经费 per staff
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
    return "情况说明" if table_status(report, "related_info") == "missing" else source_label(report, "related_info")


def headline(report: Any) -> pd.DataFrame:
    """The figures a reader looks for first, each with the table it comes from (万元); ``blank``
    is "value" when the figure's cell is printed blank (counted 0)."""
    split = basic_project_split(report)
    pp = personnel_public(report)
    basis = pp["printed"].where(pp["printed"].notna(), pp["computed"])
    src = income_sources(report)
    fiscal = src.loc[src["source_of_funds"] == "财政拨款收入", "amount"]
    tp = three_public(report)
    tp_blank = str(tp["blank"].iloc[0]).split(",")
    income, income_src = _total_and_source(report, "收入", "income_total", "本年收入合计", "income")
    spent, spent_src = _total_and_source(report, "支出", "expenditure_total", "本年支出合计", "expenditure")
    rows = [  # each figure credited to the table it came from (the summary table, or its fallback)
        ("本年收入合计", income, "万元", income_src),
        ("本年支出合计", spent, "万元", spent_src),
        ("财政拨款收入", fiscal.iloc[0] if len(fiscal) else NaN, "万元", source_label(report, "income")),
        ("基本支出", split["basic"].iloc[0], "万元", source_label(report, "expenditure")),
        ("项目支出", split["project"].iloc[0], "万元", source_label(report, "expenditure")),
        ("人员经费", basis.iloc[0], "万元", source_label(report, "general_budget_basic")),
        ("公用经费", basis.iloc[1], "万元", source_label(report, "general_budget_basic")),
        ("“三公”经费 预算数", tp["budget"].iloc[0], "万元", source_label(report, "three_public"), "budget" in tp_blank),
        ("“三公”经费 决算数", tp["actual"].iloc[0], "万元", source_label(report, "three_public"), "actual" in tp_blank),
        ("机关运行经费", running_costs(report), "万元", _related_source(report)),
        ("政府采购合计", procurement(report)["amount"].iloc[0], "万元", _related_source(report)),
        ("人员编制数", _staffing(report), "人", "概况"),
    ]
    rows = [row if len(row) == 5 else (*row, False) for row in rows]
    out = pd.DataFrame(rows, columns=["figure", "value", "unit", "source", "blank"])
    out["blank"] = out["blank"].map(lambda b: "value" if b else "")
    return out
