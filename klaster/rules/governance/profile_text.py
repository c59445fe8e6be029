"""A statute profile in words: the numbers a vote applied, and every number of a profile with its
mark "to confirm" (SPEC §2, GOV-2 … GOV-4, "Reading (evoluma and its agreement)").

`applied_numbers` is what a vote records when it opens — quorum, majority and proxy cap of the
statute version it was opened under — so that its record and the minutes say which numbers
decided it, whatever versions are added later. `profile_rows` is the statute page: each number
with its dotted path, its value in Polish and, where the profile marks it, where it comes from
(the agreement template, or no source at all).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from klaster.rules.governance._common import organ_name, plural, share_text
from klaster.rules.governance.majority import rule_text
from klaster.rules.statute import (
    GROUP_NAMES_PL,
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

_DECISION_NAMES = {
    "admit_partner": "przyjęcie Partnera",
    "admit_strategic_partner": "przyjęcie Partnera Strategicznego",
}


def _fraction(value: Fraction | None) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


def _days(n: int) -> str:
    return f"{n} {plural(n, 'dzień', 'dni', 'dni')}"


def _months(n: int) -> str:
    return f"{n} {plural(n, 'miesiąc', 'miesiące', 'miesięcy')}"


def _within_months(n: int) -> str:
    """ "w ciągu" takes the genitive: 1 miesiąca, 2 miesięcy, 24 miesięcy."""
    return f"w ciągu {n} {'miesiąca' if n == 1 else 'miesięcy'}"


def _years(n: int) -> str:
    return f"{n} {plural(n, 'rok', 'lata', 'lat')}"


def quorum_text(rule: QuorumRule | None, term: int = 1, *, say_term: bool = True) -> str:
    """GOV-2 in words, for the term asked (2: the second term, where there is one)."""
    if rule is None:
        return "statut nie wymaga kworum"
    threshold = rule.second_term_threshold if term == 2 else rule.threshold
    if threshold is None:
        text = "bez względu na liczbę obecnych"
    else:
        how = (
            "osobiście, online lub przez pełnomocnika"
            if rule.counts_proxies
            else "osobiście lub online"
        )
        text = f"co najmniej {share_text(threshold)} uprawnionych ({how})"
    return f"drugi termin: {text}" if term == 2 and say_term else text


def proxy_text(rule: ProxyRule | None) -> str:
    """GOV-4 in words: the cap (the lower of share and count) and the deadline."""
    if rule is None:
        return "statut nie przewiduje pełnomocnictw"
    return (
        f"jedna osoba najwyżej {share_text(rule.share_cap)} głosów i nie więcej niż "
        f"{rule.count_cap} (niższa z tych liczb, łącznie z głosem własnego podmiotu); "
        f"pełnomocnictwo do końca dnia {_days(rule.deadline_days_before)} przed posiedzeniem"
    )


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
        """JSON-safe (fractions as "n/d"), with the words beside the numbers."""
        return {
            "organ": self.organ,
            "decision": self.decision,
            "term": self.term,
            "quorum": {
                "threshold": _fraction(self.quorum_threshold),
                "counts_proxies": self.quorum.counts_proxies if self.quorum is not None else None,
                "text": quorum_text(self.quorum, self.term),
            },
            "majority": {**_majority_dict(self.majority), "text": rule_text(self.majority)},
            "proxy": {
                "share_cap": _fraction(self.proxy.share_cap) if self.proxy else None,
                "count_cap": self.proxy.count_cap if self.proxy else None,
                "text": proxy_text(self.proxy),
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
    """One number of a profile as the statute page shows it."""

    section: str
    path: str
    label: str
    value: str
    #: Where an unconfirmed number comes from; None: from the cluster's own statute.
    confirm: ConfirmSource | None


def _yes(value: bool) -> str:
    return "tak" if value else "nie"


def _organ_rows(organ: Organ, rules: OrganRules) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = [
        (f"{organ}.quorum.threshold", "Kworum", quorum_text(rules.quorum)),
    ]
    if rules.quorum is not None and rules.quorum.second_term:
        rows.append(
            (
                f"{organ}.quorum.second_term",
                "Drugi termin",
                quorum_text(rules.quorum, 2, say_term=False),
            )
        )
    rows.append((f"{organ}.majority", "Większość", rule_text(rules.majority)))
    for i, special in enumerate(rules.decisions):
        name = _DECISION_NAMES.get(special.decision, special.decision)
        rows.append((f"{organ}.decisions[{i}]", f"Większość — {name}", rule_text(special.rule)))
    rows.append((f"{organ}.proxy", "Pełnomocnictwa", proxy_text(rules.proxy)))
    if rules.attendance is not None:
        duty = rules.attendance
        rows.append(
            (
                f"{organ}.attendance",
                "Obowiązek obecności",
                f"co najmniej {share_text(duty.min_share)} posiedzeń {_within_months(duty.window_months)} "
                "(osobiście lub online)",
            )
        )
    if rules.notice_days is not None:
        rows.append(
            (
                f"{organ}.notice_days",
                "Zawiadomienie",
                f"co najmniej {_days(rules.notice_days)} przed posiedzeniem",
            )
        )
    if isinstance(rules, GeneralAssemblyRules):
        rows += [
            (
                f"{organ}.ordinary_per_year",
                "Zwyczajne posiedzenia",
                f"{rules.ordinary_per_year} w roku",
            ),
            (
                f"{organ}.electoral_every_years",
                "Sprawozdawczo-wyborcze",
                f"co {_years(rules.electoral_every_years)}",
            ),
            (
                f"{organ}.extraordinary_request_share",
                "Wniosek o nadzwyczajne",
                f"co najmniej {share_text(rules.extraordinary_request_share)} Partnerów i Partnerów Strategicznych",
            ),
            (
                f"{organ}.extraordinary_within_months",
                "Nadzwyczajne odbywa się",
                f"{_within_months(rules.extraordinary_within_months)} od wniosku",
            ),
        ]
    if isinstance(rules, CouncilRules | BoardRules):
        rounding = "w górę" if rules.seat_rounding == "ceil" else "w dół"
        rows += [
            (
                f"{organ}.members_per_seat",
                "Miejsca",
                f"1 na {rules.members_per_seat} członków klastra",
            ),
            (f"{organ}.seat_rounding", "Zaokrąglenie liczby miejsc", rounding),
            (f"{organ}.term_years", "Kadencja", _years(rules.term_years)),
            (
                f"{organ}.represented_groups",
                "Grupy, które powinien reprezentować",
                ", ".join(GROUP_NAMES_PL.get(g, g) for g in rules.represented_groups),
            ),
        ]
    if isinstance(rules, BoardRules):
        rows.append(
            (
                f"{organ}.coordinator_seats",
                "Miejsca przedstawicieli koordynatora",
                str(rules.coordinator_seats),
            )
        )
        if rules.min_meetings_per_month is not None:
            rows.append(
                (
                    f"{organ}.min_meetings_per_month",
                    "Posiedzenia",
                    f"co najmniej {rules.min_meetings_per_month} w miesiącu",
                )
            )
    if isinstance(rules, PresidiumRules):
        rows += [
            (
                f"{organ}.size",
                "Skład",
                f"{rules.size} {plural(rules.size, 'osoba', 'osoby', 'osób')}",
            ),
            (
                f"{organ}.term_years",
                "Kadencja",
                _years(rules.term_years) if rules.term_years is not None else "bez stałej kadencji",
            ),
            (
                f"{organ}.permanent_from_coordinator",
                "Stali członkowie z zarządu koordynatora",
                str(rules.permanent_from_coordinator),
            ),
        ]
    return rows


def profile_rows(profile: StatuteProfile) -> tuple[ProfileRow, ...]:
    """Every number of the profile in words, each with its mark "to confirm", if any."""
    marks = unconfirmed(profile)
    raw: list[tuple[str, str, str, str]] = []
    for organ in ORGANS:
        raw += [(organ_name(organ), *row) for row in _organ_rows(organ, profile.organ(organ))]
    a = profile.admission
    admission = "Przyjmowanie członków"
    raw += [
        (admission, "admission.partner_organ", "Partnerów przyjmuje", organ_name(a.partner_organ)),
        (
            admission,
            "admission.strategic_partner_organ",
            "Partnerów Strategicznych przyjmuje",
            organ_name(a.strategic_partner_organ),
        ),
        (
            admission,
            "admission.min_recommendations",
            "Rekomendacje",
            f"co najmniej {a.min_recommendations}",
        ),
        (
            admission,
            "admission.presentation_business_days",
            "Prezentacja",
            f"co najmniej {a.presentation_business_days} dni roboczych przed posiedzeniem"
            if a.presentation_business_days is not None
            else "nie jest wymagana",
        ),
        (
            admission,
            "admission.fee_deposit_share",
            "Część wpisowego przed posiedzeniem",
            share_text(a.fee_deposit_share) if a.fee_deposit_share is not None else "nic",
        ),
        (
            admission,
            "admission.requires_declaration",
            "Podpisana deklaracja",
            _yes(a.requires_declaration),
        ),
        (
            admission,
            "admission.requires_rules_acceptance",
            "Akceptacja regulaminu",
            _yes(a.requires_rules_acceptance),
        ),
        (
            admission,
            "admission.requires_monitoring_data",
            "Dane do monitorowania KKK",
            _yes(a.requires_monitoring_data),
        ),
        (
            admission,
            "admission.preferred_radius_km",
            "Preferowana odległość siedziby",
            f"do {a.preferred_radius_km} km"
            if a.preferred_radius_km is not None
            else "brak preferencji",
        ),
    ]
    if profile.entry_fee is not None:
        e = profile.entry_fee
        raw += [
            (
                admission,
                "entry_fee.annual_dues_multiplier",
                "Wpisowe",
                f"{e.annual_dues_multiplier} × roczna składka",
            ),
            (
                admission,
                "entry_fee.near_multiplier",
                "Wpisowe — siedziba blisko",
                f"{e.near_multiplier} × roczna składka",
            ),
            (
                admission,
                "entry_fee.near_radius_km",
                "„Blisko” oznacza",
                f"do {e.near_radius_km} km",
            ),
        ]
    general = "Postanowienia ogólne"
    raw.append(
        (
            general,
            "dues_condition_vote",
            "Głosują tylko opłacający składki",
            _yes(profile.dues_condition_vote),
        )
    )
    if profile.objections is not None:
        o = profile.objections
        more = "ponad" if o.strict else "co najmniej"
        raw.append(
            (
                general,
                "objections",
                "Zastrzeżenia do głosowania",
                f"w ciągu {o.business_days} dni roboczych; sprawa wraca, gdy zgłosi je {more} "
                f"{share_text(o.threshold)} uprawnionych",
            )
        )
    if profile.suspension is not None:
        raw.append(
            (
                general,
                "suspension",
                "Zawieszenie",
                f"najwyżej {_months(profile.suspension.max_months)}; kolejne nie wcześniej niż "
                f"{_months(profile.suspension.gap_months)} po poprzednim",
            )
        )
    if profile.arrears is not None:
        raw.append(
            (
                general,
                "arrears",
                "Zaległości w składkach",
                f"pierwsze wezwanie {_days(profile.arrears.first_notice_days)} po terminie, drugie "
                f"{_days(profile.arrears.second_notice_days)} później",
            )
        )
    raw.append(
        (
            general,
            "mediation",
            "Mediacja Prezydium Rady",
            f"{_days(profile.mediation.days)} od zgłoszenia",
        )
    )
    w = profile.working_groups
    raw += [
        (
            general,
            "working_groups.min_declarations_to_start",
            "Grupa zaawansowanej współpracy rusza przy",
            f"{w.min_declarations_to_start} zgłoszeniach"
            if w.min_declarations_to_start is not None
            else "bez minimum zgłoszeń",
        ),
        (
            general,
            "working_groups.min_initiators",
            "Inicjatorzy grupy",
            f"co najmniej {w.min_initiators}",
        ),
        (
            general,
            "working_groups.coordinator_may_initiate_alone",
            "Koordynator może sam założyć grupę",
            _yes(w.coordinator_may_initiate_alone),
        ),
    ]
    raw.append(
        (
            general,
            "individual_meeting_months",
            "Spotkania indywidualne koordynatora",
            f"co najmniej raz na {_months(profile.individual_meeting_months)}"
            if profile.individual_meeting_months is not None
            else "statut nie przewiduje",
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
