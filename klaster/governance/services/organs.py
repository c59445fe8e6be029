"""Organs, seats and elections (GOV-8, GOV-9, GOV-10) and the MEM-8 hook ending a person's seats."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from klaster.core.audit import audit_record
from klaster.core.models import Cluster
from klaster.core.say import say
from klaster.governance import literals
from klaster.governance.models import (
    Candidacy,
    Election,
    Organ,
    OrganKind,
    PersonRelation,
    Seat,
    VotingRestriction,
)
from klaster.governance.selectors import profile_on, seats_on
from klaster.members.models import DelegatedPerson, Member
from klaster.rules import governance as rules
from klaster.rules.calendar import add_months
from klaster.rules.message import to_json

_OTHER = {"council": "board", "board": "council"}


@transaction.atomic
def organs_ensure(*, cluster: Cluster, user: Any = None) -> dict[str, Organ]:
    """The five organs of SPEC §2 exist for every cluster (created on first use)."""
    out = {}
    for kind in OrganKind.values:
        organ, created = Organ.objects.get_or_create(cluster=cluster, kind=kind)
        if created:
            audit_record(cluster=cluster, user=user, action="create", instance=organ)
        out[kind] = organ
    return out


@transaction.atomic
def person_relation_add(
    *,
    cluster: Cluster,
    user: Any,
    person: DelegatedPerson,
    other: DelegatedPerson,
    kind: str,
    note: str = "",
) -> PersonRelation:
    """GOV-10: kinship, affinity, marriage or subordination (`person` subordinate to `other`)."""
    if person.pk == other.pk:
        raise ValidationError({"other": _("A person cannot be in a relation with itself.")})
    rel = PersonRelation.objects.create(
        cluster=cluster, person=person, other=other, kind=kind, note=note
    )
    audit_record(
        cluster=cluster,
        user=user,
        action="create",
        instance=rel,
        object_repr=f"{person} — {rel.get_kind_display()} — {other}",
    )
    return rel


@transaction.atomic
def voting_restriction_add(
    *,
    member: Member,
    user: Any,
    kind: str,
    starts: dt.date,
    ends: dt.date | None = None,
    document: str = "",
) -> VotingRestriction:
    """GOV-1: a dues exemption (001 fin. 4) or a vote withdrawn by an organ (001 dec. 6)."""
    if ends is not None and ends < starts:
        raise ValidationError({"ends": _("The end of the period cannot come before its start.")})
    row = VotingRestriction.objects.create(
        member=member, kind=kind, starts=starts, ends=ends, document=document
    )
    audit_record(
        cluster=member.cluster,
        user=user,
        action="create",
        instance=row,
        object_repr=f"{member}: {row.get_kind_display()}",
    )
    return row


def _term_end(profile, organ_kind: str, start: dt.date) -> dt.date | None:
    years = getattr(profile.organ(organ_kind), "term_years", None)
    return add_months(start, 12 * years) - dt.timedelta(days=1) if years else None


def presidium_seat(organ: Organ, person: DelegatedPerson, kind: str) -> rules.PresidiumSeat:
    """GOV-9 (000 §12.1): "from the coordinator's management" is recorded as the person being a
    delegated person of the cluster's coordinator member (`Cluster.coordinator`): the coordinator
    delegates the members of its management board. A permanent seat of anyone else is refused."""
    return rules.PresidiumSeat(
        kind=kind, from_coordinator_management=person.member_id == organ.cluster.coordinator_id
    )


def presidium_seats(organ: Organ, on: dt.date) -> list[rules.PresidiumSeat]:
    coordinator_id = organ.cluster.coordinator_id
    return [
        rules.PresidiumSeat(kind=k, from_coordinator_management=m == coordinator_id)
        for k, m in seats_on(organ, on).values_list("kind", "member_id")
    ]


@transaction.atomic
def seat_add(
    *,
    organ: Organ,
    user: Any,
    person: DelegatedPerson,
    starts: dt.date,
    kind: str = Seat.Kind.ELECTED,
    seat_user: Any = None,
    chairs: bool = False,
    ends: dt.date | None = None,
    election: Election | None = None,
) -> Seat:
    """A seat for a person from `starts`; the term's end follows the profile unless given.

    Presidia (GOV-8, GOV-9): a seat beyond the profile's size is refused, and in the Board
    Presidium a rotating seat beyond its rotating ones or a permanent member not from the
    coordinator's management (see `presidium_seat`), with the rule's reason."""
    if organ.kind == OrganKind.GA:
        raise ValidationError(_("The General Assembly has no seats: all members make it up."))
    if person.member.cluster_id != organ.cluster_id:
        raise ValidationError(
            {"person": _("The person does not represent a member of this cluster.")}
        )
    if person.link_ended is not None and person.link_ended <= starts:
        raise ValidationError({"person": _("The person's link to the member has ended (MEM-8).")})
    Organ.objects.select_for_update().get(pk=organ.pk)
    if seats_on(organ, starts).filter(person=person).exists():
        raise ValidationError(
            {"person": _("{person} already sits on this organ.").format(person=person)}
        )
    profile = profile_on(organ.cluster, starts)
    if organ.kind in (OrganKind.COUNCIL_PRESIDIUM, OrganKind.BOARD_PRESIDIUM):
        check = rules.check_presidium_seat(
            profile,
            literals.presidium_organ(organ.kind),
            presidium_seats(organ, starts),
            presidium_seat(organ, person, kind),
        )
        if not check.allowed:
            raise ValidationError(say(check.message))
    seat = Seat.objects.create(
        organ=organ,
        person=person,
        member=person.member,
        user=seat_user,
        kind=kind,
        chairs=chairs,
        starts=starts,
        ends=ends or _term_end(profile, organ.kind, starts),
        election=election,
    )
    audit_record(
        cluster=organ.cluster,
        user=user,
        action="create",
        instance=seat,
        changes={"seat": [None, f"{person} ({person.member}) od {starts.isoformat()}"]},
    )
    return seat


@transaction.atomic
def seat_end(*, seat: Seat, user: Any, on: dt.date, reason: str) -> Seat:
    seat = Seat.objects.select_for_update().select_related("organ__cluster").get(pk=seat.pk)
    if seat.ended_on is not None and seat.ended_on <= on:
        return seat
    seat.ended_on, seat.end_reason = on, reason[:300]
    seat.save(update_fields=["ended_on", "end_reason"])
    audit_record(
        cluster=seat.organ.cluster,
        user=user,
        action="seat_end",
        instance=seat,
        changes={"ended_on": [None, on.isoformat()], "reason": [None, reason]},
    )
    return seat


@transaction.atomic
def seats_end_for_person(
    *,
    person: DelegatedPerson,
    user: Any,
    on: dt.date,
    reason: str = "Ustało powiązanie osoby z członkiem (MEM-8).",
) -> list[Seat]:
    """MEM-8: when a person's link to its member ends, its seats in organs end that day.

    Called by the members app when it records the end of the link; safe to call twice."""
    seats = list(
        Seat.objects.select_for_update().filter(person=person, ended_on__isnull=True).order_by("pk")
    )
    return [
        seat_end(seat=s, user=user, on=on, reason=reason)
        for s in seats
        if s.ends is None or s.ends >= on
    ]


@transaction.atomic
def election_hold(
    *,
    organ: Organ,
    user: Any,
    held_on: dt.date,
    candidates: list[tuple[DelegatedPerson, bool]],
    term_start: dt.date | None = None,
    meeting=None,
) -> Election:
    """GOV-8 / GOV-9 / GOV-10: elect persons to the Council or the Board.

    Every candidate is checked for incompatibility against who sits on the other organ on the
    election day; an incompatible one is refused with the reason and takes no seat. The elected
    must fit in the seats the member count gives (seat_count)."""
    if organ.kind in (OrganKind.COUNCIL_PRESIDIUM, OrganKind.BOARD_PRESIDIUM):
        return _presidium_election(
            organ=organ,
            user=user,
            held_on=held_on,
            candidates=candidates,
            term_start=term_start,
            meeting=meeting,
        )
    if organ.kind not in ("council", "board"):
        raise ValidationError(
            "Wybory przeprowadza się do Rady, Zarządu Klastra albo ich prezydiów."
        )
    seat_organ = literals.seat_organ(organ.kind)
    Organ.objects.select_for_update().get(pk=organ.pk)
    profile = profile_on(organ.cluster, held_on)
    start = term_start or held_on
    other = Organ.objects.filter(cluster=organ.cluster, kind=_OTHER[organ.kind]).first()
    other_ids = (
        {str(p) for p in seats_on(other, held_on).values_list("person_id", flat=True)}
        if other
        else set()
    )
    person_ids = [p.pk for p, _ in candidates] + [int(i) for i in other_ids]
    relations = [
        rules.PersonRelation(str(a), str(b), literals.relation_kind(kind))
        for a, b, kind in PersonRelation.objects.filter(cluster=organ.cluster)
        .filter(person_id__in=person_ids)
        .values_list("person_id", "other_id", "kind")
    ] + [
        rules.PersonRelation(str(a), str(b), literals.relation_kind(kind))
        for a, b, kind in PersonRelation.objects.filter(cluster=organ.cluster)
        .filter(other_id__in=person_ids)
        .values_list("person_id", "other_id", "kind")
    ]
    election = Election.objects.create(
        organ=organ,
        meeting=meeting,
        held_on=held_on,
        term_start=start,
        term_end=_term_end(profile, organ.kind, start),
        created_by=user,
    )
    from klaster.governance.selectors import _standings

    members = sum(1 for s in _standings(organ.cluster, held_on, None) if s.left is None)
    count = rules.seat_count(profile, seat_organ, members)
    held = seats_on(organ, start).filter(kind=Seat.Kind.ELECTED).count()
    eligible = []
    for person, convicted in candidates:
        verdict = rules.check_incompatibility(
            rules.Candidate(str(person.pk), person.name, convicted),
            seat_organ,
            other_ids,
            relations,
        )
        outcome = Candidacy.Outcome.ELECTED if verdict.eligible else Candidacy.Outcome.REFUSED
        Candidacy.objects.create(
            election=election,
            person=person,
            convicted_intentional_crime=convicted,
            outcome=outcome,
            reason_msg=to_json(verdict.message),
        )
        if verdict.eligible:
            eligible.append(person)
    if held + len(eligible) > count.elected:
        raise ValidationError(
            _(
                "Too many elected: {free} elected seats free, {eligible} candidates with nothing "
                "barring them. {seats}"
            ).format(
                free=max(count.elected - held, 0), eligible=len(eligible), seats=say(count.message)
            )
        )
    for person in eligible:
        seat_add(
            organ=organ,
            user=user,
            person=person,
            starts=start,
            election=election,
            ends=election.term_end,
        )
    audit_record(
        cluster=organ.cluster,
        user=user,
        action="election",
        instance=election,
        object_repr=f"{organ} {held_on.isoformat()}",
        changes={
            c.person.name: [None, c.reason_msg or c.reason]
            for c in election.candidacies.select_related("person")
        },
    )
    return election


def _presidium_election(
    *,
    organ: Organ,
    user: Any,
    held_on: dt.date,
    candidates: list[tuple[DelegatedPerson, bool]],
    term_start: dt.date | None,
    meeting,
) -> Election:
    """GOV-8 / GOV-9: elect to a presidium. Elected Board Presidium members rotate (000 §12.1: the
    permanent one is the coordinator's, recorded as a seat of kind "permanent"). A candidate who
    would exceed the presidium's size or its rotating seats is refused with the rule's reason."""
    Organ.objects.select_for_update().get(pk=organ.pk)
    profile = profile_on(organ.cluster, held_on)
    start = term_start or held_on
    kind = Seat.Kind.ROTATING if organ.kind == OrganKind.BOARD_PRESIDIUM else Seat.Kind.ELECTED
    election = Election.objects.create(
        organ=organ,
        meeting=meeting,
        held_on=held_on,
        term_start=start,
        term_end=_term_end(profile, organ.kind, start),
        created_by=user,
    )
    held = presidium_seats(organ, start)
    for person, convicted in candidates:
        new = presidium_seat(organ, person, kind)
        check = rules.check_presidium_seat(profile, literals.presidium_organ(organ.kind), held, new)
        Candidacy.objects.create(
            election=election,
            person=person,
            convicted_intentional_crime=convicted,
            outcome=Candidacy.Outcome.ELECTED if check.allowed else Candidacy.Outcome.REFUSED,
            reason_msg=to_json(check.message),
        )
        if check.allowed:
            seat_add(
                organ=organ,
                user=user,
                person=person,
                starts=start,
                kind=kind,
                election=election,
                ends=election.term_end,
            )
            held.append(new)
    audit_record(
        cluster=organ.cluster,
        user=user,
        action="election",
        instance=election,
        object_repr=f"{organ} {held_on.isoformat()}",
        changes={
            c.person.name: [None, c.reason_msg or c.reason]
            for c in election.candidacies.select_related("person")
        },
    )
    return election
