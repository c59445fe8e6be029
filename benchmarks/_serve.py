"""The server `klaster serve` runs (gunicorn, 2 workers × 8 threads unless KLASTER_WORKERS /
KLASTER_THREADS say otherwise), started on the benchmark's port."""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    port = sys.argv[1]
    os.execv(
        sys.executable,
        [  # noqa: S606 — fixed argv, no shell
            sys.executable,
            "-m",
            "gunicorn",
            "klaster.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            os.environ.get("KLASTER_WORKERS", "2"),
            "--threads",
            os.environ.get("KLASTER_THREADS", "8"),
            "--backlog",
            "1024",
            "--log-level",
            "warning",
        ],
    )
