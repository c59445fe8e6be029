"""Reads for the KKK application and dashboard. The registry is read through
`klaster.kkk.dataset.dataset_from_db` and scored by the pure engine; every query
count here is fixed, whatever the number of members (the dashboard test asserts it)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from klaster.core.models import Cluster
from klaster.kkk import models as km
from klaster.kkk.dataset import dataset_from_db
from klaster.kkk.models import Application
from klaster.kkk.records import RECORD_KINDS
from klaster.members.models import Member, ScienceSubunit
from klaster.rules import kkk_application as ka
from klaster.rules.dataset.model import Address, Dataset
from klaster.rules.kkk import DEFAULT_EDITION, EDITIONS, Evaluation, evaluate

Locate = Callable[[Address], "tuple[Decimal, Decimal] | None"]


def _n(value: str) -> str | None:
    return value or None


def locate_for(cluster: Cluster) -> Locate:
    """The engine's gazetteer for this cluster: each seat where the registry placed it (MEM-9).

    The registry placed every seat with `klaster.rules.geo` when it was entered; reusing those
    coordinates gives the engine exactly what `klaster kkk evaluate` finds, without loading the
    gazetteer on every page. Keys are built as `dataset_from_db` builds member addresses."""
    table: dict[Address, tuple[Decimal, Decimal]] = {}
    rows = Member.objects.filter(cluster=cluster, lat__isnull=False, lon__isnull=False).values_list(
        "street", "postal_code", "city", "lat", "lon"
    )
    for street, postal_code, city, lat, lon in rows:
        assert (
            lat is not None and lon is not None
        )  # filtered on lat__isnull=False, lon__isnull=False
        table.setdefault(
            Address(street=_n(street), postal_code=_n(postal_code), city=_n(city)), (lat, lon)
        )
    return table.get


def default_as_of(cluster: Cluster) -> dt.date:
    return cluster.as_of or timezone.localdate()


@dataclass(frozen=True)
class Scored:
    dataset: Dataset
    evaluation: Evaluation
    locate: Locate


def cluster_evaluation(
    cluster: Cluster,
    *,
    as_of: dt.date | None = None,
    mode: str | None = None,
    edition: str = DEFAULT_EDITION,
) -> Scored:
    """The cluster scored as of `as_of` (default: the cluster's D, else today) in `mode`."""
    day = as_of or default_as_of(cluster)
    dataset = ka.with_mode(dataset_from_db(cluster, on=day), mode or cluster.mode)
    locate = locate_for(cluster)
    return Scored(dataset, evaluate(dataset, as_of=day, edition=edition, locate=locate), locate)


def counting_application(cluster: Cluster) -> Application | None:
    """004 B.13: of several registered applications for one cluster, the last registered counts."""
    return (
        Application.objects.filter(cluster=cluster, status=Application.Status.REGISTERED)
        .order_by("-registered_at", "-id")
        .first()
    )


def assessed_application(
    counting: Application | None, evaluation: Evaluation
) -> Application | None:
    """The registered application whose assessment this evaluation is, or None.

    The product's own scoring is a forecast ("wynik prognozowany"), never a decision: only the
    scores of a registered application, with the panel's (stage III) entered, and evaluated as of
    that application's D and in its mode, are a result (KKK-TOTAL, KKK-S3)."""
    if counting is None or evaluation.stage3 is None:
        return None
    if evaluation.as_of != counting.as_of or evaluation.mode != counting.mode:
        return None
    return counting


def applications_of(cluster: Cluster) -> list[Application]:
    return list(Application.objects.filter(cluster=cluster).order_by("-created_at", "-id"))


# --- the application ------------------------------------------------------------------


DESCRIBED = (
    "projects",
    "services",
    "dual_education",
    "startup_cooperations",
    "circular_economy",
    "low_emission",
    "joint_products",
)


def record_extras(cluster: Cluster) -> dict[str, dict[str, Any]]:
    """Descriptions (and 26's end dates) by the reference the engine uses, "projects[3]".

    Records are indexed in `dataset_from_db`'s order (position, id) within their block."""
    out: dict[str, dict[str, Any]] = {}
    for key in DESCRIBED:
        spec = RECORD_KINDS[key]
        names = ["description", "date_to"] if key == "dual_education" else ["description"]
        for i, values in enumerate(spec.queryset(cluster).values_list(*names)):
            extra = {
                name: value
                for name, value in zip(names, values, strict=True)
                if value not in (None, "")
            }
            if extra:
                out[f"{key}[{i}]"] = extra
    return out


def pdf_head(attachment: km.ApplicationAttachment) -> bytes:
    """The first kilobyte of a stored attachment (empty when the file is gone)."""
    try:
        with attachment.file.open("rb") as fh:
            return fh.read(1024)
    except (FileNotFoundError, ValueError, OSError):
        return b""


def _fte(application: Application) -> dict[str, Decimal]:
    out = {}
    for key, value in (application.fte or {}).items():
        try:
            out[key] = Decimal(str(value))
        except (InvalidOperation, ValueError):
            continue
    return out


def application_extras(application: Application, cluster: Cluster) -> ka.Extras:
    coordinator = cluster.coordinator
    subunits = tuple(
        (key, name, category)
        for key, name, category in ScienceSubunit.objects.filter(member__cluster=cluster)
        .order_by("member_id", "id")
        .values_list("member__key", "name", "category")
    )
    attachments = tuple(
        ka.Attachment(
            kind=a.kind, name=a.name, size=a.size, sha256=a.sha256, pdf=ka.is_pdf(pdf_head(a))
        )
        for a in application.attachments.all()
    )
    return ka.Extras(
        applicant_name=application.applicant_name or None,
        applicant_address=application.applicant_address or None,
        applicant_website=application.applicant_website or None,
        coordinator_website=coordinator.website if coordinator is not None else None,
        appointment_document=application.appointment_document
        or cluster.coordinator_appointment
        or None,
        appointment_date=application.appointment_date,
        previously_granted=application.previously_granted,
        statements=frozenset(int(s) for s in application.statements or []),
        record_extras=record_extras(cluster),
        science_units_a=subunits,
        attachments=attachments,
        fte=_fte(application),
    )


def application_scored(application: Application) -> Scored:
    cluster = application.cluster
    return cluster_evaluation(
        cluster, as_of=application.as_of, mode=application.mode, edition=application.edition
    )


def assemble_application(application: Application) -> tuple[dict[str, Any], Evaluation]:
    """The application assembled live from the registry (a draft; registration freezes it)."""
    if application.edition not in EDITIONS:
        raise ValueError(f"unknown edition {application.edition!r}")
    scored = application_scored(application)
    extras = application_extras(application, application.cluster)
    content = ka.assemble(scored.dataset, scored.evaluation, locate=scored.locate, extras=extras)
    return content, scored.evaluation


def application_content(application: Application) -> dict[str, Any]:
    """What the application says: frozen when registered (KKK-3), else assembled now (KKK-1)."""
    if not application.is_draft and application.content is not None:
        return application.content
    return assemble_application(application)[0]


def application_check(application: Application) -> tuple[dict[str, Any], list[ka.Problem]]:
    """ "Sprawdź wniosek" (KKK-2) on the application as it stands."""
    content = application_content(application)
    return content, ka.validate(content)


def record_ids(cluster: Cluster, keys: set[str]) -> dict[str, list[int]]:
    """Primary keys of each record kind in dataset order, to turn "projects[3]" into a link."""
    return {
        key: list(RECORD_KINDS[key].queryset(cluster).values_list("pk", flat=True))
        for key in keys
        if key in RECORD_KINDS
    }


def member_ids(cluster: Cluster, keys: set[str]) -> dict[str, int]:
    return dict(Member.objects.filter(cluster=cluster, key__in=keys).values_list("key", "pk"))


def ref_names(cluster: Cluster, dataset: Any) -> dict[str, str]:
    """Issue 9: the records the engine's notes name by id or dataset path ("m079",
    "shared_resources[3]", "p01") mapped to what a person reads — the member's, project's or
    resource's name. Former members (skipped as not members on D) come from the register, in
    one query."""
    names: dict[str, str] = dict(
        Member.objects.filter(cluster=cluster).exclude(key="").values_list("key", "name")
    )
    for f in dataclasses.fields(dataset):
        records = getattr(dataset, f.name)
        if not isinstance(records, tuple):
            continue
        for i, record in enumerate(records):
            name = getattr(record, "name", None) or getattr(record, "title", None)
            if not name:
                continue
            names[f"{f.name}[{i}]"] = str(name)
            if rid := getattr(record, "id", None):
                names[str(rid)] = str(name)
    return names


def content_ref_names(cluster: Cluster, content: Any) -> dict[str, str]:
    """Issue 9: the references an application's check names ("funding_applications[4]", a
    member's id) mapped to the record's or member's name, read from the application's own
    content (its rows carry ``ref`` and ``name``) and the register (one query)."""
    names: dict[str, str] = dict(
        Member.objects.filter(cluster=cluster).exclude(key="").values_list("key", "name")
    )

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            ref, name = value.get("ref"), value.get("name") or value.get("title")
            if isinstance(ref, str) and ref and isinstance(name, str) and name:
                names.setdefault(ref, name)
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(content)
    return names


@dataclass(frozen=True)
class YearPoint:
    as_of: dt.date
    points: int  # the stage II proposal (the product's sum of indicator points)
    maximum: int
    threshold: int


def _years_back(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def stage2_history(scored: Scored, years: int = 4) -> list[YearPoint]:
    """Issue 9 point 9: the stage II proposal on the same day of each of the `years` years before
    D and on D, from the registry as it stands (one dataset, evaluated again per day — no
    query): how the cluster's record has grown. A day before the cluster's records counts what
    was there then, as the engine reads any D."""
    ev = scored.evaluation
    out = []
    for back in range(years, 0, -1):
        day = _years_back(ev.as_of, back)
        past = evaluate(scored.dataset, as_of=day, edition=ev.edition, locate=scored.locate)
        out.append(YearPoint(day, past.stage2.proposal, past.stage2.max, past.stage2.threshold))
    out.append(YearPoint(ev.as_of, ev.stage2.proposal, ev.stage2.max, ev.stage2.threshold))
    return out
