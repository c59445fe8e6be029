"""The last governance pages' writes by the API (issue 9 point 6): an admission's data (the
admission page's "update" form, GOV-5) and a representative checking its member in online (the
member's meeting page, GOV-3/GOV-4). The pages' access helpers, forms and shared ``*_from_form``
functions; the same refusals by field (`klaster.core.api_forms`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.core.api_forms import (
    form_data,
    form_refusal,
    if_match,
    precondition_required,
    service_refusal,
    stale,
)
from klaster.core.concurrency import StaleEdit, version_of
from klaster.governance import forms
from klaster.governance.access import access_admission, access_ballot_page
from klaster.governance.models import Admission, Attendance
from klaster.governance.services.admissions import admission_tracked

ADMISSION_FIELDS = list(forms.AdmissionForm.base_fields)


class AdmissionDataSerializer(serializers.Serializer):
    """The admission page's form (`AdmissionForm`); a PATCH sends the fields that change."""

    declaration_signed_on = serializers.DateField(required=False, allow_null=True)
    rules_accepted_on = serializers.DateField(required=False, allow_null=True)
    monitoring_data_provided = serializers.BooleanField(required=False)
    presentation_sent_on = serializers.DateField(required=False, allow_null=True)
    entry_fee_due = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    recommenders = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Member ids."
    )


def _current(admission: Admission, cluster) -> dict[str, Any]:
    """The form's values as the page shows them (model instances as their ids)."""
    form = forms.AdmissionForm(instance=admission, cluster=cluster)
    out: dict[str, Any] = {}
    for name in ADMISSION_FIELDS:
        value = form[name].value()
        if isinstance(value, list | tuple):
            value = [v.pk if isinstance(v, Model) else v for v in value]
        out[name] = value
    return out


def _read(admission: Admission, cluster) -> Response:
    response = Response(AdmissionDataSerializer(_current(admission, cluster)).data)
    response["ETag"] = f'"{version_of(admission_tracked(admission))}"'
    return response


class AdmissionDataView(APIView):
    """GET: the admission's data as its page's form shows it, with the ETag (the office and organ
    members). PATCH (the office, ``If-Match``): change what is sent (`AdmissionForm`,
    `admission_update`: a decided candidate refuses)."""

    serializer_class = AdmissionDataSerializer

    @extend_schema(responses=AdmissionDataSerializer)
    def get(self, request, cluster_slug, admission_id):
        cluster, _, admission = access_admission(request.user, cluster_slug, admission_id)
        return _read(admission, cluster)

    @extend_schema(request=AdmissionDataSerializer, responses=AdmissionDataSerializer)
    def patch(self, request, cluster_slug, admission_id):
        cluster, _, admission = access_admission(
            request.user, cluster_slug, admission_id, for_write=True
        )
        expected = if_match(request)
        if not expected:
            return precondition_required()
        raw = request.data if isinstance(request.data, Mapping) else {}
        unknown = sorted(set(raw) - set(ADMISSION_FIELDS))
        if unknown:
            raise ApiValidationError(
                {k: [gettext("This field cannot be changed on this page.")] for k in unknown}
            )
        fresh = Admission.objects.get(pk=admission.pk)
        form = forms.AdmissionForm(
            form_data({**_current(fresh, cluster), **raw}), instance=fresh, cluster=cluster
        )
        if not form.is_valid():
            raise form_refusal(form)
        try:
            forms.admission_update_from_form(
                admission=admission, user=request.user, form=form, expected_version=expected
            )
        except StaleEdit as exc:
            return stale(exc)
        except ValidationError as exc:
            raise service_refusal(exc) from exc
        return _read(Admission.objects.get(pk=admission.pk), cluster)


class CheckInSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text="Member id: one the caller represents.")
    mode = serializers.CharField(required=False, help_text="online (default) or in_person")


class AttendanceSerializer(serializers.ModelSerializer):
    mode = serializers.CharField(read_only=True, help_text="online or in_person")

    class Meta:
        model = Attendance
        fields = ["id", "member", "person_name", "mode", "first_in"]
        read_only_fields = fields


class MeetingCheckInView(APIView):
    """POST: a representative checks its own member in (online by default), as on its meeting
    page (`access_ballot_page`; `attendance_check_in` decides)."""

    serializer_class = CheckInSerializer

    @extend_schema(request=CheckInSerializer, responses={201: AttendanceSerializer})
    def post(self, request, cluster_slug, meeting_id):
        cluster, grants, meeting = access_ballot_page(request.user, cluster_slug, meeting_id)
        try:
            attendance = forms.own_check_in_from_form(
                cluster=cluster,
                grants=grants,
                meeting=meeting,
                user=request.user,
                data=form_data(request.data),
            )
        except ValidationError as exc:
            raise service_refusal(exc) from exc
        return Response(AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)
