"""Communications (newsletters, the outbox's pages, portal notices (PLT-2))."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
