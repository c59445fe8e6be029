"""Participants' duties under a lending contract (AID-7; 003 §6): a usage report asked for by a
due day and e-mailed to the member's notification addresses, received once, and a status change
the participant reported, recorded with its description."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes

import pytest
from django.core.exceptions import ValidationError

from klaster.aid import services_duties as duties
from klaster.aid.models import Duty
from tests.aid.test_shrimp import ContractFactory
from tests.factories import ClusterFactory, MemberFactory, NotificationEmailFactory
from tests.governance.conftest import smtp  # noqa: F401, F811 — the real local SMTP server fixture

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 12, 4)


@pytest.fixture
def contract():
    cluster = ClusterFactory(slug="alfa")
    return ContractFactory(application__member=MemberFactory(cluster=cluster, name="Alfa-Tech"))


def test_aid_7_usage_report_is_asked_by_e_mail(contract, smtp):  # noqa: F811
    NotificationEmailFactory(member=contract.application.member, email="biuro@alfa.example.pl")
    duty, error = duties.request_usage_report(
        contract=contract, due_on=D(2026, 12, 31), today=TODAY
    )
    assert error == ""
    assert (duty.kind, duty.due_on, duty.done_on) == ("usage_report", D(2026, 12, 31), None)
    from klaster.core import outbox
    from klaster.core.models import OutboxMessage

    assert OutboxMessage.objects.get(source=f"aid:duty:{duty.pk}").statutory  # queued first
    assert smtp.envelopes == [] and outbox.deliver_due().sent == 1
    (envelope,) = smtp.envelopes
    mail = message_from_bytes(envelope.content)
    assert "biuro@alfa.example.pl" in mail["To"]
    assert contract.number in mail["Subject"]


def test_aid_7_without_an_address_the_duty_is_kept_and_the_reason_given(contract, smtp):  # noqa: F811
    duty, error = duties.request_usage_report(
        contract=contract, due_on=D(2026, 12, 31), today=TODAY
    )
    assert Duty.objects.filter(pk=duty.pk).exists() and error
    assert smtp.envelopes == []


def test_aid_7_a_due_day_in_the_past_is_refused_and_nothing_written(contract):
    with pytest.raises(ValidationError):
        duties.request_usage_report(contract=contract, due_on=D(2026, 12, 3), today=TODAY)
    assert not Duty.objects.exists()


def test_aid_7_a_report_is_received_once(contract, smtp):  # noqa: F811
    duty, _error = duties.request_usage_report(
        contract=contract, due_on=D(2026, 12, 31), today=TODAY
    )
    duties.mark_done(duty=duty, day=D(2026, 12, 20))
    with pytest.raises(ValidationError):
        duties.mark_done(duty=duty, day=D(2026, 12, 21))
    duty.refresh_from_db()
    assert duty.done_on == D(2026, 12, 20)


def test_aid_7_a_status_change_needs_a_description(contract):
    with pytest.raises(ValidationError):
        duties.report_status_change(contract=contract, description="  ", day=TODAY)
    row = duties.report_status_change(
        contract=contract, description="przejęcie przez spółkę Beta", day=TODAY
    )
    assert (row.kind, row.done_on, row.description) == (
        "status_change",
        TODAY,
        "przejęcie przez spółkę Beta",
    )
