from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "klaster.people"
    verbose_name = _("People and access")

    def ready(self) -> None:
        # a person's data across modules (MEM-12): this app's part of the export and erasure
        from klaster.people.personal_data import register_sources

        register_sources()
