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
    """SPEC §2: a dated version of the statute numbers — a preset's numbers, or the numbers of the
    form below (``klaster.core.statute_form.StatuteNumbersForm``) edited one by one."""

    TAKE_PRESET, TAKE_NUMBERS = "preset", "numbers"

    valid_from = forms.DateField(label=_("In force from"), widget=_DATE)
    take = forms.ChoiceField(
        label=_("Numbers"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (TAKE_NUMBERS, _("the numbers below, as edited")),
            (TAKE_PRESET, _("the numbers of the preset chosen here")),
        ],
    )
    preset = forms.ChoiceField(label=_("Preset"), required=False)
    note = forms.CharField(
        label=_("Note (e.g. the resolution that changed the statute)"),
        required=False,
        max_length=300,
    )
    #: what the numbers below started from ("version:12", "preset:evoluma") and the cluster's
    #: latest version when the page was opened (a save from a stale page is refused)
    start = forms.CharField(required=False, widget=forms.HiddenInput)
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from klaster.rules.statute import PRESETS

        choice_field(self, "preset").choices = [("", "—")] + [(k, k.capitalize()) for k in PRESETS]

    def numbers_taken(self) -> bool:
        """The edited numbers are saved (the page's default); a POST without them (a client
        that names only a preset) takes the preset."""
        take = self.cleaned_data.get("take")
        if take:
            return take == self.TAKE_NUMBERS
        return any(k.startswith("n-") for k in self.data)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not self.numbers_taken() and not data.get("preset"):
            self.add_error("preset", _("Choose a preset or enter the numbers."))
        return data


class AuditFilterForm(forms.Form):
    """PLT-4: the audit log's filters (GET) — by person, kind of record, record name and dates."""

    user = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    model = forms.ChoiceField(label=_("Kind of record"), required=False)
    q = forms.CharField(label=_("Record name contains"), required=False, max_length=100)
    date_from = forms.DateField(label=_("From date"), required=False, widget=_DATE)
    date_to = forms.DateField(label=_("To date"), required=False, widget=_DATE)

    def __init__(self, *args, users=(), models=(), **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "user").choices = [("", _("everyone"))] + list(users)
        choice_field(self, "model").choices = [("", _("every kind"))] + list(models)
