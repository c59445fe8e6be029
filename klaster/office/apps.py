from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    """What a person does first: the cluster's home (what to do now, per role) and the global
    search. The top layer beside exchange: it reads every domain app, and none uses it."""

    name = "klaster.office"
    verbose_name = _("Office")
