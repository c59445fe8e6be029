"""Votes, ballots and resolutions (GOV-1 … GOV-4, GOV-12).

A vote opens only with a quorum and keeps a snapshot of who was entitled, present and represented
(proxies re-checked against both caps at that moment). Each entitled member has one ballot: the
unique constraint on (vote, member) makes a second one impossible, and the locks — the vote row
shared, then the members' rights rows for update in member-id order — make casting and closing
race-free on PostgreSQL. The outcome comes from `resolution_outcome` with the profile's rule and is
stored with the rule and the full count under the next number of the organ's register.

A vote opens under its meeting's statute version and records it (`Vote.statute_version`) with the
numbers it applies (`snapshot["numbers"]`: quorum, majority, proxy cap); closing applies that same
version, so a correction added while the vote runs changes nothing about it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from klaster.core.audit import audit_record
from klaster.core.models import ClusterRole, Role
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
    meeting_statute,
    presence_now,
    version_profile,
    voting_roll_for,
)
from klaster.governance.services.meetings import meeting_statute_pin
from klaster.rules import governance as rules
from klaster.rules.statute import DECISION_ORDINARY


@transaction.atomic
def vote_open(*, meeting: Meeting, user: Any, title: str, decision: str = DECISION_ORDINARY,
              agenda_item: AgendaItem | None = None, admission: Admission | None = None) -> Vote:
    """Open a vote: refused without a quorum (GOV-2) with the reason; for an admission, refused
    while the candidate's file lacks anything (GOV-12)."""
    # (the statute version is read after the lock: FOR UPDATE cannot take a nullable outer join)
    meeting = Meeting.objects.select_for_update().select_related("organ", "cluster").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.OPEN:
        raise ValidationError("Głosowanie można otworzyć tylko na otwartym posiedzeniu.")
    if meeting.votes.filter(status=Vote.Status.OPEN).exists():
        raise ValidationError("Trwa inne głosowanie; najpierw je zamknij.")
    statute = meeting_statute_pin(meeting, user)
    profile = statute.profile
    organ = meeting.organ.kind
    if admission is not None:
        from klaster.governance.services.admissions import readiness

        admission = Admission.objects.select_related("candidate", "cluster").get(pk=admission.pk)
        ready = readiness(admission, meeting)
        if ready.deciding.organ != organ:
            raise ValidationError(f"{ready.deciding.reason} To posiedzenie jest posiedzeniem: {meeting.organ}.")
        if not ready.ready:
            raise ValidationError(ready.reason)
        decision = ready.deciding.decision
        title = title or f"Przyjęcie {admission.candidate.name}"
    roll = voting_roll_for(meeting, profile)
    now = presence_now(meeting, profile, roll)
    presence = now.presence()
    q = rules.quorum(profile, organ, roll.entitled, presence, meeting.term)
    if not q.met:
        raise ValidationError(q.reason)
    number = (meeting.votes.aggregate(m=Max("number"))["m"] or 0) + 1
    entitled = now.entitled_ids
    refused = [
        {"proxy": int(d.proxy_id), "giver": int(d.giver_id), "code": d.code, "reason": d.reason}
        for d in (now.evaluation.decisions if now.evaluation else ()) if not d.accepted
    ]
    version = statute.version
    snapshot = {
        "profile": profile.name,
        # GOV-2, GOV-3, GOV-4: which statute version decided this vote, and the numbers it gave.
        "statute": {"version": version.pk, "name": profile.name, "valid_from": version.valid_from.isoformat(),
                    "revision": version.revision},
        "numbers": rules.applied_numbers(profile, organ, decision, meeting.term).to_dict(),
        "rights": [{"member": int(r.member_id), "name": r.name, "may_vote": r.may_vote, "code": r.code,
                    "reason": r.reason} for r in roll.rights],
        "present": {str(m): mode for m, mode in sorted(now.modes.items()) if m in entitled},
        "represented": {str(m): {"proxy": p.pk, "holder": p.holder_name} for m, p in sorted(now.represented.items())},
        "proxies_refused": refused,
        "quorum": {"met": q.met, "required": q.required, "present": q.present, "entitled": q.entitled,
                   "threshold": str(q.threshold) if q.threshold is not None else None, "reason": q.reason},
    }
    if now.evaluation is not None:
        cap = rules.proxy_cap(profile, organ, roll.entitled)
        snapshot["proxy_cap"] = {"cap": cap.cap, "reason": cap.reason}
        snapshot["numbers"]["proxy"]["cap"] = cap.cap
    vote = Vote.objects.create(
        meeting=meeting, agenda_item=agenda_item, number=number, title=title[:500], decision=decision,
        admission=admission, term=meeting.term, opened_at=timezone.now(), opened_by=user,
        entitled=roll.entitled, present_in_person=presence.in_person, present_online=presence.online,
        present_proxy=presence.proxy, quorum_required=q.required, quorum_reason=q.reason, snapshot=snapshot,
        statute_version=version,
    )
    rights = [VoteRight(vote=vote, member_id=m, mode=mode) for m, mode in now.modes.items() if m in entitled]
    rights += [VoteRight(vote=vote, member_id=m, mode="proxy", proxy=p, holder_user_id=p.holder_user_id)
               for m, p in now.represented.items() if m in entitled and m not in now.modes]
    VoteRight.objects.bulk_create(rights, batch_size=1000)
    audit_record(cluster=meeting.cluster, user=user, action="vote_open", instance=vote,
                 object_repr=f"{meeting}: {vote}",
                 changes={"quorum": [None, q.reason], "statute_version": [None, str(version)]})
    return vote


def _lock_vote_shared(vote_id: int) -> str:
    """Lock the vote row shared and return its status: many ballots at once, but `vote_close`
    (FOR UPDATE) waits for them and they wait for it. SQLite locks the whole database per write
    transaction anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT status FROM governance_vote WHERE id = %s FOR SHARE", [vote_id])
            row = cur.fetchone()
    else:
        row = Vote.objects.select_for_update().filter(pk=vote_id).values_list("status").first()
    if row is None:
        raise Vote.DoesNotExist
    return row[0]


def castable_members(vote: Vote, user: Any, *, chair: bool = False,
                     rights: list[VoteRight] | None = None) -> dict[int, tuple[str, VoteRight]]:
    """The members whose ballot `user` may cast in `vote`: its own members present directly (via
    "own") and the members whose proxy it holds (via "proxy"); the chair/office any (via "chair").
    `rights` narrows the look-up to rows already fetched (and locked) by the caller."""
    if chair:
        rows = rights if rights is not None else list(VoteRight.objects.filter(vote=vote))
        return {r.member_id: ("chair", r) for r in rows}
    own = set(ClusterRole.objects.filter(user=user, cluster_id=vote.meeting.cluster_id, role=Role.REPRESENTATIVE)
              .values_list("member_id", flat=True))
    if rights is None:
        rights = list(VoteRight.objects.filter(vote=vote).filter(
            Q(holder_user=user, mode="proxy") | Q(member_id__in=own)))
    out: dict[int, tuple[str, VoteRight]] = {}
    for r in rights:
        if r.mode == "proxy" and r.holder_user_id == user.pk:
            out[r.member_id] = ("proxy", r)
        elif r.mode != "proxy" and r.member_id in own:
            out[r.member_id] = ("own", r)
    return out


@transaction.atomic
def ballot_cast(*, vote: Vote, user: Any, choices: dict[int, str], chair: bool = False) -> list[Ballot]:
    """Cast ballots for one or more members (a proxy holder casts for all it holds). Each member
    counts once: a member that has already voted is refused with the reason, as is a member the
    user may not cast for. Locks: the vote (shared), then the rights rows in member-id order."""
    if not choices:
        raise ValidationError("Nie wybrano żadnego głosu.")
    bad = [c for c in choices.values() if c not in Ballot.Choice.values]
    if bad:
        raise ValidationError(f"Nieznany wybór: {bad[0]!r} (za, przeciw, wstrzymuję się).")
    if "meeting" not in vote._state.fields_cache:
        vote = Vote.objects.select_related("meeting__cluster").defer("snapshot").get(pk=vote.pk)
    if _lock_vote_shared(vote.pk) != Vote.Status.OPEN:
        raise ValidationError("Głosowanie jest zamknięte.")
    members = sorted(choices)
    locked = {r.member_id: r for r in VoteRight.objects.select_for_update().filter(
        vote=vote, member_id__in=members).order_by("member_id")}
    allowed = castable_members(vote, user, chair=chair, rights=list(locked.values()))
    already = set(Ballot.objects.filter(vote=vote, member_id__in=members).values_list("member_id", flat=True))
    problems = []
    for m in members:
        if m not in locked:
            problems.append(f"Podmiot {m} nie może głosować: nie był obecny ani reprezentowany przy otwarciu "
                            "głosowania lub nie ma prawa głosu.")
        elif m not in allowed:
            problems.append(f"Podmiot {m}: nie możesz oddać jego głosu.")
        elif m in already:
            problems.append(f"Podmiot {m} już głosował: jeden podmiot, jeden głos (GOV-1).")
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    name = (user.get_full_name() or user.get_username()) if getattr(user, "pk", None) else "?"
    ballots = []
    for m in members:
        via, right = allowed[m]
        ballots.append(Ballot(vote=vote, member_id=m, choice=choices[m], cast_by=user, cast_by_name=name, via=via,
                              proxy_id=right.proxy_id, cast_at=now))
    try:
        with transaction.atomic():
            Ballot.objects.bulk_create(ballots)
    except IntegrityError:
        raise ValidationError("Ten podmiot już głosował: jeden podmiot, jeden głos (GOV-1).") from None
    audit_record(cluster=vote.meeting.cluster, user=user, action="ballot", instance=vote,
                 object_repr=f"{vote.meeting}: {vote}",
                 changes={str(b.member_id): [None, f"{b.choice} ({b.via})"] for b in ballots})
    return ballots


def tally(vote: Vote) -> dict[str, int]:
    counts = dict(Ballot.objects.filter(vote=vote).values_list("choice").annotate(n=Count("id")))
    return {c: counts.get(c, 0) for c in Ballot.Choice.values}


def _presence(vote: Vote) -> rules.Presence:
    return rules.Presence(in_person=vote.present_in_person, online=vote.present_online, proxy=vote.present_proxy)


@transaction.atomic
def vote_close(*, vote: Vote, user: Any) -> Resolution:
    """Close the vote, compute the outcome with the profile's rule (GOV-3) and enter it in the
    organ's numbered register with the rule, the reading and the full count."""
    vote = Vote.objects.select_for_update().select_related("meeting__organ", "meeting__cluster").get(pk=vote.pk)
    if vote.status != Vote.Status.OPEN:
        raise ValidationError("Głosowanie jest już zamknięte.")
    meeting = vote.meeting
    # The version the vote was opened under — never a fresh look-up (a vote from before versions
    # were recorded on votes takes its meeting's).
    version = vote.statute_version or meeting_statute(meeting).version
    profile = version_profile(version)
    counts = tally(vote)
    outcome = rules.resolution_outcome(
        profile, meeting.organ.kind, rules.VoteCount(counts["for"], counts["against"], counts["abstain"]),
        vote.entitled, _presence(vote), vote.decision, vote.term,
    )
    m = outcome.majority
    vote.status, vote.closed_at = Vote.Status.CLOSED, timezone.now()
    vote.for_count, vote.against_count, vote.abstain_count = m.for_, m.against, m.abstain
    vote.not_voting_count, vote.absent_count = m.not_voting_present, m.absent
    vote.passed, vote.majority_kind, vote.rule_text = outcome.passed, m.kind, m.rule_text
    vote.reading, vote.outcome_reason = m.reading or "", outcome.reason
    vote.statute_version = version
    vote.save()
    Organ.objects.select_for_update().get(pk=meeting.organ_id)  # the register's number, one at a time
    year = meeting.date.year
    number = (Resolution.objects.filter(organ_id=meeting.organ_id, year=year).aggregate(m=Max("number"))["m"] or 0) + 1
    resolution = Resolution.objects.create(
        cluster=meeting.cluster, organ_id=meeting.organ_id, year=year, number=number, vote=vote, meeting=meeting,
        title=vote.title, adopted_on=meeting.date, passed=outcome.passed, rule_text=m.rule_text,
        reading=m.reading or "", tally=m.tally, reason=outcome.reason, statute_version=version,
    )
    audit_record(cluster=meeting.cluster, user=user, action="vote_close", instance=resolution,
                 object_repr=f"Uchwała nr {number}/{year} {meeting.organ}",
                 changes={"passed": [None, outcome.passed], "tally": [None, m.tally],
                          "statute_version": [None, str(version)]})
    if vote.admission_id:
        from klaster.governance.services.admissions import admission_decide

        admission_decide(admission=vote.admission, user=user, admitted=outcome.passed, on=meeting.date)
    return resolution


def results_rows(votes: Iterable[Vote]) -> list[list[str]]:
    """CSV rows: one per ballot, then the outcome of each vote."""
    rows = [["glosowanie", "sprawa", "podmiot", "glos", "oddany_przez", "jako", "czas"]]
    summary = [["glosowanie", "sprawa", "uprawnieni", "za", "przeciw", "wstrzymujace", "obecni_niegłosujący",
                "nieobecni", "przyjeta", "zasada"]]
    for vote in votes:
        for b in vote.ballots.select_related("member").order_by("member__name", "member_id"):
            rows.append([str(vote.number), vote.title, b.member.name, b.get_choice_display(), b.cast_by_name,
                         b.get_via_display(), timezone.localtime(b.cast_at).strftime("%Y-%m-%d %H:%M:%S")])
        summary.append([str(vote.number), vote.title, str(vote.entitled), *(str(x if x is not None else "")
                        for x in (vote.for_count, vote.against_count, vote.abstain_count, vote.not_voting_count,
                                  vote.absent_count)),
                        "" if vote.passed is None else ("tak" if vote.passed else "nie"), vote.rule_text])
    return [*rows, [], *summary]

