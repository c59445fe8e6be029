"""Issue 9 (point 3, "no internal codes"): the main pages of the demo, as each persona, show
people names, not codes — no member's dataset id (``m081``), no SPEC id (``GOV-4``, ``KKK-S2-16``)
inside a heading (it goes to the small "Podstawa" note), no Python dict or list, no raw model
field name (``postal_code``)."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    ("cluster_home", {}),
    ("member_list", {}),
    ("member_statistics", {}),
    ("statute", {}),
    ("audit", {}),
    ("governance_home", {}),
    ("meeting_list", {}),
    ("resolution_list", {}),
    ("admission_list", {}),
    ("group_list", {}),
    ("kkk_dashboard", {}),
    ("kkk_record_index", {}),
]
HEADING = re.compile(r"<h([1-3])\b[^>]*>(.*?)</h\1>", re.S | re.I)
SPEC_ID = re.compile(r"\b(?:GOV|KKK|MEM|PLT)-[A-Z0-9]")
REPR = re.compile(r"\{'|\['|\{&#x27;|\[&#x27;|\{&quot;|OrderedDict\(|<[A-Za-z]+: ")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
#: column names of a file format the page asks for (the proxies' CSV: giver, holder, received_at)
FILE_COLUMNS = {"received_at"}


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html_lib.unescape(page)


@pytest.fixture
def personas(demo):
    from klaster.members.models import Member
    from tests.factories import UserFactory, grant

    member = Member.objects.filter(cluster=demo).exclude(pk=demo.coordinator_id).first()
    users = {"office": demo.office}
    users["chair"] = UserFactory(username="demo-chair")
    grant(users["chair"], demo, "organ_member")
    users["member"] = UserFactory(username="demo-member")
    grant(users["member"], demo, "representative", member)
    users["forum"] = UserFactory(username="demo-forum")
    grant(users["forum"], demo, "forum_viewer")
    return users


def test_pages_show_names_not_codes(demo, personas):
    from klaster.members.models import Member

    keys = set(Member.objects.filter(cluster=demo).values_list("key", flat=True)) - {""}
    key_re = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(keys))) + r")\b")
    problems: list[str] = []
    checked = 0
    for persona, user in personas.items():
        client = Client()
        client.force_login(user)
        for name, params in PAGES:
            response = client.get(reverse(name, args=[demo.slug]), params)
            if response.status_code != 200:
                continue
            checked += 1
            page = response.content.decode()
            where = f"{persona} {name}"
            text = visible_text(page)
            if found := key_re.search(text):
                problems.append(f"{where}: member id {found.group()}")
            for _level, heading in HEADING.findall(page):
                if found := SPEC_ID.search(visible_text(heading)):
                    problems.append(f"{where}: {found.group()}… in a heading")
            if found := REPR.search(page):
                problems.append(
                    f"{where}: a Python repr {page[found.start() : found.start() + 40]!r}"
                )
            if found := next(
                (m for m in SNAKE.finditer(text) if m.group() not in FILE_COLUMNS), None
            ):
                problems.append(f"{where}: field name {found.group()!r}")
    assert checked > 20
    assert problems == [], "\n".join(problems)


def test_the_check_can_fail():
    assert SPEC_ID.search(visible_text("<h2>Pełnomocnictwa (GOV-4)</h2>"))
    assert REPR.search("{&#x27;ga&#x27;: 1}")
    assert SNAKE.search(visible_text("<td>postal_code</td>"))
    assert not SNAKE.search(visible_text('<td class="postal_code">90-001</td>'))


def _check(client: Client, url: str, where: str, key_re: re.Pattern[str]) -> list[str]:
    response = client.get(url)
    if response.status_code != 200:
        return []
    page = response.content.decode()
    text = visible_text(page)
    out = []
    if found := key_re.search(text):
        out.append(f"{where}: member id {found.group()}")
    for _level, heading in HEADING.findall(page):
        if found := SPEC_ID.search(visible_text(heading)):
            out.append(f"{where}: {found.group()}… in a heading")
    if found := REPR.search(page):
        out.append(f"{where}: a Python repr {page[found.start() : found.start() + 40]!r}")
    if found := next((m for m in SNAKE.finditer(text) if m.group() not in FILE_COLUMNS), None):
        out.append(f"{where}: field name {found.group()!r}")
    return out


@pytest.mark.slow
def test_the_full_demo_with_its_meetings_shows_names_not_codes(db, settings, tmp_path):
    """The demo as `klaster demo` builds it (meetings, votes, proxies, the audit log of its
    history), as its four personas."""
    import io

    from django.core.management import call_command

    from klaster.core.models import Cluster
    from klaster.governance.models import Meeting
    from klaster.members.models import Member

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", stdout=io.StringIO())
    cluster = Cluster.objects.get(slug="demo")
    keys = set(Member.objects.filter(cluster=cluster).values_list("key", flat=True)) - {""}
    key_re = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(keys))) + r")\b")
    urls = [reverse(name, args=[cluster.slug]) for name, _params in PAGES]
    urls += [
        reverse("meeting_detail", kwargs={"slug": cluster.slug, "meeting_id": m.pk})
        for m in Meeting.objects.filter(cluster=cluster)
    ]
    from klaster.kkk.models import Application
    from klaster.kkk.records import RECORD_KINDS

    urls += [
        reverse(name, kwargs={"slug": cluster.slug, "application_id": a.pk})
        for a in Application.objects.filter(cluster=cluster)
        for name in ("kkk_application_check", "kkk_application_detail")
    ]

    urls += [
        reverse("kkk_record_list", kwargs={"slug": cluster.slug, "kind": kind})
        for kind in RECORD_KINDS
    ]
    urls += [
        reverse("member_detail", kwargs={"slug": cluster.slug, "member_id": m.pk})
        for m in Member.objects.filter(cluster=cluster).order_by("pk")[:3]
    ]
    problems: list[str] = []
    for login in ("biuro", "rada", "czlonek", "forum"):
        client = Client()
        client.login(username=login, password="klaster-demo")  # noqa: S106 — the demo's password
        for url in urls:
            problems += _check(client, url, f"{login} {url}", key_re)
    assert problems == [], "\n".join(problems)


def test_the_application_check_names_records_not_dataset_paths(demo):
    """KKK-2 with issue 9: "Sprawdź wniosek" names a record by its name, not
    ``[funding_applications[4]]``."""
    from klaster.kkk import selectors, services
    from tests.kkk.conftest import D

    application = services.application_create(cluster=demo, user=demo.office, as_of=D)
    _content, problems = selectors.application_check(application)
    assert any(p.ref and "[" in p.ref for p in problems)  # the check does name records
    client = Client()
    client.force_login(demo.office)
    url = reverse(
        "kkk_application_check", kwargs={"slug": "demo", "application_id": application.pk}
    )
    text = visible_text(client.get(url).content.decode())
    assert not re.search(r"\b[a-z_]+\[\d+\]", text)
