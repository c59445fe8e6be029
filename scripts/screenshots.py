"""Regenerate the screenshots in docs/screenshots/ (README shows one of them).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]

Starts the product as `bin/run` does — `klaster demo`, then `klaster serve` with the demo mailbox —
on a temporary data folder (its own SQLite database, nothing of var/ is touched) and a free port,
logs in as the office (`biuro`) with Playwright driving Debian's Chromium (never a downloaded
browser), and saves, in Polish and in English, at desktop width:

    home-pl.png, home-en.png    the cluster's home page
    kkk-pl.png, kkk-en.png      the KKK readiness dashboard

and the home page at phone width (home-pl-phone.png). The server is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KLASTER = Path(sys.executable).with_name("klaster")
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 780}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, seconds: float = 60.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 — our own local server
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def shoot(base: str, out: Path, chromium: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved: list[Path] = []
    with sync_playwright() as pw:
        for lang in ("pl", "en"):
            locale = {"pl": "pl-PL", "en": "en-GB"}[lang]
            # the browser's own language too: it formats the date fields
            browser = pw.chromium.launch(
                executable_path=chromium, headless=True, args=[*CHROMIUM_ARGS, f"--lang={locale}"]
            )
            context = browser.new_context(viewport=DESKTOP, locale=locale)
            context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", "biuro")
            page.fill("input[name=password]", "klaster-demo")
            page.locator("form button[type=submit], form input[type=submit]").first.click()
            page.wait_for_load_state("networkidle")
            for name, path in (("home", "/c/demo/"), ("kkk", "/c/demo/kkk/")):
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                target = out / f"{name}-{lang}.png"
                page.screenshot(path=str(target), full_page=False)
                saved.append(target)
            if lang == "pl":
                page.set_viewport_size(PHONE)
                page.goto(base + "/c/demo/")
                page.wait_for_load_state("networkidle")
                target = out / "home-pl-phone.png"
                page.screenshot(path=str(target), full_page=False)
                saved.append(target)
            context.close()
            browser.close()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--chromium", default=os.environ.get("KLASTER_CHROMIUM", "/usr/bin/chromium")
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="klaster-screens-") as var:
        port = _free_port()
        env = {
            **os.environ,
            "KLASTER_VAR_DIR": var,
            "KLASTER_DEMO_MAILBOX": "true",
            "KLASTER_SMTP_HOST": "127.0.0.1",
            "KLASTER_SMTP_PORT": str(_free_port()),
            "KLASTER_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "KLASTER_CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}",
        }
        env.pop("DATABASE_URL", None)  # the temporary SQLite database, never a configured one
        subprocess.run([str(KLASTER), "demo"], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        server = subprocess.Popen(  # noqa: S603 — fixed argv, no shell
            [str(KLASTER), "serve", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"],
            env=env,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(f"{base}/accounts/login/")
            saved = shoot(base, args.out, args.chromium)
        finally:
            os.killpg(server.pid, signal.SIGTERM)  # gunicorn, its worker and the mailbox
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    for path in saved:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
