"""The lending queue's services (AID-4, AID-5; 003 §4–§5): applications stamped on arrival, the
checklist and the result told by e-mail, the ranking list approved by the coordinator's
management, the waitlist served on a return, the dated price lists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from email import message_from_bytes
from zoneinfo import ZoneInfo

import factory
import pytest
from django.core.exceptions import ValidationError

from klaster.aid import services_lending as services
from klaster.aid.models import Application, Contract
from klaster.core.models import AuditLog
from tests.factories import (
    AidApplicationFactory,
    ApplicationDocumentFactory,
    EquipmentFactory,
    GrantFactory,
    KlasterFactory,
    NotificationEmailFactory,
    PriceListFactory,
    UndertakingFactory,
)
from tests.governance.conftest import smtp  # noqa: F401 — the real local SMTP server fixture

W = ZoneInfo("Europe/Warsaw")
NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=W)
D = dt.date


class ContractFactory(KlasterFactory):
    """A signed lending contract of an application (its grant made with GrantFactory,
    source "contract"); the contract pages are another part's, the return is ours."""

    class Meta:
        model = Contract

    application = factory.SubFactory(AidApplicationFactory)
    cluster = factory.LazyAttribute(lambda o: o.application.cluster)
    number = factory.Sequence(lambda n: f"UU/{n + 1}/2026")
    signed_on = D(2026, 12, 1)
    start = factory.LazyAttribute(lambda o: o.application.start)
    end = factory.LazyAttribute(lambda o: o.application.end)
    upkeep_fee = Decimal("240.00")
    lending_fee = Decimal("360.00")
    aid_pln = Decimal("4800.00")
    grant = factory.LazyAttribute(
        lambda o: GrantFactory(
            undertaking=UndertakingFactory(cluster=o.application.cluster),
            source="contract",
            granted_on=o.signed_on,
        )
    )


RECEIVED = dt.date(2026, 12, 2)
ISSUED = dt.date(2026, 11, 20)


def paper_set(application, *, received=RECEIVED, issued=ISSUED) -> None:
    """A complete set of documents on paper (the 2b way)."""
    for kind in ("rules", "annex1", "statement_2b", "annex3"):
        ApplicationDocumentFactory(application=application, kind=kind, received_on=received)
    ApplicationDocumentFactory(
        application=application,
        kind="extract",
        form="printout",
        received_on=received,
        issued_on=issued,
    )


def complete_app(world, member, start, end, arrived, **kw) -> Application:
    app = AidApplicationFactory(
        member=member, equipment=kw.pop("equipment"), start=start, end=end, arrived_at=arrived, **kw
    )
    paper_set(app)
    app.status = Application.Status.COMPLETE
    app.save()
    return app


@pytest.fixture
def mail(request):
    """The real local SMTP server (tests.governance.conftest.smtp) and what it caught."""
    from tests.governance.conftest import Delivered

    return Delivered(request.getfixturevalue("smtp"))  # notices go through the outbox


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def printer(world):
    eq = EquipmentFactory(cluster=world.alfa, name="Drukarka 3D Ultimaker S5")
    PriceListFactory(equipment=eq, valid_from=D(2026, 1, 1))
    return eq


# -- AID-4: arrival, checklist, result ------------------------------------------------------------


def test_aid_4_an_application_is_stamped_with_its_arrival_by_the_server(
    world, printer, time_machine
):
    time_machine.move_to(dt.datetime(2026, 12, 4, 9, 41, 37, tzinfo=W))
    app = services.application_file(
        cluster=world.alfa,
        member=world.member_a,
        equipment=printer,
        start=D(2027, 1, 11),
        end=D(2027, 1, 22),
        user=world.users["member"],
    )
    assert app.arrived_at == dt.datetime(2026, 12, 4, 9, 41, 37, tzinfo=W)
    assert app.status == Application.Status.RECEIVED
    assert AuditLog.objects.filter(model="aid.Application", object_id=str(app.pk)).exists()


def test_aid_4_a_paper_application_keeps_the_moment_it_came_but_not_a_future_one(
    world, printer, now
):
    came = dt.datetime(2026, 12, 3, 15, 5, tzinfo=W)
    app = services.application_file(
        cluster=world.alfa,
        member=world.member_b,
        equipment=printer,
        start=D(2027, 2, 1),
        end=D(2027, 2, 5),
        user=world.users["office"],
        arrived_at=came,
    )
    assert app.arrived_at == came
    with pytest.raises(ValidationError) as err:
        services.application_file(
            cluster=world.alfa,
            member=world.member_b,
            equipment=printer,
            start=D(2027, 2, 1),
            end=D(2027, 2, 5),
            user=world.users["office"],
            arrived_at=NOW + dt.timedelta(hours=1),
        )
    assert "arrived_at" in err.value.message_dict
    assert Application.objects.count() == 1


def test_aid_4_documents_make_the_application_complete_and_an_e_mail_does_not_count(
    world, printer, now
):
    app = AidApplicationFactory(
        member=world.member_a,
        equipment=printer,
        arrived_at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=W),
    )
    office = world.users["office"]
    for kind in ("rules", "annex1", "statement_2b"):
        services.document_add(
            application=app, user=office, kind=kind, form="paper", received_on=D(2026, 12, 2)
        )
    result = services.document_add(
        application=app, user=office, kind="annex3", form="electronic", received_on=D(2026, 12, 2)
    )
    app.refresh_from_db()
    assert app.status == "incomplete" and not result.complete
    assert {m.code for m in result.missing} == {"aid.lending.electronic", "aid.lending.missing"}
    services.document_add(
        application=app, user=office, kind="annex3", form="paper", received_on=D(2026, 12, 3)
    )
    # an extract issued 1 September 2026: more than 3 months before arrival on 1 December
    result = services.document_add(
        application=app,
        user=office,
        kind="extract",
        form="printout",
        received_on=D(2026, 12, 3),
        issued_on=D(2026, 8, 31),
    )
    assert [m.code for m in result.missing] == ["aid.lending.extract_old"]
    result = services.document_add(
        application=app,
        user=office,
        kind="extract",
        form="printout",
        received_on=D(2026, 12, 3),
        issued_on=D(2026, 9, 1),
    )
    app.refresh_from_db()
    assert result.complete and app.status == "complete"


def test_aid_4_an_extract_without_its_issue_day_or_issued_after_receipt_is_refused(
    world, printer, now
):
    app = AidApplicationFactory(member=world.member_a, equipment=printer)
    for issued, field in ((None, "issued_on"), (D(2026, 12, 3), "issued_on")):
        with pytest.raises(ValidationError) as err:
            services.document_add(
                application=app,
                user=None,
                kind="extract",
                form="paper",
                received_on=D(2026, 12, 2),
                issued_on=issued,
            )
        assert field in err.value.message_dict
    assert app.documents.count() == 0


def test_aid_4_the_result_is_e_mailed_to_the_members_notification_addresses(
    world, printer, now, mail
):
    NotificationEmailFactory(member=world.member_a, email="biuro@alfa-tech.example.pl")
    NotificationEmailFactory(member=world.member_a, email="zarzad@alfa-tech.example.pl")
    app = AidApplicationFactory(
        member=world.member_a,
        equipment=printer,
        arrived_at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=W),
    )
    services.document_add(
        application=app, user=None, kind="rules", form="paper", received_on=D(2026, 12, 2)
    )
    notice = services.application_notify(application=app, user=world.users["office"])
    assert notice.sent
    (envelope,) = mail.envelopes
    assert sorted(envelope.rcpt_tos) == [
        "biuro@alfa-tech.example.pl",
        "zarzad@alfa-tech.example.pl",
    ]
    mail = message_from_bytes(envelope.content)
    body = mail.get_payload(decode=True).decode()
    assert "Drukarka 3D Ultimaker S5" in body
    # what is missing, in Polish
    assert "- Formularz informacji (Załącznik nr 1): nie wpłynął." in body.replace("\r", "")
    assert "nie są jeszcze kompletne" in body
    app.refresh_from_db()
    assert app.result_sent_at == NOW
    (logged,) = services.notices_of(app)
    assert logged.changes["emailed_to"] == sorted(envelope.rcpt_tos)


def test_aid_4_without_an_address_nothing_is_sent_and_the_reason_is_kept(world, printer, now, mail):
    app = AidApplicationFactory(member=world.member_b, equipment=printer)
    notice = services.application_notify(application=app, user=None)
    assert not notice.sent and notice.error
    assert mail.envelopes == []
    app.refresh_from_db()
    assert app.result_sent_at is None
    assert services.notices_of(app)[0].changes["send_error"] == notice.error


# -- AID-5: choosing, ranking, waitlist ------------------------------------------------------------


def test_aid_5_a_lone_complete_application_is_chosen_directly(world, printer, now, mail):
    NotificationEmailFactory(member=world.member_a, email="biuro@alfa-tech.example.pl")
    app = complete_app(
        world,
        world.member_a,
        D(2027, 1, 11),
        D(2027, 1, 22),
        dt.datetime(2026, 12, 1, 9, 0, tzinfo=W),
        equipment=printer,
    )
    row, notice = services.application_decide(application=app, user=None)
    assert row.status == "chosen" and notice.sent
    assert "wybrany" in message_from_bytes(mail.envelopes[0].content)["Subject"]


def test_aid_5_overlapping_complete_applications_need_a_ranking_list(world, printer, now):
    a = complete_app(
        world,
        world.member_a,
        D(2027, 1, 11),
        D(2027, 1, 22),
        dt.datetime(2026, 12, 1, 9, 0, tzinfo=W),
        equipment=printer,
    )
    complete_app(
        world,
        world.member_b,
        D(2027, 1, 20),
        D(2027, 1, 30),
        dt.datetime(2026, 12, 1, 9, 5, tzinfo=W),
        equipment=printer,
    )
    with pytest.raises(ValidationError):
        services.application_decide(application=a, user=None)
    a.refresh_from_db()
    assert a.status == "complete"


def test_aid_5_the_ranking_is_approved_then_the_chosen_are_chosen_and_the_rest_wait(
    world, printer, now, mail
):
    NotificationEmailFactory(member=world.member_a, email="biuro@alfa-tech.example.pl")
    NotificationEmailFactory(member=world.member_b, email="biuro@beta-soft.example.pl")
    early = complete_app(
        world,
        world.member_a,
        D(2027, 1, 11),
        D(2027, 1, 22),
        dt.datetime(2026, 12, 1, 9, 0, tzinfo=W),
        equipment=printer,
    )
    better = complete_app(
        world,
        world.member_b,
        D(2027, 1, 20),
        D(2027, 1, 30),
        dt.datetime(2026, 12, 1, 9, 5, tzinfo=W),
        equipment=printer,
    )
    ranking = services.ranking_create(
        cluster=world.alfa, equipment=printer, start=D(2027, 1, 11), end=D(2027, 1, 30), user=None
    )
    assert ranking.entries.count() == 2
    with pytest.raises(ValidationError):  # not evaluated yet
        services.ranking_approve(
            ranking=ranking,
            approved_on=D(2026, 12, 4),
            approved_by="Zarząd",
            approval_ref="Uchwała 5/2026",
            user=None,
        )
    services.ranking_scores(
        ranking=ranking, scores={early.pk: Decimal("70"), better.pk: Decimal("85")}, user=None
    )
    early.refresh_from_db()
    assert early.status == "complete"  # nothing decided before the approval
    ranking, notices = services.ranking_approve(
        ranking=ranking,
        approved_on=D(2026, 12, 4),
        approved_by="Zarząd Instytutu",
        approval_ref="Uchwała 5/2026",
        user=None,
    )
    early.refresh_from_db()
    better.refresh_from_db()
    assert (better.status, early.status) == ("chosen", "waiting")
    assert [(e.application_id, e.position, e.chosen) for e in ranking.entries.all()] == [
        (better.pk, 1, True),
        (early.pk, 2, False),
    ]
    assert all(n.sent for n in notices) and len(mail.envelopes) == 2
    with pytest.raises(ValidationError):
        services.ranking_scores(ranking=ranking, scores={early.pk: Decimal("99")}, user=None)


def test_aid_5_a_ranking_needs_two_competitors(world, printer, now):
    complete_app(
        world,
        world.member_a,
        D(2027, 1, 11),
        D(2027, 1, 22),
        dt.datetime(2026, 12, 1, 9, 0, tzinfo=W),
        equipment=printer,
    )
    with pytest.raises(ValidationError):
        services.ranking_create(
            cluster=world.alfa,
            equipment=printer,
            start=D(2027, 1, 1),
            end=D(2027, 1, 31),
            user=None,
        )


def test_aid_5_on_return_the_next_waiting_in_line_is_chosen_and_told(world, printer, now, mail):
    NotificationEmailFactory(member=world.member_b, email="biuro@beta-soft.example.pl")
    lent = complete_app(
        world,
        world.member_a,
        D(2027, 1, 11),
        D(2027, 1, 22),
        dt.datetime(2026, 11, 1, 9, 0, tzinfo=W),
        equipment=printer,
    )
    lent.status = "contracted"
    lent.save()
    contract = ContractFactory(application=lent, signed_on=D(2026, 12, 1))
    first = complete_app(
        world,
        world.member_b,
        D(2027, 1, 15),
        D(2027, 1, 25),
        dt.datetime(2026, 12, 2, 9, 0, tzinfo=W),
        equipment=printer,
    )
    second = complete_app(
        world,
        world.coordinator,
        D(2027, 1, 15),
        D(2027, 1, 25),
        dt.datetime(2026, 12, 1, 9, 0, tzinfo=W),
        equipment=printer,
    )
    ranking = services.ranking_create(
        cluster=world.alfa, equipment=printer, start=D(2027, 1, 15), end=D(2027, 1, 25), user=None
    )
    services.ranking_scores(
        ranking=ranking, scores={first.pk: Decimal("90"), second.pk: Decimal("60")}, user=None
    )
    services.ranking_approve(
        ranking=ranking,
        approved_on=D(2026, 12, 4),
        approved_by="Zarząd",
        approval_ref="U/1",
        user=None,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    # both wait: the product is under contract for days that overlap theirs
    assert (first.status, second.status) == ("waiting", "waiting")
    mail.envelopes.clear()
    row, hand, notice = services.contract_return(
        contract=contract, returned_on=D(2026, 12, 4), user=None
    )
    assert row.status == "returned" and row.returned_on == D(2026, 12, 4)
    lent.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert lent.status == "returned"
    # first on the approved list, though it arrived later
    assert (first.status, second.status) == ("chosen", "waiting")
    assert hand.chosen.id == first.pk and notice.sent
    (envelope,) = mail.envelopes
    assert envelope.rcpt_tos == ["biuro@beta-soft.example.pl"]
    with pytest.raises(ValidationError):  # returned already
        services.contract_return(contract=contract, returned_on=D(2026, 12, 4), user=None)


def test_aid_5_a_lone_application_for_days_under_contract_waits(world, printer, now):
    lent = complete_app(
        world,
        world.member_a,
        D(2027, 1, 11),
        D(2027, 1, 22),
        dt.datetime(2026, 11, 1, 9, 0, tzinfo=W),
        equipment=printer,
    )
    lent.status = "contracted"
    lent.save()
    ContractFactory(application=lent)
    app = complete_app(
        world,
        world.member_b,
        D(2027, 1, 20),
        D(2027, 1, 25),
        dt.datetime(2026, 12, 1, 9, 0, tzinfo=W),
        equipment=printer,
    )
    row, _notice = services.application_decide(application=app, user=None)
    assert row.status == "waiting"


# -- the catalogue ---------------------------------------------------------------------------------


def test_aid_6_a_price_list_is_never_dated_on_or_before_a_signed_contract(world, printer, now):
    lent = AidApplicationFactory(member=world.member_a, equipment=printer, status="contracted")
    ContractFactory(application=lent, signed_on=D(2026, 12, 1))
    prices = {
        "upkeep_fee_per_day": Decimal("25.00"),
        "lending_fee_per_day": Decimal("35.00"),
        "aid_per_day": Decimal("420.00"),
    }
    for day in (D(2026, 6, 1), D(2026, 12, 1)):
        with pytest.raises(ValidationError) as err:
            services.price_list_add(equipment=printer, user=None, valid_from=day, **prices)
        assert "valid_from" in err.value.message_dict
    with pytest.raises(ValidationError):  # the same day as an existing one
        services.price_list_add(equipment=printer, user=None, valid_from=D(2026, 1, 1), **prices)
    row = services.price_list_add(equipment=printer, user=None, valid_from=D(2026, 12, 2), **prices)
    assert services.price_on(printer, D(2026, 12, 5)) == row
    assert services.price_on(printer, D(2026, 12, 1)).valid_from == D(2026, 1, 1)


def test_aid_5_a_chosen_application_withdrawn_frees_its_days_for_the_next_in_line(
    world, printer, now, mail
):
    NotificationEmailFactory(member=world.member_b, email="biuro@beta-soft.example.pl")
    chosen = complete_app(
        world,
        world.member_a,
        D(2027, 1, 11),
        D(2027, 1, 22),
        dt.datetime(2026, 12, 1, 9, 0, tzinfo=W),
        equipment=printer,
    )
    services.application_decide(application=chosen, user=None)
    waits = complete_app(
        world,
        world.member_b,
        D(2027, 1, 20),
        D(2027, 1, 25),
        dt.datetime(2026, 12, 2, 9, 0, tzinfo=W),
        equipment=printer,
    )
    row, _notice = services.application_decide(application=waits, user=None)
    assert row.status == "waiting"
    mail.envelopes.clear()
    withdrawn, next_one, notice = services.application_withdraw(application=chosen, user=None)
    waits.refresh_from_db()
    assert withdrawn.status == "withdrawn" and waits.status == "chosen"
    assert next_one.pk == waits.pk and notice.sent
    (envelope,) = mail.envelopes
    assert envelope.rcpt_tos == ["biuro@beta-soft.example.pl"]
    with pytest.raises(ValidationError):
        services.application_withdraw(application=chosen, user=None)
