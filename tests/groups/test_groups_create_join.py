"""GZW-1 (areas, new groups on an initiative) and GZW-2 (declarations, start, extra payments)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from klaster.core.models import AuditLog
from klaster.core.say import say
from klaster.groups import services
from klaster.groups.models import Declaration, GroupArea, GroupPayment, WorkingGroup
from klaster.rules.governance.working_groups import STANDARD_AREAS
from tests.factories import MemberFactory, TokenFactory, WorkingGroupFactory
from tests.groups.builders import D0, infotech
from tests.groups.conftest import TODAY

pytestmark = pytest.mark.django_db


def _members(w, n, **kw):
    return [MemberFactory(cluster=w.alfa, name=f"Inicjator {i}", **kw) for i in range(n)]


# --- GZW-1 ---------------------------------------------------------------------------------------


def test_gzw_1_model_areas_are_the_rule_librarys_areas():
    assert [a.value for a in GroupArea] == [key for key, _ in STANDARD_AREAS]


def test_gzw_1_standing_areas_created_on_demand_once(gz, client_for):
    office = client_for("office")
    url = reverse("group_areas_ensure", kwargs={"slug": "alfa"})
    assert office.post(url).status_code == 302
    areas = WorkingGroup.objects.filter(cluster=gz.w.alfa, kind="area")
    # the IT group existed already; the other five are created, each with an audit row
    assert sorted(areas.values_list("area", flat=True)) == sorted(k for k, _ in STANDARD_AREAS)
    assert AuditLog.objects.filter(model="groups.WorkingGroup", action="create").count() == 5
    office.post(url)
    assert areas.count() == 6
    assert WorkingGroup.objects.filter(cluster=gz.w.beta).count() == 0  # per cluster
    assert all(g.status == "forming" for g in areas.exclude(pk=gz.group.pk))


def test_gzw_1_additional_group_refused_without_five_initiators_with_the_rules_reason(gz):
    four = _members(gz.w, 4)
    with pytest.raises(ValidationError) as exc:
        services.group_create(
            cluster=gz.w.alfa,
            user=None,
            kind="additional",
            name="Gospodarka wodorowa",
            initiator_ids=[m.pk for m in four],
            board_resolution="Uchwała Zarządu nr 3/2025",
            board_resolution_date=dt.date(2025, 5, 5),
        )
    message = " ".join(exc.value.message_dict["initiators"])
    assert "GZW-1" in message and "za mało inicjatorów" in message and "4 członków" in message
    assert not WorkingGroup.objects.filter(name="Gospodarka wodorowa").exists()

    five = [*four, gz.spare]
    group = services.group_create(
        cluster=gz.w.alfa,
        user=None,
        kind="additional",
        name="Gospodarka wodorowa",
        initiator_ids=[m.pk for m in five],
        initiative_date=dt.date(2025, 4, 1),
        board_resolution="Uchwała Zarządu nr 3/2025",
        board_resolution_date=dt.date(2025, 5, 5),
    )
    assert set(group.initiators.all()) == set(five)
    assert (group.board_resolution, group.board_resolution_date, group.initiative_date) == (
        "Uchwała Zarządu nr 3/2025",
        dt.date(2025, 5, 5),
        dt.date(2025, 4, 1),
    )
    assert group.status == "forming" and not group.by_coordinator
    audit = AuditLog.objects.get(model="groups.WorkingGroup", object_id=str(group.pk))
    # stored as the rule's message (issue 9 point 4), read in the reader's language
    assert "Zarząd może powołać grupę" in say(audit.changes["rule"][1])


def test_gzw_1_coordinator_alone_may_initiate(gz):
    group = services.group_create(
        cluster=gz.w.alfa,
        user=None,
        kind="additional",
        name="Cyberbezpieczeństwo",
        by_coordinator=True,
        board_resolution="Uchwała Zarządu nr 4/2025",
        board_resolution_date=dt.date(2025, 5, 5),
    )
    assert group.by_coordinator and list(group.initiators.all()) == [gz.w.coordinator]


def test_gzw_1_additional_group_needs_the_board_resolution(gz):
    five = _members(gz.w, 5)
    with pytest.raises(ValidationError) as exc:
        services.group_create(
            cluster=gz.w.alfa,
            user=None,
            kind="additional",
            name="Bez uchwały",
            initiator_ids=[m.pk for m in five],
        )
    assert "Zarząd" in exc.value.message_dict["board_resolution"][0]
    with pytest.raises(ValidationError):  # a resolution dated in the future
        services.group_create(
            cluster=gz.w.alfa,
            user=None,
            kind="additional",
            name="Bez uchwały",
            initiator_ids=[m.pk for m in five],
            board_resolution="5/2025",
            board_resolution_date=TODAY + dt.timedelta(days=1),
        )


def test_gzw_1_initiators_are_current_members_of_the_cluster(gz):
    four = _members(gz.w, 4)
    former = MemberFactory(cluster=gz.w.alfa, name="Były Członek", status="former")
    with pytest.raises(ValidationError) as exc:
        services.group_create(
            cluster=gz.w.alfa,
            user=None,
            kind="additional",
            name="X",
            initiator_ids=[*(m.pk for m in four), former.pk],
            board_resolution="1/2025",
            board_resolution_date=dt.date(2025, 5, 5),
        )
    assert "Były Członek" in exc.value.message_dict["initiators"][0]
    with pytest.raises(ValidationError):  # a member of another cluster
        services.group_create(
            cluster=gz.w.alfa,
            user=None,
            kind="additional",
            name="X",
            initiator_ids=[*(m.pk for m in four), gz.w.member_beta.pk],
            board_resolution="1/2025",
            board_resolution_date=dt.date(2025, 5, 5),
        )


def test_gzw_1_office_page_refuses_with_the_reason_and_creates_with_the_initiative(gz, client_for):
    office = client_for("office")
    url = reverse("group_create", kwargs={"slug": "alfa"})
    data = {
        "kind": "additional",
        "name": "Przemysł 4.0",
        "initiators": [gz.others[0].pk, gz.others[1].pk],
        "board_resolution": "Uchwała Zarządu nr 9/2025",
        "board_resolution_date": "2025-05-20",
    }
    r = office.post(url, data)
    assert r.status_code == 200
    assert "za mało inicjatorów" in r.content.decode()
    data["initiators"] = [m.pk for m in gz.others] + [gz.spare.pk]
    r = office.post(url, data)
    group = WorkingGroup.objects.get(name="Przemysł 4.0")
    assert r.status_code == 302 and r["Location"] == reverse(
        "group_detail", kwargs={"slug": "alfa", "group_id": group.pk}
    )
    page = office.get(r["Location"]).content.decode()
    assert "Uchwała Zarządu nr 9/2025" in page and gz.spare.name in page


# --- GZW-2 ---------------------------------------------------------------------------------------


def _forming(gz, name="Zakupy wspólne"):
    return WorkingGroupFactory(cluster=gz.w.alfa, kind="area", area="purchasing", name=name)


def test_gzw_2_group_starts_only_with_five_declarations(gz):
    group = _forming(gz)
    four = [gz.w.member_a, *gz.others[:3]]
    for m in four:
        services.declaration_add(group=group, member=m, user=None, on=dt.date(2025, 5, 1))
    with pytest.raises(ValidationError) as exc:
        services.group_start(group=group, user=None, on=dt.date(2025, 5, 2))
    message = exc.value.message_dict["status"][0]
    assert (
        message.startswith("GZW-2")
        and "Deklaracje udziału w grupie: 4" in message
        and "co najmniej 5" in message
    )
    group.refresh_from_db()
    assert group.status == "forming" and group.started_on is None

    services.declaration_add(group=group, member=gz.others[3], user=None, on=dt.date(2025, 5, 10))
    services.group_start(group=group, user=None, on=dt.date(2025, 5, 12))
    group.refresh_from_db()
    assert (group.status, group.started_on) == ("active", dt.date(2025, 5, 12))
    assert AuditLog.objects.filter(
        model="groups.WorkingGroup", object_id=str(group.pk), action="start"
    ).exists()


def test_gzw_2_start_counts_the_declarations_in_force_on_the_start_day(gz):
    group = _forming(gz)
    five = [gz.w.member_a, *gz.others]
    for m in five:
        services.declaration_add(group=group, member=m, user=None, on=dt.date(2025, 5, 1))
    services.declaration_withdraw(
        group=group, member=gz.others[0], user=None, on=dt.date(2025, 5, 3)
    )
    with pytest.raises(ValidationError):  # on 5 May only four are in
        services.group_start(group=group, user=None, on=dt.date(2025, 5, 5))
    services.declaration_add(group=group, member=gz.spare, user=None, on=dt.date(2025, 5, 20))
    with pytest.raises(ValidationError):  # the fifth declared after the start day asked for
        services.group_start(group=group, user=None, on=dt.date(2025, 5, 19))
    services.group_start(group=group, user=None, on=dt.date(2025, 5, 20))


def test_gzw_2_without_a_statute_minimum_one_declaration_starts_a_group(world):
    from klaster.core.models import StatuteProfileVersion

    infotech(world.alfa)
    assert StatuteProfileVersion.objects.filter(cluster=world.alfa).count() == 1
    group = WorkingGroupFactory(cluster=world.alfa, kind="area", area="it", name="IT")
    services.declaration_add(group=group, member=world.member_a, user=None, on=dt.date(2025, 5, 1))
    services.group_start(group=group, user=None, on=dt.date(2025, 5, 1))


def test_gzw_2_no_statute_profile_means_no_start_and_says_why(world):
    group = WorkingGroupFactory(cluster=world.alfa, kind="area", area="it", name="IT")
    with pytest.raises(ValidationError) as exc:
        services.group_start(group=group, user=None, on=dt.date(2025, 5, 1))
    assert "profilu statutu" in exc.value.message_dict["on"][0]


def test_gzw_2_declarations_and_withdrawals_are_dated_and_history_is_kept(gz):
    group, m = gz.group, gz.spare
    services.declaration_add(group=group, member=m, user=None, on=dt.date(2025, 1, 5))
    with pytest.raises(ValidationError):  # already in
        services.declaration_add(group=group, member=m, user=None, on=dt.date(2025, 1, 6))
    with pytest.raises(ValidationError):  # a withdrawal before the declaration
        services.declaration_withdraw(group=group, member=m, user=None, on=dt.date(2025, 1, 4))
    services.declaration_withdraw(group=group, member=m, user=None, on=dt.date(2025, 2, 1))
    with pytest.raises(ValidationError):  # rejoining before the withdrawal
        services.declaration_add(group=group, member=m, user=None, on=dt.date(2025, 1, 20))
    services.declaration_add(group=group, member=m, user=None, on=dt.date(2025, 3, 1))
    rows = list(
        Declaration.objects.filter(group=group, member=m).values_list("declared_on", "withdrawn_on")
    )
    assert rows == [(dt.date(2025, 1, 5), dt.date(2025, 2, 1)), (dt.date(2025, 3, 1), None)]
    with pytest.raises(ValidationError):  # not in the future
        services.declaration_withdraw(
            group=group, member=m, user=None, on=TODAY + dt.timedelta(days=1)
        )


def test_gzw_2_a_member_may_join_any_number_of_groups(gz):
    groups = [_forming(gz)] + [
        WorkingGroupFactory(cluster=gz.w.alfa, kind="area", area=a, name=a)
        for a in ("technology_rd", "internationalisation", "human_resources", "promotion_marketing")
    ]
    for g in groups:  # member A is in the IT group already
        services.declaration_add(group=g, member=gz.w.member_a, user=None, on=dt.date(2025, 5, 1))
    assert Declaration.objects.filter(member=gz.w.member_a, withdrawn_on__isnull=True).count() == 6


def test_gzw_2_only_active_members_declare(gz):
    suspended = MemberFactory(cluster=gz.w.alfa, name="Zawieszony", status="suspended")
    with pytest.raises(ValidationError) as exc:
        services.declaration_add(
            group=gz.group, member=suspended, user=None, on=dt.date(2025, 5, 1)
        )
    assert "Zawieszony" in exc.value.message_dict["member"][0]
    with pytest.raises(ValidationError):
        services.declaration_add(
            group=gz.group, member=gz.w.member_beta, user=None, on=dt.date(2025, 5, 1)
        )


def test_gzw_2_representative_declares_from_the_portal_and_the_group_page(gz, client_for):
    group = _forming(gz)
    proxy = client_for("proxy")  # represents member B
    b = gz.w.member_b
    r = proxy.post(
        reverse("group_declare", kwargs={"slug": "alfa", "group_id": group.pk}),
        {
            "member": b.pk,
            "on": "2025-05-30",
            "next": "portal",
            "contact_name": "Jan Nowak",
            "contact_email": "jan.nowak@beta-soft.pl",
        },
    )
    assert r["Location"] == reverse("group_portal", kwargs={"slug": "alfa", "member_id": b.pk})
    d = Declaration.objects.get(group=group, member=b)
    assert (d.declared_on, d.contact_email, d.declared_by.username) == (
        dt.date(2025, 5, 30),
        "jan.nowak@beta-soft.pl",
        "proxy",
    )
    portal = proxy.get(r["Location"]).content.decode()
    assert "2025-05-30" in portal
    # for another member: refused
    r = proxy.post(
        reverse("group_declare", kwargs={"slug": "alfa", "group_id": group.pk}),
        {"member": gz.w.member_a.pk, "on": "2025-05-30"},
    )
    assert r.status_code == 403
    assert not Declaration.objects.filter(group=group, member=gz.w.member_a).exists()
    # withdrawal from the group page
    r = proxy.post(
        reverse("group_withdraw", kwargs={"slug": "alfa", "group_id": group.pk}),
        {"member": b.pk, "on": "2025-06-01"},
    )
    assert r["Location"] == reverse("group_detail", kwargs={"slug": "alfa", "group_id": group.pk})
    d.refresh_from_db()
    assert d.withdrawn_on == dt.date(2025, 6, 1) and d.withdrawn_by.username == "proxy"
    assert AuditLog.objects.filter(
        model="groups.Declaration", object_id=str(d.pk), action="withdraw"
    ).exists()


def test_gzw_2_office_declares_for_any_member_and_starts_the_group(gz, client_for):
    group = _forming(gz)
    office = client_for("office")
    for m in [gz.w.member_a, *gz.others]:
        office.post(
            reverse("group_declare", kwargs={"slug": "alfa", "group_id": group.pk}),
            {"member": m.pk, "on": "2025-05-01"},
        )
    assert Declaration.objects.filter(group=group).count() == 5
    office.post(
        reverse("group_start", kwargs={"slug": "alfa", "group_id": group.pk}), {"on": "2025-05-02"}
    )
    group.refresh_from_db()
    assert group.status == "active"


def test_gzw_2_extra_payments_are_exact_decimals_for_members_of_the_group(gz, client_for):
    p = services.group_payment_add(
        group=gz.group,
        member=gz.w.member_a,
        user=None,
        amount=Decimal("150.50"),
        paid_on=dt.date(2025, 5, 1),
        purpose="Wspólne stoisko na targach",
    )
    p.refresh_from_db()
    assert p.amount == Decimal("150.50") and isinstance(p.amount, Decimal)
    for bad in (150.5, "12.345", "-5", "0"):
        with pytest.raises(ValidationError):
            services.group_payment_add(
                group=gz.group,
                member=gz.w.member_a,
                user=None,
                amount=bad,
                paid_on=dt.date(2025, 5, 1),
                purpose="x",
            )
    with pytest.raises(ValidationError) as exc:  # never in the group
        services.group_payment_add(
            group=gz.group,
            member=gz.w.member_b,
            user=None,
            amount="10",
            paid_on=dt.date(2025, 5, 1),
            purpose="x",
        )
    assert "nie należał do grupy" in exc.value.message_dict["member"][0]
    # the office records through the page; the paying member sees its own, another member none
    office = client_for("office")
    office.post(
        reverse("group_payment_add", kwargs={"slug": "alfa", "group_id": gz.group.pk}),
        {
            "p-member": gz.others[0].pk,
            "p-amount": "1200.00",
            "p-paid_on": "2025-05-20",
            "p-purpose": "Badanie rynku",
        },
    )
    assert GroupPayment.objects.filter(member=gz.others[0], amount=Decimal("1200.00")).exists()
    page = client_for("member").get(
        reverse("group_detail", kwargs={"slug": "alfa", "group_id": gz.group.pk})
    )
    body = page.content.decode()
    assert "Wspólne stoisko na targach" in body and "Badanie rynku" not in body


def test_gzw_2_list_shows_status_members_and_whether_a_group_can_start(
    gz, client_for, django_assert_max_num_queries
):
    forming = _forming(gz)
    for m in gz.others[:2]:
        services.declaration_add(group=forming, member=m, user=None, on=dt.date(2025, 5, 1))
    for i in range(5):
        WorkingGroupFactory(cluster=gz.w.alfa, kind="additional", name=f"Dodatkowa {i}")
    c = client_for("chair")
    url = reverse("group_list", kwargs={"slug": "alfa"})
    with django_assert_max_num_queries(12):
        body = c.get(url).content.decode()
    assert "Informatyzacja" in body and "Zakupy wspólne" in body
    assert "Deklaracje udziału w grupie: 2" in body and "grupa nie może jeszcze ruszyć" in body
    # the query count does not grow with the number of groups
    for i in range(5, 25):
        WorkingGroupFactory(cluster=gz.w.alfa, kind="additional", name=f"Dodatkowa {i}")
    with django_assert_max_num_queries(12):
        c.get(url)


API_DECLARE = {
    "office": 201,
    "proxy": 201,
    "member": 403,
    "chair": 403,
    "forum": 403,
    "leaver": 403,
    "outsider": 404,
    "anonymous": 401,
}


@pytest.mark.parametrize("persona", sorted(API_DECLARE))
def test_gzw_2_api_declares_for_own_member_only(gz, client_for, persona):
    """Every persona POSTs member B's declaration: its representative and the office may."""
    url = reverse(
        "api_group_declarations", kwargs={"cluster_slug": "alfa", "group_pk": gz.group.pk}
    )
    r = client_for(persona).post(
        url,
        {"member": gz.w.member_b.pk, "declared_on": "2025-05-05"},
        content_type="application/json",
    )
    assert r.status_code == API_DECLARE[persona], r.content
    assert Declaration.objects.filter(group=gz.group, member=gz.w.member_b).exists() == (
        API_DECLARE[persona] == 201
    )


def test_gzw_2_api_token_auth(gz):
    from rest_framework.test import APIClient

    token = TokenFactory(user=gz.w.users["proxy"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = reverse(
        "api_group_declarations", kwargs={"cluster_slug": "alfa", "group_pk": gz.group.pk}
    )
    r = api.post(url, {"member": gz.w.member_b.pk, "declared_on": "2025-05-05"}, format="json")
    assert r.status_code == 201
    r = api.post(url, {"member": gz.w.member_b.pk, "declared_on": "2025-05-06"}, format="json")
    assert r.status_code == 400 and "już należy" in r.json()["member"][0]
    assert [d["member"] for d in api.get(url).json()].count(gz.w.member_b.pk) == 1
    assert D0.isoformat() in {d["declared_on"] for d in api.get(url).json()}
