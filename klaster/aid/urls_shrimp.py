"""SHRIMP reporting under /c/<slug>/aid/shrimp/ (AID-8)."""

from django.urls import path

from klaster.aid import views_duties
from klaster.aid import views_shrimp as views

urlpatterns = [
    path("settings/", views.aid_settings_view, name="aid_settings"),
    path("", views.aid_shrimp_view, name="aid_shrimp"),
    path("export.xlsx", views.aid_shrimp_export_view, name="aid_shrimp_export"),
    path("<int:grant_id>/", views.aid_shrimp_sheet_view, name="aid_shrimp_sheet"),
    path("<int:grant_id>/reported/", views.aid_shrimp_reported_view, name="aid_shrimp_reported"),
    # AID-7: the participants' duties (003 § 6)
    path("duties/", views_duties.aid_duties_view, name="aid_duties"),
    path(
        "duties/member/<int:member_id>/",
        views_duties.aid_my_duties_view,
        name="aid_my_duties",
    ),
]
