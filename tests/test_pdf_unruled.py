"""Tables printed without ruling lines (columns by alignment only, as the Jiangsu budget tables are
described in #25): the seed rendered with no line at all (xinzhou_fiscal.read.render, ``rulings=False``)
and read back through the PDF path, whose columns come from the positions of the words
(xinzhou_fiscal/read/pdf/columns.py). Each such table says its columns were inferred.

Spot values are typed from data/raw/xinzhou_swbgs_2023_final.txt (line numbers in the comments).
"""
from __future__ import annotations

import warnings

import pdfplumber
import pytest

from xinzhou_fiscal import paths
from xinzhou_fiscal.report.parse import COLUMNS_INFERRED, read_report

SEED = paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt"
FACT_KEY = ["table", "code", "item", "measure", "amount", "printed", "printed_unit"]


@pytest.fixture(scope="module")
def unruled(tmp_path_factory):
    pytest.importorskip("reportlab")
    pytest.importorskip("mplfonts")
    from xinzhou_fiscal.read.render import render
    path = render(SEED.read_text(encoding="utf-8"), tmp_path_factory.mktemp("unruled") / "seed.pdf", rulings=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return path, read_report(path), read_report(SEED)


def _facts(report, keys):
    f = report.facts[report.facts["table"].isin(keys)]
    return sorted(tuple(str(v) for v in rec) for rec in f[FACT_KEY].itertuples(index=False))


def test_the_rendering_has_no_ruling_line(unruled):
    path, _, _ = unruled
    with pdfplumber.open(path) as pdf:
        assert all(not p.lines and not p.rects and not p.curves for p in pdf.pages)


def test_unruled_tables_read_the_seeds_facts(unruled):
    _, pdf, text = unruled
    read = [k for k, t in pdf.tables.items() if t.status == "parsed"]
    # every table reads, the 12-column 三公 table too (公开09, columns of 17 pt with six of them blank: a
    # blank column's header beside its neighbour's stays its own)
    assert set(read) == {"income_expenditure_summary", "income", "expenditure", "fiscal_grant_summary",
                         "general_budget_expenditure", "general_budget_basic", "three_public", "related_info"}
    assert _facts(pdf, read) == _facts(text, read)
    assert len(_facts(pdf, read)) == 197
    assert pdf.tables["gov_fund"].status == pdf.tables["state_capital"].status == "empty"   # 说明：本表无数据
    # spot values: 公开01 line 69 一般公共预算财政拨款收入 2792.45; 公开06 line 272 30101 基本工资 510.52
    f = pdf.facts.set_index(["table", "item"])["amount"]
    assert f[("income_expenditure_summary", "一、一般公共预算财政拨款收入")] == 2792.45
    assert pdf.facts.query("table == 'general_budget_basic' and code == '30101'")["amount"].tolist() == [510.52]
    # 公开09 line 358: 8.59 under 预算数 and 决算数 公务用车运行维护费, never under the blank 购置费 beside it
    tp = pdf.facts.query("table == 'three_public'").set_index("measure_key")["amount"]
    assert tp["budget_vehicle_operation"] == tp["actual_vehicle_operation"] == 8.59
    assert "budget_vehicle_purchase" not in tp.index


def test_each_unruled_table_says_its_columns_were_inferred(unruled):
    _, pdf, _ = unruled
    printed = [t for t in pdf.tables.values() if t.status != "missing"]
    assert printed and all(COLUMNS_INFERRED in (t.reason or "") for t in printed)
    assert sum(COLUMNS_INFERRED in p.message for p in pdf.table_problems) == len(printed)
