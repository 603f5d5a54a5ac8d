"""Findings, tables and the written summary name each table as the report's own template does:
Xinzhou reports by number (公开06表), Shanghai reports — whose table pages print no number — by
title. Titles typed from the official blank Shanghai template (附件2：部门决算模板) and the Putuo
PDF; numbers from the seed's table pages."""
from __future__ import annotations

import re

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal.analysis import present as xp
from xinzhou_fiscal.analysis.summary import department_summary
from xinzhou_fiscal.templates import relabel, template

#: a Xinzhou table number used as a name (not a range such as 公开01–10表)
XINZHOU_NUMBER = re.compile(r"公开\d{2}(?![\d–\-/])")
NAMING_FIELDS = ("subject", "message", "expected_label", "actual_label", "expected_source", "actual_source", "tables")


@pytest.mark.parametrize("text, named", [
    ("公开01表 本年收入合计", "收入支出决算总表 本年收入合计"),
    ("本年支出合计（公开01表 ↔ 公开03表）", "本年支出合计（收入支出决算总表 ↔ 支出决算表）"),
    ("公开05 合计行", "一般公共预算财政拨款支出决算表 合计行"),
    ("公开09表", "财政拨款“三公”经费支出决算表"),
    ("公开01–10表表头", "公开01–10表表头"),       # a range names no single table
    ("公开01/04 表式", "公开01/04 表式"),
    ("无公开10表", "无公开10表"),                 # the Shanghai template has no 公开10表
    ("情况说明第 269 行", "情况说明第 269 行"),
    ("公开02表（收入决算表）合计行", "收入决算表合计行"),             # the notebook's notes gloss numbers
    ("收入支出决算总表（公开01表）", "收入支出决算总表"),
])
def test_xinzhou_numbers_become_shanghai_titles(text, named):
    assert relabel(text, template("shanghai")) == named


def test_xinzhou_text_and_no_template_are_unchanged():
    assert relabel("公开06表 301 工资福利支出", template("xinzhou")) == "公开06表 301 工资福利支出"
    assert relabel("公开06表", None) == "公开06表"


@pytest.fixture(scope="module")
def putuo():
    return xf.load("putuo-czj-2024")


def test_a_shanghai_audit_names_tables_by_title(putuo):
    findings = xf.audit(putuo, include_passed=True)
    for field in NAMING_FIELDS:
        left = [v for v in findings[field].astype(str) if XINZHOU_NUMBER.search(v)]
        assert not left, (field, left[:3])
    table_nos = {e["table_no"] for ev in findings["evidence"] for e in ev}
    assert not [t for t in table_nos if XINZHOU_NUMBER.search(t)]
    # 表六 of the template: 一般公共预算财政拨款基本支出决算表 (its class 301 is checked against its items)
    assert "一般公共预算财政拨款基本支出决算表" in table_nos
    assert findings["finding_id"].str.contains("公开").any(), "finding ids keep the rule's words (stable)"


def test_a_xinzhou_audit_keeps_the_printed_numbers():
    findings = xf.audit(xf.load("xinzhou-swbgs-2023"))
    assert findings["tables"].str.contains("公开06表").any()
    assert not findings["tables"].str.contains("基本支出决算表").any()


def test_a_shanghai_summary_and_tables_name_tables_by_title(putuo):
    summary = str(department_summary(putuo))
    assert not XINZHOU_NUMBER.search(summary)
    assert "收入支出决算总表" in summary
    headline = xp.show("headline", putuo).frame
    assert not headline["来源"].str.contains("公开0").any()
    assert "财政拨款“三公”经费支出决算表" in set(headline["来源"])
    assert xp.show("totals", putuo, caption="收入支出决算总表（公开01表）").caption == "收入支出决算总表"


def test_a_shanghai_publication_names_tables_by_title_in_its_text():
    """The department notebook's section notes and captions are written with Xinzhou numbers; the
    batch's copy for a Shanghai report names the tables by title (a Xinzhou copy keeps them)."""
    import nbformat

    from xinzhou_fiscal import batch

    def captions(family):
        nb = batch.in_the_reports_names(nbformat.read(batch.DEPARTMENT_NOTEBOOK, as_version=4), family)
        return [c.source for c in nb.cells if c.cell_type == "markdown" and "数据来源" in c.source]

    shanghai, xinzhou = captions(template("shanghai")), captions(template("xinzhou"))
    assert any("数据来源：收入决算表 合计行" in c for c in shanghai)
    assert any("数据来源：公开02表 合计行" in c for c in xinzhou)
    assert not [c for c in shanghai if XINZHOU_NUMBER.search(c)]
