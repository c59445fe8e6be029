"""What every governance result shares, and the few Polish text helpers the reasons use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from klaster.rules.statute import ORGAN_NAMES_PL, StatuteProfile


@dataclass(frozen=True, kw_only=True)
class Explained:
    """A result that explains itself: the SPEC rule it applies and a Polish reason."""

    rule_id: str
    reason: str


class NotInStatute(ValueError):
    """The profile has no rule for what was asked (e.g. objections under `infotech`)."""

    def __init__(self, profile: StatuteProfile, what: str, rule_id: str) -> None:
        self.rule_id = rule_id
        super().__init__(f"Profil statutu „{profile.name}” nie przewiduje: {what} ({rule_id}).")


def plural(n: int, one: str, few: str, many: str) -> str:
    """Polish noun form for a count: 1 głos, 2 głosy, 5 głosów, 22 głosy, 12 głosów."""
    if n == 1:
        return one
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return few
    return many


def count(n: int, one: str, few: str, many: str) -> str:
    return f"{n} {plural(n, one, few, many)}"


def share_text(share: Fraction) -> str:
    """75% when the share is a whole percent, otherwise the fraction itself (2/3)."""
    percent = share * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return f"{share.numerator}/{share.denominator}"


def money_text(amount: Decimal) -> str:
    """1080,00 zł — Polish decimal comma, two places."""
    return f"{amount:.2f}".replace(".", ",") + " zł"


def date_text(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def organ_name(organ: str) -> str:
    return ORGAN_NAMES_PL[organ][0]


def organ_genitive(organ: str) -> str:
    return ORGAN_NAMES_PL[organ][1]


_LOCATIVE = {
    "ga": "Walnym Zgromadzeniu",
    "council": "Radzie Klastra",
    "council_presidium": "Prezydium Rady Klastra",
    "board": "Zarządzie Klastra",
    "board_presidium": "Prezydium Zarządu Klastra",
}


def organ_locative(organ: str) -> str:
    """Locative form, as in „w Walnym Zgromadzeniu”, „w Radzie Klastra”."""
    return _LOCATIVE[organ]
