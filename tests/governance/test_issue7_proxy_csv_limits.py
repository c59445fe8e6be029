"""Issue 7 points 7 and 9: the proxy CSV (GOV-4) has a size limit, and a file that is not UTF-8
(or UTF-16 with a BOM) is a form error in Polish — never a 500, never a partial import."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klaster.core import uploads
from klaster.core.models import AuditLog
from klaster.governance.models import Proxy

pytestmark = pytest.mark.django_db


def _post(client, gov, data: bytes):
    url = reverse("proxy_add", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk})
    return client.post(
        url, {"csv-file": SimpleUploadedFile("pelnomocnictwa.csv", data)}, follow=True
    )


def _csv(gov) -> str:
    return f"giver;holder;received_at\n{gov.member(6).key};Jan Nowak;2025-06-20 12:00\n"


def test_issue7_a_proxy_csv_over_the_limit_is_refused_and_nothing_written(gov, client_for):
    before = (Proxy.objects.count(), AuditLog.objects.count())
    data = _csv(gov).encode() + b"#" * uploads.limit("proxy_csv")
    page = _post(client_for("office"), gov, data).content.decode()
    assert "limit dla pliku CSV z pełnomocnictwami to 1 MB" in page
    assert (Proxy.objects.count(), AuditLog.objects.count()) == before


@pytest.mark.parametrize(
    "data",
    [
        "giver;holder\nm006;Łukasz Żółw\n".encode("cp1250"),
        b"\x00\x01\x02binary\xff",
        b"\xff\xfe" + "giver;holder\n".encode("utf-16-le") + b"x",  # UTF-16 with a byte missing
    ],
    ids=["cp1250", "binary", "utf16-odd"],
)
def test_issue7_a_proxy_csv_in_a_bad_encoding_is_a_form_error(gov, client_for, data):
    before = (Proxy.objects.count(), AuditLog.objects.count())
    response = _post(client_for("office"), gov, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "UTF-8" in page or "nie jest plikiem tekstowym CSV" in page
    assert "codec" not in page  # no Python exception text
    assert (Proxy.objects.count(), AuditLog.objects.count()) == before


def test_issue7_a_proxy_csv_in_utf16_with_a_bom_is_read(gov, client_for):
    _post(client_for("office"), gov, _csv(gov).encode("utf-16"))
    assert Proxy.objects.filter(meeting=gov.ga, status="accepted").count() == 1
