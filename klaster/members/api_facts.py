"""The member register's facts by the API (issue 9 point 6): science sub-units (MEM-3),
independence links (MEM-11), the end of a delegated person's link (MEM-8), personal data and
legal holds under RODO (MEM-12) and the cluster's own data (MEM-1, MEM-2).

Each view calls the page's access helper (`klaster.members.access`), the page's form parses the
call and the page's service decides — the same refusals, by field, in the user's language
(`klaster.core.api_forms`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.core.access import access_cluster
from klaster.core.api_forms import (
    form_data,
    form_refusal,
    form_write,
    if_match,
    precondition_required,
    service_refusal,
    stale,
)
from klaster.core.concurrency import StaleEdit, edit_version
from klaster.members import services
from klaster.members.access import (
    access_delegate,
    access_independence_link,
    access_legal_hold,
    access_member,
    access_member_facts,
    access_subunit,
)
from klaster.members.cluster_forms import ClusterForm
from klaster.members.forms import (
    ErasureForm,
    IndependenceLinkForm,
    LegalHoldForm,
    LinkEndForm,
    LinkReportedForm,
    SubunitForm,
)
from klaster.members.models import DelegatedPerson, IndependenceLink, LegalHold, ScienceSubunit
from klaster.members.selectors import delegate_link_end_reminders, independence_links_of

# --- MEM-3: science sub-units ---


class SubunitSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScienceSubunit
        fields = ["id", "member", "name", "category"]
        read_only_fields = ["id", "member"]


def _subunit_etag(subunit: ScienceSubunit) -> str:
    return f'"{edit_version(subunit, services.SUBUNIT_FIELDS)}"'


class SubunitListView(APIView):
    """GET: a science unit's sub-units with category A/A+ (whoever reads the member). POST: the
    office adds one, as on the member's page (`SubunitForm`, `subunit_save`)."""

    serializer_class = SubunitSerializer

    @extend_schema(responses=SubunitSerializer(many=True))
    def get(self, request, cluster_slug, pk):
        _, _, member = access_member(request.user, cluster_slug, pk)
        return Response(SubunitSerializer(member.subunits.order_by("name", "id"), many=True).data)

    @extend_schema(request=SubunitSerializer, responses={201: SubunitSerializer})
    def post(self, request, cluster_slug, pk):
        _, _, member = access_member_facts(request.user, cluster_slug, pk)
        subunit = form_write(
            SubunitForm(form_data(request.data)),
            lambda d: services.subunit_save(member=member, user=request.user, data=d),
        )
        return Response(SubunitSerializer(subunit).data, status=status.HTTP_201_CREATED)


class SubunitDetailView(APIView):
    """GET: one sub-unit, with its ETag. PATCH (the office; ``If-Match``): rename or
    re-categorise it. DELETE (the office): remove it, as the page's button."""

    serializer_class = SubunitSerializer

    @extend_schema(responses=SubunitSerializer)
    def get(self, request, cluster_slug, subunit_id):
        _, _, subunit = access_subunit(request.user, cluster_slug, subunit_id)
        response = Response(SubunitSerializer(subunit).data)
        response["ETag"] = _subunit_etag(subunit)
        return response

    @extend_schema(request=SubunitSerializer, responses=SubunitSerializer)
    def patch(self, request, cluster_slug, subunit_id):
        _, _, subunit = access_subunit(request.user, cluster_slug, subunit_id, for_write=True)
        expected = if_match(request)
        if not expected:
            return precondition_required()
        current = {k: getattr(subunit, k) for k in services.SUBUNIT_FIELDS}
        form = SubunitForm({**current, **form_data(request.data)})
        if not form.is_valid():
            raise form_refusal(form)
        try:
            subunit = services.subunit_save(
                member=subunit.member,
                user=request.user,
                data=form.cleaned_data,
                subunit=subunit,
                expected_version=expected,
            )
        except StaleEdit as exc:
            return stale(exc)
        except ValidationError as exc:
            raise service_refusal(exc) from exc
        response = Response(SubunitSerializer(subunit).data)
        response["ETag"] = _subunit_etag(subunit)
        return response

    @extend_schema(responses={204: None})
    def delete(self, request, cluster_slug, subunit_id):
        _, _, subunit = access_subunit(request.user, cluster_slug, subunit_id, for_write=True)
        services.subunit_remove(subunit=subunit, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- MEM-11: partner and linked enterprises ---


class IndependenceLinkSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    other_name = serializers.CharField(source="other.name", read_only=True)
    # an id, not a relation with a queryset: the browsable API would list every cluster's members
    other = serializers.IntegerField(
        source="other_id", help_text="Member id of the other enterprise."
    )

    class Meta:
        model = IndependenceLink
        fields = ["id", "member", "member_name", "other", "other_name", "kind", "since", "note"]
        read_only_fields = ["id", "member"]


class IndependenceLinkListView(APIView):
    """GET: the member's partner and linked enterprises, whichever side entered them (whoever
    reads the member). POST: the office records one (`IndependenceLinkForm`,
    `independence_link_add`)."""

    serializer_class = IndependenceLinkSerializer

    @extend_schema(responses=IndependenceLinkSerializer(many=True))
    def get(self, request, cluster_slug, pk):
        _, _, member = access_member(request.user, cluster_slug, pk)
        links = [link for _other, link in independence_links_of(member)]
        return Response(IndependenceLinkSerializer(links, many=True).data)

    @extend_schema(request=IndependenceLinkSerializer, responses={201: IndependenceLinkSerializer})
    def post(self, request, cluster_slug, pk):
        _, _, member = access_member_facts(request.user, cluster_slug, pk)
        link = form_write(
            IndependenceLinkForm(form_data(request.data), member=member),
            lambda d: services.independence_link_add(member=member, user=request.user, **d),
        )
        return Response(IndependenceLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class IndependenceLinkDetailView(APIView):
    """GET: one link (whoever reads either member). DELETE: the office removes it."""

    serializer_class = IndependenceLinkSerializer

    @extend_schema(responses=IndependenceLinkSerializer)
    def get(self, request, cluster_slug, link_id):
        _, _, link = access_independence_link(request.user, cluster_slug, link_id)
        return Response(IndependenceLinkSerializer(link).data)

    @extend_schema(responses={204: None})
    def delete(self, request, cluster_slug, link_id):
        _, _, link = access_independence_link(request.user, cluster_slug, link_id, for_write=True)
        services.independence_link_remove(link=link, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- MEM-8: the end of a delegated person's link ---


class DelegatedPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = DelegatedPerson
        fields = [
            "id",
            "member",
            "name",
            "to_general_assembly",
            "link_ended",
            "link_end_reported",
            "erased",
        ]
        read_only_fields = fields


class LinkEndSerializer(serializers.Serializer):
    link_ended = serializers.DateField()
    link_end_reported = serializers.DateField(
        required=False, allow_null=True, help_text="The office only: when the notice arrived."
    )


class LinkReportedSerializer(serializers.Serializer):
    link_end_reported = serializers.DateField()


class DelegateLinkEndView(APIView):
    """POST: the person's link with its member ended — the office, or the member's own
    representative (whose ``link_end_reported`` is ignored, as on the portal)."""

    serializer_class = LinkEndSerializer

    @extend_schema(request=LinkEndSerializer, responses=DelegatedPersonSerializer)
    def post(self, request, cluster_slug, person_id):
        _, grants, person = access_delegate(request.user, cluster_slug, person_id, for_write=True)
        person = form_write(
            LinkEndForm(form_data(request.data)),
            lambda d: services.delegate_link_end(
                delegate=person,
                user=request.user,
                ended=d["link_ended"],
                reported=d["link_end_reported"] if grants.office else None,
            ),
        )
        return Response(DelegatedPersonSerializer(person).data)


class DelegateLinkReportedView(APIView):
    """POST: the office marks the day the person's notice reached the coordinator."""

    serializer_class = LinkReportedSerializer

    @extend_schema(request=LinkReportedSerializer, responses=DelegatedPersonSerializer)
    def post(self, request, cluster_slug, person_id):
        _, _, person = access_delegate(
            request.user, cluster_slug, person_id, for_write=True, office_only=True
        )
        person = form_write(
            LinkReportedForm(form_data(request.data)),
            lambda d: services.delegate_link_end_reported(
                delegate=person, user=request.user, reported=d["link_end_reported"]
            ),
        )
        return Response(DelegatedPersonSerializer(person).data)


class LinkEndReminderSerializer(serializers.Serializer):
    person = DelegatedPersonSerializer()
    member_name = serializers.CharField()
    deadline = serializers.DateField()
    overdue = serializers.BooleanField()


class DelegateRemindersView(APIView):
    """GET: the office's reminders — ended links whose notice has not reached the coordinator."""

    serializer_class = LinkEndReminderSerializer

    @extend_schema(responses=LinkEndReminderSerializer(many=True))
    def get(self, request, cluster_slug):
        cluster, _ = access_cluster(request.user, cluster_slug, for_write=True)
        rows = delegate_link_end_reminders(cluster, timezone.localdate())
        return Response(
            LinkEndReminderSerializer(
                [
                    {
                        "person": r.person,
                        "member_name": r.person.member.name,
                        "deadline": r.deadline,
                        "overdue": r.overdue,
                    }
                    for r in rows
                ],
                many=True,
            ).data
        )


# --- MEM-12: personal data and legal holds (the office's alone) ---


class PersonDataExportSerializer(serializers.Serializer):
    format = serializers.CharField()
    generated_at = serializers.CharField()
    cluster = serializers.CharField()
    delegated_person_records = serializers.ListField(child=serializers.DictField())


class PersonDataExportView(APIView):
    """POST: everything held about the person, as the page's export (audited: an action)."""

    serializer_class = PersonDataExportSerializer

    @extend_schema(request=None, responses=PersonDataExportSerializer)
    def post(self, request, cluster_slug, person_id):
        _, _, person = access_delegate(request.user, cluster_slug, person_id, office_only=True)
        return Response(services.person_data_export(person=person, user=request.user))


class ErasureSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="true: the person asked for erasure.")


class ErasureResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    records = serializers.IntegerField()
    audit_entries = serializers.IntegerField()


class PersonDataEraseView(APIView):
    """POST {"confirm": true}: anonymise the person (refused while a hold stands or the link is
    active, with the service's words)."""

    serializer_class = ErasureSerializer

    @extend_schema(request=ErasureSerializer, responses=ErasureResultSerializer)
    def post(self, request, cluster_slug, person_id):
        _, _, person = access_delegate(request.user, cluster_slug, person_id, office_only=True)
        form = ErasureForm(form_data(request.data))
        if not form.is_valid():
            # the page's words for the missing confirmation
            raise ApiValidationError(
                {"confirm": [gettext("Tick the confirmation to erase the person's data.")]}
            )
        try:
            result = services.person_data_erase(person=person, user=request.user)
        except ValidationError as exc:
            raise service_refusal(exc) from exc
        return Response(
            {
                "detail": gettext(
                    "Personal data erased: %(records)s records, %(entries)s audit entries scrubbed."
                )
                % {"records": result.records, "entries": result.audit_entries},
                "records": result.records,
                "audit_entries": result.audit_entries,
            }
        )


class LegalHoldSerializer(serializers.ModelSerializer):
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = LegalHold
        fields = ["id", "person", "reason", "basis", "until", "released", "in_force"]
        read_only_fields = ["id", "person", "released", "in_force"]

    def get_in_force(self, hold: LegalHold) -> bool:
        return bool(hold.in_force(timezone.localdate()))


class LegalHoldListView(APIView):
    """GET: the person's legal holds. POST: record one (`LegalHoldForm`, `legal_hold_add`)."""

    serializer_class = LegalHoldSerializer

    @extend_schema(responses=LegalHoldSerializer(many=True))
    def get(self, request, cluster_slug, person_id):
        _, _, person = access_delegate(request.user, cluster_slug, person_id, office_only=True)
        holds = person.legal_holds.order_by("-created_at", "-id")
        return Response(LegalHoldSerializer(holds, many=True).data)

    @extend_schema(request=LegalHoldSerializer, responses={201: LegalHoldSerializer})
    def post(self, request, cluster_slug, person_id):
        _, _, person = access_delegate(
            request.user, cluster_slug, person_id, for_write=True, office_only=True
        )
        hold = form_write(
            LegalHoldForm(form_data(request.data)),
            lambda d: services.legal_hold_add(person=person, user=request.user, **d),
        )
        return Response(LegalHoldSerializer(hold).data, status=status.HTTP_201_CREATED)


class LegalHoldReleaseView(APIView):
    """POST: release a hold (a released one: 400 with the service's words)."""

    serializer_class = LegalHoldSerializer

    @extend_schema(request=None, responses=LegalHoldSerializer)
    def post(self, request, cluster_slug, hold_id):
        _, _, hold = access_legal_hold(request.user, cluster_slug, hold_id, for_write=True)
        try:
            hold = services.legal_hold_release(hold=hold, user=request.user)
        except ValidationError as exc:
            raise service_refusal(exc) from exc
        return Response(LegalHoldSerializer(hold).data)


# --- MEM-1 / MEM-2: the cluster's own data (the settings page) ---


class ClusterSettingsSerializer(serializers.Serializer):
    """The settings page's fields (`ClusterForm`); a PATCH sends those that change."""

    name = serializers.CharField(required=False)
    website = serializers.CharField(required=False, allow_blank=True)
    specialisation_classification = serializers.CharField(required=False, allow_blank=True)
    specialisation_codes = serializers.CharField(
        required=False, allow_blank=True, help_text="PKD or EKD codes separated by commas."
    )
    specialisation_description = serializers.CharField(required=False, allow_blank=True)
    agreement_date = serializers.DateField(required=False, allow_null=True)
    actual_start_year = serializers.IntegerField(required=False, allow_null=True)
    actual_start_kinds = serializers.ListField(child=serializers.CharField(), required=False)
    actual_start_description = serializers.CharField(required=False, allow_blank=True)
    eccp_registered = serializers.BooleanField(required=False)
    coordinator = serializers.IntegerField(
        required=False, allow_null=True, help_text="Member id of the coordinator."
    )
    coordinator_appointment = serializers.CharField(required=False, allow_blank=True)
    contact_name = serializers.CharField(required=False, allow_blank=True)
    contact_position = serializers.CharField(required=False, allow_blank=True)
    contact_email = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)
    contact_address = serializers.CharField(required=False, allow_blank=True)
    sub_account_iban = serializers.CharField(required=False, allow_blank=True)


def _settings(form: ClusterForm) -> dict[str, Any]:
    out = dict(form.initial)
    for key in ("agreement_date",):
        if out.get(key) is not None:
            out[key] = out[key].isoformat()
    return out


class ClusterSettingsView(APIView):
    """The cluster's own data, as the settings page (the office): GET with its ETag; PATCH the
    fields that change, naming the version read (``If-Match``)."""

    serializer_class = ClusterSettingsSerializer

    @extend_schema(responses=ClusterSettingsSerializer)
    def get(self, request, cluster_slug):
        cluster, _ = access_cluster(request.user, cluster_slug, for_write=True)
        response = Response(_settings(ClusterForm(cluster=cluster)))
        response["ETag"] = f'"{edit_version(cluster, services.CLUSTER_FIELDS)}"'
        return response

    @extend_schema(request=ClusterSettingsSerializer, responses=ClusterSettingsSerializer)
    def patch(self, request, cluster_slug):
        cluster, _ = access_cluster(request.user, cluster_slug, for_write=True)
        expected = if_match(request)
        if not expected:
            return precondition_required()
        raw = request.data if isinstance(request.data, Mapping) else {}
        unknown = sorted(set(raw) - set(services.CLUSTER_FIELDS))
        if unknown:
            raise ApiValidationError(
                {k: [gettext("This field cannot be changed on this page.")] for k in unknown}
            )
        sent = form_data(raw)
        if isinstance(sent.get("specialisation_codes"), list):
            sent["specialisation_codes"] = ", ".join(map(str, sent["specialisation_codes"]))
        current = form_data(ClusterForm(cluster=cluster).initial)
        if raw.get("eccp_registered") is False:  # an unticked checkbox is not sent at all
            current.pop("eccp_registered", None)
        form = ClusterForm({**current, **sent}, cluster=cluster)
        if not form.is_valid():
            raise form_refusal(form)
        try:
            cluster = services.cluster_update(
                cluster=cluster,
                user=request.user,
                data=dict(form.cleaned_data),
                expected_version=expected,
            )
        except StaleEdit as exc:
            return stale(exc)
        except ValidationError as exc:
            raise service_refusal(exc) from exc
        response = Response(_settings(ClusterForm(cluster=cluster)))
        response["ETag"] = f'"{edit_version(cluster, services.CLUSTER_FIELDS)}"'
        return response
