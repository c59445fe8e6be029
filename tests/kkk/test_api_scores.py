"""Issue 9 point 6: the KKK pages' remaining writes by the API (klaster/kkk/api_scores.py) —
attachments (004 "Załączniki"), the coordinator's facts, the experts' scores (KKK-S2-EXP) and the
panel's (KKK-S3) — the office only, with the pages' forms (the same messages by field) and
services. Who may call what: tests/kkk/matrix_api.py."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klaster.kkk import services
from klaster.kkk.models import ApplicationAttachment, ExpertScore, PanelScore
from tests.core.dbstate import assert_unchanged, db_fingerprint
from tests.kkk.conftest import D

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _url(name, slug="alfa", **kwargs):
    return reverse(name, kwargs={"cluster_slug": slug, **kwargs})


def _send(client, method, url, data, etag=None):
    headers = {"If-Match": etag} if etag else {}
    return getattr(client, method)(url, data=data, content_type="application/json", headers=headers)


def test_kkk_attachments_by_the_api_pdf_only_bounded(world, client_for, settings):
    office = client_for("office")
    application = services.application_create(cluster=world.alfa, user=None, as_of=D)
    url = _url("api_kkk_attachments", application_id=application.pk)
    before = db_fingerprint()
    not_pdf = office.post(url, {"kind": "1", "file": SimpleUploadedFile("umowa.pdf", b"hello")})
    assert not_pdf.status_code == 400 and set(not_pdf.json()) == {"file"}
    no_kind = office.post(url, {"file": SimpleUploadedFile("umowa.pdf", PDF)})
    assert no_kind.status_code == 400 and set(no_kind.json()) == {"kind"}
    settings.KLASTER_UPLOAD_LIMITS = {"kkk_attachment": 5}
    too_big = office.post(url, {"kind": "1", "file": SimpleUploadedFile("umowa.pdf", PDF)})
    assert too_big.status_code == 400 and set(too_big.json()) == {"file"}
    assert_unchanged(before, "refused attachments")
    settings.KLASTER_UPLOAD_LIMITS = {}
    added = office.post(url, {"kind": "1", "file": SimpleUploadedFile("umowa.pdf", PDF)})
    assert added.status_code == 201, added.content
    aid = added.json()["id"]
    assert [a["id"] for a in office.get(url).json()] == [aid]
    got = office.get(_url("api_kkk_attachment", attachment_id=aid))
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert office.delete(_url("api_kkk_attachment", attachment_id=aid)).status_code == 204
    assert not ApplicationAttachment.objects.filter(pk=aid).exists()


def test_kkk_coordinator_facts_by_the_api(world, client_for):
    office = client_for("office")
    url = _url("api_kkk_coordinator")
    read = office.get(url)
    etag = read["ETag"]
    assert _send(office, "patch", url, {"platform_sales": True}).status_code == 428
    before = db_fingerprint()
    bad = _send(office, "patch", url, {"coordinator_experience_years": "-1"}, etag)
    assert bad.status_code == 400 and set(bad.json()) == {"coordinator_experience_years"}
    assert_unchanged(before, "bad coordinator facts")
    done = _send(
        office, "patch", url, {"platform_sales": True, "coordinator_experience_years": "4.5"}, etag
    )
    assert done.status_code == 200, done.content
    assert done.json()["platform_sales"] is True and done.json()["platform_communication"] is False
    world.alfa.refresh_from_db()
    assert (
        world.alfa.platform_sales is True and str(world.alfa.coordinator_experience_years) == "4.5"
    )
    assert _send(office, "patch", url, {"dues_revenue": True}, etag).status_code == 412


def test_kkk_s2_exp_expert_scores_by_the_api(world, client_for):
    office = client_for("office")
    url = _url("api_kkk_experts")
    read = office.get(url)
    assert read.status_code == 200
    indicators = read.json()["indicators"]
    first = indicators[0]
    etag = read["ETag"]
    assert _send(office, "put", url, {"experts": []}).status_code == 428
    before = db_fingerprint()
    too_many = {"experts": [{"name": "A", "scores": {}}] * 3}
    assert _send(office, "put", url, too_many, etag).status_code == 400
    over = {"experts": [{"name": "Ekspert A", "scores": {first["number"]: first["max"] + 1}}]}
    refused = _send(office, "put", url, over, etag)
    assert refused.status_code == 400 and set(refused.json()) == {f"e1_{first['number']}"}
    assert_unchanged(before, "refused expert scores")
    good = {
        "experts": [
            {"name": "Ekspert A", "scores": {first["number"]: first["max"]}},
            {"name": "Ekspert B", "scores": {first["number"]: 0}},
        ]
    }
    saved = _send(office, "put", url, good, etag)
    assert saved.status_code == 200, saved.content
    assert [e["name"] for e in saved.json()["experts"]] == ["Ekspert A", "Ekspert B"]
    assert ExpertScore.objects.filter(cluster=world.alfa).count() == 2
    assert _send(office, "put", url, good, etag).status_code == 412  # the read is stale now


def test_kkk_s3_panel_scores_by_the_api(world, client_for):
    office = client_for("office")
    url = _url("api_kkk_panel")
    etag = office.get(url)["ETag"]
    before = db_fingerprint()
    partial = _send(office, "put", url, {"successes_strategy": 1}, etag)
    assert partial.status_code == 400  # all four or none, in the form's words
    over = _send(
        office,
        "put",
        url,
        {"successes_strategy": 99, "knowledge_transfer": 1, "public_policies": 1, "pandemic": 1},
        etag,
    )
    assert over.status_code == 400 and set(over.json()) == {"successes_strategy"}
    assert_unchanged(before, "refused panel scores")
    saved = _send(
        office,
        "put",
        url,
        {"successes_strategy": 1, "knowledge_transfer": 1, "public_policies": 1, "pandemic": 1},
        etag,
    )
    assert saved.status_code == 200, saved.content
    assert PanelScore.objects.get(cluster=world.alfa).pandemic == 1


def test_kkk_another_clusters_office_cannot_touch_alfas_attachments(world, client_for):
    from tests.kkk.matrix import _attachment

    aid = _attachment(world)
    outsider = client_for("outsider")
    before = db_fingerprint()
    assert outsider.delete(_url("api_kkk_attachment", "beta", attachment_id=aid)).status_code == 404
    assert outsider.get(_url("api_kkk_attachment", "beta", attachment_id=aid)).status_code == 404
    assert_unchanged(before, "beta's office on alfa's attachment")
    # and the office of alfa is the only one whose panel it writes
    assert client_for("chair").get(_url("api_kkk_panel")).status_code == 403
