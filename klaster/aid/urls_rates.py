"""The NBP rates page under /c/<slug>/aid/rates/ (AID-2): the stored series, the rate of a day,
and an upload of NBP's CSV."""

from django.urls import path

from klaster.aid import views_rates

urlpatterns = [
    path("", views_rates.aid_rates_view, name="aid_rates"),
    path("upload/", views_rates.aid_rates_upload_view, name="aid_rates_upload"),
]
