"""API under /api/clusters/<cluster_slug>/groups/ (included from klaster.api_urls)."""

from django.urls import path

from klaster.groups.api import ContactViewSet, DeclarationViewSet, GroupViewSet

urlpatterns = [
    path("", GroupViewSet.as_view({"get": "list"}), name="api_group_list"),
    path("<int:pk>/", GroupViewSet.as_view({"get": "retrieve"}), name="api_group_detail"),
    path(
        "<int:group_pk>/declarations/",
        DeclarationViewSet.as_view({"get": "list", "post": "create"}),
        name="api_group_declarations",
    ),
    path(
        "<int:group_pk>/contacts/",
        ContactViewSet.as_view({"get": "list"}),
        name="api_group_contacts",
    ),
]
