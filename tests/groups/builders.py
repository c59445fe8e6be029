"""Builders for the groups' tests and for the access matrix (tests/core/test_access_matrix.py).

The matrix's group: the IT area group of cluster alfa, active, with member A (persona
"member") in it and member B (persona "proxy") not in it."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

D0 = dt.date(2024, 1, 10)


def evoluma(cluster, valid_from=dt.date(2010, 1, 1)):
    from klaster.core.services import statute_profile_set

    return statute_profile_set(cluster=cluster, valid_from=valid_from, user=None, preset="evoluma")


def infotech(cluster, valid_from=dt.date(2010, 1, 1)):
    from klaster.core.services import statute_profile_set

    return statute_profile_set(cluster=cluster, valid_from=valid_from, user=None, preset="infotech")


def it_group(w):
    """The IT area group, active since D0, member A declared on D0."""
    from klaster.groups.models import GroupKind, WorkingGroup
    from tests.factories import GroupDeclarationFactory

    group, created = WorkingGroup.objects.get_or_create(
        cluster=w.alfa,
        kind=GroupKind.AREA,
        area="it",
        defaults={"name": "Informatyzacja", "status": "active", "started_on": D0},
    )
    if created:
        GroupDeclarationFactory(group=group, member=w.member_a, declared_on=D0)
    return group


def consortium(w):
    """A project consortium initiated by member A, which is also in it."""
    from klaster.groups.models import GroupKind, WorkingGroup
    from tests.factories import GroupDeclarationFactory

    group, created = WorkingGroup.objects.get_or_create(
        cluster=w.alfa,
        name="Konsorcjum Robot 4.0",
        defaults={"kind": GroupKind.CONSORTIUM, "status": "active", "started_on": D0},
    )
    if created:
        group.initiators.set([w.member_a])
        GroupDeclarationFactory(group=group, member=w.member_a, declared_on=D0)
    return group


def material(w, *, confidential=True, with_file=False, title=None):
    from klaster.groups.models import GroupMaterial

    group = it_group(w)
    title = title or ("Poufna analiza rynku" if confidential else "Jawne podsumowanie")
    m, created = GroupMaterial.objects.get_or_create(
        group=group,
        title=title,
        defaults={
            "confidential": confidential,
            "provided_by": w.member_a,
            "body": f"Treść: {title}",
        },
    )
    if created and with_file:
        m.file.save("analiza.txt", ContentFile(b"tajne dane"), save=True)
    return m


def extra_contact(w):
    from klaster.groups.models import GroupContact

    return GroupContact.objects.get_or_create(
        group=it_group(w), email="ekspert@example.pl", defaults={"name": "Ewa Ekspert"}
    )[0]
