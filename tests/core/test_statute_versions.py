"""The statute page (SPEC §2, GOV-2, GOV-3, GOV-12, "Reading (evoluma and its agreement)"): every
version with its revision and the meetings convened under it, every number in words with its mark
"to be confirmed"; the office saves a correction as the day's next revision."""

from __future__ import annotations

import datetime as dt

import pytest

from klaster.core.models import StatuteProfileVersion
from klaster.core.services import statute_profile_set

pytestmark = pytest.mark.django_db
URL = "/c/alfa/statute/"


def _meeting(world, version_day=dt.date(2020, 1, 1)):
    from klaster.governance.services import organs_ensure
    from klaster.rules.calendar import WARSAW
    from tests.factories import MeetingFactory

    organs_ensure(cluster=world.alfa)
    starts = dt.datetime(2025, 6, 30, 10, 0, tzinfo=WARSAW)
    return MeetingFactory(
        cluster=world.alfa,
        organ__kind="ga",
        title="Walne czerwcowe",
        date=starts.date(),
        starts_at=starts,
    )


def test_gov_12_statute_page_marks_numbers_to_confirm_in_polish(world, client_for):
    statute_profile_set(
        cluster=world.alfa, valid_from=dt.date(2020, 1, 1), user=None, preset="evoluma"
    )
    statute_profile_set(
        cluster=world.alfa, valid_from=dt.date(2024, 1, 1), user=None, preset="infotech"
    )
    body = client_for("chair").get(URL).content.decode()
    assert (
        "z wzoru porozumienia — do potwierdzenia" in body
    )  # evoluma: the Board's 2/3 for a Partner
    assert "bez źródła — do potwierdzenia" in body  # infotech: Council and Board quorum
    assert "Większość — przyjęcie Partnera" in body and "co najmniej 2/3 głosów oddanych" in body
    assert "'ga'" not in body and "of_entitled" not in body  # people read words, not Python values


def test_gov_12_statute_page_marks_in_english_too(world, client_for):
    statute_profile_set(
        cluster=world.alfa, valid_from=dt.date(2020, 1, 1), user=None, preset="evoluma"
    )
    c = client_for("chair")
    c.cookies["django_language"] = "en"
    body = c.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "from the agreement template — to be confirmed" in body


def test_gov_2_statute_page_shows_revisions_and_the_meetings_using_them(world, client_for):
    statute_profile_set(
        cluster=world.alfa, valid_from=dt.date(2020, 1, 1), user=None, preset="evoluma"
    )
    meeting = _meeting(world)
    office = client_for("office")
    # a plain save of other numbers is refused: a meeting was convened under this version
    r = office.post(URL, {"valid_from": "2020-01-01", "preset": "infotech"})
    assert r.status_code == 200
    text = r.content.decode()
    assert "użyto już" in text and "Walne czerwcowe" in text and "poprawkę" in text
    assert StatuteProfileVersion.objects.filter(cluster=world.alfa).count() == 1
    # saved as a correction, it is the day's revision 2
    r = office.post(
        URL,
        {
            "valid_from": "2020-01-01",
            "preset": "infotech",
            "note": "uchwała WZ 2/2025",
            "correction": "1",
        },
    )
    assert r.status_code == 302
    versions = list(StatuteProfileVersion.objects.filter(cluster=world.alfa))
    assert [(v.valid_from, v.revision, v.preset) for v in versions] == [
        (dt.date(2020, 1, 1), 2, "infotech"),
        (dt.date(2020, 1, 1), 1, "evoluma"),
    ]
    meeting.refresh_from_db()
    assert meeting.statute_version_id == versions[1].pk
    body = client_for("chair").get(URL).content.decode()
    assert (
        "Obowiązuje od 01.01.2020, rewizja 2" in body
        and "Obowiązuje od 01.01.2020, rewizja 1" in body
    )
    assert "Walne czerwcowe (30.06.2025)" in body and "zastąpiona poprawką" in body


def test_gov_12_a_version_taken_from_the_old_evoluma_reading_is_flagged_and_corrected(
    world, client_for
):
    """A version saved before the Reading (the Board admitting by more than half of those entitled)
    says the preset has changed; a correction from the preset gives the Board's 2/3."""
    import copy

    from klaster.core.services import statute_profile_in_force
    from klaster.rules.statute import EVOLUMA, profile_to_dict

    old = copy.deepcopy(profile_to_dict(EVOLUMA))
    old["board"]["decisions"] = []
    version = statute_profile_set(
        cluster=world.alfa, valid_from=dt.date(2020, 1, 1), user=None, data=old
    )
    StatuteProfileVersion.objects.filter(pk=version.pk).update(preset="evoluma")
    _meeting(world)
    body = client_for("chair").get(URL).content.decode()
    assert "Profil wzorcowy „evoluma” zmienił się" in body
    r = client_for("office").post(
        URL, {"valid_from": "2020-01-01", "preset": "evoluma", "correction": "1"}
    )
    assert r.status_code == 302
    profile = statute_profile_in_force(world.alfa, dt.date(2025, 6, 30))
    assert profile.board.majority_for("admit_partner").kind == "two_thirds_cast_half_present"
    assert "zmienił się" not in client_for("chair").get(URL).content.decode()
