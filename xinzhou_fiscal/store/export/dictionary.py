"""docs/data-dictionary.md's column tables, generated from the pandera schemas.

``python -m xinzhou_fiscal.store.export.dictionary`` rewrites the part of the file between the two
markers; tests/test_schema.py fails when the file is not current."""
from __future__ import annotations

import sys
from pathlib import Path

from xinzhou_fiscal.store.export.columns import dataset_fields
from xinzhou_fiscal.store.schemas import DATASETS, REPORTS

BEGIN = "<!-- BEGIN generated from xinzhou_fiscal/store/schemas.py: python -m xinzhou_fiscal.store.export.dictionary -->"
END = "<!-- END generated -->"


def render() -> str:
    """The generated block: one table per published dataset."""
    out = [BEGIN, ""]
    for name, schema in {"reports": REPORTS, **DATASETS}.items():
        out += [f"### `{name}` — {schema.description}", "",
                "| column | 中文表头 | type | DuckDB | unit | meaning |", "|---|---|---|---|---|---|"]
        for f in dataset_fields(name):
            out.append(f"| `{f.name}` | {f.title} | {f.kind} | {f.duckdb_type} | {f.unit or ''} | "
                       f"{f.description.replace('|', '/')} |")
        out.append("")
    out.append(END)
    return "\n".join(out)


def updated(text: str) -> str:
    """``text`` with its generated block replaced by the current one."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return head + render() + tail


def main(path: str | None = None) -> None:
    from xinzhou_fiscal import paths
    doc = Path(path) if path else paths.PROJECT_ROOT / "docs" / "data-dictionary.md"
    doc.write_text(updated(doc.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {doc}")


if __name__ == "__main__":
    main(*sys.argv[1:])
