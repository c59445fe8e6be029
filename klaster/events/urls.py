"""Events (PLT-2): invitations with RSVP, .ics and attendance."""

from django.urls import path

from klaster.events import views

urlpatterns = [
    path("c/<slug:slug>/events/", views.events_view, name="events"),
    path("c/<slug:slug>/events/new/", views.event_new_view, name="event_new"),
    path("c/<slug:slug>/events/<int:event_id>/", views.event_view, name="event"),
    path(
        "c/<slug:slug>/events/<int:event_id>/invite/", views.event_invite_view, name="event_invite"
    ),
    path(
        "c/<slug:slug>/events/<int:event_id>/rsvp/<int:member_id>/",
        views.event_rsvp_view,
        name="event_rsvp",
    ),
    path(
        "c/<slug:slug>/events/<int:event_id>/attendance/",
        views.event_attendance_view,
        name="event_attendance",
    ),
    path("c/<slug:slug>/events/<int:event_id>/event.ics", views.event_ics_view, name="event_ics"),
]
