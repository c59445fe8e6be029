"""Pages of the money app's ksef part (included from klaster/money/urls.py)."""

from django.urls import path

from klaster.money import views_ksef

urlpatterns = [
    path("", views_ksef.money_ksef_view, name="money_ksef"),
    path("send/", views_ksef.money_ksef_send_view, name="money_ksef_send"),
]
