"""Offers rows of the access matrix (tests/core/test_access_matrix.py), PLT-3: organ members and
representatives read the catalogue, the map and the ideas; the office and representatives add;
a representative edits its own member's offers only; the public page answers everyone (only the
offers made public); a forum viewer has nothing here."""

from __future__ import annotations

LOGIN = "login"
READERS = {
    "office": 200,
    "chair": 200,
    "member": 200,
    "proxy": 200,
    "forum": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}
CONTRIBUTORS = {**READERS, "chair": 403}
# member A's offer: the office and A's representative; B's representative does not know it
OWN_OFFER = {**CONTRIBUTORS, "proxy": 404}
PUBLIC = ("office", "chair", "member", "proxy", "forum", "outsider", "anonymous")


def s(w):
    return {"slug": "alfa"}


def offer(w):
    from klaster.offers.models import Offer
    from klaster.offers.services import offer_save

    found = Offer.objects.filter(cluster=w.alfa, name_pl="Frezowanie CNC").first()
    found = found or offer_save(
        member=w.member_a,
        user=None,
        data={"category": "service", "name_pl": "Frezowanie CNC", "description_pl": "Usługi"},
    )
    return {"slug": "alfa", "offer_id": found.pk}


def public(w):
    """alfa with one public offer (a cluster without any has no public page)."""
    from klaster.offers.models import Offer
    from klaster.offers.services import offer_save

    if not Offer.objects.filter(cluster=w.alfa, public=True).exists():
        offer_save(
            member=w.member_b,
            user=None,
            data={
                "category": "product",
                "name_pl": "Publiczna",
                "description_pl": "Opis",
                "public": True,
            },
        )
    return {"slug": "alfa"}


def idea(w):
    from klaster.offers.models import Idea
    from klaster.offers.services import idea_post

    found = Idea.objects.filter(cluster=w.alfa, title="Wspólny magazyn").first()
    found = found or idea_post(
        cluster=w.alfa, user=None, member=w.member_a, title="Wspólny magazyn", description="Opis"
    )
    return {"slug": "alfa", "idea_id": found.pk}


def area(w):
    """An area of alfa's list with member A's competence against it."""
    from klaster.offers.models import CompetenceArea
    from klaster.offers.services import area_add, competence_add

    found = CompetenceArea.objects.filter(cluster=w.alfa, name="Mechatronika").first()
    if found is None:
        found = area_add(cluster=w.alfa, user=None, name="Mechatronika")
        competence_add(member=w.member_a, user=None, area=found, kind="competence")
    return found


def competence(w):
    return area(w).holders.get()


def ids():
    """Builders of this app's object ids for ID_BUILDERS (tests/core/test_access_matrix.py), which
    tests/core/test_access_helpers.py hands to every `access_*` helper here."""
    return {
        "offer_id": lambda w: offer(w)["offer_id"],
        "idea_id": lambda w: idea(w)["idea_id"],
        "area_id": lambda w: area(w).pk,
        "competence_id": lambda w: competence(w).pk,
    }


def rows():
    return {
        "offers": ("get", s, READERS),
        "offer_new": ("get", s, CONTRIBUTORS),
        "offer_edit": ("get", offer, OWN_OFFER),
        # the office's POST comes first and deletes the offer, so A's representative finds none;
        # its own deletion: tests/offers/test_offers.py
        "offer_delete": ("post", offer, {**OWN_OFFER, "office": 302, "member": 404}),
        "offers_public": ("get", public, {p: 200 for p in PUBLIC}),
        "offers_competences": ("get", s, READERS),
        "offers_ideas": ("get", s, READERS),
        "offers_idea": ("get", idea, READERS),
        "offers_training": ("get", s, CONTRIBUTORS),
        # the office keeps the list of areas
        "offers_area_remove": (
            "post",
            lambda w: {"slug": "alfa", "area_id": area(w).pk},
            {**CONTRIBUTORS, "office": 302, "member": 403, "proxy": 403},
        ),
        # member A's entry on the map: the office's POST removes it first, so A's representative
        # finds none (its own removal: tests/offers/test_offers_map.py); B's never knew it
        "offers_competence_remove": (
            "post",
            lambda w: {"slug": "alfa", "competence_id": competence(w).pk},
            {**OWN_OFFER, "office": 302, "member": 404},
        ),
    }


def payloads():
    return {
        "offer_new": lambda w: {
            "member": w.member_a.pk,
            "category": "product",
            "name_pl": "Nowa oferta",
            "description_pl": "Opis",
        },
        "offers_competences": lambda w: {"action": "area", "a-name": "Robotyka"},
        "offers_ideas": lambda w: {
            "member": w.member_a.pk,
            "title": "Pomysł",
            "description": "Opis",
        },
        "offers_training": lambda w: {
            "action": "survey",
            "s-title": "Szkolenia 2027",
            "s-closes_on": "2100-01-31",
        },
    }
