"""Forms of the forum's pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from klaster.core.models import Cluster
from klaster.forum.models import Forum, Membership, Work
from klaster.members.models import Member


class JoinForm(forms.Form):
    cluster = forms.ModelChoiceField(Cluster.objects.order_by("name"), label=_("Cluster"))
    joined_on = forms.DateField(
        label=_("Joined on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    decision = forms.CharField(label=_("Decision to join"), max_length=300)


class LeaveForm(forms.Form):
    membership = forms.ModelChoiceField(Membership.objects.none(), label=_("Cluster"))
    left_on = forms.DateField(label=_("Left on"), widget=forms.DateInput(attrs={"type": "date"}))
    decision = forms.CharField(label=_("Decision to leave"), max_length=300)

    def __init__(self, *args, forum: Forum, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Membership.objects.filter(
            forum=forum, left_on__isnull=True
        ).select_related("cluster")
        field.label_from_instance = lambda m: m.cluster.name  # type: ignore[method-assign,assignment]


class WorkForm(forms.Form):
    kind = forms.ChoiceField(choices=Work.Kind.choices, label=_("Kind"))
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(
        label=_("Answers until (a consultation)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    project = forms.CharField(label=_("Joint project (a cooperative linkage)"), required=False)
    entities = forms.CharField(
        label=_("Entities taking part (a cooperative linkage)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PostForm(forms.Form):
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))
    answer = forms.BooleanField(label=_("This is our cluster's answer"), required=False)


class SharingForm(forms.Form):
    keys = forms.MultipleChoiceField(
        label=_("Shared with the forum"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    named = forms.BooleanField(label=_("The forum may see the cluster's name"), required=False)

    def __init__(self, *args, choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["keys"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices


class WorkMembersForm(forms.Form):
    """The cluster's own members taking part in a joint initiative or linkage (FOR-2)."""

    members = forms.ModelMultipleChoiceField(
        label=_("Members taking part"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, cluster, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Member.objects.filter(cluster=cluster).order_by("name")
