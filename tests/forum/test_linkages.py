"""FOR-2: clusters take part in the forum's joint initiatives and cooperative linkages, and a
linkage — a limited group of entities formed for one joint project — becomes a record KKK
sees: the office of a taking-part cluster takes it into its KKK records as a joint project,
with its own members as participants, and the cluster's KKK evaluation reads it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from klaster.forum.models import LinkageRecord, Work
from klaster.kkk.dataset import dataset_from_db
from klaster.kkk.models import Project
from tests.factories import ForumFactory, ForumMembershipFactory, WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linkage(world):
    f = ForumFactory(slug="pomorze", name="Forum Klastrów Pomorza")
    ForumMembershipFactory(forum=f, cluster=world.alfa)
    ForumMembershipFactory(forum=f, cluster=world.beta)
    work = WorkFactory(
        forum=f,
        kind="linkage",
        title="Powiązanie: magazyn wodoru",
        body="Wspólny projekt magazynu wodoru.",
        project="Magazyn wodoru H2-Pom",
        entities="Alfa-Tech sp. z o.o.\nPolitechnika Gdańska",
    )
    return f, work


def _url(name, f, work, slug="alfa"):
    return reverse(name, kwargs={"forum_slug": f.slug, "work_id": work.pk, "slug": slug})


def _form(world, **extra):
    return {
        "name": "Magazyn wodoru H2-Pom",
        "description": "Powiązanie kooperacyjne forum",
        "type": "research",
        "participants": [world.member_a.pk, world.member_b.pk],
        "rd": "on",
        "value": "1200000.00",
        "start": "2026-03-01",
        **extra,
    }


def test_for_2_a_linkage_taken_into_the_kkk_records_is_a_joint_project_kkk_reads(
    linkage, world, client_for
):
    f, work = linkage
    office = client_for("office")
    before = len(dataset_from_db(world.alfa).projects)
    # not taking part yet: nothing to take into KKK
    assert office.get(_url("forum_linkage_kkk", f, work)).status_code == 404
    office.post(_url("forum_work_take_part", f, work))
    assert list(work.clusters.all()) == [world.alfa]
    page = office.get(reverse("forum_work", args=[f.slug, work.pk])).content.decode()
    assert "Klaster Alfa" in page and _url("forum_linkage_kkk", f, work) in page
    form = office.get(_url("forum_linkage_kkk", f, work))
    assert form.status_code == 200 and "Magazyn wodoru H2-Pom" in form.content.decode()
    done = office.post(_url("forum_linkage_kkk", f, work), _form(world))
    assert done.status_code == 302
    record = LinkageRecord.objects.get(work=work, cluster=world.alfa)
    project = Project.objects.get(pk=record.project_id)
    assert project.cluster == world.alfa and project.rd and project.type == "research"
    assert set(project.participants.all()) == {world.member_a, world.member_b}
    # KKK sees it: the cluster's dataset holds one joint project more, with its participants
    seen = dataset_from_db(world.alfa).projects
    assert len(seen) == before + 1
    mine = next(p for p in seen if p.name == "Magazyn wodoru H2-Pom")
    assert set(mine.participants) == {world.member_a.key, world.member_b.key}
    assert mine.rd and mine.start == dt.date(2026, 3, 1)
    page = office.get(reverse("forum_work", args=[f.slug, work.pk])).content.decode()
    assert reverse("kkk_record_edit", args=["alfa", "projects", project.pk]) in page


def test_for_2_once_per_cluster_and_only_by_its_own_office_with_its_own_members(
    linkage, world, client_for
):
    f, work = linkage
    office = client_for("office")
    office.post(_url("forum_work_take_part", f, work))
    # another cluster's member cannot be a participant: the form refuses, nothing written
    refused = office.post(
        _url("forum_linkage_kkk", f, work), _form(world, participants=[world.member_beta.pk])
    )
    assert refused.status_code == 200 and not LinkageRecord.objects.exists()
    assert not Project.objects.filter(name="Magazyn wodoru H2-Pom").exists()
    # the forum representative of alfa reads the forum but does not keep alfa's KKK records
    assert (
        client_for("forum").post(_url("forum_linkage_kkk", f, work), _form(world)).status_code
        == 403
    )
    # beta's office: beta does not take part (and cannot act for alfa)
    outsider = client_for("outsider")
    assert outsider.post(_url("forum_linkage_kkk", f, work, "beta"), {}).status_code == 404
    assert outsider.post(_url("forum_linkage_kkk", f, work), _form(world)).status_code == 404
    assert not LinkageRecord.objects.exists()
    office.post(_url("forum_linkage_kkk", f, work), _form(world))
    again = office.post(_url("forum_linkage_kkk", f, work), _form(world), follow=True)
    assert "już w rekordach KKK" in again.content.decode()
    assert LinkageRecord.objects.count() == 1
    assert Project.objects.filter(name="Magazyn wodoru H2-Pom").count() == 1


def test_for_2_clusters_take_part_in_initiatives_and_withdraw(linkage, world, client_for):
    f, work = linkage
    initiative = WorkFactory(forum=f, kind="initiative", title="Wspólne targi")
    practice = WorkFactory(forum=f, kind="practice", title="Dobra praktyka")
    office = client_for("office")
    office.post(_url("forum_work_take_part", f, initiative))
    beta = client_for("outsider")
    beta.post(_url("forum_work_take_part", f, initiative, "beta"))
    assert set(initiative.clusters.values_list("slug", flat=True)) == {"alfa", "beta"}
    # one cluster cannot act for another
    assert (
        beta.post(
            _url("forum_work_take_part", f, initiative, "alfa"), {"action": "withdraw"}
        ).status_code
        == 404
    )
    office.post(_url("forum_work_take_part", f, initiative), {"action": "withdraw"})
    assert list(initiative.clusters.values_list("slug", flat=True)) == ["beta"]
    # a good practice has no clusters taking part
    page = office.post(_url("forum_work_take_part", f, practice), follow=True).content.decode()
    assert not practice.clusters.exists() and "inicjatyw" in page.lower()
    assert Work.objects.filter(pk=work.pk).exists()


def test_for_2_each_taking_part_cluster_names_its_own_members(linkage, world, client_for):
    f, _work = linkage
    initiative = WorkFactory(forum=f, kind="initiative", title="Wspólne targi Hannover")
    office, beta = client_for("office"), client_for("outsider")
    office.post(_url("forum_work_take_part", f, initiative))
    beta.post(_url("forum_work_take_part", f, initiative, "beta"))
    prefix = f"c{world.alfa.pk}"
    office.post(
        _url("forum_work_members", f, initiative),
        {f"{prefix}-members": [world.member_a.pk, world.member_b.pk]},
    )
    beta.post(
        _url("forum_work_members", f, initiative, "beta"),
        {f"c{world.beta.pk}-members": [world.member_beta.pk]},
    )
    assert set(initiative.members.all()) == {world.member_a, world.member_b, world.member_beta}
    # another cluster's member is not on alfa's list: refused, nothing changed
    office.post(
        _url("forum_work_members", f, initiative), {f"{prefix}-members": [world.member_beta.pk]}
    )
    assert initiative.members.filter(cluster=world.alfa).count() == 2
    # beta's office cannot set alfa's members
    assert beta.post(
        _url("forum_work_members", f, initiative), {f"{prefix}-members": []}
    ).status_code in (403, 404)
    assert initiative.members.filter(cluster=world.alfa).count() == 2
    page = office.get(reverse("forum_work", args=[f.slug, initiative.pk])).content.decode()
    assert world.member_a.name in page and world.member_beta.name in page
    # withdrawing takes the cluster's members off too
    office.post(_url("forum_work_take_part", f, initiative), {"action": "withdraw"})
    assert set(initiative.members.all()) == {world.member_beta}
