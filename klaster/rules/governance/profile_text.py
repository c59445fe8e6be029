"""A statute profile in words: the numbers a vote applied, and every number of a profile with its
mark "to confirm" (SPEC §2, GOV-2 … GOV-4, "Reading (evoluma and its agreement)").

`applied_numbers` is what a vote records when it opens — quorum, majority and proxy cap of the
statute version it was opened under — so that its record and the minutes say which numbers
decided it, whatever versions are added later. `profile_rows` is the statute page: each number
with its dotted path, its value in words (a message) and, where the profile marks it, where it comes from
(the agreement template, or no source at all).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from klaster.rules.governance._common import group, organ
from klaster.rules.governance.majority import rule_message
from klaster.rules.message import Msg, Term, define, to_json
from klaster.rules.statute import (
    ORGANS,
    BoardRules,
    ConfirmSource,
    CouncilRules,
    GeneralAssemblyRules,
    MajorityRule,
    Organ,
    OrganRules,
    PresidiumRules,
    ProxyRule,
    QuorumRule,
    StatuteProfile,
    confirm_source,
    unconfirmed,
)

# --- the numbers in words ---
VALUE = define("profile.value", "{value}")
QUORUM_NONE = define("profile.quorum_none", "the statute requires no quorum")
QUORUM_ANY = define("profile.quorum_any", "whatever the number present")
QUORUM_SHARE = define("profile.quorum_share", "at least {share} of those entitled ({how})")
WITH_PROXIES = define("profile.with_proxies", "in person, online or by proxy")
WITHOUT_PROXIES = define("profile.without_proxies", "in person or online")
SECOND_TERM = define("profile.second_term", "second term: {text}")
PROXY_NONE = define("profile.proxy_none", "the statute provides no proxies")
PROXY = define(
    "profile.proxy",
    "one person at most {share} of the votes and no more than {count} (the lower of the two, "
    "its own member's vote included); a proxy by the end of the day {days} {days:day|days} "
    "before the meeting",
)
ATTENDANCE = define(
    "profile.attendance",
    "at least {share} of the meetings within {months} {months:month|months} (in person or online)",
)
NOTICE = define("profile.notice", "at least {days} {days:day|days} before the meeting")
PER_YEAR = define("profile.per_year", "{n} a year")
EVERY_YEARS = define("profile.every_years", "every {n} {n:year|years}")
EXTRAORDINARY_REQUEST = define(
    "profile.extraordinary_request", "at least {share} of Partners and Strategic Partners"
)
EXTRAORDINARY_WITHIN = define(
    "profile.extraordinary_within", "within {n} {n:month|months} of the request"
)
SEAT_PER = define("profile.seat_per", "1 per {n} cluster members")
ROUND_UP = define("profile.round_up", "up")
ROUND_DOWN = define("profile.round_down", "down")
YEARS = define("profile.years", "{n} {n:year|years}")
MONTHLY = define("profile.monthly", "at least {n} a month")
PEOPLE = define("profile.people", "{n} {n:person|people}")
NO_FIXED_TERM = define("profile.no_fixed_term", "no fixed term")
AT_LEAST = define("profile.at_least", "at least {n}")
PRESENTATION = define("profile.presentation", "at least {n} business days before the meeting")
NOT_REQUIRED = define("profile.not_required", "not required")
NOTHING = define("profile.nothing", "nothing")
UP_TO_KM = define("profile.up_to_km", "up to {km} km")
NO_PREFERENCE = define("profile.no_preference", "no preference")
TIMES_DUES = define("profile.times_dues", "{n} × the annual dues")
OBJECTIONS = define(
    "profile.objections",
    "within {days} business days; the matter returns when {threshold} of those entitled make them",
)
MORE_THAN = define("profile.more_than", "more than {share}")
AT_LEAST_SHARE = define("profile.at_least_share", "at least {share}")
SUSPENSION = define(
    "profile.suspension",
    "at most {max} {max:month|months}; the next one no sooner than {gap} {gap:month|months} "
    "after the last",
)
ARREARS = define(
    "profile.arrears",
    "first reminder {first} {first:day|days} after the due date, the second {second} "
    "{second:day|days} later",
)
MEDIATION = define("profile.mediation", "{days} {days:day|days} from the report")
GROUP_START = define("profile.group_start", "{n} declarations")
GROUP_NO_MINIMUM = define("profile.group_no_minimum", "no minimum of declarations")
INDIVIDUAL = define("profile.individual", "at least once every {n} {n:month|months}")
NOT_PROVIDED = define("profile.not_provided", "the statute does not provide it")

# --- the statute page's sections and labels ---
SECTION_ORGAN = define("profile.section_organ", "{organ}")
SECTION_ADMISSION = define("profile.section_admission", "Admission of members")
SECTION_GENERAL = define("profile.section_general", "General provisions")
L_QUORUM = define("profile.label.quorum", "Quorum")
L_SECOND_TERM = define("profile.label.second_term", "Second term")
L_MAJORITY = define("profile.label.majority", "Majority")
L_MAJORITY_FOR = define("profile.label.majority_for", "Majority — {decision}")
L_PROXIES = define("profile.label.proxies", "Proxies")
L_ATTENDANCE = define("profile.label.attendance", "Attendance duty")
L_NOTICE = define("profile.label.notice", "Notice")
L_ORDINARY = define("profile.label.ordinary", "Ordinary meetings")
L_ELECTORAL = define("profile.label.electoral", "Reporting-electoral")
L_EXTRAORDINARY_REQUEST = define(
    "profile.label.extraordinary_request", "Request for an extraordinary one"
)
L_EXTRAORDINARY_WITHIN = define("profile.label.extraordinary_within", "An extraordinary one sits")
L_SEATS = define("profile.label.seats", "Seats")
L_SEAT_ROUNDING = define("profile.label.seat_rounding", "Rounding of the number of seats")
L_TERM = define("profile.label.term", "Term of office")
L_GROUPS = define("profile.label.groups", "Groups it should represent")
L_COORDINATOR_SEATS = define(
    "profile.label.coordinator_seats", "Seats of the coordinator's representatives"
)
L_MEETINGS = define("profile.label.meetings", "Meetings")
L_SIZE = define("profile.label.size", "Composition")
L_PERMANENT = define(
    "profile.label.permanent", "Permanent members from the coordinator's management"
)
L_PARTNER_ORGAN = define("profile.label.partner_organ", "Partners are admitted by")
L_STRATEGIC_ORGAN = define(
    "profile.label.strategic_partner_organ", "Strategic Partners are admitted by"
)
L_RECOMMENDATIONS = define("profile.label.recommendations", "Recommendations")
L_PRESENTATION = define("profile.label.presentation", "Presentation")
L_FEE_DEPOSIT = define("profile.label.fee_deposit", "Part of the entry fee before the meeting")
L_DECLARATION = define("profile.label.declaration", "Signed declaration")
L_RULES_ACCEPTANCE = define("profile.label.rules_acceptance", "Acceptance of the rules")
L_MONITORING = define("profile.label.monitoring", "Data for KKK monitoring")
L_RADIUS = define("profile.label.radius", "Preferred distance of the seat")
L_ENTRY_FEE = define("profile.label.entry_fee", "Entry fee")
L_ENTRY_FEE_NEAR = define("profile.label.entry_fee_near", "Entry fee — seat nearby")
L_NEAR = define("profile.label.near", "“Nearby” means")
L_DUES_VOTE = define("profile.label.dues_vote", "Only those paying dues vote")
L_OBJECTIONS = define("profile.label.objections", "Objections to a vote")
L_SUSPENSION = define("profile.label.suspension", "Suspension")
L_ARREARS = define("profile.label.arrears", "Arrears of dues")
L_MEDIATION = define("profile.label.mediation", "Mediation by the Council Presidium")
L_GROUP_START = define("profile.label.group_start", "An advanced cooperation group starts with")
L_GROUP_INITIATORS = define("profile.label.group_initiators", "Initiators of a group")
L_COORDINATOR_GROUP = define(
    "profile.label.coordinator_group", "The coordinator may set up a group alone"
)
L_INDIVIDUAL = define("profile.label.individual", "The coordinator's individual meetings")

# Decisions with a majority of their own (statute.DECISION_*).
define("decision.admit_partner", "admitting a Partner")
define("decision.admit_strategic_partner", "admitting a Strategic Partner")


def _fraction(value: Fraction | None) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


def _value(value: Any) -> Msg:
    return Msg.of(VALUE, value=value)


def quorum_text(rule: QuorumRule | None, term: int = 1, *, say_term: bool = True) -> Msg:
    """GOV-2 in words, for the term asked (2: the second term, where there is one)."""
    if rule is None:
        return Msg.of(QUORUM_NONE)
    threshold = rule.second_term_threshold if term == 2 else rule.threshold
    if threshold is None:
        text = Msg.of(QUORUM_ANY)
    else:
        how = Msg.of(WITH_PROXIES if rule.counts_proxies else WITHOUT_PROXIES)
        text = Msg.of(QUORUM_SHARE, share=threshold, how=how)
    return Msg.of(SECOND_TERM, text=text) if term == 2 and say_term else text


def proxy_text(rule: ProxyRule | None) -> Msg:
    """GOV-4 in words: the cap (the lower of share and count) and the deadline."""
    if rule is None:
        return Msg.of(PROXY_NONE)
    return Msg.of(PROXY, share=rule.share_cap, count=rule.count_cap, days=rule.deadline_days_before)


def _majority_dict(rule: MajorityRule) -> dict[str, Any]:
    return {
        "kind": rule.kind,
        "share": _fraction(rule.share),
        "strict": rule.strict,
        "min_present": _fraction(rule.min_present),
    }


@dataclass(frozen=True)
class AppliedNumbers:
    """The numbers one vote applies: the quorum of its term, the majority for its kind of
    decision, the proxy cap of its organ — as rules, as JSON and in words."""

    organ: Organ
    decision: str
    term: int
    quorum: QuorumRule | None
    majority: MajorityRule
    proxy: ProxyRule | None

    @property
    def quorum_threshold(self) -> Fraction | None:
        if self.quorum is None:
            return None
        return self.quorum.second_term_threshold if self.term == 2 else self.quorum.threshold

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe (fractions as "n/d"), with the words beside the numbers (each a stored
        message, `message.to_json`, rendered in the reader's language)."""
        return {
            "organ": self.organ,
            "decision": self.decision,
            "term": self.term,
            "quorum": {
                "threshold": _fraction(self.quorum_threshold),
                "counts_proxies": self.quorum.counts_proxies if self.quorum is not None else None,
                "text": to_json(quorum_text(self.quorum, self.term)),
            },
            "majority": {
                **_majority_dict(self.majority),
                "text": to_json(rule_message(self.majority)),
            },
            "proxy": {
                "share_cap": _fraction(self.proxy.share_cap) if self.proxy else None,
                "count_cap": self.proxy.count_cap if self.proxy else None,
                "text": to_json(proxy_text(self.proxy)),
            },
        }


def applied_numbers(
    profile: StatuteProfile, organ: Organ, decision: str, term: int = 1
) -> AppliedNumbers:
    rules = profile.organ(organ)
    return AppliedNumbers(
        organ=organ,
        decision=decision,
        term=term,
        quorum=rules.quorum,
        majority=rules.majority_for(decision),
        proxy=rules.proxy,
    )


@dataclass(frozen=True)
class ProfileRow:
    """One number of a profile as the statute page shows it (the words as messages)."""

    section: Msg
    path: str
    label: Msg
    value: Msg
    #: Where an unconfirmed number comes from; None: from the cluster's own statute.
    confirm: ConfirmSource | None


def _organ_rows(key: Organ, rules: OrganRules) -> list[tuple[str, Msg, Msg]]:
    rows: list[tuple[str, Msg, Msg]] = [
        (f"{key}.quorum.threshold", Msg.of(L_QUORUM), quorum_text(rules.quorum)),
    ]
    if rules.quorum is not None and rules.quorum.second_term:
        rows.append(
            (
                f"{key}.quorum.second_term",
                Msg.of(L_SECOND_TERM),
                quorum_text(rules.quorum, 2, say_term=False),
            )
        )
    rows.append((f"{key}.majority", Msg.of(L_MAJORITY), rule_message(rules.majority)))
    for i, special in enumerate(rules.decisions):
        decision = Term("decision", special.decision)
        rows.append(
            (
                f"{key}.decisions[{i}]",
                Msg.of(L_MAJORITY_FOR, decision=decision),
                rule_message(special.rule),
            )
        )
    rows.append((f"{key}.proxy", Msg.of(L_PROXIES), proxy_text(rules.proxy)))
    if rules.attendance is not None:
        duty = rules.attendance
        rows.append(
            (
                f"{key}.attendance",
                Msg.of(L_ATTENDANCE),
                Msg.of(ATTENDANCE, share=duty.min_share, months=duty.window_months),
            )
        )
    if rules.notice_days is not None:
        rows.append(
            (f"{key}.notice_days", Msg.of(L_NOTICE), Msg.of(NOTICE, days=rules.notice_days))
        )
    if isinstance(rules, GeneralAssemblyRules):
        rows += [
            (
                f"{key}.ordinary_per_year",
                Msg.of(L_ORDINARY),
                Msg.of(PER_YEAR, n=rules.ordinary_per_year),
            ),
            (
                f"{key}.electoral_every_years",
                Msg.of(L_ELECTORAL),
                Msg.of(EVERY_YEARS, n=rules.electoral_every_years),
            ),
            (
                f"{key}.extraordinary_request_share",
                Msg.of(L_EXTRAORDINARY_REQUEST),
                Msg.of(EXTRAORDINARY_REQUEST, share=rules.extraordinary_request_share),
            ),
            (
                f"{key}.extraordinary_within_months",
                Msg.of(L_EXTRAORDINARY_WITHIN),
                Msg.of(EXTRAORDINARY_WITHIN, n=rules.extraordinary_within_months),
            ),
        ]
    if isinstance(rules, CouncilRules | BoardRules):
        rows += [
            (
                f"{key}.members_per_seat",
                Msg.of(L_SEATS),
                Msg.of(SEAT_PER, n=rules.members_per_seat),
            ),
            (
                f"{key}.seat_rounding",
                Msg.of(L_SEAT_ROUNDING),
                Msg.of(ROUND_UP if rules.seat_rounding == "ceil" else ROUND_DOWN),
            ),
            (f"{key}.term_years", Msg.of(L_TERM), Msg.of(YEARS, n=rules.term_years)),
            (
                f"{key}.represented_groups",
                Msg.of(L_GROUPS),
                _value(tuple(group(g) for g in rules.represented_groups)),
            ),
        ]
    if isinstance(rules, BoardRules):
        rows.append(
            (
                f"{key}.coordinator_seats",
                Msg.of(L_COORDINATOR_SEATS),
                _value(rules.coordinator_seats),
            )
        )
        if rules.min_meetings_per_month is not None:
            rows.append(
                (
                    f"{key}.min_meetings_per_month",
                    Msg.of(L_MEETINGS),
                    Msg.of(MONTHLY, n=rules.min_meetings_per_month),
                )
            )
    if isinstance(rules, PresidiumRules):
        rows += [
            (f"{key}.size", Msg.of(L_SIZE), Msg.of(PEOPLE, n=rules.size)),
            (
                f"{key}.term_years",
                Msg.of(L_TERM),
                Msg.of(YEARS, n=rules.term_years)
                if rules.term_years is not None
                else Msg.of(NO_FIXED_TERM),
            ),
            (
                f"{key}.permanent_from_coordinator",
                Msg.of(L_PERMANENT),
                _value(rules.permanent_from_coordinator),
            ),
        ]
    return rows


def profile_rows(profile: StatuteProfile) -> tuple[ProfileRow, ...]:
    """Every number of the profile in words, each with its mark "to confirm", if any."""
    marks = unconfirmed(profile)
    raw: list[tuple[Msg, str, Msg, Msg]] = []
    for key in ORGANS:
        section = Msg.of(SECTION_ORGAN, organ=organ(key))
        raw += [(section, *row) for row in _organ_rows(key, profile.organ(key))]
    a = profile.admission
    admission = Msg.of(SECTION_ADMISSION)
    raw += [
        (
            admission,
            "admission.partner_organ",
            Msg.of(L_PARTNER_ORGAN),
            _value(organ(a.partner_organ)),
        ),
        (
            admission,
            "admission.strategic_partner_organ",
            Msg.of(L_STRATEGIC_ORGAN),
            _value(organ(a.strategic_partner_organ)),
        ),
        (
            admission,
            "admission.min_recommendations",
            Msg.of(L_RECOMMENDATIONS),
            Msg.of(AT_LEAST, n=a.min_recommendations),
        ),
        (
            admission,
            "admission.presentation_business_days",
            Msg.of(L_PRESENTATION),
            Msg.of(PRESENTATION, n=a.presentation_business_days)
            if a.presentation_business_days is not None
            else Msg.of(NOT_REQUIRED),
        ),
        (
            admission,
            "admission.fee_deposit_share",
            Msg.of(L_FEE_DEPOSIT),
            _value(a.fee_deposit_share) if a.fee_deposit_share is not None else Msg.of(NOTHING),
        ),
        (
            admission,
            "admission.requires_declaration",
            Msg.of(L_DECLARATION),
            _value(a.requires_declaration),
        ),
        (
            admission,
            "admission.requires_rules_acceptance",
            Msg.of(L_RULES_ACCEPTANCE),
            _value(a.requires_rules_acceptance),
        ),
        (
            admission,
            "admission.requires_monitoring_data",
            Msg.of(L_MONITORING),
            _value(a.requires_monitoring_data),
        ),
        (
            admission,
            "admission.preferred_radius_km",
            Msg.of(L_RADIUS),
            Msg.of(UP_TO_KM, km=a.preferred_radius_km)
            if a.preferred_radius_km is not None
            else Msg.of(NO_PREFERENCE),
        ),
    ]
    if profile.entry_fee is not None:
        e = profile.entry_fee
        raw += [
            (
                admission,
                "entry_fee.annual_dues_multiplier",
                Msg.of(L_ENTRY_FEE),
                Msg.of(TIMES_DUES, n=e.annual_dues_multiplier),
            ),
            (
                admission,
                "entry_fee.near_multiplier",
                Msg.of(L_ENTRY_FEE_NEAR),
                Msg.of(TIMES_DUES, n=e.near_multiplier),
            ),
            (
                admission,
                "entry_fee.near_radius_km",
                Msg.of(L_NEAR),
                Msg.of(UP_TO_KM, km=e.near_radius_km),
            ),
        ]
    general = Msg.of(SECTION_GENERAL)
    raw.append(
        (general, "dues_condition_vote", Msg.of(L_DUES_VOTE), _value(profile.dues_condition_vote))
    )
    if profile.objections is not None:
        o = profile.objections
        threshold = Msg.of(MORE_THAN if o.strict else AT_LEAST_SHARE, share=o.threshold)
        raw.append(
            (
                general,
                "objections",
                Msg.of(L_OBJECTIONS),
                Msg.of(OBJECTIONS, days=o.business_days, threshold=threshold),
            )
        )
    if profile.suspension is not None:
        raw.append(
            (
                general,
                "suspension",
                Msg.of(L_SUSPENSION),
                Msg.of(
                    SUSPENSION,
                    max=profile.suspension.max_months,
                    gap=profile.suspension.gap_months,
                ),
            )
        )
    if profile.arrears is not None:
        raw.append(
            (
                general,
                "arrears",
                Msg.of(L_ARREARS),
                Msg.of(
                    ARREARS,
                    first=profile.arrears.first_notice_days,
                    second=profile.arrears.second_notice_days,
                ),
            )
        )
    raw.append(
        (general, "mediation", Msg.of(L_MEDIATION), Msg.of(MEDIATION, days=profile.mediation.days))
    )
    w = profile.working_groups
    raw += [
        (
            general,
            "working_groups.min_declarations_to_start",
            Msg.of(L_GROUP_START),
            Msg.of(GROUP_START, n=w.min_declarations_to_start)
            if w.min_declarations_to_start is not None
            else Msg.of(GROUP_NO_MINIMUM),
        ),
        (
            general,
            "working_groups.min_initiators",
            Msg.of(L_GROUP_INITIATORS),
            Msg.of(AT_LEAST, n=w.min_initiators),
        ),
        (
            general,
            "working_groups.coordinator_may_initiate_alone",
            Msg.of(L_COORDINATOR_GROUP),
            _value(w.coordinator_may_initiate_alone),
        ),
    ]
    raw.append(
        (
            general,
            "individual_meeting_months",
            Msg.of(L_INDIVIDUAL),
            Msg.of(INDIVIDUAL, n=profile.individual_meeting_months)
            if profile.individual_meeting_months is not None
            else Msg.of(NOT_PROVIDED),
        )
    )
    return tuple(
        ProfileRow(
            section=section,
            path=path,
            label=label,
            value=value,
            confirm=confirm_source(marks, path),
        )
        for section, path, label, value in raw
    )
