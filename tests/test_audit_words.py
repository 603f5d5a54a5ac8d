"""The rule families on the words: values typed from the seed text and the Putuo PDF, and
fixtures that are variants of real sentences (a copy of the seed text edited in tmp_path)."""
from __future__ import annotations

import dataclasses

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths

SEED = paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt"


def variant(tmp_path, *edits, name="variant.txt"):
    """The seed with each (old, new) replaced once (old must be printed in the seed), parsed."""
    text = SEED.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return xf.read_report(path, report_id="variant")


def rows(df, rule, severity=None):
    out = df[df["rule"] == rule]
    return out if severity is None else out[out["severity"] == severity]


@pytest.fixture(scope="module")
def seed_all(seed):
    return xf.audit(seed, include_passed=True)


@pytest.fixture(scope="module")
def putuo():
    return xf.load("putuo-czj-2024")


@pytest.fixture(scope="module")
def putuo_all(putuo):
    return xf.audit(putuo, include_passed=True)


# ---------------------------------------------------------------- direction and comparison words
def test_putuo_comparison_words_hold(putuo_all):
    # line 278: 年初预算为 1560.05 万元，支出决算为1511.89万元。决算数小于预算数 …
    # line 279: 年初预算为 10.00 万元，支出决算为10.00万元。决算数与预算数基本持平。
    # 13 statements: line 277 (total), the 11 items of lines 278–288, line 293 (“三公”经费 0.00 < 0.95)
    df = rows(putuo_all, "words.comparison")
    assert len(df) == 13 and set(df["severity"]) == {"ok"}
    assert df["subject"].str.startswith("line 293 三公经费").any()
    r = df[df["subject"].str.startswith("line 278 行政运行")].iloc[0]
    assert "1511.89" in r["expected_label"] and "1560.05" in r["expected_label"] and r["actual_label"] == "决算数小于预算数"
    assert df["subject"].str.startswith("line 279 一般行政管理事务").any()


def test_comparison_word_contradicting_the_figures(tmp_path):
    # seed line 458 + the Putuo phrasing "决算数大于预算数的主要原因": 2,792.45 < 4,942.21
    r = variant(tmp_path, ("完成年初预算的56.50%。其中：", "完成年初预算的56.50%。决算数大于预算数的主要原因：项目调减。其中："))
    df = rows(xf.audit(r), "words.comparison", "error")
    assert len(df) == 1 and df.iloc[0]["lines"] == "458"
    assert "小于" in df.iloc[0]["message"] and "大于" in df.iloc[0]["message"]


def test_amount_and_rate_directions(tmp_path, seed_all):
    ok = rows(seed_all, "words.direction")
    # line 400: 收入总计减少959.88万元，下降25.56% — both ways down
    assert set(ok["severity"]) == {"ok"} and ok["subject"].str.contains("line 400 收入总计").any()
    r = variant(tmp_path, ("收入总计减少959.88万元，下降25.56%", "收入总计减少959.88万元，增长25.56%"))
    df = rows(xf.audit(r), "words.direction", "error")
    assert list(df["subject"]) == ["line 400 收入总计"]


def test_completion_rate_on_a_zero_budget(seed_all):
    # line 460: 其他支出年初预算0万元，支出决算0万元，完成年初预算的0%
    df = rows(seed_all, "words.zero_base")
    assert list(df["subject"]) == ["line 460 其他支出 完成率"] and list(df["severity"]) == ["warning"]


# ---------------------------------------------------------------- placeholders and leftovers
def test_redaction_is_info_not_a_placeholder(seed_all):
    df = rows(seed_all, "text.placeholder")
    # lines 400, 434, 440: 安排了AK**工程项目经费
    assert set(df["severity"]) == {"info"} and sorted(df["lines"]) == ["400", "434", "440"]


def test_placeholders_and_leftovers(tmp_path):
    r = variant(tmp_path, ("截至2023年12月31日，本部门", "截至XXXX年12月31日，本部门"),
                ("与上年相比，收入总计减少959.88万元", "与上年相比，收入总计增加（减少）959.88万元"),
                ("我单位无出国（境）公务活动", "我单位无出国（境）某某活动"))
    df = xf.audit(r)
    holders = rows(df, "text.placeholder", "error")
    # line 484 (某某活动) and line 516 (XXXX年, one finding for the one placeholder)
    assert sorted(holders["lines"]) == ["484", "516"]
    left = rows(df, "text.leftover", "error")
    assert list(left["lines"]) == ["400"] and "增加（减少）" in left.iloc[0]["subject"]


def test_slashed_leftovers_and_the_word_after_them(tmp_path):
    """The slashed spelling of opposites (增加/减少, 增加或减少) is a leftover unless a word follows
    it (“增加或减少的”): the opposites' pattern shares that one lookahead across every pair."""
    slashed = xf.audit(variant(tmp_path, ("与上年相比，收入总计减少959.88万元", "与上年相比，收入总计增加/减少959.88万元")))
    left = rows(slashed, "text.leftover", "error")
    assert list(left["lines"]) == ["400"] and "增加/减少" in left.iloc[0]["subject"]
    worded = xf.audit(variant(tmp_path, ("与上年相比，收入总计减少959.88万元", "与上年相比，收入总计增加或减少的959.88万元")))
    assert rows(worded, "text.leftover", "error").empty


# ---------------------------------------------------------------- years and dates
def test_years_of_the_seed(seed_all):
    df = rows(seed_all, "text.years")
    # line 516: 截至2023年12月31日 holds; no other year mention is wrong (line 49's 2024年度单位预算公开
    # stays the text.report_kind_year warning)
    assert df[df["severity"] != "ok"].empty
    assert df["subject"].str.contains("line 516 截至2023年12月31日").any()


def test_wrong_year_in_a_date_and_a_heading(tmp_path):
    r = variant(tmp_path, ("截至2023年12月31日，本部门", "截至2022年12月31日，本部门"),
                ("\n第二部分 2023年部门决算表\n", "\n第二部分 2022年部门决算表\n"))
    df = rows(xf.audit(r), "text.years", "error")
    assert sorted(df["lines"]) == ["516", "55"]


# ---------------------------------------------------------------- names
def test_department_name_agrees_on_the_seed_and_putuo(seed_all, putuo_all):
    for df, n in ((seed_all, "中国共产党忻州市委员会办公室"), (putuo_all, "上海市普陀区财政局")):
        names = rows(df, "names.department")
        assert len(names) >= 7 and set(names["severity"]) == {"ok"} and set(names["expected_label"]) == {n}


def test_department_name_variants(tmp_path):
    r = variant(tmp_path, ("部门名称：中国共产党忻州市委员会办公室\n\n2023年度\n\n单位：万元\n\n项目\t\t年初结转",
                           "部门名称：中国共产党忻州市委员会力公室\n\n2023年度\n\n单位：万元\n\n项目\t\t年初结转"),
                ("单位名称：中国共产党忻州市委员会办公室", "单位名称：中国共产党忻州市委员会"))
    df = rows(xf.audit(r), "names.department")
    bad = df[df["severity"] != "ok"]
    assert set(zip(bad["lines"], bad["severity"])) == {("310", "error"), ("366", "warning")}


def test_putuo_item_names_are_table_rows(putuo_all):
    # lines 278–288: 一般公共服务支出（类）财政事务（款）行政运行（项） … 住房改革支出（款）购房补贴（项）
    # 11 items × 类/款/项 (lines 278–288) + the four 类 of line 275 (一般公共服务支出（类）2106.66万元 …)
    df = rows(putuo_all, "names.item")
    assert len(df) == 37 and set(df["severity"]) == {"ok"}
    r = df[df["subject"] == "line 278 行政运行（项）"].iloc[0]
    assert r["expected_label"] == "2010601 行政运行"


ITEM = "一般公共服务支出（类）党委办公厅（室）及相关机构事务（款）{}（项）。主要用于：{}。"


def test_item_name_no_row_has_and_wrong_purpose(tmp_path):
    line = ("\n" + ITEM.format("行政远行", "机关日常运转") + "\n"
            + "卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）。主要用于：机关事业单位基本养老保险缴费。\n"
            + "\n六、一般公共预算财政拨款基本支出决算情况说明")
    r = variant(tmp_path, ("\n六、一般公共预算财政拨款基本支出决算情况说明", line))
    df = xf.audit(r)
    err = rows(df, "names.item", "error")
    assert list(err["expected_label"]) == ["2013101 行政运行"] and "行政远行" in err.iloc[0]["message"]
    purpose = rows(df, "names.purpose", "error")
    assert len(purpose) == 1 and "行政单位医疗" in purpose.iloc[0]["subject"] and "养老" in purpose.iloc[0]["message"]


# ---------------------------------------------------------------- punctuation and vocabulary
def test_no_punctuation_or_vocabulary_finding_on_the_seed_and_putuo(seed_all, putuo_all):
    for df in (seed_all, putuo_all):
        assert rows(df, "text.punctuation").empty and rows(df, "vocab.near_miss").empty


def test_punctuation_and_near_misses(tmp_path):
    r = variant(tmp_path, ("2023年度收入合计2,792.45万元，其中：", "2023年度收入合计2,792.45万元，，其中："),
                ("占比63.52%；", "占比63.52%%；"),
                ("社会保险及住房公积金等工资福利支出", "社会保险及住房公积全等工资福利支出"),
                ("安排了AK**工程项目经费以及增配涉密设备购置", "安排了AK**工程项目经费（以及增配涉密设备购置"))
    df = xf.audit(r)
    punct = rows(df, "text.punctuation", "warning")
    assert sorted(punct["lines"]) == ["400", "404", "422"]
    vocab = rows(df, "vocab.near_miss", "warning")
    assert list(vocab["expected_label"]) == ["住房公积金"] and list(vocab["lines"]) == ["466"]


# ---------------------------------------------------------------- completeness, 目录, parts
def test_completeness_of_the_seed(seed_all):
    assert set(rows(seed_all, "complete.parts")["severity"]) == {"ok"}
    toc = rows(seed_all, "complete.toc")
    # the 目录 of lines 9–35: 27 entries, every one printed in the body
    assert len(toc) == 27 and set(toc["severity"]) == {"ok"}


def test_putuo_toc_title_differs_and_table_10_is_not_required(putuo_all):
    # 目录 line 28 "十一、其他重要事项说明"; the body (line 303) prints "十一、其他重要事项的情况说明"
    w = rows(putuo_all, "complete.toc", "warning")
    assert list(w["subject"]) == ["line 28 十一、其他重要事项说明"] and "其他重要事项的情况说明" in w.iloc[0]["message"]
    missing = rows(putuo_all, "complete.table_missing")
    assert len(missing) == 9 and set(missing["severity"]) == {"ok"}


def test_blank_table_without_note_missing_table_and_part(tmp_path):
    r = variant(tmp_path, ("合计\t\t\t\t\t\t\t\n\n注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。\n\n说明：本表无数据",
                           "合计\t\t\t\t\t\t\t\n\n注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。\n\n"),
                ("\n第四部分 名词解释\n", "\n\n"))
    df = xf.audit(r)
    blank = rows(df, "complete.empty_note", "error")
    assert list(blank["subject"]) == ["公开07表"]
    part = rows(df, "complete.parts", "error")
    assert list(part["subject"]) == ["glossary"]


def test_a_part_heading_without_its_prefix_is_the_part(tmp_path):
    # "第四部分 名词解释" printed as "名词解释" (issue #23: headings printed without 第X部分)
    r = variant(tmp_path, ("\n第四部分 名词解释\n", "\n名词解释\n"))
    df = xf.audit(r, include_passed=True)
    assert rows(df, "complete.parts").set_index("subject").loc["glossary", "severity"] == "ok"
    assert set(rows(df, "complete.toc")["severity"]) == {"ok"}


# ---------------------------------------------------------------- what could not be checked
def test_lead_line_on_the_seed_and_putuo(seed, putuo):
    lead = xf.audit_lead(seed)
    assert lead.startswith("checked ") and ": 27 errors, 12 warnings," in lead and "cannot check" not in lead
    assert ": 2 errors," in xf.audit_lead(putuo)


def test_coverage_counts_every_outcome_once(seed):
    from xinzhou_fiscal.checks.coverage import OUTCOMES, coverage_ledger
    ledger = coverage_ledger(seed)
    assert set(ledger["outcome"]) <= set(OUTCOMES)
    assert not ledger.duplicated(["rule", "subject"]).any()
    cov = xf.audit_coverage(seed).set_index("family")
    # the 27 errors of the seed: 4 narrative (line 460 rates), 22 in the self-evaluation tables, 1 text (line 49)
    assert cov.loc["narrative", "error"] == 4 and cov.loc["perf", "error"] == 22 and cov.loc["text", "error"] == 1
    # 公开07/08 are printed empty: the flows of the government-fund table are not applicable
    assert ledger[(ledger["rule"] == "coded.gov_fund_flow")]["outcome"].tolist() == ["not applicable"]


def test_a_report_without_narrative_never_looks_clean(tmp_path):
    text = SEED.read_text(encoding="utf-8").split("\n")
    start = text.index("第三部分 情况说明")
    end = text.index("第四部分 名词解释")
    body = text[:start] + text[end:]
    path = tmp_path / "no_narrative.txt"
    path.write_text("\n".join(body), encoding="utf-8")
    r = xf.read_report(path, report_id="no-narrative")
    lead = xf.audit_lead(r)
    assert "cannot check: 情况说明 not found" in lead
    ledger = xf.audit_coverage(r).set_index("family")
    assert ledger.loc["narrative", "cannot check"] == 6


def test_a_failed_table_makes_its_rules_cannot_check(tmp_path):
    # 公开06表 line 272: a code cell that is not an economic classification code
    r = variant(tmp_path, ("30101\t基本工资\t510.52", "30101.01\t基本工资\t510.52"))
    assert r.tables["general_budget_basic"].status == "failed"
    lead = xf.audit_lead(r)
    assert "cannot check: 公开06表 could not be read" in lead
    df = xf.audit(r)
    assert list(rows(df, "complete.table_missing", "warning")["subject"]) == ["公开06表"]
    # nothing compares the unread table's figures as if they were blank
    assert not df["tables"].str.contains("公开06表").any() or set(df[df["tables"].str.contains("公开06表")]["rule"]) <= {
        "complete.table_missing", "complete.table_problems"}


def test_rate_without_percent_and_amount_without_number(tmp_path, seed_all):
    assert rows(seed_all, "text.missing_figure").empty
    # line 422 "基本支出1,775.55万元，占比63.52%；"; line 460 "…支出决算2456.55万元，完成年初预算的53.57%…"
    r = variant(tmp_path, ("占比63.52%；", "占比63.52；"), ("支出决算2456.55万元", "支出决算万元"))
    df = rows(xf.audit(r), "text.missing_figure", "error")
    assert sorted(df["lines"]) == ["422", "460"]


def test_completion_rate_that_fits_another_budget(tmp_path):
    # line 482 "…支出全年预算8.59万元，支出决算8.59万元，完成全年预算的100.00%" with a 年初预算 added and
    # the rate said to be of the 年初预算: 8.59 / 9.00 = 95.44 %, the printed 100.00 % is of the 全年预算
    r = variant(tmp_path, ("支出全年预算8.59万元，支出决算8.59万元，完成全年预算的100.00%",
                           "支出年初预算9.00万元，全年预算8.59万元，支出决算8.59万元，完成年初预算的100.00%"))
    df = rows(xf.audit(r), "narrative.completion", "error")
    row = df[df["lines"].str.contains("482")].iloc[0]
    assert "全年预算" in row["message"] and "而不是所说的年初预算" in row["message"]


def test_comparison_word_from_the_direction_word_column(tmp_path):
    # when the narrative reader gives direction_word, the rule reads it instead of the sentence:
    # line 278 prints 年初预算为 1560.05 万元，支出决算为1511.89万元 — a claim saying 大于 is wrong
    r = xf.load("putuo-czj-2024")
    claims = r.claims.copy()
    claims["direction_word"] = ""
    claims.loc[(claims["line"] == 278) & (claims["metric"] == "决算数"), "direction_word"] = "大于"
    r.__dict__["_narrative_scan"] = dataclasses.replace(r._narrative_scan, claims=claims)
    df = xf.audit(r, rules=["words.comparison"])
    assert list(df["subject"]) == ["line 278 行政运行 决算数大于预算数"] and list(df["severity"]) == ["error"]
    assert "1511.89" in df.iloc[0]["message"] and "1560.05" in df.iloc[0]["message"]


def test_a_window_inside_a_correctly_printed_term_is_not_a_near_miss(tmp_path):
    # 名词解释 line 540 prints 公务用车购置及运行维护费 (an official term) once the 公开09表 header,
    # which prints it too, is gone: its first seven characters 公务用车购置及 are one character from
    # 公务用车购置费, but they are part of the longer correct term
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    start = lines.index("财政拨款“三公”经费支出决算表")
    end = lines.index("部门决算公开相关信息统计表")
    path = tmp_path / "no09.txt"
    path.write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")
    df = xf.audit(xf.read_report(path, report_id="variant"))
    assert not rows(df, "vocab.near_miss")["subject"].str.contains("公务用车购置及").any()
    # a real near miss beside it is still found
    path.write_text("\n".join(lines[:start] + lines[end:]).replace("社会保险及住房公积金等工资福利支出",
                                                                  "社会保险及住房公积全等工资福利支出", 1), encoding="utf-8")
    df = xf.audit(xf.read_report(path, report_id="variant"))
    assert rows(df, "vocab.near_miss", "warning")["subject"].str.contains("住房公积全").any()


# ---------------------------------------------------------------- the report's own scope statement
_SCOPE_49 = "纳入中共忻州市委办公室2024年度单位预算公开范围的包括："


def _scope(df):
    return rows(df, "text.report_kind_year")[lambda d: d["lines"] == "49"]


@pytest.mark.parametrize("sentence,severity", [
    # the Putuo phrasing (2024 final, page 5 “纳入上海市普陀区财政局 2024 年度部门决算编制范围的单位包括：”) with the
    # seed's year and kind: the scope is this report's own, nothing to say
    ("纳入中共忻州市委办公室 2023 年度部门决算编制范围的单位包括：", None),
    # the seed's sentence with the right year and kind
    ("纳入中共忻州市委办公室2023年度单位决算公开范围的包括：", None),
    # the right year, the budget's name for the units: a warning (the budget's units are the final's too)
    ("纳入中共忻州市委办公室2023年度单位预算公开范围的包括：", "warning"),
    # the Jiangsu 2019 budget's phrasing (page 5) with the year before: an error
    ("从预算单位构成看，纳入本部门2022年部门汇总决算编制范围的预算单位包括：", "error"),
])
def test_a_scope_statement_names_the_reports_year_and_kind(tmp_path, sentence, severity):
    df = _scope(xf.audit(variant(tmp_path, (_SCOPE_49, sentence))))
    assert list(df["severity"]) == ([severity] if severity else []), df[["subject", "message"]]


def test_a_mention_of_another_disclosure_outside_the_scope_statement_stays_a_warning(tmp_path):
    # the seed's 2024 budget named in a sentence that does not state this report's scope
    df = _scope(xf.audit(variant(tmp_path, (_SCOPE_49, "本单位已按要求完成2024年度单位预算公开工作，纳入的单位包括："))))
    assert list(df["severity"]) == ["warning"]


# ---------------------------------------------------------------- known misspellings
def _misspellings(df):
    return rows(df, "vocab.misspelling")


def test_the_seed_prints_no_known_misspelling(seed_all):
    assert _misspellings(seed_all).empty


def test_a_misspelled_row_label_is_an_error(tmp_path):
    # seed line 95, 公开01表: “二十六、抗疫特别国债安排的支出”, printed as 西南大学 2023 final p9 prints it (抗役)
    df = _misspellings(xf.audit(variant(tmp_path, ("二十六、抗疫特别国债安排的支出", "二十六、抗役特别国债安排的支出"))))
    assert list(df["severity"]) == ["error"] and df.iloc[0]["lines"] == "95"
    assert "二十六、抗役特别国债" in df.iloc[0]["message"] and "“抗役”是“抗疫”的错别字" in df.iloc[0]["message"]


def test_a_misspelled_term_in_the_narrative_is_an_error(tmp_path):
    # seed line 434: “2023年度财政拨款收入总计2,792.45万元” with issue #23's 财政拔款
    df = _misspellings(xf.audit(variant(tmp_path, ("2023年度财政拨款收入总计", "2023年度财政拔款收入总计"))))
    assert list(df["severity"]) == ["error"] and df.iloc[0]["lines"] == "434"
    assert df.iloc[0]["expected_label"] == "拨款"


def test_the_right_character_in_other_words_is_no_misspelling(tmp_path):
    # 役 and 拔 in words of their own: seed line 288 prints 退职（役）费; 退役军人 and 选拔 are words
    report = variant(tmp_path, ("2023年度财政拨款收入总计", "2023年度退役军人选拔经费财政拨款收入总计"))
    assert _misspellings(xf.audit(report)).empty
