"""Records → DataFrame, column by column: the one builder of every tidy dataset the parsers return.

The parsers and the audit work on the records; pandas (and pyarrow, numpy) is imported only when a
DataFrame is built (:func:`records_frame`), so reading and auditing a report never imports it.
:func:`frame_records` gives the records as the built frame would hand them back (``tolist()``)."""
from __future__ import annotations

from functools import cache

_NAN = float("nan")


class PickledFrame:
    """A DataFrame held as its own pickle, unpickled when first asked for: what a cached report
    (store/cache.py) carries in place of each DataFrame it holds, so that loading the report and
    auditing it (records only) never imports pandas, while a notebook served from the cache gets
    its frames back without rebuilding them."""

    __slots__ = ("data",)

    def __init__(self, frame):
        import pickle  # here: only the report cache pickles

        self.data = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)

    def load(self):
        import pickle

        return pickle.loads(self.data)


def frozen_state(obj, *names: str) -> dict:
    """``obj.__dict__`` for pickling, each DataFrame held under ``names`` as a :class:`PickledFrame`."""
    state = obj.__dict__.copy()
    for name in names:
        v = state.get(name)
        if v is not None and not isinstance(v, PickledFrame):
            state[name] = PickledFrame(v)
    return state


def thawed(value):
    """``value`` itself, or the DataFrame a :class:`PickledFrame` holds."""
    return value.load() if isinstance(value, PickledFrame) else value


def held_frame(obj, build):
    """The DataFrame ``obj`` holds in ``obj._frame``: built by ``build()`` on first use, or
    unpickled from the report cache's :class:`PickledFrame`; kept in ``obj._frame`` either way."""
    if obj._frame is None:
        obj._frame = build()
    elif isinstance(obj._frame, PickledFrame):
        obj._frame = obj._frame.load()
    return obj._frame


def records_frame(rows: list[dict], columns: list[str], dtypes: dict[str, str] | None = None):
    """A DataFrame of ``rows`` with exactly ``columns``; ``dtypes`` maps a column to "Int64"
    (nullable integer: line, page, year), "float64" (None → NaN) or "bool"; any other column is text.

    Each column is built as the array pandas would hold (text as an Arrow string array) before the
    frame is put together: several times faster than ``DataFrame(rows)`` followed
    by ``astype``. A column without a declared dtype whose values are not all text or None (or that
    is all None) is left to pandas' own inference, as before."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    from pandas.arrays import ArrowStringArray

    text = _text_dtype()
    dtypes = dtypes or {}
    data = {}
    for c in columns:
        vals = [r.get(c) for r in rows]
        dt = dtypes.get(c)
        if dt == "Int64":
            missing = np.array([v is None or v is pd.NA for v in vals], dtype=bool)
            ints = np.array([0 if m else int(v) for v, m in zip(vals, missing)], dtype="int64")
            data[c] = pd.arrays.IntegerArray(ints, missing)
        elif dt == "float64":
            data[c] = np.array([np.nan if v is None else v for v in vals], dtype="float64")
        elif dt == "bool":
            data[c] = np.array(vals, dtype=bool)
        elif not vals or _all_text(vals):
            data[c] = ArrowStringArray(pa.chunked_array([pa.array(vals, type=pa.large_string())]), dtype=text)
        else:
            data[c] = vals
    return pd.DataFrame(data)            # the dict keeps the order of ``columns``


@cache
def _text_dtype():
    """The text dtype pandas gives a list of str (pandas ≥ 3: Arrow-backed, missing = NaN)."""
    import pandas as pd
    return pd.Series(["x"]).dtype


def frame_records(rows: list[dict], columns: list[str], dtypes: dict[str, str] | None = None) -> list[dict]:
    """``rows`` as :func:`records_frame` of them gives them back row by row, without pandas: each
    row has exactly ``columns``; an "Int64" column holds int or None (pandas' NA), a "float64" one
    float (None → NaN), a "bool" one bool, a text column str with NaN for None (as pandas' str
    dtype); a column of other values keeps them as they are."""
    dtypes = dtypes or {}
    cols = {}
    for c in columns:
        vals = [r.get(c) for r in rows]
        dt = dtypes.get(c)
        if dt == "Int64":
            cols[c] = [None if v is None else int(v) for v in vals]
        elif dt == "float64":
            cols[c] = [_NAN if v is None else float(v) for v in vals]
        elif dt == "bool":
            cols[c] = [bool(v) for v in vals]
        elif _all_text(vals):
            cols[c] = [_NAN if v is None else v for v in vals]
        else:
            cols[c] = vals
    return [{c: cols[c][i] for c in columns} for i in range(len(rows))]


def _all_text(vals: list) -> bool:
    """True when every value is a str or None and at least one is a str (a column of None only
    keeps pandas' object dtype, as ``DataFrame(rows)`` gives it)."""
    seen = False
    for v in vals:
        if v is None:
            continue
        if type(v) is not str:
            return False
        seen = True
    return seen


class Records:
    """One dataset as rows (dicts) with its columns and dtypes (as :func:`records_frame` takes
    them): ``frame`` is the DataFrame, built on first use; ``values`` the rows as that frame gives
    them back (:func:`frame_records`), without pandas."""

    def __init__(self, rows: list[dict], columns: list[str], dtypes: dict[str, str] | None = None):
        self.rows, self.columns, self.dtypes = rows, columns, dtypes
        self._frame = self._values = None

    @property
    def frame(self):
        return held_frame(self, lambda: records_frame(self.rows, self.columns, self.dtypes))

    def __getstate__(self) -> dict:
        return frozen_state(self, "_frame")

    @property
    def values(self) -> list[dict]:
        if self._values is None:
            self._values = frame_records(self.rows, self.columns, self.dtypes)
        return self._values


def dataset_property(name: str) -> property:
    """A property for the dataclass field ``name`` that holds a dataset as :class:`Records` or as a
    DataFrame (set either way, e.g. by ``dataclasses.replace``): reading it gives the DataFrame;
    :func:`dataset_rows` gives its rows without building it. Assign it after ``@dataclass``."""
    key = "_" + name

    def get(self):
        v = self.__dict__[key]
        if isinstance(v, PickledFrame):
            v = self.__dict__[key] = v.load()
        return v.frame if isinstance(v, Records) else v

    def put(self, v) -> None:
        self.__dict__[key] = v

    return property(get, put, doc=f"the {name} DataFrame (built on first access)")


def dataset_rows(obj, name: str) -> list[dict]:
    """The rows of the dataset field ``name`` of ``obj`` (see :func:`dataset_property`), as its
    DataFrame gives them back."""
    v = thawed(obj.__dict__["_" + name])
    if isinstance(v, Records):
        return v.values
    cols = list(v.columns)
    return [dict(zip(cols, vals)) for vals in zip(*(v[c].tolist() for c in cols))]
