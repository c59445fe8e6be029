"""The strings kept in governance's choice fields, as the literal types klaster.rules takes
(checked: ``klaster.core.literals.one_of``)."""

from __future__ import annotations

from klaster.core.literals import one_of
from klaster.rules.governance.eligibility import RelationKind
from klaster.rules.governance.organs import PresidiumOrgan, SeatOrgan
from klaster.rules.statute import ATTENDANCE_MODES, ORGANS, AttendanceMode, Category, Organ

_CATEGORIES: tuple[Category, ...] = ("partner", "strategic_partner")
_SEAT_ORGANS: tuple[SeatOrgan, ...] = ("council", "board")
_PRESIDIUM_ORGANS: tuple[PresidiumOrgan, ...] = ("council_presidium", "board_presidium")
_RELATION_KINDS: tuple[RelationKind, ...] = ("blood", "affinity", "marriage", "subordinate_to")


def organ(value: str) -> Organ:
    return one_of(value, ORGANS, "an organ")


def seat_organ(value: str) -> SeatOrgan:
    """The Council or the Board: elected seats (also ``eligibility.ElectedOrgan``)."""
    return one_of(value, _SEAT_ORGANS, "an organ with elected seats")


def presidium_organ(value: str) -> PresidiumOrgan:
    return one_of(value, _PRESIDIUM_ORGANS, "a presidium")


def attendance_mode(value: str) -> AttendanceMode:
    return one_of(value, ATTENDANCE_MODES, "an attendance mode")


def category(value: str) -> Category:
    return one_of(value, _CATEGORIES, "a member category")


def relation_kind(value: str) -> RelationKind:
    return one_of(value, _RELATION_KINDS, "a relation between persons")
