"""Login and API-token hardening (issue 7 point 6).

- Failed logins (the login page, the admin's login, POST /api/token/) are counted by django-axes
  in the database — shared by every gunicorn worker and server — per account and per address.
  At KLASTER_LOGIN_FAILURE_LIMIT failures within the cool-off the login is refused with 429,
  even with the right password. An unknown username is counted and locked exactly like a real
  one, and the answers never differ between "no such user" and "wrong password".
- Wrong API tokens count against their address in the same store: from a locked-out address
  every token (even a valid one) gets 429 until the cool-off passes, so guessing is pointless.
- Tokens expire KLASTER_API_TOKEN_TTL_DAYS after they were issued: an expired token is refused
  with 401 and deleted; POST /api/token/ then issues a new one. POST /api/token/revoke/ deletes
  the caller's token; `klaster revoke_tokens` deletes tokens from the command line. (The two
  endpoints are in klaster/core/auth_views.py: DRF imports this module while loading its views.)

Every refusal is logged (the `axes` logger records each failure, `klaster.auth` the refusals).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, NoReturn

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.authtoken.models import Token
from rest_framework.request import Request

log = logging.getLogger("klaster.auth")

# Marks the credentials axes sees for an API-token attempt (there is no username to count).
TOKEN_ATTEMPT = "api_token_attempt"  # noqa: S105 — a dict key, not a secret


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy (KLASTER_BEHIND_PROXY) the
    entry the nearest proxy appended to X-Forwarded-For. Entries further left are whatever the
    client sent and are never trusted."""
    meta = request.META
    if settings.KLASTER_BEHIND_PROXY:
        forwarded = [
            a.strip() for a in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        count = settings.KLASTER_PROXY_COUNT
        if count >= 1 and len(forwarded) >= count:
            return forwarded[-count]
    return meta.get("REMOTE_ADDR")


def lockout_parameters(request: Any, credentials: dict[str, Any] | None = None) -> list[str]:
    """A login is locked out by its account or by its address (either reaching the limit);
    a token attempt has no account, only its address."""
    if credentials and credentials.get(TOKEN_ATTEMPT):
        return ["ip_address"]
    return ["username", "ip_address"]


def locked_out_message() -> str:
    return _("Too many failed login attempts. Try again in %(minutes)s min.") % {
        "minutes": cooloff_minutes()
    }


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page again, with the lockout message, status 429."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    log.warning("login refused (locked out): path %s from %s", request.path, client_ip(request))
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": locked_out_message()}, status=429, headers={"Retry-After": str(seconds)}
        )
    context = {
        "form": AuthenticationForm(request),
        "locked_out": True,
        "cooloff_minutes": cooloff_minutes(),
        "next": request.POST.get("next", request.GET.get("next", "")),
    }
    response = render(request, "core/login.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


class AxesBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in AUTHENTICATION_BACKENDS.

    Every web door passes the request to `authenticate` (Django's LoginView and the admin's
    login through AuthenticationForm, DRF's AuthTokenSerializer for /api/token/), so every one is
    counted. A call without a request comes from code — a shell, a test's Client.login — not from
    an attacker; it is left to the other backends instead of failing."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class LockedOut(exceptions.Throttled):
    """429 for an address (or account) past the failure limit, with Retry-After."""

    def __init__(self) -> None:
        super().__init__(detail=locked_out_message())
        self.wait = int(settings.AXES_COOLOFF_TIME.total_seconds())


def token_expired(token: Token, now: dt.datetime | None = None) -> bool:
    days = settings.KLASTER_API_TOKEN_TTL_DAYS
    if days <= 0:
        return False
    return token.created + dt.timedelta(days=days) <= (now or timezone.now())


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication plus expiry and a per-address limit on wrong tokens."""

    def authenticate(self, request: Request) -> tuple[Any, Token] | None:
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None
        credentials = {"username": None, TOKEN_ATTEMPT: True}
        if not AxesProxyHandler.is_allowed(request, credentials):
            log.warning("API token refused: address %s is locked out", client_ip(request))
            raise LockedOut()
        if len(auth) != 2:
            return self._failed(request, credentials)
        try:
            key = auth[1].decode()
        except UnicodeError:
            return self._failed(request, credentials)
        token = Token.objects.select_related("user").filter(key=key).first()
        if token is None:
            return self._failed(request, credentials)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("Konto tego tokenu jest nieaktywne.")
        if token_expired(token):
            token.delete()
            log.info("API token of user id %s expired and was deleted", token.user_id)
            raise exceptions.AuthenticationFailed(
                f"Token wygasł (ważny {settings.KLASTER_API_TOKEN_TTL_DAYS} dni od wydania) i został usunięty. "
                "Pobierz nowy: POST /api/token/ z loginem i hasłem."
            )
        return (token.user, token)

    def _failed(self, request: Request, credentials: dict[str, Any]) -> NoReturn:
        AxesProxyHandler.user_login_failed(
            sender=type(self), credentials=credentials, request=request
        )
        log.warning("wrong API token from %s", client_ip(request))
        if getattr(request, "axes_locked_out", False):
            raise LockedOut()
        raise exceptions.AuthenticationFailed("Nieprawidłowy token.")
