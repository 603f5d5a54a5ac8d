"""The facts dataset honours its pandera schema; a broken frame is caught."""
from __future__ import annotations

import pandera.errors
import pytest

import xinzhou_fiscal as xf
from xinzhou_fiscal.store import catalogue
from xinzhou_fiscal.store.schemas import CLAIMS, validate_datasets, validate_facts


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


@pytest.mark.parametrize("printed", ["1,20", "1,2345", "12."])
def test_schema_and_parser_reject_the_same_malformed_number(seed, printed):
    """A thousands group of other than three digits is no number to the parser (a bad cell) nor to
    the facts' ``printed`` column: both use numbers.NUMBER_PATTERN."""
    from xinzhou_fiscal.numbers import read_cell

    assert read_cell(printed).kind == "invalid"
    bad = seed.facts.copy()
    bad.loc[0, "printed"] = printed
    with pytest.raises(pandera.errors.SchemaErrors) as e:
        validate_facts(bad)
    assert "printed" in str(e.value)


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


def test_indicators_and_findings_schemas(seed):
    from xinzhou_fiscal.store.schemas import FINDINGS, INDICATORS
    INDICATORS.validate(seed.indicators, lazy=True)
    FINDINGS.validate(xf.audit(seed), lazy=True)
    bad = seed.indicators.copy()
    bad.loc[0, "kind"] = "programme"
    with pytest.raises(pandera.errors.SchemaErrors) as e:
        INDICATORS.validate(bad, lazy=True)
    assert "kind" in str(e.value)


def test_catalogue_entries_honour_the_reports_schema():
    import pandas as pd

    from xinzhou_fiscal.store.schemas import REPORTS
    REPORTS.validate(pd.DataFrame([{k: v for k, v in e.items() if k != "_dir"}
                                   for e in catalogue.entries()]), lazy=True)


def test_data_dictionary_is_generated_from_the_schemas():
    """docs/data-dictionary.md holds the tables generated from schemas.py; after a schema change run
    ``python -m xinzhou_fiscal.store.export.dictionary``."""
    from xinzhou_fiscal import paths
    from xinzhou_fiscal.store.export.dictionary import render, updated
    doc = (paths.PROJECT_ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert render() in doc and updated(doc) == doc
    assert "| `amount` | 金额 | number | DOUBLE | 万元 |" in doc
