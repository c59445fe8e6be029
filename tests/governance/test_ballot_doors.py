"""Issue 8 point 2 (STYLE "One door per action"): a ballot enters through one normaliser
(`ballot_choices`) and one service (`ballot_cast`) whatever the door — the API, the member's page,
the chair's action. The same table of good and bad submissions through the three doors gives the
same outcome: the same ballots stored, or the same Polish refusals (GOV-1: one entity, one vote).
And a ballot through the API costs at most 6 SQL statements in all — the 2 of a trivial
authenticated POST and 4 more — however many members it is cast for (issue 8 point 5)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klaster.governance import services
from klaster.governance.models import Ballot, Vote
from klaster.governance.services.votes import ballot_choices, ballot_form_choices
from tests.governance.conftest import check_in

pytestmark = pytest.mark.django_db

# Keys: "A", "M3", "M4" — members the voter represents, all present; "OUT" — a member absent (no
# right in the vote); anything else is sent as it is. Each row: the submission, what happened
# before it ("voted": member A already voted; "closed": the vote is closed), and the outcome:
# the ballots stored ({key: choice}) or the refusals (message templates, {A} etc. filled in).
TABLE = [
    ("one member", [("A", "for")], None, {"A": "for"}),
    (
        "several, any spacing and case",
        [(" A ", " For "), ("M3", "ABSTAIN"), ("M4", "against")],
        None,
        {"A": "for", "M3": "abstain", "M4": "against"},
    ),
    ("a group left alone is no choice", [("A", "against"), ("M3", "")], None, {"A": "against"}),
    ("nothing chosen", [], None, ["Nie wybrano żadnego głosu."]),
    ("only empty choices", [("A", ""), ("M3", "  ")], None, ["Nie wybrano żadnego głosu."]),
    (
        "not an id",
        [("abc", "for")],
        None,
        ["„abc” nie jest identyfikatorem członka (liczba całkowita dodatnia)."],
    ),
    (
        "a negative id",
        [("-3", "for")],
        None,
        ["„-3” nie jest identyfikatorem członka (liczba całkowita dodatnia)."],
    ),
    (
        "an id past any key",
        [("99999999999999999999", "for")],
        None,
        ["„99999999999999999999” nie jest identyfikatorem członka (liczba całkowita dodatnia)."],
    ),
    (
        "an unknown choice",
        [("A", "maybe")],
        None,
        [
            "Głos za podmiot {A}: nieznany wybór „maybe” — dozwolone: za (for), przeciw (against), "
            "wstrzymuję się (abstain)."
        ],
    ),
    (
        "one member twice",
        [("A", "for"), ("0{A}", "against")],
        None,
        ["Podmiot {A} podany więcej niż raz: jeden podmiot, jeden głos (GOV-1)."],
    ),
    (
        "a member without a right",
        [("OUT", "for")],
        None,
        [
            "Podmiot {OUT} nie może głosować: nie był obecny ani reprezentowany przy otwarciu głosowania lub nie ma "
            "prawa głosu."
        ],
    ),
    (
        "all or nothing",
        [("A", "for"), ("OUT", "for")],
        None,
        [
            "Podmiot {OUT} nie może głosować: nie był obecny ani reprezentowany przy otwarciu głosowania lub nie ma "
            "prawa głosu."
        ],
    ),
    (
        "already voted",
        [("A", "against")],
        "voted",
        ["Podmiot {A} już głosował: jeden podmiot, jeden głos (GOV-1)."],
    ),
    ("a closed vote", [("A", "for")], "closed", ["Głosowanie jest zamknięte."]),
]


@pytest.fixture
def room(gov):
    """The General Assembly in session; the `member` persona represents member A and members 3
    and 4, all present; member 9 stays away."""
    from tests.factories import grant

    voter = gov.world.users["member"]
    for m in (gov.member(3), gov.member(4)):
        grant(voter, gov.world.alfa, "representative", m)
    check_in(gov, gov.members[:8])
    services.meeting_open(meeting=gov.ga, user=gov.office)
    keys = {
        "A": gov.world.member_a.pk,
        "M3": gov.member(3).pk,
        "M4": gov.member(4).pk,
        "OUT": gov.member(9).pk,
    }
    return gov, voter, keys


def _key(key: str, keys: dict[str, int]) -> str:
    stripped = key.strip()
    if stripped in keys:
        return key.replace(stripped, str(keys[stripped]))
    return key.format(**keys)


def _fresh_vote(gov, keys, before) -> Vote:
    for open_vote in Vote.objects.filter(meeting=gov.ga, status="open"):
        services.vote_close(vote=open_vote, user=gov.office)
    vote = services.vote_open(
        meeting=gov.ga, user=gov.office, title=f"Głosowanie {Vote.objects.count() + 1}"
    )
    if before == "voted":
        services.ballot_cast(vote=vote, user=gov.office, chair=True, choices={keys["A"]: "for"})
    elif before == "closed":
        services.vote_close(vote=vote, user=gov.office)
    return vote


def _api(vote, voter, pairs):
    c = Client()
    c.force_login(voter)
    url = reverse("api_ballot_cast", kwargs={"cluster_slug": "alfa", "vote_id": vote.pk})
    r = c.post(url, {"choices": dict(pairs)}, content_type="application/json")
    if r.status_code == 201:
        return None
    assert r.status_code == 400, r.content
    return sorted(m for msgs in r.json().values() for m in msgs)


def _page(request_path, client, data):
    r = client.post(request_path, data)
    assert r.status_code == 302
    errors = sorted(str(m) for m in get_messages(r.wsgi_request) if m.level_tag == "error")
    return errors or None


def _member_page(vote, voter, pairs):
    c = Client()
    c.force_login(voter)
    url = reverse("meeting_my", kwargs={"slug": "alfa", "meeting_id": vote.meeting_id})
    return _page(url, c, {"vote": vote.pk, **{f"member_{k}": v for k, v in pairs}})


def _chair(vote, office, pairs):
    c = Client()
    c.force_login(office)
    url = reverse("meeting_control", kwargs={"slug": "alfa", "meeting_id": vote.meeting_id})
    return _page(
        url, c, {"action": "ballot", "vote": vote.pk, **{f"member_{k}": v for k, v in pairs}}
    )


@pytest.mark.parametrize("name,submission,before,expected", TABLE, ids=[row[0] for row in TABLE])
def test_gov_1_same_submission_same_outcome_through_every_door(
    room, name, submission, before, expected
):
    gov, voter, keys = room
    pairs = [(_key(k, keys), v) for k, v in submission]
    outcomes = {}
    for door, send in (
        ("api", lambda v: _api(v, voter, pairs)),
        ("member page", lambda v: _member_page(v, voter, pairs)),
        ("chair", lambda v: _chair(v, gov.office, pairs)),
    ):
        vote = _fresh_vote(gov, keys, before)
        already = set(Ballot.objects.filter(vote=vote).values_list("id", flat=True))
        refusals = send(vote)
        stored = {
            b.member_id: b.choice for b in Ballot.objects.filter(vote=vote).exclude(id__in=already)
        }
        outcomes[door] = (refusals, stored)
    if isinstance(expected, dict):
        want = (None, {keys[k]: c for k, c in expected.items()})
    else:
        want = (sorted(m.format(**keys) for m in expected), {})
    assert outcomes == {"api": want, "member page": want, "chair": want}


def test_gov_1_representation_decided_once_for_the_api_and_the_page(room):
    """Members the user may not cast for are refused alike by the API and the member's page; the
    chair may record any member on the roll."""
    gov, voter, keys = room
    other = gov.world.users["proxy"]  # represents member B, present; not member A
    msg = f"Podmiot {keys['A']}: nie możesz oddać jego głosu."
    vote = _fresh_vote(gov, keys, None)
    assert _api(vote, other, [(str(keys["A"]), "for")]) == [msg]
    assert _member_page(vote, other, [(str(keys["A"]), "for")]) == [msg]
    assert _chair(vote, gov.office, [(str(keys["A"]), "for")]) is None
    assert Ballot.objects.get(vote=vote).via == "chair"
    assert _api(vote, voter, [(str(keys["M3"]), "for")]) is None
    assert Ballot.objects.get(vote=vote, member_id=keys["M3"]).via == "own"


def test_gov_1_chair_form_one_member_and_its_choice(room):
    gov, voter, keys = room
    vote = _fresh_vote(gov, keys, None)
    c = Client()
    c.force_login(gov.office)
    url = reverse("meeting_control", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk})
    assert (
        _page(
            url, c, {"action": "ballot", "vote": vote.pk, "member": keys["A"], "choice": "Against"}
        )
        is None
    )
    assert Ballot.objects.get(vote=vote).choice == "against"
    assert _page(url, c, {"action": "ballot", "vote": vote.pk, "member": "", "choice": ""}) == [
        "Nie wybrano żadnego głosu."
    ]


def test_gov_1_member_page_casts_in_the_vote_it_showed(room):
    """A page opened for vote 1, submitted after vote 1 closed and vote 2 opened: refused as closed,
    never counted in vote 2."""
    gov, voter, keys = room
    first = _fresh_vote(gov, keys, None)
    second = _fresh_vote(gov, keys, None)
    assert _member_page(first, voter, [(str(keys["A"]), "for")]) == ["Głosowanie jest zamknięte."]
    assert not Ballot.objects.filter(vote=second).exists()


def test_gov_1_ballot_choices_names_the_field():
    assert ballot_choices({" 12 ": " FOR ", 7: "abstain", "3": None}) == {12: "for", 7: "abstain"}
    for raw, field, code in [
        ("for", "choices", "ballot_shape"),
        ({}, "choices", "ballot_empty"),
        ({"x": "for"}, "member", "ballot_member"),
        ({True: "for"}, "member", "ballot_member"),
        ({"5": "tak"}, "choice", "ballot_choice"),
        ({"5": 1}, "choice", "ballot_choice"),
        ({"5": "for", "05": "for"}, "choices", "ballot_twice"),
    ]:
        with pytest.raises(ValidationError) as exc:
            ballot_choices(raw)
        assert list(exc.value.error_dict) == [field], raw
        assert exc.value.error_dict[field][0].code == code, raw
    assert ballot_form_choices({"csrfmiddlewaretoken": "x", "vote": "1", "member_5": "for"}) == {
        "5": "for"
    }
    assert ballot_form_choices({"action": "ballot", "member": "5", "choice": "for"}) == {"5": "for"}


@pytest.mark.django_db(transaction=True)  # a real transaction, as in production: no test savepoints
@pytest.mark.urls("tests.governance.trivial_urls")
def test_gov_1_ballot_over_the_api_costs_at_most_six_statements(world, frozen):
    """What counts: every SQL statement of the whole request as Django logs it, savepoints included,
    except the transaction's own BEGIN and COMMIT (the ballot is one transaction). A trivial
    token-authenticated POST sends 2 (the lockout check for the address, the token with its user);
    a ballot sends those and 4 more, 6 in all (the goal: at most 6): the vote with its meeting and
    organ joined to the user's roles in the cluster (`access_ballot`), the rights rows locked with
    the vote's status and whether each member voted or is represented by the user
    (`_rights_locked`), the ballots' insert, the audit row. As many for three members as for one."""
    from tests.factories import TokenFactory, grant
    from tests.governance.conftest import build_gov

    gov = build_gov(world)
    voter = world.users["member"]  # represents member A, and here members 3 and 4 too
    for m in (gov.member(3), gov.member(4)):
        grant(voter, world.alfa, "representative", m)
    check_in(gov, gov.members[:8])
    services.meeting_open(meeting=gov.ga, user=gov.office)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Zapytania")
    token = TokenFactory(user=voter).key
    other = TokenFactory(user=world.users["proxy"]).key
    c = Client()

    def post(path, body, key):
        with CaptureQueriesContext(connection) as ctx:
            r = c.post(
                path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
            )
        assert r.status_code == 201, r.content
        sent = [q["sql"] for q in ctx.captured_queries]
        control = [q for q in sent if q.startswith(("BEGIN", "COMMIT", "ROLLBACK"))]
        assert control in ([], ["BEGIN", "COMMIT"], ["BEGIN IMMEDIATE", "COMMIT"]), (
            control
        )  # one transaction at most
        return [q for q in sent if q not in control]

    trivial = post(reverse("trivial_post"), {"choices": {"1": "for"}}, token)
    url = reverse("api_ballot_cast", kwargs={"cluster_slug": "alfa", "vote_id": vote.pk})
    one = post(url, {"choices": {str(world.member_b.pk): "for"}}, other)
    three = post(
        url,
        {"choices": {str(m.pk): "against" for m in (world.member_a, gov.member(3), gov.member(4))}},
        token,
    )
    assert (
        len(trivial) == 2 and "axes_accessattempt" in trivial[0] and "authtoken_token" in trivial[1]
    )
    # the same authentication first, excluded below
    assert [("axes_accessattempt" in q, "authtoken_token" in q) for q in one[:2]] == [
        (True, False),
        (False, True),
    ]
    assert len(one) <= 6 and len(one) - len(trivial) <= 4, "\n".join(q[:150] for q in one)
    # three members at once take the full path: as many statements as one (on SQLite), or at
    # most three more than the one-statement ballot of a single member (PostgreSQL)
    assert len(three) <= 6 and len(three) >= len(one), three
    if connection.vendor == "postgresql":
        assert len(one) == 3, one
    assert not any(q.startswith(("SAVEPOINT", "RELEASE")) for q in one), one
    assert Ballot.objects.filter(vote=vote).count() == 4


def test_access_ballot_one_query_whole_objects(room, django_assert_num_queries):
    """The ballot API's access check: one query for the vote, its meeting, organ, cluster and the
    user's roles; what it did not read still loads when asked; 404 for an unknown vote or a user
    without a role in the cluster, 403 for one who takes no part."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from klaster.governance.access import access_ballot

    gov, voter, keys = room
    vote = _fresh_vote(gov, keys, None)
    with django_assert_num_queries(1):
        cluster, grants, found = access_ballot(voter, "alfa", vote.pk)
    assert grants.member_ids == {keys["A"], keys["M3"], keys["M4"]} and grants.representative
    assert (found.pk, found.meeting.organ.kind, found.meeting.cluster.pk) == (
        vote.pk,
        "ga",
        cluster.pk,
    )
    assert (
        found.entitled == vote.entitled and found.meeting.cluster.name == "Klaster Alfa"
    )  # loaded when read
    for user, slug, vote_id, refused in [
        (voter, "alfa", vote.pk + 1000, Http404),
        (voter, "beta", vote.pk, Http404),
        (gov.world.users["outsider"], "alfa", vote.pk, Http404),
        (gov.world.users["office"], "alfa", vote.pk, PermissionDenied),
        (gov.world.users["forum"], "alfa", vote.pk, PermissionDenied),
    ]:
        with pytest.raises(refused):
            access_ballot(user, slug, vote_id)
