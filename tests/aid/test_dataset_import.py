"""`klaster aid import FILE --cluster SLUG` (issue 11 point 1; AID-1, AID-2, AID-3): a
``klaster-aid/1`` file into one cluster's register, all or nothing — and never changing what
the register already holds (an undertaking's data, a grant, a stored NBP rate)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from unittest import mock

import factory
import pytest

from klaster.aid import dataset
from klaster.aid.models import (
    ControlLink,
    Grant,
    ImportBatch,
    Merger,
    RateSeries,
    RateTable,
    Split,
    Undertaking,
)
from klaster.core.models import AuditLog
from klaster.rules.aid.load import load_path
from tests.factories import (
    ClusterFactory,
    KlasterFactory,
    MemberFactory,
    RateTableFactory,
    UndertakingFactory,
)
from tests.money.conftest import klaster

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "rules" / "aid" / "data"
EXAMPLE = DATA / "spec_example.yaml"
EVENTS = DATA / "events.yaml"


class RateSeriesFactory(KlasterFactory):
    """The stored NBP series' end (no factory of it in tests/factories.py)."""

    class Meta:
        model = RateSeries

    complete_through = dt.date(2025, 6, 16)
    source = factory.Sequence(lambda n: f"test {n}")


def counts() -> dict[str, int]:
    models = (Undertaking, ControlLink, Merger, Split, Grant, RateTable, RateSeries, ImportBatch)
    return {m.__name__: m.objects.count() for m in models}


def run(capsys, path: Path, slug: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = klaster(["aid", "import", str(path), "--cluster", slug])
    out, err = capsys.readouterr()
    return code, out, err


def variant(tmp_path: Path, source: Path, *changes: tuple[str, str]) -> Path:
    text = source.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    return path


def test_aid_1_aid_3_the_file_becomes_the_register(capsys):
    cluster = ClusterFactory()
    code, out, err = run(capsys, EVENTS, cluster.slug)
    assert (code, err) == (0, "")
    assert "8" in out and "5" in out  # undertakings and grants, as the summary says
    f = load_path(EVENTS)
    assert set(Undertaking.objects.filter(cluster=cluster).values_list("nip", flat=True)) == {
        u.nip for u in f.undertakings
    }
    grants = {g.ref: g for g in Grant.objects.filter(cluster=cluster)}
    assert set(grants) == {g.id for g in f.grants}
    h4 = grants["h4"]
    assert (h4.source, h4.kind, h4.body_name, h4.regulation) == (
        "import",
        "original",
        "MARR",
        "2023/2831",
    )
    assert (h4.granted_on, h4.amount_pln, h4.amount_eur) == (
        dt.date(2024, 2, 1),
        Decimal("43000.05"),
        None,
    )
    assert h4.undertaking.nip == "6818974989"
    batch = ImportBatch.objects.get(cluster=cluster)
    assert batch.rows == 5 and {g.batch_id for g in grants.values()} == {batch.pk}
    merger = Merger.objects.get(cluster=cluster)
    assert (merger.date, merger.into.nip) == (dt.date(2024, 4, 2), "6755082352")
    assert [u.nip for u in merger.absorbed.all()] == ["9790626039"]
    s = Split.objects.get(cluster=cluster, undertaking__nip="6818974989")
    assert [(x.undertaking.nip, x.equity_pln) for x in s.successors.all()] == [
        ("6818974989", Decimal("700000.00")),
        ("6824386524", Decimal("300000.00")),
    ]
    assert [(a.grant.ref, a.to.nip) for a in s.assignments.all()] == [("h5", "6824386524")]
    u = Split.objects.get(cluster=cluster, undertaking__nip="1208529981")
    assert [x.undertaking.nip for x in u.successors.all()] == [
        "3792231543",
        "9410836636",
        "6546926998",
    ]
    link = ControlLink.objects.get(cluster=cluster)
    assert (link.parent.nip, link.child.nip, link.start, link.end) == (
        "3792231543",
        "9410836636",
        dt.date(2024, 11, 1),
        None,
    )
    assert RateTable.objects.count() == 4
    assert RateSeries.objects.get().complete_through == dt.date(2024, 12, 31)
    assert AuditLog.objects.filter(cluster=cluster, model="aid.ImportBatch").count() == 1


def test_aid_1_importing_the_same_file_again_adds_nothing(capsys):
    cluster = ClusterFactory()
    assert run(capsys, EVENTS, cluster.slug)[0] == 0
    before = counts()
    code, out, err = run(capsys, EVENTS, cluster.slug)
    assert (code, err) == (0, "")
    after = counts()
    assert after.pop("ImportBatch") == before.pop("ImportBatch") + 1  # the attempt is recorded
    assert after == before


def test_aid_1_the_fiscal_year_and_the_member_of_a_new_undertaking(capsys):
    cluster = ClusterFactory()
    member = MemberFactory(cluster=cluster, nip="5257153615")
    MemberFactory(nip="6791926635")  # another cluster's member: not linked
    assert run(capsys, EXAMPLE, cluster.slug)[0] == 0
    wawel = Undertaking.objects.get(cluster=cluster, nip="5257153615")
    assert wawel.member_id == member.pk
    assert Undertaking.objects.get(cluster=cluster, nip="6791926635").member_id is None
    termo = Undertaking.objects.get(cluster=cluster, nip="6793994090")
    assert (termo.fiscal_year_start_month, termo.fiscal_year_start_day) == (7, 1)


def test_aid_1_a_malformed_file_changes_nothing(capsys, tmp_path):
    cluster = ClusterFactory()
    bad = variant(tmp_path, EXAMPLE, ("date: 2023-05-10", "date: 2023-13-10"))
    code, out, err = run(capsys, bad, cluster.slug)
    assert code == 2 and out == ""
    assert "grants[2].date" in err
    assert sum(counts().values()) == 0


def test_aid_2_a_stored_rate_is_never_changed(capsys):
    """A table of a stored date with another mid refuses the whole file, naming the date."""
    cluster = ClusterFactory()
    RateTableFactory(date=dt.date(2024, 3, 1), number="044/A/NBP/2024", mid=Decimal("4.3100"))
    code, out, err = run(capsys, EXAMPLE, cluster.slug)
    assert code == 2 and out == ""
    assert "01.03.2024" in err and "4.3100" in err and "4.3000" in err
    assert RateTable.objects.get().mid == Decimal("4.3100")
    assert counts() == {**dict.fromkeys(counts(), 0), "RateTable": 1}


def test_aid_2_a_new_table_inside_the_stored_complete_range_is_refused(capsys):
    """The stored series says NBP published no table that day: the file cannot add one."""
    cluster = ClusterFactory()
    RateTableFactory(date=dt.date(2022, 1, 3), number="001/A/NBP/2022", mid=Decimal("4.6000"))
    RateSeriesFactory(complete_through=dt.date(2025, 12, 31))
    code, _out, err = run(capsys, EXAMPLE, cluster.slug)
    assert code == 2
    assert "15.06.2022" in err and "01.03.2024" in err and "16.06.2025" in err
    assert Undertaking.objects.count() == 0 and RateTable.objects.count() == 1


@pytest.mark.parametrize(
    ("stored_through", "first_stored", "expected", "note"),
    [
        (None, None, dt.date(2025, 6, 16), False),  # none stored: the file's
        (dt.date(2022, 6, 14), dt.date(2022, 6, 1), dt.date(2025, 6, 16), False),  # joined
        (dt.date(2022, 6, 10), dt.date(2022, 6, 1), dt.date(2022, 6, 10), True),  # a gap: stays
    ],
)
def test_aid_2_complete_through_goes_further_only_without_a_gap(
    capsys, stored_through, first_stored, expected, note
):
    cluster = ClusterFactory()
    if first_stored:
        RateTableFactory(date=first_stored, number="105/A/NBP/2022", mid=Decimal("4.6000"))
    if stored_through:
        RateSeriesFactory(complete_through=stored_through)
    code, out, err = run(capsys, EXAMPLE, cluster.slug)
    assert (code, err) == (0, "")
    assert RateSeries.objects.get().complete_through == expected
    assert ("10.06.2022" in out and "15.06.2022" in out) is note


def test_aid_2_a_file_ending_earlier_leaves_the_series_as_it_is(capsys):
    cluster = ClusterFactory()
    RateTableFactory(date=dt.date(2022, 6, 15), number="115/A/NBP/2022", mid=Decimal("4.6500"))
    RateTableFactory(date=dt.date(2024, 3, 1), number="044/A/NBP/2024", mid=Decimal("4.3000"))
    RateTableFactory(date=dt.date(2025, 6, 16), number="115/A/NBP/2025", mid=Decimal("4.2592"))
    RateSeriesFactory(complete_through=dt.date(2025, 12, 31))
    code, _out, err = run(capsys, EXAMPLE, cluster.slug)
    assert (code, err) == (0, "")
    assert RateSeries.objects.get().complete_through == dt.date(2025, 12, 31)
    assert RateTable.objects.count() == 3


def test_aid_1_an_undertaking_the_register_knows_otherwise_is_refused(capsys):
    cluster = ClusterFactory()
    UndertakingFactory(cluster=cluster, nip="6791926635", name="Geo-Lab S.A.")
    UndertakingFactory(cluster=cluster, nip="5257153615", name="WAWEL  invest s.a.")  # the same
    code, out, err = run(capsys, EXAMPLE, cluster.slug)
    assert code == 2 and out == ""
    assert "undertakings[1].name" in err and "Geo-Lab S.A." in err
    assert "undertakings[0]" not in err
    assert Grant.objects.count() == 0 and Undertaking.objects.count() == 2


def test_aid_1_a_stored_undertaking_with_the_same_data_is_kept_and_used(capsys):
    cluster = ClusterFactory()
    geo = UndertakingFactory(cluster=cluster, nip="6791926635", name="Geo-Lab Sp. z o.o.")
    assert run(capsys, EXAMPLE, cluster.slug)[0] == 0
    assert Undertaking.objects.filter(cluster=cluster).count() == 3
    assert set(geo.grants.values_list("ref", flat=True)) == {"c11", "c12", "c14"}


def test_aid_3_a_grant_is_never_edited_by_an_import(capsys, tmp_path):
    cluster = ClusterFactory()
    assert run(capsys, EXAMPLE, cluster.slug)[0] == 0
    before = counts()
    changed = variant(tmp_path, EXAMPLE, ('eur: "90000.00"', 'eur: "95000.00"'))
    code, _out, err = run(capsys, changed, cluster.slug)
    assert code == 2 and "grants[2].id" in err and "c12" in err
    assert counts() == before
    assert Grant.objects.get(ref="c12").amount_eur == Decimal("90000.00")


def test_aid_3_an_undertaking_ceased_in_the_register_receives_nothing(capsys, tmp_path):
    """events.yaml: X is absorbed by Y on 2024-04-02; a later file granting X on 2024-05-01 or
    absorbing it again is refused."""
    cluster = ClusterFactory()
    assert run(capsys, EVENTS, cluster.slug)[0] == 0
    late = tmp_path / "late.yaml"
    late.write_text(
        "format: klaster-aid/1\n"
        "undertakings:\n"
        '  - {nip: "9790626039", name: X Sp. z o.o.}\n'
        '  - {nip: "6755082352", name: Y S.A.}\n'
        "mergers:\n"
        '  - {date: 2024-06-01, into: "6755082352", absorbed: ["9790626039"]}\n'
        "grants:\n"
        '  - {id: x9, undertaking: "9790626039", body: PUP, regulation: 2023/2831, '
        'date: 2024-05-01, eur: "10.00"}\n',
        encoding="utf-8",
    )
    before = counts()
    code, _out, err = run(capsys, late, cluster.slug)
    assert code == 2
    assert "grants[0].undertaking" in err and "mergers[0].absorbed[0]" in err
    assert counts() == before


def test_aid_3_a_new_merger_may_not_leave_the_registers_later_grants_behind(capsys, tmp_path):
    cluster = ClusterFactory()
    assert run(capsys, EXAMPLE, cluster.slug)[0] == 0
    merger = tmp_path / "merger.yaml"
    merger.write_text(
        "format: klaster-aid/1\n"
        "undertakings:\n"
        '  - {nip: "5257153615", name: Wawel Invest S.A.}\n'
        '  - {nip: "6791926635", name: Geo-Lab Sp. z o.o.}\n'
        "mergers:\n"
        '  - {date: 2024-01-01, into: "5257153615", absorbed: ["6791926635"]}\n',
        encoding="utf-8",
    )
    code, _out, err = run(capsys, merger, cluster.slug)
    assert code == 2 and "mergers[0].absorbed[0]" in err and "c11" in err
    assert Merger.objects.count() == 0


def test_aid_1_too_long_for_the_register_is_refused_naming_the_field(capsys, tmp_path):
    cluster = ClusterFactory()
    long_body = "Urząd " + "x" * 320
    bad = variant(
        tmp_path,
        EXAMPLE,
        (
            "body: Urząd Miasta Krakowa\n    regulation: 2023/2831",
            f"body: {long_body}\n    regulation: 2023/2831",
        ),
    )
    code, _out, err = run(capsys, bad, cluster.slug)
    assert code == 2 and "grants[5].body" in err
    assert sum(counts().values()) == 0


def test_aid_1_all_or_nothing_when_writing_fails_half_way():
    """A failure after the undertakings went in leaves no trace: one transaction."""
    from django.db import transaction

    cluster = ClusterFactory()
    real = dataset.insert_rows

    def failing(model, fields, rows):
        if model is Grant:
            raise RuntimeError("disk full")
        return real(model, fields, rows)

    with transaction.atomic():  # the test's own savepoint, as a command's caller would not
        with mock.patch.object(dataset, "insert_rows", failing), pytest.raises(RuntimeError):
            dataset.register_import(cluster=cluster, aid_file=load_path(EVENTS), filename="x")
        assert sum(counts().values()) == 0


def test_aid_import_unknown_cluster_exits_2(capsys):
    code, out, err = run(capsys, EXAMPLE, "nie-ma-takiego")
    assert code == 2 and out == ""
    assert err.startswith("klaster aid import: ") and "nie-ma-takiego" in err
