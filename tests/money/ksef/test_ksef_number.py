"""The KSeF number (FIN-2: invoices through KSeF): 35 characters, CRC-8 over the first 32."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ksef_client.utils.ksef_number import validate_ksef_number

from klaster.money.ksef import ksef_checksum, ksef_number_valid, make_ksef_number
from klaster.money.ksef.number import crc8

# the ministry's examples: ksef-api faktury/numer-ksef.md and an UPO of faktury/upo/przyklady
OFFICIAL = ["5265877635-20250826-0100001AF629-AF", "5265877635-20250916-0200A0D6723E-C2"]


@pytest.mark.parametrize("number", OFFICIAL)
def test_fin_2_official_ksef_numbers_are_valid(number):
    assert len(number) == 35
    assert ksef_number_valid(number)


def test_crc8_is_poly_07_init_00():
    # the CRC-8 (SMBus) check value: "123456789" -> 0xF4
    assert crc8(b"123456789") == 0xF4
    assert ksef_checksum("5265877635-20250826-0100001AF629") == "AF"


@pytest.mark.parametrize(
    "number",
    [
        "5265877635-20250826-0100001AF629-AE",  # wrong checksum
        "5265877635-20250826-0100001af629-AF",  # lower-case hex
        "5265877635-20250826-0100001AF629AF",  # a dash missing (34 characters)
        "5265877635-20250826-0100001AF6-29-AF",  # dashes moved
        "5265877635-20250826-0100001AF629-AF ",  # 36 characters
        "526587763-520250826-0100001AF629-AF",  # the NIP one digit short
        "5265877635-20250231-0100001AF629-AF",  # 31 February
        "526587763\u0665-20250826-0100001AF629-AF",  # a non-ASCII digit
        "",
    ],
)
def test_fin_2_malformed_ksef_numbers_are_refused(number):
    assert not ksef_number_valid(number)


def test_a_built_number_with_another_days_date_fails():
    number = make_ksef_number("5260250274", dt.date(2026, 7, 1), "0123456789AB")
    tampered = number.replace("20260701", "20260702")
    assert ksef_number_valid(number)
    assert not ksef_number_valid(tampered)


def test_make_ksef_number_refuses_bad_parts():
    with pytest.raises(ValueError, match="NIP"):
        make_ksef_number("526025027", dt.date(2026, 7, 1), "0123456789AB")
    with pytest.raises(ValueError, match="technical"):
        make_ksef_number("5260250274", dt.date(2026, 7, 1), "0123456789ab")


nips = st.from_regex(r"[1-9][1-9][1-9][0-9]{7}", fullmatch=True)
days = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2049, 12, 31))
technical = st.text(alphabet="0123456789ABCDEF", min_size=12, max_size=12)


@given(nip=nips, day=days, tech=technical)
def test_fin_2_made_numbers_are_valid_and_ksef_client_agrees(nip, day, tech):
    number = make_ksef_number(nip, day, tech)
    assert len(number) == 35
    assert ksef_number_valid(number)
    assert validate_ksef_number(number).is_valid


@given(
    nip=nips,
    day=days,
    tech=technical,
    position=st.integers(min_value=0, max_value=31),
    char=st.sampled_from(string.digits + "ABCDEF"),
)
def test_fin_2_any_one_character_changed_is_caught(nip, day, tech, position, char):
    number = make_ksef_number(nip, day, tech)
    if number[position] in ("-", char):
        return
    changed = number[:position] + char + number[position + 1 :]
    # CRC-8 catches every change of one byte (a burst shorter than its degree)
    assert not ksef_number_valid(changed)
    assert not validate_ksef_number(changed).is_valid
