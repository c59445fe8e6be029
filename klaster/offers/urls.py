"""Offers and competences (offers, competences and gaps, ideas, training needs (PLT-3))."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
