"""import(export(x)) == x: the dumper and the loader are inverse (DATASET.md, MEM-3, MEM-12)."""

from __future__ import annotations

import json

import jsonschema
from hypothesis import HealthCheck, given, settings

from klaster.rules.dataset.dump import dump_data, dump_text
from klaster.rules.dataset.load import load_data, load_text, schema
from klaster.rules.dataset.model import Dataset
from tests.rules.dataset.dataset_strategies import datasets

VALIDATOR = jsonschema.Draft202012Validator(schema())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_round_trip_through_dict_json_and_yaml(ds: Dataset) -> None:
    data = dump_data(ds)
    assert load_data(data) == ds
    # what we write, any JSON Schema 2020-12 validator accepts: schema.json is the contract
    VALIDATOR.validate(json.loads(json.dumps(data)))
    assert load_text(dump_text(ds, "json"), "json") == ds
    assert load_text(dump_text(ds, "yaml"), "yaml") == ds
