"""The forum's comparison, pure (FOR-1): only shared figures are compared; the reader's own are
shown to it but do not count; anonymous letters give nothing away; the KKK 2021 set matches
the edition the engine scores."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from klaster.rules.dataset.synthetic import synthetic_cluster
from klaster.rules.forum import compare as cmp
from klaster.rules.forum.sets import KKK_2021, RADAR_AREAS, figures
from klaster.rules.kkk import evaluate

D = Decimal


def fig(cid, values, shared, named=False):
    return cmp.ClusterFigures(cid, f"Klaster {cid}", named, values, frozenset(shared))


def test_for_1_median_of_shared_figures_only_and_the_best():
    clusters = [
        fig(1, {"s2.total": D(70)}, {"s2.total"}),
        fig(2, {"s2.total": D(50)}, {"s2.total"}),
        fig(3, {"s2.total": D(99)}, set()),  # keeps it to itself
        fig(4, {"s2.total": D(60)}, {"s2.total"}),
    ]
    (row,) = [
        r for r in cmp.compare(KKK_2021, clusters, viewer=None, secret="s") if r.key == "s2.total"
    ]
    assert row.median == D(60) and row.best == D(70) and row.count == 3
    assert [e.value for e in row.entries] == [D(70), D(60), D(50)]


def test_for_1_the_readers_own_unshared_figure_is_shown_to_it_but_not_counted():
    clusters = [fig(1, {"s2.total": D(70)}, {"s2.total"}), fig(3, {"s2.total": D(99)}, set())]
    (row,) = [
        r for r in cmp.compare(KKK_2021, clusters, viewer=3, secret="s") if r.key == "s2.total"
    ]
    own = [e for e in row.entries if e.own]
    assert own and own[0].value == D(99) and not own[0].shared
    assert row.median == D(70) and row.best == D(70)


def test_for_1_even_count_median_is_the_mean_of_the_middle_two():
    assert cmp.median([D(1), D(4), D(2), D(3)]) == D("2.5")
    assert cmp.median([]) is None


def test_for_1_anonymous_letters_are_stable_and_not_the_order_of_ids():
    a = cmp.letters("secret-1", list(range(1, 30)))
    assert a == cmp.letters("secret-1", list(reversed(range(1, 30))))
    assert sorted(a.values())[:3] == ["A", "AA", "AB"]  # 29 clusters: A…Z, AA, AB, AC
    assert len(set(a.values())) == 29
    assert cmp.letters("secret-2", list(range(1, 30))) != a


def test_for_1_a_named_cluster_is_named_and_another_is_a_letter():
    clusters = [
        fig(1, {"s2.total": D(1)}, {"s2.total"}, named=True),
        fig(2, {"s2.total": D(2)}, {"s2.total"}),
    ]
    (row,) = [
        r for r in cmp.compare(KKK_2021, clusters, viewer=None, secret="s") if r.key == "s2.total"
    ]
    labels = {e.value: e.label for e in row.entries}
    assert labels[D(1)].code == cmp.NAMED and labels[D(1)].kwargs["name"] == "Klaster 1"
    assert labels[D(2)].code == cmp.ANONYMOUS


def test_for_1_an_area_is_drawn_only_when_every_indicator_of_it_is_visible():
    area = RADAR_AREAS[0]
    keys = [i.key for i in KKK_2021.indicators if i.area == area]
    values = {k: D(1) for k in keys}
    whole = fig(1, values, set(keys))
    partial = fig(2, values, set(keys[:-1]))
    assert area in cmp.area_shares(KKK_2021, whole, viewer=None)
    assert area not in cmp.area_shares(KKK_2021, partial, viewer=None)
    assert area in cmp.area_shares(KKK_2021, partial, viewer=2)  # its own


@given(
    st.lists(
        st.tuples(st.sets(st.sampled_from(KKK_2021.keys[:12])), st.booleans()),
        min_size=1,
        max_size=6,
    ),
    st.integers(min_value=0, max_value=6),
)
def test_for_1_no_unshared_figure_of_another_cluster_reaches_the_reader(choices, viewer):
    """Property: whatever each cluster shares, the reader sees another cluster's figure only if
    shared, and the median and best are computed from shared figures only."""
    clusters = []
    for n, (shared, named) in enumerate(choices):
        values = {k: D(1000 * (n + 1) + i) for i, k in enumerate(KKK_2021.keys[:12])}
        clusters.append(fig(n, values, shared, named))
    rows = cmp.compare(KKK_2021, clusters, viewer=viewer, secret="x")
    unshared = {
        c.values[k]
        for c in clusters
        if c.cluster_id != viewer
        for k in c.values
        if k not in c.shared
    }
    seen = {e.value for r in rows for e in r.entries}
    assert not (seen & unshared)
    for r in rows:
        counted = sorted(c.values[r.key] for c in clusters if r.key in c.shared)
        assert r.median == cmp.median(counted)


def test_for_1_the_kkk_2021_set_reads_every_stage2_indicator_with_the_editions_maximum():
    evaluation = evaluate(synthetic_cluster(60, projects=30, events=60))
    maxima = {i.id: i.max for i in evaluation.stage2.indicators}
    for ind in KKK_2021.indicators:
        if ind.source[0] == "stage2":
            assert ind.maximum == maxima[ind.source[1]], ind.key
    assert {i.source[1] for i in KKK_2021.indicators if i.source[0] == "stage2"} == set(maxima)
    got = figures(KKK_2021, evaluation)
    assert got["members.total"] == evaluation.members.total
    assert got["s2.total"] == evaluation.stage2.proposal
    assert all(isinstance(v, Decimal) for v in got.values())
