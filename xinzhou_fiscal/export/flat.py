"""CSV (UTF-8 with BOM, for Excel) and Parquet: one file per dataset across the reports."""
from __future__ import annotations

from pathlib import Path

from . import _parquet_safe
from .collection import Collection


def write_flat(coll: Collection, out_dir: Path, fmt: str) -> list[Path]:
    written = []
    frames = {"reports": coll.catalogue, **coll.frames}
    for name, df in frames.items():
        p = Path(out_dir) / f"{name}.{fmt}"
        if fmt == "csv":
            df.to_csv(p, index=False, encoding="utf-8-sig")
        else:
            _parquet_safe(df).to_parquet(p, index=False)
        written.append(p)
    return written
