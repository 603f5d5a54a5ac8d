"""Recall where the audit missed (issue #23.6): each rule fires on a fixture made from a COPY of a
real sentence of the seed or the Putuo PDF (edited in the parsed document model or a temporary
copy of the text, never the raw file), and stays silent on the real reports."""
from __future__ import annotations

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths
from xinzhou_fiscal.checks.source_mutation import Mutation, Source

PUTUO = paths.RAW_DIR / "putuo_czj_2024_final.pdf"


@pytest.fixture(scope="module")
def putuo():
    if not PUTUO.exists():
        pytest.skip("sample PDF not present")
    pytest.importorskip("pdfplumber")
    return xf.load("putuo-czj-2024")


@pytest.fixture(scope="module")
def putuo_base(putuo):
    return xf.audit(putuo, include_passed=True)


def _changed(report, base, line: int, old: str, new: str):
    """Findings of a copy of ``report`` with ``old`` replaced on ``line`` that are new or changed
    severity against ``base``."""
    text = next(ln.text for ln in report.document.lines if ln.line == line)
    assert old in text, text                     # the sentence as printed
    df = xf.audit(Source(report).build(Mutation("recall", "edit", {line: text.replace(old, new, 1)})))
    before = dict(zip(base["finding_id"], base["severity"]))
    return df[df["finding_id"].map(before).fillna("") != df["severity"]]


def _ids(df, severity=None):
    return set(df["finding_id"] if severity is None else df.loc[df["severity"] == severity, "finding_id"])


# ---------------------------------------------------------------- the department's name in a heading
def test_a_heading_name_without_its_district_is_an_error(putuo, putuo_base):
    # Putuo line 4 "第一部分 上海市普陀区财政局概况": 上海市财政局 is the city's bureau, another department
    new = _changed(putuo, putuo_base, 4, "上海市普陀区财政局", "上海市财政局")
    row = new[new["finding_id"] == "names.department|line 4 heading"].iloc[0]
    assert row["severity"] == "error" and "普陀区" in row["message"]
    # dropping the city (普陀区财政局) is a short form: a warning, as before
    short = _changed(putuo, putuo_base, 4, "上海市普陀区财政局", "普陀区财政局")
    assert _ids(short, "warning") == {"names.department|line 4 heading"} and not _ids(short, "error")


def test_a_heading_name_one_character_off_is_one_error(putuo, putuo_base):
    # line 7 "第二部分 上海市普陀区财政局2024年度部门决算表" with 财攻局: one error, the near-miss attached
    new = _changed(putuo, putuo_base, 7, "上海市普陀区财政局", "上海市普陀区财攻局")
    assert _ids(new, "error") == {"names.department|line 7 heading"}
    near = new[new["rule"] == "vocab.near_miss"].iloc[0]
    assert near["severity"] == "info" and near["caused_by"] == "names.department|line 7 heading"


# ---------------------------------------------------------------- a one-character typo of an official term
def test_a_typo_of_a_headline_term_is_found_once(putuo, putuo_base):
    # line 277 "一般公共预算财政拨款支出年初预算为2993.92万元…": 拨 → 拔; the longest term wins
    new = _changed(putuo, putuo_base, 277, "财政拨款支出年初预算", "财政拔款支出年初预算")
    near = new[new["rule"] == "vocab.near_miss"]
    assert list(near["actual_label"]) == ["一般公共预算财政拔款支出"]
    assert list(near["expected_label"]) == ["一般公共预算财政拨款支出"] and set(near["severity"]) == {"warning"}


# ---------------------------------------------------------------- a completion rate on a 年初预算 of 0
def test_a_completion_rate_on_a_zero_budget_is_an_error(tmp_path, seed):
    # seed line 460 "农林水支出年初预算13.60万元，支出决算19.47万元，完成年初预算的143.16%" with a 年初预算 of 0:
    # 19.47 ÷ 0 has no rate, so 143.16 % is wrong whatever it was computed from
    text = (paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt").read_text(encoding="utf-8")
    old = "农林水支出年初预算13.60万元，支出决算19.47万元，完成年初预算的143.16%"
    assert old in text
    path = tmp_path / "zero_base.txt"
    path.write_text(text.replace(old, old.replace("13.60", "0"), 1), encoding="utf-8")
    df = xf.audit(xf.read_report(path, report_id="zero-base"))
    row = df[df["finding_id"] == "narrative.completion|line 460 农林水支出"].iloc[0]
    assert row["severity"] == "error" and row["actual_label"] == "143.16%"
    # the seed's own 其他支出 "年初预算0万元，支出决算0万元，完成年初预算的0%" stays a warning (0 of 0)
    zero = df[df["finding_id"] == "words.zero_base|line 460 其他支出 完成率"].iloc[0]
    assert zero["severity"] == "warning"
    assert "words.zero_base|line 460 农林水支出 完成率" not in set(df["finding_id"])   # not counted twice


# ---------------------------------------------------------------- 主要用于 of another item
def test_a_purpose_of_another_item(putuo, putuo_base):
    # line 278 行政运行（项）"主要用于：局本部人员经费及公用经费等的基本支出" given line 281's purpose
    # (财政委托业务支出: "委托中介机构开展各类审计及绩效评价工作")
    new = _changed(putuo, putuo_base, 278, "局本部人员经费及公用经费等的基本支出", "委托中介机构开展各类审计及绩效评价工作")
    assert _ids(new, "error") == {"names.purpose|line 278 行政运行"}
    # and the other way round
    back = _changed(putuo, putuo_base, 281, "委托中介机构开展各类审计及绩效评价工作", "局本部人员经费及公用经费等的基本支出")
    assert _ids(back, "error") == {"names.purpose|line 281 财政委托业务支出"}


# ---------------------------------------------------------------- a breakdown whose parts each equal the whole
def test_a_procurement_breakdown_whose_parts_each_equal_the_whole(putuo, putuo_base):
    # line 307 "…政府采购金额（以合同签订为准）为251.25万元，其中：货物采购金额4.79万元、工程采购金额0万元、服务采购金额246.47万元"
    new = _changed(putuo, putuo_base, 307, "货物采购金额4.79万元、工程采购金额0万元、服务采购金额246.47万元",
                   "货物采购金额251.25万元、工程采购金额251.25万元、服务采购金额251.25万元")
    row = new[new["finding_id"] == "narrative.parts_sum|line 307 政府采购金额 决算数"].iloc[0]
    assert row["severity"] == "error" and "都等于总数 251.25" in row["message"]
    # 3 × 251.25 = 753.75 against 251.25
    assert row["expected"] == pytest.approx(753.75) and row["actual"] == pytest.approx(251.25)


# ---------------------------------------------------------------- silent on the real reports
def test_the_new_rules_are_silent_on_the_seed_and_putuo(seed, putuo_base):
    seed_all = xf.audit(seed, include_passed=True)
    for df in (seed_all, putuo_base):
        bad = df[df["severity"].isin(("error", "warning"))]
        assert not bad["rule"].isin(("names.purpose", "vocab.near_miss")).any() or \
            set(bad.loc[bad["rule"] == "vocab.near_miss", "lines"]) <= {"466"}     # the seed's 住房公积全
        assert not bad["message"].str.contains("都等于总数|上级行政区|无从计算，不可能是").any()
    # every purpose Putuo prints (lines 278–288) is its own item's
    purposes = putuo_base[putuo_base["rule"] == "names.purpose"]
    assert len(purposes) == 10 and set(purposes["severity"]) == {"ok"}
    assert len(seed_all[seed_all["severity"] == "error"]) == 27
