"""Properties of the de minimis check (AID-1, AID-3): adding a grant never increases the
headroom, and the answer does not depend on the order of the grants in the file."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from klaster.rules.aid.check import check
from klaster.rules.aid.load import load_path
from klaster.rules.aid.model import Grant, Rates, RateTable
from klaster.rules.aid.output import to_json

DATA = Path(__file__).parent / "data"

# events.yaml: a merger (X into Y, 2024-04-02) and two splits (2024-10-01), V controls W
BASE = load_path(DATA / "events.yaml")
ALIVE = ("6755082352", "6818974989", "6824386524", "3792231543", "9410836636", "6546926998")
ABSORBED = "9790626039"  # exists until 2024-04-01
SPLIT_AWAY = "1208529981"  # exists until 2024-09-30
START, END = dt.date(2021, 1, 1), dt.date(2025, 12, 31)
# a table every 7 days, so every day of the period has a rate
RATES = Rates(
    tuple(
        RateTable(
            START + dt.timedelta(days=7 * i),
            f"{i % 250 + 1:03d}/A/NBP/{(START + dt.timedelta(days=7 * i)).year}",
            Decimal("4.2000") + Decimal(i % 37) / 100,
        )
        for i in range((END - START).days // 7 + 1)
    ),
    END,
)

days = st.integers(0, (END - START).days).map(lambda n: START + dt.timedelta(days=n))
money = st.integers(1, 50_000_000).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def grants(draw, ident: str) -> Grant:
    date = draw(days)
    recipients = list(ALIVE)
    if date < dt.date(2024, 4, 2):
        recipients.append(ABSORBED)
    if date < dt.date(2024, 10, 1):
        recipients.append(SPLIT_AWAY)
    who = draw(st.sampled_from(recipients))
    regulation = draw(st.sampled_from(["1407/2013", "2023/2831", "1408/2013", "717/2014"]))
    in_eur = draw(st.booleans())
    value = draw(money)
    return Grant(
        ident,
        who,
        "PUP",
        regulation,
        date,
        None if in_eur else value,
        value if in_eur else None,
    )


@st.composite
def situations(draw):
    n = draw(st.integers(0, 12))
    listed = tuple(draw(grants(f"g{i:02d}")) for i in range(n))
    f = dataclasses.replace(BASE, grants=listed, rates=RATES)
    who = draw(st.sampled_from(ALIVE))
    day = draw(days)
    regulation = "2023/2831" if day >= dt.date(2024, 7, 1) else None
    return f, who, day, regulation


@settings(max_examples=150, deadline=None)
@given(situations(), grants("new"), money)
def test_aid_3_adding_a_grant_never_increases_the_headroom(situation, extra, amount):
    f, who, day, regulation = situation
    before = check(f, who, day, amount, regulation)
    after = check(dataclasses.replace(f, grants=(*f.grants, extra)), who, day, amount, regulation)
    assert after.headroom_eur <= before.headroom_eur
    assert after.headroom_pln <= before.headroom_pln
    assert after.used_eur >= before.used_eur
    if not before.allowed:
        assert not after.allowed


@settings(max_examples=150, deadline=None)
@given(situations(), money, st.randoms(use_true_random=False))
def test_aid_1_aid_3_the_answer_does_not_depend_on_the_order_of_grants(situation, amount, rnd):
    f, who, day, regulation = situation
    shuffled = list(f.grants)
    rnd.shuffle(shuffled)
    first = check(f, who, day, amount, regulation)
    second = check(dataclasses.replace(f, grants=tuple(shuffled)), who, day, amount, regulation)
    assert to_json(first) == to_json(second)
