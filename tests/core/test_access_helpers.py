"""Every `access_*` helper that takes an object id keeps other clusters' ids out (issue 7).

The helpers are found by reading klaster/*/access.py, so a new helper is covered without a change
here (its id parameter needs a builder in `ID_BUILDERS` of tests/core/test_access_matrix.py). Each
is called as the office of cluster beta ("outsider"), with slug "beta" and beta's own ids — which
it must accept, or the test would prove nothing — and then with one id at a time swapped for
cluster alfa's: that must be a 404. Removing a helper's cluster filter makes this test fail.

The outsider also holds a representative's grant in beta naming one of alfa's members, as the
Django admin once let anyone save: a helper must not trust a grant to stay inside its cluster.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import re
from pathlib import Path

import pytest

import klaster

ACCESS_MODULES = sorted(
    f"klaster.{p.parent.name}.access" for p in Path(klaster.__file__).parent.glob("*/access.py")
)


def _helpers_taking_ids() -> list[str]:
    found = []
    for module in ACCESS_MODULES:
        path = Path(klaster.__file__).parent / module.split(".")[1] / "access.py"
        for name, params in re.findall(
            r"^def (access_\w+)\(([^)]*)\)", path.read_text(), flags=re.M
        ):
            if re.search(r"\b\w+_id\b", params):
                found.append(f"{module}:{name}")
    return found


HELPERS = _helpers_taking_ids()


def test_the_helpers_are_found():
    names = {h.split(":")[1] for h in HELPERS}
    assert {
        "access_member",
        "access_meeting",
        "access_material",
        "access_attachment",
        "access_vote",
    } <= names


@pytest.fixture
def mirror(world):
    """Cluster beta seen as the matrix builders see alfa: the same builders make beta's own rows."""
    from tests.conftest import World
    from tests.factories import MemberFactory

    second = MemberFactory(cluster=world.beta, key="b002", name="Druga Obca sp. z o.o.")
    users = {**world.users, "chair": world.users["outsider"]}
    return World(
        alfa=world.beta,
        beta=world.alfa,
        coordinator=world.beta.coordinator,
        member_a=world.member_beta,
        member_b=second,
        member_beta=world.member_a,
        users=users,
    )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("helper", HELPERS)
def test_mem_1_access_helper_refuses_another_clusters_ids(helper, world, mirror):
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from tests.core.test_access_matrix import ID_BUILDERS
    from tests.factories import grant

    module, name = helper.split(":")
    fn = getattr(importlib.import_module(module), name)
    params = inspect.signature(fn).parameters
    id_params = [p for p in params if p.endswith("_id")]
    missing = [p for p in id_params if p not in ID_BUILDERS]
    assert not missing, (
        f"{helper}: add a builder for {missing} to ID_BUILDERS in tests/core/test_access_matrix.py"
    )
    flags = [
        p
        for p, v in params.items()
        if v.kind is inspect.Parameter.KEYWORD_ONLY and isinstance(v.default, bool)
    ]
    extra = {"kind": "staff"} if "kind" in params else {}

    outsider = world.users["outsider"]
    grant(outsider, world.beta, "representative", world.member_beta)
    grant(outsider, world.beta, "representative", world.member_a)
    own = {p: ID_BUILDERS[p](mirror) for p in id_params}
    foreign = {p: ID_BUILDERS[p](world) for p in id_params}
    assert all(own[p] != foreign[p] for p in id_params)

    def call(ids, options):
        user = get_user_model().objects.get(pk=outsider.pk)  # no grants cached from the last call
        return fn(user, "beta", **extra, **ids, **options)

    for combo in itertools.product([False, True], repeat=len(flags)):
        options = dict(zip(flags, combo, strict=True))
        try:
            call(own, options)
        except Http404:
            pytest.fail(
                f"{helper}({options}): beta's office gets a 404 for beta's own ids; the test proves nothing"
            )
        except PermissionDenied:
            pass  # a role the helper does not let in: still, alfa's ids must not be found
        for p in id_params:
            with pytest.raises(Http404):
                call({**own, p: foreign[p]}, options)
                pytest.fail(f"{helper}({options}): beta's office reaches alfa's {p}")
