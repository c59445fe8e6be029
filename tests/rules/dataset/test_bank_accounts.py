"""`cluster.bank_accounts` and `members[].bank_accounts` (DATASET.md, issue 10): optional lists of
IBAN/NRB numbers, validated by their check digits, each listed once (compared without spaces and
the PL prefix), written back only when there are some — and of no concern to `klaster kkk
evaluate`."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from klaster.rules.dataset.dump import dump_data, dump_text
from klaster.rules.dataset.errors import DatasetError
from klaster.rules.dataset.load import load_data, load_path, load_text, schema
from klaster.rules.kkk.cli import main

HERE = Path(__file__).parent
EXAMPLE = HERE / "data" / "dataset_md_example.yaml"

CLUSTER_ACCOUNT = "PL61109010140000071219812874"  # DATASET.md's example
PAYER_ACCOUNT = "PL27114020040000300201355387"


def _example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return data


def _with_accounts(cluster: list[Any], member: list[Any]) -> dict[str, Any]:
    data = _example()
    data["cluster"]["bank_accounts"] = cluster
    data["members"][1]["bank_accounts"] = member
    return data


def _messages(data: dict[str, Any], lang: str = "pl") -> list[str]:
    with pytest.raises(DatasetError) as exc:
        load_data(data)
    return exc.value.render(lang)  # type: ignore[arg-type]


def test_both_lists_load_as_written() -> None:
    spaced = "61 1090 1014 0000 0712 1981 2874"  # an NRB with spaces: the same account
    ds = load_data(
        _with_accounts([CLUSTER_ACCOUNT], [PAYER_ACCOUNT, "PL13102033520000123456789012"])
    )
    assert ds.cluster.bank_accounts == (CLUSTER_ACCOUNT,)
    assert ds.members[1].bank_accounts == (PAYER_ACCOUNT, "PL13102033520000123456789012")
    assert ds.members[0].bank_accounts == ()
    assert load_data(_with_accounts([spaced], [])).cluster.bank_accounts == (spaced,)


def test_absent_or_null_is_no_account() -> None:
    ds = load_data(_example())
    assert ds.cluster.bank_accounts == () and all(m.bank_accounts == () for m in ds.members)
    assert load_data(_with_accounts(None, None)) == ds  # type: ignore[arg-type]


def test_a_foreign_iban_is_an_account_too() -> None:
    german = "DE89370400440532013000"
    assert load_data(_with_accounts([german], [])).cluster.bank_accounts == (german,)


@pytest.mark.parametrize(
    ("cluster", "member", "path"),
    [
        (["PL61109010140000071219812875"], [], "cluster.bank_accounts[0]"),  # a check digit off
        ([CLUSTER_ACCOUNT, "1234"], [], "cluster.bank_accounts[1]"),
        ([], [PAYER_ACCOUNT, "PL27 1140 2004 0000 3002 0135 5388"], "members[1].bank_accounts[1]"),
        ([], ["to nie jest rachunek"], "members[1].bank_accounts[0]"),
    ],
)
def test_a_bad_account_is_refused_with_its_path_in_both_languages(
    cluster: list[str], member: list[str], path: str
) -> None:
    bad = (cluster + member)[-1]
    data = _with_accounts(cluster, member)
    assert _messages(data) == [
        f"{path}: niepoprawny numer rachunku (IBAN lub NRB, z cyframi kontrolnymi): {bad!r}"
    ]
    assert _messages(data, "en") == [
        f"{path}: not a valid account number (IBAN or NRB, with its check digits): {bad!r}"
    ]


def test_a_bad_account_in_json_text_is_refused_too() -> None:
    data = _with_accounts(["PL00109010140000071219812874"], [])
    with pytest.raises(DatasetError) as exc:
        load_text(json.dumps(data, default=str), "json")
    assert [m.split(":")[0] for m in exc.value.messages] == ["cluster.bank_accounts[0]"]


def test_the_same_account_twice_is_refused_however_written() -> None:
    twice = [CLUSTER_ACCOUNT, "61 1090 1014 0000 0712 1981 2874"]
    assert _messages(_with_accounts(twice, [])) == [
        "cluster.bank_accounts[1]: rachunek '61 1090 1014 0000 0712 1981 2874' powtórzony "
        "(pierwszy raz: cluster.bank_accounts[0])"
    ]
    assert _messages(_with_accounts([], [PAYER_ACCOUNT, PAYER_ACCOUNT]), "en") == [
        f"members[1].bank_accounts[1]: account {PAYER_ACCOUNT!r} repeated "
        "(first at members[1].bank_accounts[0])"
    ]


def test_two_members_may_pay_from_one_account() -> None:
    data = _with_accounts([], [PAYER_ACCOUNT])
    data["members"][0]["bank_accounts"] = [PAYER_ACCOUNT]
    assert load_data(data).members[0].bank_accounts == (PAYER_ACCOUNT,)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("PL61109010140000071219812874" + " " * 15, "too long"),  # 43 characters
        ("", "empty value"),
        (61109010140000071219812874, "expected a string"),  # an unquoted NRB in YAML
    ],
)
def test_the_schema_bounds_each_account(value: object, code: str) -> None:
    assert code in _messages(_with_accounts([value], []), "en")[0]


def test_at_most_twenty_accounts() -> None:
    many = _with_accounts([CLUSTER_ACCOUNT] * 21, [])
    assert _messages(many, "en")[0].startswith("cluster.bank_accounts: too many entries: 21")


def test_dump_writes_them_only_when_there_are_some_and_reads_back() -> None:
    ds = load_data(_with_accounts([CLUSTER_ACCOUNT], [PAYER_ACCOUNT]))
    data = dump_data(ds)
    assert data["cluster"]["bank_accounts"] == [CLUSTER_ACCOUNT]
    assert list(data["cluster"])[-1] == "bank_accounts"  # DATASET.md's order: after contact
    member = data["members"][1]
    assert member["bank_accounts"] == [PAYER_ACCOUNT]
    in_schema = list(schema()["$defs"]["member"]["properties"])
    assert in_schema.index("bank_accounts") == in_schema.index("address") + 1  # as DATASET.md
    assert list(member) == [key for key in in_schema if key in member]
    assert "bank_accounts" not in data["members"][0]
    for fmt in ("yaml", "json"):
        assert load_text(dump_text(ds, fmt), fmt) == ds
    plain = load_path(EXAMPLE)
    assert "bank_accounts" not in dump_data(plain)["cluster"]
    assert all("bank_accounts" not in m for m in dump_data(plain)["members"])


@pytest.mark.parametrize(("fmt", "golden"), [("json", "json"), ("text", "txt")])
def test_kkk_evaluate_ignores_them(tmp_path: Path, fmt: str, golden: str) -> None:
    """`klaster kkk evaluate` prints what it prints for the same file without accounts."""
    path = tmp_path / "dataset_md_example.yaml"
    path.write_text(
        yaml.safe_dump(
            _with_accounts([CLUSTER_ACCOUNT], [PAYER_ACCOUNT]), allow_unicode=True, sort_keys=False
        ),
        encoding="utf-8",
    )
    with_accounts, without = io.StringIO(), io.StringIO()
    assert main(["evaluate", str(path), "--format", fmt], with_accounts, io.StringIO()) == 0
    assert main(["evaluate", str(EXAMPLE), "--format", fmt], without, io.StringIO()) == 0
    assert with_accounts.getvalue() == without.getvalue()


def test_a_file_without_accounts_does_not_import_the_money_rules() -> None:
    """The check needs stdnum (~20 ms, klaster.rules.identifiers): only a file with accounts pays."""
    code = (
        "import sys\n"
        "from klaster.rules.dataset.load import load_path\n"
        f"load_path({str(EXAMPLE)!r})\n"
        "print('klaster.rules.money' in sys.modules, 'stdnum.iban' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
