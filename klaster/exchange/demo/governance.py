"""Demo governance data for `klaster demo`, written through the services (rules and audit apply).

Run once, when the demo cluster is first created; deterministic (fixed seed, dates written around
the demo's day D = 2026-06-30 under `demo_clock`, all moved by the same whole number of weeks to
the day the demo is loaded — clock.shifted; the dates below are as written, at D):

- 1–3 delegated persons and 1–2 notification e-mails for every member (MEM-7);
- the organs: the Council elected at the 2025 reporting-electoral GA with as many seats as the
  member count gives (GOV-8; no science unit elected, so the "missing groups" list says so), the
  Board with the coordinator's representative (GOV-9), both presidia;
- the ordinary GA of 19.03.2026: notice 27 days ahead, attendance in person, online and by proxy,
  a proxy refused as late (GOV-4), two votes closed with numbered resolutions (one adopted, one
  rejected: the majority is of the entitled), the summary recorded as sent without any mail server
  (GOV-14) and one objection within the window (GOV-5);
- the Council meeting of 16.06.2026 chaired by the `rada` persona, with a vote;
- the ordinary GA of 15.09.2026, convened with its agenda, with two proxies already in;
- a Partner's admission file with gaps, put before the Board meeting of 14.07.2026 (GOV-12);
- an extraordinary GA sitting at the real moment the demo is loaded, with a vote open that the
  `czlonek` persona can cast (issue 9).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from unittest import mock

from klaster.core.models import Cluster
from klaster.exchange.demo.clock import DemoClock, at, day
from klaster.governance import services
from klaster.governance.models import Admission, Meeting, Organ, Seat
from klaster.governance.selectors import seat_report
from klaster.governance.services import minutes
from klaster.members.models import DelegatedPerson, Member
from klaster.members.services import delegate_save, notification_email_add
from klaster.rules.calendar import WARSAW, month_name_pl

SEED = 20260630

_FIRST_M = (
    "Piotr",
    "Krzysztof",
    "Tomasz",
    "Paweł",
    "Marcin",
    "Michał",
    "Grzegorz",
    "Jakub",
    "Adam",
    "Łukasz",
    "Andrzej",
    "Rafał",
    "Wojciech",
    "Mariusz",
    "Dariusz",
    "Bartosz",
    "Sebastian",
    "Kamil",
)
_FIRST_F = (
    "Anna",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Magdalena",
    "Joanna",
    "Monika",
    "Dorota",
    "Aleksandra",
    "Justyna",
    "Beata",
    "Iwona",
    "Natalia",
    "Karolina",
)
_SURNAMES = (
    "Nowak",
    "Kowalczyk",
    "Wiśniewski",
    "Wójcik",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Jankowski",
    "Mazur",
    "Kwiatkowski",
    "Krawczyk",
    "Piotrowski",
    "Grabowski",
    "Pawłowski",
    "Michalski",
    "Król",
    "Wieczorek",
    "Jabłoński",
    "Majewski",
    "Olszewski",
    "Stępień",
    "Malinowski",
    "Jaworski",
    "Adamczyk",
    "Górski",
    "Sikora",
    "Baran",
    "Duda",
    "Rutkowski",
)
_POSITIONS_COMPANY = (
    "Prezes Zarządu",
    "Członek Zarządu",
    "Dyrektor ds. rozwoju",
    "Kierownik działu R&D",
    "Specjalista ds. projektów",
    "Dyrektor handlowy",
)
_POSITIONS_INSTITUTION = (
    "Dyrektor",
    "Zastępca dyrektora",
    "Kierownik centrum transferu technologii",
    "Pełnomocnik ds. współpracy z gospodarką",
    "Koordynator projektów",
)
_LEGAL_WORDS = {
    "sa",
    "s",
    "a",
    "sp",
    "z",
    "o",
    "oo",
    "spolka",
    "zoo",
    "i",
    "w",
    "we",
    "im",
    "ul",
    "k",
    "sc",
    "spj",
}


def _titled(name: str, when: dt.datetime) -> str:
    """A meeting's title with its month as the office writes it ("… — marzec 2026")."""
    return f"{name} — {month_name_pl(when)}"


def ga_past() -> dt.datetime:
    return at(2026, 3, 19, 10, 0)


def council_at() -> dt.datetime:
    return at(2026, 6, 16, 14, 0)


def board_at() -> dt.datetime:
    return at(2026, 7, 14, 10, 0)


def ga_next() -> dt.datetime:
    return at(2026, 9, 15, 10, 0)


@dataclass
class DemoGovernance:
    organs: dict[str, Organ]
    persons: dict[int, list[DelegatedPerson]]
    ga_past: Meeting
    council_meeting: Meeting
    board_meeting: Meeting
    ga_next: Meeting
    admission: Admission


def fold(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def member_domain(member: Member) -> str:
    """`Zakłady Mechaniczne Autotech S.A.` → `zaklady-mechaniczne-autotech.example.pl`."""
    words = [
        "".join(ch for ch in w if ch.isalnum()) for w in fold(member.name).replace("-", " ").split()
    ]
    words = [w for w in words if w and w not in _LEGAL_WORDS][:3]
    return f"{'-'.join(words) or member.key}.example.pl"


def _feminine(surname: str) -> str:
    for m, f in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if surname.endswith(m):
            return surname[: -len(m)] + f
    return surname


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        if rng.random() < 0.45:
            name = f"{rng.choice(_FIRST_F)} {_feminine(rng.choice(_SURNAMES))}"
        else:
            name = f"{rng.choice(_FIRST_M)} {rng.choice(_SURNAMES)}"
        if name not in used:
            used.add(name)
            return name


def _email(name: str, domain: str) -> str:
    first, last = fold(name).split(" ", 1)
    return f"{first}.{last.replace(' ', '-')}@{domain}"


def delegates_build(
    *, cluster: Cluster, user: Any, clock: DemoClock
) -> dict[int, list[DelegatedPerson]]:
    """MEM-7: 1–3 persons per member, the first delegated to the General Assembly; 1–2 addresses."""
    rng = random.Random(SEED)
    used: set[str] = set()
    clock.set(at(2026, 1, 12, 9, 0))
    out: dict[int, list[DelegatedPerson]] = {}
    for member in cluster.members.order_by("id"):
        domain = member_domain(member)
        institution = member.type in ("iob", "science", "other")
        positions = _POSITIONS_INSTITUTION if institution else _POSITIONS_COMPANY
        count = 1 + (rng.random() < 0.55) + (rng.random() < 0.25)
        persons = []
        for i in range(count):
            name = _name(rng, used)
            persons.append(
                delegate_save(
                    member=member,
                    user=user,
                    data={
                        "name": name,
                        "email": _email(name, domain),
                        "phone": f"+48 {rng.randrange(500, 900)} "
                        f"{rng.randrange(100, 1000)} {rng.randrange(100, 1000)}",
                        "position": positions[0] if i == 0 else rng.choice(positions[1:]),
                        "to_general_assembly": i == 0 or rng.random() < 0.3,
                    },
                )
            )
        out[member.pk] = persons
        notification_email_add(member=member, user=user, email=f"biuro@{domain}")
        if rng.random() < 0.4:
            notification_email_add(member=member, user=user, email=f"sekretariat@{domain}")
    return out


def _first_of(members: list[Member], kind: str, skip: set[int], n: int = 1) -> list[Member]:
    found = [m for m in members if m.type == kind and m.pk not in skip][:n]
    skip.update(m.pk for m in found)
    return found


def organs_build(
    *,
    cluster: Cluster,
    user: Any,
    clock: DemoClock,
    persons: dict[int, list[DelegatedPerson]],
    organ_user: Any,
    represented: Member,
) -> dict[str, Organ]:
    """GOV-8 … GOV-10: the Council and the Board elected at the 2025 reporting-electoral GA."""
    organs = services.organs_ensure(cluster=cluster, user=user)
    held_on = day(2025, 3, 20)
    clock.set(at(2025, 3, 20, 13, 0))
    members = [
        m
        for m in cluster.members.order_by("id")
        if m.status == "active" and m.pk != cluster.coordinator_id
    ]
    taken: set[int] = {represented.pk}
    # The Board first (3 elected, GOV-9), so that nobody on it stands for the Council (GOV-10).
    board_members = [
        *_first_of(members, "medium", taken),
        *_first_of(members, "small", taken),
        *_first_of(members, "iob", taken),
    ]
    # The Council: enterprises of every size and the business-support bodies, no science unit —
    # the seat report then shows that group missing (000 §9.1). The `czlonek` persona's member sits.
    due = seat_report(cluster, held_on)["council"]["count"].elected
    council_members = [represented]
    while len(council_members) < due:
        before = len(council_members)
        for kind in ("large", "medium", "small", "micro", "iob", "other"):
            if len(council_members) < due:
                council_members += _first_of(members, kind, taken)
        if len(council_members) == before:
            break
    council_persons = [persons[m.pk][0] for m in council_members]
    board_persons = [persons[m.pk][0] for m in board_members]
    services.election_hold(
        organ=organs["board"],
        user=user,
        held_on=held_on,
        candidates=[(p, False) for p in board_persons],
    )
    # The `rada` persona chairs the Council: its seat carries the account, which an election does
    # not give, so it is added with the election's term right after the others are elected.
    chair = council_persons[1]
    election = services.election_hold(
        organ=organs["council"],
        user=user,
        held_on=held_on,
        candidates=[(p, False) for p in council_persons if p != chair],
    )
    services.seat_add(
        organ=organs["council"],
        user=user,
        person=chair,
        starts=held_on,
        ends=election.term_end,
        election=election,
        seat_user=organ_user,
        chairs=True,
    )
    assert cluster.coordinator_id is not None  # the demonstration dataset names its coordinator
    coordinator_person = persons[cluster.coordinator_id][0]
    services.seat_add(
        organ=organs["board"],
        user=user,
        person=coordinator_person,
        starts=held_on,
        kind=Seat.Kind.COORDINATOR,
        chairs=True,
    )
    for i, p in enumerate(council_persons[1:6]):
        services.seat_add(
            organ=organs["council_presidium"],
            user=user,
            person=p,
            starts=held_on,
            chairs=i == 0,
            seat_user=organ_user if i == 0 else None,
        )
    # 000 §12.1: one permanent member from the coordinator's management, the others rotate.
    for i, p in enumerate([coordinator_person, *board_persons[:2]]):
        services.seat_add(
            organ=organs["board_presidium"],
            user=user,
            person=p,
            starts=held_on,
            chairs=i == 0,
            kind=Seat.Kind.PERMANENT if i == 0 else Seat.Kind.ROTATING,
        )
    return organs


def _entitled(meeting: Meeting) -> list[int]:
    from klaster.governance.selectors import voting_roll_for

    return sorted(int(r.member_id) for r in voting_roll_for(meeting).rights if r.may_vote)


def _cast(
    vote,
    *,
    user: Any,
    choices: dict[int, str],
    member_user: Any = None,
    own: AbstractSet[int] = frozenset(),
) -> None:
    """The `czlonek` persona casts its member's and its proxies' ballots; the chair records the rest."""
    mine = {m: c for m, c in choices.items() if m in own}
    if mine and member_user is not None:
        services.ballot_cast(vote=vote, user=member_user, choices=mine)
    rest = {m: c for m, c in choices.items() if m not in mine}
    if rest:
        services.ballot_cast(vote=vote, user=user, choices=rest, chair=True)


def _deal(ids: list[int], counts: list[tuple[str, int]]) -> dict[int, str]:
    out, i = {}, 0
    for choice, n in counts:
        for m in ids[i : i + n]:
            out[m] = choice
        i += n
    return out


def ga_past_build(
    *,
    cluster: Cluster,
    user: Any,
    clock: DemoClock,
    organs: dict[str, Organ],
    persons: dict[int, list[DelegatedPerson]],
    represented: Member,
    member_user: Any,
) -> Meeting:
    """GOV-1 … GOV-5, GOV-7, GOV-14: the ordinary GA of 19.03.2026, from the notice to the objections."""
    rng = random.Random(SEED + 1)
    clock.set(at(2026, 2, 20, 9, 0))
    meeting = services.meeting_convene(
        organ=organs["ga"],
        user=user,
        title=_titled("Zwyczajne Walne Zgromadzenie", ga_past()),
        starts_at=ga_past(),
        second_term_at=ga_past() + dt.timedelta(minutes=15),
        place="Łódź, ul. Piotrkowska 276, sala konferencyjna",
        online_link="https://spotkania.example.pl/klaster-wz-2026-03",
        chair=user,
        notice_sent_at=clock.at,
        agenda=[
            "Otwarcie obrad i stwierdzenie zdolności do podejmowania uchwał",
            "Sprawozdanie Zarządu Klastra z działalności w 2025 r.",
            "Zatwierdzenie sprawozdania finansowego klastra za 2025 r.",
            "Podwyższenie składki członkowskiej od 1 stycznia 2027 r.",
            "Wolne wnioski i zamknięcie obrad",
        ],
    )
    entitled = [m for m in _entitled(meeting) if m != represented.pk]
    rng.shuffle(entitled)
    in_person, online = [represented.pk, *entitled[:31]], entitled[31:43]
    givers, late_giver, absent = entitled[43:48], entitled[48], entitled[49:]
    name = {m: persons[m][0].name for m in persons}
    # GOV-4: proxies by e-mail to the coordinator; two for the `czlonek` persona's person.
    holders = [
        (name[represented.pk], member_user),
        (name[represented.pk], member_user),
        (name[in_person[3]], None),
        (name[in_person[7]], None),
        (name[online[2]], None),
    ]
    for nth, (giver, (holder, holder_user)) in enumerate(zip(givers, holders, strict=True)):
        services.proxy_grant(
            meeting=meeting,
            user=user,
            giver=Member.objects.get(pk=giver),
            holder_name=holder,
            holder_user=holder_user,
            received_at=clock.set(at(2026, 3, 9 + nth, 11, 20)),
        )
    # Received the evening before: past the deadline (2 days before the meeting), refused with the reason.
    services.proxy_grant(
        meeting=meeting,
        user=user,
        giver=Member.objects.get(pk=late_giver),
        holder_name=name[in_person[5]],
        received_at=clock.set(at(2026, 3, 18, 18, 40)),
    )
    members = {m.pk: m for m in Member.objects.filter(pk__in=[*in_person, *online])}
    for i, m in enumerate(in_person):
        services.attendance_check_in(
            meeting=meeting,
            member=members[m],
            user=user,
            mode="in_person",
            person_name=name[m],
            at=clock.set(at(2026, 3, 19, 9, 30 + i // 2)),
        )
    for i, m in enumerate(online):
        services.attendance_check_in(
            meeting=meeting,
            member=members[m],
            user=user,
            mode="online",
            person_name=name[m],
            at=clock.set(at(2026, 3, 19, 9, 46 + i)),
        )
    clock.set(at(2026, 3, 19, 10, 5))
    services.meeting_open(meeting=meeting, user=user)
    items = list(meeting.agenda_items.order_by("position"))
    own = {represented.pk, *givers[:2]}
    voters = [*in_person, *online, *givers]

    clock.set(at(2026, 3, 19, 10, 40))
    vote = services.vote_open(
        meeting=meeting,
        user=user,
        title="Zatwierdzenie sprawozdania finansowego za 2025 r.",
        agenda_item=items[2],
    )
    clock.set(at(2026, 3, 19, 10, 44))
    _cast(
        vote,
        user=user,
        choices=_deal(voters, [("for", 45), ("against", 1), ("abstain", 3)]),
        member_user=member_user,
        own=own,
    )
    clock.set(at(2026, 3, 19, 10, 50))
    services.vote_close(vote=vote, user=user)
    first_vote = vote

    # One representative leaves before the second vote (attendance as events, GOV-6).
    leaving = online[-1]
    services.attendance_check_out(
        meeting=meeting, member=members[leaving], user=user, at=clock.set(at(2026, 3, 19, 11, 5))
    )
    clock.set(at(2026, 3, 19, 11, 20))
    vote = services.vote_open(
        meeting=meeting,
        user=user,
        title="Podwyższenie składki członkowskiej od 1.01.2027 r.",
        agenda_item=items[3],
    )
    clock.set(at(2026, 3, 19, 11, 26))
    # Adopted only by more than half of all entitled members (evoluma): 24 for is not enough.
    _cast(
        vote,
        user=user,
        choices=_deal(
            [v for v in voters if v != leaving], [("for", 24), ("against", 17), ("abstain", 7)]
        ),
        member_user=member_user,
        own=own,
    )
    clock.set(at(2026, 3, 19, 11, 35))
    services.vote_close(vote=vote, user=user)
    clock.set(at(2026, 3, 19, 12, 10))
    services.meeting_close(meeting=meeting, user=user)
    clock.set(at(2026, 3, 20, 9, 15))
    summary_send_offline(meeting=meeting, user=user)
    # GOV-5: a member that took no part objects within 5 business days of the summary.
    services.objection_file(
        vote=first_vote,
        member=Member.objects.get(pk=absent[0]),
        user=user,
        text="Nie otrzymaliśmy sprawozdania finansowego przed posiedzeniem.",
        received_at=clock.set(at(2026, 3, 24, 14, 30)),
    )
    return meeting


def summary_send_offline(*, meeting: Meeting, user: Any):
    """GOV-14 for the demo's past meetings: `summary_send` as it is, with its queueing step replaced
    by one that queues nothing (the worker sends nothing for meetings of months ago; the dispatch
    records the recipients and 0 messages, and the objection window starts) and without rendering
    a PDF nobody will receive."""
    with (
        mock.patch.object(minutes, "outbox_enqueue", lambda **kw: []),
        mock.patch.object(minutes, "minutes_pdf", lambda *, meeting: b""),
    ):
        return services.summary_send(meeting=meeting, user=user)


def council_meeting_build(
    *, cluster: Cluster, user: Any, clock: DemoClock, organs: dict[str, Organ], organ_user: Any
) -> Meeting:
    """The Council of 16.06.2026, chaired by the `rada` persona: 3/4 of the seats present, one vote."""
    from klaster.governance.selectors import seats_on

    council = organs["council"]
    clock.set(at(2026, 6, 2, 9, 0))
    meeting = services.meeting_convene(
        organ=council,
        user=user,
        title=_titled("Posiedzenie Rady Klastra", council_at()),
        starts_at=council_at(),
        place="Łódź, ul. Piotrkowska 276, sala 2.14",
        online_link="https://spotkania.example.pl/rada-2026-06",
        chair=organ_user,
        notice_sent_at=clock.at,
        agenda=[
            "Informacja Zarządu o realizacji planu działań w I półroczu 2026 r.",
            "Rekomendacja planu działań klastra na II półrocze 2026 r.",
            "Sprawy różne",
        ],
    )
    seats = list(seats_on(council, meeting.date).select_related("member", "person").order_by("id"))
    present = seats[:-2]
    for i, seat in enumerate(present):
        services.attendance_check_in(
            meeting=meeting,
            member=seat.member,
            user=user,
            mode="online" if i % 5 == 4 else "in_person",
            at=clock.set(at(2026, 6, 16, 13, 45 + i)),
        )
    clock.set(at(2026, 6, 16, 14, 2))
    services.meeting_open(meeting=meeting, user=organ_user)
    clock.set(at(2026, 6, 16, 14, 40))
    vote = services.vote_open(
        meeting=meeting,
        user=organ_user,
        title="Rekomendacja planu działań klastra na II półrocze 2026 r.",
        agenda_item=meeting.agenda_items.order_by("position")[1],
    )
    clock.set(at(2026, 6, 16, 14, 45))
    choices = _deal(
        [s.member_id for s in present], [("for", len(present) - 2), ("against", 1), ("abstain", 1)]
    )
    services.ballot_cast(vote=vote, user=organ_user, choices=choices, chair=True)
    clock.set(at(2026, 6, 16, 14, 50))
    services.vote_close(vote=vote, user=organ_user)
    clock.set(at(2026, 6, 16, 15, 30))
    services.meeting_close(meeting=meeting, user=organ_user)
    return meeting


def board_meeting_build(*, user: Any, clock: DemoClock, organs: dict[str, Organ]) -> Meeting:
    clock.set(at(2026, 6, 25, 10, 0))
    return services.meeting_convene(
        organ=organs["board"],
        user=user,
        title=_titled("Posiedzenie Zarządu Klastra", board_at()),
        starts_at=board_at(),
        place="Łódź, ul. Piotrkowska 276, sala 2.14",
        notice_sent_at=clock.at,
        agenda=["Sprawy członkowskie", "Przygotowanie wrześniowego Walnego Zgromadzenia"],
    )


def ga_next_build(
    *,
    user: Any,
    clock: DemoClock,
    organs: dict[str, Organ],
    persons: dict[int, list[DelegatedPerson]],
    represented: Member,
    member_user: Any,
) -> Meeting:
    """The ordinary GA of 15.09.2026, convened on 29.06.2026 (21 days' notice), with two proxies in."""
    clock.set(at(2026, 6, 29, 10, 0))
    meeting = services.meeting_convene(
        organ=organs["ga"],
        user=user,
        title=_titled("Zwyczajne Walne Zgromadzenie", ga_next()),
        starts_at=ga_next(),
        second_term_at=ga_next() + dt.timedelta(minutes=15),
        place="Łódź, ul. Piotrkowska 276, sala konferencyjna",
        online_link="https://spotkania.example.pl/klaster-wz-2026-09",
        chair=user,
        notice_sent_at=clock.at,
        agenda=[
            "Otwarcie obrad i stwierdzenie zdolności do podejmowania uchwał",
            "Informacja o wynikach akredytacji Krajowego Klastra Kluczowego",
            "Przyjęcie strategii rozwoju klastra na lata 2027–2030",
            "Sprawozdanie z działalności Grup Zaawansowanej Współpracy",
            "Wolne wnioski i zamknięcie obrad",
        ],
    )
    entitled = [m for m in _entitled(meeting) if m != represented.pk]
    holder = persons[represented.pk][0].name
    for i, giver in enumerate(entitled[-2:]):
        services.proxy_grant(
            meeting=meeting,
            user=user,
            giver=Member.objects.get(pk=giver),
            holder_name=holder,
            holder_user=member_user,
            received_at=clock.set(at(2026, 6, 29 + i, 15, 10)),
        )
    return meeting


def _free_nip(cluster: Cluster) -> str:
    from klaster.rules.dataset.synthetic import nip_check_digit

    for n in range(7_253_104, 7_253_204):
        body = f"72{n:07d}"
        digit = nip_check_digit(body)
        if (
            digit is not None
            and not Member.objects.filter(cluster=cluster, nip=f"{body}{digit}").exists()
        ):
            return f"{body}{digit}"
    raise RuntimeError("no free NIP for the demo candidate")


def admission_build(
    *, cluster: Cluster, user: Any, clock: DemoClock, board_meeting: Meeting
) -> Admission:
    """GOV-12: a Partner's file put before the Board with gaps the product lists (the KKK data, the
    second recommendation, the presentation, 25 % of the entry fee)."""
    from klaster.exchange.import_services import member_import_apply
    from klaster.exchange.spreadsheet import plan_import

    clock.set(at(2026, 6, 5, 11, 0))
    csv = (
        "nazwa;nip;typ;kategoria;ulica;kod pocztowy;miejscowość;e-mail\n"
        f"Precyzja Robotyka sp. z o.o.;{_free_nip(cluster)};mikro;partner;ul. Inżynierska 12;93-569;Łódź;"
        "biuro@precyzja-robotyka.example.pl\n"
    )
    plan = plan_import(cluster=cluster, data=csv.encode(), filename="kandydat-2026-06.csv")
    result = member_import_apply(cluster=cluster, user=user, plan=plan)
    candidate = Member.objects.get(pk=result.created[0])
    delegate_save(
        member=candidate,
        user=user,
        data={
            "name": "Agnieszka Sikora",
            "email": "agnieszka.sikora@precyzja-robotyka.example.pl",
            "position": "Prezes Zarządu",
            "to_general_assembly": True,
        },
    )
    admission = services.admission_open(
        cluster=cluster,
        user=user,
        candidate=candidate,
        category="partner",
        filed_on=day(2026, 6, 5),
    )
    recommender = cluster.members.filter(status="active", type="small").order_by("id").first()
    assert recommender is not None  # the demonstration dataset has small enterprises
    services.admission_update(
        admission=admission,
        user=user,
        data={
            "declaration_signed_on": day(2026, 6, 3),
            "rules_accepted_on": day(2026, 6, 3),
            "monitoring_data_provided": False,
            "entry_fee_due": Decimal("2000.00"),
        },
        recommenders=[recommender],
    )
    clock.set(at(2026, 6, 22, 10, 0))
    services.fee_payment_add(
        admission=admission, user=user, paid_on=day(2026, 6, 22), amount=Decimal("200.00")
    )
    clock.set(at(2026, 6, 26, 9, 30))
    return services.admission_schedule(admission=admission, user=user, meeting=board_meeting)


def ga_now_build(
    *,
    user: Any,
    clock: DemoClock,
    organs: dict[str, Organ],
    persons: dict[int, list[DelegatedPerson]],
    represented: Member,
    now: dt.datetime,
) -> Meeting:
    """Issue 9: a vote to cast now. An extraordinary GA sitting at the moment the demo is loaded
    (`now`, the real clock, not the shifted one), convened four weeks before; the quorum present
    (the `czlonek` persona's member online), one vote open — the persona casts its member's ballot
    on its page, the chair records the others'. Left open: the office closes the vote and the
    meeting, then sends the summary (to the demo mailbox)."""
    rng = random.Random(SEED + 3)
    starts = now.astimezone(WARSAW).replace(second=0, microsecond=0) - dt.timedelta(minutes=20)
    clock.set(starts - dt.timedelta(days=28))
    meeting = services.meeting_convene(
        organ=organs["ga"],
        user=user,
        title=_titled("Nadzwyczajne Walne Zgromadzenie", starts),
        kind=Meeting.Kind.EXTRAORDINARY,
        starts_at=starts,
        place="Łódź, ul. Piotrkowska 276, sala konferencyjna",
        online_link="https://spotkania.example.pl/klaster-nwz",
        chair=user,
        notice_sent_at=clock.at,
        agenda=[
            "Otwarcie obrad i stwierdzenie zdolności do podejmowania uchwał",
            "Przystąpienie klastra do konsorcjum projektu „Robotyzacja MŚP regionu łódzkiego”",
            "Zamknięcie obrad",
        ],
    )
    entitled = [m for m in _entitled(meeting) if m != represented.pk]
    rng.shuffle(entitled)
    present = entitled[: len(entitled) // 2 + 4]
    name = {m: persons[m][0].name for m in persons}
    members = {m.pk: m for m in Member.objects.filter(pk__in=[represented.pk, *present])}
    for i, m in enumerate([represented.pk, *present]):
        services.attendance_check_in(
            meeting=meeting,
            member=members[m],
            user=user,
            mode="online" if i % 3 == 0 else "in_person",
            person_name=name[m],
            at=clock.set(starts - dt.timedelta(minutes=15) + dt.timedelta(seconds=15 * i)),
        )
    clock.set(starts)
    services.meeting_open(meeting=meeting, user=user)
    items = list(meeting.agenda_items.order_by("position"))
    clock.set(starts + dt.timedelta(minutes=10))
    vote = services.vote_open(
        meeting=meeting,
        user=user,
        title="Przystąpienie klastra do konsorcjum projektu „Robotyzacja MŚP regionu łódzkiego”",
        agenda_item=items[1],
    )
    clock.set(starts + dt.timedelta(minutes=12))
    # some ballots are in; the `czlonek` persona's member has not voted yet
    _cast(vote, user=user, choices=_deal(present[:12], [("for", 10), ("abstain", 2)]))
    return meeting


def governance_demo_build(
    *,
    cluster: Cluster,
    user: Any,
    clock: DemoClock,
    organ_user: Any,
    member_user: Any,
    represented: Member,
    now: dt.datetime | None = None,
) -> DemoGovernance:
    """Everything above, in order. `user` is the office; `organ_user` (`rada`) chairs the Council;
    `member_user` (`czlonek`) represents `represented`, which attends the March GA. Given `now`
    (the real moment of loading), also the extraordinary GA sitting then, with a vote open."""
    persons = delegates_build(cluster=cluster, user=user, clock=clock)
    organs = organs_build(
        cluster=cluster,
        user=user,
        clock=clock,
        persons=persons,
        organ_user=organ_user,
        represented=represented,
    )
    ga_past = ga_past_build(
        cluster=cluster,
        user=user,
        clock=clock,
        organs=organs,
        persons=persons,
        represented=represented,
        member_user=member_user,
    )
    council_meeting = council_meeting_build(
        cluster=cluster, user=user, clock=clock, organs=organs, organ_user=organ_user
    )
    board_meeting = board_meeting_build(user=user, clock=clock, organs=organs)
    ga_next = ga_next_build(
        user=user,
        clock=clock,
        organs=organs,
        persons=persons,
        represented=represented,
        member_user=member_user,
    )
    admission = admission_build(
        cluster=cluster, user=user, clock=clock, board_meeting=board_meeting
    )
    if now is not None:
        ga_now_build(
            user=user,
            clock=clock,
            organs=organs,
            persons=persons,
            represented=represented,
            now=now,
        )
    return DemoGovernance(
        organs, persons, ga_past, council_meeting, board_meeting, ga_next, admission
    )
