"""Layers run one way (STYLE, issue 8): ``rules ← core ← members ← {kkk ← forum, aid, people, comms ← events, offers, governance ← {groups, money, documents}} ← {exchange, office}``.

A module of an app may use its own app and the apps below it — never one above it, nor a sibling
(kkk and governance know nothing of each other). Checked over every file of klaster/:

1. imports — every ``import``/``from … import`` of a Klaster module anywhere in the file: at the top,
   inside functions ("not even lazily"), under ``if TYPE_CHECKING``, relative ones resolved, and
   ``import_module("klaster.…")`` with a literal name;
2. Django's relations — every ForeignKey, OneToOneField and ManyToManyField of every model, read
   from the app registry, so a string reference (``"members.Member"``) counts as an import;
3. reverse relations — a lower app's code reaching a higher app's rows through the accessor or
   lookup name the higher app's relation adds to a lower model (``cluster.members``,
   ``filter(organs__kind=…)``): an import in all but name;
4. migrations — a migration may depend only on migrations of its own app and the apps below.

The top-level modules (settings, urls, api_urls, api_pages, cli, wsgi, gunicorn_conf) sit above every app and
may use any; no app may import them.

One exception, and only it: core's ``Cluster.coordinator`` and ``ClusterRole.member`` point at
``members.Member`` (string foreign keys, so core's migration 0002 depends on members). They stay:
the coordinator is a member (MEM-2) and a representative acts for one member, and only columns on
core's own rows let the database keep that true — ``on_delete=PROTECT`` on the coordinator, the
``representative_has_member`` check and the uniqueness of a grant, within one row. Core's code
reads them as ids only (``grants.member_ids``); whatever needs the member itself (the cluster's
page, a grant's member by key, distances from the coordinator) lives in members. Adding to
``ALLOWED_RELATIONS`` or ``ALLOWED_MIGRATIONS`` is a decision to be argued in review, not a fix.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import klaster

ROOT = Path(klaster.__file__).resolve().parent

# app -> the apps it may use (its own always)
LAYERS: dict[str, frozenset[str]] = {
    "rules": frozenset(),
    "core": frozenset({"rules"}),
    "members": frozenset({"rules", "core"}),
    "kkk": frozenset({"rules", "core", "members"}),
    "governance": frozenset({"rules", "core", "members"}),
    "groups": frozenset({"rules", "core", "members", "governance"}),
    # money (issue 10) above governance: governance learns of arrears and the entry-fee advance
    # through hooks money registers, never by importing it
    "money": frozenset({"rules", "core", "members", "governance"}),
    # aid (issue 11): de minimis register and lending, on the members; office shows its duties
    "aid": frozenset({"rules", "core", "members"}),
    # people (issue 12, PLT-1): invitations to roles, passwords, revocation; on the members
    "people": frozenset({"rules", "core", "members"}),
    # forum (issue 13, FOR-1): clusters compared by their KKK figures; on kkk
    "forum": frozenset({"rules", "core", "members", "kkk"}),
    # issue 12 (PLT-2, PLT-3): the platform's apps, each on the members
    "comms": frozenset({"rules", "core", "members"}),
    # events reach the members as newsletters do (comms' recipients, 001 Kom. 3)
    "events": frozenset({"rules", "core", "members", "comms"}),
    # documents: access per organ and working group
    "documents": frozenset({"rules", "core", "members", "governance", "groups"}),
    "offers": frozenset({"rules", "core", "members"}),
    "exchange": frozenset(
        {
            "rules",
            "core",
            "members",
            "kkk",
            "governance",
            "groups",
            "money",
            "aid",
            "people",
            "forum",
            "comms",
            "events",
            "documents",
            "offers",
        }
    ),
    "office": frozenset(
        {
            "rules",
            "core",
            "members",
            "kkk",
            "governance",
            "groups",
            "money",
            "aid",
            "people",
            "forum",
            "comms",
            "events",
            "documents",
            "offers",
        }
    ),
}
PROJECT = "project"  # klaster/*.py: above every app
TOP_LEVEL = {
    "__init__",
    "settings",
    "urls",
    "api_urls",
    "api_pages",
    "cli",
    "wsgi",
    "gunicorn_conf",
}

# (model field, the model it points at) of the one documented exception (see the docstring)
ALLOWED_RELATIONS = {
    ("core.Cluster.coordinator", "members.Member"),
    ("core.ClusterRole.member", "members.Member"),
}
# the migrations that create those two fields, and so depend on members
ALLOWED_MIGRATIONS = {("core", "0002_coordinator_and_roles", "members")}
# "path:line" of a use the reverse-relation check takes for one but is not (an unrelated object's
# attribute of the same name, such as a Dataset's `.projects`), each with its reason
REVERSE_NOT_A_RELATION: dict[str, str] = {}


def layer_of(module: str) -> str | None:
    """The app a dotted module name belongs to (``project`` for klaster/*.py), None outside klaster."""
    parts = module.split(".")
    if parts[0] != "klaster":
        return None
    if len(parts) == 1 or parts[1] in TOP_LEVEL:
        return PROJECT
    return parts[1]


def may_use(user: str, used: str) -> bool:
    if used == user:
        return True
    if user == PROJECT:
        return True
    if used == PROJECT:
        return False
    return used in LAYERS.get(user, frozenset())


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(
    source: str, module: str, *, is_package: bool = False
) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every module the source imports, wherever the import stands."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            yield node.lineno, name
            for alias in node.names:  # `from klaster import members` imports klaster.members
                yield node.lineno, f"{name}.{alias.name}"
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def import_violations(path: Path, source: str | None = None) -> list[str]:
    module = module_name(path)
    user = layer_of(module)
    assert user is not None
    out = []
    for line, name in imported_modules(
        source if source is not None else path.read_text(),
        module,
        is_package=path.name == "__init__.py",
    ):
        used = layer_of(name)
        if used is None or used == user:
            continue
        if (
            name.split(".")[1:2]
            and name.split(".")[1] not in LAYERS
            and name.split(".")[1] not in TOP_LEVEL
        ):
            continue  # `from klaster import members` also yields klaster.members.<name>: judged by its app
        if not may_use(user, used):
            out.append(f"{path.relative_to(ROOT.parent)}:{line} ({user}) imports {name} ({used})")
    return out


def python_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_app_has_a_place_in_the_layers():
    apps = {
        p.relative_to(ROOT).parts[0] for p in python_files() if len(p.relative_to(ROOT).parts) > 1
    }
    unknown = sorted(apps - set(LAYERS))
    assert not unknown, (
        f"klaster/{unknown}: give each a place in LAYERS (STYLE: 'Layers run one way')"
    )
    top = {p.stem for p in ROOT.glob("*.py")}
    assert top <= TOP_LEVEL, (
        f"new top-level modules {sorted(top - TOP_LEVEL)}: add them to TOP_LEVEL"
    )


def test_no_module_imports_against_the_layers():
    found = [v for path in python_files() for v in import_violations(path)]
    assert not found, "imports against the layers (move the code up instead):\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("path", "source", "bad"),
    [
        (
            "core/access.py",
            "def f():\n    from klaster.members.models import Member\n",
            True,
        ),  # lazily, too
        ("core/views.py", "from klaster.members import selectors\n", True),
        ("members/dataset.py", "from klaster.kkk import models as km\n", True),
        (
            "members/x.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import klaster.kkk.models\n",
            True,
        ),
        ("kkk/x.py", "from klaster.governance.models import Meeting\n", True),  # siblings
        ("governance/x.py", "from ..kkk import selectors\n", True),
        ("rules/x.py", "from klaster.core.models import Cluster\n", True),
        ("core/x.py", "import importlib\nimportlib.import_module('klaster.exchange.demo')\n", True),
        ("members/x.py", "from klaster import settings\n", True),
        (
            "groups/x.py",
            "from klaster.governance.models import Organ\nfrom klaster.members.models import Member\n",
            False,
        ),
        (
            "exchange/x.py",
            "from klaster.kkk.dataset import dataset_from_db\nfrom klaster.groups import services\n",
            False,
        ),
        (
            "members/x.py",
            "from klaster.core.access import access_cluster\nfrom . import services\n",
            False,
        ),
        ("urls.py", "from klaster.exchange import import_views\n", False),
    ],
)
def test_the_import_check_fails_on_an_import_against_the_order(path, source, bad):
    assert bool(import_violations(ROOT / path, source)) is bad


# --- Django: relations, reverse relations and migrations -------------------------------------


def _app_of_model(model) -> str:
    return layer_of(model.__module__)


def test_no_relation_points_up_the_layers():
    from django.apps import apps

    found = []
    for model in apps.get_models():
        user = _app_of_model(model)
        if user is None:
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            used = _app_of_model(field.related_model)
            if used is None or may_use(user, used):
                continue
            pair = (f"{model._meta.label}.{field.name}", field.related_model._meta.label)
            if pair not in ALLOWED_RELATIONS:
                found.append(f"{pair[0]} → {pair[1]}")
    assert not found, "relations against the layers:\n" + "\n".join(found)


def _reverse_names() -> dict[str, set[str]]:
    """app -> the accessor and lookup names that higher apps' relations add to its models."""
    from django.apps import apps

    out: dict[str, set[str]] = {}
    for model in apps.get_models():
        user = _app_of_model(model)
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            target = _app_of_model(field.related_model)
            if user is None or target is None or may_use(target, user):
                continue
            rel = field.remote_field
            names = {rel.get_accessor_name(), field.related_query_name()}
            out.setdefault(target, set()).update(n for n in names if n and not n.endswith("+"))
    return out


def _reverse_uses(source: str, names: set[str]) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in names:
            yield node.lineno, f".{node.attr}"
        elif (
            isinstance(node, ast.keyword)
            and node.arg
            and node.arg.split("__")[0] in names
            and "__" in node.arg
        ):
            yield getattr(node.value, "lineno", 0), f"{node.arg}="
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.split("__")[0] in names
            and "__" in node.value
        ):
            yield node.lineno, repr(node.value)


def test_no_lower_app_reaches_up_through_a_reverse_relation():
    reverse = _reverse_names()
    found = []
    for path in python_files():
        app = layer_of(module_name(path))
        if app not in reverse or "migrations" in path.parts:
            continue
        for line, use in _reverse_uses(path.read_text(), reverse[app]):
            where = f"{path.relative_to(ROOT.parent)}:{line}"
            if where not in REVERSE_NOT_A_RELATION:
                found.append(f"{where} uses {use}")
    assert not found, "a lower app reaching a higher app's rows (move the code up):\n" + "\n".join(
        found
    )


def test_reverse_relations_are_known_to_the_check():
    """The check has something to look for: members' relations add `members` and `representatives`."""
    assert {"members"} <= _reverse_names()["core"]


def test_no_migration_depends_on_a_higher_app():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = []
    for (app, name), migration in loader.disk_migrations.items():
        user = app if app in LAYERS else None
        if user is None:
            continue
        for dep_app, _dep in migration.dependencies:
            if (
                dep_app in LAYERS
                and not may_use(user, dep_app)
                and (app, name, dep_app) not in ALLOWED_MIGRATIONS
            ):
                found.append(f"{app}.{name} depends on {dep_app}")
    assert not found, "migrations against the layers:\n" + "\n".join(found)
