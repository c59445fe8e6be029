"""Reads of the member registry. List queries use a fixed number of queries whatever the page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple, cast

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, IntegerField, Q, QuerySet
from django.db.models.functions import Coalesce

from klaster.core.models import AuditLog, Cluster
from klaster.members.models import (
    DelegatedPerson,
    IndependenceLink,
    LegalHold,
    Member,
    MembershipEvent,
    MemberType,
    MemberYear,
    NotificationEmail,
)
from klaster.members.personal_data import ERASED
from klaster.rules import identifiers, statute
from klaster.rules.admission_preferences import Candidate, Preferences, admission_preferences
from klaster.rules.calendar import add_months
from klaster.rules.membership import MembershipEvent as RuleEvent
from klaster.rules.membership import state_on
from klaster.rules.text import fold

DISTANCE_BANDS = {
    "50": (0, 50),
    "150": (0, 150),
    "200": (0, 200),
    "far": (201, None),
}


def member_list(
    cluster: Cluster,
    *,
    q: str = "",
    type: str = "",
    category: str = "",
    status: str = "",
    distance: str = "",
) -> QuerySet[Member]:
    qs = Member.objects.filter(cluster=cluster)
    if type:
        qs = qs.filter(type=type)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    if distance in DISTANCE_BANDS:
        low, high = DISTANCE_BANDS[distance]
        # the manual override wins over the computed distance (MEM-9): COALESCE, one expression
        # per row — cheaper to build, compile and evaluate than the same test written with
        # IS NULL / IS NOT NULL branches (issue 8: search + distance band). Whole-km bounds as
        # integers: on SQLite a decimal parameter is text, and a number never equals text.
        in_force = Coalesce("distance_override_km", "distance_km", output_field=IntegerField())
        qs = qs.alias(distance_in_force=in_force)
        if high is None:
            qs = qs.filter(distance_in_force__gte=low)
        else:
            qs = qs.filter(distance_in_force__range=(low, high))
    if q:
        # last: SQLite tests the WHERE terms in the order written, and the number comparisons
        # above are cheaper than these LIKEs (a search with a distance band counted in 1.7 ms
        # instead of 2.7 on 10,000 members)
        # issue 9: one LIKE on the folded name and city ("lodz" finds "Łódź"), the typed text
        # folded by the same function as the stored one (Member.search)
        cond = Q(search__contains=fold(q)) | Q(key=q)
        nip = identifiers.lookup_nip(q)  # MEM-4: "PL 526-025-02-74" as the form stores it
        if nip:
            cond |= Q(nip__startswith=nip)
        qs = qs.filter(cond)
    return qs.order_by("name", "id")


class MemberRow(NamedTuple):
    """One row of the member list page: the columns it shows, as stored (codes, not labels)."""

    id: int
    name: str
    type: str
    category: str
    city: str
    distance_km: int | None
    distance_override_km: Decimal | None  # MEM-9: entered by hand; wins over the computed distance
    status: str  # cached from the membership events (MEM-6)
    nip: str


def member_list_page(
    cluster: Cluster, filters: Mapping[str, str], number: int | str | None, *, per_page: int
) -> Page[MemberRow]:
    """The member list page: ``Paginator.get_page`` over the rows ``member_list`` selects (a
    wrong or too large page number gives the nearest page), as ``MemberRow`` tuples — the page's
    columns only, no model instances. Two queries whatever the members (the count, then the
    page): a plain page and a search's count are answered from an index alone
    (``member_list_idx``, ``member_search_idx``).

    The two statements are written here from the same conditions as ``member_list`` (the API's
    queryset; tests/members/test_member_list_page.py compares the two on every filter): the
    ORM's building and compiling of the filters, twice (count and page), cost more than the
    database's own work on a search with a distance band (issue 8)."""
    given = {k: v for k, v in filters.items() if v}
    where, params = _list_where(cluster, given)
    # _ListRows has what Paginator uses of a sequence (django-stubs asks for more)
    rows: Any = _ListRows(where, params, with_members=not given)
    page = Paginator(rows, per_page).get_page(number)
    return cast("Page[MemberRow]", page)


def _list_where(cluster: Cluster, filters: Mapping[str, str]) -> tuple[str, list[Any]]:
    """``member_list``'s WHERE as SQL text and parameters, the same terms in the same order."""
    terms = ['"cluster_id" = %s']
    params: list[Any] = [cluster.pk]
    for name in ("type", "category", "status"):
        if filters.get(name):
            terms.append(f'"{name}" = %s')
            params.append(filters[name])
    distance = filters.get("distance", "")
    if distance in DISTANCE_BANDS:
        low, high = DISTANCE_BANDS[distance]
        if high is None:
            terms.append('COALESCE("distance_override_km", "distance_km") >= %s')
            params.append(low)
        else:
            terms.append('COALESCE("distance_override_km", "distance_km") BETWEEN %s AND %s')
            params += [low, high]
    q = filters.get("q", "")
    if q:
        like = connection.ops.prep_for_like_query
        cond = '"search" LIKE %s ESCAPE \'\\\' OR "key" = %s'
        params += [f"%{like(fold(q))}%", q]
        nip = identifiers.lookup_nip(q)
        if nip:
            cond += " OR \"nip\" LIKE %s ESCAPE '\\'"
            params.append(f"{like(nip)}%")
        terms.append(f"({cond})")
    return " AND ".join(terms), params


# Names in double quotes, as both SQLite and PostgreSQL read them ("key" and "type" are words
# of SQL); values always as parameters.
_TABLE = f'"{Member._meta.db_table}"'
_COLUMNS = ", ".join(f'"{name}"' for name in MemberRow._fields)
_TENTH = Decimal("0.1")


class _ListRows:
    """What ``Paginator`` needs of the list: its count (one query, on first use) and a slice of
    rows (one query), with the values ``values_list`` would give."""

    def __init__(self, where: str, params: list[Any], *, with_members: bool = False) -> None:
        self.where, self.params, self.with_members = where, params, with_members
        #: on the unfiltered list, of the rows counted, the members `counted_members` counts
        #: (MEM-6: active or suspended) — read by the same statement as the count, from the
        #: list's covering index (issue 9: one member count on every page, said beside the
        #: register's entries). Not on a filtered list: a search's count reads the narrow
        #: search index, which has no status (asking for it there tripled the time).
        self.counted: int | None = None

    def count(self) -> int:
        if not self.with_members:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {_TABLE} WHERE {self.where}", self.params)  # noqa: S608 — names from the model, values as parameters
                return int(cursor.fetchone()[0])
        marks = ", ".join(["%s"] * len(COUNTED_STATUSES))
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT COUNT(*), SUM(CASE WHEN "status" IN ({marks}) THEN 1 ELSE 0 END) '  # noqa: S608 — as above
                f"FROM {_TABLE} WHERE {self.where}",
                [*COUNTED_STATUSES, *self.params],
            )
            total, counted = cursor.fetchone()
        self.counted = int(counted or 0)
        return int(total)

    def __getitem__(self, window: slice) -> list[MemberRow]:
        start, stop = window.start or 0, window.stop
        assert stop is not None  # Paginator asks for [bottom:top]
        if stop <= start:
            return []  # an empty list: no query
        sql = (
            f"SELECT {_COLUMNS} FROM {_TABLE} WHERE {self.where}"  # noqa: S608 — as above
            ' ORDER BY "name", "id" LIMIT %s OFFSET %s'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.params, stop - start, start])
            rows = cursor.fetchall()
        out = []
        for row in rows:
            override = row[6]
            if override is not None and not isinstance(override, Decimal):
                # SQLite gives a decimal column back as int or float; Django's converter rounds
                # it to the field's places, as here
                override = Decimal(str(override)).quantize(_TENTH)
            out.append(MemberRow._make((*row[:6], override, *row[7:])))
        return out


def members_on(cluster: Cluster, on: dt.date) -> list[Member]:
    """MEM-6: the member list as it stood on a past day, replayed from the events."""
    events: dict[int, list[RuleEvent]] = defaultdict(list)
    rows = MembershipEvent.objects.filter(member__cluster=cluster, date__lte=on).values_list(
        "member_id", "kind", "date", "id"
    )
    for member_id, kind, date, seq in rows:
        events[member_id].append(RuleEvent(kind=kind, date=date, seq=seq))
    ids = [mid for mid, evs in events.items() if state_on(evs, on).is_member]
    return list(Member.objects.filter(pk__in=ids).order_by("name", "id"))


def independence_links_of(member: Member) -> list[tuple[Member, IndependenceLink]]:
    """MEM-11: the member's partner and linked enterprises, whichever side the link was entered from."""
    rows = IndependenceLink.objects.filter(Q(member=member) | Q(other=member)).select_related(
        "member", "other"
    )
    return sorted(
        ((link.other if link.member_id == member.pk else link.member, link) for link in rows),
        key=lambda pair: (pair[1].kind, pair[0].name),
    )


def independence_conflicts(
    member: Member, links: list[tuple[Member, IndependenceLink]]
) -> list[tuple[Member, IndependenceLink]]:
    """MEM-11: an enterprise marked independent (samodzielne) cannot also be a partner or linked
    enterprise (Annex I art. 3(1) to Reg. 651/2014). The links that contradict the mark are
    returned for a warning on the page; nothing is silently changed."""
    if not member.is_enterprise or member.independent is not True:
        return []
    return list(links)


# 001 "Podejmowanie decyzji" 7: the person tells the coordinator "niezwłocznie (nie dłużej niż
# miesiąc)". Reading: the month ends on the same day of the next month (Kodeks cywilny art. 112,
# rules.calendar.add_months); the reminder shows from the day after. Not yet a statute-profile
# number: StatuteProfile has no field for it.
LINK_END_REPORT_MONTHS = 1


@dataclass(frozen=True)
class LinkEndReminder:
    person: DelegatedPerson
    deadline: dt.date  # last day for the person's notice to reach the coordinator
    overdue: bool


def delegate_link_end_reminders(cluster: Cluster, today: dt.date) -> list[LinkEndReminder]:
    """MEM-8: persons whose link with their member ended and whose notice has not reached the
    coordinator; ``overdue`` once the month has passed. Two queries whatever the count."""
    rows = (
        DelegatedPerson.objects.filter(
            member__cluster=cluster, link_ended__isnull=False, link_end_reported__isnull=True
        )
        .select_related("member")
        .order_by("link_ended", "id")
    )
    out = []
    for person in rows:
        assert person.link_ended is not None  # filtered on link_ended__isnull=False
        deadline = add_months(person.link_ended, LINK_END_REPORT_MONTHS)
        out.append(LinkEndReminder(person=person, deadline=deadline, overdue=today > deadline))
    return out


# When a cluster has no statute profile yet, its preferences are read from this preset:
# 000 (INFOTECH) is where the 150 km preference is written (§6.2.1, §7.3.1).
FALLBACK_STATUTE_PRESET = "infotech"


@dataclass(frozen=True)
class CandidatePreferences:
    result: Preferences
    radius_km: int | None
    radius_from: str  # "profile" (the cluster's version in force) or "preset"
    profile_since: dt.date | None


def candidate_preferences(member: Member, on: dt.date) -> CandidatePreferences:
    """MEM-10: which admission preferences a candidate meets, with the radius taken from the
    cluster's statute profile in force on ``on`` (the preset's number when none is set)."""
    from klaster.core.models import StatuteProfileVersion
    from klaster.core.services import statute_profile_in_force

    cluster = member.cluster
    profile = statute_profile_in_force(cluster, on)
    since = None
    if profile is None:
        profile = statute.PRESETS[FALLBACK_STATUTE_PRESET]
        source = "preset"
    else:
        source = "profile"
        since = (
            StatuteProfileVersion.objects.filter(cluster=cluster, valid_from__lte=on)
            .order_by("-valid_from")
            .values_list("valid_from", flat=True)
            .first()
        )
    radius = profile.admission.preferred_radius_km
    # Branch codes only when the specialisation is given in PKD: EKD or a description cannot be
    # compared with a register entry's PKD codes, so that preference shows as "cannot tell".
    branch = cluster.specialisation_codes if cluster.specialisation_classification == "PKD" else []
    candidate = Candidate(
        type=member.type,
        distance_km=member.effective_distance_km,
        pkd_codes=tuple(member.pkd_codes or ()),
        branch_revenue=member.branch_revenue,
        science_category=member.science_category or None,
    )
    result = admission_preferences(candidate, branch_codes=branch, radius_km=radius)
    return CandidatePreferences(
        result=result, radius_km=radius, radius_from=source, profile_since=since
    )


# MEM-12 (001 "Dane i informacje statystyczne" 2): members other than the office see totals
# only, "zachowując zasadę poufności". Reading: a total built from fewer than three members'
# figures would let one of them work out another's, so it is shown to the office only.
MIN_CONTRIBUTORS = 3
FIGURES = ("revenue", "export_revenue", "rd_expenditure", "fte")
COUNTED_STATUSES = (
    "active",
    "suspended",
)  # members on the register now (MEM-6); candidates and former excluded


def counted_members(cluster: Cluster) -> QuerySet[Member]:
    """The one definition of "a member" wherever a page says how many members the cluster has
    (MEM-6): on the register now, active or suspended; candidates and former members excluded.
    The home, the statistics and the office home all count through this."""
    return Member.objects.filter(cluster=cluster, status__in=COUNTED_STATUSES)


def member_counts_by_type(cluster: Cluster) -> list[tuple[str, int]]:
    """(type's display name, count) of counted members, in the order of the member types; one
    query."""
    found = {
        r["type"]: r["n"]
        for r in counted_members(cluster).order_by().values("type").annotate(n=Count("id"))
    }
    return [(str(label), found[value]) for value, label in MemberType.choices if value in found]


@dataclass(frozen=True)
class FigureTotal:
    total: Decimal | None
    reporting: int  # members whose figure for the year is filled in
    hidden: bool  # too few members to show to anyone but the office


@dataclass(frozen=True)
class YearTotals:
    year: int
    members: int  # members with any row for the year
    figures: dict[str, FigureTotal]


def member_year_totals(cluster: Cluster, *, office: bool) -> list[YearTotals]:
    """MEM-12: per fiscal year, the sum of revenue, export revenue, R&D expenditure and FTE over
    the cluster's current members (active or suspended). One query whatever the member count;
    summed here in Decimal, since SQLite's SUM over decimals goes through floats."""
    rows = (
        MemberYear.objects.filter(member__cluster=cluster, member__status__in=COUNTED_STATUSES)
        .values_list("year", "member_id", *FIGURES)
        .order_by("year")
    )
    sums: dict[int, dict[str, Decimal]] = defaultdict(dict)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    members: dict[int, set[int]] = defaultdict(set)
    for year, member_id, *values in rows:
        members[year].add(member_id)
        for name, value in zip(FIGURES, values, strict=True):
            if value is not None:
                sums[year][name] = sums[year].get(name, Decimal(0)) + value
                counts[year][name] += 1
    out = []
    for year in sorted(members):
        figures = {}
        for f in FIGURES:
            hidden = not office and counts[year][f] < MIN_CONTRIBUTORS
            figures[f] = FigureTotal(
                total=None if hidden else sums[year].get(f),
                reporting=counts[year][f],
                hidden=hidden,
            )
        out.append(YearTotals(year=year, members=len(members[year]), figures=figures))
    return out


def member_years_for(
    cluster: Cluster, member_ids: Iterable[int] | None, year: int | None
) -> QuerySet[MemberYear]:
    """MEM-12: individual figures — for the office every member's (``member_ids`` None), for a
    representative its own members' only."""
    qs = MemberYear.objects.filter(member__cluster=cluster)
    if member_ids is None:
        qs = qs.filter(member__status__in=COUNTED_STATUSES)  # the members the totals count
    else:
        qs = qs.filter(member_id__in=list(member_ids))
    if year is not None:
        qs = qs.filter(year=year)
    return qs.select_related("member").order_by("member__name", "member_id", "year")


# --- MEM-12: a person's data under RODO (export and erasure on request) ---

PERSONAL_FIELDS = ("name", "email", "phone", "position")


@dataclass(frozen=True)
class PersonData:
    """Everything the registry holds about one delegated person in one cluster."""

    person: DelegatedPerson
    records: list[
        DelegatedPerson
    ]  # this record and any other with the same e-mail (another member's)
    emails: list[NotificationEmail]  # members' notification addresses that are the person's e-mail
    holds: list[LegalHold]
    audit: list[AuditLog]  # entries about the records, or whose text names the person
    needles: list[str]  # the person's names, e-mails and phones as they appear anywhere


def _mentions(text: str, needles: Iterable[str]) -> bool:
    low = text.casefold()
    return any(n.casefold() in low for n in needles)


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


def person_data(person: DelegatedPerson) -> PersonData:
    """MEM-12: the person's records, the notification e-mails and audit entries naming them.

    Records are matched by the record itself and by the same e-mail (case-insensitive) in
    the same cluster; a bare name is not enough to say two records are one person. The
    audit log is searched for every name, e-mail and phone the records ever had, old values
    in their own audit entries included."""
    cluster_id = person.member.cluster_id
    match = Q(pk=person.pk)
    if person.email:
        match |= Q(email__iexact=person.email)
    records = list(
        DelegatedPerson.objects.filter(match, member__cluster_id=cluster_id)
        .select_related("member")
        .order_by("id")
    )
    addresses = {r.email.casefold() for r in records if r.email}
    emails = (
        [
            e
            for e in NotificationEmail.objects.filter(member__cluster_id=cluster_id).select_related(
                "member"
            )
            if e.email.casefold() in addresses
        ]
        if addresses
        else []
    )
    holds = list(LegalHold.objects.filter(person__in=records).order_by("-created_at", "-id"))
    record_ids = {str(r.pk) for r in records}
    email_ids = {str(e.pk) for e in emails}
    own = Q(model="members.DelegatedPerson", object_id__in=record_ids)
    if email_ids:
        own |= Q(model="members.NotificationEmail", object_id__in=email_ids)
    needles: set[str] = set()
    for r in records:
        needles.update((getattr(r, f) or "").strip() for f in ("name", "email", "phone"))
    for entry in AuditLog.objects.filter(own, cluster_id=cluster_id):
        for field in ("name", "email", "phone"):
            needles.update(s.strip() for s in _strings(entry.changes.get(field)))
    # Three characters at least: a shorter value would match inside unrelated words.
    ordered = sorted((n for n in needles if len(n) >= 3 and n != ERASED), key=len, reverse=True)
    audit = []
    for entry in (
        AuditLog.objects.filter(cluster_id=cluster_id)
        .order_by("at", "id")
        .iterator(chunk_size=2000)
    ):
        is_own = (entry.model == "members.DelegatedPerson" and entry.object_id in record_ids) or (
            entry.model == "members.NotificationEmail" and entry.object_id in email_ids
        )
        if is_own or _mentions(
            entry.object_repr + "\n" + "\n".join(_strings(entry.changes)), ordered
        ):
            audit.append(entry)
    return PersonData(
        person=person, records=records, emails=emails, holds=holds, audit=audit, needles=ordered
    )


def member_spans(cluster: Cluster) -> list[tuple[Any, Any]]:
    """Every register entry's (joined, left), for counts over time; one query."""
    return list(Member.objects.filter(cluster=cluster).order_by().values_list("joined", "left"))


# --- the annual statistics round (MEM-12, issue 12 point 5) ------------------------------------

#: the figures a member gives for the round's year (MemberYear's fields)
ROUND_FIELDS = ("revenue", "export_revenue", "rd_expenditure", "fte")


def round_field_labels() -> dict[str, str]:
    """The round's figures by their labels, as a person reads them."""
    from klaster.members.models import MemberYear

    return {f: str(getattr(MemberYear._meta.get_field(f), "verbose_name", f)) for f in ROUND_FIELDS}


@dataclass(frozen=True)
class RoundRow:
    member_id: int
    name: str
    #: "complete", "partial" or "missing"
    state: str
    #: the figures still empty (MemberYear field names; the page shows their labels)
    missing: tuple[str, ...]


@dataclass(frozen=True)
class RoundProgress:
    round: Any
    rows: list[RoundRow]

    @property
    def complete(self) -> int:
        return sum(1 for r in self.rows if r.state == "complete")

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def waiting(self) -> list[RoundRow]:
        return [r for r in self.rows if r.state != "complete"]


def open_statistics_round(cluster: Cluster) -> Any:
    from klaster.members.models import StatisticsRound

    return (
        StatisticsRound.objects.filter(cluster=cluster, closed_at__isnull=True)
        .order_by("-year")
        .first()
    )


def statistics_round_progress(
    round_: Any, *, member_ids: Iterable[int] | None = None
) -> RoundProgress:
    """MEM-12: each current member's figures for the round's year — complete, partial (which are
    missing) or missing. Two queries."""
    from klaster.members.models import MemberYear, Status

    members = Member.objects.filter(
        cluster_id=round_.cluster_id, status__in=(Status.ACTIVE, Status.SUSPENDED)
    )
    if member_ids is not None:
        members = members.filter(pk__in=list(member_ids))
    people = list(members.order_by("name", "pk").values_list("pk", "name"))
    years = {
        row["member_id"]: row
        for row in MemberYear.objects.filter(
            member__in=[pk for pk, _name in people], year=round_.year
        ).values("member_id", *ROUND_FIELDS)
    }
    rows = []
    for pk, name in people:
        year = years.get(pk)
        missing = tuple(f for f in ROUND_FIELDS if year is None or year[f] is None)
        state = "complete" if not missing else "missing" if year is None else "partial"
        rows.append(RoundRow(pk, name, state, missing))
    return RoundProgress(round_, rows)
