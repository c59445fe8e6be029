"""Every URL tried by every persona; the allowed/denied matrix is asserted (SPEC MEM-1:
a user sees only clusters they are granted; issue 2 point 8).

The list of URL names is read from the resolver, so a new page without a row here fails
`test_every_url_has_a_row` — nobody can add a page and forget its access rule.

Issue 7 made the matrix look below the slug: every URL that takes an object id is also asked by
another cluster's office with its own slug and this cluster's ids (the rows are derived, a new
URL gets them for free); every refused write — and a POST to every page a persona may not read —
is checked to leave the whole database as it was (tests/core/dbstate.py), with a body that does
write when the persona is allowed (`PAYLOADS`). The admin: tests/core/test_admin_access.py; every
`access_*` helper on its own: tests/core/test_access_helpers.py.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.core.dbstate import assert_unchanged, changed_tables, db_fingerprint

P = ["office", "chair", "member", "proxy", "forum", "outsider", "anonymous"]
LOGIN = "login"  # anonymous is sent to the login page (web) or refused (API)


def ok(*personas, code=200):
    return {p: code for p in personas}


OFFICE_ONLY = {
    "chair": 403,
    "member": 403,
    "proxy": 403,
    "forum": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}


def _caught(w):
    """A message the demo mailbox caught for cluster alfa (in the test's own mailbox folder)."""
    from klaster.core import mailbox

    raw = (
        f"From: biuro@alfa.example.pl\r\nTo: a@alfa.example.pl\r\n{mailbox.CLUSTER_HEADER}: alfa\r\n"
        "Subject: Test\r\n\r\nTresc\r\n"
    )
    return mailbox.store(raw.encode())


def _outboxed(w):
    """A bounced message of cluster alfa in its outbox (PLT-2)."""
    from django.core.mail import EmailMessage

    from klaster.core.models import OutboxMessage
    from klaster.core.outbox import outbox_enqueue

    found = OutboxMessage.objects.filter(cluster=w.alfa, subject="Matryca").first()
    if found is None:
        message = EmailMessage("Matryca", "Treść", "biuro@alfa.example.pl", ["a@example.org"])
        [found] = outbox_enqueue(cluster=w.alfa, messages=[message])
        OutboxMessage.objects.filter(pk=found.pk).update(state="bounced", error="550")
    return found.pk


def _statistics_round(w):
    import datetime as dt

    from klaster.members.models import StatisticsRound
    from klaster.members.services import statistics_round_open

    found = StatisticsRound.objects.filter(cluster=w.alfa, year=2025).first()
    return (
        found
        or statistics_round_open(
            cluster=w.alfa, user=None, year=2025, deadline=dt.date(2100, 1, 31)
        )
    ).pk


def _strategy(w):
    from klaster.core.models import Strategy

    return Strategy.objects.get_or_create(cluster=w.alfa, name="Strategia testowa")[0].pk


def _subunit(w):
    from klaster.members.models import ScienceSubunit

    return ScienceSubunit.objects.get_or_create(
        member=w.member_a, name="Wydział testowy", category="A"
    )[0].pk


def _link(w):
    from klaster.members.models import IndependenceLink

    return IndependenceLink.objects.get_or_create(
        member=w.member_a, other=w.member_b, kind="linked"
    )[0].pk


def _delegate(w):
    from klaster.members.models import DelegatedPerson

    return DelegatedPerson.objects.get_or_create(
        member=w.member_a, name="Anna Testowa", defaults={"to_general_assembly": True}
    )[0].pk


def _hold(w):
    from klaster.members.models import LegalHold

    return LegalHold.objects.get_or_create(
        person_id=_delegate(w), reason="Roszczenie", basis="art. 17 ust. 3 lit. e"
    )[0].pk


def _gid(w):
    from tests.groups.builders import it_group

    return {"slug": "alfa", "group_id": it_group(w).pk}


def _special(w):
    from tests.groups.builders import consortium

    return {"slug": "alfa", "group_id": consortium(w).pk}


def _material_file(w):
    from tests.groups.builders import material

    return {"slug": "alfa", "material_id": material(w, confidential=True, with_file=True).pk}


def _material_open(w):
    from tests.groups.builders import material

    return {"slug": "alfa", "material_id": material(w, confidential=False).pk}


def _contact(w):
    from tests.groups.builders import extra_contact

    return {"slug": "alfa", "contact_id": extra_contact(w).pk}


def _api_gid(w):
    from tests.groups.builders import it_group

    return {"cluster_slug": "alfa", "pk": it_group(w).pk}


def _api_group(w):
    from tests.groups.builders import it_group

    return {"cluster_slug": "alfa", "group_pk": it_group(w).pk}


ALFA_ROLES = ("office", "chair", "member", "proxy", "forum")
API_OFFICE_ONLY = {**OFFICE_ONLY, "office": 200, "anonymous": 401}
# an operator (a superuser, not one of the personas) only: every persona of alfa is refused
OPERATOR_ONLY_API = {**ok(*ALFA_ROLES, code=403), "outsider": 404, "anonymous": 401}


def _role(w):
    """A grant of cluster alfa (its office's)."""
    from klaster.core.models import ClusterRole

    return ClusterRole.objects.filter(cluster=w.alfa, role="office").order_by("pk").first().pk


# every role of alfa reads; the outsider does not know alfa
READ_ALL = {**ok(*ALFA_ROLES), "outsider": 404, "anonymous": LOGIN}
API_READ_ALL = {**ok(*ALFA_ROLES), "outsider": 404, "anonymous": 401}
# GZW-4 / GZW-5: the office and the group's members only
GROUP_ONLY = {
    "office": 200,
    "member": 200,
    "chair": 403,
    "proxy": 403,
    "forum": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}
GROUP_MATRIX = {
    "group_list": ("get", lambda w: {"slug": "alfa"}, READ_ALL),
    "group_export": ("get", lambda w: {"slug": "alfa"}, READ_ALL),
    "group_areas_ensure": ("post", lambda w: {"slug": "alfa"}, {"office": 302, **OFFICE_ONLY}),
    "group_create": ("get", lambda w: {"slug": "alfa"}, {"office": 200, **OFFICE_ONLY}),
    # the member portal's part for groups: the member's own representatives only (as "portal")
    "group_portal": (
        "get",
        lambda w: {"slug": "alfa", "member_id": w.member_a.pk},
        {
            "member": 200,
            "office": 403,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": LOGIN,
        },
    ),
    "group_detail": ("get", _gid, READ_ALL),
    # GZW-2: representatives declare for their own member (an empty form: back to the page with
    # the errors), the office for any; organ members and the forum do not declare
    "group_declare": (
        "post",
        _gid,
        {
            "office": 302,
            "member": 302,
            "proxy": 302,
            "chair": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": LOGIN,
        },
    ),
    "group_withdraw": (
        "post",
        _gid,
        {
            "office": 302,
            "member": 302,
            "proxy": 302,
            "chair": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": LOGIN,
        },
    ),
    "group_start": ("post", _gid, {"office": 302, **OFFICE_ONLY}),
    "group_payment_add": ("post", _gid, {"office": 302, **OFFICE_ONLY}),
    "group_meeting_add": ("post", _gid, {"office": 302, **OFFICE_ONLY}),
    "group_contact_add": ("post", _gid, {"office": 302, **OFFICE_ONLY}),
    "group_contact_remove": ("post", _contact, {"office": 302, **OFFICE_ONLY}),
    "group_material_add": ("post", _gid, {**GROUP_ONLY, "office": 302, "member": 302}),
    "group_contacts_csv": ("get", _gid, GROUP_ONLY),
    # a confidential material's file: 404 for whoever is outside the group (GZW-4)
    "group_material_file": (
        "get",
        _material_file,
        {
            "office": 200,
            "member": 200,
            "chair": 404,
            "proxy": 404,
            "forum": 404,
            "outsider": 404,
            "anonymous": LOGIN,
        },
    ),
    # a non-confidential material provided by member A: its provider and the office mark it
    "group_material_mark": ("post", _material_open, {**GROUP_ONLY, "office": 302, "member": 302}),
    # GZW-3: the initiators (member A) notify, the office may on their behalf; the office records the opinion
    "special_form_notify": ("post", _special, {**GROUP_ONLY, "office": 302, "member": 302}),
    "special_form_opinion": ("post", _special, {"office": 302, **OFFICE_ONLY}),
    "api_group_list": ("get", lambda w: {"cluster_slug": "alfa"}, API_READ_ALL),
    "api_group_detail": ("get", _api_gid, API_READ_ALL),
    "api_group_declarations": ("get", _api_group, API_READ_ALL),
    "api_group_contacts": ("get", _api_group, {**GROUP_ONLY, "anonymous": 401}),
}


# url name -> (method, kwargs builder, {persona: expected status}); unlisted personas: see DEFAULT_DENIED
MATRIX = {
    "home": (
        "get",
        lambda w: {},
        {
            **ok("chair", "member", "proxy", "forum", "office", "outsider", code=302),
            "anonymous": LOGIN,
        },
    ),
    "cluster_home": (
        "get",
        lambda w: {"slug": "alfa"},
        {**ok("office", "chair", "member", "proxy", "forum"), "outsider": 404, "anonymous": LOGIN},
    ),
    "audit": (
        "get",
        lambda w: {"slug": "alfa"},
        {
            "office": 200,
            "chair": 403,
            "member": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": LOGIN,
        },
    ),
    # the demo mailbox (issue 9): the office reads its own cluster's caught mail, no one else
    "mailbox": ("get", lambda w: {"slug": "alfa"}, {**OFFICE_ONLY, "office": 200}),
    "mailbox_message": (
        "get",
        lambda w: {"slug": "alfa", "message_id": _caught(w)},
        {**OFFICE_ONLY, "office": 200},
    ),
    # the outbox (PLT-2): the office reads its own cluster's sent mail and sends a failed one again
    "outbox": ("get", lambda w: {"slug": "alfa"}, {**OFFICE_ONLY, "office": 200}),
    "outbox_message": (
        "get",
        lambda w: {"slug": "alfa", "message_id": _outboxed(w)},
        {**OFFICE_ONLY, "office": 200},
    ),
    "outbox_resend": (
        "post",
        lambda w: {"slug": "alfa", "message_id": _outboxed(w)},
        {**OFFICE_ONLY, "office": 302},
    ),
    "statute": (
        "get",
        lambda w: {"slug": "alfa"},
        {
            **ok("office", "chair"),
            "member": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": LOGIN,
        },
    ),
    "cluster_edit": ("get", lambda w: {"slug": "alfa"}, {"office": 200, **OFFICE_ONLY}),
    "strategy_add": ("post", lambda w: {"slug": "alfa"}, {"office": 302, **OFFICE_ONLY}),
    "strategy_edit": (
        "get",
        lambda w: {"slug": "alfa", "strategy_id": _strategy(w)},
        {"office": 200, **OFFICE_ONLY},
    ),
    # The office's POST removes the strategy; the others are refused before the row is looked up.
    "strategy_remove": (
        "post",
        lambda w: {"slug": "alfa", "strategy_id": _strategy(w)},
        {"office": 302, **OFFICE_ONLY},
    ),
    # issue 9: every role searches; what each finds is its own (tests/office/test_search.py)
    "search": ("get", lambda w: {"slug": "alfa"}, READ_ALL),
    "member_list": (
        "get",
        lambda w: {"slug": "alfa"},
        {
            **ok("office", "chair"),
            "member": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": LOGIN,
        },
    ),
    "member_detail": (
        "get",
        lambda w: {"slug": "alfa", "member_id": w.member_a.pk},
        {
            **ok("office", "chair", "member"),
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": LOGIN,
        },
    ),
    "member_edit": (
        "get",
        lambda w: {"slug": "alfa", "member_id": w.member_a.pk},
        {
            "office": 200,
            "member": 302,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": LOGIN,
        },
    ),
    "member_event_add": (
        "post",
        lambda w: {"slug": "alfa", "member_id": w.member_a.pk},
        {
            "office": 302,
            "member": 302,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": LOGIN,
        },
    ),
    "subunit_save": (
        "post",
        lambda w: {"slug": "alfa", "member_id": w.member_a.pk},
        {"office": 302, **OFFICE_ONLY},
    ),
    "subunit_remove": (
        "post",
        lambda w: {"slug": "alfa", "subunit_id": _subunit(w)},
        {"office": 302, **OFFICE_ONLY},
    ),
    "independence_link_add": (
        "post",
        lambda w: {"slug": "alfa", "member_id": w.member_a.pk},
        {"office": 302, **OFFICE_ONLY},
    ),
    "independence_link_remove": (
        "post",
        lambda w: {"slug": "alfa", "link_id": _link(w)},
        {"office": 302, **OFFICE_ONLY},
    ),
    # issue 2 point 6: the spreadsheet import is the office's; an unknown preview token
    # sends the office back to the upload page (302)
    "member_import": (
        "get",
        lambda w: {"slug": "alfa"},
        {
            "office": 200,
            "chair": 403,
            "member": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": LOGIN,
        },
    ),
    "member_import_preview": (
        "get",
        lambda w: {"slug": "alfa", "token": "no-such-preview"},
        {
            "office": 302,
            "chair": 403,
            "member": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": LOGIN,
        },
    ),
    "member_import_confirm": (
        "post",
        lambda w: {"slug": "alfa", "token": "no-such-preview"},
        {
            "office": 302,
            "chair": 403,
            "member": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": LOGIN,
        },
    ),
    "member_statistics": (
        "get",
        lambda w: {"slug": "alfa"},
        {**ok("office", "chair", "member", "proxy", "forum"), "outsider": 404, "anonymous": LOGIN},
    ),
    "delegate_reminders": ("get", lambda w: {"slug": "alfa"}, {"office": 200, **OFFICE_ONLY}),
    # the statistics round (MEM-12): the office's; members see it on their portal page
    "statistics_round": ("get", lambda w: {"slug": "alfa"}, {"office": 200, **OFFICE_ONLY}),
    "statistics_round_close": (
        "post",
        lambda w: {"slug": "alfa", "round_id": _statistics_round(w)},
        {"office": 302, **OFFICE_ONLY},
    ),
    # member A's own representative records its persons' link ends too (then lands on the portal)
    "delegate_link_end": (
        "post",
        lambda w: {"slug": "alfa", "person_id": _delegate(w)},
        {
            "office": 302,
            "member": 302,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": LOGIN,
        },
    ),
    "delegate_link_end_reported": (
        "post",
        lambda w: {"slug": "alfa", "person_id": _delegate(w)},
        {"office": 302, **OFFICE_ONLY},
    ),
    # MEM-12 (RODO): a person's data is the office's alone, to see, export, erase or hold.
    "person_data": (
        "get",
        lambda w: {"slug": "alfa", "person_id": _delegate(w)},
        {"office": 200, **OFFICE_ONLY},
    ),
    # the export is audited (MEM-12), so it is a POST: reads never write (issue 8)
    "person_data_export": (
        "post",
        lambda w: {"slug": "alfa", "person_id": _delegate(w)},
        {"office": 200, **OFFICE_ONLY},
    ),
    "person_data_erase": (
        "post",
        lambda w: {"slug": "alfa", "person_id": _delegate(w)},
        {"office": 302, **OFFICE_ONLY},
    ),
    "legal_hold_add": (
        "post",
        lambda w: {"slug": "alfa", "person_id": _delegate(w)},
        {"office": 302, **OFFICE_ONLY},
    ),
    "legal_hold_release": (
        "post",
        lambda w: {"slug": "alfa", "hold_id": _hold(w)},
        {"office": 302, **OFFICE_ONLY},
    ),
    "portal": (
        "get",
        lambda w: {"slug": "alfa", "member_id": w.member_a.pk},
        {
            "member": 200,
            "office": 403,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": LOGIN,
        },
    ),
    "api_cluster_list": (
        "get",
        lambda w: {},
        {**ok("office", "chair", "member", "proxy", "forum", "outsider"), "anonymous": 401},
    ),
    "api_cluster_detail": (
        "get",
        lambda w: {"slug": "alfa"},
        {**ok("office", "chair", "member", "proxy", "forum"), "outsider": 404, "anonymous": 401},
    ),
    "api_member_list": (
        "get",
        lambda w: {"cluster_slug": "alfa"},
        {
            **ok("office", "chair"),
            "member": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
    "api_member_detail": (
        "get",
        lambda w: {"cluster_slug": "alfa", "pk": w.member_a.pk},
        {
            **ok("office", "chair", "member"),
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
    # membership events (MEM-5/MEM-6): read as the member is read
    "api_member_events": (
        "get",
        lambda w: {"cluster_slug": "alfa", "pk": w.member_a.pk},
        {
            **ok("office", "chair", "member"),
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
    # statute profile versions (issue 9 point 6): as the statute page
    "api_statute_versions": (
        "get",
        lambda w: {"cluster_slug": "alfa"},
        {
            **ok("office", "chair"),
            "member": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
    # POST without credentials: refused for everyone (tokens are issued only for a valid login)
    "api_token": ("post", lambda w: {}, ok(*P, code=400)),
    "api_token_revoke": (
        "post",
        lambda w: {},
        {
            **ok("office", "chair", "member", "proxy", "forum", "outsider", code=204),
            "anonymous": 401,
        },
    ),
    "api_schema": (
        "get",
        lambda w: {},
        {**ok("office", "chair", "member", "proxy", "forum", "outsider"), "anonymous": 401},
    ),
    "api_docs": (
        "get",
        lambda w: {},
        {**ok("office", "chair", "member", "proxy", "forum", "outsider"), "anonymous": 401},
    ),
    # development strategies by the API (MEM-1): the office, as the cluster's settings page
    "api_strategy_list": ("get", lambda w: {"cluster_slug": "alfa"}, API_OFFICE_ONLY),
    "api_strategy_detail": (
        "get",
        lambda w: {"cluster_slug": "alfa", "strategy_id": _strategy(w)},
        API_OFFICE_ONLY,
    ),
    # roles in a cluster (MEM-1) by the API: an operator only, as in the Django admin (issue 7)
    "api_role_list": ("get", lambda w: {"cluster_slug": "alfa"}, OPERATOR_ONLY_API),
    "api_role_detail": (
        "get",
        lambda w: {"cluster_slug": "alfa", "role_id": _role(w)},
        OPERATOR_ONLY_API,
    ),
    # Redoc from drf-spectacular-sidecar (issue 9 point 6): as the Swagger UI
    "api_redoc": (
        "get",
        lambda w: {},
        {**ok("office", "chair", "member", "proxy", "forum", "outsider"), "anonymous": 401},
    ),
    # Redoc's script (a static file, its CDN logo removed): public, as the static files are
    "api_redoc_bundle": ("get", lambda w: {}, ok(*P)),
    "login": ("get", lambda w: {}, ok(*P)),
    "logout": ("post", lambda w: {}, ok(*P, code=302)),
    "set_language": ("post", lambda w: {}, ok(*P, code=302)),
    # Advanced Cooperation Groups (GZW-1…GZW-5). The group is the IT area with member A (persona
    # "member") in it and member B (persona "proxy") not; confidential items are 404 for others.
    **GROUP_MATRIX,
}

# Governance (GOV-1…GOV-15): meetings, votes, proxies, organs, admissions — tests/governance/matrix.py.
from tests.governance.matrix import rows as governance_rows  # noqa: E402

MATRIX.update(governance_rows())

# The KKK application (KKK-1…KKK-3, KKK-EXPLAIN, KKK-S2-EXP) — tests/kkk/matrix.py.
from tests.kkk.matrix import rows as kkk_rows  # noqa: E402

MATRIX.update(kkk_rows())

# The register's facts by the API (sub-units, links, link ends, RODO, settings) — tests/members/matrix.py.
from tests.members.matrix import rows as member_fact_rows  # noqa: E402

MATRIX.update(member_fact_rows())

# The groups' writes by the API (GZW-1…GZW-5) — tests/groups/matrix.py.
from tests.groups.matrix import rows as group_api_rows  # noqa: E402

MATRIX.update(group_api_rows())

# The KKK pages' attachments, coordinator's facts, experts and panel by the API — tests/kkk/matrix_api.py.
from tests.kkk.matrix_api import rows as kkk_api_rows  # noqa: E402

MATRIX.update(kkk_api_rows())

# The admission's data and a representative's online check-in by the API — tests/governance/matrix_api.py.
from tests.governance.matrix_api import rows as governance_api_rows  # noqa: E402

MATRIX.update(governance_api_rows())

# Money (FIN-1…FIN-4): the books, a member's account, statements, arrears — tests/money/matrix.py.
from tests.money.matrix import rows as money_rows  # noqa: E402

MATRIX.update(money_rows())
from tests.money.matrix_ksef import rows as money_ksef_rows  # noqa: E402
from tests.money.matrix_plan import rows as money_plan_rows  # noqa: E402
from tests.money.matrix_staff import rows as money_staff_rows  # noqa: E402

MATRIX.update(money_plan_rows())
MATRIX.update(money_staff_rows())
MATRIX.update(money_ksef_rows())

# De minimis (AID-1…AID-8): register, lending, contracts, SHRIMP — tests/aid/matrix_*.py.
from tests.aid.matrix_contracts import rows as aid_contracts_rows  # noqa: E402
from tests.aid.matrix_lending import rows as aid_lending_rows  # noqa: E402
from tests.aid.matrix_rates import rows as aid_rates_rows  # noqa: E402
from tests.aid.matrix_register import rows as aid_register_rows  # noqa: E402
from tests.aid.matrix_shrimp import rows as aid_shrimp_rows  # noqa: E402

MATRIX.update(aid_register_rows())
MATRIX.update(aid_lending_rows())
MATRIX.update(aid_contracts_rows())
MATRIX.update(aid_shrimp_rows())
MATRIX.update(aid_rates_rows())

# The forum of clusters (FOR-1) — tests/forum/matrix.py.
from tests.forum.matrix import rows as forum_rows  # noqa: E402

MATRIX.update(forum_rows())

# People and access (PLT-1): the people page, invitations, password reset — tests/people/matrix.py.
from tests.people.matrix import rows as people_rows  # noqa: E402

MATRIX.update(people_rows())

# The platform (PLT-2, PLT-3): communications, events, documents, offers — tests/<app>/matrix.py.
from tests.comms.matrix import rows as comms_rows  # noqa: E402
from tests.documents.matrix import rows as documents_rows  # noqa: E402
from tests.events.matrix import rows as events_rows  # noqa: E402
from tests.offers.matrix import rows as offers_rows  # noqa: E402

MATRIX.update(comms_rows())
MATRIX.update(events_rows())
MATRIX.update(documents_rows())
MATRIX.update(offers_rows())

# the pages' actions by the API (klaster/api_pages.py): the list, and one action as every persona
# (tests/core/test_api_actions.py runs every action as every persona against its page)
MATRIX["api_actions"] = (
    "get",
    lambda w: {},
    {**{p: 200 for p in P}, "anonymous": 401},
)
MATRIX["api_page_action"] = (
    "post",
    lambda w: {"page": "c/alfa/money/dues/run/"},
    {**API_OFFICE_ONLY, "office": 400},
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Files the row builders upload (KKK attachments) go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEMO_MAILBOX_DIR = tmp_path / "mailbox"  # and what the demo mailbox keeps


# The member-scoped API write: PATCH as every persona.
WRITES = {
    # GZW-2 by the API: the office and representatives declare (an empty call is a 400 for them)
    "api_group_declarations": (
        "post",
        _api_group,
        {
            "office": 400,
            "member": 400,
            "chair": 403,
            "proxy": 400,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
    # GOV-4 by the API: only the coordinator's office records proxies (empty call: 400 for it)
    "api_meeting_proxies": (
        "post",
        lambda w: {"cluster_slug": "alfa", "meeting_id": meeting(w)},
        {
            "office": 400,
            "member": 403,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
    # GOV-5 by the API: only the office opens admissions and records their steps (empty: 400)
    "api_admission_list": (
        "post",
        lambda w: {"cluster_slug": "alfa"},
        {
            "office": 400,
            "member": 403,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
    "api_admission_detail": (
        "post",
        lambda w: {"cluster_slug": "alfa", "admission_id": admission(w)},
        {
            "office": 400,
            "member": 403,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
    # only the office records membership events (an empty call is a 400 for it)
    "api_member_events": (
        "post",
        lambda w: {"cluster_slug": "alfa", "pk": w.member_a.pk},
        {
            "office": 400,
            "member": 403,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
    # only the office saves a statute version, and only naming what it read (If-Match, else 428)
    "api_statute_versions": (
        "post",
        lambda w: {"cluster_slug": "alfa"},
        {
            "office": 428,
            "member": 403,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
    # the KKK API: only the office writes (an empty call is a 400 for it)
    "api_kkk_applications": (
        "post",
        lambda w: {"cluster_slug": "alfa"},
        {
            "office": 400,
            "member": 403,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
    "api_kkk_records": (
        "post",
        lambda w: {"cluster_slug": "alfa", "kind": "staff"},
        {
            "office": 400,
            "member": 403,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
    # a KKK record by the API: only the office changes it (PATCH without If-Match: 428) or removes it
    "api_kkk_record_detail": (
        "patch",
        lambda w: {"cluster_slug": "alfa", "kind": "staff", "record_id": _record(w)},
        {
            "office": 200,
            "member": 403,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
    "api_kkk_record_detail@delete": (
        "delete",
        lambda w: {"cluster_slug": "alfa", "kind": "staff", "record_id": _record(w)},
        {
            "office": 204,
            "member": 403,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
    # strategies by the API: the office adds (empty: 400), changes (If-Match) and removes
    "api_strategy_list": (
        "post",
        lambda w: {"cluster_slug": "alfa"},
        {**API_OFFICE_ONLY, "office": 400},
    ),
    "api_strategy_detail": (
        "patch",
        lambda w: {"cluster_slug": "alfa", "strategy_id": _strategy(w)},
        API_OFFICE_ONLY,
    ),
    "api_strategy_detail@delete": (
        "delete",
        lambda w: {"cluster_slug": "alfa", "strategy_id": _strategy(w)},
        {**API_OFFICE_ONLY, "office": 204},
    ),
    # roles by the API: an operator grants, changes and revokes; every persona is refused
    "api_role_list": ("post", lambda w: {"cluster_slug": "alfa"}, OPERATOR_ONLY_API),
    "api_role_detail": (
        "patch",
        lambda w: {"cluster_slug": "alfa", "role_id": _role(w)},
        OPERATOR_ONLY_API,
    ),
    "api_role_detail@delete": (
        "delete",
        lambda w: {"cluster_slug": "alfa", "role_id": _role(w)},
        OPERATOR_ONLY_API,
    ),
    # convening by the API (issue 9 point 6): only the office; an empty call is a 400 for it
    "api_meeting_list": (
        "post",
        lambda w: {"cluster_slug": "alfa"},
        {
            "office": 400,
            "member": 403,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
    "api_member_detail": (
        "patch",
        lambda w: {"cluster_slug": "alfa", "pk": w.member_a.pk},
        {
            "office": 200,
            "member": 403,
            "chair": 403,
            "proxy": 403,
            "forum": 403,
            "outsider": 404,
            "anonymous": 401,
        },
    ),
}

# the governance API's second methods (tests/governance/matrix.py)
from tests.governance.matrix import writes as governance_writes  # noqa: E402

WRITES.update(governance_writes())

from tests.kkk.matrix import writes as kkk_writes  # noqa: E402

WRITES.update(kkk_writes())

from tests.members.matrix import writes as member_fact_writes  # noqa: E402

WRITES.update(member_fact_writes())

from tests.kkk.matrix_api import writes as kkk_api_writes  # noqa: E402

WRITES.update(kkk_api_writes())

from tests.governance.matrix_api import writes as governance_api_writes  # noqa: E402

WRITES.update(governance_api_writes())

# Object ids of cluster alfa by the URL keyword (or access helper parameter) that takes them —
# the builders the rows above use. tests/core/test_access_helpers.py calls every `access_*`
# helper with them.
from tests.governance.matrix import admission, case, meeting, vote  # noqa: E402
from tests.kkk.matrix import _attachment, _draft, _record  # noqa: E402


def _group(w):
    from tests.groups.builders import it_group

    return it_group(w).pk


def _material(w):
    from tests.groups.builders import material

    return material(w, confidential=False).pk


def _erasable(w) -> bool:
    """The delegated person's link has ended: the office may erase its data (MEM-12)."""
    import datetime as dt

    from klaster.members.models import DelegatedPerson

    return bool(
        DelegatedPerson.objects.filter(pk=_delegate(w)).update(link_ended=dt.date(2024, 1, 1))
    )


def _money_document(w):
    from tests.money.matrix import document

    return document(w)


def _money_entry(w):
    from tests.money.matrix import entry

    return entry(w)


def _invitation(w):
    from tests.people.factories import InvitationFactory

    return InvitationFactory(cluster=w.alfa, role="organ_member").pk


def _newsletter(w):
    from django.utils import timezone

    from klaster.comms.models import Newsletter
    from tests.comms.factories import NewsletterFactory

    found = Newsletter.objects.filter(cluster=w.alfa, subject="Budowniczy").first()
    return (
        found
        or NewsletterFactory(
            cluster=w.alfa, subject="Budowniczy", status="sent", sent_at=timezone.now()
        )
    ).pk


def _event(w):
    from django.utils import timezone

    from klaster.events.models import Event
    from tests.events.factories import EventFactory

    found = Event.objects.filter(cluster=w.alfa, title="Budowniczy").first()
    return (found or EventFactory(cluster=w.alfa, title="Budowniczy", invited_at=timezone.now())).pk


def _archive_doc(w):
    from klaster.documents.models import Document
    from tests.documents.factories import add_document

    found = Document.objects.filter(cluster=w.alfa, title="Budowniczy").first()
    return found or add_document(w.alfa, None, title="Budowniczy")


ID_BUILDERS = {
    "newsletter_id": _newsletter,
    "event_id": _event,
    "doc_id": lambda w: _archive_doc(w).pk,
    "version_id": lambda w: _archive_doc(w).versions.get().pk,
    "document_id": _money_document,
    "entry_id": _money_entry,
    "strategy_id": _strategy,
    "member_id": lambda w: w.member_a.pk,
    "subunit_id": _subunit,
    "link_id": _link,
    "person_id": _delegate,
    "hold_id": _hold,
    "group_id": _group,
    "material_id": _material,
    "contact_id": lambda w: _contact(w)["contact_id"],
    "meeting_id": meeting,
    "vote_id": vote,
    "admission_id": admission,
    "case_id": case,
    "application_id": lambda w: _draft(w).pk,
    "attachment_id": _attachment,
    "record_id": _record,
    "role_id": _role,
    "invitation_id": lambda w: _invitation(w),
}

from tests.offers.matrix import ids as offers_ids  # noqa: E402

ID_BUILDERS.update(offers_ids())

# What a refused persona posts: a body that writes when the persona is allowed (checked by
# `test_payloads_write_when_allowed`), so "the database is unchanged" proves the refusal and not
# just an empty form. Rows without one are posted empty.
PAYLOADS = {
    "statistics_round": lambda w: {"year": "2024", "deadline": "2100-01-31"},
    "strategy_add": lambda w: {"s-name": "Strategia z zewnątrz", "s-valid_from": "2025-01-01"},
    "member_event_add": lambda w: {"kind": "suspended", "date": "2030-01-02"},
    "independence_link_add": lambda w: {
        "il-other": w.member_b.pk,
        "il-kind": "partner",
        "il-since": "2024-01-01",
    },
    "legal_hold_add": lambda w: {
        "reason": "Roszczenie z zewnątrz",
        "basis": "art. 17 ust. 3 lit. e",
    },
    "person_data_erase": lambda w: _erasable(w) and {"confirm": "on"},
    "statute": lambda w: {
        "valid_from": "2031-01-01",
        "preset": "infotech",
        "data": "",
        "note": "z zewnątrz",
    },
    "api_strategy_list": lambda w: {"name": "Strategia z API", "valid_from": "2025-01-01"},
    "group_contact_add": lambda w: {"c-name": "Obcy Ekspert", "c-email": "obcy@example.org"},
    "group_meeting_add": lambda w: {
        "mt-date": "2025-05-05",
        "mt-place": "Białystok",
        "mt-agenda": "Obce",
    },
    "group_payment_add": lambda w: {
        "p-member": w.member_a.pk,
        "p-amount": "100.00",
        "p-paid_on": "2025-05-05",
        "p-purpose": "Składka",
    },
    "group_material_add": lambda w: {"ma-title": "Obcy materiał", "ma-body": "Treść"},
    "group_declare": lambda w: {"member": w.member_b.pk, "on": "2025-05-05"},
    "meeting_control": lambda w: {"action": "agenda", "title": "Punkt z zewnątrz"},
    "api_meeting_action": lambda w: {"action": "agenda", "title": "Punkt z API"},
    "proxy_add": lambda w: {
        "px-giver": w.member_b.pk,
        "px-holder_name": "Jan Obcy",
        "px-received_at": "2025-06-20T10:00",
    },
}

from tests.governance.matrix import payloads as governance_payloads  # noqa: E402

PAYLOADS.update(governance_payloads())

from tests.members.matrix import payloads as member_fact_payloads  # noqa: E402

PAYLOADS.update(member_fact_payloads())

from tests.groups.matrix import payloads as group_api_payloads  # noqa: E402

PAYLOADS.update(group_api_payloads())

from tests.governance.matrix_api import payloads as governance_api_payloads  # noqa: E402

PAYLOADS.update(governance_api_payloads())

from tests.money.matrix import payloads as money_payloads  # noqa: E402

PAYLOADS.update(money_payloads())
from tests.money.matrix_ksef import payloads as money_ksef_payloads  # noqa: E402
from tests.money.matrix_plan import payloads as money_plan_payloads  # noqa: E402
from tests.money.matrix_staff import payloads as money_staff_payloads  # noqa: E402

PAYLOADS.update(money_plan_payloads())
PAYLOADS.update(money_staff_payloads())
PAYLOADS.update(money_ksef_payloads())

from tests.aid.matrix_contracts import payloads as aid_contracts_payloads  # noqa: E402
from tests.aid.matrix_lending import payloads as aid_lending_payloads  # noqa: E402
from tests.aid.matrix_rates import payloads as aid_rates_payloads  # noqa: E402
from tests.aid.matrix_register import payloads as aid_register_payloads  # noqa: E402
from tests.aid.matrix_shrimp import payloads as aid_shrimp_payloads  # noqa: E402

PAYLOADS.update(aid_register_payloads())
PAYLOADS.update(aid_lending_payloads())
PAYLOADS.update(aid_contracts_payloads())
PAYLOADS.update(aid_shrimp_payloads())
PAYLOADS.update(aid_rates_payloads())

from tests.forum.matrix import payloads as forum_payloads  # noqa: E402

PAYLOADS.update(forum_payloads())

from tests.people.matrix import payloads as people_payloads  # noqa: E402

PAYLOADS.update(people_payloads())

from tests.comms.matrix import payloads as comms_payloads  # noqa: E402

PAYLOADS.update(comms_payloads())

from tests.events.matrix import payloads as events_payloads  # noqa: E402

PAYLOADS.update(events_payloads())

from tests.documents.matrix import payloads as documents_payloads  # noqa: E402

PAYLOADS.update(documents_payloads())

from tests.offers.matrix import payloads as offers_payloads  # noqa: E402

PAYLOADS.update(offers_payloads())

REFUSED = {401, 403, 404, 405, LOGIN}
WRITE_METHODS = {"post", "patch", "put", "delete"}
MISSING_ID = 2_000_000_000  # an id no test row has


def _names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # the admin: tests/core/test_admin_access.py
            yield from _names(p, prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield p.name


def test_every_url_has_a_row():
    missing = sorted(set(_names()) - set(MATRIX))
    assert not missing, f"URLs with no access rule in the matrix: {missing}"


def _request(client, method, url, data=None):
    if method == "patch":
        # a write names the version it read (If-Match, issue 7 point 4): the one the caller may
        # read, or a made-up one for a caller who may not
        read = client.get(url)
        etag = read.get("ETag") if read.status_code == 200 else None
        return client.patch(
            url,
            data=data or {"city": "Kraków"},
            content_type="application/json",
            headers={"If-Match": etag or '"0.0000000000000000"'},
        )
    if data is None:
        return getattr(client, method)(url)
    if url.startswith("/api/"):
        return getattr(client, method)(url, data=data, content_type="application/json")
    return getattr(client, method)(url, data=data)


def _is_refusal(response) -> bool:
    if response.status_code == 302:
        return response["Location"].startswith(reverse("login"))
    return response.status_code in REFUSED


def _check(client, method, url, expected, persona, data=None):
    response = _request(client, method, url, data)
    if expected == LOGIN:
        assert response.status_code == 302, (persona, url, response.status_code)
        assert response["Location"].startswith(reverse("login")), (
            persona,
            url,
            response["Location"],
        )
    else:
        assert response.status_code == expected, (persona, method, url, response.status_code)
    return response


def _every_persona(name, method, url, expected, world, client_for):
    payload = PAYLOADS[name](world) if name in PAYLOADS else None
    for persona in P:
        client = client_for(persona)
        if method in WRITE_METHODS and expected[persona] in REFUSED:
            # issue 7: a refused write leaves every table as it was
            before = db_fingerprint()
            _check(client, method, url, expected[persona], persona, payload)
            assert_unchanged(before, (name, persona))
        else:
            _check(client, method, url, expected[persona], persona)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_mem_1_every_url_as_every_persona(name, world, client_for):
    method, kwargs, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs(world))
    assert set(expected) == set(P), f"{name}: every persona needs an expectation"
    _every_persona(name, method, url, expected, world, client_for)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_mem_1_api_writes_as_every_persona(name, world, client_for):
    method, kwargs, expected = WRITES[name]
    url = reverse(_route(name), kwargs=kwargs(world))
    _every_persona(name, method, url, expected, world, client_for)


@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if row[0] == "get"))
def test_mem_1_refused_readers_write_nothing(name, world, client_for):
    """Pages that show a form take POSTs too: whoever may not read a page may not post to it, and
    the refused POST leaves the database as it was (issue 7)."""
    method, kwargs, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs(world))
    payload = PAYLOADS[name](world) if name in PAYLOADS else {}
    for persona in P:
        if expected[persona] not in REFUSED:
            continue
        client = client_for(persona)
        before = db_fingerprint()
        response = _request(client, "post", url, payload)
        assert _is_refusal(response), (name, persona, response.status_code)
        assert_unchanged(before, (name, persona, "post"))


def _route(key: str) -> str:
    """A WRITES key is the URL name, or "name@method" for a route's second write method."""
    return key.partition("@")[0]


def _int_kwargs(name) -> list[str]:
    from django.urls.converters import IntConverter

    found: set[str] = set()
    for _possibilities, _pattern, _defaults, converters in get_resolver().reverse_dict.getlist(
        _route(name)
    ):
        found |= {k for k, c in converters.items() if isinstance(c, IntConverter)}
    return sorted(found)


# issue 7: every URL that takes an object id, requested by another cluster's office ("outsider",
# the office of beta) with its OWN slug and alfa's ids. Derived from the rows above, so a new
# URL gets its cross-tenant row for free.
CROSS_TENANT = sorted(
    [(name, "matrix") for name in MATRIX if _int_kwargs(name)]
    + [(name, "writes") for name in WRITES if _int_kwargs(name)]
)


@pytest.mark.parametrize(("name", "table"), CROSS_TENANT, ids=[f"{n}-{t}" for n, t in CROSS_TENANT])
def test_mem_1_another_clusters_office_with_its_own_slug(name, table, world, client_for):
    """The office of beta, under /c/beta/ (or /api/clusters/beta/), asks for alfa's objects by id:
    it gets what it gets for an id that does not exist — a 404 — and writes nothing."""
    method, kwargs, _expected = (MATRIX if table == "matrix" else WRITES)[name]
    own = kwargs(world)
    slug_key = "slug" if "slug" in own else "cluster_slug"
    # a URL outside any cluster (a forum's) keeps its own keys: beta's office asks for alfa's ids
    foreign = {**own, slug_key: "beta"} if slug_key in own else dict(own)
    missing = {**foreign, **{k: MISSING_ID for k in _int_kwargs(name)}}
    payload = PAYLOADS[name](world) if name in PAYLOADS else None
    client = client_for("outsider")
    before = db_fingerprint()
    got = _request(client, method, reverse(_route(name), kwargs=foreign), payload)
    assert_unchanged(before, (name, "outsider", "beta"))
    nonexistent = _request(client, method, reverse(_route(name), kwargs=missing), payload)
    assert_unchanged(before, (name, "outsider", "beta", "missing"))
    assert got.status_code == nonexistent.status_code, (
        name,
        foreign,
        got.status_code,
        nonexistent.status_code,
    )
    assert got.status_code == 404 or _is_refusal(got), (name, foreign, got.status_code)


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_payloads_write_when_allowed(name, world, client_for):
    """A payload proves a refusal only if it writes when the persona is allowed: posted by the
    first persona the row allows, it changes the database."""
    method, kwargs, expected = MATRIX[name]
    persona = next(p for p in P if expected[p] not in REFUSED)
    url = reverse(name, kwargs=kwargs(world))
    payload = PAYLOADS[name](world)
    client = client_for(persona)  # logging in writes last_login: before the fingerprint
    before = db_fingerprint()
    response = _request(client, "post", url, payload)
    assert response.status_code < 400, (name, persona, response.status_code)
    assert changed_tables(before, db_fingerprint()), (
        f"{name}: the payload writes nothing even for {persona}"
    )


def test_mem_1_member_of_another_cluster_is_invisible(world, client_for):
    """A member id of cluster beta under cluster alfa's URL is 404 even for alfa's office."""
    office = client_for("office")
    assert (
        office.get(
            reverse("member_detail", kwargs={"slug": "alfa", "member_id": world.member_beta.pk})
        ).status_code
        == 404
    )
    assert (
        office.get(
            reverse(
                "api_member_detail", kwargs={"cluster_slug": "alfa", "pk": world.member_beta.pk}
            )
        ).status_code
        == 404
    )
    listing = office.get(reverse("api_cluster_list")).json()
    assert [c["slug"] for c in listing] == ["alfa"]
