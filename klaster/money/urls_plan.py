"""Pages of the money app's plan part (included from klaster/money/urls.py): FIN-11."""

from django.urls import path

from klaster.money import views_plan as views

urlpatterns = [
    path("", views.money_plans_view, name="money_plans"),
    path("<int:year>/", views.money_plan_view, name="money_plan"),
    path("<int:year>/line/", views.money_plan_line_view, name="money_plan_line"),
    path("<int:year>/approve/", views.money_plan_approve_view, name="money_plan_approve"),
    path(
        "<int:year>/report.xlsx", views.money_plan_report_xlsx_view, name="money_plan_report_xlsx"
    ),
]
