"""`klaster ksef check --env test|demo|prod` and `klaster ksef send CLUSTER` (FIN-2, issue 10
point 3): whether a KSeF environment answers from here, and sending the invoices that wait."""

from __future__ import annotations

import argparse
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ._common import cluster_by_slug, refuse, say

# The check never takes longer than this, whatever the resolver does (httpx's timeout does not
# cover a name lookup that hangs).
CHECK_SECONDS = 10.0

STATES = {
    "sent": "wysłany",
    "offline": "offline, do ponowienia",
    "failed": "nie wysłany",
}


def _check(env: str, base_url: str | None) -> Any:
    """check_environment in a thread given CHECK_SECONDS; None if it had no answer by then."""
    from klaster.money.ksef import check_environment

    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = check_environment(
                env, base_url=base_url, timeout_seconds=CHECK_SECONDS - 1
            )
        except BaseException as exc:  # noqa: BLE001 — handed to the main thread
            box["error"] = exc

    worker = threading.Thread(target=run, name="ksef-check", daemon=True)
    worker.start()
    worker.join(CHECK_SECONDS)
    if "error" in box:
        raise box["error"]
    return box.get("result")


class Command(BaseCommand):
    help = "KSeF: sprawdzenie środowiska i wysyłka faktur oczekujących (klaster ksef check|send)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="czy środowisko KSeF odpowiada (nic nie wysyła)")
        check.add_argument("--env", choices=["test", "demo", "prod"], default="test")
        check.add_argument("--url", default=None, help=argparse.SUPPRESS)
        send = sub.add_parser("send", help="wysyła faktury oczekujące na KSeF")
        send.add_argument("cluster")

    def handle(self, *args, **options):
        if options["action"] == "check":
            self.check_environment(options["env"], options["url"])
        else:
            self.send_waiting(options["cluster"])

    def check_environment(self, env: str, base_url: str | None) -> None:
        from klaster.money.ksef import ENVIRONMENTS, UnknownEnvironmentError

        url = base_url or ENVIRONMENTS.get(env, "")
        try:
            result = _check(env, base_url)
        except UnknownEnvironmentError as exc:
            raise refuse(say(exc.message)) from None
        if result is None:
            raise CommandError(
                f"Nie można połączyć się z KSeF {env.upper()} ({url}): brak odpowiedzi w ciągu "
                f"{CHECK_SECONDS:.0f} s.",
                returncode=1,
            )
        if not result.ok:
            raise CommandError(say(result.message), returncode=1)
        self.stdout.write(say(result.message))

    def send_waiting(self, slug: str) -> None:
        from django.utils import timezone

        from klaster.money import outbox
        from klaster.rules.message import Msg

        cluster = cluster_by_slug(slug)
        report = outbox.send_configured(cluster, timezone.now())
        if isinstance(report, Msg):
            raise refuse(say(report))
        for o in report.outcomes:
            detail = o.ksef_number or "; ".join(say(m) for m in o.messages)
            self.stdout.write(f"{o.number}\t{STATES.get(o.state, o.state)}\t{detail}")
        self.stdout.write(
            f"Wysłano do KSeF: {report.count('sent')}; offline, do ponowienia: "
            f"{report.count('offline')}; nie wysłano: {report.count('failed')}"
        )
