"""What an edition of the KKK competition is: a swappable rule set (SPEC KKK-5).

An edition lists its stage I criteria and stage II indicators as functions of the evaluation
context, the stage II maximum and pass mark, the panel areas, and the total pass mark. The
engine (engine.py) runs whichever edition is chosen; it holds no edition's numbers. Adding an
edition is a new module under editions/ and one line in the registry — no other edition's
code changes (the strategy pattern of django-oscar's partner/strategy.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from klaster.rules.kkk.context import Context
from klaster.rules.kkk.result import Criterion, Indicator
from klaster.rules.message import Msg


@dataclass(frozen=True)
class PanelArea:
    """One stage III area: `field` names the attribute of the dataset's `panel`."""

    field: str
    title: Msg
    max: int


@dataclass(frozen=True)
class Edition:
    """One edition of the competition: its rules, thresholds and panel areas."""

    key: str
    title: Msg
    stage1: tuple[Callable[[Context], Criterion], ...]
    stage2: tuple[Callable[[Context], Indicator], ...]
    stage2_max: int
    stage2_threshold: int
    panel_areas: tuple[PanelArea, ...]
    total_threshold: int
    readings: tuple[Msg, ...] = ()

    @property
    def stage3_max(self) -> int:
        return sum(area.max for area in self.panel_areas)

    @property
    def total_max(self) -> int:
        return self.stage2_max + self.stage3_max
