"""Issue 9 point 8: friendly 403/404/500 pages in the layout and the user's language; a refused
page logs one line and no traceback."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_403_in_the_layout_in_polish_and_english(client_for, world):
    c = client_for("chair")  # an organ member may not read the audit log
    url = reverse("audit", args=["alfa"])
    r = c.get(url)
    assert r.status_code == 403
    body = r.content.decode()
    assert 'class="top"' in body and "klaster/klaster.css" in body  # the layout
    assert "Nie masz dostępu do tej strony" in body and 'lang="pl"' in body
    assert "chair" in body  # the user's name in the header, with the language switcher
    assert "403 Forbidden" not in body
    c.cookies["django_language"] = "en"
    r = c.get(url)
    assert r.status_code == 403
    assert "You do not have access to this page" in r.content.decode()


def test_403_logs_one_line_without_traceback(client_for, world, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        r = client_for("chair").get(reverse("audit", args=["alfa"]))
    assert r.status_code == 403
    records = [rec for rec in caplog.records if rec.name == "django.request"]
    assert records and all(rec.exc_info is None for rec in records)
    assert "Forbidden" in records[0].getMessage()
    assert "Traceback" not in caplog.text


def test_404_in_the_layout_for_another_clusters_record(client_for, world):
    url = reverse("member_detail", args=["beta", world.member_a.pk])
    r = client_for("outsider").get(url)
    assert r.status_code == 404
    body = r.content.decode()
    assert 'class="top"' in body and "Nie znaleziono strony" in body


def test_500_in_the_layout_and_language(world, settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("boom")

    import klaster.urls

    settings.ROOT_URLCONF = type(
        "Urls", (), {"urlpatterns": [path("boom/", boom), *klaster.urls.urlpatterns]}
    )
    c = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="pl")
    r = c.get("/boom/")
    assert r.status_code == 500
    body = r.content.decode()
    assert 'class="top"' in body and "Coś poszło nie tak" in body
    assert "boom" not in body and "Traceback" not in body
