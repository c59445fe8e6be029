"""klaster.core.bulk.insert_rows (issue 8): the dataset import's rows go in without a model
instance or a compiled statement per row, and the database holds exactly what
``bulk_create`` would have stored — compared column by column as the database returns them
(raw SQL, so a decimal stored as text rather than a number would show), on SQLite and on
PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction

from klaster.core.bulk import insert_rows
from klaster.kkk import models as km
from klaster.members.models import Member, MembershipEvent, MemberYear
from tests.factories import ClusterFactory, ProjectFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2021, 6, 30, 10, 15, tzinfo=dt.UTC)


def _raw(model, ids: list[int], skip: tuple[str, ...] = ()) -> list[tuple]:
    """The rows as the database holds them, without the primary key."""
    columns = [
        f.column for f in model._meta.concrete_fields if not f.primary_key and f.column not in skip
    ]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(model._meta.db_table)} "  # noqa: S608
            f"WHERE {qn(model._meta.pk.column)} IN ({', '.join(['%s'] * len(ids))}) "
            f"ORDER BY {qn(model._meta.pk.column)}",
            ids,
        )
        return cursor.fetchall()


def _new_ids(model, before: set[int]) -> list[int]:
    return sorted(set(model.objects.values_list("pk", flat=True)) - before)


MEMBER_VALUES = [
    # every kind of column: text, blank text, bool, null bool, decimals (given and geocoded),
    # integers, dates, JSON (given), and the columns left out take their defaults
    dict(
        key="m1",
        name="Firma „Ąę” sp. z o.o.",
        type="small",
        category="partner",
        nip="5260250274",
        street="ul. Długa 1",
        postal_code="00-001",
        city="Warszawa",
        lat=Decimal("52.2297"),
        lon=Decimal("21.012200"),
        location_given=True,
        distance_km=0,
        distance_override_km=Decimal("12.5"),
        location_note="współrzędne",
        independent=True,
        science_category="",
        industry40=True,
        certificates=["TÜV Functional Safety", "X"],
        status="active",
        joined=dt.date(2015, 1, 20),
        left=None,
    ),
    dict(
        key="m2",
        name="Uczelnia",
        type="science",
        category="strategic_partner",
        nip="",
        street="",
        postal_code="",
        city="",
        lat=None,
        lon=None,
        location_given=False,
        distance_km=None,
        distance_override_km=None,
        location_note="Brak adresu",
        independent=None,
        science_category="A+",
        industry40=False,
        certificates=[],
        status="former",
        joined=None,
        left=dt.date(2020, 12, 31),
    ),
]


@time_machine.travel(NOW, tick=False)
def test_insert_rows_stores_what_bulk_create_stores():
    one, two = ClusterFactory(), ClusterFactory()
    before = set(Member.objects.values_list("pk", flat=True))
    Member.objects.bulk_create([Member(cluster=one, **values) for values in MEMBER_VALUES])
    by_orm = _new_ids(Member, before)
    fields = ["cluster_id", *MEMBER_VALUES[0]]
    before = set(Member.objects.values_list("pk", flat=True))
    insert_rows(Member, fields, [(two.pk, *values.values()) for values in MEMBER_VALUES])
    by_rows = _new_ids(Member, before)

    orm, rows = _raw(Member, by_orm), _raw(Member, by_rows)
    cluster_col = [f.column for f in Member._meta.concrete_fields if not f.primary_key].index(
        "cluster_id"
    )
    assert [r[:cluster_col] + r[cluster_col + 1 :] for r in orm] == [
        r[:cluster_col] + r[cluster_col + 1 :] for r in rows
    ]

    # children: a decimal of one place and of two, nulls; an auto_now_add column left out
    years = [
        (by_orm[0], 2020, Decimal("1200000.00"), None, Decimal("0.50"), Decimal("12.5")),
        (by_orm[0], 2021, None, Decimal("3"), None, None),
    ]
    fields = ["member_id", "year", "revenue", "export_revenue", "rd_expenditure", "fte"]
    before = set(MemberYear.objects.values_list("pk", flat=True))
    MemberYear.objects.bulk_create([MemberYear(**dict(zip(fields, y, strict=True))) for y in years])
    orm_years = _new_ids(MemberYear, before)
    MemberYear.objects.filter(pk__in=orm_years).update(
        member_id=by_rows[0]
    )  # free the unique pairs
    insert_rows(MemberYear, fields, [(by_orm[0], *y[1:]) for y in years])
    assert _raw(MemberYear, orm_years, skip=("member_id",)) == _raw(
        MemberYear, _new_ids(MemberYear, before | set(orm_years)), skip=("member_id",)
    )

    events = [
        (by_orm[0], "admitted", dt.date(2015, 1, 20), ""),
        (by_orm[1], "resigned", dt.date(2020, 12, 31), "z pliku danych"),
    ]
    fields = ["member_id", "kind", "date", "note"]
    before = set(MembershipEvent.objects.values_list("pk", flat=True))
    MembershipEvent.objects.bulk_create(
        [MembershipEvent(**dict(zip(fields, e, strict=True))) for e in events]
    )
    orm_events = _new_ids(MembershipEvent, before)
    insert_rows(MembershipEvent, fields, events)
    new_events = _new_ids(MembershipEvent, before | set(orm_events))
    assert _raw(MembershipEvent, orm_events) == _raw(MembershipEvent, new_events)
    assert {e.created_at for e in MembershipEvent.objects.filter(pk__in=new_events)} == {NOW}


def test_insert_rows_json_and_link_tables():
    cluster = ClusterFactory()
    scores = [[["9", 5], ["10", 2]], []]
    before = set(km.ExpertScore.objects.values_list("pk", flat=True))
    km.ExpertScore.objects.bulk_create(
        km.ExpertScore(cluster=cluster, position=i, name=f"Ekspert {i}", scores=s)
        for i, s in enumerate(scores)
    )
    orm = _new_ids(km.ExpertScore, before)
    insert_rows(
        km.ExpertScore,
        ["cluster_id", "position", "name", "scores"],
        [(cluster.pk, i, f"Ekspert {i}", s) for i, s in enumerate(scores)],
    )
    assert _raw(km.ExpertScore, orm) == _raw(
        km.ExpertScore, _new_ids(km.ExpertScore, before | set(orm))
    )
    assert [e.scores for e in km.ExpertScore.objects.filter(pk__in=orm)] == scores

    members = Member.objects.bulk_create(
        Member(cluster=cluster, key=f"m{i}", name=f"Firma {i}", type="small") for i in range(3)
    )
    project = ProjectFactory(cluster=cluster, key="p1", name="Projekt")
    through = km.Project.participants.through
    assert (
        insert_rows(through, ["project_id", "member_id"], ((project.pk, m.pk) for m in members))
        == 3
    )
    assert list(project.participants.order_by("key").values_list("key", flat=True)) == [
        "m0",
        "m1",
        "m2",
    ]


def test_insert_rows_fails_as_django_does_and_the_transaction_with_it():
    cluster = ClusterFactory()
    fields = ["cluster_id", "key", "name", "type"]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(
            Member, fields, [(cluster.pk, "m1", "A", "small"), (cluster.pk, "m1", "B", "small")]
        )
    assert not Member.objects.filter(cluster=cluster).exists()
    with pytest.raises(ValueError, match="3 values for 4 columns"):
        insert_rows(Member, fields, [(cluster.pk, "m1", "A")])


def test_import_writes_nothing_when_the_database_refuses_a_row(tmp_path, monkeypatch):
    """All or nothing (DATASET.md) holds for the bulk path too: the database refuses the last
    project's links (one twice), after the members, their years and events went in; the command
    says so in a sentence and the database holds nothing of the file."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from klaster.core.models import AuditLog, Cluster
    from klaster.exchange import dataset_io
    from klaster.exchange.demo import demo_cluster
    from klaster.rules.dataset.dump import dump_path

    real = dataset_io.insert_rows

    def twice(model, fields, rows):
        rows = list(rows)
        if model is km.Project.participants.through:
            rows.append(rows[-1])
        return real(model, fields, rows)

    monkeypatch.setattr(dataset_io, "insert_rows", twice)
    src = tmp_path / "demo.json"
    dump_path(demo_cluster(), src)
    tables = (Cluster, Member, MembershipEvent, MemberYear, km.Project, km.Event, AuditLog)
    before = [model.objects.count() for model in tables]
    with pytest.raises(CommandError, match="nic nie zapisano"):
        call_command("import_dataset", str(src))
    assert [model.objects.count() for model in tables] == before
