from __future__ import annotations

import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Uruchamia aplikację WWW na serwerze gunicorn (domyślnie http://127.0.0.1:8000) "
        "i obok niej proces zadań okresowych (klaster worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("KLASTER_WORKERS", "2")),
            help="procesy robocze (KLASTER_WORKERS, domyślnie 2)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("KLASTER_THREADS", "8")),
            help="wątki na proces (KLASTER_THREADS, domyślnie 8)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="bez procesu zadań okresowych (gdy `klaster worker` działa osobno; "
            "też KLASTER_WORKER=false)",
        )

    def handle(self, *args, addrport: str, workers: int, threads: int, no_worker: bool, **options):
        if workers < 1 or threads < 1:
            raise CommandError("--workers i --threads muszą być dodatnie")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"Klaster działa pod adresem http://{addrport}/ (Ctrl+C kończy).")
        self.stdout.flush()
        # A real WSGI server, not Django's development server: the same process model the
        # benchmarks measure. exec replaces this process so Ctrl+C and signals reach gunicorn,
        # whose hooks (klaster/gunicorn_conf.py) start the background worker and stop it with it.
        if no_worker:
            os.environ["KLASTER_WORKER"] = "false"
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "klaster.wsgi:application",
            "-c",
            "python:klaster.gunicorn_conf",
            "--bind",
            addrport,
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--backlog",
            "1024",
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
            "--log-level",
            "warning",
        ]
        os.execv(sys.executable, argv)  # noqa: S606 — fixed argv, no shell
