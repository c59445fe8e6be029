"""Forms for a cluster's strategies and statute versions. They parse; the services validate.
The cluster's own data, with its coordinator (a member, MEM-2), is ``klaster.members.cluster_forms``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """``form.fields[name]``, a choice field whose choices are set per instance."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a choice field")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """``form.fields[name]``, a model choice field (single or multiple) whose queryset is set per
    instance — limited to one cluster's rows."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a model choice field")
    return field


class StrategyForm(forms.Form):
    """MEM-1 (KKK section 6): a development strategy."""

    name = forms.CharField(label=_("Name"), max_length=300)
    adopted = forms.DateField(label=_("Adopted or updated"), required=False, widget=_DATE)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=_DATE)
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=_DATE)


class StatuteVersionForm(forms.Form):
    """SPEC §2: a dated version of the statute numbers — from a preset, or the numbers edited as JSON."""

    valid_from = forms.DateField(label=_("In force from"), widget=_DATE)
    preset = forms.ChoiceField(label=_("Preset"), required=False)
    # The form metaclass moves declared fields off the class, so this never shadows
    # BaseForm.data at run time; the field's name is part of the page's POST.
    data = forms.CharField(  # type: ignore[assignment]
        label=_("Numbers (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
        help_text=_(
            'Leave empty to take the preset\'s numbers. Shares are fractions such as "1/2".'
        ),
    )
    note = forms.CharField(
        label=_("Note (e.g. the resolution that changed the statute)"),
        required=False,
        max_length=300,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from klaster.rules.statute import PRESETS

        choice_field(self, "preset").choices = [("", "—")] + [(k, k) for k in PRESETS]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        raw = (data.get("data") or "").strip()
        if raw:
            import json

            try:
                data["data"] = json.loads(raw)
            except ValueError as exc:
                self.add_error("data", _("Not valid JSON: %(error)s") % {"error": exc})
        else:
            data["data"] = None
            if not data.get("preset"):
                self.add_error("preset", _("Choose a preset or enter the numbers."))
        return data
