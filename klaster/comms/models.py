"""Communications (PLT-2): the cluster's newsletters, the addresses that left them, and each
member's choice to read in the portal instead of e-mail (001 "Komunikacja" 3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klaster.core.models import Cluster
from klaster.members.models import Member


class Newsletter(models.Model):
    """One newsletter: written as a draft, then sent once — queued in the outbox to every current
    member's notification addresses (less those that left the newsletter and the members who
    read in the portal) and published in the portal."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="newsletters")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default="draft")
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: addresses the newsletter was queued to, and members who read it in the portal instead
    addresses = models.PositiveIntegerField(_("addresses"), default=0)
    portal_only = models.PositiveIntegerField(_("read in the portal"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["cluster", "status", "sent_at"])]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")

    def __str__(self) -> str:
        return self.subject

    @property
    def source(self) -> str:
        return f"newsletter:{self.pk}"


class Unsubscribed(models.Model):
    """An address that left the cluster's newsletter (its link in a newsletter, or the office on
    request). Statutory notices still reach it."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="unsubscribed")
    email = models.EmailField(_("e-mail"))
    at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cluster", "email"], name="uniq_unsubscribed_email")
        ]
        verbose_name = _("address that left the newsletter")
        verbose_name_plural = _("addresses that left the newsletter")

    def __str__(self) -> str:
        return self.email


class PortalReading(models.Model):
    """A member that reads newsletters and event invitations in the portal instead of e-mail
    (001 "Komunikacja" 3), chosen by its representative or the office."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="portal_reading")
    since = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("reading in the portal")
        verbose_name_plural = _("reading in the portal")

    def __str__(self) -> str:
        return str(self.member)
