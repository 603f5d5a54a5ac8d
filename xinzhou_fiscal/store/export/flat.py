"""CSV (UTF-8 with BOM, for Excel) and Parquet: one file per dataset across the reports."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from xinzhou_fiscal.store.export.collection import Collection


def parquet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Parquet needs one type per column: object columns mixing types are written as text."""
    df = df.copy()
    for col in df.columns:
        if df[col].dtype == object:
            kinds = {type(v) for v in df[col].dropna()}
            if len(kinds) > 1 or (kinds and not kinds <= {str}):
                df[col] = df[col].map(lambda v: None if v is None or (isinstance(v, float) and v != v) else
                                      (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else str(v)))
    return df


def write_flat(coll: Collection, out_dir: Path, fmt: str) -> list[Path]:
    written = []
    frames = {"reports": coll.catalogue, **coll.frames}
    for name, df in frames.items():
        p = Path(out_dir) / f"{name}.{fmt}"
        if fmt == "csv":
            df.to_csv(p, index=False, encoding="utf-8-sig")
        else:
            parquet_safe(df).to_parquet(p, index=False)
        written.append(p)
    return written
