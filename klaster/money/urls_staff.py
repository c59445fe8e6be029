"""Pages of the money app's staff part (included from klaster/money/urls.py): FIN-9, FIN-10,
FIN-12."""

from django.urls import path

from klaster.money import views_rates
from klaster.money import views_staff as views

urlpatterns = [
    path("", views.money_staff_view, name="money_staff"),
    path("register.xlsx", views.money_staff_xlsx_view, name="money_staff_xlsx"),
    path("rates/", views.money_rate_view, name="money_rate"),
    path("board/", views.money_board_pay_view, name="money_board_pay"),
    path("board.xlsx", views.money_board_pay_xlsx_view, name="money_board_pay_xlsx"),
    path("board/rates/", views_rates.money_board_rate_view, name="money_board_rate"),
    path(
        "board/rates/<int:rate_id>/remove/",
        views_rates.money_board_rate_remove_view,
        name="money_board_rate_remove",
    ),
    path("requests/", views.money_requests_view, name="money_requests"),
    path(
        "requests/<int:request_id>/provide/",
        views.money_request_provide_view,
        name="money_request_provide",
    ),
    path(
        "requests/<int:request_id>/statement.pdf",
        views.money_statement_pdf_view,
        name="money_statement_pdf",
    ),
    path(
        "member/<int:member_id>/statements/",
        views.money_my_statements_view,
        name="money_my_statements",
    ),
]
