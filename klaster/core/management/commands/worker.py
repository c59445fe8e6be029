"""`klaster worker`: the background worker — at each tick it enqueues the periodic jobs of every app
due today (klaster.core.jobs.enqueue_due, as `klaster run-scheduled` does: once a Warsaw day, right
at start and after each midnight) and runs the tasks ready on the queue of Django's task framework
(the database backend's worker: several workers, on several machines, share one queue), failed
jobs' retries among them when their pause is over.

`klaster serve` starts one beside the web server (klaster/gunicorn_conf.py) and stops it with the
server; run it on its own (a systemd service, a container) when the server runs with
KLASTER_WORKER=false. `--once` runs what is due now and exits (for cron or a test).
"""

from __future__ import annotations

import os
import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from klaster.core import jobs


class Command(BaseCommand):
    help = (
        "Zadania okresowe (np. statusy członków raz na dobę): planuje je przy starcie i po każdej "
        "północy i wykonuje zadania z kolejki (także ponowienia nieudanych)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="planuje i wykonuje zaległe zadania, potem kończy"
        )
        parser.add_argument(
            "--poll",
            type=float,
            default=15.0,
            help="co ile sekund sprawdza, czy coś jest do zrobienia, także poczta do wysłania (domyślnie 15)",
        )
        parser.add_argument(
            "--parent",
            type=int,
            default=None,
            help="kończy pracę, gdy zniknie ten proces (serwer, który go uruchomił)",
        )

    def handle(self, *args, once: bool, poll: float, parent: int | None, **options):
        if poll <= 0:
            raise CommandError("--poll musi być dodatnie")
        found = jobs.discover()
        schedule = jobs.TaskSchedule()
        if once:
            today = timezone.localdate()
            reported = []
            for outcome in schedule.run_due(today):
                self._report(outcome)
                reported.append(outcome.job)
            for run in schedule.done_before(today, reported):
                at = timezone.localtime(run.finished).strftime("%H:%M") if run.finished else ""
                self.stdout.write(f"{run.name}: nic do zrobienia — wykonane już dziś {at}")
            return
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        self.stdout.write(f"Klaster worker: {', '.join(j.name for j in found) or '(brak zadań)'}")
        self.stdout.flush()

        def wait(seconds: float) -> bool:
            # in short steps, to notice a server that went away without stopping us
            end = time.monotonic() + seconds
            while not stop.is_set():
                left = end - time.monotonic()
                if left <= 0:
                    return False
                if parent is not None and os.getppid() != parent:
                    return True
                stop.wait(min(left, 2.0))
            return True

        def wait_and_reconnect(seconds: float) -> bool:
            stopped = wait(seconds)
            # a long-lived process: never reuse a connection the database dropped meanwhile
            close_old_connections()
            return stopped

        jobs.run_forever(
            schedule,
            now=timezone.localtime,
            wait=wait_and_reconnect,
            report=self._report,
            poll=poll,
        )

    def _report(self, outcome: jobs.Outcome) -> None:
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
        if outcome.error:
            self.stderr.write(
                f"{stamp} {outcome.job}: błąd — {outcome.error} (ponowienie po przerwie, do "
                f"{jobs.MAX_ATTEMPTS} prób)"
            )
        else:
            self.stdout.write(f"{stamp} {outcome.job}: {_summary(outcome.result)}")
        self.stdout.flush()


def _summary(result: object) -> str:
    return jobs.summary(result)
