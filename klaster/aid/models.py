"""The de minimis app's rows (SPEC §5, AID-1 … AID-8).

What is stored is what happened and what the office typed: undertakings and their dated control
links, mergers and splits, every grant from any granting body (imported certificates and the
cluster's own lending contracts), the NBP table A series, the lending queue (equipment, price
lists, applications with their documents, ranking lists), contracts, certificates and the
participants' duties. The verdict — the single undertaking on a day, the window, the used aid
and the headroom — is never stored: `klaster.aid.engine` reads the rows into the pure
`klaster.rules.aid` model and `klaster.rules.aid.check` decides, exactly as `klaster aid check`
does on a file.

Nothing here is edited once it counts: a wrong grant is corrected or voided by a new grant row
that supersedes it, a certificate likewise (AID-8).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from klaster.core.models import Cluster
from klaster.members.models import Member
from klaster.rules.aid.model import R717, R1407, R1408, R2831


def pln_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class Regulation(models.TextChoices):
    R2831 = R2831, _("Regulation 2023/2831 (de minimis, from 2024)")
    R1407 = R1407, _("Regulation 1407/2013 (de minimis, until 30 June 2024)")
    R1408 = R1408, _("Regulation 1408/2013 (agriculture)")
    R717 = R717, _("Regulation 717/2014 (fishery)")


# -- settings ------------------------------------------------------------------------------------


class AidSettings(models.Model):
    """The grantor's data printed on certificates and SHRIMP sheets (AID-6, AID-8)."""

    cluster = models.OneToOneField(Cluster, on_delete=models.CASCADE, related_name="aid_settings")
    grantor_name = models.CharField(_("granting body"), max_length=300)
    grantor_nip = models.CharField("NIP", max_length=10)
    grantor_address = models.CharField(_("granting body's address"), max_length=300)
    legal_basis = models.TextField(
        _("legal basis of the aid"),
        help_text=_("The programme and the rules under which the equipment is lent."),
    )
    project = models.CharField(_("project"), max_length=300, blank=True)
    signatory_name = models.CharField(_("signatory"), max_length=200)
    signatory_role = models.CharField(_("signatory's position"), max_length=200)
    #: the day the coordinator got access to SHRIMP (UOKiK); empty: not yet — a reminder
    shrimp_access_since = models.DateField(_("SHRIMP access since"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("de minimis settings")
        verbose_name_plural = _("de minimis settings")

    def __str__(self) -> str:
        return str(self.cluster)


# -- AID-1: undertakings and control links --------------------------------------------------------


class Undertaking(models.Model):
    """An undertaking in the register: a member, or a firm linked to one (AID-1)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="undertakings")
    nip = models.CharField("NIP", max_length=10)
    name = models.CharField(_("name"), max_length=300)
    address = models.CharField(_("address"), max_length=300, blank=True)
    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="undertakings",
        verbose_name=_("member"),
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts (month)"), default=1
    )
    fiscal_year_start_day = models.PositiveSmallIntegerField(
        _("fiscal year starts (day)"), default=1
    )
    road_freight = models.BooleanField(
        _("road freight transport for hire or reward"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("undertaking")
        verbose_name_plural = _("undertakings")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "nip"], name="aid_undertaking_nip_unique")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ControlLink(models.Model):
    """``parent`` controls ``child`` from ``start`` to ``end`` (both included), Art. 2(2)."""

    class Basis(models.TextChoices):
        A = "a", _("a) majority of the shareholders' or members' voting rights")
        B = "b", _("b) right to appoint or remove a majority of the board")
        C = "c", _("c) dominant influence by contract or articles")
        D = "d", _("d) control of a majority of voting rights by agreement")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="control_links")
    parent = models.ForeignKey(
        Undertaking,
        on_delete=models.CASCADE,
        related_name="controls",
        verbose_name=_("controlling"),
    )
    child = models.ForeignKey(
        Undertaking,
        on_delete=models.CASCADE,
        related_name="controlled_by",
        verbose_name=_("controlled"),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    basis = models.CharField(_("basis"), max_length=1, choices=Basis.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("control link")
        verbose_name_plural = _("control links")
        indexes = [models.Index(fields=["cluster", "start"])]


class Merger(models.Model):
    """AID-3: ``absorbed`` undertakings merged into ``into`` on ``date``."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="aid_mergers")
    date = models.DateField(_("date"))
    into = models.ForeignKey(
        Undertaking, on_delete=models.CASCADE, related_name="mergers_into", verbose_name=_("into")
    )
    absorbed = models.ManyToManyField(
        Undertaking, related_name="absorbed_in", verbose_name=_("absorbed")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("merger")
        verbose_name_plural = _("mergers")


class Split(models.Model):
    """AID-3: ``undertaking`` split on ``date``; it goes on only if it is one of the successors."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="aid_splits")
    date = models.DateField(_("date"))
    undertaking = models.ForeignKey(
        Undertaking, on_delete=models.CASCADE, related_name="splits", verbose_name=_("split")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("split")
        verbose_name_plural = _("splits")


class SplitSuccessor(models.Model):
    split = models.ForeignKey(Split, on_delete=models.CASCADE, related_name="successors")
    undertaking = models.ForeignKey(
        Undertaking, on_delete=models.CASCADE, related_name="succeeded", verbose_name=_("successor")
    )
    equity_pln = pln_field(_("equity (PLN)"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class SplitAssignment(models.Model):
    """A grant for an activity one successor took over goes to it whole (AID-3)."""

    split = models.ForeignKey(Split, on_delete=models.CASCADE, related_name="assignments")
    grant = models.ForeignKey("Grant", on_delete=models.CASCADE, related_name="assignments")
    to = models.ForeignKey(Undertaking, on_delete=models.CASCADE, related_name="assigned")


# -- AID-2: NBP rates --------------------------------------------------------------------------


class RateTable(models.Model):
    """One NBP table A: its date, number and the EUR mid rate (shared by every cluster)."""

    date = models.DateField(_("date"), unique=True)
    number = models.CharField(_("table"), max_length=20)
    mid = models.DecimalField(_("EUR mid rate"), max_digits=8, decimal_places=4)

    class Meta:
        verbose_name = _("NBP table A")
        verbose_name_plural = _("NBP tables A")
        ordering = ["date"]

    def __str__(self) -> str:
        return self.number


class RateSeries(models.Model):
    """The one row saying through which day the stored series is complete, and its source."""

    complete_through = models.DateField(_("complete through"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


# -- AID-1, AID-3: grants -----------------------------------------------------------------------


class ImportBatch(models.Model):
    """A file of certificates imported at once (all or nothing)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="aid_imports")
    filename = models.CharField(_("file"), max_length=255)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )


class Grant(models.Model):
    """A de minimis grant from any granting body (AID-1, AID-3). Never edited once it counts:
    a correction or a voiding is a new row that ``supersedes`` it."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", pgettext_lazy("grant kind", "original")
        CORRECTION = "correction", pgettext_lazy("grant kind", "correction")
        VOID = "void", pgettext_lazy("grant kind", "voiding")

    class Source(models.TextChoices):
        CONTRACT = "contract", _("lending contract of the cluster")
        IMPORT = "import", _("imported certificate")
        OFFICE = "office", _("entered by the office")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="grants")
    undertaking = models.ForeignKey(
        Undertaking, on_delete=models.PROTECT, related_name="grants", verbose_name=_("undertaking")
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ORIGINAL)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    #: the grant's id in the file it was imported from (``klaster-aid/1`` ``grants[].id``)
    ref = models.CharField(_("id in the imported file"), max_length=60, blank=True)
    body_name = models.CharField(_("granting body"), max_length=300)
    body_nip = models.CharField(_("granting body's NIP"), max_length=10, blank=True)
    regulation = models.CharField(_("regulation"), max_length=10, choices=Regulation.choices)
    granted_on = models.DateField(_("day of grant"))
    amount_pln = pln_field(_("gross value (PLN)"), null=True, blank=True)
    amount_eur = pln_field(_("gross value (EUR)"), null=True, blank=True)
    #: AID-2: the NBP table used for the EUR value (own grants; imported ones when converted)
    rate_table = models.CharField(_("NBP table"), max_length=20, blank=True)
    rate_date = models.DateField(_("table date"), null=True, blank=True)
    rate_mid = models.DecimalField(
        _("EUR mid rate"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    certificate_no = models.CharField(_("certificate number"), max_length=60, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="grants"
    )
    #: AID-8: the day the grant was reported to SHRIMP (own grants only)
    reported_on = models.DateField(_("reported to SHRIMP"), null=True, blank=True)
    reported_ref = models.CharField(_("SHRIMP reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("de minimis grant")
        verbose_name_plural = _("de minimis grants")
        indexes = [
            models.Index(fields=["undertaking", "granted_on"]),
            models.Index(fields=["cluster", "source", "reported_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_no or self.pk} ({self.granted_on})"


# -- AID-4, AID-5: lending ------------------------------------------------------------------------


class Equipment(models.Model):
    """A product of the project lent to members (003 §2)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(_("name"), max_length=300)
    inventory_no = models.CharField(_("inventory number"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("lent"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PriceList(models.Model):
    """A dated price list of one product (AID-6, 003 §5.5): the fee for upkeep and for lending
    per day, and the value of de minimis aid per day of use."""

    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="prices")
    valid_from = models.DateField(_("valid from"))
    upkeep_fee_per_day = pln_field(_("upkeep fee per day (PLN)"))
    lending_fee_per_day = pln_field(_("lending fee per day (PLN)"))
    aid_per_day = pln_field(_("de minimis aid per day (PLN gross)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["equipment", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["equipment", "valid_from"], name="aid_price_day_unique")
        ]


class Application(models.Model):
    """An application to use a product, stamped with its arrival (AID-4)."""

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("application", "received")
        COMPLETE = "complete", pgettext_lazy("application", "complete")
        INCOMPLETE = "incomplete", pgettext_lazy("application", "incomplete")
        CHOSEN = "chosen", pgettext_lazy("application", "chosen")
        WAITING = "waiting", pgettext_lazy("application", "waiting for return")
        CONTRACTED = "contracted", pgettext_lazy("application", "contract signed")
        REFUSED = "refused", pgettext_lazy("application", "refused")
        WITHDRAWN = "withdrawn", pgettext_lazy("application", "withdrawn")
        RETURNED = "returned", pgettext_lazy("application", "returned")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="aid_applications")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="aid_applications", verbose_name=_("member")
    )
    equipment = models.ForeignKey(
        Equipment,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("equipment"),
    )
    start = models.DateField(_("use from"))
    end = models.DateField(_("use until"))
    purpose = models.TextField(_("purpose"), blank=True)
    arrived_at = models.DateTimeField(_("arrived"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    score = models.DecimalField(
        _("evaluation"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    result_sent_at = models.DateTimeField(_("applicant told"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lending application")
        verbose_name_plural = _("lending applications")
        ordering = ["arrived_at", "id"]
        indexes = [models.Index(fields=["cluster", "equipment", "status"])]


class ApplicationDocument(models.Model):
    """A document of the checklist received for an application (AID-4, 003 §4.6)."""

    class Kind(models.TextChoices):
        RULES = "rules", _("signed rules with the statement of acceptance")
        ANNEX1 = "annex1", _("information form (Annex 1)")
        CERTIFICATES = "certificates", _("de minimis certificates of the last 3 calendar years")
        STATEMENT_2A = "statement_2a", _("statement of aid received (Annex 2a)")
        STATEMENT_2B = "statement_2b", _("statement of no aid received (Annex 2b)")
        ANNEX3 = "annex3", _("form of the products and terms (Annex 3)")
        EXTRACT = "extract", _("KRS or CEIDG extract")

    class Form(models.TextChoices):
        PAPER = "paper", _("paper original")
        CERTIFIED_COPY = "copy", _("copy certified as true")
        PRINTOUT = "printout", _("printout from KRS or CEIDG")
        ELECTRONIC = "electronic", _("electronic only")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=14, choices=Kind.choices)
    form = models.CharField(_("form"), max_length=10, choices=Form.choices)
    received_on = models.DateField(_("received"))
    issued_on = models.DateField(_("issued"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Ranking(models.Model):
    """A ranking list for one product when demand overlaps, approved by the coordinator's
    management (AID-5, 003 §5.3)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="aid_rankings")
    equipment = models.ForeignKey(Equipment, on_delete=models.PROTECT, related_name="rankings")
    start = models.DateField(_("period from"))
    end = models.DateField(_("period until"))
    created_at = models.DateTimeField(auto_now_add=True)
    approved_on = models.DateField(_("approved"), null=True, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=300, blank=True)
    approval_ref = models.CharField(_("management's resolution"), max_length=200, blank=True)


class RankingEntry(models.Model):
    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="rankings")
    position = models.PositiveSmallIntegerField(_("position"))
    chosen = models.BooleanField(_("chosen"), default=False)

    class Meta:
        ordering = ["position"]


# -- AID-6: contracts and certificates ---------------------------------------------------------


class Contract(models.Model):
    """A paid lending contract (AID-6): signed on the day of grant (AID-2)."""

    class Status(models.TextChoices):
        SIGNED = "signed", pgettext_lazy("contract", "signed")
        RETURNED = "returned", pgettext_lazy("contract", "returned")
        VOID = "void", pgettext_lazy("contract", "void")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="aid_contracts")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="contract"
    )
    number = models.CharField(_("number"), max_length=60)
    signed_on = models.DateField(_("signed"))
    start = models.DateField(_("use from"))
    end = models.DateField(_("use until"))
    upkeep_fee = pln_field(_("upkeep fee (PLN)"))
    lending_fee = pln_field(_("lending fee (PLN)"))
    aid_pln = pln_field(_("de minimis aid (PLN)"))
    grant = models.OneToOneField(Grant, on_delete=models.PROTECT, related_name="contract")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SIGNED
    )
    returned_on = models.DateField(_("returned"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("lending contract")
        verbose_name_plural = _("lending contracts")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "number"], name="aid_contract_number_unique")
        ]


class Certificate(models.Model):
    """A certificate of de minimis aid (AID-6, AID-8): the fields of the 2024 template as they
    were at issue. A correction or voiding is a new certificate that supersedes it."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="aid_certificates")
    grant = models.OneToOneField(Grant, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("issued"))
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    #: the printed fields frozen at issue (grantor, beneficiary, values, basis, signatory)
    fields = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "number"], name="aid_certificate_number_unique"
            )
        ]


class Duty(models.Model):
    """A participant's duty (AID-7, 003 §6): a usage report asked for with its deadline, or a
    status change reported."""

    class Kind(models.TextChoices):
        USAGE_REPORT = "usage_report", _("report on the use of the product")
        STATUS_CHANGE = "status_change", _("change of the participant's status")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="aid_duties")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="duties")
    kind = models.CharField(_("duty"), max_length=14, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=500, blank=True)
    requested_on = models.DateField(_("asked on"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Counter(models.Model):
    """The last number given per series (contract, certificate) and year, without gaps."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="aid_counters")
    series = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cluster", "series", "year"], name="aid_counter_unique")
        ]
