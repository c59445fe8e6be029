"""MEM-10: which admission preferences a candidate meets (000 §6.2, §7.3; 001 "Nowi członkowie" 1).

They are preferences, not bars: the result says which are met, which are not and which
cannot be told from the data, and never refuses anyone.

- seat within ``radius_km`` of the coordinator's seat (000 §6.2.1, §7.3.1; the radius is
  the statute profile's ``admission.preferred_radius_km``, 150 km in both presets);
- a PKD code of the cluster's branch in the register entry, with revenue from it
  (000 §6.2.2);
- for a science unit, the ministry's category A or A+ (000 §7.3.2).

Reading (SPEC MEM-10): 000 names the PKD preference for Partners (§6.2) and the science
category for Strategic Partners (§7.3); the product shows all three for every candidate
they can apply to, whichever category the candidate seeks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from klaster.rules.pkd import PkdError, in_branch, normalise_pkd

PreferenceKey = Literal["seat", "branch", "science"]
TOP_SCIENCE_CATEGORIES = frozenset({"A+", "A"})


@dataclass(frozen=True)
class Candidate:
    type: str  # micro | small | medium | large | iob | science | other
    distance_km: Decimal | int | None  # from the coordinator's seat (MEM-9; a manual override wins)
    pkd_codes: tuple[str, ...] = ()
    branch_revenue: bool | None = None  # declares revenue from its branch codes; None: not declared
    science_category: str | None = None


@dataclass(frozen=True)
class Preference:
    key: PreferenceKey
    source: str  # where the preference is written
    met: bool | None  # None: the data does not tell
    reason: str  # Polish, with the figures compared


@dataclass(frozen=True)
class Preferences:
    items: tuple[Preference, ...]
    rule: str = "MEM-10"

    @property
    def met(self) -> tuple[Preference, ...]:
        return tuple(p for p in self.items if p.met is True)

    @property
    def not_met(self) -> tuple[Preference, ...]:
        return tuple(p for p in self.items if p.met is False)

    @property
    def unknown(self) -> tuple[Preference, ...]:
        return tuple(p for p in self.items if p.met is None)


def _seat(candidate: Candidate, radius_km: int) -> Preference:
    source = "000 §6.2.1, §7.3.1"
    if candidate.distance_km is None:
        return Preference("seat", source, None, "nie ustalono odległości siedziby od koordynatora")
    distance = Decimal(candidate.distance_km)
    met = distance <= radius_km
    sign = "≤" if met else ">"
    return Preference(
        "seat",
        source,
        met,
        f"siedziba {distance.normalize():f} km od koordynatora {sign} {radius_km} km",
    )


def _branch(candidate: Candidate, branch_codes: tuple[str, ...]) -> Preference:
    source = "000 §6.2.2"
    if not branch_codes:
        return Preference("branch", source, None, "klaster nie podał kodów PKD swojej branży")
    matching = sorted({_display(c) for c in candidate.pkd_codes if in_branch(c, branch_codes)})
    if not matching:
        listed = ", ".join(_display(c) for c in candidate.pkd_codes) or "brak"
        return Preference(
            "branch",
            source,
            False,
            f"żaden kod PKD kandydata ({listed}) nie należy do branży klastra ({', '.join(branch_codes)})",
        )
    codes = ", ".join(matching)
    if candidate.branch_revenue is None:
        return Preference(
            "branch",
            source,
            None,
            f"kod PKD branży: {codes}; nie podano, czy kandydat ma z niego przychody",
        )
    if not candidate.branch_revenue:
        return Preference(
            "branch",
            source,
            False,
            f"kod PKD branży: {codes}, ale bez przychodów z tej działalności",
        )
    return Preference(
        "branch", source, True, f"kod PKD branży: {codes}, z przychodami z tej działalności"
    )


def _science(candidate: Candidate) -> Preference:
    source = "000 §7.3.2"
    category = candidate.science_category or ""
    if not category:
        return Preference("science", source, None, "nie podano kategorii naukowej")
    met = category in TOP_SCIENCE_CATEGORIES
    return Preference(
        "science",
        source,
        met,
        f"kategoria naukowa {category}" + ("" if met else " (preferowane A lub A+)"),
    )


def _display(code: str) -> str:
    try:
        return normalise_pkd(code)
    except PkdError:
        return code.strip()


def admission_preferences(
    candidate: Candidate, *, branch_codes: Iterable[str], radius_km: int | None
) -> Preferences:
    """The preferences that apply to ``candidate`` and whether each is met.

    ``radius_km`` None means the cluster's statute sets no seat preference (it is left out);
    the science category applies to science units only.
    """
    items: list[Preference] = []
    if radius_km is not None:
        items.append(_seat(candidate, radius_km))
    items.append(_branch(candidate, tuple(branch_codes)))
    if candidate.type == "science":
        items.append(_science(candidate))
    return Preferences(items=tuple(items))
