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
