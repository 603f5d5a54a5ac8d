"""Layouts the seed does not exercise, built from the seed's own lines (so the rest stays real):
a 公开07表 with data, a 合计 row printed last, thousands separators, an unknown table title."""
from __future__ import annotations

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal.errors import TableLayoutError


def with_lines(seed_text, replace: dict[int, list[str]]):
    lines = seed_text.split("\n")
    for lineno in sorted(replace, reverse=True):
        lines[lineno - 1:lineno] = replace[lineno]
    return "\n".join(lines)


def _write(tmp_path, text, name="variant.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def parse(tmp_path, text, name="variant.txt"):
    return xf.read_report(_write(tmp_path, text, name))


def test_gov_fund_table_with_data(tmp_path, seed_text):
    # line 319 is 公开07表's empty 合计 row; give it amounts and a 项 row, the note keeps saying no data
    text = with_lines(seed_text, {319: [
        "合计\t\t1.00\t20.00\t18.50\t\t18.50\t2.50",
        "2120803\t城市建设支出\t1.00\t20.00\t18.50\t\t18.50\t2.50"]})
    t = parse(tmp_path, text).tables["gov_fund"]
    assert t.status == "parsed"
    f = t.facts.set_index(["code", "measure_key"])["amount"]
    assert f[("", "carryover_begin")] == 1.00 and f[("", "income")] == 20.00
    assert f[("2120803", "total")] == 18.50 and f[("2120803", "project")] == 18.50
    assert f[("2120803", "carryover_end")] == 2.50
    assert ("2120803", "basic") not in f.index                       # blank stays blank
    assert t.facts.set_index(["code", "measure_key"])["measure"][("", "total")] == "本年支出/小计"


def test_total_row_printed_last_and_thousands_separators(tmp_path, seed_text):
    # 公开05表: move the 合计 row (line 237) after the last 项 row (line 255); print 2,792.45
    lines = seed_text.split("\n")
    total = lines[236].replace("2792.45", "2,792.45")
    text = with_lines(seed_text, {255: [lines[254], total], 237: []})
    t = parse(tmp_path, text).tables["general_budget_expenditure"]
    row = t.facts[(t.facts["code"] == "") & (t.facts["measure_key"] == "total")].iloc[0]
    assert row["amount"] == 2792.45 and row["printed"] == "2,792.45" and row["item_key"] == "total"
    assert len(t.facts) == 42


def test_an_unrecognised_table_is_reported_not_dropped(tmp_path, seed_text):
    # retitle 公开10表 (line 363): its numbers are not parsed, and the report says so with the line
    text = with_lines(seed_text, {363: ["部门决算其他信息表"]})
    r = parse(tmp_path, text)
    assert r.tables["related_info"].status == "missing"
    prob = r.problems[r.problems["message"].str.contains("unrecognised table title")]
    assert len(prob) == 1 and int(prob["line"].iloc[0]) == 363


def test_a_value_outside_the_table_columns_is_an_error(tmp_path, seed_text):
    # 公开02表 line 121 (2013101) with an extra amount beyond the 7 income columns
    lines = seed_text.split("\n")
    text = with_lines(seed_text, {121: [lines[120] + "\t5.00"]})
    with pytest.raises(TableLayoutError) as e:
        xf.read_report(_write(tmp_path, text), strict=True)
    assert e.value.line == 121 and e.value.table.startswith("公开02表")
    # without strict: 公开02表 fails, the other nine tables still read
    r = parse(tmp_path, text)
    t = r.tables["income"]
    assert t.status == "failed" and t.error_line == 121 and not r.complete
    assert r.missing_pieces == [f"公开02表 收入决算表: failed ({t.reason}; line 121, page 4)"]   # page: the 目录
    assert r.facts.query("table == 'income'").empty
    assert r.tables["expenditure"].facts.query("code == ''")["amount"].max() == 2795.38
    assert r.tables["three_public"].status == "parsed"
