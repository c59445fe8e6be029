"""Issue 9 point 4: what a governance service stores from a rule (a proxy's decision, a vote's quorum
and outcome, a resolution's count, an extraordinary request's verdict, an audit row) is the rule's
message — a code and parameters — read in the reader's language; rows written before keep their
text, which reads as it was."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.utils import translation

from klaster.core.audit_text import entries
from klaster.core.models import AuditLog
from klaster.governance import services
from klaster.governance.models import Proxy
from tests.governance.conftest import at, check_in

POLISH = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")


def _both(read):
    out = {}
    for lang in ("pl", "en"):
        with translation.override(lang):
            out[lang] = read()
    return out


def test_gov_4_a_refused_proxy_keeps_its_reason_as_a_code_not_words(gov):
    late = services.proxy_grant(
        meeting=gov.ga,
        user=gov.office,
        giver=gov.member(6),
        holder_name="Jan Nowak",
        received_at=at(29, 0, 0),
    )
    late.refresh_from_db()
    assert late.reason == "" and late.reason_msg["code"] == "proxy.late"
    assert not POLISH.search(json.dumps(late.reason_msg))
    words = _both(lambda: late.reason_words)
    assert words["pl"].startswith("Pełnomocnictwo otrzymane 29.06.2025 00:00")
    assert words["en"].startswith("Proxy received 29 June 2025, 00:00") and not POLISH.search(
        words["en"]
    )
    withdrawn = services.proxy_withdraw(
        proxy=services.proxy_grant(
            meeting=gov.ga,
            user=gov.office,
            giver=gov.member(7),
            holder_name="Anna Kowalska",
            received_at=at(20),
        ),
        user=gov.office,
    )
    assert _both(lambda: withdrawn.reason_words) == {
        "pl": "Odwołane przez mocodawcę.",
        "en": "Withdrawn by its giver.",
    }
    # the audit row of the grant reads its decision in the reader's language too
    row = AuditLog.objects.filter(action=f"proxy_{Proxy.Status.REFUSED}").latest("pk")
    audit = _both(lambda: " ".join(c.new for c in entries([row])[0].changes))
    assert "po terminie" in audit["pl"] and "too late" in audit["en"]


def test_gov_2_gov_3_a_vote_and_its_resolution_read_in_either_language(gov):
    check_in(gov, gov.members[:6])
    services.meeting_open(meeting=gov.ga, user=gov.office)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Budżet")
    services.ballot_cast(
        vote=vote, user=gov.office, chair=True, choices={m.pk: "for" for m in gov.members[:6]}
    )
    resolution = services.vote_close(vote=vote, user=gov.office)
    vote.refresh_from_db()
    assert (vote.quorum_reason, vote.outcome_reason, resolution.tally) == ("", "", "")
    stored = json.dumps([vote.quorum_msg, vote.outcome_msg, resolution.tally_msg, vote.snapshot])
    assert not POLISH.search(stored)
    quorum = _both(lambda: vote.quorum_words)
    assert quorum["pl"].startswith("Kworum jest Walnego Zgromadzenia")
    assert quorum["en"].startswith("Quorum of the General Assembly is met")
    tally = _both(lambda: resolution.tally_words)
    assert tally["pl"].startswith("za 6, przeciw 0") and tally["en"].startswith("for 6, against 0")
    outcome = _both(lambda: resolution.reason_words)
    assert outcome["pl"].startswith("Uchwała Walnego Zgromadzenia — przyjęta")
    assert outcome["en"].startswith("Resolution of the General Assembly — passed")


def test_gov_7_extraordinary_request_verdict_in_either_language(gov):
    request = services.extraordinary_request_file(
        cluster=gov.world.alfa,
        user=gov.office,
        source="members",
        received_on=dt.date(2025, 6, 1),
        matters="Zmiana statutu",
        requesters=[gov.member(1)],
    )
    words = _both(lambda: request.reason_words)
    assert "za mało wnioskodawców" in words["pl"] and "too few requesters" in words["en"]


def test_gov_rows_written_before_keep_their_text(gov):
    proxy = services.proxy_grant(
        meeting=gov.ga,
        user=gov.office,
        giver=gov.member(7),
        holder_name="Anna Kowalska",
        received_at=at(20),
    )
    Proxy.objects.filter(pk=proxy.pk).update(reason="Stary powód.", reason_msg={})
    proxy.refresh_from_db()
    assert _both(lambda: proxy.reason_words) == {"pl": "Stary powód.", "en": "Stary powód."}
