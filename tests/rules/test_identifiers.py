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
    validate_postal_code,
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
    # MEM-9: the postal code, NN-NNN
    (validate_postal_code, "00-950", "00-950"),
    (validate_postal_code, "00950", "00-950"),
    (validate_postal_code, " 00 - 950 ", "00-950"),
    (validate_postal_code, "00\u2013950", "00-950"),
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
    (validate_postal_code, "0-0950", "format_postal_code", "Kod pocztowy: wymagany format NN-NNN, np. 00-950"),
    (validate_postal_code, "ab-cde", "format_postal_code", "Kod pocztowy: wymagany format NN-NNN, np. 00-950"),
    (validate_postal_code, "00-9500", "format_postal_code", "Kod pocztowy: wymagany format NN-NNN, np. 00-950"),
    (validate_postal_code, "0095", "format_postal_code", "Kod pocztowy: wymagany format NN-NNN, np. 00-950"),
    (validate_postal_code, "\u0660\u0660-950", "format_postal_code", "Kod pocztowy: wymagany format NN-NNN, np. 00-950"),
    (validate_postal_code, "  ", "empty", "Kod pocztowy: pusta wartość"),
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


def test_mem_4_mem_9_field_labels_are_complete_in_both_languages() -> None:
    for kind, texts in identifiers.FIELD_LABELS.items():
        assert set(texts) == {"pl", "en"} and all(texts.values()), kind
    assert set(identifiers.VALIDATORS) == set(identifiers.FIELD_LABELS)


def test_mem_9_postal_code_in_english() -> None:
    with pytest.raises(
        IdentifierError, match=r"^Postal code: the format NN-NNN is required, e.g. 00-950$"
    ):
        validate_postal_code("ab-cde", lang="en")


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("nip", "PL 526-025-02-74", "5260250274"),
        ("nip", None, ""),
        ("nip", "  ", ""),
        ("regon", " 19-25-98-184 ", "192598184"),
        ("krs", "0000 012 345", "0000012345"),
        ("postal_code", "12345", "12-345"),
        ("postal_code", "", ""),
        ("iban", "PL61 1090 1014 0000 0712 1981 2874", "PL61109010140000071219812874"),
        ("nrb", "61 1090 1014 0000 0712 1981 2874", "61109010140000071219812874"),
    ],
)
def test_mem_4_mem_9_normalise_is_the_one_door(kind: str, value: str | None, expected: str) -> None:
    """One normaliser per kind; blank is "" (the field not given), never an error."""
    assert identifiers.normalise(kind, value) == expected


def test_mem_4_normalise_refuses_as_the_validator_does() -> None:
    with pytest.raises(IdentifierError) as caught:
        identifiers.normalise("nip", "888-751-16-45")
    assert (caught.value.kind, caught.value.code) == ("nip", "checksum")


@pytest.mark.parametrize(("validate", "value", "code", "message"), INVALID)
def test_mem_4_render_gives_either_language_from_the_code(
    validate: Validator, value: str, code: str, message: str
) -> None:
    """The rule returns a code; an edge renders it in the user's language, the field named."""
    with pytest.raises(IdentifierError) as caught:
        validate(value)
    assert caught.value.render("pl") == message
    with pytest.raises(IdentifierError) as english:
        validate(value, lang="en")
    assert caught.value.render("en") == str(english.value)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("8887511644", "8887511644"),
        ("888-751-16-44", "8887511644"),
        ("PL 888 751 16 44", "8887511644"),
        ("pl888-751", "888751"),
        ("888 751", "888751"),
        ("Alfa-Tech", None),
        ("Plastik", None),
        ("88875116441", None),
        ("", None),
    ],
)
def test_mem_4_lookup_nip_compacts_as_the_validator(typed: str, found: str | None) -> None:
    """Lookups (member search, a chair's member reference, proxy CSV files) compact a NIP as
    validate_nip does: dashes, spaces and the PL prefix dropped."""
    assert identifiers.lookup_nip(typed) == found


def test_mem_4_compact_values_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Already compact values (10,000 members per dataset load) are checked without stdnum's
    compact(); the postal code NN-NNN without the regular expression."""
    from stdnum.pl import nip as stdnum_nip_module

    def refuse(_: str) -> str:
        raise AssertionError("compact() called on a compact value")

    monkeypatch.setattr(stdnum_nip_module, "compact", refuse)
    monkeypatch.setattr(identifiers, "_POSTAL_RE", None)
    assert validate_nip("5260250274") == "5260250274"
    assert validate_postal_code("00-950") == "00-950"


def test_mem_4_check_digits_agree_with_stdnum() -> None:
    """NIP and REGON check digits are computed without importing stdnum (the common path of a
    dataset load); they agree with stdnum's on 100,000 random numbers of each length and on
    edge cases (all zeros, all nines, repeated digits, each check value)."""
    import random

    rng = random.Random(20261204)
    edge = [d * n for d in "0123456789" for n in (8, 9, 10, 13, 14)]
    edge += ["5260250274", "000331501", "00033150100000", "9999999999", "0000000001"]
    for length in (10, 9, 14):
        numbers = ["".join(rng.choices("0123456789", k=length)) for _ in range(100_000)] + [
            e for e in edge if len(e) == length
        ]
        for number in numbers:
            if length == 10:
                assert identifiers._nip_checksum(number) == stdnum_nip.checksum(number), number
            else:
                got = identifiers._regon_check_digit(number[:-1])
                assert got == stdnum_regon.calc_check_digit(number[:-1]), number
            if length == 14:
                got8 = identifiers._regon_check_digit(number[:8])
                assert got8 == stdnum_regon.calc_check_digit(number[:8]), number


@given(st.text(alphabet="0123456789", min_size=0, max_size=16))
def test_mem_4_nip_and_regon_validators_agree_with_stdnum(number: str) -> None:
    """Any digit string: accepted by validate_nip/validate_regon exactly when stdnum accepts it
    (apart from the all-zero numbers, which are refused by us with their own message)."""
    for validate, module in ((validate_nip, stdnum_nip), (validate_regon, stdnum_regon)):
        all_zero = bool(number) and set(number) == {"0"}
        try:
            validate(number)
            ours = True
        except IdentifierError:
            ours = False
        assert ours == (module.is_valid(number) and not all_zero), number


def test_mem_4_the_common_path_imports_no_stdnum() -> None:
    """Validating compact NIP, REGON and KRS values does not import stdnum (~20 ms a process)."""
    import subprocess
    import sys

    code = (
        "import sys; from klaster.rules import identifiers as i;"
        "i.validate_nip('5260250274'); i.validate_regon('000331501');"
        "i.validate_regon('00033150100000'); i.validate_krs('0000012345');"
        "print(sorted(m for m in sys.modules if m.startswith('stdnum')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
