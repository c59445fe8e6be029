"""The document archive (PLT-3)."""

from django.urls import path

from klaster.documents import views

urlpatterns = [
    path("c/<slug:slug>/documents/", views.documents_view, name="documents"),
    path("c/<slug:slug>/documents/new/", views.document_new_view, name="document_new"),
    path("c/<slug:slug>/documents/<int:doc_id>/", views.document_view, name="document"),
    path(
        "c/<slug:slug>/documents/<int:doc_id>/edit/",
        views.document_edit_view,
        name="document_edit",
    ),
    path(
        "c/<slug:slug>/documents/<int:doc_id>/versions/new/",
        views.version_new_view,
        name="document_version_new",
    ),
    path(
        "c/<slug:slug>/documents/<int:doc_id>/versions/<int:version_id>/file/",
        views.version_download_view,
        name="document_version_download",
    ),
]
