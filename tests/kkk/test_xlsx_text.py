"""Issue 7 point 3: the KKK application XLSX writes members' names as text, never formulas."""

from __future__ import annotations

import io

from django.urls import reverse

from tests.core.test_exports_text import EVIL


def test_issue7_kkk_application_xlsx_member_name_is_text(demo, client):
    """KKK-1 table 4 lists every member by name: a formula-like name is a string cell."""
    from openpyxl import load_workbook

    from klaster.kkk import services
    from klaster.members.models import Member
    from tests.kkk.conftest import D

    member = (
        Member.objects.filter(cluster=demo).exclude(pk=demo.coordinator_id).order_by("id").first()
    )
    Member.objects.filter(pk=member.pk).update(name=EVIL[0])
    application = services.application_create(cluster=demo, user=demo.office, as_of=D)
    client.force_login(demo.office)
    response = client.get(
        reverse("kkk_application_xlsx", kwargs={"slug": "demo", "application_id": application.pk})
    )
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == EVIL[0] and c.data_type == "s" for c in cells)
