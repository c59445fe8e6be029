"""KKK pages, under /c/<slug>/kkk/ (included from klaster/urls.py)."""

from django.urls import path

from klaster.kkk import views

urlpatterns = [
    path("", views.kkk_dashboard_view, name="kkk_dashboard"),
    path("applications/", views.kkk_application_list_view, name="kkk_application_list"),
    path("applications/new/", views.kkk_application_create_view, name="kkk_application_create"),
    path(
        "applications/<int:application_id>/",
        views.kkk_application_detail_view,
        name="kkk_application_detail",
    ),
    path(
        "applications/<int:application_id>/edit/",
        views.kkk_application_edit_view,
        name="kkk_application_edit",
    ),
    path(
        "applications/<int:application_id>/check/",
        views.kkk_application_check_view,
        name="kkk_application_check",
    ),
    path(
        "applications/<int:application_id>/register/",
        views.kkk_application_register_view,
        name="kkk_application_register",
    ),
    path(
        "applications/<int:application_id>/pdf/",
        views.kkk_application_pdf_view,
        name="kkk_application_pdf",
    ),
    path(
        "applications/<int:application_id>/xlsx/",
        views.kkk_application_xlsx_view,
        name="kkk_application_xlsx",
    ),
    path(
        "applications/<int:application_id>/letter/",
        views.kkk_application_letter_view,
        name="kkk_application_letter",
    ),
    path(
        "applications/<int:application_id>/attachments/",
        views.kkk_attachment_add_view,
        name="kkk_attachment_add",
    ),
    path(
        "attachments/<int:attachment_id>/",
        views.kkk_attachment_download_view,
        name="kkk_attachment_download",
    ),
    path(
        "attachments/<int:attachment_id>/remove/",
        views.kkk_attachment_remove_view,
        name="kkk_attachment_remove",
    ),
    path("records/", views.kkk_record_index_view, name="kkk_record_index"),
    path("records/<str:kind>/", views.kkk_record_list_view, name="kkk_record_list"),
    path("records/<str:kind>/add/", views.kkk_record_add_view, name="kkk_record_add"),
    path("records/<str:kind>/<int:record_id>/", views.kkk_record_edit_view, name="kkk_record_edit"),
    path(
        "records/<str:kind>/<int:record_id>/remove/",
        views.kkk_record_remove_view,
        name="kkk_record_remove",
    ),
    path("coordinator/", views.kkk_coordinator_view, name="kkk_coordinator"),
    path("experts/", views.kkk_experts_view, name="kkk_experts"),
    path("panel/", views.kkk_panel_view, name="kkk_panel"),
]
