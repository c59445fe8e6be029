"""Roles change through `role_grant`/`role_revoke` (issue 7): one transaction, validated, an audit
row naming the cluster — from the admin (tests/core/test_admin_access.py) and from `klaster roles`,
the operator's command until the invitation pages exist (issue 12)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from klaster.core.models import AuditLog, ClusterRole
from klaster.core.services import role_grant, role_revoke

pytestmark = pytest.mark.django_db


def test_mem_1_role_grant_writes_the_role_and_its_audit_row(world):
    by = world.users["superuser"]
    role = role_grant(
        cluster=world.beta,
        user=world.users["member"],
        role="representative",
        member=world.member_beta,
        by=by,
    )
    entry = AuditLog.objects.get(model="core.ClusterRole", object_id=str(role.pk))
    assert (entry.cluster, entry.user, entry.action) == (world.beta, by, "create")
    assert entry.changes == {
        "user": [None, "member"],
        "role": [None, "representative"],
        "member": [None, str(world.member_beta)],
    }


@pytest.mark.parametrize(
    ("role", "member", "field"),
    [
        ("representative", "alfa member", "member"),  # another cluster's member
        ("representative", None, "member"),
        ("office", "beta member", "member"),
        ("owner", None, "role"),
    ],
)
def test_mem_1_role_grant_refusals(role, member, field, world):
    chosen = {"alfa member": world.member_a, "beta member": world.member_beta, None: None}[member]
    with pytest.raises(ValidationError) as exc:
        role_grant(
            cluster=world.beta, user=world.users["member"], role=role, member=chosen, by=None
        )
    assert field in exc.value.message_dict
    assert not ClusterRole.objects.filter(cluster=world.beta, user=world.users["member"]).exists()
    assert not AuditLog.objects.filter(model="core.ClusterRole").exists()


@pytest.mark.parametrize("member", [False, True])
def test_mem_1_role_grant_refuses_a_duplicate(member, world):
    kwargs = {"role": "representative", "member": world.member_a} if member else {"role": "office"}
    user = world.users["member"] if member else world.users["office"]
    with pytest.raises(ValidationError, match="ma już tę rolę"):
        role_grant(cluster=world.alfa, user=user, by=None, **kwargs)
    assert ClusterRole.objects.filter(cluster=world.alfa, user=user).count() == 1


def test_mem_1_role_revoke_keeps_whose_it_was(world):
    role = ClusterRole.objects.get(user=world.users["forum"], cluster=world.alfa)
    role_revoke(role=role, by=world.users["superuser"])
    assert not ClusterRole.objects.filter(pk=role.pk).exists()
    entry = AuditLog.objects.get(model="core.ClusterRole", object_id=str(role.pk))
    assert (entry.cluster, entry.action) == (world.alfa, "delete")
    assert entry.changes["user"] == ["forum", None]


# --- klaster roles ------------------------------------------------------------------------------


def _run(*args) -> str:
    out = io.StringIO()
    call_command("roles", *args, stdout=out)
    return out.getvalue()


def test_roles_command_lists_grants_and_revokes(world):
    listing = _run("list", "--cluster", "alfa")
    assert "alfa\toffice\toffice\t" in listing and "alfa\tmember\trepresentative\tm001" in listing
    assert "beta" not in listing
    out = _run(
        "grant",
        "--cluster",
        "beta",
        "--user",
        "chair",
        "--role",
        "representative",
        "--member",
        "b001",
    )
    assert "beta\tchair\trepresentative\tb001" in out
    role = ClusterRole.objects.get(cluster=world.beta, user=world.users["chair"])
    entry = AuditLog.objects.get(model="core.ClusterRole", object_id=str(role.pk))
    assert (entry.cluster, entry.user, entry.source) == (world.beta, None, "cli")
    _run(
        "revoke",
        "--cluster",
        "beta",
        "--user",
        "chair",
        "--role",
        "representative",
        "--member",
        "b001",
    )
    assert not ClusterRole.objects.filter(pk=role.pk).exists()
    assert AuditLog.objects.filter(
        model="core.ClusterRole", object_id=str(role.pk), action="delete"
    ).exists()
    assert _run("list", "--user", "chair") == "alfa\tchair\torgan_member\t\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "grant",
                "--cluster",
                "beta",
                "--user",
                "chair",
                "--role",
                "representative",
                "--member",
                "m001",
            ],
            "nie ma członka o kluczu",
        ),  # alfa's member key under beta
        (["grant", "--cluster", "alfa", "--user", "office", "--role", "office"], "ma już tę rolę"),
        (["grant", "--cluster", "alfa", "--user", "nowy", "--role", "office"], "--create-user"),
        (["grant", "--cluster", "gamma", "--user", "office", "--role", "office"], "Nie ma klastra"),
        (["grant", "--cluster", "alfa", "--user", "chair", "--role", "representative"], "wskaż go"),
        (["revoke", "--cluster", "beta", "--user", "chair", "--role", "office"], "nie ma tej roli"),
    ],
)
def test_roles_command_refusals_change_nothing(args, message, world):
    from tests.core.dbstate import assert_unchanged, db_fingerprint

    before = db_fingerprint()
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert_unchanged(before, args)


def test_roles_command_creates_an_account_without_a_password(world):
    from django.contrib.auth import get_user_model

    _run(
        "grant",
        "--cluster",
        "alfa",
        "--user",
        "nowa.osoba",
        "--role",
        "forum_viewer",
        "--create-user",
    )
    user = get_user_model().objects.get(username="nowa.osoba")
    assert not user.has_usable_password() and not user.is_staff
    assert ClusterRole.objects.filter(cluster=world.alfa, user=user, role="forum_viewer").exists()


def test_roles_command_has_its_klaster_alias():
    from klaster import cli

    assert cli.ALIASES["roles"] == "roles"
    assert "roles list|grant|revoke" in cli.USAGE
