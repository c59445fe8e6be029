"""Governance forms. They parse; the services (and the rules behind them) decide."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from klaster.core.concurrency import VERSION_FIELD
from klaster.core.forms import model_choice_field
from klaster.core.models import Cluster
from klaster.core.uploads import UploadSizeValidator, help_text
from klaster.governance import services
from klaster.governance.models import (
    Admission,
    AttendanceMode,
    Ballot,
    Declaration,
    ExtraordinaryRequest,
    Meeting,
    OrganKind,
    Seat,
)
from klaster.members.models import DelegatedPerson, Member
from klaster.rules import identifiers
from klaster.rules.statute import (
    DECISION_ADMIT_PARTNER,
    DECISION_ADMIT_STRATEGIC_PARTNER,
    DECISION_ORDINARY,
)

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _members(cluster: Cluster):
    return Member.objects.filter(cluster=cluster).order_by("name")


def _persons(cluster: Cluster):
    return (
        DelegatedPerson.objects.filter(member__cluster=cluster, link_ended__isnull=True)
        .select_related("member")
        .order_by("name")
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.member.name})"


class PersonsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.member.name})"


class UsernameField(forms.CharField):
    """An account by its login — only among the people with a role in this cluster, so that an
    office learns nothing of other tenants' logins (the answer is the same for both)."""

    def __init__(self, *args, **kwargs):
        self.cluster = None
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        user = None
        if self.cluster is not None:
            user = (
                get_user_model()
                .objects.filter(username=value, cluster_roles__cluster=self.cluster)
                .distinct()
                .first()
            )
        if user is None:
            raise forms.ValidationError(
                _("No account with this login among the people of this cluster.")
            )
        return user


def _scope_usernames(form: forms.Form, cluster: Cluster) -> None:
    for field in form.fields.values():
        if isinstance(field, UsernameField):
            field.cluster = cluster


class MeetingForm(forms.Form):
    organ = forms.ChoiceField(label=_("Organ"), choices=OrganKind.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_at = forms.DateTimeField(
        label=_("First term starts"), widget=_DATETIME, input_formats=_DT_FORMATS
    )
    second_term_at = forms.DateTimeField(
        label=_("Second term starts"), required=False, widget=_DATETIME, input_formats=_DT_FORMATS
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.CharField(label=_("Online link"), max_length=300, required=False)
    chair = UsernameField(label=_("Chair (login)"), required=False)
    notice_sent_at = forms.DateTimeField(
        label=_("Notice sent"),
        required=False,
        widget=_DATETIME,
        input_formats=_DT_FORMATS,
        help_text=_("Empty: now."),
    )
    agenda = forms.CharField(
        label=_("Agenda, one item per line"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    extraordinary_request = forms.ModelChoiceField(
        label=_("Extraordinary request"),
        required=False,
        queryset=ExtraordinaryRequest.objects.none(),
    )
    accept_irregular = forms.BooleanField(
        label=_("Convene even if irregular (late notice)"), required=False
    )

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_usernames(self, cluster)
        model_choice_field(
            self, "extraordinary_request"
        ).queryset = ExtraordinaryRequest.objects.filter(cluster=cluster, threshold_met=True)


class MemberRefField(forms.CharField):
    """A member by its key, NIP, exact name or id — a text field, so that a chair's page with a
    thousand members does not render a thousand options."""

    def __init__(self, *args, **kwargs):
        self.cluster = None
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        qs = Member.objects.filter(cluster=self.cluster)
        q = Q(key=value) | Q(name=value)
        nip = identifiers.lookup_nip(value)  # MEM-4: compacted as the member form stores it
        if nip and len(nip) == 10:
            q |= Q(nip=nip)
        if value.isdigit():
            q |= Q(pk=int(value))
        found = list(qs.filter(q)[:2])
        if len(found) != 1:
            raise forms.ValidationError(
                _("No single member matches “%(value)s”.") % {"value": value}
            )
        return found[0]


class CheckInForm(forms.Form):
    member = MemberRefField(label=_("Member (key, NIP or name)"), max_length=300)
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[(AttendanceMode.IN_PERSON, _("in person")), (AttendanceMode.ONLINE, _("online"))],
    )
    person_name = forms.CharField(label=_("Person"), max_length=200, required=False)

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        assert isinstance(member, MemberRefField)
        member.cluster = cluster


class ProxyForm(forms.Form):
    giver = forms.ModelChoiceField(label=_("Giver (member)"), queryset=Member.objects.none())
    holder_name = forms.CharField(
        label=_("Holder (natural person)"), max_length=200, required=False
    )
    holder_user = UsernameField(label=_("Holder's login (to vote online)"), required=False)
    received_at = forms.DateTimeField(
        label=_("E-mail reached the coordinator"), widget=_DATETIME, input_formats=_DT_FORMATS
    )

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_usernames(self, cluster)
        model_choice_field(self, "giver").queryset = _members(cluster)


class ProxyImportForm(forms.Form):
    """GOV-4: a CSV of proxies. ``cleaned_data["content"]`` is its text: UTF-8 (with or without
    a BOM) or UTF-16 with a BOM; anything else is a form error, not a 500 (issue 7)."""

    file = forms.FileField(
        label=_("CSV file (giver, holder, received_at)"),
        validators=[UploadSizeValidator("proxy_csv")],
        help_text=help_text("proxy_csv"),
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        upload.seek(0)
        data = upload.read()
        try:
            if data.startswith((b"\xff\xfe", b"\xfe\xff")):
                text = data.decode("utf-16")
            else:
                text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.add_error(
                "file",
                _(
                    "The file is not a CSV saved as UTF-8 (or UTF-16); save it as "
                    "“CSV UTF-8” and try again."
                ),
            )
            return cleaned
        if "\x00" in text:
            self.add_error("file", _("The file is not a CSV text file."))
            return cleaned
        cleaned["content"] = text.lstrip("\ufeff")
        return cleaned


DECISIONS = [
    (DECISION_ORDINARY, _("ordinary resolution")),
    (DECISION_ADMIT_PARTNER, _("admission of a Partner")),
    (DECISION_ADMIT_STRATEGIC_PARTNER, _("admission of a Strategic Partner")),
]


class VoteOpenForm(forms.Form):
    title = forms.CharField(label=_("Matter"), max_length=500, required=False)
    admission = forms.ModelChoiceField(
        label=_("Candidate (admission)"), required=False, queryset=Admission.objects.none()
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "admission").queryset = Admission.objects.filter(
            meeting=meeting, decision=Admission.Decision.PENDING
        ).select_related("candidate")


class BallotForm(forms.Form):
    choice = forms.ChoiceField(label=_("Vote"), choices=Ballot.Choice.choices)


class ElectionForm(forms.Form):
    organ = forms.ChoiceField(
        label=_("Organ"), choices=[c for c in OrganKind.choices if c[0] != OrganKind.GA]
    )
    held_on = forms.DateField(label=_("Held on"), widget=_DATE)
    candidates = PersonsChoice(label=_("Candidates"), queryset=DelegatedPerson.objects.none())
    convicted = PersonsChoice(
        label=_("Declared a conviction for an intentional crime"),
        required=False,
        queryset=DelegatedPerson.objects.none(),
    )

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "candidates").queryset = _persons(cluster)
        model_choice_field(self, "convicted").queryset = _persons(cluster)


class SeatForm(forms.Form):
    organ = forms.ChoiceField(
        label=_("Organ"), choices=[c for c in OrganKind.choices if c[0] != OrganKind.GA]
    )
    person = PersonChoice(label=_("Person"), queryset=DelegatedPerson.objects.none())
    kind = forms.ChoiceField(label=_("Kind of seat"), choices=Seat.Kind.choices)
    starts = forms.DateField(label=pgettext_lazy("date range", "From"), widget=_DATE)
    seat_user = UsernameField(label=_("Person's login"), required=False)
    chairs = forms.BooleanField(label=_("Chairs the organ"), required=False)

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_usernames(self, cluster)
        model_choice_field(self, "person").queryset = _persons(cluster)


class RelationForm(forms.Form):
    person = PersonChoice(label=_("Person"), queryset=DelegatedPerson.objects.none())
    kind = forms.ChoiceField(
        label=_("Relation"),
        choices=[
            ("blood", _("related by blood")),
            ("affinity", _("related by affinity")),
            ("marriage", _("married")),
            ("subordinate_to", _("subordinate to")),
        ],
    )
    other = PersonChoice(label=_("Other person"), queryset=DelegatedPerson.objects.none())

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "person").queryset = _persons(cluster)
        model_choice_field(self, "other").queryset = _persons(cluster)


class DeclarationForm(forms.Form):
    organ = forms.ChoiceField(
        label=_("Organ"),
        choices=[(OrganKind.COUNCIL, _("Cluster Council")), (OrganKind.BOARD, _("Cluster Board"))],
    )
    person = PersonChoice(label=_("Person"), queryset=DelegatedPerson.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Declaration.Kind.choices)
    declared_on = forms.DateField(label=_("Received on"), widget=_DATE)
    text = forms.CharField(label=_("Declaration"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, cluster: Cluster, member_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        persons = _persons(cluster)
        if member_ids is not None:  # a representative files only for its own member's persons
            persons = persons.filter(member_id__in=list(member_ids))
        model_choice_field(self, "person").queryset = persons


class ExtraordinaryForm(forms.Form):
    source = forms.ChoiceField(label=_("Requested by"), choices=ExtraordinaryRequest.Source.choices)
    received_on = forms.DateField(label=_("Received on"), widget=_DATE)
    matters = forms.CharField(
        label=_("Matters to debate"), widget=forms.Textarea(attrs={"rows": 3})
    )
    requesters = forms.ModelMultipleChoiceField(
        label=_("Requesting members"), required=False, queryset=Member.objects.none()
    )

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "requesters").queryset = _members(cluster)


class AdmissionOpenForm(forms.Form):
    candidate = forms.ModelChoiceField(
        label=_("Candidate (registered as a member record)"), queryset=Member.objects.none()
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("partner", _("Partner")), ("strategic_partner", _("Strategic Partner"))],
    )
    filed_on = forms.DateField(label=_("Filed on"), widget=_DATE)

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "candidate").queryset = _members(cluster).filter(
            status="candidate"
        )


class AdmissionForm(forms.ModelForm):
    class Meta:
        model = Admission
        fields = [
            "declaration_signed_on",
            "rules_accepted_on",
            "monitoring_data_provided",
            "presentation_sent_on",
            "entry_fee_due",
            "recommenders",
        ]
        widgets = {
            "declaration_signed_on": _DATE,
            "rules_accepted_on": _DATE,
            "presentation_sent_on": _DATE,
        }

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "recommenders").queryset = _members(cluster).exclude(
            status="candidate"
        )


class FeePaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=_DATE)
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2)


class ScheduleForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Deciding meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "meeting").queryset = (
            Meeting.objects.filter(cluster=cluster)
            .exclude(status=Meeting.Status.CLOSED)
            .select_related("organ")
        )


class MembershipEndForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    kind = forms.ChoiceField(
        label=_("Event"),
        choices=[
            ("resigned", _("resigned")),
            ("excluded", _("excluded")),
            ("struck_off", _("struck off")),
        ],
    )
    date = forms.DateField(label=_("Effective date"), widget=_DATE)
    document = forms.CharField(label=_("Resolution or statement"), max_length=300, required=False)

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "member").queryset = _members(cluster).filter(
            status__in=["active", "suspended"]
        )


class MediationForm(forms.Form):
    reported_on = forms.DateField(label=_("Reported in writing on"), widget=_DATE)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"), required=False, queryset=Member.objects.none()
    )
    involved_persons = PersonsChoice(
        label=_("Presidium members involved"),
        required=False,
        queryset=DelegatedPerson.objects.none(),
    )

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "parties").queryset = _members(cluster)
        model_choice_field(self, "involved_persons").queryset = _persons(cluster)


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(label=_("Resolved on"), widget=_DATE)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))


class ContactForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    met_on = forms.DateField(label=_("Met on"), widget=_DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "member").queryset = _members(cluster).filter(
            status__in=["active", "suspended"]
        )


class ObjectionForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    text = forms.CharField(
        label=_("Objection"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, cluster: Cluster, member_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = _members(cluster)
        if member_ids is not None:
            qs = qs.filter(pk__in=member_ids)
        model_choice_field(self, "member").queryset = qs


def convene_from_form(cluster: Any, user: Any, d: Mapping[str, Any]) -> Any:
    """`services.meeting_convene` from `MeetingForm`'s cleaned data — the one mapping, for the page
    and the API alike."""
    return services.meeting_convene(
        organ=services.organs_ensure(cluster=cluster)[d["organ"]],
        user=user,
        title=d["title"],
        starts_at=d["starts_at"],
        second_term_at=d["second_term_at"],
        place=d["place"],
        online_link=d["online_link"],
        kind=d["kind"],
        chair=d["chair"],
        notice_sent_at=d["notice_sent_at"],
        agenda=d["agenda"].splitlines(),
        extraordinary_request=d["extraordinary_request"],
        accept_irregular=d["accept_irregular"],
    )


def election_from_form(cluster: Any, user: Any, d: Mapping[str, Any]) -> Any:
    """`services.election_hold` from `ElectionForm`'s cleaned data (the page and the API): every
    candidate with whether it declared a conviction."""
    convicted = {p.pk for p in d["convicted"]}
    return services.election_hold(
        organ=services.organs_ensure(cluster=cluster)[d["organ"]],
        user=user,
        held_on=d["held_on"],
        candidates=[(p, p.pk in convicted) for p in d["candidates"]],
    )


def seat_from_form(cluster: Any, user: Any, d: Mapping[str, Any]) -> Any:
    """`services.seat_add` from `SeatForm`'s cleaned data (the page and the API)."""
    return services.seat_add(
        organ=services.organs_ensure(cluster=cluster)[d["organ"]],
        user=user,
        person=d["person"],
        starts=d["starts"],
        kind=d["kind"],
        seat_user=d["seat_user"],
        chairs=d["chairs"],
    )


def declaration_from_form(cluster: Any, user: Any, d: Mapping[str, Any]) -> Any:
    """`services.declaration_file` from `DeclarationForm`'s cleaned data (the page and the API)."""
    return services.declaration_file(
        organ=services.organs_ensure(cluster=cluster)[d["organ"]],
        user=user,
        person=d["person"],
        kind=d["kind"],
        text=d["text"],
        declared_on=d["declared_on"],
    )


def own_check_in_from_form(*, cluster: Cluster, grants: Any, meeting: Any, user: Any, data: Any):
    """A representative checks its own member in (the member's page and the API): the member is
    one of the caller's (else refused on ``member``), then `attendance_check_in` decides."""
    from django.core.exceptions import ValidationError

    raw = str(data.get("member", "") or "")
    member = (
        Member.objects.filter(cluster=cluster, pk=int(raw)).first()
        if raw.isdigit() and len(raw) < 19
        else None
    )
    if member is None:
        raise ValidationError({"member": _("Unknown member.")})
    if member.pk not in grants.member_ids:
        raise ValidationError({"member": _("You do not represent this member.")})
    return services.attendance_check_in(
        meeting=meeting,
        member=member,
        user=user,
        mode=data.get("mode") or "online",
        person_name=user.get_full_name() or user.username,
    )


def admission_update_from_form(*, admission: Any, user: Any, form: Any, expected_version: str):
    """GOV-5: what `AdmissionForm` changed (the page's and the API's) to `admission_update`."""
    data = {
        k: form.cleaned_data[k]
        for k in form.changed_data
        if k not in ("recommenders", VERSION_FIELD)
    }
    return services.admission_update(
        admission=admission,
        user=user,
        data=data,
        recommenders=list(form.cleaned_data["recommenders"]),
        expected_version=expected_version,
    )
