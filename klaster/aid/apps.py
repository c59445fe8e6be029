from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "klaster.aid"
    verbose_name = _("De minimis aid")
