"""A cluster's statute profile: every number its governance rules need, held as data.

SPEC §2 says the numbers of the two source statutes (000 INFOTECH agreement, 001 Evoluma
bylaws) are *data*: a cluster picks a preset and may change any number, and the office
keeps dated versions (see `profile_in_force`). Nothing in `klaster.rules.governance`
writes a statute number as a literal; it reads it from a `StatuteProfile`.

Shares are exact `Fraction`s (never floats): "at least 50%" is `Fraction(1, 2)` with an
inclusive comparison; "more than half" is `Fraction(1, 2)` with a strict one. In JSON a
fraction is the string "1/2".

Presets: `infotech` from 000 alone; `evoluma` is 001 laid over 000 — where 001 says
nothing, or refers to its cooperation agreement, evoluma keeps infotech's number. Each number
cites its paragraph. A number taken that way from the agreement template, and a number with no
source at all, carries a `Confirm` mark on its rule (`confirm=(Confirm(field, source), ...)`;
`unconfirmed(profile)` lists them) so that the coordinator sees what to confirm (SPEC
"Reading (evoluma and its agreement)"). The marks are data: they survive the JSON round trip,
and a cluster confirms a number by removing its mark.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

FORMAT = "klaster-statute/1"

Organ = Literal["ga", "council", "council_presidium", "board", "board_presidium"]
ORGANS: tuple[Organ, ...] = ("ga", "council", "council_presidium", "board", "board_presidium")

#: Organ names as users read them (nominative, genitive).
ORGAN_NAMES_PL: Mapping[str, tuple[str, str]] = {
    "ga": ("Walne Zgromadzenie", "Walnego Zgromadzenia"),
    "council": ("Rada Klastra", "Rady Klastra"),
    "council_presidium": ("Prezydium Rady Klastra", "Prezydium Rady Klastra"),
    "board": ("Zarząd Klastra", "Zarządu Klastra"),
    "board_presidium": ("Prezydium Zarządu Klastra", "Prezydium Zarządu Klastra"),
}

MajorityKind = Literal["of_votes_cast", "of_entitled", "two_thirds_cast_half_present"]
MAJORITY_KINDS: tuple[MajorityKind, ...] = (
    "of_votes_cast",
    "of_entitled",
    "two_thirds_cast_half_present",
)
QuorumBasis = Literal["entitled"]
AttendanceMode = Literal["in_person", "online", "proxy", "absent"]
ATTENDANCE_MODES: tuple[AttendanceMode, ...] = ("in_person", "online", "proxy", "absent")
SeatRounding = Literal["ceil", "floor"]
Category = Literal["partner", "strategic_partner"]

#: The groups the Council and the Board should represent (000 §9.1, §11.2).
REPRESENTED_GROUPS: tuple[str, ...] = (
    "micro",
    "small",
    "medium",
    "large",
    "iob",
    "public_authority",
    "rd_education",
)
GROUP_NAMES_PL: Mapping[str, str] = {
    "micro": "mikroprzedsiębiorstwa",
    "small": "małe firmy",
    "medium": "średnie firmy",
    "large": "duże firmy",
    "iob": "instytucje otoczenia biznesu",
    "public_authority": "władze publiczne",
    "rd_education": "jednostki badawczo-rozwojowe i edukacyjne",
}

#: Decision kinds with their own majority in some statute; anything else is "ordinary".
DECISION_ORDINARY = "ordinary"
DECISION_ADMIT_PARTNER = "admit_partner"
DECISION_ADMIT_STRATEGIC_PARTNER = "admit_strategic_partner"


class StatuteProfileError(ValueError):
    """A statute profile (or its JSON) is invalid; `field` names the offending field path."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"Pole „{field}”: {message}" if field else message)

    def within(self, prefix: str) -> StatuteProfileError:
        path = f"{prefix}.{self.field}" if self.field else prefix
        return StatuteProfileError(path, self.message)


# --- validation helpers (used by __post_init__, so a hand-built profile is checked too) ---


def _share(name: str, value: Fraction, *, allow_zero: bool = False) -> None:
    if not isinstance(value, Fraction):
        raise StatuteProfileError(name, f"oczekiwano ułamka (Fraction), otrzymano {value!r}")
    low_ok = value >= 0 if allow_zero else value > 0
    if not low_ok or value > 1:
        interval = "[0, 1]" if allow_zero else "(0, 1]"
        raise StatuteProfileError(
            name, f"ułamek musi należeć do przedziału {interval}, otrzymano {value}"
        )


def _whole(name: str, value: int, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise StatuteProfileError(name, f"oczekiwano liczby całkowitej, otrzymano {value!r}")
    if value < minimum:
        raise StatuteProfileError(
            name, f"wartość musi wynosić co najmniej {minimum}, otrzymano {value}"
        )


def _organ_key(name: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise StatuteProfileError(
            name, f"niedozwolona wartość {value!r}; dozwolone: {', '.join(allowed)}"
        )


#: Where a number without its own source in the cluster's statute comes from (SPEC GOV-11/GOV-12
#: "Reading (evoluma and its agreement)"): taken from the agreement template 000 that the
#: statute refers to or leaves open, or with no source at all. Either way the coordinator
#: should confirm it; a cluster confirms a number by removing its mark.
ConfirmSource = Literal["agreement_template", "no_source"]
CONFIRM_SOURCES: tuple[ConfirmSource, ...] = ("agreement_template", "no_source")


@dataclass(frozen=True)
class Confirm:
    """A mark on one field of a rule: the number (or the whole nested rule) is to be confirmed."""

    field: str
    source: ConfirmSource

    def __post_init__(self) -> None:
        if not isinstance(self.field, str) or not self.field:
            raise StatuteProfileError("field", "podaj nazwę pola do potwierdzenia")
        _organ_key("source", self.source, CONFIRM_SOURCES)


def _confirm(owner: object) -> None:
    """Every mark names a real field of its rule, once."""
    marks: tuple[Confirm, ...] = getattr(owner, "confirm", ())
    names = {f.name for f in dataclasses.fields(owner)} - {"confirm"}  # type: ignore[arg-type]
    seen: set[str] = set()
    for i, mark in enumerate(marks):
        if not isinstance(mark, Confirm):
            raise StatuteProfileError(f"confirm[{i}]", f"oczekiwano oznaczenia, otrzymano {mark!r}")
        if mark.field not in names:
            raise StatuteProfileError(
                f"confirm[{i}].field",
                f"nieznane pole {mark.field!r}; dozwolone: {', '.join(sorted(names))}",
            )
        if mark.field in seen:
            raise StatuteProfileError(
                f"confirm[{i}].field", f"pole {mark.field!r} oznaczono więcej niż raz"
            )
        seen.add(mark.field)


# --- the profile ---


@dataclass(frozen=True)
class QuorumRule:
    """Presence needed before an organ may decide (GOV-2).

    `threshold` is the share of those entitled to vote that must be present, compared
    inclusively ("minimum 50%", "co najmniej połowy"). Presence in person, online and
    (when `counts_proxies`) by proxy counts (001 dec. 4).
    """

    threshold: Fraction
    basis: QuorumBasis = "entitled"
    counts_proxies: bool = True
    second_term: bool = False
    #: Quorum in the second term; None there means "whatever the number present" (000 §8.5).
    second_term_threshold: Fraction | None = None
    confirm: tuple[Confirm, ...] = ()

    def __post_init__(self) -> None:
        _confirm(self)
        _share("threshold", self.threshold)
        _organ_key("basis", self.basis, ("entitled",))
        if self.second_term_threshold is not None:
            if not self.second_term:
                raise StatuteProfileError(
                    "second_term_threshold",
                    "kworum drugiego terminu podane, choć statut nie przewiduje drugiego terminu",
                )
            _share("second_term_threshold", self.second_term_threshold, allow_zero=True)


@dataclass(frozen=True)
class MajorityRule:
    """How many votes for a resolution needs (GOV-3).

    `kind` fixes which number the share is taken of:

    - ``of_votes_cast`` — of the votes for and against (abstentions left out); with
      share 1/2 strict this is "more for than against" (zwykła większość, 000 §8.5);
    - ``of_entitled`` — of all those entitled to vote, present or not; with share 1/2
      strict this is "more than half of those entitled" (001 dec. 3: 6 of 10, 6 of 11);
    - ``two_thirds_cast_half_present`` — of all votes cast, abstentions included, with
      `min_present` of those entitled present (000 §6.3: share 2/3, inclusive, presence 1/2).

    `strict` chooses ">" (more than) over "≥" (at least).
    """

    kind: MajorityKind
    share: Fraction
    strict: bool
    min_present: Fraction | None = None
    confirm: tuple[Confirm, ...] = ()

    def __post_init__(self) -> None:
        _confirm(self)
        _organ_key("kind", self.kind, MAJORITY_KINDS)
        _share("share", self.share)
        if self.min_present is not None:
            _share("min_present", self.min_present)


@dataclass(frozen=True)
class DecisionMajority:
    """A majority that replaces the organ's ordinary one for one kind of decision."""

    decision: str
    rule: MajorityRule

    def __post_init__(self) -> None:
        if not self.decision or self.decision == DECISION_ORDINARY:
            raise StatuteProfileError(
                "decision", "rodzaj decyzji musi być niepusty i różny od „ordinary”"
            )


@dataclass(frozen=True)
class ProxyRule:
    """Giving one's vote to a natural person (GOV-4, 001 dec. 10–11).

    The cap is the lower of `share_cap` of all votes in the organ (rounded down to whole
    votes) and `count_cap`; it counts every vote the holder casts, its own member's too.
    A proxy must reach the coordinator by the end of the day `deadline_days_before`
    calendar days before the meeting's day.
    """

    share_cap: Fraction
    count_cap: int
    deadline_days_before: int
    lapses_on_attendance: bool = True
    confirm: tuple[Confirm, ...] = ()

    def __post_init__(self) -> None:
        _confirm(self)
        _share("share_cap", self.share_cap)
        _whole("count_cap", self.count_cap, minimum=1)
        _whole("deadline_days_before", self.deadline_days_before, minimum=0)


@dataclass(frozen=True)
class AttendanceDuty:
    """Minimum share of an organ's meetings attended within a rolling window (GOV-6)."""

    min_share: Fraction
    window_months: int
    counted_modes: tuple[AttendanceMode, ...] = ("in_person", "online")
    confirm: tuple[Confirm, ...] = ()

    def __post_init__(self) -> None:
        _confirm(self)
        _share("min_share", self.min_share)
        _whole("window_months", self.window_months, minimum=1)
        for mode in self.counted_modes:
            _organ_key("counted_modes", mode, ATTENDANCE_MODES)


@dataclass(frozen=True, kw_only=True)
class OrganRules:
    """What every organ has: quorum, majorities, proxies, attendance duty, notice."""

    quorum: QuorumRule | None
    majority: MajorityRule
    decisions: tuple[DecisionMajority, ...] = ()
    proxy: ProxyRule | None = None
    attendance: AttendanceDuty | None = None
    notice_days: int | None = None
    confirm: tuple[Confirm, ...] = ()

    def __post_init__(self) -> None:
        _confirm(self)
        seen = [d.decision for d in self.decisions]
        if len(seen) != len(set(seen)):
            raise StatuteProfileError("decisions", "ten sam rodzaj decyzji podano więcej niż raz")
        if self.notice_days is not None:
            _whole("notice_days", self.notice_days, minimum=0)

    def majority_for(self, decision: str = DECISION_ORDINARY) -> MajorityRule:
        for special in self.decisions:
            if special.decision == decision:
                return special.rule
        return self.majority


@dataclass(frozen=True, kw_only=True)
class GeneralAssemblyRules(OrganRules):
    ordinary_per_year: int
    electoral_every_years: int
    extraordinary_request_share: Fraction
    extraordinary_within_months: int

    def __post_init__(self) -> None:
        super().__post_init__()
        _whole("ordinary_per_year", self.ordinary_per_year, minimum=0)
        _whole("electoral_every_years", self.electoral_every_years, minimum=1)
        _share("extraordinary_request_share", self.extraordinary_request_share)
        _whole("extraordinary_within_months", self.extraordinary_within_months, minimum=1)


def _groups(name: str, groups: tuple[str, ...]) -> None:
    if len(set(groups)) != len(groups):
        raise StatuteProfileError(name, "ta sama grupa podana więcej niż raz")
    for group in groups:
        _organ_key(name, group, REPRESENTED_GROUPS)


@dataclass(frozen=True, kw_only=True)
class CouncilRules(OrganRules):
    members_per_seat: int
    seat_rounding: SeatRounding
    term_years: int
    represented_groups: tuple[str, ...] = REPRESENTED_GROUPS

    def __post_init__(self) -> None:
        super().__post_init__()
        _whole("members_per_seat", self.members_per_seat, minimum=1)
        _organ_key("seat_rounding", self.seat_rounding, ("ceil", "floor"))
        _whole("term_years", self.term_years, minimum=1)
        _groups("represented_groups", self.represented_groups)


@dataclass(frozen=True, kw_only=True)
class BoardRules(OrganRules):
    members_per_seat: int
    seat_rounding: SeatRounding
    coordinator_seats: int
    term_years: int
    min_meetings_per_month: int | None
    represented_groups: tuple[str, ...] = REPRESENTED_GROUPS

    def __post_init__(self) -> None:
        super().__post_init__()
        _whole("members_per_seat", self.members_per_seat, minimum=1)
        _organ_key("seat_rounding", self.seat_rounding, ("ceil", "floor"))
        _whole("coordinator_seats", self.coordinator_seats, minimum=0)
        _whole("term_years", self.term_years, minimum=1)
        if self.min_meetings_per_month is not None:
            _whole("min_meetings_per_month", self.min_meetings_per_month, minimum=1)
        _groups("represented_groups", self.represented_groups)


@dataclass(frozen=True, kw_only=True)
class PresidiumRules(OrganRules):
    size: int
    term_years: int | None
    permanent_from_coordinator: int = 0

    def __post_init__(self) -> None:
        super().__post_init__()
        _whole("size", self.size, minimum=1)
        if self.term_years is not None:
            _whole("term_years", self.term_years, minimum=1)
        _whole("permanent_from_coordinator", self.permanent_from_coordinator, minimum=0)
        if self.permanent_from_coordinator > self.size:
            raise StatuteProfileError(
                "permanent_from_coordinator", "stałych członków więcej niż miejsc w prezydium"
            )


@dataclass(frozen=True, kw_only=True)
class CouncilPresidiumRules(PresidiumRules):
    pass


@dataclass(frozen=True, kw_only=True)
class BoardPresidiumRules(PresidiumRules):
    pass


@dataclass(frozen=True)
class ObjectionRule:
    """Objections to a vote by those who did not take part (GOV-5, 001 dec. 12–13)."""

    business_days: int
    #: Share of those with decision rights in the organ whose objection sends the matter back.
    threshold: Fraction
    strict: bool = True
    confirm: tuple[Confirm, ...] = ()

    def __post_init__(self) -> None:
        _confirm(self)
        _whole("business_days", self.business_days, minimum=1)
        _share("threshold", self.threshold)


@dataclass(frozen=True)
class AdmissionRules:
    """Admission of new members (GOV-12)."""

    partner_organ: Organ
    strategic_partner_organ: Organ
    min_recommendations: int
    #: Business days before the deciding meeting by which the presentation is sent; None: none needed.
    presentation_business_days: int | None
    presentation_on_agenda: bool
    #: Share of the entry fee paid before the deciding meeting; None: nothing due before it.
    fee_deposit_share: Fraction | None
    requires_declaration: bool = True
    requires_rules_acceptance: bool = True
    requires_monitoring_data: bool = True
    #: Preference (not a bar): seat within this distance of the coordinator (MEM-10).
    preferred_radius_km: int | None = None
    confirm: tuple[Confirm, ...] = ()

    def __post_init__(self) -> None:
        _confirm(self)
        _organ_key("partner_organ", self.partner_organ, ORGANS)
        _organ_key("strategic_partner_organ", self.strategic_partner_organ, ORGANS)
        _whole("min_recommendations", self.min_recommendations, minimum=0)
        if self.presentation_business_days is not None:
            _whole("presentation_business_days", self.presentation_business_days, minimum=0)
        if self.fee_deposit_share is not None:
            _share("fee_deposit_share", self.fee_deposit_share)
        if self.preferred_radius_km is not None:
            _whole("preferred_radius_km", self.preferred_radius_km, minimum=0)


@dataclass(frozen=True)
class EntryFeeRule:
    """Entry fee as a multiple of the annual dues (FIN-6, FIN-8)."""

    annual_dues_multiplier: int
    near_multiplier: int
    near_radius_km: int
    return_within_years: int
    return_within_share: Fraction
    return_later_share: Fraction
    confirm: tuple[Confirm, ...] = ()

    def __post_init__(self) -> None:
        _confirm(self)
        _whole("annual_dues_multiplier", self.annual_dues_multiplier, minimum=0)
        _whole("near_multiplier", self.near_multiplier, minimum=0)
        _whole("near_radius_km", self.near_radius_km, minimum=0)
        _whole("return_within_years", self.return_within_years, minimum=0)
        _share("return_within_share", self.return_within_share, allow_zero=True)
        _share("return_later_share", self.return_later_share, allow_zero=True)


@dataclass(frozen=True)
class SuspensionRule:
    """Suspension of membership (FIN-7): a suspended member does not vote (GOV-1)."""

    max_months: int
    gap_months: int
    confirm: tuple[Confirm, ...] = ()

    def __post_init__(self) -> None:
        _confirm(self)
        _whole("max_months", self.max_months, minimum=1)
        _whole("gap_months", self.gap_months, minimum=0)


@dataclass(frozen=True)
class ArrearsRule:
    """Arrears letters (FIN-4): days after the due date, then days after the first letter."""

    first_notice_days: int
    second_notice_days: int
    confirm: tuple[Confirm, ...] = ()

    def __post_init__(self) -> None:
        _confirm(self)
        _whole("first_notice_days", self.first_notice_days, minimum=0)
        _whole("second_notice_days", self.second_notice_days, minimum=0)


@dataclass(frozen=True)
class MediationRule:
    """Dispute mediation by the Council Presidium (GOV-13)."""

    days: int
    involved_member_stands_aside: bool = True
    confirm: tuple[Confirm, ...] = ()

    def __post_init__(self) -> None:
        _confirm(self)
        _whole("days", self.days, minimum=1)


@dataclass(frozen=True)
class WorkingGroupRules:
    """Advanced Cooperation Groups (GZW-1, GZW-2)."""

    #: Declarations needed before a group starts; None: the statute sets no minimum.
    min_declarations_to_start: int | None
    min_initiators: int
    coordinator_may_initiate_alone: bool
    confirm: tuple[Confirm, ...] = ()

    def __post_init__(self) -> None:
        _confirm(self)
        if self.min_declarations_to_start is not None:
            _whole("min_declarations_to_start", self.min_declarations_to_start, minimum=1)
        _whole("min_initiators", self.min_initiators, minimum=1)


@dataclass(frozen=True)
class Source:
    """Where a number stands in the cluster's own documents: `path` is the number's (or its
    rule's) dotted path in the profile ("ga.notice_days", "board.decisions"), `paragraph` the
    provision as the documents number it ("000 §8.4", "001 dec. 10a")."""

    path: str
    paragraph: str

    def __post_init__(self) -> None:
        if not self.path.strip():
            raise StatuteProfileError("path", "ścieżka liczby nie może być pusta")
        if not self.paragraph.strip() or len(self.paragraph) > 120:
            raise StatuteProfileError("paragraph", "podaj przepis (do 120 znaków)")


PATH_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _resolves(root: object, path: str) -> bool:
    """Whether a dotted path ("board.decisions[0].rule") names a field of the profile (a rule
    the profile does not have, None, still resolves: its paragraph waits for it)."""
    value: Any = root
    for name, index in PATH_TOKEN.findall(path):
        if value is None:
            return True
        if index:
            if not isinstance(value, tuple) or int(index) >= len(value):
                return False
            value = value[int(index)]
        elif dataclasses.is_dataclass(value) and name in {
            f.name for f in dataclasses.fields(value) if f.name not in ("confirm", "sources")
        }:
            value = getattr(value, name)
        else:
            return False
    return True


@dataclass(frozen=True)
class StatuteProfile:
    name: str
    ga: GeneralAssemblyRules
    council: CouncilRules
    council_presidium: CouncilPresidiumRules
    board: BoardRules
    board_presidium: BoardPresidiumRules
    #: Only members paying dues (and strategic partners) vote (GOV-1, 001 dec. 1, fin. 4).
    dues_condition_vote: bool
    objections: ObjectionRule | None
    admission: AdmissionRules
    mediation: MediationRule
    entry_fee: EntryFeeRule | None
    suspension: SuspensionRule | None
    arrears: ArrearsRule | None
    working_groups: WorkingGroupRules
    #: The coordinator meets each member at least once in this many months (GOV-15).
    individual_meeting_months: int | None
    confirm: tuple[Confirm, ...] = ()
    #: The provision each number comes from, shown beside it (issue 9 point 3; `source_of`).
    sources: tuple[Source, ...] = ()

    def __post_init__(self) -> None:
        _confirm(self)
        if not self.name.strip():
            raise StatuteProfileError("name", "nazwa profilu nie może być pusta")
        if self.individual_meeting_months is not None:
            _whole("individual_meeting_months", self.individual_meeting_months, minimum=1)
        seen: set[str] = set()
        for i, source in enumerate(self.sources):
            if not isinstance(source, Source):
                raise StatuteProfileError(
                    f"sources[{i}]", f"oczekiwano przepisu, otrzymano {source!r}"
                )
            if source.path in seen:
                raise StatuteProfileError(f"sources[{i}].path", f"{source.path!r} podano dwa razy")
            if not _resolves(self, source.path):
                raise StatuteProfileError(f"sources[{i}].path", f"nieznana liczba {source.path!r}")
            seen.add(source.path)

    def organ(self, organ: Organ) -> OrganRules:
        rules: OrganRules = getattr(self, organ)
        return rules


# --- presets ---

_HALF = Fraction(1, 2)
_MORE_FOR_THAN_AGAINST = MajorityRule(kind="of_votes_cast", share=_HALF, strict=True)
# 001 dec. 3: "większością 50% + 1 uprawnionych do głosowania"; SPEC GOV-3 Reading: more
# than half of those entitled (6 of 10, 6 of 11), hence share 1/2 with a strict ">".
_MORE_THAN_HALF_ENTITLED = MajorityRule(kind="of_entitled", share=_HALF, strict=True)
# Reading (not in 000): 000 sets a quorum only for the GA (§8.5) and for admissions (§6.3,
# "at least half of those entitled present"); for the Council, the Board and the presidia it
# is silent, so the preset applies the same half by analogy. A cluster can change it.
_HALF_PRESENT = QuorumRule(threshold=_HALF)
# SPEC "Reading (evoluma and its agreement)": what has no source at all, and what a preset takes
# from the agreement template 000 because its own statute refers to it or leaves it open, is
# marked for the coordinator to confirm.
_NO_SOURCE: ConfirmSource = "no_source"
_TEMPLATE: ConfirmSource = "agreement_template"


def _marks(source: ConfirmSource, *fields: str) -> tuple[Confirm, ...]:
    return tuple(Confirm(field, source) for field in fields)


def _sources(**paragraphs: str) -> tuple[Source, ...]:
    """Preset sources from keyword arguments: `ga__notice_days="000 §8.4"`."""
    return tuple(Source(path.replace("__", "."), text) for path, text in paragraphs.items())


# The provisions of the agreement template 000 (INFOTECH) each number comes from.
_INFOTECH_SOURCES = dict(
    ga__quorum="000 §8.5",
    ga__majority="000 §8.5",
    ga__notice_days="000 §8.4",
    ga__ordinary_per_year="000 §8.4",
    ga__electoral_every_years="000 §8.4",
    ga__extraordinary_request_share="000 §8.6.3",
    ga__extraordinary_within_months="000 §8.7",
    council__members_per_seat="000 §9.1",
    council__term_years="000 §9.1",
    council__represented_groups="000 §9.1",
    council_presidium__size="000 §10.1",
    council_presidium__term_years="000 §10.1",
    board__decisions="000 §6.3",
    board__members_per_seat="000 §11.2",
    board__coordinator_seats="000 §11.2",
    board__term_years="000 §11.1",
    board__min_meetings_per_month="000 §11.3",
    board__represented_groups="000 §11.2",
    board_presidium__size="000 §12.1",
    board_presidium__term_years="000 §12.1",
    board_presidium__permanent_from_coordinator="000 §12.1",
    dues_condition_vote="000 §6.4.2, §7.4.2",
    admission__partner_organ="000 §6.3, §11.4.7",
    admission__strategic_partner_organ="000 §7.3.3, §9.2.4",
    admission__min_recommendations="000 §6.1",
    admission__requires_declaration="000 §6.1",
    admission__requires_rules_acceptance="000 §6.1",
    admission__requires_monitoring_data="000 §6.1",
    admission__preferred_radius_km="000 §6.2.1, §7.3.1",
    mediation__days="000 §10.5",
    mediation__involved_member_stands_aside="000 §10.4",
    working_groups__min_initiators="000 §14.2",
    working_groups__coordinator_may_initiate_alone="000 §14.2",
)
# Evoluma's own provisions (001) where it sets a number; the rest stays the template's.
_EVOLUMA_SOURCES = dict(
    _INFOTECH_SOURCES,
    ga__quorum="001 dec. 4a, 000 §8.5",
    ga__majority="001 dec. 3",
    ga__proxy="001 dec. 10–10a",
    ga__attendance="001 dec. 4a",
    council__quorum="001 dec. 4b",
    council__majority="001 dec. 3",
    council__proxy="001 dec. 10–10b",
    council__attendance="001 dec. 4b",
    council_presidium__majority="001 dec. 3",
    board__quorum="001 dec. 4c",
    board__majority="001 dec. 3",
    board__decisions="001 Nowi członkowie 2e → 000 §6.3",
    board__proxy="001 dec. 10–10c",
    board__attendance="001 dec. 4c",
    board_presidium__majority="001 dec. 3",
    dues_condition_vote="001 dec. 1, fin. 4",
    objections__business_days="001 dec. 12",
    objections__threshold="001 dec. 13",
    objections__strict="001 dec. 13",
    admission__min_recommendations="001 Nowi członkowie 2a",
    admission__presentation_business_days="001 Nowi członkowie 2b",
    admission__presentation_on_agenda="001 Nowi członkowie 2b",
    admission__fee_deposit_share="001 Nowi członkowie 2c",
    admission__preferred_radius_km="001 Nowi członkowie 1 → 000 §6.2",
    entry_fee__annual_dues_multiplier="001 Opłaty wpisowe 1",
    entry_fee__near_multiplier="001 Opłaty wpisowe 2",
    entry_fee__near_radius_km="001 Opłaty wpisowe 2 → 000 §6.2.1",
    entry_fee__return_within_years="001 Powrót 1",
    entry_fee__return_within_share="001 Powrót 1",
    entry_fee__return_later_share="001 Powrót 2",
    suspension__max_months="001 Zawieszenie 1",
    suspension__gap_months="001 Zawieszenie 4",
    arrears="001 fin. 5",
    working_groups__min_declarations_to_start="001 Zaawansowana współpraca 2",
    individual_meeting_months="001 Zasady współpracy 2–3",
)


INFOTECH = StatuteProfile(
    name="infotech",
    ga=GeneralAssemblyRules(
        # 000 §8.5: "co najmniej połowy członków uprawnionych" in the first term; the second
        # term (same day allowed) "bez względu na liczbę obecnych".
        quorum=QuorumRule(threshold=_HALF, second_term=True, second_term_threshold=None),
        majority=_MORE_FOR_THAN_AGAINST,  # 000 §8.5: "zwykłą większością głosów"
        proxy=None,  # 000 is silent on proxies
        attendance=None,  # 000 sets no attendance duty
        notice_days=21,  # 000 §8.4: "co najmniej na 21 dni przed terminem"
        ordinary_per_year=2,  # 000 §8.4: "dwa razy w roku jako sprawozdawcze"
        electoral_every_years=3,  # 000 §8.4: "co trzy lata jako sprawozdawczo-wyborcze"
        extraordinary_request_share=Fraction(1, 4),  # 000 §8.6.3: "co najmniej jednej czwartej"
        extraordinary_within_months=1,  # 000 §8.7: "w terminie jednego miesiąca"
    ),
    council=CouncilRules(
        quorum=_HALF_PRESENT,  # Reading by analogy with 000 §8.5 (see above)
        majority=_MORE_FOR_THAN_AGAINST,  # Reading: 000 §8.5's simple majority by analogy
        members_per_seat=5,  # 000 §9.1: "1 członek Rady na 5 członków klastra"
        # Reading: a started five still earns a seat (ceil); see seats.py for why.
        seat_rounding="ceil",
        term_years=3,  # 000 §9.1: "Kadencja Rady Klastra trwa 3 lata"
        represented_groups=REPRESENTED_GROUPS,  # 000 §9.1
        # 000 §9 sets neither quorum nor majority for the Council, nor how to round the seats.
        confirm=_marks(_NO_SOURCE, "quorum", "majority", "seat_rounding"),
    ),
    council_presidium=CouncilPresidiumRules(
        quorum=_HALF_PRESENT,  # Reading by analogy with 000 §8.5
        majority=_MORE_FOR_THAN_AGAINST,
        size=5,  # 000 §10.1: "składa się z pięciu osób"
        term_years=3,  # 000 §10.1: "Kadencja Prezydium trwa 3 lata"
        confirm=_marks(_NO_SOURCE, "quorum", "majority"),  # 000 §10 is silent on both
    ),
    board=BoardRules(
        quorum=_HALF_PRESENT,  # Reading by analogy with 000 §8.5
        majority=_MORE_FOR_THAN_AGAINST,  # Reading: 000 §8.5's simple majority by analogy
        decisions=(
            # 000 §6.3: "większością 2/3 głosów przy obecności co najmniej połowy uprawnionych";
            # SPEC GOV-3 Reading: ≥ 2/3 of the votes cast, abstentions being cast votes.
            DecisionMajority(
                decision=DECISION_ADMIT_PARTNER,
                rule=MajorityRule(
                    kind="two_thirds_cast_half_present",
                    share=Fraction(2, 3),
                    strict=False,
                    min_present=_HALF,
                ),
            ),
        ),
        members_per_seat=30,  # 000 §11.2: "1 członek Zarządu na 30 członków klastra"
        seat_rounding="ceil",  # Reading, as for the Council
        coordinator_seats=1,  # 000 §11.2: "W skład Zarządu wchodzi 1 przedstawiciel Koordynatora"
        term_years=4,  # 000 §11.1: "Jego kadencja trwa 4 lata"
        min_meetings_per_month=1,  # 000 §11.3: "nie rzadziej jednak niż raz na miesiąc"
        represented_groups=REPRESENTED_GROUPS,  # 000 §11.2
        # 000 §11 sets no quorum and no ordinary majority for the Board (only §6.3's for
        # admissions), nor how to round the seats.
        confirm=_marks(_NO_SOURCE, "quorum", "majority", "seat_rounding"),
    ),
    board_presidium=BoardPresidiumRules(
        quorum=_HALF_PRESENT,  # Reading by analogy with 000 §8.5
        majority=_MORE_FOR_THAN_AGAINST,
        size=3,  # 000 §12.1: "składa się z trzech osób"
        term_years=None,  # 000 §12.1: rotation by the Board's own rules, no fixed term
        permanent_from_coordinator=1,  # 000 §12.1: "Stałym członkiem ... członek zarządu Koordynatora"
        confirm=_marks(_NO_SOURCE, "quorum", "majority"),  # 000 §12 is silent on both
    ),
    # 000 §6.4.2, §7.4.2: every Partner and Strategic Partner votes; dues play no part.
    dues_condition_vote=False,
    objections=None,  # 000 has no objection procedure
    admission=AdmissionRules(
        partner_organ="board",  # 000 §6.3, §11.4.7
        strategic_partner_organ="council",  # 000 §7.3.3, §9.2.4
        min_recommendations=0,  # 000 §6.1: declaration, rules, KKK data only
        presentation_business_days=None,
        presentation_on_agenda=False,
        fee_deposit_share=None,  # 000 has no entry fee
        preferred_radius_km=150,  # 000 §6.2.1, §7.3.1
    ),
    mediation=MediationRule(days=30),  # 000 §10.5 ("w ciągu 30 dni"); §10.4 stands aside
    entry_fee=None,  # 000 has no entry fee
    suspension=None,  # 000 has no suspension
    arrears=None,  # 000 has no dues procedure
    working_groups=WorkingGroupRules(
        min_declarations_to_start=None,  # 000 §14 sets no minimum to start a group
        min_initiators=5,  # 000 §14.2: "z inicjatywy minimum 5 łącznie Partnerów i Partnerów Strategicznych"
        coordinator_may_initiate_alone=True,  # 000 §14.2: "bądź jednoosobowo Koordynatora"
    ),
    individual_meeting_months=None,  # 000 §15.3.8: individual contacts, no frequency
    sources=_sources(**_INFOTECH_SOURCES),
)

# 001 dec. 10: "na 2 dwa dni przed spotkaniem"; SPEC GOV-4 Reading: by the end of the day
# two calendar days before the meeting's day.
_PROXY_DEADLINE_DAYS = 2

EVOLUMA = dataclasses.replace(
    INFOTECH,
    name="evoluma",
    ga=dataclasses.replace(
        INFOTECH.ga,
        # 001 dec. 4a: "minimum 50%" in person, online or by proxy. The second term of 000 §8.5
        # is kept (SPEC "Reading (evoluma and its agreement)"): 001 does not mention it (with
        # 001 dec. 3's majority of all entitled it can never change an outcome, only whether
        # the meeting may sit) — taken from the agreement template, to be confirmed.
        quorum=QuorumRule(
            threshold=_HALF,
            second_term=True,
            second_term_threshold=None,
            confirm=_marks(_TEMPLATE, "second_term"),
        ),
        majority=_MORE_THAN_HALF_ENTITLED,  # 001 dec. 3
        # 001 dec. 10a: "10% ogółu głosów - nie więcej niż 12 głosów"
        proxy=ProxyRule(
            share_cap=Fraction(1, 10), count_cap=12, deadline_days_before=_PROXY_DEADLINE_DAYS
        ),
        # 001 dec. 4a: "minimum 25% uczestnictwa w okresie 2 lat w formie osobistej lub on-line"
        attendance=AttendanceDuty(min_share=Fraction(1, 4), window_months=24),
        # 001 says nothing of notice and the GA calendar: 000 §8.4, §8.6.3, §8.7 apply.
        confirm=_marks(
            _TEMPLATE,
            "notice_days",
            "ordinary_per_year",
            "electoral_every_years",
            "extraordinary_request_share",
            "extraordinary_within_months",
        ),
    ),
    council=dataclasses.replace(
        INFOTECH.council,
        quorum=QuorumRule(threshold=Fraction(3, 4)),  # 001 dec. 4b: "minimum 75%"
        majority=_MORE_THAN_HALF_ENTITLED,  # 001 dec. 3
        # 001 dec. 10b: "20 % głosów – nie więcej niż 4 głosów"
        proxy=ProxyRule(
            share_cap=Fraction(1, 5), count_cap=4, deadline_days_before=_PROXY_DEADLINE_DAYS
        ),
        # 001 dec. 4b: "minimum 25% uczestnictwa w okresie roku"
        attendance=AttendanceDuty(min_share=Fraction(1, 4), window_months=12),
        # Seats and term: 000 §9.1, which 001 leaves as they are.
        confirm=(
            *_marks(_TEMPLATE, "members_per_seat", "term_years", "represented_groups"),
            Confirm("seat_rounding", _NO_SOURCE),
        ),
    ),
    council_presidium=dataclasses.replace(
        INFOTECH.council_presidium,
        majority=_MORE_THAN_HALF_ENTITLED,  # 001 dec. 3: "we wszystkich organach"
        # quorum: 001 dec. 4 lists GA, Council, Board only, so infotech's reading stays.
        # proxy: 001 dec. 10 caps only GA, Council, Board: no proxies in a presidium.
        confirm=(Confirm("quorum", _NO_SOURCE), *_marks(_TEMPLATE, "size", "term_years")),
    ),
    board=dataclasses.replace(
        INFOTECH.board,
        quorum=QuorumRule(threshold=Fraction(4, 5)),  # 001 dec. 4c: "minimum 80%"
        majority=_MORE_THAN_HALF_ENTITLED,  # 001 dec. 3
        # 001 "Nowi członkowie" 2e: the Board admits a Partner "na podstawie §6. ust. 3
        # Porozumienia" — 000 §6.3: 2/3 of the votes cast with at least half of those entitled
        # present (SPEC "Reading (evoluma and its agreement)", GOV-3, GOV-12). From the agreement
        # template: to be confirmed.
        decisions=INFOTECH.board.decisions,
        # 001 dec. 10c: "30 % głosów – nie więcej niż 3 głosy"
        proxy=ProxyRule(
            share_cap=Fraction(3, 10), count_cap=3, deadline_days_before=_PROXY_DEADLINE_DAYS
        ),
        # 001 dec. 4c: "minimum 2/3 uczestnictwa w okresie roku"
        attendance=AttendanceDuty(min_share=Fraction(2, 3), window_months=12),
        # Admissions, seats, term and cadence: 000 §6.3, §11.1–11.3, which 001 keeps.
        confirm=(
            *_marks(
                _TEMPLATE,
                "decisions",
                "members_per_seat",
                "coordinator_seats",
                "term_years",
                "min_meetings_per_month",
                "represented_groups",
            ),
            Confirm("seat_rounding", _NO_SOURCE),
        ),
    ),
    board_presidium=dataclasses.replace(
        INFOTECH.board_presidium,
        majority=_MORE_THAN_HALF_ENTITLED,  # 001 dec. 3: "we wszystkich organach"
        # quorum as for the Council Presidium; composition from 000 §12.1.
        confirm=(
            Confirm("quorum", _NO_SOURCE),
            *_marks(_TEMPLATE, "size", "term_years", "permanent_from_coordinator"),
        ),
    ),
    # 001 dec. 1: only dues-paying partners and strategic partners decide; fin. 4: an
    # exempted member loses the vote but may attend and speak.
    dues_condition_vote=True,
    # 001 dec. 12: "w przeciągu 5 dni roboczych"; dec. 13: "ponad połowa podmiotów mających
    # prawo podejmowania decyzji" — more than half, hence strict.
    objections=ObjectionRule(business_days=5, threshold=_HALF, strict=True),
    admission=dataclasses.replace(
        INFOTECH.admission,
        min_recommendations=2,  # 001 "Nowi członkowie" 2a: "minimum 2 dotychczasowych członków"
        presentation_business_days=5,  # 001 "Nowi członkowie" 2b: "minimum 5 dni roboczych przed"
        presentation_on_agenda=True,  # 001 "Nowi członkowie" 2b: "ujętej w harmonogramie prac Zarządu"
        fee_deposit_share=Fraction(1, 4),  # 001 "Nowi członkowie" 2c: "25% ... opłaty wpisowej"
        # The declaration, the rules and the KKK data (000 §6.1) and the 150 km preference
        # (001 "Nowi członkowie" 1 → 000 §6.2) come from the agreement template.
        confirm=_marks(
            _TEMPLATE,
            "requires_declaration",
            "requires_rules_acceptance",
            "requires_monitoring_data",
            "preferred_radius_km",
        ),
    ),
    entry_fee=EntryFeeRule(
        annual_dues_multiplier=2,  # 001 "Opłaty wpisowe" 1: "dwukrotności składki rocznej"
        near_multiplier=1,  # 001 "Opłaty wpisowe" 2: "wartość rocznej składki"
        near_radius_km=150,  # 001 "Opłaty wpisowe" 2 → 000 §6.2.1: "do 150 km"
        return_within_years=2,  # 001 "Powrót" 1: "w terminie krótszym niż 2 lata"
        return_within_share=_HALF,  # 001 "Powrót" 1: "połowy wpisowego"
        return_later_share=Fraction(1),  # 001 "Powrót" 2: "całą kwotę wpisowego"
        confirm=_marks(_TEMPLATE, "near_radius_km"),  # the radius itself is 000 §6.2.1's
    ),
    # 001 "Zawieszenie" 1: "nie dłuższy niż 12 miesięcy"; 4: not again "w okresie 12 miesięcy".
    suspension=SuspensionRule(max_months=12, gap_months=12),
    # 001 fin. 5: "po 60 dniach od terminu płatności", "po kolejnych 30 dniach".
    arrears=ArrearsRule(first_notice_days=60, second_notice_days=30),
    working_groups=dataclasses.replace(
        INFOTECH.working_groups,
        # 001 "Zaawansowana współpraca" 2: "zgłoszenie ... minimum przez 5 członków Klastra"
        min_declarations_to_start=5,
        # 001 "Zaawansowana współpraca" 5 → 000 §14.2: who may start a group.
        confirm=_marks(_TEMPLATE, "min_initiators", "coordinator_may_initiate_alone"),
    ),
    # 001 "Zasady współpracy" 2–3: "przynajmniej raz na rok".
    individual_meeting_months=12,
    # Mediation: 000 §10.3–10.5; 001 has none of its own.
    confirm=_marks(_TEMPLATE, "mediation"),
    sources=_sources(**_EVOLUMA_SOURCES),
)

PRESETS: Mapping[str, StatuteProfile] = {"infotech": INFOTECH, "evoluma": EVOLUMA}


# --- JSON ---


def _dump(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, tuple):
        return [_dump(item) for item in value]
    return value


def profile_to_dict(profile: StatuteProfile) -> dict[str, Any]:
    """JSON-safe dict (fractions as "n/d" strings) for storing a dated profile version."""
    dumped = _dump(profile)
    assert isinstance(dumped, dict)
    return {"format": FORMAT, **dumped}


_FRACTION_RE = re.compile(r"^\s*(\d+)\s*(?:/\s*(\d+)\s*)?$")


def _type_label(tp: object) -> str:
    labels: dict[object, str] = {
        int: "liczby całkowitej",
        bool: "wartości logicznej (true/false)",
        str: "tekstu",
        Fraction: 'ułamka w postaci tekstu „licznik/mianownik” (np. "1/2")',
    }
    return labels.get(tp, str(tp))


def _load(tp: Any, value: Any, path: str) -> Any:
    origin = get_origin(tp)
    if origin is Union or origin is types.UnionType:
        options = [a for a in get_args(tp) if a is not type(None)]
        if value is None:
            if len(options) < len(get_args(tp)):
                return None
            raise StatuteProfileError(path, "wartość wymagana, otrzymano null")
        if len(options) != 1:
            raise StatuteProfileError(path, f"nieobsługiwany typ pola: {tp}")
        return _load(options[0], value, path)
    if origin is Literal:
        allowed = get_args(tp)
        if value not in allowed:
            raise StatuteProfileError(
                path,
                f"niedozwolona wartość {value!r}; dozwolone: {', '.join(map(str, allowed))}",
            )
        return value
    if origin is tuple:
        item_type, *rest = get_args(tp)
        if rest != [Ellipsis]:
            raise StatuteProfileError(path, f"nieobsługiwany typ pola: {tp}")
        if not isinstance(value, list | tuple):
            raise StatuteProfileError(path, f"oczekiwano listy, otrzymano {value!r}")
        return tuple(_load(item_type, item, f"{path}[{i}]") for i, item in enumerate(value))
    if tp is bool:
        if not isinstance(value, bool):
            raise StatuteProfileError(path, f"oczekiwano {_type_label(bool)}, otrzymano {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise StatuteProfileError(path, f"oczekiwano {_type_label(int)}, otrzymano {value!r}")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise StatuteProfileError(path, f"oczekiwano {_type_label(str)}, otrzymano {value!r}")
        return value
    if tp is Fraction:
        match = _FRACTION_RE.match(value) if isinstance(value, str) else None
        if match is None:
            raise StatuteProfileError(
                path, f"oczekiwano {_type_label(Fraction)}, otrzymano {value!r}"
            )
        numerator, denominator = int(match.group(1)), int(match.group(2) or 1)
        if denominator == 0:
            raise StatuteProfileError(path, f"mianownik ułamka nie może być zerem: {value!r}")
        return Fraction(numerator, denominator)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _load_dataclass(tp, value, path)
    raise StatuteProfileError(path, f"nieobsługiwany typ pola: {tp}")


def _load_dataclass(cls: type[Any], value: Any, path: str) -> Any:
    if not isinstance(value, Mapping):
        raise StatuteProfileError(path, f"oczekiwano obiektu (słownika), otrzymano {value!r}")
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}

    def sub(name: str) -> str:
        return f"{path}.{name}" if path else name

    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise StatuteProfileError(sub(str(unknown[0])), "nieznane pole")
    kwargs: dict[str, Any] = {}
    for name, f in fields.items():
        if name not in value:
            has_default = (
                f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
            )
            if has_default:
                continue
            raise StatuteProfileError(sub(name), "brak wymaganego pola")
        kwargs[name] = _load(hints[name], value[name], sub(name))
    try:
        return cls(**kwargs)
    except StatuteProfileError as error:
        raise error.within(path) if path else error from None


def profile_from_dict(data: Mapping[str, Any]) -> StatuteProfile:
    """Rebuild a profile from `profile_to_dict` output; invalid input raises StatuteProfileError."""
    if not isinstance(data, Mapping):
        raise StatuteProfileError("", f"oczekiwano obiektu (słownika), otrzymano {data!r}")
    body = dict(data)
    fmt = body.pop("format", FORMAT)
    if fmt != FORMAT:
        raise StatuteProfileError("format", f"nieznany format {fmt!r}; oczekiwano {FORMAT!r}")
    profile: StatuteProfile = _load_dataclass(StatuteProfile, body, "")
    return profile


# --- dated versions ---


def profile_in_force(
    versions: Sequence[tuple[dt.date, StatuteProfile]], on: dt.date
) -> StatuteProfile:
    """The version whose `valid_from` is the latest one on or before `on`.

    Raises LookupError when no version is yet in force and ValueError when two versions
    start on the same day (the office must say which one holds).
    """
    starts = [start for start, _ in versions]
    duplicates = sorted({d for d in starts if starts.count(d) > 1})
    if duplicates:
        raise ValueError(
            f"Dwie wersje statutu obowiązują od tego samego dnia: {duplicates[0].isoformat()}"
        )
    in_force = [(start, profile) for start, profile in versions if start <= on]
    if not in_force:
        raise LookupError(f"Żadna wersja statutu nie obowiązuje w dniu {on.isoformat()}")
    return max(in_force, key=lambda pair: pair[0])[1]


# --- numbers to confirm (SPEC "Reading (evoluma and its agreement)") ---


@dataclass(frozen=True)
class Unconfirmed:
    """A marked number with the dotted path of its field in the profile ("board.decisions")."""

    path: str
    source: ConfirmSource


def unconfirmed(profile: StatuteProfile) -> tuple[Unconfirmed, ...]:
    """Every number the coordinator should confirm, in the order of the profile's fields."""
    out: list[Unconfirmed] = []

    def walk(value: object, path: str) -> None:
        if not (dataclasses.is_dataclass(value) and not isinstance(value, type)):
            return
        for mark in getattr(value, "confirm", ()):
            out.append(Unconfirmed(f"{path}.{mark.field}" if path else mark.field, mark.source))
        for f in dataclasses.fields(value):
            if f.name == "confirm":
                continue
            child = getattr(value, f.name)
            sub = f"{path}.{f.name}" if path else f.name
            if isinstance(child, tuple):
                for i, item in enumerate(child):
                    walk(item, f"{sub}[{i}]")
            else:
                walk(child, sub)

    walk(profile, "")
    return tuple(out)


def confirm_source(marks: Sequence[Unconfirmed], path: str) -> ConfirmSource | None:
    """The mark on `path` or on a rule containing it ("board.decisions" covers its items)."""
    for mark in marks:
        if path == mark.path or path.startswith((mark.path + ".", mark.path + "[")):
            return mark.source
    return None


def source_of(profile: StatuteProfile, path: str) -> str:
    """The provision a number comes from: its own, else its rule's ("ga.quorum.threshold" →
    "ga.quorum"), else "" (the profile does not say)."""
    return paragraph_for({s.path: s.paragraph for s in profile.sources}, path)


def paragraph_for(by_path: Mapping[str, str], path: str, *, own: bool = True) -> str:
    """The paragraph of `path` in `by_path` (with `own=False`, only what it inherits from the
    rules holding it), walking up "a.b[0].c" → "a.b[0]" → "a.b" → "a"; "" when none says."""
    if not own:
        path = _parent_path(path)
    while path:
        if path in by_path:
            return by_path[path]
        path = _parent_path(path)
    return ""


def _parent_path(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


def profile_differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[str, ...]:
    """Dotted paths of the numbers that differ between two stored profiles (`profile_to_dict`),
    marks "to confirm" and provisions left aside — e.g. what changed in a preset since a version was taken from it."""
    out: list[str] = []

    def walk(a: object, b: object, path: str) -> None:
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            for key in sorted(set(a) | set(b)):
                if key in ("confirm", "format", "sources"):
                    continue
                walk(a.get(key), b.get(key), f"{path}.{key}" if path else str(key))
        elif a != b:
            out.append(path)

    walk(old, new, "")
    return tuple(out)
