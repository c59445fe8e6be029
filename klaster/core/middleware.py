"""Keeps the request's user and address where the audit log can find them (PLT-4: "from where")."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from klaster.core.auth import client_ip


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    source: str


current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "klaster_request", default=None
)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = "api" if request.path.startswith("/api/") else "web"
        # behind a trusted proxy, the client's address as the proxy saw it (PLT-4 "from where")
        token = current.set(RequestContext(ip=client_ip(request), source=source))
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
