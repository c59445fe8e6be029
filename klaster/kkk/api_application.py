"""The KKK application by the API (issue 9 point 6): read and edit a draft, "Sprawdź wniosek"
(KKK-2), register it (KKK-3) and its exports (PDF, XLSX, the confirmation letter) — with the
application pages' access (`access_application`), their form (`ApplicationForm`) and the same
services, selectors and exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.core.api_forms import errors_refusal as _refusal
from klaster.core.concurrency import StaleEdit, edit_version
from klaster.core.say import say
from klaster.kkk import exports, selectors, services
from klaster.kkk.access import access_application
from klaster.kkk.forms import ApplicationForm
from klaster.kkk.models import Application


class ApplicationDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = Application
        fields = [
            "id",
            "edition",
            "mode",
            "as_of",
            "status",
            "year",
            "seq",
            "number",
            "public_id",
            "checksum",
            "registered_at",
            "applicant_name",
            "applicant_address",
            "applicant_website",
            "appointment_document",
            "appointment_date",
            "previously_granted",
            "statements",
            "fte",
        ]
        read_only_fields = fields


class ApplicationEditSerializer(serializers.Serializer):
    """The fields of the page's form (`ApplicationForm`); what is not sent stays as it is. FTE per
    member type as ``fte_<type>`` (``fte_micro``, ``fte_science`` …), as the form names them."""

    as_of = serializers.DateField(required=False)
    mode = serializers.CharField(required=False)
    edition = serializers.CharField(required=False)
    applicant_name = serializers.CharField(required=False, allow_blank=True)
    applicant_address = serializers.CharField(required=False, allow_blank=True)
    applicant_website = serializers.CharField(required=False, allow_blank=True)
    appointment_document = serializers.CharField(required=False, allow_blank=True)
    appointment_date = serializers.DateField(required=False, allow_null=True)
    previously_granted = serializers.BooleanField(required=False)
    statements = serializers.ListField(child=serializers.IntegerField(), required=False)


class ProblemSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The form's item (3.2, 4, 25 …).")
    label = serializers.CharField()
    message = serializers.CharField()
    kind = serializers.CharField()
    edit = serializers.CharField(help_text="Where the product edits it.")
    ref = serializers.CharField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    anchor = serializers.CharField()


class ApplicationCheckSerializer(serializers.Serializer):
    ok = serializers.BooleanField(help_text="No problem: the draft may be registered.")
    problems = ProblemSerializer(many=True)


def _etag(application: Application) -> str:
    """The version the edit page's hidden field holds."""
    return f'"{edit_version(application, services.APPLICATION_FIELDS)}"'


def _form_value(value: Any) -> Any:
    """A value as a browser posts it: a ticked checkbox "on", an unticked one absent."""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return value


def _problems(problems) -> list[dict[str, Any]]:
    return [
        {
            "field": p.field,
            "label": say(p.label),
            "message": say(p.message),
            "kind": str(p.kind),
            "edit": p.edit,
            "ref": p.ref,
            "column": p.column,
            "anchor": p.anchor,
        }
        for p in problems
    ]


class KkkApplicationDetailView(APIView):
    """GET: one application, with its ETag. PATCH: the office changes a draft — the fields sent
    over the ones it has, parsed by the edit page's form and saved by `application_update`; it
    needs ``If-Match`` with the ETag (none: 428; changed meanwhile: 412). A registered
    application is not changed (400, the page's words)."""

    serializer_class = ApplicationDetailSerializer

    @extend_schema(responses=ApplicationDetailSerializer)
    def get(self, request, cluster_slug, application_id):
        _, _, application = access_application(request.user, cluster_slug, application_id)
        response = Response(ApplicationDetailSerializer(application).data)
        response["ETag"] = _etag(application)
        return response

    @extend_schema(request=ApplicationEditSerializer, responses=ApplicationDetailSerializer)
    def patch(self, request, cluster_slug, application_id):
        _, _, application = access_application(
            request.user, cluster_slug, application_id, for_write=True
        )
        expected = request.headers.get("If-Match", "").strip()
        if not expected:
            return Response(
                {
                    "detail": gettext(
                        "Send the If-Match header with the ETag of the application as you read "
                        "it (GET); the change was not saved."
                    )
                },
                status=status.HTTP_428_PRECONDITION_REQUIRED,
            )
        if not application.is_draft:
            raise _refusal(
                {
                    "__all__": [
                        gettext("A registered application cannot be changed; create a new one.")
                    ]
                }
            )
        sent = request.data if isinstance(request.data, Mapping) else {}
        merged = {**ApplicationForm.initial_for(application), **sent}
        data = {k: _form_value(v) for k, v in merged.items()}
        form = ApplicationForm({k: v for k, v in data.items() if v is not None})
        if not form.is_valid():
            raise _refusal(form.errors)
        try:
            application = services.application_update(
                application=application,
                user=request.user,
                data=form.service_data(),
                expected_version=expected,
            )
        except StaleEdit as exc:
            response = Response(
                {"detail": exc.messages[0]}, status=status.HTTP_412_PRECONDITION_FAILED
            )
            response["ETag"] = f'"{exc.current_version}"'
            return response
        except ValidationError as exc:
            raise _refusal(
                exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            ) from exc
        response = Response(ApplicationDetailSerializer(application).data)
        response["ETag"] = _etag(application)
        return response


class KkkApplicationCheckView(APIView):
    """ "Sprawdź wniosek" (KKK-2): every problem of the application as it stands, each naming its
    field — the check page's list."""

    serializer_class = ApplicationCheckSerializer

    @extend_schema(responses=ApplicationCheckSerializer)
    def get(self, request, cluster_slug, application_id):
        _, _, application = access_application(request.user, cluster_slug, application_id)
        _content, problems = selectors.application_check(application)
        return Response({"ok": not problems, "problems": _problems(problems)})


class KkkApplicationRegisterView(APIView):
    """KKK-3: the office registers a checked draft (numbered, frozen, with its checksum); refused
    (400) with the service's words while "Sprawdź wniosek" finds problems."""

    serializer_class = ApplicationDetailSerializer

    @extend_schema(request=None, responses=ApplicationDetailSerializer)
    def post(self, request, cluster_slug, application_id):
        _, _, application = access_application(
            request.user, cluster_slug, application_id, for_write=True
        )
        try:
            application = services.application_register(application=application, user=request.user)
        except ValidationError as exc:
            raise _refusal(
                exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            ) from exc
        return Response(ApplicationDetailSerializer(application).data)


EXPORT_FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "xlsx": (exports.XLSX, "xlsx"),
    "letter": ("application/pdf", "pismo.pdf"),
}


class KkkApplicationExportView(APIView):
    """The application's exports, as the detail page's links: ``pdf`` (the form), ``xlsx`` (its
    tables) and ``letter`` (004 B.16, the letter confirming registration: registered
    applications only, else 404)."""

    serializer_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "fmt", str, OpenApiParameter.PATH, enum=sorted(EXPORT_FORMATS), description="Format"
            )
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, cluster_slug, application_id, fmt):
        _, _, application = access_application(request.user, cluster_slug, application_id)
        if fmt not in EXPORT_FORMATS:
            raise Http404
        content_type, suffix = EXPORT_FORMATS[fmt]
        if fmt == "letter":
            if application.is_draft:
                raise Http404
            data = exports.letter_pdf(application)
        elif fmt == "pdf":
            data = exports.application_pdf(application, selectors.application_content(application))
        else:
            data = exports.application_xlsx(application, selectors.application_content(application))
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{exports.file_name(application, suffix)}"'
        )
        return response
