"""Arrears, interest and the vote (FIN-4, its Reading, GOV-1; MONEY-CLI `klaster arrears`)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from klaster.money import selectors, services
from tests.money.conftest import klaster, mt940

pytestmark = pytest.mark.django_db


def test_fin_4_arrears_command_lists_open_documents_stages_and_interest(money, capsys):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 31))
    services.import_statement(
        cluster=money.cluster,
        data=mt940([("100.00", "FV/2026/0001", "Alfa-Tech", "")], day=dt.date(2026, 2, 1)),
    )
    assert klaster(["arrears", "alfa", "--as-of", "2026-03-17"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2026-03-17"
    a, b = data["members"]
    assert (a["member"], b["member"]) == ("m001", "m002")
    doc = a["documents"][0]
    assert list(doc) == [
        "number", "kind", "issued", "due", "gross", "paid", "open", "days_overdue", "stage",
        "interest", "regime",
    ]  # fmt: skip
    assert doc["number"] == "FV/2026/0001" and doc["kind"] == "invoice"
    assert (doc["gross"], doc["paid"], doc["open"]) == ("516.60", "100.00", "416.60")
    assert doc["days_overdue"] == 61 and doc["stage"] == "60"  # due 15 January
    assert doc["regime"] == "art. 481 KC"
    assert a["votes"] is False and a["credit"] == "0.00"
    # 61 days overdue; the statutory rate then: reference 4.00 % + 5.5 pp = 9.5 % (from the
    # shipped NBP table); 516.60 for 17 days (16.1 → 1.2, the day of payment bears it) and
    # 416.60 for 44 days
    assert doc["interest"] == str(
        selectors.rules.interest(
            doc_gross := __import__("decimal").Decimal("516.60"),
            dt.date(2026, 1, 15),
            dt.date(2026, 3, 17),
            payments=[(dt.date(2026, 2, 1), __import__("decimal").Decimal("100.00"))],
        ).amount
    )
    assert doc_gross


def test_fin_4_stage_90_and_fully_paid_documents_absent(money, capsys):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 31))
    services.import_statement(
        cluster=money.cluster,
        data=mt940([("1107.00", "FV/2026/0002", "Beta-Soft", "")], day=dt.date(2026, 1, 20)),
    )
    rows = selectors.arrears(money.cluster, dt.date(2026, 4, 16))
    assert [r.member.key for r in rows] == ["m001"]  # m002 paid in full: absent
    doc = rows[0].documents[0]
    assert (doc.stage.days_overdue, doc.stage.stage) == (91, "90")


def test_gov_1_fin_4_reading_member_more_than_60_days_past_due_does_not_vote(money):
    """The vote at a meeting follows the ledger on the meeting's day, and returns with payment."""
    from klaster.governance.models import Meeting
    from klaster.governance.selectors import voting_roll_for
    from tests.factories import MeetingFactory

    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 31))
    ga = money.cluster.organs.get(kind="ga")

    def right(day):
        meeting = MeetingFactory(organ=ga, cluster=money.cluster, date=day)
        roll = voting_roll_for(Meeting.objects.get(pk=meeting.pk))
        return {r.member_id: r for r in roll.rights}[str(money.a.pk)]

    on_day_60 = right(dt.date(2026, 3, 16))  # due 15 January: 60 days, still votes
    assert on_day_60.may_vote and on_day_60.code == "partner"
    late = right(dt.date(2026, 3, 17))  # 61 days
    assert (late.may_vote, late.may_attend, late.code) == (False, True, "arrears")
    assert late.message.kwargs["numbers"] == "FV/2026/0001"
    services.import_statement(
        cluster=money.cluster,
        data=mt940([("516.60", "FV/2026/0001", "Alfa-Tech", "")], day=dt.date(2026, 3, 18)),
    )
    assert not right(dt.date(2026, 3, 17)).may_vote  # the meeting's day decides
    assert right(dt.date(2026, 3, 19)).may_vote  # the vote returns with payment


def test_fin_4_arrears_step_is_recorded_with_its_date(money):
    from klaster.money.models import ArrearsStep

    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 31))
    services.arrears_step(
        cluster=money.cluster,
        member=money.a,
        kind="notice",
        stage="60",
        day=dt.date(2026, 3, 17),
        documents=["FV/2026/0001"],
    )
    step = ArrearsStep.objects.get()
    assert (step.day, step.stage, step.documents) == (dt.date(2026, 3, 17), "60", ["FV/2026/0001"])
    with pytest.raises(services.MoneyError):
        services.arrears_step(
            cluster=money.cluster,
            member=money.world.member_beta,
            kind="notice",
            stage="60",
            day=dt.date(2026, 3, 17),
            documents=[],
        )


def test_gov_1_a_meeting_ahead_reads_arrears_as_of_today(money, time_machine):
    """What will be paid by a future meeting is not known: its roll counts only documents late
    today, not every document that would be 60 days late by then if nothing were paid."""
    from klaster.governance.models import Meeting
    from klaster.governance.selectors import voting_roll_for
    from tests.factories import MeetingFactory

    time_machine.move_to(dt.datetime(2026, 2, 1, 10, 0))
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 2, 1))
    ga = money.cluster.organs.get(kind="ga")
    meeting = MeetingFactory(organ=ga, cluster=money.cluster, date=dt.date(2026, 6, 1))
    roll = voting_roll_for(Meeting.objects.get(pk=meeting.pk))
    assert {r.member_id: r.may_vote for r in roll.rights}[str(money.a.pk)] is True
    time_machine.move_to(dt.datetime(2026, 6, 1, 10, 0))  # the day comes, nothing was paid
    roll = voting_roll_for(Meeting.objects.get(pk=meeting.pk))
    assert {r.member_id: r.code for r in roll.rights}[str(money.a.pk)] == "arrears"


def test_fin_4_the_notice_is_e_mailed_with_the_letter_and_recorded(money, smtp, client_for):
    from email import message_from_bytes

    from tests.factories import NotificationEmailFactory

    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 31))
    NotificationEmailFactory(member=money.a, email="ksiegowosc@alfa-tech.example.pl")
    office = client_for("office")
    prefix = f"m{money.a.pk}"
    page = office.post(
        f"/c/alfa/money/arrears/{money.a.pk}/step/",
        {f"{prefix}-member": money.a.pk, f"{prefix}-kind": "notice", f"{prefix}-day": "2026-03-20"},
        follow=True,
    )
    assert "ksiegowosc@alfa-tech.example.pl" in page.content.decode()
    step = money.a.arrears_steps.get()
    assert step.emailed_to == ["ksiegowosc@alfa-tech.example.pl"] and step.send_error == ""
    # queued with the step (statutory: it reaches an address that left the newsletter), sent by
    # the worker's outbox
    from klaster.core import outbox
    from klaster.core.models import OutboxMessage

    queued = OutboxMessage.objects.get(source=f"money:arrears:{step.pk}")
    assert queued.statutory and queued.to == ["ksiegowosc@alfa-tech.example.pl"]
    assert smtp.envelopes == []
    assert outbox.deliver_due().sent == 1
    (envelope,) = smtp.envelopes
    mail = message_from_bytes(envelope.content)
    assert envelope.rcpt_tos == ["ksiegowosc@alfa-tech.example.pl"]
    assert "zawiadomienie" in mail["Subject"]
    attachments = [p for p in mail.walk() if p.get_content_type() == "application/pdf"]
    assert len(attachments) == 1


def test_fin_4_a_member_without_an_address_gets_the_step_recorded_and_the_reason(money, smtp):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 31))
    step = services.arrears_step(
        cluster=money.cluster,
        member=money.b,
        kind="letter",
        stage="90",
        day=dt.date(2026, 4, 20),
        documents=["FV/2026/0002"],
    )
    step = services.arrears_email(step=step)
    assert step.emailed_to == [] and "adresu" in step.send_error
    assert smtp.envelopes == []
