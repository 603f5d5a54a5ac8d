"""Parts and 目录 by structure (issue #23.3): part entries ↔ the parts found in the body (headings
with or without their 第X部分 prefix), the 决算表 part's entries ↔ the tables, the other entries ↔
headings inside their own part; a part whose contents are there without its heading is a warning.

Fixtures are COPIES of the seed (data/raw/xinzhou_swbgs_2023_final.txt) with one real line edited
in the parsed document model; the raw file is never touched."""
from __future__ import annotations

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths
from xinzhou_fiscal.checks.source_mutation import Mutation, Source
from xinzhou_fiscal.text.parts import bare_heading, heading_kind, same_heading

PUTUO = paths.RAW_DIR / "putuo_czj_2024_final.pdf"
RULES = {"complete.parts", "complete.toc"}


def _edited(seed, line: int, old: str, new: str):
    text = next(ln.text for ln in seed.document.lines if ln.line == line)
    assert old in text, text                     # the line as printed in the seed
    return Source(seed).build(Mutation("structure", "edit", {line: text.replace(old, new, 1)}))


def _structure(df):
    df = df[df["rule"].isin(RULES)]
    return {r.finding_id: r.severity for r in df.itertuples()}


def test_heading_text_functions():
    # a function of the heading's text alone (a heading joined from wrapped lines reads the same)
    assert heading_kind("第二部分 2023年部门决算表") == heading_kind("2023年部门决算表") == "tables"
    assert heading_kind("第三部分上海市普陀区财政局2024年度部门决算情况说明") == "narrative"
    assert heading_kind("一、收入支出决算总体情况说明") is None          # a section, not a part
    assert heading_kind("二、收入决算表") is None                      # a table, not the 决算表 part
    assert bare_heading("十、部门决算公开相关信息统计表.....\t14") == "部门决算公开相关信息统计表"
    assert same_heading("第三部分 情况说明", "三、部门决算情况说明")
    assert not same_heading("一、收入支出决算总表", "一、收入支出决算总体情况说明")


def test_the_seed_and_putuo_structure_is_unchanged(seed):
    df = xf.audit(seed, include_passed=True)
    got = _structure(df)
    # 目录 lines 9–35 of the seed: 5 parts + 27 entries, every one in the body
    assert len(got) == 5 + 27 and set(got.values()) == {"ok"}
    ok = df[df["finding_id"] == "complete.toc|line 13 一、收入支出决算总表"].iloc[0]
    assert ok["actual_label"] == "公开01表 收入支出决算总表"        # matched with the table, not a line
    if not PUTUO.exists():
        pytest.skip("sample PDF not present")
    putuo = _structure(xf.audit(xf.load("putuo-czj-2024"), include_passed=True))
    # the one warning: 目录 "十一、其他重要事项说明" vs body line 303 "十一、其他重要事项的情况说明"
    assert {k: v for k, v in putuo.items() if v != "ok"} == {"complete.toc|line 28 十一、其他重要事项说明": "warning"}


def test_a_part_heading_printed_without_its_prefix(seed):
    # seed line 55 "第二部分 2023年部门决算表" printed "2023年部门决算表"
    df = xf.audit(_edited(seed, 55, "第二部分 2023年部门决算表", "2023年部门决算表"), include_passed=True)
    got = _structure(df)
    assert got["complete.parts|tables"] == "ok" and got["complete.toc|line 12 第二部分2023年部门决算表"] == "ok"
    assert set(got.values()) == {"ok"}


def test_a_part_without_its_heading_is_at_most_a_warning(seed):
    # seed line 396 "第三部分 情况说明" left out: the narrative's sections and figures are all there
    base = set(xf.audit(seed).query("severity == 'error'")["finding_id"])
    df = xf.audit(_edited(seed, 396, "第三部分 情况说明", ""), include_passed=True)
    got = _structure(df)
    assert got["complete.parts|narrative"] == "warning" and got["complete.toc|line 23 第三部分情况说明"] == "warning"
    assert set(df.query("severity == 'error'")["finding_id"]) == base
    # its sections (目录 lines 24–33) are still found in the body
    assert got["complete.toc|line 24 一、收入支出决算总体情况说明"] == "ok"


def test_a_toc_table_entry_is_matched_with_the_table_not_a_narrative_section(seed):
    # 目录 line 13 "一、收入支出决算总表" printed with the department and year before the title, as
    # many reports print it; the body's only "一、…" heading with a close title is the narrative's
    # "一、收入支出决算总体情况说明" (line 398), which is not this entry
    df = xf.audit(_edited(seed, 13, "一、收入支出决算总表", "一、中国共产党忻州市委员会办公室2023年度收入支出决算总表"),
                  include_passed=True)
    row = df[df["finding_id"].str.startswith("complete.toc|line 13 ")].iloc[0]
    assert row["severity"] == "ok" and row["actual_label"] == "公开01表 收入支出决算总表"
