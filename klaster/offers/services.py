"""Writes of offers, competences, ideas and training needs (PLT-3), each in one transaction with
its audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.core.audit import audit_record
from klaster.core.models import Cluster
from klaster.members.models import Member
from klaster.offers.models import (
    Competence,
    CompetenceArea,
    Idea,
    IdeaInterest,
    Offer,
    TrainingNeed,
    TrainingSurvey,
)
from klaster.rules.text import fold

OFFER_FIELDS = (
    "category",
    "name_pl",
    "name_en",
    "description_pl",
    "description_en",
    "keywords",
    "public",
)


def _offer_text(offer: Offer) -> str:
    return fold(
        " ".join(
            [
                offer.name_pl,
                offer.name_en,
                offer.description_pl,
                offer.description_en,
                offer.keywords,
            ]
        )
    )


@transaction.atomic
def offer_save(
    *, member: Member, user: Any, data: dict[str, Any], offer: Offer | None = None
) -> Offer:
    """An offer of ``member`` added, or ``offer`` changed (it stays its member's)."""
    if offer is not None:
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.member_id != member.pk:
            raise ValidationError(_("The offer is another member's."))
    if not (data.get("name_pl") or "").strip():
        raise ValidationError({"name_pl": _("Give the offer's name in Polish.")})
    if data.get("category") not in Offer.Category.values:
        raise ValidationError({"category": _("Choose a category.")})
    before = {f: getattr(offer, f) for f in OFFER_FIELDS} if offer else {}
    row = offer or Offer(cluster=member.cluster, member=member)
    for f in OFFER_FIELDS:
        if f in data:
            setattr(row, f, data[f].strip() if isinstance(data[f], str) else data[f])
    row.member = member
    row.updated_at = timezone.now()
    row.search_text = _offer_text(row)
    row.save()
    audit_record(
        cluster=member.cluster,
        user=user,
        action="update" if offer else "create",
        instance=row,
        object_repr=row.name_pl,
        changes={
            f: [before.get(f), getattr(row, f)]
            for f in OFFER_FIELDS
            if before.get(f) != getattr(row, f)
        },
    )
    return row


@transaction.atomic
def offer_delete(*, offer: Offer, user: Any) -> None:
    audit_record(
        cluster=offer.cluster, user=user, action="delete", instance=offer, object_repr=offer.name_pl
    )
    offer.delete()


@transaction.atomic
def area_add(*, cluster: Cluster, user: Any, name: str) -> CompetenceArea:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the area.")})
    if CompetenceArea.objects.filter(cluster=cluster, name__iexact=name).exists():
        raise ValidationError({"name": _("The area is on the list already.")})
    area = CompetenceArea.objects.create(cluster=cluster, name=name[:200])
    audit_record(cluster=cluster, user=user, action="create", instance=area, object_repr=area.name)
    return area


@transaction.atomic
def competence_add(
    *, member: Member, user: Any, area: CompetenceArea, kind: str, note: str = ""
) -> Competence:
    if area.cluster_id != member.cluster_id:
        raise ValidationError({"area": _("Choose one of the cluster's areas.")})
    if kind not in Competence.Kind.values:
        raise ValidationError({"kind": _("Choose competence or resource.")})
    row, created = Competence.objects.update_or_create(
        area=area, member=member, kind=kind, defaults={"note": note.strip()[:300]}
    )
    audit_record(
        cluster=member.cluster,
        user=user,
        action="create" if created else "update",
        instance=row,
        object_repr=f"{member.name}: {area.name}",
    )
    return row


@transaction.atomic
def competence_remove(*, competence: Competence, user: Any) -> None:
    """A member's entry taken off the map (its area may become a gap again)."""
    audit_record(
        cluster=competence.member.cluster,
        user=user,
        action="delete",
        instance=competence,
        object_repr=f"{competence.member.name}: {competence.area.name}",
    )
    competence.delete()


@transaction.atomic
def area_remove(*, area: CompetenceArea, user: Any) -> None:
    """An area the cluster no longer needs, with the members' entries against it."""
    holders = sorted(area.holders.values_list("member__name", flat=True))
    audit_record(
        cluster=area.cluster,
        user=user,
        action="delete",
        instance=area,
        object_repr=area.name,
        changes={"holders": [holders, None]} if holders else None,
    )
    area.delete()


@transaction.atomic
def idea_post(
    *,
    cluster: Cluster,
    user: Any,
    member: Member | None,
    title: str,
    description: str,
    partners_sought: str = "",
) -> Idea:
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the idea a title.")
    if not description.strip():
        errors["description"] = _("Describe the idea.")
    if errors:
        raise ValidationError(errors)
    idea = Idea.objects.create(
        cluster=cluster,
        member=member,
        title=title.strip()[:200],
        description=description,
        partners_sought=partners_sought.strip()[:300],
        created_by=user,
    )
    audit_record(cluster=cluster, user=user, action="create", instance=idea, object_repr=idea.title)
    return idea


@transaction.atomic
def idea_interest(*, idea: Idea, member: Member, user: Any, note: str = "") -> IdeaInterest:
    if member.cluster_id != idea.cluster_id:
        raise ValidationError(_("The member is not of this cluster."))
    if member.pk == idea.member_id:
        # 000 §9.2.5: others join an idea; its author is in it already
        raise ValidationError(_("The idea is this member's own: other members express interest."))
    row, _created = IdeaInterest.objects.update_or_create(
        idea=idea, member=member, defaults={"note": note.strip()[:300]}
    )
    audit_record(
        cluster=idea.cluster,
        user=user,
        action="update",
        instance=idea,
        object_repr=idea.title,
        changes={"interest": [None, member.name]},
    )
    return row


@transaction.atomic
def idea_status(*, idea: Idea, user: Any, status: str) -> Idea:
    if status not in Idea.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    before, idea.status = idea.status, status
    idea.save(update_fields=["status"])
    audit_record(
        cluster=idea.cluster,
        user=user,
        action="update",
        instance=idea,
        object_repr=idea.title,
        changes={"status": [before, status]},
    )
    return idea


@transaction.atomic
def survey_open(*, cluster: Cluster, user: Any, title: str, closes_on: dt.date) -> TrainingSurvey:
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the survey a title.")
    if closes_on < timezone.localdate():
        errors["closes_on"] = _("The closing day cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    survey = TrainingSurvey.objects.create(
        cluster=cluster, title=title.strip(), closes_on=closes_on
    )
    audit_record(
        cluster=cluster, user=user, action="create", instance=survey, object_repr=survey.title
    )
    return survey


@transaction.atomic
def training_need_add(
    *, survey: TrainingSurvey, member: Member, user: Any, topic: str, people: int, priority: str
) -> TrainingNeed:
    if member.cluster_id != survey.cluster_id:
        raise ValidationError(_("The member is not of this cluster."))
    if timezone.localdate() > survey.closes_on:
        raise ValidationError(
            _("Answers were collected until %(day)s.") % {"day": f"{survey.closes_on:%d.%m.%Y}"}
        )
    if not topic.strip():
        raise ValidationError({"topic": _("Name the training topic.")})
    if not 1 <= people <= 500:
        raise ValidationError({"people": _("Between 1 and %(n)s people.") % {"n": 500}})
    if priority not in TrainingNeed.Priority.values:
        raise ValidationError({"priority": _("Choose a priority.")})
    need = TrainingNeed.objects.create(
        survey=survey, member=member, topic=topic.strip()[:200], people=people, priority=priority
    )
    audit_record(
        cluster=survey.cluster,
        user=user,
        action="create",
        instance=need,
        object_repr=f"{member.name}: {need.topic}",
    )
    return need
