"""Template families are data, detected from the document; the required tables follow from them.

Values are typed from the seed (its 目录 and table pages), from ../shared/DOMAIN.md「Template
families」 and from the official blank Shanghai template (附件2：部门决算模板: 七 is the 三公 table,
八 and 九 the two fund tables).
"""
from __future__ import annotations

import re

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal.tables import PARSERS
from xinzhou_fiscal.templates import template, templates


def write(tmp_path, text, name="variant.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ---- the data itself -------------------------------------------------------------------------

def test_the_families_ship_as_data():
    assert [t.id for t in templates()] == ["xinzhou", "shanghai", "central", "university_final", "shanxi_older", "shanghai_budget",
                                           "shanghai_district_budget", "jiangsu_budget", "university_budget", "unknown"]
    kinds = {t.id: t.kind for t in templates()}
    assert {k for k, v in kinds.items() if v == "预算"} == {"shanghai_budget", "shanghai_district_budget",
                                                          "jiangsu_budget", "university_budget"}
    for fam in templates():
        keys = [t.key for t in fam.tables]
        assert len(keys) == len(set(keys)), fam.id
        assert all(t.layout in PARSERS for t in fam.tables)
        assert fam.default_unit in ("万元", "元")
        assert fam.no_data
        if fam.id != "unknown":
            assert {"overview", "narrative", "glossary"} <= set(fam.parts), fam.id


def test_xinzhou_numbers_its_ten_tables():
    x = template("xinzhou")
    assert [t.number for t in x.tables] == [f"公开{i:02d}表" for i in range(1, 11)]
    assert x.table("three_public").number == "公开09表"
    assert x.table("related_info").title == "部门决算公开相关信息统计表"


def test_shanghai_has_nine_unnumbered_tables_in_the_blank_templates_order():
    s = template("shanghai")
    assert not s.numbered and len(s.tables) == 9 and "related_info" not in s.keys
    order = {t.toc: t.key for t in s.tables}
    assert order["七"] == "three_public" and order["八"] == "gov_fund" and order["九"] == "state_capital"
    assert s.table("general_budget_basic").title == "一般公共预算财政拨款基本支出决算表"


def test_central_prints_three_public_as_its_seventh_table():
    c = template("central")
    assert len(c.tables) == 9 and c.table("three_public").number == "公开07表"
    assert c.table("three_public").title == "一般公共预算财政拨款“三公”经费支出决算表"


# ---- detection -------------------------------------------------------------------------------

def test_the_seed_is_xinzhou_and_complete(seed):
    assert seed.template.id == "xinzhou"
    assert seed.template_match.scores["xinzhou"] > max(s for k, s in seed.template_match.scores.items() if k != "xinzhou")
    assert seed.complete and seed.missing_pieces == []
    st = seed.table_status.set_index("table")
    assert st["status"].to_dict() == {
        "income_expenditure_summary": "parsed", "income": "parsed", "expenditure": "parsed",
        "fiscal_grant_summary": "parsed", "general_budget_expenditure": "parsed", "general_budget_basic": "parsed",
        "gov_fund": "empty", "state_capital": "empty", "three_public": "parsed", "related_info": "parsed"}
    assert st.loc["three_public", "label"] == "公开09表" and st["required"].all()


def _as_central(seed_text: str) -> str:
    """The seed laid out as the central nine-table template: 三公 is 公开07表 under the central title,
    the fund tables move to 08 and 09, 公开10表 is not printed, and no 忻州/山西 marker remains."""
    lines = seed_text.split("\n")
    start10 = lines.index("部门决算公开相关信息统计表")
    end10 = next(i for i in range(start10, len(lines)) if lines[i].startswith("第三部分"))
    lines = lines[:start10] + lines[end10:]
    text = "\n".join(lines)
    text = text.replace("公开07表", "@08").replace("公开08表", "@09").replace("公开09表", "@07")
    text = re.sub(r"@(\d\d)", r"公开\1表", text)
    text = text.replace("\n财政拨款“三公”经费支出决算表\n", "\n一般公共预算财政拨款“三公”经费支出决算表\n")
    text = text.replace("一般公共预算财政拨款基本支出决算明细表", "一般公共预算财政拨款基本支出决算表")
    return text.replace("忻州", "某市").replace("山西", "某省")


def test_a_central_layout_is_detected_as_central(tmp_path, seed_text):
    r = xf.read_report(write(tmp_path, _as_central(seed_text)))
    assert r.template.id == "central"
    assert r.tables["three_public"].status == "parsed" and r.tables["three_public"].number == "公开07表"
    # 公开09表 决算数 合计 8.59, now printed as 公开07表
    tp = r.tables["three_public"].facts
    assert 8.59 in tp["amount"].tolist()
    # central has nine tables: no 公开10表 expected, so the report is complete
    assert r.tables["related_info"].status == "missing" and r.tables["related_info"].required is False
    assert r.complete


def test_unnumbered_tables_are_read_as_the_shanghai_layout(tmp_path, seed_text):
    # a Shanghai-style copy of the seed: no 公开NN表 lines, no 公开10表 (nor its 目录 line), a
    # Shanghai department; the 目录 keeps the seed's order (三公 at 九, which Shanghai prints as 七)
    lines = [ln for ln in seed_text.split("\n")
             if not re.fullmatch(r"公开\d\d表", ln) and not ln.startswith("十、部门决算公开相关信息统计表")]
    start10 = lines.index("部门决算公开相关信息统计表")
    end10 = next(i for i in range(start10, len(lines)) if lines[i].startswith("第三部分"))
    text = "\n".join(lines[:start10] + lines[end10:]).replace("忻州市", "上海市普陀区").replace("忻州", "普陀")
    r = xf.read_report(write(tmp_path, text))
    assert r.template.id == "shanghai"
    assert r.tables["expenditure"].number is None and r.tables["expenditure"].status == "parsed"
    assert r.tables["expenditure"].facts.query("code == ''")["amount"].max() == 2795.38
    assert r.complete and "related_info" not in r.template.keys


def test_a_table_missing_but_listed_in_the_toc(tmp_path, seed_text):
    lines = seed_text.split("\n")
    start = lines.index("财政拨款“三公”经费支出决算表")
    end = lines.index("部门决算公开相关信息统计表")
    r = xf.read_report(write(tmp_path, "\n".join(lines[:start] + lines[end:])))
    t = r.tables["three_public"]
    assert t.status == "missing" and t.in_toc is True and t.required
    assert not r.complete
    assert r.missing_pieces == ["公开09表 财政拨款“三公”经费支出决算表: missing (listed in the 目录)"]
    assert r.tables["related_info"].status == "parsed"


@pytest.mark.parametrize("note_at", ["under", "above", "in_table"])
def test_a_three_public_table_without_figures_is_empty_with_its_note_wherever_it_sits(tmp_path, seed_text, note_at):
    lines = seed_text.split("\n")
    row = lines.index("8.59\t\t8.59\t\t8.59\t\t8.59\t\t8.59\t\t8.59\t")      # the 公开09表 data row
    note = "说明：本单位2023年度无财政拨款“三公”经费支出，故本表无数据。"
    lines[row] = "\t" * 11
    if note_at == "under":
        lines.insert(row + 1, note)
    elif note_at == "above":
        lines.insert(lines.index("公开09表") + 1, note)
    else:
        lines[row] = note + "\t" * 11
    r = xf.read_report(write(tmp_path, "\n".join(lines)))
    t = r.tables["three_public"]
    assert t.status == "empty" and "本表无数据" in t.empty_note
    assert r.complete and t.facts.empty


def test_a_three_public_table_without_figures_or_note_is_blank_and_recorded(tmp_path, seed_text):
    lines = seed_text.split("\n")
    row = lines.index("8.59\t\t8.59\t\t8.59\t\t8.59\t\t8.59\t\t8.59\t")
    lines[row] = "\t" * 11
    r = xf.read_report(write(tmp_path, "\n".join(lines)))
    t = r.tables["three_public"]
    assert t.status == "blank" and t.empty_note is None
    assert r.complete      # a blank table is read: the audit, not the reader, calls it a defect
    prob = r.problems[r.problems["message"].str.contains("without any amount and without a note")]
    assert prob["table"].str.startswith("公开09表").any()
