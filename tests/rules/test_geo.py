"""MEM-9 / KKK 4d: offline gazetteer, great-circle distances rounded to 10 km."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klaster.rules import geo
from klaster.rules.dataset.model import (
    Address,
    Cluster,
    Coordinator,
    Dataset,
    Location,
    Member,
)
from klaster.rules.geo import Point, Source

WARSZAWA = Point(52.2297, 21.0122)
KRAKOW = Point(50.0647, 19.9450)
GDANSK = Point(54.3520, 18.6466)
POZNAN = Point(52.4064, 16.9252)
WROCLAW = Point(51.1079, 17.0385)


# --- distances -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "km", "rounded"),
    [
        (WARSZAWA, KRAKOW, 252.0, 250),
        (WARSZAWA, GDANSK, 284.0, 280),
        (POZNAN, WROCLAW, 145.0, 140),
        (KRAKOW, GDANSK, 484.5, 480),
    ],
)
def test_mem9_known_great_circle_distances(a: Point, b: Point, km: float, rounded: int) -> None:
    assert geo.great_circle_km(a, b) == pytest.approx(km, abs=1.5)
    assert geo.distance_km_rounded(a, b) == rounded
    assert geo.great_circle_km(b, a) == pytest.approx(geo.great_circle_km(a, b))


def test_mem9_distance_to_itself_is_zero() -> None:
    assert geo.great_circle_km(WARSZAWA, WARSZAWA) == 0
    assert geo.distance_km_rounded(WARSZAWA, WARSZAWA) == 0


def test_mem9_accepts_model_locations_with_decimals() -> None:
    loc = Location(lat=Decimal("52.2297"), lon=Decimal("21.0122"))
    assert geo.great_circle_km(loc, KRAKOW) == pytest.approx(geo.great_circle_km(WARSZAWA, KRAKOW))


def test_mem9_warszawa_krakow_from_postal_codes() -> None:
    waw = geo.locate("00-001", "Warszawa")
    krk = geo.locate("31-000", "Kraków") or geo.locate(None, "Kraków")
    assert waw is not None and krk is not None
    assert 240 <= geo.great_circle_km(waw, krk) <= 265
    assert geo.distance_km_rounded(waw, krk) == 250


@pytest.mark.parametrize(
    ("km", "expected"),
    [
        (0, 0),
        (4.999, 0),
        (5, 10),  # a 5 rounds up (half up)
        (5.0, 10),
        (14.999999, 10),
        (15, 20),
        (244.99999999, 240),
        (245, 250),
        (245.0, 250),
        (245.0000001, 250),
        (254.9, 250),
        (255, 260),
        (Decimal("195"), 200),
        (Decimal("194.99"), 190),
        (Decimal("200"), 200),
        (1005, 1010),
    ],
)
def test_mem9_rounding_to_10_km_half_up(km: float | Decimal, expected: int) -> None:
    assert geo.round_to_10_km(km) == expected


@pytest.mark.parametrize("bad", [-1, -0.1, math.nan, math.inf])
def test_mem9_rounding_refuses_non_distances(bad: float) -> None:
    with pytest.raises(ValueError):
        geo.round_to_10_km(bad)


@given(st.floats(min_value=0, max_value=2000, allow_nan=False))
def test_mem9_rounding_is_a_multiple_of_ten_within_five(km: float) -> None:
    r = geo.round_to_10_km(km)
    assert r % 10 == 0
    assert abs(r - km) <= 5


# --- postal codes and localities -------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "locality", "voivodeship"),
    [
        ("00-001", "Warszawa", "mazowieckie"),
        ("30-001", "Kraków", "małopolskie"),
        ("90-001", "Łódź", "łódzkie"),
        ("15-001", "Białystok", "podlaskie"),
        ("80-001", "Gdańsk", "pomorskie"),
        ("50-001", "Wrocław", "dolnośląskie"),
        ("65-001", "Zielona Góra", "lubuskie"),
        ("41-600", "Świętochłowice", "śląskie"),
        ("62-030", "Luboń", "wielkopolskie"),
    ],
)
def test_mem9_postal_code_lookup(code: str, locality: str, voivodeship: str) -> None:
    place = geo.locate(code, None)
    assert place is not None
    assert place.source is Source.POSTAL_CODE
    assert (place.locality, place.voivodeship, place.postal_code) == (locality, voivodeship, code)
    assert 49.0 <= place.lat <= 54.9 and 14.1 <= place.lon <= 24.2


@pytest.mark.parametrize("written", ["00001", "00-001", " 00 - 001 ", "00–001"])
def test_mem9_postal_code_spellings(written: str) -> None:
    place = geo.locate(written, None)
    assert place is not None and place.postal_code == "00-001"


def test_mem9_postal_code_wins_over_town_and_says_so() -> None:
    result = geo.geocode("30-001", "Warszawa")
    assert result.place is not None
    assert result.place.locality == "Kraków"
    assert result.place.source is Source.POSTAL_CODE
    assert result.place.note is not None and "30-001" in result.place.note


def test_mem9_village_served_by_post_office_elsewhere_keeps_code_position() -> None:
    # The town matches the post office's locality: no note.
    place = geo.locate("90-001", "Łódź")
    assert place is not None and place.note is None


@pytest.mark.parametrize(
    "written",
    ["Łódź", "łódź", "LODZ", "lodz", "m. Łódź", "M.Łódź", "Miasto Łódź", "  Łódź  ", "90-001 Łódź"],
)
def test_mem9_locality_diacritics_case_and_prefixes(written: str) -> None:
    place = geo.locate(None, written)
    assert place is not None
    assert place.source is Source.LOCALITY
    assert (place.locality, place.voivodeship) == ("Łódź", "łódzkie")


@pytest.mark.parametrize(
    ("written", "locality"),
    [
        ("m. st. Warszawa", "Warszawa"),
        ("Miasto Stołeczne Warszawa", "Warszawa"),
        ("kedzierzyn kozle", "Kędzierzyn-Koźle"),
        ("ZIELONA GÓRA", "Zielona Góra"),
        ("Swietochlowice", "Świętochłowice"),
        ("Bielsko Biała", "Bielsko-Biała"),
    ],
)
def test_mem9_locality_normalisation(written: str, locality: str) -> None:
    place = geo.locate(None, written)
    assert place is not None and place.locality == locality


def test_mem9_district_name_falls_back_to_the_city_with_a_note() -> None:
    place = geo.locate(None, "Warszawa-Wola")
    assert place is not None and place.locality == "Warszawa"
    assert place.note is not None and "Warszawa-Wola" in place.note


def test_mem9_ambiguous_town_is_reported_with_candidates() -> None:
    result = geo.geocode(None, "Józefów")
    assert result.place is None
    assert len(result.candidates) == 3
    assert {c.voivodeship for c in result.candidates} == {"lubelskie", "mazowieckie"}
    assert result.problem is not None
    assert "Józefów" in result.problem and "kod pocztowy" in result.problem


def test_mem9_ambiguous_town_resolved_by_postal_code() -> None:
    place = geo.locate("05-410", "Józefów")
    assert place is not None and place.voivodeship == "mazowieckie"
    assert place.source is Source.POSTAL_CODE


def test_mem9_ambiguous_town_resolved_by_leading_digits_of_an_unknown_code() -> None:
    place = geo.locate("24-399", "Józefów")  # not in the wykaz; 24-340 is Józefów
    assert place is not None
    assert place.source is Source.LOCALITY
    assert place.voivodeship == "lubelskie"
    assert place.lat == pytest.approx(51.03, abs=0.05)
    assert place.note is not None and "24-399" in place.note


def test_mem9_ambiguous_town_resolved_by_voivodeship() -> None:
    place = geo.locate(None, "Józefów", voivodeship="Mazowieckie")
    assert place is not None and place.voivodeship == "mazowieckie"


def test_mem9_unplaceable_address_has_a_polish_message() -> None:
    result = geo.geocode("99-999", "Nibylandia")
    assert result.place is None
    assert result.problem is not None
    assert "Nie znaleziono" in result.problem
    assert "99-999" in result.problem and "Nibylandia" in result.problem
    assert "ręcznie" in result.problem


def test_mem9_empty_address_has_a_polish_message() -> None:
    result = geo.geocode(None, None)
    assert result.place is None and result.problem is not None
    assert result.problem.startswith("Brak adresu")


def test_mem9_bad_postal_code_format_falls_back_to_town() -> None:
    result = geo.geocode("abc", "Gdańsk")
    assert result.place is not None and result.place.locality == "Gdańsk"
    assert result.place.note is not None and "NN-NNN" in result.place.note


def test_mem9_misgeocoded_code_is_marked_approximate() -> None:
    place = geo.locate("86-181", None)  # Serock, kujawsko-pomorskie (source put it near Warsaw)
    assert place is not None and place.approximate
    assert place.lon < 19.5  # not at Serock by Warsaw (21.03)
    assert "przybliżone" in place.label


def test_mem9_gazetteer_coverage() -> None:
    info = geo.gazetteer_info()
    assert info.postal_codes > 20000
    assert info.places > 3000
    assert "ODbL" in info.source
    assert geo.postal_code_locality("00-001") == ("Warszawa", "mazowieckie")
    assert geo.postal_code_locality("99-999") is None


def test_mem9_lookups_in_bulk() -> None:
    """10,000 lookups, half by postal code (with a town), half by a town's name alone: every code
    answers with its own position, every name with a place of that name or the candidates to
    choose from. How long they take is printed by benchmarks/bench_rules_timings.py, never
    asserted here."""
    geo.load()
    codes = geo.postal_codes()
    sample = [codes[(i * 7919) % len(codes)] for i in range(10_000)]
    towns = [geo.postal_code_locality(c)[0] for c in sample[:100]]  # type: ignore[index]
    for i, code in enumerate(sample):
        town = towns[i % 100]
        if i % 2:
            found = geo.geocode(code, town)
            assert found.place is not None
            assert (found.place.source, found.place.postal_code) == (Source.POSTAL_CODE, code)
        else:
            found = geo.geocode(None, town)
            if found.place is None:
                assert len(found.candidates) > 1
                assert {c.locality for c in found.candidates} == {town}
            else:
                assert (found.place.source, found.place.locality) == (Source.LOCALITY, town)


# --- members ---------------------------------------------------------------------------


def _member(mid: str, **kw: object) -> Member:
    return Member(id=mid, name=f"Firma {mid}", type="small", **kw)  # type: ignore[arg-type]


COORD = _member("m000", address=Address("ul. Piotrkowska 1", "90-001", "Łódź"))


def test_mem9_member_distance_from_postal_code() -> None:
    m = _member("m001", address=Address("ul. Długa 1", "00-001", "Warszawa"))
    d = geo.member_distance(m, COORD)
    assert d.source is Source.POSTAL_CODE
    assert d.km == Decimal(120)
    assert d.exact_km == pytest.approx(119.5, abs=3)
    assert not d.is_override
    assert d.label == "120 km (z kodu pocztowego)"


def test_mem9_member_manual_coordinates_win_over_address() -> None:
    m = _member(
        "m002",
        address=Address(None, "00-001", "Warszawa"),
        location=Location(Decimal("50.0647"), Decimal("19.9450")),
    )
    d = geo.member_distance(m, COORD)
    assert d.source is Source.COORDINATES
    assert d.place is not None and d.place.lat == pytest.approx(50.0647)
    assert d.km == Decimal(190)


def test_mem9_manual_override_is_shown_as_such() -> None:
    m = _member("m003", address=Address(None, "00-001", "Warszawa"), distance_km=Decimal("123"))
    d = geo.member_distance(m, COORD)
    assert d.is_override
    assert d.km == Decimal("123")  # as entered, not recomputed
    assert d.exact_km is None
    assert d.place is not None  # the seat is still shown
    assert "ręcznie" in d.label


def test_mem9_unplaceable_member_gets_a_message_not_a_distance() -> None:
    m = _member("m004", address=Address(None, "99-999", "Nibylandia"))
    d = geo.member_distance(m, COORD)
    assert d.km is None and d.source is None
    assert d.problem is not None and "Nibylandia" in d.problem
    assert d.label.startswith("brak")


def test_mem9_unplaceable_coordinator_is_named_in_the_message() -> None:
    coord = _member("m000", address=Address(None, None, "Nibylandia"))
    m = _member("m001", address=Address(None, "00-001", "Warszawa"))
    d = geo.member_distance(m, coord)
    assert d.km is None
    assert d.problem is not None and "koordynatora" in d.problem


def test_mem9_member_distances_for_a_dataset() -> None:
    members = (
        COORD,
        _member("m001", address=Address(None, "00-001", "Warszawa")),
        _member("m002"),
    )
    ds = Dataset(cluster=Cluster(name="K", coordinator=Coordinator(member="m000")), members=members)
    out = geo.member_distances(ds)
    assert out["m000"].km == 0
    assert out["m001"].km == 120
    assert out["m002"].km is None and out["m002"].problem is not None


def test_postal_code_position_is_what_locate_places_by_the_code_alone():
    """Issue 8: `klaster kkk evaluate` places members by postal_code_position(), which reads
    only the codes' rows: the same coordinates as locate(code, None), for every code and for
    codes written otherwise, and None where locate places nothing."""
    for code in geo.postal_codes():
        place = geo.locate(code, None)
        assert place is not None
        assert geo.postal_code_position(code) == (place.lat, place.lon)
    for written in ("00001", " 00 - 001 ", "00–001", "99-999", "0000", "", None, "ab-cde"):
        place = geo.locate(written, None)
        expected = None if place is None else (place.lat, place.lon)
        assert geo.postal_code_position(written) == expected
