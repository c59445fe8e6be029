"""`klaster import` / `klaster export` of the bank accounts (DATASET.md, issue 10): the cluster's
accounts become the money app's `ClusterAccount` rows and the members' `PayerAccount` rows,
stored as `normalize_account` gives them; export gives them back and import(export(x)) keeps
them; a bad account writes nothing; the import's queries do not grow with the members."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from stdnum import iban

from klaster.core.models import Cluster
from klaster.exchange.dataset_io import cluster_export, cluster_import
from klaster.exchange.demo import demo_cluster
from klaster.members.models import Member
from klaster.money.models import ClusterAccount, PayerAccount
from klaster.rules.dataset import model as d
from klaster.rules.dataset.dump import dump_data, dump_path
from klaster.rules.dataset.errors import DatasetError
from klaster.rules.dataset.load import load_path

pytestmark = pytest.mark.django_db

OWN = "PL61 1090 1014 0000 0712 1981 2874"  # as a person types it
OWN_NRB = "61109010140000071219812874"
PAYER = "27 1140 2004 0000 3002 0135 5387"  # an NRB without PL
PAYER_NRB = "27114020040000300201355387"
GERMAN = "DE89 3704 0044 0532 0130 00"


def _account(n: int) -> str:
    """A valid Polish IBAN, one per ``n`` (the branch 1090 1014 of DATASET.md's example)."""
    bban = f"10901014{n:016d}"
    return f"PL{iban.calc_check_digits('PL00' + bban)}{bban}"


def _write(tmp_path: Path, data: dict, name: str = "in.yaml") -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


def _import(path: str, capsys) -> Cluster:
    call_command("import_dataset", path)
    return Cluster.objects.get(slug=capsys.readouterr().out.strip().splitlines()[-1])


def _payers(cluster: Cluster) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    rows = PayerAccount.objects.filter(member__cluster=cluster).order_by("id")
    for key, account in rows.values_list("member__key", "account"):
        out.setdefault(key, []).append(account)
    return out


def _own(cluster: Cluster) -> list[str]:
    return list(
        ClusterAccount.objects.filter(cluster=cluster)
        .order_by("id")
        .values_list("account", flat=True)
    )


def _file_with_accounts() -> dict:
    data = dump_data(demo_cluster())
    data["cluster"]["bank_accounts"] = [OWN, GERMAN]
    data["members"][4]["bank_accounts"] = [PAYER]
    data["members"][5]["bank_accounts"] = [PAYER, _account(7)]  # two members, one account
    return data


def test_import_stores_both_lists_normalised(tmp_path, capsys):
    cluster = _import(_write(tmp_path, _file_with_accounts()), capsys)
    assert _own(cluster) == [OWN_NRB, "DE89370400440532013000"]
    demo = demo_cluster()
    expected = {m.id: [a.removeprefix("PL") for a in m.bank_accounts] for m in demo.members}
    expected[demo.members[4].id] = [PAYER_NRB]
    expected[demo.members[5].id] = [PAYER_NRB, _account(7).removeprefix("PL")]
    assert _payers(cluster) == {key: accounts for key, accounts in expected.items() if accounts}


def test_export_gives_them_back_and_a_second_import_keeps_them(tmp_path, capsys):
    first = _import(_write(tmp_path, _file_with_accounts()), capsys)
    out = tmp_path / "out.yaml"
    call_command("export_dataset", first.slug, str(out))
    exported = load_path(out)
    # as stored, a Polish NRB written as its IBAN
    assert exported.cluster.bank_accounts == ("PL" + OWN_NRB, "DE89370400440532013000")
    demo = demo_cluster()
    assert exported.member(demo.members[4].id).bank_accounts == ("PL" + PAYER_NRB,)
    assert exported.member(demo.members[5].id).bank_accounts == ("PL" + PAYER_NRB, _account(7))
    assert exported.member(demo.members[1].id).bank_accounts == demo.members[1].bank_accounts
    assert exported.member(demo.members[0].id).bank_accounts == ()
    second = _import(str(out), capsys)
    assert (_own(second), _payers(second)) == (_own(first), _payers(first))
    assert cluster_export(second) == exported


def test_the_demo_round_trips_with_its_accounts(tmp_path, capsys):
    demo = demo_cluster()
    assert demo.cluster.bank_accounts == ("PL61109010140000071219812874",)
    assert sum(1 for m in demo.members if m.bank_accounts) == 3
    src = tmp_path / "demo.json"
    dump_path(demo, src)
    cluster = _import(str(src), capsys)
    assert _own(cluster) == ["61109010140000071219812874"]
    assert cluster_export(cluster) == demo


@pytest.mark.parametrize(
    ("where", "path"),
    [("cluster", "cluster.bank_accounts[1]"), ("member", "members[5].bank_accounts[0]")],
)
def test_a_bad_account_names_its_path_and_writes_nothing(tmp_path, where, path):
    data = _file_with_accounts()
    bad = "PL61 1090 1014 0000 0712 1981 2875"  # a check digit off
    if where == "cluster":
        data["cluster"]["bank_accounts"] = [OWN, bad]
    else:
        data["members"][5]["bank_accounts"] = [bad]
    tables = (Cluster, Member, ClusterAccount, PayerAccount)
    before = [model.objects.count() for model in tables]
    with pytest.raises(CommandError) as exc:
        call_command("import_dataset", _write(tmp_path, data))
    assert path in str(exc.value)
    assert [model.objects.count() for model in tables] == before


def test_a_dataset_made_in_code_is_checked_too():
    """cluster_import takes a Dataset: one not read by the loader is checked the same way,
    before anything is written."""
    demo = demo_cluster()
    members = list(demo.members)
    members[2] = replace(members[2], bank_accounts=(PAYER, "12345"))
    bad = replace(demo, members=tuple(members))
    tables = (Cluster, Member, ClusterAccount, PayerAccount)
    before = [model.objects.count() for model in tables]
    with pytest.raises(DatasetError) as exc:
        cluster_import(bad)
    assert [i.path for i in exc.value.issues] == ["members[2].bank_accounts[1]"]
    assert [model.objects.count() for model in tables] == before


def _small(n: int) -> d.Dataset:
    members = tuple(
        d.Member(
            id=f"m{i}",
            name=f"Członek {i}",
            type="micro",
            location=d.Location(lat=Decimal("51.75"), lon=Decimal("19.45")),
            bank_accounts=(_account(2 * i), _account(2 * i + 1)),
        )
        for i in range(n)
    )
    return d.Dataset(
        cluster=d.Cluster(
            name=f"Klaster {n}",
            coordinator=d.Coordinator(member="m0"),
            bank_accounts=("PL" + OWN_NRB, "DE89370400440532013000"),  # as exported
        ),
        members=members,
    )


def test_the_import_queries_do_not_grow_with_the_members_accounts():
    counts = []
    for n in (3, 12):
        with CaptureQueriesContext(connection) as queries:
            cluster = cluster_import(_small(n))
        counts.append(len(queries))
        assert PayerAccount.objects.filter(member__cluster=cluster).count() == 2 * n
        assert cluster_export(cluster) == _small(n)
    assert counts[0] == counts[1]
