"""Bad input fails loudly, naming the file and the table or line. A table that cannot be read makes
the report partial (``complete`` False, the failure named) or, with ``strict=True``, raises."""
from __future__ import annotations

import json
import shutil

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal.errors import (
    BadNumberError,
    ChecksumMismatchError,
    EmptyReportError,
    NotAReportError,
    TruncatedTableError,
    UnknownReportError,
)
from xinzhou_fiscal.store import catalogue as catalog_mod


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def replace_line(text, lineno, old, new):
    lines = text.split("\n")
    assert old in lines[lineno - 1], (lineno, lines[lineno - 1])
    lines[lineno - 1] = lines[lineno - 1].replace(old, new, 1)
    return "\n".join(lines)


def test_empty_file(tmp_path):
    p = write(tmp_path, "empty.txt", "")
    with pytest.raises(EmptyReportError) as e:
        xf.read_report(p)
    assert "empty.txt" in str(e.value) and "empty" in str(e.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(xf.ReportError, match="no such file"):
        xf.read_report(tmp_path / "nope.txt")
    with pytest.raises(xf.ReportError, match="not a file"):
        xf.read_report(tmp_path)


def test_whitespace_only_file(tmp_path):
    with pytest.raises(EmptyReportError):
        xf.read_report(write(tmp_path, "blank.txt", " \n\t\n"))


def test_text_that_is_not_a_report(tmp_path):
    p = write(tmp_path, "poem.txt", "床前明月光\n疑是地上霜\n举头望明月\t低头思故乡\n2023\t45.6\n")
    with pytest.raises(NotAReportError) as e:
        xf.read_report(p)
    assert "poem.txt" in str(e.value) and "final-accounts report" in str(e.value)


def test_table_cut_off_at_end_of_file(tmp_path, seed_text):
    cut = "\n".join(seed_text.split("\n")[:163])      # ends inside 公开03表, after the 213 row
    p = write(tmp_path, "cut.txt", cut)
    with pytest.raises(TruncatedTableError) as e:
        xf.read_report(p, strict=True)
    err = e.value
    assert err.table.startswith("公开03表") and err.file == "cut.txt" and err.line == 163
    assert "cut off" in str(err)
    r = xf.read_report(p)                        # partial: what read is kept, what did not is named
    assert not r.complete
    assert r.tables["expenditure"].status == "failed" and "cut off" in r.tables["expenditure"].reason
    assert r.tables["income"].facts.query("code == ''")["amount"].max() == 2792.45
    assert {k for k, t in r.tables.items() if t.status == "missing"} == {
        "fiscal_grant_summary", "general_budget_expenditure", "general_budget_basic", "gov_fund",
        "state_capital", "three_public", "related_info"}
    assert r.tables["three_public"].in_toc is True          # the 目录 lists it
    assert any(m.startswith("公开03表 支出决算表: failed") for m in r.missing_pieces)
    assert "公开09表 财政拨款“三公”经费支出决算表: missing (listed in the 目录)" in r.missing_pieces


def test_table_cut_off_before_the_next_table(tmp_path, seed_text):
    lines = seed_text.split("\n")
    # drop 公开03表's rows from 20805 on, and its note (lines 160–173), keeping the next table
    cut = "\n".join(lines[:159] + lines[173:])
    p = write(tmp_path, "cut2.txt", cut)
    with pytest.raises(TruncatedTableError) as e:
        xf.read_report(p, strict=True)
    assert e.value.table.startswith("公开03表")
    r = xf.read_report(p)
    assert r.tables["expenditure"].status == "failed"
    assert r.tables["fiscal_grant_summary"].status == "parsed"     # the next table still reads


@pytest.mark.parametrize("lineno,old,new,table,key", [
    (70, "2792.45", "12.3.4", "公开01表", "income_expenditure_summary"),
    (124, "140.52", "1O2.5", "公开02表", "income"),
    (271, "254.52", "254,52", "公开06表", "general_budget_basic"),
    (121, "2013101", "2O13101", "公开02表", "income"),
])
def test_malformed_number(tmp_path, seed_text, lineno, old, new, table, key):
    p = write(tmp_path, "bad.txt", replace_line(seed_text, lineno, old, new))
    with pytest.raises(BadNumberError) as e:
        xf.read_report(p, strict=True)
    err = e.value
    assert err.file == "bad.txt" and err.table.startswith(table) and err.line == lineno
    assert new in str(err)
    r = xf.read_report(p)
    assert r.tables[key].status == "failed" and r.tables[key].error_line == lineno and not r.complete
    assert sum(t.status == "parsed" for t in r.tables.values()) == 7      # the other seven with figures


def test_gbk_encoded_text_is_decoded(tmp_path, seed_text):
    p = write(tmp_path, "gbk.txt", seed_text, encoding="gbk")
    r = xf.read_report(p)
    assert r.document.encoding == "gb18030" and r.meta["encoding"] == "gb18030"
    assert r.department == "中国共产党忻州市委员会办公室"
    assert r.tables["expenditure"].facts.query("code == ''")["amount"].max() == 2795.38


def test_undecodable_bytes_are_named(tmp_path):
    p = tmp_path / "binary.txt"
    p.write_bytes(b"\x81\x30\xff\xfe\x00\x00garbage" * 10)
    with pytest.raises(xf.ReportError) as e:
        xf.read_report(p)
    assert "binary.txt" in str(e.value)


@pytest.fixture()
def tmp_catalog(tmp_path, seed_path):
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    shutil.copy(seed_path, data / "raw" / "seed.txt")
    entry = {"report_id": "seed-copy", "department": "中国共产党忻州市委员会办公室", "year": 2023, "kind": "决算",
             "file": "raw/seed.txt", "format": "text", "provenance": "test copy",
             "sha256": "78a13c6742710787f6f54c988f0bb141d8a8259255cc97db3bf046b63b74bbf4"}
    (data / "catalog.json").write_text(json.dumps([entry], ensure_ascii=False), encoding="utf-8")
    return data


def test_catalogued_file_verified(tmp_catalog):
    p = catalog_mod.verified_path("seed-copy", tmp_catalog / "catalog.json", tmp_catalog)
    assert p.name == "seed.txt"


def test_catalogued_file_whose_sha256_changed(tmp_catalog):
    raw = tmp_catalog / "raw" / "seed.txt"
    raw.write_bytes(raw.read_bytes().replace("2792.45".encode(), "2792.46".encode(), 1))
    with pytest.raises(ChecksumMismatchError) as e:
        catalog_mod.verified_path("seed-copy", tmp_catalog / "catalog.json", tmp_catalog)
    assert "seed-copy" in str(e.value) and "78a13c6742710787" in str(e.value)


@pytest.mark.parametrize("bad_id", ["nope", "../x", "../../etc/passwd", ""])
def test_unknown_report_id_lists_valid_ids(bad_id):
    with pytest.raises(UnknownReportError) as e:
        xf.load(bad_id)
    assert "xinzhou-swbgs-2023" in str(e.value) and "valid ids" in str(e.value)
