"""Communications (PLT-2): newsletters, leaving them, reading in the portal."""

from django.urls import path

from klaster.comms import views

urlpatterns = [
    path("c/<slug:slug>/newsletters/", views.newsletters_view, name="comms_newsletters"),
    path("c/<slug:slug>/newsletters/new/", views.newsletter_new_view, name="comms_newsletter_new"),
    path(
        "c/<slug:slug>/newsletters/<int:newsletter_id>/",
        views.newsletter_view,
        name="comms_newsletter",
    ),
    path(
        "c/<slug:slug>/newsletters/<int:newsletter_id>/send/",
        views.newsletter_send_view,
        name="comms_newsletter_send",
    ),
    path(
        "c/<slug:slug>/newsletters/<int:newsletter_id>/delete/",
        views.newsletter_delete_view,
        name="comms_newsletter_delete",
    ),
    path(
        "c/<slug:slug>/newsletters/reading/<int:member_id>/",
        views.portal_reading_view,
        name="comms_portal_reading",
    ),
    path("newsletter/leave/<str:token>/", views.unsubscribe_view, name="comms_unsubscribe"),
]
