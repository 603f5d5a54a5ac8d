"""The analysis layer: figures typed from the seed document, and tolerance of missing pieces."""
from __future__ import annotations

import math
import warnings
from types import SimpleNamespace

import pandas as pd
import pytest

from xinzhou_fiscal import analysis as xa
from xinzhou_fiscal import paths
from xinzhou_fiscal.errors import UnknownReportError

SEED_ID = "xinzhou-swbgs-2023"


@pytest.fixture(scope="module")
def report():
    return xa.load_report(SEED_ID)


def _row(df: pd.DataFrame, column: str, value) -> pd.Series:
    hit = df[df[column] == value]
    assert len(hit) == 1, f"{value!r} not found once in {column}: {df[column].tolist()}"
    return hit.iloc[0]


# ----------------------------------------------------------------------------- seed figures
# every expected number below is typed from data/raw/xinzhou_swbgs_2023_final.txt

def test_headline_figures_from_the_document(report):
    h = xa.headline(report).set_index("figure")["value"]
    expected = {
        "本年收入合计": 2792.45, "本年支出合计": 2795.38, "财政拨款收入": 2792.45, "基本支出": 1775.55,
        "项目支出": 1019.83, "人员经费": 1488.86, "公用经费": 283.76, "“三公”经费 预算数": 8.59,
        "“三公”经费 决算数": 8.59, "机关运行经费": 283.76, "政府采购合计": 49.13, "人员编制数": 138,
    }
    for figure, value in expected.items():
        assert h[figure] == pytest.approx(value, abs=1e-9), figure


def test_totals_of_table_01(report):
    t = xa.totals(report)
    assert _row(t, "item", "年初结转和结余")["amount"] == pytest.approx(2.93)
    assert _row(t, "item", "收入总计")["amount"] == pytest.approx(2795.38)
    assert _row(t, "item", "支出总计")["amount"] == pytest.approx(2795.38)
    assert _row(t, "item", "年末结转和结余")["amount"] == 0.0  # printed blank in a printed table
    assert set(t["source"]) == {"公开01表"}


def test_income_sources(report):
    s = xa.income_sources(report)
    assert _row(s, "source_of_funds", "财政拨款收入")["amount"] == pytest.approx(2792.45)
    assert _row(s, "source_of_funds", "财政拨款收入")["share_pct"] == pytest.approx(100.0)
    assert s["amount"].sum() == pytest.approx(2792.45)
    assert xa.fiscal_share(report) == pytest.approx(1.0)


def test_expenditure_by_function_class_and_item(report):
    by_class = xa.expenditure_by_function(report, "类")
    assert by_class["code"].tolist() == ["201", "208", "210", "213", "221"]
    gps = _row(by_class, "code", "201")
    assert (gps["name"], gps["total"], gps["basic"], gps["project"]) == ("一般公共服务支出", 2459.48, 1459.12, 1000.36)
    assert _row(by_class, "code", "213")["basic"] == 0.0
    assert by_class["total"].sum() == pytest.approx(2795.38)
    items = xa.expenditure_by_function(report, "项", table="general_budget_expenditure")
    assert _row(items, "code", "2013101")[["total", "basic", "project"]].tolist() == [1365.87, 1365.76, 0.11]
    assert set(items["source"]) == {"公开05表"}


def test_basic_project_split(report):
    split = xa.basic_project_split(report).set_index("scope")
    assert split.loc["本年支出（全部资金）", ["total", "basic", "project"]].tolist() == [2795.38, 1775.55, 1019.83]
    assert split.loc["一般公共预算财政拨款", ["total", "basic", "project"]].tolist() == [2792.45, 1772.62, 1019.83]
    assert split.loc["本年支出（全部资金）", "basic_share_pct"] == pytest.approx(63.52, abs=0.005)


def test_personnel_and_public_costs(report):
    pp = xa.personnel_public(report).set_index("group")
    assert pp.loc["人员经费", "printed"] == 1488.86
    assert pp.loc["人员经费", "computed"] == pytest.approx(1408.06 + 80.80)
    assert pp.loc["公用经费", "printed"] == 283.76
    assert pp.loc["公用经费", "computed"] == pytest.approx(254.52 + 29.24)
    econ = xa.economic_classes(report)
    assert econ["code"].tolist() == ["301", "302", "303", "310"]
    assert econ.set_index("code")["group"].to_dict() == {"301": "人员经费", "302": "公用经费", "303": "人员经费",
                                                         "310": "公用经费"}
    assert xa.personnel_share(report) == pytest.approx(1488.86 / (1488.86 + 283.76))


def test_three_public_budget_vs_actual(report):
    tp = xa.three_public(report).set_index("item")
    assert tp.loc["合计", ["budget", "actual"]].tolist() == [8.59, 8.59]
    assert tp.loc["其中：公务用车运行维护费", ["budget", "actual"]].tolist() == [8.59, 8.59]
    assert tp.loc["公务接待费", ["budget", "actual"]].tolist() == [0.0, 0.0]
    assert tp.loc["合计", "completion_pct"] == pytest.approx(100.0)
    assert math.isnan(tp.loc["公务接待费", "completion_pct"])


def test_related_info_table_10(report):
    proc = xa.procurement(report).set_index("item")["amount"]
    assert proc.to_dict() == {"合计": 49.13, "货物": 7.72, "工程": 2.02, "服务": 39.38}
    assert xa.running_costs(report) == 283.76
    veh = xa.vehicles(report).set_index("item")["count"]
    assert (veh["车辆数合计"], veh["主要负责人用车"], veh["其他用车"], veh["机要通信用车"]) == (10, 1, 9, 0)
    assert veh["单价100万元(含)以上设备"] == 5
    info = xa.related_info(report).set_index("item")["value"]
    assert info["人均机关运行经费（按编制数）"] == pytest.approx(283.76 / 138)


def test_budget_completion_from_the_narrative(report):
    bc = xa.budget_completion(report)
    whole = _row(bc, "scope", "合计")
    assert (whole["budget"], whole["actual"], whole["stated_pct"]) == (4942.21, 2792.45, 56.50)
    assert whole["completion_pct"] == pytest.approx(56.50, abs=0.005)
    gps = _row(bc, "subject", "一般公共服务支出")
    assert gps["scope"] == "类"
    assert (gps["budget"], gps["actual"]) == (4585.73, 2456.55)
    assert gps["completion_pct"] == pytest.approx(53.57, abs=0.005)
    assert xa.overall_budget_completion(report) == pytest.approx(2792.45 / 4942.21)


def test_year_on_year(report):
    yoy = xa.year_on_year(report).set_index("subject")
    assert yoy.loc["机关运行经费", ["previous", "current", "change"]].tolist() == pytest.approx([248.71, 283.76, 35.05])
    assert yoy.loc["三公经费", "previous"] == pytest.approx(8.59 - 0.21)
    assert yoy.loc["收入总计", "previous"] == pytest.approx(2795.38 + 959.88)


def test_project_self_evaluations(report):
    pe = xa.project_evaluations(report)
    assert not pe["project"].str.contains("部门整体").any()
    assert pe["execution_rate"].is_monotonic_increasing
    low = _row(pe, "project", "遗属人员补助")
    assert (low["budget"], low["executed"], low["execution_rate"], low["total_score"], low["grade"]) == \
        (1.594, 0.11, 6.87, 32.69, "差")
    assert low["execution_points"] == pytest.approx(0.69)
    assert low["score_gap"] == pytest.approx(32.69 - 6.87)
    research = _row(pe, "project", "领导调研费")
    assert (research["execution_rate"], research["total_score"], research["grade"]) == (82.77, 96.28, "优")
    assert (pe["grade"] == pe["grade_expected"]).all()
    counts = xa.grade_counts(report).set_index("grade")["projects"]
    assert counts["差"] >= 1 and counts["中"] >= 1 and counts["优"] >= 10
    with_whole = xa.project_evaluations(report, include_whole=True)
    assert len(with_whole) == len(pe) + 1


def test_audit_summary_counts_severities(report):
    s = xa.audit_summary(report)
    assert s["severity"].tolist()[:2] == ["error", "warning"]
    findings = xa.audit_findings(report)
    assert list(findings.columns) == xa.AUDIT_COLUMNS
    assert int(s["findings"].sum()) == len(findings)
    order = [xa.SEVERITY_ORDER.index(v) for v in findings["severity"]]
    assert order == sorted(order)  # errors first
    by_rule = xa.audit_by_rule(report)
    assert int(by_rule["findings"].sum()) == len(findings)


def test_comparison_rows_for_the_year_and_the_derived_previous_year(report):
    table = xa.comparison_table([report])
    assert table["year"].tolist() == [2022, 2023]
    assert list(table.columns) == xa.COMPARISON_COLUMNS
    cur = table[table["year"] == 2023].iloc[0]
    assert cur["income_total"] == 2792.45 and cur["expenditure_total"] == 2795.38
    assert cur["fiscal_share_pct"] == pytest.approx(100.0)
    assert cur["basic_share_pct"] == pytest.approx(1775.55 / 2795.38 * 100)
    assert cur["personnel_share_pct"] == pytest.approx(1488.86 / 1772.62 * 100)
    assert cur["three_public_per_staff"] == pytest.approx(8.59 / 138)
    assert cur["running_costs_per_staff"] == pytest.approx(283.76 / 138)
    assert cur["budget_completion_pct"] == pytest.approx(56.50, abs=0.005)
    assert cur["mean_execution_rate"] > 0 and cur["mean_self_score"] > cur["mean_execution_rate"]
    summary = xa.audit_summary(report).set_index("severity")["findings"]
    assert (cur["audit_errors"], cur["audit_warnings"]) == (summary["error"], summary["warning"])
    prev = table[table["year"] == 2022].iloc[0]
    assert prev["basis"].startswith("上年")
    assert prev["running_costs"] == pytest.approx(248.71)
    assert prev["three_public_actual"] == pytest.approx(8.38)
    assert prev["general_budget_expenditure"] == pytest.approx(3752.33)
    assert math.isnan(prev["income_total"]) and math.isnan(prev["personnel_share_pct"])
    assert pd.isna(prev["audit_errors"])
    display = xa.comparison_display(table, ["running_costs_per_staff"])
    assert display.columns.tolist() == ["人均机关运行经费"]


# ----------------------------------------------------------------------------- another template

PDF = paths.RAW_DIR / "putuo_czj_2024_final.pdf"


@pytest.mark.skipif(not PDF.exists(), reason="sample PDF not present")
def test_a_shanghai_pdf_without_table_10_falls_back_to_the_narrative():
    import xinzhou_fiscal as xf

    r = xf.read_report(PDF, report_id="putuo-sample")
    assert xa.table_status(r, "related_info") == "missing"
    h = xa.headline(r).set_index("figure")
    # 机关运行经费 is stated in the 情况说明 and equals 公开06表 公用经费合计 (domain identity)
    assert h.loc["机关运行经费", "source"] == "情况说明"
    assert h.loc["机关运行经费", "value"] == pytest.approx(h.loc["公用经费", "value"])
    proc = xa.procurement(r).set_index("item")["amount"]
    assert proc["合计"] == pytest.approx(proc[["货物", "工程", "服务"]].sum(), abs=0.02)
    row = xa.comparison_row(r)
    assert math.isnan(row["staffing"])     # the Putuo 概况 prints no 编制/实有人数
    assert 0 < row["budget_completion_pct"] <= 100
    assert xa.vehicles(r)["count"].isna().all()  # no 公开10表: unknown, not zero


# ----------------------------------------------------------------------------- ids

@pytest.mark.parametrize("bad", ["../x", "nope", "", "xinzhou-swbgs-2023/../../etc", None])
def test_unknown_report_id_lists_the_valid_ids(bad):
    with pytest.raises(UnknownReportError) as err:
        xa.load_report(bad)
    assert SEED_ID in str(err.value) and "valid ids" in str(err.value)


def test_load_reports_defaults_to_the_catalogue():
    assert [r.report_id for r in xa.load_reports(None)] == xa.catalogued_ids()


# ----------------------------------------------------------------------------- tolerance

class _Broken:
    """A report whose narrative and performance parsers blow up."""

    report_id, department, year, kind, source_file = "broken", "某部门", 2023, "决算", "x.txt"
    facts = pd.DataFrame()
    tables: dict = {}
    overview: dict = {}

    @property
    def claims(self):
        raise ValueError("narrative parser failed")

    @property
    def previous_year(self):
        raise ValueError("narrative parser failed")

    @property
    def projects(self):
        raise RuntimeError("annex parser failed")


def _empty_report():
    return SimpleNamespace(report_id="empty", department="空部门", year=2023, kind="决算", source_file="/a/b/c.txt",
                           facts=pd.DataFrame(), tables={}, claims=pd.DataFrame(), previous_year=pd.DataFrame(),
                           projects=pd.DataFrame(), indicators=pd.DataFrame(), overview={})


FUNCTIONS = [xa.describe, xa.totals, xa.income_sources, xa.expenditure_by_function, xa.basic_project_split,
             xa.economic_classes, xa.personnel_public, xa.three_public, xa.procurement, xa.vehicles, xa.related_info,
             xa.headline, xa.budget_completion, xa.year_on_year, xa.project_evaluations, xa.grade_counts,
             xa.audit_findings, xa.audit_summary, xa.audit_by_rule]


@pytest.mark.parametrize("make", [_empty_report, _Broken], ids=["empty", "broken"])
@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__)
def test_every_function_tolerates_missing_pieces(make, fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", xa.MissingPieceWarning)
        out = fn(make())
    assert isinstance(out, pd.DataFrame)


@pytest.mark.parametrize("make", [_empty_report, _Broken], ids=["empty", "broken"])
def test_missing_pieces_give_nan_not_a_crash(make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", xa.MissingPieceWarning)
        row = xa.comparison_row(make())
        table = xa.comparison_table([make()])
    for key in ("income_total", "fiscal_share_pct", "personnel_share_pct", "three_public_per_staff",
                "budget_completion_pct", "mean_execution_rate", "self_score_gap"):
        assert math.isnan(row[key]), key
    assert len(table) == 1  # no derived previous year without year-on-year statements


def test_a_failing_parser_is_reported_not_hidden():
    with pytest.warns(xa.MissingPieceWarning, match="annex parser failed"):
        assert xa.project_evaluations(_Broken()).empty


def test_describe_shows_no_path():
    d = xa.describe(_empty_report()).set_index("field")["value"]
    assert d["原始文件"] == "c.txt"


def test_grade_thresholds():
    assert [xa.grade_for(s) for s in (100, 90, 89.99, 80, 79.99, 60, 59.99, float("nan"))] == \
        ["优", "优", "良", "良", "中", "中", "差", ""]


# ----------------------------------------------------------------------------- written summary
# figures typed from data/raw/xinzhou_swbgs_2023_final.txt (lines 97/101 公开01表, 400, 458, 718–)

from xinzhou_fiscal.analysis import present as xp  # noqa: E402
from xinzhou_fiscal.analysis import summary as xs


def test_department_summary_quotes_the_document(report):
    text = str(xs.department_summary(report))
    # 情况说明 line 400: 支出总计2,795.38万元 … 减少959.88万元，下降25.56%
    assert "支出总计 2,795.38 万元（公开01表 总计行），比上年减少 959.88 万元，下降 25.56%（情况说明第 400 行）" in text
    assert "基本支出 1,775.55 万元" in text and "项目支出 1,019.83 万元" in text  # 公开03表 合计行 (line 153)
    assert "201 一般公共服务支出，2,459.48 万元" in text
    assert "年初预算 4,942.21 万元，决算 2,792.45 万元，完成年初预算的 56.50%（情况说明第 458 行）" in text
    assert "“三公”经费决算 8.59 万元，预算 8.59 万元" in text  # 公开09表
    assert "机要密码专项经费" in text  # the widest gap between self-score and execution rate
    assert text.index("总体") < text.index("结构") < text.index("审核")
    assert "nan" not in text.lower() and "None" not in text


def test_every_summary_figure_names_its_source(report):
    text = str(xs.department_summary(report))
    for para in [p for p in text.split("\n\n") if p.startswith("**")]:
        if any(ch.isdigit() for ch in para):
            assert "公开" in para or "情况说明" in para or "绩效自评表" in para or "应为" in para, para


def test_incomplete_report_opens_with_a_banner_naming_each_missing_piece():
    rep = _empty_report()
    rep.complete = False
    rep.missing_pieces = ["公开03表 支出决算表：missing", "情况说明"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", xa.MissingPieceWarning)
        text = str(xs.department_summary(rep))
    banner = text[text.index("不完整"):]
    assert "公开03表 支出决算表" in banner and "情况说明" in banner
    assert text.index("不完整") < text.index("金额单位")


def test_comparative_summary_ranks_each_ratio():
    reports = xa.load_reports(None)
    text = str(xs.comparative_summary(xa.comparison_table(reports), reports))
    line = next(ln for ln in text.splitlines() if "项目支出占本年支出的比例" in ln)
    # 市委办公室: 1019.83 / 2795.38 = 36.48 %, ranked above Putuo
    assert "1. 忻州市委办公室 2023 36.48%" in line      # the city named with the department
    assert "3,755.26 → 2,795.38" in text  # 2,795.38 + 959.88 (line 400)


# ----------------------------------------------------------------------------- tables fit to print

def test_printed_blank_stays_blank_and_totals_count_it_zero(report):
    # 公开02表 合计 row (line 117): 2792.45 2792.45 then five blank cells
    sources = xa.income_sources(report)
    assert _row(sources, "source_of_funds", "上级补助收入")["amount"] == 0.0
    shown = xp.show("income_sources", report).frame
    row = shown[shown["收入来源"] == "上级补助收入"].iloc[0]
    assert row["金额（万元）"] == "" and row["占本年收入（%）"] == ""
    assert shown[shown["收入来源"] == "财政拨款收入"].iloc[0]["金额（万元）"] == "2,792.45"
    chart = xp.chart_frame(sources)
    assert math.isnan(_row(chart, "source_of_funds", "上级补助收入")["amount"])


@pytest.mark.parametrize("name", sorted(xp.DISPLAYS))
def test_no_nan_none_or_index_in_printed_tables(report, name):
    table = xp.show(name, report)
    html = table._repr_html_()
    for bad in (">nan<", ">NaN<", "&lt;NA&gt;", ">None<", "<th></th>"):
        assert bad not in html, (name, bad)
    assert list(table.frame.columns) == [h for c, h, _ in xp.DISPLAYS[name].columns if h in table.frame.columns]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in table.frame.columns)


def test_number_formats():
    assert xp.fmt_wan(2795.38) == "2,795.38" and xp.fmt_wan(-959.88) == "-959.88"
    assert xp.fmt_pct(25.560947) == "25.56"
    assert xp.fmt_wan(float("nan")) == xp.NOT_APPLICABLE and xp.fmt_count(pd.NA) == xp.NOT_APPLICABLE


def test_comparison_table_prints_without_nan():
    table = xa.comparison_table(xa.load_reports(None))
    shown = xp.comparison(table, ["basis", "income_total", "fiscal_share_pct", "staffing", "audit_errors"])
    html = shown._repr_html_()
    assert "NaN" not in html and "&lt;NA&gt;" not in html and "nan" not in html
    assert shown.frame.columns[0] == "部门·年度" and shown.frame.columns[2] == "本年收入合计（万元）"


def test_three_public_by_department_comes_from_sql_and_keeps_blanks_blank():
    """公开09表 of the seed (line 358): 预算 and 决算 合计 8.59, all of it 公务用车; 出国 and 接待
    printed blank. Putuo 表七: 预算数合计 0.95, its 决算数 printed blank."""
    df = xa.three_public_by_department().set_index("report_id")
    seed = df.loc["xinzhou-swbgs-2023"]
    assert (seed["budget_total"], seed["actual_total"], seed["actual_vehicles"]) == (8.59, 8.59, 8.59)
    assert set(seed["blank"].split(",")) == {"actual_abroad", "actual_reception"}
    putuo = df.loc["putuo-czj-2024"]
    assert putuo["budget_total"] == 0.95 and "actual_total" in putuo["blank"].split(",")
    only = xa.three_public_by_department(["putuo-czj-2024"])
    assert only["report_id"].tolist() == ["putuo-czj-2024"]
