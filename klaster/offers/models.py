"""Offers, competences, ideas and training needs (PLT-3; 000 §15.3.12–13, §9.2.5, §15.3.19,
§15.3.24): the catalogue of members' products and services in Polish and English, public when the
member wishes; the map of the cluster's resources and competences with the areas no member
covers; the ideas base for open innovation; training needs gathered from members and summed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from klaster.core.models import Cluster
from klaster.members.models import Member


class Offer(models.Model):
    class Category(models.TextChoices):
        PRODUCT = "product", _("product")
        SERVICE = "service", _("service")
        RESEARCH = "research", _("research and development")
        EQUIPMENT = "equipment", _("equipment and laboratories")
        # "training" alone is an adjective elsewhere ("szkoleniowy"); here it names a category
        TRAINING = "training", pgettext_lazy("offer category", "training")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="offers")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="offers")
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    name_pl = models.CharField(_("name (Polish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_pl = models.TextField(_("description (Polish)"), max_length=5000)
    description_en = models.TextField(_("description (English)"), max_length=5000, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Shown on the cluster's public offer page, without logging in."),
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    #: both languages' words and the keywords, folded (klaster.rules.text.fold); the member's
    #: name and city are searched in its own folded column (Member.search)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["name_pl", "id"]
        indexes = [models.Index(fields=["cluster", "public"])]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return self.name_pl

    def name_in(self, language: str) -> str:
        return self.name_en if language.startswith("en") and self.name_en else self.name_pl

    def description_in(self, language: str) -> str:
        if language.startswith("en") and self.description_en:
            return self.description_en
        return self.description_pl


class CompetenceArea(models.Model):
    """An area of resources or competences the cluster needs, kept by the office."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="competence_areas")
    name = models.CharField(_("area"), max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="uniq_competence_area")
        ]
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")

    def __str__(self) -> str:
        return self.name


class Competence(models.Model):
    class Kind(models.TextChoices):
        COMPETENCE = "competence", _("competence")
        RESOURCE = "resource", _("resource")

    area = models.ForeignKey(CompetenceArea, on_delete=models.CASCADE, related_name="holders")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="competences")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default="competence")
    note = models.CharField(_("what exactly"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "member", "kind"], name="uniq_competence")
        ]
        verbose_name = _("competence or resource")
        verbose_name_plural = _("competences and resources")

    def __str__(self) -> str:
        return f"{self.member}: {self.area}"


class Idea(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("new")
        DISCUSSION = "discussion", _("in discussion")
        PROJECT = "project", _("became a project")
        # an idea (pomysł) is masculine in Polish: its own "closed"
        CLOSED = "closed", pgettext_lazy("idea status", "closed")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="ideas")
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    partners_sought = models.CharField(_("partners sought"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="new")
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")

    def __str__(self) -> str:
        return self.title


class IdeaInterest(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="interests")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="idea_interests")
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "member"], name="uniq_idea_interest")
        ]


class TrainingSurvey(models.Model):
    """The office asks the members what training they need (000 §15.3.24)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="training_surveys")
    title = models.CharField(_("title"), max_length=200)
    closes_on = models.DateField(_("answers until"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-closes_on", "-id"]
        verbose_name = _("training needs survey")
        verbose_name_plural = _("training needs surveys")

    def __str__(self) -> str:
        return self.title


class TrainingNeed(models.Model):
    class Priority(models.TextChoices):
        HIGH = "high", _("high")
        MEDIUM = "medium", _("medium")
        LOW = "low", _("low")

    survey = models.ForeignKey(TrainingSurvey, on_delete=models.CASCADE, related_name="needs")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="training_needs")
    topic = models.CharField(_("topic"), max_length=200)
    people = models.PositiveSmallIntegerField(_("people"), default=1)
    priority = models.CharField(
        _("priority"), max_length=6, choices=Priority.choices, default="medium"
    )

    class Meta:
        verbose_name = _("training need")
        verbose_name_plural = _("training needs")

    def __str__(self) -> str:
        return self.topic
