"""The member list page (issue 8): rows printed from prepared values — the same columns, labels,
links, distance marks and filters as before, in a fixed number of queries whatever the members."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klaster.members.forms import MemberFilterForm
from klaster.members.models import Member
from klaster.members.selectors import MemberRow, member_list_page
from tests.factories import MemberFactory

URL = "/c/alfa/members/"
SHAPES = [
    {},
    {"page": "2"},
    {"type": "small"},
    {"q": "firma", "distance": "far"},
    {"status": "active", "page": "9"},
    {"category": "partner", "type": "bogus"},
]


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    return len(ctx.captured_queries)


def _rows(response) -> list[str]:
    return _rows_of(response.content.decode())


def _rows_of(body: str) -> list[str]:
    return re.findall(r"<tr>.*?</tr>", body[body.index("<tbody>") :], flags=re.S)


def test_member_list_query_count_is_fixed_whatever_the_members_and_the_filters(world, client_for):
    """STYLE "List pages assert their query count": the session, the user, the cluster, the roles,
    the count and the page — six, for five members or 135 (three pages), filtered or not."""
    c = client_for("office")
    c.get(URL)  # whatever a first request does once is not part of a list's cost
    for i in range(2):  # every shape finds a row (an empty page skips the page query)
        MemberFactory(cluster=world.alfa, key=f"f{i}", distance_km=250)
    few = {str(shape): _queries(c, shape) for shape in SHAPES}
    for i in range(130):
        MemberFactory(
            cluster=world.alfa,
            key=f"q{i:03d}",
            distance_km=250 if i % 2 else None,
            distance_override_km=Decimal("300.5") if i % 10 == 0 else None,
        )
    many = {str(shape): _queries(c, shape) for shape in SHAPES}
    assert many == few
    assert max(many.values()) <= 6


def test_mem_9_mem_6_member_list_rows_show_labels_links_and_the_distance_in_force(
    world, client_for
):
    """MEM-9: the manual distance wins and is marked; an unknown distance is shown as unknown,
    never 0; MEM-6: the status label is the register's ("członek" for an active member)."""
    Member.objects.filter(pk=world.member_a.pk).update(
        distance_km=120, distance_override_km=Decimal("80.5"), category="strategic_partner"
    )
    Member.objects.filter(pk=world.member_b.pk).update(
        distance_km=None, distance_override_km=None, status="suspended"
    )
    Member.objects.filter(pk=world.coordinator.pk).update(distance_km=0, distance_override_km=None)
    rows = {r.split('">', 2)[1].split("<", 1)[0]: r for r in _rows(client_for("office").get(URL))}
    a, b, coordinator = (
        rows["Alfa-Tech sp. z o.o."],
        rows["Beta-Soft S.A."],
        rows["Fundacja Koordynator"],
    )
    assert f'href="{reverse("member_detail", args=["alfa", world.member_a.pk])}"' in a
    assert "<td>małe przedsiębiorstwo</td><td>Partner Strategiczny</td>" in a
    assert "<td>członek</td>" in a and "Białystok" in a and world.member_a.nip in a
    # the override, 80.5 km, rounded half up and marked; the computed 120 km is not shown
    assert '<td class="num"><span class="badge manual" title="wpisana ręcznie">81*</span></td>' in a
    assert '<td class="num"><span class="muted">nieznana</span></td>' in b
    assert "<td>zawieszony</td>" in b
    assert '<td class="num">0</td>' in coordinator  # a distance of 0 km is a distance, not unknown


def test_member_list_rows_escape_every_text(world, client_for):
    Member.objects.filter(pk=world.member_a.pk).update(
        name='<script>alert("x")</script> & Co', city="O'Neil<b>", nip='12"34'
    )
    body = client_for("office").get(URL).content.decode()
    assert "<script>alert" not in body and "O'Neil<b>" not in body and 'nip="12"34"' not in body
    row = next(r for r in _rows_of(body) if "alert" in r)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co</a>" in row
    assert "<td>O&#x27;Neil&lt;b&gt;</td>" in row and "<td>12&quot;34</td>" in row


def test_member_list_rows_follow_the_readers_language(world, client_for):
    c = client_for("office")
    c.cookies["django_language"] = "en"
    a = next(r for r in _rows(c.get(URL)) if "Alfa-Tech" in r)
    assert (
        "small enterprise" in a and "Partner" in a and "<td>member</td>" in a and ">unknown<" in a
    )


def test_member_list_filters_keep_their_names_ids_labels_and_choice(world, client_for):
    response = client_for("office").get(URL, {"q": '<b>"x', "type": "medium", "distance": "far"})
    body = response.content.decode()
    for name in ("q", "type", "category", "status", "distance"):
        assert re.search(
            rf'<label>[^<]+<(input type="text"|select) name="{name}"[^>]* id="id_{name}"', body
        )
    assert (
        'value="&lt;b&gt;&quot;x"' in body and '<b>"x' not in body
    )  # the search text comes back escaped
    assert '<option value="medium" selected>' in body and '<option value="far" selected>' in body
    assert '<option value="" selected>' in body  # category and status: "all"
    assert (
        '<label>Szukaj<input type="text" name="q"' in body
        and '<label>Typ<select name="type"' in body
    )
    assert '<option value="">wszystkie</option>' in body


def _options(markup: str) -> list[tuple[str, str, bool]]:
    return [
        (v, html.unescape(text), bool(sel))
        for v, sel, text in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', markup
        )
    ]


@pytest.mark.parametrize(
    "data",
    [{}, {"q": "sp", "type": "small", "distance": "x"}, {"status": "former", "category": ""}],
)
def test_member_list_filter_form_controls_match_what_the_widgets_render(data):
    """The filter bar's own markup (issue 8) offers what Django's widgets offer: the same options,
    labels and selection, for an empty, a partly valid and a filled form."""
    form = MemberFilterForm(data or None)
    controls = {name: (label, value, options) for name, label, value, options in form.controls()}
    assert list(controls) == ["q", "type", "category", "status", "distance"]
    assert controls["q"][1:] == (data.get("q", ""), None)
    for name, (label, _value, options) in controls.items():
        assert label == str(form[name].label)
        if options is not None:
            assert _options(options) == _options(str(form[name]))
    if data.get("type"):
        assert [v for v, _, selected in _options(controls["type"][2]) if selected] == ["small"]
        assert not any(
            selected for _, _, selected in _options(controls["distance"][2])
        )  # an unknown band


@pytest.mark.parametrize("number,expected", [("2", 2), ("99", 3), ("x", 1), (None, 1)])
def test_member_list_page_reads_rows_of_the_shown_columns(world, number, expected):
    for i in range(110):
        MemberFactory(cluster=world.alfa, key=f"p{i:03d}")
    page = member_list_page(world.alfa, {"type": "", "q": ""}, number, per_page=50)
    assert page.number == expected and page.paginator.count == 113
    assert all(isinstance(r, MemberRow) for r in page.object_list)
    rows = member_list_page(world.alfa, {}, 1, per_page=200).object_list
    members = Member.objects.filter(cluster=world.alfa).order_by("name", "id")
    assert rows == [MemberRow(*values) for values in members.values_list(*MemberRow._fields)]


def test_member_list_shows_only_the_clusters_members(world, client_for):
    body = client_for("office").get(URL).content.decode()
    assert world.member_beta.name not in body
    assert "3 wpisy w rejestrze" in body and "3 członków obecnie" in body


def test_member_list_page_selects_what_member_list_selects(world):
    """The page's own SQL (selectors._list_where) and the API's queryset (member_list) give the
    same rows in the same order, for every filter, the search folded (issue 9) and escaped."""
    from klaster.members.selectors import member_list

    odd = [
        ("Łódzka 100% Spółka_1", "Łódź", 30, None),
        ("Zakład 50_50", "Poznań", 180, Decimal("200.4")),
        ("Wrocławski Młyn", "Wrocław", None, Decimal("12.5")),
        ("Daleka Firma", "Suwałki", 450, None),
        ("Bliska Firma", "Białystok", 5, Decimal("260.0")),
    ]
    for i, (name, city, km, override) in enumerate(odd):
        MemberFactory(
            cluster=world.alfa,
            key=f"x{i}",
            name=name,
            city=city,
            distance_km=km,
            distance_override_km=override,
            type="micro" if i % 2 else "small",
        )
    nip = world.member_b.nip
    shapes = [
        {},
        {"q": "lodz"},
        {"q": "100%"},
        {"q": "_"},
        {"q": "50_5"},
        {"q": "x3"},
        {"q": f"PL {nip[:3]}-{nip[3:6]}"},
        {"q": "firma", "distance": "far"},
        {"distance": "200"},
        {"distance": "50", "type": "small"},
        {"status": "active", "category": "partner"},
    ]
    for shape in shapes:
        expected = [
            MemberRow._make(r)
            for r in member_list(world.alfa, **shape).values_list(*MemberRow._fields)
        ]
        got = []
        for number in (1, 2, 3):
            got += list(member_list_page(world.alfa, shape, number, per_page=3).object_list)
            if len(got) >= len(expected):
                break
        assert got == expected, shape
    assert [r.name for r in member_list_page(world.alfa, {"q": "100%"}, 1, per_page=9)] == [
        "Łódzka 100% Spółka_1"
    ]
