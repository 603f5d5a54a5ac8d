"""The command line: parse prints a summary and writes CSV (UTF-8 with BOM) and Parquet."""
from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from xinzhou_fiscal.cli import app

runner = CliRunner()


def test_parse_by_id_prints_summary():
    res = runner.invoke(app, ["parse", "xinzhou-swbgs-2023"])
    assert res.exit_code == 0, res.output
    assert "中国共产党忻州市委员会办公室" in res.output and "公开06表" in res.output
    assert "197 facts" in res.output


def test_parse_file_writes_csv_with_bom_and_parquet(tmp_path, seed_path):
    res = runner.invoke(app, ["parse", str(seed_path), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    raw = (tmp_path / "facts.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    csv = pd.read_csv(tmp_path / "facts.csv", encoding="utf-8-sig", dtype={"code": str})
    pq = pd.read_parquet(tmp_path / "facts.parquet")
    assert len(csv) == len(pq) == 197
    row = pq[(pq["table"] == "expenditure") & (pq["item_key"] == "total") & (pq["measure_key"] == "total")]
    assert row["amount"].tolist() == [2795.38]
    assert (tmp_path / "table_general_budget_basic.csv").exists() and (tmp_path / "report.json").exists()


def test_parse_bad_input_exits_with_message(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("")
    res = runner.invoke(app, ["parse", str(p)])
    assert res.exit_code == 2 and "empty" in res.output


def test_parse_unknown_id_lists_valid_ids(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)      # where ../x is no file either (a path that exists is read as a file)
    res = runner.invoke(app, ["parse", "../x"])
    assert res.exit_code == 2 and "xinzhou-swbgs-2023" in res.output


def test_audit_exits_non_zero_on_errors_unless_told_not_to():
    res = runner.invoke(app, ["audit", "xinzhou-swbgs-2023"])
    assert res.exit_code == 1, res.output
    assert "error" in res.output
    res = runner.invoke(app, ["audit", "xinzhou-swbgs-2023", "--no-fail", "--format", "csv"])
    assert res.exit_code == 0
    header = res.output.splitlines()[0].split(",")
    assert {"rule", "severity", "message", "expected", "actual"} <= set(header)


def test_audit_json_carries_the_302_rounding_finding():
    import json
    res = runner.invoke(app, ["audit", "xinzhou-swbgs-2023", "--no-fail", "--format", "json"])
    findings = json.loads(res.output)
    # 公开06表 302 printed 254.52; its 款 sum to 254.54 (typed from lines 271–301)
    hit = [f for f in findings if f["rule"] == "basic.class_items" and abs(f["actual"] - 254.52) < 1e-9]
    assert hit and hit[0]["severity"] == "info" and abs(hit[0]["expected"] - 254.54) < 1e-9


def test_parse_of_a_partial_report_names_what_failed_and_exits_3(tmp_path, seed_text):
    lines = seed_text.split("\n")
    lines[120] += "\t5.00"          # 公开02表 line 121: an amount beyond the table's columns
    p = tmp_path / "partial.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    res = runner.invoke(app, ["parse", str(p), "--out", str(tmp_path / "out")], env={"COLUMNS": "200"})
    assert res.exit_code == 3, res.output
    assert "PARTIAL" in res.output and "公开02表 收入决算表: failed" in res.output
    facts = pd.read_parquet(tmp_path / "out" / "facts.parquet")
    assert 2795.38 in facts.loc[facts["table"] == "expenditure", "amount"].tolist()   # what read is kept
    assert not (facts["table"] == "income").any()


def test_parse_of_a_file_that_is_not_a_report_exits_2(tmp_path):
    p = tmp_path / "poem.txt"
    p.write_text("床前明月光\n疑是地上霜\n", encoding="utf-8")
    res = runner.invoke(app, ["parse", str(p)])
    assert res.exit_code == 2 and "poem.txt" in res.output


# ----------------------------------------------------------------------------- audit listing fits a terminal

def _cells(line: str) -> int:
    """Terminal cells of a line, counted independently of rich: East Asian wide/full-width = 2."""
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)


def test_audit_text_fits_80_columns_and_stays_short(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    res = runner.invoke(app, ["audit", "xinzhou-swbgs-2023", "--no-fail"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert max(_cells(ln) for ln in lines) <= 80
    assert len(lines) < 400
    # summary line first: counts by severity
    assert lines[0].startswith("xinzhou-swbgs-2023:") and "error" in lines[0] and "warning" in lines[0]
    # 情况说明 line 460 prints 住房保障支出 同比 17.10% (typed from the seed); its block shows where and the figures
    block = next(b for b in res.output.split("\n\n") if "住房保障支出 同比增减率" in b)
    assert "line 460" in block and "printed 17.10 %" in block
    assert "info" not in " ".join(ln for ln in lines[1:] if ln.startswith("  [")), "no info block by default"


def test_audit_severity_filter_and_all(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    default = runner.invoke(app, ["audit", "xinzhou-swbgs-2023", "--no-fail"]).output
    info = runner.invoke(app, ["audit", "xinzhou-swbgs-2023", "--no-fail", "--severity", "info"]).output
    every = runner.invoke(app, ["audit", "xinzhou-swbgs-2023", "--no-fail", "-A"]).output
    assert max(_cells(ln) for ln in every.splitlines()) <= 60
    # 公开06表 302: 款 sum 254.54 against the printed 254.52 (lines 271–301) is a rounding note (info)
    assert "254.52" in info and "254.52" not in default and "254.52" in every
    assert every.count("\n  [") > default.count("\n  [")
    bad = runner.invoke(app, ["audit", "xinzhou-swbgs-2023", "--severity", "fatal"])
    assert bad.exit_code == 2


def test_audit_markdown_format():
    res = runner.invoke(app, ["audit", "xinzhou-swbgs-2023", "--no-fail", "--format", "markdown"])
    assert res.exit_code == 0
    assert "| # | severity | rule | where | printed | recomputed |" in res.output
    assert "| 17.10 % |" in res.output  # line 460 printed rate
