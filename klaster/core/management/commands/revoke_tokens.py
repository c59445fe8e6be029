from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = (
        "Unieważnia tokeny API: wskazanych użytkowników, wszystkie (--all) albo tylko wygasłe (--expired). "
        "Kolejne żądanie z usuniętym tokenem dostaje 401; nowy token wydaje POST /api/token/."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", help="loginy, których tokeny usunąć")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everyone",
            help="usuwa tokeny wszystkich użytkowników",
        )
        parser.add_argument(
            "--expired",
            action="store_true",
            help="usuwa tylko tokeny starsze niż KLASTER_API_TOKEN_TTL_DAYS",
        )

    def handle(self, *args, usernames: list[str], everyone: bool, expired: bool, **options):
        if bool(usernames) + everyone + expired != 1:
            raise CommandError("Podaj loginy albo --all, albo --expired (dokładnie jedno z nich).")
        tokens = Token.objects.all()
        if usernames:
            known = set(
                get_user_model()
                .objects.filter(username__in=usernames)
                .values_list("username", flat=True)
            )
            unknown = sorted(set(usernames) - known)
            if unknown:
                raise CommandError(f"Nie ma użytkowników: {', '.join(unknown)}")
            tokens = tokens.filter(user__username__in=usernames)
        elif expired:
            days = settings.KLASTER_API_TOKEN_TTL_DAYS
            tokens = (
                tokens.filter(created__lte=timezone.now() - dt.timedelta(days=days))
                if days > 0
                else tokens.none()
            )
        count, _by_model = tokens.delete()
        self.stdout.write(f"Usunięto tokenów API: {count}.")
