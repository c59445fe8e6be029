from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Data in and out of Klaster: the dataset file (import and export), the members' spreadsheet
    import and the demo cluster. The top layer: it may use every domain app, and none uses it."""

    name = "klaster.exchange"
    verbose_name = _("Import and export")
