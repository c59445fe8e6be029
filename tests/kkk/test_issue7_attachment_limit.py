"""Issue 7 point 7: a KKK application attachment over its size limit is refused by the form
with a Polish message naming the limit; nothing is stored."""

from __future__ import annotations

import pytest
from django.urls import reverse

from klaster.core import uploads
from klaster.kkk import services
from klaster.kkk.models import ApplicationAttachment
from tests.kkk.conftest import PDF, D, pdf_upload

pytestmark = pytest.mark.django_db


def test_issue7_an_attachment_over_the_limit_is_refused_and_nothing_stored(
    demo, client, media, settings, monkeypatch
):
    settings.KLASTER_UPLOAD_LIMITS = {"kkk_attachment": 1 * uploads.MB}
    monkeypatch.setattr(
        services,
        "application_attachment_add",
        lambda **kw: pytest.fail("a file over the limit reached the service"),
    )
    application = services.application_create(cluster=demo, user=demo.office, as_of=D)
    client.force_login(demo.office)
    url = reverse("kkk_attachment_add", kwargs={"slug": "demo", "application_id": application.pk})
    big = pdf_upload("statut.pdf", PDF + b"%" * (2 * uploads.MB))
    page = client.post(url, {"a-kind": "2", "a-file": big}, follow=True).content.decode()
    assert "limit dla załącznika wniosku KKK to 1 MB" in page
    assert ApplicationAttachment.objects.count() == 0
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
