"""The money pages (issue 10 points 2–5, 8): the office runs the dues, imports a statement,
assigns a queued payment and sees arrears; a representative sees its own member's account. Lists
send as many queries for 2 members as for 8."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klaster.money import services
from klaster.money.models import BankEntry, Document, Payment
from tests.money.conftest import mt940

pytestmark = pytest.mark.django_db


def url(name, **kw):
    return reverse(name, kwargs={"slug": "alfa", **kw})


def test_fin_2_office_runs_the_dues_from_the_page_and_sees_the_reading(money, client_for):
    office = client_for("office")
    page = office.get(url("money_home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "co najmniej jeden dzień tego miesiąca" in text
    )  # the Reading, shown where dues are shown
    done = office.post(url("money_dues_run"), {"through": "2026-02-01"}, follow=True)
    assert "Wystawiono dokumentów: 4." in done.content.decode()
    assert Document.objects.count() == 4
    bad = office.post(url("money_dues_run"), {"through": "jutro"}, follow=True)
    assert Document.objects.count() == 4 and bad.status_code == 200


def test_fin_3_office_imports_a_statement_and_assigns_the_queued_payment(money, client_for):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 2, 1))
    office = client_for("office")
    data = mt940([("516.60", "FV/2026/0001", "Alfa-Tech", ""), ("1107.00", "przelew", "Ktoś", "")])
    sent = office.post(
        url("money_statements"), {"file": SimpleUploadedFile("wyciag.sta", data)}, follow=True
    )
    assert "dopasowano 1, na biuro czeka 1" in sent.content.decode()
    queue = office.get(url("money_queue")).content.decode()
    entry = BankEntry.objects.get(state="queued")
    assert "Beta-Soft S.A." in queue  # the candidate, by name
    office.post(url("money_entry_resolve", entry_id=entry.pk), {f"e{entry.pk}-member": money.b.pk})
    assert Payment.objects.filter(member=money.b).count() == 1
    account = office.get(url("money_account", member_id=money.b.pk)).content.decode()
    assert "1\xa0107,00" in account


def test_fin_3_a_broken_statement_is_refused_on_the_form_naming_the_line(money, client_for):
    office = client_for("office")
    data = mt940([("516.60", "FV/2026/0001", "A", "")]).replace(b":62F:C", b":62F:C9")
    page = office.post(url("money_statements"), {"file": SimpleUploadedFile("w.sta", data)})
    assert page.status_code == 200
    assert "wiersz" in page.content.decode().lower()
    assert not BankEntry.objects.exists()


def test_fin_4_arrears_page_shows_stage_interest_and_the_vote(money, client_for):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 31))
    office = client_for("office")
    text = office.get(url("money_arrears") + "?as_of=2026-03-20").content.decode()
    assert "ponad 60 dni" in text and "bez prawa głosu" in text and "art. 481 KC" in text
    office.post(
        url("money_arrears_step", member_id=money.a.pk),
        {
            f"m{money.a.pk}-member": money.a.pk,
            f"m{money.a.pk}-kind": "notice",
            f"m{money.a.pk}-day": "2026-03-20",
        },
    )
    assert money.a.arrears_steps.get().documents == ["FV/2026/0001"]


def test_portal_representative_sees_its_own_account_and_balance(money, client_for):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 2, 1))
    services.import_statement(
        cluster=money.cluster, data=mt940([("600.00", "FV/2026/0001", "Alfa-Tech", "")])
    )
    member = client_for("member")
    entry = member.get(url("money_my"))
    assert entry.status_code == 302 and entry["Location"] == url(
        "money_account", member_id=money.a.pk
    )
    text = member.get(entry["Location"]).content.decode()
    assert "FV/2026/0001" in text and "FV/2026/0003" in text
    assert "83,40" in text  # the overpayment
    assert "FV/2026/0002" not in text  # member B's
    assert member.get(url("money_account", member_id=money.b.pk)).status_code == 403


def _queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["money_home", "money_arrears", "money_queue"])
def test_money_lists_send_as_many_queries_for_many_members_as_for_few(money, client_for, page):
    from tests.factories import MemberFactory

    office = client_for("office")
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 2, 1))
    services.import_statement(
        cluster=money.cluster, data=mt940([("516.60", "przelew", "Ktoś", "")], number="1")
    )
    few = _queries(office, url(page) + "?as_of=2026-04-01")
    for i in range(6):
        MemberFactory(cluster=money.cluster, key=f"m2{i:02d}", type="micro")
    Document.objects.all().delete()
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 2, 1))
    services.import_statement(
        cluster=money.cluster,
        data=mt940([("221.40", "przelew", "Ktoś", "")], number="2", day=dt.date(2026, 12, 2)),
    )
    assert BankEntry.objects.filter(state="queued").count() == 2  # one candidate, then six
    assert _queries(office, url(page) + "?as_of=2026-04-01") == few


def test_fin_2_fin_3_fin_4_the_office_home_lists_the_money_duties(money, client_for, time_machine):
    """The home (issue 9 point 1): the month's dues to issue, payments to assign, a member past
    the first arrears limit with no notice recorded; each disappears once done."""
    time_machine.move_to(dt.datetime(2026, 3, 20, 10, 0))
    office = client_for("office")
    home = url("cluster_home")
    text = office.get(home).content.decode()
    assert "Wystaw składki za 03.2026" in text
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 3, 20))
    services.import_statement(
        cluster=money.cluster,
        data=mt940([("516.60", "przelew", "Ktoś", "")], day=dt.date(2026, 3, 1)),
    )
    text = office.get(home).content.decode()
    assert "Wystaw składki" not in text
    assert "1 wpłata z banku czeka na przypisanie" in text
    assert "Alfa-Tech sp. z o.o.: ponad 60 dni po terminie — wyślij zawiadomienie" in text
    services.arrears_step(
        cluster=money.cluster,
        member=money.a,
        kind="notice",
        stage="60",
        day=dt.date(2026, 3, 20),
        documents=["FV/2026/0001"],
    )
    assert "Alfa-Tech sp. z o.o.: ponad 60" not in office.get(home).content.decode()


def test_fin_6_the_entry_fee_form_takes_a_polish_decimal_comma(money, client_for):
    office = client_for("office")
    office.post(
        url("money_entry_fee", member_id=money.a.pk), {"amount": "2000,50", "issued": "2026-02-01"}
    )
    assert Document.objects.get(member=money.a).net == __import__("decimal").Decimal("2000.50")


def test_fin_12_the_office_home_lists_a_statement_request_until_provided(
    money, client_for, time_machine
):
    from tests.factories import StatementRequestFactory

    time_machine.move_to(dt.datetime(2026, 4, 2, 10, 0))
    request = StatementRequestFactory(member=money.b)
    office = client_for("office")
    wanted = "Przekaż Beta-Soft S.A. wyciągi, o które prosi"
    assert wanted in office.get(url("cluster_home")).content.decode()
    request.provided_on = dt.date(2026, 4, 3)
    request.save()
    assert wanted not in office.get(url("cluster_home")).content.decode()


def test_fin_6_a_waiver_by_resolution_lowers_the_fee_or_issues_nothing(money, client_for):
    from klaster.core.models import AuditLog

    office = client_for("office")
    post = url("money_entry_fee", member_id=money.a.pk)
    no_resolution = office.post(
        post, {"amount": "2000,00", "waived": "500,00", "issued": "2026-02-01"}, follow=True
    )
    assert "Podaj uchwałę, która zwolniła z opłaty." in no_resolution.content.decode()
    assert not Document.objects.exists()
    office.post(
        post,
        {
            "amount": "2000,00",
            "waived": "500,00",
            "resolution": "4/2026 WZ",
            "issued": "2026-02-01",
        },
    )
    document = Document.objects.get(member=money.a)
    assert document.net == __import__("decimal").Decimal("1500.00")
    whole = office.post(
        url("money_entry_fee", member_id=money.b.pk),
        {"amount": "900", "waived": "900", "resolution": "5/2026 WZ", "issued": "2026-02-01"},
        follow=True,
    )
    assert "zwolniono w całości (5/2026 WZ)" in whole.content.decode()
    assert not Document.objects.filter(member=money.b).exists()
    assert AuditLog.objects.filter(changes__resolution__1="5/2026 WZ").exists()


def test_fin_3_a_payment_that_fits_many_members_shows_the_first_ten_and_counts_the_rest(
    money, client_for
):
    """A vague transfer of a common monthly fee fits every micro member: the queue shows ten
    ranked candidates and says how many more fit, not a list of thousands."""
    from klaster.money.views import QUEUE_SHOWN
    from tests.factories import MemberFactory

    for i in range(14):
        MemberFactory(cluster=money.cluster, key=f"m3{i:02d}", type="micro")
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 1))
    services.import_statement(
        cluster=money.cluster,
        data=mt940([("221.40", "przelew", "Ktoś", "")], day=dt.date(2026, 1, 20)),
    )
    entry = BankEntry.objects.get(state="queued")
    assert len(entry.candidates) == 14  # every micro member's January fits the amount
    html = client_for("office").get(url("money_queue")).content.decode()
    section = html.split('class="card"')[1]
    assert section.count("<li>") == QUEUE_SHOWN
    assert "i jeszcze 4 członków, do których pasuje kwota" in section
