from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommsConfig(AppConfig):
    name = "klaster.comms"
    verbose_name = _("Communications")

    def ready(self) -> None:
        # a person's data across modules (MEM-12): this app's part of the export and erasure
        from klaster.comms.personal_data import register_sources

        register_sources()
