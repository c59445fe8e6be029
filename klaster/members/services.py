"""Writes to the member registry. Each one is a single transaction with its audit rows (PLT-4)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.core.audit import audit_record, diff, snapshot
from klaster.core.concurrency import StaleEdit, edit_version, ensure_fresh
from klaster.core.models import AuditLog, Cluster, SpecialisationClassification, StartKind
from klaster.core.updates import audited_update
from klaster.members import geocoding, normalise, personal_data, selectors, signals
from klaster.members.models import (
    ENTERPRISE_TYPES,
    Category,
    DelegatedPerson,
    IndependenceLink,
    LegalHold,
    Member,
    MembershipEvent,
    MemberYear,
    NotificationEmail,
    ScienceSubunit,
    StatisticsRound,
)
from klaster.rules import identifiers, pkd
from klaster.rules.membership import MembershipEvent as RuleEvent
from klaster.rules.membership import check_transition, state_on

SUBUNIT_FIELDS = ["name", "category"]
YEAR_FIELDS = ["revenue", "export_revenue", "rd_expenditure", "fte"]
MAX_DELEGATES = 5  # 001 "Zasady współpracy" 1 (MEM-7)
MAX_NOTIFICATION_EMAILS = 5  # 001 "Komunikacja" 1 (MEM-7)

MEMBER_FIELDS = [
    "name",
    "type",
    "category",
    "nip",
    "regon",
    "krs",
    "website",
    "street",
    "postal_code",
    "city",
    "lat",
    "lon",
    "location_given",
    "distance_km",
    "distance_override_km",
    "location_note",
    "independent",
    "science_category",
    "industry40",
    "certificates",
    "pkd_codes",
    "honorary",
    "branch_revenue",
]
# MEM-5: the category and the honorary title change only by a dated membership event that names
# the resolution (000 §8.2.6); member_update refuses to overwrite them.
EVENT_ONLY_FIELDS = {"category": "category", "honorary": "honorary_granted / honorary_withdrawn"}
TITLE_KINDS = frozenset(
    {
        MembershipEvent.Kind.CATEGORY,
        MembershipEvent.Kind.HONORARY_GRANTED,
        MembershipEvent.Kind.HONORARY_WITHDRAWN,
    }
)
# A member's fields that are a cache of its membership events (MEM-5, MEM-6).
CACHED_FROM_EVENTS = ["status", "joined", "left", "category", "honorary"]


def validate_identifiers(data: dict[str, Any]) -> dict[str, str]:
    """MEM-4: NIP, REGON, KRS by their check digits, MEM-9: the postal code NN-NNN — those of
    them in ``data``, by the one normaliser every door uses; returns the normalised values."""
    return normalise.clean_fields(data)


def validate_pkd_codes(codes: Any) -> list[str]:
    """MEM-3 / MEM-10: a member's PKD codes, normalised (``6201Z`` → ``62.01.Z``), each checked."""
    out: list[str] = []
    bad: list[str] = []
    for code in codes or []:
        if not str(code).strip():
            continue
        try:
            out.append(pkd.normalise_pkd(str(code)))
        except pkd.PkdError as exc:
            bad.append(str(exc))
    if bad:
        raise ValidationError({"pkd_codes": "; ".join(bad)})
    return list(dict.fromkeys(out))


@transaction.atomic
def member_update(
    *, member: Member, user: Any, data: dict[str, Any], expected_version: str | None = None
) -> Member:
    """Change a member's registry fields; re-places its seat when the address changes (MEM-9).
    ``expected_version``: the version the form or the API client saw (klaster.core.concurrency);
    a save made from a stale form is refused with who changed what meanwhile."""
    updated = audited_update(
        member,
        fields=MEMBER_FIELDS,
        expected_version=expected_version,
        apply=lambda locked: _apply_member_data(locked, data),
        clean_exclude=["cluster"],
        actor=user,
    )
    member, changes = updated.obj, updated.changes
    if member.cluster.coordinator_id == member.pk and {"lat", "lon"} & changes.keys():
        geocoding.recompute_distances(member.cluster)
    return member


def _apply_member_data(member: Member, data: dict[str, Any]) -> None:
    """`member_update`'s changes on the locked member: identifiers and PKD codes normalised, the
    fields only an event changes refused (MEM-5), the seat placed again after an address change."""
    if {"nip", "regon", "krs"} & data.keys():
        data = {
            **data,
            **validate_identifiers(
                {k: data.get(k, getattr(member, k)) for k in ("nip", "regon", "krs")}
            ),
        }
    if "postal_code" in data:
        data = {**data, **validate_identifiers({"postal_code": data["postal_code"]})}
    if "pkd_codes" in data:
        data = {**data, "pkd_codes": validate_pkd_codes(data["pkd_codes"])}
    address_changed = any(
        k in data and data[k] != getattr(member, k) for k in ("postal_code", "city", "street")
    )
    for key, value in data.items():
        if key not in MEMBER_FIELDS:
            raise ValidationError({key: _("This field cannot be changed.")})
        if key in EVENT_ONLY_FIELDS and value != getattr(member, key):
            raise ValidationError(
                {
                    key: _(
                        "This change is recorded as a membership event (%(kinds)s) with the "
                        "number of the resolution (MEM-5)."
                    )
                    % {"kinds": EVENT_ONLY_FIELDS[key]}
                }
            )
        setattr(member, key, value)
    if address_changed and not member.location_given:
        member.lat = member.lon = None
    geocoding.place_member(member)


def _check_title_event(
    member: Member, *, kind: str, date: dt.date, document: str, category: str
) -> None:
    """MEM-5: a category change (Partner ↔ Strategic Partner) or an honorary title granted or
    withdrawn by the General Assembly (000 §8.2.6) is a dated event naming the resolution."""
    if kind not in TITLE_KINDS:
        if category:
            raise ValidationError(
                {"category": _("A new category is given only with a change of category.")}
            )
        return
    if not document.strip():
        raise ValidationError(
            {
                "document": _(
                    "Give the resolution under which the category or the honorary membership "
                    "changes (e.g. General Assembly resolution no. 5/2024)."
                )
            }
        )
    same_kind = (
        [MembershipEvent.Kind.CATEGORY]
        if kind == MembershipEvent.Kind.CATEGORY
        else [MembershipEvent.Kind.HONORARY_GRANTED, MembershipEvent.Kind.HONORARY_WITHDRAWN]
    )
    last = member.events.filter(kind__in=same_kind).order_by("-date", "-id").first()
    if last is not None and last.date > date:
        raise ValidationError(
            {
                "date": _("The last such change is dated %(date)s; a new one cannot precede it.")
                % {"date": last.date.isoformat()}
            }
        )
    if kind == MembershipEvent.Kind.CATEGORY:
        if category not in Category.values:
            raise ValidationError(
                {"category": _("Choose the new category: Partner or Strategic Partner.")}
            )
        current = last.category if last is not None else member.category
        if category == current:
            raise ValidationError({"category": _("The member already has this category.")})
    else:
        honorary = (
            (last.kind == MembershipEvent.Kind.HONORARY_GRANTED)
            if last is not None
            else member.honorary
        )
        if kind == MembershipEvent.Kind.HONORARY_GRANTED and honorary:
            raise ValidationError({"kind": _("The member already holds honorary membership.")})
        if kind == MembershipEvent.Kind.HONORARY_WITHDRAWN and not honorary:
            raise ValidationError({"kind": _("The member does not hold honorary membership.")})


@transaction.atomic
def member_event_add(
    *,
    member: Member,
    user: Any,
    kind: str,
    date: dt.date,
    note: str = "",
    document: str = "",
    category: str = "",
) -> MembershipEvent:
    """MEM-6: add a dated event; the cached status, joined and left follow the replayed history.

    MEM-5: ``kind="category"`` (with ``category``, the new one) and the honorary kinds need the
    resolution in ``document``; the cached category and title follow the events in force today."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    history = [RuleEvent(kind=e.kind, date=e.date, seq=e.pk) for e in member.events.all()]
    later = [e for e in history if e.date > date]
    if later and kind in {
        "admitted",
        "resigned",
        "struck_off",
        "excluded",
        "suspended",
        "resumed",
        "returned",
        "candidate",
    }:
        raise ValidationError(
            {
                "date": _(
                    "There are membership events after this date already; a new event must be "
                    "the latest."
                )
            }
        )
    problem = check_transition(state_on(history).status, kind)
    if problem:
        raise ValidationError({"kind": problem})
    _check_title_event(member, kind=kind, date=date, document=document, category=category)
    event = MembershipEvent.objects.create(
        member=member, kind=kind, date=date, note=note, document=document, category=category
    )
    before = snapshot(member, CACHED_FROM_EVENTS)
    _refresh_status(member)
    member.save(update_fields=CACHED_FROM_EVENTS)
    label = f"{event.get_kind_display()} {date.isoformat()}"
    if category:
        label += f": {event.get_category_display()}"
    changes: dict[str, Any] = {
        "event": [None, label],
        **diff(before, snapshot(member, CACHED_FROM_EVENTS)),
    }
    if document:
        changes["document"] = [None, document]
    audit_record(
        cluster=member.cluster, user=user, action=f"event:{kind}", instance=member, changes=changes
    )
    return event


def _refresh_status(member: Member, today: dt.date | None = None) -> None:
    events = list(member.events.all())
    history = [RuleEvent(kind=e.kind, date=e.date, seq=e.pk) for e in events]
    today = today or timezone.localdate()
    state = state_on(history, today)
    future = state_on(history)
    member.status = {
        "active": "active",
        "suspended": "suspended",
        "former": "former",
        "candidate": "candidate",
        None: "candidate",
    }[state.status]
    member.joined = future.joined
    member.left = future.left
    # MEM-5: the latest category change and honorary event in force today; without any, the
    # category the member was registered with stays.
    in_force = sorted((e for e in events if e.date <= today), key=lambda e: (e.date, e.pk))
    for e in in_force:
        if e.kind == MembershipEvent.Kind.CATEGORY and e.category:
            member.category = e.category
        elif e.kind == MembershipEvent.Kind.HONORARY_GRANTED:
            member.honorary = True
        elif e.kind == MembershipEvent.Kind.HONORARY_WITHDRAWN:
            member.honorary = False


def statuses_bring_up_to_date(cluster: Cluster, today: dt.date | None = None) -> int:
    """MEM-6: members' cached status, category and title follow events dated after they were
    recorded (a resignation effective at the year's end, a suspension from the 1st …).

    Runs at most once a day per cluster, from the background worker's daily job
    (:mod:`klaster.members.jobs`, `klaster worker`) and from ``klaster refresh-statuses`` — never
    from a page (reads never write). Each change is audited as the system's. Returns the number
    of members whose cached fields changed."""
    today = today or timezone.localdate()
    if cluster.statuses_as_of is not None and cluster.statuses_as_of >= today:
        return 0
    changed = 0
    with transaction.atomic():
        locked = Cluster.objects.select_for_update().only("pk", "statuses_as_of").get(pk=cluster.pk)
        since = locked.statuses_as_of
        if since is not None and since >= today:
            cluster.statuses_as_of = since
            return 0
        due = MembershipEvent.objects.filter(member__cluster=cluster, date__lte=today)
        if since is not None:
            due = due.filter(date__gt=since)
        member_ids = sorted(set(due.values_list("member_id", flat=True)))
        due_members = Member.objects.select_for_update().filter(pk__in=member_ids).order_by("pk")
        for member in due_members.prefetch_related("events"):
            before = snapshot(member, CACHED_FROM_EVENTS)
            _refresh_status(member, today)
            after = snapshot(member, CACHED_FROM_EVENTS)
            if after == before:
                continue
            member.save(update_fields=CACHED_FROM_EVENTS)
            audit_record(
                cluster=cluster,
                user=None,
                action="status:in_force",
                instance=member,
                changes={"in_force_on": [None, today.isoformat()], **diff(before, after)},
                source="system",
            )
            changed += 1
        Cluster.objects.filter(pk=cluster.pk).update(statuses_as_of=today)
    cluster.statuses_as_of = today
    return changed


@transaction.atomic
def delegate_save(
    *, member: Member, user: Any, data: dict[str, Any], delegate: DelegatedPerson | None = None
) -> DelegatedPerson:
    """MEM-7: at most five delegated persons per member; MEM-8: a link end is recorded, not deleted."""
    Member.objects.select_for_update().get(pk=member.pk)
    if delegate is None:
        if member.delegates.filter(link_ended__isnull=True).count() >= MAX_DELEGATES:
            raise ValidationError(
                {
                    "name": _("A member may name at most %(max)s delegated persons.")
                    % {"max": MAX_DELEGATES}
                }
            )
        delegate = DelegatedPerson(member=member)
        before: dict[str, Any] = {}
    else:
        before = snapshot(
            delegate, ["name", "email", "phone", "position", "to_general_assembly", "link_ended"]
        )
    ending = bool(data.get("link_ended")) and delegate.link_ended is None
    for key, value in data.items():
        setattr(delegate, key, value)
    if ending:
        _check_link_end(delegate.link_ended)
    delegate.full_clean(exclude=["member"])
    delegate.save()
    active = member.delegates.filter(link_ended__isnull=True)
    if active.exists() and not active.filter(to_general_assembly=True).exists():
        raise ValidationError(
            {
                "to_general_assembly": _(
                    "At least one person must be delegated to the General Assembly."
                )
            }
        )
    audit_record(
        cluster=member.cluster,
        user=user,
        action="update" if before else "create",
        instance=delegate,
        object_repr=f"{member}: {delegate}",
        changes=diff(
            before,
            snapshot(
                delegate,
                ["name", "email", "phone", "position", "to_general_assembly", "link_ended"],
            ),
        ),
    )
    if ending:
        signals.delegate_link_ended.send(
            sender=DelegatedPerson, person=delegate, ended=delegate.link_ended, user=user
        )
    return delegate


def _check_link_end(ended: dt.date | None) -> None:
    if ended is None:
        raise ValidationError({"link_ended": _("Give the date the link ended.")})
    if ended > timezone.localdate():
        raise ValidationError(
            {
                "link_ended": _(
                    "A link's end is recorded once it has happened (the date is in the future)."
                )
            }
        )


def _check_reported(reported: dt.date | None) -> None:
    if reported is None:
        raise ValidationError(
            {"link_end_reported": _("Give the date it was reported to the coordinator.")}
        )
    if reported > timezone.localdate():
        raise ValidationError({"link_end_reported": _("The report date cannot be in the future.")})


@transaction.atomic
def delegate_link_end(
    *, delegate: DelegatedPerson, user: Any, ended: dt.date, reported: dt.date | None = None
) -> DelegatedPerson:
    """MEM-8: record that the person's link with the member they represent ended on ``ended``.

    The person stays on record (never deleted) and stops counting among the member's 1–5
    delegated persons (MEM-7). ``reported`` is the day the person's notice reached the
    coordinator (001 "Podejmowanie decyzji" 7), when the office already has it.

    The end is recorded even when it leaves the member with nobody delegated to the General
    Assembly: the fact happened; the member's page then warns (MEM-7) instead of refusing.

    Hook for the governance app: ending the person's seats in organs belongs here. It is
    done by a receiver of ``klaster.members.signals.delegate_link_ended``, sent below inside
    this transaction (a receiver that fails undoes the whole link end). Governance may
    instead extend this function directly, e.g. ``organ_seats_end(person=..., on=ended)``.
    """

    def refuse(locked: DelegatedPerson) -> None:
        if locked.link_ended is not None:
            raise ValidationError(
                {
                    "link_ended": _("The link's end is already recorded (%(date)s).")
                    % {"date": locked.link_ended}
                }
            )
        _check_link_end(ended)
        if reported is not None:
            _check_reported(reported)

    fields = ["link_ended", "link_end_reported"]
    delegate = audited_update(
        _delegates(),
        delegate.pk,
        fields=fields,
        apply=refuse,
        changes={"link_ended": ended, "link_end_reported": reported},
        update_fields=fields,
        **_delegate_audit(user, "link_end"),
    ).obj
    signals.delegate_link_ended.send(
        sender=DelegatedPerson, person=delegate, ended=ended, user=user
    )
    return delegate


def _delegates() -> models.QuerySet[DelegatedPerson]:
    """A delegated person's row with its member and cluster (locked together)."""
    return DelegatedPerson.objects.select_related("member__cluster")


def _delegate_audit(user: Any, action: str) -> dict[str, Any]:
    """A delegated person's audit row: under its member's cluster and name, written for every save."""
    return {
        "actor": user,
        "action": action,
        "cluster": lambda d: d.member.cluster,
        "object_repr": lambda d: f"{d.member}: {d}",
        "audit_unchanged": True,
    }


@transaction.atomic
def delegate_link_end_reported(
    *, delegate: DelegatedPerson, user: Any, reported: dt.date
) -> DelegatedPerson:
    """MEM-8: the person's notice of the link's end reached the coordinator on ``reported``;
    the office's reminder for it goes away."""

    def refuse(locked: DelegatedPerson) -> None:
        if locked.link_ended is None:
            raise ValidationError({"link_end_reported": _("Record the date the link ended first.")})
        _check_reported(reported)

    fields = ["link_end_reported"]
    return audited_update(
        _delegates(),
        delegate.pk,
        fields=fields,
        apply=refuse,
        changes={"link_end_reported": reported},
        update_fields=fields,
        **_delegate_audit(user, "update"),
    ).obj


@transaction.atomic
def notification_email_add(*, member: Member, user: Any, email: str) -> NotificationEmail:
    Member.objects.select_for_update().get(pk=member.pk)
    if member.notification_emails.count() >= MAX_NOTIFICATION_EMAILS:
        raise ValidationError(
            {
                "email": _("At most %(max)s notification addresses may be given.")
                % {"max": MAX_NOTIFICATION_EMAILS}
            }
        )
    if member.notification_emails.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("This address is already on the list.")})
    row = NotificationEmail(member=member, email=email)
    row.full_clean(exclude=["member"])
    row.save()
    audit_record(
        cluster=member.cluster,
        user=user,
        action="create",
        instance=row,
        object_repr=f"{member}: {email}",
        changes={"email": [None, email]},
    )
    return row


@transaction.atomic
def notification_email_remove(*, member: Member, user: Any, email_id: int) -> None:
    row = member.notification_emails.get(pk=email_id)
    if member.notification_emails.count() <= 1:
        raise ValidationError({"email": _("A member must have at least one notification address.")})
    audit_record(
        cluster=member.cluster,
        user=user,
        action="delete",
        instance=row,
        object_repr=f"{member}: {row.email}",
        changes={"email": [row.email, None]},
    )
    row.delete()


@transaction.atomic
def member_year_set(
    *,
    member: Member,
    user: Any,
    year: int,
    values: dict[str, Decimal | None],
    expected_versions: dict[str, str] | None = None,
) -> MemberYear:
    """MEM-12: a member's figures for one fiscal year (entered by the member in the portal or by the office).
    ``expected_versions``: the versions of the years the page showed (year → version); figures
    for a year somebody else entered or changed after the page was shown are refused."""
    Member.objects.select_for_update().get(pk=member.pk)  # one writer of a member's years at a time
    row, created = MemberYear.objects.select_for_update().get_or_create(member=member, year=year)
    fields = YEAR_FIELDS
    if expected_versions is not None:
        seen = expected_versions.get(str(year))
        if created and seen is not None:
            raise StaleEdit(
                [], edit_version(row, fields)
            )  # shown, then removed: nothing to compare
        if not created:
            # a year the page did not show was entered by somebody else meanwhile: compare with nothing
            ensure_fresh(row, fields, seen if seen is not None else "0.0000000000000000")
    before = {} if created else snapshot(row, fields)
    for key, value in values.items():
        if key not in fields:
            raise ValidationError({key: _("Unknown field.")})
        setattr(row, key, value)
    row.full_clean(exclude=["member"])
    row.save()
    audit_record(
        cluster=member.cluster,
        user=user,
        action="create" if created else "update",
        instance=row,
        object_repr=f"{member}: {year}",
        changes=diff(before, snapshot(row, fields)),
    )
    return row


@transaction.atomic
def subunit_save(
    *,
    member: Member,
    user: Any,
    data: dict[str, Any],
    subunit: ScienceSubunit | None = None,
    expected_version: str | None = None,
) -> ScienceSubunit:
    """MEM-3: a sub-unit of a science unit with category A or A+. It is listed on the member's
    page and never counted as a member (it has no Member row and no membership events)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.type != "science":
        raise ValidationError(
            {"name": _("Sub-units with category A/A+ are entered only for science units.")}
        )
    fields = SUBUNIT_FIELDS
    if subunit is None:
        subunit = ScienceSubunit(member=member)
        before: dict[str, Any] = {}
    else:
        subunit = ScienceSubunit.objects.select_for_update().get(pk=subunit.pk, member=member)
        ensure_fresh(subunit, fields, expected_version)
        before = snapshot(subunit, fields)
    for key in fields:
        if key in data:
            setattr(subunit, key, (data[key] or "").strip())
    subunit.full_clean(exclude=["member"])
    if member.subunits.filter(name__iexact=subunit.name).exclude(pk=subunit.pk).exists():
        raise ValidationError({"name": _("This sub-unit is already on the list.")})
    subunit.save()
    changes = diff(before, snapshot(subunit, fields))
    if changes:
        audit_record(
            cluster=member.cluster,
            user=user,
            action="update" if before else "create",
            instance=subunit,
            object_repr=f"{member}: {subunit}",
            changes=changes,
        )
    return subunit


@transaction.atomic
def subunit_remove(*, subunit: ScienceSubunit, user: Any) -> None:
    member = subunit.member
    audit_record(
        cluster=member.cluster,
        user=user,
        action="delete",
        instance=subunit,
        object_repr=f"{member}: {subunit}",
        changes=diff(snapshot(subunit, ["name", "category"]), {}),
    )
    subunit.delete()


@transaction.atomic
def independence_link_add(
    *,
    member: Member,
    user: Any,
    other: Member,
    kind: str,
    since: dt.date | None = None,
    note: str = "",
) -> IndependenceLink:
    """MEM-11: two member enterprises are partner or linked enterprises (Annex I to Reg. 651/2014).

    A link is one row whichever side it was entered from; both members' pages show it."""
    # Lock both members in a fixed order (STYLE: locks in a fixed order) so two offices
    # entering the same pair from both ends cannot both pass the duplicate check.
    locked = {
        m.pk: m
        for m in Member.objects.select_for_update()
        .filter(pk__in=[member.pk, other.pk])
        .order_by("pk")
    }
    if other.pk == member.pk:
        raise ValidationError({"other": _("An enterprise cannot be linked with itself.")})
    if len(locked) != 2 or locked[other.pk].cluster_id != locked[member.pk].cluster_id:
        raise ValidationError(
            {"other": _("A link is recorded only between members of the same cluster.")}
        )
    member, other = locked[member.pk], locked[other.pk]
    not_enterprises = [m.name for m in (member, other) if m.type not in ENTERPRISE_TYPES]
    if not_enterprises:
        raise ValidationError(
            {
                "other": _(
                    "Partner and linked enterprise links concern enterprises only: %(names)s."
                )
                % {"names": ", ".join(not_enterprises)}
            }
        )
    if kind not in IndependenceLink.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of link: partner or linked.")})
    if IndependenceLink.objects.filter(
        models.Q(member=member, other=other) | models.Q(member=other, other=member)
    ).exists():
        raise ValidationError(
            {"other": _("The link between these enterprises is already recorded.")}
        )
    link = IndependenceLink(member=member, other=other, kind=kind, since=since, note=note)
    link.full_clean(exclude=["member", "other"])
    link.save()
    audit_record(
        cluster=member.cluster,
        user=user,
        action="create",
        instance=link,
        object_repr=f"{member} ↔ {other}",
        changes=diff({}, snapshot(link, ["kind", "since", "note"])),
    )
    return link


@transaction.atomic
def independence_link_remove(*, link: IndependenceLink, user: Any) -> None:
    audit_record(
        cluster=link.member.cluster,
        user=user,
        action="delete",
        instance=link,
        object_repr=f"{link.member} ↔ {link.other}",
        changes=diff(snapshot(link, ["kind", "since", "note"]), {}),
    )
    link.delete()


# --- MEM-12: a person's data under RODO ---


def _scrub(value: Any, needles: list[str]) -> Any:
    """Replace every occurrence of the person's names, e-mails and phones (any case)."""
    if isinstance(value, str):
        for needle in needles:
            value = re.sub(re.escape(needle), personal_data.ERASED, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list | tuple):
        return [_scrub(v, needles) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, needles) for k, v in value.items()}
    return value


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


@transaction.atomic
def person_data_export(*, person: DelegatedPerson, user: Any) -> dict[str, Any]:
    """MEM-12 (RODO art. 15, 20): everything the registry holds about a person, as plain JSON —
    the person's records, the notification addresses that are their e-mail, legal holds and the
    audit entries naming them. The export itself is audited, without the person's data."""
    data = selectors.person_data(person)
    cluster = person.member.cluster
    out = {
        "format": "klaster-person-data/1",
        "generated_at": timezone.now().isoformat(),
        "cluster": cluster.name,
        "delegated_person_records": [
            {
                "id": r.pk,
                "member": r.member.name,
                **{f: getattr(r, f) for f in selectors.PERSONAL_FIELDS},
                "to_general_assembly": r.to_general_assembly,
                "link_ended": _iso(r.link_ended),
                "link_end_reported": _iso(r.link_end_reported),
                "erased": _iso(r.erased),
            }
            for r in data.records
        ],
        "notification_emails": [{"member": e.member.name, "email": e.email} for e in data.emails],
        "legal_holds": [
            {
                "reason": h.reason,
                "basis": h.basis,
                "until": _iso(h.until),
                "released": _iso(h.released),
            }
            for h in data.holds
        ],
        "audit_entries": [
            {
                "at": _iso(e.at),
                "action": e.action,
                "record_type": e.model,
                "record": e.object_repr,
                "changes": e.changes,
                "source": e.source,
            }
            for e in data.audit
        ],
        # the other modules' rows about the person, by their e-mail (klaster.members.personal_data)
        "other_modules": personal_data.export_all(cluster, _addresses(data)),
    }
    audit_record(
        cluster=cluster,
        user=user,
        action="gdpr_export",
        instance=person,
        object_repr=f"osoba #{person.pk}",
        changes={"records": [None, len(data.records)], "audit_entries": [None, len(data.audit)]},
    )
    return out


@transaction.atomic
def legal_hold_add(
    *, person: DelegatedPerson, user: Any, reason: str, basis: str, until: dt.date | None = None
) -> LegalHold:
    """MEM-12: record why the person's data must be kept for now (RODO art. 17(3))."""
    hold = LegalHold(
        person=person, reason=(reason or "").strip(), basis=(basis or "").strip(), until=until
    )
    hold.full_clean(exclude=["person"])
    if until is not None and until < timezone.localdate():
        raise ValidationError({"until": _("A hold that ends in the past holds nothing back.")})
    hold.save()
    audit_record(
        cluster=person.member.cluster,
        user=user,
        action="create",
        instance=hold,
        object_repr=f"osoba #{person.pk}: blokada usunięcia",
        changes=diff({}, snapshot(hold, ["reason", "basis", "until"])),
    )
    return hold


@transaction.atomic
def legal_hold_release(*, hold: LegalHold, user: Any) -> LegalHold:
    hold = (
        LegalHold.objects.select_for_update()
        .select_related("person__member__cluster")
        .get(pk=hold.pk)
    )
    if hold.released is not None:
        raise ValidationError({"hold": _("This hold is already released.")})
    hold.released = timezone.localdate()
    hold.save(update_fields=["released"])
    audit_record(
        cluster=hold.person.member.cluster,
        user=user,
        action="update",
        instance=hold,
        object_repr=f"osoba #{hold.person_id}: blokada usunięcia",
        changes={"released": [None, hold.released.isoformat()]},
    )
    return hold


@dataclass(frozen=True)
class Erasure:
    records: int
    notification_emails: int
    audit_entries: int
    #: rows changed in the other modules, by source (klaster.members.personal_data)
    elsewhere: dict[str, int] = dataclasses.field(default_factory=dict)


def _addresses(data: Any) -> frozenset[str]:
    return frozenset(r.email.casefold() for r in data.records if r.email)


@transaction.atomic
def person_data_erase(*, person: DelegatedPerson, user: Any) -> Erasure:
    """MEM-12 (RODO art. 17): anonymise a person on request.

    The person's name, e-mail, phone and position are replaced in every record of theirs
    (the same e-mail under another member too), the members' notification addresses that are
    their e-mail become unroutable placeholders, and every audit entry naming them is scrubbed
    — old values included — so the log keeps that something changed, not what it was. Refused
    while a legal hold stands (the refusal names it) and while the person's link is active
    (record its end first, MEM-8). The erasure is audited without the erased data."""
    today = timezone.localdate()
    person = (
        DelegatedPerson.objects.select_for_update()
        .select_related("member__cluster")
        .get(pk=person.pk)
    )
    cluster = person.member.cluster
    if person.erased is not None:
        raise ValidationError(
            {
                "person": _("This person's data was already erased on %(date)s.")
                % {"date": person.erased.isoformat()}
            }
        )
    data = selectors.person_data(person)
    records = list(
        DelegatedPerson.objects.select_for_update().filter(pk__in=[r.pk for r in data.records])
    )
    active = [r for r in records if r.link_ended is None]
    if active:
        raise ValidationError(
            {
                "person": _(
                    "The person is still delegated (%(members)s); record the link's end first "
                    "(MEM-8)."
                )
                % {"members": ", ".join(r.member.name for r in active)}
            }
        )
    standing = [h for h in data.holds if h.in_force(today)]
    if standing:
        raise ValidationError(
            {
                "person": _("The data cannot be erased while a hold stands: %(holds)s")
                % {
                    "holds": "; ".join(
                        _("%(reason)s — basis: %(basis)s, until %(until)s")
                        % {"reason": h.reason, "basis": h.basis, "until": h.until.isoformat()}
                        if h.until
                        else _("%(reason)s — basis: %(basis)s, indefinitely")
                        % {"reason": h.reason, "basis": h.basis}
                        for h in standing
                    )
                }
            }
        )
    needles = data.needles
    elsewhere = personal_data.erase_all(cluster, _addresses(data), today)
    for r in records:
        r.name, r.email, r.phone, r.position, r.erased = personal_data.ERASED, "", "", "", today
        r.save(update_fields=["name", "email", "phone", "position", "erased"])
    for e in data.emails:
        e.email = f"usunieto-{e.pk}@rodo.invalid"  # .invalid never routes (RFC 2606)
        e.save(update_fields=["email"])
    for h in data.holds:
        reason, basis = _scrub(h.reason, needles), _scrub(h.basis, needles)
        if (reason, basis) != (h.reason, h.basis):
            LegalHold.objects.filter(pk=h.pk).update(reason=reason[:300], basis=basis[:300])
    # The cluster's own contact person, when it is the same e-mail.
    if cluster.contact_email and cluster.contact_email.casefold() in {
        n.casefold() for n in needles
    }:
        Cluster.objects.filter(pk=cluster.pk).update(
            contact_name=personal_data.ERASED,
            contact_email="",
            contact_phone="",
            contact_position="",
        )
    record_ids = {str(r.pk) for r in records}
    for entry in data.audit:
        changes = _scrub(entry.changes, needles)
        if entry.model == "members.DelegatedPerson" and entry.object_id in record_ids:
            # The record's own old and new values go whole, whatever they were.
            for field in selectors.PERSONAL_FIELDS:
                if field in changes:
                    changes[field] = [personal_data.ERASED if v else v for v in changes[field]]
        AuditLog.objects.filter(pk=entry.pk).update(
            object_repr=_scrub(entry.object_repr, needles)[:300], changes=changes
        )
    result = Erasure(
        records=len(records),
        notification_emails=len(data.emails),
        audit_entries=len(data.audit),
        elsewhere=elsewhere,
    )
    audit_record(
        cluster=cluster,
        user=user,
        action="gdpr_erase",
        instance=person,
        object_repr=f"{personal_data.ERASED} #{person.pk}",
        changes={
            "fields": [None, list(selectors.PERSONAL_FIELDS)],
            "records": [None, result.records],
            "notification_emails": [None, result.notification_emails],
            "audit_entries_scrubbed": [None, result.audit_entries],
            "other_modules": [None, elsewhere],
        },
    )
    return result


# --- The cluster's own data (MEM-1, MEM-2): here, not in core, because its coordinator is a
# member and moving it moves the point every member's distance is measured from (MEM-9). ---

# MEM-1 / MEM-2: the cluster's own data the office edits (KKK application 3.1–3.9, 6).
CLUSTER_FIELDS = [
    "name",
    "website",
    "specialisation_classification",
    "specialisation_codes",
    "specialisation_description",
    "agreement_date",
    "actual_start_year",
    "actual_start_kinds",
    "actual_start_description",
    "eccp_registered",
    "coordinator",
    "coordinator_appointment",
    "contact_name",
    "contact_position",
    "contact_email",
    "contact_phone",
    "contact_address",
    "sub_account_iban",
]


def _clean_cluster_data(cluster: Cluster, data: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise what the office typed; ValidationError names each bad field."""
    out = dict(data)
    errors: dict[str, str] = {}
    unknown = sorted(set(out) - set(CLUSTER_FIELDS))
    for key in unknown:
        errors[key] = _("This field cannot be changed on this page.")
    if "sub_account_iban" in out:
        try:
            # MEM-4: a Polish IBAN or NRB, check digits included; stored as "PL" + 26 digits.
            out["sub_account_iban"] = identifiers.normalise("iban", out["sub_account_iban"])
        except identifiers.IdentifierError as exc:
            errors["sub_account_iban"] = normalise.error_text(exc)
    classification = out.get("specialisation_classification", cluster.specialisation_classification)
    if classification and classification not in SpecialisationClassification.values:
        errors["specialisation_classification"] = _("Unknown classification: %(value)s.") % {
            "value": repr(classification)
        }
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
    if (
        classification in (SpecialisationClassification.PKD, SpecialisationClassification.EKD)
        and not codes_after
    ):
        errors.setdefault(
            "specialisation_codes",
            _("Give at least one %(classification)s code.") % {"classification": classification},
        )
    if (
        classification == SpecialisationClassification.DESCRIPTION
        and not (description_after or "").strip()
    ):
        errors["specialisation_description"] = _(
            "Give a description of the specialisation (up to 150 characters)."
        )
    if "actual_start_kinds" in out:
        kinds = list(dict.fromkeys(out["actual_start_kinds"] or []))
        wrong = [k for k in kinds if k not in StartKind.values]
        if wrong:
            errors["actual_start_kinds"] = _("Unknown kind of activity: %(kinds)s.") % {
                "kinds": ", ".join(wrong)
            }
        out["actual_start_kinds"] = kinds
    if "coordinator" in out:
        coordinator = out["coordinator"]
        if coordinator is None:
            if cluster.coordinator_id is not None:
                errors["coordinator"] = _(
                    "The coordinator is a member of the cluster (MEM-2); choose it from the "
                    "list of members."
                )
        elif coordinator.cluster_id != cluster.pk:
            errors["coordinator"] = _(
                "Only a member of this cluster can be the coordinator (MEM-2)."
            )
        elif coordinator.status == "former":
            errors["coordinator"] = _(
                "A former member of the cluster cannot be the coordinator (MEM-2)."
            )
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def cluster_update(
    *, cluster: Cluster, user: Any, data: dict[str, Any], expected_version: str | None = None
) -> Cluster:
    """MEM-1 / MEM-2: change the cluster's own data. A new coordinator moves the point every
    distance is measured from, so all members' distances are recomputed (MEM-9).
    ``expected_version``: what the form showed (klaster.core.concurrency); a stale save is refused."""
    old_coordinator_id: int | None = None

    def clean(locked: Cluster) -> None:
        nonlocal old_coordinator_id
        old_coordinator_id = locked.coordinator_id
        for key, value in _clean_cluster_data(locked, data).items():
            setattr(locked, key, value)

    cluster = audited_update(
        cluster,
        fields=CLUSTER_FIELDS,
        expected_version=expected_version,
        apply=clean,
        clean_exclude=["coordinator"],
        actor=user,
    ).obj
    if cluster.coordinator_id != old_coordinator_id and cluster.coordinator is not None:
        coordinator = cluster.coordinator
        if coordinator.lat is None:
            # Never placed yet (e.g. typed in by hand): place its seat first, offline.
            geocoding.place_member(coordinator)
            coordinator.save(update_fields=["lat", "lon", "location_note", "distance_km"])
        geocoding.recompute_distances(cluster)
    return cluster


# --- the annual statistics round (MEM-12, issue 12 point 5) ------------------------------------


@transaction.atomic
def statistics_round_open(
    *, cluster: Cluster, user: Any, year: int, deadline: dt.date, today: dt.date | None = None
) -> StatisticsRound:
    """MEM-12: the office asks the members for their figures of ``year`` by ``deadline``. One round
    per year; while one is open no other is opened."""
    today = today or timezone.localdate()
    errors = {}
    if not 2000 <= year <= today.year:
        errors["year"] = _("The fiscal year must be a past or the current year.")
    if deadline < today:
        errors["deadline"] = _("The deadline cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    Cluster.objects.select_for_update().get(pk=cluster.pk)
    if StatisticsRound.objects.filter(cluster=cluster, year=year).exists():
        raise ValidationError({"year": _("A round for %(year)s exists already.") % {"year": year}})
    if StatisticsRound.objects.filter(cluster=cluster, closed_at__isnull=True).exists():
        raise ValidationError(_("Close the open round before opening another."))
    row = StatisticsRound.objects.create(
        cluster=cluster, year=year, deadline=deadline, opened_by=user
    )
    audit_record(
        cluster=cluster,
        user=user,
        action="create",
        instance=row,
        object_repr=f"Zbieranie danych statystycznych za {year}",
        changes={"deadline": [None, deadline.isoformat()]},
    )
    return row


@transaction.atomic
def statistics_round_close(*, round_: StatisticsRound, user: Any) -> StatisticsRound:
    row = StatisticsRound.objects.select_for_update().get(pk=round_.pk)
    if row.closed_at is not None:
        raise ValidationError(_("The round is closed already."))
    row.closed_at = timezone.now()
    row.save(update_fields=["closed_at"])
    audit_record(
        cluster=row.cluster,
        user=user,
        action="close",
        instance=row,
        object_repr=f"Zbieranie danych statystycznych za {row.year}",
    )
    return row
