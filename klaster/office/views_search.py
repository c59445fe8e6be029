"""The global search page (issue 9). Thin: parse → access → selector → render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from klaster.office.search import MIN_LENGTH, access_search, clean_query, global_search


@login_required
def search_view(request: HttpRequest, slug: str) -> HttpResponse:
    cluster, grants = access_search(request.user, slug)
    q = clean_query(request.GET.get("q"))
    sections = global_search(cluster, grants, request.user, q)
    return render(
        request,
        "office/search.html",
        {
            "cluster": cluster,
            "grants": grants,
            "q": q,
            "too_short": 0 < len(q) < MIN_LENGTH,
            "sections": sections,
            "min_length": MIN_LENGTH,
        },
    )
