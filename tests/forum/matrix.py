"""Access-matrix rows of the forum (FOR-1; wired in tests/core/test_access_matrix.py).

The world's forum "pomorze" has cluster alfa as a member; beta is not in it. A forum is seen by
the offices and forum representatives of its member clusters (alfa's `office` and `forum`
personas) and by its own officers; alfa's organ members and representatives, beta's office
(`outsider`) and anyone else get a 404 — the forum's existence is its members' business. Its
clusters' list (join and leave) is the forum officers' only: 403 for alfa's people. A cluster's
sharing page is its office's."""

from __future__ import annotations

import datetime as dt

LOGIN = "login"
NONE = {"chair": 404, "member": 404, "proxy": 404, "outsider": 404, "anonymous": LOGIN}
READERS = {"office": 200, "forum": 200, **NONE}
POSTERS = {"office": 302, "forum": 302, **NONE}


def forum(w):
    from klaster.forum.models import Forum
    from tests.factories import ForumFactory, ForumMembershipFactory, WorkFactory

    f = Forum.objects.filter(slug="pomorze").first()
    if f is None:
        f = ForumFactory(slug="pomorze", name="Forum Klastrów Pomorza")
        ForumMembershipFactory(forum=f, cluster=w.alfa)
        WorkFactory(
            forum=f, kind="consultation", title="Konsultacja RIS", deadline=dt.date(2099, 1, 1)
        )
    return f


def fs(w):
    return {"forum_slug": forum(w).slug}


def work(w):
    f = forum(w)
    return {"forum_slug": f.slug, "work_id": f.works.first().pk}


def linkage(w):
    """A cooperative linkage of the forum that alfa takes part in (FOR-2)."""
    from klaster.forum import services
    from klaster.forum.models import Work
    from tests.factories import WorkFactory

    f = forum(w)
    found = Work.objects.filter(forum=f, kind="linkage").first()
    if found is None:
        found = WorkFactory(
            forum=f,
            kind="linkage",
            title="Powiązanie: wodór",
            project="Magazyn wodoru",
            entities="Alfa-Tech, Politechnika",
        )
        services.take_part(work=found, cluster=w.alfa, user=w.users["office"])
    return {"forum_slug": f.slug, "work_id": found.pk, "slug": "alfa"}


def rows():
    return {
        "forum_list": (
            "get",
            lambda w: forum(w) and {},
            {
                **{p: 200 for p in ("office", "chair", "member", "proxy", "forum", "outsider")},
                "anonymous": LOGIN,
            },
        ),
        "forum_home": ("get", fs, READERS),
        "forum_benchmark": ("get", fs, READERS),
        "forum_benchmark_json": ("get", fs, READERS),
        "forum_indicator": ("get", lambda w: {**fs(w), "key": "s2.total"}, READERS),
        "forum_benchmark_xlsx": ("get", fs, READERS),
        "forum_benchmark_pdf": ("get", fs, READERS),
        "forum_members": ("get", fs, {**NONE, "office": 403, "forum": 403}),
        "forum_work_new": ("post", fs, POSTERS),
        "forum_work": ("get", work, READERS),
        "forum_work_take_part": ("post", linkage, POSTERS),
        "forum_work_members": ("post", linkage, {**NONE, "office": 302, "forum": 403}),
        "forum_linkage_kkk": ("get", linkage, {**NONE, "office": 200, "forum": 403}),
        "api_forum_benchmark": ("get", fs, {**READERS, "anonymous": 401}),
        "forum_sharing": (
            "get",
            lambda w: forum(w) and {"slug": "alfa"},
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
    }


def payloads():
    return {
        "forum_work_new": lambda w: (
            fs(w) and {"kind": "practice", "title": "Dobra praktyka", "body": "Opis"}
        ),
        "forum_work_take_part": lambda w: {"action": "withdraw"},
    }
