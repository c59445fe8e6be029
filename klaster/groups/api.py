"""The groups' API (token or session, as klaster.members.api). What it returns of meetings and
materials comes from `selectors.export_rows`, so confidential items stay inside their group (GZW-4)."""

from __future__ import annotations

from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from klaster.groups import selectors, services
from klaster.groups.access import (
    access_declaration,
    access_group,
    access_group_confidential,
    access_groups,
)


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    place = serializers.CharField()
    agenda = serializers.CharField()
    summary = serializers.CharField()
    confidential = serializers.BooleanField()


class MaterialSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    has_file = serializers.BooleanField()
    provided_by = serializers.CharField()
    confidential = serializers.BooleanField()
    added = serializers.DateField()


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    area = serializers.CharField()
    status = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    member_count = serializers.IntegerField()
    meetings = MeetingSerializer(many=True)
    materials = MaterialSerializer(many=True)


class DeclarationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    member = serializers.IntegerField()
    member_name = serializers.CharField(read_only=True, source="member.name")
    declared_on = serializers.DateField()
    withdrawn_on = serializers.DateField(read_only=True, allow_null=True)
    contact_name = serializers.CharField(required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")

    def to_representation(self, instance):
        return {
            "id": instance.pk,
            "member": instance.member_id,
            "member_name": instance.member.name,
            "declared_on": instance.declared_on.isoformat(),
            "withdrawn_on": instance.withdrawn_on.isoformat() if instance.withdrawn_on else None,
        }


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    member = serializers.CharField()
    role = serializers.CharField()
    source = serializers.CharField()


class GroupViewSet(viewsets.ViewSet):
    """A cluster's groups: every role lists them; meetings and materials only for the group's
    members and the office unless marked not confidential."""

    serializer_class = GroupSerializer

    def list(self, request, cluster_slug=None):
        cluster, grants = access_groups(request.user, cluster_slug)
        rows = selectors.export_rows(cluster, grants, timezone.localdate())
        return Response(GroupSerializer(rows, many=True).data)

    def retrieve(self, request, cluster_slug=None, pk=None):
        ga = access_group(request.user, cluster_slug, int(pk))
        rows = selectors.export_rows(ga.cluster, ga.grants, timezone.localdate(), only=ga.group.pk)
        if not rows:
            raise NotFound
        return Response(GroupSerializer(rows[0]).data)


class DeclarationViewSet(viewsets.ViewSet):
    """GZW-2: a group's declarations; a representative declares for its own member (POST)."""

    serializer_class = DeclarationSerializer

    def list(self, request, cluster_slug=None, group_pk=None):
        ga = access_group(request.user, cluster_slug, int(group_pk))
        return Response(DeclarationSerializer(selectors.declarations_of(ga.group), many=True).data)

    def create(self, request, cluster_slug=None, group_pk=None):
        ga = access_group(request.user, cluster_slug, int(group_pk))
        if not (ga.grants.office or ga.grants.member_ids):
            raise PermissionDenied  # organ members and the forum do not declare
        serializer = DeclarationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ga, member = access_declaration(request.user, cluster_slug, int(group_pk), data["member"])
        try:
            declaration = services.declaration_add(
                group=ga.group,
                member=member,
                user=request.user,
                on=data["declared_on"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
            )
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict) from exc
        return Response(DeclarationSerializer(declaration).data, status=201)


class ContactViewSet(viewsets.ViewSet):
    """GZW-5: the group's contact list, for the group's members and the office only."""

    serializer_class = ContactSerializer

    def list(self, request, cluster_slug=None, group_pk=None):
        ga = access_group_confidential(request.user, cluster_slug, int(group_pk))
        contacts = selectors.group_contacts(ga.group, timezone.localdate())
        return Response(ContactSerializer([asdict(c) for c in contacts], many=True).data)
