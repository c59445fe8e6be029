"""The form of the SHRIMP pages (AID-8): a grant reported to SHRIMP."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from klaster.aid.models import AidSettings
from klaster.members import normalise


class ReportedForm(forms.Form):
    reported_on = forms.DateField(
        label=_("Reported to SHRIMP on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reported_ref = forms.CharField(label=_("SHRIMP reference"), max_length=100)


SETTINGS_FIELDS = (
    "grantor_name",
    "grantor_nip",
    "grantor_address",
    "legal_basis",
    "project",
    "signatory_name",
    "signatory_role",
    "shrimp_access_since",
)


class AidSettingsForm(forms.ModelForm):
    """The granting body's data printed on certificates and reported to SHRIMP (AID-6, AID-8)."""

    class Meta:
        model = AidSettings
        fields = SETTINGS_FIELDS
        widgets = {"shrimp_access_since": forms.DateInput(attrs={"type": "date"})}

    def clean_grantor_nip(self):
        return normalise.clean("nip", self.cleaned_data.get("grantor_nip"))
