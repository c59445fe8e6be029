"""PLT-4 (issue 9): a vote's ballots in the audit log read with the members' names and the
choice in words, not member ids and codes ("7: for (chair)")."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from klaster.core.audit import audit_record


def test_ballots_in_the_log_name_the_members(world, client_for):
    with transaction.atomic():
        audit_record(
            cluster=world.alfa,
            user=world.users["office"],
            action="ballot",
            model="governance.Vote",
            object_id="1",
            object_repr="Walne: 1. Sprawozdanie",
            changes={
                str(world.member_a.pk): [None, "for (chair)"],
                str(world.member_b.pk): [None, "against (own)"],
            },
        )
    html = client_for("office").get(reverse("audit", args=["alfa"])).content.decode()
    assert "Alfa-Tech sp. z o.o." in html and "Beta-Soft S.A." in html
    assert "(chair)" not in html and "against (own)" not in html
    assert f">{world.member_a.pk}:" not in html
