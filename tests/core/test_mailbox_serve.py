"""`klaster serve` with KLASTER_DEMO_MAILBOX=true starts the demo mailbox's SMTP catcher beside
gunicorn (klaster/gunicorn_conf.py), which keeps what it receives, and stops it with the server;
without the switch there is no catcher."""

from __future__ import annotations

import os
import smtplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from klaster import gunicorn_conf

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_the_switch_is_off_unless_set(monkeypatch):
    monkeypatch.delenv("KLASTER_DEMO_MAILBOX", raising=False)
    assert not gunicorn_conf.mailbox_enabled()
    monkeypatch.setenv("KLASTER_DEMO_MAILBOX", "true")
    assert gunicorn_conf.mailbox_enabled()
    monkeypatch.setenv("KLASTER_DEMO_MAILBOX", "perhaps")
    with pytest.raises(RuntimeError, match="KLASTER_DEMO_MAILBOX"):
        gunicorn_conf.mailbox_enabled()
    argv = gunicorn_conf.mailbox_argv(4321)
    assert argv[:4] == [sys.executable, "-m", "django", "mailbox"] and argv[-2:] == [
        "--parent",
        "4321",
    ]


@pytest.mark.slow
def test_klaster_serve_runs_the_catcher_and_stops_it_with_the_server(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("KLASTER_") and k != "DATABASE_URL"
    }
    smtp_port, port = _free_port(), _free_port()
    env.update(
        {
            "KLASTER_VAR_DIR": str(tmp_path / "var"),
            "KLASTER_LOG_LEVEL": "ERROR",
            "KLASTER_WORKER": "false",
            "KLASTER_DEMO_MAILBOX": "true",
            "KLASTER_SMTP_PORT": str(smtp_port),
            "DJANGO_SETTINGS_MODULE": "klaster.settings",
            "PYTHONPATH": str(ROOT),
        }
    )
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "klaster.cli", "serve", f"127.0.0.1:{port}", "--workers", "1"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=out,
        )
    try:
        for _ in range(600):
            assert server.poll() is None, log.read_text()
            if _listening(smtp_port):
                break
            time.sleep(0.2)
        message = EmailMessage()
        message["From"], message["To"] = "biuro@klaster.localhost", "ala@firma.example.pl"
        message["Subject"], message["X-Klaster-Cluster"] = "Próba", "demo"
        message.set_content("Treść próbna.")
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
            smtp.send_message(message)
        kept = list((tmp_path / "var" / "mailbox").glob("*.eml"))
        assert len(kept) == 1 and b"Pr" in kept[0].read_bytes()
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
    for _ in range(50):  # the catcher ends with the server
        if not _listening(smtp_port):
            break
        time.sleep(0.2)
    assert not _listening(smtp_port), log.read_text()
