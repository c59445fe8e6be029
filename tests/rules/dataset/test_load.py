"""Reading the dataset format: every error names its field's path (DATASET.md, MEM-3, MEM-4)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from klaster.rules.dataset.errors import DatasetError
from klaster.rules.dataset.load import MAX_ISSUES, load_data, load_path, load_text
from klaster.rules.dataset.model import Dataset

DATA = Path(__file__).parent / "data"


def base() -> dict[str, Any]:
    """A small valid dataset in its JSON form."""
    return {
        "format": "klaster-dataset/1",
        "cluster": {"name": "Klaster", "coordinator": {"member": "m0"}},
        "members": [
            {
                "id": "m0",
                "name": "Koordynator",
                "type": "iob",
                "nip": "5260250274",
                "regon": "000331501",
                "krs": "0000012345",
                "joined": "2012-01-23",
            },
            {
                "id": "m1",
                "name": "Firma",
                "type": "small",
                "independent": True,
                "years": [{"year": 2020, "revenue": "1200000.10"}],
            },
            {"id": "m2", "name": "Uczelnia", "type": "science", "science_category": "A"},
        ],
        "projects": [{"id": "p1", "name": "Projekt", "participants": ["m0", "m1"]}],
    }


def errors_of(data: Any) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        load_data(data)
    return caught.value.messages


def test_base_is_valid() -> None:
    ds = load_data(base())
    assert [m.id for m in ds.members] == ["m0", "m1", "m2"]
    assert ds.members[1].years[0].revenue == Decimal("1200000.10")
    assert ds.projects[0].participants == ("m0", "m1")


def test_dataset_md_example_loads() -> None:
    ds = load_path(DATA / "dataset_md_example.yaml")
    assert ds.as_of == dt.date(2021, 6, 30)
    assert ds.cluster.coordinator.platforms.sales is True
    assert ds.members[0].location is not None and ds.members[0].location.lat == Decimal("53.1325")
    assert ds.members[0].years[0].fte == Decimal("12.5")
    assert ds.startup_cooperations[0].from_ == dt.date(2020, 1, 1)
    assert ds.experts[0].scores == (("9", 5), ("10", 2))
    assert ds.panel is not None and ds.panel.pandemic == 7


Mutation = Callable[[dict[str, Any]], object]


def _set(path: str, value: object) -> Mutation:
    """A mutation setting ``a.b[0].c`` (dotted, with [i]) to ``value``; ``...`` deletes."""

    def apply(data: dict[str, Any]) -> None:
        parts: list[str | int] = []
        for piece in path.replace("]", "").split("."):
            name, *indices = piece.split("[")
            if name:
                parts.append(name)
            parts += [int(i) for i in indices]
        target: Any = data
        for part in parts[:-1]:
            target = target[part]
        if value is ...:
            del target[parts[-1]]
        else:
            target[parts[-1]] = value

    return apply


ERRORS: list[tuple[str, Mutation, list[str]]] = [
    # DATASET.md: unknown keys are an error (a misspelt key must not silently drop data)
    ("unknown_key", _set("members[1].nipp", "5260250274"), ["members[1].nipp: nieznany klucz"]),
    ("unknown_top_level_key", _set("member", []), ["member: nieznany klucz"]),
    ("missing_key", _set("members[1].name", ...), ["members[1].name: brak wymaganego klucza"]),
    ("missing_members", _set("members", ...), ["members: brak wymaganego klucza"]),
    ("format", _set("format", "klaster-dataset/2"), ["format: nieobsługiwana wartość 'klaster-dataset/2'; oczekiwano 'klaster-dataset/1'"]),
    ("format_missing", _set("format", ...), ["format: brak wymaganego klucza"]),
    ("date_not_real", _set("members[0].joined", "2015-13-01"), ["members[0].joined: niepoprawna data: '2015-13-01'"]),
    ("date_feb_30", _set("members[0].joined", "2021-02-30"), ["members[0].joined: niepoprawna data: '2021-02-30'"]),
    ("date_short", _set("members[0].joined", "2015-1-1"), ["members[0].joined: niepoprawna data: '2015-1-1'"]),
    ("date_basic_iso", _set("members[0].joined", "20150101"), ["members[0].joined: niepoprawna data: '20150101'"]),
    ("date_with_newline", _set("members[0].joined", "2015-01-01\n"), ["members[0].joined: niepoprawna data: '2015-01-01\\n'"]),
    ("date_type", _set("members[0].joined", 2015), ["members[0].joined: oczekiwano napisu lub null, jest liczba całkowita: 2015"]),
    # MEM-3: exactly one of the seven member types; MEM-5: partner or strategic partner
    ("mem_3_type", _set("members[1].type", "smal"), ["members[1].type: niedozwolona wartość 'smal'; dozwolone: 'micro', 'small', 'medium', 'large', 'iob', 'science', 'other'"]),
    ("mem_5_category", _set("members[1].category", "honorary"), ["members[1].category: niedozwolona wartość 'honorary'; dozwolone: 'partner', 'strategic_partner'"]),
    ("mem_3_science_category_value", _set("members[2].science_category", "A++"), ["members[2].science_category: niedozwolona wartość 'A++'; dozwolone: 'A+', 'A', 'B+', 'B', 'C'"]),
    ("mem_3_science_category_only_for_science", _set("members[1].science_category", "A"), ["members[1].science_category: dotyczy tylko jednostek naukowych (type: science), a typ to 'small'"]),
    ("mem_3_empty_name", _set("members[1].name", ""), ["members[1].name: pusta wartość"]),
    # MEM-4: identifiers with their check digits, the message names the field
    ("mem_4_nip_checksum", _set("members[0].nip", "5260250275"), ["members[0].nip: nieprawidłowa cyfra kontrolna: '5260250275'"]),
    ("mem_4_nip_length", _set("members[0].nip", "526025027"), ["members[0].nip: wymagane 10 cyfr: '526025027'"]),
    ("mem_4_regon_checksum", _set("members[0].regon", "000331502"), ["members[0].regon: nieprawidłowa cyfra kontrolna: '000331502'"]),
    ("mem_4_regon_length", _set("members[0].regon", "0003315"), ["members[0].regon: wymagane 9 lub 14 cyfr: '0003315'"]),
    ("mem_4_krs_format", _set("members[0].krs", "12345"), ["members[0].krs: wymagane 10 cyfr: '12345'"]),
    ("mem_4_nip_number_in_yaml", _set("members[0].nip", 5260250274), ["members[0].nip: oczekiwano napisu lub null, jest liczba całkowita: 5260250274 (ujmij wartość w cudzysłów)"]),
    ("duplicate_member_id", _set("members[2].id", "m0"), ["members[2].id: powtórzony identyfikator 'm0' (pierwszy raz: members[0])"]),
    ("duplicate_project_id", lambda d: d["projects"].append({"id": "p1", "name": "Drugi"}), ["projects[1].id: powtórzony identyfikator 'p1' (pierwszy raz: projects[0])"]),
    ("duplicate_participant", _set("projects[0].participants", ["m0", "m1", "m0"]), ["projects[0].participants[2]: członek 'm0' wymieniony więcej niż raz"]),
    ("duplicate_year", lambda d: d["members"][1]["years"].append({"year": 2020}), ["members[1].years[1]: rok 2020 powtórzony"]),
    ("left_before_joined", _set("members[0].left", "2011-12-31"), ["members[0].left: data 2011-12-31 jest wcześniejsza niż joined (2012-01-23)"]),
    ("project_end_before_start", lambda d: d["projects"][0].update(start="2020-01-02", end="2020-01-01"), ["projects[0].end: data 2020-01-01 jest wcześniejsza niż start (2020-01-02)"]),
    # money and numbers: decimal number or numeric string, never negative
    ("money_text", _set("members[1].years[0].revenue", "1 200 000,10"), ["members[1].years[0].revenue: niepoprawna liczba: '1 200 000,10'"]),
    ("money_negative", _set("members[1].years[0].revenue", -5), ["members[1].years[0].revenue: wartość -5 jest mniejsza niż 0"]),
    ("money_negative_text", _set("members[1].years[0].revenue", "-5"), ["members[1].years[0].revenue: niepoprawna liczba: '-5'"]),
    ("money_exponent", _set("members[1].years[0].revenue", "1e6"), ["members[1].years[0].revenue: niepoprawna liczba: '1e6'"]),
    ("money_bool", _set("members[1].years[0].revenue", True), ["members[1].years[0].revenue: oczekiwano liczby lub napisu lub null, jest wartość logiczna: true"]),
    ("money_nan", _set("members[1].years[0].revenue", Decimal("NaN")), ["members[1].years[0].revenue: niepoprawna liczba: NaN"]),
    ("latitude_range", _set("members[0].location", {"lat": "91.5", "lon": 20}), ["members[0].location.lat: wartość 91.5 jest większa niż 90"]),
    ("year_type", _set("members[1].years[0].year", "2020"), ["members[1].years[0].year: oczekiwano liczby całkowitej, jest napis: '2020'"]),
    ("kis_at_most_3", _set("kis", [{"number": n} for n in (1, 2, 3, 4)]), ["kis: za dużo pozycji: 4, dozwolone najwyżej 3"]),
    ("kis_duplicate", _set("kis", [{"number": 5}, {"number": 5}]), ["kis[1].number: numer 5 powtórzony"]),
    ("panel_score", _set("panel", {"successes_strategy": 11, "knowledge_transfer": 0, "public_policies": 0, "pandemic": 0}), ["panel.successes_strategy: wartość 11 jest większa niż 10"]),
    ("panel_missing_area", _set("panel", {"successes_strategy": 1, "knowledge_transfer": 0, "public_policies": 0}), ["panel.pandemic: brak wymaganego klucza"]),
    ("expert_score_key", _set("experts", [{"name": "E", "scores": {"S2-9": 1}}]), ["experts[0].scores.S2-9: niepoprawny klucz 'S2-9'"]),
    ("expert_score_points", _set("experts", [{"name": "E", "scores": {"9": -1}}]), ["experts[0].scores.9: wartość -1 jest mniejsza niż 0"]),
    ("event_kind", _set("events", [{"name": "E", "kind": "conference", "date": "2020-01-01"}]), ["events[0].kind: niedozwolona wartość 'conference'; dozwolone: 'industry', 'cluster', 'fair'"]),
    ("list_expected", _set("projects[0].participants", "m0"), ["projects[0].participants: oczekiwano listy lub null, jest napis: 'm0'"]),
    ("object_expected", _set("cluster", "Klaster"), ["cluster: oczekiwano obiektu (klucz: wartość), jest napis: 'Klaster'"]),
    ("not_an_object", lambda d: d.clear(), ["format: brak wymaganego klucza", "cluster: brak wymaganego klucza", "members: brak wymaganego klucza"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mutate", "expected"), [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS]
)
def test_each_error_names_its_path(mutate: Mutation, expected: list[str]) -> None:
    data = base()
    mutate(data)
    assert errors_of(data) == expected


REFERENCES: list[tuple[str, dict[str, Any], str]] = [
    # (top-level list or "cluster", the record, the path of the bad reference)
    ("projects", {"id": "p2", "name": "P", "participants": ["m1", "mx"]}, "projects[1].participants[1]"),
    ("shared_resources", {"name": "Lab", "kind": "laboratory", "provider": "mx"}, "shared_resources[0].provider"),
    ("funding_applications", {"name": "W", "submitted": "2020-01-01", "applicants": ["mx"]}, "funding_applications[0].applicants[0]"),
    ("ip_rights", {"kind": "patent", "holder": "mx"}, "ip_rights[0].holder"),
    ("innovations", {"name": "I", "introduced": "2020-01-01", "by": ["m1", "mx"]}, "innovations[0].by[1]"),
    ("events", {"name": "E", "kind": "fair", "date": "2020-01-01", "participants": ["mx"]}, "events[0].participants[0]"),
    ("missions", {"name": "M", "kind": "mission", "date": "2020-01-01", "participants": ["mx"]}, "missions[0].participants[0]"),
    ("services", {"name": "S", "kind": "ecosystem", "date": "2020-01-01", "beneficiaries": ["mx"]}, "services[0].beneficiaries[0]"),
    ("dual_education", {"kind": "curricula", "entities": ["mx"]}, "dual_education[0].entities[0]"),
    ("startup_cooperations", {"member": "mx", "startup": "S"}, "startup_cooperations[0].member"),
    ("circular_economy", {"kind": "training", "entities": ["mx"]}, "circular_economy[0].entities[0]"),
    ("low_emission", {"kind": "rd", "entities": ["m0", "mx"]}, "low_emission[0].entities[1]"),
    ("joint_products", {"name": "J", "introduced": "2020-01-01", "offered_by": ["mx"]}, "joint_products[0].offered_by[0]"),
]  # fmt: skip


@pytest.mark.parametrize(("block", "record", "path"), REFERENCES, ids=[r[0] for r in REFERENCES])
def test_every_member_reference_must_resolve(block: str, record: dict[str, Any], path: str) -> None:
    data = base()
    data.setdefault(block, []).append(record)
    assert errors_of(data) == [f"{path}: nieznany członek 'mx' (brak w members[].id)"]


def test_coordinator_must_be_a_member() -> None:
    data = base()
    data["cluster"]["coordinator"]["member"] = "m9"
    assert errors_of(data) == [
        "cluster.coordinator.member: nieznany członek 'm9' (brak w members[].id)"
    ]


def test_all_errors_are_collected_not_just_the_first() -> None:
    data = base()
    data["members"][0]["nip"] = "5260250275"
    data["members"][0]["joined"] = "2015-13-01"  # the record is broken, its own checks still run
    data["members"][1]["type"] = "smal"
    data["members"][2]["id"] = "m0"
    data["projects"][0]["participants"] = ["m0", "mx"]
    assert errors_of(data) == [
        "members[0].joined: niepoprawna data: '2015-13-01'",
        "members[0].nip: nieprawidłowa cyfra kontrolna: '5260250275'",
        "members[1].type: niedozwolona wartość 'smal'; dozwolone: 'micro', 'small', 'medium', 'large', 'iob', 'science', 'other'",
        "members[2].id: powtórzony identyfikator 'm0' (pierwszy raz: members[0])",
        "projects[0].participants[1]: nieznany członek 'mx' (brak w members[].id)",
    ]


def test_errors_stop_at_a_cap() -> None:
    data = base()
    for i in range(MAX_ISSUES + 50):
        data["members"][1][f"x{i}"] = 1
    messages = errors_of(data)
    assert len(messages) == MAX_ISSUES + 1
    assert messages[0] == "members[1].x0: nieznany klucz"
    assert messages[-1] == f"przerwano po {MAX_ISSUES} błędach"


def test_a_document_that_is_not_an_object() -> None:
    assert errors_of([1, 2]) == ["(dokument): oczekiwano obiektu (klucz: wartość), jest lista: […]"]
    assert errors_of(None) == ["(dokument): oczekiwano obiektu (klucz: wartość), jest null: null"]


def test_errors_render_in_english_too() -> None:
    data = base()
    data["members"][0]["joined"] = "2015-13-01"
    data["members"][0]["nip"] = "5260250275"
    data["members"][1]["nipp"] = "x"
    with pytest.raises(DatasetError) as caught:
        load_data(data)
    assert caught.value.render("en") == [
        "members[0].joined: not a date: '2015-13-01'",
        "members[0].nip: invalid check digit: '5260250275'",
        "members[1].nipp: unknown key",
    ]
    assert caught.value.errors == caught.value.messages
    assert str(caught.value) == "\n".join(caught.value.messages)
    assert [i.path for i in caught.value.issues] == [
        "members[0].joined",
        "members[0].nip",
        "members[1].nipp",
    ]


def test_mem_4_identifiers_are_stored_compact() -> None:
    data = base()
    data["members"][0].update(nip="PL 526-025-02-74", regon="000-331-501", krs="0000 012 345")
    m0 = load_data(data).members[0]
    assert (m0.nip, m0.regon, m0.krs) == ("5260250274", "000331501", "0000012345")


def test_nulls_read_as_defaults() -> None:
    data = base()
    data.update(staff=None, as_of=None, panel=None)
    data["members"][1].update(independent=None, years=None, left=None)
    ds = load_data(data)
    assert ds.staff == () and ds.as_of is None and ds.panel is None
    assert ds.members[1].years == () and ds.members[1].independent is None


def test_load_data_accepts_python_dates_and_floats() -> None:
    """A caller's own objects (say from yaml.safe_load) may hold dates and floats already."""
    data = base()
    data["members"][0]["joined"] = dt.date(2012, 1, 23)
    data["members"][1]["years"][0]["revenue"] = 1200000.1
    data["members"][1]["years"][0]["fte"] = 12
    ds = load_data(data)
    assert ds.members[0].joined == dt.date(2012, 1, 23)
    assert ds.members[1].years[0].revenue == Decimal("1200000.1")
    assert ds.members[1].years[0].fte == Decimal(12)
    data["members"][0]["joined"] = dt.datetime(2012, 1, 23, 10, 0)
    assert errors_of(data) == ["members[0].joined: niepoprawna data: '2012-01-23T10:00:00'"]


def test_load_data_does_not_change_its_input() -> None:
    data = base()
    data["members"][0]["nip"] = "526-025-02-74"
    data["experts"] = [{"name": "E", "scores": {9: 1}}]
    before = copy.deepcopy(data)
    load_data(data)
    assert data == before


# -- YAML and JSON text ----------------------------------------------------------------

YAML_BASE = """\
format: klaster-dataset/1
cluster: {name: Klaster, coordinator: {member: m0}}
members:
- {id: m0, name: Koordynator, type: iob}
"""


def test_yaml_money_stays_exact() -> None:
    ds = load_text(
        YAML_BASE
        + """\
- id: m1
  name: Firma
  type: small
  years:
  - {year: 2019, revenue: 1200000.10, export_revenue: 0.1, rd_expenditure: 0.2, fte: 12.5}
  - {year: 2020, revenue: "1200000.10", export_revenue: 1_000.50, rd_expenditure: 7}
""",
        "yaml",
    )
    y2019, y2020 = ds.members[1].years
    assert str(y2019.revenue) == "1200000.10"  # not 1200000.1, not 1200000.0999999999
    assert y2019.export_revenue is not None and y2019.rd_expenditure is not None
    assert y2019.export_revenue + y2019.rd_expenditure == Decimal("0.3")  # 0.1 + 0.2, exactly
    assert y2019.fte == Decimal("12.5")
    assert str(y2020.revenue) == "1200000.10"
    assert y2020.export_revenue == Decimal("1000.50")
    assert y2020.rd_expenditure == Decimal(7)
    assert all(isinstance(v, Decimal) for v in (y2019.revenue, y2019.fte, y2020.rd_expenditure))


def test_json_money_stays_exact() -> None:
    text = (
        '{"format": "klaster-dataset/1", "cluster": {"name": "K", "coordinator": {"member": "m0"}},'
    )
    text += ' "members": [{"id": "m0", "name": "K", "type": "iob", "years": [{"year": 2020,'
    text += ' "revenue": 1200000.10, "export_revenue": 0.1, "rd_expenditure": 0.2}]}]}'
    (year,) = load_text(text, "json").members[0].years
    assert str(year.revenue) == "1200000.10"
    assert year.export_revenue is not None and year.rd_expenditure is not None
    assert year.export_revenue + year.rd_expenditure == Decimal("0.3")


@pytest.mark.parametrize("word", ["yes", "on", "true", "True"])
def test_yaml_1_1_booleans_are_booleans(word: str) -> None:
    ds = load_text(
        YAML_BASE + f"- {{id: m1, name: Firma, type: small, industry40: {word}}}\n", "yaml"
    )
    assert ds.members[1].industry40 is True


def test_yaml_boolean_word_in_a_text_field_is_reported_with_a_hint() -> None:
    with pytest.raises(DatasetError) as caught:
        load_text(YAML_BASE + "- {id: m1, name: no, type: small}\n", "yaml")
    assert caught.value.messages == [
        "members[1].name: oczekiwano napisu, jest wartość logiczna: false (ujmij wartość w cudzysłów)"
    ]


def test_yaml_unquoted_expert_indicator_keys_are_text() -> None:
    ds = load_text(YAML_BASE + "experts:\n- {name: E, scores: {9: 5, 10: 2, '11': 1}}\n", "yaml")
    assert ds.experts[0].scores == (("9", 5), ("10", 2), ("11", 1))


def test_yaml_key_given_both_as_number_and_text_is_a_duplicate() -> None:
    with pytest.raises(DatasetError) as caught:
        load_text(YAML_BASE + "experts:\n- {name: E, scores: {9: 5, '9': 2}}\n", "yaml")
    assert caught.value.messages == ["experts[0].scores.9: powtórzony klucz '9'"]


def test_yaml_dates_are_checked_with_their_path() -> None:
    with pytest.raises(DatasetError) as caught:
        load_text(
            YAML_BASE + "- {id: m1, name: F, type: small, joined: 2015-13-01, left: 2020-02-30}\n",
            "yaml",
        )
    assert caught.value.messages == [
        "members[1].joined: niepoprawna data: '2015-13-01'",
        "members[1].left: niepoprawna data: '2020-02-30'",
    ]


def test_yaml_repeated_key_is_an_error() -> None:
    with pytest.raises(DatasetError) as caught:
        load_text(YAML_BASE + "- id: m1\n  name: A\n  type: small\n  name: B\n", "yaml")
    assert caught.value.messages == ["wiersz 8, kolumna 3: powtórzony klucz 'name'"]


def test_yaml_syntax_error_names_line_and_column() -> None:
    with pytest.raises(DatasetError) as caught:
        load_text(YAML_BASE + "- {id: m1, name: [\n", "yaml")
    (message,) = caught.value.messages
    assert message.startswith("wiersz 6, kolumna 1: błąd składni YAML: ")


def test_json_syntax_error_names_line_and_column() -> None:
    with pytest.raises(DatasetError) as caught:
        load_text('{"format": "klaster-dataset/1",\n "cluster": }', "json")
    assert caught.value.messages == ["wiersz 2, kolumna 13: błąd składni JSON: Expecting value"]


def test_json_nan_is_not_a_number() -> None:
    text = (
        '{"format": "klaster-dataset/1", "cluster": {"name": "K", "coordinator": {"member": "m0"}},'
    )
    text += ' "members": [{"id": "m0", "name": "K", "type": "iob", "distance_km": NaN}]}'
    with pytest.raises(DatasetError) as caught:
        load_text(text, "json")
    assert caught.value.messages == ["members[0].distance_km: niepoprawna liczba: 'NaN'"]


def test_yaml_anchors_and_merge_keys_read_as_the_full_loader_does() -> None:
    ds = load_text(
        YAML_BASE
        + """\
- &firm {id: m1, name: Firma, type: small, joined: 2020-01-01}
- <<: *firm
  id: m2
events:
- {name: E, kind: fair, date: 2020-01-01, participants: &both [m1, m2]}
- {name: F, kind: fair, date: 2020-02-01, participants: *both}
""",
        "yaml",
    )
    assert [(m.id, m.name, m.joined) for m in ds.members[1:]] == [
        ("m1", "Firma", dt.date(2020, 1, 1)),
        ("m2", "Firma", dt.date(2020, 1, 1)),
    ]
    assert ds.events[1].participants == ("m1", "m2")


def test_yaml_with_two_documents_is_refused() -> None:
    with pytest.raises(DatasetError) as caught:
        load_text(YAML_BASE + "---\n" + YAML_BASE, "yaml")
    (message,) = caught.value.messages
    assert "błąd składni YAML" in message


def test_empty_yaml_file() -> None:
    with pytest.raises(DatasetError) as caught:
        load_text("# nothing here\n", "yaml")
    assert caught.value.messages == [
        "(dokument): oczekiwano obiektu (klucz: wartość), jest null: null"
    ]


# -- files -----------------------------------------------------------------------------


def test_load_path_by_file_ending(tmp_path: Path) -> None:
    yaml_file = tmp_path / "k.YML"
    yaml_file.write_text(YAML_BASE, encoding="utf-8")
    json_file = tmp_path / "k.json"
    json_file.write_text(
        '\ufeff{"format": "klaster-dataset/1", "cluster": {"name": "Klaster", "coordinator":'
        ' {"member": "m0"}}, "members": [{"id": "m0", "name": "Koordynator", "type": "iob"}]}',
        encoding="utf-8",
    )
    assert load_path(yaml_file) == load_path(json_file) == load_path(str(json_file))
    assert isinstance(load_path(yaml_file), Dataset)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("k.txt", b"", "{path}: nieobsługiwany rodzaj pliku '.txt'; dozwolone: .yaml, .yml, .json"),
        ("k", b"", "{path}: nieobsługiwany rodzaj pliku 'k'; dozwolone: .yaml, .yml, .json"),
        ("k.yaml", b"name: \xff\xfe", "{path}: plik nie jest zapisany w UTF-8"),
        ("missing.json", None, "{path}: nie można odczytać pliku: No such file or directory"),
    ],
)
def test_load_path_errors(tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DatasetError) as caught:
        load_path(path)
    assert caught.value.messages == [message.format(path=path)]


@pytest.mark.parametrize(
    ("text", "fmt"),
    [  # absurd nesting is refused by the depth limit before parsing: test_limits.py
        ('{"format": ' + "9" * 5000 + "}", "json"),
        ("x: " + "9" * 5000 + "\n", "yaml"),
    ],
    ids=["json_huge_int", "yaml_huge_int"],
)
def test_absurd_text_is_a_syntax_error_not_a_crash(text: str, fmt: str) -> None:
    with pytest.raises(DatasetError) as caught:
        load_text(text, fmt)
    (message,) = caught.value.messages
    assert message.startswith(f"wiersz ?, kolumna ?: błąd składni {fmt.upper()}: ")
