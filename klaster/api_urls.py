from django.urls import include, path

from klaster.core.api import (
    ClusterViewSet,
    StatuteVersionListView,
    StrategyDetailView,
    StrategyListView,
)
from klaster.members.api import MembershipEventListView, MemberViewSet
from klaster.members.api_roles import RoleDetailView, RoleListView

urlpatterns = [
    path("clusters/", ClusterViewSet.as_view({"get": "list"}), name="api_cluster_list"),
    path(
        "clusters/<slug:slug>/",
        ClusterViewSet.as_view({"get": "retrieve"}),
        name="api_cluster_detail",
    ),
    path(
        "clusters/<slug:cluster_slug>/members/",
        MemberViewSet.as_view({"get": "list"}),
        name="api_member_list",
    ),
    path(
        "clusters/<slug:cluster_slug>/members/<int:pk>/",
        MemberViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api_member_detail",
    ),
    path(
        "clusters/<slug:cluster_slug>/members/<int:pk>/events/",
        MembershipEventListView.as_view(),
        name="api_member_events",
    ),
    path(
        "clusters/<slug:cluster_slug>/statute-versions/",
        StatuteVersionListView.as_view(),
        name="api_statute_versions",
    ),
    path(
        "clusters/<slug:cluster_slug>/strategies/",
        StrategyListView.as_view(),
        name="api_strategy_list",
    ),
    path(
        "clusters/<slug:cluster_slug>/strategies/<int:strategy_id>/",
        StrategyDetailView.as_view(),
        name="api_strategy_detail",
    ),
    path("clusters/<slug:cluster_slug>/roles/", RoleListView.as_view(), name="api_role_list"),
    path(
        "clusters/<slug:cluster_slug>/roles/<int:role_id>/",
        RoleDetailView.as_view(),
        name="api_role_detail",
    ),
    path("clusters/<slug:cluster_slug>/groups/", include("klaster.groups.api_urls")),
    path("clusters/<slug:cluster_slug>/kkk/", include("klaster.kkk.api_urls")),
    path("clusters/<slug:cluster_slug>/", include("klaster.members.api_urls")),
]
