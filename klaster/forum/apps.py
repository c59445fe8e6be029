from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "klaster.forum"
    verbose_name = _("Forum of clusters")

    def ready(self) -> None:
        # issue 13 point 4: the KKK dashboard shows where the cluster stands in its forums
        # through kkk's panel hook (kkk never imports the forum)
        from klaster.forum.panel import kkk_panel
        from klaster.kkk import hooks

        hooks.register_panel("forum", kkk_panel)
