"""A Jiangsu-family budget with its twelve tables printed without ruling lines (#25: the real sample prints
"2019年部门预算公开表附后", p.8; real Jiangsu budgets print the tables unruled). The sample's own text with the
tables of tests/jiangsu_shaped.py, rendered with no line at all (xinzhou_fiscal.read.render, rulings=False)
and read back through the PDF path: columns come from the positions of words (read/pdf/columns.py).

The figures asserted are the sample's, typed from its 情况说明 (page numbers of the sample PDF in the comments);
jiangsu_shaped.py prints them in the family's tables.
"""
from __future__ import annotations

import warnings

import pytest
from jiangsu_shaped import jiangsu_shaped_text

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths
from xinzhou_fiscal.read.formats import read_document
from xinzhou_fiscal.report.parse import COLUMNS_INFERRED, read_report

SAMPLE = paths.PROJECT_ROOT.parent / "shared" / "samples" / "jiangsu_sheng_rdcwh_2019_budget.pdf"


def _render(tmp_path_factory, edit=lambda s: s):
    pytest.importorskip("reportlab")
    pytest.importorskip("mplfonts")
    if not SAMPLE.is_file():
        pytest.skip(f"{SAMPLE} is absent (../shared/samples/ lies beside the clone in CI)")
    from xinzhou_fiscal.read.render import render
    text = edit(jiangsu_shaped_text([ln.text for ln in read_document(SAMPLE).lines]))
    path = render(text, tmp_path_factory.mktemp("jiangsu") / "jiangsu.pdf", rulings=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_report(path)


@pytest.fixture(scope="module")
def jiangsu(tmp_path_factory):
    return _render(tmp_path_factory)


def _amount(r, table, *, code="", item=None, measure=None, measure_key=None):
    f = r.tables[table].facts
    sel = f["code"] == code
    for col, v in (("item", item), ("measure", measure), ("measure_key", measure_key)):
        if v is not None:
            sel &= f[col] == v
    return f.loc[sel, "amount"].tolist()


def test_the_twelve_tables_read_with_inferred_columns(jiangsu):
    r = jiangsu
    assert (r.department, r.year, r.kind, r.template.id) == ("江苏省人大常委会办公厅", 2019, "预算", "jiangsu_budget")
    statuses = {k: r.tables[k].status for k in r.template.keys}
    assert statuses == {k: "empty" if k == "budget_gov_fund" else "parsed" for k in r.template.keys}
    assert r.complete, r.missing_pieces
    assert all(COLUMNS_INFERRED in (r.tables[k].reason or "") for k in r.template.keys)


def test_totals_and_rows_of_the_jiangsu_tables(jiangsu):
    r = jiangsu
    # p.7: 收入、支出预算总计18330.37万元; p.8: 一般公共服务（类）支出13907.78万元
    assert _amount(r, "budget_summary", item="收入总计") == [18330.37]
    assert _amount(r, "budget_summary", item="一、一般公共服务支出") == [13907.78]
    assert _amount(r, "budget_income", item="合计", measure_key="general_budget") == [18330.37]   # p.9 一般公共预算收入
    # p.8: 基本支出9312.9, 项目支出6459.58, 单位预留机动经费2557.89
    for key, v in (("total", 18330.37), ("basic", 9312.90), ("project", 6459.58), ("reserve", 2557.89)):
        assert _amount(r, "budget_expenditure", item="合计", measure_key=key) == [v], key
    # p.10: 人大事务（款）人大会议（项）1469.73; p.11: 住房改革支出 提租补贴（项）2548.3
    assert _amount(r, "budget_fiscal_grant_expenditure", code="2010104", measure_key="total") == [1469.73]
    assert _amount(r, "budget_general_expenditure", code="2210202", measure_key="total") == [2548.30]
    # p.12: 人员经费7670.82万元, 公用经费1642.08万元
    assert _amount(r, "budget_fiscal_grant_basic", item="合计", measure_key="personnel") == [7670.82]
    assert _amount(r, "budget_general_basic", item="合计", measure_key="public") == [1642.08]
    # p.13: 因公出国（境）费199.25, 公务接待费384.75, 会议费1469.73, 培训费363.38
    for measure, v in (("因公出国（境）费", 199.25), ("公务接待费", 384.75), ("会议费", 1469.73), ("培训费", 363.38)):
        assert _amount(r, "budget_three_public", item="合计", measure=measure) == [v], measure
    # p.13: 公务用车运行维护费183.6 — under its own header, the blank 购置费 column beside it kept apart
    assert _amount(r, "budget_three_public", item="合计", measure="公务用车购置及运行费/公务用车运行费") == [183.60]
    assert not _amount(r, "budget_three_public", item="合计", measure="公务用车购置及运行费/公务用车购置费")
    assert _amount(r, "budget_office_running", item="合计") == [1642.08]                 # p.14
    assert _amount(r, "budget_procurement", item="合计", measure="服务") == [2183.33]     # p.15: 购买服务
    assert _amount(r, "budget_procurement", item="合计", measure="货物") == [233.10]


def test_a_unit_code_is_the_rows_unit_never_a_figure(jiangsu):
    """单位代码 101001 in the tables by unit (收入预算总表, 三公, 政府采购) names the row's unit."""
    assert not (jiangsu.facts["amount"] == 101001).any()
    f = jiangsu.tables["budget_procurement"].facts
    assert set(f.loc[f["item"] == "江苏省人大常委会办公厅", "item_key"]) == {"unit:101001"}


def test_the_audit_checks_the_identities_of_the_jiangsu_tables(jiangsu):
    a = xf.audit(jiangsu, include_passed=True)
    ids = a[a["rule"].isin(["coded.any_table_hierarchy", "coded.any_table_row_columns"])]
    assert len(ids) > 100 and set(ids["severity"]) == {"ok"}
    # the narrative's figures (情况说明 pp.7–15) against the tables
    told = a[a["rule"] == "narrative.budget_amount"]
    assert len(told) >= 5 and set(told["severity"]) == {"ok"}


def test_a_figure_that_does_not_add_up_is_an_error(tmp_path_factory):
    """人大会议 1469.73 printed as 1496.73 in the 支出预算总表 only: its 款 20101 and 类 201 no longer add up."""
    def edit(text):
        head, sep, rest = text.partition("\n支出预算总表\n")
        table, sep2, tail = rest.partition("\n财政拨款收支预算总表\n")
        return head + sep + table.replace("2010104\t人大会议\t1469.73\t\t1469.73", "2010104\t人大会议\t1496.73\t\t1496.73") \
            + sep2 + tail
    r = _render(tmp_path_factory, edit)
    errors = xf.audit(r).query("rule == 'coded.any_table_hierarchy' and severity == 'error'")
    assert len(errors) >= 1 and errors["subject"].str.contains("支出预算总表").all()


@pytest.mark.parametrize(("cover", "name", "year"), [
    (["江苏省生态环境厅2020年度部门预算公开"], "江苏省生态环境厅", 2020),
    (["江苏省生态环境", "厅二〇二〇年度部门预算公开"], "江苏省生态环境厅", 2020),           # wrapped, Chinese numerals
])
def test_another_jiangsu_department_and_year_rendered(tmp_path_factory, cover, name, year):
    """The PDF of another department and year (names and years replaced, figures the sample's)."""
    import re

    def edit(text):
        text = re.sub(r"(?<![\d,.])(20\d\d)(?=\s*年)", lambda m: str(int(m.group(1)) + year - 2019), text)
        lines = text.replace("江苏省人大常委会办公厅", name).split("\n")
        first = next(i for i, s in enumerate(lines) if s.strip())
        return "\n".join(lines[:first] + cover + lines[first + 1:])
    r = _render(tmp_path_factory, edit)
    assert (r.department, r.year, r.kind, r.template.id) == (name, year, "预算", "jiangsu_budget")
    assert _amount(r, "budget_summary", item="收入总计") == [18330.37]
