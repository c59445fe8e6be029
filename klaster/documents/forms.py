"""Forms of the archive (PLT-3)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from klaster.core.models import Cluster
from klaster.documents import uploads
from klaster.documents.models import Document
from klaster.governance.models import Organ
from klaster.groups.models import WorkingGroup


def _file_field() -> forms.FileField:
    # the size is refused here, before the service reads anything (klaster.documents.uploads)
    return forms.FileField(
        label=_("File"), validators=[uploads.size_validator], help_text=uploads.help_text()
    )


class DocumentChangeForm(forms.Form):
    """A document's card: what it is and who reads it (the office, for a new or a kept one)."""

    title = forms.CharField(label=_("Title"), max_length=300)
    category = forms.ChoiceField(label=_("Category"), choices=Document.Category.choices)
    scope = forms.ChoiceField(label=_("Who reads it"), choices=Document.Scope.choices)
    organ = forms.ModelChoiceField(
        label=_("Organ"),
        queryset=Organ.objects.none(),
        required=False,
        help_text=_("When only one organ's members read it."),
    )
    group = forms.ModelChoiceField(
        label=_("Working group"),
        queryset=WorkingGroup.objects.none(),
        required=False,
        help_text=_("When only one working group's members read it (and the office)."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organ = self.fields["organ"]
        group = self.fields["group"]
        assert isinstance(organ, forms.ModelChoiceField)
        assert isinstance(group, forms.ModelChoiceField)
        organ.queryset = Organ.objects.filter(cluster=cluster).order_by("id")
        group.queryset = WorkingGroup.objects.filter(cluster=cluster).order_by("name")


class DocumentForm(DocumentChangeForm):
    file = _file_field()
    note = forms.CharField(label=_("Note to the version"), max_length=300, required=False)


class VersionForm(forms.Form):
    file = _file_field()
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)
