"""The member registry: history as events (MEM-6), delegates and e-mails (MEM-7), identifiers
(MEM-4), distances (MEM-9), yearly figures (MEM-12) and the audit log (PLT-4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klaster.core.audit import audit_record
from klaster.core.models import AuditLog
from klaster.members import services
from klaster.members.models import Member
from klaster.members.selectors import members_on
from tests.factories import MemberFactory
from tests.forms import versioned

pytestmark = pytest.mark.django_db


def test_mem_6_member_list_on_any_past_date_is_reproduced(world):
    office = world.users["office"]
    late = MemberFactory(cluster=world.alfa, key="m010", joined=dt.date(2020, 5, 1))
    services.member_event_add(member=late, user=office, kind="suspended", date=dt.date(2021, 1, 1))
    services.member_event_add(member=late, user=office, kind="resumed", date=dt.date(2021, 7, 1))
    services.member_event_add(member=late, user=office, kind="resigned", date=dt.date(2022, 3, 15))
    services.member_event_add(member=late, user=office, kind="returned", date=dt.date(2023, 2, 1))

    def keys(on):
        return {m.key for m in members_on(world.alfa, on)}

    base = {"m000", "m001", "m002"}  # joined 2016
    assert keys(dt.date(2020, 4, 30)) == base
    assert keys(dt.date(2020, 5, 1)) == base | {"m010"}  # joining day counts
    assert keys(dt.date(2021, 3, 1)) == base | {"m010"}  # suspended is still a member
    assert keys(dt.date(2022, 3, 14)) == base | {"m010"}
    # 000 §6.3: a resignation takes effect the day the statement reaches the coordinator
    assert keys(dt.date(2022, 3, 15)) == base
    assert keys(dt.date(2023, 2, 1)) == base | {"m010"}
    late.refresh_from_db()
    assert (late.joined, late.left) == (dt.date(2023, 2, 1), None)
    assert list(late.events.values_list("kind", flat=True)) == [
        "admitted",
        "suspended",
        "resumed",
        "resigned",
        "returned",
    ]


def test_mem_6_history_is_never_overwritten(world):
    office = world.users["office"]
    m = world.member_a
    services.member_event_add(member=m, user=office, kind="resigned", date=dt.date(2024, 1, 10))
    with pytest.raises(ValidationError) as exc:
        services.member_event_add(member=m, user=office, kind="suspended", date=dt.date(2024, 2, 1))
    assert "kind" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.member_event_add(member=m, user=office, kind="returned", date=dt.date(2023, 1, 1))
    assert "date" in exc.value.message_dict
    assert m.events.count() == 2


def test_mem_4_invalid_nip_is_refused_naming_the_field(world, client_for):
    office = client_for("office")
    url = reverse("member_edit", kwargs={"slug": "alfa", "member_id": world.member_a.pk})
    before = Member.objects.get(pk=world.member_a.pk).nip
    form = {
        "name": "Alfa-Tech sp. z o.o.",
        "type": "small",
        "category": "partner",
        "nip": "5260250275",
        "postal_code": "15-950",
        "city": "Białystok",
    }
    r = office.post(url, form)
    assert r.status_code == 200
    assert "nip" in r.context["form"].errors
    assert "NIP" in r.context["form"].errors["nip"][0]
    assert Member.objects.get(pk=world.member_a.pk).nip == before
    with pytest.raises(ValidationError) as exc:
        services.member_update(member=world.member_a, user=None, data={"regon": "123456780"})
    assert "regon" in exc.value.message_dict


def test_mem_7_at_most_five_delegates_and_five_emails(world):
    m, user = world.member_a, world.users["member"]
    for i in range(5):
        services.delegate_save(
            member=m, user=user, data={"name": f"Osoba {i}", "to_general_assembly": i == 0}
        )
    with pytest.raises(ValidationError) as exc:
        services.delegate_save(member=m, user=user, data={"name": "Szósta"})
    assert "5" in exc.value.messages[0]
    for i in range(5):
        services.notification_email_add(member=m, user=user, email=f"a{i}@example.pl")
    with pytest.raises(ValidationError):
        services.notification_email_add(member=m, user=user, email="a6@example.pl")
    assert m.delegates.count() == 5 and m.notification_emails.count() == 5


def test_mem_7_one_delegate_must_go_to_the_general_assembly(world):
    with pytest.raises(ValidationError) as exc:
        services.delegate_save(member=world.member_a, user=None, data={"name": "Jan Nowak"})
    assert "to_general_assembly" in exc.value.message_dict
    assert world.member_a.delegates.count() == 0  # rolled back whole


def test_mem_9_distance_is_computed_offline_and_override_shown_as_such(world, client_for):
    office = world.users["office"]
    services.member_update(member=world.coordinator, user=office, data={})
    b = services.member_update(member=world.member_b, user=office, data={})
    # Białystok -> Warszawa is about 175 km great-circle, rounded to 10 km
    assert b.distance_km in (170, 180)
    b = services.member_update(member=b, user=office, data={"distance_override_km": Decimal("150")})
    page = client_for("office").get(
        reverse("member_detail", kwargs={"slug": "alfa", "member_id": b.pk})
    )
    body = page.content.decode()
    assert "150 km" in body and "badge manual" in body


def test_mem_9_unplaceable_address_gets_a_message(world):
    m = services.member_update(
        member=world.member_a, user=None, data={"postal_code": "", "city": "Xyzzyville"}
    )
    assert m.distance_km is None and m.lat is None
    assert "Xyzzyville" in m.location_note


def test_mem_12_member_enters_its_figures_in_the_portal(world, client_for):
    c = client_for("member")
    url = reverse("portal", kwargs={"slug": "alfa", "member_id": world.member_a.pk})
    r = c.post(
        url,
        {
            "action": "year",
            "y-year": "2025",
            "y-revenue": "1200000.10",
            "y-export_revenue": "300000",
            "y-rd_expenditure": "",
            "y-fte": "12.5",
        },
    )
    assert r.status_code == 302
    y = world.member_a.years.get(year=2025)
    assert y.revenue == Decimal("1200000.10") and y.fte == Decimal("12.5")
    # export revenue above revenue is refused, naming the field
    r = c.post(
        url, {"action": "year", "y-year": "2024", "y-revenue": "10", "y-export_revenue": "20"}
    )
    assert r.status_code == 200 and "export_revenue" in r.context["year_form"].errors
    assert not world.member_a.years.filter(year=2024).exists()


def test_plt_4_every_change_is_audited_with_old_and_new(world, client_for):
    c = client_for("office")
    url = reverse("member_edit", kwargs={"slug": "alfa", "member_id": world.member_a.pk})
    r = c.post(
        url,
        versioned(
            c,
            url,
            {
                "name": "Alfa-Tech Polska sp. z o.o.",
                "type": "small",
                "category": "partner",
                "nip": world.member_a.nip,
                "postal_code": "15-950",
                "city": "Białystok",
            },
        ),
        REMOTE_ADDR="10.1.2.3",
    )
    assert r.status_code == 302
    entry = AuditLog.objects.filter(
        model="members.Member", object_id=str(world.member_a.pk)
    ).first()
    assert entry.user == world.users["office"]
    assert entry.changes["name"] == ["Alfa-Tech sp. z o.o.", "Alfa-Tech Polska sp. z o.o."]
    assert entry.ip == "10.1.2.3" and entry.source == "web"
    page = c.get(reverse("member_detail", kwargs={"slug": "alfa", "member_id": world.member_a.pk}))
    assert "Alfa-Tech Polska sp. z o.o." in page.content.decode()
    audit_page = c.get(reverse("audit", kwargs={"slug": "alfa"})).content.decode()
    assert "Alfa-Tech Polska" in audit_page


@pytest.mark.django_db(transaction=True)
def test_plt_4_audit_refuses_to_be_written_outside_a_transaction():
    with pytest.raises(RuntimeError):
        audit_record(cluster=None, user=None, action="x", model="m")
    assert AuditLog.objects.count() == 0


def test_plt_4_audit_entry_rolls_back_with_the_change(world):
    before = AuditLog.objects.count()
    with pytest.raises(ValidationError), transaction.atomic():
        services.member_update(member=world.member_a, user=None, data={"name": "Nowa nazwa"})
        raise ValidationError("later step failed")
    assert AuditLog.objects.count() == before
    assert Member.objects.get(pk=world.member_a.pk).name != "Nowa nazwa"


@pytest.mark.parametrize(
    "url_name,kwargs_key", [("member_list", "slug"), ("api_member_list", "cluster_slug")]
)
def test_member_list_query_count_does_not_grow_with_the_page(
    world, client_for, url_name, kwargs_key
):
    c = client_for("office")
    url = reverse(url_name, kwargs={kwargs_key: "alfa"})

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(60):
        MemberFactory(cluster=world.alfa, key=f"x{i:03d}")
    assert count() == small
