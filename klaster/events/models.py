"""Events (PLT-2): the cluster's events (a networking meeting, a workshop, a fair), the invitation
sent to the members through the outbox with an .ics attachment, each member's answer (RSVP) and
who came (attendance)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klaster.core.models import Cluster
from klaster.members.models import Member


class Event(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    #: places for people; empty: no limit
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    rsvp_until = models.DateField(_("answers until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    invited = models.PositiveIntegerField(_("addresses invited"), default=0)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    @property
    def source(self) -> str:
        return f"event:{self.pk}"


class Rsvp(models.Model):
    """A member's answer to an invitation; changed by answering again until the deadline."""

    class Answer(models.TextChoices):
        YES = "yes", _("will come")
        MAYBE = "maybe", _("maybe")
        NO = "no", _("will not come")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="rsvps")
    answer = models.CharField(_("answer"), max_length=5, choices=Answer.choices)
    people = models.PositiveSmallIntegerField(_("people"), default=1)
    note = models.CharField(_("note"), max_length=300, blank=True)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "member"], name="uniq_rsvp")]
        verbose_name = _("answer to an invitation")
        verbose_name_plural = _("answers to invitations")

    def __str__(self) -> str:
        return f"{self.member}: {self.get_answer_display()}"


class Attendance(models.Model):
    """A member that came to the event, recorded by the office afterwards."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="event_attendance")
    people = models.PositiveSmallIntegerField(_("people"), default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="uniq_event_attendance")
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return str(self.member)
