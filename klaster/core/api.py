from __future__ import annotations

from rest_framework import serializers, viewsets
from rest_framework.response import Response

from klaster.core.access import access_cluster, clusters_for
from klaster.core.models import Cluster


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
