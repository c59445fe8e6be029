"""Offers, competences, ideas and training needs (PLT-3)."""

from django.urls import path

from klaster.offers import views

urlpatterns = [
    path("c/<slug:slug>/offers/", views.offers_view, name="offers"),
    path("c/<slug:slug>/offers/new/", views.offer_new_view, name="offer_new"),
    path("c/<slug:slug>/offers/<int:offer_id>/edit/", views.offer_edit_view, name="offer_edit"),
    path(
        "c/<slug:slug>/offers/<int:offer_id>/delete/",
        views.offer_delete_view,
        name="offer_delete",
    ),
    path("c/<slug:slug>/offers/public/", views.offers_public_view, name="offers_public"),
    path("c/<slug:slug>/offers/competences/", views.competences_view, name="offers_competences"),
    path(
        "c/<slug:slug>/offers/competences/<int:competence_id>/remove/",
        views.competence_remove_view,
        name="offers_competence_remove",
    ),
    path(
        "c/<slug:slug>/offers/areas/<int:area_id>/remove/",
        views.area_remove_view,
        name="offers_area_remove",
    ),
    path("c/<slug:slug>/offers/ideas/", views.ideas_view, name="offers_ideas"),
    path("c/<slug:slug>/offers/ideas/<int:idea_id>/", views.idea_view, name="offers_idea"),
    path("c/<slug:slug>/offers/training/", views.training_view, name="offers_training"),
]
