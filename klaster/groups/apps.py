from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "klaster.groups"
    label = "groups"
    verbose_name = _("Advanced Cooperation Groups")

    def ready(self) -> None:
        # a person's data across modules (MEM-12): this app's part of the export and erasure
        from klaster.groups.personal_data import register_sources

        register_sources()
