"""The cluster's document archive (PLT-3; 000 §15.3.1): every document about the cluster's
functioning, in versions (a new version never replaces the old one), each document readable by
whom its scope says — the office only, every member, one organ's members, one working group's
members (GZW material stays within the group, 001 "Poufność") — and found by full-text search."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klaster.core.models import Cluster
from klaster.governance.models import Organ
from klaster.groups.models import WorkingGroup


class Document(models.Model):
    class Category(models.TextChoices):
        STATUTE = "statute", _("statute and rules")
        MINUTES = "minutes", _("minutes")
        RESOLUTION = "resolution", _("resolutions")
        REPORT = "report", _("reports")
        AGREEMENT = "agreement", _("agreements")
        PROJECT = "project", _("projects")
        OTHER = "other", _("other")

    class Scope(models.TextChoices):
        OFFICE = "office", _("the office only")
        MEMBERS = "members", _("every member")
        ORGAN = "organ", _("one organ's members")
        GROUP = "group", _("one working group's members")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        _("category"), max_length=12, choices=Category.choices, default="other"
    )
    scope = models.CharField(_("who reads it"), max_length=8, choices=Scope.choices)
    organ = models.ForeignKey(
        Organ, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("last version"), default=timezone.now)
    #: the title, description and the current version's text, folded (lower case, no diacritics):
    #: what the full-text search reads (klaster.documents.search)
    search_text = models.TextField(blank=True, editable=False)
    #: PostgreSQL only: ``search_text`` as a stored tsvector ('simple'), GIN-indexed (migration
    #: 0005), written with it by klaster.documents.search.index — a search matching most of the
    #: archive then reads the stored vectors instead of parsing every text again; unused on SQLite
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["cluster", "scope"]),
            # the list's order: a page of 50 of a search matching most of the archive is read
            # in this order and stops at 50, instead of sorting every match
            models.Index(fields=["cluster", "-updated_at", "-id"], name="documents_list_order"),
        ]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


def version_path(instance: DocumentVersion, filename: str) -> str:
    """Under MEDIA_ROOT: documents/<cluster>/<document>/<n>-<random>.<ext> — the uploader's file
    name is kept in ``name`` only."""
    import secrets
    from pathlib import PurePath

    ext = PurePath(filename).suffix.lower()[:10]
    doc = instance.document
    return f"documents/{doc.cluster_id}/{doc.pk}/{instance.number}-{secrets.token_hex(8)}{ext}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    content_type = models.CharField(max_length=100, blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    text = models.TextField(blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="uniq_document_version")
        ]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"
