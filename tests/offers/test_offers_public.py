"""The cluster's public offer page (PLT-3): filtered by category, each text in the reader's
language or marked as Polish where the member wrote no English, and a member's website linked only
when it is a web address."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from klaster.offers import selectors, services
from tests.factories import MemberFactory


def _offer(member, name, category, **kw):
    data = {"category": category, "name_pl": name, "description_pl": f"Opis: {name}", **kw}
    return services.offer_save(member=member, user=None, data=data)


def test_plt_3_public_page_filters_by_category_and_marks_the_language(world):
    _offer(world.member_a, "Frezowanie", "service", public=True, name_en="Milling")
    _offer(world.member_b, "Czujnik drgań", "product", public=True)
    _offer(world.member_b, "Prototyp", "product", public=False)
    url = reverse("offers_public", args=["alfa"])
    products = Client().get(url, {"category": "product"}).content.decode()
    assert "Czujnik drgań" in products and "Frezowanie" not in products
    assert "Prototyp" not in products  # not public
    english = Client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<h2 lang="en">Milling</h2>' in english
    assert '<h2 lang="pl">Czujnik drgań</h2>' in english  # no English name: the Polish, marked
    assert '<p lang="pl"' in english  # no English description either
    # a diacritics-free search on the public page too
    found = Client().get(url, {"q": "czujnik drgan"}).content.decode()
    assert "Czujnik drgań" in found and "Frezowanie" not in found


def test_plt_3_public_page_links_only_web_addresses(world):
    safe = MemberFactory(cluster=world.alfa, name="Strona sp. z o.o.", website="https://a.pl")
    odd = MemberFactory(cluster=world.alfa, name="Skrypt S.A.", website="javascript:alert(1)")
    _offer(safe, "Usługa A", "service", public=True)
    _offer(odd, "Usługa B", "service", public=True)
    page = Client().get(reverse("offers_public", args=["alfa"])).content.decode()
    assert 'href="https://a.pl"' in page and "javascript:" not in page


def test_plt_3_search_finds_a_member_by_its_current_name(world, django_assert_max_num_queries):
    _offer(world.member_a, "Spawanie", "service")
    assert selectors.offers_search(world.alfa, q="alfa-tech").exists()
    world.member_a.name = "Łódzkie Zakłady Spawalnicze sp. z o.o."
    world.member_a.save()
    with django_assert_max_num_queries(1):
        found = [o.name_pl for o in selectors.offers_search(world.alfa, q="lodzkie zaklady")]
    assert found == ["Spawanie"]
    assert not selectors.offers_search(world.alfa, q="alfa-tech").exists()  # the old name
