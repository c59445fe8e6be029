"""Registry facts the office records on a member: science sub-units (MEM-3), category and
honorary title as membership events (MEM-5), partner / linked enterprises (MEM-11)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from klaster.core.models import AuditLog
from klaster.kkk.dataset import dataset_from_db
from klaster.members import services
from klaster.members.models import IndependenceLink, Member, MembershipEvent, ScienceSubunit
from klaster.members.selectors import member_list, members_on
from tests.factories import MemberFactory
from tests.forms import versioned

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 6, 16, 12, 0, tzinfo=dt.UTC)


def _member_counts(world, client_for) -> dict[str, int]:
    home = client_for("office").get(reverse("cluster_home", kwargs={"slug": "alfa"}))
    api = (
        client_for("office").get(reverse("api_member_list", kwargs={"cluster_slug": "alfa"})).json()
    )
    return {
        "home": home.context["total"],
        "register": member_list(world.alfa).count(),
        "on_date": len(members_on(world.alfa, dt.date(2025, 1, 1))),
        "dataset": len(dataset_from_db(world.alfa).members),
        "api": api["count"],
    }


# --- MEM-3 ---


def test_mem_3_subunits_are_listed_but_never_counted_as_members(world, client_for):
    before = _member_counts(world, client_for)
    uni = MemberFactory(
        cluster=world.alfa, name="Politechnika Testowa", type="science", science_category="A"
    )
    office = client_for("office")
    url = reverse("subunit_save", kwargs={"slug": "alfa", "member_id": uni.pk})
    for name, cat in (
        ("Wydział Informatyki", "A+"),
        ("Wydział Mechaniczny", "A"),
        ("Instytut Automatyki", "A"),
    ):
        assert office.post(url, {"su-name": name, "su-category": cat}).status_code == 302
    assert uni.subunits.count() == 3
    after = _member_counts(world, client_for)
    # the science unit itself is one member more; its three sub-units add nothing
    assert after == {k: v + 1 for k, v in before.items()}
    body = (
        client_for("chair")
        .get(reverse("member_detail", kwargs={"slug": "alfa", "member_id": uni.pk}))
        .content.decode()
    )
    assert "Wydział Informatyki" in body and "Instytut Automatyki" in body
    page = office.get(reverse("member_detail", kwargs={"slug": "alfa", "member_id": uni.pk}))
    assert page.context["subunit_form"] is not None
    assert (
        page.content.decode().count(
            reverse("subunit_save", kwargs={"slug": "alfa", "member_id": uni.pk})
        )
        == 4
    )


def test_mem_3_only_science_units_have_subunits_and_only_a_or_a_plus(world, client_for):
    with pytest.raises(ValidationError) as exc:
        services.subunit_save(
            member=world.member_a,
            user=world.users["office"],
            data={"name": "Dział", "category": "A"},
        )
    assert "name" in exc.value.message_dict
    uni = MemberFactory(cluster=world.alfa, type="science", science_category="B")
    with pytest.raises(ValidationError) as exc:
        services.subunit_save(
            member=uni, user=world.users["office"], data={"name": "Wydział", "category": "B"}
        )
    assert "category" in exc.value.message_dict
    assert not ScienceSubunit.objects.exists()


def test_mem_3_office_edits_and_removes_a_subunit_with_audit(world, client_for):
    uni = MemberFactory(cluster=world.alfa, type="science", science_category="A")
    office = client_for("office")
    url = reverse("subunit_save", kwargs={"slug": "alfa", "member_id": uni.pk})
    office.post(url, {"su-name": "Wydział X", "su-category": "A"})
    unit = uni.subunits.get()
    page = reverse("member_detail", kwargs={"slug": "alfa", "member_id": uni.pk})
    office.post(
        url,
        versioned(
            office,
            page,
            {"subunit_id": unit.pk, "su-name": "Wydział Y", "su-category": "A+"},
            prefix="su",
        ),
    )
    unit.refresh_from_db()
    assert (unit.name, unit.category) == ("Wydział Y", "A+")
    office.post(reverse("subunit_remove", kwargs={"slug": "alfa", "subunit_id": unit.pk}))
    assert not uni.subunits.exists()
    actions = list(
        AuditLog.objects.filter(model="members.ScienceSubunit")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]
    # a representative cannot touch them
    r = client_for("member").post(url, {"su-name": "Z", "su-category": "A"})
    assert r.status_code == 403


# --- MEM-5 ---


@time_machine.travel(TODAY, tick=False)
def test_mem_5_category_change_is_a_membership_event_naming_the_resolution(world, client_for):
    office = client_for("office")
    url = reverse("member_event_add", kwargs={"slug": "alfa", "member_id": world.member_a.pk})
    # without the resolution: refused
    office.post(url, {"kind": "category", "date": "2025-05-20", "category": "strategic_partner"})
    world.member_a.refresh_from_db()
    assert world.member_a.category == "partner"
    assert not world.member_a.events.filter(kind="category").exists()
    r = office.post(
        url,
        {
            "kind": "category",
            "date": "2025-05-20",
            "category": "strategic_partner",
            "document": "Uchwała Rady Klastra nr 3/2025",
        },
        follow=True,
    )
    assert r.status_code == 200
    world.member_a.refresh_from_db()
    assert world.member_a.category == "strategic_partner"
    event = world.member_a.events.get(kind="category")
    assert (event.category, event.document) == (
        "strategic_partner",
        "Uchwała Rady Klastra nr 3/2025",
    )
    entry = AuditLog.objects.filter(model="members.Member", action="event:category").get()
    assert entry.changes["category"] == ["partner", "strategic_partner"]
    assert entry.changes["document"] == [None, "Uchwała Rady Klastra nr 3/2025"]
    assert "Uchwała Rady Klastra nr 3/2025" in r.content.decode()
    # the same category again, or one dated before the last change: refused
    with pytest.raises(ValidationError):
        services.member_event_add(
            member=world.member_a,
            user=None,
            kind="category",
            date=dt.date(2025, 6, 1),
            category="strategic_partner",
            document="Uchwała 4/2025",
        )
    with pytest.raises(ValidationError) as exc:
        services.member_event_add(
            member=world.member_a,
            user=None,
            kind="category",
            date=dt.date(2025, 1, 1),
            category="partner",
            document="Uchwała 5/2025",
        )
    assert "date" in exc.value.message_dict
    # and back to Partner: the history keeps both
    services.member_event_add(
        member=world.member_a,
        user=None,
        kind="category",
        date=dt.date(2025, 6, 10),
        category="partner",
        document="Uchwała Rady Klastra nr 7/2025",
    )
    world.member_a.refresh_from_db()
    assert world.member_a.category == "partner"
    assert list(
        world.member_a.events.filter(kind="category").values_list("category", flat=True)
    ) == ["strategic_partner", "partner"]


def test_mem_5_category_is_not_overwritten_outside_the_events(world, client_for):
    with pytest.raises(ValidationError) as exc:
        services.member_update(
            member=world.member_a,
            user=world.users["office"],
            data={"category": "strategic_partner"},
        )
    assert "category" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.member_update(
            member=world.member_a, user=world.users["office"], data={"honorary": True}
        )
    # unchanged values pass (an import re-sending the same category is fine)
    services.member_update(
        member=world.member_a, user=world.users["office"], data={"category": "partner"}
    )
    url = reverse("api_member_detail", kwargs={"cluster_slug": "alfa", "pk": world.member_a.pk})
    office = client_for("office")
    r = office.patch(
        url,
        data={"category": "strategic_partner"},
        content_type="application/json",
        headers={"If-Match": office.get(url)["ETag"]},
    )
    assert r.status_code == 200
    world.member_a.refresh_from_db()
    assert world.member_a.category == "partner"


@time_machine.travel(TODAY, tick=False)
def test_mem_5_honorary_title_granted_and_withdrawn_by_the_general_assembly(world):
    office = world.users["office"]
    m = world.member_b
    with pytest.raises(ValidationError) as exc:
        services.member_event_add(
            member=m, user=office, kind="honorary_granted", date=dt.date(2025, 3, 1)
        )
    assert "document" in exc.value.message_dict
    services.member_event_add(
        member=m,
        user=office,
        kind="honorary_granted",
        date=dt.date(2025, 3, 1),
        document="Uchwała WZ nr 2/2025",
    )
    m.refresh_from_db()
    assert m.honorary is True
    with pytest.raises(ValidationError):
        services.member_event_add(
            member=m,
            user=office,
            kind="honorary_granted",
            date=dt.date(2025, 4, 1),
            document="Uchwała WZ nr 3/2025",
        )
    # a withdrawal dated in the future takes effect on its day, not before
    services.member_event_add(
        member=m,
        user=office,
        kind="honorary_withdrawn",
        date=dt.date(2025, 9, 30),
        document="Uchwała WZ nr 9/2025",
    )
    m.refresh_from_db()
    assert m.honorary is True
    with time_machine.travel(dt.datetime(2025, 10, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        services.member_event_add(
            member=m,
            user=office,
            kind="category",
            date=dt.date(2025, 10, 1),
            category="strategic_partner",
            document="Uchwała Rady nr 1/2025",
        )
    m.refresh_from_db()
    assert (m.honorary, m.category) == (False, "strategic_partner")
    assert list(m.events.exclude(kind="admitted").values_list("kind", "document")) == [
        ("honorary_granted", "Uchwała WZ nr 2/2025"),
        ("honorary_withdrawn", "Uchwała WZ nr 9/2025"),
        ("category", "Uchwała Rady nr 1/2025"),
    ]
    with (
        time_machine.travel(dt.datetime(2025, 10, 2, 12, 0, tzinfo=dt.UTC), tick=False),
        pytest.raises(ValidationError) as exc,
    ):
        # a new category belongs to a category change only
        services.member_event_add(
            member=m, user=office, kind="suspended", date=dt.date(2025, 10, 2), category="partner"
        )
    assert "category" in exc.value.message_dict
    assert MembershipEvent.objects.filter(member=m).count() == 4


# --- MEM-11 ---


def test_mem_11_link_is_shown_on_both_pages_and_contradicts_independence(world, client_for):
    a, b = world.member_a, world.member_b
    assert a.independent is True and b.independent is True
    r = client_for("office").post(
        reverse("independence_link_add", kwargs={"slug": "alfa", "member_id": a.pk}),
        {
            "il-other": b.pk,
            "il-kind": "linked",
            "il-since": "2021-01-01",
            "il-note": "wspólny udziałowiec",
        },
    )
    assert r.status_code == 302
    link = IndependenceLink.objects.get()
    assert (link.member, link.other, link.kind) == (a, b, "linked")
    for member, other in ((a, b), (b, a)):
        page = client_for("office").get(
            reverse("member_detail", kwargs={"slug": "alfa", "member_id": member.pk})
        )
        assert [o.pk for o, _ in page.context["links"]] == [other.pk]
        assert [o.pk for o, _ in page.context["link_conflicts"]] == [other.pk]
        assert "errorlist" in page.content.decode().split('id="links"')[1].split("</div>")[0]
    # the representative of A sees the link on its own page too
    own = client_for("member").get(
        reverse("member_detail", kwargs={"slug": "alfa", "member_id": a.pk})
    )
    assert b.name in own.content.decode()
    # once A is marked as not independent the warning on A's page goes away
    services.member_update(member=a, user=world.users["office"], data={"independent": False})
    page = client_for("office").get(
        reverse("member_detail", kwargs={"slug": "alfa", "member_id": a.pk})
    )
    assert page.context["link_conflicts"] == []
    entry = AuditLog.objects.get(model="members.IndependenceLink")
    assert entry.object_repr == f"{a} ↔ {b}" and entry.changes["kind"] == [None, "linked"]


def test_mem_11_links_only_between_enterprise_members_of_one_cluster_once(world):
    office = world.users["office"]
    a, b = world.member_a, world.member_b
    services.independence_link_add(member=a, user=office, other=b, kind="partner")
    with pytest.raises(ValidationError):  # the same pair entered from the other side
        services.independence_link_add(member=b, user=office, other=a, kind="linked")
    with pytest.raises(ValidationError):  # the coordinator is an IOB, not an enterprise
        services.independence_link_add(
            member=a, user=office, other=world.coordinator, kind="linked"
        )
    with pytest.raises(ValidationError):
        services.independence_link_add(
            member=a, user=office, other=world.member_beta, kind="linked"
        )
    with pytest.raises(ValidationError):
        services.independence_link_add(member=a, user=office, other=a, kind="linked")
    assert IndependenceLink.objects.count() == 1


def test_mem_11_office_removes_a_link_from_either_page(world, client_for):
    link = services.independence_link_add(
        member=world.member_a, user=world.users["office"], other=world.member_b, kind="linked"
    )
    url = reverse("independence_link_remove", kwargs={"slug": "alfa", "link_id": link.pk})
    assert client_for("chair").post(url).status_code == 403
    r = client_for("office").post(url, {"back": world.member_b.pk})
    assert r.status_code == 302 and r["Location"].endswith(f"/members/{world.member_b.pk}/")
    assert not IndependenceLink.objects.exists()
    assert AuditLog.objects.filter(model="members.IndependenceLink", action="delete").count() == 1
    assert Member.objects.filter(pk=world.member_a.pk).exists()
