"""Bank statements into the ledger (FIN-3; MONEY-CLI `klaster bank import`)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from klaster.money import selectors, services
from klaster.money.models import BankEntry, Payment, Statement
from tests.factories import PayerAccountFactory
from tests.money.conftest import klaster, mt940

pytestmark = pytest.mark.django_db

A_IBAN = "PL27114020040000300201355387"


def billed(money):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 2, 1))
    # FV/2026/0001 a Jan 516.60, 0002 b Jan 1107.00, 0003 a Feb 516.60, 0004 b Feb 1107.00


def importing(money, data):
    return services.import_statement(cluster=money.cluster, data=data)


def test_fin_3_statement_matches_by_number_reference_and_payer(money):
    billed(money)
    PayerAccountFactory(member=money.a, account="27114020040000300201355387")
    data = mt940(
        [
            ("516.60", "Faktura FV/2026/0001", "Alfa-Tech", "PL10105000997603123456789123"),
            ("1107.00", "skladka m002 styczen", "Beta-Soft", ""),
            ("600.00", "oplata", "Alfa-Tech", A_IBAN),  # the payer's account: a's, overpaid
            ("-12.00", "Oplata za prowadzenie rachunku", "PKO BP", ""),
        ]
    )
    report = importing(money, data).report
    assert report["statement"] == {
        "account": "PL61109010140000071219812874",
        "number": "09/2026/M",
        "from": "2026-12-01",
        "to": "2026-12-01",
        "opening": "0.00",
        "closing": "2211.60",
    }
    assert report["lines"] == 4
    assert report["matched"] == [
        {"line": 1, "amount": "516.60", "documents": ["FV/2026/0001"], "member": "m001",
         "applied": "516.60", "credit": "0.00"},
        {"line": 2, "amount": "1107.00", "documents": ["FV/2026/0002"], "member": "m002",
         "applied": "1107.00", "credit": "0.00"},
        {"line": 3, "amount": "600.00", "documents": ["FV/2026/0003"], "member": "m001",
         "applied": "516.60", "credit": "83.40"},
    ]  # fmt: skip
    assert report["ignored"] == [{"line": 4, "amount": "-12.00", "reason": "debit"}]
    assert report["queued"] == [] and report["duplicates"] == 0
    book = selectors.cluster_ledger(money.cluster)
    assert book.credit[str(money.a.pk)] == Decimal("83.40")
    assert book.open["FV/2026/0004"] == Decimal("1107.00")


def test_fin_3_importing_the_same_statement_again_changes_nothing(money):
    billed(money)
    data = mt940([("516.60", "FV/2026/0001", "Alfa-Tech", "")])
    importing(money, data)
    again = importing(money, data).report
    assert again["duplicates"] == 1 and again["matched"] == [] and again["queued"] == []
    assert Payment.objects.count() == 1
    assert BankEntry.objects.count() == 1


def test_fin_3_unsure_payment_waits_with_ranked_candidates_and_is_resolved_once(money):
    billed(money)
    # the amount alone fits both members' documents? No: 516.60 fits only a — still a guess
    data = mt940([("516.60", "przelew", "Ktoś", "")])
    report = importing(money, data).report
    assert report["matched"] == []
    assert report["queued"] == [
        {"line": 1, "amount": "516.60",
         "candidates": [{"member": "m001", "documents": ["FV/2026/0001", "FV/2026/0003"]}]}
    ]  # fmt: skip
    entry = BankEntry.objects.get()
    assert entry.state == "queued" and not Payment.objects.exists()
    services.entry_resolve(entry=entry, member=money.a)
    with pytest.raises(services.MoneyError):
        services.entry_resolve(entry=entry, member=money.a)  # never matched twice
    assert Payment.objects.count() == 1
    book = selectors.cluster_ledger(money.cluster)
    assert book.open["FV/2026/0001"] == 0
    # importing it again: a duplicate, not queued a second time
    assert importing(money, data).report["duplicates"] == 1
    assert BankEntry.objects.filter(state="queued").count() == 0


def test_fin_3_a_member_of_another_cluster_cannot_be_assigned(money):
    billed(money)
    importing(money, mt940([("516.60", "przelew", "Ktoś", "")]))
    entry = BankEntry.objects.get()
    with pytest.raises(services.MoneyError) as e:
        services.entry_resolve(entry=entry, member=money.world.member_beta)
    assert e.value.field == "member"
    assert BankEntry.objects.get().state == "queued" and not Payment.objects.exists()


def test_fin_3_foreign_account_and_malformed_files_are_refused_whole(money, tmp_path, capsys):
    billed(money)
    other = mt940([("516.60", "FV/2026/0001", "A", "")], account="PL27114020040000300201355387")
    path = tmp_path / "obcy.sta"
    path.write_bytes(other)
    assert klaster(["bank", "import", "alfa", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "27114020040000300201355387" in captured.err
    broken = mt940([("516.60", "FV/2026/0001", "A", "")]).replace(b":62F:C", b":62F:C9")
    path.write_bytes(broken)
    assert klaster(["bank", "import", "alfa", str(path)]) == 2
    assert capsys.readouterr().out == ""
    assert not Statement.objects.exists() and not BankEntry.objects.exists()
    assert not Payment.objects.exists()


def test_fin_3_bank_import_command_prints_the_json_of_money_cli(money, tmp_path, capsys):
    billed(money)
    path = tmp_path / "wyciag.sta"
    path.write_bytes(mt940([("516.60", "FV/2026/0001", "Alfa-Tech", "")]))
    assert klaster(["bank", "import", "alfa", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["statement", "lines", "matched", "queued", "ignored", "duplicates"]
    assert data["matched"][0]["member"] == "m001"
    assert klaster(["bank", "import", "alfa", str(path), "--format", "text"]) == 0
    assert "już zaimportowanych: 1" in capsys.readouterr().out
