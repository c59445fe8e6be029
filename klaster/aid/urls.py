"""Pages under /c/<slug>/aid/ (included from klaster.urls): the register (AID-1 … AID-3), the
lending queue (AID-4, AID-5), contracts and certificates (AID-6), SHRIMP and duties (AID-7, 8)."""

from django.urls import include, path

urlpatterns = [
    path("", include("klaster.aid.urls_register")),
    path("lending/", include("klaster.aid.urls_lending")),
    path("contracts/", include("klaster.aid.urls_contracts")),
    path("shrimp/", include("klaster.aid.urls_shrimp")),
    path("rates/", include("klaster.aid.urls_rates")),
]
