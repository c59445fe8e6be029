"""Pages under /c/<slug>/money/ (included from klaster.urls)."""

from django.urls import include, path

from klaster.money import views, views_rates

urlpatterns = [
    path("", views.money_home_view, name="money_home"),
    path("dues/run/", views.money_dues_run_view, name="money_dues_run"),
    path("settings/", views.money_settings_view, name="money_settings"),
    path("my/", views.money_my_view, name="money_my"),
    path("member/<int:member_id>/", views.money_account_view, name="money_account"),
    path("member/<int:member_id>/entry-fee/", views.money_entry_fee_view, name="money_entry_fee"),
    path(
        "member/<int:member_id>/suspension/", views.money_suspension_view, name="money_suspension"
    ),
    path("documents/<int:document_id>/", views.money_document_view, name="money_document"),
    path(
        "documents/<int:document_id>/pdf/", views.money_document_pdf_view, name="money_document_pdf"
    ),
    path("statements/", views.money_statements_view, name="money_statements"),
    path("queue/", views.money_queue_view, name="money_queue"),
    path("queue/<int:entry_id>/", views.money_entry_resolve_view, name="money_entry_resolve"),
    path("arrears/", views.money_arrears_view, name="money_arrears"),
    path("interest-rates/", views_rates.money_interest_rates_view, name="money_interest_rates"),
    path(
        "interest-rates/<int:rate_id>/remove/",
        views_rates.money_interest_rate_remove_view,
        name="money_interest_rate_remove",
    ),
    path("arrears/<int:member_id>/step/", views.money_arrears_step_view, name="money_arrears_step"),
    path(
        "arrears/<int:member_id>/letter/",
        views.money_arrears_letter_view,
        name="money_arrears_letter",
    ),
    path("export/<str:what>.xlsx", views.money_export_view, name="money_export"),
    path("plan/", include("klaster.money.urls_plan")),
    path("staff/", include("klaster.money.urls_staff")),
    path("ksef/", include("klaster.money.urls_ksef")),
]
