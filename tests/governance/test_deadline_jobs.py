"""Governance's deadline jobs (issue 12 point 6; klaster.governance.jobs) through the task queue:
the week's GOV-7 notices to send, GOV-4 proxy deadlines and GOV-5 objection windows are those the
office's home lists, e-mailed to the office once a day — a real local SMTP server refusing the
first attempt: the job is retried and each office gets its one e-mail — and GOV-15's members not
met, once a month. The home shows the office what was done by itself."""

from __future__ import annotations

import datetime as dt
import email

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klaster.core import jobs
from klaster.core.access import Grants
from klaster.core.models import JobRun, Role
from klaster.governance import jobs as gov_jobs
from klaster.governance.models import Meeting
from klaster.rules import agenda
from tests.governance.conftest import NOW, SmtpSink, at, free_port
from tests.money.conftest import klaster

OFFICE = Grants(frozenset({Role.OFFICE}), frozenset())
DIGEST_CODES = {agenda.NOTICE_SEND, agenda.PROXY_DEADLINE, agenda.OBJECTION_WINDOW}


class RefusingFirst(SmtpSink):
    """Says "try later" (451) to the first message, then accepts; counts the refusals."""

    def __init__(self):
        super().__init__()
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
        if not self.refused:
            self.refused += 1
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)

    def bodies(self) -> list[str]:
        out = []
        for e in self.envelopes:
            msg = email.message_from_bytes(e.content)
            out.append(msg.get_payload(decode=True).decode())
        return out


@pytest.fixture
def refusing(settings):
    from aiosmtpd.controller import Controller

    sink = RefusingFirst()
    port = sink.port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        controller.stop()


def _only(monkeypatch, name):
    """The registry with that one job (the others have tests of their own)."""
    jobs.discover()
    monkeypatch.setattr(jobs, "REGISTRY", {name: jobs.REGISTRY[name]})


@pytest.fixture
def only_deadlines(monkeypatch):
    _only(monkeypatch, gov_jobs.DEADLINES)


@pytest.fixture
def only_yearly(monkeypatch):
    _only(monkeypatch, gov_jobs.YEARLY_MEETINGS)


def _late_notice_meeting(gov, cluster=None, user=None, organ=None, title="Walne nadzwyczajne"):
    """A General Assembly on 27.06.2025 whose notice is not sent yet: due by 06.06 (21 days).
    (Convening records a notice; the meeting planned before its notice is that row without it.)"""
    from klaster.governance import services

    meeting = services.meeting_convene(
        organ=organ or gov.organs["ga"],
        user=user or gov.office,
        title=title,
        starts_at=at(27, 10),
        kind=Meeting.Kind.EXTRAORDINARY,
    )
    Meeting.objects.filter(pk=meeting.pk).update(notice_sent_at=None)
    meeting.refresh_from_db()
    return meeting


def _office_addresses(gov):
    office = gov.world.users["office"]
    office.email = "biuro@alfa.example"
    office.save()


def _items(cluster, day):
    return [(i.code, i.due, i.params["title"]) for i in gov_jobs.week_deadlines(cluster, day)]


def _office_home(cluster, user, day):
    """The home's agenda, kept to what the digest carries: the week's GOV-4/5/7 items still to
    act on (a late notice of a meeting ahead; proxy and objection deadlines not passed)."""
    from klaster.office.selectors import office_agenda

    return [
        (i.code, i.due, i.params["title"])
        for i in office_agenda(cluster, OFFICE, user, day)
        if i.code in DIGEST_CODES
        and i.days_left <= gov_jobs.WEEK
        and (i.days_left >= 0 or (i.code == agenda.NOTICE_SEND and i.params["meeting_date"] >= day))
    ]


def test_gov_4_5_7_the_weeks_deadlines_are_the_ones_the_office_home_lists(gov):
    """GOV-7 (a notice to send, late too), GOV-4 (proxies), GOV-5 (objections after a summary):
    the digest's items, day by day over a month, are the home's within the week."""
    _late_notice_meeting(gov)
    Meeting.objects.filter(pk=gov.council.pk).update(summary_sent_at=at(3, 12))
    seen_codes = set()
    for offset in range(0, 29):
        day = NOW.date() + dt.timedelta(days=offset)
        ours = _items(gov.world.alfa, day)
        assert sorted(ours) == sorted(_office_home(gov.world.alfa, gov.office, day)), day
        seen_codes |= {code for code, _, _ in ours}
    assert seen_codes == DIGEST_CODES


def test_gov_7_digest_refused_once_is_retried_and_sent_once_a_day(
    gov, frozen, refusing, only_deadlines, settings
):
    """The SMTP server refuses the first attempt: the job is recorded for retry, the office's
    e-mail goes out on the retry — once; a second run-scheduled and worker that day send nothing;
    the next day brings the next day's digest."""
    _office_addresses(gov)
    meeting = _late_notice_meeting(gov)
    today = NOW.date()
    assert any(code == agenda.NOTICE_SEND for code, _, _ in _items(gov.world.alfa, today))
    jobs.enqueue_due(today)
    jobs.run_enqueued()
    run = JobRun.objects.get(name=gov_jobs.DEADLINES, cluster=None)
    assert (run.state, run.attempts) == ("retry", 1)
    assert "451" in run.result and "alfa" in run.result
    step = JobRun.objects.get(name=gov_jobs.DEADLINES, cluster=gov.world.alfa)
    assert step.state == "failed"
    assert (refusing.refused, refusing.envelopes) == (1, [])

    frozen.move_to(NOW + jobs.backoff(1))
    assert jobs.run_enqueued() >= 1
    run.refresh_from_db()
    step.refresh_from_db()
    assert (run.state, run.attempts, step.state, step.attempts) == ("done", 2, "done", 2)
    assert refusing.rcpts() == [["biuro@alfa.example"]]
    body = refusing.bodies()[0]
    assert f"wysłać zawiadomienie o posiedzeniu „{meeting.title}”" in body
    assert "06.06.2025" in body  # 21 days before 27.06

    # the same day again: cron's run-scheduled and the worker find nothing to send
    assert klaster(["run-scheduled"]) == 0
    call_command("worker", "--once", stdout=__import__("io").StringIO())
    assert len(refusing.envelopes) == 1

    frozen.move_to(NOW + dt.timedelta(days=1))
    call_command("worker", "--once", stdout=__import__("io").StringIO())
    assert len(refusing.envelopes) == 2
    assert JobRun.objects.filter(name=gov_jobs.DEADLINES, cluster=gov.world.alfa).count() == 2


def test_gov_7_a_retry_sends_only_to_the_office_not_sent_yet(gov, frozen, refusing, only_deadlines):
    """Two clusters with deadlines: the first office's e-mail is refused, the second's goes; the
    retry sends the first's and never the second's again."""
    from klaster.core.services import statute_profile_set
    from klaster.governance import services

    _office_addresses(gov)
    _late_notice_meeting(gov)
    beta, outsider = gov.world.beta, gov.world.users["outsider"]
    beta.contact_email = "biuro@beta.example"
    beta.save()
    statute_profile_set(
        cluster=beta, valid_from=dt.date(2020, 1, 1), user=outsider, preset="evoluma"
    )
    organs = services.organs_ensure(cluster=beta, user=outsider)
    _late_notice_meeting(gov, user=outsider, organ=organs["ga"], title="Walne Beta")
    today = NOW.date()
    jobs.enqueue_due(today)
    jobs.run_enqueued()
    assert refusing.rcpts() == [["biuro@beta.example"]]  # alfa first, refused; beta sent
    frozen.move_to(NOW + jobs.backoff(1))
    jobs.run_enqueued()
    assert refusing.rcpts() == [["biuro@beta.example"], ["biuro@alfa.example"]]
    steps = dict(
        JobRun.objects.filter(name=gov_jobs.DEADLINES, cluster__isnull=False).values_list(
            "cluster__slug", "attempts"
        )
    )
    assert steps == {"alfa": 2, "beta": 1}
    assert "Walne Beta" in refusing.bodies()[0] and "Walne Beta" not in refusing.bodies()[1]


def test_gov_15_members_not_met_are_sent_to_the_office_once_a_month(
    gov, frozen, refusing, only_yearly
):
    from klaster.governance.selectors import members_not_met

    _office_addresses(gov)
    refusing.refused = 1  # this server accepts everything
    today = NOW.date()
    behind = members_not_met(gov.world.alfa, today)
    assert behind  # nobody was ever met
    jobs.enqueue_due(today)
    jobs.run_enqueued()
    reminders = [b for b in refusing.bodies() if "nie spotkał się" in b]
    assert len(reminders) == 1
    for member, _ in behind:
        assert member.name in reminders[0]
    frozen.move_to(NOW + dt.timedelta(days=1))  # the next day, the same month: not again
    jobs.enqueue_due(today + dt.timedelta(days=1))
    jobs.run_enqueued()
    assert len([b for b in refusing.bodies() if "nie spotkał się" in b]) == 1
    frozen.move_to(dt.datetime(2025, 7, 1, 10, 0, tzinfo=NOW.tzinfo))  # a new month: again
    jobs.enqueue_due(dt.date(2025, 7, 1))
    jobs.run_enqueued()
    assert len([b for b in refusing.bodies() if "nie spotkał się" in b]) == 2


def test_the_office_home_lists_what_was_done_by_itself(
    gov, client_for, django_assert_max_num_queries
):
    jobs.once(gov_jobs.DEADLINES, NOW.date(), gov.world.alfa, lambda: "wysłano")
    jobs.once(gov_jobs.DEADLINES, NOW.date(), gov.world.beta, lambda: "wysłano")
    page = client_for("office").get(f"/c/{gov.world.alfa.slug}/")
    text = page.content.decode()
    assert "Zrobione samoczynnie" in text
    assert "Terminy tygodnia wysłane do biura e-mailem" in text
    assert text.count("Terminy tygodnia wysłane do biura e-mailem") == 1  # beta's is not alfa's
    member_page = client_for("member").get(f"/c/{gov.world.alfa.slug}/").content.decode()
    assert "Zrobione samoczynnie" not in member_page
    office = client_for("office")
    with CaptureQueriesContext(connection) as few:
        office.get(f"/c/{gov.world.alfa.slug}/")
    for day in range(2, 12):
        jobs.once(gov_jobs.DEADLINES, dt.date(2025, 5, day), gov.world.alfa, lambda: "wysłano")
    with django_assert_max_num_queries(len(few.captured_queries)):  # not one more per row
        page = office.get(f"/c/{gov.world.alfa.slug}/")
    assert page.content.decode().count("Terminy tygodnia wysłane do biura e-mailem") == 5
