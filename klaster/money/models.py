"""The money app's rows (SPEC §4, FIN-1 … FIN-4): settings, tariff, documents, statements.

The ledger itself is not stored: a member's open amounts, credit and the allocations are read
from its documents and payments by the pure `klaster.rules.money.ledger` every time
(`selectors.cluster_ledger`). What is stored is what happened — a document issued with its
number, a bank entry imported, a payment recorded, an arrears step taken — and none of it is
edited afterwards: a correction is a correcting document, a wrong match is undone by a new
payment row, never by changing an old one.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from klaster.core.models import Cluster
from klaster.members.models import Member

ZERO = Decimal("0.00")


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class MoneySettings(models.Model):
    """One cluster's money settings (FIN-1, FIN-2): what the dues run needs besides the tariff."""

    cluster = models.OneToOneField(Cluster, on_delete=models.CASCADE, related_name="money_settings")
    billing_start = models.DateField(
        _("dues billed through Klaster from"),
        help_text=_("Months before this one are not billed by the product."),
    )
    payment_term_days = models.PositiveSmallIntegerField(_("payment term (days)"), default=14)
    sub_account_iban = models.CharField(
        _("account for dues on documents"),
        max_length=34,
        blank=True,
        help_text=_("The cluster's sub-account printed on every document (IBAN)."),
    )
    #: the columns of the bank's CSV export (klaster.rules.money.bank.CsvMapping's fields); empty:
    #: only MT940 and camt.053 are read
    csv_mapping = models.JSONField(_("bank CSV columns"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("money settings")
        verbose_name_plural = _("money settings")

    def __str__(self) -> str:
        return str(self.cluster)


class ClusterAccount(models.Model):
    """An account of the cluster whose statements are imported (`cluster.bank_accounts`)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="bank_accounts")
    account = models.CharField(_("account number"), max_length=34)  # normalised: digits, no PL

    class Meta:
        verbose_name = _("cluster bank account")
        verbose_name_plural = _("cluster bank accounts")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "account"], name="money_account_once")
        ]

    def __str__(self) -> str:
        return self.account


class FeeType(models.Model):
    """A kind of charge (FIN-1): the dues, the entry fee, or one the cluster adds, with its
    interest regime (FIN-4); the VAT treatment is dated (`VatTreatment`)."""

    class Regime(models.TextChoices):
        STATUTORY = "statutory", _("statutory interest for delay (art. 481 KC)")
        COMMERCIAL = "commercial", _("interest in commercial transactions")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="fee_types")
    key = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    interest_regime = models.CharField(
        _("interest regime"), max_length=12, choices=Regime.choices, default=Regime.STATUTORY
    )
    recovery_compensation = models.BooleanField(
        _("add the EUR 40/70/100 recovery compensation"), default=False
    )

    class Meta:
        verbose_name = _("fee type")
        verbose_name_plural = _("fee types")
        constraints = [models.UniqueConstraint(fields=["cluster", "key"], name="money_fee_key")]

    def __str__(self) -> str:
        return self.name


class VatTreatment(models.Model):
    """From `valid_from` on, the fee type is taxable (an invoice) or outside VAT (a debit note)."""

    class Treatment(models.TextChoices):
        TAXABLE = "taxable", _("taxable: VAT invoice")
        OUTSIDE_VAT = "outside_vat", _("outside VAT: debit note")

    fee_type = models.ForeignKey(FeeType, on_delete=models.CASCADE, related_name="vat_settings")
    valid_from = models.DateField(_("from"))
    treatment = models.CharField(_("VAT treatment"), max_length=12, choices=Treatment.choices)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("VAT treatment")
        verbose_name_plural = _("VAT treatments")
        constraints = [
            models.UniqueConstraint(fields=["fee_type", "valid_from"], name="money_vat_once")
        ]


class TariffVersion(models.Model):
    """Monthly net dues per category from `valid_from` (FIN-1): {"micro": "180.00", …}."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="tariffs")
    valid_from = models.DateField(_("in force from"))
    monthly = models.JSONField(_("monthly net amounts"))
    note = models.CharField(_("basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "valid_from"], name="money_tariff_once")
        ]


class Billing(models.TextChoices):
    MONTH = "month", pgettext_lazy("billing period", "month")
    QUARTER = "quarter", pgettext_lazy("billing period", "quarter")
    HALF_YEAR = "half_year", pgettext_lazy("billing period", "half-year")
    YEAR = "year", pgettext_lazy("billing period", "year")


class MemberBilling(models.Model):
    """How one member is billed (FIN-2) and how its payments are recognised (FIN-3)."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="billing")
    billing = models.CharField(
        _("billing period"), max_length=10, choices=Billing.choices, default=Billing.MONTH
    )
    reference = models.CharField(
        _("payment reference"),
        max_length=40,
        blank=True,
        help_text=_("Printed in the payment title; empty: the member's identifier."),
    )
    virtual_account = models.CharField(_("virtual sub-account"), max_length=34, blank=True)
    vat_payer = models.BooleanField(_("active VAT payer"), default=True)

    class Meta:
        verbose_name = _("member billing")
        verbose_name_plural = _("member billing")


class PayerAccount(models.Model):
    """An account a member pays from (`members[].bank_accounts`): evidence for matching."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="payer_accounts")
    account = models.CharField(_("account number"), max_length=34)

    class Meta:
        verbose_name = _("payer account")
        verbose_name_plural = _("payer accounts")
        constraints = [
            models.UniqueConstraint(fields=["member", "account"], name="money_payer_once")
        ]


class DocumentCounter(models.Model):
    """The last number given in a series and year (FIN-2: no gaps). Raised with an UPDATE in
    the issuing transaction, so a rolled-back issue gives its number back."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cluster", "series", "year"], name="money_counter")
        ]


class Document(models.Model):
    """An invoice, a debit note or a correcting document (FIN-2). Never edited once issued,
    except its KSeF state (the outbox fills it in)."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("VAT invoice")
        DEBIT_NOTE = "debit_note", _("debit note")
        CORRECTION = "correction", _("correcting document")

    class Ksef(models.TextChoices):
        NONE = "", _("not sent to KSeF")
        WAITING = "waiting", _("waiting to be sent")
        SENT = "sent", _("accepted by KSeF")
        OFFLINE = "offline", _("issued offline, to be sent")
        FAILED = "failed", _("refused by KSeF")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="money_documents")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="money_documents")
    fee_type = models.ForeignKey(FeeType, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    series = models.CharField(_("series"), max_length=8)
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("number in the series"))
    number = models.CharField(_("number"), max_length=40)
    issued = models.DateField(_("issued"))
    due = models.DateField(_("due"))
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    billing = models.CharField(_("billing period"), max_length=10, blank=True)
    net = money_field(_("net"))
    vat = money_field(_("VAT"))
    gross = money_field(_("gross"))
    vat_rate = models.CharField(_("VAT rate"), max_length=8, blank=True)  # "23" or "" (none)
    months = models.JSONField(_("months"), default=list)  # [["2026-12-01", "180.00"], …]
    explanation = models.JSONField(_("how it was computed"), default=dict)  # a rule message
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    ksef_state = models.CharField(
        _("KSeF"), max_length=10, choices=Ksef.choices, default=Ksef.NONE, blank=True
    )
    ksef_number = models.CharField(_("KSeF number"), max_length=40, blank=True)
    ksef_upo = models.TextField(_("KSeF receipt (UPO)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["issued", "series", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "number"], name="money_document_number"),
            models.UniqueConstraint(
                fields=["cluster", "series", "year", "seq"], name="money_document_seq"
            ),
            # a period is billed once per member and fee type (the dues run is idempotent)
            models.UniqueConstraint(
                fields=["member", "fee_type", "period_start"],
                condition=models.Q(corrects__isnull=True, period_start__isnull=False),
                name="money_period_once",
            ),
        ]
        indexes = [models.Index(fields=["cluster", "member"], name="money_doc_member")]

    def __str__(self) -> str:
        return self.number


class Statement(models.Model):
    """One imported bank statement (FIN-3): the file as the bank wrote it, read once."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="statements")
    account = models.CharField(_("account"), max_length=34)
    number = models.CharField(_("statement number"), max_length=40, blank=True)
    date_from = models.DateField(_("from"), null=True)
    date_to = models.DateField(_("to"), null=True)
    opening = money_field(_("opening balance"))
    closing = money_field(_("closing balance"))
    format = models.CharField(_("format"), max_length=20)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    sha256 = models.CharField(max_length=64)
    lines = models.PositiveIntegerField(_("entries"))
    duplicates = models.PositiveIntegerField(_("entries already imported"), default=0)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-imported_at"]


class BankEntry(models.Model):
    """One entry of a statement and what became of it (FIN-3). `key` (account, booking date,
    amount, bank reference) is unique per cluster: importing it again changes nothing."""

    class State(models.TextChoices):
        MATCHED = "matched", _("matched")
        QUEUED = "queued", _("waiting for the office")
        RESOLVED = "resolved", _("assigned by the office")
        IGNORED = "ignored", _("not a member's payment")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="bank_entries")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="entries")
    line = models.PositiveIntegerField(_("line"))
    key = models.CharField(max_length=200)
    booked = models.DateField(_("booked"))
    amount = money_field(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    title = models.TextField(_("title"), blank=True)
    counterparty_name = models.CharField(_("payer"), max_length=300, blank=True)
    counterparty_iban = models.CharField(_("payer's account"), max_length=34, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    candidates = models.JSONField(
        _("candidates"), default=list
    )  # [{"member": id, "documents": []}]

    class Meta:
        verbose_name = _("bank entry")
        verbose_name_plural = _("bank entries")
        ordering = ["statement", "line"]
        constraints = [models.UniqueConstraint(fields=["cluster", "key"], name="money_entry_once")]
        indexes = [models.Index(fields=["cluster", "state"], name="money_entry_state")]


class Payment(models.Model):
    """Money a member paid (FIN-3): a matched or office-assigned bank entry, or a receipt the
    office records. The ledger applies it: documents named first, then oldest due first, the
    rest as the member's credit. An entry gives at most one payment (`entry` unique)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="payments")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="payments")
    entry = models.OneToOneField(
        BankEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="payment"
    )
    day = models.DateField(_("paid on"))
    amount = money_field(_("amount"))
    documents = models.JSONField(_("documents named"), default=list)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["day", "id"]
        indexes = [models.Index(fields=["cluster", "member"], name="money_pay_member")]

    @property
    def ref(self) -> str:
        return f"p{self.pk}"


class ArrearsStep(models.Model):
    """A step taken about a member's arrears (FIN-4), with its date: the notice after the
    first limit, the letter after the second."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("notice by e-mail")
        LETTER = "letter", _("registered letter")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="arrears_steps")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="arrears_steps")
    kind = models.CharField(_("step"), max_length=10, choices=Kind.choices)
    stage = models.CharField(_("stage"), max_length=6)
    day = models.DateField(_("date"))
    documents = models.JSONField(_("documents"), default=list)
    regime = models.CharField(_("interest regime"), max_length=40, blank=True)
    interest = money_field(_("interest"), default=ZERO)
    #: FIN-4: the EUR 40/70/100 recovery compensation claimed, in PLN (0 when the fee types
    #: of the documents do not add it)
    compensation = money_field(_("compensation for recovery costs"), default=ZERO)
    emailed_to = models.JSONField(_("e-mailed to"), default=list, blank=True)
    send_error = models.TextField(_("sending error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("arrears step")
        verbose_name_plural = _("arrears steps")
        ordering = ["day", "id"]


class KsefAttempt(models.Model):
    """One try of the KSeF outbox to send a document (FIN-2, issue 10 point 3): when, how it
    went, the session/invoice reference or the error; the document keeps the final state."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="ksef_attempts")
    at = models.DateTimeField(_("at"))
    ok = models.BooleanField(_("accepted"), default=False)
    offline = models.BooleanField(_("issued offline"), default=False)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("KSeF attempt")
        verbose_name_plural = _("KSeF attempts")
        ordering = ["at", "id"]


class FinancialPlan(models.Model):
    """The financial plan of a fiscal year (FIN-11): prepared by the Board with the coordinator,
    approved by the General Assembly; its execution is reported the next year."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="financial_plans")
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    approved_on = models.DateField(_("approved by the General Assembly on"), null=True, blank=True)
    approval = models.CharField(_("resolution approving it"), max_length=200, blank=True)
    report_approved_on = models.DateField(_("execution report approved on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("financial plan")
        verbose_name_plural = _("financial plans")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["cluster", "year"], name="money_plan_year")]


class PlanLine(models.Model):
    """One line of a plan: income or cost, planned and (once known) executed, with the reason
    for a deviation (FIN-11)."""

    class Side(models.TextChoices):
        INCOME = "income", _("income")
        COST = "cost", _("cost")

    plan = models.ForeignKey(FinancialPlan, on_delete=models.CASCADE, related_name="lines")
    side = models.CharField(_("side"), max_length=6, choices=Side.choices)
    name = models.CharField(_("item"), max_length=200)
    planned = money_field(_("planned"))
    executed = money_field(_("executed"), null=True, blank=True)
    explanation = models.TextField(_("deviation explained"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["side", "order", "id"]


class StaffTime(models.Model):
    """Hours a person worked for the cluster in a month (FIN-10): the coordinator's staff and the
    persons delegated to the cluster, GZW work marked."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="staff_time")
    person = models.CharField(_("person"), max_length=200)
    role = models.CharField(_("role"), max_length=120, blank=True)
    month = models.DateField(_("month"))  # its first day
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    gzw_hours = models.DecimalField(
        _("of which in working groups"), max_digits=6, decimal_places=2, default=ZERO
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staff time")
        verbose_name_plural = _("staff time")
        ordering = ["month", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "person", "month"], name="money_staff_month_once"
            )
        ]


class HourlyRate(models.Model):
    """An hourly rate set by the Board for a year (FIN-10), per role."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="hourly_rates")
    year = models.PositiveSmallIntegerField(_("year"))
    role = models.CharField(_("role"), max_length=120)
    rate = money_field(_("hourly rate"))
    resolution = models.CharField(_("Board resolution"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("hourly rate")
        verbose_name_plural = _("hourly rates")
        ordering = ["year", "role"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year", "role"], name="money_rate_once")
        ]


class ReferenceRate(models.Model):
    """A change of the NBP reference rate entered by the office (FIN-4): added to the table
    shipped with the product (`klaster/rules/data/nbp_reference_rate.csv`); this cluster's
    interest reads both, an entered day replacing a shipped row of the same day."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="reference_rates")
    valid_from = models.DateField(_("in force from"))
    rate = models.DecimalField(_("reference rate (% a year)"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("NBP reference rate")
        verbose_name_plural = _("NBP reference rates")
        ordering = ["valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "valid_from"], name="money_refrate_once")
        ]


class BoardRate(models.Model):
    """The Board members' remuneration per meeting from a day (FIN-9): a General Assembly
    decision (001 "Kadra" 2: 500 PLN gross), so dated and with its resolution."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="board_rates")
    valid_from = models.DateField(_("in force from"))
    amount = money_field(_("amount per meeting (gross)"))
    resolution = models.CharField(_("General Assembly resolution"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Board remuneration")
        verbose_name_plural = _("Board remuneration")
        ordering = ["valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "valid_from"], name="money_boardrate_once")
        ]


class StatementRequest(models.Model):
    """A member's written request for the sub-account statements (FIN-12): the office provides
    at least the last closed quarter within 5 business days; provided statements show in the
    member's portal."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="statement_requests"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="statement_requests")
    requested_on = models.DateField(_("requested in writing on"))
    period_start = models.DateField(_("statements from"))
    period_end = models.DateField(_("statements to"))
    provided_on = models.DateField(_("provided on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("statement request")
        verbose_name_plural = _("statement requests")
        ordering = ["-requested_on", "-id"]
