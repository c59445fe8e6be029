"""Writes to the Advanced Cooperation Groups. Each is one transaction with its audit row (PLT-4);
a refusal is a ValidationError naming the field and, where a statute rule decides, the rule's
own reason (klaster.rules.governance.working_groups)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from klaster.core.audit import audit_record, diff, snapshot
from klaster.core.mailbox import CLUSTER_HEADER
from klaster.core.models import Cluster
from klaster.core.say import say
from klaster.core.services import statute_profile_in_force
from klaster.core.updates import audited_update
from klaster.groups.models import (
    SPECIAL_KINDS,
    CompanyForm,
    Declaration,
    GroupArea,
    GroupContact,
    GroupKind,
    GroupMaterial,
    GroupMeeting,
    GroupPayment,
    GroupStatus,
    Opinion,
    Recipient,
    SpecialFormNotification,
    WorkingGroup,
)
from klaster.groups.selectors import board_addresses, member_ids_in_group
from klaster.members.models import Member
from klaster.rules.governance.working_groups import (
    STANDARD_AREAS,
    group_can_start,
    group_initiative,
)
from klaster.rules.message import to_json

GROUP_FIELDS = [
    "kind",
    "area",
    "name",
    "description",
    "status",
    "started_on",
    "closed_on",
    "confidential",
    "by_coordinator",
    "initiative_date",
    "board_resolution",
    "board_resolution_date",
    "company_form",
    "council_opinion",
    "council_opinion_text",
    "council_opinion_date",
    "council_recommends_for_strategy",
]
CENT = Decimal("0.01")


def _today() -> dt.date:
    return timezone.localdate()


def _not_future(name: str, day: dt.date | None, what: str) -> dt.date:
    """`what` is the thing dated, already in the reader's language (pgettext "what is dated")."""
    if day is None:
        raise ValidationError({name: _("Give the date: %(what)s.") % {"what": what}})
    if day > _today():
        raise ValidationError(
            {name: _("The date (%(what)s) cannot be in the future.") % {"what": what}}
        )
    return day


def _profile(cluster: Cluster, on: dt.date, field: str):
    profile = statute_profile_in_force(cluster, on)
    if profile is None:
        raise ValidationError(
            {
                field: _(
                    "No statute profile is in force on %(date)s; the office sets it on the Statute "
                    "page, and the groups' thresholds come from it (GZW-1, GZW-2)."
                )
                % {"date": on.isoformat()}
            }
        )
    return profile


def _active_members(cluster: Cluster, ids: Iterable[int], field: str) -> list[Member]:
    ids = list(dict.fromkeys(int(i) for i in ids))
    members = list(Member.objects.filter(cluster=cluster, pk__in=ids).order_by("name", "id"))
    if len(members) != len(ids):
        raise ValidationError({field: _("Only a member of this cluster can be an initiator.")})
    bad = [m.name for m in members if m.status != "active"]
    if bad:
        raise ValidationError(
            {
                field: _(
                    "Only a Partner or a Strategic Partner that is a member of the cluster can be "
                    "an initiator: %(names)s."
                )
                % {"names": ", ".join(bad)}
            }
        )
    return members


def _audit_create(
    group_cluster: Cluster, user: Any, instance, fields: Sequence[str], **extra
) -> None:
    audit_record(
        cluster=group_cluster,
        user=user,
        action="create",
        instance=instance,
        changes={**diff({}, snapshot(instance, fields)), **extra},
    )


# --- GZW-1: areas and new groups -------------------------------------------------------------


@transaction.atomic
def group_areas_ensure(*, cluster: Cluster, user: Any) -> list[WorkingGroup]:
    """GZW-1 (000 §14.1): the six standing areas, created for the cluster the first time they are
    asked for; the ones already there are left alone. Returns the groups created now."""
    Cluster.objects.select_for_update().get(pk=cluster.pk)
    existing = set(
        WorkingGroup.objects.filter(cluster=cluster, kind=GroupKind.AREA).values_list(
            "area", flat=True
        )
    )
    taken_names = set(WorkingGroup.objects.filter(cluster=cluster).values_list("name", flat=True))
    created = []
    for key, name in STANDARD_AREAS:
        if key in existing:
            continue
        label = name if name not in taken_names else f"{name} (GZW)"
        group = WorkingGroup.objects.create(
            cluster=cluster, kind=GroupKind.AREA, area=GroupArea(key), name=label
        )
        _audit_create(
            cluster, user, group, ["kind", "area", "name", "status"], rule=["", "GZW-1: 000 §14.1"]
        )
        created.append(group)
    return created


@transaction.atomic
def group_create(
    *,
    cluster: Cluster,
    user: Any,
    kind: str,
    name: str,
    description: str = "",
    initiator_ids: Iterable[int] = (),
    by_coordinator: bool = False,
    initiative_date: dt.date | None = None,
    board_resolution: str = "",
    board_resolution_date: dt.date | None = None,
    company_form: str = "",
    formed_on: dt.date | None = None,
    confidential: bool = False,
) -> WorkingGroup:
    """GZW-1 (000 §14.2): an additional group is created by the Board on the initiative of at
    least 5 Partners and Strategic Partners together, or of the coordinator alone; the initiative
    and the Board's resolution are recorded and a group without them is refused with the rule's
    reason. GZW-3 (000 §14.3): a project consortium or a special-purpose company is formed by its
    initiators; it is active from its formation date.

    Reading: the 5-declaration minimum of 001 "Zaawansowana współpraca" 2 is for the groups of
    §14.1–14.2; a special form (a consortium agreement, a company) is formed by its initiators,
    whose duty is to notify the coordinator and the Board (§14.4)."""
    Cluster.objects.select_for_update().get(pk=cluster.pk)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the group's name.")})
    if WorkingGroup.objects.filter(cluster=cluster, name=name).exists():
        raise ValidationError({"name": _("A group with this name already exists in the cluster.")})
    if kind == GroupKind.AREA:
        raise ValidationError(
            {
                "kind": _("The areas of §14(1) are created with the “%(button)s” button.")
                % {"button": _("Create the standing areas")}
            }
        )
    if kind not in GroupKind.values:
        raise ValidationError(
            {"kind": _("Unknown kind of group: %(kind)s.") % {"kind": repr(kind)}}
        )
    group = WorkingGroup(
        cluster=cluster,
        kind=kind,
        name=name,
        description=description or "",
        confidential=bool(confidential),
    )
    extra: dict[str, Any] = {}
    if kind == GroupKind.ADDITIONAL:
        if board_resolution_date is None or not (board_resolution or "").strip():
            raise ValidationError(
                {
                    "board_resolution": _(
                        "Another group is appointed by the Board (000 §14(2)): give the number "
                        "and the date of the Board's resolution."
                    )
                }
            )
        _not_future(
            "board_resolution_date",
            board_resolution_date,
            pgettext("what is dated", "the Board's resolution"),
        )
        initiative_date = initiative_date or board_resolution_date
        if initiative_date > board_resolution_date:
            raise ValidationError(
                {
                    "initiative_date": _(
                        "The initiative cannot be later than the Board's resolution."
                    )
                }
            )
        if by_coordinator:
            if cluster.coordinator_id is None:
                raise ValidationError(
                    {"by_coordinator": _("The cluster has no coordinator set (MEM-2).")}
                )
            initiator_ids = [cluster.coordinator_id]
        initiators = _active_members(cluster, initiator_ids, "initiators")
        profile = _profile(cluster, board_resolution_date, "board_resolution_date")
        check = group_initiative(
            profile, [str(m.pk) for m in initiators], by_coordinator=bool(by_coordinator)
        )
        if not check.ok:
            raise ValidationError({"initiators": say(check.with_rule)})
        group.by_coordinator = bool(by_coordinator)
        group.initiative_date = initiative_date
        group.board_resolution = board_resolution.strip()
        group.board_resolution_date = board_resolution_date
        extra["rule"] = ["", to_json(check.with_rule)]
    else:  # special forms, GZW-3
        initiators = _active_members(cluster, initiator_ids, "initiators")
        if not initiators:
            raise ValidationError(
                {
                    "initiators": _(
                        "Name the initiators (000 §14(4): they notify the Coordinator and the "
                        "Board)."
                    )
                }
            )
        _not_future("formed_on", formed_on, pgettext("what is dated", "the formation"))
        if kind == GroupKind.SPECIAL_PURPOSE:
            if company_form not in CompanyForm.values:
                raise ValidationError(
                    {"company_form": _("Choose the company's form: spin-off, spin-out or other.")}
                )
            group.company_form = company_form
        group.status = GroupStatus.ACTIVE
        group.started_on = formed_on
    group.full_clean(exclude=["cluster", "initiators"])
    group.save()
    group.initiators.set(initiators)
    _audit_create(
        cluster, user, group, GROUP_FIELDS, initiators=[[], [m.name for m in initiators]], **extra
    )
    return group


# --- GZW-2: declarations, start, extra payments ----------------------------------------------


def _lock(group: WorkingGroup) -> WorkingGroup:
    return WorkingGroup.objects.select_for_update().get(pk=group.pk)


@transaction.atomic
def declaration_add(
    *,
    group: WorkingGroup,
    member: Member,
    user: Any,
    on: dt.date,
    contact_name: str = "",
    contact_email: str = "",
) -> Declaration:
    """GZW-2: a member declares joining a group on a date. Any member may be in any number of
    groups within its dues (001 "Zaawansowana współpraca" 3)."""
    group = _lock(group)
    if member.cluster_id != group.cluster_id:
        raise ValidationError({"member": _("The member belongs to another cluster.")})
    if member.status != "active":
        # FIN-7: no participation while suspended; candidates and former members are not members.
        raise ValidationError(
            {
                "member": _("%(member)s is not an active member of the cluster now (%(status)s).")
                % {"member": member.name, "status": member.get_status_display()}
            }
        )
    if group.status == GroupStatus.CLOSED:
        raise ValidationError({"group": _("The group is closed.")})
    _not_future("on", on, pgettext("what is dated", "the declaration"))
    if member.joined and on < member.joined:
        raise ValidationError(
            {
                "on": _("A declaration cannot precede joining the cluster (%(date)s).")
                % {"date": member.joined.isoformat()}
            }
        )
    current = Declaration.objects.filter(
        group=group, member=member, withdrawn_on__isnull=True
    ).first()
    if current is not None:
        raise ValidationError(
            {
                "member": _("%(member)s already belongs to the group (declaration of %(date)s).")
                % {"member": member.name, "date": current.declared_on.isoformat()}
            }
        )
    last = Declaration.objects.filter(group=group, member=member).order_by("-withdrawn_on").first()
    if last is not None and last.withdrawn_on and on < last.withdrawn_on:
        raise ValidationError(
            {
                "on": _("A new declaration cannot precede the withdrawal of %(date)s.")
                % {"date": last.withdrawn_on.isoformat()}
            }
        )
    contact_email = (contact_email or "").strip()
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            raise ValidationError({"contact_email": _("Invalid e-mail address.")}) from None
    declaration = Declaration.objects.create(
        group=group,
        member=member,
        declared_on=on,
        contact_name=(contact_name or "").strip(),
        contact_email=contact_email,
        declared_by=user if getattr(user, "is_authenticated", False) else None,
    )
    audit_record(
        cluster=group.cluster,
        user=user,
        action="create",
        instance=declaration,
        changes=diff(
            {},
            snapshot(
                declaration,
                ["group_id", "member_id", "declared_on", "contact_name", "contact_email"],
            ),
        ),
    )
    return declaration


@transaction.atomic
def declaration_withdraw(
    *, group: WorkingGroup, member: Member, user: Any, on: dt.date
) -> Declaration:
    """GZW-2: a member withdraws from a group on a date; from that day on it is no longer in it."""
    group = _lock(group)
    declaration = (
        Declaration.objects.select_for_update()
        .filter(group=group, member=member, withdrawn_on__isnull=True)
        .first()
    )
    if declaration is None:
        raise ValidationError(
            {"member": _("%(member)s does not belong to this group.") % {"member": member.name}}
        )
    _not_future("on", on, pgettext("what is dated", "the withdrawal"))
    if on < declaration.declared_on:
        raise ValidationError(
            {
                "on": _("The withdrawal cannot precede the declaration of %(date)s.")
                % {"date": declaration.declared_on.isoformat()}
            }
        )
    by = user if getattr(user, "is_authenticated", False) else None
    return audited_update(
        declaration,
        lock=False,
        fields=["withdrawn_on"],
        editable=["withdrawn_on", "withdrawn_by"],
        changes={"withdrawn_on": on, "withdrawn_by": by},
        update_fields=["withdrawn_on", "withdrawn_by"],
        cluster=group.cluster,
        actor=user,
        action="withdraw",
        audit_unchanged=True,
    ).obj


@transaction.atomic
def group_start(*, group: WorkingGroup, user: Any, on: dt.date) -> WorkingGroup:
    """GZW-2 (001 "Zaawansowana współpraca" 2): a group starts only when at least the statute's
    number of members (5 under `evoluma`) have declared to join it and not withdrawn, counted on
    the day it starts. A refusal carries the rule's reason."""
    group = _lock(group)
    if group.kind in SPECIAL_KINDS:
        raise ValidationError(
            {"status": _("A special form operates from the day it is formed (000 §14(3)).")}
        )
    if group.status != GroupStatus.FORMING:
        raise ValidationError(
            {
                "status": _("The group already has the status: %(status)s.")
                % {"status": group.get_status_display()}
            }
        )
    _not_future("on", on, pgettext("what is dated", "the start"))
    profile = _profile(group.cluster, on, "on")
    ids = member_ids_in_group(group, on)
    check = group_can_start(profile, [str(i) for i in ids])
    if not check.ok:
        raise ValidationError({"status": say(check.with_rule)})
    fields = ["status", "started_on"]
    return audited_update(
        group,
        lock=False,
        fields=fields,
        changes={"status": GroupStatus.ACTIVE, "started_on": on},
        update_fields=fields,
        after_save=lambda g: {"rule": ["", to_json(check.with_rule)]},
        actor=user,
        action="start",
        audit_unchanged=True,
    ).obj


def _money(amount: Any) -> Decimal:
    if isinstance(amount, float):
        raise ValidationError(
            {"amount": _("The amount is given exactly (a decimal number), not as a float.")}
        )
    try:
        value = Decimal(str(amount).replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("Invalid amount.")}) from None
    if not value.is_finite() or value <= 0:
        raise ValidationError({"amount": _("The amount must be greater than zero.")})
    if value != value.quantize(CENT):
        raise ValidationError(
            {"amount": _("The amount may have at most two decimal places (grosze).")}
        )
    return value.quantize(CENT)


@transaction.atomic
def group_payment_add(
    *,
    group: WorkingGroup,
    member: Member,
    user: Any,
    amount: Any,
    paid_on: dt.date,
    purpose: str,
) -> GroupPayment:
    """GZW-2 (001 "Zaawansowana współpraca" 4): an extra payment agreed with the coordinator for
    the group's extra actions, by a member that has been in the group."""
    group = _lock(group)
    value = _money(amount)
    _not_future("paid_on", paid_on, pgettext("what is dated", "the payment"))
    if not (purpose or "").strip():
        raise ValidationError(
            {"purpose": _("Give the payment's title (which extra action of the group it is for).")}
        )
    if not Declaration.objects.filter(
        group=group, member=member, declared_on__lte=paid_on
    ).exists():
        raise ValidationError(
            {
                "member": _("%(member)s was not in the group on the day of the payment.")
                % {"member": member.name}
            }
        )
    payment = GroupPayment.objects.create(
        group=group,
        member=member,
        amount=value,
        paid_on=paid_on,
        purpose=purpose.strip(),
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _audit_create(
        group.cluster, user, payment, ["group_id", "member_id", "amount", "paid_on", "purpose"]
    )
    return payment


# --- GZW-4: meetings and materials ------------------------------------------------------------


@transaction.atomic
def group_meeting_add(
    *,
    group: WorkingGroup,
    user: Any,
    date: dt.date,
    place: str = "",
    agenda: str = "",
    summary: str = "",
    confidential: bool = True,
) -> GroupMeeting:
    """GZW-4 (001 "Poufność" 2): group meetings are confidential unless said otherwise."""
    if date is None:
        raise ValidationError({"date": _("Give the meeting's date.")})
    meeting = GroupMeeting.objects.create(
        group=group,
        date=date,
        place=place or "",
        agenda=agenda or "",
        summary=summary or "",
        confidential=bool(confidential),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _audit_create(group.cluster, user, meeting, ["group_id", "date", "place", "confidential"])
    return meeting


@transaction.atomic
def group_material_add(
    *,
    group: WorkingGroup,
    user: Any,
    title: str,
    body: str = "",
    file: Any = None,
    confidential: bool = True,
    provided_by: Member | None = None,
    meeting: GroupMeeting | None = None,
) -> GroupMaterial:
    """GZW-4: a material given to the group by a member (or the office: provided_by None);
    confidential unless its provider says otherwise."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the material's title.")})
    if meeting is not None and meeting.group_id != group.pk:
        raise ValidationError({"meeting": _("This meeting is another group's meeting.")})
    if provided_by is not None and provided_by.pk not in member_ids_in_group(group, _today()):
        raise ValidationError(
            {
                "provided_by": _("%(member)s does not belong to the group.")
                % {"member": provided_by.name}
            }
        )
    material = GroupMaterial(
        group=group,
        title=title,
        body=body or "",
        confidential=bool(confidential),
        provided_by=provided_by,
        meeting=meeting,
        added_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if file:
        material.file = file
    material.save()
    _audit_create(
        group.cluster,
        user,
        material,
        ["group_id", "title", "confidential", "provided_by_id"],
        file=["", material.file.name if material.file else ""],
    )
    return material


@transaction.atomic
def group_material_mark(*, material: GroupMaterial, user: Any, confidential: bool) -> GroupMaterial:
    """001 "Poufność" 1: the one who gave the information says whether it is confidential."""
    return audited_update(
        material,
        fields=["confidential"],
        changes={"confidential": bool(confidential)},
        update_fields=["confidential"],
        cluster=lambda m: m.group.cluster,
        actor=user,
    ).obj


# --- GZW-5: extra contacts --------------------------------------------------------------------


@transaction.atomic
def group_contact_add(
    *,
    group: WorkingGroup,
    user: Any,
    name: str,
    email: str,
    member: Member | None = None,
    role: str = "",
) -> GroupContact:
    """GZW-5 (001 "Komunikacja" 2): the office keeps each group's own contact list."""
    name, email = (name or "").strip(), (email or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the full name.")})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Invalid e-mail address.")}) from None
    if member is not None and member.cluster_id != group.cluster_id:
        raise ValidationError({"member": _("The member belongs to another cluster.")})
    if GroupContact.objects.filter(group=group, email__iexact=email).exists():
        raise ValidationError({"email": _("This address is already on the group's list.")})
    contact = GroupContact.objects.create(
        group=group, name=name, email=email, member=member, role=role or ""
    )
    _audit_create(group.cluster, user, contact, ["group_id", "name", "email", "member_id", "role"])
    return contact


@transaction.atomic
def group_contact_remove(*, contact: GroupContact, user: Any) -> None:
    contact = GroupContact.objects.select_for_update().get(pk=contact.pk)
    audit_record(
        cluster=contact.group.cluster,
        user=user,
        action="delete",
        instance=contact,
        changes=diff(snapshot(contact, ["group_id", "name", "email"]), {}),
    )
    contact.delete()


# --- GZW-3: notifications and the Council's opinion ---------------------------------------------


def _clean_addresses(addresses: Iterable[str]) -> list[str]:
    out: list[str] = []
    for raw in addresses:
        for part in str(raw).replace(";", ",").split(","):
            address = part.strip()
            if not address:
                continue
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    {"addresses": _("Invalid e-mail address: %(address)s.") % {"address": address}}
                ) from None
            if address.lower() not in {a.lower() for a in out}:
                out.append(address)
    return out


def _notification_text(group: WorkingGroup, recipient: str) -> tuple[str, str]:
    """The notification's subject and body in the cluster's language (the product's default,
    settings.LANGUAGE_CODE): it goes to the coordinator and the Board, whatever language the
    office member who sends it reads."""
    with translation.override(settings.LANGUAGE_CODE):
        kinds: dict[str, str] = {
            GroupKind.CONSORTIUM: pgettext("the formation of", "a project consortium"),
            GroupKind.SPECIAL_PURPOSE: pgettext("the formation of", "a special-purpose company"),
        }
        kind = kinds.get(group.kind, pgettext("the formation of", "a group"))
        whom = (
            pgettext("notify whom", "the Coordinator")
            if recipient == Recipient.COORDINATOR
            else pgettext("notify whom", "the Cluster Board")
        )
        initiators = ", ".join(m.name for m in group.initiators.order_by("name"))
        subject = _("[%(cluster)s] Notification of the formation of %(kind)s: %(group)s") % {
            "cluster": group.cluster.name,
            "kind": kind,
            "group": group.name,
        }
        lines = [
            _("Dear Sir or Madam,"),
            "",
            _(
                "under § 14(4) of the agreement the initiators notify %(whom)s of the formation "
                "of %(kind)s “%(group)s” within the cluster %(cluster)s."
            )
            % {"whom": whom, "kind": kind, "group": group.name, "cluster": group.cluster.name},
            "",
            _("Kind: %(kind)s") % {"kind": group.get_kind_display()}
            + (f" ({group.get_company_form_display()})" if group.company_form else ""),
            _("Formed on: %(date)s")
            % {"date": group.started_on.isoformat() if group.started_on else "—"},
            _("Initiators: %(names)s") % {"names": initiators or "—"},
        ]
        if group.description and not group.confidential:
            lines += ["", group.description]
        lines += [
            "",
            _("The Cluster Council gives its opinion on this form of cooperation (§ 14(5))."),
            "",
            pgettext("e-mail signature", "Cluster Office"),
        ]
    return subject, "\n".join(lines)


@transaction.atomic
def special_form_notify(
    *,
    group: WorkingGroup,
    user: Any,
    recipient: str,
    on: dt.date | None = None,
    addresses: Iterable[str] = (),
    send: bool = True,
    note: str = "",
) -> SpecialFormNotification:
    """GZW-3 (000 §14.4): the initiators of a special form notify the coordinator and the Board.

    With ``send`` the product sends the e-mail now (to the office's address for the coordinator,
    to the given addresses for the Board) and records it dated today; if the mail server refuses,
    nothing is recorded. Without ``send`` a notification made otherwise (a letter) is recorded
    with its date."""
    group = _lock(group)
    if group.kind not in SPECIAL_KINDS:
        raise ValidationError(
            {
                "recipient": _(
                    "A notification concerns consortia and special-purpose companies "
                    "(000 §14(3)–(4))."
                )
            }
        )
    if recipient not in Recipient.values:
        raise ValidationError(
            {"recipient": _("Unknown recipient: %(recipient)s.") % {"recipient": repr(recipient)}}
        )
    cleaned = _clean_addresses(addresses)
    if not cleaned:
        # The office's address for the coordinator; the Board's seat holders for the Board.
        if recipient == Recipient.COORDINATOR:
            cleaned = [group.cluster.contact_email] if group.cluster.contact_email else []
        else:
            cleaned = board_addresses(group.cluster, on or _today())
    if send:
        on = _today()
        if not cleaned:
            raise ValidationError(
                {
                    "addresses": (
                        _(
                            "The cluster has no office e-mail address; fill it in in the "
                            "cluster's data or give an address."
                        )
                        if recipient == Recipient.COORDINATOR
                        else _(
                            "The Board has no members with e-mail addresses in the system; give "
                            "the addresses of the Board's members."
                        )
                    )
                }
            )
    on = _not_future("on", on, pgettext("what is dated", "the notification"))
    if group.started_on and on < group.started_on:
        raise ValidationError(
            {"on": _("A notification cannot precede the formation of the special form.")}
        )
    notification = SpecialFormNotification.objects.create(
        group=group,
        recipient=recipient,
        notified_on=on,
        addresses=cleaned,
        note=(note or "").strip(),
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if send:
        subject, body = _notification_text(group, recipient)
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=cleaned,
            headers={CLUSTER_HEADER: group.cluster.slug},  # the demo mailbox files it by cluster
        )
        try:
            message.send(fail_silently=False)
        except Exception as exc:  # any SMTP or connection failure: nothing is recorded
            raise ValidationError(
                {"addresses": _("The message could not be sent: %(error)s") % {"error": exc}}
            ) from exc
        notification.sent_at = timezone.now()
        notification.save(update_fields=["sent_at"])
    audit_record(
        cluster=group.cluster,
        user=user,
        action="notify",
        instance=notification,
        changes=diff(
            {}, snapshot(notification, ["recipient", "notified_on", "addresses", "sent_at"])
        ),
    )
    return notification


@transaction.atomic
def special_form_opinion_record(
    *,
    group: WorkingGroup,
    user: Any,
    opinion: str,
    text: str,
    on: dt.date,
    recommends_for_strategy: bool = False,
) -> WorkingGroup:
    """GZW-3 (000 §14.5): the Council's opinion on a special form, and whether it recommends it
    for the next update of the cluster's strategy."""
    group = _lock(group)
    if group.kind not in SPECIAL_KINDS:
        raise ValidationError(
            {
                "opinion": _(
                    "The Council gives its opinion on consortia and special-purpose companies "
                    "(000 §14(5))."
                )
            }
        )
    if opinion not in Opinion.values:
        raise ValidationError({"opinion": _("Choose: a positive or a negative opinion.")})
    if not (text or "").strip():
        raise ValidationError({"text": _("Give the text of the Council's opinion.")})
    _not_future("on", on, pgettext("what is dated", "the Council's opinion"))
    fields = [
        "council_opinion",
        "council_opinion_text",
        "council_opinion_date",
        "council_recommends_for_strategy",
    ]
    values = {
        "council_opinion": opinion,
        "council_opinion_text": text.strip(),
        "council_opinion_date": on,
        "council_recommends_for_strategy": bool(recommends_for_strategy)
        and opinion == Opinion.POSITIVE,
    }
    return audited_update(
        group,
        lock=False,
        fields=fields,
        changes=values,
        update_fields=fields,
        actor=user,
        audit_unchanged=True,
    ).obj
