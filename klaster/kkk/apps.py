from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KkkConfig(AppConfig):
    name = "klaster.kkk"
    verbose_name = _("Key National Cluster application")
