"""Forms of the lending queue (AID-4, AID-5): Polish through the catalogue, dates as typed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from klaster.aid.models import ApplicationDocument

WARSAW = ZoneInfo("Europe/Warsaw")


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


def _money(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=0, localize=True
    )


class EquipmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    inventory_no = forms.CharField(label=_("Inventory number"), max_length=60, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    active = forms.BooleanField(
        label=_("Lent to members"),
        required=False,
        initial=True,
        help_text=_("A product not lent takes no new applications."),
    )


class PriceListForm(forms.Form):
    """A new dated price list (AID-6): a price list is never edited, a change is a new one."""

    valid_from = _date(_("Valid from"))
    upkeep_fee_per_day = _money(_("Upkeep fee per day (PLN)"))
    lending_fee_per_day = _money(_("Lending fee per day (PLN)"))
    aid_per_day = _money(_("De minimis aid per day (PLN gross)"))


class ApplicationForm(forms.Form):
    """An application (AID-4). The member: chosen from those the user may file for. The arrival:
    the office's only (a paper application's); online it is stamped by the server."""

    member = forms.TypedChoiceField(label=_("Member"), coerce=int, choices=())
    equipment = forms.TypedChoiceField(label=_("Product"), coerce=int, choices=())
    start = _date(_("Use from"))
    end = _date(_("Use until"))
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    arrived_at = forms.DateTimeField(
        label=_("Arrived (date and time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("When the paper application came to the office (Warsaw time)."),
    )

    def __init__(self, *args, members, equipment, office: bool, **kwargs):
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        assert isinstance(member, forms.TypedChoiceField)
        member.choices = members
        product = self.fields["equipment"]
        assert isinstance(product, forms.TypedChoiceField)
        product.choices = equipment
        if not office:
            del self.fields["arrived_at"]

    def clean_arrived_at(self) -> dt.datetime | None:
        value = self.cleaned_data.get("arrived_at")
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=WARSAW)
        return value

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period of use ends before it begins."))
        return data


class DocumentForm(forms.Form):
    """A checklist document received (AID-4, 003 §4.4–§4.6)."""

    kind = forms.ChoiceField(label=_("Document"), choices=ApplicationDocument.Kind.choices)
    form = forms.ChoiceField(
        label=_("Received as"),
        choices=ApplicationDocument.Form.choices,
        help_text=_(
            "Paper originals are needed; certificates may be certified copies, the extract a "
            "printout from KRS or CEIDG. A document sent only electronically does not count."
        ),
    )
    received_on = _date(_("Received on"))
    issued_on = _date(
        _("Issued on (the extract)"),
        required=False,
        help_text=_("The KRS or CEIDG extract's date of issue: at most 3 months before arrival."),
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == ApplicationDocument.Kind.EXTRACT and not data.get("issued_on"):
            self.add_error("issued_on", _("Give the day the extract was issued."))
        return data


class RankingForm(forms.Form):
    equipment = forms.TypedChoiceField(label=_("Product"), coerce=int, choices=())
    start = _date(_("Period from"))
    end = _date(_("Period until"))

    def __init__(self, *args, equipment, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["equipment"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = equipment

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it begins."))
        return data


class ScoresForm(forms.Form):
    """One evaluation per application on the list (field ``a<id>``)."""

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        for entry in entries:
            app = entry.application
            self.fields[f"a{app.pk}"] = forms.DecimalField(
                label=_("Evaluation: %(member)s") % {"member": app.member.name},
                max_digits=5,
                decimal_places=2,
                min_value=0,
                required=False,
                localize=True,
                initial=app.score,
            )

    def scores(self) -> dict[int, object]:
        return {int(k[1:]): v for k, v in self.cleaned_data.items() if k.startswith("a")}


class ApprovalForm(forms.Form):
    """The coordinator's management's approval of the ranking list (003 §5.3)."""

    approved_on = _date(_("Approved on"))
    approved_by = forms.CharField(
        label=_("Approved by"),
        max_length=300,
        help_text=_("The coordinator's management, e.g. the Management Board of the company."),
    )
    approval_ref = forms.CharField(label=_("Management's resolution"), max_length=200)


class ReturnForm(forms.Form):
    returned_on = _date(_("Returned on"))
