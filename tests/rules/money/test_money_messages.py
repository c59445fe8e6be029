"""Issue 9 point 4 for the money rules (FIN-1 … FIN-12): results are codes and parameters that
read in Polish and in English (no Polish letter in an English template) and survive JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal as D

from klaster.rules import message
from klaster.rules.membership import MembershipEvent
from klaster.rules.message import from_json, say, to_json
from klaster.rules.money import (
    DUES,
    FeeType,
    MemberDues,
    OpenDocument,
    Period,
    VatSetting,
    arrears_stage,
    check_suspension,
    dues_documents,
    entry_fee_terms,
    evoluma_tariff,
    interest,
    member_votes,
    statement_request,
)
from klaster.rules.statute import EVOLUMA

POLISH = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
d = dt.date


def _money_codes():
    return [c for c in message.codes() if c.startswith("money.") and not c.startswith("money.bank")]


def test_fin_money_english_templates_are_english():
    codes = _money_codes()
    assert len(codes) > 60
    assert [c for c in codes if POLISH.search(message.english(c))] == []


def test_fin_money_results_read_in_both_languages_and_store_as_json():
    assert EVOLUMA.arrears is not None
    fee = FeeType(DUES, (VatSetting(d(2020, 1, 1), "taxable"),))
    m = MemberDues("m1", "micro", (MembershipEvent("admitted", d(2026, 1, 1)),), billing="quarter")
    (doc,) = dues_documents(
        m,
        [evoluma_tariff(d(2020, 1, 1))],
        fee,
        start=d(2026, 1, 1),
        through=d(2026, 1, 1),
        payment_term_days=14,
    )
    messages = [
        doc.message,
        interest(D("221.40"), d(2026, 12, 15), d(2027, 3, 1)).message,
        arrears_stage(
            OpenDocument("FV/2026/0001", d(2026, 12, 15), D("1")), d(2027, 3, 20), EVOLUMA.arrears
        ).message,
        member_votes(
            [OpenDocument("FV/2026/0001", d(2026, 12, 15), D("1"))], d(2027, 3, 20), EVOLUMA.arrears
        ).message,
        entry_fee_terms(EVOLUMA, D("2160.00"), 20).message,
        check_suspension(EVOLUMA, Period(d(2026, 1, 1), d(2027, 6, 1))).message,
        statement_request(d(2026, 11, 9), on=d(2026, 11, 9)).message,
    ]
    for msg in messages:
        stored = json.loads(json.dumps(to_json(msg)))
        assert from_json(stored) == msg
        english = say(msg, "en")
        polish = say(msg, "pl")
        assert english != polish
        assert "{" not in english and "{" not in polish
    assert say(messages[0], "pl") == (
        "Składka za okres 01.01.2026 – 31.03.2026: 3 miesiące należne (01.2026: 180,00 zł, "
        "02.2026: 180,00 zł, 03.2026: 180,00 zł), netto 540,00 zł. Opodatkowane: VAT 23% "
        "obowiązujący w dniu wystawienia 01.01.2026 (001 fin. 2); faktura."
    )
    assert say(messages[2], "pl").startswith("FV/2026/0001: do zapłaty 1,00 zł, 95 dni po terminie")
