"""The forum's benchmark in the REST API (FOR-1, issue 13 point 3): the same figures as the
page, its XLSX and its chart data — only what each cluster chose to share, anonymised unless it
agreed to be named — through the same access rule (`selectors.access_forum`)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.forum import selectors
from klaster.forum.views import SET, benchmark_payload


class BenchmarkFigureSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="The indicator's title in the reader's language.")
    key = serializers.CharField()
    cluster = serializers.CharField(help_text="The cluster's name, or its anonymous label.")
    value = serializers.CharField()
    own = serializers.BooleanField(help_text="The reader's own cluster.")
    median = serializers.CharField(allow_null=True)
    best = serializers.CharField(allow_null=True)


class BenchmarkSerializer(serializers.Serializer):
    forum = serializers.CharField()
    set = serializers.CharField(help_text="The indicator set and its edition, e.g. kkk-2021.")
    rows = BenchmarkFigureSerializer(many=True)
    areas = serializers.DictField(child=serializers.CharField())
    median_areas = serializers.DictField(child=serializers.CharField())


class ForumBenchmarkView(APIView):
    """GET: the forum's shared figures side by side, each with the median and the best."""

    serializer_class = BenchmarkSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "as", str, description="Which of the reader's clusters to compare (its slug)."
            )
        ],
        responses=BenchmarkSerializer,
    )
    def get(self, request, forum_slug):
        reader = selectors.access_forum(request.user, forum_slug, as_cluster=request.GET.get("as"))
        data = selectors.comparison(reader, SET)
        return Response(benchmark_payload(reader, data))
