from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views import View
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.core import services
from klaster.core.access import access_cluster, access_strategy, clusters_for
from klaster.core.api_forms import errors_refusal as _form_refusal
from klaster.core.api_forms import service_refusal as _service_refusal
from klaster.core.concurrency import StaleEdit, edit_version
from klaster.core.forms import StrategyForm
from klaster.core.models import AuditLog, Cluster, StatuteProfileVersion, Strategy


class ClusterSerializer(serializers.ModelSerializer):
    coordinator = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = Cluster
        fields = [
            "slug",
            "name",
            "website",
            "specialisation_classification",
            "specialisation_codes",
            "specialisation_description",
            "agreement_date",
            "actual_start_year",
            "eccp_registered",
            "mode",
            "coordinator",
        ]


class ClusterViewSet(viewsets.ViewSet):
    """Clusters the caller has a role in."""

    serializer_class = ClusterSerializer
    lookup_field = "slug"

    def list(self, request):
        qs = clusters_for(request.user).select_related("coordinator")
        return Response(ClusterSerializer(qs, many=True).data)

    def retrieve(self, request, slug=None):
        cluster, _ = access_cluster(request.user, slug)
        return Response(ClusterSerializer(cluster).data)


class StatuteVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatuteProfileVersion
        fields = ["id", "valid_from", "revision", "preset", "data", "note", "created_at"]
        read_only_fields = fields


class StatuteVersionSaveSerializer(serializers.Serializer):
    valid_from = serializers.DateField()
    preset = serializers.CharField(
        required=False, help_text="A preset's name; or send `data` (the numbers)."
    )
    data = serializers.DictField(required=False, help_text="The numbers, as GET returns them.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    correction = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Store as the day's next revision when a meeting already used the version.",
    )


def _statute_etag(cluster: Cluster) -> str:
    """What the page's hidden ``seen`` field holds: the latest audit row of the versions."""
    latest = (
        AuditLog.objects.filter(cluster=cluster, model=StatuteProfileVersion._meta.label)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return f'"statute-{latest or 0}"'


class StatuteVersionListView(APIView):
    """Statute profile versions. GET: the office and organ members (as the page). POST: the office
    saves a dated version with ``If-Match`` set to the ETag of the GET (a save from a stale read is
    refused, 412, as the page refuses it); the service (`statute_profile_set`) decides the rest."""

    serializer_class = StatuteVersionSerializer

    def _access(self, request, cluster_slug: str, *, write: bool):
        cluster, grants = access_cluster(request.user, cluster_slug)
        if not (grants.office or grants.organ_member) or (write and not grants.office):
            raise PermissionDenied
        return cluster

    @extend_schema(responses=StatuteVersionSerializer(many=True))
    def get(self, request, cluster_slug):
        cluster = self._access(request, cluster_slug, write=False)
        versions = StatuteProfileVersion.objects.filter(cluster=cluster).order_by(
            "-valid_from", "-revision"
        )
        response = Response(StatuteVersionSerializer(versions, many=True).data)
        response["ETag"] = _statute_etag(cluster)
        return response

    @extend_schema(request=StatuteVersionSaveSerializer, responses={201: StatuteVersionSerializer})
    def post(self, request, cluster_slug):
        cluster = self._access(request, cluster_slug, write=True)
        expected = request.headers.get("If-Match", "").strip()
        if not expected:
            return Response(
                {
                    "detail": gettext(
                        "Send the If-Match header with the ETag of the versions as you read them "
                        "(GET); nothing was saved."
                    )
                },
                status=status.HTTP_428_PRECONDITION_REQUIRED,
            )
        serializer = StatuteVersionSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        with transaction.atomic():
            current = _statute_etag(cluster)
            if expected != current:
                response = Response(
                    {
                        "detail": gettext(
                            "The statute profile was changed by someone else since this page was "
                            "opened. Read the current versions below and enter the numbers again."
                        )
                    },
                    status=status.HTTP_412_PRECONDITION_FAILED,
                )
                response["ETag"] = current
                return response
            try:
                version = services.statute_profile_set(
                    cluster=cluster,
                    user=request.user,
                    valid_from=d["valid_from"],
                    preset=d.get("preset") or None,
                    data=d.get("data"),
                    note=d["note"],
                    correction=d["correction"],
                )
            except ValidationError as exc:
                raise ApiValidationError(
                    exc.message_dict
                    if hasattr(exc, "error_dict")
                    else {"non_field_errors": exc.messages}
                ) from exc
        response = Response(StatuteVersionSerializer(version).data, status=status.HTTP_201_CREATED)
        response["ETag"] = _statute_etag(cluster)
        return response


class RedocView(SpectacularRedocView):
    """The API reference in Redoc, from drf-spectacular-sidecar's bundle (our own static files,
    no CDN). Redoc styles itself with <style> elements it writes at run time and searches in a
    worker it starts from a blob: this page alone lets the browser allow those two, nothing else
    (no inline script: the page's one script is the sidecar's file)."""

    @staticmethod
    def _redoc_standalone():
        return reverse("api_redoc_bundle")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # read by django-csp's middleware, as its `csp_update` decorator sets it
        response._csp_update = {
            "style-src": ["'unsafe-inline'"],
            "worker-src": ["'self'", "blob:"],
        }
        return response


#: The one outside address in the sidecar's Redoc bundle: the "API docs by Redocly" logo, which
#: Redoc loads from its CDN whatever the options. Served without it, the logo's <img> has no
#: source and Redoc hides it (its onError), so the page asks nothing of another host.
_REDOC_CDN_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"


@lru_cache(maxsize=1)
def _redoc_bundle() -> bytes:
    path = finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
    if path is None:
        raise Http404
    with open(path, "rb") as bundle:
        return bundle.read().replace(_REDOC_CDN_LOGO, b"")


class RedocBundleView(View):
    """The sidecar's Redoc bundle, its CDN logo address removed (`_REDOC_CDN_LOGO`)."""

    def get(self, request):
        response = HttpResponse(_redoc_bundle(), content_type="text/javascript; charset=utf-8")
        response["Cache-Control"] = "public, max-age=86400"
        return response


# --- development strategies (MEM-1, KKK section 6): the cluster settings page's list ---


class StrategySerializer(serializers.ModelSerializer):
    class Meta:
        model = Strategy
        fields = ["id", "position", "name", "adopted", "valid_from", "valid_to"]
        read_only_fields = ["id", "position"]


def _strategy_etag(strategy: Strategy) -> str:
    """The version the edit page's hidden field holds."""
    return f'"{edit_version(strategy, services.STRATEGY_FIELDS)}"'


class StrategyListView(APIView):
    """GET: the cluster's development strategies; POST: add one — the office, as on the cluster's
    settings page (`StrategyForm`, `strategy_add`)."""

    serializer_class = StrategySerializer

    @extend_schema(responses=StrategySerializer(many=True))
    def get(self, request, cluster_slug):
        cluster, _ = access_cluster(request.user, cluster_slug, for_write=True)
        rows = Strategy.objects.filter(cluster=cluster).order_by("position", "id")
        return Response(StrategySerializer(rows, many=True).data)

    @extend_schema(request=StrategySerializer, responses={201: StrategySerializer})
    def post(self, request, cluster_slug):
        cluster, _ = access_cluster(request.user, cluster_slug, for_write=True)
        form = StrategyForm(request.data if isinstance(request.data, Mapping) else {})
        if not form.is_valid():
            raise _form_refusal(form.errors)
        try:
            strategy = services.strategy_add(
                cluster=cluster, user=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            raise _service_refusal(exc) from exc
        return Response(StrategySerializer(strategy).data, status=status.HTTP_201_CREATED)


class StrategyDetailView(APIView):
    """One strategy (the office, as its edit page). GET answers its ETag; PATCH changes the fields
    sent and needs ``If-Match`` with that ETag (none: 428; changed meanwhile: 412); DELETE removes
    it, as the page's button."""

    serializer_class = StrategySerializer

    @extend_schema(responses=StrategySerializer)
    def get(self, request, cluster_slug, strategy_id):
        _, _, strategy = access_strategy(request.user, cluster_slug, strategy_id, for_write=True)
        response = Response(StrategySerializer(strategy).data)
        response["ETag"] = _strategy_etag(strategy)
        return response

    @extend_schema(request=StrategySerializer, responses=StrategySerializer)
    def patch(self, request, cluster_slug, strategy_id):
        _, _, strategy = access_strategy(request.user, cluster_slug, strategy_id, for_write=True)
        expected = request.headers.get("If-Match", "").strip()
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
        current = {k: getattr(strategy, k) for k in services.STRATEGY_FIELDS}
        sent = request.data if isinstance(request.data, Mapping) else {}
        merged = {k: v for k, v in {**current, **sent}.items() if v is not None}
        form = StrategyForm(merged)
        if not form.is_valid():
            raise _form_refusal(form.errors)
        try:
            strategy = services.strategy_update(
                strategy=strategy,
                user=request.user,
                data=dict(form.cleaned_data),
                expected_version=expected,
            )
        except StaleEdit as exc:
            response = Response(
                {"detail": exc.messages[0]}, status=status.HTTP_412_PRECONDITION_FAILED
            )
            response["ETag"] = f'"{exc.current_version}"'
            return response
        except ValidationError as exc:
            raise _service_refusal(exc) from exc
        response = Response(StrategySerializer(strategy).data)
        response["ETag"] = _strategy_etag(strategy)
        return response

    @extend_schema(responses={204: None})
    def delete(self, request, cluster_slug, strategy_id):
        _, _, strategy = access_strategy(request.user, cluster_slug, strategy_id, for_write=True)
        services.strategy_remove(strategy=strategy, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
