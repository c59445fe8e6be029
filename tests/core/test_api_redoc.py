"""Issue 9 point 6: Redoc served from drf-spectacular-sidecar (our own static files, no CDN)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_redoc_is_served_from_our_own_static_files(world, client_for):
    office = client_for("office")
    response = office.get(reverse("api_redoc"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn" not in page.lower() and "googleapis" not in page and "<style>" not in page
    assert re.search(r"<script>", page) is None  # no inline script: the CSP holds
    sources = re.findall(r'(?:src|href|spec-url)="([^"]+)"', page)
    assert reverse("api_redoc_bundle") in sources  # the sidecar's bundle, its CDN logo removed
    assert reverse("api_schema") in sources
    for url in sources:
        assert url.startswith("/"), url  # same origin
        assert office.get(url).status_code == 200, url
    policy = dict(
        d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";") if d.strip()
    )
    assert policy["script-src"] == "'self'"  # still no inline script, no CDN
    assert "blob:" in policy["worker-src"]
    bundle = office.get(reverse("api_redoc_bundle")).content
    assert len(bundle) > 500_000 and b"cdn.redoc.ly" not in bundle and b"https://cdn" not in bundle


@pytest.mark.django_db
def test_redoc_asks_for_a_login(client):
    assert client.get(reverse("api_redoc")).status_code == 401
