"""Issue 7 point 9: every string and number of the dataset format is bounded by schema.json to
what its database column holds, so a file that loads also imports (SQLite and PostgreSQL) and
every imported record can be edited afterwards; `klaster import` refuses a file over its size
limit and a value over a bound with the field's path — never a traceback, nothing written."""

from __future__ import annotations

import decimal
import json
from decimal import Decimal
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from klaster.core.models import AuditLog, Cluster, Strategy
from klaster.exchange.dataset_io import cluster_import
from klaster.kkk import models as km
from klaster.members.models import IsoCertificate, Member, MemberYear
from klaster.rules.dataset.dump import dump_data
from klaster.rules.dataset.errors import DatasetError
from klaster.rules.dataset.load import load_data
from klaster.rules.dataset.schema import load_schema

pytestmark = pytest.mark.django_db

SCHEMA = load_schema()
DEFS = SCHEMA["$defs"]

# (schema definition, property) → the model field the value is stored in
STRING_COLUMNS: dict[tuple[str, str], tuple[type[models.Model], str]] = {
    ("cluster", "name"): (Cluster, "name"),
    ("cluster", "website"): (Cluster, "website"),
    ("specialisation", "description"): (Cluster, "specialisation_description"),
    ("contact", "name"): (Cluster, "contact_name"),
    ("contact", "position"): (Cluster, "contact_position"),
    ("contact", "email"): (Cluster, "contact_email"),
    ("contact", "phone"): (Cluster, "contact_phone"),
    ("contact", "address"): (Cluster, "contact_address"),
    ("strategy", "name"): (Strategy, "name"),
    ("member", "id"): (Member, "key"),
    ("member", "name"): (Member, "name"),
    ("address", "street"): (Member, "street"),
    ("address", "postal_code"): (Member, "postal_code"),
    ("address", "city"): (Member, "city"),
    ("iso", "standard"): (IsoCertificate, "standard"),
    ("iso", "ics"): (IsoCertificate, "ics"),
    ("staff", "name"): (km.Staff, "name"),
    ("staff", "email"): (km.Staff, "email"),
    ("staff", "role"): (km.Staff, "role"),
    ("staff", "contract"): (km.Staff, "contract"),
    ("certificate", "name"): (km.CoordinatorCertificate, "name"),
    ("shared_resource", "name"): (km.SharedResource, "name"),
    ("project", "id"): (km.Project, "key"),
    ("project", "name"): (km.Project, "name"),
    ("project", "funding_source"): (km.Project, "funding_source"),
    ("funding_application", "name"): (km.FundingApplication, "name"),
    ("funding_application", "programme"): (km.FundingApplication, "programme"),
    ("ip_right", "number"): (km.IpRight, "number"),
    ("ip_right", "title"): (km.IpRight, "title"),
    ("innovation", "name"): (km.Innovation, "name"),
    ("event", "name"): (km.Event, "name"),
    ("mission", "name"): (km.Mission, "name"),
    ("service", "name"): (km.Service, "name"),
    ("dual_education", "name"): (km.DualEducation, "name"),
    ("digital_initiative", "name"): (km.DigitalInitiative, "name"),
    ("startup_cooperation", "startup"): (km.StartupCooperation, "startup"),
    ("startup_cooperation", "programme"): (km.StartupCooperation, "programme"),
    ("startup_cooperation", "basis"): (km.StartupCooperation, "basis"),
    ("joint_product", "name"): (km.JointProduct, "name"),
    ("expert", "name"): (km.ExpertScore, "name"),
}
# bounded by the schema, but not stored in a column of that length: a text column, a JSON
# list, or an identifier stored compact after its check digits are verified
OTHER_STRINGS = {
    ("actual_start", "description"),
    ("kis", "justification"),
    ("member", "nip"),
    ("member", "regon"),
    ("member", "krs"),
    ("specialisation", "codes[]"),
    ("member", "certificates[]"),
    ("cluster", "bank_accounts[]"),  # stored as normalize_account gives it (at most 34)
    ("member", "bank_accounts[]"),
}
NUMBER_COLUMNS: dict[tuple[str, str], tuple[type[models.Model], str]] = {
    ("kis", "number"): (km.Kis, "number"),
    ("member_year", "year"): (MemberYear, "year"),
    ("actual_start", "year"): (Cluster, "actual_start_year"),
    ("member_year", "revenue"): (MemberYear, "revenue"),
    ("member_year", "export_revenue"): (MemberYear, "export_revenue"),
    ("member_year", "rd_expenditure"): (MemberYear, "rd_expenditure"),
    ("member_year", "fte"): (MemberYear, "fte"),
    ("project", "value"): (km.Project, "value"),
    ("project", "private_contribution"): (km.Project, "private_contribution"),
    ("coordinator", "clustering_experience_years"): (Cluster, "coordinator_experience_years"),
    ("staff", "years_private_mgmt"): (km.Staff, "years_private_mgmt"),
    ("staff", "years_cluster_mgmt"): (km.Staff, "years_cluster_mgmt"),
    ("staff", "years_intl_projects"): (km.Staff, "years_intl_projects"),
    ("member", "distance_km"): (Member, "distance_override_km"),
    ("location", "lat"): (Member, "lat"),
    ("location", "lon"): (Member, "lon"),
    ("panel", "successes_strategy"): (km.PanelScore, "successes_strategy"),
}
INT32 = 2**31 - 1  # PostgreSQL integer; SQLite holds more, PostgreSQL decides
INT16 = 2**15 - 1


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = DEFS[node["$ref"].rsplit("/", 1)[1]]
    return node


def _schema_leaves() -> dict[tuple[str, str], dict[str, Any]]:
    """(definition, property) → the resolved schema of every scalar property, items as 'x[]'."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for name, node in {**DEFS, "(root)": SCHEMA}.items():
        for prop, sub in node.get("properties", {}).items():
            sub = _resolve(sub)
            if "items" in sub and "properties" not in _resolve(sub["items"]):
                out[(name, prop + "[]")] = _resolve(sub["items"])
            elif (
                "properties" not in sub and "items" not in sub and "additionalProperties" not in sub
            ):
                out[(name, prop)] = sub
    return out


LEAVES = _schema_leaves()


def _kinds(node: dict[str, Any]) -> set[str]:
    t = node.get("type", [])
    return {t} if isinstance(t, str) else set(t)


def test_issue7_every_string_is_bounded_by_its_column():
    wrong = {
        ".".join(where): (LEAVES[where].get("maxLength"), model._meta.get_field(field).max_length)
        for where, (model, field) in STRING_COLUMNS.items()
        if LEAVES[where].get("maxLength") != model._meta.get_field(field).max_length
    }
    assert wrong == {}  # field: (schema maxLength, column max_length)


def test_issue7_every_free_string_of_the_format_is_accounted_for():
    """A new text field must get a bound here (and in schema.json) before it can ship."""
    free = {
        where
        for where, node in LEAVES.items()
        if "string" in _kinds(node)
        and "number" not in _kinds(node)
        and not ({"enum", "const", "format"} & set(node))
    }
    references = {
        w for w in free - set(STRING_COLUMNS) if LEAVES[w] in (DEFS["id"], DEFS["id_or_null"])
    }
    assert len(references) > 10  # participants, holder, provider … : ids of members
    assert free - references == set(STRING_COLUMNS) | OTHER_STRINGS
    assert all("maxLength" in LEAVES[w] for w in free)
    assert {LEAVES[w]["maxLength"] for w in references} == {
        Member._meta.get_field("key").max_length
    }


def _fits(maximum: Decimal, field: models.Field) -> bool:
    if isinstance(field, models.DecimalField):
        below = Decimal(10) ** (field.max_digits - field.decimal_places)
        # SQLite keeps 15 significant digits: the maximum must not round up past the column
        sqlite = decimal.Context(prec=15).create_decimal(maximum)
        return (
            maximum < below
            and sqlite < below
            and maximum.as_tuple().exponent >= -field.decimal_places
        )
    if isinstance(field, models.SmallIntegerField | models.PositiveSmallIntegerField):
        return maximum <= INT16
    return isinstance(field, models.IntegerField) and maximum <= INT32


def test_issue7_every_number_is_bounded_by_its_column():
    wrong = {}
    for where, (model, field_name) in NUMBER_COLUMNS.items():
        maximum = LEAVES[where].get("maximum")
        if maximum is None or not _fits(Decimal(str(maximum)), model._meta.get_field(field_name)):
            wrong[".".join(where)] = maximum
    assert wrong == {}  # field: the schema's maximum, missing or more than its column holds


def test_issue7_every_number_of_the_format_has_a_maximum():
    numbers = {w for w, node in LEAVES.items() if _kinds(node) & {"integer", "number"}}
    assert numbers - set(NUMBER_COLUMNS) <= {("panel", p) for p in DEFS["panel"]["properties"]}
    assert all("maximum" in LEAVES[w] for w in numbers)
    assert DEFS["expert"]["properties"]["scores"]["additionalProperties"]["maximum"] == INT32


# ------------------------------------------------------------------ at the bounds: imported and editable


def _at_the_bounds() -> dict[str, Any]:
    from klaster.exchange.demo import demo_cluster

    data = json.loads(json.dumps(dump_data(demo_cluster()), default=str))
    data["cluster"]["name"] = "K" * 300
    data["cluster"]["contact"] = {
        "name": "C" * 200,
        "phone": "1" * 50,
        "email": "e" * 242 + "@example.com",
    }
    data["cluster"]["coordinator"]["clustering_experience_years"] = "9999.9"
    data["members"].append(
        {
            "id": "m" * 40,
            "name": "N" * 300,
            "type": "micro",
            "distance_km": "999999.9",
            "address": {"street": "S" * 200, "postal_code": "15-001", "city": "C" * 120},
            "years": [{"year": 2020, "revenue": "99999999999999", "fte": "99999999.9"}],
            "iso": [{"standard": "I" * 100, "ics": "9" * 20}],
        }
    )
    data["kis"] = [{"number": INT32, "justification": "j" * 20_000}]
    data["projects"][0]["name"] = "P" * 500
    data["projects"][0]["value"] = "99999999999999"
    return data


def test_issue7_values_at_every_bound_import_and_can_be_edited_one_past_is_refused():
    data = _at_the_bounds()
    over = json.loads(json.dumps(data))
    over["members"][-1]["name"] = "N" * 301
    over["kis"][0]["number"] = INT32 + 1
    with pytest.raises(DatasetError) as caught:
        load_data(over)
    assert len(caught.value.messages) == 2
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    ds = load_data(yaml.safe_load(text))
    cluster = cluster_import(ds)
    cluster.refresh_from_db()
    cluster.full_clean()  # editable: every field within its column
    member = Member.objects.get(cluster=cluster, key="m" * 40)
    member.full_clean()
    assert member.name == "N" * 300 and member.distance_override_km == Decimal("999999.9")
    year = MemberYear.objects.get(member=member)
    year.full_clean()
    assert year.revenue == Decimal("99999999999999")
    assert km.Kis.objects.get(cluster=cluster).number == INT32
    km.Project.objects.filter(cluster=cluster).order_by("position").first().full_clean()


# ------------------------------------------------------------------ `klaster import`


def _write(tmp_path, data) -> str:
    path = tmp_path / "klaster.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


def _state():
    return Cluster.objects.count(), Member.objects.count(), AuditLog.objects.count()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d.update(kis=[{"number": 10**30}]),
            "kis[0].number: wartość 1000000000000000000000000000000 jest większa niż 2147483647",
        ),
        (
            lambda d: d["members"][1].update(name="x" * 5000),
            "members[1].name: za długie: 5000 znaków, dozwolone najwyżej 300",
        ),
    ],
    ids=["kis-10**30", "name-5000"],
)
def test_issue7_import_refuses_a_value_over_its_bound_naming_the_path(tmp_path, change, expected):
    from klaster.exchange.demo import demo_cluster

    data = json.loads(json.dumps(dump_data(demo_cluster()), default=str))
    change(data)
    before = _state()
    with pytest.raises(CommandError) as caught:
        call_command("import_dataset", _write(tmp_path, data))
    assert expected in str(caught.value)
    assert _state() == before


def test_issue7_import_refuses_a_file_over_the_dataset_limit(tmp_path, settings):
    from klaster.exchange.demo import demo_cluster

    settings.KLASTER_UPLOAD_LIMITS = {"dataset": 10_000}
    path = _write(tmp_path, json.loads(json.dumps(dump_data(demo_cluster()), default=str)))
    before = _state()
    with pytest.raises(CommandError, match="za duży plik: .* dozwolone najwyżej 10000 B"):
        call_command("import_dataset", path)
    assert _state() == before


def test_issue7_import_refuses_a_slug_its_column_cannot_hold(tmp_path):
    from klaster.exchange.demo import demo_cluster

    path = _write(tmp_path, json.loads(json.dumps(dump_data(demo_cluster()), default=str)))
    before = _state()
    with pytest.raises(CommandError, match="slug: .*najwyżej 60"):
        call_command("import_dataset", path, "--slug", "s" * 61)
    assert _state() == before
