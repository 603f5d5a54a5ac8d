"""The parsed-report cache across processes (xinzhou_fiscal.store.cache): a second process reads
the report from the cache with the same figures; a changed document, code or a damaged file is
never served; the cache can be turned off."""
from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from xinzhou_fiscal.store import cache as parsed_cache
from xinzhou_fiscal.store import catalogue

SEED_ID = "xinzhou-swbgs-2023"


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(parsed_cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(parsed_cache, "_REPORTS", {})
    return tmp_path / "cache"


def _in_new_process(code: str, cache_dir) -> str:
    env_code = f"import os; os.environ['{parsed_cache.CACHE_ENV}'] = {str(cache_dir)!r}\n" + code
    return subprocess.run([sys.executable, "-c", env_code], capture_output=True, text=True, check=True,
                          timeout=300).stdout


def test_a_second_process_reads_the_cached_report_with_the_same_figures(cache):
    code = """
from xinzhou_fiscal.store.cache import parsed
import xinzhou_fiscal.store.cache as pc
r = parsed('xinzhou-swbgs-2023')
f = r.tables['income_expenditure_summary'].facts
print('total', f.query("item_key == 'grand_total'")['amount'].tolist())
from xinzhou_fiscal.checks import AUDIT_CACHE_ATTR, audit_frame
assert AUDIT_CACHE_ATTR in r.__dict__                  # the audit is carried, not run again
print('projects', len(r.projects), 'errors', int((audit_frame(r)['severity'] == 'error').sum()))
"""
    first = _in_new_process(code, cache)
    files = list(cache.glob(f"{SEED_ID}--*.pickle"))
    assert len(files) == 1
    stamp = files[0].stat().st_mtime_ns
    second = _in_new_process(code, cache)
    # 公开01表 总计 2,795.38 万元 (printed twice: 收入总计, 支出总计); 17 self-evaluation tables;
    # the seed's 27 audit errors (docs/audit-rules.md)
    assert "total [2795.38, 2795.38]" in first and "projects 17 errors 27" in first
    assert second == first
    assert files[0].stat().st_mtime_ns == stamp, "the second process read the file, it did not rewrite it"


def test_the_file_name_carries_the_document_and_the_code(cache):
    sha = catalogue.entry(SEED_ID)["sha256"]
    path = parsed_cache.cache_file(SEED_ID, sha)
    assert path.parent == cache
    assert sha[:16] in path.name and parsed_cache.code_fingerprint()[:16] in path.name
    assert parsed_cache.cache_file(SEED_ID, "0" * 64) != path


def test_a_damaged_file_is_parsed_again_and_replaced(cache):
    sha = catalogue.entry(SEED_ID)["sha256"]
    path = parsed_cache.cache_file(SEED_ID, sha)
    path.parent.mkdir(parents=True, exist_ok=True)   # the code fingerprint may be remembered there
    path.write_bytes(b"not a pickle")
    r = parsed_cache.parsed(SEED_ID)
    assert r.department == "中国共产党忻州市委员会办公室"
    assert pickle.loads(path.read_bytes()).department == r.department


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv(parsed_cache.CACHE_ENV, "off")
    monkeypatch.setattr(parsed_cache, "_REPORTS", {})
    assert parsed_cache.cache_dir() is None
    assert parsed_cache.parsed(SEED_ID).year == 2023
    assert not list(tmp_path.rglob("*.pickle"))


def test_a_changed_raw_file_is_refused_before_the_cache_is_read(tmp_path, monkeypatch, cache):
    """The raw file is verified against the catalogue's sha256 on every load, cached or not."""
    from xinzhou_fiscal.errors import ChecksumMismatchError

    parsed_cache.parsed(SEED_ID)
    monkeypatch.setattr(parsed_cache, "_REPORTS", {})
    real = catalogue.verified_path(SEED_ID)
    copy = tmp_path / "raw" / real.name
    copy.parent.mkdir()
    copy.write_bytes(real.read_bytes().replace("2795.38".encode(), "2795.39".encode(), 1))
    monkeypatch.setattr(catalogue, "raw_path", lambda entry, data_dir=None: copy)
    with pytest.raises(ChecksumMismatchError):
        parsed_cache.parsed(SEED_ID)


@pytest.fixture()
def small_package(tmp_path, monkeypatch):
    """A package of two files standing in for this one, its fingerprint not yet computed."""
    from xinzhou_fiscal import paths

    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("x = 1\n", encoding="utf-8")
    (package / "t.toml").write_text("k = 1\n", encoding="utf-8")
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    monkeypatch.setenv(parsed_cache.CACHE_ENV, str(tmp_path / "cache"))

    def forget():
        parsed_cache._remembered_fingerprint.cache_clear()
        parsed_cache._hashed_code.cache_clear()

    forget()
    yield package, forget
    forget()                  # the real package's fingerprint for the tests that follow


def test_the_code_fingerprint_is_remembered_across_processes_until_a_file_changes(small_package, tmp_path):
    import json
    import os

    package, forget = small_package
    first = parsed_cache.code_fingerprint()
    memo = tmp_path / "cache" / parsed_cache.FINGERPRINT_MEMO
    assert json.loads(memo.read_text(encoding="utf-8")) == {"state": parsed_cache.code_state(), "fingerprint": first}
    # a later process with the same files takes the remembered value: it hashes nothing
    memo.write_text(json.dumps({"state": parsed_cache.code_state(), "fingerprint": "f" * 64}), encoding="utf-8")
    forget()
    assert parsed_cache.code_fingerprint() == "f" * 64
    # an edit of the same size (a later modification time) is hashed again
    stamp = (package / "a.py").stat().st_mtime_ns
    (package / "a.py").write_text("x = 2\n", encoding="utf-8")
    os.utime(package / "a.py", ns=(stamp + 10**9, stamp + 10**9))
    forget()
    edited = parsed_cache.code_fingerprint()
    assert edited not in (first, "f" * 64)
    # so is a new file, and a damaged memo is replaced
    (package / "b.py").write_text("", encoding="utf-8")
    memo.write_text("{not json", encoding="utf-8")
    forget()
    added = parsed_cache.code_fingerprint()
    assert added not in (first, edited) and json.loads(memo.read_text(encoding="utf-8"))["fingerprint"] == added
