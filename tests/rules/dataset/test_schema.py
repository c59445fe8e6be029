"""schema.json is the contract: valid JSON Schema 2020-12, as DATASET.md says, and the loader
(compiled from it) accepts and refuses what a reference validator does."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klaster.rules.dataset import schema as schema_module
from klaster.rules.dataset.dump import dump_data
from klaster.rules.dataset.errors import MESSAGES, DatasetError
from klaster.rules.dataset.load import load_data, schema
from klaster.rules.dataset.model import ENTERPRISE_TYPES, MEMBER_TYPES, Dataset
from klaster.rules.dataset.schema import SchemaModelError, compile_schema, load_schema
from tests.rules.dataset.dataset_strategies import datasets

SCHEMA = load_schema()
DEFS = SCHEMA["$defs"]


def test_schema_is_valid_json_schema_2020_12() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert schema() == SCHEMA


def _objects(node: Any, where: str = "#") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if "properties" in node or node.get("type") in ("object", ["object", "null"]):
            found.append((where, node))
        for key, value in node.items():
            found += _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _objects(value, f"{where}/{i}")
    return found


def test_every_object_refuses_unknown_keys() -> None:
    objects = _objects(SCHEMA)
    assert len(objects) > 30
    for where, node in objects:
        if where.endswith("/scores"):  # indicator number -> points: a map, its values typed
            assert node["additionalProperties"] == {
                "type": "integer",
                "minimum": 0,
                "maximum": 2**31 - 1,
            }
            assert node["propertyNames"] == {"pattern": "^[1-9][0-9]*$"}
        else:
            assert node.get("additionalProperties") is False, where


def _enum(node: dict[str, Any]) -> list[Any]:
    return [v for v in node["enum"] if v is not None]


ENUMS: list[tuple[str, list[str]]] = [
    ("member.type", ["micro", "small", "medium", "large", "iob", "science", "other"]),
    ("member.category", ["partner", "strategic_partner"]),
    ("member.science_category", ["A+", "A", "B+", "B", "C"]),
    ("cluster.mode", ["grant", "renewal"]),
    ("certificate.kind", ["esca_gold", "esca_silver", "esca_bronze", "other"]),
    ("shared_resource.kind", ["production", "laboratory", "digital", "demonstration", "other"]),
    ("project.type", ["investment", "research", "promotion", "training", "other"]),
    ("ip_right.kind", ["patent", "utility_model", "industrial_design", "trademark"]),
    ("ip_right.mode", ["polish", "foreign"]),
    ("event.kind", ["industry", "cluster", "fair"]),
    ("event.location", ["poland", "abroad"]),
    ("mission.kind", ["mission", "matchmaking", "fair", "meeting"]),
    ("service.kind", ["knowledge_transfer", "ecosystem"]),
    ("dual_education.kind", ["curricula", "student_internships", "teacher_internships", "vocational_teachers", "implementation_doctorate"]),
    ("circular_economy.kind", ["material_recovery", "waste_minimisation", "life_extension", "training", "eco_certificate"]),
    ("low_emission.kind", ["energy_audit", "rd", "renewables", "training"]),
    ("specialisation.classification", ["PKD", "EKD", "description"]),
]  # fmt: skip


@pytest.mark.parametrize(("where", "values"), ENUMS, ids=[e[0] for e in ENUMS])
def test_enums_are_those_of_dataset_md(where: str, values: list[str]) -> None:
    definition, prop = where.split(".")
    assert _enum(DEFS[definition]["properties"][prop]) == values


def test_member_types_are_those_of_the_model() -> None:
    assert _enum(DEFS["member"]["properties"]["type"]) == list(MEMBER_TYPES)
    assert {t for t in MEMBER_TYPES if t in ENTERPRISE_TYPES} == {
        "micro",
        "small",
        "medium",
        "large",
    }


def test_actual_start_kinds_kis_and_panel_limits() -> None:
    kinds = DEFS["actual_start"]["properties"]["kinds"]["items"]
    assert _enum(kinds) == [
        "joint_project",
        "strategic_document",
        "international_network",
        "esca",
        "other",
    ]
    assert SCHEMA["properties"]["kis"]["maxItems"] == 3
    assert DEFS["score"] == {
        "description": "Panel score, a whole number 0-10.",
        "type": "integer",
        "minimum": 0,
        "maximum": 10,
    }
    assert set(DEFS["panel"]["required"]) == set(DEFS["panel"]["properties"])
    assert SCHEMA["properties"]["format"]["const"] == "klaster-dataset/1"


def test_top_level_keys_follow_dataset_md() -> None:
    assert list(SCHEMA["properties"]) == [
        "format", "as_of", "cluster", "members", "staff", "certificates", "shared_resources",
        "projects", "funding_applications", "ip_rights", "innovations", "events", "missions",
        "services", "kis", "dual_education", "digital_initiatives", "startup_cooperations",
        "circular_economy", "low_emission", "joint_products", "panel", "experts",
    ]  # fmt: skip


def test_every_message_has_both_languages() -> None:
    for code, texts in MESSAGES.items():
        assert set(texts) == {"pl", "en"}, code


# -- the compiler refuses a schema it cannot honour ------------------------------------


def _modified(change: Any) -> dict[str, Any]:
    s = copy.deepcopy(SCHEMA)
    change(s)
    return s


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda s: s["$defs"]["member"]["properties"].update(vat={"type": "string"}),
            "differ from its fields",
        ),
        (lambda s: s["$defs"]["member"]["properties"].pop("krs"), "differ from its fields"),
        (lambda s: s["$defs"]["member"]["required"].remove("name"), "must be required"),
        (lambda s: s["$defs"]["member"].update(additionalProperties=True), "additionalProperties"),
        (lambda s: s["$defs"].update(date={"anyOf": [{"type": "string"}]}), "unsupported keywords"),
        (
            lambda s: s["$defs"]["member"]["properties"].update(type={"type": "integer"}),
            "must be one of",
        ),
        (
            lambda s: s["$defs"]["member"]["properties"].update(name={"type": ["string", "null"]}),
            "not optional",
        ),
    ],
)
def test_schema_and_model_must_agree(change: Any, message: str) -> None:
    with pytest.raises(SchemaModelError, match=message):
        compile_schema(_modified(change))


def test_the_shipped_schema_compiles() -> None:
    compiled = compile_schema()
    assert Dataset in compiled.class_keys
    assert schema_module.COMPILED.class_keys[Dataset][0] == ("format", "format")


# -- the one-pass loader agrees with a reference validator ------------------------------

REFERENCE = jsonschema.Draft202012Validator(SCHEMA)
# problems only the loader sees (beyond the schema), or where it reads a numeric string
# as the number it is (min/max), or a real calendar date
BEYOND_SCHEMA = {
    "identifier", "duplicate_id", "duplicate_year", "duplicate_number", "unknown_member",
    "duplicate_member", "date_order", "science_only", "duplicate_key", "date", "minimum",
    "maximum",
}  # fmt: skip
REPLACEMENTS = [
    None,
    True,
    0,
    -1,
    11,
    2101,
    Decimal("1.5"),
    "x",
    "",
    "2015-13-01",
    "1e3",
    [],
    {},
    ["x"],
    {"x": 1},
]


def _locations(node: Any, into: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            into.append((node, key))
            _locations(value, into)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            into.append((node, i))
            _locations(value, into)
    return into


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(), st.data())
def test_loader_refuses_whatever_the_reference_validator_refuses(
    ds: Dataset, data: st.DataObject
) -> None:
    doc = json.loads(json.dumps(dump_data(ds)), parse_float=Decimal)
    places = _locations(doc, [])
    container, key = data.draw(st.sampled_from(places))
    action = data.draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "delete":
        del container[key]
    elif action == "add" and isinstance(container, dict):
        container["zz_unknown"] = 1
    else:
        container[key] = copy.deepcopy(data.draw(st.sampled_from(REPLACEMENTS)))
    reference_ok = REFERENCE.is_valid(doc)
    try:
        load_data(doc)
    except DatasetError as exc:
        if reference_ok:
            codes = {issue.code for issue in exc.issues}
            assert codes <= BEYOND_SCHEMA, exc.messages
    else:
        assert reference_ok, sorted(e.message for e in REFERENCE.iter_errors(doc))
