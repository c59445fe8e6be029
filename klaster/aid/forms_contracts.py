"""Forms of the contracts and certificates (AID-6, AID-8): Polish through the catalogue."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


class SignForm(forms.Form):
    """The day of signing (the day of grant, AID-2) and an optional own number; ``seen`` is the
    digest of the figures shown, so a stale page cannot sign different ones."""

    signed_on = _date(
        _("Day of signing"),
        help_text=_("The day of grant of the de minimis aid: the NBP rate of this day is used."),
    )
    number = forms.CharField(
        label=_("Contract number"),
        max_length=60,
        required=False,
        help_text=_("Leave empty to number it UM/year/next number."),
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)


class CorrectForm(forms.Form):
    """A correcting certificate (AID-8): the corrected value, the day of grant, the reason."""

    amount_pln = forms.DecimalField(
        label=_("Corrected gross value (PLN)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        localize=True,
    )
    granted_on = _date(_("Day of grant"))
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the voiding"), max_length=500)
