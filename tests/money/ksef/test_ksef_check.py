"""`klaster ksef check --env …`: a plain answer whether a KSeF environment can be reached."""

from __future__ import annotations

import socket

import pytest

from klaster.money.ksef import UnknownEnvironmentError, check_environment
from klaster.money.ksef import messages as m
from klaster.rules.message import say


def test_an_answering_environment_is_ok(fake_ksef):
    result = check_environment("test", base_url=fake_ksef.url)
    assert (result.status, result.ok, result.reachable, result.certificates) == (
        "ok",
        True,
        True,
        1,
    )
    assert (
        say(result.message, "en")
        == f"KSeF TEST ({fake_ksef.url}) answers: 1 public key certificate."
    )
    assert fake_ksef.requests == [("GET", "/security/public-key-certificates")]


def test_an_unreachable_environment_is_said_plainly():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    result = check_environment("test", base_url=url, timeout_seconds=2)
    assert (result.status, result.reachable) == ("unreachable", False)
    assert result.message.code == m.CHECK_UNREACHABLE
    assert say(result.message, "en").startswith(f"KSeF TEST ({url}) cannot be reached: ")


def test_an_error_answer_is_not_unreachable(fake_ksef):
    fake_ksef.fail_next(503)
    result = check_environment("demo", base_url=fake_ksef.url)
    assert (result.status, result.reachable, result.ok) == ("error", True, False)
    assert "HTTP 503" in say(result.message, "en")


def test_an_unknown_environment_is_refused():
    with pytest.raises(UnknownEnvironmentError) as caught:
        check_environment("staging")
    assert say(caught.value.message, "en") == (
        "Unknown KSeF environment staging (known: test, demo, prod)."
    )
