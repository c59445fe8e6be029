from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.core import services
from klaster.core.access import access_cluster, clusters_for
from klaster.core.models import AuditLog, Cluster, StatuteProfileVersion


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
