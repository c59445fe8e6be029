"""Refuse a request body larger than any upload may be, before Django reads it (issue 7).

Django writes a multipart upload to memory or a temporary file while it parses the body,
which happens as soon as anything (the CSRF check, a view) asks for ``request.POST``. This
middleware sits at the top of ``MIDDLEWARE`` and answers 413 from the declared
``Content-Length`` alone, so a 200 MB body is never read. (Without a ``Content-Length``
Django reads no body at all.) The per-kind limits, lower, are checked by each form
(:mod:`klaster.core.uploads`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from klaster.core import uploads


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        maximum = uploads.max_request_bytes()
        if length > maximum:
            return too_large_response(length, maximum)
        return self.get_response(request)


def too_large_response(length: int, maximum: int) -> HttpResponse:
    """A short page in the site's default language (the locale middleware has not run yet)."""
    title = _("The upload is too large")
    text = _(
        "The request carries %(size)s MB; at most %(limit)s MB can be sent at once. Nothing was "
        "saved. Go back and choose a smaller file."
    ) % {"size": uploads.megabytes(length), "limit": uploads.megabytes(maximum)}
    body = format_html(
        '<!doctype html><html lang="{}"><head><meta charset="utf-8"><title>{}</title></head>'
        "<body><h1>{}</h1><p>{}</p></body></html>",
        get_language() or "pl",
        title,
        title,
        text,
    )
    return HttpResponse(body, status=413, content_type="text/html; charset=utf-8")
