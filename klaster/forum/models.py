"""A forum of clusters (SPEC §7, FOR-1, FOR-2; issue 13).

A forum is a region's cluster initiatives on one installation (002 III.3): its clusters join
and leave by decision (dated, with the decision's reference), their representatives take part
(the `forum_viewer` role and the office of each member cluster), and the forum has its own office
(users named here). Each cluster chooses, per indicator, what it shares (nothing by default) and
whether it may be named; its figures are a dated snapshot read from its KKK evaluation, so that
the comparison reads stored numbers, never a whole evaluation per cluster per page.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klaster.core.models import Cluster


def _secret() -> str:
    return secrets.token_hex(16)


class Forum(models.Model):
    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    region = models.CharField(_("region"), max_length=200, blank=True)
    #: draws the anonymous letters (klaster.rules.forum.compare.letters); never shown
    secret = models.CharField(max_length=64, default=_secret, editable=False)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="forums_run", verbose_name=_("office")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("forum of clusters")
        verbose_name_plural = _("forums of clusters")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A cluster in a forum from ``joined_on`` (by a decision) until ``left_on``."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="memberships")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="forum_memberships")
    joined_on = models.DateField(_("joined"))
    join_decision = models.CharField(_("decision to join"), max_length=300)
    left_on = models.DateField(_("left"), null=True, blank=True)
    leave_decision = models.CharField(_("decision to leave"), max_length=300, blank=True)
    #: the cluster agreed to be named to the forum (otherwise "Klaster A", "B", …)
    named = models.BooleanField(_("may be named"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "cluster"],
                condition=models.Q(left_on__isnull=True),
                name="forum_one_open_membership",
            )
        ]


class Sharing(models.Model):
    """One indicator a cluster shares with its forums (a row per shared key; none: nothing)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="forum_sharing")
    set_code = models.CharField(max_length=30)
    key = models.CharField(max_length=40)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "set_code", "key"], name="forum_sharing_unique"
            )
        ]


class Snapshot(models.Model):
    """A cluster's figures for an indicator set as of a day (its KKK evaluation then)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="forum_snapshots")
    set_code = models.CharField(max_length=30)
    set_version = models.PositiveSmallIntegerField(default=1)
    as_of = models.DateField(_("as of"))
    #: {indicator key: "decimal as text"}
    values = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "set_code", "as_of"], name="forum_snapshot_unique"
            )
        ]
        indexes = [models.Index(fields=["set_code", "cluster", "-as_of"])]


class Work(models.Model):
    """Shared work of a forum (issue 13 point 2): a consultation with its deadline, a joint
    initiative, a good practice, a challenge, or a cooperative linkage — a limited group of
    entities formed for one joint project, inside or outside a cluster (FOR-2)."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("consultation")
        INITIATIVE = "initiative", _("joint initiative")
        PRACTICE = "practice", _("good practice")
        CHALLENGE = "challenge", _("challenge")
        LINKAGE = "linkage", _("cooperative linkage")

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="works")
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("description"))
    deadline = models.DateField(_("answers until"), null=True, blank=True)
    #: the clusters taking part (initiatives, linkages) and, for a linkage, the entities by name
    clusters = models.ManyToManyField(Cluster, blank=True, related_name="forum_works")
    #: the members of the taking-part clusters who take part (each cluster's office names its own)
    members = models.ManyToManyField(
        "members.Member", blank=True, related_name="+", verbose_name=_("members taking part")
    )
    entities = models.TextField(_("entities taking part"), blank=True)
    project = models.CharField(_("joint project"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class Post(models.Model):
    """A message in a work's thread; for a consultation, a cluster's answer."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    cluster = models.ForeignKey(Cluster, on_delete=models.SET_NULL, null=True, blank=True)
    answer = models.BooleanField(_("the cluster's answer"), default=False)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class LinkageRecord(models.Model):
    """A cooperative linkage taken into a taking-part cluster's KKK records as a joint project
    (FOR-2: the linkage is a record KKK sees). The project is the cluster's own KKK record — its
    participants are that cluster's members — and counts wherever KKK reads joint projects."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="kkk_records")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    project = models.OneToOneField("kkk.Project", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "cluster"], name="forum_linkage_once")
        ]
