"""Pages under /c/<slug>/groups/ (included from klaster.urls)."""

from django.urls import path

from klaster.groups import views

urlpatterns = [
    path("", views.group_list_view, name="group_list"),
    path("areas/", views.group_areas_ensure_view, name="group_areas_ensure"),
    path("new/", views.group_create_view, name="group_create"),
    path("export/", views.group_export_view, name="group_export"),
    path("member/<int:member_id>/", views.group_portal_view, name="group_portal"),
    path("<int:group_id>/", views.group_detail_view, name="group_detail"),
    path("<int:group_id>/declare/", views.group_declare_view, name="group_declare"),
    path("<int:group_id>/withdraw/", views.group_withdraw_view, name="group_withdraw"),
    path("<int:group_id>/start/", views.group_start_view, name="group_start"),
    path("<int:group_id>/payments/", views.group_payment_add_view, name="group_payment_add"),
    path("<int:group_id>/meetings/", views.group_meeting_add_view, name="group_meeting_add"),
    path("<int:group_id>/materials/", views.group_material_add_view, name="group_material_add"),
    path("<int:group_id>/contacts/", views.group_contact_add_view, name="group_contact_add"),
    path("<int:group_id>/contacts.csv", views.group_contacts_csv_view, name="group_contacts_csv"),
    path("<int:group_id>/notify/", views.special_form_notify_view, name="special_form_notify"),
    path("<int:group_id>/opinion/", views.special_form_opinion_view, name="special_form_opinion"),
    path(
        "materials/<int:material_id>/file/",
        views.group_material_file_view,
        name="group_material_file",
    ),
    path(
        "materials/<int:material_id>/mark/",
        views.group_material_mark_view,
        name="group_material_mark",
    ),
    path(
        "contacts/<int:contact_id>/remove/",
        views.group_contact_remove_view,
        name="group_contact_remove",
    ),
]
