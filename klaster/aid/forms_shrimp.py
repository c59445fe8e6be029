"""The form of the SHRIMP pages (AID-8): a grant reported to SHRIMP."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReportedForm(forms.Form):
    reported_on = forms.DateField(
        label=_("Reported to SHRIMP on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reported_ref = forms.CharField(label=_("SHRIMP reference"), max_length=100)
