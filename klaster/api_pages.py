"""Every office action of the pages that have no endpoint of their own, by the API (issue 9
point 6): ``POST /api/actions/<the page's path>``.

The call runs the page's own POST — its access check on the object, its form, its service, its
messages — so the API and the page cannot drift apart: the same refusals, in the user's
language, and the same one path per action. What the page would show becomes JSON:

* done (the page redirects with no error): 200, ``{"detail", "messages", "location"}`` — the
  page it would go to (a new record's page names its id);
* refused input (the page shows its form again with errors, or redirects with error messages):
  400, the errors by the field names the call sent, the rest under ``non_field_errors``;
* not allowed or not there: the page's own 403 or 404; no credentials: 401;
* a file the page answers with (a PDF, a spreadsheet): the file itself.

The call sends the page form's fields as JSON (a true boolean is a ticked box, a list a multiple
choice) or as a form (multipart, with files). ``GET /api/actions/`` lists the actions.
The pages whose actions have endpoints of their own (members, governance, groups, KKK, roles,
statute versions) are not listed here: one endpoint per action.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from django.contrib import messages as django_messages
from django.http import Http404, HttpRequest, HttpResponseBase, QueryDict, StreamingHttpResponse
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.core.api_forms import form_query
from klaster.core.templating import NOTED

# The pages' POST actions (by URL name) that the API runs here, app by app.
ACTIONS: dict[str, tuple[str, ...]] = {
    "core": ("outbox_resend",),
    "members": ("statistics_round", "statistics_round_close", "portal"),
    "exchange": ("member_import", "member_import_confirm"),
    "money": (
        "money_dues_run",
        "money_settings",
        "money_entry_fee",
        "money_suspension",
        "money_statements",
        "money_entry_resolve",
        "money_interest_rates",
        "money_interest_rate_remove",
        "money_arrears_step",
        "money_plans",
        "money_plan_line",
        "money_plan_approve",
        "money_staff",
        "money_rate",
        "money_board_rate",
        "money_board_rate_remove",
        "money_requests",
        "money_request_provide",
        "money_ksef_send",
    ),
    "aid": (
        "aid_undertaking_new",
        "aid_undertaking",
        "aid_member_register",
        "aid_import",
        "aid_equipment_new",
        "aid_equipment_edit",
        "aid_price_new",
        "aid_application_new",
        "aid_document_add",
        "aid_document_remove",
        "aid_application_notify",
        "aid_application_decide",
        "aid_application_withdraw",
        "aid_ranking_new",
        "aid_ranking_scores",
        "aid_ranking_approve",
        "aid_return",
        "aid_contract_new",
        "aid_certificate_correct",
        "aid_contract_void",
        "aid_settings",
        "aid_shrimp_reported",
        "aid_duties",
        "aid_my_duties",
        "aid_rates_upload",
    ),
    "people": ("people_invite", "people_role_revoke", "people_invitation_revoke"),
    "forum": (
        "forum_members",
        "forum_work_new",
        "forum_work",
        "forum_work_take_part",
        "forum_work_members",
        "forum_linkage_kkk",
        "forum_sharing",
    ),
    "comms": (
        "comms_newsletter_new",
        "comms_newsletter",
        "comms_newsletter_send",
        "comms_newsletter_delete",
        "comms_portal_reading",
    ),
    "events": ("event_new", "event_invite", "event_rsvp", "event_attendance"),
    "documents": ("document_new", "document_edit", "document_version_new"),
    "offers": (
        "offer_new",
        "offer_edit",
        "offer_delete",
        "offers_competences",
        "offers_competence_remove",
        "offers_area_remove",
        "offers_ideas",
        "offers_idea",
        "offers_training",
    ),
}
NAMES = frozenset(name for names in ACTIONS.values() for name in names)


class _Messages:
    """What the page says during the call (django.contrib.messages' ``add``), kept for the
    answer instead of the session."""

    def __init__(self) -> None:
        self.said: list[tuple[int, str]] = []

    def add(self, level: int, message: Any, extra_tags: str = "") -> None:
        self.said.append((level, str(message)))

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0

    def errors(self) -> list[str]:
        return [text for level, text in self.said if level >= django_messages.ERROR]

    def others(self) -> list[dict[str, str]]:
        tags = django_messages.DEFAULT_TAGS
        return [
            {"level": tags.get(level, "info"), "text": text}
            for level, text in self.said
            if level < django_messages.ERROR
        ]


def _page_request(request: Any, path: str) -> HttpRequest:
    """The Django request the page's view gets: the caller, its language and session, the
    page's path, and the body as the page's form fields."""
    outer: HttpRequest = request._request
    inner = copy.copy(outer)
    inner.path = inner.path_info = path
    inner.method = "POST"
    data = request.data  # parsed by DRF (JSON, a form or multipart)
    if isinstance(data, QueryDict):
        # a form or multipart body: DRF handed the parsed fields and files to the Django request
        inner._post, inner._files = outer.POST, outer.FILES  # type: ignore[attr-defined]
    else:
        inner._post, inner._files = form_query(data), MultiValueDict()  # type: ignore[attr-defined]
    inner.user = request.user
    return inner


def _field_errors(shown: list[Any]) -> dict[str, list[str]]:
    """Errors of the forms the page showed again, by the names the call sent (a form's prefix
    included); the whole form's errors under ``non_field_errors``."""
    out: dict[str, list[str]] = {}
    for form in shown:
        inner_forms = list(form.forms) if hasattr(form, "forms") else [form]
        if hasattr(form, "non_form_errors"):
            out.setdefault("non_field_errors", []).extend(str(e) for e in form.non_form_errors())
        for one in inner_forms:
            for field, errors in one.errors.items():
                key = "non_field_errors" if field == "__all__" else one.add_prefix(field)
                out.setdefault(key, []).extend(str(e) for e in errors)
    return out


def _is_file(response: HttpResponseBase) -> bool:
    kind = response.get("Content-Type", "")
    return isinstance(response, StreamingHttpResponse) or not kind.startswith("text/html")


class PageActionDoneSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What the page says it did, in the user's language.")
    messages = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="Everything else the page said: level (success, info, warning) and text.",
    )
    location = serializers.CharField(
        allow_null=True, help_text="The page the office would be taken to next."
    )


class ActionSerializer(serializers.Serializer):
    name = serializers.CharField()
    app = serializers.CharField()
    path = serializers.CharField(help_text="POST /api/actions + this path, {…} filled in.")


@cache
def _paths() -> dict[str, str]:
    """Each action's page path with its URL's keywords as {name}: from the URLconf."""
    found: dict[str, str] = {}

    def walk(resolver: URLResolver, prefix: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name in NAMES:
                route = prefix + str(p.pattern)
                parts = route.replace(">", "<").split("<")
                # "<int:member_id>" → "{member_id}"
                text = "".join(
                    part if i % 2 == 0 else "{" + part.rpartition(":")[2] + "}"
                    for i, part in enumerate(parts)
                )
                found.setdefault(p.name, "/" + text)

    walk(get_resolver(), "")
    return found


class ActionListView(APIView):
    """GET: the page actions the API runs (name, app, path)."""

    serializer_class = ActionSerializer

    @extend_schema(responses=ActionSerializer(many=True))
    def get(self, request):
        paths = _paths()
        return Response(
            [
                {"name": name, "app": app, "path": paths[name]}
                for app, names in ACTIONS.items()
                for name in names
                if name in paths
            ]
        )


class PageActionView(APIView):
    """POST: one page action (GET /api/actions/ lists them), run by the page itself: the same
    access check, form, service and messages. 200 done, 400 the errors by field, 403/404 as the
    page."""

    serializer_class = PageActionDoneSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "page",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="The page's path without the leading slash, e.g. "
                "c/demo/money/dues/run/ (GET /api/actions/ lists them).",
            )
        ],
        request={
            "application/json": OpenApiTypes.OBJECT,
            "multipart/form-data": OpenApiTypes.OBJECT,
        },
        responses={200: PageActionDoneSerializer, 400: OpenApiTypes.OBJECT},
    )
    def post(self, request, page: str):
        path = "/" + page
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        if match is None or match.url_name not in NAMES:
            raise Http404(gettext("No such action."))
        inner = _page_request(request, path)
        said = _Messages()
        shown: list[Any] = []
        inner._messages = said  # type: ignore[attr-defined]
        setattr(inner, NOTED, shown)
        inner.resolver_match = match
        response = match.func(inner, *match.args, **match.kwargs)
        return self._answer(response, said, shown, sent=bool(inner.POST or inner.FILES))

    def _answer(
        self, response: HttpResponseBase, said: _Messages, shown: list[Any], *, sent: bool
    ) -> Any:
        code = response.status_code
        if code in (403, 404, 405):
            reasons = {
                403: gettext("You may not do this."),
                404: gettext("Not found."),
                405: gettext("This action is not available here."),
            }
            return Response({"detail": reasons[code]}, status=code)
        errors = _field_errors(shown)
        said_errors = said.errors()
        if said_errors:
            errors.setdefault("non_field_errors", []).extend(said_errors)
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        if 200 <= code < 300 and _is_file(response):
            return response  # a file the page answers with, as it is
        if code == 200 and not sent:
            # an empty call: the page shows its empty form again, nothing done
            return Response(
                {"non_field_errors": [gettext("Send the fields of the page's form.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if code >= 400:
            return Response({"detail": gettext("The action was refused.")}, status=code)
        done = [text for level, text in said.said if level == django_messages.SUCCESS]
        # no success said: what else the page said (a warning that nothing was there to do),
        # or that the page showed what it made of the call (a preview) and saved nothing yet
        done = done or [text for _level, text in said.said]
        if not done:
            done = [
                gettext("Done.")
                if 300 <= code < 400
                else gettext("The page showed its answer; nothing was saved.")
            ]
        return Response(
            {
                "detail": " ".join(done),
                "messages": said.others(),
                "location": response.get("Location") if 300 <= code < 400 else None,
            }
        )
