"""Advanced Cooperation Groups — Grupy Zaawansowanej Współpracy (SPEC §3, GZW-1 … GZW-5).

000 §14: six standing areas, more groups created by the Board on an initiative, and two special
forms (project consortia, special-purpose companies). 001 "Zaawansowana współpraca": a group
starts with 5 declarations; extra payments for extra actions. 001 "Poufność" 2: group meetings
are confidential by default. 001 "Komunikacja" 2: a contact list per group.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from klaster.core.models import Cluster
from klaster.members.models import Member


class GroupKind(models.TextChoices):
    AREA = "area", _("standing area")
    ADDITIONAL = "additional", _("additional group")
    CONSORTIUM = "consortium", _("project consortium")
    SPECIAL_PURPOSE = "special_purpose", _("special-purpose company")


#: 000 §14.3: the special forms of a group; their initiators notify the coordinator and the
#: Board (§14.4) and the Council gives an opinion (§14.5).
SPECIAL_KINDS = (GroupKind.CONSORTIUM, GroupKind.SPECIAL_PURPOSE)


class GroupArea(models.TextChoices):
    """000 §14.1 — the keys match klaster.rules.governance.working_groups.STANDARD_AREAS."""

    TECHNOLOGY_RD = "technology_rd", _("technology, including research and development")
    IT = "it", _("IT")
    INTERNATIONALISATION = "internationalisation", _("internationalisation")
    HUMAN_RESOURCES = "human_resources", _("human resources")
    PURCHASING = "purchasing", _("purchasing groups")
    PROMOTION_MARKETING = "promotion_marketing", _("promotion and marketing")


class GroupStatus(models.TextChoices):
    FORMING = "forming", _("collecting declarations")
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")


class CompanyForm(models.TextChoices):
    SPIN_OFF = "spin_off", _("spin-off")
    SPIN_OUT = "spin_out", _("spin-out")
    OTHER = "other", _("other special-purpose company")


class Opinion(models.TextChoices):
    POSITIVE = "positive", _("positive")
    NEGATIVE = "negative", _("negative")


class WorkingGroup(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="working_groups")
    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices)
    area = models.CharField(_("area"), max_length=30, choices=GroupArea.choices, blank=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.FORMING
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # 001 "Poufność" 2: members may decide that a project is confidential as a whole; then
    # only the group's members and the office know it exists.
    confidential = models.BooleanField(
        _("confidential as a whole"),
        default=False,
        help_text=_("Only the group's members and the cluster office see the group at all."),
    )

    # GZW-1 (000 §14.2): who took the initiative and the Board's resolution creating the group.
    initiators = models.ManyToManyField(
        Member, related_name="+", blank=True, verbose_name=_("initiators")
    )
    by_coordinator = models.BooleanField(_("initiative of the coordinator alone"), default=False)
    initiative_date = models.DateField(_("date of the initiative"), null=True, blank=True)
    board_resolution = models.CharField(_("Board resolution"), max_length=200, blank=True)
    board_resolution_date = models.DateField(
        _("date of the Board resolution"), null=True, blank=True
    )

    # GZW-3 (000 §14.3–14.5): special forms.
    company_form = models.CharField(
        _("form of the company"), max_length=10, choices=CompanyForm.choices, blank=True
    )
    council_opinion = models.CharField(
        _("Council opinion"), max_length=10, choices=Opinion.choices, blank=True
    )
    council_opinion_text = models.TextField(_("text of the Council opinion"), blank=True)
    council_opinion_date = models.DateField(_("date of the Council opinion"), null=True, blank=True)
    council_recommends_for_strategy = models.BooleanField(
        _("recommended for the next strategy update"),
        default=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="uniq_group_name"),
            models.UniqueConstraint(
                fields=["cluster", "area"], condition=Q(kind="area"), name="uniq_group_area"
            ),
            models.CheckConstraint(
                condition=~Q(kind="area") | ~Q(area=""), name="area_group_has_area"
            ),
        ]
        indexes = [models.Index(fields=["cluster", "status"])]
        verbose_name = _("advanced cooperation group")
        verbose_name_plural = _("advanced cooperation groups")

    def __str__(self) -> str:
        return self.name

    @property
    def is_special(self) -> bool:
        return self.kind in SPECIAL_KINDS


class Declaration(models.Model):
    """GZW-2: a member's dated declaration of joining a group, and its dated withdrawal.

    A member that joins again after withdrawing gets a new row; history is never overwritten."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="declarations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="group_declarations")
    declared_on = models.DateField(_("declared on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    # GZW-5: the person the member sends to the group (goes to the group's contact list).
    contact_name = models.CharField(_("person in the group"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail of the person in the group"), blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["declared_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"],
                condition=Q(withdrawn_on__isnull=True),
                name="uniq_open_declaration",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | Q(withdrawn_on__gte=models.F("declared_on")),
                name="withdrawal_after_declaration",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "declared_on"]),
            models.Index(fields=["member", "group"]),
        ]
        verbose_name = _("declaration of joining")
        verbose_name_plural = _("declarations of joining")

    def __str__(self) -> str:
        return f"{self.member} → {self.group} ({self.declared_on})"


class GroupPayment(models.Model):
    """GZW-2 (001 "Zaawansowana współpraca" 4): an extra payment agreed with the coordinator for a
    group's extra actions. Money is an exact decimal in PLN."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="payments")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="group_payments")
    amount = models.DecimalField(_("amount (PLN)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    purpose = models.CharField(_("purpose"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="group_payment_positive")
        ]
        verbose_name = _("extra payment")
        verbose_name_plural = _("extra payments")

    def __str__(self) -> str:
        return f"{self.member} {self.amount} PLN {self.paid_on}"


class GroupMeeting(models.Model):
    """GZW-4 (001 "Poufność" 2): every group meeting is confidential unless the office says otherwise."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    confidential = models.BooleanField(_("confidential"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")

    def __str__(self) -> str:
        return f"{self.group} {self.date}"


class GroupMaterial(models.Model):
    """GZW-4: a material given to the group. Confidential by default; the member that provided it
    (or the office) may change that (001 "Poufność" 1)."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="materials")
    meeting = models.ForeignKey(
        GroupMeeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to="groups/materials/%Y/", blank=True)
    confidential = models.BooleanField(_("confidential"), default=True)
    # None: provided by the cluster office.
    provided_by = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provided by"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("group material")
        verbose_name_plural = _("group materials")

    def __str__(self) -> str:
        return self.title


class GroupContact(models.Model):
    """GZW-5: a contact the office adds to a group's list beyond the members' own people."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="extra_contacts")
    name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "email"], name="uniq_group_contact_email")
        ]
        verbose_name = _("group contact")
        verbose_name_plural = _("group contacts")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Recipient(models.TextChoices):
    COORDINATOR = "coordinator", _("the coordinator")
    BOARD = "board", _("the Board")


class SpecialFormNotification(models.Model):
    """GZW-3 (000 §14.4): the initiators of a special form notified the coordinator or the Board."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.CharField(_("notified"), max_length=12, choices=Recipient.choices)
    notified_on = models.DateField(_("notified on"))
    addresses = models.JSONField(_("e-mail addresses"), default=list, blank=True)
    # When the product itself sent the e-mail; None: the notification was made otherwise (paper).
    sent_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["notified_on", "id"]
        verbose_name = _("notification of a special form")
        verbose_name_plural = _("notifications of special forms")

    def __str__(self) -> str:
        return f"{self.group} → {self.get_recipient_display()} {self.notified_on}"
