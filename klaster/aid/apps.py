from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "klaster.aid"
    verbose_name = _("De minimis aid")

    def ready(self) -> None:
        from klaster.core import eur_rates

        eur_rates.register(_eur_rate_on)


def _eur_rate_on(day):
    """Answers `klaster.core.eur_rates.rate_on` from the stored NBP series (AID-2)."""
    from klaster.aid import engine
    from klaster.rules.aid.check import rate_on

    return rate_on(engine.rates(day), day)
