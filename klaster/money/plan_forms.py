"""The financial plan's forms (FIN-11); Polish through the catalogue."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from klaster.money.models import PlanLine

DATE = forms.DateInput(attrs={"type": "date"})


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(
        label=_("Fiscal year"),
        min_value=2000,
        max_value=2100,
        help_text=_("The lines of the latest earlier plan are copied as a start."),
    )


class PlanLineForm(forms.Form):
    """A line added (no `line`) or changed; `version` is the plan as it was shown."""

    line = forms.IntegerField(required=False, widget=forms.HiddenInput)
    version = forms.CharField(widget=forms.HiddenInput, max_length=60)
    side = forms.ChoiceField(label=_("Side"), choices=PlanLine.Side.choices)
    name = forms.CharField(label=_("Item"), max_length=200)
    planned = forms.DecimalField(label=_("Planned"), max_digits=14, decimal_places=2, min_value=0)
    executed = forms.DecimalField(
        label=_("Executed"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    explanation = forms.CharField(
        label=_("Deviation explained"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the executed amount differs from the planned one noticeably."),
    )

    def __init__(self, *args, frozen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if frozen:  # the GA approved the plan: what was planned is shown, not changed
            for name in ("side", "name", "planned"):
                self.fields[name].disabled = True


class PlanApproveForm(forms.Form):
    """The GA's approval of the plan (`what` = plan) or the execution report's (= report)."""

    version = forms.CharField(widget=forms.HiddenInput, max_length=60)
    what = forms.ChoiceField(
        widget=forms.HiddenInput, choices=[("plan", "plan"), ("report", "report")]
    )
    day = forms.DateField(label=_("Approved on"), widget=DATE)
    approval = forms.CharField(
        label=_("Resolution"),
        max_length=200,
        required=False,
        help_text=_("The General Assembly's resolution, e.g. “Uchwała nr 5/2026 WZ”."),
    )

    def __init__(self, *args, report: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if report:
            del self.fields["approval"]
