"""The wheel works once installed, from any folder, offline; the packaging metadata is sound.

The wheel is built without build isolation (hatchling comes with the dev extra) and installed
with --no-deps into a fresh virtualenv that sees this environment's site-packages through a .pth
line, so nothing is downloaded. PYTHONPATH is cleared, so the checkout is never imported."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from xinzhou_fiscal import paths

ROOT = paths.PROJECT_ROOT
SEED = ROOT / "data" / "raw" / "xinzhou_swbgs_2023_final.txt"


def _run(args, cwd, env, check=True):
    res = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if check and res.returncode != 0:
        raise AssertionError(f"{args} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
    return res


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("hatchling", reason="the dev extra installs hatchling, the build backend")
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
          "--no-index", "-q", "-w", str(out)], cwd=out, env={**os.environ, "PIP_NO_INPUT": "1"})
    (whl,) = out.glob("xinzhou_fiscal-*.whl")
    return whl


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """(python, script, env) of a fresh virtualenv holding the wheel."""
    home = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False, symlinks=True).create(home / "env")
    py = home / "env" / "bin" / "python"
    site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=home, env={}).stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", paths.DATA_ENV, "XINZHOU_FISCAL_CACHE")}
    env["XDG_CACHE_HOME"] = str(home / "cache")     # the parsed-report cache of an install goes there
    _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "-q",
          str(wheel)], cwd=home, env=env)
    return py, home / "env" / "bin" / "xinzhou-fiscal", env


def test_wheel_carries_the_bundled_reports_catalogue_notebooks_and_marker(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for inside in ("_bundled/data/catalog.json", "_bundled/data/raw/xinzhou_swbgs_2023_final.txt",
                   "_bundled/data/raw/putuo_czj_2024_final.pdf", "_bundled/notebooks/10-department-analysis.ipynb",
                   "_bundled/notebooks/20-comparative-analysis.ipynb", "py.typed", "templates/xinzhou.toml"):
        assert f"xinzhou_fiscal/{inside}" in names
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "License-Expression: MIT" in meta


def test_installed_wheel_works_from_another_folder(installed, tmp_path):
    py, script, env = installed
    work = tmp_path / "elsewhere"
    work.mkdir()
    code = f"""
import xinzhou_fiscal as xf, pathlib
assert 'site-packages' in xf.__file__, xf.__file__
r = xf.read_report({str(SEED)!r})
# 公开01表 总计 as printed in the seed: 2,795.38 万元
print('path', r.report_id, r.tables['income_expenditure_summary'].facts.query("item_key == 'grand_total'")['amount'].tolist())
print('ids', xf.report_ids())
print('load', xf.load('xinzhou-swbgs-2023').department)
import xinzhou_fiscal.analysis as xa
print('cached', xa.load_report('xinzhou-swbgs-2023').department)
print('notebooks', sorted(p.name for p in __import__('xinzhou_fiscal.paths').paths.NOTEBOOKS_DIR.glob('*.ipynb')))
print('version', xf.__version__)
"""
    out = _run([str(py), "-c", code], cwd=work, env=env).stdout
    assert "path xinzhou-swbgs-2023 [2795.38, 2795.38]" in out
    assert ("ids ['putuo-czj-2024', 'shanghai-czj-2025-budget', 'swu-2023-budget', 'swu-2023-final', "
            "'xinzhou-swbgs-2023']") in out
    assert "load 中国共产党忻州市委员会办公室" in out and "cached 中国共产党忻州市委员会办公室" in out
    cached = list((Path(env["XDG_CACHE_HOME"]) / "xinzhou-fiscal").glob("xinzhou-swbgs-2023--*.pickle"))
    assert len(cached) == 1, "an installed package caches parsed reports under $XDG_CACHE_HOME"
    assert "10-department-analysis.ipynb" in out and "version 0.1.0" in out

    listing = _run([str(script), "catalog"], cwd=work, env={**env, "COLUMNS": "200"}).stdout
    assert "putuo-czj-2024" in listing and "xinzhou-swbgs" in listing

    data = tmp_path / "mydata"
    copy = work / "another.txt"
    copy.write_bytes(SEED.read_bytes() + b"\n")      # same report, other bytes: a new sha256
    first = _run([str(script), "--data", str(data), "add", str(copy), "--id", "another-2023"], cwd=work, env=env)
    assert "added another-2023" in first.stdout
    assert (data / "raw" / "another.txt").read_bytes() == copy.read_bytes()
    again = _run([str(script), "--data", str(data), "add", str(copy)], cwd=work, env=env, check=False)
    assert again.returncode == 1 and "already catalogued as another-2023" in again.stderr
    ids = _run([str(py), "-c", "import xinzhou_fiscal as xf; print(xf.report_ids())"], cwd=work,
               env={**env, paths.DATA_ENV: str(data)}).stdout
    assert "another-2023" in ids and "putuo-czj-2024" in ids

    unknown = _run([str(script), "parse", "no-such-report"], cwd=work, env=env, check=False)
    assert unknown.returncode == 2 and "unknown report id 'no-such-report'" in unknown.stderr
    assert "Traceback" not in unknown.stderr and len(unknown.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------- metadata

def _requirements(spec: list[str]) -> dict[str, str]:
    out = {}
    for req in spec:
        m = re.match(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)$", req.strip())
        out[m.group(1).lower()] = m.group(3).replace(" ", "")
    return out


def test_environment_yml_in_step_with_pyproject():
    """Every dependency of pyproject.toml (runtime and every extra) is in environment.yml with the
    same lower bound, and environment.yml lists nothing else (conda spells duckdb python-duckdb)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = _requirements(project["dependencies"])
    for name, reqs in project["optional-dependencies"].items():
        wanted.update({k: v for k, v in _requirements(reqs).items() if k != project["name"]})
    yml = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    specs = []
    for dep in yml["dependencies"]:
        specs += dep["pip"] if isinstance(dep, dict) else [dep]
    listed = _requirements([s for s in specs if not re.match(r"^(python|pip)($|[<>=])", s)])
    listed["duckdb"] = listed.pop("python-duckdb")
    assert listed == wanted


def test_dask_is_the_cluster_extra_and_in_dev():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = _requirements(project["dependencies"])
    assert "dask" not in deps and "distributed" not in deps
    assert set(_requirements(project["optional-dependencies"]["cluster"])) == {"dask", "distributed"}
    assert "xinzhou-fiscal[cluster]" in project["optional-dependencies"]["dev"]
    assert project["license"] == "MIT"


def test_scheduler_without_dask_is_one_clear_line(monkeypatch, capsys, tmp_path):
    from xinzhou_fiscal import cli
    monkeypatch.setitem(sys.modules, "distributed", None)        # as if the extra were not installed
    monkeypatch.setattr(sys, "argv", ["xinzhou-fiscal", "run", "--scheduler", "tcp://127.0.0.1:1", "--no-html",
                                      "--out", str(tmp_path)])
    with pytest.raises(SystemExit) as e:
        cli.main()
    assert e.value.code == 2
    assert "pip install 'xinzhou-fiscal[cluster]'" in capsys.readouterr().err
