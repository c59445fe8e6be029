"""The register's pages under /c/<slug>/aid/ (AID-1 … AID-3)."""

from django.urls import path

from klaster.aid import views_reg as views

urlpatterns = [
    path("", views.aid_home_view, name="aid_home"),
    path("my/", views.aid_my_view, name="aid_my"),
    path("undertakings/new/", views.aid_undertaking_new_view, name="aid_undertaking_new"),
    path("undertakings/<int:undertaking_id>/", views.aid_undertaking_view, name="aid_undertaking"),
    path("member/<int:member_id>/", views.aid_member_view, name="aid_member"),
    path(
        "member/<int:member_id>/register/",
        views.aid_member_undertaking_view,
        name="aid_member_register",
    ),
    path("import/", views.aid_import_view, name="aid_import"),
]
