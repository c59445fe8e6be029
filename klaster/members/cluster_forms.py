"""The form for the cluster's own data (MEM-1, MEM-2): its coordinator is a member of the cluster,
so the form lives with the members. It parses; ``klaster.members.services.cluster_update`` validates."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from klaster.core.forms import model_choice_field
from klaster.core.models import Cluster, SpecialisationClassification, StartKind
from klaster.members.models import Member

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClusterForm(forms.Form):
    """MEM-1 / MEM-2: official name, website, specialisation, 3.7–3.9, coordinator, contact, sub-account."""

    name = forms.CharField(label=_("Official name"), max_length=300)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    specialisation_classification = forms.ChoiceField(
        label=_("Specialisation given as"),
        required=False,
        choices=[("", "—"), *SpecialisationClassification.choices],
    )
    specialisation_codes = forms.CharField(
        label=_("Specialisation codes"),
        required=False,
        help_text=_("PKD or EKD codes separated by commas, e.g. 62.01.Z, 62.02.Z"),
    )
    specialisation_description = forms.CharField(
        label=_("Specialisation description"),
        max_length=150,
        required=False,
        help_text=_("At most 150 characters."),
    )
    agreement_date = forms.DateField(
        label=_("Date of the cluster agreement (3.7)"), required=False, widget=_DATE
    )
    actual_start_year = forms.IntegerField(
        label=_("Year activity actually started (3.8)"),
        required=False,
        min_value=1950,
        max_value=2100,
    )
    actual_start_kinds = forms.MultipleChoiceField(
        label=_("What confirms the actual start (3.8)"),
        required=False,
        choices=StartKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    actual_start_description = forms.CharField(
        label=_("Description of the confirming activity (3.8)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At most 500 characters."),
    )
    eccp_registered = forms.BooleanField(
        label=_("Registered on the European Cluster Collaboration Platform (3.9)"), required=False
    )
    coordinator = forms.ModelChoiceField(
        label=_("Coordinator"),
        queryset=Member.objects.none(),
        help_text=_(
            "The coordinator is itself a member of the cluster; distances are measured from its seat."
        ),
    )
    coordinator_appointment = forms.CharField(
        label=_("Document appointing the coordinator"), max_length=300, required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_position = forms.CharField(label=_("Position"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    contact_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    sub_account_iban = forms.CharField(
        label=_("Cluster sub-account (IBAN or NRB)"),
        max_length=40,
        required=False,
        help_text=_("A Polish account number; its check digits are verified."),
    )

    def __init__(self, *args, cluster: Cluster, **kwargs):
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "name": cluster.name,
                "website": cluster.website,
                "specialisation_classification": cluster.specialisation_classification,
                "specialisation_codes": ", ".join(cluster.specialisation_codes or []),
                "specialisation_description": cluster.specialisation_description,
                "agreement_date": cluster.agreement_date,
                "actual_start_year": cluster.actual_start_year,
                "actual_start_kinds": cluster.actual_start_kinds,
                "actual_start_description": cluster.actual_start_description,
                "eccp_registered": cluster.eccp_registered,
                "coordinator": cluster.coordinator_id,
                "coordinator_appointment": cluster.coordinator_appointment,
                "contact_name": cluster.contact_name,
                "contact_position": cluster.contact_position,
                "contact_email": cluster.contact_email,
                "contact_phone": cluster.contact_phone,
                "contact_address": cluster.contact_address,
                "sub_account_iban": cluster.sub_account_iban,
            }
        super().__init__(*args, **kwargs)
        members = Member.objects.filter(cluster=cluster).exclude(status="former").order_by("name")
        model_choice_field(self, "coordinator").queryset = members
        self.fields["coordinator"].required = cluster.coordinator_id is not None or members.exists()

    def clean_specialisation_codes(self) -> list[str]:
        text = self.cleaned_data.get("specialisation_codes") or ""
        return [c for c in re.split(r"[,;\s]+", text) if c]
