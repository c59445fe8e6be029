"""`klaster ksef check --env test`: does a KSeF environment answer from here?

It asks the environment's public endpoint — the list of KSeF's public-key certificates, which
every send starts with and which needs no credentials — and says plainly what happened: how many
certificates it gave, or that it cannot be reached (no network, DNS, refused, timed out), or that
it answered with an error. Nothing is sent and no credentials are used.
"""

from __future__ import annotations

from dataclasses import dataclass

from ksef_client import KsefClient, KsefClientOptions
from ksef_client.exceptions import KsefHttpError

from klaster.rules.message import Msg

from . import messages as m
from .interface import ENVIRONMENTS

Status = str  # "ok" | "unreachable" | "error"


@dataclass(frozen=True)
class EnvironmentCheck:
    env: str
    url: str
    status: Status
    message: Msg
    certificates: int = 0

    @property
    def reachable(self) -> bool:
        return self.status != "unreachable"

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class UnknownEnvironmentError(ValueError):
    def __init__(self, env: str) -> None:
        self.message = Msg.of(m.CHECK_UNKNOWN_ENV, env=env, known=tuple(ENVIRONMENTS))
        super().__init__(f"unknown KSeF environment {env!r}")


def check_environment(
    env: str, *, base_url: str | None = None, timeout_seconds: float = 10.0
) -> EnvironmentCheck:
    """Try `env` ("test", "demo", "prod"); `base_url` points it elsewhere (a local fake)."""
    if env not in ENVIRONMENTS:
        raise UnknownEnvironmentError(env)
    url = base_url or ENVIRONMENTS[env]
    label = env.upper()
    options = KsefClientOptions(
        base_url=url,
        base_qr_url="https://qr.invalid" if base_url else None,
        base_lighthouse_url="https://lighthouse.invalid" if base_url else None,
        timeout_seconds=timeout_seconds,
    )
    try:
        with KsefClient(options) as client:
            certificates = client.security.get_public_key_certificates()
    except KsefHttpError as exc:
        if exc.status_code == 0:
            return EnvironmentCheck(
                env,
                url,
                "unreachable",
                Msg.of(m.CHECK_UNREACHABLE, env=label, url=url, detail=exc.message[:200]),
            )
        return EnvironmentCheck(
            env,
            url,
            "error",
            Msg.of(m.CHECK_ERROR, env=label, url=url, detail=f"HTTP {exc.status_code}"),
        )
    except (ValueError, TypeError) as exc:
        return EnvironmentCheck(
            env, url, "error", Msg.of(m.CHECK_ERROR, env=label, url=url, detail=str(exc)[:200])
        )
    n = len(certificates)
    return EnvironmentCheck(
        env, url, "ok", Msg.of(m.CHECK_OK, env=label, url=url, n=n), certificates=n
    )
