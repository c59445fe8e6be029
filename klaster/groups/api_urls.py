"""API under /api/clusters/<cluster_slug>/groups/ (included from klaster.api_urls)."""

from django.urls import path

from klaster.groups import api_writes as w
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
    path("new/", w.GroupCreateView.as_view(), name="api_group_create"),
    path("areas/", w.GroupAreasEnsureView.as_view(), name="api_group_areas_ensure"),
    path("<int:group_pk>/withdraw/", w.GroupWithdrawView.as_view(), name="api_group_withdraw"),
    path("<int:group_pk>/start/", w.GroupStartView.as_view(), name="api_group_start"),
    path("<int:group_pk>/payments/", w.GroupPaymentView.as_view(), name="api_group_payments"),
    path("<int:group_pk>/meetings/", w.GroupMeetingView.as_view(), name="api_group_meetings"),
    path("<int:group_pk>/materials/", w.GroupMaterialAddView.as_view(), name="api_group_materials"),
    path(
        "<int:group_pk>/contacts/add/",
        w.GroupContactAddView.as_view(),
        name="api_group_contact_add",
    ),
    path(
        "<int:group_pk>/notify/", w.SpecialFormNotifyView.as_view(), name="api_special_form_notify"
    ),
    path(
        "<int:group_pk>/opinion/",
        w.SpecialFormOpinionView.as_view(),
        name="api_special_form_opinion",
    ),
    path("materials/<int:material_id>/", w.GroupMaterialView.as_view(), name="api_group_material"),
    path(
        "materials/<int:material_id>/file/",
        w.GroupMaterialFileView.as_view(),
        name="api_group_material_file",
    ),
    path(
        "contacts/<int:contact_id>/",
        w.GroupContactRemoveView.as_view(),
        name="api_group_contact_remove",
    ),
]
