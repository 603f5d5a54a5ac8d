"""The audit across two documents (#25.6, rule budget_final.stated_budget): what a final-accounts
report states about its budget (年初预算, 全年预算, 预算数 columns) against the budget document.

Figures are typed from the PDFs in data/raw/:
- chongqing_swu_2023_final.pdf (西南大学 2023 决算, 21 pages): it states no budget figure at all;
- chongqing_swu_2023_budget.pdf (西南大学 2023 预算) p10 西南大学财政拨款支出预算表;
- putuo_czj_2024_final.pdf (普陀区财政局 2024 决算) p21–23 情况说明 and p18 “三公”经费支出决算表;
- shanghai_shi_czj_2025_budget.pdf (上海市财政局 2025 预算, 元) p13–14 一般公共预算支出功能分类预算表,
  p20 “三公”经费和机关运行经费预算表 (万元).
The Putuo final and the Shanghai budget are two different departments: passed explicitly as a pair,
they exercise matching and grading on real printed figures (every matched item differs).
"""
from __future__ import annotations

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal.checks import audit
from xinzhou_fiscal.checks.context import build_context
from xinzhou_fiscal.checks.rules_budget_final import RULE, stated_budget
from xinzhou_fiscal.checks.rules_narrative import claim_num
from xinzhou_fiscal.paths import PROJECT_ROOT
from xinzhou_fiscal.store.cache import partner_budget
from xinzhou_fiscal.store.catalogue import partner_id


@pytest.fixture(scope="module")
def swu():
    return xf.load("swu-2023-final"), xf.load("swu-2023-budget")


@pytest.fixture(scope="module")
def putuo_vs_shanghai():
    final, budget = xf.load("putuo-czj-2024"), xf.load("shanghai-czj-2025-budget")
    found = audit(final, budget=budget, include_passed=True)
    return found[found["rule"] == RULE].set_index("subject")


def _rule_rows(findings):
    return findings[findings["rule"] == RULE]


# --------------------------------------------------------------------------- the catalogued pair

def test_the_catalogue_pairs_the_swu_final_with_its_budget(swu):
    assert partner_id("swu-2023-final") == "swu-2023-budget"
    assert partner_id("swu-2023-budget", "决算") == "swu-2023-final"
    assert partner_id("putuo-czj-2024") is None          # no 普陀区财政局 budget is catalogued
    budget = partner_budget(swu[0])
    assert budget is not None and budget.kind == "预算" and budget.department == "西南大学" and budget.year == 2023
    assert partner_budget(swu[1]) is None                # a budget has no budget partner


def test_swu_final_states_no_budget_figure():
    """The 西南大学 final (university family) compares every figure with 2022's 决算数 (情况说明 pp16–18:
    "比 2022 年度决算数增长 0.39%"), never with a budget: no 年初预算 / 全年预算 / 预算数 on any of its
    21 pages. The audit of the catalogued final says so in one info finding naming both files."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(PROJECT_ROOT / "data" / "raw" / "chongqing_swu_2023_final.pdf"))
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert len(pdf) == 21 and "决算数增长" in text.replace(" ", "")
    assert not any(w in text.replace(" ", "") for w in ("年初预算", "全年预算", "预算数"))
    rows = _rule_rows(xf.audit(xf.load("swu-2023-final"), include_passed=True))
    assert list(rows["severity"]) == ["info"] and list(rows["subject"]) == ["(none)"]
    msg = rows["message"].iloc[0]
    assert "chongqing_swu_2023_final.pdf" in msg and "chongqing_swu_2023_budget.pdf" in msg


def test_audit_without_a_catalogued_budget_is_unchanged(swu):
    assert _rule_rows(audit(swu[0], include_passed=True)).empty           # checks.audit: no budget given
    assert _rule_rows(xf.audit(xf.load("putuo-czj-2024"), include_passed=True)).empty
    assert _rule_rows(xf.audit(swu[1], include_passed=True)).empty        # a budget is not checked against itself


def test_cli_audit_of_the_catalogued_final_includes_the_rule():
    from typer.testing import CliRunner

    from xinzhou_fiscal.cli import app
    res = CliRunner().invoke(app, ["audit", "swu-2023-final", "--no-fail", "--format", "json"])
    assert res.exit_code == 0 and RULE in res.stdout and "决算未列示年初预算或预算数" in res.stdout


# --------------------------------------------------------------------------- differ / unverifiable

def test_named_initial_budget_against_the_same_item_is_an_error(putuo_vs_shanghai):
    """Putuo p22 "行政运行（项）… 年初预算为 1560.05 万元" against the Shanghai budget p13 行政运行
    2010601 合计 84,861,719 元 = 8,486.1719 万元; p21 一般公共预算财政拨款支出年初预算为2993.92万元
    against p14 合计 171,915,169 元; p23 "三公"经费财政拨款支出年初预算为0.95万元 against p20 合计 346.30."""
    r = putuo_vs_shanghai.loc["年初预算：2010601 行政运行"]
    assert r["severity"] == "error"
    assert r["expected"] == pytest.approx(8486.1719) and r["actual"] == pytest.approx(1560.05)
    assert r["difference"] == pytest.approx(1560.05 - 8486.1719)
    budget_ev = next(e for e in r["evidence"] if e["source"] == "budget")
    final_ev = next(e for e in r["evidence"] if e["source"] == "narrative")
    assert (budget_ev["printed"], budget_ev["page"], budget_ev["code"]) == ("84,861,719", 13, "2010601")
    assert (final_ev["printed"], final_ev["page"]) == ("1560.05", 22)
    assert "shanghai_shi_czj_2025_budget.pdf" in r["message"] and "putuo_czj_2024_final.pdf" in r["message"]
    assert r["lines"] == str(final_ev["line"])             # the final's line only: 145 is the budget's
    total = putuo_vs_shanghai.loc["年初预算：一般公共预算财政拨款支出"]
    assert total["severity"] == "error" and total["expected"] == pytest.approx(17191.5169)
    assert total["actual"] == pytest.approx(2993.92)
    three = putuo_vs_shanghai.loc["年初预算：三公经费"]
    assert three["severity"] == "error" and (three["expected"], three["actual"]) == (pytest.approx(346.30), pytest.approx(0.95))


def test_an_unnamed_table_budget_is_a_warning(putuo_vs_shanghai):
    """Putuo p18 “三公”经费支出决算表 预算数: 合计 0.95, 公务接待费 0.95; Shanghai p20 合计 346.30, 公务接待费 25.40."""
    rows = putuo_vs_shanghai[putuo_vs_shanghai.index.str.startswith("预算数")]
    got = {s.split("：")[1]: (r["severity"], round(r["expected"], 2), round(r["actual"], 2)) for s, r in rows.iterrows()}
    assert got == {"三公经费": ("warning", 346.30, 0.95), "公务接待费": ("warning", 25.40, 0.95)}


def test_every_outcome_of_putuo_against_shanghai(putuo_vs_shanghai):
    """p22 names eleven 项 with a 年初预算; the Shanghai budget p13–14 prints nine of their codes
    (2010607 信息化建设 and 2010608 财政委托业务支出 are absent: unverifiable). With the total (p21) and
    the 三公 sentence (p23): 11 errors; the 三公 table's two 预算数 (p18): 2 warnings."""
    counts = putuo_vs_shanghai["severity"].value_counts().to_dict()
    assert counts == {"error": 11, "warning": 2, "info": 2}
    unverifiable = putuo_vs_shanghai[putuo_vs_shanghai["severity"] == "info"]
    assert sorted(unverifiable.index) == ["年初预算：2010607 信息化建设", "年初预算：2010608 财政委托业务支出"]
    assert all("无法核对" in m for m in unverifiable["message"])
    assert putuo_vs_shanghai.loc["年初预算：2080505 机关事业单位基本养老保险缴费支出", "expected"] == pytest.approx(800.00)
    assert putuo_vs_shanghai.loc["年初预算：2080505 机关事业单位基本养老保险缴费支出", "actual"] == pytest.approx(161.62)


def test_budget_evidence_is_never_boxed_on_the_final(putuo_vs_shanghai):
    from xinzhou_fiscal.publish.annotate import evidence_pages
    pages = evidence_pages(putuo_vs_shanghai.reset_index())
    assert 13 not in pages[list(putuo_vs_shanghai.index).index("年初预算：2010601 行政运行")]


# --------------------------------------------------------------------------- agree

def _stated(subject: str, value_text: str, *, metric: str = "年初预算", section: str = "财政拨款支出决算情况说明",
            level: str = "", chain: tuple[str, str] = ("", "")) -> dict:
    """A statement as the narrative reader records it (``claims_records``), for a sentence such as
    "教育支出年初预算为208,613.34万元" under the given section."""
    d = {"metric": metric, "unit": "万元", "subject": subject, "_subject": subject, "label": subject,
         "section": section, "category_level": level, "class_name": chain[0], "kind_name": chain[1],
         "item_name": subject if level else "", "value": float(value_text.replace(",", "")),
         "value_text": value_text, "line": 1, "page": 1, "budget": metric[:2]}
    d["_num"] = claim_num(d)
    return d


def _judge(swu, claims):
    final, budget = swu
    ctx = build_context(final, budget=budget)
    ctx.extras["claims"] = claims
    from xinzhou_fiscal.checks.findings import verdict
    return [(c.subject, verdict(c)[0], c) for c in stated_budget(ctx)]


def test_statements_that_match_the_budget_agree(swu):
    """Figures of the 西南大学 budget p10 财政拨款支出预算表, stated as a final would state them:
    205 教育支出 208,613.34; 2050205 高等教育 181,866.03 (a 项 named with its 类/款 chain); 208 社会保障和
    就业支出 13,345.79; 财政拨款支出 合计 230,876.38."""
    got = _judge(swu, [_stated("教育支出", "208,613.34"),
                       _stated("高等教育", "181,866.03", level="(项)", chain=("教育支出", "普通教育")),
                       _stated("社会保障和就业支出", "13,345.79"),
                       _stated("财政拨款支出", "230,876.38")])
    assert [(s, v) for s, v, _ in got] == [("年初预算：205 教育支出", "ok"), ("年初预算：2050205 高等教育", "ok"),
                                          ("年初预算：208 社会保障和就业支出", "ok"), ("年初预算：财政拨款支出", "ok")]
    edu = got[0][2].expected.evidence[0]
    assert (edu.source, edu.printed, edu.page) == ("budget", "208,613.34", 10)


def test_grading_by_what_the_final_calls_the_figure(swu):
    """住房保障支出: budget p10 7,629.03. Stated as 年初预算 7,692.03 in a 财政拨款 section (same scope:
    error); as 全年预算 (warning); as 年初预算 under 一般公共预算 (the SWU budget prints only the wider
    财政拨款 table: warning); 农林水支出 (not in the budget: unverifiable)."""
    got = _judge(swu, [_stated("住房保障支出", "7,692.03"),
                       _stated("住房保障支出", "7,692.03", metric="全年预算"),
                       _stated("住房保障支出", "7,692.03", section="一般公共预算财政拨款支出决算情况说明"),
                       _stated("农林水支出", "13.60")])
    assert [v for _, v, _ in got] == ["error", "warning", "warning", "info"]
    assert got[0][2].expected.value == pytest.approx(7629.03)
    assert got[3][2].status == "info" and "无法核对" in got[3][2].what


def test_budget_columns_of_a_final_table_by_code_and_total(swu):
    """A final whose 一般公共预算财政拨款支出决算表 prints a 年初预算数 column (central families do): each
    coded row by its code, the 合计 row by role, against the 西南大学 budget p10 (the budget prints
    only the wider 财政拨款支出预算表: a gap is a warning). 2050205 181,866.03 and 合计 230,876.38 agree;
    2050204 printed 16,600.80 against 16,600.08 differs."""
    from types import SimpleNamespace

    from xinzhou_fiscal.checks.findings import verdict

    def rec(code, item, key, printed, line):
        return {"table": "general_budget_expenditure", "table_no": "", "section": "", "code": code, "item": item,
                "item_key": key, "measure": "年初预算数", "measure_key": "initial", "printed": printed,
                "amount": float(printed.replace(",", "")), "row_no": None, "line": line, "page": 5}
    table = SimpleNamespace(title="一般公共预算财政拨款支出决算表", status="parsed", wide=None)
    final = SimpleNamespace(tables={"general_budget_expenditure": table}, claims=None, source_file="final.pdf")
    ctx = build_context(final, records=[rec("2050205", "高等教育", "", "181,866.03", 10),
                                         rec("2050204", "高中教育", "", "16,600.80", 11),
                                         rec("", "合计", "total", "230,876.38", 12)], budget=swu[1])
    got = {c.subject: (verdict(c)[0], c.expected.value if c.expected else None) for c in stated_budget(ctx)}
    assert got == {"年初预算（{t:general_budget_expenditure}）：2050205 高等教育": ("ok", 181866.03),
                   "年初预算（{t:general_budget_expenditure}）：2050204 高中教育": ("warning", 16600.08),
                   "年初预算（{t:general_budget_expenditure}）：一般公共预算财政拨款支出合计": ("ok", 230876.38)}


# --------------------------------------------------------------------------- coverage with the budget

def test_coverage_of_the_catalogued_final_reads_its_budget(swu):
    """xf.audit_coverage / xf.audit_lead are built with the budget xf.audit uses: the 西南大学 final states no
    budget figure (no 年初预算 / 全年预算 / 预算数 on its 21 pages), so the rule read the budget and had nothing
    to check — not applicable because of the final, not because no budget was given."""
    from xinzhou_fiscal.checks.coverage import NEEDS_BUDGET, coverage_rows
    counts = xf.audit_coverage(swu[0]).set_index("family").loc["budget_final"]
    assert (counts["not applicable"], counts["total"]) == (1, 1)
    row = next(r for r in coverage_rows(swu[0], budget=partner_budget(swu[0])) if r[1] == RULE)
    assert row[3] == "not applicable" and "chongqing_swu_2023_budget.pdf" in row[4] and "年初预算" in row[4]
    without = next(r for r in coverage_rows(swu[0]) if r[1] == RULE)        # checks/: no catalogue lookup
    assert without[3:5] == ["not applicable", NEEDS_BUDGET]


def test_coverage_counts_what_the_budget_rule_checked():
    """Putuo against the Shanghai budget, passed explicitly: 11 errors (p21 total, p22 nine 项 of eleven,
    p23 三公), 2 warnings (p18 三公 table's 预算数: 合计 and 公务接待费), and the two 项 the budget does not
    print (2010607 信息化建设, 2010608 财政委托业务支出) cannot be checked: the coverage counts them so."""
    final, budget = xf.load("putuo-czj-2024"), xf.load("shanghai-czj-2025-budget")
    counts = xf.audit_coverage(final, budget=budget).set_index("family").loc["budget_final"]
    assert (counts["error"], counts["warning"], counts["cannot check"], counts["holds"]) == (11, 2, 2, 0)
    lead = xf.audit_lead(final, budget=budget)
    assert "2010607" in lead and "2010608" in lead              # named in “cannot check: …”
    alone = xf.audit_lead(final)                                  # no Putuo budget is catalogued
    errors = [int(s.split(" errors")[0].rsplit(" ", 1)[-1]) for s in (lead, alone)]
    assert errors[0] - errors[1] == 11
