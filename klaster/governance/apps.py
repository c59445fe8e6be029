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
        # SPEC §2: every cluster has its five organs from the day it is created (by an import, the
        # demo, the admin), so no page has to create them on first use (reads never write); the
        # clusters created before this are given theirs by migration 0005_organs_for_every_cluster.
        from django.db.models.signals import post_save

        from klaster.core.models import Cluster

        post_save.connect(
            _organs_for_new_cluster,
            sender=Cluster,
            dispatch_uid="governance_organs_for_new_cluster",
        )
        # PLT-4 (issue 9): the audit log reads a vote's ballots with the members' names
        from klaster.core.audit_text import register_resolver
        from klaster.governance.audit import ballot_changes

        register_resolver("governance.Vote", "ballot", ballot_changes)


def _end_seats(sender, *, person, ended, user, **kwargs) -> None:
    from klaster.governance.services import seats_end_for_person

    seats_end_for_person(person=person, user=user, on=ended)


def _organs_for_new_cluster(sender, *, instance, created, raw=False, **kwargs) -> None:
    if not created or raw:
        return
    from django.db import transaction

    from klaster.governance.services import organs_ensure

    with transaction.atomic():  # the audit rows need one; inside the creator's own, a savepoint
        organs_ensure(cluster=instance)
