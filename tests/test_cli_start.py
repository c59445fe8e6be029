"""Issue 8: a `klaster` command starts without the web application.

A command needs Django's apps and models, not the URLconf with every view, the API schema
(drf-spectacular), the spreadsheet (openpyxl) or PDF (weasyprint) libraries. klaster.cli skips
Django's system checks (they import the URLconf) except where a command asks for them, and
every module a command imports keeps such imports inside the functions that use them. These
tests look at what a process imported, never at how long it took (timings: benchmarks/).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# What no plain command may import. drf_spectacular itself is an installed app (its AppConfig
# and checks are loaded with the apps); its schema machinery is not.
HEAVY = (
    "openpyxl",
    "weasyprint",
    "drf_spectacular.views",
    "drf_spectacular.openapi",
    "drf_spectacular.generators",
    "klaster.urls",
    "klaster.api_urls",
    "rest_framework.views",
)

RUN = """
import json, runpy, sys
out, args = sys.argv[1], sys.argv[2:]
sys.argv = ["klaster", *args]
code = 0
try:
    runpy.run_module("klaster.cli", run_name="__main__", alter_sys=True)
except SystemExit as exit:
    code = exit.code
with open(out, "w") as fh:
    json.dump({"code": code, "modules": sorted(sys.modules)}, fh)
"""


def _heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if m in HEAVY or m.startswith(tuple(f"{h}." for h in HEAVY))]


def _env(var: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(KLASTER_VAR_DIR=str(var), DATABASE_URL=f"sqlite:///{var / 'cli.sqlite3'}")
    return env


def _klaster(var: Path, *args: str) -> tuple[int, list[str], subprocess.CompletedProcess[str]]:
    out = var / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(out), *args],
        capture_output=True,
        text=True,
        env=_env(var),
        timeout=180,
        check=False,
    )
    seen = json.loads(out.read_text(encoding="utf-8"))
    return seen["code"], seen["modules"], done


@pytest.fixture(scope="module")
def var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    var = tmp_path_factory.mktemp("cli-start")
    code, _, done = _klaster(var, "migrate", "--verbosity", "0")
    assert code in (0, None), done.stderr
    return var


def test_klaster_clusters_starts_without_the_web_application(var: Path) -> None:
    code, modules, done = _klaster(var, "clusters")
    assert code in (0, None), done.stderr
    assert _heavy(modules) == []
    assert "klaster.core.models" in modules  # it did start Django and run the command


def test_klaster_clusters_checks_when_asked(var: Path) -> None:
    """`--checks` runs Django's system checks first, which load the URLconf."""
    code, modules, done = _klaster(var, "clusters", "--checks")
    assert code in (0, None), done.stderr
    assert "klaster.urls" in modules


# Modules only the admin's autodiscovery imports (the apps' admin.py and what they import).
ADMIN_MODULES = ("klaster.core.admin", "klaster.members.admin", "django.contrib.auth.admin")


def test_a_short_command_sets_the_admin_up_without_autodiscovery(var: Path) -> None:
    """Our short commands neither serve nor check: no app's admin.py is imported for them."""
    code, modules, done = _klaster(var, "clusters")
    assert code in (0, None), done.stderr
    assert [m for m in ADMIN_MODULES if m in modules] == []
    assert "django.contrib.admin" in modules  # the app itself (and its models) is installed


@pytest.mark.parametrize("args", [("clusters", "--checks"), ("check",)])
def test_the_admin_is_autodiscovered_where_checks_or_serving_need_it(
    var: Path, args: tuple[str, ...]
) -> None:
    """The system checks check every registered ModelAdmin: with --checks, `check`, `serve`
    and any command not known to be short, the admin is set up as Django sets it up."""
    code, modules, done = _klaster(var, *args)
    assert code in (0, None), done.stderr
    assert all(m in modules for m in ADMIN_MODULES)


def test_the_short_commands_are_ours(var: Path) -> None:
    from klaster.cli import ALIASES, SHORT

    assert {name for name, _app in _commands()} >= SHORT
    assert SHORT.isdisjoint({"serve", "worker", "demo", "migrate", "check", ALIASES["serve"]})


def _commands() -> list[tuple[str, str]]:
    import django
    from django.core.management import get_commands

    django.setup()
    return sorted((name, app) for name, app in get_commands().items() if app.startswith("klaster"))


IMPORT = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klaster.settings")
import django
django.setup()
from django.core.management import load_command_class
load_command_class(sys.argv[1], sys.argv[2])
print(json.dumps(sorted(sys.modules)))
"""


@pytest.mark.parametrize(("name", "app"), _commands())
def test_every_command_module_imports_light(tmp_path: Path, name: str, app: str) -> None:
    """Laziness is a property of the modules, whichever app a command lives in: importing a
    command (and what it imports) loads none of the web application's heavy parts."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORT, app, name],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=120,
        check=True,
    )
    assert _heavy(json.loads(done.stdout)) == []
