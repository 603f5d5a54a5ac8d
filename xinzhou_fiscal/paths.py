"""Where things live. Every path is resolved from the package, never from the working directory,
because papermill and nbval start kernels in different folders.

Two places hold reports:

- the **bundled** reports (the seed and the Putuo PDF), their catalogue and the notebooks. In a
  clone (an editable install) they are the repository's own ``data/`` and ``notebooks/``; in an
  installed wheel they ship inside the package (``xinzhou_fiscal/_bundled``, mapped there at build
  time by pyproject.toml) and are found with :mod:`importlib.resources`;
- the user's **data folder**, where ``xinzhou-fiscal add`` copies reports and writes their
  catalogue: ``$XINZHOU_FISCAL_DATA`` (set by the CLI's ``--data DIR`` too, so that notebook
  kernels inherit it), else the clone's ``data/``, else ``./xinzhou-fiscal-data`` of the working
  directory. Its catalogue extends the bundled one.
"""
from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "XINZHOU_FISCAL_DATA"
PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
#: True when the package runs from a checkout of the repository (editable install or PYTHONPATH)
IN_CLONE = (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "data" / "catalog.json").is_file()


def _bundled_root() -> Path:
    """The folder holding the bundled ``data/`` and ``notebooks/``."""
    if IN_CLONE:
        return PROJECT_ROOT
    from importlib import resources
    return Path(str(resources.files("xinzhou_fiscal").joinpath("_bundled")))


BUNDLED_DIR = _bundled_root()
BUNDLED_DATA_DIR = BUNDLED_DIR / "data"
BUNDLED_CATALOG_FILE = BUNDLED_DATA_DIR / "catalog.json"
NOTEBOOKS_DIR = BUNDLED_DIR / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports" if IN_CLONE else Path.cwd() / "reports"


def data_dir() -> Path:
    """The user's data folder, resolved now (``--data`` may have set it after import)."""
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return (PROJECT_ROOT / "data").resolve() if IN_CLONE else (Path.cwd() / "xinzhou-fiscal-data").resolve()


def use_data_dir(folder: str | os.PathLike) -> Path:
    """Make ``folder`` the data folder of this process and of every process it starts."""
    os.environ[DATA_ENV] = str(Path(folder).expanduser().resolve())
    return data_dir()


def catalog_file() -> Path:
    """The catalogue of the user's data folder (it may not exist yet)."""
    return data_dir() / "catalog.json"


# Resolved at import, kept for existing callers: in a clone these are the repository's data/.
DATA_DIR = data_dir()
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
CATALOG_FILE = DATA_DIR / "catalog.json"


def package_version() -> str:
    """The installed version of xinzhou-fiscal (``0+unknown`` in a checkout that was never installed)."""
    from importlib import metadata  # here, not at import: importlib.metadata costs 6 MiB and 40 ms

    try:
        return metadata.version("xinzhou-fiscal")
    except metadata.PackageNotFoundError:
        return "0+unknown"
