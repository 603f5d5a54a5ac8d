"""``xinzhou-fiscal export``: every format read back, with figures typed from the documents.

Seed (xinzhou_swbgs_2023_final.txt): 公开01表 总计 2,795.38 and 公开04表 总计 2,792.45; 17
绩效自评表 (lines 550–1146); line 460 prints 住房保障支出 增加16.60万元，增加17.10% against 支出决算
113.38 (16.60 ÷ 96.78 = 17.15%, so the audit finds it). Putuo PDF: 收入支出决算总表 总计 2,995.39
(page 7), 财政拨款收入支出决算总表 总计 2,961.68."""
from __future__ import annotations

import json

import duckdb
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

import xinzhou_fiscal as xf
from xinzhou_fiscal.cli import app
from xinzhou_fiscal.store.export.collection import shaped
from xinzhou_fiscal.store.export.columns import AMOUNT_FORMAT, dataset_fields

SEED, PUTUO = "xinzhou-swbgs-2023", "putuo-czj-2024"
#: every bundled report (data/catalog.json): the two final accounts, two budgets and the 西南大学 final
ALL = {SEED, PUTUO, "shanghai-czj-2025-budget", "swu-2023-budget", "swu-2023-final"}
SEED_SHA = "78a13c6742710787f6f54c988f0bb141d8a8259255cc97db3bf046b63b74bbf4"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    d = tmp_path_factory.mktemp("export")
    args = ["export", "--out", str(d)]
    for fmt in ("xlsx", "csv", "parquet", "datapackage", "duckdb"):
        args += ["--format", fmt]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    return d


def _rows(ws):
    rows = list(ws.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


# --------------------------------------------------------------------------- xlsx

def test_workbook_of_the_seed(out):
    wb = openpyxl.load_workbook(out / f"{SEED}.xlsx")
    assert wb.sheetnames[0] == "来源"
    source = _rows(wb["来源"])
    assert source.loc[0, "SHA-256"] == SEED_SHA and source.loc[0, "获取日期"] == "2026-11-29"
    ws = wb["facts 数据"]
    assert ws.freeze_panes == "A2"
    facts = _rows(ws)
    assert list(facts.columns[:3]) == ["报告编号", "表键", "表号"]
    totals = facts[(facts["表号"] == "公开01表") & (facts["项目键"] == "grand_total")]
    assert totals["金额"].tolist() == [2795.38, 2795.38]
    amount_col = list(facts.columns).index("金额") + 1
    cell = ws.cell(row=totals.index[0] + 2, column=amount_col)
    assert isinstance(cell.value, float) and cell.number_format == AMOUNT_FORMAT
    assert len(_rows(wb["projects 绩效自评"])) == 17
    findings = _rows(wb["findings 审核发现"])
    hit = findings[(findings["规则"] == "narrative.yoy_rate") & findings["对象"].str.contains("住房保障支出")]
    assert hit["印刷值"].tolist() == [17.10]
    # 公开01表 as printed: line 71 prints nothing for 二、外交支出 — the cell stays blank
    ws = wb["公开01表"]
    header = [c.value for c in ws[1]]
    (row,) = [r for r in ws.iter_rows(min_row=2) if r[header.index("支出/项目")].value == "二、外交支出"]
    assert row[header.index("支出/金额")].value is None and row[header.index("支出/行次")].value == 33


def test_workbook_of_putuo_and_across_reports(out):
    facts = _rows(openpyxl.load_workbook(out / f"{PUTUO}.xlsx")["facts 数据"])
    grant = facts[(facts["表键"] == "fiscal_grant_summary") & (facts["项目键"] == "grand_total")]
    assert set(grant["金额"]) == {2961.68}
    both = _rows(openpyxl.load_workbook(out / "all-reports.xlsx")["facts 数据"])
    assert set(both["报告编号"]) == ALL
    assert len(_rows(openpyxl.load_workbook(out / "all-reports.xlsx")["来源"])) == len(ALL)


# --------------------------------------------------------------------------- data package

def test_datapackage_validates_and_reads_back(out):
    from frictionless import Package, validate
    report = validate(out / "datapackage" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    pkg = Package(out / "datapackage" / "datapackage.json")
    assert pkg.get_resource("reports").schema.primary_key == ["report_id"]
    fk = pkg.get_resource("facts").schema.foreign_keys[0]
    assert fk["fields"] == ["report_id"] and fk["reference"]["resource"] == "reports"
    amount = pkg.get_resource("facts").schema.get_field("amount")
    assert amount.type == "number" and "万元" in amount.description and amount.title == "金额"
    desc = json.loads((out / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))
    assert any("shared/seeds/000_c47d107bdef17372.txt" in s.get("description", "") for s in desc["sources"])
    assert desc["licenses"][0]["title"] == "Public government disclosure (政府信息公开)."
    facts = pd.read_csv(out / "datapackage" / "facts.csv", dtype={"code": str})
    seed_total = facts.query("report_id == @SEED and table == 'income_expenditure_summary' and item_key == 'grand_total'")
    assert seed_total["amount"].tolist() == [2795.38, 2795.38]
    projects = pd.read_csv(out / "datapackage" / "projects.csv")
    assert (projects["report_id"] == SEED).sum() == 17


# --------------------------------------------------------------------------- duckdb, csv, parquet

def test_duckdb_tables_views_and_totals(out):
    con = duckdb.connect(str(out / "xinzhou-fiscal.duckdb"), read_only=True)
    try:
        grant = dict(con.execute("""SELECT report_id, amount FROM facts WHERE "table" = 'fiscal_grant_summary'
                                    AND section = 'income' AND item_key = 'grand_total'""").fetchall())
        assert grant == {SEED: 2792.45, PUTUO: 2961.68}
        head = con.execute("SELECT report_id, grand_total FROM headline ORDER BY report_id").fetchall()
        assert [h for h in head if h[0] in (PUTUO, SEED)] == [(PUTUO, 2995.39), (SEED, 2795.38)]
        assert con.execute("SELECT count(*) FROM projects WHERE report_id = ?", [SEED]).fetchone()[0] == 17
        types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                 "WHERE table_name = 'facts'").fetchall())
        assert {c: types[c] for c in ("amount", "line", "code")} == {"amount": "DOUBLE", "line": "BIGINT",
                                                                      "code": "VARCHAR"}
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert {"reports", "facts", "claims", "projects", "indicators", "findings", "headline",
                "three_public"} <= tables
    finally:
        con.close()


def test_csv_and_parquet_read_back(out):
    pq = pd.read_parquet(out / "facts.parquet")
    assert pq.query("report_id == @PUTUO and table == 'fiscal_grant_summary' and item_key == 'grand_total'")[
        "amount"].unique().tolist() == [2961.68]
    csv = pd.read_csv(out / "findings.csv", encoding="utf-8-sig")
    assert ALL == set(csv["report_id"])


def test_sql_over_every_catalogued_report():
    df = xf.sql("""SELECT report_id, amount FROM facts WHERE "table" = 'income_expenditure_summary'
                   AND section = 'expenditure' AND item_key = 'grand_total' ORDER BY report_id""")
    # 高等学校收支决算总表 (西南大学 2023, p9) prints 合计 569,496.54 on both sides
    assert df.values.tolist() == [[PUTUO, 2995.39], ["swu-2023-final", 569496.54], [SEED, 2795.38]]
    from xinzhou_fiscal.store.sql import connection
    assert connection() is connection()        # parsed once per process


# --------------------------------------------------------------------------- one schema

def test_every_published_column_is_described_by_the_schemas():
    with pytest.raises(ValueError, match="not described in schemas.py"):
        shaped("facts", pd.DataFrame({"amount": [1.0], "surprise": ["x"]}), "r")
    for name in ("reports", "facts", "claims", "projects", "indicators", "findings"):
        for f in dataset_fields(name):
            assert f.title and f.description, (name, f.name)


def test_export_refuses_an_unknown_id_and_format(tmp_path):
    res = CliRunner().invoke(app, ["export", "nope", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "unknown report id 'nope'" in res.output
    res = CliRunner().invoke(app, ["export", "--format", "pdf", "--out", str(tmp_path)])
    assert res.exit_code != 0 and "--format must be one of" in res.output
