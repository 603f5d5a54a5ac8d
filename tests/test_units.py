"""Units: the unit printed with each table is read, amounts are converted to 万元 exactly, and no
figure is labelled with a unit it was not printed in. Figures typed from the seed's tables."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal.errors import UnitError
from xinzhou_fiscal.numbers import factor, to_wanyuan, unit_in

TABLE_LINES = range(57, 398)        # the seed's tables 公开01–10 (lines 57–397)


def write(tmp_path, text, name="units.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_exact_factors_and_conversion():
    assert factor("元") == Decimal("0.0001") and factor("千元") == Decimal("0.1") and factor("亿元") == 10000
    assert to_wanyuan("27924500.00", "元") == 2792.45
    assert to_wanyuan("2,795,380.00", "元") == 279.538
    assert to_wanyuan("0.01", "元") == 0.000001          # no float drift: Decimal, one rounding
    assert unit_in("金额单位：元") == "元" and unit_in("单位：万元") == "万元" and unit_in("2023年度") is None
    with pytest.raises(UnitError, match="美元"):
        factor("美元")


def _in_yuan(seed_text: str) -> str:
    """The seed as if its tables were printed in 元: every unit line says 元, and every amount (a
    number with decimals) in 公开01–10 is multiplied by 10,000 as text."""
    lines = seed_text.split("\n")
    for i in TABLE_LINES:
        ln = lines[i - 1]
        if re.match(r"^(金额)?单位：万元$", ln):
            lines[i - 1] = ln.replace("万元", "元")
        elif "\t" in ln:
            lines[i - 1] = "\t".join(f"{Decimal(c) * 10000:.2f}" if re.fullmatch(r"\d+\.\d{2}", c) else c
                                     for c in ln.split("\t"))
    return "\n".join(lines)


def test_a_report_printed_in_yuan_reads_to_the_same_wanyuan_facts(tmp_path, seed_text, seed):
    r = xf.read_report(write(tmp_path, _in_yuan(seed_text)))
    assert len(r.facts) == 197 and r.complete
    money = r.facts[r.facts["unit"] == "万元"]
    assert set(money["printed_unit"]) == {"元"}
    # 公开01表 本年收入合计 2792.45 万元, printed 27924500.00 元
    hit = money[(money["table"] == "income_expenditure_summary") & (money["printed"] == "27924500.00")]
    assert not hit.empty and (hit["amount"] == 2792.45).all()
    # the same amounts, cell for cell, as the seed printed in 万元
    key = ["table", "line", "section", "code", "item", "measure"]
    both = money.merge(seed.facts, on=key, suffixes=("", "_seed"))
    assert len(both) == len(money) and (both["amount"] == both["amount_seed"]).all()
    # counts are never converted: 车辆数合计 10 辆
    cars = r.facts[r.facts["unit"] == "辆"]
    assert 10.0 in cars["amount"].tolist() and set(cars["printed_unit"]) == {"辆"}
    conv = r.unit_conversions
    assert set(conv["printed_unit"]) == {"元"} and set(conv["factor"]) == {"0.0001"}
    assert len(conv) == 8          # the eight tables with figures (07 and 08 are empty)


def test_one_table_in_yuan_is_converted_alone_and_recorded(tmp_path, seed_text):
    lines = seed_text.split("\n")
    assert lines[351] == "金额单位：万元"          # line 352: 公开09表
    lines[351] = "金额单位：元"
    r = xf.read_report(write(tmp_path, "\n".join(lines)))
    tp = r.tables["three_public"].facts
    assert set(tp["printed_unit"]) == {"元"} and tp["amount"].max() == 0.000859     # 8.59 元
    assert r.unit_conversions["table"].tolist() == ["three_public"]
    other = r.facts[r.facts["table"] != "three_public"]
    assert set(other.loc[other["unit"] == "万元", "printed_unit"]) == {"万元"}
    # the audit then sees 8.59 万元 in the narrative against 0.000859 万元 in the table
    findings = xf.audit(r)
    assert (findings["severity"] == "error").sum() > 26


def test_an_unknown_unit_fails_that_table_only(tmp_path, seed_text):
    lines = seed_text.split("\n")
    lines[351] = "金额单位：美元"
    r = xf.read_report(write(tmp_path, "\n".join(lines)))
    t = r.tables["three_public"]
    assert t.status == "failed" and "美元" in t.reason and not r.complete
    assert r.tables["expenditure"].status == "parsed"
    with pytest.raises(UnitError):
        xf.read_report(write(tmp_path, "\n".join(lines), "strict.txt"), strict=True)


def test_a_table_without_a_unit_line_is_read_in_the_documents_unit_and_labelled_unprinted(tmp_path, seed_text):
    lines = seed_text.split("\n")
    lines[351] = ""
    r = xf.read_report(write(tmp_path, "\n".join(lines)))
    tp = r.tables["three_public"].facts
    assert tp["amount"].max() == 8.59 and set(tp["printed_unit"]) == {""}
    assert r.tables["three_public"].printed_unit == ""
    prob = r.problems[r.problems["message"].str.contains("prints no amount unit")]
    assert len(prob) == 1 and int(prob["line"].iloc[0]) == 344


def test_an_amount_is_a_number_with_decimals_or_thousands_separators():
    """numbers.is_amount, the one test of "an amount rather than numbering" (tables' printed-without-
    figures status, and where a PDF table's header ends)."""
    from xinzhou_fiscal.numbers import is_amount

    assert is_amount("2,795.38") and is_amount("0.50") and is_amount("1,200") and is_amount("-5.00")
    assert not is_amount("18") and not is_amount("2023") and not is_amount("1,20") and not is_amount("合计")
    assert not is_amount("12.3.4") and is_amount("12.3.4", broken_too=True)
