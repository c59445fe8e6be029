"""The Django admin (issue 7 point 1): an office could make itself the office of every cluster
through it. Now it is for superusers only, and even they write only through the services.

Every model registered in `admin.site`, every admin view (changelist, add, change, delete,
history) and every admin action is tried by every persona — the product's personas (the offices
of alfa and beta are `is_staff`), anonymous, and a superuser. The models are read from the
registry, so a model registered later is covered without a change here.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.core.dbstate import assert_unchanged, changed_tables, db_fingerprint
from tests.core.test_access_matrix import P

ADMIN_PERSONAS = [*P, "superuser"]
PASSWORD = "haslo-testowe-1"  # tests/factories.py


@pytest.fixture
def admin_world(world):
    """A row of every registered model the world does not already have."""
    from rest_framework.authtoken.models import Token

    from klaster.core.services import statute_profile_set

    statute_profile_set(
        cluster=world.alfa, valid_from=dt.date(2020, 1, 1), user=None, preset="evoluma"
    )
    statute_profile_set(
        cluster=world.beta, valid_from=dt.date(2020, 1, 1), user=None, preset="infotech"
    )
    Token.objects.get_or_create(user=world.users["office"])
    # a task on the queue of Django's task framework (django_tasks_db's admin lists them)
    from klaster.core.jobs import run_job

    run_job.enqueue(0)
    return world


def _registry():
    from django.contrib import admin

    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _registered_models():
    from django.contrib import admin

    return sorted(m._meta.label for m in admin.site._registry)


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _some_object(model, world):
    """The row the views are tried on: of cluster alfa where the model has a cluster."""
    from django.core.exceptions import FieldDoesNotExist

    qs = model._default_manager.order_by("pk")
    try:
        model._meta.get_field("cluster")
        qs = qs.filter(cluster=world.alfa) if qs.filter(cluster=world.alfa).exists() else qs
    except FieldDoesNotExist:
        pass
    return qs.first()


def _escalation(model, world) -> dict:
    """What an attacker would post: alfa's office role for the outsider, a member or a statute
    version moved to beta, garbage in a statute version's numbers."""
    label = model._meta.label
    if label == "core.ClusterRole":
        return {
            "cluster": world.alfa.pk,
            "user": world.users["outsider"].pk,
            "role": "office",
            "member": "",
        }
    if label == "members.Member":
        return {
            "cluster": world.beta.pk,
            "key": "przeniesiony",
            "name": "Przejęty",
            "type": "small",
        }
    if label == "core.StatuteProfileVersion":
        return {
            "cluster": world.beta.pk,
            "valid_from": "2020-01-01",
            "preset": "x",
            "data": '{"garbage": 1}',
        }
    if label == "core.Cluster":
        return {"slug": "alfa", "name": "Przejęty klaster"}
    if label == "auth.User":
        return {"username": "office", "is_superuser": "on", "is_staff": "on", "is_active": "on"}
    return {}


def _views(model, model_admin, pk, world):
    """(view, method, url, data) for every admin view of the model and every action."""
    payload = _escalation(model, world)
    out = [
        ("changelist", "get", _url(model, "changelist"), None),
        ("add", "get", _url(model, "add"), None),
        ("change", "get", _url(model, "change", pk), None),
        ("delete", "get", _url(model, "delete", pk), None),
        ("history", "get", _url(model, "history", pk), None),
        ("add", "post", _url(model, "add"), payload),
        ("change", "post", _url(model, "change", pk), payload),
    ]
    for _func, name, _description in model_admin._get_base_actions():
        out.append(
            (
                f"action:{name}",
                "post",
                _url(model, "changelist"),
                {"action": name, "_selected_action": [pk], "post": "yes", "index": 0},
            )
        )
    return [
        *out,
        ("delete", "post", _url(model, "delete", pk), {"post": "yes"}),
    ]  # last: it may succeed


def _is_admin_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("label", _registered_models())
def test_admin_every_view_and_action_as_every_persona(label, admin_world, client_for):
    """Non-superusers (the staff offices included) are sent to the admin's login and change
    nothing; the superuser sees every list, record and history, and what it may not do is
    refused (403) with nothing written."""
    from django.contrib import admin

    w = admin_world
    model = next(m for m in admin.site._registry if m._meta.label == label)
    model_admin = admin.site._registry[model]
    obj = _some_object(model, w)
    pk = obj.pk if obj is not None else 2_000_000_000
    req = _request_for(w)
    may = {
        "add": model_admin.has_add_permission(req),
        "change": model_admin.has_change_permission(req, obj),
        "delete": model_admin.has_delete_permission(req, obj),
    }
    offered = set(model_admin.get_actions(req))
    for persona in ADMIN_PERSONAS:
        client = client_for(persona)
        for view, method, url, data in _views(model, model_admin, pk, w):
            before = db_fingerprint() if method == "post" else None
            response = (
                getattr(client, method)(url, data)
                if data is not None
                else getattr(client, method)(url)
            )
            where = (label, persona, view, method)
            if persona != "superuser":
                assert _is_admin_login(response), (*where, response.status_code)
                if before is not None:
                    assert_unchanged(before, where)
                continue
            assert response.status_code < 500, (*where, response.status_code)
            if obj is None and view != "changelist":
                continue  # nothing to show (test_admin_every_model_has_a_row_for_the_superuser)
            if view.startswith("action:"):
                if view.removeprefix("action:") not in offered:
                    assert_unchanged(before, where)  # not offered: "No action selected"
            elif view in may and not may[view] and (method == "post" or view != "change"):
                # a read-only record is still shown (GET change); its POST, add and delete are 403
                assert response.status_code == 403, (*where, response.status_code)
                if before is not None:
                    assert_unchanged(before, where)
            elif method == "get":
                assert response.status_code == 200, (*where, response.status_code)


def _request_for(world):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = world.users["superuser"]
    return request


def test_admin_every_model_has_a_row_for_the_superuser(admin_world):
    """Models with nothing to show are checked only at the list: give them a row above."""
    from django.contrib import admin

    empty = sorted(
        m._meta.label
        for m in admin.site._registry
        if _some_object(m, admin_world) is None and not m._meta.app_label.startswith("axes")
    )
    assert not empty, f"no row to try the admin's record views on: {empty}"


# --- what the offices could do before ----------------------------------------------------------


def test_admin_offices_get_the_login_refusal(world, client_for):
    for persona in ("office", "outsider"):
        assert world.users[persona].is_staff
        response = client_for(persona).get(reverse("admin:index"))
        assert _is_admin_login(response), persona


def test_admin_login_refuses_staff_who_are_not_superusers_like_a_wrong_password(world, client):
    """No session for a staff office, and the same words as for a wrong password or an unknown
    login: the admin's login enumerates nobody."""
    from django.test import Client

    url = reverse("admin:login")
    answers = []
    for username, password in (
        ("office", PASSWORD),
        ("office", "zle-haslo"),
        ("nikt-taki", PASSWORD),
    ):
        c = Client()
        response = c.post(url, {"username": username, "password": password, "next": "/admin/"})
        assert response.status_code == 200, username
        assert c.get(reverse("admin:index")).status_code == 302
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
        answers.append(body.replace(f'value="{username}"', 'value="LOGIN"'))
    assert answers[0] == answers[1] == answers[2]
    c = Client()
    response = c.post(url, {"username": "superuser", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert c.get(reverse("admin:index")).status_code == 200


def test_admin_no_office_can_make_itself_office_of_another_cluster(world, client_for):
    from klaster.core.models import AuditLog, ClusterRole

    outsider = world.users["outsider"]
    for persona in ("office", "outsider"):
        c = client_for(persona)
        before = db_fingerprint()
        c.post(
            _url(ClusterRole, "add"),
            {"cluster": world.alfa.pk, "user": outsider.pk, "role": "office"},
        )
        own = ClusterRole.objects.get(user=outsider, cluster=world.beta)
        c.post(
            _url(ClusterRole, "change", own.pk),
            {"cluster": world.alfa.pk, "user": outsider.pk, "role": "office"},
        )
        assert_unchanged(before, persona)
    assert not ClusterRole.objects.filter(user=outsider, cluster=world.alfa).exists()
    assert not AuditLog.objects.filter(model="core.ClusterRole").exists()


# --- the superuser writes through the services ------------------------------------------------


def test_admin_superuser_grants_a_role_through_role_grant(world, client_for):
    from klaster.core.models import AuditLog, ClusterRole

    c = client_for("superuser")
    newcomer = world.users["forum"]
    response = c.post(
        _url(ClusterRole, "add"),
        {"cluster": world.beta.pk, "user": newcomer.pk, "role": "organ_member", "member": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    role = ClusterRole.objects.get(user=newcomer, cluster=world.beta)
    entry = AuditLog.objects.get(model="core.ClusterRole", object_id=str(role.pk))
    assert (entry.cluster, entry.user, entry.action) == (
        world.beta,
        world.users["superuser"],
        "create",
    )
    assert entry.changes["role"] == [None, "organ_member"]


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("member of another cluster", "tego samego klastra"),
        ("representative without a member", "wskaż go"),
        ("duplicate", "ma już tę rolę"),
        ("office naming a member", "tylko dla roli przedstawiciela"),
    ],
)
def test_admin_superuser_role_refusals_are_form_errors(case, error, world, client_for):
    from klaster.core.models import ClusterRole

    data = {
        "member of another cluster": {
            "cluster": world.beta.pk,
            "user": world.users["member"].pk,
            "role": "representative",
            "member": world.member_a.pk,
        },
        "representative without a member": {
            "cluster": world.alfa.pk,
            "user": world.users["forum"].pk,
            "role": "representative",
            "member": "",
        },
        "duplicate": {
            "cluster": world.alfa.pk,
            "user": world.users["office"].pk,
            "role": "office",
            "member": "",
        },
        "office naming a member": {
            "cluster": world.alfa.pk,
            "user": world.users["forum"].pk,
            "role": "office",
            "member": world.member_a.pk,
        },
    }[case]
    c = client_for("superuser")
    before = db_fingerprint()
    response = c.post(_url(ClusterRole, "add"), data)
    assert response.status_code == 200, case
    assert error in response.content.decode(), case
    assert_unchanged(before, case)
    assert (
        ClusterRole.objects.filter(
            user=world.users["office"], cluster=world.alfa, role="office"
        ).count()
        == 1
    )


def test_admin_superuser_cannot_edit_a_role_in_place(world, client_for):
    """A role is revoked and granted, never edited: moving it to another cluster is refused."""
    from klaster.core.models import ClusterRole

    role = ClusterRole.objects.get(user=world.users["office"], cluster=world.alfa)
    c = client_for("superuser")
    assert c.get(_url(ClusterRole, "change", role.pk)).status_code == 200  # read-only view
    before = db_fingerprint()
    response = c.post(
        _url(ClusterRole, "change", role.pk),
        {"cluster": world.beta.pk, "user": world.users["office"].pk, "role": "office"},
    )
    assert response.status_code == 403
    assert_unchanged(before, "change")


@pytest.mark.parametrize("how", ["delete view", "delete_selected action"])
def test_admin_superuser_revokes_through_role_revoke(how, world, client_for):
    from klaster.core.models import AuditLog, ClusterRole

    role = ClusterRole.objects.get(user=world.users["forum"], cluster=world.alfa)
    c = client_for("superuser")
    if how == "delete view":
        response = c.post(_url(ClusterRole, "delete", role.pk), {"post": "yes"})
    else:
        response = c.post(
            _url(ClusterRole, "changelist"),
            {"action": "delete_selected", "_selected_action": [role.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not ClusterRole.objects.filter(pk=role.pk).exists()
    entry = AuditLog.objects.get(model="core.ClusterRole", object_id=str(role.pk))
    assert (entry.cluster, entry.user, entry.action) == (
        world.alfa,
        world.users["superuser"],
        "delete",
    )
    assert entry.changes["role"] == ["forum_viewer", None]


def _member_form(member, **overrides):
    data = {
        "name": member.name,
        "type": member.type,
        "nip": member.nip,
        "regon": member.regon,
        "krs": member.krs,
        "website": member.website,
        "pkd_codes": "[]",
        "branch_revenue": "unknown",
        "street": member.street,
        "postal_code": member.postal_code,
        "city": member.city,
        "lat": member.lat or "",
        "lon": member.lon or "",
        "distance_override_km": "",
        "independent": "true",
        "science_category": "",
        "certificates": "[]",
    }
    data.update(overrides)
    return data


def test_admin_superuser_member_save_goes_through_member_update(world, client_for):
    from klaster.core.models import AuditLog
    from klaster.members.models import Member

    member = world.member_a
    c = client_for("superuser")
    assert c.get(_url(Member, "change", member.pk)).status_code == 200
    response = c.post(
        _url(Member, "change", member.pk),
        _member_form(member, name="Alfa-Tech Nowa sp. z o.o.", cluster=world.beta.pk, key="zzz"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    member.refresh_from_db()
    assert member.name == "Alfa-Tech Nowa sp. z o.o."
    assert (member.cluster_id, member.key) == (world.alfa.pk, "m001")  # read-only: never moved
    entry = AuditLog.objects.get(model="members.Member", object_id=str(member.pk))
    assert (entry.cluster, entry.user) == (world.alfa, world.users["superuser"])
    assert entry.changes["name"] == ["Alfa-Tech sp. z o.o.", "Alfa-Tech Nowa sp. z o.o."]


def test_admin_member_refusals_are_form_errors_not_500(world, client_for):
    from klaster.members.models import Member

    member = world.member_a
    c = client_for("superuser")
    before = db_fingerprint()
    response = c.post(_url(Member, "change", member.pk), _member_form(member, nip="1234567890"))
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert_unchanged(before, "bad NIP")


def test_admin_statute_versions_and_audit_are_read_only_even_for_superusers(
    admin_world, client_for
):
    from klaster.core.models import AuditLog, StatuteProfileVersion

    w = admin_world
    version = StatuteProfileVersion.objects.get(cluster=w.alfa)
    entry = AuditLog.objects.filter(cluster=w.alfa).first()
    c = client_for("superuser")
    for model, obj, data in (
        (
            StatuteProfileVersion,
            version,
            {"cluster": w.beta.pk, "valid_from": "2020-01-01", "data": "{}"},
        ),
        (AuditLog, entry, {"action": "x", "model": "y"}),
    ):
        assert c.get(_url(model, "change", obj.pk)).status_code == 200
        before = db_fingerprint()
        assert c.post(_url(model, "change", obj.pk), data).status_code == 403
        assert c.post(_url(model, "add"), data).status_code == 403
        assert c.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        assert_unchanged(before, model)


def test_admin_superuser_account_changes_are_audited_and_never_deleted(world, client_for):
    from django.contrib.auth import get_user_model

    from klaster.core.models import AuditLog

    user = world.users["forum"]
    c = client_for("superuser")
    response = c.post(
        _url(get_user_model(), "change", user.pk),
        {
            "username": "forum",
            "first_name": "Fiona",
            "last_name": "",
            "email": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditLog.objects.get(model=user._meta.label, object_id=str(user.pk), action="update")
    assert entry.changes["first_name"] == ["", "Fiona"] and entry.cluster is None
    response = c.post(
        _url(get_user_model(), "password_change", user.pk),
        {"password1": "Nowe-haslo-123!", "password2": "Nowe-haslo-123!", "usable_password": "true"},
    )
    assert response.status_code == 302
    entry = AuditLog.objects.get(model=user._meta.label, object_id=str(user.pk), action="password")
    assert entry.changes == {"password": ["…", "…"]}
    before = db_fingerprint()
    assert c.post(_url(get_user_model(), "delete", user.pk), {"post": "yes"}).status_code == 403
    assert not changed_tables(before, db_fingerprint())


def test_admin_mem_4_member_identifiers_pass_the_one_normaliser(world, client_for):
    """MEM-4: the admin's member form takes a NIP as people type it (dashes, PL) and stores it
    compact, refuses a bad postal code, and its search finds a member by a NIP typed with
    dashes — as the member form, the API and the imports do."""
    from klaster.members.models import Member

    member = world.member_a
    nip = member.nip
    typed = f"PL {nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"
    c = client_for("superuser")
    response = c.post(
        _url(Member, "change", member.pk), _member_form(member, nip=typed, postal_code="00950")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    member.refresh_from_db()
    assert (member.nip, member.postal_code) == (nip, "00-950")

    before = db_fingerprint()
    response = c.post(_url(Member, "change", member.pk), _member_form(member, postal_code="ab-cde"))
    assert response.status_code == 200
    assert "NN-NNN" in response.content.decode()
    assert_unchanged(before, "bad postal code")

    found = c.get(_url(Member, "changelist"), {"q": typed})
    assert found.status_code == 200
    assert member.name in found.content.decode()
