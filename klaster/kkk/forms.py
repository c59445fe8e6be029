"""Forms for the KKK pages. They parse; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from klaster.core.forms import choice_field
from klaster.core.models import Cluster
from klaster.core.say import say
from klaster.core.uploads import UploadSizeValidator, help_text
from klaster.kkk.models import Application
from klaster.kkk.records import RecordKind
from klaster.members.models import Member, MemberType
from klaster.rules import kkk_application as ka
from klaster.rules.kkk import EDITIONS

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AsOfForm(forms.Form):
    """The evaluation date of the dashboard (D)."""

    as_of = forms.DateField(label=_("Evaluation date (D)"), required=False, widget=_DATE)
    mode = forms.ChoiceField(
        label=_("Mode"), required=False, choices=[("", "—"), *Application.Mode.choices]
    )


class ApplicationCreateForm(forms.Form):
    as_of = forms.DateField(label=_("Submission date (D)"), widget=_DATE)
    mode = forms.ChoiceField(label=_("Mode"), choices=Application.Mode.choices)
    edition = forms.ChoiceField(label=_("Competition edition"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "edition").choices = [
            (k, say(e.title)) for k, e in sorted(EDITIONS.items())
        ]


FTE_TYPES = [t for t, _label in MemberType.choices]


class ApplicationForm(forms.Form):
    """The application's own settings and the coordinator's entries the registry does not hold."""

    as_of = forms.DateField(label=_("Submission date (D)"), widget=_DATE)
    mode = forms.ChoiceField(label=_("Mode"), choices=Application.Mode.choices)
    edition = forms.ChoiceField(label=_("Competition edition"), choices=[])
    applicant_name = forms.CharField(
        label=_("3.1 Full name of the applicant"),
        max_length=300,
        required=False,
        help_text=_("As in the register; empty: the coordinator's name from the member register."),
    )
    applicant_address = forms.CharField(
        label=_("3.2 Seat of the applicant"),
        max_length=300,
        required=False,
        help_text=_(
            "Empty: the coordinator's seat from table 4. It must be the same address as in table 4."
        ),
    )
    applicant_website = forms.URLField(
        label=_("3.3 Website of the applicant"),
        required=False,
        assume_scheme="https",
        help_text=_("Empty: the coordinator's website, else the cluster's."),
    )
    appointment_document = forms.CharField(
        label=_("3.5 Document appointing the coordinator"),
        max_length=300,
        required=False,
        help_text=_("Name of the document; empty: the one on the cluster's page. Attach its scan."),
    )
    appointment_date = forms.DateField(
        label=_("3.5 Date of that document"), required=False, widget=_DATE
    )
    previously_granted = forms.BooleanField(
        label=_("The cluster held the KKK status before"), required=False
    )
    statements = forms.TypedMultipleChoiceField(
        label=_("Statements"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[(n, f"{n}. {text}") for n, text in ka.STATEMENTS],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "edition").choices = [
            (k, say(e.title)) for k, e in sorted(EDITIONS.items())
        ]
        for key in FTE_TYPES:
            self.fields[f"fte_{key}"] = forms.DecimalField(
                label=_("7 Employment (FTE): %(type)s") % {"type": ka.MEMBER_TYPE_LABELS[key]},
                required=False,
                min_value=0,
                max_digits=9,
                decimal_places=1,
                help_text=_("Empty: the sum of members' FTE for the last closed fiscal year."),
            )

    @classmethod
    def initial_for(cls, application: Application) -> dict[str, Any]:
        initial = {
            name: getattr(application, name)
            for name in (
                "as_of",
                "mode",
                "edition",
                "applicant_name",
                "applicant_address",
                "applicant_website",
                "appointment_document",
                "appointment_date",
                "previously_granted",
                "statements",
            )
        }
        for key, value in (application.fte or {}).items():
            initial[f"fte_{key}"] = value
        return initial

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("fte_")}
        data["statements"] = sorted(data.get("statements") or [])
        data["fte"] = {
            key: str(self.cleaned_data[f"fte_{key}"])
            for key in FTE_TYPES
            if self.cleaned_data.get(f"fte_{key}") is not None
        }
        return data


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Attachment"), choices=[(k, f"{k}. {t}") for k, t, _m, _r in ka.ATTACHMENTS]
    )
    file = forms.FileField(
        label=_("File (PDF)"),
        validators=[UploadSizeValidator("kkk_attachment")],
        help_text=help_text("kkk_attachment"),
    )


class CoordinatorForm(forms.Form):
    coordinator_experience_years = forms.DecimalField(
        label=_("Years of running cluster-animation activities (9)"),
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=1,
    )
    platform_communication = forms.BooleanField(
        label=_("Internal communication platform (11)"), required=False
    )
    platform_purchasing = forms.BooleanField(label=_("Purchasing platform (11)"), required=False)
    platform_sales = forms.BooleanField(label=_("Sales platform (11)"), required=False)
    dues_revenue = forms.BooleanField(
        label=_("Financed in part by members' dues (stage I, criterion 10)"), required=False
    )


def record_form_class(spec: RecordKind, cluster: Cluster) -> type[forms.ModelForm]:
    """A ModelForm for one kind of record: coded fields as choices, members of this cluster only."""
    members = Member.objects.filter(cluster=cluster).order_by("name")

    def formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
        field = _formfield(db_field, **kwargs)
        if field is not None and db_field.name in spec.fields:
            field.label = spec.label(db_field.name)
        return field

    def _formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
        name = db_field.name
        if name in spec.choices:
            return forms.ChoiceField(choices=spec.choices[name], required=not db_field.blank)
        if name in spec.member_fields:
            return forms.ModelMultipleChoiceField(
                queryset=members,
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 12}),
                help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
            )
        if name in spec.member_fks:
            return forms.ModelChoiceField(queryset=members, required=not db_field.null)
        if isinstance(db_field, models.DateField):
            return db_field.formfield(widget=_DATE, **kwargs)
        if isinstance(db_field, models.TextField):
            attrs = {"rows": 4}
            if name in spec.limits:
                attrs["maxlength"] = spec.limits[name]
            text = db_field.formfield(widget=forms.Textarea(attrs=attrs), **kwargs)
            if text is not None and name in spec.limits:
                if isinstance(text, forms.CharField):
                    text.max_length = spec.limits[name]
                text.validators.append(MaxLengthValidator(spec.limits[name]))
                text.help_text = _("At most %(n)s characters.") % {"n": spec.limits[name]}
            return text
        if isinstance(db_field, models.BooleanField) and db_field.null:
            return db_field.formfield(widget=forms.NullBooleanSelect(), **kwargs)
        return db_field.formfield(**kwargs)

    fields = list(spec.fields)
    # Django's fields_for_model leaves a field out when the callback returns None; django-stubs
    # types the callback as always returning a form field.
    form_class = forms.models.modelform_factory(
        spec.model,
        fields=fields,
        formfield_callback=formfield,  # type: ignore[arg-type]
    )
    if "key" in fields:
        form_class.base_fields["key"].required = False
        form_class.base_fields["key"].help_text = _(
            "Identifier in the dataset file; empty: assigned automatically."
        )
    return form_class


class ExpertScoresForm(forms.Form):
    """KKK-S2-EXP: two experts, one score per indicator each (blank: not scored)."""

    def __init__(self, *args: Any, indicators: list[tuple[str, str, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for n in (1, 2):
            self.fields[f"e{n}_name"] = forms.CharField(
                label=_("Expert %(n)s") % {"n": n}, max_length=200, required=False
            )
            for number, _title, maximum in indicators:
                self.fields[f"e{n}_{number}"] = forms.IntegerField(
                    label=f"{number}",
                    required=False,
                    min_value=0,
                    max_value=maximum,
                    widget=forms.NumberInput(attrs={"class": "score", "min": 0, "max": maximum}),
                )

    def experts(self) -> list[tuple[str, dict[str, int]]]:
        out = []
        for n in (1, 2):
            scores = {
                number: self.cleaned_data[f"e{n}_{number}"]
                for number, _t, _m in self.indicators
                if self.cleaned_data.get(f"e{n}_{number}") is not None
            }
            out.append((self.cleaned_data.get(f"e{n}_name") or "", scores))
        return out


class PanelForm(forms.Form):
    """KKK-S3: the panel's four scores (the areas and maxima of the edition)."""

    def __init__(self, *args: Any, areas: list[tuple[str, Any, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = areas
        for key, title, maximum in areas:
            self.fields[key] = forms.IntegerField(
                label=say(title), required=False, min_value=0, max_value=maximum
            )

    def scores(self) -> dict[str, int] | None:
        values = {key: self.cleaned_data.get(key) for key, _t, _m in self.areas}
        if all(v is None for v in values.values()):
            return None
        missing = [key for key, v in values.items() if v is None]
        if missing:
            raise forms.ValidationError(_("Enter all four panel scores, or none."))
        return {k: int(v) for k, v in values.items() if v is not None}


# --- what the experts' page and the API both derive (one door per action) ---


def scoring_basis(cluster: Cluster, query: Any) -> tuple[Any, str | None, str, Application | None]:
    """The experts score the application that counts (the last registered); without one, the
    cluster as of its D. ``as_of`` in ``query`` (the page's or the call's parameters) overrides
    the date. Returns (as_of, mode, edition, the counting application)."""
    from klaster.kkk import selectors

    counting = selectors.counting_application(cluster)
    form = AsOfForm(query or None)
    as_of = form.cleaned_data.get("as_of") if form.is_valid() else None
    if counting is not None:
        return as_of or counting.as_of, counting.mode, counting.edition, counting
    return as_of, None, "2021", None


def expert_indicators(cluster: Cluster, query: Any):
    """The evaluation the experts score and its stage II indicators as `ExpertScoresForm` takes
    them: (evaluation, the counting application, [(number, title, maximum)])."""
    from klaster.kkk import selectors

    as_of, mode, edition, counting = scoring_basis(cluster, query)
    ev = selectors.cluster_evaluation(cluster, as_of=as_of, mode=mode, edition=edition).evaluation
    return ev, counting, [(i.number, say(i.title), i.max) for i in ev.stage2.indicators]


def panel_areas(edition: str) -> list[tuple[str, Any, int]]:
    """KKK-S3: the panel's areas of the edition as `PanelForm` takes them (key, title, maximum)."""
    return [(a.field, a.title, a.max) for a in EDITIONS[edition].panel_areas]
