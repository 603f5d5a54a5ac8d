"""Template facts about wording: the placeholders, redactions, opposites, direction words and official
vocabulary of ``wording/text_rules.toml``. Read by the parser (a blank template is told by its
placeholders) and by the audit's text rules."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from xinzhou_fiscal.numbers import LazyPattern
from xinzhou_fiscal.pycache import toml

DATA = Path(__file__).with_name("wording") / "text_rules.toml"


@lru_cache(maxsize=1)
def text_facts() -> dict:
    """The placeholders, opposites, direction words and vocabulary of templates/wording/text_rules.toml."""
    return toml(DATA)


@lru_cache(maxsize=None)
def text_patterns(key: str) -> tuple[LazyPattern, ...]:
    """The regular expressions listed under ``key`` of text_rules.toml (placeholders, redactions),
    each compiled once, when first used (most lines hold no placeholder mark to search)."""
    return tuple(LazyPattern(p) for p in text_facts()[key])


BUDGET_PHRASING = Path(__file__).with_name("wording") / "budget_phrasing.toml"


@lru_cache(maxsize=1)
def budget_phrasing() -> dict:
    """How a budget's narrative names its figures (templates/wording/budget_phrasing.toml): the amount
    metric, the bases of year-on-year changes, the subject rewriting rules, the noun after a count."""
    return toml(BUDGET_PHRASING)


COVERS = Path(__file__).with_name("wording") / "covers.toml"


@lru_cache(maxsize=1)
def cover_facts() -> dict:
    """How a cover prints the department, year and kind (templates/wording/covers.toml): the year in
    Arabic or Chinese numerals, the words between the year and the kind, the labelled name lines."""
    return toml(COVERS)
