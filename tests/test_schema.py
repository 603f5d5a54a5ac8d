"""The facts dataset honours its pandera schema; a broken frame is caught."""
from __future__ import annotations

import pandera.errors
import pytest

from xinzhou_fiscal.schemas import validate_facts


def test_seed_facts_validate(seed):
    validate_facts(seed.facts)


def test_schema_catches_a_bad_code_and_a_missing_amount(seed):
    bad = seed.facts.copy()
    bad.loc[0, "code"] = "20"
    bad.loc[1, "amount"] = float("nan")
    with pytest.raises(pandera.errors.SchemaErrors) as e:
        validate_facts(bad)
    text = str(e.value)
    assert "code" in text and "amount" in text
