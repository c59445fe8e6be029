from __future__ import annotations

import html
import re
from typing import cast

from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from klaster.core.forms import model_choice_field
from klaster.members import normalise
from klaster.members.models import (
    ENTERPRISE_TYPES,
    Category,
    DelegatedPerson,
    IndependenceLink,
    Member,
    MembershipEvent,
    MemberType,
    ScienceSubunit,
    Status,
)
from klaster.members.selectors import DISTANCE_BANDS


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("all"))] + MemberType.choices
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("all"))] + Category.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all"))] + Status.choices
    )
    distance = forms.ChoiceField(
        label=_("Distance"),
        required=False,
        choices=[
            ("", _("any")),
            ("50", _("up to 50 km")),
            ("150", _("up to 150 km")),
            ("200", _("up to 200 km")),
            ("far", _("over 200 km")),
        ],
    )

    def clean_distance(self):
        value = self.cleaned_data["distance"]
        return value if value in DISTANCE_BANDS else ""

    def controls(self) -> list[tuple[str, str, str, SafeString | None]]:
        """The filter bar as plain values for one short template loop: (name, label, value as
        sent, the ``<option>`` elements of a choice — or None for the text box). Django's widget
        templates took about 1 ms for these five fields on every list page (issue 8), a loop over
        the options still a quarter of that; the names, ids (``id_<name>``) and the selected
        option are the ones the widgets render. Labels and values are escaped here."""
        out = []
        for name, field in self.fields.items():
            value = self.data.get(name) if self.is_bound else None
            value = "" if value is None else str(value)
            options = None
            if isinstance(field, forms.ChoiceField):
                # a list once the field is built
                choices = cast("list[tuple[object, object]]", field.choices)
                text = "".join(
                    f'<option value="{html.escape(str(v))}"{" selected" if str(v) == value else ""}>'
                    f"{html.escape(str(label))}</option>"
                    for v, label in choices
                )
                options = mark_safe(text)  # noqa: S308 — every text in it is escaped
            out.append((name, str(field.label), value, options))
        return out


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            # MEM-5: no "category" here — it changes by a membership event naming the resolution.
            "name",
            "type",
            "nip",
            "regon",
            "krs",
            "website",
            "street",
            "postal_code",
            "city",
            "lat",
            "lon",
            "distance_override_km",
            "independent",
            "science_category",
            "industry40",
            "pkd_codes",
            "branch_revenue",
        ]
        widgets = {
            "independent": forms.NullBooleanSelect(),
            "branch_revenue": forms.NullBooleanSelect(),
        }

    pkd_codes = forms.CharField(
        label=_("PKD codes"),
        required=False,
        help_text=_("Separated by commas, e.g. 62.01.Z, 62.02.Z"),
    )
    # MEM-4 / MEM-9: typed as people write them ("PL 526-025-02-74", "00 950"), so wider than
    # the stored compact value; klaster.members.normalise compacts and checks them.
    nip = forms.CharField(label="NIP", required=False, max_length=normalise.TYPED_MAX_LENGTH)
    regon = forms.CharField(label="REGON", required=False, max_length=normalise.TYPED_MAX_LENGTH)
    krs = forms.CharField(label="KRS", required=False, max_length=normalise.TYPED_MAX_LENGTH)
    postal_code = forms.CharField(
        label=_("Postal code"),
        required=False,
        max_length=normalise.TYPED_MAX_LENGTH,
        help_text=_("NN-NNN, e.g. 00-950"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the list is edited as text; the initial value must be text too, or it always "changes"
        self.initial["pkd_codes"] = ", ".join(self.instance.pkd_codes or [])

    def clean_pkd_codes(self):
        text = self.cleaned_data.get("pkd_codes") or ""
        return [c for c in re.split(r"[,;\s]+", text) if c]

    def clean_nip(self):
        return normalise.clean("nip", self.cleaned_data.get("nip"))

    def clean_regon(self):
        return normalise.clean("regon", self.cleaned_data.get("regon"))

    def clean_krs(self):
        return normalise.clean("krs", self.cleaned_data.get("krs"))

    def clean_postal_code(self):
        return normalise.clean("postal_code", self.cleaned_data.get("postal_code"))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError(
                {"lon": _("Enter both latitude and longitude, or neither.")}
            )
        if data.get("type") == "science" and not data.get("science_category"):
            self.add_error("science_category", _("A science unit needs its scientific category."))
        if data.get("type") != "science" and data.get("science_category"):
            self.add_error("science_category", _("Only science units have a scientific category."))
        return data


class MembershipEventForm(forms.ModelForm):
    class Meta:
        model = MembershipEvent
        fields = ["kind", "date", "category", "document", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == MembershipEvent.Kind.CATEGORY and not data.get("category"):
            self.add_error("category", _("Choose the new category."))
        return data


class SubunitForm(forms.ModelForm):
    """MEM-3: a science unit's sub-unit with category A or A+."""

    class Meta:
        model = ScienceSubunit
        fields = ["name", "category"]


class IndependenceLinkForm(forms.Form):
    """MEM-11: a partner or linked enterprise among the cluster's members."""

    other = forms.ModelChoiceField(label=_("Other enterprise"), queryset=Member.objects.none())
    kind = forms.ChoiceField(label=_("Relation"), choices=IndependenceLink.Kind.choices)
    since = forms.DateField(
        label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "other").queryset = (
            Member.objects.filter(cluster_id=member.cluster_id, type__in=ENTERPRISE_TYPES)
            .exclude(pk=member.pk)
            .order_by("name")
        )


class DelegateForm(forms.ModelForm):
    class Meta:
        model = DelegatedPerson
        fields = ["name", "email", "phone", "position", "to_general_assembly", "link_ended"]
        widgets = {"link_ended": forms.DateInput(attrs={"type": "date"})}


class LinkEndForm(forms.Form):
    """MEM-8: the day the person's link with the member ended (and, for the office, the day
    the person's notice reached the coordinator, when it already has)."""

    link_ended = forms.DateField(
        label=_("Link with the member ended"), widget=forms.DateInput(attrs={"type": "date"})
    )
    link_end_reported = forms.DateField(
        label=_("End reported to the coordinator"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class LinkReportedForm(forms.Form):
    link_end_reported = forms.DateField(
        label=_("End reported to the coordinator"), widget=forms.DateInput(attrs={"type": "date"})
    )


class LegalHoldForm(forms.Form):
    """MEM-12: why a person's data must be kept for now (RODO art. 17(3))."""

    reason = forms.CharField(label=_("Reason"), max_length=300)
    basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        help_text=_("e.g. RODO art. 17(3)(e): establishing or defending legal claims"),
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: until released."),
    )


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I confirm the person asked for erasure; their name, e-mail and phone will be replaced everywhere, "
            "the audit log included. This cannot be undone."
        )
    )


class NotificationEmailForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))


class MemberYearForm(forms.Form):
    year = forms.IntegerField(label=_("Fiscal year"), min_value=1990, max_value=2100)
    revenue = forms.DecimalField(
        label=_("Revenue (PLN)"), max_digits=16, decimal_places=2, required=False, min_value=0
    )
    export_revenue = forms.DecimalField(
        label=_("Export revenue (PLN)"),
        max_digits=16,
        decimal_places=2,
        required=False,
        min_value=0,
    )
    rd_expenditure = forms.DecimalField(
        label=_("R&D expenditure (PLN)"),
        max_digits=16,
        decimal_places=2,
        required=False,
        min_value=0,
    )
    fte = forms.DecimalField(
        label=_("Employment (FTE)"), max_digits=9, decimal_places=1, required=False, min_value=0
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        rev, exp = data.get("revenue"), data.get("export_revenue")
        if rev is not None and exp is not None and exp > rev:
            self.add_error("export_revenue", _("Export revenue cannot exceed revenue."))
        return data
