"""A Frictionless data package: ``datapackage.json`` plus one CSV resource per dataset.

Each resource's Table Schema comes from the pandera schemas (types, Chinese titles, units in the
descriptions); ``reports`` has the primary key ``report_id`` and every other resource a foreign key
on it. The package's sources and licences are the catalogue's."""
from __future__ import annotations

import json
from pathlib import Path

from xinzhou_fiscal.paths import package_version
from xinzhou_fiscal.store.export.collection import Collection
from xinzhou_fiscal.store.export.columns import dataset_fields
from xinzhou_fiscal.store.schemas import DATASETS, REPORTS

PACKAGE_NAME = "xinzhou-fiscal"


def table_schema(name: str) -> dict:
    """The Table Schema of a dataset (``reports`` or one of schemas.DATASETS)."""
    schema = {"fields": [f.table_schema_field() for f in dataset_fields(name)], "missingValues": [""]}
    if name == "reports":
        schema["primaryKey"] = ["report_id"]
    else:
        schema["foreignKeys"] = [{"fields": ["report_id"],
                                  "reference": {"resource": "reports", "fields": ["report_id"]}}]
    return schema


def _sources_and_licences(coll: Collection) -> tuple[list[dict], list[dict]]:
    sources, licences = [], {}
    for row in coll.catalogue.itertuples():
        src = {"title": f"{row.department} {row.year}年度{row.kind} ({row.report_id})"}
        if isinstance(row.source, str) and row.source:
            src["path"] = row.source
        if isinstance(row.provenance, str) and row.provenance:
            src["description"] = row.provenance
        sources.append(src)
        if isinstance(row.licence, str) and row.licence:
            # the catalogue gives terms in words, not an Open Definition licence id
            licences.setdefault(row.licence, {"name": "notspecified",
                                              "title": row.licence})
    return sources, list(licences.values())


def descriptor(coll: Collection) -> dict:
    sources, licences = _sources_and_licences(coll)
    schemas = {"reports": REPORTS, **DATASETS}
    resources = [{"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv",
                  "mediatype": "text/csv", "encoding": "utf-8", "description": schemas[name].description or name,
                  "schema": table_schema(name)} for name in schemas]
    pkg = {"name": PACKAGE_NAME, "title": "部门决算公开 datasets (amounts in 万元)",
           "description": f"Tidy, checked datasets of {len(coll.reports)} department final-accounts "
                          f"disclosures (部门决算公开), written by xinzhou-fiscal {package_version()}.",
           "profile": "tabular-data-package", "resources": resources, "sources": sources}
    if licences:
        pkg["licenses"] = licences
    return pkg


def write_datapackage(coll: Collection, out_dir: Path) -> list[Path]:
    """``<out_dir>/datapackage/``: datapackage.json and one CSV per dataset."""
    folder = Path(out_dir) / "datapackage"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in {"reports": coll.catalogue, **coll.frames}.items():
        p = folder / f"{name}.csv"
        df.to_csv(p, index=False, encoding="utf-8")
        written.append(p)
    meta = folder / "datapackage.json"
    meta.write_text(json.dumps(descriptor(coll), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [meta, *written]
