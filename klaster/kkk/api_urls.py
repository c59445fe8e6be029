"""API under /api/clusters/<cluster_slug>/kkk/ (included from klaster.api_urls)."""

from django.urls import path

from klaster.kkk.api import KkkApplicationListView, KkkRecordDetailView, KkkRecordListView

urlpatterns = [
    path("applications/", KkkApplicationListView.as_view(), name="api_kkk_applications"),
    path("records/<str:kind>/", KkkRecordListView.as_view(), name="api_kkk_records"),
    path(
        "records/<str:kind>/<int:record_id>/",
        KkkRecordDetailView.as_view(),
        name="api_kkk_record_detail",
    ),
]
