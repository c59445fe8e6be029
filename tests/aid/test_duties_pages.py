"""The participants' duties through the pages (AID-7, 003 § 6): the office asks for a usage
report by a day and marks it received; a representative sees its own member's duties and reports
a change of status, and cannot touch another member's contract."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from klaster.aid.models import Duty
from tests.aid.matrix_contracts import contract

pytestmark = pytest.mark.django_db


def test_aid_7_the_office_asks_for_a_report_and_marks_it_received(
    world, client_for, smtp_sink=None
):
    c = contract(world)
    client = client_for("office")
    url = reverse("aid_duties", args=["alfa"])
    due = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    client.post(url, {"action": "request", "contract": c.pk, "due_on": due})
    duty = Duty.objects.get(contract=c, kind="usage_report")
    assert duty.due_on.isoformat() == due
    page = client.get(url).content.decode()
    assert c.number in page and "sprawozdanie z korzystania z produktu" in page.lower()
    client.post(url, {"action": "done", "duty": duty.pk, "done_on": dt.date.today().isoformat()})
    duty.refresh_from_db()
    assert duty.done_on == dt.date.today()


def test_aid_7_a_representative_reports_a_change_of_its_own_members_status_only(world, client_for):
    c = contract(world)
    assert c.application.member_id == world.member_a.pk  # the persona `member` represents A
    url = reverse("aid_my_duties", args=["alfa", world.member_a.pk])
    owner, other = "member", "proxy"
    client_for(owner).post(url, {"contract": c.pk, "description": "Zmiana formy prawnej"})
    assert Duty.objects.filter(contract=c, kind="status_change").count() == 1
    assert client_for(other).post(url, {"contract": c.pk, "description": "x"}).status_code == 403
    assert Duty.objects.filter(contract=c, kind="status_change").count() == 1
    assert "Zmiana formy prawnej" in client_for(owner).get(url).content.decode()
