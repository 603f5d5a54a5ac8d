"""The package's regular expressions (``xinzhou_fiscal.patterns``): compiled through
``patterns.compile`` and kept across processes, with nothing of ``re`` changed for the rest of the
process. The first process writes them, the next compiles none of the package's patterns with re's
compiler, and both read and audit the report exactly as a process without the store does; a
damaged file is ignored; a user's own patterns are compiled by re as always.

Each case runs in a fresh process with its own cache folder (``XF_PYCACHE=DIR``)."""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from xinzhou_fiscal import paths

ROOT = paths.PACKAGE_DIR.parent
PUTUO = paths.RAW_DIR / "putuo_czj_2024_final.pdf"

# re's compiler counted (the counter put in place before the package is imported: it must stay in place)
_CHILD = r"""
import json, re, sys, warnings
from re import _compiler
warnings.simplefilter("ignore")
stdlib_compile = _compiler.compile
compiled_by_re = []
def key(pattern, flags):
    return [pattern if isinstance(pattern, str) else repr(pattern), int(flags)]
def counting(pattern, flags=0):
    compiled_by_re.append(key(pattern, flags))
    return stdlib_compile(pattern, flags)
_compiler.compile = counting
import xinzhou_fiscal as xf
from xinzhou_fiscal import checks, patterns, pycache
untouched_after_import = _compiler.compile is counting and re.compile.__module__ == "re"
user = re.compile(r"[\u4e00-\u9fff]+ a pattern of the user's own")
report = xf.read_report(sys.argv[1])
findings = checks.findings_records(report)
print(json.dumps({
    "untouched": untouched_after_import and _compiler.compile is counting and re.compile.__module__ == "re",
    "compiled_by_re": compiled_by_re, "user": user.pattern,
    "stored": [key(*k) for k in patterns._stored], "new": [key(*k) for k in patterns._new],
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


def _package_patterns(run: dict) -> set:
    return {tuple(k) for k in run["stored"] + run["new"]}


def test_re_is_untouched_by_the_package(runs):
    """re's compiler is the one the process had, after ``import xinzhou_fiscal`` and after reading
    and auditing a PDF; the user's own pattern is compiled by it and never stored."""
    for run in ("first", "second", "off"):
        assert runs[run]["untouched"], run
        assert [runs[run]["user"], 0] in runs[run]["compiled_by_re"], run
        assert (runs[run]["user"], 0) not in _package_patterns(runs[run]), run


def test_re_is_untouched_in_this_process_after_reading_a_pdf():
    import xinzhou_fiscal as xf

    xf.read_report(PUTUO)
    assert re._compiler.compile.__module__ == "re._compiler" and re._compiler.compile.__name__ == "compile"
    assert re.compile.__module__ == "re" and re.search.__module__ == "re"


def test_the_first_process_writes_the_package_patterns(runs):
    first = runs["first"]
    assert first["stored"] == [] and len(first["new"]) > 100
    assert [name.split(".")[0] for name in runs["written"]] == ["patterns", "toml"]
    assert first["toml_parsed"] >= 10 and first["tomllib"]


def test_the_next_process_compiles_none_of_the_package_patterns_and_parses_no_toml(runs):
    second = runs["second"]
    assert sorted(map(tuple, second["stored"])) == sorted(map(tuple, runs["first"]["new"]))
    assert second["new"] == []
    by_re = {tuple(p) for p in second["compiled_by_re"]}
    assert not by_re & _package_patterns(second)
    # what re still compiles is the user's pattern and the standard library's own (tokenize, dataclasses …)
    assert len(by_re) <= 10, sorted(by_re)
    assert second["toml_parsed"] == 0 and not second["tomllib"]


def test_with_the_store_off_re_compiles_the_package_patterns(runs):
    off = runs["off"]
    assert off["stored"] == off["new"] == []
    by_re = {tuple(p) for p in off["compiled_by_re"]}
    assert _package_patterns(runs["first"]) <= by_re          # every pattern the store would have given
    assert len(by_re) > 100


def test_the_report_and_its_findings_are_those_without_the_store(runs):
    # 收入支出决算总表 (page 6 of the Putuo PDF): 本年收入合计 2,946.25, 本年支出合计 2,940.05
    for run in ("first", "second", "off"):
        facts = {(t, item, printed): amount for t, item, printed, amount in runs[run]["facts"]}
        assert facts[("income_expenditure_summary", "本年收入合计", "2,946.25")] == 2946.25
        assert facts[("income_expenditure_summary", "本年支出合计", "2,940.05")] == 2940.05
    for run in ("first", "second"):
        for key in ("facts", "claims", "findings"):
            assert runs[run][key] == runs["off"][key], (run, key)


def test_damaged_files_are_ignored(runs):
    for name in runs["written"]:
        (runs["folder"] / name).write_bytes(b"not a marshal file")
    damaged = _child(str(runs["folder"]))
    assert damaged["stored"] == [] and len(damaged["new"]) > 100 and damaged["toml_parsed"] >= 10
    for key in ("facts", "claims", "findings"):
        assert damaged[key] == runs["off"][key], key


def test_a_stored_pattern_matches_as_re_compiles_it():
    """Every pattern the package compiled in this test process (stored or new), made from its stored
    pieces, finds what ``re``'s own compiler makes of it find in the seed (its 情况说明, tables and
    绩效自评表 lines): the same spans and groups."""
    import xinzhou_fiscal.checks  # noqa: F401 - the rules' patterns
    from xinzhou_fiscal import patterns

    patterns.compile(r"年度")                     # the store is read on first use
    if not patterns._using_store:
        pytest.skip("the store is off (XF_PYCACHE=0, or an re laid out otherwise than patterns.py expects)")
    text = (paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt").read_text(encoding="utf-8")
    stored = {key: pieces for key, pieces in {**patterns._stored, **patterns._new}.items() if isinstance(key[0], str)}
    assert len(stored) > 100
    for (pattern, flags), pieces in stored.items():
        ours, theirs = patterns._made(pattern, pieces), re._compiler.compile(pattern, flags)
        assert (ours.flags, ours.groups, dict(ours.groupindex)) == (theirs.flags, theirs.groups, dict(theirs.groupindex))
        assert [(m.span(), m.groups()) for m in ours.finditer(text)] == \
               [(m.span(), m.groups()) for m in theirs.finditer(text)], pattern


def test_compile_is_re_compile_for_what_the_store_does_not_take(monkeypatch):
    """A bad pattern raises re's own error; the parser's warnings name the caller's line, as
    re.compile's do; a compiled pattern is handed back as it is."""
    from xinzhou_fiscal import patterns

    monkeypatch.setattr(patterns, "_stored", {})
    monkeypatch.setattr(patterns, "_made_here", {})
    monkeypatch.setattr(patterns, "_new", {"already": "new"})     # nothing of this test is stored at exit
    with pytest.raises(re.error, match="missing \\), unterminated subpattern"):
        patterns.compile(r"(年度")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        patterns.compile(r"[[年度]")
    where = "test_patterns.py" if patterns._using_store else "patterns.py"     # off: re.compile's own warning
    assert [(w.category, Path(w.filename).name) for w in caught] == [(FutureWarning, where)]
    compiled = re.compile(r"\d+")
    assert patterns.compile(compiled) is compiled
    assert patterns.compile(r"(?P<n>\d+)", re.I).match("2025").group("n") == "2025"


# ---------------------------------------------------------------- the package compiles through patterns.py
_RE_CALLS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "split", "sub", "subn"}


def direct_re_calls(source: str) -> list[str]:
    """``re.compile(…)``, ``re.search(…)`` … called in ``source`` (the package's patterns must go
    through ``patterns.compile``, so that they are stored)."""
    return [f"{node.lineno}: re.{node.func.attr}" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
            and node.func.attr in _RE_CALLS]


def test_the_guard_finds_a_direct_call():
    made_up = "import re\nX = re.compile(r'a')\ndef f(s):\n    return re.sub(r'b', '', s) + re.escape(s)\n"
    assert direct_re_calls(made_up) == ["2: re.compile", "4: re.sub"]
    assert direct_re_calls("from xinzhou_fiscal import patterns\nX = patterns.compile(r'a', re.I)\n") == []


def test_no_module_of_the_package_compiles_with_re_directly():
    offenders = {}
    for path in sorted(paths.PACKAGE_DIR.rglob("*.py")):
        if path == paths.PACKAGE_DIR / "patterns.py":
            continue
        found = direct_re_calls(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}, "use patterns.compile(pattern, flags).search(…) instead"
