"""``xinzhou-fiscal add``: byte-for-byte copy, sha256, one parse, a validated entry that extends the
bundled catalogue; duplicates, non-reports and bad entries refused with one clear line."""
from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
from typer.testing import CliRunner

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths
from xinzhou_fiscal.cli import app

runner = CliRunner()


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    """An empty data folder, made this process's data folder for the test only."""
    d = tmp_path / "data"
    monkeypatch.setenv(paths.DATA_ENV, str(d))
    return d


@pytest.fixture()
def seed_variant(tmp_path, seed_path):
    """The seed with one more trailing newline: the same report, a new sha256."""
    p = tmp_path / "in" / "xinzhou_copy_2023.txt"
    p.parent.mkdir()
    p.write_bytes(seed_path.read_bytes() + b"\n")
    return p


def _add(data_dir, *args):
    return runner.invoke(app, ["--data", str(data_dir), "add", *map(str, args)])


def test_add_copies_catalogues_and_refuses_a_second_time(data_dir, seed_variant):
    res = _add(data_dir, seed_variant, "--source", "https://example.org/report.txt", "--retrieved", "2026-12-04",
               "--licence", "test licence")
    assert res.exit_code == 0, res.output
    copy = data_dir / "raw" / seed_variant.name
    assert copy.read_bytes() == seed_variant.read_bytes()
    (entry,) = json.loads((data_dir / "catalog.json").read_text(encoding="utf-8"))
    assert entry["sha256"] == hashlib.sha256(seed_variant.read_bytes()).hexdigest()
    # read from the report's cover: 中国共产党忻州市委员会办公室 2023年度 决算
    assert (entry["department"], entry["year"], entry["kind"]) == ("中国共产党忻州市委员会办公室", 2023, "决算")
    assert entry["report_id"] == "xinzhou-copy-2023" and entry["format"] == "text" and entry["complete"] is True
    assert entry["source"] == "https://example.org/report.txt" and entry["retrieved"] == "2026-12-04"
    # the data folder's catalogue extends the bundled one
    assert xf.report_ids() == ["putuo-czj-2024", "shanghai-czj-2025-budget", "swu-2023-budget", "swu-2023-final",
                               "xinzhou-copy-2023", "xinzhou-swbgs-2023"]
    assert xf.load("xinzhou-copy-2023").department == "中国共产党忻州市委员会办公室"

    again = _add(data_dir, seed_variant)
    assert again.exit_code == 1 and "already catalogued as xinzhou-copy-2023" in again.output
    assert len(json.loads((data_dir / "catalog.json").read_text(encoding="utf-8"))) == 1


def test_a_bundled_report_is_refused_by_its_sha256(data_dir, seed_path):
    res = _add(data_dir, seed_path)
    assert res.exit_code == 1 and "already catalogued as xinzhou-swbgs-2023" in res.output
    assert not (data_dir / "catalog.json").exists()


def test_a_catalogued_id_is_refused(data_dir, seed_variant):
    res = _add(data_dir, seed_variant, "--id", "putuo-czj-2024")
    assert res.exit_code == 1 and "report id 'putuo-czj-2024' is catalogued already" in res.output


def test_an_invalid_entry_is_refused(data_dir, seed_variant):
    res = _add(data_dir, seed_variant, "--retrieved", "last week")
    assert res.exit_code == 1 and "is not valid" in res.output and "retrieved" in res.output
    assert not (data_dir / "raw" / seed_variant.name).exists()


@pytest.fixture()
def partial_report(tmp_path, seed_text):
    """The seed with the rows of 公开02表 收入决算表 (lines 106–138) deleted: a partial report."""
    lines = seed_text.split("\n")
    assert lines[104] == "公开02表" or "收入决算表" in lines[104]       # line 105 heads the table
    kept = [ln for i, ln in enumerate(lines, 1) if not (105 < i < 139 and "\t" in ln)]
    p = tmp_path / "partial" / "xinzhou_partial_2023.txt"
    p.parent.mkdir()
    p.write_text("\n".join(kept), encoding="utf-8")
    return p


def test_a_folder_non_reports_force_and_the_summary(data_dir, tmp_path, seed_variant):
    folder = seed_variant.parent
    (folder / "notes.txt").write_text("会议纪要\n今天讨论了预算。\n", encoding="utf-8")
    (folder / "readme.md").write_text("not a report file type", encoding="utf-8")
    res = _add(data_dir, folder)
    assert res.exit_code == 1
    assert "added xinzhou-copy-2023" in res.output
    assert "refused notes.txt: not catalogued, no standard budget or final-acc" in res.output   # (the console wraps)
    assert "1 added, 1 refused" in res.output
    assert "notes" not in xf.report_ids()

    forced = _add(data_dir, folder / "notes.txt", "--force")      # --force never catalogues a non-report
    assert forced.exit_code == 1 and "no standard budget or final-acc" in forced.output
    assert "notes" not in xf.report_ids()


BLANK_TEMPLATE = paths.PROJECT_ROOT.parent / "shared" / "samples" / "shanghai_template_2024_blank.pdf"


@pytest.mark.parametrize("content", [b"", b"%PDF-1.4\n%%EOF\n", "blank-template"],
                         ids=["empty", "broken-pdf", "pdf-not-a-report"])
def test_force_refuses_empty_files_and_non_reports(data_dir, tmp_path, content):
    if content == "blank-template":
        if not BLANK_TEMPLATE.exists():
            pytest.skip("../shared/samples is absent")
        content = BLANK_TEMPLATE.read_bytes()
    f = tmp_path / ("x.pdf" if content else "x.txt")
    f.write_bytes(content)
    res = _add(data_dir, f, "--force")
    assert res.exit_code == 1 and "refused" in res.output and "Traceback" not in res.output
    assert not (data_dir / "catalog.json").exists()


def test_force_catalogues_a_partial_report_and_catalog_shows_it(data_dir, partial_report, monkeypatch):
    refused = _add(data_dir, partial_report)
    assert refused.exit_code == 1 and "parsed only partly" in refused.output and "公开02表" in refused.output
    forced = _add(data_dir, partial_report, "--force")
    assert forced.exit_code == 0 and "(incomplete)" in forced.output
    entry = xf.catalog().set_index("report_id").loc["xinzhou-partial-2023"]
    assert not entry["complete"] and entry["year"] == 2023        # the cover still says 2023年度
    mode = (data_dir / "catalog.json").stat().st_mode & 0o777
    assert mode & 0o044 == 0o044, oct(mode)                       # readable by others, as any file (umask 022)
    monkeypatch.setenv("COLUMNS", "80")
    shown = runner.invoke(app, ["--data", str(data_dir), "catalog", "--format", "csv"])
    assert shown.exit_code == 0
    rows = {r["report_id"]: r for r in csv.DictReader(io.StringIO(shown.output))}
    assert rows["xinzhou-partial-2023"]["year"] == "2023" and rows["xinzhou-partial-2023"]["complete"] == "False"
    assert rows["xinzhou-swbgs-2023"]["year"] == "2023"           # never 2023.0
    table = runner.invoke(app, ["catalog", "--data", str(data_dir)])   # --data after the command too
    assert table.exit_code == 0 and "2023.0" not in table.output and "nan" not in table.output
    assert all(i in table.output for i in ("xinzhou-partial-2023", "putuo-czj-2024", "xinzhou-swbgs-2023"))


def test_id_names_one_file_only(data_dir, seed_variant, seed_path):
    res = _add(data_dir, seed_variant, seed_path, "--id", "x")
    assert res.exit_code != 0 and "one file" in res.output


def test_read_report_needs_no_catalogue(monkeypatch, tmp_path, seed_path):
    monkeypatch.setattr(paths, "BUNDLED_CATALOG_FILE", tmp_path / "nowhere" / "catalog.json")
    r = xf.read_report(seed_path)
    assert r.report_id == "xinzhou-swbgs-2023-final"          # from the file name: no catalogue to ask
    with pytest.raises(xf.CatalogError, match="catalogue not found"):
        xf.catalog()


def test_a_broken_data_catalogue_is_one_line(data_dir):
    data_dir.mkdir()
    (data_dir / "catalog.json").write_text("[{", encoding="utf-8")
    res = runner.invoke(app, ["--data", str(data_dir), "catalog"])
    assert res.exit_code == 2 and "is not valid JSON" in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
