"""Writes for the KKK application: the records behind sections 9–34, the coordinator's
facts, applications, attachments, registration, expert and panel scores.

Each is one `transaction.atomic` with its audit row (PLT-4). A registered application is
frozen (KKK-3): every write to it is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.core import uploads
from klaster.core.audit import audit_record, diff, snapshot
from klaster.core.concurrency import Tracked, ensure_current
from klaster.core.models import Cluster
from klaster.core.say import say
from klaster.core.updates import audited_update
from klaster.kkk import selectors
from klaster.kkk.models import (
    Application,
    ApplicationAttachment,
    ClusterRecord,
    ExpertScore,
    PanelScore,
    Project,
)
from klaster.kkk.records import RECORD_KINDS, RecordKind
from klaster.members.models import Member
from klaster.rules import kkk_application as ka
from klaster.rules.kkk import DEFAULT_EDITION, EDITIONS

EXPERTS = 2  # 004 "Ocena wniosku" 2: "każdy wniosek oceniany jest jednocześnie przez 2 ekspertów"


# --- records behind sections 9–34 ---------------------------------------------------------


def _record_snapshot(spec: RecordKind, record: models.Model) -> dict[str, Any]:
    scalar = [f for f in spec.fields if f not in spec.member_fields and f not in spec.member_fks]
    out = snapshot(record, scalar)
    for name in spec.member_fks:
        out[name] = getattr(getattr(record, name), "key", None)
    if record.pk is not None:
        for name in spec.member_fields:
            out[name] = sorted(getattr(record, name).values_list("key", flat=True))
    return out


def _check_record(
    spec: RecordKind, cluster: Cluster, data: dict[str, Any], record: models.Model | None = None
) -> None:
    errors: dict[str, str] = {}
    for name, limit in spec.limits.items():
        text = data.get(name) or ""
        if len(text) > limit:
            errors[name] = _("At most %(limit)s characters (there are %(count)s).") % {
                "limit": limit,
                "count": len(text),
            }
    for name in spec.member_fields:
        for m in data.get(name) or []:
            if m.cluster_id != cluster.pk:
                errors[name] = _("A member from outside the cluster.")
    for name in spec.member_fks:
        m = data.get(name)
        if m is not None and m.cluster_id != cluster.pk:
            errors[name] = _("A member from outside the cluster.")
    for name, choices in spec.choices.items():
        if name in data and data[name] not in {c for c, _label in choices}:
            errors[name] = _("Unknown value: %(value)s.") % {"value": repr(data[name])}
    if spec.key == "projects" and data.get("key"):
        taken = spec.queryset(cluster).filter(key=data["key"])
        if record is not None:
            taken = taken.exclude(pk=record.pk)
        if taken.exists():
            errors["key"] = _("A project with the identifier %(key)s already exists.") % {
                "key": repr(data["key"])
            }
    if errors:
        raise ValidationError(errors)


def _apply(
    spec: RecordKind, record: models.Model, data: dict[str, Any]
) -> list[tuple[str, list[Member]]]:
    links = []
    for name, value in data.items():
        if name not in spec.fields:
            raise ValidationError({name: _("This field cannot be changed.")})
        if name in spec.member_fields:
            links.append((name, list(value or [])))
        else:
            setattr(record, name, value)
    return links


def _next_project_key(cluster: Cluster) -> str:
    taken = set(RECORD_KINDS["projects"].queryset(cluster).values_list("key", flat=True))
    n = len(taken) + 1
    while f"p{n}" in taken:
        n += 1
    return f"p{n}"


@transaction.atomic
def activity_record_create(
    *, cluster: Cluster, kind: str, user: Any, data: dict[str, Any]
) -> models.Model:
    """Add a record of `kind` at the end of its block (dataset order), with its audit row."""
    spec = RECORD_KINDS[kind]
    Cluster.objects.select_for_update().get(pk=cluster.pk)  # the count check below and positions
    _check_record(spec, cluster, data)
    qs = spec.queryset(cluster)
    if spec.max_count is not None and qs.count() >= spec.max_count:
        # 004 pt 25: at most three KIS may be indicated
        raise ValidationError(
            _("At most %(max)s items may be indicated (%(section)s).")
            % {"max": spec.max_count, "section": spec.section}
        )
    record = spec.model(cluster=cluster, **spec.filters)
    record.position = (qs.aggregate(m=Max("position"))["m"] or 0) + 1 if qs.exists() else 0
    links = _apply(spec, record, data)
    if kind == "projects" and isinstance(record, Project) and not record.key:
        record.key = _next_project_key(cluster)
    record.full_clean(exclude=["cluster"])
    record.save()
    for name, members in links:
        getattr(record, name).set(members)
    audit_record(
        cluster=cluster,
        user=user,
        action="create",
        instance=record,
        changes=diff({}, _record_snapshot(spec, record)),
    )
    return record


def activity_record_tracked(record: models.Model, kind: str) -> Tracked:
    """What an edit form of a record shows (its edit version; klaster.core.concurrency)."""
    return Tracked(
        record._meta.label,
        str(record.pk),
        _record_snapshot(RECORD_KINDS[kind], record),
        type(record),
    )


@transaction.atomic
def activity_record_update(
    *,
    record: models.Model,
    kind: str,
    user: Any,
    data: dict[str, Any],
    expected_version: str | None = None,
) -> models.Model:
    spec = RECORD_KINDS[kind]
    links: list[tuple[str, list[Member]]] = []

    def apply(row: models.Model) -> None:
        _check_record(spec, row.cluster, data, row)  # type: ignore[attr-defined]
        links.extend(_apply(spec, row, data))

    def set_links(row: models.Model) -> None:
        for name, members in links:
            getattr(row, name).set(members)

    return audited_update(
        spec.model,
        record.pk,
        fields=spec.fields,
        values=lambda r: _record_snapshot(spec, r),
        tracked=lambda r: activity_record_tracked(r, kind),
        expected_version=expected_version,
        apply=apply,
        clean_exclude=["cluster"],
        after_save=set_links,
        actor=user,
    ).obj


@transaction.atomic
def activity_record_remove(*, record: ClusterRecord, kind: str, user: Any) -> None:
    spec = RECORD_KINDS[kind]
    before = _record_snapshot(spec, record)
    cluster, label, pk = record.cluster, str(record), record.pk
    record.delete()
    audit_record(
        cluster=cluster,
        user=user,
        action="delete",
        model=record._meta.label,
        object_id=str(pk),
        object_repr=label,
        changes=diff(before, {}),
    )


COORDINATOR_FIELDS = [
    "coordinator_experience_years",
    "platform_communication",
    "platform_purchasing",
    "platform_sales",
    "dues_revenue",
]


@transaction.atomic
def coordinator_facts_update(
    *, cluster: Cluster, user: Any, data: dict[str, Any], expected_version: str | None = None
) -> Cluster:
    """The coordinator's facts the application scores: experience (9), platforms (11), dues (S1-10)."""
    return audited_update(
        cluster,
        fields=COORDINATOR_FIELDS,
        changes=data,
        expected_version=expected_version,
        validate=_check_experience,
        update_fields=COORDINATOR_FIELDS,
        actor=user,
    ).obj


def _check_experience(cluster: Cluster) -> None:
    experience = cluster.coordinator_experience_years
    if experience is not None and experience < 0:
        raise ValidationError(
            {"coordinator_experience_years": _("The number of years cannot be negative.")}
        )


# --- applications -----------------------------------------------------------------------------


NARRATIVE_FIELDS = [
    "applicant_name",
    "applicant_address",
    "applicant_website",
    "appointment_document",
    "appointment_date",
    "previously_granted",
    "statements",
    "fte",
]
APPLICATION_FIELDS = ["edition", "mode", "as_of", *NARRATIVE_FIELDS]


def _refuse_registered(application: Application) -> None:
    if not application.is_draft:
        # 004 B.12: "Po zarejestrowaniu w Generatorze wniosek nie jest już aktywny do edycji."
        raise ValidationError(
            _(
                "Application %(number)s is registered and can no longer be edited; create a new "
                "application."
            )
            % {"number": application.number}
        )


def _check_application(data: dict[str, Any]) -> None:
    errors = {}
    if "edition" in data and data["edition"] not in EDITIONS:
        errors["edition"] = _("Unknown edition: %(value)s.") % {"value": repr(data["edition"])}
    if "mode" in data and data["mode"] not in Application.Mode.values:
        errors["mode"] = _("Unknown mode: %(value)s.") % {"value": repr(data["mode"])}
    if "statements" in data and not all(
        isinstance(s, int) and 1 <= s <= len(ka.STATEMENTS) for s in data["statements"]
    ):
        errors["statements"] = _("Unknown statement.")
    if "fte" in data:
        for key, value in data["fte"].items():
            if key not in ka.MEMBER_TYPE_LABELS or Decimal(str(value)) < 0:
                errors["fte"] = _("Invalid full-time equivalent for %(key)s.") % {"key": repr(key)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def application_create(
    *,
    cluster: Cluster,
    user: Any,
    as_of: dt.date | None = None,
    mode: str | None = None,
    edition: str = DEFAULT_EDITION,
) -> Application:
    """A new draft. The coordinator's own entries and attachments of the cluster's latest
    application are carried over, so a corrected application starts where the last one ended."""
    data = {
        "as_of": as_of or selectors.default_as_of(cluster),
        "mode": mode or cluster.mode,
        "edition": edition,
    }
    _check_application(data)
    previous = Application.objects.filter(cluster=cluster).order_by("-created_at", "-id").first()
    application = Application(
        cluster=cluster,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        **data,
    )
    if previous is not None:
        for name in NARRATIVE_FIELDS:
            setattr(application, name, getattr(previous, name))
    application.save()
    if previous is not None:
        ApplicationAttachment.objects.bulk_create(
            ApplicationAttachment(
                application=application,
                kind=a.kind,
                file=a.file.name,
                name=a.name,
                size=a.size,
                sha256=a.sha256,
                uploaded_by=a.uploaded_by,
            )
            for a in previous.attachments.all()
        )
    audit_record(
        cluster=cluster,
        user=user,
        action="create",
        instance=application,
        changes=diff({}, snapshot(application, APPLICATION_FIELDS)),
    )
    return application


@transaction.atomic
def application_update(
    *,
    application: Application,
    user: Any,
    data: dict[str, Any],
    expected_version: str | None = None,
) -> Application:
    def refuse(locked: Application) -> None:
        _refuse_registered(locked)
        unknown = sorted(set(data) - set(APPLICATION_FIELDS))
        if unknown:
            raise ValidationError({unknown[0]: _("This field cannot be changed.")})
        _check_application(data)

    return audited_update(
        application,
        fields=APPLICATION_FIELDS,
        changes=data,
        expected_version=expected_version,
        apply=refuse,
        clean_exclude=["cluster", "content"],
        actor=user,
    ).obj


@transaction.atomic
def application_attachment_add(
    *, application: Application, user: Any, kind: str, upload: UploadedFile
) -> ApplicationAttachment:
    """004 "Załączniki": every attachment is a PDF — checked by the file's magic bytes, not its name."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _refuse_registered(application)
    if kind not in ka.ATTACHMENT_TITLES:
        raise ValidationError(
            {"kind": _("Unknown kind of attachment: %(kind)s.") % {"kind": repr(kind)}}
        )
    try:
        uploads.check_size(
            upload, "kkk_attachment"
        )  # the form checks it too; the service is the last door
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    digest = hashlib.sha256()
    head = b""
    size = 0
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < 1024:
            head += chunk[: 1024 - len(head)]
        digest.update(chunk)
        size += len(chunk)
    if not ka.is_pdf(head):
        raise ValidationError(
            {
                "file": _("The file “%(name)s” is not a PDF file (no %%PDF header).")
                % {"name": upload.name}
            }
        )
    upload.seek(0)
    attachment = ApplicationAttachment(
        application=application,
        kind=kind,
        name=(upload.name or "plik.pdf")[:255],
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    attachment.file.save(upload.name or "plik.pdf", upload, save=False)
    attachment.save()
    audit_record(
        cluster=application.cluster,
        user=user,
        action="attach",
        instance=attachment,
        changes={
            "application": [None, application.pk],
            "kind": [None, kind],
            "name": [None, attachment.name],
            "sha256": [None, attachment.sha256],
        },
    )
    return attachment


@transaction.atomic
def application_attachment_remove(*, attachment: ApplicationAttachment, user: Any) -> None:
    """Unlink an attachment from a draft; the stored file stays (a registered application may name it)."""
    application = Application.objects.select_for_update().get(pk=attachment.application_id)
    _refuse_registered(application)
    changes = {
        "application": [application.pk, None],
        "kind": [attachment.kind, None],
        "name": [attachment.name, None],
        "sha256": [attachment.sha256, None],
    }
    pk, label = attachment.pk, str(attachment)
    attachment.delete()
    audit_record(
        cluster=application.cluster,
        user=user,
        action="detach",
        model="kkk.ApplicationAttachment",
        object_id=str(pk),
        object_repr=label,
        changes=changes,
    )


def application_number(year: int, seq: int) -> str:
    return f"KKK/{year}/{seq:03d}"


@transaction.atomic
def application_register(
    *, application: Application, user: Any, now: dt.datetime | None = None
) -> Application:
    """KKK-3: register a validated draft — freeze its content, number it, give it an id and a checksum.

    Locks are taken in a fixed order, the cluster row first, then the application: two
    registrations of one cluster queue on the cluster row, so each reads the last number
    of the year only after the other has committed, and numbers are consecutive with no gap
    (a registration that fails rolls back and uses no number).
    """
    now = now or timezone.now()
    Cluster.objects.select_for_update().get(pk=application.cluster_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    _refuse_registered(application)
    content, problems = selectors.application_check(application)
    if problems:
        shown = [p.text(say) for p in problems[:10]]
        if len(problems) > 10:
            shown.append(_("… and %(count)s other problems") % {"count": len(problems) - 10})
        raise ValidationError(
            [
                _(
                    "The application did not pass the check (“Check application”); it was not "
                    "registered."
                ),
                *shown,
            ]
        )
    content = json.loads(
        json.dumps(content, ensure_ascii=False)
    )  # exactly what the JSON column will give back
    year = timezone.localdate(now).year
    last = (
        Application.objects.filter(
            cluster_id=application.cluster_id, year=year, status=Application.Status.REGISTERED
        ).aggregate(m=Max("seq"))["m"]
        or 0
    )
    application.year = year
    application.seq = last + 1
    application.number = application_number(year, application.seq)
    application.public_id = uuid.uuid4()
    application.content = content
    application.checksum = ka.checksum(content)
    application.registered_at = now
    application.registered_by = user if getattr(user, "is_authenticated", False) else None
    application.status = Application.Status.REGISTERED
    application.save()
    audit_record(
        cluster=application.cluster,
        user=user,
        action="register",
        instance=application,
        changes={
            "status": ["draft", "registered"],
            "number": [None, application.number],
            "public_id": [None, str(application.public_id)],
            "checksum": [None, application.checksum],
        },
    )
    return application


# --- experts and panel ------------------------------------------------------------------------


def _scores_snapshot(cluster: Cluster) -> dict[str, Any]:
    return {
        f"expert {e.position + 1}": {"name": e.name, "scores": e.scores}
        for e in ExpertScore.objects.filter(cluster=cluster).order_by("position", "id")
    }


def expert_scores_tracked(cluster: Cluster) -> Tracked:
    """The experts' scores as one record (their audit rows name the cluster)."""
    return Tracked("kkk.ExpertScore", str(cluster.pk), _scores_snapshot(cluster))


@transaction.atomic
def expert_scores_set(
    *,
    cluster: Cluster,
    user: Any,
    experts: list[tuple[str, dict[str, int]]],
    maxima: dict[str, int],
    expected_version: str | None = None,
) -> list[ExpertScore]:
    """KKK-S2-EXP: the two experts' points per indicator (blank = not scored).

    `maxima` is each indicator's maximum in the edition (keyed by its number, "9" … "34"); a
    score outside 0…max is refused. An expert with no name and no scores is removed."""
    if len(experts) > EXPERTS:
        raise ValidationError(
            _("An application is assessed by %(count)s experts.") % {"count": EXPERTS}
        )
    errors: dict[str, str] = {}
    for n, (name, scores) in enumerate(experts, start=1):
        for number, points in scores.items():
            if number not in maxima:
                errors[f"e{n}_{number}"] = _("Unknown indicator %(number)s.") % {"number": number}
            elif (
                isinstance(points, bool)
                or not isinstance(points, int)
                or not 0 <= points <= maxima[number]
            ):
                errors[f"e{n}_{number}"] = _(
                    "Indicator %(number)s: a score of 0–%(max)s points."
                ) % {"number": number, "max": maxima[number]}
        if scores and not name.strip():
            errors[f"e{n}_name"] = _("Give the full name of expert %(n)s.") % {"n": n}
    if errors:
        raise ValidationError(errors)
    Cluster.objects.select_for_update().get(pk=cluster.pk)
    if expected_version is not None:
        ensure_current(expert_scores_tracked(cluster), expected_version)
    before = _scores_snapshot(cluster)
    ExpertScore.objects.filter(cluster=cluster).delete()
    order = list(maxima)
    rows = [
        ExpertScore.objects.create(
            cluster=cluster,
            position=n,
            name=name.strip(),
            scores=[[number, scores[number]] for number in order if number in scores],
        )
        for n, (name, scores) in enumerate(experts)
        if name.strip() or scores
    ]
    changes = diff(before, _scores_snapshot(cluster))
    if changes:
        audit_record(
            cluster=cluster,
            user=user,
            action="update",
            model="kkk.ExpertScore",
            object_id=str(cluster.pk),
            object_repr=f"Oceny ekspertów — {cluster}",
            changes=changes,
        )
    return rows


PANEL_FIELDS = ["successes_strategy", "knowledge_transfer", "public_policies", "pandemic"]


def panel_tracked(cluster: Cluster, panel: PanelScore | None = None) -> Tracked:
    panel = panel if panel is not None else PanelScore.objects.filter(cluster=cluster).first()
    if panel is None:
        return Tracked("kkk.PanelScore", "", {})
    return Tracked.of(panel, PANEL_FIELDS)


@transaction.atomic
def panel_score_set(
    *,
    cluster: Cluster,
    user: Any,
    scores: dict[str, int] | None,
    maxima: dict[str, int],
    expected_version: str | None = None,
) -> PanelScore | None:
    """KKK-S3: the panel's scores per area (0…max of the edition); None clears them."""
    Cluster.objects.select_for_update().get(
        pk=cluster.pk
    )  # one writer of the panel's row at a time
    existing = PanelScore.objects.select_for_update().filter(cluster=cluster).first()
    if expected_version is not None:
        ensure_current(panel_tracked(cluster, existing), expected_version)
    before = snapshot(existing, PANEL_FIELDS) if existing else {}
    if scores is None:
        if existing is not None:
            existing.delete()
            audit_record(
                cluster=cluster,
                user=user,
                action="delete",
                model="kkk.PanelScore",
                object_id=str(cluster.pk),
                object_repr=f"Ocena panelu — {cluster}",
                changes=diff(before, {}),
            )
        return None
    errors = {}
    for key, limit in maxima.items():
        value = scores.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
            errors[key] = _("A score of 0–%(max)s points.") % {"max": limit}
    unknown = set(scores) - set(maxima)
    if unknown:
        errors[sorted(unknown)[0]] = _("Unknown area of the panel's assessment.")
    if errors:
        raise ValidationError(errors)
    panel = existing or PanelScore(cluster=cluster)
    for key in maxima:
        setattr(panel, key, scores[key])
    panel.save()
    changes = diff(before, snapshot(panel, PANEL_FIELDS))
    if changes:
        audit_record(
            cluster=cluster,
            user=user,
            action="update" if existing else "create",
            instance=panel,
            object_repr=f"Ocena panelu — {cluster}",
            changes=changes,
        )
    return panel
