"""Governance API, the office's part (issue 9 point 6): what the organs page, the declarations,
extraordinary requests, mediation and contacts pages, the meeting page's summary and proxy CSV
import, and its agenda do — each with the page's access helper, the page's form parsing the call
and the page's service deciding (the same refusals, in the user's language)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.core.access import get_in_cluster
from klaster.core.api_forms import form_data as _form_data
from klaster.core.api_forms import form_write
from klaster.core.api_forms import service_refusal as _refusal
from klaster.governance import forms, selectors, services
from klaster.governance.access import (
    access_declarations,
    access_governance,
    access_mediation,
    access_meeting,
    declaration_member_ids,
)
from klaster.governance.models import (
    AgendaItem,
    Declaration,
    ExtraordinaryRequest,
    IndividualMeeting,
    MediationCase,
    Seat,
)

# --- organs: elections, seats, relations, end of membership (GOV-8, GOV-9, GOV-10) ---


class CandidacySerializer(serializers.Serializer):
    person = serializers.IntegerField()
    person_name = serializers.CharField()
    outcome = serializers.CharField()
    reason = serializers.CharField()


class GovernanceActionSerializer(serializers.Serializer):
    """The organs page's four forms, one ``action`` each (field names without the page's
    prefixes)."""

    action = serializers.ChoiceField(choices=["election", "seat", "relation", "membership_end"])
    organ = serializers.CharField(required=False, help_text="election, seat: council, board, …")
    held_on = serializers.DateField(required=False, help_text="election")
    candidates = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="election: delegated persons"
    )
    convicted = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="election: candidates who declared a conviction for an intentional crime",
    )
    person = serializers.IntegerField(required=False, help_text="seat, relation: delegated person")
    kind = serializers.CharField(
        required=False, help_text="seat: kind of seat; relation: the relation; membership_end"
    )
    starts = serializers.DateField(required=False, help_text="seat")
    seat_user = serializers.CharField(required=False, help_text="seat: the person's login")
    chairs = serializers.BooleanField(required=False, help_text="seat")
    other = serializers.IntegerField(required=False, help_text="relation: the other person")
    member = serializers.IntegerField(required=False, help_text="membership_end")
    date = serializers.DateField(required=False, help_text="membership_end")
    document = serializers.CharField(required=False, help_text="membership_end")


class GovernanceActionResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    candidacies = CandidacySerializer(many=True, required=False, help_text="election")


def _election(cluster, user, d) -> dict[str, Any]:
    election = forms.election_from_form(cluster, user, d)
    return {
        "detail": gettext("Election recorded."),
        "candidacies": [
            {
                "person": c.person_id,
                "person_name": c.person.name,
                "outcome": c.outcome,
                "reason": c.reason_words,
            }
            for c in election.candidacies.select_related("person")
        ],
    }


def _seat(cluster, user, d) -> dict[str, Any]:
    forms.seat_from_form(cluster, user, d)
    return {"detail": gettext("Seat recorded.")}


def _relation(cluster, user, d) -> dict[str, Any]:
    services.person_relation_add(cluster=cluster, user=user, **d)
    return {"detail": gettext("Relation recorded.")}


def _membership_end(cluster, user, d) -> dict[str, Any]:
    services.membership_end(user=user, **d)
    return {"detail": gettext("Membership ended; the member's seats ended the same day.")}


#: action -> (the page's form, what the page does with its cleaned data)
GOVERNANCE_ACTIONS: dict[str, tuple[Any, Callable[..., dict[str, Any]]]] = {
    "election": (forms.ElectionForm, _election),
    "seat": (forms.SeatForm, _seat),
    "relation": (forms.RelationForm, _relation),
    "membership_end": (forms.MembershipEndForm, _membership_end),
}


class GovernanceActionView(APIView):
    """POST {"action": "election" | "seat" | "relation" | "membership_end", ...}: the office's
    writes on the organs page, with its access (`access_governance(for_write=True)`), its forms
    and its services. An election answers every candidate's outcome with the reason (GOV-10)."""

    serializer_class = GovernanceActionSerializer

    @extend_schema(
        request=GovernanceActionSerializer, responses={201: GovernanceActionResultSerializer}
    )
    def post(self, request, cluster_slug):
        cluster, _ = access_governance(request.user, cluster_slug, for_write=True)
        data = _form_data(request.data)
        try:
            form_class, run = GOVERNANCE_ACTIONS[str(data.get("action", ""))]
        except KeyError:
            raise ApiValidationError({"action": [gettext("Unknown action.")]}) from None
        form = form_class(data, cluster=cluster)
        result = form_write(form, lambda d: run(cluster, request.user, d))
        return Response(result, status=status.HTTP_201_CREATED)


class SeatSerializer(serializers.ModelSerializer):
    organ_kind = serializers.CharField(source="organ.kind", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Seat
        fields = [
            "id",
            "organ",
            "organ_kind",
            "person",
            "person_name",
            "member",
            "user",
            "kind",
            "chairs",
            "election",
            "starts",
            "ends",
            "ended_on",
            "end_reason",
        ]
        read_only_fields = fields


class SeatListView(APIView):
    """The organs' seats, past and present (GOV-8, GOV-9): the office and organ members, as the
    organs page."""

    serializer_class = SeatSerializer

    @extend_schema(responses=SeatSerializer(many=True))
    def get(self, request, cluster_slug):
        cluster, _ = access_governance(request.user, cluster_slug)
        seats = (
            Seat.objects.filter(organ__cluster=cluster)
            .select_related("organ", "person")
            .order_by("organ_id", "starts", "id")
        )
        return Response(SeatSerializer(seats, many=True).data)


# --- declarations (GOV-11) ---


class OrganDeclarationSerializer(serializers.ModelSerializer):
    organ_kind = serializers.CharField(source="organ.kind", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    agenda_meeting = serializers.IntegerField(
        source="agenda_item.meeting_id",
        read_only=True,
        default=None,
        allow_null=True,
        help_text="The meeting whose agenda it is on (none yet: it waits for the next one).",
    )

    class Meta:
        model = Declaration
        fields = [
            "id",
            "organ",
            "organ_kind",
            "person",
            "person_name",
            "kind",
            "text",
            "declared_on",
            "agenda_item",
            "agenda_meeting",
            "sent_at",
            "recipients",
            "send_error",
        ]
        read_only_fields = fields


class DeclarationFileSerializer(serializers.Serializer):
    """The fields of the page's form (`forms.DeclarationForm`), which parses the call."""

    organ = serializers.CharField(help_text="council or board")
    person = serializers.IntegerField(help_text="Delegated person id.")
    kind = serializers.CharField(help_text="inability or conflict")
    declared_on = serializers.DateField()
    text = serializers.CharField()


class DeclarationListView(APIView):
    """GOV-11. GET: the declarations the caller sees (as the page: a representative only its own
    member's persons'). POST: the office, or a representative for its own member's persons, files
    one; it goes onto the organ's agenda and is sent to the coordinator and the chair (201 even
    when the sending failed: read ``send_error``; the office resends it)."""

    serializer_class = OrganDeclarationSerializer

    @extend_schema(responses=OrganDeclarationSerializer(many=True))
    def get(self, request, cluster_slug):
        cluster, grants = access_declarations(request.user, cluster_slug)
        rows = Declaration.objects.filter(organ__cluster=cluster).select_related(
            "person", "organ", "agenda_item"
        )
        own = declaration_member_ids(grants)
        if own is not None:
            rows = rows.filter(person__member_id__in=list(own))
        return Response(OrganDeclarationSerializer(rows, many=True).data)

    @extend_schema(request=DeclarationFileSerializer, responses={201: OrganDeclarationSerializer})
    def post(self, request, cluster_slug):
        cluster, grants = access_declarations(request.user, cluster_slug, for_write=True)
        form = forms.DeclarationForm(
            _form_data(request.data),
            cluster=cluster,
            member_ids=None if grants.office else grants.member_ids,
        )
        declaration = form_write(
            form, lambda d: forms.declaration_from_form(cluster, request.user, d)
        )
        return Response(
            OrganDeclarationSerializer(declaration).data, status=status.HTTP_201_CREATED
        )


class DeclarationResendView(APIView):
    """GOV-11: the office sends a declaration again (after a failed sending)."""

    serializer_class = OrganDeclarationSerializer

    @extend_schema(request=None, responses=OrganDeclarationSerializer)
    def post(self, request, cluster_slug, declaration_id):
        cluster, grants = access_declarations(request.user, cluster_slug, for_write=True)
        if not grants.office:
            raise PermissionDenied
        declaration = get_in_cluster(Declaration, cluster, via="organ__cluster", pk=declaration_id)
        declaration = services.declaration_send(declaration=declaration, user=request.user)
        return Response(OrganDeclarationSerializer(declaration).data)


# --- extraordinary General Assembly requests (GOV-7) ---


class ExtraordinaryRequestSerializer(serializers.ModelSerializer):
    meetings = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    reason = serializers.SerializerMethodField()

    class Meta:
        model = ExtraordinaryRequest
        fields = [
            "id",
            "source",
            "received_on",
            "matters",
            "requesters",
            "partners_total",
            "threshold_met",
            "sit_by",
            "reason",
            "meetings",
        ]
        read_only_fields = fields

    def get_reason(self, req: ExtraordinaryRequest) -> str:
        """Whether the request is effective and why (GOV-7), in the reader's language."""
        return req.reason_words


class ExtraordinaryFileSerializer(serializers.Serializer):
    """The fields of the page's form (`forms.ExtraordinaryForm`), which parses the call."""

    source = serializers.CharField(help_text="board, council or members")
    received_on = serializers.DateField()
    matters = serializers.CharField()
    requesters = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Member ids."
    )


class ExtraordinaryRequestListView(APIView):
    """GOV-7. GET: the requests (the office and organ members). POST: the office records one; 201
    whether or not it is effective: read ``threshold_met`` and ``reason``."""

    serializer_class = ExtraordinaryRequestSerializer

    @extend_schema(responses=ExtraordinaryRequestSerializer(many=True))
    def get(self, request, cluster_slug):
        cluster, _ = access_governance(request.user, cluster_slug)
        rows = ExtraordinaryRequest.objects.filter(cluster=cluster).prefetch_related(
            "meetings", "requesters"
        )
        return Response(ExtraordinaryRequestSerializer(rows, many=True).data)

    @extend_schema(
        request=ExtraordinaryFileSerializer, responses={201: ExtraordinaryRequestSerializer}
    )
    def post(self, request, cluster_slug):
        cluster, _ = access_governance(request.user, cluster_slug, for_write=True)
        form = forms.ExtraordinaryForm(_form_data(request.data), cluster=cluster)
        req = form_write(
            form,
            lambda d: services.extraordinary_request_file(cluster=cluster, user=request.user, **d),
        )
        return Response(ExtraordinaryRequestSerializer(req).data, status=status.HTTP_201_CREATED)


# --- mediation (GOV-13) ---


class MediationCaseSerializer(serializers.ModelSerializer):
    deadline = serializers.SerializerMethodField()

    class Meta:
        model = MediationCase
        fields = [
            "id",
            "reported_on",
            "subject",
            "description",
            "parties",
            "involved_persons",
            "resolved_on",
            "outcome",
            "deadline",
        ]
        read_only_fields = fields

    def get_deadline(self, case: MediationCase) -> dt.date | None:
        """The 30 days' deadline (GOV-13), as the page shows it (none without a statute profile)."""
        try:
            return selectors.mediation_status(case, timezone.localdate()).deadline
        except ValidationError:
            return None


class MediationOpenSerializer(serializers.Serializer):
    """The fields of the page's form (`forms.MediationForm`), which parses the call."""

    reported_on = serializers.DateField()
    subject = serializers.CharField()
    parties = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Member ids."
    )
    involved_persons = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Delegated person ids: presidium members involved.",
    )


class MediationListView(APIView):
    """GOV-13. GET: the cases (the office and organ members). POST: the office opens one."""

    serializer_class = MediationCaseSerializer

    @extend_schema(responses=MediationCaseSerializer(many=True))
    def get(self, request, cluster_slug):
        cluster, _ = access_governance(request.user, cluster_slug)
        cases = MediationCase.objects.filter(cluster=cluster).prefetch_related(
            "parties", "involved_persons"
        )
        return Response(MediationCaseSerializer(cases, many=True).data)

    @extend_schema(request=MediationOpenSerializer, responses={201: MediationCaseSerializer})
    def post(self, request, cluster_slug):
        cluster, _ = access_governance(request.user, cluster_slug, for_write=True)
        form = forms.MediationForm(_form_data(request.data), cluster=cluster)
        case = form_write(
            form, lambda d: services.mediation_open(cluster=cluster, user=request.user, **d)
        )
        return Response(MediationCaseSerializer(case).data, status=status.HTTP_201_CREATED)


class MediationResolveSerializer(serializers.Serializer):
    resolved_on = serializers.DateField()
    outcome = serializers.CharField()


class MediationResolveView(APIView):
    """GOV-13: the office records how a case was resolved."""

    serializer_class = MediationResolveSerializer

    @extend_schema(request=MediationResolveSerializer, responses=MediationCaseSerializer)
    def post(self, request, cluster_slug, case_id):
        _, _, case = access_mediation(request.user, cluster_slug, case_id, for_write=True)
        form = forms.ResolveForm(_form_data(request.data))
        case = form_write(
            form, lambda d: services.mediation_resolve(case=case, user=request.user, **d)
        )
        return Response(MediationCaseSerializer(case).data)


# --- the coordinator's individual meetings with members (GOV-15) ---


class IndividualMeetingSerializer(serializers.ModelSerializer):
    # an id, not a relation with a queryset: the browsable API would list every cluster's members
    member = serializers.IntegerField(source="member_id", help_text="Member id.")

    class Meta:
        model = IndividualMeeting
        fields = ["id", "member", "met_on", "note"]
        read_only_fields = ["id"]


class ContactListView(APIView):
    """GOV-15. GET: the coordinator's recorded meetings with members (the office and organ
    members). POST: the office records one (`forms.ContactForm`, `individual_meeting_add`)."""

    serializer_class = IndividualMeetingSerializer

    @extend_schema(responses=IndividualMeetingSerializer(many=True))
    def get(self, request, cluster_slug):
        cluster, _ = access_governance(request.user, cluster_slug)
        rows = IndividualMeeting.objects.filter(cluster=cluster)
        return Response(IndividualMeetingSerializer(rows, many=True).data)

    @extend_schema(
        request=IndividualMeetingSerializer, responses={201: IndividualMeetingSerializer}
    )
    def post(self, request, cluster_slug):
        cluster, _ = access_governance(request.user, cluster_slug, for_write=True)
        form = forms.ContactForm(_form_data(request.data), cluster=cluster)
        row = form_write(
            form, lambda d: services.individual_meeting_add(cluster=cluster, user=request.user, **d)
        )
        return Response(IndividualMeetingSerializer(row).data, status=status.HTTP_201_CREATED)


# --- a meeting's agenda, summary and proxies by CSV (GOV-2, GOV-4, GOV-14) ---


class AgendaItemSerializer(serializers.ModelSerializer):
    reason = serializers.CharField(source="reason_words", read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "kind", "title", "description", "reason", "source_vote"]
        read_only_fields = fields


class AgendaItemAddSerializer(serializers.Serializer):
    title = serializers.CharField()


class AgendaView(APIView):
    """A meeting's agenda. GET: whoever sees the meeting. POST: whoever runs it (the office, its
    chair) adds an item, as the meeting page does (`agenda_item_add`)."""

    serializer_class = AgendaItemSerializer

    @extend_schema(responses=AgendaItemSerializer(many=True))
    def get(self, request, cluster_slug, meeting_id):
        _, _, meeting = access_meeting(request.user, cluster_slug, meeting_id)
        items = meeting.agenda_items.order_by("position", "id")
        return Response(AgendaItemSerializer(items, many=True).data)

    @extend_schema(request=AgendaItemAddSerializer, responses={201: AgendaItemSerializer})
    def post(self, request, cluster_slug, meeting_id):
        _, _, meeting = access_meeting(request.user, cluster_slug, meeting_id, for_write=True)
        data = _form_data(request.data)
        title = str(data.get("title", "")).strip()
        if not title:
            raise ApiValidationError({"title": [gettext("This field is required.")]})
        try:
            item = services.agenda_item_add(meeting=meeting, user=request.user, title=title)
        except ValidationError as exc:
            raise _refusal(exc) from exc
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)


class SummaryDispatchSerializer(serializers.Serializer):
    sent_at = serializers.DateTimeField()
    sent_count = serializers.IntegerField()
    recipients = serializers.ListField(child=serializers.CharField())
    error = serializers.CharField(allow_blank=True)


def _office_meeting(request, cluster_slug, meeting_id):
    """A meeting the caller runs, and only the coordinator's office (as the page's forms)."""
    cluster, grants, meeting = access_meeting(
        request.user, cluster_slug, meeting_id, for_write=True
    )
    if not grants.office:
        raise PermissionDenied
    return cluster, meeting


class SummarySendView(APIView):
    """GOV-14: the office sends a closed meeting's summary with the minutes."""

    serializer_class = SummaryDispatchSerializer

    @extend_schema(request=None, responses={201: SummaryDispatchSerializer})
    def post(self, request, cluster_slug, meeting_id):
        _, meeting = _office_meeting(request, cluster_slug, meeting_id)
        try:
            dispatch = services.summary_send(meeting=meeting, user=request.user)
        except ValidationError as exc:
            raise _refusal(exc) from exc
        return Response(
            {
                "sent_at": dispatch.sent_at,
                "sent_count": dispatch.sent_count,
                "recipients": dispatch.recipients,
                "error": dispatch.error,
            },
            status=status.HTTP_201_CREATED,
        )


class ProxyImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV: giver, holder, received_at (UTF-8).")


class ProxyImportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    giver = serializers.CharField()
    holder = serializers.CharField()
    proxy = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(allow_null=True)
    error = serializers.CharField(allow_blank=True)


class ProxyImportResultSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    rows = ProxyImportRowSerializer(many=True)


class ProxyImportView(APIView):
    """GOV-4: the coordinator's office records a CSV of proxies (multipart, field ``file``), each
    row decided by `proxy_grant` in order, every refusal with its reason, as on the meeting
    page."""

    serializer_class = ProxyImportUploadSerializer
    parser_classes = [MultiPartParser]

    @extend_schema(
        request=ProxyImportUploadSerializer, responses={201: ProxyImportResultSerializer}
    )
    def post(self, request, cluster_slug, meeting_id):
        _, meeting = _office_meeting(request, cluster_slug, meeting_id)
        form = forms.ProxyImportForm(_form_data(request.data), request.FILES)
        rows = form_write(
            form,
            lambda d: services.proxies_import_csv(
                meeting=meeting, user=request.user, content=d["content"]
            ),
        )
        return Response(
            {
                "accepted": sum(1 for r in rows if not r.error),
                "rows": [
                    {
                        "line": r.line,
                        "giver": r.giver,
                        "holder": r.holder,
                        "proxy": r.proxy.pk if r.proxy else None,
                        "status": r.proxy.status if r.proxy else None,
                        "error": r.error,
                    }
                    for r in rows
                ],
            },
            status=status.HTTP_201_CREATED,
        )
