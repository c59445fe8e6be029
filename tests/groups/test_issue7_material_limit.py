"""Issue 7 point 7: a working-group material over its size limit (25 MB by default,
klaster/core/uploads.py) is refused with a Polish message naming the limit; nothing is
stored — neither the record nor the file."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klaster.core import uploads
from klaster.core.models import AuditLog
from klaster.groups.models import GroupMaterial

pytestmark = pytest.mark.django_db


def _files(root):
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize("persona", ["office", "member"])
def test_issue7_a_material_over_the_default_limit_is_refused_and_nothing_stored(
    gz, client_for, persona, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    before = (GroupMaterial.objects.count(), AuditLog.objects.count())
    big = SimpleUploadedFile(
        "prezentacja.pptx", b"\0" * (uploads.limit("group_material") + 512 * 1024)
    )
    response = client_for(persona).post(
        reverse("group_material_add", kwargs={"slug": "alfa", "group_id": gz.group.pk}),
        {"ma-title": "Wielki plik", "ma-confidential": "on", "ma-file": big},
        follow=True,
    )
    page = response.content.decode()
    assert "Plik jest za duży (26 MB): limit dla materiału grupy roboczej to 25 MB." in page
    assert (GroupMaterial.objects.count(), AuditLog.objects.count()) == before
    assert _files(tmp_path) == []


def test_issue7_the_limit_follows_the_setting(gz, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.KLASTER_UPLOAD_LIMITS = {"group_material": 1 * uploads.MB}
    url = reverse("group_material_add", kwargs={"slug": "alfa", "group_id": gz.group.pk})
    office = client_for("office")
    page = office.post(
        url,
        {"ma-title": "Za duży", "ma-file": SimpleUploadedFile("a.pdf", b"x" * (uploads.MB + 1))},
        follow=True,
    ).content.decode()
    assert "limit dla materiału grupy roboczej to 1 MB" in page
    office.post(
        url, {"ma-title": "W sam raz", "ma-file": SimpleUploadedFile("b.pdf", b"x" * uploads.MB)}
    )
    assert list(GroupMaterial.objects.values_list("title", flat=True)) == ["W sam raz"]
