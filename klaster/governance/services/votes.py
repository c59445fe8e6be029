"""Votes, ballots and resolutions (GOV-1 … GOV-4, GOV-12).

A vote opens only with a quorum — read from the meeting's situation (`meeting_situation`) — and
keeps a snapshot of who was entitled, present and represented (proxies re-checked against both caps
at that moment). A ballot enters only through `ballot_cast`, whatever the door, its submission read
by `ballot_choices`. Each entitled member has one ballot: the unique constraint on (vote, member)
makes a second one impossible, and the locks — the members' rights rows for update in member-id
order and the vote row shared, taken by one statement — make casting and closing race-free on
PostgreSQL. The outcome comes from `resolution_outcome` with the profile's rule and is
stored with the rule and the full count under the next number of the organ's register.

A vote opens under its meeting's statute version and records it (`Vote.statute_version`) with the
numbers it applies (`snapshot["numbers"]`: quorum, majority, proxy cap); closing applies that same
version, so a correction added while the vote runs changes nothing about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klaster.core.audit import audit_record
from klaster.core.db import hot_cursor, insert_instances
from klaster.core.models import ClusterRole, Role
from klaster.core.say import say
from klaster.governance import literals
from klaster.governance.models import (
    Admission,
    AgendaItem,
    Ballot,
    Meeting,
    Organ,
    Resolution,
    Vote,
    VoteRight,
)
from klaster.governance.selectors import (
    meeting_situation,
    meeting_statute,
    version_profile,
)
from klaster.governance.services.meetings import meeting_statute_pin
from klaster.rules import governance as rules
from klaster.rules.message import to_json
from klaster.rules.statute import DECISION_ORDINARY


@transaction.atomic
def vote_open(
    *,
    meeting: Meeting,
    user: Any,
    title: str,
    decision: str = DECISION_ORDINARY,
    agenda_item: AgendaItem | None = None,
    admission: Admission | None = None,
) -> Vote:
    """Open a vote: refused without a quorum (GOV-2) with the reason; for an admission, refused
    while the candidate's file lacks anything (GOV-12)."""
    # (the statute version is read after the lock: FOR UPDATE cannot take a nullable outer join)
    meeting = (
        Meeting.objects.select_for_update().select_related("organ", "cluster").get(pk=meeting.pk)
    )
    if meeting.status != Meeting.Status.OPEN:
        raise ValidationError(_("A vote can be opened only at an open meeting."))
    if meeting.votes.filter(status=Vote.Status.OPEN).exists():
        raise ValidationError(_("Another vote is under way; close it first."))
    statute = meeting_statute_pin(meeting, user)
    profile = statute.profile
    organ = literals.organ(meeting.organ.kind)
    if admission is not None:
        from klaster.governance.services.admissions import readiness

        admission = Admission.objects.select_related("candidate", "cluster").get(pk=admission.pk)
        ready = readiness(admission, meeting)
        if ready.deciding.organ != organ:
            raise ValidationError(
                _("%(reason)s This meeting is a meeting of: %(organ)s.")
                % {"reason": say(ready.deciding.message), "organ": meeting.organ}
            )
        if not ready.ready:
            raise ValidationError(say(ready.message))
        decision = ready.deciding.decision
        title = title or f"Przyjęcie {admission.candidate.name}"
    situation = meeting_situation(meeting)  # under the meeting's lock, with the version just pinned
    roll, now, presence, q = situation.roll, situation.now, situation.presence, situation.quorum
    if q is None:
        raise ValidationError(say(situation.quorum_problem))
    if not q.met:
        raise ValidationError(say(q.message))
    number = (meeting.votes.aggregate(m=Max("number"))["m"] or 0) + 1
    entitled = now.entitled_ids
    refused = [
        {
            "proxy": int(d.proxy_id),
            "giver": int(d.giver_id),
            "code": d.code,
            "reason": to_json(d.message),
        }
        for d in (now.evaluation.decisions if now.evaluation else ())
        if not d.accepted
    ]
    version = statute.version
    snapshot: dict[str, Any] = {
        "profile": profile.name,
        # GOV-2, GOV-3, GOV-4: which statute version decided this vote, and the numbers it gave.
        "statute": {
            "version": version.pk,
            "name": profile.name,
            "valid_from": version.valid_from.isoformat(),
            "revision": version.revision,
        },
        "numbers": rules.applied_numbers(profile, organ, decision, meeting.term).to_dict(),
        "rights": [
            {
                "member": int(r.member_id),
                "name": r.name,
                "may_vote": r.may_vote,
                "code": r.code,
                "reason": to_json(r.message),
            }
            for r in roll.rights
        ],
        "present": {str(m): mode for m, mode in sorted(now.modes.items()) if m in entitled},
        "represented": {
            str(m): {"proxy": p.pk, "holder": p.holder_name}
            for m, p in sorted(now.represented.items())
        },
        "proxies_refused": refused,
        "quorum": {
            "met": q.met,
            "required": q.required,
            "present": q.present,
            "entitled": q.entitled,
            "threshold": str(q.threshold) if q.threshold is not None else None,
            "reason": to_json(q.message),
        },
    }
    if now.evaluation is not None:
        cap = rules.proxy_cap(profile, organ, roll.entitled)
        snapshot["proxy_cap"] = {"cap": cap.cap, "reason": to_json(cap.message)}
        snapshot["numbers"]["proxy"]["cap"] = cap.cap
    vote = Vote.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        number=number,
        title=title[:500],
        decision=decision,
        admission=admission,
        term=meeting.term,
        opened_at=timezone.now(),
        opened_by=user,
        entitled=roll.entitled,
        present_in_person=presence.in_person,
        present_online=presence.online,
        present_proxy=presence.proxy,
        quorum_required=q.required,
        quorum_msg=to_json(q.message),
        snapshot=snapshot,
        statute_version=version,
    )
    rights = [
        VoteRight(vote=vote, member_id=m, mode=mode)
        for m, mode in now.modes.items()
        if m in entitled
    ]
    rights += [
        VoteRight(vote=vote, member_id=m, mode="proxy", proxy=p, holder_user_id=p.holder_user_id)
        for m, p in now.represented.items()
        if m in entitled and m not in now.modes
    ]
    VoteRight.objects.bulk_create(rights, batch_size=1000)
    audit_record(
        cluster=meeting.cluster,
        user=user,
        action="vote_open",
        instance=vote,
        object_repr=f"{meeting}: {vote}",
        changes={"quorum": [None, to_json(q.message)], "statute_version": [None, str(version)]},
    )
    return vote


# --- ballots: one normaliser, one service, whatever the door (API, member's page, chair) ---

#: The largest member id there can be (a 64-bit primary key): anything larger is not an id.
_MAX_ID = 2**63 - 1


def _choices_text() -> str:
    """The allowed choices, named in the reader's language (the values are always English)."""
    return _("for, against, abstain")


def _member_id(key: Any) -> int | None:
    if isinstance(key, int) and not isinstance(key, bool):
        value = key
    elif isinstance(key, str) and key.strip().isascii() and key.strip().isdigit():
        value = int(key.strip())
    else:
        return None
    return value if 0 < value <= _MAX_ID else None


def ballot_choices(raw: Any) -> dict[int, str]:
    """The one reader of a ballot submission, whatever the door: {member id: choice}.

    `raw` maps members to choices — the API's JSON object, or what `ballot_form_choices` reads off
    a page's form. A member is its id (a positive integer, or its decimal digits; spaces around
    ignored); a choice is `for`, `against` or `abstain` (any case, spaces ignored); an empty choice
    is no choice for that member (a radio group left alone). Refused with a ValidationError naming
    the field, every message in the reader's language and naming the value: `choices` for the
    submission as a whole (not a mapping, nothing chosen, one member given twice), `member` for a
    key that is not a member id, `choice` for an unknown choice."""
    if not isinstance(raw, Mapping):
        raise ValidationError(
            {
                "choices": ValidationError(
                    _("Votes are given as pairs: member id → choice (%(choices)s)."),
                    code="ballot_shape",
                    params={"choices": _choices_text()},
                )
            }
        )
    out: dict[int, str] = {}
    errors: dict[str, list[ValidationError]] = {}
    for key, value in raw.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue  # nothing chosen for this one
        member = _member_id(key)
        if member is None:
            errors.setdefault("member", []).append(
                ValidationError(
                    _("“%(key)s” is not a member id (a positive whole number)."),
                    code="ballot_member",
                    params={"key": str(key)[:40]},
                )
            )
            continue
        choice = value.strip().lower() if isinstance(value, str) else None
        if choice not in Ballot.Choice.values:
            errors.setdefault("choice", []).append(
                ValidationError(
                    _(
                        "Vote for member %(member)s: unknown choice “%(value)s” — allowed: %(choices)s."
                    ),
                    code="ballot_choice",
                    params={
                        "member": member,
                        "value": str(value)[:40],
                        "choices": _choices_text(),
                    },
                )
            )
            continue
        if member in out:
            errors.setdefault("choices", []).append(
                ValidationError(
                    _("Member %(member)s given more than once: one member, one vote (GOV-1)."),
                    code="ballot_twice",
                    params={"member": member},
                )
            )
            continue
        out[member] = choice
    if errors:
        raise ValidationError(errors)
    if not out:
        raise ValidationError(
            {"choices": ValidationError(_("No vote was chosen."), code="ballot_empty")}
        )
    return out


def ballot_form_choices(data: Mapping[str, Any]) -> dict[str, Any]:
    """A ballot as the pages' forms send it, for `ballot_choices`: the member's page one field per
    member (`member_<id>` = choice), the chair's form one member and its choice (`member`, `choice`)."""
    if "member" in data or "choice" in data:
        return {data.get("member", ""): data.get("choice", "")}
    return {k.removeprefix("member_"): v for k, v in data.items() if k.startswith("member_")}


def _via(
    mode: str, holder_user_id: int | None, represents: bool, user: Any, *, chair: bool
) -> str | None:
    """How `user` may cast a member's ballot, from its right in the vote — "chair" (the chair or the
    office: any member on the roll), "proxy" (the holder of the proxy that represents it), "own"
    (a representative of a member present directly) — or None: it may not."""
    if chair:
        return Ballot.Via.CHAIR
    if mode == "proxy":
        return (
            Ballot.Via.PROXY if holder_user_id is not None and holder_user_id == user.pk else None
        )
    return Ballot.Via.OWN if represents else None


def castable_members(
    vote: Vote, user: Any, *, chair: bool = False
) -> dict[int, tuple[str, VoteRight]]:
    """The members whose ballot `user` may cast in `vote` (for the member's page): its own members
    present directly (via "own"), the members whose proxy it holds (via "proxy"); the chair/office
    any (via "chair"). The same decision as `ballot_cast` (`_via`)."""
    if chair:
        return {r.member_id: ("chair", r) for r in VoteRight.objects.filter(vote=vote)}
    own = set(
        ClusterRole.objects.filter(
            user=user, cluster_id=vote.meeting.cluster_id, role=Role.REPRESENTATIVE
        ).values_list("member_id", flat=True)
    )
    rights = VoteRight.objects.filter(vote=vote).filter(
        Q(holder_user=user, mode="proxy") | Q(member_id__in=own)
    )
    out: dict[int, tuple[str, VoteRight]] = {}
    for r in rights:
        via = _via(r.mode, r.holder_user_id, r.member_id in own, user, chair=False)
        if via is not None:
            out[r.member_id] = (via, r)
    return out


@dataclass(frozen=True)
class _Right:
    member_id: int
    mode: str
    proxy_id: int | None
    holder_user_id: int | None
    vote_status: str
    voted: bool
    represents: bool


def _rights_locked(vote: Vote, members: list[int], user: Any) -> list[_Right]:
    """One statement for everything a ballot needs to know, with its locks: the members' rights
    rows in the vote, FOR UPDATE in member-id order (ORDER BY comes before the lock), the vote row
    FOR SHARE with its status — many ballots at once, but `vote_close` (FOR UPDATE) waits for them
    and they for it, and one that waited reads the vote as closed — whether each member has voted
    already, and whether `user` represents it. SQLite takes no row locks: its write transaction
    (IMMEDIATE) holds the whole database."""
    qn = connection.ops.quote_name
    right, vote_t, ballot, role = (
        qn(m._meta.db_table) for m in (VoteRight, Vote, Ballot, ClusterRole)
    )
    marks = ", ".join(["%s"] * len(members))
    # table names from the models, every value a parameter
    sql = (
        f"SELECT r.member_id, r.mode, r.proxy_id, r.holder_user_id, v.status, "  # noqa: S608
        f"EXISTS (SELECT 1 FROM {ballot} b WHERE b.vote_id = r.vote_id AND b.member_id = r.member_id), "
        f"EXISTS (SELECT 1 FROM {role} c WHERE c.user_id = %s AND c.cluster_id = %s AND c.role = %s "
        f"AND c.member_id = r.member_id) "
        f"FROM {right} r INNER JOIN {vote_t} v ON v.id = r.vote_id "
        f"WHERE r.vote_id = %s AND r.member_id IN ({marks}) ORDER BY r.member_id"
    )
    if connection.vendor == "postgresql":
        sql += " FOR UPDATE OF r FOR SHARE OF v"
    params = [
        getattr(user, "pk", None),
        vote.meeting.cluster_id,
        Role.REPRESENTATIVE,
        vote.pk,
        *members,
    ]
    with hot_cursor() as cur:  # planned once per connection on PostgreSQL
        cur.execute(sql, params)
        return [
            _Right(m, mode, proxy, holder, status, bool(voted), bool(represents))
            for m, mode, proxy, holder, status, voted, represents in cur.fetchall()
        ]


ALREADY_VOTED = gettext_lazy("Member %(member)s has already voted: one member, one vote (GOV-1).")


def already_voted(member_id: int) -> str:
    """The refusal of a second ballot for a member, in the reader's language (both paths)."""
    return str(ALREADY_VOTED) % {"member": member_id}


@transaction.atomic
def ballot_cast(*, vote: Vote, user: Any, choices: Any, chair: bool = False) -> list[Ballot]:
    """The one way a ballot enters, whatever the door: cast for one or more members (a proxy holder
    casts for all it holds). `choices` is read by `ballot_choices` here, so every door gets the same
    answers. Each member counts once: a member that has already voted is refused with the reason,
    as is a member the user may not cast for (`_via`); `chair` is the chair's or the office's
    recording for the room (the door decides who that is).

    Locks (`_rights_locked`, one statement): the rights rows in member-id order, the vote shared;
    the unique constraint on (vote, member) refuses a second ballot whatever happens. Statements:
    that one, the insert of the ballots and the audit row — and a look-up of the vote's status only
    when no member given has a right in it (to say "closed" rather than "no right")."""
    wanted = ballot_choices(choices)
    meeting = vote.meeting if "meeting" in vote._state.fields_cache else None
    if meeting is None or "cluster" not in meeting._state.fields_cache:
        vote = Vote.objects.select_related("meeting__cluster").defer("snapshot").get(pk=vote.pk)
    members = sorted(wanted)
    locked = {r.member_id: r for r in _rights_locked(vote, members, user)}
    status = (
        next(iter(locked.values())).vote_status
        if locked
        else (Vote.objects.filter(pk=vote.pk).values_list("status", flat=True).first())
    )
    if status != Vote.Status.OPEN:
        raise ValidationError(_("The vote is closed."), code="ballot_closed")
    problems, allowed = [], {}
    for m in members:
        right = locked.get(m)
        via = (
            _via(right.mode, right.holder_user_id, right.represents, user, chair=chair)
            if right
            else None
        )
        if right is None:
            problems.append(
                ValidationError(
                    _(
                        "Member %(member)s may not vote: it was neither present nor represented "
                        "when the vote opened, or it has no voting right."
                    ),
                    code="ballot_no_right",
                    params={"member": m},
                )
            )
        elif via is None:
            problems.append(
                ValidationError(
                    _("Member %(member)s: you may not cast its vote."),
                    code="ballot_not_yours",
                    params={"member": m},
                )
            )
        elif right.voted:
            problems.append(
                ValidationError(ALREADY_VOTED, code="ballot_already", params={"member": m})
            )
        else:
            allowed[m] = (via, right)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    name = (user.get_full_name() or user.get_username()) if getattr(user, "pk", None) else "?"
    ballots = [
        Ballot(
            vote=vote,
            member_id=m,
            choice=wanted[m],
            cast_by=user if getattr(user, "pk", None) else None,
            cast_by_name=name,
            via=via,
            proxy_id=right.proxy_id,
            cast_at=now,
        )
        for m, (via, right) in allowed.items()
    ]
    try:
        # no savepoint of its own: a refusal leaves through this function's transaction, rolled back
        insert_instances(ballots)
    except IntegrityError:
        # another ballot for the same member committed while this one waited for its row lock
        message = (
            already_voted(members[0])
            if len(members) == 1
            else _("This member has already voted: one member, one vote (GOV-1).")
        )
        raise ValidationError(message, code="ballot_already") from None
    audit_record(
        cluster=vote.meeting.cluster,
        user=user,
        action="ballot",
        instance=vote,
        object_repr=f"{vote.meeting}: {vote}",
        changes={str(b.member_id): [None, f"{b.choice} ({b.via})"] for b in ballots},
    )
    return ballots


def tally(vote: Vote) -> dict[str, int]:
    counts = dict(Ballot.objects.filter(vote=vote).values_list("choice").annotate(n=Count("id")))
    return {c: counts.get(c, 0) for c in Ballot.Choice.values}


def _presence(vote: Vote) -> rules.Presence:
    return rules.Presence(
        in_person=vote.present_in_person, online=vote.present_online, proxy=vote.present_proxy
    )


@transaction.atomic
def vote_close(*, vote: Vote, user: Any) -> Resolution:
    """Close the vote, compute the outcome with the profile's rule (GOV-3) and enter it in the
    organ's numbered register with the rule, the reading and the full count."""
    vote = (
        Vote.objects.select_for_update()
        .select_related("meeting__organ", "meeting__cluster")
        .get(pk=vote.pk)
    )
    if vote.status != Vote.Status.OPEN:
        raise ValidationError(_("The vote is already closed."))
    meeting = vote.meeting
    # The version the vote was opened under — never a fresh look-up (a vote from before versions
    # were recorded on votes takes its meeting's).
    version = vote.statute_version or meeting_statute(meeting).version
    profile = version_profile(version)
    counts = tally(vote)
    outcome = rules.resolution_outcome(
        profile,
        literals.organ(meeting.organ.kind),
        rules.VoteCount(counts["for"], counts["against"], counts["abstain"]),
        vote.entitled,
        _presence(vote),
        vote.decision,
        vote.term,
    )
    m = outcome.majority
    vote.status, vote.closed_at = Vote.Status.CLOSED, timezone.now()
    vote.for_count, vote.against_count, vote.abstain_count = m.for_, m.against, m.abstain
    vote.not_voting_count, vote.absent_count = m.not_voting_present, m.absent
    vote.passed, vote.majority_kind, vote.rule_msg = outcome.passed, m.kind, to_json(m.rule_message)
    vote.reading_msg = to_json(m.reading) if m.reading else {}
    vote.outcome_msg = to_json(outcome.message)
    vote.statute_version = version
    vote.save()
    Organ.objects.select_for_update().get(
        pk=meeting.organ_id
    )  # the register's number, one at a time
    year = meeting.date.year
    number = (
        Resolution.objects.filter(organ_id=meeting.organ_id, year=year).aggregate(m=Max("number"))[
            "m"
        ]
        or 0
    ) + 1
    resolution = Resolution.objects.create(
        cluster=meeting.cluster,
        organ_id=meeting.organ_id,
        year=year,
        number=number,
        vote=vote,
        meeting=meeting,
        title=vote.title,
        adopted_on=meeting.date,
        passed=outcome.passed,
        rule_msg=to_json(m.rule_message),
        reading_msg=to_json(m.reading) if m.reading else {},
        tally_msg=to_json(m.tally),
        reason_msg=to_json(outcome.message),
        statute_version=version,
    )
    audit_record(
        cluster=meeting.cluster,
        user=user,
        action="vote_close",
        instance=resolution,
        object_repr=f"Uchwała nr {number}/{year} {meeting.organ}",
        changes={
            "passed": [None, outcome.passed],
            "tally": [None, to_json(m.tally)],
            "statute_version": [None, str(version)],
        },
    )
    if vote.admission is not None:
        from klaster.governance.services.admissions import admission_decide

        admission_decide(
            admission=vote.admission, user=user, admitted=outcome.passed, on=meeting.date
        )
    return resolution


def results_rows(votes: Iterable[Vote]) -> list[list[str]]:
    """CSV rows: one per ballot, then the outcome of each vote."""
    rows = [["glosowanie", "sprawa", "podmiot", "glos", "oddany_przez", "jako", "czas"]]
    summary = [
        [
            "glosowanie",
            "sprawa",
            "uprawnieni",
            "za",
            "przeciw",
            "wstrzymujace",
            "obecni_niegłosujący",
            "nieobecni",
            "przyjeta",
            "zasada",
        ]
    ]
    for vote in votes:
        for b in vote.ballots.select_related("member").order_by("member__name", "member_id"):
            rows.append(
                [
                    str(vote.number),
                    vote.title,
                    b.member.name,
                    b.get_choice_display(),
                    b.cast_by_name,
                    b.get_via_display(),
                    timezone.localtime(b.cast_at).strftime("%Y-%m-%d %H:%M:%S"),
                ]
            )
        summary.append(
            [
                str(vote.number),
                vote.title,
                str(vote.entitled),
                *(
                    str(x if x is not None else "")
                    for x in (
                        vote.for_count,
                        vote.against_count,
                        vote.abstain_count,
                        vote.not_voting_count,
                        vote.absent_count,
                    )
                ),
                "" if vote.passed is None else (_("yes") if vote.passed else _("no")),
                vote.rule_words,
            ]
        )
    return [*rows, [], *summary]
