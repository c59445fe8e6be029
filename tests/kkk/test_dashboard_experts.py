"""Readiness dashboard (KKK-EXPLAIN: checklist, bars, what-if, date of evaluation) and the
experts' and panel's scores beside the product's proposal (KKK-S2-EXP, KKK-S3, KKK-TOTAL)."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klaster.core.say import say
from klaster.kkk import selectors, services
from klaster.kkk.models import ExpertScore, PanelScore
from klaster.rules.kkk.engine import round_half_up
from tests.factories import (
    IsoCertificateFactory,
    MemberFactory,
    MemberYearFactory,
    UserFactory,
    grant,
)
from tests.forms import versioned
from tests.kkk.conftest import D

pytestmark = pytest.mark.django_db


def _office(client, demo):
    client.force_login(demo.office)
    return client


def dashboard(client, **query):
    return client.get(reverse("kkk_dashboard", kwargs={"slug": "demo"}), query)


# --- the dashboard ----------------------------------------------------------------------------------


def test_kkk_explain_dashboard_checklist_bars_and_what_if(demo, client):
    response = dashboard(_office(client, demo), as_of="2026-06-30")
    assert response.status_code == 200
    ev = response.context["ev"]
    body = response.content.decode()
    # stage I: every criterion with a mark; what is missing for the failed ones
    for c in ev.stage1.criteria:
        assert f'id="{c.id}"' in body
        if not c.passed:
            assert say(c.needs) in body
    # stage II: a bar per indicator, as wide as its share of the maximum
    for i in ev.stage2.indicators:
        assert f'aria-label="{i.points} / {i.max}"' in body
        assert f"width: {round(100 * i.points / i.max)}%" in body
    # what-if: sorted by points gained, most first
    gains = [w.gain for w in response.context["what_if"]]
    assert gains == sorted(gains, reverse=True) and gains
    rows = re.findall(r"<td class=\"num\"><b>\+(\d+)</b></td>", body)
    assert [int(g) for g in rows] == gains


def test_kkk_explain_dashboard_scores_the_cluster_as_of_another_day(demo, client):
    c = _office(client, demo)
    now = dashboard(c, as_of="2026-06-30").context["ev"]
    before = dashboard(c, as_of="2020-01-15").context["ev"]
    assert now.as_of == dt.date(2026, 6, 30) and before.as_of == dt.date(2020, 1, 15)
    assert before.members.total < now.members.total  # members who joined later are not counted
    direct = selectors.cluster_evaluation(demo, as_of=dt.date(2020, 1, 15)).evaluation
    assert (before.stage2.proposal, before.members.total) == (
        direct.stage2.proposal,
        direct.members.total,
    )
    assert "15.01.2020" in dashboard(c, as_of="2020-01-15").content.decode()


def test_kkk_explain_dashboard_query_count_does_not_grow_with_members(demo, client):
    c = _office(client, demo)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert dashboard(c, as_of="2026-06-30").status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for n in range(40):
        m = MemberFactory(
            cluster=demo,
            key=f"extra{n:03d}",
            type="small",
            city="Łódź",
            postal_code="90-001",
            lat="51.759",
            lon="19.457",
        )
        MemberYearFactory(member=m, year=2025, revenue=1000000, export_revenue=100000, fte=3)
        IsoCertificateFactory(member=m, standard="ISO 9001:2015", ics="03")
    assert count() == small


def test_kkk_explain_organ_members_read_the_dashboard_only(demo, client):
    chair = UserFactory(username="demo-chair")
    grant(chair, demo, "organ_member")
    client.force_login(chair)
    response = dashboard(client)
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("kkk_application_list", kwargs={"slug": "demo"}) not in body
    assert client.get(reverse("kkk_experts", kwargs={"slug": "demo"})).status_code == 403


# --- experts and panel ---------------------------------------------------------------------------


def _post_experts(client, scores1, scores2, name1="Ekspert A", name2="Ekspert B"):
    data = {"e1_name": name1, "e2_name": name2}
    data.update({f"e1_{k}": v for k, v in scores1.items()})
    data.update({f"e2_{k}": v for k, v in scores2.items()})
    url = reverse("kkk_experts", kwargs={"slug": "demo"})
    return client.post(url, versioned(client, url, data))


def test_kkk_s2_exp_mean_of_two_experts_rounded_half_up_on_the_sum(demo, client):
    c = _office(client, demo)
    ev = selectors.cluster_evaluation(demo, as_of=D).evaluation
    proposal = {i.number: i.points for i in ev.stage2.indicators}
    maxima = {i.number: i.max for i in ev.stage2.indicators}
    # three indicators where expert B gives one point less than expert A (= the proposal):
    # each mean is x − ½; rounding each would lose 3 points, rounding the sum loses 1.5 → 2.
    lowered = [n for n in proposal if proposal[n] >= 1][:3]
    b = {n: p - 1 if n in lowered else p for n, p in proposal.items()}
    assert _post_experts(c, proposal, b).status_code == 302
    ev = selectors.cluster_evaluation(demo, as_of=D).evaluation
    exact = Fraction(sum(proposal.values())) - Fraction(3, 2)
    assert ev.stage2.experts_exact == exact
    assert ev.stage2.total == round_half_up(exact) == sum(proposal.values()) - 1
    assert ev.stage2.proposal == sum(proposal.values())
    # one indicator half a point up: the sum ends in .5 and rounds up
    c2 = {
        n: min(p + 1, maxima[n]) if n == next(k for k in proposal if proposal[k] < maxima[k]) else p
        for n, p in proposal.items()
    }
    _post_experts(c, proposal, c2)
    ev = selectors.cluster_evaluation(demo, as_of=D).evaluation
    assert ev.stage2.experts_exact == Fraction(2 * sum(proposal.values()) + 1, 2)
    assert ev.stage2.total == sum(proposal.values()) + 1


def test_kkk_s2_exp_every_difference_from_the_proposal_is_marked(demo, client):
    c = _office(client, demo)
    ev = selectors.cluster_evaluation(demo, as_of=D).evaluation
    proposal = {i.number: i.points for i in ev.stage2.indicators}
    target = next(n for n, p in proposal.items() if p >= 1)
    other = next(n for n, p in proposal.items() if p >= 1 and n != target)
    a = dict(proposal)
    b = {**proposal, target: proposal[target] - 1}
    a[other] = proposal[other] - 1
    b[other] = proposal[other] - 1
    _post_experts(c, a, b)
    response = c.get(reverse("kkk_experts", kwargs={"slug": "demo"}))
    rows = {r["ind"].number: r for r in response.context["rows"]}
    assert (
        rows[target]["diff"] == "-0,5" and rows[target]["disagree"] and rows[target]["e2_differs"]
    )
    assert not rows[target]["e1_differs"]
    assert rows[other]["diff"] == "-1" and rows[other]["e1_differs"] and rows[other]["e2_differs"]
    assert not rows[other]["disagree"]
    untouched = [r for n, r in rows.items() if n not in (target, other)]
    assert all(r["diff"] is None and not r["e1_differs"] and not r["e2_differs"] for r in untouched)
    assert response.context["differences"] == 2
    body = response.content.decode()
    assert body.count('class="num diff-cell"') == 2  # the two differing means
    assert "Ekspert A" in body and "Ekspert B" in body


def test_kkk_s2_exp_scores_outside_the_indicator_range_are_refused(demo, client):
    c = _office(client, demo)
    response = _post_experts(c, {"10": 4}, {})  # indicator 10 has a maximum of 3
    assert response.status_code == 200 and ExpertScore.objects.filter(cluster=demo).count() == 0
    with pytest.raises(ValidationError):
        services.expert_scores_set(
            cluster=demo, user=None, experts=[("A", {"10": 4})], maxima={"10": 3}
        )
    with pytest.raises(ValidationError):
        services.expert_scores_set(
            cluster=demo, user=None, experts=[("", {"10": 1})], maxima={"10": 3}
        )


def test_kkk_s2_exp_expert_scores_survive_export_and_import(demo):
    """The scores entered here are the dataset's `experts` block (DATASET.md)."""
    from klaster.kkk.dataset import dataset_from_db

    services.expert_scores_set(
        cluster=demo,
        user=None,
        experts=[("Ekspert A", {"9": 5, "10": 2}), ("Ekspert B", {"9": 4})],
        maxima={"9": 5, "10": 3},
    )
    experts = dataset_from_db(demo).experts
    assert [(e.name, e.scores) for e in experts] == [
        ("Ekspert A", (("9", 5), ("10", 2))),
        ("Ekspert B", (("9", 4),)),
    ]


def _panel(client, **scores):
    data = {f"p-{k}": v for k, v in scores.items()}
    data = versioned(client, reverse("kkk_experts", kwargs={"slug": "demo"}), data, prefix="p")
    return client.post(reverse("kkk_panel", kwargs={"slug": "demo"}), data)


def test_kkk_total_status_from_stage_ii_and_the_panel(demo, client):
    c = _office(client, demo)
    _panel(c)  # the demo ships with panel scores; start without them
    ev = selectors.cluster_evaluation(demo, as_of=D).evaluation
    assert ev.stage1.passed and ev.stage2.passed and ev.status == "stage3_pending"
    need = ev.total_threshold - ev.stage2.total  # panel points that reach 100
    assert 0 < need <= 40
    split = [min(10, need - 10 * k) if need - 10 * k > 0 else 0 for k in range(4)]
    _panel(
        c,
        successes_strategy=split[0],
        knowledge_transfer=split[1],
        public_policies=split[2],
        pandemic=split[3],
    )
    ev = selectors.cluster_evaluation(demo, as_of=D).evaluation
    assert ev.stage3.total == need and ev.total == ev.total_threshold and ev.status == "granted"
    lower = [*split]
    lower[next(i for i, v in enumerate(lower) if v > 0)] -= 1
    _panel(
        c,
        successes_strategy=lower[0],
        knowledge_transfer=lower[1],
        public_policies=lower[2],
        pandemic=lower[3],
    )
    ev = selectors.cluster_evaluation(demo, as_of=D).evaluation
    assert ev.total == ev.total_threshold - 1 and ev.status == "not_granted"
    page = c.get(reverse("kkk_experts", kwargs={"slug": "demo"})).content.decode()
    assert f"{ev.total} / {ev.total_max}" in page


def test_kkk_s3_panel_scores_are_0_to_10_and_all_four(demo, client):
    c = _office(client, demo)
    PanelScore.objects.filter(cluster=demo).delete()
    _panel(c, successes_strategy=11, knowledge_transfer=5, public_policies=5, pandemic=5)
    assert not PanelScore.objects.filter(cluster=demo).exists()
    _panel(c, successes_strategy=5)
    assert not PanelScore.objects.filter(cluster=demo).exists()
    _panel(c, successes_strategy=8, knowledge_transfer=7, public_policies=6, pandemic=7)
    assert PanelScore.objects.get(cluster=demo).knowledge_transfer == 7
    _panel(c)  # all empty: cleared
    assert not PanelScore.objects.filter(cluster=demo).exists()


def test_kkk_explain_dashboard_speaks_the_readers_language(demo, client):
    """Issue 9 point 4: the engine's criteria, notes and steps are codes rendered on the page in
    the reader's language — the same evaluation reads in English and in Polish."""
    _office(client, demo)
    url = reverse("kkk_dashboard", kwargs={"slug": "demo"})
    english = client.get(url, {"as_of": "2021-06-30"}, HTTP_ACCEPT_LANGUAGE="en")
    polish = client.get(url, {"as_of": "2021-06-30"}, HTTP_ACCEPT_LANGUAGE="pl")
    en, pl = english.content.decode(), polish.content.decode()
    assert "Number of cluster members (the coordinator included)" in en
    assert "Liczba członków klastra (wraz z koordynatorem)" not in en
    assert "Liczba członków klastra (wraz z koordynatorem)" in pl
    assert "KKK competition 2021 (Instruction of 27 May 2021)" in en
    assert "Konkurs KKK 2021 (Instrukcja z 27 maja 2021 r.)" in pl
    # a requirement in the reader's notation
    assert "≥ 1 international, ≥ 1 R&amp;D" in en and "≥ 1 międzynarodowy, ≥ 1 B+R" in pl
