"""Contracts and certificates under /c/<slug>/aid/contracts/ (AID-6, AID-8)."""

from django.urls import path

from klaster.aid import views_contracts as views

urlpatterns = [
    path("", views.aid_contracts_view, name="aid_contracts"),
    path("new/<int:application_id>/", views.aid_contract_new_view, name="aid_contract_new"),
    path("<int:contract_id>/", views.aid_contract_view, name="aid_contract"),
    path(
        "<int:contract_id>/correct/",
        views.aid_certificate_correct_view,
        name="aid_certificate_correct",
    ),
    path("<int:contract_id>/void/", views.aid_contract_void_view, name="aid_contract_void"),
    path(
        "certificates/<int:certificate_id>/pdf/",
        views.aid_certificate_pdf_view,
        name="aid_certificate_pdf",
    ),
]
