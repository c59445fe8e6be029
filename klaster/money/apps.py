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
        from klaster.money.selectors import arrears_for_vote, entry_fee_payments

        hooks.register_arrears("money", arrears_for_vote)
        # GOV-12 / FIN-6: the admission file reads the entry fee's advance from the ledger
        hooks.register_fee_payments("money", entry_fee_payments)
