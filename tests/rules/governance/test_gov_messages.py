"""Issue 9 point 4 for the governance rules (GOV-1 … GOV-15, GZW-1, GZW-2): every result says what
it says as a code and parameters, which read in Polish exactly as the rules always worded them and
in English without a Polish letter; stored (JSON) they read back the same."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import pkgutil
import re

import klaster.rules.governance as governance
from klaster.rules import message
from klaster.rules.calendar import WARSAW
from klaster.rules.governance import (
    NotInStatute,
    Presence,
    VoteCount,
    check_proxy_deadline,
    profile_rows,
    quorum,
    resolution_outcome,
)
from klaster.rules.message import from_json, say, to_json
from klaster.rules.statute import EVOLUMA, INFOTECH, PRESETS

POLISH = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")

for _info in pkgutil.walk_packages(governance.__path__, "klaster.rules.governance."):
    importlib.import_module(_info.name)

GOVERNANCE_PREFIXES = (
    "organ.",
    "group.",
    "relation.",
    "decision.",
    "statute.",
    "quorum.",
    "majority.",
    "proxy.",
    "admission.",
    "entry_fee.",
    "attendance.",
    "contacts.",
    "eligibility.",
    "mediation.",
    "notice.",
    "ga.",
    "ga_calendar.",
    "declaration.",
    "extraordinary_source.",
    "agenda.",
    "objection.",
    "seats.",
    "board_cadence.",
    "presidium.",
    "voting.",
    "groups.",
    "profile.",
    "text.",
)


def test_gov_every_english_template_is_english() -> None:
    codes = [c for c in message.codes() if c.startswith(GOVERNANCE_PREFIXES)]
    assert len(codes) > 150
    assert [c for c in codes if POLISH.search(message.english(c))] == []


def test_gov_2_quorum_reads_in_polish_as_before_and_in_english() -> None:
    result = quorum(EVOLUMA, "ga", 10, Presence(in_person=3, online=1, proxy=1))
    assert say(result.message, "pl") == (
        "Kworum jest Walnego Zgromadzenia: obecnych (w tym przez pełnomocnika) 5 z 10 "
        "uprawnionych; wymagane co najmniej 50%, czyli 5."
    )
    assert say(result.message, "en") == (
        "Quorum of the General Assembly is met: 5 present (proxies included) of 10 entitled; "
        "at least 50% required, that is 5."
    )


def test_gov_3_a_resolution_is_stored_language_free_and_reads_back_in_either_language() -> None:
    outcome = resolution_outcome(
        EVOLUMA, "ga", VoteCount(6, 2, 1), 11, Presence(in_person=9, online=1)
    )
    stored = json.loads(json.dumps(to_json(outcome.message)))
    assert not POLISH.search(json.dumps(stored))
    assert from_json(stored) == outcome.message
    assert say(from_json(stored), "pl").startswith("Uchwała Walnego Zgromadzenia — przyjęta: za 6,")
    english = say(from_json(stored), "en")
    assert english.startswith("Resolution of the General Assembly — passed: for 6, against 2")
    assert not POLISH.search(english)


def test_gov_4_a_late_proxy_names_its_dates_in_each_language() -> None:
    late = check_proxy_deadline(
        EVOLUMA, "ga", dt.datetime(2025, 6, 11, 0, 0, tzinfo=WARSAW), dt.date(2025, 6, 12)
    )
    assert say(late.message, "pl") == (
        "Pełnomocnictwo otrzymane 11.06.2025 00:00 (czas warszawski) po terminie: na "
        "posiedzenie 12.06.2025 musi dotrzeć do koordynatora najpóźniej do końca dnia "
        "10.06.2025 (dni kalendarzowych przed dniem posiedzenia: 2)."
    )
    assert "11 June 2025, 00:00" in say(late.message, "en")


def test_gov_5_not_in_statute_carries_a_message() -> None:
    try:
        governance.objection_window(INFOTECH, dt.date(2025, 4, 30))
    except NotInStatute as refused:
        assert say(refused.message, "pl") == (
            "Profil statutu „infotech” nie przewiduje: zastrzeżeń do głosowania (GOV-5)."
        )
        assert not POLISH.search(say(refused.message, "en"))
    else:  # pragma: no cover
        raise AssertionError("infotech has no objections")


def test_gov_statute_profile_in_english_has_no_polish_for_any_preset() -> None:
    for profile in PRESETS.values():
        for row in profile_rows(profile):
            words = " ".join(say(m, "en") for m in (row.section, row.label, row.value))
            assert not POLISH.search(words), (profile.name, row.path, words)
