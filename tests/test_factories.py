"""The test factories (tests/factories.py, issue 8 point 3): every factory makes a valid row
(`full_clean` passes, constraints included) in one cluster, a parent a test passes decides the
cluster of the rest, and the tests make their rows with the factories — no raw
`Model.objects.create(...)` outside the short list below, each with its reason."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.db import models

from tests import factories as f

TESTS = Path(__file__).resolve().parent

ALL = [
    f.UserFactory,
    f.TokenFactory,
    f.ClusterFactory,
    f.StrategyFactory,
    f.StatuteProfileVersionFactory,
    f.MemberFactory,
    f.MembershipEventFactory,
    f.DelegatedPersonFactory,
    f.NotificationEmailFactory,
    f.MemberYearFactory,
    f.IsoCertificateFactory,
    f.ClusterRoleFactory,
    f.OrganFactory,
    f.MeetingFactory,
    f.SeatFactory,
    f.VotingRestrictionFactory,
    f.ProxyFactory,
    f.VoteFactory,
    f.BallotFactory,
    f.WorkingGroupFactory,
    f.GroupDeclarationFactory,
    f.StaffFactory,
    f.ProjectFactory,
    f.ApplicationFactory,
    f.AidSettingsFactory,
    f.UndertakingFactory,
    f.ControlLinkFactory,
    f.GrantFactory,
    f.RateTableFactory,
    f.EquipmentFactory,
    f.PriceListFactory,
    f.AidApplicationFactory,
    f.ForumMembershipFactory,
    f.SharingFactory,
    f.SnapshotFactory,
]

#: (file under tests/, model) → why that test creates the row with the manager itself.
_SCRIPT = (
    "SETUP is a script run with `python -c` in a separate process against a fresh database "
    "file, outside pytest and its factories; it stays self-contained"
)
RAW_CREATE_ALLOWED = {
    (
        "governance/test_statute_pinning.py",
        "Meeting",
    ): "the test is that a meeting made by a bare Meeting.objects.create pins its statute version "
    "(Meeting.save), whoever creates it",
    ("core/test_sqlite_locking.py", "Cluster"): _SCRIPT,
    ("core/test_sqlite_locking.py", "Member"): _SCRIPT,
    ("core/test_sqlite_locking.py", "get_user_model()"): _SCRIPT,
    ("core/test_sqlite_locking.py", "ClusterRole"): _SCRIPT,
    ("core/test_sqlite_locking.py", "Token"): _SCRIPT,
}


def clusters_of(obj, depth: int = 4, seen=None) -> set[int]:
    """The ids of every cluster `obj` reaches through its foreign keys (a few steps deep)."""
    from klaster.core.models import Cluster

    seen = set() if seen is None else seen
    if obj is None or depth < 0 or (type(obj), obj.pk) in seen:
        return set()
    seen.add((type(obj), obj.pk))
    found = {obj.pk} if isinstance(obj, Cluster) else set()
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.name not in ("coordinator",):
            found |= clusters_of(getattr(obj, field.name), depth - 1, seen)
    return found


# --- every factory makes a valid row in one cluster ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("factory", ALL, ids=lambda x: x.__name__)
def test_factory_makes_a_valid_row_in_one_cluster(factory):
    obj = factory()
    assert obj.pk is not None
    obj.full_clean()  # fields, choices, unique and check constraints
    second = factory()  # the defaults do not collide with each other
    second.full_clean()
    assert len(clusters_of(obj)) <= 1, factory.__name__
    if factory not in (f.UserFactory, f.TokenFactory, f.RateTableFactory):  # no cluster
        assert len(clusters_of(obj)) == 1, factory.__name__


@pytest.mark.django_db
def test_factory_traits_and_variants_are_valid():
    registered = f.ApplicationFactory(registered=True)
    registered.full_clean()
    assert registered.status == "registered" and registered.number.startswith("KKK/2026/")
    area = f.WorkingGroupFactory(kind="area", area="it")
    area.full_clean()
    representative = f.ClusterRoleFactory(role="representative")
    representative.full_clean()
    assert representative.member.cluster_id == representative.cluster_id
    assert f.ClusterRoleFactory().member is None
    candidate = f.MemberFactory(status="candidate", joined=None)
    candidate.full_clean()
    assert not candidate.events.exists()
    event = f.MembershipEventFactory()  # a candidate's filing, its member's only event
    assert (event.member.status, [e.kind for e in event.member.events.all()]) == (
        "candidate",
        ["candidate"],
    )


@pytest.mark.django_db
def test_numbered_rows_take_the_next_number_as_the_services_do():
    meeting = f.MeetingFactory()
    assert [f.VoteFactory(meeting=meeting).number for _ in range(3)] == [1, 2, 3]
    cluster = f.ClusterFactory()
    first, second = (f.ApplicationFactory(cluster=cluster, registered=True) for _ in range(2))
    assert (first.seq, second.seq, second.number) == (1, 2, "KKK/2026/002")


@pytest.mark.django_db
def test_member_factory_records_the_admission_on_the_joining_day():
    member = f.MemberFactory(joined=dt.date(2019, 4, 1))
    assert [(e.kind, e.date) for e in member.events.all()] == [("admitted", dt.date(2019, 4, 1))]


@pytest.mark.django_db
def test_a_given_parent_decides_the_cluster_of_the_rest():
    cluster = f.ClusterFactory()
    member = f.MemberFactory(cluster=cluster)
    person = f.DelegatedPersonFactory(member=member)
    seat = f.SeatFactory(person=person)
    assert (seat.member, seat.organ.cluster, seat.organ.kind) == (member, cluster, "council")
    assert f.SeatFactory(member=member).person.member == member
    board = f.OrganFactory(cluster=cluster, kind="board")
    assert f.SeatFactory(organ=board).member.cluster == cluster
    meeting = f.MeetingFactory(organ=board)
    assert meeting.cluster == cluster
    assert f.MeetingFactory(cluster=cluster).organ == f.OrganFactory(cluster=cluster, kind="ga")
    assert f.ProxyFactory(meeting=meeting).giver.cluster == cluster
    ballot = f.BallotFactory(vote=f.VoteFactory(meeting=meeting))
    assert ballot.member.cluster == cluster
    assert f.ClusterRoleFactory(member=member, role="representative").cluster == cluster
    group = f.WorkingGroupFactory(cluster=cluster)
    assert f.GroupDeclarationFactory(group=group).member.cluster == cluster
    for obj in (seat, meeting, ballot):
        assert clusters_of(obj) == {cluster.pk}


@pytest.mark.django_db
def test_a_meeting_from_the_factory_pins_the_statute_version_in_force():
    version = f.StatuteProfileVersionFactory(valid_from=dt.date(2020, 1, 1))
    meeting = f.MeetingFactory(cluster=version.cluster)
    assert meeting.statute_version == version


# --- the habit: no raw objects.create in the tests -----------------------------------------------


CREATES = {"create", "create_user", "create_superuser"}


def _owner(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return f"{_owner(node.func)}()"
    return getattr(node, "id", "?")


def raw_creates_in(source: str, depth: int = 2) -> list[tuple[int, str]]:
    """Every call `<Model>.objects.create(...)` (or `create_user`, `create_superuser`) in the
    source: (line, model). Code only — a comment or a docstring that names one does not count —
    but a string that is itself a Python script (one a test runs in another process) is read too."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in CREATES
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "objects"
        ):
            found.append((node.lineno, _owner(node.func.value.value)))
        elif (
            depth
            and isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "objects.create" in node.value
        ):
            try:
                inner = raw_creates_in(node.value, depth - 1)
            except SyntaxError:  # prose
                continue
            found += [(node.lineno + line - 1, name) for line, name in inner]
    return sorted(found)


def raw_creations() -> list[tuple[str, int, str]]:
    """Every raw create in tests/**/*.py: (file under tests/, line, model)."""
    return [
        (path.relative_to(TESTS).as_posix(), line, name)
        for path in sorted(TESTS.rglob("*.py"))
        for line, name in raw_creates_in(path.read_text(encoding="utf-8"))
    ]


def test_tests_make_rows_with_the_factories_not_raw_objects_create():
    """Use tests/factories.py (add a factory for a new model there); a raw create is allowed only
    where the test is about the manager itself, with the reason in RAW_CREATE_ALLOWED."""
    found = raw_creations()
    raw = [
        f"tests/{file}:{line}: {name}.objects.create(...)"
        for file, line, name in found
        if (file, name) not in RAW_CREATE_ALLOWED
    ]
    assert not raw, "make these rows with tests/factories.py:\n" + "\n".join(raw)
    used = {(file, name) for file, _, name in found}
    assert set(RAW_CREATE_ALLOWED) <= used, (
        f"stale entries in RAW_CREATE_ALLOWED: {set(RAW_CREATE_ALLOWED) - used}"
    )


def test_the_scan_finds_raw_creates_and_nothing_else():
    # line by line, so that this test's own source holds no script with a raw create
    source = "\n".join(
        [
            '"""Rows via `Member.objects.create(...)` are not allowed."""',
            "def test_x(c):",
            "    Member.objects.create(cluster=c)  # Strategy.objects.create() in a comment",
            "    km.Project.objects.create(cluster=c)",
            "    Member.objects.get_or_create(cluster=c)",
            "    MemberFactory.create(cluster=c)",
            "    get_user_model().objects.create_user(username='u')",
            "    SCRIPT = 'Cluster.objects.create(slug=1)'",
        ]
    )
    assert raw_creates_in(source) == [
        (3, "Member"),
        (4, "Project"),
        (7, "get_user_model()"),
        (8, "Cluster"),
    ]
