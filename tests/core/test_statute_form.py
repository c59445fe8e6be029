"""SPEC §2, GOV-12: the statute profile edited as a form — one typed field per number, grouped
as the statute is, a "confirmed" box per number to be confirmed; no JSON, no dict on the page;
the same service (its validation) and a save from a stale page refused."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from klaster.core.models import StatuteProfileVersion
from klaster.core.services import statute_profile_set
from klaster.rules.statute import EVOLUMA, profile_to_dict, unconfirmed

pytestmark = pytest.mark.django_db
URL = "/c/alfa/statute/"


def _fields(html: str) -> dict[str, list[str] | str]:
    """The form's inputs as a browser would send them (text values, checked boxes, selections)."""
    out: dict[str, list[str] | str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if ('type="checkbox"' in tag or 'type="radio"' in tag) and "checked" not in tag:
            continue
        checkbox = 'type="checkbox"' in tag or 'type="radio"' in tag
        values = out.setdefault(name.group(1), [])
        assert isinstance(values, list)
        values.append(value.group(1) if value else "on" if checkbox else "")
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        out[name] = [chosen.group(1) if chosen else ""]
    return out


def _evoluma(world):
    return statute_profile_set(
        cluster=world.alfa, valid_from=dt.date(2020, 1, 1), user=None, preset="evoluma"
    )


def test_gov_12_the_form_has_a_field_per_number_grouped_and_no_json(world, client_for):
    _evoluma(world)
    html = client_for("office").get(URL).content.decode()
    assert (
        "<legend>Walne Zgromadzenie</legend>" in html and "<legend>Zarząd Klastra</legend>" in html
    )
    assert 'name="n-ga.notice_days"' in html and 'type="number"' in html
    assert 'name="n-board.quorum.threshold"' in html and 'value="4/5"' in html
    marks = unconfirmed(EVOLUMA)
    assert marks and all(f'name="c-{m.path}"' in html for m in marks)
    assert "JSON" not in html and '"format"' not in html and "{&#x27;" not in html


def test_gov_12_saving_the_edited_numbers_and_a_confirmation(world, client_for):
    _evoluma(world)
    office = client_for("office")
    data = _fields(office.get(URL).content.decode())
    assert data["n-ga.notice_days"] == ["21"]
    data.update({"valid_from": "2021-01-01", "n-ga.notice_days": "30", "c-ga.notice_days": "on"})
    data.pop("correction", None)
    r = office.post(URL, data)
    assert r.status_code == 302, r.content.decode()[:3000]
    saved = StatuteProfileVersion.objects.get(cluster=world.alfa, valid_from=dt.date(2021, 1, 1))
    assert saved.data["ga"]["notice_days"] == 30
    assert "notice_days" not in [c["field"] for c in saved.data["ga"]["confirm"]]
    assert saved.preset == ""
    # nothing else moved
    expected = profile_to_dict(EVOLUMA)
    expected["ga"]["notice_days"] = 30
    expected["ga"]["confirm"] = [
        c for c in expected["ga"]["confirm"] if c["field"] != "notice_days"
    ]
    assert saved.data == expected


def test_an_unedited_preset_keeps_its_name(world, client_for):
    office = client_for("office")
    data = _fields(office.get(URL + "?from=preset:infotech").content.decode())
    data["valid_from"] = "2022-01-01"
    assert office.post(URL, data).status_code == 302
    assert StatuteProfileVersion.objects.get(cluster=world.alfa).preset == "infotech"


def test_a_wrong_fraction_is_refused_on_its_field(world, client_for):
    _evoluma(world)
    office = client_for("office")
    data = _fields(office.get(URL).content.decode())
    data.update({"valid_from": "2021-01-01", "n-board.quorum.threshold": "cztery piąte"})
    r = office.post(URL, data)
    assert r.status_code == 200 and "ułamek" in r.content.decode()
    assert StatuteProfileVersion.objects.filter(cluster=world.alfa).count() == 1


def test_a_save_from_a_stale_page_is_refused(world, client_for):
    _evoluma(world)
    office = client_for("office")
    data = _fields(office.get(URL).content.decode())
    # someone else saves meanwhile
    statute_profile_set(
        cluster=world.alfa, valid_from=dt.date(2020, 6, 1), user=None, preset="infotech"
    )
    data.update({"valid_from": "2021-01-01", "n-ga.notice_days": "30"})
    r = office.post(URL, data)
    assert r.status_code == 200 and "Od otwarcia tej strony" in r.content.decode()
    assert not StatuteProfileVersion.objects.filter(valid_from=dt.date(2021, 1, 1)).exists()


def test_a_reader_sees_no_form(world, client_for):
    _evoluma(world)
    html = client_for("chair").get(URL).content.decode()
    assert 'name="n-' not in html
    assert client_for("chair").post(URL, {"valid_from": "2021-01-01"}).status_code == 403


def test_each_number_shows_its_provision_and_a_changed_one_is_saved(world, client_for):
    """Issue 9 point 3: beside each number, the provision it comes from (its own or its rule's);
    the cluster can write its own statute's paragraph, and an emptied one falls back to its
    rule's."""
    _evoluma(world)
    office = client_for("office")
    html = office.get(URL).content.decode()
    assert "Podstawa: 000 §8.4" in html  # ga.notice_days
    data = _fields(html)
    assert data["s-ga.notice_days"] == ["000 §8.4"]
    assert data["s-board.quorum.threshold"] == ["001 dec. 4c"]  # the rule's
    data.update(
        {
            "valid_from": "2021-01-01",
            "s-ga.notice_days": "§ 12 ust. 3 statutu",
            "s-board.quorum.threshold": "§ 20 ust. 1",
        }
    )
    data.pop("correction", None)
    r = office.post(URL, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    saved = StatuteProfileVersion.objects.get(cluster=world.alfa, valid_from=dt.date(2021, 1, 1))
    sources = {s["path"]: s["paragraph"] for s in saved.data["sources"]}
    assert sources["ga.notice_days"] == "§ 12 ust. 3 statutu"
    assert sources["board.quorum.threshold"] == "§ 20 ust. 1"
    assert sources["board.quorum"] == "001 dec. 4c"  # the rule's own stays
    page = office.get(URL).content.decode()
    assert "Podstawa: § 12 ust. 3 statutu" in page
