"""Clusters as tenants (MEM-1), who may do what in which cluster, the audit log (PLT-4),
and the dated statute profile versions (SPEC §2: numbers are data)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SpecialisationClassification(models.TextChoices):
    """MEM-1: a specialisation is PKD or EKD codes, or a description of at most 150 characters."""

    PKD = "PKD", "PKD"
    EKD = "EKD", "EKD"
    DESCRIPTION = "description", _("description only")


class StartKind(models.TextChoices):
    """KKK application 3.8: what confirms the cluster's actual start (more than one may apply)."""

    JOINT_PROJECT = "joint_project", _("a joint project of the cluster")
    STRATEGIC_DOCUMENT = "strategic_document", _("the cluster named in a strategic document")
    INTERNATIONAL_NETWORK = "international_network", _("joining an international branch network")
    ESCA = "esca", _("an ESCA certificate")
    OTHER = "other", _("other")


class Cluster(models.Model):
    """One tenant. Every other record belongs to exactly one cluster (MEM-1)."""

    class Mode(models.TextChoices):
        GRANT = "grant", _("grant of status")
        RENEWAL = "renewal", _("renewal of status")

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name = models.CharField(_("official name"), max_length=300)
    website = models.URLField(_("website"), blank=True)
    specialisation_classification = models.CharField(
        _("specialisation classification"),
        max_length=20,
        blank=True,
        help_text=_("PKD, EKD or a description"),
    )
    specialisation_codes = models.JSONField(_("specialisation codes"), default=list, blank=True)
    specialisation_description = models.CharField(
        _("specialisation description"), max_length=150, blank=True
    )
    agreement_date = models.DateField(_("date of the cluster agreement"), null=True, blank=True)
    actual_start_year = models.PositiveIntegerField(
        _("year activity actually started"), null=True, blank=True
    )
    actual_start_kinds = models.JSONField(_("kinds of actual start"), default=list, blank=True)
    actual_start_description = models.TextField(_("actual start description"), blank=True)
    eccp_registered = models.BooleanField(_("registered on the ECCP"), default=False)
    mode = models.CharField(
        _("KKK application mode"), max_length=10, choices=Mode.choices, default=Mode.GRANT
    )
    as_of = models.DateField(_("default evaluation date"), null=True, blank=True)
    # Members' cached status follows dated events; this is the day it was last brought up to
    # date (members.services.statuses_bring_up_to_date, the background worker's daily job), so an
    # event dated in the future takes effect on its day without anyone touching the member.
    statuses_as_of = models.DateField(
        _("member statuses brought up to date on"),
        null=True,
        default=timezone.localdate,
        editable=False,
    )

    # MEM-2: the coordinator is itself a member of the cluster.
    coordinator = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coordinator"),
    )
    coordinator_experience_years = models.DecimalField(
        _("years of cluster animation"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    coordinator_appointment = models.CharField(
        _("document appointing the coordinator"), max_length=300, blank=True
    )
    platform_communication = models.BooleanField(
        _("internal communication platform"), default=False
    )
    platform_purchasing = models.BooleanField(_("purchasing platform"), default=False)
    platform_sales = models.BooleanField(_("sales platform"), default=False)
    dues_revenue = models.BooleanField(_("financed in part by members' dues"), default=False)
    sub_account_iban = models.CharField(_("cluster sub-account (IBAN)"), max_length=34, blank=True)

    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_position = models.CharField(_("position"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=50, blank=True)
    contact_address = models.CharField(_("address"), max_length=300, blank=True)
    # What an imported file carried that is not yet modelled elsewhere (e.g. the KKK panel).
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Strategy(models.Model):
    """Development strategies (KKK section 6; S1-21 needs one valid on D)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="strategies")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("name"), max_length=300)
    adopted = models.DateField(_("adopted or updated"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICE = "office", _("cluster office")
    ORGAN_MEMBER = "organ_member", _("organ member")
    REPRESENTATIVE = "representative", _("member representative")
    FORUM_VIEWER = "forum_viewer", _("forum viewer")


class ClusterRole(models.Model):
    """A user's grant in one cluster. A representative acts for one member only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cluster_roles"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="representatives",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cluster", "role", "member"], name="uniq_cluster_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role="representative", member__isnull=False)
                | (~models.Q(role="representative") & models.Q(member__isnull=True)),
                name="representative_has_member",
            ),
        ]
        verbose_name = _("role in a cluster")
        verbose_name_plural = _("roles in clusters")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.cluster}"


class AuditLog(models.Model):
    """PLT-4: who changed what, old → new, when and from where; written in the change's transaction."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, null=True, blank=True, related_name="audit"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=40)
    model = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=40, blank=True, help_text=_("web, api, cli, import")
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class StatuteProfileVersion(models.Model):
    """A cluster's statute numbers (SPEC §2) in force from a date, in numbered revisions.

    A meeting is convened under the version in force on its day — the latest `valid_from` on or
    before it, and of that day the highest `revision` — and keeps it (`Meeting.statute_version`).
    Once anything was recorded under a version it never changes: a correction of the same day's
    numbers is a new row with the next revision (`klaster.core.services.statute_profile_set`), so
    the records made under the old one still say which numbers decided them.
    """

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="statute_versions")
    valid_from = models.DateField(_("in force from"))
    #: 1 for the day's first version; each correction of the same day's numbers takes the next.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    preset = models.CharField(_("based on preset"), max_length=40, blank=True)
    data = models.JSONField(_("numbers"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cluster", "-valid_from", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "valid_from", "revision"],
                name="uniq_statute_version_day_revision",
            )
        ]
        verbose_name = _("statute profile version")
        verbose_name_plural = _("statute profile versions")

    def __str__(self) -> str:
        return f"{self.cluster} od {self.valid_from:%d.%m.%Y}, rewizja {self.revision}"


class JobRun(models.Model):
    """One run of a scheduled job (klaster.core.jobs) for one day — the key that makes it happen
    once: `klaster run-scheduled` creates the row (and enqueues its task) only when none exists
    for the job and day, and a worker runs it only by moving it from queued/retry to running in
    one UPDATE, so two schedulers or two workers never run one job twice. A job's per-cluster
    step (e.g. the deadlines e-mailed to one cluster's office) is a row of its own with the
    cluster, kept the same way; those rows are what the cluster's home shows as done by itself.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        RETRY = "retry", _("to be retried")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    name = models.CharField(_("job"), max_length=80)
    day = models.DateField(_("day"))
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, null=True, blank=True, related_name="job_runs"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="queued")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    #: what the job returned (a summary) or, after a failure, the error
    result = models.TextField(_("result"), blank=True)

    class Meta:
        ordering = ["-day", "-id"]
        constraints = [
            # NULLs are distinct in a unique index: the job-wide row gets its own partial one
            models.UniqueConstraint(
                fields=["name", "day"],
                condition=models.Q(cluster__isnull=True),
                name="uniq_job_run_day",
            ),
            models.UniqueConstraint(
                fields=["name", "day", "cluster"],
                condition=models.Q(cluster__isnull=False),
                name="uniq_job_run_day_cluster",
            ),
        ]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self) -> str:
        return f"{self.name} {self.day:%d.%m.%Y}"


class OutboxMessage(models.Model):
    """One e-mail the product sends (PLT-2), kept whole: the queue the worker delivers from
    (klaster.core.outbox) and the record the office reads afterwards. A row is taken for sending
    by one UPDATE (queued/retry → sending with the taker's claim), so two workers never send it
    twice; a temporary refusal is retried after a growing pause, a permanent one (5xx) is a
    bounce, recorded on the row and not retried."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        RETRY = "retry", _("to be retried")
        SENT = "sent", _("sent")
        BOUNCED = "bounced", _("bounced")
        FAILED = "failed", _("not sent")

    class Kind(models.TextChoices):
        NEWSLETTER = "newsletter", _("newsletter")
        EVENT = "event", _("event invitation")
        NOTICE = "notice", _("meeting notice")
        SUMMARY = "summary", _("meeting summary")
        REMINDER = "reminder", _("reminder")
        OTHER = "other", _("other message")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="outbox")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default="other")
    #: a statutory notice: sent whatever the recipient's newsletter choices
    statutory = models.BooleanField(_("statutory"), default=False)
    #: what the message belongs to, e.g. "newsletter:12" (the sender's page lists its messages)
    source = models.CharField(_("source"), max_length=80, blank=True, db_index=True)
    sender = models.CharField(_("from"), max_length=254)
    to = models.JSONField(_("to"), default=list)
    subject = models.CharField(_("subject"), max_length=300)
    #: the whole MIME message as sent (bounded by klaster.core.outbox.MAX_MESSAGE_BYTES)
    raw = models.BinaryField(_("message"))
    #: its Message-ID: a delivery report that comes back later names it (klaster.core.outbox)
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default="queued")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")

    def __str__(self) -> str:
        return self.subject
