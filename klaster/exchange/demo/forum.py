"""Demo forum for `klaster demo` (issue 13): the region's forum of clusters, with the demo cluster
and four smaller cluster initiatives of the region, so the `forum` persona has something to read.

- "Forum Klastrów Województwa Łódzkiego": the demo cluster and four others joined by decision;
- the four others are small clusters of their own (members made in bulk, a mix of types and
  seats in the region), each with its figures computed by the product's own path
  (`forum.services.refresh_figures`) as of the end of 2024 and 2025 and today, so the trend has
  years; each shares a different part of the KKK 2021 set, two agreed to be named;
- the demo cluster shares its stage II points and membership figures, named;
- shared work: a consultation of the regional innovation strategy open for answers, a joint
  initiative, a good practice, a challenge and a cooperative linkage, with a few messages.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from klaster.core.models import Cluster
from klaster.forum import services
from klaster.forum.models import Forum, Membership, Post, Sharing, Work
from klaster.members.models import Member, MembershipEvent
from klaster.rules.forum.sets import KKK_2021

OTHERS = (
    ("lodz-med", "Klaster Medyczny „Łódź-Med”", 48, True),
    ("moda-lodz", "Łódzki Klaster Mody i Tekstyliów", 36, False),
    ("ict-centrum", "Klaster ICT Polska Centralna", 62, True),
    ("logistyka-strykow", "Klaster Logistyczny Stryków", 28, False),
)
SEATS = (
    ("90-001", "Łódź"),
    ("95-100", "Zgierz"),
    ("95-200", "Pabianice"),
    ("97-300", "Piotrków Trybunalski"),
    ("95-010", "Stryków"),
)
TYPES = ("micro", "micro", "small", "small", "medium", "large", "iob", "science", "other")


def _small_cluster(slug: str, name: str, members: int, rng: random.Random) -> Cluster:
    cluster = Cluster.objects.create(slug=slug, name=name, agreement_date=dt.date(2015, 5, 12))
    joined = dt.date(2016, 3, 1)
    rows = []
    for i in range(members):
        postal, city = SEATS[rng.randrange(len(SEATS))]
        rows.append(
            Member(
                cluster=cluster,
                key=f"m{i:03d}",
                name=f"{name.split('„')[0].split()[-1]} – członek {i + 1:02d} sp. z o.o.",
                type="iob" if i == 0 else TYPES[rng.randrange(len(TYPES))],
                category="partner",
                status="active",
                joined=joined,
                postal_code=postal,
                city=city,
            )
        )
    Member.objects.bulk_create(rows)
    MembershipEvent.objects.bulk_create(
        MembershipEvent(member=m, kind="admitted", date=joined) for m in rows
    )
    cluster.coordinator = rows[0]
    cluster.save(update_fields=["coordinator"])
    return cluster


def forum_demo_build(*, cluster: Cluster, user: Any, today: dt.date) -> Forum:
    rng = random.Random(13)
    forum = Forum.objects.create(
        slug="lodzkie", name="Forum Klastrów Województwa Łódzkiego", region="łódzkie"
    )
    forum.officers.add(user)
    keys = list(KKK_2021.keys)
    days = [dt.date(2024, 12, 31), dt.date(2025, 12, 31), today]
    Membership.objects.create(
        forum=forum,
        cluster=cluster,
        joined_on=dt.date(2023, 2, 20),
        join_decision="Uchwała Zarządu Koordynatora nr 4/2023",
        named=True,
    )
    for day in days:
        services.refresh_figures(cluster=cluster, as_of=day)
    own = [k for k in keys if k.startswith(("s2.", "members."))]
    Sharing.objects.bulk_create(
        Sharing(cluster=cluster, set_code=KKK_2021.code, key=k) for k in own
    )
    for n, (slug, name, members, named) in enumerate(OTHERS):
        other = _small_cluster(slug, name, members, rng)
        Membership.objects.create(
            forum=forum,
            cluster=other,
            joined_on=dt.date(2023 + n % 2, 3 + n, 15),
            join_decision=f"Uchwała nr {n + 2}/{2023 + n % 2}",
            named=named,
        )
        for day in days:
            services.refresh_figures(cluster=other, as_of=day)
        shared = ["s2.total", "members.total"] + rng.sample(keys, len(keys) // (2 + n % 2))
        Sharing.objects.bulk_create(
            Sharing(cluster=other, set_code=KKK_2021.code, key=k) for k in sorted(set(shared))
        )
    consultation = Work.objects.create(
        forum=forum,
        kind=Work.Kind.CONSULTATION,
        title="Regionalna Strategia Innowacji — opinia forum",
        body="Urząd Marszałkowski prosi klastry o uwagi do inteligentnych specjalizacji regionu.",
        deadline=today + dt.timedelta(days=21),
        created_by=user,
    )
    Post.objects.create(
        work=consultation,
        author=user,
        cluster=cluster,
        answer=True,
        text="Proponujemy dopisać automatykę przemysłową do specjalizacji „Zaawansowane materiały”.",
    )
    initiative = Work.objects.create(
        forum=forum,
        kind=Work.Kind.INITIATIVE,
        title="Wspólne stoisko klastrów na targach Hannover Messe",
        body="Jedno stoisko regionu, koszty dzielone według liczby wystawców.",
        created_by=user,
    )
    initiative.clusters.set(Cluster.objects.filter(slug__in=[cluster.slug, "ict-centrum"]))
    Work.objects.create(
        forum=forum,
        kind=Work.Kind.PRACTICE,
        title="Wspólny rejestr czasu pracy biura klastra",
        body="Miesięczna ewidencja godzin z podziałem na prace grup współpracy.",
        created_by=user,
    )
    Work.objects.create(
        forum=forum,
        kind=Work.Kind.CHALLENGE,
        title="Brak techników automatyki w regionie",
        body="Członkowie zgłaszają niedobór kadr; szukamy szkół do kształcenia dualnego.",
        created_by=user,
    )
    linkage = Work.objects.create(
        forum=forum,
        kind=Work.Kind.LINKAGE,
        title="Linia pilotażowa do recyklingu tekstyliów",
        body="Porozumienie trzech firm i uczelni na jeden projekt badawczo-rozwojowy.",
        project="Pilotażowa linia sortowania i recyklingu tekstyliów (2026–2027)",
        entities="Politechnika Łódzka\nTextil-Rec sp. z o.o.\nAutotech S.A.\nEkoTrans sp. z o.o.",
        created_by=user,
    )
    # the demo cluster takes part: its office can take the linkage into its KKK records (FOR-2)
    linkage.clusters.set([cluster])
    return forum
