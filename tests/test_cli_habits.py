"""The command line fits a user's habits and never shows a traceback (issue #22): --version, -h,
--data after the command, help without type names, catalog --format table|csv|json with whole ids
at 80 columns, one-line errors (exit 2) for a missing data folder, an unreadable file and a bad
catalogue entry; junk after a report set aside; every unit conversion named."""
from __future__ import annotations

import json
import os
import pathlib

import pytest
from typer.testing import CliRunner

from xinzhou_fiscal import paths
from xinzhou_fiscal.cli import app
from xinzhou_fiscal.read import source
from xinzhou_fiscal.store import catalogue

runner = CliRunner()


@pytest.fixture(autouse=True)
def _80_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv(paths.DATA_ENV, "")     # recorded, so that the value --data sets is undone after the test
    monkeypatch.delenv(paths.DATA_ENV)


def _one_line_error(res, *words):
    """Exit 2, one line on the terminal, no traceback, naming every one of ``words``."""
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), res.output
    assert "Traceback" not in res.output
    for w in words:
        assert w in lines[0], (w, lines[0])


def test_version_and_short_help():
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.startswith("xinzhou-fiscal ")
    for args in (["-h"], ["catalog", "-h"], ["add", "-h"], ["parse", "-h"]):
        res = runner.invoke(app, args)
        assert res.exit_code == 0 and "Usage:" in res.output, args


@pytest.mark.parametrize("command", ["add", "parse", "audit", "run", "export", "catalog"])
def test_help_shows_no_python_type_names(command):
    out = runner.invoke(app, [command, "--help"]).output
    for type_name in ("<bool>", "<str>", "<int>", "<path>", "list[", "<list", "<Path>"):
        assert type_name not in out, (command, type_name)
    assert "--data" in out            # the global option is accepted after each command too


def test_catalog_keeps_whole_ids_at_80_columns_and_has_csv_and_json():
    table = runner.invoke(app, ["catalog"])
    assert table.exit_code == 0
    assert max(map(len, table.output.splitlines())) <= 80
    for rid in ("putuo-czj-2024", "xinzhou-swbgs-2023", "shanghai-czj-2025-budget"):   # whole, on one line, never cut with …
        assert rid in table.output
    rows = json.loads(runner.invoke(app, ["catalog", "--format", "json"]).output)
    assert {r["report_id"]: r["year"] for r in rows} == {"putuo-czj-2024": 2024, "xinzhou-swbgs-2023": 2023,
                                                         "shanghai-czj-2025-budget": 2025, "swu-2023-budget": 2023,
                                                         "swu-2023-final": 2023}
    csv_out = runner.invoke(app, ["catalog", "--format", "csv"]).output.splitlines()
    assert csv_out[0].startswith("report_id,department,") and len(csv_out) == 6
    assert runner.invoke(app, ["catalog", "--format", "xml"]).exit_code == 2


def test_a_missing_data_folder_is_one_line(tmp_path, monkeypatch):
    nowhere = tmp_path / "nowhere"
    _one_line_error(runner.invoke(app, ["catalog", "--data", str(nowhere)]), str(nowhere), "does not exist")
    monkeypatch.setenv(paths.DATA_ENV, str(nowhere))
    _one_line_error(runner.invoke(app, ["parse", "xinzhou-swbgs-2023"]), str(nowhere), "XINZHOU_FISCAL_DATA")


@pytest.fixture()
def unreadable(tmp_path, seed_path, monkeypatch):
    """A report file the process may not read (as root, where chmod 000 does not stop reading,
    opening it raises the PermissionError the kernel would)."""
    p = tmp_path / "locked.txt"
    p.write_bytes(seed_path.read_bytes())
    if os.geteuid() != 0:
        p.chmod(0)
        return p
    real_open, real_path_open = open, pathlib.Path.open

    def refuse(file, *a, **k):
        if str(file) == str(p):
            raise PermissionError(13, "Permission denied", str(p))
        return real_open(file, *a, **k)

    def refuse_path(self, *a, **k):
        if str(self) == str(p):
            raise PermissionError(13, "Permission denied", str(p))
        return real_path_open(self, *a, **k)
    monkeypatch.setattr(source, "open", refuse, raising=False)
    monkeypatch.setattr(pathlib.Path, "open", refuse_path)
    return p


@pytest.mark.parametrize("command", ["parse", "audit"])
def test_an_unreadable_file_is_one_line(unreadable, command):
    _one_line_error(runner.invoke(app, [command, str(unreadable)]), "locked.txt", "cannot read the file")


def _data_folder(tmp_path, seed_path, **changes) -> pathlib.Path:
    d = tmp_path / "data"
    (d / "raw").mkdir(parents=True)
    (d / "raw" / "own.txt").write_bytes(seed_path.read_bytes() + b"\n")
    entry = {"report_id": "own-2023", "department": "中国共产党忻州市委员会办公室", "year": 2023, "kind": "决算",
             "file": "raw/own.txt", "format": "text", "sha256": catalogue.sha256_of(d / "raw" / "own.txt")}
    entry.update(changes)
    (d / "catalog.json").write_text(json.dumps([{k: v for k, v in entry.items() if v is not None}],
                                               ensure_ascii=False), encoding="utf-8")
    return d


@pytest.mark.parametrize("changes, field", [({"sha256": None}, "sha256"), ({"year": "二〇二三"}, "year"),
                                            ({"file": None}, "file")], ids=["no-sha256", "year-in-words", "no-file"])
@pytest.mark.parametrize("command", [["catalog"], ["parse", "own-2023"], ["export", "own-2023"], ["run"]])
def test_a_bad_catalogue_entry_is_one_line_naming_file_entry_and_field(tmp_path, seed_path, changes, field, command):
    d = _data_folder(tmp_path, seed_path, **changes)
    extra = ["--out", str(tmp_path / "out")] if command[0] in ("export", "run") else []
    res = runner.invoke(app, [*command, "--data", str(d), *extra])
    _one_line_error(res, str(d / "catalog.json"), "'own-2023'", f"'{field}'")


def test_parse_names_every_unit_conversion(tmp_path, seed_text):
    lines = seed_text.split("\n")
    assert lines[64] == "金额单位：万元"           # line 65: the unit of 公开01表 收入支出决算总表
    lines[64] = "金额单位：元"
    p = tmp_path / "in_yuan.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    out = runner.invoke(app, ["parse", str(p)]).output
    conv = [ln for ln in out.splitlines() if ln.strip().startswith("unit ")]
    assert len(conv) == 1 and "公开01表" in conv[0] and "printed in 元" in conv[0] and "0.0001" in conv[0]


@pytest.mark.parametrize("junk", ["binary", "text"])
def test_junk_after_a_report_is_set_aside_and_the_report_reads(tmp_path, seed_path, junk):
    rng = __import__("random").Random(7)
    if junk == "binary":
        tail = bytes(rng.randrange(256) for _ in range(1 << 20))
    else:
        tail = b"".join(b"lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod %d\n" % i
                        for i in range(20000))
    p = tmp_path / "with_junk.txt"
    p.write_bytes(seed_path.read_bytes() + b"\n" + tail)
    kept, problem = source.read_report_bytes(p)
    assert kept == seed_path.read_bytes() + b"\n"       # nothing of the junk, nothing of the report lost
    assert problem.line == 1180                           # the seed's 1179 lines, then the junk
    res = runner.invoke(app, ["parse", str(p)])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())                    # the terminal wraps long lines
    assert "197 facts" in said and "set aside unread" in said and "line 1180" in said


def test_a_table_whose_rows_were_deleted_is_failed_not_blank(tmp_path, seed_text):
    lines = seed_text.split("\n")
    assert lines[104] == "收入决算表" and lines[106] == "公开02表"      # lines 105/107
    kept = [ln for i, ln in enumerate(lines, 1) if not (107 < i < 139 and "\t" in ln)]
    p = tmp_path / "rows_deleted.txt"
    p.write_text("\n".join(kept), encoding="utf-8")
    res = runner.invoke(app, ["parse", str(p)])
    assert res.exit_code == 3, res.output                     # partial, not complete
    assert "PARTIAL" in res.output and "公开02表" in res.output and "rows are missing" in res.output
