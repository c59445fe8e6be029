"""MEM-8: a delegated person's link with the member ends — the end is recorded, the governance
hook fires in the same transaction, and the office is reminded when the person's notice has
not reached the coordinator within one month (001 "Podejmowanie decyzji" 7)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from klaster.core.models import AuditLog
from klaster.members import services, signals
from klaster.members.models import DelegatedPerson
from klaster.members.selectors import delegate_link_end_reminders
from tests.factories import DelegatedPersonFactory, MemberFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 6, 16, 12, 0, tzinfo=dt.UTC)  # Monday 16 June 2025


def _person(member, name, *, ga=True, ended=None, reported=None):
    return DelegatedPersonFactory(
        member=member,
        name=name,
        to_general_assembly=ga,
        link_ended=ended,
        link_end_reported=reported,
    )


@pytest.fixture
def received():
    calls = []

    def receiver(sender, person, ended, user, **kwargs):
        calls.append((person.pk, ended, user))

    signals.delegate_link_ended.connect(receiver)
    yield calls
    signals.delegate_link_ended.disconnect(receiver)


@time_machine.travel(TODAY, tick=False)
def test_mem_8_link_end_recorded_in_the_portal_fires_the_governance_hook(
    world, client_for, received
):
    anna = _person(world.member_a, "Anna Nowak")
    _person(world.member_a, "Piotr Zieliński")
    r = client_for("member").post(
        reverse("portal", kwargs={"slug": "alfa", "member_id": world.member_a.pk}),
        {"action": "delegate_end", "delegate_id": anna.pk, "link_ended": "2025-06-02"},
    )
    assert r.status_code == 302
    anna.refresh_from_db()
    assert (anna.link_ended, anna.link_end_reported) == (dt.date(2025, 6, 2), None)
    assert received == [(anna.pk, dt.date(2025, 6, 2), world.users["member"])]
    entry = AuditLog.objects.get(model="members.DelegatedPerson", action="link_end")
    assert entry.changes == {"link_ended": [None, "2025-06-02"]}
    # the person stays on record and no longer counts among the five (MEM-7)
    assert DelegatedPerson.objects.filter(pk=anna.pk).exists()
    portal = client_for("member").get(
        reverse("portal", kwargs={"slug": "alfa", "member_id": world.member_a.pk})
    )
    assert "2025-06-02" in portal.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_mem_8_a_failing_hook_undoes_the_link_end(world, received):
    anna = _person(world.member_a, "Anna Nowak")

    def refuse(**kwargs):
        raise RuntimeError("organ seats could not be ended")

    signals.delegate_link_ended.connect(refuse)
    try:
        with pytest.raises(RuntimeError):
            services.delegate_link_end(
                delegate=anna, user=world.users["office"], ended=dt.date(2025, 6, 1)
            )
    finally:
        signals.delegate_link_ended.disconnect(refuse)
    anna.refresh_from_db()
    assert anna.link_ended is None
    assert not AuditLog.objects.filter(action="link_end").exists()


@time_machine.travel(TODAY, tick=False)
def test_mem_8_office_is_reminded_only_after_the_month_has_passed(world, client_for):
    a = world.member_a
    overdue = _person(
        a, "Po terminie", ended=dt.date(2025, 5, 15)
    )  # month ended 15 June: overdue on 16 June
    on_last_day = _person(a, "Ostatni dzień", ended=dt.date(2025, 5, 16))  # 16 June is the last day
    _person(a, "Zgłoszona", ended=dt.date(2025, 3, 1), reported=dt.date(2025, 3, 20))
    _person(a, "Aktywna")
    month_end = _person(world.member_b, "Koniec miesiąca", ended=dt.date(2025, 1, 31))  # due 28 Feb
    other = MemberFactory(cluster=world.beta)
    _person(other, "Obca", ended=dt.date(2024, 1, 1))
    rows = delegate_link_end_reminders(world.alfa, TODAY.date())
    assert [(r.person.pk, r.overdue) for r in rows] == [
        (month_end.pk, True),
        (overdue.pk, True),
        (on_last_day.pk, False),
    ]
    assert rows[0].deadline == dt.date(2025, 2, 28)  # Kodeks cywilny art. 112: no 31 February
    page = client_for("office").get(reverse("delegate_reminders", kwargs={"slug": "alfa"}))
    assert [r.person.pk for r in page.context["overdue"]] == [month_end.pk, overdue.pk]
    assert [r.person.pk for r in page.context["pending"]] == [on_last_day.pk]
    assert "Obca" not in page.content.decode()
    home = client_for("office").get(reverse("cluster_home", kwargs={"slug": "alfa"}))
    assert home.context["overdue_link_ends"] == 2


@time_machine.travel(TODAY, tick=False)
def test_mem_8_office_marks_the_notice_reported_and_the_reminder_goes(world, client_for):
    late = _person(world.member_a, "Spóźniona", ended=dt.date(2025, 4, 1))
    url = reverse("delegate_link_end_reported", kwargs={"slug": "alfa", "person_id": late.pk})
    assert client_for("member").post(url, {"link_end_reported": "2025-06-16"}).status_code == 403
    r = client_for("office").post(url, {"link_end_reported": "2025-06-16"})
    assert r.status_code == 302 and r["Location"] == reverse(
        "delegate_reminders", kwargs={"slug": "alfa"}
    )
    late.refresh_from_db()
    assert late.link_end_reported == dt.date(2025, 6, 16)
    assert delegate_link_end_reminders(world.alfa, TODAY.date()) == []
    entry = AuditLog.objects.get(model="members.DelegatedPerson", object_id=str(late.pk))
    assert entry.changes == {"link_end_reported": [None, "2025-06-16"]}


@time_machine.travel(TODAY, tick=False)
def test_mem_8_office_records_an_end_already_reported_and_the_last_ga_delegate_may_go(
    world, client_for, received
):
    only = _person(world.member_b, "Jedyna na WZ")
    r = client_for("office").post(
        reverse("delegate_link_end", kwargs={"slug": "alfa", "person_id": only.pk}),
        {"link_ended": "2025-06-10", "link_end_reported": "2025-06-12"},
    )
    assert r.status_code == 302
    only.refresh_from_db()
    assert (only.link_ended, only.link_end_reported) == (dt.date(2025, 6, 10), dt.date(2025, 6, 12))
    assert len(received) == 1
    page = client_for("office").get(
        reverse("member_detail", kwargs={"slug": "alfa", "member_id": world.member_b.pk})
    )
    assert page.context["no_ga_delegate"] is True
    with pytest.raises(ValidationError):  # recorded once
        services.delegate_link_end(delegate=only, user=None, ended=dt.date(2025, 6, 11))
    future = _person(world.member_b, "Przyszła")
    with pytest.raises(ValidationError) as exc:
        services.delegate_link_end(delegate=future, user=None, ended=dt.date(2025, 7, 1))
    assert "link_ended" in exc.value.message_dict
    # another member's representative cannot end this member's links
    r = client_for("member").post(
        reverse("delegate_link_end", kwargs={"slug": "alfa", "person_id": future.pk}),
        {"link_ended": "2025-06-10"},
    )
    assert r.status_code == 403
