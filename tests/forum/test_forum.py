"""The forum of clusters (FOR-1, FOR-2; issue 13): membership by decision, sharing, figures from
the KKK evaluation, the comparison through page, chart data, XLSX and PDF — and a cluster's
unshared figure never reaching another cluster's persona, whatever the choices."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from klaster.forum import services
from klaster.forum.models import Membership, Sharing, Snapshot
from klaster.rules.forum.sets import KKK_2021
from tests.factories import (
    ClusterFactory,
    ForumFactory,
    ForumMembershipFactory,
    SharingFactory,
    SnapshotFactory,
    WorkFactory,
)

pytestmark = pytest.mark.django_db
KEYS = KKK_2021.keys[:10]


def sentinel(c: int, k: int) -> int:
    """A figure no median of two others can equal (see the module's reasoning in the test)."""
    return 100000 * (c + 1) + 1000 * c * c + 37 * k + 11


@pytest.fixture
def forum(world):
    """Forum "pomorze": alfa (the `forum` persona's), beta (the `outsider` office's) and gamma."""
    f = ForumFactory(slug="pomorze", name="Forum Klastrów Pomorza")
    gamma = ClusterFactory(slug="gamma", name="Klaster Gamma")
    clusters = [world.alfa, world.beta, gamma]
    for n, c in enumerate(clusters):
        ForumMembershipFactory(forum=f, cluster=c)
        SnapshotFactory(cluster=c, values={k: str(sentinel(n, i)) for i, k in enumerate(KEYS)})
    return f, clusters


def test_for_1_a_cluster_joins_and_leaves_by_decision(world):
    f = ForumFactory()
    office = world.users["office"]
    with pytest.raises(ValidationError) as refused:
        services.join(
            forum=f, cluster=world.alfa, joined_on=dt.date(2026, 1, 5), decision=" ", user=office
        )
    assert "decision" in refused.value.message_dict
    m = services.join(
        forum=f,
        cluster=world.alfa,
        joined_on=dt.date(2026, 1, 5),
        decision="Uchwała 3/2026",
        user=office,
    )
    with pytest.raises(ValidationError):
        services.join(
            forum=f, cluster=world.alfa, joined_on=dt.date(2026, 2, 5), decision="x", user=office
        )
    with pytest.raises(ValidationError):
        services.leave(
            membership=m, left_on=dt.date(2025, 12, 1), decision="Uchwała 9", user=office
        )
    services.leave(
        membership=m, left_on=dt.date(2026, 6, 30), decision="Uchwała 9/2026", user=office
    )
    m.refresh_from_db()
    assert m.left_on == dt.date(2026, 6, 30) and m.join_decision == "Uchwała 3/2026"
    # history kept; joining again is a new membership
    services.join(
        forum=f,
        cluster=world.alfa,
        joined_on=dt.date(2026, 9, 1),
        decision="Uchwała 12/2026",
        user=office,
    )
    assert Membership.objects.filter(forum=f, cluster=world.alfa).count() == 2


def test_for_1_nothing_is_shared_by_default_and_sharing_is_replaced_whole(world):
    assert not Sharing.objects.filter(cluster=world.alfa).exists()
    services.set_sharing(
        cluster=world.alfa,
        indicator_set=KKK_2021,
        keys=["s2.total", "s2.16"],
        named=True,
        user=world.users["office"],
    )
    services.set_sharing(
        cluster=world.alfa,
        indicator_set=KKK_2021,
        keys=["s2.16"],
        named=False,
        user=world.users["office"],
    )
    assert set(Sharing.objects.filter(cluster=world.alfa).values_list("key", flat=True)) == {
        "s2.16"
    }
    with pytest.raises(ValidationError):
        services.set_sharing(
            cluster=world.alfa,
            indicator_set=KKK_2021,
            keys=["nope"],
            named=False,
            user=world.users["office"],
        )


def test_for_1_the_figures_are_read_from_the_clusters_kkk_evaluation(world):
    snap = services.refresh_figures(cluster=world.alfa, as_of=dt.date(2026, 6, 30))
    assert Decimal(snap.values["members.total"]) == 3  # the coordinator and members A and B
    assert Decimal(snap.values["members.medium"]) == 1
    assert "s2.total" in snap.values
    again = services.refresh_figures(cluster=world.alfa, as_of=dt.date(2026, 6, 30))
    assert again.pk == snap.pk and Snapshot.objects.filter(cluster=world.alfa).count() == 1


def _outputs(client, slug) -> str:
    """Everything the reader gets about the comparison: the overview, every indicator's page,
    the chart data, the REST API and the XLSX, as text."""
    page = client.get(reverse("forum_benchmark", args=[slug])).content.decode()
    page += " ".join(
        client.get(reverse("forum_indicator", args=[slug, key])).content.decode() for key in KEYS
    )
    data = client.get(reverse("forum_benchmark_json", args=[slug])).content.decode()
    api = client.get(reverse("api_forum_benchmark", args=[slug]))
    assert api.status_code == 200
    assert api.json() == json.loads(data)  # the REST API answers what the chart data says
    data += api.content.decode()
    xlsx = client.get(reverse("forum_benchmark_xlsx", args=[slug])).content
    wb = load_workbook(io.BytesIO(xlsx), read_only=True)
    cells = " ".join(
        str(v)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    )
    return " ".join([page, data, cells])


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sets(st.sampled_from(KEYS)), min_size=3, max_size=3))
def test_for_1_an_unshared_figure_never_reaches_another_clusters_persona(
    forum, client_for, choices
):
    """Property over random sharing choices of three clusters: the `forum` persona (alfa) and
    the `outsider` (beta's office) see, through the page, the chart data, the API and the XLSX, no figure
    another cluster keeps to itself — and every figure others share."""
    f, clusters = forum
    Sharing.objects.all().delete()
    for c, shared in zip(clusters, choices, strict=True):
        for key in shared:
            SharingFactory(cluster=c, key=key)
    for persona, own in (("forum", 0), ("outsider", 1)):
        text = _outputs(client_for(persona), f.slug)
        numbers = set(re.findall(r"(?<![\d,.])\d{6,7}(?![\d,])", text))
        for n, shared in enumerate(choices):
            if n == own:
                continue
            for i, key in enumerate(KEYS):
                value = str(sentinel(n, i))
                if key in shared:
                    assert value in numbers, (persona, n, key)
                else:
                    assert value not in numbers, (persona, n, key)


def test_for_1_the_forum_persona_sees_the_comparison_with_charts_and_downloads_it(
    forum, client_for
):
    f, clusters = forum
    for c in clusters:
        SharingFactory(cluster=c, key=KEYS[0])
    client = client_for("forum")
    page = client.get(reverse("forum_benchmark", args=[f.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "chart-box" in html and "chart-own" in html
    one = client.get(reverse("forum_indicator", args=[f.slug, KEYS[0]])).content.decode()
    assert "chart-bar" in one and "Klaster Alfa (" in one
    assert "Klaster Alfa (" in html  # its own cluster, named to it
    assert "Klaster Beta" not in html  # beta did not agree to be named
    pdf = client.get(reverse("forum_benchmark_pdf", args=[f.slug]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_for_1_the_benchmark_reads_a_fixed_number_of_queries(
    forum, client_for, django_assert_max_num_queries
):
    f, clusters = forum
    client = client_for("forum")
    client.get(reverse("forum_benchmark", args=[f.slug]))
    with django_assert_max_num_queries(14) as small:
        client.get(reverse("forum_benchmark", args=[f.slug]))
    for _n in range(10):
        c = ClusterFactory()
        ForumMembershipFactory(forum=f, cluster=c)
        SnapshotFactory(cluster=c)
        SharingFactory(cluster=c)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("forum_benchmark", args=[f.slug]))


def test_for_1_a_clusters_office_sees_where_it_stands(forum, client_for):
    f, clusters = forum
    for c in clusters[1:]:
        SharingFactory(cluster=c, key=KEYS[0])
    html = client_for("office").get(reverse("forum_sharing", args=["alfa"])).content.decode()
    assert "Forum Klastrów Pomorza" in html
    assert str(sentinel(0, 0)) in html  # its own figure beside the median of the others
    med = (sentinel(1, 0) + sentinel(2, 0)) / 2
    assert f"{med:.1f}".replace(".", ",").removesuffix(",0") in html


def test_for_2_the_vocabulary_and_a_cooperative_linkage(forum, client_for, world):
    f, _clusters = forum
    html = client_for("forum").get(reverse("forum_home", args=[f.slug])).content.decode()
    for word in ("Inicjatywa klastrowa", "Lider klastra", "Powiązanie kooperacyjne"):
        assert word.lower() in html.lower()
    with pytest.raises(ValidationError):
        services.add_work(
            forum=f, kind="linkage", data={"title": "T", "body": "B"}, user=world.users["forum"]
        )
    work = services.add_work(
        forum=f,
        kind="linkage",
        data={
            "title": "Wspólna linia",
            "body": "B",
            "project": "Linia pilotażowa",
            "entities": "A\nB",
        },
        user=world.users["forum"],
    )
    assert work.project == "Linia pilotażowa"


def test_for_1_a_consultation_takes_answers_until_its_deadline(forum, world):
    f, _clusters = forum
    work = WorkFactory(forum=f, kind="consultation", deadline=dt.date(2026, 12, 10))
    services.add_post(
        work=work,
        user=world.users["forum"],
        cluster=world.alfa,
        text="Opinia",
        answer=True,
        today=dt.date(2026, 12, 10),
    )
    with pytest.raises(ValidationError):
        services.add_post(
            work=work,
            user=world.users["forum"],
            cluster=world.alfa,
            text="Za późno",
            answer=True,
            today=dt.date(2026, 12, 11),
        )


def test_for_1_a_forum_representative_of_another_cluster_sees_nothing_of_a_forum_it_is_not_in(
    world, client_for
):
    f = ForumFactory()
    ForumMembershipFactory(forum=f, cluster=world.beta)
    assert client_for("forum").get(reverse("forum_home", args=[f.slug])).status_code == 404
    assert client_for("outsider").get(reverse("forum_home", args=[f.slug])).status_code == 200


def test_for_1_the_daily_job_computes_each_forum_clusters_figures_once_a_day(world):
    from klaster.forum.jobs import forum_figures

    f = ForumFactory()
    ForumMembershipFactory(forum=f, cluster=world.alfa)
    SnapshotFactory(cluster=world.alfa, as_of=dt.date(2026, 3, 31))
    SnapshotFactory(cluster=world.alfa, as_of=dt.date(2025, 12, 31))
    assert forum_figures(dt.date(2026, 12, 4)) == {"computed": 1, "already": 0}
    assert forum_figures(dt.date(2026, 12, 4)) == {"computed": 0, "already": 1}
    days = sorted(Snapshot.objects.filter(cluster=world.alfa).values_list("as_of", flat=True))
    assert days == [dt.date(2025, 12, 31), dt.date(2026, 12, 4)]  # the year's last kept
    assert not Snapshot.objects.filter(cluster=world.beta).exists()  # not in a forum


def test_for_1_the_kkk_dashboard_shows_the_office_where_the_cluster_stands(forum, client_for):
    f, clusters = forum
    for c in clusters:
        SharingFactory(cluster=c, key="members.total")
    SnapshotFactory(cluster=clusters[0], as_of=dt.date(2026, 7, 1), values={"members.total": "3"})
    html = client_for("office").get(reverse("kkk_dashboard", args=["alfa"])).content.decode()
    assert "Forum Klastrów Pomorza" in html and reverse("forum_sharing", args=["alfa"]) in html
    chair = client_for("chair").get(reverse("kkk_dashboard", args=["alfa"])).content.decode()
    assert "Forum Klastrów Pomorza" not in chair  # the panel is the office's
