"""One root cause, one error (issue #23.4): a removed table and its 目录 line, a placeholder in a
name and the name check built on it, each count once, with their consequences attached.

The faults are made on COPIES of the real documents (the source-mutation harness edits the parsed
document model, never the raw file)."""
from __future__ import annotations

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths
from xinzhou_fiscal.checks.coverage import audit_lead
from xinzhou_fiscal.checks.source_mutation import Mutation, Source, mutations

PUTUO = paths.RAW_DIR / "putuo_czj_2024_final.pdf"


def _errors(df) -> set[str]:
    return set(df.loc[df["severity"] == "error", "finding_id"])


@pytest.fixture(scope="module")
def without_02(seed):
    """The seed without its 公开02表 收入决算表 (目录 line 14: "二、收入决算表.....	4")."""
    m = next(m for m in mutations(seed) if m.kind == "tables" and m.op == "delete" and m.table == "income")
    return Source(seed).build(m)


def test_a_removed_table_and_its_toc_line_are_one_error(seed, without_02):
    base = _errors(xf.audit(seed))
    df = xf.audit(without_02)
    assert _errors(df) - base == {"complete.table_missing|公开02表"}
    root = df[df["finding_id"] == "complete.table_missing|公开02表"].iloc[0]
    # its 目录 line (seed line 14) is attached, and the rules comparing 02 with 01 and 04 cannot run
    follows = root["consequences"].split("; ")
    assert "complete.toc|line 14 二、收入决算表" in follows
    assert {"无法核对 cross.income_total_01_02", "无法核对 cross.fiscal_income_02_04"} <= set(follows)
    toc = df[df["finding_id"] == "complete.toc|line 14 二、收入决算表"].iloc[0]
    assert toc["severity"] == "info" and toc["caused_by"] == "complete.table_missing|公开02表"
    assert "不另计为错误" in toc["message"]


def test_the_lead_line_counts_the_root_once(seed, without_02):
    # the seed's 27 errors + the missing table = 28; the 目录 line is not counted again
    assert " 28 errors" in audit_lead(without_02)


def test_a_placeholder_in_a_name_is_one_error():
    if not PUTUO.exists():
        pytest.skip("sample PDF not present")
    pytest.importorskip("pdfplumber")
    r = xf.load("putuo-czj-2024")
    # page 2, line 4 of the PDF: "第一部分 上海市普陀区财政局概况"; the copy prints 上海市普XX陀区财政局
    line = next(ln for ln in r.document.lines if ln.line == 4).text
    assert "上海市普陀区财政局概况" in line
    bad = Mutation("metadata", "XX", {4: line.replace("上海市普陀区", "上海市普XX陀区", 1)})
    df = xf.audit(Source(r).build(bad))
    assert _errors(df) - _errors(xf.audit(r)) == {"text.placeholder|line 4 XX"}
    name = df[df["finding_id"] == "names.department|line 4 heading"].iloc[0]
    assert (name["severity"], name["caused_by"]) == ("info", "text.placeholder|line 4 XX")
    root = df[df["finding_id"] == "text.placeholder|line 4 XX"].iloc[0]
    assert root["consequences"] == "names.department|line 4 heading"


def test_the_real_reports_have_no_consequences(seed):
    # nothing on the seed follows from another error: its 27 errors are 27 faults
    df = xf.audit(seed)
    assert (df["caused_by"] == "").all() and (df["consequences"] == "").all()
    assert len(_errors(df)) == 27
