"""Events (event invitations with RSVP, .ics and attendance (PLT-2))."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
