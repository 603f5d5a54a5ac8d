"""Layouts of families the seed does not follow, built from the seed's own lines so the figures stay
real (#24): an older Shanxi layout (titles with the year, older names, 公开08 = 相关信息统计表, no
国有资本经营 table, amounts in 元 with two decimals) and a family no template knows (read generically)."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal.errors import NotAReportError

TABLE_REGION = (55, 395)          # 第二部分 … the 公开10表 note: the seed's table pages
RENAMED = {                       # seed title line → the older layout's title (the year 2023 keeps the figures)
    "收入支出决算总表": "2023年收入支出决算表",
    "收入决算表": "2023年收入决算表",
    "支出决算表": "2023年支出决算表",
    "财政拨款收入支出决算总表": "2023年财政拨款收入支出决算总表",
    "一般公共预算财政拨款支出决算表": "2023年一般公共预算财政拨款支出决算表（一）",
    "一般公共预算财政拨款基本支出决算明细表": "2023年一般公共预算财政拨款支出决算表（二）",
    "政府性基金预算财政拨款收入支出决算表": "2023年政府性基金预算财政拨款收入支出决算表",
    "财政拨款“三公”经费支出决算表": "2023年“三公”经费支出表",
    "部门决算公开相关信息统计表": "2023年相关信息统计表",
}
_AMOUNT = re.compile(r"^-?\d[\d,]*\.\d{2}$")


def _in_yuan(cell: str) -> str:
    """A 万元 amount of the seed printed in 元 with two decimals, multiplied exactly."""
    if not _AMOUNT.match(cell):
        return cell
    return f"{Decimal(cell.replace(',', '')) * 10000:.2f}"


def older_layout(seed_text: str) -> str:
    lines = seed_text.split("\n")
    lo, hi = TABLE_REGION
    out = []
    skip = False
    for n, line in enumerate(lines, start=1):
        if lo <= n <= hi:
            s = line.strip()
            if s == "国有资本经营预算财政拨款支出决算表":
                skip = True                       # no 国有资本经营 table in this layout
            elif skip and s in RENAMED:
                skip = False
            if skip:
                continue
            if s in RENAMED:
                line = RENAMED[s]
            elif s == "公开10表":
                line = "公开08表"
            elif s == "金额单位：万元":
                line = "金额单位：元"
            elif "\t" in line:
                line = "\t".join(_in_yuan(c) for c in line.split("\t"))
        out.append(line)
    return "\n".join(out)


def _write(tmp_path, text, name):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _key(facts):
    return sorted(zip(facts["table"], facts["code"], facts["item"], facts["measure"], facts["amount"]))


def test_older_layout_reads_the_same_figures(tmp_path, seed_text, seed):
    text = older_layout(seed_text)
    assert "2023年一般公共预算财政拨款支出决算表（二）" in text and "27924500.00" in text   # 2792.45 万元 in 元
    r = xf.read_report(_write(tmp_path, text, "older.txt"))
    assert r.template.id == "shanxi_older" and r.kind == "决算"
    assert r.tables["related_info"].number == "公开08表" and r.tables["related_info"].status == "parsed"
    assert r.tables["three_public"].title == "2023年“三公”经费支出表"
    assert r.tables["state_capital"].status == "missing" and not r.tables["state_capital"].required
    assert set(r.facts["printed_unit"]) <= {"元", "辆", "台（套）", "个", ""}
    # the same 197 facts as the seed (its 公开08 table is empty), amounts equal after the exact conversion
    assert len(r.facts) == len(seed.facts) == 197
    assert _key(r.facts) == _key(seed.facts)
    # figures typed from the seed: 公开01 一般公共预算财政拨款收入 2792.45 万元, printed 27924500.00 元
    f = r.facts[(r.facts["table"] == "income_expenditure_summary") & (r.facts["item"] == "一、一般公共预算财政拨款收入")]
    assert f["amount"].tolist() == [2792.45] and f["printed"].tolist() == ["27924500.00"]


UNKNOWN_TABLES = """某省某厅2023年度部门决算

第二部分 决算报表

甲表 部门收入决算明细表

金额单位：万元

科目编码\t科目名称\t合计\t财政拨款\t其他收入
合计\t\t150.00\t120.00\t30.00
201\t一般公共服务支出\t100.00\t80.00\t20.00
20103\t政府办公厅（室）及相关机构事务\t100.00\t80.00\t20.00
2010301\t行政运行\t60.00\t50.00\t10.00
2010302\t一般行政管理事务\t40.00\t30.00\t10.00
208\t社会保障和就业支出\t50.00\t40.00\t10.00
20805\t行政事业单位养老支出\t50.00\t40.00\t10.00
2080505\t机关事业单位基本养老保险缴费支出\t50.00\t40.00\t10.00

注：本表反映部门本年度收入情况。

第三部分 情况说明
"""


def test_unknown_family_reads_generically(tmp_path):
    r = xf.read_report(_write(tmp_path, UNKNOWN_TABLES, "unknown.txt"))
    assert r.template.id == "unknown"
    assert any("unknown" in p.message and "部门收入决算明细表" in p.message for p in r.table_problems)
    (key, t), = [(k, t) for k, t in r.tables.items() if t.status != "missing"]
    assert key == "unknown_01" and t.status == "parsed"
    f = t.facts.set_index(["code", "measure"])["amount"]
    assert f[("", "合计")] == 150.00 and f[("2010301", "财政拨款")] == 50.00 and f[("2080505", "其他收入")] == 10.00
    assert len(t.facts) == 8 * 3


def test_a_document_without_coded_tables_is_still_not_a_report(tmp_path):
    text = UNKNOWN_TABLES.split("科目编码")[0] + "说明\t金额\n办公\t1.00\n"
    with pytest.raises(NotAReportError):
        xf.read_report(_write(tmp_path, text, "nocodes.txt"))


def test_unknown_family_audit_checks_the_code_hierarchy_and_says_what_it_cannot(tmp_path):
    r = xf.read_report(_write(tmp_path, UNKNOWN_TABLES, "unknown.txt"))
    a = xf.audit(r, include_passed=True)
    hierarchy = a[a["rule"] == "coded.any_table_hierarchy"]
    # 合计 = 201 + 208; 201 = 20103; 208 = 20805; 20103 = 2010301 + 2010302; 20805 = 2080505: × 3 columns
    assert len(hierarchy) == 5 * 3 and set(hierarchy["severity"]) == {"ok"}
    unchecked = a[a["rule"] == "complete.unknown_family_unchecked"]
    assert len(unchecked) == 1 and "cannot check" in unchecked["message"].iloc[0]
    # a 项 printed 1.00 too high is found against its 款
    broken = xf.read_report(_write(tmp_path, UNKNOWN_TABLES.replace("2010302\t一般行政管理事务\t40.00",
                                                                    "2010302\t一般行政管理事务\t41.00"), "broken.txt"))
    errors = xf.audit(broken).query("rule == 'coded.any_table_hierarchy'")
    assert errors["subject"].tolist() == ["甲表部门收入决算明细表 20103 合计"]
