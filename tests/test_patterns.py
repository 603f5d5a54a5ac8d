"""The compiled regular expressions kept across processes (``xinzhou_fiscal.patterns``): the first
process writes them, the next compiles none of the package's patterns afresh, and both read and
audit the report exactly as a process without the cache does; a damaged file is ignored.

Each case runs in a fresh process with its own cache folder (``XF_PYCACHE=DIR``)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from xinzhou_fiscal import paths

ROOT = paths.PACKAGE_DIR.parent
PUTUO = paths.RAW_DIR / "putuo_czj_2024_final.pdf"

_CHILD = r"""
import json, re, sys, warnings
warnings.simplefilter("ignore")
import xinzhou_fiscal as xf
from xinzhou_fiscal import checks, patterns, pycache
user = re.compile(r"[\u4e00-\u9fff]+ a pattern of the user's own")
report = xf.read_report(sys.argv[1])
findings = checks.findings_records(report)
print(json.dumps({
    "stored": len(patterns._stored), "new": len(patterns._new),
    "user_kept": any(p == user.pattern for p, _ in patterns._new),
    "toml_parsed": len(pycache._toml_new), "tomllib": "tomllib" in sys.modules,
    "facts": [[f["table"], f["item"], f["printed"], f["amount"]] for f in report.fact_records],
    "claims": report.records("claims"),
    "findings": [[f["rule"], f["severity"], f["message"]] for f in findings]}, ensure_ascii=False))
"""


def _child(setting: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONWARNINGS="ignore", XF_PYCACHE=setting)
    env.pop("XF_PDF_READER", None)
    out = subprocess.run([sys.executable, "-c", _CHILD, str(PUTUO)], env=env, capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("patterns")
    first = _child(str(folder))
    written = sorted(p.name for p in folder.iterdir())
    second = _child(str(folder))
    off = _child("0")
    return {"folder": folder, "first": first, "written": written, "second": second, "off": off}


def test_the_first_process_writes_the_package_patterns_and_not_the_users(runs):
    first = runs["first"]
    assert first["stored"] == 0 and first["new"] > 100
    assert [name.split(".")[0] for name in runs["written"]] == ["patterns", "toml"]
    assert not first["user_kept"]
    assert first["toml_parsed"] >= 10 and first["tomllib"]


def test_the_next_process_compiles_none_of_the_package_patterns_and_parses_no_toml(runs):
    assert runs["second"]["stored"] == runs["first"]["new"]
    assert runs["second"]["new"] == 0
    assert runs["second"]["toml_parsed"] == 0 and not runs["second"]["tomllib"]


def test_the_report_and_its_findings_are_those_without_the_cache(runs):
    # 收入支出决算总表 (page 6 of the Putuo PDF): 本年收入合计 2,946.25, 本年支出合计 2,940.05
    for run in ("first", "second"):
        facts = {(t, item, printed): amount for t, item, printed, amount in runs[run]["facts"]}
        assert facts[("income_expenditure_summary", "本年收入合计", "2,946.25")] == 2946.25
        assert facts[("income_expenditure_summary", "本年支出合计", "2,940.05")] == 2940.05
        for key in ("facts", "claims", "findings"):
            assert runs[run][key] == runs["off"][key], (run, key)
    assert runs["off"]["stored"] == runs["off"]["new"] == 0       # the switch turns the cache off


def test_damaged_files_are_ignored(runs):
    for name in runs["written"]:
        (runs["folder"] / name).write_bytes(b"not a marshal file")
    damaged = _child(str(runs["folder"]))
    assert damaged["stored"] == 0 and damaged["toml_parsed"] >= 10
    assert damaged["findings"] == runs["off"]["findings"] and damaged["facts"] == runs["off"]["facts"]


def test_a_stored_pattern_matches_as_re_compiles_it():
    """Every pattern the package compiled in this test process (stored or new), made from its stored
    pieces, finds what ``re``'s own compiler makes of it find in the seed (its 情况说明, tables and
    绩效自评表 lines): the same spans and groups."""
    import xinzhou_fiscal.checks  # noqa: F401 - the rules' patterns
    from xinzhou_fiscal import patterns

    if not patterns._engine_agrees() or re._compiler.compile is not patterns._compile:
        pytest.skip("the store is off (XF_PYCACHE=0, or an re laid out otherwise than patterns.py expects)")
    text = (paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt").read_text(encoding="utf-8")
    stored = {key: pieces for key, pieces in {**patterns._stored, **patterns._new}.items() if isinstance(key[0], str)}
    assert len(stored) > 100
    for (pattern, flags), pieces in stored.items():
        ours, theirs = patterns._made(pattern, pieces), patterns._original(pattern, flags)
        assert (ours.flags, ours.groups, dict(ours.groupindex)) == (theirs.flags, theirs.groups, dict(theirs.groupindex))
        assert [(m.span(), m.groups()) for m in ours.finditer(text)] == \
               [(m.span(), m.groups()) for m in theirs.finditer(text)], pattern
