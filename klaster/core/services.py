"""Writes to clusters' strategies, roles and statute profiles. Each runs in one transaction with its
audit row. The cluster's own data, coordinator included (a member, MEM-2), is changed by
``klaster.members.services.cluster_update``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from klaster.core.audit import audit_record, diff, snapshot
from klaster.core.models import (
    Cluster,
    StatuteProfileVersion,
    Strategy,
)
from klaster.core.updates import audited_update
from klaster.rules import statute

STRATEGY_FIELDS = ["name", "adopted", "valid_from", "valid_to"]


def _strategy_check(strategy: Strategy) -> None:
    if not strategy.name.strip():
        raise ValidationError({"name": "Podaj nazwę strategii."})
    if strategy.valid_from and strategy.valid_to and strategy.valid_to < strategy.valid_from:
        raise ValidationError(
            {"valid_to": "Koniec okresu obowiązywania nie może poprzedzać jego początku."}
        )
    strategy.full_clean(exclude=["cluster"])


@transaction.atomic
def strategy_add(*, cluster: Cluster, user: Any, data: dict[str, Any]) -> Strategy:
    """MEM-1 (KKK section 6): a development strategy with its adoption date and validity period."""
    Cluster.objects.select_for_update().get(pk=cluster.pk)
    last = (
        Strategy.objects.filter(cluster=cluster)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    strategy = Strategy(cluster=cluster, position=(last or 0) + 1)
    for key in STRATEGY_FIELDS:
        if key in data:
            setattr(strategy, key, data[key])
    _strategy_check(strategy)
    strategy.save()
    audit_record(
        cluster=cluster,
        user=user,
        action="create",
        instance=strategy,
        changes=diff({}, snapshot(strategy, STRATEGY_FIELDS)),
    )
    return strategy


@transaction.atomic
def strategy_update(
    *, strategy: Strategy, user: Any, data: dict[str, Any], expected_version: str | None = None
) -> Strategy:
    return audited_update(
        strategy,
        fields=STRATEGY_FIELDS,
        changes=data,
        expected_version=expected_version,
        validate=_strategy_check,
        actor=user,
    ).obj


@transaction.atomic
def strategy_remove(*, strategy: Strategy, user: Any) -> None:
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    audit_record(
        cluster=strategy.cluster,
        user=user,
        action="delete",
        instance=strategy,
        changes=diff(snapshot(strategy, STRATEGY_FIELDS), {}),
    )
    strategy.delete()


STATUTE_FIELDS = ["valid_from", "revision", "preset", "data", "note"]


def _statute_data(preset: str | None, data: dict[str, Any] | None) -> dict[str, Any]:
    if data is None:
        if preset is None or preset not in statute.PRESETS:
            raise ValidationError({"preset": f"Nieznany profil statutu: {preset!r}."})
        return statute.profile_to_dict(statute.PRESETS[preset])
    try:
        return statute.profile_to_dict(statute.profile_from_dict(data))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationError({"data": str(exc)}) from exc


def statute_version_uses(versions: list[StatuteProfileVersion]) -> dict[int, list[Any]]:
    """What was recorded under each version — a meeting convened under it — one query per kind of
    record. Core names no higher app: it asks the reverse relations that point at the model (the
    ones with a visible related name; a vote's and a resolution's version is their meeting's)."""
    ids = [v.pk for v in versions]
    out: dict[int, list[Any]] = {i: [] for i in ids}
    if not ids:
        return out
    for rel in StatuteProfileVersion._meta.related_objects:
        model, field = rel.related_model, rel.field
        assert not isinstance(model, str)  # "self" and lazy names are resolved once apps are ready
        for record in model._default_manager.filter(**{f"{field.name}__in": ids}):
            out[getattr(record, field.attname)].append(record)
    return out


def _used_message(version: StatuteProfileVersion, uses: list[Any]) -> str:
    kinds = dict.fromkeys(str(type(u)._meta.verbose_name_plural) for u in uses)
    shown = ", ".join(f"„{u}”" for u in uses[:5]) + (
        f" i {len(uses) - 5} innych" if len(uses) > 5 else ""
    )
    return (
        f"Wersji statutu obowiązującej od {version.valid_from:%d.%m.%Y} (rewizja {version.revision}) użyto już "
        f"— {', '.join(kinds)} ({len(uses)}): {shown}. Jej liczb nie zmienia się, bo zmieniłoby to wstecz "
        "podstawę podjętych tam rozstrzygnięć. Zapisz zmianę jako poprawkę: nową rewizję od tego samego dnia; "
        "posiedzenia zwołane wcześniej zachowają swoją wersję, nowe wezmą poprawkę."
    )


@transaction.atomic
def statute_profile_set(
    *,
    cluster: Cluster,
    valid_from: dt.date | None,
    user: Any,
    preset: str | None = None,
    data: dict[str, Any] | None = None,
    note: str = "",
    correction: bool = False,
) -> StatuteProfileVersion:
    """Store a dated version of the cluster's statute numbers, from a preset or from edited data.

    The first version of a day is revision 1. A version nothing was recorded under yet is replaced
    in place (the office may fix a draft). A version a meeting was convened under never changes:
    saving other numbers for its day is refused with the meetings named, and `correction=True`
    stores them as the day's next revision instead — in force from then on for new meetings, while
    the meetings already convened keep theirs. Saving the same numbers again changes nothing."""
    if valid_from is None:
        raise ValidationError({"valid_from": "Podaj datę, od której obowiązuje wersja statutu."})
    data = _statute_data(preset, data)
    values = {"preset": preset or "", "data": data, "note": note}
    # The day's latest revision, locked: a meeting convened meanwhile (it locks the version it
    # takes) is either seen as a use here or convened under what this saves.
    current = (
        StatuteProfileVersion.objects.select_for_update()
        .filter(cluster=cluster, valid_from=valid_from)
        .order_by("-revision")
        .first()
    )
    if current is None:
        version = StatuteProfileVersion.objects.create(
            cluster=cluster, valid_from=valid_from, revision=1, **values
        )
        audit_record(
            cluster=cluster,
            user=user,
            action="create",
            instance=version,
            changes=diff({}, snapshot(version, STATUTE_FIELDS)),
        )
        return version
    unchanged = all(getattr(current, k) == v for k, v in values.items())
    if correction:
        if unchanged:
            raise ValidationError(
                "Poprawka niczego nie zmienia: liczby, profil i uwaga są takie jak w rewizji "
                f"{current.revision}."
            )
        version = StatuteProfileVersion.objects.create(
            cluster=cluster, valid_from=valid_from, revision=current.revision + 1, **values
        )
        audit_record(
            cluster=cluster,
            user=user,
            action="correct",
            instance=version,
            changes=diff(snapshot(current, STATUTE_FIELDS), snapshot(version, STATUTE_FIELDS)),
        )
        return version
    if unchanged:
        return current
    uses = statute_version_uses([current])[current.pk]
    if uses:
        raise ValidationError(_used_message(current, uses))
    return audited_update(
        current,
        lock=False,
        fields=STATUTE_FIELDS,
        changes=values,
        update_fields=list(values),
        cluster=cluster,
        actor=user,
        audit_unchanged=True,
    ).obj


def statute_version_on(
    cluster: Cluster, on: dt.date, *, lock: bool = False
) -> StatuteProfileVersion | None:
    """The version in force on a day: the latest start on or before it, that day's highest revision.
    `lock` (inside a transaction): keep it from being replaced in place until the caller commits."""
    qs = StatuteProfileVersion.objects.filter(cluster=cluster, valid_from__lte=on).order_by(
        "-valid_from", "-revision"
    )
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def statute_profile_in_force(cluster: Cluster, on: dt.date) -> statute.StatuteProfile | None:
    version = statute_version_on(cluster, on)
    return statute.profile_from_dict(version.data) if version else None


# --- Roles (issue 7): who may do what in which cluster changes only here, with its audit row. ----

ROLE_AUDIT_FIELDS = ["user", "role", "member"]


@transaction.atomic
def role_grant(*, cluster: Cluster, user: Any, role: str, member: Any = None, by: Any) -> Any:
    """MEM-1: give ``user`` a role in ``cluster``. A representative acts for one member of this
    same cluster; the other roles name no member. The same grant twice is refused. ``by``: who
    grants it (None from the command line)."""
    from klaster.core.models import ClusterRole, Role

    Cluster.objects.select_for_update().get(
        pk=cluster.pk
    )  # one grant per cluster at a time: no duplicates
    errors: dict[str, str] = {}
    if getattr(user, "pk", None) is None:
        errors["user"] = "Wskaż konto, któremu nadaje się rolę."
    if role not in Role.values:
        errors["role"] = f"Nieznana rola: {role!r}."
    elif role == Role.REPRESENTATIVE:
        if member is None:
            errors["member"] = "Przedstawiciel działa za jednego członka; wskaż go."
        elif member.cluster_id != cluster.pk:
            errors["member"] = "Przedstawiciel może działać tylko za członka tego samego klastra."
    elif member is not None:
        errors["member"] = "Członka wskazuje się tylko dla roli przedstawiciela."
    if errors:
        raise ValidationError(errors)
    if ClusterRole.objects.filter(cluster=cluster, user=user, role=role, member=member).exists():
        raise ValidationError({"role": "To konto ma już tę rolę w tym klastrze."})
    grant = ClusterRole.objects.create(cluster=cluster, user=user, role=role, member=member)
    audit_record(
        cluster=cluster,
        user=by,
        action="create",
        instance=grant,
        changes=diff({}, snapshot(grant, ROLE_AUDIT_FIELDS)),
    )
    return grant


@transaction.atomic
def role_revoke(*, role: Any, by: Any) -> None:
    """Take a role away; the audit row keeps whose it was and in which cluster."""
    from klaster.core.models import ClusterRole

    grant = (
        ClusterRole.objects.select_for_update(of=("self",))
        .select_related("cluster", "user", "member")
        .get(pk=role.pk)
    )
    audit_record(
        cluster=grant.cluster,
        user=by,
        action="delete",
        instance=grant,
        changes=diff(snapshot(grant, ROLE_AUDIT_FIELDS), {}),
    )
    grant.delete()
