"""The groups' pages' writes by the API (issue 9 point 6): create a group, ensure the standing
areas, withdraw, start, extra payments, meetings, materials (add, mark, download), contacts
(add, remove), a special form's notification and the Council's opinion (GZW-1…GZW-5).

Each view calls the page's access helper (`klaster.groups.access`), the page's form parses the
call and the page's service (or the shared ``*_from_form`` of `klaster.groups.forms`) decides:
the same refusals, by field, in the user's language (`klaster.core.api_forms`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.core.access import get_in_cluster
from klaster.core.api_forms import form_data, form_write
from klaster.groups import forms, services
from klaster.groups.access import (
    access_declaration,
    access_group,
    access_group_contribution,
    access_groups,
    access_material,
    access_notification,
)
from klaster.groups.models import CompanyForm, GroupContact, GroupKind, Opinion, Recipient


class DoneSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What was done, in the user's language.")
    id = serializers.IntegerField(required=False, help_text="The row written.")


def _done(detail: str, obj: Any = None, code: int = status.HTTP_201_CREATED) -> Response:
    body: dict[str, Any] = {"detail": detail}
    if getattr(obj, "pk", None) is not None:
        body["id"] = obj.pk
    return Response(body, status=code)


# --- the list: create, standing areas (the office) ---


class GroupCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=GroupKind.choices)
    name = serializers.CharField()
    description = serializers.CharField(required=False, allow_blank=True)
    initiators = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Member ids."
    )
    by_coordinator = serializers.BooleanField(required=False)
    initiative_date = serializers.DateField(required=False, allow_null=True)
    board_resolution = serializers.CharField(required=False, allow_blank=True)
    board_resolution_date = serializers.DateField(required=False, allow_null=True)
    company_form = serializers.ChoiceField(
        choices=CompanyForm.choices, required=False, allow_blank=True
    )
    formed_on = serializers.DateField(required=False, allow_null=True)
    confidential = serializers.BooleanField(required=False)


class GroupCreateView(APIView):
    """POST: the office creates a group (GZW-1) or a special form (GZW-3), as the page's form."""

    serializer_class = GroupCreateSerializer

    @extend_schema(request=GroupCreateSerializer, responses={201: DoneSerializer})
    def post(self, request, cluster_slug):
        cluster, _ = access_groups(request.user, cluster_slug, for_write=True)
        group = form_write(
            forms.GroupCreateForm(form_data(request.data), cluster=cluster),
            lambda d: forms.group_create_from_form(cluster=cluster, user=request.user, data=d),
        )
        return _done(gettext("Group created."), group)


class AreasEnsuredSerializer(serializers.Serializer):
    detail = serializers.CharField()
    created = serializers.ListField(child=serializers.IntegerField())


class GroupAreasEnsureView(APIView):
    """POST: the office creates the standing areas the statute names and the cluster lacks."""

    serializer_class = AreasEnsuredSerializer

    @extend_schema(request=None, responses=AreasEnsuredSerializer)
    def post(self, request, cluster_slug):
        cluster, _ = access_groups(request.user, cluster_slug, for_write=True)
        created = services.group_areas_ensure(cluster=cluster, user=request.user)
        return Response(
            {
                "detail": gettext("Standing areas created: %(n)s.") % {"n": len(created)},
                "created": [g.pk for g in created],
            }
        )


# --- one group ---


class WithdrawalSerializer(serializers.Serializer):
    member = serializers.IntegerField(
        help_text="Member id: the caller's own, or any for the office."
    )
    on = serializers.DateField()


class GroupWithdrawView(APIView):
    """POST: GZW-2 — a representative withdraws its own member; the office any member."""

    serializer_class = WithdrawalSerializer

    @extend_schema(request=WithdrawalSerializer, responses={201: DoneSerializer})
    def post(self, request, cluster_slug, group_pk):
        ga = access_group(request.user, cluster_slug, group_pk)
        if not (ga.grants.office or ga.grants.member_ids):
            raise PermissionDenied  # organ members and the forum do not declare
        data = form_data(request.data)
        member_id = str(data.get("member", ""))
        if member_id.isdigit():
            ga, _ = access_declaration(request.user, cluster_slug, group_pk, int(member_id))
        declaration = form_write(
            forms.WithdrawalForm(data, members=forms.declaring_members(ga)),
            lambda d: services.declaration_withdraw(
                group=ga.group, member=d["member"], user=request.user, on=d["on"]
            ),
        )
        return _done(gettext("Withdrawal recorded."), declaration)


class StartSerializer(serializers.Serializer):
    on = serializers.DateField()


class GroupStartView(APIView):
    """POST: the office records the group's start (the statute's minimum checked by the service)."""

    serializer_class = StartSerializer

    @extend_schema(request=StartSerializer, responses={201: DoneSerializer})
    def post(self, request, cluster_slug, group_pk):
        ga = access_group(request.user, cluster_slug, group_pk, for_write=True)
        group = form_write(
            forms.StartForm(form_data(request.data)),
            lambda d: services.group_start(group=ga.group, user=request.user, on=d["on"]),
        )
        return _done(gettext("The group has started."), group)


class PaymentSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    paid_on = serializers.DateField()
    purpose = serializers.CharField()


class GroupPaymentView(APIView):
    """POST: the office records a member's extra payment for the group."""

    serializer_class = PaymentSerializer

    @extend_schema(request=PaymentSerializer, responses={201: DoneSerializer})
    def post(self, request, cluster_slug, group_pk):
        ga = access_group(request.user, cluster_slug, group_pk, for_write=True)
        payment = form_write(
            forms.PaymentForm(form_data(request.data), members=forms.cluster_members(ga.cluster)),
            lambda d: services.group_payment_add(group=ga.group, user=request.user, **d),
        )
        return _done(gettext("Extra payment recorded."), payment)


class GroupMeetingAddSerializer(serializers.Serializer):
    date = serializers.DateField()
    place = serializers.CharField(required=False, allow_blank=True)
    agenda = serializers.CharField(required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    confidential = serializers.BooleanField(required=False)


class GroupMeetingView(APIView):
    """POST: the office records a meeting of the group."""

    serializer_class = GroupMeetingAddSerializer

    @extend_schema(request=GroupMeetingAddSerializer, responses={201: DoneSerializer})
    def post(self, request, cluster_slug, group_pk):
        ga = access_group(request.user, cluster_slug, group_pk, for_write=True)
        meeting = form_write(
            forms.MeetingForm(form_data(request.data)),
            lambda d: services.group_meeting_add(group=ga.group, user=request.user, **d),
        )
        return _done(gettext("Meeting recorded."), meeting)


class MaterialAddSerializer(serializers.Serializer):
    title = serializers.CharField()
    body = serializers.CharField(required=False, allow_blank=True)
    file = serializers.FileField(required=False, help_text="Bounded as on the page.")
    confidential = serializers.BooleanField(required=False)
    provided_by = serializers.IntegerField(
        required=False, allow_null=True, help_text="Member id; empty: the office."
    )


class GroupMaterialAddView(APIView):
    """POST (multipart, or JSON without a file): GZW-4 — the office or a representative of a
    member in the group adds a material (a representative's is its own member's)."""

    serializer_class = MaterialAddSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=MaterialAddSerializer, responses={201: DoneSerializer})
    def post(self, request, cluster_slug, group_pk):
        ga = access_group_contribution(request.user, cluster_slug, group_pk)
        members = forms.contributing_members(ga)
        material = form_write(
            forms.MaterialForm(form_data(request.data), request.FILES, members=members),
            lambda d: forms.material_add_from_form(
                ga=ga, user=request.user, data=d, members=members
            ),
        )
        return _done(gettext("Material added."), material)


class MaterialMarkSerializer(serializers.Serializer):
    confidential = serializers.BooleanField()


class GroupMaterialView(APIView):
    """PATCH {"confidential": …}: the material's provider or the office marks it."""

    serializer_class = MaterialMarkSerializer

    @extend_schema(request=MaterialMarkSerializer, responses={200: DoneSerializer})
    def patch(self, request, cluster_slug, material_id):
        _, material = access_material(request.user, cluster_slug, material_id, for_write=True)
        serializer = MaterialMarkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.group_material_mark(
            material=material,
            user=request.user,
            confidential=serializer.validated_data["confidential"],
        )
        return _done(gettext("Material updated."), material, code=status.HTTP_200_OK)


class GroupMaterialFileView(APIView):
    """GET: a material's file (a confidential one: the group's members and the office only)."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, cluster_slug, material_id):
        _, material = access_material(request.user, cluster_slug, material_id)
        if not material.file:
            raise Http404
        return FileResponse(
            material.file.open("rb"),
            as_attachment=True,
            filename=material.file.name.rsplit("/", 1)[-1],
        )


class ContactAddSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField()
    role = serializers.CharField(required=False, allow_blank=True)
    member = serializers.IntegerField(required=False, allow_null=True)


class GroupContactAddView(APIView):
    """POST: the office adds a contact to the group's list (GZW-5)."""

    serializer_class = ContactAddSerializer

    @extend_schema(request=ContactAddSerializer, responses={201: DoneSerializer})
    def post(self, request, cluster_slug, group_pk):
        ga = access_group(request.user, cluster_slug, group_pk, for_write=True)
        contact = form_write(
            forms.ContactForm(form_data(request.data), members=forms.cluster_members(ga.cluster)),
            lambda d: services.group_contact_add(group=ga.group, user=request.user, **d),
        )
        return _done(gettext("Contact added."), contact)


class GroupContactRemoveView(APIView):
    """DELETE: the office removes a contact it added."""

    @extend_schema(responses={204: None})
    def delete(self, request, cluster_slug, contact_id):
        cluster, _ = access_groups(request.user, cluster_slug, for_write=True)
        contact = get_in_cluster(
            GroupContact.objects.select_related("group"),
            cluster,
            via="group__cluster",
            pk=contact_id,
        )
        services.group_contact_remove(contact=contact, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NotifySerializer(serializers.Serializer):
    recipient = serializers.ChoiceField(choices=Recipient.choices)
    addresses = serializers.CharField(
        required=False, allow_blank=True, help_text="Addresses separated by commas."
    )
    send = serializers.BooleanField(required=False)
    on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class SpecialFormNotifyView(APIView):
    """POST: GZW-3 — the initiators (or the office on their behalf) notify."""

    serializer_class = NotifySerializer

    @extend_schema(request=NotifySerializer, responses={201: DoneSerializer})
    def post(self, request, cluster_slug, group_pk):
        ga = access_notification(request.user, cluster_slug, group_pk)
        notification = form_write(
            forms.NotifyForm(form_data(request.data)),
            lambda d: forms.special_form_notify_from_form(
                group=ga.group, user=request.user, data=d
            ),
        )
        return _done(gettext("Notification recorded."), notification)


class OpinionSerializer(serializers.Serializer):
    opinion = serializers.ChoiceField(choices=Opinion.choices)
    text = serializers.CharField()
    on = serializers.DateField()
    recommends_for_strategy = serializers.BooleanField(required=False)


class SpecialFormOpinionView(APIView):
    """POST: GZW-3 — the office records the Council's opinion."""

    serializer_class = OpinionSerializer

    @extend_schema(request=OpinionSerializer, responses={201: DoneSerializer})
    def post(self, request, cluster_slug, group_pk):
        ga = access_group(request.user, cluster_slug, group_pk, for_write=True)
        group = form_write(
            forms.OpinionForm(form_data(request.data)),
            lambda d: services.special_form_opinion_record(group=ga.group, user=request.user, **d),
        )
        return _done(gettext("Council opinion recorded."), group)
