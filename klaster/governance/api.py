"""Governance API: the live state of a meeting and casting ballots (token or session auth)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.core.api_forms import form_data as _form_data
from klaster.core.api_forms import form_refusal as _form_refusal
from klaster.core.api_forms import form_write
from klaster.core.api_forms import service_refusal as _refusal
from klaster.governance import forms, selectors, services
from klaster.governance.access import (
    access_admission,
    access_ballot,
    access_governance,
    access_meeting,
    access_meetings,
    access_objection,
)
from klaster.governance.live import live_state
from klaster.governance.models import Admission, Meeting, Proxy, Resolution, Vote
from klaster.governance.services.ballot_statement import AlreadyVoted, ballot_cast_statement
from klaster.governance.services.votes import already_voted, ballot_choices


class QuorumSerializer(serializers.Serializer):
    met = serializers.BooleanField()
    required = serializers.IntegerField(allow_null=True)
    present = serializers.IntegerField()
    reason = serializers.CharField(allow_null=True)


class MeetingLiveSerializer(serializers.Serializer):
    """What `klaster.governance.live.live_state` returns (documentation only: the view sends the
    dict as built)."""

    meeting = serializers.IntegerField()
    status = serializers.CharField()
    term = serializers.CharField()
    error = serializers.CharField(required=False, help_text="Why the state cannot be computed.")
    quorum = QuorumSerializer(required=False)
    entitled = serializers.IntegerField(required=False)
    presence = serializers.DictField(child=serializers.IntegerField(), required=False)
    attendance = serializers.ListField(child=serializers.DictField(), required=False)
    represented = serializers.ListField(child=serializers.DictField(), required=False)
    vote = serializers.DictField(required=False, help_text="The open vote and its running tally.")
    last_vote = serializers.DictField(required=False, help_text="The last closed vote's result.")


class BallotChoicesSerializer(serializers.Serializer):
    choices = serializers.DictField(
        child=serializers.ChoiceField(choices=["for", "against", "abstain"]),
        help_text="Member id → choice, for every member this user may cast for.",
    )


class CastBallotSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    choice = serializers.CharField()
    via = serializers.CharField()


class BallotCastResultSerializer(serializers.Serializer):
    cast = CastBallotSerializer(many=True)


class MeetingLiveView(APIView):
    """The chair's live state: attendance, quorum now, the running tally."""

    serializer_class = MeetingLiveSerializer

    @extend_schema(responses=MeetingLiveSerializer)
    def get(self, request, cluster_slug, meeting_id):
        _, _, meeting = access_meeting(request.user, cluster_slug, meeting_id, for_write=True)
        return Response(live_state(meeting))


class BallotCastView(APIView):
    """POST {"choices": {"<member id>": "for" | "against" | "abstain"}}: a representative casts its
    member's ballot, a proxy holder the ballots of the members whose proxies it holds."""

    serializer_class = BallotChoicesSerializer

    @extend_schema(request=BallotChoicesSerializer, responses={201: BallotCastResultSerializer})
    def post(self, request, cluster_slug, vote_id):
        # The light path a thousand voters take: a member's own ballot in an open General
        # Assembly vote is one statement (`ballot_cast_statement`); anything else — and any
        # refusal — the full path: the vote and the user's grants (`access_ballot`), then
        # `ballot_cast` reads the choices and decides for which members this user may cast.
        data = request.data
        raw = data.get("choices") if isinstance(data, Mapping) else data
        try:
            wanted = ballot_choices(raw)
        except ValidationError:
            wanted = {}
        try:
            cast = ballot_cast_statement(
                user=request.user, slug=cluster_slug, vote_id=vote_id, choices=wanted
            )
        except AlreadyVoted as already:
            raise ApiValidationError({"detail": [already_voted(already.member_id)]}) from None
        if cast is not None:
            return Response(
                {"cast": [{"member": cast.member_id, "choice": cast.choice, "via": cast.via}]},
                status=status.HTTP_201_CREATED,
            )
        _, _, vote = access_ballot(request.user, cluster_slug, vote_id)
        try:
            ballots = services.ballot_cast(vote=vote, user=request.user, choices=raw)
        except ValidationError as exc:
            raise ApiValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            ) from exc
        return Response(
            {"cast": [{"member": b.member_id, "choice": b.choice, "via": b.via} for b in ballots]},
            status=status.HTTP_201_CREATED,
        )


class GovernanceMeetingSerializer(serializers.ModelSerializer):
    organ_kind = serializers.SerializerMethodField()

    irregular_reason = serializers.CharField(source="irregular_words", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organ",
            "organ_kind",
            "kind",
            "title",
            "date",
            "starts_at",
            "second_term_at",
            "place",
            "online_link",
            "chair",
            "status",
            "term",
            "notice_sent_at",
            "irregular",
            "irregular_reason",
            "opened_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_organ_kind(self, meeting: Meeting) -> str:
        return meeting.organ.kind


class MeetingConveneSerializer(serializers.Serializer):
    """The fields of the page's form (`forms.MeetingForm`), which parses the call."""

    organ = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    second_term_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(required=False)
    online_link = serializers.CharField(required=False)
    chair = serializers.IntegerField(required=False)
    notice_sent_at = serializers.DateTimeField(required=False)
    agenda = serializers.CharField(required=False, help_text="One agenda item a line.")
    extraordinary_request = serializers.IntegerField(required=False)
    accept_irregular = serializers.BooleanField(required=False)


class MeetingListView(APIView):
    """GET: the meetings the caller may see (as the list page). POST: the office convenes a
    meeting (GOV-2/GOV-3), parsed by the page's form and written by the same service."""

    serializer_class = GovernanceMeetingSerializer

    @extend_schema(responses=GovernanceMeetingSerializer(many=True))
    def get(self, request, cluster_slug):
        cluster, grants = access_meetings(request.user, cluster_slug)
        meetings = selectors.meeting_list(cluster, grants, request.user)
        return Response(GovernanceMeetingSerializer(meetings, many=True).data)

    @extend_schema(request=MeetingConveneSerializer, responses={201: GovernanceMeetingSerializer})
    def post(self, request, cluster_slug):
        cluster, _ = access_governance(request.user, cluster_slug, for_write=True)
        form = forms.MeetingForm(_form_data(request.data), cluster=cluster)
        if not form.is_valid():
            raise _form_refusal(form)
        d = form.cleaned_data
        try:
            meeting = forms.convene_from_form(cluster, request.user, d)
        except ValidationError as exc:
            raise _refusal(exc) from exc
        return Response(GovernanceMeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class MeetingActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[
            "open",
            "open_second",
            "close",
            "agenda",
            "check_in",
            "check_out",
            "vote_open",
            "vote_close",
            "ballot",
        ]
    )
    title = serializers.CharField(required=False, help_text="agenda, vote_open")
    member = serializers.CharField(
        required=False, help_text="check_in, check_out: key, NIP or name"
    )
    mode = serializers.CharField(required=False, help_text="check_in")
    person_name = serializers.CharField(required=False, help_text="check_in")
    admission = serializers.IntegerField(required=False, help_text="vote_open")
    vote = serializers.IntegerField(required=False, help_text="vote_close, ballot")
    choices = serializers.DictField(
        child=serializers.ChoiceField(choices=["for", "against", "abstain"]),
        required=False,
        help_text="ballot: member id → choice, recorded by the chair for members in the room",
    )


class MeetingActionView(APIView):
    """POST {"action": ...}: the chair's and the office's actions on a meeting, as the meeting
    page's buttons (open, open_second, close, agenda, check_in, check_out, vote_open, vote_close,
    ballot), with the same access (`access_meeting(for_write=True)`) and the same services.
    Answers the meeting's live state (as GET .../live/)."""

    serializer_class = MeetingActionSerializer

    @extend_schema(request=MeetingActionSerializer, responses=MeetingLiveSerializer)
    def post(self, request, cluster_slug, meeting_id):
        cluster, _, meeting = access_meeting(request.user, cluster_slug, meeting_id, for_write=True)
        data = _form_data(request.data)
        action = data.get("action", "")
        user = request.user
        try:
            if action in ("open", "open_second"):
                services.meeting_open(
                    meeting=meeting, user=user, term=2 if action == "open_second" else 1
                )
            elif action == "close":
                services.meeting_close(meeting=meeting, user=user)
            elif action == "agenda":
                title = str(data.get("title", "")).strip()
                if not title:
                    raise ApiValidationError({"title": [gettext("This field is required.")]})
                services.agenda_item_add(meeting=meeting, user=user, title=title)
            elif action in ("check_in", "check_out"):
                form = forms.CheckInForm(data, cluster=cluster)
                if not form.is_valid():
                    raise _form_refusal(form)
                d = form.cleaned_data
                if action == "check_in":
                    services.attendance_check_in(
                        meeting=meeting,
                        member=d["member"],
                        user=user,
                        mode=d["mode"],
                        person_name=d["person_name"],
                    )
                else:
                    services.attendance_check_out(meeting=meeting, member=d["member"], user=user)
            elif action == "vote_open":
                opening = forms.VoteOpenForm(data, meeting=meeting)
                if not opening.is_valid():
                    raise _form_refusal(opening)
                services.vote_open(
                    meeting=meeting,
                    user=user,
                    title=opening.cleaned_data["title"],
                    admission=opening.cleaned_data["admission"],
                )
            elif action in ("vote_close", "ballot"):
                vote = _vote_of(meeting, data.get("vote"))
                if action == "vote_close":
                    services.vote_close(vote=vote, user=user)
                else:
                    choices = data.get("choices")
                    services.ballot_cast(
                        vote=vote,
                        user=user,
                        chair=True,
                        choices=choices if isinstance(choices, Mapping) else {},
                    )
            else:
                raise ApiValidationError({"action": [gettext("Unknown action.")]})
        except ValidationError as exc:
            raise _refusal(exc) from exc
        meeting.refresh_from_db()
        return Response(live_state(meeting))


def _vote_of(meeting: Meeting, vote_id) -> Vote:
    """A vote of this meeting only: another meeting's (or cluster's) vote id is 404."""
    try:
        return Vote.objects.get(meeting=meeting, pk=int(vote_id))
    except (TypeError, ValueError, Vote.DoesNotExist) as exc:
        raise NotFound from exc


class ProxySerializer(serializers.ModelSerializer):
    giver_name = serializers.CharField(source="giver.name", read_only=True)
    holder_user = serializers.SlugRelatedField(slug_field="username", read_only=True)

    reason = serializers.CharField(source="reason_words", read_only=True)

    class Meta:
        model = Proxy
        fields = [
            "id",
            "giver",
            "giver_name",
            "holder_name",
            "holder_user",
            "received_at",
            "status",
            "code",
            "reason",
        ]
        read_only_fields = fields


class ProxyGrantSerializer(serializers.Serializer):
    """The fields of the page's form (`forms.ProxyForm`), which parses the call."""

    giver = serializers.IntegerField(help_text="Member id of the giver.")
    holder_name = serializers.CharField(required=False)
    holder_user = serializers.CharField(required=False, help_text="The holder's login.")
    received_at = serializers.DateTimeField()


class ProxyListView(APIView):
    """GOV-4. GET: a meeting's proxies, for those who run it (the office, its chair). POST: the
    coordinator's office records a proxy; a refused proxy is recorded too, with its reason, as on
    the page (201 either way: read ``status`` and ``reason``)."""

    serializer_class = ProxySerializer

    @extend_schema(responses=ProxySerializer(many=True))
    def get(self, request, cluster_slug, meeting_id):
        _, _, meeting = access_meeting(request.user, cluster_slug, meeting_id, for_write=True)
        proxies = (
            Proxy.objects.filter(meeting=meeting)
            .select_related("giver", "holder_user")
            .order_by("received_at", "id")
        )
        return Response(ProxySerializer(proxies, many=True).data)

    @extend_schema(request=ProxyGrantSerializer, responses={201: ProxySerializer})
    def post(self, request, cluster_slug, meeting_id):
        cluster, grants, meeting = access_meeting(
            request.user, cluster_slug, meeting_id, for_write=True
        )
        if not grants.office:
            raise PermissionDenied  # proxies reach the coordinator's office (GOV-4)
        form = forms.ProxyForm(_form_data(request.data), cluster=cluster)
        proxy = form_write(
            form, lambda d: services.proxy_grant(meeting=meeting, user=request.user, **d)
        )
        return Response(ProxySerializer(proxy).data, status=status.HTTP_201_CREATED)


class ResolutionSerializer(serializers.ModelSerializer):
    organ_kind = serializers.CharField(source="organ.kind", read_only=True)

    rule_text = serializers.CharField(source="rule_words", read_only=True)
    reading = serializers.CharField(source="reading_words", read_only=True)
    tally = serializers.CharField(source="tally_words", read_only=True)
    reason = serializers.CharField(source="reason_words", read_only=True)

    class Meta:
        model = Resolution
        fields = [
            "id",
            "organ",
            "organ_kind",
            "year",
            "number",
            "meeting",
            "vote",
            "title",
            "adopted_on",
            "passed",
            "rule_text",
            "reading",
            "tally",
            "reason",
            "returned_on",
        ]
        read_only_fields = fields


class ResolutionListView(APIView):
    """The register of resolutions, for whoever sees the meetings (as the page)."""

    serializer_class = ResolutionSerializer

    @extend_schema(responses=ResolutionSerializer(many=True))
    def get(self, request, cluster_slug):
        cluster, _ = access_meetings(request.user, cluster_slug)
        rows = (
            Resolution.objects.filter(cluster=cluster)
            .select_related("organ")
            .order_by("organ_id", "-year", "-number")
        )
        return Response(ResolutionSerializer(rows, many=True).data)


class AdmissionSerializer(serializers.ModelSerializer):
    candidate_name = serializers.CharField(source="candidate.name", read_only=True)

    class Meta:
        model = Admission
        fields = [
            "id",
            "candidate",
            "candidate_name",
            "category",
            "declaration_signed_on",
            "rules_accepted_on",
            "monitoring_data_provided",
            "presentation_sent_on",
            "entry_fee_due",
            "meeting",
            "decision",
            "decided_on",
        ]
        read_only_fields = fields


class AdmissionOpenSerializer(serializers.Serializer):
    """The fields of the page's form (`forms.AdmissionOpenForm`), which parses the call."""

    candidate = serializers.IntegerField(help_text="Member id of the candidate.")
    category = serializers.CharField()
    filed_on = serializers.DateField()


class AdmissionListView(APIView):
    """Admissions (GOV-5). GET: the office and organ members. POST: the office opens one."""

    serializer_class = AdmissionSerializer

    @extend_schema(responses=AdmissionSerializer(many=True))
    def get(self, request, cluster_slug):
        cluster, _ = access_governance(request.user, cluster_slug)
        rows = Admission.objects.filter(cluster=cluster).select_related("candidate").order_by("id")
        return Response(AdmissionSerializer(rows, many=True).data)

    @extend_schema(request=AdmissionOpenSerializer, responses={201: AdmissionSerializer})
    def post(self, request, cluster_slug):
        cluster, _ = access_governance(request.user, cluster_slug, for_write=True)
        form = forms.AdmissionOpenForm(_form_data(request.data), cluster=cluster)
        admission = form_write(
            form, lambda d: services.admission_open(cluster=cluster, user=request.user, **d)
        )
        return Response(AdmissionSerializer(admission).data, status=status.HTTP_201_CREATED)


class AdmissionActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["payment", "schedule"])
    paid_on = serializers.DateField(required=False, help_text="payment")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    meeting = serializers.IntegerField(required=False, help_text="schedule: the deciding meeting")


class AdmissionDetailView(APIView):
    """GET: one admission. POST {"action": "payment" | "schedule", ...}: the office records an
    entry-fee payment or schedules the deciding meeting, as on the page."""

    serializer_class = AdmissionSerializer

    @extend_schema(responses=AdmissionSerializer)
    def get(self, request, cluster_slug, admission_id):
        _, _, admission = access_admission(request.user, cluster_slug, admission_id)
        return Response(AdmissionSerializer(admission).data)

    @extend_schema(
        request=AdmissionActionSerializer,
        responses=AdmissionSerializer,
        operation_id="clusters_admissions_action",
    )
    def post(self, request, cluster_slug, admission_id):
        cluster, _, admission = access_admission(
            request.user, cluster_slug, admission_id, for_write=True
        )
        data = _form_data(request.data)
        action = data.get("action")
        form: Any
        if action == "payment":
            form = forms.FeePaymentForm(data)
            service: Any = services.fee_payment_add
        elif action == "schedule":
            form = forms.ScheduleForm(data, cluster=cluster)
            service = services.admission_schedule
        else:
            raise ApiValidationError({"action": [gettext("Unknown action.")]})
        if not form.is_valid():
            raise _form_refusal(form)
        try:
            service(admission=admission, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            raise _refusal(exc) from exc
        admission.refresh_from_db()
        return Response(AdmissionSerializer(admission).data)


class ObjectionSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text="Member id: a representative's own member only.")
    text = serializers.CharField(required=False, allow_blank=True)


class ObjectionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    member = serializers.IntegerField()
    valid = serializers.BooleanField()
    reason = serializers.CharField()


class ObjectionFileView(APIView):
    """GOV-5: an objection to a vote's resolution -- a representative for its own member (another
    member is not among the form's choices: 400), the office for any. 201 either way: whether it
    counts is ``valid`` with ``reason``, as the page says it."""

    serializer_class = ObjectionSerializer

    @extend_schema(request=ObjectionSerializer, responses={201: ObjectionResultSerializer})
    def post(self, request, cluster_slug, vote_id):
        cluster, grants, vote = access_objection(request.user, cluster_slug, vote_id)
        form = forms.ObjectionForm(
            _form_data(request.data),
            cluster=cluster,
            member_ids=None if grants.office else grants.member_ids,
        )
        objection = form_write(
            form, lambda d: services.objection_file(vote=vote, user=request.user, **d)
        )
        return Response(
            {
                "id": objection.pk,
                "member": objection.member_id,
                "valid": objection.valid,
                "reason": objection.reason_words,
            },
            status=status.HTTP_201_CREATED,
        )
