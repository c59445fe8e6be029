"""The lending queue's rules (AID-4 checklist, AID-5 ranking and waitlist; 003 §4–§5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klaster.rules.aid import lending as L
from klaster.rules.aid.lending import Document, Period, Request
from klaster.rules.message import say

D = dt.date
W = ZoneInfo("Europe/Warsaw")
ARRIVED = D(2026, 5, 31)


def at(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=W)


def full(**change: Document | None) -> list[Document]:
    """A complete set on paper for an application of ARRIVED, the 2b way; `change` replaces or
    drops (None) a kind's document."""
    docs = {
        L.RULES: Document(L.RULES, L.PAPER, D(2026, 6, 1)),
        L.ANNEX1: Document(L.ANNEX1, L.PAPER, D(2026, 6, 1)),
        L.STATEMENT_2B: Document(L.STATEMENT_2B, L.PAPER, D(2026, 6, 1)),
        L.ANNEX3: Document(L.ANNEX3, L.PAPER, D(2026, 6, 1)),
        L.EXTRACT: Document(L.EXTRACT, L.PRINTOUT, D(2026, 6, 1), D(2026, 5, 20)),
    }
    for kind, doc in change.items():
        if doc is None:
            docs.pop(kind, None)
        else:
            docs[kind] = doc
    return list(docs.values())


def missing_codes(result: L.Checklist) -> list[str]:
    return [m.code for m in result.missing]


# -- AID-4: the checklist ------------------------------------------------------------------------


def test_aid_4_a_complete_set_on_paper_with_statement_2b():
    result = L.checklist(full(), ARRIVED)
    assert result.complete and result.missing == () and result.rule_id == "AID-4"
    assert [i.key for i in result.items] == ["rules", "annex1", "aid_history", "annex3", "extract"]


def test_aid_4_certificates_as_certified_copies_with_statement_2a_instead_of_2b():
    docs = full(
        statement_2b=None,
        certificates=Document(L.CERTIFICATES, L.COPY, D(2026, 6, 2)),
        statement_2a=Document(L.STATEMENT_2A, L.PAPER, D(2026, 6, 2)),
    )
    assert L.checklist(docs, ARRIVED).complete


@pytest.mark.parametrize(
    ("history", "complete", "codes"),
    [
        # certificates without the statement 2a: the 2a way is incomplete, the one received named
        (
            {"certificates": Document(L.CERTIFICATES, L.PAPER, D(2026, 6, 2))},
            False,
            ["aid.lending.history", "aid.lending.received"],
        ),
        # 2a without the certificates
        (
            {"statement_2a": Document(L.STATEMENT_2A, L.PAPER, D(2026, 6, 2))},
            False,
            ["aid.lending.history", "aid.lending.received"],
        ),
        # nothing about past aid at all
        ({}, False, ["aid.lending.history"]),
        # 2a and 2b contradict each other
        (
            {
                "statement_2a": Document(L.STATEMENT_2A, L.PAPER, D(2026, 6, 2)),
                "statement_2b": Document(L.STATEMENT_2B, L.PAPER, D(2026, 6, 2)),
                "certificates": Document(L.CERTIFICATES, L.PAPER, D(2026, 6, 2)),
            },
            False,
            ["aid.lending.history_both"],
        ),
        # 2b received only by e-mail: does not count
        (
            {"statement_2b": Document(L.STATEMENT_2B, L.ELECTRONIC, D(2026, 6, 2))},
            False,
            ["aid.lending.history", "aid.lending.electronic"],
        ),
        # certificates as a plain printout: only originals or certified copies
        (
            {
                "certificates": Document(L.CERTIFICATES, L.PRINTOUT, D(2026, 6, 2)),
                "statement_2a": Document(L.STATEMENT_2A, L.PAPER, D(2026, 6, 2)),
            },
            False,
            ["aid.lending.history", "aid.lending.wrong_form", "aid.lending.received"],
        ),
    ],
)
def test_aid_4_either_certificates_with_2a_or_2b(history, complete, codes):
    docs = [d for d in full(statement_2b=None)] + list(history.values())
    result = L.checklist(docs, ARRIVED)
    assert result.complete is complete
    assert missing_codes(result) == codes


@pytest.mark.parametrize("kind", [L.RULES, L.ANNEX1, L.ANNEX3, L.EXTRACT])
def test_aid_4_a_document_received_only_electronically_does_not_count(kind):
    doc = Document(kind, L.ELECTRONIC, D(2026, 6, 1), D(2026, 5, 20))
    result = L.checklist(full(**{kind: doc}), ARRIVED)
    assert not result.complete
    assert missing_codes(result) == ["aid.lending.electronic"]


@pytest.mark.parametrize("kind", [L.RULES, L.ANNEX1, L.ANNEX3])
@pytest.mark.parametrize("form", [L.COPY, L.PRINTOUT])
def test_aid_4_forms_and_rules_need_the_paper_original(kind, form):
    result = L.checklist(full(**{kind: Document(kind, form, D(2026, 6, 1))}), ARRIVED)
    assert missing_codes(result) == ["aid.lending.wrong_form"]


@pytest.mark.parametrize("form", [L.PAPER, L.COPY, L.PRINTOUT])
def test_aid_4_the_extract_may_be_an_original_a_certified_copy_or_a_printout(form):
    doc = Document(L.EXTRACT, form, D(2026, 6, 1), D(2026, 5, 20))
    assert L.checklist(full(extract=doc), ARRIVED).complete


@pytest.mark.parametrize("kind", [L.RULES, L.ANNEX1, L.ANNEX3, L.EXTRACT])
def test_aid_4_a_missing_document_is_named(kind):
    result = L.checklist(full(**{kind: None}), ARRIVED)
    assert missing_codes(result) == ["aid.lending.missing"]
    assert dict(result.missing[0].params)["document"].code == f"aid_document.{kind}"


# arrival day, the earliest day of issue accepted
CUTOFFS = [
    (D(2026, 5, 31), D(2026, 2, 28)),  # February lacks the 31st: its last day
    (D(2026, 5, 30), D(2026, 2, 28)),
    (D(2026, 5, 28), D(2026, 2, 28)),
    (D(2026, 5, 27), D(2026, 2, 27)),
    (D(2028, 5, 31), D(2028, 2, 29)),  # a leap year
    (D(2028, 5, 29), D(2028, 2, 29)),
    (D(2026, 3, 31), D(2025, 12, 31)),  # over the new year
    (D(2026, 1, 15), D(2025, 10, 15)),
    (D(2026, 8, 31), D(2026, 5, 31)),
    (D(2026, 7, 31), D(2026, 4, 30)),  # April lacks the 31st
    (D(2026, 6, 15), D(2026, 3, 15)),
]


@pytest.mark.parametrize(("arrived", "cutoff"), CUTOFFS)
def test_aid_4_the_extract_issued_3_months_back_is_current_a_day_earlier_is_not(arrived, cutoff):
    assert L.extract_cutoff(arrived) == cutoff

    def with_issue(day: dt.date) -> L.Checklist:
        return L.checklist(full(extract=Document(L.EXTRACT, L.PAPER, arrived, day)), arrived)

    assert with_issue(cutoff).complete
    old = with_issue(cutoff - dt.timedelta(days=1))
    assert missing_codes(old) == ["aid.lending.extract_old"]
    assert dict(old.missing[0].params)["cutoff"] == cutoff
    # issued after the arrival (the set completed later): current too
    assert with_issue(arrived + dt.timedelta(days=3)).complete


def test_aid_4_an_extract_without_its_date_of_issue_does_not_count():
    doc = Document(L.EXTRACT, L.PAPER, D(2026, 6, 1), None)
    assert missing_codes(L.checklist(full(extract=doc), ARRIVED)) == ["aid.lending.extract_no_date"]


def test_aid_4_a_later_paper_original_makes_good_an_earlier_e_mail():
    docs = [*full(), Document(L.ANNEX1, L.ELECTRONIC, D(2026, 5, 31))]
    assert L.checklist(docs, ARRIVED).complete
    # and the reason shown for the position names the document that counts
    item = next(i for i in L.checklist(docs, ARRIVED).items if i.key == "annex1")
    assert item.messages[0].code == "aid.lending.received"


def test_aid_4_the_reasons_read_in_polish():
    result = L.checklist(
        full(extract=Document(L.EXTRACT, L.PAPER, ARRIVED, D(2026, 2, 27))), ARRIVED
    )
    text = say(result.missing[0], "pl")
    assert "27.02.2026" in text and "28.02.2026" in text and "31.05.2026" in text


# -- overlap -------------------------------------------------------------------------------------


def req(i: int, start: tuple[int, int], end: tuple[int, int], arrived: dt.datetime, score=None):
    return Request(
        i,
        D(2027, *start),
        D(2027, *end),
        arrived,
        Decimal(score) if score is not None else None,
    )


def test_aid_5_periods_overlap_when_they_share_a_day_both_ends_included():
    a = Period(D(2027, 1, 11), D(2027, 1, 22))
    assert a.overlaps(Period(D(2027, 1, 22), D(2027, 1, 30)))
    assert not a.overlaps(Period(D(2027, 1, 23), D(2027, 1, 30)))
    assert Period(D(2027, 1, 1), D(2027, 1, 10)).overlaps(a) is False
    assert Period(D(2027, 1, 1), D(2027, 1, 11)).overlaps(a)


def test_aid_5_overlapping_groups_join_through_a_chain_and_leave_the_lone_one_out():
    a = req(1, (1, 1), (1, 10), at(1))
    b = req(2, (1, 10), (1, 20), at(2))  # shares 10 January with a
    c = req(3, (1, 20), (1, 25), at(3))  # shares 20 January with b, not with a
    d = req(4, (2, 1), (2, 5), at(4))  # alone
    e = req(5, (3, 1), (3, 5), at(6))
    f = req(6, (3, 3), (3, 4), at(5))
    groups = L.overlapping([d, c, a, f, b, e])
    assert [[r.id for r in g] for g in groups] == [[1, 2, 3], [6, 5]]


# -- AID-5: the ranking ---------------------------------------------------------------------------


def test_aid_5_ranking_by_evaluation_then_arrival_and_who_fits_is_chosen():
    a = req(1, (1, 11), (1, 22), at(2, 9, 0), "80")
    b = req(2, (1, 15), (1, 30), at(1, 9, 0), "95")  # best evaluation
    c = req(3, (1, 23), (1, 31), at(3, 9, 0), "80")  # same score as a, arrived later
    d = req(4, (1, 1), (1, 10), at(4, 9, 0), "80")  # arrived last, but free
    ranked = L.rank([a, b, c, d])
    assert [p.request.id for p in ranked.places] == [2, 1, 3, 4]
    assert [p.chosen for p in ranked.places] == [True, False, False, True]
    assert [r.id for r in ranked.chosen] == [2, 4]
    assert [r.id for r in ranked.waiting] == [1, 3]
    assert [p.message.code for p in ranked.places] == [
        "aid.lending.chosen",
        "aid.lending.waits",
        "aid.lending.waits",
        "aid.lending.chosen",
    ]
    assert ranked.rule_id == "AID-5"


def test_aid_5_equal_evaluation_goes_by_the_minute_of_arrival():
    a = req(1, (1, 11), (1, 22), at(2, 9, 1), "70")
    b = req(2, (1, 11), (1, 22), at(2, 9, 0), "70")
    assert [r.id for r in L.rank([a, b]).chosen] == [2]


def test_aid_5_a_period_already_taken_is_not_given_again():
    a = req(1, (1, 11), (1, 22), at(1), "90")
    b = req(2, (2, 1), (2, 10), at(2), "50")
    ranked = L.rank([a, b], taken=[Period(D(2027, 1, 20), D(2027, 1, 25))])
    assert [r.id for r in ranked.chosen] == [2]
    assert [r.id for r in ranked.waiting] == [1]


def test_aid_5_no_ranking_before_every_application_is_evaluated():
    ranked = L.rank([req(1, (1, 1), (1, 5), at(1), "10"), req(2, (1, 1), (1, 5), at(2))])
    assert ranked.places == () and ranked.refusal is not None
    assert ranked.refusal.code == "aid.lending.not_scored"
    assert dict(ranked.refusal.params)["missing"] == 1


# -- 003 §5.4: the waitlist ------------------------------------------------------------------------


def waiting(i, start, end, arrived, position):
    return Request(i, D(2027, *start), D(2027, *end), arrived, Decimal("50"), position)


def test_aid_5_on_return_the_first_in_the_approved_ranking_gets_the_product():
    first = waiting(1, (1, 11), (1, 22), at(3), 2)
    second = waiting(2, (1, 11), (1, 22), at(1), 3)  # arrived earlier, ranked lower
    unranked = waiting(3, (1, 11), (1, 22), at(1), None)
    hand = L.next_in_line([unranked, second, first], D(2027, 1, 12))
    assert hand.chosen == first and hand.passed == ()
    assert hand.message.code == "aid.lending.next"


def test_aid_5_on_return_the_same_position_goes_by_arrival():
    a = waiting(1, (1, 11), (1, 22), at(3), 2)
    b = waiting(2, (1, 11), (1, 22), at(2), 2)
    assert L.next_in_line([a, b], D(2027, 1, 12)).chosen == b


def test_aid_5_on_return_a_lapsed_or_still_taken_period_is_passed_over():
    lapsed = waiting(1, (1, 1), (1, 5), at(1), 1)
    clash = waiting(2, (1, 11), (1, 22), at(2), 2)
    free = waiting(3, (2, 1), (2, 5), at(3), 3)
    hand = L.next_in_line(
        [free, clash, lapsed], D(2027, 1, 10), taken=[Period(D(2027, 1, 20), D(2027, 1, 31))]
    )
    assert hand.chosen == free
    assert [(r.id, m.code) for r, m in hand.passed] == [
        (1, "aid.lending.lapsed"),
        (2, "aid.lending.still_taken"),
    ]


def test_aid_5_the_part_of_a_period_before_the_return_does_not_clash():
    # waits for 11–22 January; another lending ran 1–14 January and is still taken: it clashes
    # only if the days from the return on overlap it
    r = waiting(1, (1, 11), (1, 22), at(1), 1)
    hand = L.next_in_line([r], D(2027, 1, 15), taken=[Period(D(2027, 1, 1), D(2027, 1, 14))])
    assert hand.chosen == r


def test_aid_5_nobody_waits():
    hand = L.next_in_line([], D(2027, 1, 15))
    assert hand.chosen is None and hand.message.code == "aid.lending.nobody"


# -- properties of the ranking -----------------------------------------------------------------

_requests = st.lists(
    st.tuples(
        st.integers(0, 60),  # start, days after 1 January 2027
        st.integers(0, 15),  # length
        st.integers(0, 10_000),  # arrival, minutes after 1 November
        st.integers(0, 100),  # score
    ),
    min_size=0,
    max_size=12,
)


def _build(raw) -> list[Request]:
    base, arrival = D(2027, 1, 1), at(1, 0, 0)
    return [
        Request(
            i,
            base + dt.timedelta(days=s),
            base + dt.timedelta(days=s + n),
            arrival + dt.timedelta(minutes=a),
            Decimal(score),
        )
        for i, (s, n, a, score) in enumerate(raw)
    ]


@settings(max_examples=200, deadline=None)
@given(_requests)
def test_aid_5_property_the_chosen_never_overlap_and_each_waiting_one_is_blocked(raw):
    reqs = _build(raw)
    ranked = L.rank(reqs)
    chosen = ranked.chosen
    assert len(ranked.places) == len(reqs)
    for i, a in enumerate(chosen):
        for b in chosen[i + 1 :]:
            assert not L.overlaps(a, b)
    # a waiting one overlaps somebody chosen above it on the list (or it would have been chosen)
    for place in ranked.places:
        if not place.chosen:
            above = [p.request for p in ranked.places[: place.position - 1] if p.chosen]
            assert any(L.overlaps(place.request, c) for c in above)
    # the list is ordered by the evaluation, then arrival
    keys = [L.order_key(p.request) for p in ranked.places]
    assert keys == sorted(keys)


@settings(max_examples=200, deadline=None)
@given(_requests, st.integers(0, 80))
def test_aid_5_property_the_next_in_line_fits_and_nobody_before_it_did(raw, day_offset):
    day = D(2027, 1, 1) + dt.timedelta(days=day_offset)
    reqs = [
        Request(r.id, r.start, r.end, r.arrived_at, r.score, position=(r.id % 4) or None)
        for r in _build(raw)
    ]
    taken = [Period(D(2027, 1, 20), D(2027, 1, 31))]
    hand = L.next_in_line(reqs, day, taken)
    passed = {r.id for r, _m in hand.passed}
    if hand.chosen is not None:
        assert hand.chosen.end >= day
        assert not any(
            Period(max(hand.chosen.start, day), hand.chosen.end).overlaps(p) for p in taken
        )
        earlier = [r for r in reqs if L.waitlist_key(r) < L.waitlist_key(hand.chosen)]
        assert {r.id for r in earlier} == passed
    else:
        assert passed == {r.id for r in reqs}
