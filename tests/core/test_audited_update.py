"""Issue 8 point 3: `klaster.core.updates.audited_update`, the one lock → version check → snapshot →
save → diff → audit row the services share. Checked on a strategy (core's own row)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from klaster.core.concurrency import StaleEdit, edit_version
from klaster.core.models import AuditLog, Strategy
from klaster.core.services import STRATEGY_FIELDS
from klaster.core.updates import audited_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy(world):
    from tests.factories import StrategyFactory

    return StrategyFactory(
        cluster=world.alfa, name="Strategia 2021–2027", valid_from=dt.date(2021, 1, 1)
    )


def _entries(strategy):
    return list(
        AuditLog.objects.filter(model="core.Strategy", object_id=str(strategy.pk)).order_by("id")
    )


def test_a_change_is_saved_with_one_audit_row_of_old_and_new(world, strategy):
    office = world.users["office"]
    updated = audited_update(
        strategy, fields=STRATEGY_FIELDS, changes={"name": "Strategia 2028"}, actor=office
    )

    assert updated.obj.pk == strategy.pk and updated.obj is not strategy  # the locked copy
    assert Strategy.objects.get(pk=strategy.pk).name == "Strategia 2028"
    assert updated.changes == {"name": ["Strategia 2021–2027", "Strategia 2028"]}
    [entry] = _entries(strategy)
    assert entry == updated.entry
    assert (entry.action, entry.user, entry.cluster, entry.changes) == (
        "update",
        office,
        world.alfa,
        {"name": ["Strategia 2021–2027", "Strategia 2028"]},
    )
    assert entry.object_repr == str(updated.obj)


def test_a_stale_version_is_refused_and_nothing_is_written(world, strategy):
    seen = edit_version(strategy, STRATEGY_FIELDS)
    audited_update(
        Strategy,
        strategy.pk,
        fields=STRATEGY_FIELDS,
        changes={"name": "Pierwsza zmiana"},
        actor=world.users["chair"],
    )
    written = _entries(strategy)

    with pytest.raises(StaleEdit) as refused:
        audited_update(
            strategy,
            fields=STRATEGY_FIELDS,
            changes={"name": "Druga zmiana"},
            expected_version=seen,
            actor=world.users["office"],
        )

    assert refused.value.code == "stale"
    assert Strategy.objects.get(pk=strategy.pk).name == "Pierwsza zmiana"
    assert _entries(strategy) == written  # no audit row for the refused save


def test_the_current_version_is_accepted(world, strategy):
    seen = edit_version(strategy, STRATEGY_FIELDS)
    updated = audited_update(
        strategy,
        fields=STRATEGY_FIELDS,
        changes={"name": "Nowa"},
        expected_version=seen,
        actor=world.users["office"],
    )
    assert updated.obj.name == "Nowa"


def test_an_unchanged_save_writes_no_audit_row_unless_asked(world, strategy):
    same = {"name": strategy.name}
    updated = audited_update(
        strategy, fields=STRATEGY_FIELDS, changes=same, actor=world.users["office"]
    )
    assert updated.changes == {} and updated.entry is None and _entries(strategy) == []

    always = audited_update(
        strategy,
        fields=STRATEGY_FIELDS,
        changes=same,
        actor=world.users["office"],
        action="confirm",
        audit_unchanged=True,
    )
    [entry] = _entries(strategy)
    assert entry == always.entry and (entry.action, entry.changes) == ("confirm", {})


def test_a_field_not_editable_is_refused_and_nothing_saved(world, strategy):
    with pytest.raises(ValidationError) as refused:
        audited_update(
            strategy,
            fields=STRATEGY_FIELDS,
            changes={"name": "X", "cluster_id": world.beta.pk},
            actor=world.users["office"],
        )
    assert refused.value.message_dict == {"cluster_id": ["Tego pola nie można zmienić."]}
    assert Strategy.objects.get(pk=strategy.pk).cluster_id == world.alfa.pk
    assert _entries(strategy) == []


def test_validation_runs_before_the_save(world, strategy):
    def refuse(row):
        raise ValidationError({"name": "nie"})

    with pytest.raises(ValidationError):
        audited_update(
            strategy,
            fields=STRATEGY_FIELDS,
            changes={"name": "Inna"},
            validate=refuse,
            actor=world.users["office"],
        )
    assert Strategy.objects.get(pk=strategy.pk).name == "Strategia 2021–2027"
    assert _entries(strategy) == []


def test_hooks_cluster_label_and_extra_changes(world, strategy):
    calls = []
    updated = audited_update(
        strategy,
        fields=["name"],
        apply=lambda row: calls.append(("apply", row.name)),
        changes={"name": "Nowa"},
        after_save=lambda row: {"note": [None, "dopisek"]},
        cluster=world.beta,
        object_repr=lambda row: f"Strategia: {row.name}",
        actor=None,
        action="rename",
        update_fields=["name"],
    )
    assert calls == [("apply", "Strategia 2021–2027")]  # before the changes are set
    entry = updated.entry
    assert entry is not None
    assert (entry.cluster, entry.object_repr, entry.user, entry.action) == (
        world.beta,
        "Strategia: Nowa",
        None,
        "rename",
    )
    assert entry.changes == {"name": ["Strategia 2021–2027", "Nowa"], "note": [None, "dopisek"]}


def test_one_lock_one_update_and_the_audit_row_no_savepoint(world, strategy):
    office = world.users["office"]
    with CaptureQueriesContext(connection) as queries:
        audited_update(strategy, fields=STRATEGY_FIELDS, changes={"name": "Nowa"}, actor=office)
    sql = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    # the lock, the save, the strategy's cluster (for the audit row), the audit row
    assert sql == ["SELECT", "UPDATE", "SELECT", "INSERT"], queries.captured_queries


def test_lock_false_takes_the_callers_locked_instance(world, strategy):
    with transaction.atomic():
        locked = Strategy.objects.select_for_update().get(pk=strategy.pk)
        updated = audited_update(
            locked,
            lock=False,
            fields=STRATEGY_FIELDS,
            changes={"name": "Nowa"},
            actor=world.users["office"],
        )
    assert updated.obj is locked
    with pytest.raises(TypeError):
        audited_update(Strategy, strategy.pk, lock=False, fields=STRATEGY_FIELDS, actor=None)


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses_to_run(world, strategy):
    with pytest.raises(RuntimeError):
        audited_update(
            strategy, fields=STRATEGY_FIELDS, changes={"name": "Nowa"}, actor=world.users["office"]
        )
    assert Strategy.objects.get(pk=strategy.pk).name == "Strategia 2021–2027"
