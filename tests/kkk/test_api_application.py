"""Issue 9 point 6: the KKK application in the API — edit a draft (If-Match, the edit page's
form), "Sprawdź wniosek" (KKK-2), registration (KKK-3) and the exports — the office only, with the
pages' services and their words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from klaster.kkk import services
from klaster.kkk.models import Application
from klaster.rules.calendar import WARSAW
from tests.core.dbstate import assert_unchanged, db_fingerprint
from tests.kkk.conftest import D, complete

pytestmark = pytest.mark.django_db


def _url(name, application, slug="alfa", **extra):
    return reverse(name, kwargs={"cluster_slug": slug, "application_id": application.pk, **extra})


def _patch(client, url, data, etag):
    headers = {"If-Match": etag} if etag else {}
    return client.patch(url, data=data, content_type="application/json", headers=headers)


def _draft(world):
    return services.application_create(cluster=world.alfa, user=None, as_of=D)


def test_kkk_1_office_edits_a_draft_naming_what_it_read(world, client_for):
    office = client_for("office")
    application = _draft(world)
    url = _url("api_kkk_application_detail", application)
    read = office.get(url)
    assert read.status_code == 200 and read.json()["status"] == "draft"
    saved = _patch(
        office,
        url,
        {"applicant_name": "Fundacja Koordynator", "statements": [2, 1], "fte_micro": "3.5"},
        read["ETag"],
    )
    assert saved.status_code == 200, saved.content
    application.refresh_from_db()
    assert application.applicant_name == "Fundacja Koordynator"
    assert application.statements == [1, 2] and application.fte == {"micro": "3.5"}
    assert application.as_of == D  # what was not sent stays
    # the ETag of the first read is stale now: 412, nothing saved
    before = db_fingerprint()
    stale = _patch(office, url, {"applicant_name": "Inna"}, read["ETag"])
    assert stale.status_code == 412 and stale["ETag"] == saved["ETag"]
    missing = _patch(office, url, {"applicant_name": "Inna"}, None)
    assert missing.status_code == 428
    assert_unchanged(before, "stale or unversioned application edit")


def test_kkk_1_bad_input_names_the_field_and_writes_nothing(world, client_for):
    office = client_for("office")
    application = _draft(world)
    url = _url("api_kkk_application_detail", application)
    etag = office.get(url)["ETag"]
    before = db_fingerprint()
    bad = _patch(office, url, {"as_of": "nie data", "applicant_website": "nie adres"}, etag)
    assert bad.status_code == 400
    assert {"as_of", "applicant_website"} <= set(bad.json())
    assert "Wpisz poprawną datę." in bad.json()["as_of"]
    assert_unchanged(before, "bad application edit")


def test_kkk_1_only_the_office_reads_or_edits_an_application(world, client_for):
    application = _draft(world)
    url = _url("api_kkk_application_detail", application)
    for persona, code in [("chair", 403), ("member", 403), ("outsider", 404)]:
        client = client_for(persona)
        before = db_fingerprint()
        assert client.get(url).status_code == code
        assert _patch(client, url, {"applicant_name": "X"}, '"0.0"').status_code == code
        assert client.post(_url("api_kkk_application_register", application)).status_code == code
        assert_unchanged(before, persona)
    # beta's office with its own slug and alfa's application: 404, as an unknown id
    outsider = client_for("outsider")
    assert (
        outsider.get(_url("api_kkk_application_check", application, slug="beta")).status_code == 404
    )


def test_kkk_2_check_lists_every_problem_by_field(world, client_for):
    application = _draft(world)
    response = client_for("office").get(_url("api_kkk_application_check", application))
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False and body["problems"]
    assert all(p["field"] and isinstance(p["message"], str) for p in body["problems"])
    # the cluster's website is not filled in: item 1a, in words
    website = next(p for p in body["problems"] if p["field"] == "1a")
    assert website["kind"] == "required" and website["message"] and website["anchor"] == "f-1a"


def test_kkk_3_an_unchecked_draft_is_not_registered(world, client_for):
    application = _draft(world)
    office = client_for("office")
    before = db_fingerprint()
    response = office.post(_url("api_kkk_application_register", application))
    assert response.status_code == 400
    assert "Sprawdź wniosek" in response.json()["non_field_errors"][0]
    assert_unchanged(before, "unchecked registration")


def test_kkk_3_registered_by_the_api_then_frozen(demo, client):
    import time_machine

    application = complete(
        services.application_create(cluster=demo, user=demo.office, as_of=D), demo.office
    )
    client.force_login(demo.office)
    check = client.get(_url("api_kkk_application_check", application, slug="demo")).json()
    assert check == {"ok": True, "problems": []}
    with time_machine.travel(dt.datetime(2026, 7, 1, 12, tzinfo=WARSAW), tick=False):
        response = client.post(_url("api_kkk_application_register", application, slug="demo"))
    assert response.status_code == 200, response.content
    assert response.json()["number"] == "KKK/2026/001" and response.json()["status"] == "registered"
    detail = _url("api_kkk_application_detail", application, slug="demo")
    refused = _patch(
        client, detail, {"applicant_name": "Po rejestracji"}, client.get(detail)["ETag"]
    )
    assert refused.status_code == 400
    assert "zarejestrowanego wniosku" in refused.json()["non_field_errors"][0].lower() or (
        "nie można" in refused.json()["non_field_errors"][0].lower()
    )
    letter = client.get(_url("api_kkk_application_export", application, slug="demo", fmt="letter"))
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    assert Application.objects.get(pk=application.pk).applicant_name != "Po rejestracji"


def test_kkk_exports_by_the_api(world, client_for):
    application = _draft(world)
    office = client_for("office")
    pdf = office.get(_url("api_kkk_application_export", application, fmt="pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = office.get(_url("api_kkk_application_export", application, fmt="xlsx"))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    # a draft has no confirmation letter (004 B.16), an unknown format is not there
    assert (
        office.get(_url("api_kkk_application_export", application, fmt="letter")).status_code == 404
    )
    assert office.get(_url("api_kkk_application_export", application, fmt="doc")).status_code == 404
    assert (
        client_for("chair")
        .get(_url("api_kkk_application_export", application, fmt="pdf"))
        .status_code
        == 403
    )
