"""Access-matrix rows of the register's pages (wired in tests/core/test_access_matrix.py).

The register, its undertakings and the import are the office's; a member's aid page is also its
own representatives' (`member` represents member A): `proxy` (member B) gets 403 on A's, organ
members and the forum 403, another cluster's office 404."""

from __future__ import annotations

LOGIN = "login"
DENY = {
    "chair": 403,
    "member": 403,
    "proxy": 403,
    "forum": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}
OFFICE = {"office": 200, **DENY}
OFFICE_POST = {"office": 302, **DENY}


def s(w):
    return {"slug": "alfa"}


def a(w):
    return {"slug": "alfa", "member_id": w.member_a.pk}


def undertaking(w):
    from klaster.aid.models import Undertaking
    from tests.factories import UndertakingFactory

    u = Undertaking.objects.filter(cluster=w.alfa, member=w.member_a).first()
    if u is None:
        u = UndertakingFactory(member=w.member_a)
    return {"slug": "alfa", "undertaking_id": u.pk}


def rows():
    return {
        "aid_home": ("get", s, OFFICE),
        "aid_my": (
            "get",
            s,
            {**DENY, "office": 302, "member": 302, "proxy": 302},
        ),
        "aid_undertaking_new": ("post", s, OFFICE_POST),
        "aid_undertaking": ("get", undertaking, OFFICE),
        "aid_member": (
            "get",
            lambda w: undertaking(w) and a(w),
            {**DENY, "office": 200, "member": 200},
        ),
        "aid_member_register": ("post", a, OFFICE_POST),
        "aid_import": ("get", s, OFFICE),
    }


def payloads():
    from tests.factories import valid_nip

    return {
        "aid_undertaking_new": lambda w: {
            "nip": valid_nip(987654),
            "name": "Nowa Spółka sp. z o.o.",
            "fiscal_month": "1",
            "fiscal_day": "1",
        },
        "aid_member_register": lambda w: {},
    }
