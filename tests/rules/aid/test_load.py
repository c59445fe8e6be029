"""Reading a klaster-aid/1 file (AID-DATASET.md): every problem named by its field's path."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from klaster.rules.aid.load import AidFileError, load_data, load_path, valid_nip

DATA = Path(__file__).parent / "data"


def _base() -> dict:
    return {
        "format": "klaster-aid/1",
        "undertakings": [
            {"nip": "6793994090", "name": "Termo-Bud Sp. z o.o."},
            {"nip": "5257153615", "name": "Wawel Invest S.A."},
        ],
        "grants": [
            {
                "id": "g1",
                "undertaking": "6793994090",
                "body": "PUP",
                "regulation": "1407/2013",
                "date": "2021-03-01",
                "pln": "225000.00",
            }
        ],
        "eur_rates": {
            "tables": [{"date": "2021-03-01", "number": "041/A/NBP/2021", "mid": "4.5000"}]
        },
    }


def _errors(data: dict, lang: str = "pl") -> list[str]:
    with pytest.raises(AidFileError) as err:
        load_data(data)
    return err.value.render(lang)  # type: ignore[arg-type]


def test_aid_1_the_data_files_load():
    for name in ("spec_example.yaml", "links.yaml", "events.yaml", "fiscal.yaml", "rates.yaml"):
        f = load_path(DATA / name)
        assert f.undertakings
    f = load_path(DATA / "events.yaml")
    assert f.splits[1].successors[0].equity_pln == Decimal("100000")


def test_aid_a_json_file_reads_as_its_yaml_twin(tmp_path):
    data = yaml.safe_load((DATA / "fiscal.yaml").read_text())

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if hasattr(value, "isoformat") else value

    (tmp_path / "fiscal.json").write_text(json.dumps(plain(data)))
    assert load_path(tmp_path / "fiscal.json") == load_path(DATA / "fiscal.yaml")


def test_aid_bad_nip_is_named_by_its_path():
    data = _base()
    data["undertakings"][0]["nip"] = "6793994091"
    data["grants"][0]["undertaking"] = "679399409"
    lines = _errors(data)
    assert (
        "undertakings[0].nip: to nie jest NIP (10 cyfr z poprawną cyfrą kontrolną): '6793994091'"
        in lines
    )
    assert any(line.startswith("grants[0].undertaking: ") for line in lines)
    assert _errors(data, "en")[0] == (
        "undertakings[0].nip: not a NIP (10 digits with a valid check digit): '6793994091'"
    )


def test_aid_nip_check_digit():
    assert valid_nip("6793994090")
    assert not valid_nip("6793994091")
    assert not valid_nip("679-399-40-90")  # the file takes the 10 digits only
    assert not valid_nip(6793994090)


def test_aid_unknown_key_is_refused_with_its_path():
    data = _base()
    data["grants"][0]["amount"] = "1.00"
    data["extra"] = 1
    lines = _errors(data, "en")
    assert "grants[0].amount: unknown key" in lines
    assert "extra: unknown key" in lines


def test_aid_money_with_three_decimals_is_refused():
    data = _base()
    data["grants"][0]["pln"] = "225000.001"
    assert _errors(data) == [
        "grants[0].pln: to nie jest kwota (liczba większa od 0, najwyżej 2 miejsca po przecinku): "
        "'225000.001'"
    ]
    data["grants"][0]["pln"] = Decimal("10.005")  # a YAML/JSON number, read exactly
    assert _errors(data, "en")[0].startswith("grants[0].pln: not an amount")
    data["grants"][0]["pln"] = 0
    assert _errors(data, "en")[0].startswith("grants[0].pln: not an amount")
    data["grants"][0]["pln"] = 1.5  # a float never passes
    assert _errors(data, "en")[0].startswith("grants[0].pln: not an amount")


def test_aid_a_mid_takes_four_decimals_not_five():
    data = _base()
    data["eur_rates"]["tables"][0]["mid"] = "4.50001"
    assert _errors(data, "en") == [
        "eur_rates.tables[0].mid: not an exchange rate (a decimal above 0 with at most 4 "
        "decimals): '4.50001'"
    ]


def test_aid_bad_date_and_missing_key():
    data = _base()
    data["grants"][0]["date"] = "2024-13-01"
    del data["grants"][0]["body"]
    lines = _errors(data, "en")
    assert "grants[0].date: not a date (YYYY-MM-DD): '2024-13-01'" in lines
    assert "grants[0].body: required key is missing" in lines


def test_aid_sgei_de_minimis_is_outside_the_format():
    data = _base()
    data["grants"][0]["regulation"] = "2023/2832"
    assert _errors(data, "en") == [
        "grants[0].regulation: de minimis for services of general economic interest "
        "('2023/2832') is outside klaster-aid/1".replace("('2023/2832')", "(2023/2832)")
    ]


def test_aid_3_a_regulation_is_dated_within_its_time():
    data = _base()
    data["grants"][0]["date"] = "2024-07-01"
    assert _errors(data, "en") == [
        "grants[0].date: a grant under 1407/2013 is dated 30 June 2024 at the latest, "
        "not 1 July 2024"
    ]
    data["grants"][0].update(regulation="2023/2831", date="2023-12-31")
    assert _errors(data, "en")[0].startswith("grants[0].date: a grant under 2023/2831")


def test_aid_3_a_ceased_undertaking_receives_nothing_and_ceases_once():
    data = _base()
    data["mergers"] = [
        {"date": "2021-03-01", "into": "5257153615", "absorbed": ["6793994090"]},
        {"date": "2022-01-01", "into": "5257153615", "absorbed": ["6793994090"]},
    ]
    lines = _errors(data, "en")
    assert (
        "grants[0].undertaking: 6793994090 ceased on 1 March 2021 (mergers[0]) and no longer "
        "exists on 1 March 2021" in lines
    )
    assert "mergers[1].absorbed[0]: 6793994090 already ceased on 1 March 2021 (mergers[0])" in lines


def test_aid_3_split_references_are_checked():
    data = _base()
    data["splits"] = [
        {
            "date": "2021-03-01",
            "undertaking": "6793994090",
            "successors": [{"nip": "6793994090", "equity_pln": "1.00"}],
            "assign": [{"grant": "g1", "to": "5257153615"}, {"grant": "nope", "to": "6793994090"}],
        }
    ]
    lines = _errors(data, "en")
    assert "splits[0].assign[0].to: 5257153615 is not one of this split's successors" in lines
    assert "splits[0].assign[1].grant: no grant has the id nope" in lines


def test_aid_links_name_undertakings_of_the_file_in_date_order():
    data = _base()
    data["links"] = [
        {"parent": "5257153615", "child": "6791926635", "from": "2020-01-01"},
        {"parent": "5257153615", "child": "6793994090", "from": "2020-01-01", "to": "2019-01-01"},
        {"parent": "5257153615", "child": "6793994090", "from": "2020-01-01", "basis": "e"},
    ]
    lines = _errors(data, "en")
    assert lines[0] == (
        "links[0].child: 6791926635 is not an undertaking of the file (undertakings[].nip)"
    )
    assert lines[1] == "links[1].to: 1 January 2019 is before from (1 January 2020)"
    assert lines[2].startswith("links[2].basis: value 'e' is not allowed")


def test_aid_the_format_is_named_and_the_root_is_an_object():
    assert _errors({**_base(), "format": "klaster-aid/2"}, "en") == [
        "format: unsupported format 'klaster-aid/2'; expected 'klaster-aid/1'"
    ]
    assert _errors([], "pl") == ["(dokument): oczekiwano obiektu (klucz: wartość), jest […]"]


def test_aid_a_file_too_large_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("format: klaster-aid/1\n" + "#" * 2000)
    with pytest.raises(AidFileError) as err:
        load_path(path, max_bytes=1000)
    assert "za duży plik" in err.value.render("pl")[0]


def test_aid_a_file_of_another_type_and_bad_syntax(tmp_path):
    (tmp_path / "aid.txt").write_text("x")
    with pytest.raises(AidFileError):
        load_path(tmp_path / "aid.txt")
    (tmp_path / "aid.yaml").write_text("format: [\n")
    with pytest.raises(AidFileError) as err:
        load_path(tmp_path / "aid.yaml")
    assert "YAML" in err.value.render("en")[0]


def test_aid_many_problems_are_reported_at_once_up_to_a_limit():
    data = _base()
    data["grants"] = [dict(data["grants"][0], id=f"g{i}", pln="x") for i in range(150)]
    lines = _errors(data, "en")
    assert len(lines) == 101
    assert lines[-1] == "stopped after 100 problems"


def test_aid_a_nip_written_as_a_number_is_refused_with_a_hint():
    data = _base()
    data["undertakings"][0]["nip"] = 6793994090
    assert _errors(data, "en")[0] == (
        "undertakings[0].nip: a NIP is text: put it in quotes ('6793994090'), not a number"
    )


def test_aid_nip_check_agrees_with_stdnum():
    import random

    from stdnum.pl import nip

    rnd = random.Random(11)
    for _ in range(3000):
        number = f"{rnd.randrange(10**10):010d}"
        assert valid_nip(number) == nip.is_valid(number), number
