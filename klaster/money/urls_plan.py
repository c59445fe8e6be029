"""Pages of the money app's plan part (included from klaster/money/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
