"""Forms for the groups' pages. They parse; the services validate and refuse with reasons."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klaster.core.forms import model_choice_field
from klaster.core.uploads import UploadSizeValidator, help_text
from klaster.groups.models import CompanyForm, GroupKind, Opinion, Recipient
from klaster.members.models import Member

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _today():
    return timezone.localdate()


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return obj.name


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return obj.name


class GroupCreateForm(forms.Form):
    """GZW-1 / GZW-3: an additional group (Board resolution on an initiative) or a special form."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (GroupKind.ADDITIONAL, _("additional group created by the Board (000 §14.2)")),
            (GroupKind.CONSORTIUM, _("project consortium (000 §14.3.1)")),
            (
                GroupKind.SPECIAL_PURPOSE,
                _("special-purpose company, spin-off or spin-out (000 §14.3.2)"),
            ),
        ],
    )
    name = forms.CharField(label=_("Name"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    initiators = MembersChoiceField(
        label=_("Initiators"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "An additional group needs at least 5 Partners and Strategic Partners together, or the "
            "coordinator alone. A special form names the members that formed it."
        ),
    )
    by_coordinator = forms.BooleanField(
        label=_("Initiative of the coordinator alone"), required=False
    )
    initiative_date = forms.DateField(
        label=_("Date of the initiative"), required=False, widget=_DATE
    )
    board_resolution = forms.CharField(
        label=_("Board resolution"),
        max_length=200,
        required=False,
        help_text=_("e.g. Board resolution no. 7/2025"),
    )
    board_resolution_date = forms.DateField(
        label=_("Date of the Board resolution"), required=False, widget=_DATE
    )
    company_form = forms.ChoiceField(
        label=_("Form of the company"), required=False, choices=[("", "—"), *CompanyForm.choices]
    )
    formed_on = forms.DateField(
        label=_("Formed on"),
        required=False,
        widget=_DATE,
        help_text=_("For a consortium or a company: the day it was formed."),
    )
    confidential = forms.BooleanField(
        label=_("Confidential as a whole"),
        required=False,
        help_text=_(
            "Only the group's members and the cluster office will see that the group exists."
        ),
    )

    def __init__(self, *args, cluster, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "initiators").queryset = Member.objects.filter(
            cluster=cluster, status="active"
        ).order_by("name")


class DeclarationForm(forms.Form):
    """GZW-2: joining a group (by a representative for its member, or by the office for any)."""

    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    on = forms.DateField(label=_("Date of the declaration"), widget=_DATE, initial=_today)
    contact_name = forms.CharField(label=_("Person in the group"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Their e-mail"), required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "member").queryset = members


class WithdrawalForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    on = forms.DateField(label=_("Date of withdrawal"), widget=_DATE, initial=_today)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "member").queryset = members


class StartForm(forms.Form):
    on = forms.DateField(label=_("Start date"), widget=_DATE, initial=_today)


class PaymentForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    amount = forms.DecimalField(
        label=_("Amount (PLN)"), max_digits=12, decimal_places=2, min_value=0
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=_DATE, initial=_today)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "member").queryset = members


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=_DATE)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        initial=True,
        help_text=_("Group meetings are confidential unless the office says otherwise."),
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        validators=[UploadSizeValidator("group_material")],
        help_text=help_text("group_material"),
    )
    confidential = forms.BooleanField(
        label=_("Confidential"),
        required=False,
        initial=True,
        help_text=_("Only the group's members and the cluster office see it."),
    )
    provided_by = MemberChoiceField(
        label=_("Provided by"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("the cluster office"),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "provided_by").queryset = members


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.CharField(label=_("Role"), max_length=200, required=False)
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none(), required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "member").queryset = members


class NotifyForm(forms.Form):
    """GZW-3 (000 §14.4)."""

    recipient = forms.ChoiceField(label=_("Notify"), choices=Recipient.choices)
    addresses = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        help_text=_(
            "Left empty: the office's address for the coordinator, the e-mails of the persons "
            "holding Board seats for the Board. Or give addresses separated by commas."
        ),
    )
    send = forms.BooleanField(label=_("Send the e-mail now"), required=False, initial=True)
    on = forms.DateField(label=_("Date (when notified otherwise)"), required=False, widget=_DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class OpinionForm(forms.Form):
    """GZW-3 (000 §14.5)."""

    opinion = forms.ChoiceField(label=_("Council opinion"), choices=Opinion.choices)
    text = forms.CharField(label=_("Text of the opinion"), widget=forms.Textarea(attrs={"rows": 3}))
    on = forms.DateField(label=_("Date of the opinion"), widget=_DATE)
    recommends_for_strategy = forms.BooleanField(
        label=_("Recommended for the next strategy update"), required=False
    )


# --- what a page and the API both do with a form's cleaned data (one door per action) ---


def cluster_members(cluster):
    """The members a group form offers: the cluster's active members."""
    return Member.objects.filter(cluster=cluster, status="active").order_by("name", "id")


def declaring_members(ga):
    """Members the caller may declare for: any active member for the office, its own otherwise."""
    qs = cluster_members(ga.cluster)
    return qs if ga.grants.office else qs.filter(pk__in=ga.grants.member_ids)


def contributing_members(ga):
    """Whose material the caller may add: any member for the office, its own in the group otherwise."""
    qs = cluster_members(ga.cluster)
    return qs if ga.grants.office else qs.filter(pk__in=ga.own_members_in_group)


def group_create_from_form(*, cluster, user, data: dict):
    """GZW-1 / GZW-3: `GroupCreateForm`'s cleaned data to `group_create`."""
    from klaster.groups import services

    data = dict(data)
    data["initiator_ids"] = [m.pk for m in data.pop("initiators")]
    return services.group_create(cluster=cluster, user=user, **data)


def material_add_from_form(*, ga, user, data: dict, members):
    """GZW-4: `MaterialForm`'s cleaned data to `group_material_add`; a representative always gives
    the material as its own member's."""
    from klaster.groups import services

    provided_by = data["provided_by"]
    if provided_by is None and not ga.grants.office:
        provided_by = members.first()
    return services.group_material_add(
        group=ga.group,
        user=user,
        title=data["title"],
        body=data["body"],
        file=data["file"],
        confidential=data["confidential"],
        provided_by=provided_by,
    )


def special_form_notify_from_form(*, group, user, data: dict):
    """GZW-3: `NotifyForm`'s cleaned data to `special_form_notify`."""
    from klaster.groups import services

    return services.special_form_notify(
        group=group,
        user=user,
        recipient=data["recipient"],
        on=data["on"],
        addresses=[data["addresses"]],
        send=data["send"],
        note=data["note"],
    )
