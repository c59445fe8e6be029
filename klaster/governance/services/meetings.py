"""Meetings: convening with the notice check, agenda, terms, attendance events, extraordinary GA
requests (GOV-2, GOV-7) and declarations put on the next agenda (GOV-11)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.core.audit import audit_record
from klaster.core.mailbox import CLUSTER_HEADER
from klaster.core.models import Cluster
from klaster.core.say import say
from klaster.core.services import statute_version_on
from klaster.core.smtp import smtp_send
from klaster.governance import literals
from klaster.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceEvent,
    AttendanceMode,
    Declaration,
    ExtraordinaryRequest,
    Meeting,
    Organ,
    OrganKind,
    Proxy,
    Vote,
)
from klaster.governance.selectors import (
    MeetingStatute,
    _standings,
    meeting_situation,
    meeting_statute,
    next_meeting,
    pending_agenda,
    profile_on,
    seats_on,
    version_profile,
)
from klaster.members.models import DelegatedPerson, Member
from klaster.rules import governance as rules
from klaster.rules.calendar import warsaw_date
from klaster.rules.governance._common import sentences
from klaster.rules.governance.meetings import EXTRAORDINARY_BY_ORGAN, EXTRAORDINARY_MATTERS
from klaster.rules.message import Msg, Term, to_json


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("organ", "cluster").get(pk=meeting.pk)


def meeting_statute_pin(meeting: Meeting, user: Any = None) -> MeetingStatute:
    """The meeting's statute version for a write (inside the caller's transaction). A meeting that
    has none of its own yet — created before the cluster had any — keeps from now on the version in
    force on its day, so that no later version or correction changes what is decided at it."""
    statute = meeting_statute(meeting)
    if statute.pinned:
        return statute
    if not Meeting.objects.filter(pk=meeting.pk, statute_version__isnull=True).update(
        statute_version=statute.version
    ):
        # pinned meanwhile by another write: that one holds
        meeting.refresh_from_db(fields=["statute_version"])
        return meeting_statute(meeting)
    meeting.statute_version = statute.version
    statute = MeetingStatute(statute.version, statute.profile, True)
    meeting._statute = statute  # type: ignore[attr-defined]
    audit_record(
        cluster=meeting.cluster,
        user=user,
        action="statute_pin",
        instance=meeting,
        changes={"statute_version": [None, str(statute.version)]},
    )
    return statute


@transaction.atomic
def meeting_convene(
    *,
    organ: Organ,
    user: Any,
    title: str,
    starts_at: dt.datetime,
    place: str = "",
    online_link: str = "",
    kind: str = Meeting.Kind.ORDINARY,
    chair: Any = None,
    second_term_at: dt.datetime | None = None,
    notice_sent_at: dt.datetime | None = None,
    agenda: list[str] | None = None,
    extraordinary_request: ExtraordinaryRequest | None = None,
    accept_irregular: bool = False,
) -> Meeting:
    """GOV-7: convene a meeting. The notice is checked against the profile in force on the
    meeting's day (GA: sent on or before the day minus 21); a late notice is refused, or — when the
    office says so — the meeting is marked irregular with the reason. An extraordinary GA called on
    a request must sit within a month of it and debates only what it was called for."""
    cluster = organ.cluster
    date = warsaw_date(starts_at)
    # The version in force on the meeting's day, locked until this commits: it cannot be replaced
    # in place meanwhile, and from now on it is this meeting's (a later correction is a new one).
    version = statute_version_on(cluster, date, lock=True)
    if version is None:
        raise ValidationError(
            _(
                "The cluster has no statute version in force on {date}; the office sets one on the “Statute” page."
            ).format(date=f"{date:%d.%m.%Y}")
        )
    profile = version_profile(version)
    sent = notice_sent_at or timezone.now()
    problems: list[Msg] = []
    if profile.organ(literals.organ(organ.kind)).notice_days is not None:
        notice = rules.check_notice(profile, date, sent, literals.organ(organ.kind))
        if not notice.in_time:
            problems.append(notice.message)
    if second_term_at is not None:
        quorum_rule = profile.organ(literals.organ(organ.kind)).quorum
        if quorum_rule is None or not quorum_rule.second_term:
            raise ValidationError(
                {
                    "second_term_at": _(
                        "The statute ({profile}) provides no second term for meetings of this "
                        "organ (GOV-2)."
                    ).format(profile=profile.name)
                }
            )
        if second_term_at < starts_at:
            raise ValidationError(
                {"second_term_at": _("The second term cannot come before the first.")}
            )
    if kind == Meeting.Kind.EXTRAORDINARY and organ.kind != OrganKind.GA:
        raise ValidationError(
            {"kind": _("Only the General Assembly has extraordinary meetings (GOV-7).")}
        )
    if extraordinary_request is not None:
        if not extraordinary_request.threshold_met:
            raise ValidationError(
                _("The request was not effective: {reason}").format(
                    reason=extraordinary_request.reason_words
                )
            )
        timing = rules.check_extraordinary_date(profile, extraordinary_request.received_on, date)
        if not timing.in_time:
            problems.append(timing.message)
    if problems and not accept_irregular:
        raise ValidationError(
            _("{problems} Convening refused; it may be recorded as irregular.").format(
                problems=say(sentences(*problems))
            )
        )
    meeting = Meeting.objects.create(
        cluster=cluster,
        organ=organ,
        kind=kind,
        title=title,
        date=date,
        starts_at=starts_at,
        second_term_at=second_term_at,
        place=place,
        online_link=online_link,
        chair=chair,
        status=Meeting.Status.CONVENED,
        statute_version=version,
        notice_sent_at=sent,
        irregular=bool(problems),
        irregular_msg=to_json(sentences(*problems)) if problems else {},
        extraordinary_request=extraordinary_request,
    )
    position = 0
    if extraordinary_request is not None:
        # 000 §8.7: it debates only the matters it was called for.
        position += 1
        AgendaItem.objects.create(
            organ=organ,
            meeting=meeting,
            position=position,
            title=extraordinary_request.matters[:500],
            reason_msg=to_json(Msg.of(EXTRAORDINARY_MATTERS)),
        )
    else:
        for line in agenda or []:
            if line.strip():
                position += 1
                AgendaItem.objects.create(
                    organ=organ, meeting=meeting, position=position, title=line.strip()[:500]
                )
        # GOV-5, GOV-11, GOV-12: matters waiting for this organ's next meeting.
        for item in pending_agenda(organ).order_by("created_at", "id"):
            position += 1
            item.meeting, item.position = meeting, position
            item.save(update_fields=["meeting", "position"])
    audit_record(
        cluster=cluster,
        user=user,
        action="convene",
        instance=meeting,
        changes={
            "date": [None, date.isoformat()],
            "irregular": [None, meeting.irregular_reason],
            "statute_version": [None, str(version)],
        },
    )
    return meeting


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    user: Any,
    title: str,
    description: str = "",
    kind: str = AgendaItem.Kind.ORDINARY,
    reason: Msg | None = None,
) -> AgendaItem:
    meeting = _lock(meeting)
    if meeting.extraordinary_request_id and kind == AgendaItem.Kind.ORDINARY:
        raise ValidationError(
            _(
                "An extraordinary General Assembly debates only the matters it was called for "
                "(000 §8.7, GOV-7)."
            )
        )
    if meeting.status == Meeting.Status.CLOSED:
        raise ValidationError(_("The meeting is closed."))
    last = meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem.objects.create(
        organ=meeting.organ,
        meeting=meeting,
        position=last + 1,
        kind=kind,
        title=title[:500],
        description=description,
        reason_msg=to_json(reason) if reason is not None else {},
    )
    audit_record(
        cluster=meeting.cluster, user=user, action="create", instance=item, object_repr=item.title
    )
    return item


@transaction.atomic
def meeting_open(*, meeting: Meeting, user: Any, term: int = 1) -> Meeting:
    """Open the session in its first or second term (GOV-2: 000 §8.5's second term, same day allowed)."""
    meeting = _lock(meeting)
    if meeting.status == Meeting.Status.CLOSED:
        raise ValidationError(_("The meeting is closed."))
    profile = meeting_statute_pin(meeting, user).profile
    if term == 2:
        rule = profile.organ(literals.organ(meeting.organ.kind)).quorum
        if rule is None or not rule.second_term:
            raise ValidationError(
                "Statut nie przewiduje drugiego terminu posiedzenia tego organu (GOV-2)."
            )
        if meeting.second_term_at is None:
            raise ValidationError("W zawiadomieniu nie wyznaczono drugiego terminu (GOV-2).")
    before = (meeting.status, meeting.term)
    meeting.status, meeting.term = Meeting.Status.OPEN, term
    meeting.opened_at = meeting.opened_at or timezone.now()
    meeting.save(update_fields=["status", "term", "opened_at"])
    audit_record(
        cluster=meeting.cluster,
        user=user,
        action="open",
        instance=meeting,
        changes={"status": [before[0], meeting.status], "term": [before[1], term]},
    )
    return meeting


@transaction.atomic
def meeting_close(*, meeting: Meeting, user: Any) -> Meeting:
    """Close the session and write the final attendance: every entity entitled to attend gets a row —
    present, by proxy, or absent — for the attendance duties (GOV-6). A meeting that never sat (never
    opened: called off, or no one came to open it) is closed without attendance: nobody missed a
    session that did not take place, and it has no minutes."""
    meeting = _lock(meeting)
    if meeting.status == Meeting.Status.CLOSED:
        raise ValidationError(_("The meeting is already closed."))
    if meeting.votes.filter(status=Vote.Status.OPEN).exists():
        raise ValidationError(_("Close the vote under way first."))
    now = timezone.now()
    if meeting.opened_at is None and meeting.status != Meeting.Status.OPEN:
        before = meeting.status
        meeting.status, meeting.closed_at = Meeting.Status.CLOSED, now
        meeting.save(update_fields=["status", "closed_at"])
        audit_record(
            cluster=meeting.cluster,
            user=user,
            action="close",
            instance=meeting,
            changes={"status": [before, "closed"], "sat": [None, False]},
        )
        return meeting
    meeting_statute_pin(meeting, user)
    locked = list(Attendance.objects.select_for_update().filter(meeting=meeting))
    # the situation as the meeting ends, read from the attendance rows locked above
    situation = meeting_situation(meeting, attendance=locked)
    rows = {a.member_id: a for a in locked}
    persons = _seat_persons(meeting)
    new = []
    for right in situation.roll.rights:
        mid = int(right.member_id)
        if not right.may_attend:
            continue
        mode = AttendanceMode.PROXY if mid in situation.represented else AttendanceMode.ABSENT
        if mid in rows:
            row = rows[mid]
            if row.mode in (AttendanceMode.IN_PERSON, AttendanceMode.ONLINE):
                # Checked out before the end: it attended, the events keep the times.
                continue
            if row.first_in is not None:
                row.mode = _best_mode(meeting, mid)
            else:
                row.mode = mode
            row.save(update_fields=["mode"])
        else:
            person = persons.get(mid)
            new.append(
                Attendance(
                    meeting=meeting,
                    member_id=mid,
                    mode=mode,
                    person=person,
                    person_name=person.name if person else "",
                )
            )
    Attendance.objects.bulk_create(new)
    meeting.status, meeting.closed_at = Meeting.Status.CLOSED, now
    meeting.save(update_fields=["status", "closed_at"])
    audit_record(
        cluster=meeting.cluster,
        user=user,
        action="close",
        instance=meeting,
        changes={"status": ["open", "closed"]},
    )
    return meeting


def _best_mode(meeting: Meeting, member_id: int) -> str:
    modes = set(
        AttendanceEvent.objects.filter(meeting=meeting, member_id=member_id, kind="in").values_list(
            "mode", flat=True
        )
    )
    return (
        AttendanceMode.IN_PERSON
        if AttendanceMode.IN_PERSON in modes
        else (AttendanceMode.ONLINE if modes else AttendanceMode.ABSENT)
    )


def _seat_persons(meeting: Meeting) -> dict[int, DelegatedPerson]:
    if meeting.organ.kind == OrganKind.GA:
        return {}
    return {
        s.member_id: s.person
        for s in seats_on(meeting.organ, meeting.date).select_related("person")
    }


@transaction.atomic
def attendance_check_in(
    *,
    meeting: Meeting,
    member: Member,
    user: Any,
    mode: str = AttendanceMode.IN_PERSON,
    person_name: str = "",
    at: dt.datetime | None = None,
) -> Attendance:
    """Record a check-in (time and mode). A proxy given by this member lapses (GOV-4, 001 dec. 11)."""
    if mode not in (AttendanceMode.IN_PERSON, AttendanceMode.ONLINE):
        raise ValidationError(
            {
                "mode": "Obecność odnotowuje się osobiście albo online; przez pełnomocnika — "
                "pełnomocnictwem."
            }
        )
    meeting = Meeting.objects.select_related("organ", "cluster", "statute_version").get(
        pk=meeting.pk
    )
    if meeting.status == Meeting.Status.CLOSED:
        raise ValidationError(_("The meeting is closed."))
    if member.cluster_id != meeting.cluster_id:
        raise ValidationError(_("This member does not belong to the cluster."))
    profile = meeting_statute_pin(meeting, user).profile
    standings = _standings(meeting.cluster, meeting.date, [member.pk])
    right = rules.voting_right(profile, standings[0], meeting.date) if standings else None
    if right is None or not right.may_attend:
        raise ValidationError(
            say(right.message)
            if right
            else _("The member is not a member of the cluster on the day of the meeting.")
        )
    persons = _seat_persons(meeting)
    if meeting.organ.kind != OrganKind.GA and member.pk not in persons:
        raise ValidationError(
            _("The member has no representative in this organ on the day of the meeting.")
        )
    at = at or timezone.now()
    row, _created = Attendance.objects.select_for_update().get_or_create(
        meeting=meeting, member=member
    )
    person = persons.get(member.pk)
    row.person = person
    row.person_name = person_name or (person.name if person else row.person_name)
    before = row.mode
    row.mode = mode
    row.first_in = row.first_in or at
    row.save()
    AttendanceEvent.objects.create(
        meeting=meeting,
        member=member,
        person_name=row.person_name,
        kind="in",
        mode=mode,
        at=at,
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    lapsed = []
    if profile.organ(literals.organ(meeting.organ.kind)).proxy is not None:
        lapse = rules.proxy_lapses(
            profile, literals.organ(meeting.organ.kind), literals.attendance_mode(mode)
        )
        if lapse.lapsed:
            for proxy in Proxy.objects.select_for_update().filter(
                meeting=meeting, giver=member, status=Proxy.Status.ACCEPTED
            ):
                proxy.status, proxy.code, proxy.reason_msg = (
                    Proxy.Status.LAPSED,
                    "giver_attends",
                    to_json(lapse.message),
                )
                proxy.save(update_fields=["status", "code", "reason_msg"])
                lapsed.append(proxy.pk)
    audit_record(
        cluster=meeting.cluster,
        user=user,
        action="check_in",
        instance=row,
        object_repr=f"{meeting}: {member}",
        changes={
            "mode": [before, mode],
            "at": [None, at.isoformat()],
            **({"proxies_lapsed": [None, lapsed]} if lapsed else {}),
        },
    )
    return row


@transaction.atomic
def attendance_check_out(
    *, meeting: Meeting, member: Member, user: Any, at: dt.datetime | None = None
) -> Attendance:
    try:
        row = Attendance.objects.select_for_update().get(meeting=meeting, member=member)
    except Attendance.DoesNotExist:
        raise ValidationError(_("This member was not present.")) from None
    if row.mode not in (AttendanceMode.IN_PERSON, AttendanceMode.ONLINE):
        raise ValidationError("Ten podmiot nie jest obecny.")
    at = at or timezone.now()
    AttendanceEvent.objects.create(
        meeting=meeting,
        member=member,
        person_name=row.person_name,
        kind="out",
        mode=row.mode,
        at=at,
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    before = row.mode
    row.mode, row.last_out = AttendanceMode.ABSENT, at
    row.save(update_fields=["mode", "last_out"])
    audit_record(
        cluster=meeting.cluster,
        user=user,
        action="check_out",
        instance=row,
        object_repr=f"{meeting}: {member}",
        changes={"mode": [before, row.mode], "at": [None, at.isoformat()]},
    )
    return row


@transaction.atomic
def extraordinary_request_file(
    *,
    cluster: Cluster,
    user: Any,
    source: str,
    received_on: dt.date,
    matters: str,
    requesters: list[Member] | None = None,
) -> ExtraordinaryRequest:
    """GOV-7 (000 §8.6–8.7): the Board itself or the Council's demand suffice; members' written
    request needs 1/4 of all Partners and Strategic Partners. The GA must sit within a month.
    An ineffective request is kept with the reason."""
    profile = profile_on(cluster, received_on)
    partners = sum(1 for s in _standings(cluster, received_on, None) if s.left is None)
    request = ExtraordinaryRequest.objects.create(
        cluster=cluster,
        source=source,
        received_on=received_on,
        matters=matters,
        partners_total=partners,
    )
    if source == ExtraordinaryRequest.Source.MEMBERS:
        ids = [m.pk for m in requesters or [] if m.cluster_id == cluster.pk]
        request.requesters.set(ids)
        verdict = rules.extraordinary_request(profile, [str(i) for i in ids], partners, received_on)
        request.threshold_met, request.sit_by, request.reason_msg = (
            verdict.threshold_met,
            verdict.sit_by,
            to_json(verdict.message),
        )
    else:
        sit_by = rules.extraordinary_deadline(profile, received_on)
        request.threshold_met, request.sit_by = True, sit_by
        request.reason_msg = to_json(
            Msg.of(
                EXTRAORDINARY_BY_ORGAN,
                source=Term("extraordinary_source", source),
                sit_by=sit_by,
            )
        )
    request.save()
    audit_record(
        cluster=cluster,
        user=user,
        action="create",
        instance=request,
        object_repr=f"Wniosek o NWZ {received_on.isoformat()}",
        changes={"reason": [None, request.reason_msg]},
    )
    return request


def declaration_file(
    *, organ: Organ, user: Any, person: DelegatedPerson, kind: str, text: str, declared_on: dt.date
) -> Declaration:
    """GOV-11 (001 dec. 8–9): a Council or Board member's declaration is recorded, put on the
    organ's next meeting's agenda (or waits for it), and sent by e-mail to the coordinator's office
    and the organ's chair. A failed sending keeps the declaration, marked "not sent" with the error;
    `declaration_send` tries again."""
    declaration = _declaration_record(
        organ=organ, user=user, person=person, kind=kind, text=text, declared_on=declared_on
    )
    return declaration_send(declaration=declaration, user=user)


def declaration_recipients(declaration: Declaration) -> list[str]:
    """The coordinator's office (the cluster's contact e-mail) and the chair of the organ on the day
    of the declaration (the e-mail of the delegated person holding the chairing seat)."""
    organ = declaration.organ
    out = [organ.cluster.contact_email] if organ.cluster.contact_email else []
    out += [
        e
        for e in seats_on(organ, declaration.declared_on)
        .filter(chairs=True)
        .values_list("person__email", flat=True)
        if e
    ]
    return list(dict.fromkeys(out))


def declaration_send(*, declaration: Declaration, user: Any) -> Declaration:
    """Send (or send again) a declaration to the coordinator and the chair through SMTP."""
    declaration = Declaration.objects.select_related(
        "organ__cluster", "person__member", "agenda_item"
    ).get(pk=declaration.pk)
    recipients = declaration_recipients(declaration)
    organ_name = declaration.organ.get_kind_display()
    if recipients:
        body = (
            f"Oświadczenie członka organu: {organ_name}\n"
            f"Osoba: {declaration.person.name} ({declaration.person.member.name})\n"
            f"Rodzaj: {declaration.get_kind_display()}\n"
            f"Złożone: {declaration.declared_on:%d.%m.%Y}\n\n{declaration.text}\n\n"
            f"{declaration.agenda_item.reason_words if declaration.agenda_item else ''}\n"
        )
        message = EmailMessage(
            f"Oświadczenie: {declaration.person.name} — {declaration.get_kind_display()}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            recipients,
            headers={CLUSTER_HEADER: declaration.organ.cluster.slug},  # the demo mailbox's filing
        )
        sent, error = smtp_send([message])
        if not error and not sent:
            error = _("The SMTP server did not accept the message.")
    else:
        error = _(
            "No address: the cluster has no office e-mail address and the organ's chair has no "
            "e-mail address."
        )
    with transaction.atomic():
        declaration = (
            Declaration.objects.select_for_update()
            .select_related("organ__cluster")
            .get(pk=declaration.pk)
        )
        declaration.recipients, declaration.send_error = recipients, error
        if not error:
            declaration.sent_at = timezone.now()
        declaration.save(update_fields=["recipients", "send_error", "sent_at"])
        audit_record(
            cluster=declaration.organ.cluster,
            user=user,
            action="declaration_send",
            instance=declaration,
            object_repr=str(declaration.person),
            changes={"recipients": [None, ", ".join(recipients)], "error": [None, error]},
        )
    return declaration


@transaction.atomic
def _declaration_record(
    *, organ: Organ, user: Any, person: DelegatedPerson, kind: str, text: str, declared_on: dt.date
) -> Declaration:
    """GOV-11: a Council or Board member's declaration goes to the coordinator and the chair and onto
    the organ's next meeting's agenda (or waits for it)."""
    if organ.kind not in ("council", "board"):
        raise ValidationError(
            _("Declarations are made by members of the Council or the Board (GOV-11).")
        )
    if not seats_on(organ, declared_on).filter(person=person).exists():
        raise ValidationError(
            {"person": _("{person} does not sit on this organ.").format(person=person)}
        )
    upcoming = list(
        Meeting.objects.filter(organ=organ, date__gt=declared_on)
        .exclude(status=Meeting.Status.CLOSED)
        .values_list("date", flat=True)
    )
    placement = rules.declaration_agenda(literals.organ(organ.kind), declared_on, upcoming)
    meeting = next_meeting(organ, declared_on) if placement.meeting_date else None
    position = (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1 if meeting else 0
    item = AgendaItem.objects.create(
        organ=organ,
        meeting=meeting,
        position=position,
        kind=AgendaItem.Kind.DECLARATION,
        title=f"Oświadczenie: {person.name} — {dict(Declaration.Kind.choices)[kind]}",
        description=text,
        reason_msg=to_json(placement.message),
    )
    declaration = Declaration.objects.create(
        organ=organ,
        person=person,
        kind=kind,
        text=text,
        declared_on=declared_on,
        agenda_item=item,
        filed_by=user if getattr(user, "pk", None) else None,
    )
    audit_record(
        cluster=organ.cluster,
        user=user,
        action="create",
        instance=declaration,
        object_repr=f"{person}: {declaration.get_kind_display()}",
        changes={"agenda": [None, to_json(placement.message)]},
    )
    return declaration
