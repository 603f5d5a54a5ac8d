"""Shared fixtures. Paths come from the package, so tests run from any folder."""
from __future__ import annotations

import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal import paths

SEED_ID = "xinzhou-swbgs-2023"
SEED_PATH = paths.RAW_DIR / "xinzhou_swbgs_2023_final.txt"


@pytest.fixture(scope="session")
def seed_path():
    return SEED_PATH


@pytest.fixture(scope="session")
def seed_text():
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed():
    """The parsed seed report (parsed once per test session)."""
    return xf.load(SEED_ID)
