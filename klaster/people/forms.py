"""Forms of people and access (PLT-1)."""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core.mail import EmailMessage
from django.template import loader
from django.utils.translation import gettext_lazy as _

from klaster.core.access import Grants
from klaster.core.models import Cluster, Role
from klaster.members.models import Member

log = logging.getLogger("klaster.auth")


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=150)  # it becomes the login
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    member = forms.ModelChoiceField(
        label=_("Member represented"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("Only for a member representative."),
    )

    def __init__(self, *args: Any, cluster: Cluster, grants: Grants, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Member.objects.filter(cluster=cluster).order_by("name")
        if not grants.office:
            # a representative invites further representatives of its own member only
            members = members.filter(pk__in=grants.member_ids)
            role_field = self.fields["role"]
            assert isinstance(role_field, forms.ChoiceField)
            role_field.choices = [(Role.REPRESENTATIVE.value, Role.REPRESENTATIVE.label)]
            self.fields["member"].required = True
        member_field = self.fields["member"]
        assert isinstance(member_field, forms.ModelChoiceField)
        member_field.queryset = members

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.REPRESENTATIVE and not data.get("member"):
            self.add_error("member", _("A member representative needs the member it represents."))
        return data


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form; its e-mail goes through the configured SMTP server as every other
    message of the product (klaster.core.smtp.smtp_send)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from klaster.core.smtp import smtp_send

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMessage(subject, body, from_email or settings.DEFAULT_FROM_EMAIL, [to_email])
        _sent, error = smtp_send([message])
        if error:
            log.error("password reset e-mail not sent to user id %s: %s", context["user"].pk, error)
