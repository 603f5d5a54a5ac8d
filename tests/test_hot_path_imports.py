"""The hot path (issue #21): reading a report and auditing it through ``checks.findings_records``
imports neither pandas nor pyarrow (nor pdfplumber/pdfminer on the PDFium path), and gives the
same findings as ``xf.audit`` — whose DataFrame stays the public face.

Each import check runs in a fresh process (a test session has long imported pandas), and is shown
able to fail: the same process building the facts DataFrame does import pandas."""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal import checks, paths

ROOT = paths.PACKAGE_DIR.parent
PUTUO = paths.RAW_DIR / "putuo_czj_2024_final.pdf"
SEED = paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt"
WATCHED = ("pandas", "pyarrow", "numpy", "pdfplumber", "pdfminer")

_CHILD = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
import xinzhou_fiscal as xf
from xinzhou_fiscal import checks
report = xf.read_report(sys.argv[1])
after_read = sorted({m.split(".")[0] for m in sys.modules})
findings = checks.findings_records(report)
after_audit = sorted({m.split(".")[0] for m in sys.modules})
facts = [(f["table"], f["item"], f["printed"], f["amount"]) for f in report.fact_records]
if sys.argv[2] == "frame":
    report.facts
print(json.dumps({"read": after_read, "audit": after_audit, "n_facts": len(facts), "facts": facts,
                  "findings": len(findings), "end": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def _child(path, then: str = "") -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONWARNINGS="ignore")
    env.pop("XF_PDF_READER", None)          # the default reader: PDFium
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path), then], env=env, capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("path", [PUTUO, SEED], ids=["putuo-pdf", "seed-text"])
def test_reading_and_auditing_imports_neither_pandas_nor_pyarrow(path):
    seen = _child(path)
    for stage in ("read", "audit"):
        assert not set(seen[stage]) & set(WATCHED), f"{stage} imported {set(seen[stage]) & set(WATCHED)}"
    assert seen["findings"] > 0


def test_the_import_check_can_fail():
    """The facts DataFrame, asked for in the same process, does import pandas and pyarrow."""
    seen = _child(SEED, "frame")
    assert "pandas" not in seen["audit"] and {"pandas", "pyarrow"} <= set(seen["end"])


def test_the_pdfium_path_reads_putuo_figures_without_pandas():
    # 收入支出决算总表 (page 6): 本年收入合计 2,946.25, 本年支出合计 2,940.05; 一般公共预算财政拨款
    # 基本支出决算表 (page 17): 人员经费合计 2,152.26, 公用经费合计 184.65 — read off the PDF's pages
    seen = _child(PUTUO)
    # PDFium's library is loaded from pypdfium2_raw's folder: neither pypdfium2's helpers nor its
    # generated bindings (thousands of declarations) are imported
    assert not {"pypdfium2", "pypdfium2_raw", "pdfplumber", "pdfminer"} & set(seen["read"])
    facts = {(t, item, printed): amount for t, item, printed, amount in seen["facts"]}
    assert facts[("income_expenditure_summary", "本年收入合计", "2,946.25")] == 2946.25
    assert facts[("income_expenditure_summary", "本年支出合计", "2,940.05")] == 2940.05
    assert facts[("general_budget_basic", "人员经费合计", "2,152.26")] == 2152.26
    assert facts[("general_budget_basic", "公用经费合计", "184.65")] == 184.65


def test_the_seed_gives_its_197_facts_without_pandas():
    # the seed prints 197 figures in its tables 公开01–10 (docs/audit-rules.md, the mutation test)
    assert _child(SEED)["n_facts"] == 197


def _key(rec: dict) -> tuple:
    return tuple("nan" if isinstance(v, float) and math.isnan(v) else v
                 for v in (rec["rule"], rec["severity"], rec["subject"], rec["expected"], rec["actual"]))


@pytest.mark.parametrize("path", [PUTUO, SEED], ids=["putuo-pdf", "seed-text"])
def test_findings_records_equal_the_audit_frame(path):
    report = xf.read_report(path)
    for passed in (False, True):
        records = checks.findings_records(report, include_passed=passed)
        frame = xf.audit(report, include_passed=passed)
        assert {_key(r) for r in records} == {_key(r) for r in frame.to_dict("records")}
        assert [r["finding_id"] for r in records] == list(frame["finding_id"])      # the same order
        assert set(records[0]) >= set(checks.FINDING_COLUMNS)


def test_the_frames_built_on_first_access_keep_their_records():
    """The DataFrames are built from the records the audit reads: the same rows, in order."""
    report = xf.read_report(SEED)
    assert len(report.facts) == len(report.fact_records) == 197
    assert list(report.facts["printed"]) == [f["printed"] for f in report.fact_records]
    claims = report.records("claims")
    assert len(report.claims) == len(claims) > 150
    assert list(report.claims["value_text"]) == [c["value_text"] for c in claims]
    income = report.tables["income"]
    assert len(income.wide) == len(income.wide_rows.rows) and list(income.wide["line"]) == income.wide_rows.column("line")


_CACHED_AUDIT = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
from xinzhou_fiscal import checks
from xinzhou_fiscal.store.cache import parsed, partner_budget
report = parsed(sys.argv[1], keep=False)
budget = partner_budget(report)
findings = checks.findings_records(report, budget=budget)
seen = sorted({m.split(".")[0] for m in sys.modules})
print(json.dumps({"audit": seen, "budget": budget.report_id, "n_budget_facts": len(budget.fact_records),
                  "findings": [[f["rule"], f["severity"], f["subject"], str(f["expected"]), str(f["actual"])]
                               for f in findings]}))
"""


def test_a_catalogued_final_audited_with_its_cached_budget_imports_no_pandas(tmp_path):
    """``xinzhou-fiscal audit swu-2023-final``: the final and its partner budget (swu-2023-budget) come
    from the report cache; the pickles hold the records and keep each DataFrame pickled apart, so the
    second process (everything served from the cache) audits without pandas, with the same findings
    as the first (which parsed both files and filled the cache)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONWARNINGS="ignore", XINZHOU_FISCAL_CACHE=str(tmp_path))
    runs = [json.loads(subprocess.run([sys.executable, "-c", _CACHED_AUDIT, "swu-2023-final"], env=env, cwd=ROOT,
                                      capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
            for _ in range(2)]
    assert len(list(tmp_path.glob("*.pickle"))) == 2                 # the final and its budget, cached
    assert {"pandas", "pyarrow"} <= set(runs[0]["audit"])            # the first run built the cached frames
    assert not set(runs[1]["audit"]) & {"pandas", "pyarrow", "numpy"}
    assert runs[1]["budget"] == "swu-2023-budget" and runs[1]["n_budget_facts"] == runs[0]["n_budget_facts"] > 0
    assert runs[1]["findings"] == runs[0]["findings"] and runs[1]["findings"]


def test_a_cached_report_gives_back_its_frames(tmp_path, monkeypatch):
    """The frames a cached report carries (its audit's findings, its claims) come back as they went in."""
    from xinzhou_fiscal.store import cache

    monkeypatch.setenv("XINZHOU_FISCAL_CACHE", str(tmp_path))
    fresh = cache.parsed("swu-2023-budget", keep=False)
    loaded = cache.parsed("swu-2023-budget", keep=False)
    assert loaded is not fresh
    assert checks.audit_frame(loaded).equals(checks.audit_frame(fresh))
    assert loaded.claims.equals(fresh.claims) and loaded.facts.equals(fresh.facts)
    assert loaded.glossary.equals(fresh.glossary)
    parsed_tables = [k for k, t in fresh.tables.items() if t.status == "parsed"]
    assert parsed_tables and all(loaded.tables[k].wide.equals(fresh.tables[k].wide) for k in parsed_tables)
    assert all(loaded.tables[k].facts.equals(fresh.tables[k].facts) for k in parsed_tables)
