"""API under /api/clusters/<cluster_slug>/kkk/ (included from klaster.api_urls)."""

from django.urls import path

from klaster.kkk import api_scores
from klaster.kkk.api import KkkApplicationListView, KkkRecordDetailView, KkkRecordListView
from klaster.kkk.api_application import (
    KkkApplicationCheckView,
    KkkApplicationDetailView,
    KkkApplicationExportView,
    KkkApplicationRegisterView,
)

urlpatterns = [
    path("applications/", KkkApplicationListView.as_view(), name="api_kkk_applications"),
    path(
        "applications/<int:application_id>/",
        KkkApplicationDetailView.as_view(),
        name="api_kkk_application_detail",
    ),
    path(
        "applications/<int:application_id>/check/",
        KkkApplicationCheckView.as_view(),
        name="api_kkk_application_check",
    ),
    path(
        "applications/<int:application_id>/register/",
        KkkApplicationRegisterView.as_view(),
        name="api_kkk_application_register",
    ),
    path(
        "applications/<int:application_id>/export/<str:fmt>/",
        KkkApplicationExportView.as_view(),
        name="api_kkk_application_export",
    ),
    path("records/<str:kind>/", KkkRecordListView.as_view(), name="api_kkk_records"),
    path(
        "records/<str:kind>/<int:record_id>/",
        KkkRecordDetailView.as_view(),
        name="api_kkk_record_detail",
    ),
    path(
        "applications/<int:application_id>/attachments/",
        api_scores.AttachmentListView.as_view(),
        name="api_kkk_attachments",
    ),
    path(
        "attachments/<int:attachment_id>/",
        api_scores.AttachmentDetailView.as_view(),
        name="api_kkk_attachment",
    ),
    path("coordinator/", api_scores.CoordinatorFactsView.as_view(), name="api_kkk_coordinator"),
    path("experts/", api_scores.ExpertScoresView.as_view(), name="api_kkk_experts"),
    path("panel/", api_scores.PanelScoresView.as_view(), name="api_kkk_panel"),
]
