"""Shared helpers of the analysis modules: the constants, reading facts and claims, picking values, ratios."""
from __future__ import annotations

import math
import warnings
from typing import Any

import pandas as pd

from xinzhou_fiscal.errors import MissingPieceWarning
from xinzhou_fiscal.templates.labels import label_key
from xinzhou_fiscal.templates.names import name

NaN = float("nan")

_UNIT_FACTORS = {"万元": 1.0, "元": 1e-4, "千元": 0.1, "百万元": 100.0, "亿元": 1e4}
_LEVELS = {"类": 3, "款": 5, "项": 7}
def norm(label: Any) -> str:
    """A label for matching: its key without a leading ordinal (一、 (一) 1.), in the package's one
    convention (:func:`~xinzhou_fiscal.templates.labels.label_key`: no spaces or quotes,
    full-width brackets)."""
    return label_key(label, ordinal=True)


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
    """The table's status (parsed, empty, blank, missing, failed)."""
    tables = getattr(report, "tables", None) or {}
    t = tables.get(key)
    if t is None:
        return "missing" if _facts(report, key).empty else "parsed"
    return getattr(t, "status", "parsed")


_CACHE_ATTR = "_analysis_cache"
#: the columns of a table's facts the analysis reads (see :func:`_facts`)
_FACT_COLUMNS = ("table", "code", "item", "measure", "item_key", "measure_key", "section", "unit", "amount",
                 "wan", "_item", "_measure", "line", "page")


def _cached(report: Any, key: tuple, compute):
    """``compute()`` once per report object and key (the datasets of a loaded report do not
    change); kept in the report's ``__dict__``, recomputed for objects that cannot hold it.
    Callers must not modify the frame they get."""
    store = getattr(report, "__dict__", None)
    if store is None:
        return compute()
    cache = store.setdefault(_CACHE_ATTR, {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def memoized(fn):
    """Cache ``fn(report, *args, **kwargs)`` per report object (see :func:`_cached`): the summary,
    the tables and the comparison ask for the same figures many times. A frame is handed out as
    a copy, so a caller may change it. Calls with unhashable arguments are not cached."""
    import functools

    @functools.wraps(fn)
    def wrapper(report, *args, **kwargs):
        try:
            key = (fn.__module__, fn.__qualname__, args, tuple(sorted(kwargs.items())))
            hash(key)
        except TypeError:
            return fn(report, *args, **kwargs)
        value = _cached(report, key, lambda: fn(report, *args, **kwargs))
        return value.copy() if isinstance(value, pd.DataFrame) else value

    return wrapper


def _facts(report: Any, key: str) -> pd.DataFrame:
    """The facts of one table with helper columns: ``_item`` / ``_measure`` normalised labels
    and ``wan`` = the amount in 万元 (counts are left as printed). Computed once per report."""
    return _cached(report, ("facts", key), lambda: _table_facts(report, key))


def _table_facts(report: Any, key: str) -> pd.DataFrame:
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
    keep = [c for c in _FACT_COLUMNS if c in df.columns]
    # plain Python strings: row selection on them is several times faster than on Arrow strings
    return df[keep].astype({c: object for c in keep if c not in ("amount", "wan", "line", "page")})


def _positions(df: pd.DataFrame, *, item=None, measure=None, item_key=None, measure_key=None,
               code=None, section=None) -> list[int]:
    """Positions of the rows of ``df`` matching every given criterion (see :func:`_pick`), found on
    plain Python lists: the summary and the tables ask for a few hundred single figures, and a
    boolean mask per criterion costs pandas far more than the rows themselves."""
    rows = list(range(len(df)))
    if not rows:
        return rows

    def where(col: str, test) -> list[int]:
        values = df[col].tolist()
        return [i for i in rows if test(values[i])]

    if code is not None:
        rows = where("code", str(code).__eq__)
    if section is not None:
        rows = where("section", lambda v: v == section)
    for col, keys, label in (("item_key", item_key, "item"), ("measure_key", measure_key, "measure")):
        if keys is None:
            continue
        keys = {keys} if isinstance(keys, str) else set(keys)
        by_key = where(col, keys.__contains__)
        if by_key or (item if label == "item" else measure) is None:
            rows = by_key
            if label == "item":
                item = None
            else:
                measure = None
    for col, needles in (("_item", item), ("_measure", measure)):
        if needles is None:
            continue
        needles = [norm(n) for n in ((needles,) if isinstance(needles, str) else needles)]
        exact = where(col, set(needles).__contains__)
        rows = exact or where(col, lambda v: any(n in v for n in needles))
    return rows


def _pick(df: pd.DataFrame, *, item=None, measure=None, item_key=None, measure_key=None,
          code=None, section=None) -> pd.DataFrame:
    """Rows matching every given criterion. Keys are compared exactly; labels exactly first
    and, when nothing matches exactly, by containment."""
    if df.empty:
        return df
    return df.iloc[_positions(df, item=item, measure=measure, item_key=item_key, measure_key=measure_key,
                              code=code, section=section)]


def _amounts(df: pd.DataFrame, criteria: dict) -> list[float]:
    """The 万元 amounts (``wan``) of the rows matching ``criteria``, blank cells left out."""
    if df.empty:
        return []
    wan = df["wan"].tolist()
    return [float(wan[i]) for i in _positions(df, **criteria) if not pd.isna(wan[i])]


def _value(df: pd.DataFrame, blank: float = NaN, **criteria) -> float:
    """The amount (万元) of the first fact matching ``criteria``; ``blank`` when none matches."""
    amounts = _amounts(df, criteria)
    return amounts[0] if amounts else blank


def _printed(df: pd.DataFrame, **criteria) -> bool:
    """Whether a number is printed for ``criteria`` (a blank or dashed cell is not)."""
    return bool(_amounts(df, criteria))


def _blank_list(flags: dict[str, bool]) -> str:
    """The ``blank`` column of a row: the names of its value columns whose cell is printed blank
    (comma-separated; "" when every cell carries a number). Such a cell counts 0 in sums, and
    :mod:`.present` shows it blank and leaves it out of charts."""
    return ",".join(name for name, printed in flags.items() if not printed)


def _blank(report: Any, key: str) -> float:
    """What an unprinted cell means: 0 in a table that is printed (blank cell = nothing spent),
    NaN when the table is missing from the report."""
    return 0.0 if table_status(report, key) in ("parsed", "empty", "blank") else NaN


def _sorted(df: pd.DataFrame, by: list[str], ascending: bool | list[bool] = True) -> pd.DataFrame:
    if df.empty:
        return df.reset_index(drop=True)
    return df.sort_values(by, ascending=ascending, kind="mergesort").reset_index(drop=True)


def source_label(report: Any, key: str) -> str:
    """How ``report`` names table ``key`` in a ``source`` column: as its template prints it
    (its number, or the title in a family that prints no numbers; :func:`~xinzhou_fiscal.templates.name`)."""
    return name(getattr(report, "template", None), key)


def _claims(report: Any) -> pd.DataFrame:
    """``report.claims`` with normalised ``_subject`` / ``_metric`` and numeric ``value``; empty
    (with those columns) when the report has no narrative. Computed once per report."""
    return _cached(report, ("claims",), lambda: _normalised_claims(report))


def _normalised_claims(report: Any) -> pd.DataFrame:
    c = _frame(report, "claims")
    if c.empty or not {"subject", "metric", "value"} <= set(c.columns):
        return pd.DataFrame(columns=["subject", "metric", "value", "unit", "_subject", "_metric"])
    c = c.copy()
    c["_subject"] = c["subject"].map(norm)
    c["_metric"] = c["metric"].map(norm)
    c["value"] = pd.to_numeric(c["value"], errors="coerce")
    return c
