"""The de minimis rules (SPEC §5 AID-1…AID-3, shared/spec/AID-DATASET.md) on the files in data/."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from klaster.rules.aid import check as rules
from klaster.rules.aid.check import AidRefused, check, holders, single_undertaking, window
from klaster.rules.aid.load import load_path
from klaster.rules.aid.model import Grant
from klaster.rules.message import say

DATA = Path(__file__).parent / "data"

D = dt.date
E = Decimal


def _file(name: str):
    return load_path(DATA / name)


def _counted(verdict) -> list[tuple[str, str, str, str]]:
    return [(c.id, c.undertaking, c.member, f"{c.eur}") for c in verdict.counted]


# -- AID-1: the single undertaking -------------------------------------------------------------


def test_aid_1_links_in_force_make_one_undertaking_on_the_date_but_not_a_year_later():
    f = _file("links.yaml")
    on = single_undertaking(f, "6791926635", D(2024, 5, 15))
    # parent, its other subsidiary and that one's subsidiary: a chain in either direction
    assert [u.nip for u in on.members] == ["5257153615", "6791926635", "6793994090", "7970309701"]
    assert on.rule_id == "AID-1"
    later = single_undertaking(f, "6791926635", D(2025, 5, 15))
    assert [u.nip for u in later.members] == ["6791926635"]
    # the others stay one undertaking without Geo-Lab
    rest = single_undertaking(f, "7970309701", D(2025, 5, 15))
    assert [u.nip for u in rest.members] == ["5257153615", "6793994090", "7970309701"]


def test_aid_1_a_link_holds_on_its_last_day_and_not_the_day_after():
    f = _file("links.yaml")
    assert "5257153615" in single_undertaking(f, "6791926635", D(2024, 5, 31)).nips
    assert single_undertaking(f, "6791926635", D(2024, 6, 1)).nips == {"6791926635"}


def test_aid_1_two_companies_of_one_private_person_stay_apart():
    f = _file("links.yaml")
    assert single_undertaking(f, "4746962816", D(2024, 5, 15)).nips == {"4746962816"}


def test_aid_1_grants_of_all_members_are_summed_and_only_theirs():
    f = _file("links.yaml")
    v = check(f, "6791926635", D(2024, 5, 15), E("1000.00"))
    assert [c.id for c in v.counted] == ["w1", "g1", "t1", "h1"]  # k1 belongs to no member
    assert v.used_eur == E("100000.00")
    alone = check(f, "6791926635", D(2025, 5, 15), E("1000.00"))
    assert [c.id for c in alone.counted] == ["g1"]
    assert alone.used_eur == E("20000.00")


# -- AID-2: the NBP rate -----------------------------------------------------------------------


def test_aid_2_a_day_without_a_table_takes_the_last_table_before_it():
    f = _file("rates.yaml")
    v = check(f, "6793994090", D(2024, 3, 30), E("4300.90"))  # a Saturday
    assert (v.rate.table.number, v.rate.table.date) == ("063/A/NBP/2024", D(2024, 3, 29))
    assert v.amount_eur == E("1000.00")  # 4300.90 / 4.3009
    (p1,) = v.counted
    # p1 of Saturday 2024-03-02 at Friday's table: 4321.00 / 4.3210
    assert p1.rate is not None and p1.rate.table.number == "043/A/NBP/2024"
    assert p1.eur == E("1000.00")


def test_aid_2_a_day_past_complete_through_has_no_rate_never_an_older_one():
    f = _file("rates.yaml")
    with pytest.raises(AidRefused) as err:
        check(f, "6793994090", D(2024, 4, 1), E("100.00"))
    assert err.value.rule_id == "AID-2"
    assert err.value.message.code == rules.AFTER_COMPLETE
    assert "2024-03-31" not in say(err.value.message, "pl")  # dates rendered, Polish
    assert "31.03.2024" in say(err.value.message, "pl")


def test_aid_2_a_day_before_the_first_table_has_no_rate():
    f = _file("rates.yaml")
    with pytest.raises(AidRefused) as err:
        check(f, "6793994090", D(2024, 1, 1), E("100.00"))
    assert err.value.message.code == rules.BEFORE_FIRST


def test_aid_2_a_counted_grant_given_only_in_pln_needs_its_own_days_rate():
    f = _file("rates.yaml")
    # linked, Wawel Invest's p0 (PLN only, before the first table) counts for Termo-Bud
    linked = dataclasses.replace(f, links=(_link("5257153615", "6793994090", D(2020, 1, 1)),))
    with pytest.raises(AidRefused) as err:
        check(linked, "6793994090", D(2024, 3, 29), E("100.00"))
    assert err.value.message.code == rules.BEFORE_FIRST
    assert "p0" in say(err.value.message, "en")
    # not counted (not a member): no rate needed
    v = check(f, "6793994090", D(2024, 3, 29), E("100.00"))
    assert [c.id for c in v.counted] == ["p1"]


def test_aid_2_no_tables_at_all_is_the_documented_error():
    f = _file("rates.yaml")
    empty = dataclasses.replace(f, rates=rules.Rates((), None))
    with pytest.raises(AidRefused) as err:
        check(empty, "6793994090", D(2024, 3, 29), E("100.00"))
    assert err.value.message.code == rules.NO_TABLES


def _link(parent: str, child: str, start: dt.date):
    from klaster.rules.aid.model import Link

    return Link(parent, child, start, None)


# -- AID-3: mergers and splits -----------------------------------------------------------------


def test_aid_3_a_merger_carries_the_absorbed_undertakings_grants():
    f = _file("events.yaml")
    before = check(f, "6755082352", D(2024, 4, 1), E("100.00"), "2023/2831")
    assert _counted(before) == [("m2", "6755082352", "6755082352", "10000.00")]
    after = check(f, "6755082352", D(2024, 4, 2), E("100.00"))
    assert _counted(after) == [
        ("m1", "9790626039", "6755082352", "40000.00"),  # recipient X, held by Y
        ("m2", "6755082352", "6755082352", "10000.00"),
    ]
    assert after.used_eur == E("50000.00")


def test_aid_3_an_absorbed_undertaking_cannot_be_checked_from_the_merger():
    f = _file("events.yaml")
    assert check(f, "9790626039", D(2024, 4, 1), E("1.00")).counted[0].id == "m1"
    with pytest.raises(AidRefused) as err:
        check(f, "9790626039", D(2024, 4, 2), E("1.00"))
    assert err.value.message.code == rules.CEASED_UNDERTAKING


def test_aid_3_a_split_assigns_by_equity_and_by_assign():
    f = _file("events.yaml")
    # h4: 43000.05 PLN / 4.3000 = 10000.0116… → 10000.01 EUR; 70 % → 7000.007 → 7000.01,
    # the last successor the remainder 3000.00; h5 assigned to T whole
    t = check(f, "6824386524", D(2024, 12, 2), E("100.00"))
    assert _counted(t) == [
        ("h4", "6818974989", "6824386524", "3000.00"),
        ("h5", "6818974989", "6824386524", "5000.00"),
    ]
    assert t.counted[0].rate is not None and t.counted[0].rate.table.number == "023/A/NBP/2024"
    s = check(f, "6818974989", D(2024, 12, 2), E("100.00"))
    assert _counted(s) == [("h4", "6818974989", "6818974989", "7000.01")]
    whole = check(f, "6818974989", D(2024, 9, 30), E("100.00"))
    assert _counted(whole) == [
        ("h4", "6818974989", "6818974989", "10000.01"),
        ("h5", "6818974989", "6818974989", "5000.00"),
    ]


def test_aid_3_split_parts_add_up_to_the_grant_the_last_taking_the_remainder():
    f = _file("events.yaml")
    u1 = next(g for g in f.grants if g.id == "u1")
    parts = holders(f, u1, D(2024, 12, 2))
    values = {h: rules.part_eur(f, E("100.00"), steps) for h, steps in parts}
    assert values == {
        "3792231543": E("33.33"),
        "9410836636": E("33.33"),
        "6546926998": E("33.34"),
    }
    assert sum(values.values()) == E("100.00")


def test_aid_3_a_split_grant_may_count_as_two_parts_in_one_single_undertaking():
    f = _file("events.yaml")
    v = check(f, "3792231543", D(2024, 12, 2), E("100.00"))  # V controls W from 2024-11-01
    assert _counted(v) == [
        ("u1", "1208529981", "3792231543", "33.33"),
        ("u1", "1208529981", "9410836636", "33.33"),
    ]
    assert v.used_eur == E("66.66")
    with pytest.raises(AidRefused):  # U ceased: it is not among its successors
        check(f, "1208529981", D(2024, 10, 1), E("1.00"))


def test_aid_3_events_of_one_day_apply_mergers_first_then_splits():
    f = _file("events.yaml")
    from klaster.rules.aid.model import Merger

    # a merger into S on the day S splits moves X's grant to S first; the split then divides it
    g = Grant("x9", "9790626039", "PUP", "1407/2013", D(2024, 1, 5), None, E("1000.00"))
    same_day = dataclasses.replace(
        f,
        mergers=(Merger(D(2024, 10, 1), "6818974989", ("9790626039",)),),
        grants=(*f.grants, g),
    )
    parts = dict(
        (h, rules.part_eur(same_day, E("1000.00"), s))
        for h, s in holders(same_day, g, D(2024, 12, 2))
    )
    assert parts == {"6818974989": E("700.00"), "6824386524": E("300.00")}


# -- AID-3: window, ceiling, regulation --------------------------------------------------------


def test_aid_3_the_1407_window_follows_the_recipients_fiscal_year_not_the_calendar():
    f = _file("fiscal.yaml")
    v = check(f, "4936652013", D(2023, 3, 15), E("100.00"))
    assert v.regulation == "1407/2013"
    assert (v.window.start, v.window.end) == (D(2020, 7, 1), D(2023, 3, 15))
    # f1 of 2020-06-30 falls a day before; R's grants count in F's fiscal years
    assert [c.id for c in v.counted] == ["f2", "f3", "f4", "f5"]
    assert v.used_eur == E("110000.00")
    assert v.ceiling.eur == E("200000.00")
    # R keeps the calendar year: its window starts on 1 January two years before
    r = check(f, "4400542540", D(2023, 3, 15), E("100.00"))
    assert (r.window.start, r.window.end) == (D(2021, 1, 1), D(2023, 3, 15))
    assert [c.id for c in r.counted] == ["f3", "f4", "f5"]


def test_aid_3_the_fiscal_year_turns_on_its_first_day():
    f = _file("fiscal.yaml")
    u = f.undertaking("4936652013")
    assert u is not None
    assert window(u, D(2023, 6, 30), "1407/2013").start == D(2020, 7, 1)
    assert window(u, D(2023, 7, 1), "1407/2013").start == D(2021, 7, 1)


def test_aid_3_road_freight_ceiling_is_100000_under_1407_only():
    f = _file("fiscal.yaml")
    r = check(f, "4400542540", D(2023, 3, 15), E("94000.00"))  # 20000.00 EUR at 4.7000
    assert r.ceiling.eur == E("100000.00")
    assert r.used_eur == E("80000.00") and r.headroom_eur == E("20000.00")
    assert r.headroom_pln == E("94000.00")
    assert r.allowed and r.reason is None
    over = check(f, "4400542540", D(2023, 3, 15), E("94000.03"))  # 20000.01 EUR
    assert over.amount_eur == E("20000.01")
    assert not over.allowed and over.reason == "ceiling_exceeded"
    assert over.message.code == rules.REFUSED
    # under 2023/2831 there is no separate road freight ceiling
    new = check(f, "4400542540", D(2024, 3, 15), E("100.00"))
    assert new.regulation == "2023/2831" and new.ceiling.eur == E("300000.00")


def test_aid_3_both_regulations_in_the_transition_and_every_kind_of_de_minimis_counts():
    f = _file("fiscal.yaml")
    new = check(f, "4400542540", D(2024, 3, 15), E("100.00"))
    assert (new.window.start, new.window.end) == (D(2021, 3, 15), D(2024, 3, 15))
    # agricultural (1408/2013), fishery (717/2014) and 2023/2831 aid count alike
    assert [(c.id, c.regulation) for c in new.counted] == [
        ("f4", "1408/2013"),
        ("f5", "717/2014"),
        ("f6", "2023/2831"),
    ]
    old = check(f, "4400542540", D(2024, 3, 15), E("100.00"), "1407/2013")
    assert old.window.start == D(2022, 1, 1)
    assert old.ceiling.eur == E("100000.00")
    assert [c.id for c in old.counted] == ["f4", "f5", "f6"]
    parent = check(f, "4936652013", D(2024, 3, 15), E("100.00"), "1407/2013")
    assert parent.window.start == D(2021, 7, 1) and parent.ceiling.eur == E("200000.00")


@pytest.mark.parametrize(
    ("day", "regulation"),
    [(D(2024, 7, 1), "1407/2013"), (D(2023, 12, 31), "2023/2831")],
)
def test_aid_3_a_regulation_not_applicable_on_the_day_is_refused(day, regulation):
    f = _file("fiscal.yaml")
    with pytest.raises(AidRefused) as err:
        check(f, "4936652013", day, E("1.00"), regulation)
    assert err.value.message.code == rules.NOT_APPLICABLE


def test_aid_3_default_regulation_changes_on_1_january_2024():
    assert rules.default_regulation(D(2023, 12, 31)) == "1407/2013"
    assert rules.default_regulation(D(2024, 1, 1)) == "2023/2831"
    assert rules.applies("1407/2013", D(2024, 6, 30))


def test_aid_3_the_2831_window_of_29_february_counts_from_28_february():
    f = _file("fiscal.yaml")
    u = f.undertaking("4936652013")
    assert u is not None
    w = window(u, D(2024, 2, 29), "2023/2831")
    assert (w.start, w.end) == (D(2021, 2, 28), D(2024, 2, 29))
    assert window(u, D(2024, 5, 22), "2023/2831").start == D(2021, 5, 22)  # SPEC's example


def test_aid_3_grants_after_the_day_never_count():
    f = _file("spec_example.yaml")
    v = check(f, "6791926635", D(2025, 6, 16), E("1.00"))
    assert "c14" not in [c.id for c in v.counted]


def test_aid_3_a_grant_is_refused_whole_with_the_headroom_and_up_to_headroom_pln_allowed():
    f = _file("spec_example.yaml")
    v = check(f, "6791926635", D(2025, 6, 16), E("383328.00"))
    assert v.allowed and v.headroom_pln == E("383328.00")
    over = check(f, "6791926635", D(2025, 6, 16), E("383328.03"))  # 90000.01 EUR
    assert not over.allowed
    assert over.headroom_eur == E("90000.00") and over.headroom_pln == E("383328.00")
    assert over.amount_pln == E("383328.03")  # refused as asked, never trimmed


def test_aid_3_history_above_the_ceiling_leaves_no_headroom_and_refuses_every_grant():
    f = _file("spec_example.yaml")
    big = Grant("z1", "5257153615", "PUP", "2023/2831", D(2025, 1, 2), None, E("95000.00"))
    v = check(
        dataclasses.replace(f, grants=(*f.grants, big)), "6791926635", D(2025, 6, 16), E("0.01")
    )
    assert v.used_eur == E("305000.00")
    assert v.headroom_eur == E("0.00") and v.headroom_pln == E("0.00")
    assert not v.allowed


def test_aid_3_results_are_frozen_and_name_their_rule():
    f = _file("spec_example.yaml")
    v = check(f, "6791926635", D(2025, 6, 16), E("1.00"))
    assert (v.rule_id, v.single.rule_id, v.rate.rule_id, v.window.rule_id) == (
        "AID-3",
        "AID-1",
        "AID-2",
        "AID-3",
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.allowed = False  # type: ignore[misc]
    for result in (v, v.single, v.rate, v.window, *v.counted):
        assert say(result.message, "pl") and say(result.message, "en")
