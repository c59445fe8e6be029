"""Forms of events (PLT-2)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from klaster.events.models import Rsvp
from klaster.events.services import MAX_PEOPLE


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False)
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=10000,
        required=False,
        help_text=_("Leave empty when the number of people is not limited."),
    )
    rsvp_until = forms.DateField(
        label=_("Answers until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=Rsvp.Answer.choices)
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=MAX_PEOPLE, initial=1)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
