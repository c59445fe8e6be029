"""The KKK pages' remaining writes by the API (issue 9 point 6): an application's attachments (add,
download, remove — 004 "Załączniki"), the coordinator's facts (indicators 9, 11, stage I
criterion 10), the experts' scores (KKK-S2-EXP) and the panel's (KKK-S3).

The office only, as the pages (`klaster.kkk.access`); the pages' forms parse the calls and their
services decide — the same refusals, by field (`klaster.core.api_forms`). Scores and facts are
versioned: GET answers an ETag, a write names it in ``If-Match`` (none: 428, stale: 412)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.core.api_forms import (
    form_data,
    form_refusal,
    form_write,
    if_match,
    precondition_required,
    service_refusal,
    stale,
)
from klaster.core.concurrency import StaleEdit, edit_version, version_of
from klaster.kkk import forms, services
from klaster.kkk.access import access_application, access_attachment, access_kkk_office
from klaster.kkk.models import ApplicationAttachment, ExpertScore, PanelScore

# --- attachments (004 "Załączniki": PDFs, bounded as on the page) ---


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationAttachment
        fields = ["id", "application", "kind", "name", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class AttachmentUploadSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="The attachment's number in the call (1, 2, …).")
    file = serializers.FileField(help_text="A PDF, within the page's size limit.")


class AttachmentListView(APIView):
    """GET: a draft's attachments. POST (multipart): add one (`AttachmentForm`,
    `application_attachment_add`: a PDF by its bytes; a registered application refuses)."""

    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=AttachmentSerializer(many=True))
    def get(self, request, cluster_slug, application_id):
        _, _, application = access_application(request.user, cluster_slug, application_id)
        rows = application.attachments.order_by("kind", "id")
        return Response(AttachmentSerializer(rows, many=True).data)

    @extend_schema(request=AttachmentUploadSerializer, responses={201: AttachmentSerializer})
    def post(self, request, cluster_slug, application_id):
        _, _, application = access_application(
            request.user, cluster_slug, application_id, for_write=True
        )
        attachment = form_write(
            forms.AttachmentForm(form_data(request.data), request.FILES),
            lambda d: services.application_attachment_add(
                application=application, user=request.user, kind=d["kind"], upload=d["file"]
            ),
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDetailView(APIView):
    """GET: the attachment's PDF. DELETE: unlink it from the draft (a registered application
    refuses, 400 with the service's words)."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, cluster_slug, attachment_id):
        _, _, attachment = access_attachment(request.user, cluster_slug, attachment_id)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        return FileResponse(
            handle, as_attachment=True, filename=attachment.name, content_type="application/pdf"
        )

    @extend_schema(responses={204: None})
    def delete(self, request, cluster_slug, attachment_id):
        _, _, attachment = access_attachment(
            request.user, cluster_slug, attachment_id, for_write=True
        )
        try:
            services.application_attachment_remove(attachment=attachment, user=request.user)
        except ValidationError as exc:
            raise service_refusal(exc) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- the coordinator's facts (indicators 9, 11; stage I criterion 10) ---


class CoordinatorFactsSerializer(serializers.Serializer):
    coordinator_experience_years = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True
    )
    platform_communication = serializers.BooleanField(required=False)
    platform_purchasing = serializers.BooleanField(required=False)
    platform_sales = serializers.BooleanField(required=False)
    dues_revenue = serializers.BooleanField(required=False)


def _coordinator(cluster) -> Response:
    data = {name: getattr(cluster, name) for name in services.COORDINATOR_FIELDS}
    response = Response(CoordinatorFactsSerializer(data).data)
    response["ETag"] = f'"{edit_version(cluster, services.COORDINATOR_FIELDS)}"'
    return response


class CoordinatorFactsView(APIView):
    """GET: the facts with their ETag. PATCH (``If-Match``): change those sent
    (`CoordinatorForm`, `coordinator_facts_update`)."""

    serializer_class = CoordinatorFactsSerializer

    @extend_schema(responses=CoordinatorFactsSerializer)
    def get(self, request, cluster_slug):
        cluster, _ = access_kkk_office(request.user, cluster_slug)
        return _coordinator(cluster)

    @extend_schema(request=CoordinatorFactsSerializer, responses=CoordinatorFactsSerializer)
    def patch(self, request, cluster_slug):
        cluster, _ = access_kkk_office(request.user, cluster_slug)
        expected = if_match(request)
        if not expected:
            return precondition_required()
        raw = request.data if isinstance(request.data, Mapping) else {}
        unknown = sorted(set(raw) - set(services.COORDINATOR_FIELDS))
        if unknown:
            raise ApiValidationError({k: [_not_a_field()] for k in unknown})
        current = {name: getattr(cluster, name) for name in services.COORDINATOR_FIELDS}
        form = forms.CoordinatorForm(form_data({**current, **raw}))
        if not form.is_valid():
            raise form_refusal(form)
        try:
            cluster = services.coordinator_facts_update(
                cluster=cluster,
                user=request.user,
                data=dict(form.cleaned_data),
                expected_version=expected,
            )
        except StaleEdit as exc:
            return stale(exc)
        except ValidationError as exc:
            raise service_refusal(exc) from exc
        return _coordinator(cluster)


def _not_a_field() -> str:
    return gettext("This field cannot be changed on this page.")


# --- the experts' scores (KKK-S2-EXP) ---


class IndicatorSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    max = serializers.IntegerField()
    points = serializers.IntegerField(help_text="The product's proposal.")


class ExpertSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    scores = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        help_text='Points by indicator number, e.g. {"9": 2, "16": 4}; absent: not scored.',
    )


class ExpertScoresSerializer(serializers.Serializer):
    experts = serializers.ListField(
        child=ExpertSerializer(),
        max_length=2,
        help_text="At most two. A refusal names the score as the page's form does: "
        "e<expert>_<indicator>.",
    )
    indicators = IndicatorSerializer(many=True, read_only=True)


AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="Evaluation date (default: the counting application's)"
)


class ExpertScoresView(APIView):
    """GET: the experts' scores beside the product's proposal, with their ETag. PUT (``If-Match``):
    replace them (`ExpertScoresForm`, `expert_scores_set`)."""

    serializer_class = ExpertScoresSerializer

    def _read(self, cluster, indicators, points) -> Response:
        experts = [
            {"name": e.name, "scores": {str(k): int(v) for k, v in e.scores}}
            for e in ExpertScore.objects.filter(cluster=cluster).order_by("position", "id")[:2]
        ]
        body = {
            "experts": experts,
            "indicators": [
                {"number": n, "title": t, "max": m, "points": points[n]} for n, t, m in indicators
            ],
        }
        response = Response(ExpertScoresSerializer(body).data)
        response["ETag"] = f'"{version_of(services.expert_scores_tracked(cluster))}"'
        return response

    @extend_schema(parameters=[AS_OF], responses=ExpertScoresSerializer)
    def get(self, request, cluster_slug):
        cluster, _ = access_kkk_office(request.user, cluster_slug)
        ev, _counting, indicators = forms.expert_indicators(cluster, request.query_params)
        return self._read(cluster, indicators, {i.number: i.points for i in ev.stage2.indicators})

    @extend_schema(
        parameters=[AS_OF], request=ExpertScoresSerializer, responses=ExpertScoresSerializer
    )
    def put(self, request, cluster_slug):
        cluster, _ = access_kkk_office(request.user, cluster_slug)
        expected = if_match(request)
        if not expected:
            return precondition_required()
        serializer = ExpertScoresSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ev, _counting, indicators = forms.expert_indicators(cluster, request.query_params)
        # the page's form, with the fields the page names e<n>_name and e<n>_<indicator>
        flat: dict[str, Any] = {}
        for n, expert in enumerate(serializer.validated_data["experts"], start=1):
            flat[f"e{n}_name"] = expert["name"]
            for number, points in expert["scores"].items():
                if points is not None:
                    flat[f"e{n}_{number}"] = points
        form = forms.ExpertScoresForm(flat, indicators=indicators)
        if not form.is_valid():
            raise form_refusal(form)
        try:
            services.expert_scores_set(
                cluster=cluster,
                user=request.user,
                experts=form.experts(),
                maxima={number: maximum for number, _t, maximum in indicators},
                expected_version=expected,
            )
        except StaleEdit as exc:
            return stale(exc)
        except ValidationError as exc:
            raise service_refusal(exc) from exc
        return self._read(cluster, indicators, {i.number: i.points for i in ev.stage2.indicators})


# --- the panel's scores (KKK-S3) ---


class PanelScoresSerializer(serializers.Serializer):
    successes_strategy = serializers.IntegerField(required=False, allow_null=True)
    knowledge_transfer = serializers.IntegerField(required=False, allow_null=True)
    public_policies = serializers.IntegerField(required=False, allow_null=True)
    pandemic = serializers.IntegerField(required=False, allow_null=True)


class PanelScoresView(APIView):
    """GET: the panel's scores with their ETag. PUT (``If-Match``): all four, or none to clear
    them (`PanelForm`, `panel_score_set`, with the edition's maxima)."""

    serializer_class = PanelScoresSerializer

    def _read(self, cluster) -> Response:
        panel = PanelScore.objects.filter(cluster=cluster).first()
        data = {k: getattr(panel, k) if panel else None for k in services.PANEL_FIELDS}
        response = Response(PanelScoresSerializer(data).data)
        response["ETag"] = f'"{version_of(services.panel_tracked(cluster, panel))}"'
        return response

    @extend_schema(responses=PanelScoresSerializer)
    def get(self, request, cluster_slug):
        cluster, _ = access_kkk_office(request.user, cluster_slug)
        return self._read(cluster)

    @extend_schema(
        parameters=[AS_OF], request=PanelScoresSerializer, responses=PanelScoresSerializer
    )
    def put(self, request, cluster_slug):
        cluster, _ = access_kkk_office(request.user, cluster_slug)
        expected = if_match(request)
        if not expected:
            return precondition_required()
        _as_of, _mode, edition, _counting = forms.scoring_basis(cluster, request.query_params)
        areas = forms.panel_areas(edition)
        form = forms.PanelForm(form_data(request.data), areas=areas)
        if not form.is_valid():
            raise form_refusal(form)
        try:
            services.panel_score_set(
                cluster=cluster,
                user=request.user,
                scores=form.scores(),
                maxima={k: m for k, _t, m in areas},
                expected_version=expected,
            )
        except StaleEdit as exc:
            return stale(exc)
        except ValidationError as exc:
            raise service_refusal(exc) from exc
        return self._read(cluster)
