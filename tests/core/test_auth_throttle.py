"""Issue 7 point 6: brute force. Before, 100 wrong tokens and 50 wrong logins were followed by a
working right password, and API tokens never expired.

Now (klaster.core.auth): failed logins and wrong tokens are counted by django-axes in the
database per account and per address; past the limit the login page, /api/token/ and the API
answer 429 (with a Polish message) even for the right password or a valid token; unknown
usernames are counted and answered exactly like real ones; tokens expire and can be revoked.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.factories import TokenFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "haslo-testowe-1"  # noqa: S105 — the factories' test password
LIMIT = 10  # KLASTER_LOGIN_FAILURE_LIMIT's default
LOCKED_PL = "Zbyt wiele nieudanych prób logowania"


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _obtain(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("api_token"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _api(client: Client, key: str, ip: str = "10.0.0.1"):
    return client.get(
        reverse("api_cluster_list"), HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR=ip
    )


def _page(response) -> str:
    """The page without what differs per response (the masked CSRF token)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


# --- the login page ---------------------------------------------------------------------------


def test_wrong_logins_lock_the_account_even_for_the_right_password(alice, client):
    for _ in range(LIMIT - 1):
        assert _login(client, "alice", "zle-haslo", ip=f"10.0.1.{_}").status_code == 200
    locked = _login(client, "alice", "zle-haslo", ip="10.0.2.1")
    assert locked.status_code == 429
    # from a fresh address and with the right password: still refused, nobody logged in
    right = _login(client, "alice", PASSWORD, ip="10.0.3.1")
    assert right.status_code == 429
    assert LOCKED_PL in right.content.decode() and "15 min" in right.content.decode()
    assert "_auth_user_id" not in client.session
    assert 'name="username"' in right.content.decode()  # the login page itself, with its form


def test_wrong_logins_lock_the_address_for_every_username(alice, client):
    for i in range(LIMIT):
        _login(client, f"someone{i}", "zle-haslo", ip="10.0.0.9")
    assert _login(client, "alice", PASSWORD, ip="10.0.0.9").status_code == 429
    assert _login(client, "alice", PASSWORD, ip="10.0.0.10").status_code == 302  # another address


def test_unknown_username_is_answered_and_locked_like_a_real_one(alice):
    """No enumeration: the same page for "no such login" and "wrong password", and the same
    lockout after the same number of attempts."""
    real, unknown = Client(), Client()
    first_real = _login(real, "alice", "zle-haslo", ip="10.1.0.1")
    first_unknown = _login(unknown, "nikt-taki", "zle-haslo", ip="10.2.0.1")
    assert first_real.status_code == first_unknown.status_code == 200
    assert _page(first_real).replace("alice", "X") == _page(first_unknown).replace("nikt-taki", "X")
    answers = {"alice": [], "nikt-taki": []}
    for i in range(LIMIT):
        answers["alice"].append(_login(real, "alice", "zle-haslo", ip=f"10.1.1.{i}").status_code)
        answers["nikt-taki"].append(
            _login(unknown, "nikt-taki", "zle-haslo", ip=f"10.2.1.{i}").status_code
        )
    assert answers["alice"] == answers["nikt-taki"] == [200] * (LIMIT - 2) + [429, 429]
    assert _page(_login(real, "alice", "x", ip="10.1.9.9")).replace("alice", "X") == _page(
        _login(unknown, "nikt-taki", "x", ip="10.2.9.9")
    ).replace("nikt-taki", "X")


def test_failures_are_logged_and_kept_in_the_database(alice, client, caplog):
    with caplog.at_level(logging.WARNING):
        for _ in range(LIMIT):
            _login(client, "alice", "zle-haslo", ip="10.0.4.1")
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "login failure" in logged and "10.0.4.1" in logged
    assert "Locking out" in logged
    assert "zle-haslo" not in logged
    # the database is the store every gunicorn worker shares
    assert (
        AccessAttempt.objects.get(username="alice", ip_address="10.0.4.1").failures_since_start
        == LIMIT
    )


def test_axes_reset_command_lifts_a_lockout(alice, client):
    for _ in range(LIMIT):
        _login(client, "alice", "zle-haslo")
    assert _login(client, "alice", PASSWORD).status_code == 429
    call_command("axes_reset_username", "alice")
    call_command("axes_reset_ip", "10.0.0.1")
    assert _login(client, "alice", PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off(alice, client):
    for _ in range(LIMIT):
        _login(client, "alice", "zle-haslo")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert _login(client, "alice", PASSWORD).status_code == 302


# --- POST /api/token/ ------------------------------------------------------------------------


def test_token_endpoint_is_locked_out_too(alice, client):
    wrong = _obtain(client, "alice", "zle-haslo")
    unknown = _obtain(client, "nikt-taki", "zle-haslo", ip="10.0.0.2")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    for _ in range(LIMIT - 1):
        _obtain(client, "alice", "zle-haslo")
    refused = _obtain(client, "alice", PASSWORD, ip="10.0.0.3")
    assert refused.status_code == 429
    assert LOCKED_PL in refused.json()["detail"]
    assert refused["Retry-After"] == str(15 * 60)
    assert not Token.objects.filter(user=alice).exists()


def test_token_endpoint_and_login_page_share_one_count(alice, client):
    for _ in range(LIMIT // 2):
        _obtain(client, "alice", "zle-haslo")
        _login(client, "alice", "zle-haslo")
    assert _login(client, "alice", PASSWORD, ip="10.9.9.9").status_code == 429


# --- API tokens ------------------------------------------------------------------------------


def test_wrong_tokens_lock_out_their_address(alice, client, caplog):
    valid = TokenFactory(user=alice).key
    with caplog.at_level(logging.WARNING):
        answers = [_api(client, f"{i:040x}", ip="10.0.5.1").status_code for i in range(LIMIT)]
    assert answers == [401] * (LIMIT - 1) + [429]
    refused = _api(client, valid, ip="10.0.5.1")  # even the valid token, from that address
    assert refused.status_code == 429 and LOCKED_PL in refused.json()["detail"]
    assert _api(client, valid, ip="10.0.5.2").status_code == 200  # another address is not affected
    assert "wrong API token from 10.0.5.1" in caplog.text


def test_wrong_token_answer_names_nothing(alice, client):
    response = _api(client, "0" * 40)
    assert response.status_code == 401
    assert response.json() == {"detail": "Nieprawidłowy token."}


def test_expired_token_is_refused_and_deleted(alice, client, settings):
    assert settings.KLASTER_API_TOKEN_TTL_DAYS == 30
    token = TokenFactory(user=alice)
    Token.objects.filter(pk=token.pk).update(
        created=timezone.now() - dt.timedelta(days=30, minutes=1)
    )
    response = _api(client, token.key)
    assert response.status_code == 401
    assert "Token wygasł" in response.json()["detail"]
    assert not Token.objects.filter(key=token.key).exists()
    # an expired token is not a guess: the address is not counted
    assert not AccessAttempt.objects.exists()


def test_fresh_token_works_and_obtain_replaces_an_expired_one(alice, client):
    old = TokenFactory(user=alice)
    assert _api(client, old.key).status_code == 200
    Token.objects.filter(pk=old.pk).update(created=timezone.now() - dt.timedelta(days=31))
    new = _obtain(client, "alice", PASSWORD).json()["token"]
    assert new != old.key
    assert _api(client, new).status_code == 200


def test_token_ttl_zero_means_no_expiry(alice, client, settings):
    settings.KLASTER_API_TOKEN_TTL_DAYS = 0
    token = TokenFactory(user=alice)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(days=3650))
    assert _api(client, token.key).status_code == 200


def test_revoke_endpoint_deletes_the_callers_token(alice, client):
    key = TokenFactory(user=alice).key
    other = TokenFactory(user=UserFactory(username="bob")).key
    response = client.post(reverse("api_token_revoke"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 204
    assert _api(client, key).status_code == 401
    assert _api(client, other).status_code == 200


def test_revoke_command(alice):
    bob = UserFactory(username="bob")
    carol = UserFactory(username="carol")
    TokenFactory(user=alice)
    TokenFactory(user=bob)
    stale = TokenFactory(user=carol)
    Token.objects.filter(pk=stale.pk).update(created=timezone.now() - dt.timedelta(days=40))
    call_command("revoke_tokens", "--expired")
    assert set(Token.objects.values_list("user__username", flat=True)) == {"alice", "bob"}
    call_command("revoke_tokens", "alice")
    assert set(Token.objects.values_list("user__username", flat=True)) == {"bob"}
    with pytest.raises(CommandError, match="nikt"):
        call_command("revoke_tokens", "nikt")
    call_command("revoke_tokens", "--all")
    assert not Token.objects.exists()


# --- the client's address behind a proxy -----------------------------------------------------


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(settings, rf):
    from klaster.core.auth import client_ip

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "127.0.0.1"  # not behind a proxy: the header is not trusted
    settings.KLASTER_BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.7"  # the spoofable left part is ignored
    settings.KLASTER_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
