"""Forms of communications (PLT-2)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from klaster.comms.services import MAX_BODY


class NewsletterForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Plain text, as it will be read in e-mail and in the portal. The link to leave the "
            "newsletter is added at the end of each message."
        ),
    )
