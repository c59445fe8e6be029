"""Forms of offers, competences, ideas and training needs (PLT-3)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from klaster.members.models import Member
from klaster.offers.models import Competence, CompetenceArea, Idea, Offer, TrainingNeed


class _MemberChoice(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = members


class OfferForm(_MemberChoice):
    category = forms.ChoiceField(label=_("Category"), choices=Offer.Category.choices)
    name_pl = forms.CharField(label=_("Name (Polish)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    description_pl = forms.CharField(
        label=_("Description (Polish)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    description_en = forms.CharField(
        label=_("Description (English)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    keywords = forms.CharField(label=_("Keywords"), max_length=300, required=False)
    public = forms.BooleanField(label=_("Show on the cluster's public offer page"), required=False)


class AreaForm(forms.Form):
    name = forms.CharField(label=_("Area the cluster needs"), max_length=200)


class CompetenceForm(_MemberChoice):
    area = forms.ModelChoiceField(label=_("Area"), queryset=CompetenceArea.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Competence.Kind.choices)
    note = forms.CharField(label=_("What exactly"), max_length=300, required=False)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = areas


class IdeaForm(_MemberChoice):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    partners_sought = forms.CharField(label=_("Partners sought"), max_length=300, required=False)


class IdeaStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Idea.Status.choices)


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    closes_on = forms.DateField(
        label=_("Answers until"), widget=forms.DateInput(attrs={"type": "date"})
    )


class NeedForm(_MemberChoice):
    topic = forms.CharField(label=_("Training topic"), max_length=200)
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=500, initial=1)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=TrainingNeed.Priority.choices, initial="medium"
    )
