"""Writes to clusters, roles and statute profiles. Each runs in one transaction with its audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from klaster.core.audit import audit_record, diff, snapshot
from klaster.core.models import (
    Cluster,
    SpecialisationClassification,
    StartKind,
    StatuteProfileVersion,
    Strategy,
)
from klaster.rules import identifiers, pkd, statute

# MEM-1 / MEM-2: the cluster's own data the office edits (KKK application 3.1–3.9, 6).
CLUSTER_FIELDS = [
    "name", "website", "specialisation_classification", "specialisation_codes", "specialisation_description",
    "agreement_date", "actual_start_year", "actual_start_kinds", "actual_start_description", "eccp_registered",
    "coordinator", "coordinator_appointment", "contact_name", "contact_position", "contact_email",
    "contact_phone", "contact_address", "sub_account_iban",
]
STRATEGY_FIELDS = ["name", "adopted", "valid_from", "valid_to"]


def _clean_cluster_data(cluster: Cluster, data: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise what the office typed; ValidationError names each bad field."""
    out = dict(data)
    errors: dict[str, str] = {}
    unknown = sorted(set(out) - set(CLUSTER_FIELDS))
    for key in unknown:
        errors[key] = "Tego pola nie można zmienić na tej stronie."
    if "sub_account_iban" in out:
        value = (out["sub_account_iban"] or "").strip()
        try:
            # MEM-4: a Polish IBAN or NRB, check digits included; stored as "PL" + 26 digits.
            out["sub_account_iban"] = identifiers.validate_iban(value) if value else ""
        except identifiers.IdentifierError as exc:
            errors["sub_account_iban"] = str(exc)
    classification = out.get("specialisation_classification", cluster.specialisation_classification)
    if classification and classification not in SpecialisationClassification.values:
        errors["specialisation_classification"] = f"Nieznana klasyfikacja: {classification!r}."
    if "specialisation_codes" in out:
        codes = [c for c in (out["specialisation_codes"] or []) if str(c).strip()]
        if classification == SpecialisationClassification.PKD:
            normalised, bad = [], []
            for code in codes:
                try:
                    normalised.append(pkd.normalise_pkd(str(code)))
                except pkd.PkdError as exc:
                    bad.append(str(exc))
            if bad:
                errors["specialisation_codes"] = "; ".join(bad)
            codes = list(dict.fromkeys(normalised))
        else:
            codes = list(dict.fromkeys(str(c).strip() for c in codes))
        out["specialisation_codes"] = codes
    codes_after = out.get("specialisation_codes", cluster.specialisation_codes)
    description_after = out.get("specialisation_description", cluster.specialisation_description)
    if classification in (SpecialisationClassification.PKD, SpecialisationClassification.EKD) and not codes_after:
        errors.setdefault("specialisation_codes", f"Podaj co najmniej jeden kod {classification}.")
    if classification == SpecialisationClassification.DESCRIPTION and not (description_after or "").strip():
        errors["specialisation_description"] = "Podaj opis specjalizacji (do 150 znaków)."
    if "actual_start_kinds" in out:
        kinds = list(dict.fromkeys(out["actual_start_kinds"] or []))
        wrong = [k for k in kinds if k not in StartKind.values]
        if wrong:
            errors["actual_start_kinds"] = f"Nieznany rodzaj działania: {', '.join(wrong)}."
        out["actual_start_kinds"] = kinds
    if "coordinator" in out:
        coordinator = out["coordinator"]
        if coordinator is None:
            if cluster.coordinator_id is not None:
                errors["coordinator"] = "Koordynator jest członkiem klastra (MEM-2); wskaż go z listy członków."
        elif coordinator.cluster_id != cluster.pk:
            errors["coordinator"] = "Koordynatorem może być tylko członek tego klastra (MEM-2)."
        elif coordinator.status == "former":
            errors["coordinator"] = "Koordynatorem nie może być były członek klastra (MEM-2)."
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def cluster_update(*, cluster: Cluster, user: Any, data: dict[str, Any]) -> Cluster:
    """MEM-1 / MEM-2: change the cluster's own data. A new coordinator moves the point every
    distance is measured from, so all members' distances are recomputed (MEM-9)."""
    from klaster.members import geocoding

    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    data = _clean_cluster_data(cluster, data)
    before = snapshot(cluster, CLUSTER_FIELDS)
    old_coordinator_id = cluster.coordinator_id
    for key, value in data.items():
        setattr(cluster, key, value)
    cluster.full_clean(exclude=["coordinator"])
    cluster.save()
    changes = diff(before, snapshot(cluster, CLUSTER_FIELDS))
    if changes:
        audit_record(cluster=cluster, user=user, action="update", instance=cluster, changes=changes)
    if cluster.coordinator_id != old_coordinator_id and cluster.coordinator is not None:
        coordinator = cluster.coordinator
        if coordinator.lat is None:
            # Never placed yet (e.g. typed in by hand): place its seat first, offline.
            geocoding.place_member(coordinator)
            coordinator.save(update_fields=["lat", "lon", "location_note", "distance_km"])
        geocoding.recompute_distances(cluster)
    return cluster


def _strategy_check(strategy: Strategy) -> None:
    if not strategy.name.strip():
        raise ValidationError({"name": "Podaj nazwę strategii."})
    if strategy.valid_from and strategy.valid_to and strategy.valid_to < strategy.valid_from:
        raise ValidationError({"valid_to": "Koniec okresu obowiązywania nie może poprzedzać jego początku."})
    strategy.full_clean(exclude=["cluster"])


@transaction.atomic
def strategy_add(*, cluster: Cluster, user: Any, data: dict[str, Any]) -> Strategy:
    """MEM-1 (KKK section 6): a development strategy with its adoption date and validity period."""
    Cluster.objects.select_for_update().get(pk=cluster.pk)
    last = Strategy.objects.filter(cluster=cluster).order_by("-position").values_list("position", flat=True).first()
    strategy = Strategy(cluster=cluster, position=(last or 0) + 1)
    for key in STRATEGY_FIELDS:
        if key in data:
            setattr(strategy, key, data[key])
    _strategy_check(strategy)
    strategy.save()
    audit_record(cluster=cluster, user=user, action="create", instance=strategy,
                 changes=diff({}, snapshot(strategy, STRATEGY_FIELDS)))
    return strategy


@transaction.atomic
def strategy_update(*, strategy: Strategy, user: Any, data: dict[str, Any]) -> Strategy:
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    before = snapshot(strategy, STRATEGY_FIELDS)
    for key, value in data.items():
        if key not in STRATEGY_FIELDS:
            raise ValidationError({key: "Tego pola nie można zmienić."})
        setattr(strategy, key, value)
    _strategy_check(strategy)
    strategy.save()
    changes = diff(before, snapshot(strategy, STRATEGY_FIELDS))
    if changes:
        audit_record(cluster=strategy.cluster, user=user, action="update", instance=strategy, changes=changes)
    return strategy


@transaction.atomic
def strategy_remove(*, strategy: Strategy, user: Any) -> None:
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    audit_record(cluster=strategy.cluster, user=user, action="delete", instance=strategy,
                 changes=diff(snapshot(strategy, STRATEGY_FIELDS), {}))
    strategy.delete()


@transaction.atomic
def statute_profile_set(
    *, cluster: Cluster, valid_from: dt.date | None, user: Any, preset: str | None = None,
    data: dict[str, Any] | None = None, note: str = "",
) -> StatuteProfileVersion:
    """Store a dated version of the cluster's statute numbers, from a preset or from edited data."""
    if valid_from is None:
        raise ValidationError({"valid_from": "Podaj datę, od której obowiązuje wersja statutu."})
    if data is None:
        if preset not in statute.PRESETS:
            raise ValidationError({"preset": f"Nieznany profil statutu: {preset!r}."})
        data = statute.profile_to_dict(statute.PRESETS[preset])
    else:
        try:
            data = statute.profile_to_dict(statute.profile_from_dict(data))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValidationError({"data": str(exc)}) from exc
    version, created = StatuteProfileVersion.objects.select_for_update().get_or_create(
        cluster=cluster, valid_from=valid_from, defaults={"preset": preset or "", "data": data, "note": note}
    )
    before = {} if created else snapshot(version, ["preset", "data", "note"])
    if not created:
        version.preset, version.data, version.note = preset or "", data, note
        version.save()
    audit_record(
        cluster=cluster, user=user, action="create" if created else "update", instance=version,
        changes=diff(before, snapshot(version, ["preset", "data", "note"])),
    )
    return version


def statute_profile_in_force(cluster: Cluster, on: dt.date) -> statute.StatuteProfile | None:
    version = (
        StatuteProfileVersion.objects.filter(cluster=cluster, valid_from__lte=on).order_by("-valid_from").first()
    )
    return statute.profile_from_dict(version.data) if version else None
