from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoneyConfig(AppConfig):
    name = "klaster.money"
    verbose_name = _("Money")

    def ready(self) -> None:
        # GOV-1 / FIN-4 Reading: governance asks who is more than N days past due on a
        # meeting's day through its hook; money answers from the ledger (governance never
        # imports money).
        from klaster.governance import hooks

        hooks.register_arrears("money", _arrears_for_vote)
        # GOV-12 / FIN-6: the admission file reads the entry fee's advance from the ledger
        hooks.register_fee_payments("money", _entry_fee_payments)


# The selectors (and the money rules under them) load on the first question, not at start-up:
# every `klaster` command starts the apps, few of them ask about arrears (issue 8's start goal).
def _arrears_for_vote(*args: Any, **kwargs: Any) -> Any:
    from klaster.money.selectors import arrears_for_vote

    return arrears_for_vote(*args, **kwargs)


def _entry_fee_payments(*args: Any, **kwargs: Any) -> Any:
    from klaster.money.selectors import entry_fee_payments

    return entry_fee_payments(*args, **kwargs)
