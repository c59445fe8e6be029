"""Issue 7 point 8: `klaster serve` ran with a known default SECRET_KEY; no HSTS/CSP; cookies not
Secure behind TLS.

Settings are read once per process from the environment, so most tests here start a fresh
Python process with the environment under test (as `klaster serve` would be started).
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from klaster.settings import KNOWN_DEFAULT_SECRET_KEYS, persisted_secret_key

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DOC = ROOT / "docs" / "deploy.md"

PROBE = r"""
import json, os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "klaster.settings"
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
plain = client.get("/accounts/login/", HTTP_HOST="klaster.example.pl")
secure = client.get("/accounts/login/", HTTP_HOST="klaster.example.pl", HTTP_X_FORWARDED_PROTO="https")
cookie = secure.cookies.get(settings.CSRF_COOKIE_NAME)
print(json.dumps({
    "key": settings.SECRET_KEY,
    "plain": [plain.status_code, plain.get("Location", "")],
    "secure": [secure.status_code, secure.get("Strict-Transport-Security", "")],
    "csp": secure.get("Content-Security-Policy", ""),
    "csrf_cookie_secure": bool(cookie and cookie["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
}))
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # not the test process's own switches (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KLASTER_") and k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        {
            "KLASTER_VAR_DIR": str(tmp_path / "var"),
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": "sqlite://:memory:",
        }
    )
    env.update(extra)
    return env


def _python(
    env: dict[str, str], *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )


def _probe(env: dict[str, str]) -> dict:
    done = _python(env, "-c", PROBE)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def production_env() -> dict[str, str]:
    """The environment docs/deploy.md documents as the production setup."""
    block = re.search(r"<!-- production-env -->\s*```sh\n(.*?)```", DEPLOY_DOC.read_text(), re.S)
    assert block, "docs/deploy.md lost its production-env block"
    return dict(line.split("=", 1) for line in block.group(1).strip().splitlines())


# --- SECRET_KEY ------------------------------------------------------------------------------


def test_missing_key_is_generated_once_persisted_0600_and_reused(tmp_path):
    env = _env(tmp_path)
    first = _probe(env)["key"]
    path = tmp_path / "var" / "secret_key"
    assert path.read_text().strip() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 50 and first not in KNOWN_DEFAULT_SECRET_KEYS
    assert _probe(env)["key"] == first  # the next start reuses it
    assert _probe(_env(tmp_path / "elsewhere"))["key"] != first  # another installation: another key


def test_persisted_key_survives_concurrent_first_starts(tmp_path):
    """gunicorn workers (or test workers) starting together end up with one key."""
    env = _env(tmp_path)
    code = (
        "from pathlib import Path; from klaster.settings import persisted_secret_key as p; "
        f"print(p(Path({str(tmp_path / 'race' / 'secret_key')!r})))"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
        )
        for _ in range(6)
    ]
    keys = {p.communicate(timeout=120)[0].strip().splitlines()[-1] for p in procs}
    assert len(keys) == 1
    assert not [
        f for f in (tmp_path / "race").iterdir() if f.name != "secret_key"
    ]  # no temporary files left


def test_persisted_key_file_is_tightened_and_damage_refused(tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    path = tmp_path / "secret_key"
    path.write_text("k" * 60)
    path.chmod(0o644)
    assert persisted_secret_key(path) == "k" * 60
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("short")
    with pytest.raises(ImproperlyConfigured, match="uszkodzony"):
        persisted_secret_key(path)


@pytest.mark.parametrize(
    "key", [*sorted(KNOWN_DEFAULT_SECRET_KEYS), "django-insecure-abc123" + "x" * 40]
)
def test_known_default_key_is_refused_with_a_clear_error(tmp_path, key):
    done = _python(
        _env(tmp_path, KLASTER_SECRET_KEY=key),
        "-c",
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'klaster.settings'; django.setup()",
    )
    assert done.returncode != 0
    assert "KLASTER_SECRET_KEY to znany, opublikowany klucz domyślny" in done.stderr


@pytest.mark.slow
def test_klaster_serve_refuses_the_default_key(tmp_path):
    """`klaster serve` stops before starting the server (before: it served with that key)."""
    key = next(iter(KNOWN_DEFAULT_SECRET_KEYS))
    done = _python(
        _env(tmp_path, KLASTER_SECRET_KEY=key),
        "-m",
        "klaster.cli",
        "serve",
        "127.0.0.1:0",
        timeout=60,
    )
    assert done.returncode != 0
    assert "KLASTER_SECRET_KEY" in done.stderr


def test_an_own_key_is_used_as_given(tmp_path):
    assert _probe(_env(tmp_path, KLASTER_SECRET_KEY="k" * 64))["key"] == "k" * 64
    assert not (tmp_path / "var" / "secret_key").exists()


# --- HTTPS, HSTS, cookies, proxy ------------------------------------------------------------


def test_without_https_nothing_is_forced(tmp_path):
    seen = _probe(_env(tmp_path, KLASTER_ALLOWED_HOSTS="klaster.example.pl"))
    assert seen["plain"] == [200, ""]
    assert seen["secure"] == [200, ""]  # the proxy header is not trusted unless configured
    assert not seen["csrf_cookie_secure"] and not seen["session_cookie_secure"]


def test_https_behind_a_proxy_sets_hsts_secure_cookies_and_redirects(tmp_path):
    seen = _probe(
        _env(
            tmp_path,
            KLASTER_ALLOWED_HOSTS="klaster.example.pl",
            KLASTER_HTTPS="true",
            KLASTER_BEHIND_PROXY="true",
        )
    )
    assert seen["plain"] == [301, "https://klaster.example.pl/accounts/login/"]
    status, hsts = seen["secure"]
    assert status == 200
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert seen["csrf_cookie_secure"] and seen["session_cookie_secure"]


def test_hsts_settings_are_configurable(tmp_path):
    seen = _probe(
        _env(
            tmp_path,
            KLASTER_ALLOWED_HOSTS="klaster.example.pl",
            KLASTER_HTTPS="true",
            KLASTER_BEHIND_PROXY="true",
            KLASTER_HSTS_SECONDS="600",
            KLASTER_HSTS_INCLUDE_SUBDOMAINS="false",
            KLASTER_HSTS_PRELOAD="false",
        )
    )
    assert seen["secure"][1] == "max-age=600"


def test_check_deploy_is_clean_in_the_documented_production_setup(tmp_path):
    env = production_env()
    assert env["KLASTER_HTTPS"] == "true"
    # the documented data folder is /var/lib/klaster; here a temporary one stands in for it
    env["KLASTER_VAR_DIR"] = str(tmp_path / "var")
    done = _python(
        _env(tmp_path, **env),
        "-m",
        "django",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        "--settings=klaster.settings",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr


def test_readme_points_at_the_deploy_doc():
    assert "docs/deploy.md" in (ROOT / "README.md").read_text()


# --- Content-Security-Policy -----------------------------------------------------------------


@pytest.mark.django_db
def test_csp_header_on_pages(client, world, client_for):
    for response in (
        client.get(reverse("login")),
        client_for("office").get(reverse("cluster_home", args=["alfa"])),
    ):
        policy = dict(
            d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";")
        )
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no CDN
        assert policy["style-src"] == "'self'"
        assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_script_or_event_handlers():
    """The CSP allows no inline script: every page's JavaScript is a static file."""
    offenders = []
    for template in (ROOT / "klaster").rglob("templates/**/*.html"):
        text = template.read_text()
        for m in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in m.group(1):
                offenders.append(f"{template.relative_to(ROOT)}: inline <script>")
        for m in re.finditer(r"<[a-zA-Z][^>]*\s(on[a-z]+)\s*=", text):
            offenders.append(f"{template.relative_to(ROOT)}: {m.group(1)}=")
    assert not offenders, offenders


@pytest.mark.django_db
def test_api_docs_are_served_from_our_own_static_files(world, client_for):
    office = client_for("office")
    page = office.get(reverse("api_docs")).content.decode()
    assert "cdn" not in page.lower() and "<style>" not in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui-bundle.js" in s for s in sources)
    for url in sources:
        assert url.startswith("/"), url  # same origin
        response = office.get(url)
        assert response.status_code == 200, url
        if url.startswith("/api/docs/"):  # the start-up script, served as a file
            assert response["Content-Type"].startswith("application/javascript")
