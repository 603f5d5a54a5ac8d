"""Records → DataFrame, column by column: the one builder of every tidy dataset the parsers return."""
from __future__ import annotations

import numpy as np
import pandas as pd


def records_frame(rows: list[dict], columns: list[str], dtypes: dict[str, str] | None = None) -> pd.DataFrame:
    """A DataFrame of ``rows`` with exactly ``columns``; ``dtypes`` maps a column to "Int64"
    (nullable integer: line, page, year), "float64" (None → NaN) or "bool". Built column by column,
    which is several times faster than ``DataFrame(rows)`` followed by ``astype``."""
    dtypes = dtypes or {}
    data = {}
    for c in columns:
        vals = [r.get(c) for r in rows]
        dt = dtypes.get(c)
        if dt == "Int64":
            data[c] = pd.array([None if v is None or v is pd.NA else int(v) for v in vals], dtype="Int64")
        elif dt == "float64":
            data[c] = np.array([np.nan if v is None else v for v in vals], dtype="float64")
        elif dt == "bool":
            data[c] = np.array(vals, dtype=bool)
        else:
            data[c] = pd.Series(vals, dtype="str") if not vals else vals  # same text dtype when empty
    return pd.DataFrame(data, columns=columns)
