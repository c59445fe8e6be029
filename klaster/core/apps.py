from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "klaster.core"
    verbose_name = _("Clusters and access")
