"""`klaster roles`: an operator lists, grants and revokes roles in clusters from the command line,
through `role_grant`/`role_revoke` (validation and an audit row each), until the invitation pages
exist (issue 12). The Django admin is for superusers only (issue 7). A members' command, not core's:
a representative's role names a member (``--member KEY``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from klaster.core.audit import audit_record
from klaster.core.models import Cluster, ClusterRole, Role
from klaster.core.services import role_grant, role_revoke
from klaster.members.models import Member

ROLES = ", ".join(f"{value} ({label})" for value, label in Role.choices)


def _refusal(exc: ValidationError) -> CommandError:
    if hasattr(exc, "error_dict"):
        return CommandError(
            " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
        )
    return CommandError(" ".join(exc.messages))


class Command(BaseCommand):
    help = "Role w klastrach: list, grant, revoke (każda zmiana z wpisem w dzienniku zmian)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{list,grant,revoke}")
        listing = actions.add_parser("list", help="role, po jednej w wierszu")
        listing.add_argument("--cluster", help="tylko w tym klastrze (slug)")
        listing.add_argument("--user", help="tylko tego konta (login)")
        for name, text in (("grant", "nadaje rolę"), ("revoke", "odbiera rolę")):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("--cluster", required=True, help="klaster (slug)")
            sub.add_argument("--user", required=True, help="konto (login)")
            sub.add_argument("--role", required=True, choices=Role.values, help=f"rola: {ROLES}")
            sub.add_argument("--member", help="klucz członka (dla roli representative)")
            if name == "grant":
                sub.add_argument(
                    "--create-user",
                    action="store_true",
                    help="załóż konto, jeśli go nie ma (bez hasła: ustaw je `klaster changepassword`)",
                )

    def handle(self, *args, action: str, **options: Any):
        if action == "list":
            self._list(options.get("cluster"), options.get("user"))
            return
        try:
            with transaction.atomic():
                cluster = self._cluster(options["cluster"])
                member = self._member(cluster, options.get("member"))
                if action == "grant":
                    user = self._user(options["user"], create=options.get("create_user", False))
                    grant = role_grant(
                        cluster=cluster, user=user, role=options["role"], member=member, by=None
                    )
                    self.stdout.write(f"Nadano: {self._line(grant)}")
                else:
                    user = self._user(options["user"], create=False)
                    grant = ClusterRole.objects.filter(
                        cluster=cluster, user=user, role=options["role"], member=member
                    ).first()
                    if grant is None:
                        raise CommandError("To konto nie ma tej roli w tym klastrze.")
                    line = self._line(grant)
                    role_revoke(role=grant, by=None)
                    self.stdout.write(f"Odebrano: {line}")
        except ValidationError as exc:
            raise _refusal(exc) from None

    def _list(self, slug: str | None, login: str | None) -> None:
        qs = ClusterRole.objects.select_related("cluster", "user", "member").order_by(
            "cluster__slug", "user__username", "role", "member__key"
        )
        if slug:
            qs = qs.filter(cluster=self._cluster(slug))
        if login:
            qs = qs.filter(user__username=login)
        for grant in qs:
            self.stdout.write(self._line(grant))

    @staticmethod
    def _line(grant: ClusterRole) -> str:
        return "\t".join(
            [
                grant.cluster.slug,
                grant.user.get_username(),
                grant.role,
                grant.member.key if grant.member else "",
            ]
        )

    @staticmethod
    def _cluster(slug: str) -> Cluster:
        try:
            return Cluster.objects.get(slug=slug)
        except Cluster.DoesNotExist:
            raise CommandError(f"Nie ma klastra „{slug}”. Dostępne: klaster clusters") from None

    @staticmethod
    def _member(cluster: Cluster, key: str | None) -> Member | None:
        if not key:
            return None
        try:
            return Member.objects.get(cluster=cluster, key=key)
        except Member.DoesNotExist:
            raise CommandError(
                f"Klaster „{cluster.slug}” nie ma członka o kluczu „{key}”."
            ) from None

    @staticmethod
    def _user(login: str, *, create: bool) -> Any:
        users = get_user_model()
        user = users.objects.filter(username=login).first()
        if user is not None:
            return user
        if not create:
            raise CommandError(f"Nie ma konta „{login}” (dodaj --create-user, aby je założyć).")
        user = users(username=login)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(
            cluster=None,
            user=None,
            action="create",
            instance=user,
            changes={"username": [None, login]},
        )
        return user
