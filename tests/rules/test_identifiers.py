"""Polish identifiers validated by their check digits, refused with the field's name (MEM-4)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

from klaster.rules import identifiers
from klaster.rules.identifiers import (
    IdentifierError,
    validate_iban,
    validate_krs,
    validate_nip,
    validate_nrb,
    validate_regon,
)

Validator = Callable[..., str]

VALID: list[tuple[Validator, str, str]] = [
    (validate_nip, "5260250274", "5260250274"),
    (validate_nip, "526-025-02-74", "5260250274"),
    (validate_nip, "526 025 02 74", "5260250274"),
    (validate_nip, "PL5260250274", "5260250274"),
    (validate_nip, "pl 526-025-02-74", "5260250274"),
    (validate_nip, " 8567346215 ", "8567346215"),
    (validate_regon, "192598184", "192598184"),
    (validate_regon, "000331501", "000331501"),
    (validate_regon, "19-25-98-184", "192598184"),
    (validate_regon, "12345678512347", "12345678512347"),
    (validate_krs, "0000012345", "0000012345"),
    (validate_krs, "0000 012 345", "0000012345"),
    (validate_iban, "PL61 1090 1014 0000 0712 1981 2874", "PL61109010140000071219812874"),
    (validate_iban, "pl61109010140000071219812874", "PL61109010140000071219812874"),
    (validate_iban, "61 1090 1014 0000 0712 1981 2874", "PL61109010140000071219812874"),
    (validate_nrb, "61 1090 1014 0000 0712 1981 2874", "61109010140000071219812874"),
    (validate_nrb, "PL61109010140000071219812874", "61109010140000071219812874"),
    (validate_nrb, "27-1140-2004-0000-3002-0135-5387", "27114020040000300201355387"),
]


@pytest.mark.parametrize(("validate", "value", "compact"), VALID)
def test_mem_4_valid_identifiers_are_returned_compact(
    validate: Validator, value: str, compact: str
) -> None:
    assert validate(value) == compact


INVALID: list[tuple[Validator, str, str, str]] = [
    # (validator, value, code, the Polish message)
    (validate_nip, "5260250275", "checksum", "NIP: nieprawidłowa cyfra kontrolna"),
    (validate_nip, "526025027", "length_nip", "NIP: wymagane 10 cyfr"),
    (validate_nip, "52602502744", "length_nip", "NIP: wymagane 10 cyfr"),
    (validate_nip, "52602502X4", "digits", "NIP: dozwolone są tylko cyfry"),
    (validate_nip, "DE5260250274", "digits", "NIP: dozwolone są tylko cyfry"),
    (validate_nip, "", "empty", "NIP: pusta wartość"),
    (validate_nip, "   ", "empty", "NIP: pusta wartość"),
    (validate_nip, "0000000000", "zero", "NIP: numer nie może składać się z samych zer"),
    (validate_regon, "192598185", "checksum", "REGON: nieprawidłowa cyfra kontrolna"),
    (validate_regon, "12345678512346", "checksum", "REGON: nieprawidłowa cyfra kontrolna"),
    # the last digit fits, but the first nine (the parent's REGON) do not
    (validate_regon, "12345678012340", "checksum", "REGON: nieprawidłowa cyfra kontrolna"),
    (validate_regon, "1925981840", "length_regon", "REGON: wymagane 9 lub 14 cyfr"),
    (validate_regon, "19259818", "length_regon", "REGON: wymagane 9 lub 14 cyfr"),
    (validate_regon, "000000000", "zero", "REGON: numer nie może składać się z samych zer"),
    (validate_krs, "12345", "length_krs", "KRS: wymagane 10 cyfr"),
    (validate_krs, "00000123456", "length_krs", "KRS: wymagane 10 cyfr"),
    (validate_krs, "KRS0000012345", "digits", "KRS: dozwolone są tylko cyfry"),
    (validate_krs, "0000000000", "zero", "KRS: numer nie może składać się z samych zer"),
    (validate_iban, "PL61 1090 1014 0000 0712 1981 2875", "checksum_account", "IBAN: nieprawidłowe cyfry kontrolne"),
    (validate_iban, "DE89370400440532013000", "country", "IBAN: dozwolony jest tylko polski numer rachunku (PL)"),
    (validate_iban, "PL61 1090 1014 0000 0712 1981 287", "length_account", "IBAN: wymagane 26 cyfr (z prefiksem PL lub bez)"),
    (validate_nrb, "61 1090 1014 0000 0712 1981 2875", "checksum_account", "NRB: nieprawidłowe cyfry kontrolne"),
    (validate_nrb, "61 1090 1014 0000 0712 1981 28X4", "digits", "NRB: dozwolone są tylko cyfry"),
]  # fmt: skip


@pytest.mark.parametrize(("validate", "value", "code", "message"), INVALID)
def test_mem_4_invalid_identifier_is_refused_naming_the_field(
    validate: Validator, value: str, code: str, message: str
) -> None:
    with pytest.raises(IdentifierError) as caught:
        validate(value)
    assert caught.value.code == code
    assert str(caught.value) == message
    assert message.startswith(f"{caught.value.field}: ")
    assert caught.value.value == value


@pytest.mark.parametrize(("validate", "value", "code", "message"), INVALID)
def test_mem_4_messages_have_an_english_variant(
    validate: Validator, value: str, code: str, message: str
) -> None:
    with pytest.raises(IdentifierError) as caught:
        validate(value, lang="en")
    assert caught.value.message == identifiers.MESSAGES[code]["en"]
    assert str(caught.value) == f"{caught.value.field}: {identifiers.MESSAGES[code]['en']}"


def test_mem_4_english_example() -> None:
    with pytest.raises(IdentifierError, match=r"^NIP: invalid check digit$"):
        validate_nip("5260250275", lang="en")


def test_mem_4_catalogue_is_complete_in_both_languages() -> None:
    for code, texts in identifiers.MESSAGES.items():
        assert set(texts) == {"pl", "en"}, code
        assert all(texts.values()), code
    assert identifiers.message("checksum", "en") == "invalid check digit"


def test_mem_4_a_non_text_value_is_refused() -> None:
    with pytest.raises(IdentifierError, match="^NIP: oczekiwano napisu$"):
        validate_nip(5260250274)  # type: ignore[arg-type]


def _nine_digits() -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(_nine_digits())
def test_mem_4_nip_agrees_with_stdnum(first9: str) -> None:
    """Every 10-digit string is accepted exactly when python-stdnum accepts it (all-zero aside)."""
    for last in "0123456789":
        number = first9 + last
        expected = stdnum_nip.is_valid(number) and number != "0000000000"
        try:
            validate_nip(number)
        except IdentifierError:
            assert not expected, number
        else:
            assert expected, number


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_mem_4_regon_accepts_its_own_check_digit(first8: str) -> None:
    number = first8 + stdnum_regon.calc_check_digit(first8)
    if set(number) != {"0"}:
        assert validate_regon(number) == number
        wrong = first8 + str((int(number[-1]) + 1) % 10)
        with pytest.raises(IdentifierError):
            validate_regon(wrong)
