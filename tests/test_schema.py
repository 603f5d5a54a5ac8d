"""The facts dataset honours its pandera schema; a broken frame is caught."""
from __future__ import annotations

import pandera.errors
import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal.schemas import CLAIMS, validate_datasets, validate_facts


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


def test_both_catalogued_reports_validate():
    for report_id in xf.report_ids():
        validate_datasets(xf.load(report_id))


def test_claims_schema_catches_a_negative_value_and_a_bad_direction(seed):
    bad = seed.claims.copy()
    bad.loc[0, "value"] = -1.0
    bad.loc[1, "direction"] = "上升"
    with pytest.raises(pandera.errors.SchemaErrors) as e:
        CLAIMS.validate(bad, lazy=True)
    assert "value" in str(e.value) and "direction" in str(e.value)
