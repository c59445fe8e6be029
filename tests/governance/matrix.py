"""Governance rows of the access matrix (tests/core/test_access_matrix.py): every governance URL
tried by every persona. The `chair` persona chairs the General Assembly meeting built here."""

from __future__ import annotations

import datetime as dt

from klaster.rules.calendar import WARSAW

LOGIN = "login"
DENY = {"member": 403, "proxy": 403, "forum": 403, "outsider": 404, "anonymous": LOGIN}
OFFICE = {"office": 200, "chair": 403, **DENY}
GOVERNANCE_READ = {"office": 200, "chair": 200, **DENY}
OFFICE_POST = {"office": 302, "chair": 403, **DENY}
PARTICIPANTS = {
    "office": 200,
    "chair": 200,
    "member": 200,
    "proxy": 200,
    "forum": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}
RUNS = {"office": 200, "chair": 200, **DENY}
API_DENY = {"anonymous": 401}  # the API answers 401 where a page sends to the login


def _meeting(w):
    from klaster.core.services import statute_profile_set
    from klaster.governance.models import Meeting
    from klaster.governance.services import organs_ensure
    from tests.factories import MeetingFactory

    existing = Meeting.objects.filter(cluster=w.alfa).first()
    if existing:
        return existing
    statute_profile_set(cluster=w.alfa, valid_from=dt.date(2020, 1, 1), user=None, preset="evoluma")
    organs_ensure(cluster=w.alfa)
    starts = dt.datetime(2025, 6, 30, 10, 0, tzinfo=WARSAW)
    return MeetingFactory(
        cluster=w.alfa,
        organ__kind="ga",
        title="WZ",
        date=starts.date(),
        starts_at=starts,
        chair=w.users["chair"],
        status="open",
    )


def meeting(w):
    return _meeting(w).pk


def vote(w):
    from django.utils import timezone

    from klaster.governance.models import Vote

    m = _meeting(w)
    return Vote.objects.get_or_create(
        meeting=m,
        number=1,
        defaults={
            "title": "Głosowanie",
            "opened_at": timezone.now(),
            "entitled": 3,
            "status": "closed",
        },
    )[0].pk


def admission(w):
    from klaster.governance.models import Admission

    return Admission.objects.get_or_create(
        cluster=w.alfa, candidate=w.member_b, category="partner"
    )[0].pk


def case(w):
    from klaster.governance.models import MediationCase

    return MediationCase.objects.get_or_create(
        cluster=w.alfa, subject="Spór", defaults={"reported_on": dt.date(2025, 5, 1)}
    )[0].pk


def rows() -> dict:
    s = {"slug": "alfa"}
    s_api = {"cluster_slug": "alfa"}
    return {
        "governance_home": ("get", lambda w: s, GOVERNANCE_READ),
        "governance_action": ("post", lambda w: s, OFFICE_POST),
        "attendance_duties": ("get", lambda w: s, GOVERNANCE_READ),
        # GOV-11: a representative files its own delegated persons' declarations (and sees only theirs)
        "declarations": ("get", lambda w: s, {**GOVERNANCE_READ, "member": 200, "proxy": 200}),
        "extraordinary_requests": ("get", lambda w: s, GOVERNANCE_READ),
        "mediation_list": ("get", lambda w: s, GOVERNANCE_READ),
        "mediation_resolve": ("post", lambda w: {**s, "case_id": case(w)}, OFFICE_POST),
        "contacts": ("get", lambda w: s, GOVERNANCE_READ),
        "admission_list": ("get", lambda w: s, GOVERNANCE_READ),
        "admission_detail": ("get", lambda w: {**s, "admission_id": admission(w)}, GOVERNANCE_READ),
        "resolution_list": ("get", lambda w: s, PARTICIPANTS),
        "meeting_list": ("get", lambda w: s, PARTICIPANTS),
        "meeting_create": ("get", lambda w: s, OFFICE),
        "meeting_detail": ("get", lambda w: {**s, "meeting_id": meeting(w)}, PARTICIPANTS),
        # the meeting's chair runs it as the office does; an unknown action just returns to the page
        "meeting_control": (
            "post",
            lambda w: {**s, "meeting_id": meeting(w)},
            {"office": 302, "chair": 302, **DENY},
        ),
        "meeting_live": ("get", lambda w: {**s, "meeting_id": meeting(w)}, RUNS),
        "meeting_live_json": ("get", lambda w: {**s, "meeting_id": meeting(w)}, RUNS),
        # proxies and the summary are the coordinator's office's; the chair is sent back to the page
        "proxy_add": (
            "post",
            lambda w: {**s, "meeting_id": meeting(w)},
            {"office": 302, "chair": 302, **DENY},
        ),
        "summary_send": (
            "post",
            lambda w: {**s, "meeting_id": meeting(w)},
            {"office": 302, "chair": 302, **DENY},
        ),
        "notice_send": (
            "post",
            lambda w: {**s, "meeting_id": meeting(w)},
            {"office": 302, "chair": 302, **DENY},
        ),
        "meeting_my": (
            "get",
            lambda w: {**s, "meeting_id": meeting(w)},
            {
                "office": 403,
                "chair": 403,
                "member": 200,
                "proxy": 200,
                "forum": 403,
                "outsider": 404,
                "anonymous": LOGIN,
            },
        ),
        "meeting_my_json": (
            "get",
            lambda w: {**s, "meeting_id": meeting(w)},
            {
                "office": 403,
                "chair": 403,
                "member": 200,
                "proxy": 200,
                "forum": 403,
                "outsider": 404,
                "anonymous": LOGIN,
            },
        ),
        "minutes_pdf": ("get", lambda w: {**s, "meeting_id": meeting(w)}, PARTICIPANTS),
        "vote_results_csv": ("get", lambda w: {**s, "vote_id": vote(w)}, PARTICIPANTS),
        "objection_file": (
            "post",
            lambda w: {**s, "vote_id": vote(w)},
            {
                "office": 302,
                "chair": 403,
                "member": 302,
                "proxy": 302,
                "forum": 403,
                "outsider": 404,
                "anonymous": LOGIN,
            },
        ),
        "api_meeting_live": (
            "get",
            lambda w: {"cluster_slug": "alfa", "meeting_id": meeting(w)},
            {**RUNS, "anonymous": 401},
        ),
        # an empty ballot is refused (400) for those who may vote; the rest never reach it
        "api_ballot_cast": (
            "post",
            lambda w: {"cluster_slug": "alfa", "vote_id": vote(w)},
            {
                "office": 403,
                "chair": 403,
                "member": 400,
                "proxy": 400,
                "forum": 403,
                "outsider": 404,
                "anonymous": 401,
            },
        ),
        # GOV-5 objections by the API: the office and representatives (empty call: 400 for them)
        "api_objection_file": (
            "post",
            lambda w: {"cluster_slug": "alfa", "vote_id": vote(w)},
            {
                "office": 400,
                "chair": 403,
                "member": 400,
                "proxy": 400,
                "forum": 403,
                "outsider": 404,
                "anonymous": 401,
            },
        ),
        # the API of the meeting pages (issue 9 point 6): who sees the list sees it here
        "api_meeting_list": (
            "get",
            lambda w: {"cluster_slug": "alfa"},
            {**PARTICIPANTS, "anonymous": 401},
        ),
        "api_resolution_list": ("get", lambda w: s_api, {**PARTICIPANTS, "anonymous": 401}),
        "api_admission_list": ("get", lambda w: s_api, {**GOVERNANCE_READ, **API_DENY}),
        "api_admission_detail": (
            "get",
            lambda w: {**s_api, "admission_id": admission(w)},
            {**GOVERNANCE_READ, **API_DENY},
        ),
        # GOV-4: those who run the meeting read its proxies
        "api_meeting_proxies": (
            "get",
            lambda w: {"cluster_slug": "alfa", "meeting_id": meeting(w)},
            {**RUNS, "anonymous": 401},
        ),
        # the meeting page's buttons: the office and the meeting's chair; no action is a 400 for
        # them (the payload, an agenda item, is proven to write by test_payloads_write_when_allowed)
        "api_meeting_action": (
            "post",
            lambda w: {"cluster_slug": "alfa", "meeting_id": meeting(w)},
            {"office": 400, "chair": 400, **DENY, "anonymous": 401},
        ),
        # the office's governance pages by the API (issue 9 point 6): as their pages
        "api_governance_action": ("post", lambda w: s_api, API_OFFICE_WRITE),
        "api_seat_list": ("get", lambda w: s_api, API_GOVERNANCE_READ),
        "api_declaration_list": (
            "get",
            lambda w: s_api,
            {**API_GOVERNANCE_READ, "member": 200, "proxy": 200},
        ),
        # GOV-11: only the office resends (a representative, who files, is refused)
        "api_declaration_resend": (
            "post",
            lambda w: {**s_api, "declaration_id": declaration(w)},
            {**API_OFFICE_WRITE, "office": 200},
        ),
        "api_extraordinary_requests": ("get", lambda w: s_api, API_GOVERNANCE_READ),
        "api_mediation_list": ("get", lambda w: s_api, API_GOVERNANCE_READ),
        "api_mediation_resolve": (
            "post",
            lambda w: {**s_api, "case_id": case(w)},
            API_OFFICE_WRITE,
        ),
        "api_contacts": ("get", lambda w: s_api, API_GOVERNANCE_READ),
        "api_meeting_agenda": (
            "get",
            lambda w: {**s_api, "meeting_id": meeting(w)},
            {**PARTICIPANTS, "anonymous": 401},
        ),
        # GOV-14: the office sends the summary of a closed meeting (this one is open: 400)
        "api_summary_send": (
            "post",
            lambda w: {**s_api, "meeting_id": meeting(w)},
            API_OFFICE_WRITE,
        ),
        # GOV-4: the office imports proxies (no file: 400); the chair, who runs it, may not
        "api_proxy_import": (
            "post",
            lambda w: {**s_api, "meeting_id": meeting(w)},
            API_OFFICE_WRITE,
        ),
    }


# the API refuses where a page redirects: 403, and 401 for the anonymous
API_OFFICE_WRITE = {"office": 400, "chair": 403, **DENY, "anonymous": 401}
API_GOVERNANCE_READ = {**GOVERNANCE_READ, "anonymous": 401}


def declaration(w):
    """A GOV-11 declaration of a delegated person of member A, to the Council."""
    from klaster.governance.models import Declaration
    from klaster.governance.services import organs_ensure
    from tests.core.test_access_matrix import _delegate

    return Declaration.objects.get_or_create(
        organ=organs_ensure(cluster=w.alfa)["council"],
        person_id=_delegate(w),
        defaults={"kind": "inability", "text": "Nie mogę", "declared_on": dt.date(2025, 5, 5)},
    )[0].pk


def writes() -> dict:
    """The second method of the routes above (tests/core/test_access_matrix.py `WRITES`)."""
    s_api = {"cluster_slug": "alfa"}
    return {
        # GOV-11: the office and a representative file (an empty call is a 400 for them)
        "api_declaration_list": (
            "post",
            lambda w: s_api,
            {**API_OFFICE_WRITE, "member": 400, "proxy": 400},
        ),
        "api_extraordinary_requests": ("post", lambda w: s_api, API_OFFICE_WRITE),
        "api_mediation_list": ("post", lambda w: s_api, API_OFFICE_WRITE),
        "api_contacts": ("post", lambda w: s_api, API_OFFICE_WRITE),
        # whoever runs the meeting adds to its agenda (no title: 400)
        "api_meeting_agenda": (
            "post",
            lambda w: {**s_api, "meeting_id": meeting(w)},
            {**API_OFFICE_WRITE, "chair": 400},
        ),
    }


def payloads() -> dict:
    """Bodies that write when the persona is allowed (tests/core/test_access_matrix.py `PAYLOADS`)."""
    return {
        "api_contacts": lambda w: {"member": w.member_a.pk, "met_on": "2025-05-05"},
        "api_mediation_list": lambda w: {"reported_on": "2025-05-05", "subject": "Spór z API"},
        "api_meeting_agenda": lambda w: {"title": "Punkt z API"},
    }
