"""The catalogue: one entry per raw report, sha256 verified, ids stable."""
from __future__ import annotations

import hashlib

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths


def test_catalogue_lists_both_real_reports():
    cat = xf.catalog()
    assert list(cat["report_id"]) == ["putuo-czj-2024", "shanghai-czj-2025-budget", "swu-2023-budget", "swu-2023-final",
                                      "xinzhou-swbgs-2023"]
    row = cat.set_index("report_id").loc["xinzhou-swbgs-2023"]
    assert row["department"] == "中国共产党忻州市委员会办公室" and row["year"] == 2023 and row["kind"] == "决算"
    # the seed's checksum as published in ../shared/README.md
    assert row["sha256"] == "78a13c6742710787f6f54c988f0bb141d8a8259255cc97db3bf046b63b74bbf4"
    row = cat.set_index("report_id").loc["putuo-czj-2024"]
    assert row["department"] == "上海市普陀区财政局" and row["year"] == 2024 and row["format"] == "pdf"
    # the sample's checksum as published in ../shared/samples/README.md
    assert row["sha256"] == "d45e923176f9fe4b6533829d3a2fe67f8cbcd55d07099dabf73aca62701f8eb5"
    assert cat["provenance"].str.len().min() > 50


def test_raw_files_match_their_checksums():
    for e in xf.catalog().itertuples():
        data = (paths.DATA_DIR / e.file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == e.sha256


def test_load_the_pdf_report_by_id():
    r = xf.load("putuo-czj-2024")
    assert r.department == "上海市普陀区财政局" and r.year == 2024 and r.document.kind == "pdf"
    f = r.tables["income_expenditure_summary"].facts
    # 收入支出决算总表 (page 7): 总计 2,995.39 on both sides
    assert f[f["item_key"] == "grand_total"]["amount"].tolist() == [2995.39, 2995.39]
    assert f["page"].notna().all()


def _data_folder(tmp_path, monkeypatch, entries):
    import json
    d = tmp_path / "mydata"
    (d / "raw").mkdir(parents=True)
    (d / "catalog.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv(paths.DATA_ENV, str(d))
    return d


def test_in_the_clone_the_bundled_reports_are_the_repository_folders():
    assert paths.IN_CLONE and paths.BUNDLED_DATA_DIR == paths.PROJECT_ROOT / "data"
    assert paths.NOTEBOOKS_DIR == paths.PROJECT_ROOT / "notebooks"


def test_a_data_folder_catalogue_extends_the_bundled_one(tmp_path, monkeypatch, seed_path):
    data = seed_path.read_bytes() + b"\n"
    d = _data_folder(tmp_path, monkeypatch, [{
        "report_id": "mine-2023", "department": "中国共产党忻州市委员会办公室", "year": 2023, "kind": "决算",
        "file": "raw/mine.txt", "format": "text", "sha256": hashlib.sha256(data).hexdigest()}])
    (d / "raw" / "mine.txt").write_bytes(data)
    assert xf.report_ids() == ["mine-2023", "putuo-czj-2024", "shanghai-czj-2025-budget", "swu-2023-budget",
                               "swu-2023-final", "xinzhou-swbgs-2023"]
    from xinzhou_fiscal.store import catalogue
    assert catalogue.verified_path("mine-2023") == d / "raw" / "mine.txt"
    # the bundled entries still resolve to the bundled folder
    assert catalogue.verified_path("xinzhou-swbgs-2023") == paths.BUNDLED_DATA_DIR / "raw" / "xinzhou_swbgs_2023_final.txt"
    assert "_dir" not in xf.catalog().columns


def test_an_id_or_sha256_catalogued_twice_is_refused(tmp_path, monkeypatch):
    import pytest
    _data_folder(tmp_path, monkeypatch, [{
        "report_id": "xinzhou-swbgs-2023", "department": "x", "year": 2023, "kind": "决算",
        "file": "raw/x.txt", "format": "text", "sha256": "0" * 64}])
    with pytest.raises(xf.CatalogError, match="'xinzhou-swbgs-2023' is catalogued twice"):
        xf.catalog()
    _data_folder(tmp_path / "b", monkeypatch, [{
        "report_id": "other", "department": "x", "year": 2023, "kind": "决算", "file": "raw/x.txt",
        "format": "text", "sha256": "78a13c6742710787f6f54c988f0bb141d8a8259255cc97db3bf046b63b74bbf4"}])
    with pytest.raises(xf.CatalogError, match="has the sha256 of xinzhou-swbgs-2023"):
        xf.report_ids()
