"""The money pages' forms (Polish through the catalogue; dates as the office types them)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from klaster.core.uploads import UploadSizeValidator, help_text
from klaster.members.models import Member
from klaster.money.models import ArrearsStep, FeeType, VatTreatment


class DuesRunForm(forms.Form):
    through = forms.DateField(
        label=_("Issue documents for periods begun by"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Periods already billed are skipped: running it twice issues nothing twice."),
    )


class StatementForm(forms.Form):
    file = forms.FileField(
        label=_("Bank statement file"),
        validators=[UploadSizeValidator("bank_statement")],
        help_text=help_text("bank_statement"),
    )


class ResolveForm(forms.Form):
    """The member a queued payment belongs to; `choices` — the cluster's members as (id, name),
    read once for a page of many entries."""

    member = forms.TypedChoiceField(label=_("Member who paid"), coerce=int, choices=())

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = choices


def member_choices(cluster) -> list[tuple[int, str]]:
    return list(Member.objects.filter(cluster=cluster).order_by("name").values_list("pk", "name"))


class ArrearsStepForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Step"), choices=ArrearsStep.Kind.choices)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))


class EntryFeeForm(forms.Form):
    """The entry fee to issue (FIN-6): the fee, and the part the voting members waived by a
    resolution on the candidate's documented request (FIN-6: in part or whole)."""

    amount = forms.DecimalField(
        label=_("Entry fee to pay"), max_digits=12, decimal_places=2, min_value=0, localize=True
    )
    waived = forms.DecimalField(
        label=_("Waived by resolution"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        localize=True,
        required=False,
        help_text=_("Only when the voting members waived it in part or whole."),
    )
    resolution = forms.CharField(label=_("Resolution waiving it"), max_length=200, required=False)
    issued = forms.DateField(label=_("Issue date"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean() or {}
        waived = data.get("waived") or 0
        if waived and not (data.get("resolution") or "").strip():
            self.add_error("resolution", _("Name the resolution that waived the fee."))
        amount = data.get("amount")
        if amount is not None and waived > amount:
            self.add_error("waived", _("More is waived than the fee itself."))
        return data


SETTINGS_FIELDS = ("billing_start", "payment_term_days", "sub_account_iban", "csv_mapping")
CSV_COLUMNS = {
    "csv_date": "date",
    "csv_amount": "amount",
    "csv_title": "title",
    "csv_payer": "counterparty_name",
    "csv_payer_account": "counterparty_iban",
}


def _iban(value: str) -> str:
    from klaster.rules.money.bank.model import normalize_account, valid_iban

    if value and not valid_iban(value):
        raise forms.ValidationError(
            _("“%(value)s” is not a valid account number (IBAN/NRB)."), params={"value": value}
        )
    return normalize_account(value)


class MoneySettingsForm(forms.Form):
    """The cluster's money settings (FIN-1 … FIN-3); a stale form is refused (edit version)."""

    billing_start = forms.DateField(
        label=_("Dues billed in Klaster from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The first day of the first month the product bills."),
    )
    payment_term_days = forms.IntegerField(
        label=_("Payment term (days)"), min_value=0, max_value=120
    )
    sub_account_iban = forms.CharField(
        label=_("Account for dues printed on documents"), max_length=40
    )
    accounts = forms.CharField(
        label=_("The cluster's accounts whose statements are imported"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One account number per line."),
    )
    csv_delimiter = forms.ChoiceField(
        label=_("Bank CSV: column separator"),
        choices=[(";", ";"), (",", ","), ("\t", _("tab"))],
        required=False,
    )
    csv_date = forms.CharField(label=_("Bank CSV: booking date column"), required=False)
    csv_date_format = forms.ChoiceField(
        label=_("Bank CSV: date format"),
        choices=[
            ("%Y-%m-%d", "2026-12-31"),
            ("%d.%m.%Y", "31.12.2026"),
            ("%d-%m-%Y", "31-12-2026"),
        ],
        required=False,
    )
    csv_amount = forms.CharField(label=_("Bank CSV: amount column"), required=False)
    csv_title = forms.CharField(label=_("Bank CSV: title column"), required=False)
    csv_payer = forms.CharField(label=_("Bank CSV: payer's name column"), required=False)
    csv_payer_account = forms.CharField(label=_("Bank CSV: payer's account column"), required=False)

    def clean_sub_account_iban(self) -> str:
        value = _iban(self.cleaned_data["sub_account_iban"])
        if not value:
            raise forms.ValidationError(_("Give the account members pay dues to."))
        return value

    def clean_accounts(self) -> list[str]:
        lines = [x.strip() for x in self.cleaned_data["accounts"].splitlines() if x.strip()]
        if len(lines) > 20:
            raise forms.ValidationError(_("At most 20 accounts."))
        return list(dict.fromkeys(_iban(x) for x in lines))

    def csv_mapping(self) -> dict[str, object]:
        """The CsvMapping fields the form sets; {} without a date and an amount column."""
        data = self.cleaned_data
        if not data.get("csv_date") or not data.get("csv_amount"):
            return {}
        mapping: dict[str, object] = {
            CSV_COLUMNS[k]: data[k].strip() for k in CSV_COLUMNS if data.get(k, "").strip()
        }
        mapping["delimiter"] = data.get("csv_delimiter") or ";"
        mapping["date_format"] = data.get("csv_date_format") or "%Y-%m-%d"
        return mapping

    @classmethod
    def initial_of(cls, settings, accounts: list[str]) -> dict[str, object]:
        if settings is None:
            return {"payment_term_days": 14}
        mapping = settings.csv_mapping or {}
        initial: dict[str, object] = {
            "billing_start": settings.billing_start,
            "payment_term_days": settings.payment_term_days,
            "sub_account_iban": settings.sub_account_iban,
            "accounts": "\n".join(accounts),
            "csv_delimiter": mapping.get("delimiter", ";"),
            "csv_date_format": mapping.get("date_format", "%Y-%m-%d"),
        }
        for field, key in CSV_COLUMNS.items():
            initial[field] = mapping.get(key, "")
        return initial


TARIFF_CATEGORIES = (
    ("micro", _("micro enterprise")),
    ("small", _("small enterprise")),
    ("medium", _("medium enterprise")),
    ("large", _("large enterprise")),
    ("iob", _("business support institution")),
    ("science", _("research organisation")),
    ("other", _("other partner")),
    ("strategic_partner", _("strategic partner")),
)


class TariffForm(forms.Form):
    """A tariff version from a date (FIN-1): monthly net dues per category; a later version
    never changes documents already issued."""

    valid_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in TARIFF_CATEGORIES:
            self.fields[key] = forms.DecimalField(
                label=label, max_digits=10, decimal_places=2, min_value=0, localize=True
            )

    def monthly(self) -> dict[str, str]:
        return {key: str(self.cleaned_data[key]) for key, _label in TARIFF_CATEGORIES}


class SuspensionForm(forms.Form):
    """A member's written request for suspension (FIN-7), as the office records it."""

    start = forms.DateField(
        label=_("Suspended from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=_("Suspended to"), widget=forms.DateInput(attrs={"type": "date"}))
    reasons = forms.CharField(
        label=_("Reasons given in the request"), widget=forms.Textarea(attrs={"rows": 2})
    )
    commitments = forms.CharField(
        label=_("Project commitments that stay in force"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One per line, with the project's durability period."),
    )

    def commitment_list(self) -> list[str]:
        text = self.cleaned_data.get("commitments", "")
        return [x.strip() for x in text.splitlines() if x.strip()][:20]


class FeeTypeForm(forms.Form):
    """A fee type's dated VAT treatment and its interest regime (FIN-1, FIN-4)."""

    treatment = forms.ChoiceField(label=_("VAT treatment"), choices=VatTreatment.Treatment.choices)
    valid_from = forms.DateField(
        label=_("Treatment from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Documents issued before this day keep the treatment they were issued with."),
    )
    basis = forms.CharField(
        label=_("Legal basis of the treatment"),
        max_length=300,
        required=False,
        help_text=_("E.g. the tax ruling the cluster relies on."),
    )
    interest_regime = forms.ChoiceField(
        label=_("Interest for late payment"), choices=FeeType.Regime.choices
    )
    recovery_compensation = forms.BooleanField(
        label=_("Add the EUR 40/70/100 recovery compensation"), required=False
    )
