"""Issue 9 point 6: roles in a cluster by the API (MEM-1) — an operator only, as the Django admin
(issue 7), through `role_grant` / `role_revoke` with their refusals and audit rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from klaster.core.models import AuditLog, ClusterRole
from tests.core.dbstate import assert_unchanged, db_fingerprint

pytestmark = pytest.mark.django_db
LIST = reverse("api_role_list", kwargs={"cluster_slug": "alfa"})


def _detail(role_id, slug="alfa"):
    return reverse("api_role_detail", kwargs={"cluster_slug": slug, "role_id": role_id})


def _post(client, data):
    return client.post(LIST, data=data, content_type="application/json")


def _forum_grant(world):
    return ClusterRole.objects.get(cluster=world.alfa, user=world.users["forum"])


def test_mem_1_operator_lists_and_grants_roles(world, client_for):
    operator = client_for("superuser")
    listed = operator.get(LIST)
    assert listed.status_code == 200
    assert {(r["user"], r["role"]) for r in listed.json()} == {
        ("office", "office"),
        ("chair", "organ_member"),
        ("member", "representative"),
        ("proxy", "representative"),
        ("forum", "forum_viewer"),
    }  # alfa's grants only: beta's office is not listed
    response = _post(
        operator, {"user": "forum", "role": "representative", "member": world.member_b.pk}
    )
    assert response.status_code == 201, response.content
    grant = ClusterRole.objects.get(pk=response.json()["id"])
    assert (grant.user, grant.role, grant.member) == (
        world.users["forum"],
        "representative",
        world.member_b,
    )
    entry = AuditLog.objects.get(model="core.ClusterRole", object_id=str(grant.pk))
    assert (entry.cluster, entry.user, entry.action) == (
        world.alfa,
        world.users["superuser"],
        "create",
    )


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"user": "nikt", "role": "office"}, "user", "Nie ma konta"),
        ({"user": "forum", "role": "owner"}, "role", "Nieznana rola"),  # the service's words
        ({"user": "forum", "role": "representative"}, "member", "Przedstawiciel działa"),
        ({"user": "forum", "role": "office", "member": 2_000_000_000}, "member", "Nieznany"),
        ({"role": "office"}, "user", ""),
    ],
)
def test_mem_1_a_refused_grant_names_its_field_and_writes_nothing(
    data, field, words, world, client_for
):
    operator = client_for("superuser")
    before = db_fingerprint()
    response = _post(operator, data)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert words in response.json()[field][0]
    assert_unchanged(before, data)


def test_mem_1_a_representative_of_another_clusters_member_is_refused(world, client_for):
    operator = client_for("superuser")
    before = db_fingerprint()
    response = _post(
        operator,
        {"user": "forum", "role": "representative", "member": world.member_beta.pk},
    )
    assert response.status_code == 400
    assert "tego samego klastra" in response.json()["member"][0]
    assert_unchanged(before, "member of beta")


def test_mem_1_operator_changes_a_role_as_a_revocation_and_a_grant(world, client_for):
    operator = client_for("superuser")
    old = _forum_grant(world)
    response = operator.patch(
        _detail(old.pk), data={"role": "organ_member"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert not ClusterRole.objects.filter(pk=old.pk).exists()
    assert _forum_grant(world).role == "organ_member"
    assert list(
        AuditLog.objects.filter(model="core.ClusterRole").order_by("pk").values_list("action")
    ) == [("delete",), ("create",)]


def test_mem_1_a_refused_change_keeps_the_old_grant(world, client_for):
    operator = client_for("superuser")
    old = _forum_grant(world)
    before = db_fingerprint()
    response = operator.patch(
        _detail(old.pk), data={"role": "representative"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "member" in response.json()
    assert_unchanged(before, "refused change")


def test_mem_1_operator_revokes_a_role(world, client_for):
    old = _forum_grant(world)
    response = client_for("superuser").delete(_detail(old.pk))
    assert response.status_code == 204
    assert not ClusterRole.objects.filter(pk=old.pk).exists()
    assert AuditLog.objects.get(model="core.ClusterRole").action == "delete"


@pytest.mark.parametrize(("persona", "code"), [("office", 403), ("member", 403), ("outsider", 404)])
def test_mem_1_no_persona_grants_or_revokes_roles(persona, code, world, client_for):
    """The office may not give itself (or anyone) a role: the admin's rule (issue 7)."""
    client = client_for(persona)
    before = db_fingerprint()
    granted = _post(
        client, {"user": persona, "role": "representative", "member": world.member_b.pk}
    )
    revoked = client.delete(_detail(_forum_grant(world).pk))
    changed = client.patch(
        _detail(_forum_grant(world).pk),
        data={"role": "office"},
        content_type="application/json",
    )
    assert (granted.status_code, revoked.status_code, changed.status_code) == (code, code, code)
    assert_unchanged(before, persona)


def test_mem_1_another_clusters_grant_id_is_a_404_even_for_an_operator(world, client_for):
    operator = client_for("superuser")
    before = db_fingerprint()
    assert operator.delete(_detail(_forum_grant(world).pk, slug="beta")).status_code == 404
    assert operator.get(_detail(_forum_grant(world).pk, slug="beta")).status_code == 404
    assert_unchanged(before, "beta slug, alfa id")
