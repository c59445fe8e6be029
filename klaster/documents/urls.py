"""Documents (the cluster's document archive with versions and search (PLT-3))."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
