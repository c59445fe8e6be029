"""The KKK API (issue 9 point 6): the activity records behind sections 9–34 and the applications,
for the office, parsed by the pages' forms and written by the same services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import model_to_dict
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.core.api_forms import errors_refusal as _refusal
from klaster.core.concurrency import StaleEdit, version_of
from klaster.kkk import selectors, services
from klaster.kkk.access import access_activity_record, access_kkk_office, access_record_kind
from klaster.kkk.forms import ApplicationCreateForm, record_form_class
from klaster.kkk.models import Application
from klaster.kkk.records import RECORD_KINDS, RecordKind


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    return value


def _record_row(record: models.Model, spec: RecordKind) -> dict[str, Any]:
    row: dict[str, Any] = {"id": record.pk}
    for name in spec.fields:
        if name in spec.member_fields:
            row[name] = sorted(m.pk for m in getattr(record, name).all())
        elif name in spec.member_fks:
            row[name] = getattr(record, f"{name}_id")
        else:
            row[name] = _plain(getattr(record, name))
    return row


class RecordSerializer(serializers.Serializer):
    """A record: ``id`` and the fields of its kind (members by id); POST takes the same fields."""

    id = serializers.IntegerField(read_only=True)


KIND = OpenApiParameter(
    "kind", str, OpenApiParameter.PATH, enum=sorted(RECORD_KINDS), description="Record kind"
)


class KkkRecordListView(APIView):
    """GET: the office's records of one kind, in dataset order. POST: add one (the record form's
    fields; members by id), as the page's "add" form."""

    serializer_class = RecordSerializer

    @extend_schema(parameters=[KIND], responses=RecordSerializer(many=True))
    def get(self, request, cluster_slug, kind):
        cluster, _, spec = access_record_kind(request.user, cluster_slug, kind)
        rows = spec.queryset(cluster).select_related(*spec.member_fks)
        if spec.member_fields:
            rows = rows.prefetch_related(*spec.member_fields)
        return Response([_record_row(r, spec) for r in rows])

    @extend_schema(parameters=[KIND], request=RecordSerializer, responses={201: RecordSerializer})
    def post(self, request, cluster_slug, kind):
        cluster, _, spec = access_record_kind(request.user, cluster_slug, kind)
        data = request.data if isinstance(request.data, Mapping) else {}
        form = record_form_class(spec, cluster)(data)
        if not form.is_valid():
            raise _refusal(form.errors)
        try:
            record = services.activity_record_create(
                cluster=cluster, kind=kind, user=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            raise _refusal(
                exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            ) from exc
        return Response(_record_row(record, spec), status=status.HTTP_201_CREATED)


class ApplicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Application
        fields = ["id", "edition", "mode", "as_of", "status", "year", "seq", "number"]
        read_only_fields = fields


class ApplicationCreateSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    mode = serializers.ChoiceField(choices=Application.Mode.choices)
    edition = serializers.CharField()


class KkkApplicationListView(APIView):
    """GET: the cluster's KKK applications. POST: the office starts a draft (the page's form)."""

    serializer_class = ApplicationSerializer

    @extend_schema(responses=ApplicationSerializer(many=True))
    def get(self, request, cluster_slug):
        cluster, _ = access_kkk_office(request.user, cluster_slug)
        return Response(ApplicationSerializer(selectors.applications_of(cluster), many=True).data)

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationSerializer})
    def post(self, request, cluster_slug):
        cluster, _ = access_kkk_office(request.user, cluster_slug)
        form = ApplicationCreateForm(request.data if isinstance(request.data, Mapping) else {})
        if not form.is_valid():
            raise _refusal(form.errors)
        try:
            application = services.application_create(
                cluster=cluster, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            raise _refusal(
                exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            ) from exc
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


def _record_etag(record: models.Model, kind: str) -> str:
    return f'"{version_of(services.activity_record_tracked(record, kind))}"'


class KkkRecordDetailView(APIView):
    """One record. GET answers its ETag; PATCH changes the fields sent and needs ``If-Match`` with
    that ETag (no header: 428; changed by someone else since: 412 with who changed what, as the
    page's edit form says it); DELETE removes it, as the page's "remove" button."""

    serializer_class = RecordSerializer

    @extend_schema(parameters=[KIND], responses=RecordSerializer)
    def get(self, request, cluster_slug, kind, record_id):
        _, _, spec, record = access_activity_record(request.user, cluster_slug, kind, record_id)
        response = Response(_record_row(record, spec))
        response["ETag"] = _record_etag(record, kind)
        return response

    @extend_schema(parameters=[KIND], request=RecordSerializer, responses=RecordSerializer)
    def patch(self, request, cluster_slug, kind, record_id):
        cluster, _, spec, record = access_activity_record(
            request.user, cluster_slug, kind, record_id, for_write=True
        )
        expected = request.headers.get("If-Match", "").strip().strip('"')
        if not expected:
            return Response(
                {
                    "detail": gettext(
                        "Send the If-Match header with the ETag of the record as you read it "
                        "(GET); the change was not saved."
                    )
                },
                status=status.HTTP_428_PRECONDITION_REQUIRED,
            )
        sent = request.data if isinstance(request.data, Mapping) else {}
        form_class = record_form_class(spec, cluster)
        initial = model_to_dict(record, fields=list(form_class.base_fields))
        current = {
            k: ([getattr(m, "pk", m) for m in v] if isinstance(v, list) else _plain(v))
            for k, v in initial.items()
            if v is not None
        }
        form = form_class({**current, **sent}, instance=record, initial=current)
        if not form.is_valid():
            raise _refusal(form.errors)
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            record = services.activity_record_update(
                record=record, kind=kind, user=request.user, data=data, expected_version=expected
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
        response = Response(_record_row(record, spec))
        response["ETag"] = _record_etag(record, kind)
        return response

    @extend_schema(parameters=[KIND], responses={204: None})
    def delete(self, request, cluster_slug, kind, record_id):
        _, _, _, record = access_activity_record(
            request.user, cluster_slug, kind, record_id, for_write=True
        )
        services.activity_record_remove(record=record, kind=kind, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
