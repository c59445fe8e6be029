from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "klaster.governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # MEM-8: when a delegated person's link with its member ends, its seats in organs end
        # that day — in the same transaction as the link's end (the members app sends the signal).
        from klaster.members.signals import delegate_link_ended

        delegate_link_ended.connect(_end_seats, dispatch_uid="governance_end_seats_on_link_end")


def _end_seats(sender, *, person, ended, user, **kwargs) -> None:
    from klaster.governance.services import seats_end_for_person

    seats_end_for_person(person=person, user=user, on=ended)
