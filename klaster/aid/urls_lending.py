"""The lending queue's pages under /c/<slug>/aid/lending/ (AID-4, AID-5)."""

from django.urls import path

from klaster.aid import views_lending as views

urlpatterns = [
    path("", views.aid_lending_view, name="aid_lending"),
    path("equipment/new/", views.aid_equipment_new_view, name="aid_equipment_new"),
    path("equipment/<int:equipment_id>/", views.aid_equipment_view, name="aid_equipment"),
    path(
        "equipment/<int:equipment_id>/edit/",
        views.aid_equipment_edit_view,
        name="aid_equipment_edit",
    ),
    path("equipment/<int:equipment_id>/prices/", views.aid_price_new_view, name="aid_price_new"),
    path("applications/new/", views.aid_application_new_view, name="aid_application_new"),
    path(
        "applications/<int:application_id>/",
        views.aid_application_view,
        name="aid_application",
    ),
    path(
        "applications/<int:application_id>/documents/",
        views.aid_document_add_view,
        name="aid_document_add",
    ),
    path(
        "applications/<int:application_id>/documents/<int:document_id>/remove/",
        views.aid_document_remove_view,
        name="aid_document_remove",
    ),
    path(
        "applications/<int:application_id>/notify/",
        views.aid_application_notify_view,
        name="aid_application_notify",
    ),
    path(
        "applications/<int:application_id>/decide/",
        views.aid_application_decide_view,
        name="aid_application_decide",
    ),
    path(
        "applications/<int:application_id>/withdraw/",
        views.aid_application_withdraw_view,
        name="aid_application_withdraw",
    ),
    path("rankings/new/", views.aid_ranking_new_view, name="aid_ranking_new"),
    path("rankings/<int:ranking_id>/", views.aid_ranking_view, name="aid_ranking"),
    path(
        "rankings/<int:ranking_id>/scores/",
        views.aid_ranking_scores_view,
        name="aid_ranking_scores",
    ),
    path(
        "rankings/<int:ranking_id>/approve/",
        views.aid_ranking_approve_view,
        name="aid_ranking_approve",
    ),
    path("returns/<int:contract_id>/", views.aid_return_view, name="aid_return"),
]
