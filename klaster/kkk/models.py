"""The cluster's activity records that the KKK application rests on (SPEC §6, DATASET.md blocks
staff … experts). Every record belongs to one cluster; member references are real foreign keys."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klaster.core.models import Cluster
from klaster.members.models import Member


class ClusterRecord(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0, help_text="order in the dataset file")

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Staff(ClusterRecord):
    """9.1 and 9.2: the coordinator's team for this cluster."""

    name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    manager = models.BooleanField(_("manager"), default=False)
    contract = models.CharField(_("contract"), max_length=50, blank=True)
    employed_from = models.DateField(_("employed from"), null=True, blank=True)
    employed_to = models.DateField(_("employed to"), null=True, blank=True)
    years_private_mgmt = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    years_cluster_mgmt = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    years_intl_projects = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta(ClusterRecord.Meta):
        verbose_name = _("staff member")
        verbose_name_plural = _("coordinator staff")


class CoordinatorCertificate(ClusterRecord):
    """10: cluster-management quality certificates (ESCA labels)."""

    kind = models.CharField(_("kind"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)


class SharedResource(ClusterRecord):
    """12: resources shared by entities other than the coordinator."""

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20)
    provider = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    equal_preferential_access = models.BooleanField(default=False)


class Project(ClusterRecord):
    key = models.CharField(_("identifier in the dataset"), max_length=40)
    name = models.CharField(_("name"), max_length=500)
    type = models.CharField(_("type"), max_length=20, default="other")
    international = models.BooleanField(_("international"), default=False)
    rd = models.BooleanField(_("joint R&D project"), default=False)
    coordinator_participates = models.BooleanField(_("coordinator takes part"), default=False)
    participants = models.ManyToManyField(Member, related_name="projects", blank=True)
    value = models.DecimalField(
        _("value (PLN)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    private_contribution = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True
    )
    funding_source = models.CharField(_("funding source"), max_length=300, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    # 004 pt 18: "nazwę i krótką charakterystykę" — not in the dataset format, kept here.
    description = models.TextField(_("short description"), blank=True)

    class Meta(ClusterRecord.Meta):
        constraints = [models.UniqueConstraint(fields=["cluster", "key"], name="uniq_project_key")]


class FundingApplication(ClusterRecord):
    name = models.CharField(_("name"), max_length=500)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    submitted = models.DateField(_("submitted"))
    funded = models.BooleanField(null=True, blank=True)
    applicants = models.ManyToManyField(Member, related_name="+", blank=True)


class IpRight(ClusterRecord):
    kind = models.CharField(_("kind"), max_length=20)
    number = models.CharField(_("number"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    holder = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    protected_until = models.DateField(null=True, blank=True)
    mode = models.CharField(max_length=10, blank=True)


class Innovation(ClusterRecord):
    name = models.CharField(_("name"), max_length=500)
    introduced = models.DateField(_("introduced"))
    by = models.ManyToManyField(Member, related_name="+", blank=True)
    from_rd = models.BooleanField(default=False)


class Event(ClusterRecord):
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20)
    location = models.CharField(_("location"), max_length=20, blank=True)
    online = models.BooleanField(default=False)
    date = models.DateField(_("date"))
    coordinator_participated = models.BooleanField(default=False)
    participants = models.ManyToManyField(Member, related_name="+", blank=True)


class Mission(ClusterRecord):
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20)
    date = models.DateField(_("date"))
    participants = models.ManyToManyField(Member, related_name="+", blank=True)


class Service(ClusterRecord):
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=30)
    date = models.DateField(_("date"))
    beneficiaries = models.ManyToManyField(Member, related_name="+", blank=True)
    description = models.TextField(_("short description"), blank=True)  # 004 pt 24: "krótko opisać"


class Kis(ClusterRecord):
    number = models.PositiveIntegerField(_("KIS number"))
    justification = models.TextField(blank=True)
    consistent_with_specialisation = models.BooleanField(default=False)
    confirmed_by_projects = models.BooleanField(default=False)


class DualEducation(ClusterRecord):
    kind = models.CharField(_("kind"), max_length=30)
    name = models.CharField(_("name"), max_length=500, blank=True)
    date = models.DateField(null=True, blank=True)
    entities = models.ManyToManyField(Member, related_name="+", blank=True)
    description = models.TextField(
        _("short description"), blank=True
    )  # 004 pt 26: at most 500 characters
    date_to = models.DateField(
        _("until"), null=True, blank=True
    )  # 004 pt 26: "czas jego realizacji"


class DigitalInitiative(ClusterRecord):
    name = models.CharField(_("name"), max_length=500)
    date = models.DateField(null=True, blank=True)


class StartupCooperation(ClusterRecord):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    startup = models.CharField(max_length=300)
    programme = models.CharField(max_length=300, blank=True)
    basis = models.CharField(max_length=300, blank=True)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    description = models.TextField(
        _("type of cooperation and short description"), blank=True
    )  # 004 pt 28: ≤ 500


class Practice(ClusterRecord):
    """29 (circular economy) and 30 (low-emission economy)."""

    class Area(models.TextChoices):
        CIRCULAR = "circular_economy", _("circular economy")
        LOW_EMISSION = "low_emission", _("low-emission economy")

    area = models.CharField(max_length=20, choices=Area.choices)
    kind = models.CharField(max_length=30)
    entities = models.ManyToManyField(Member, related_name="+", blank=True)
    description = models.TextField(_("description"), blank=True)


class JointProduct(ClusterRecord):
    name = models.CharField(_("name"), max_length=500)
    introduced = models.DateField()
    offered_by = models.ManyToManyField(Member, related_name="+", blank=True)
    by_coordinator = models.BooleanField(default=False)
    revenue = models.BooleanField(default=False)
    description = models.TextField(
        _("characteristics"), blank=True
    )  # 004 pt 31: at most 1,000 characters


class PanelScore(models.Model):
    """Stage III: the expert panel's four scores (KKK-S3)."""

    cluster = models.OneToOneField(Cluster, on_delete=models.CASCADE, related_name="panel")
    successes_strategy = models.PositiveSmallIntegerField()
    knowledge_transfer = models.PositiveSmallIntegerField()
    public_policies = models.PositiveSmallIntegerField()
    pandemic = models.PositiveSmallIntegerField()


class ExpertScore(ClusterRecord):
    """Stage II: one expert's scores per indicator (KKK-S2-EXP); scores kept in the file's order."""

    name = models.CharField(max_length=200)
    scores = models.JSONField(default=list, help_text="[[indicator, points], …]")


def attachment_path(instance: ApplicationAttachment, filename: str) -> str:
    """Under MEDIA_ROOT: kkk/<cluster>/<random>.pdf — the user's file name is kept in `name` only."""
    return f"kkk/{instance.application.cluster.slug}/{uuid.uuid4().hex}.pdf"


class Application(models.Model):
    """A KKK application (KKK-1, KKK-3): a draft assembled live from the registry, or a
    registered one whose content is frozen with its number, id and checksum.

    The coordinator's own entries the registry does not hold (3.1–3.3 as written in the
    application, 3.5, the statements, FTE per member type) live here and are copied into
    the next draft of the same cluster.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        REGISTERED = "registered", _("registered")

    class Mode(models.TextChoices):
        GRANT = "grant", _("grant of status")
        RENEWAL = "renewal", _("renewal of status")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="kkk_applications")
    edition = models.CharField(_("competition edition"), max_length=20, default="2021")
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.GRANT)
    as_of = models.DateField(_("submission date (D)"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )

    # KKK-3: set once, at registration.
    year = models.PositiveIntegerField(_("registration year"), null=True, blank=True)
    seq = models.PositiveIntegerField(_("number in the year"), null=True, blank=True)
    number = models.CharField(_("application number"), max_length=40, blank=True)
    public_id = models.UUIDField(_("application ID"), null=True, blank=True, unique=True)
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content = models.JSONField(_("frozen content"), null=True, blank=True)

    # The coordinator's own entries.
    applicant_name = models.CharField(
        _("full name of the applicant (3.1)"), max_length=300, blank=True
    )
    applicant_address = models.CharField(
        _("seat of the applicant (3.2)"), max_length=300, blank=True
    )
    applicant_website = models.URLField(_("website of the applicant (3.3)"), blank=True)
    appointment_document = models.CharField(
        _("document appointing the coordinator (3.5)"), max_length=300, blank=True
    )
    appointment_date = models.DateField(_("date of that document (3.5)"), null=True, blank=True)
    previously_granted = models.BooleanField(
        _("the cluster held the KKK status before"), default=False
    )
    statements = models.JSONField(_("statements made"), default=list, blank=True)
    fte = models.JSONField(_("employment (FTE) per member type (7)"), default=dict, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # KKK-3: numbers are gap-free per cluster and year; two registrations never share one.
            models.UniqueConstraint(
                fields=["cluster", "year", "seq"], name="uniq_kkk_application_number"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft", seq__isnull=True, content__isnull=True)
                | models.Q(
                    status="registered",
                    seq__isnull=False,
                    content__isnull=False,
                    public_id__isnull=False,
                ),
                name="kkk_application_registered_is_complete",
            ),
        ]
        verbose_name = _("KKK application")
        verbose_name_plural = _("KKK applications")

    def __str__(self) -> str:
        if self.number:
            return f"{self.number} ({self.cluster})"
        return f"Wniosek KKK (projekt) — {self.cluster}, D = {self.as_of}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class ApplicationAttachment(models.Model):
    """An attachment of a draft (004 "Załączniki": PDF only, checked by its magic bytes on upload).

    Files are never deleted: a registered application names them by SHA-256 in its frozen
    content, and removing one from a draft only unlinks it."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("attachment"), max_length=2)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("application attachment")
        verbose_name_plural = _("application attachments")

    def __str__(self) -> str:
        return f"{self.kind}: {self.name}"
