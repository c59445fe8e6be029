"""Roles in a cluster by the API (MEM-1; issue 9 point 6): list, grant, change, revoke.

Who may: an operator (an active superuser), as in the Django admin, the one page that changes
roles until the office's invitation pages exist (issue 12) — `klaster.core.access.access_roles`.
What happens: `role_grant` / `role_revoke`, the services the admin and `klaster roles` call, with
their refusals (by field) and their audit rows. A members' module, not core's: a
representative's role names a member (as `klaster roles`, members/management/commands/roles.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.core.access import access_role, access_roles
from klaster.core.api_forms import service_refusal as _refusal
from klaster.core.models import Cluster, ClusterRole, Role
from klaster.core.services import role_grant, role_revoke
from klaster.members.models import Member

ROLES_HELP = "One of: " + ", ".join(f"{value} ({label})" for value, label in Role.choices)


class RoleSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True, help_text="The login.")
    user_name = serializers.SerializerMethodField()
    member_name = serializers.SerializerMethodField()

    class Meta:
        model = ClusterRole
        fields = ["id", "user", "user_name", "role", "member", "member_name"]
        read_only_fields = fields

    def get_user_name(self, role: ClusterRole) -> str:
        return role.user.get_full_name()

    def get_member_name(self, role: ClusterRole) -> str | None:
        return role.member.name if role.member is not None else None


class RoleGrantSerializer(serializers.Serializer):
    user = serializers.CharField(help_text="The account's login.")
    role = serializers.CharField(help_text=ROLES_HELP)
    member = serializers.IntegerField(
        required=False, allow_null=True, help_text="Member id: for the representative role only."
    )


class RoleChangeSerializer(serializers.Serializer):
    """What changes; the rest stays as granted. A change is a revocation and a new grant, in one
    transaction, each with its audit row (as the admin: a role is never edited in place)."""

    user = serializers.CharField(required=False, help_text="The account's login.")
    role = serializers.CharField(required=False, help_text=ROLES_HELP)
    member = serializers.IntegerField(
        required=False, allow_null=True, help_text="Member id: for the representative role only."
    )


def _grant_arguments(data: Mapping[str, Any], current: ClusterRole | None) -> dict[str, Any]:
    """The call's login and member id as the objects `role_grant` takes (it judges them: a member
    of another cluster, a member for a role that names none…); an unknown login or member id is
    said on its field."""
    serializer = (RoleChangeSerializer if current else RoleGrantSerializer)(data=data)
    serializer.is_valid(raise_exception=True)
    d = serializer.validated_data
    errors: dict[str, list[str]] = {}
    user: Any = current.user if current else None
    if "user" in d:
        user = get_user_model().objects.filter(username=d["user"].strip()).first()
        if user is None:
            errors["user"] = [gettext("No account with this login.")]
    member: Any = current.member if current else None
    if "member" in d:
        member = None
        if d["member"] is not None:
            member = Member.objects.filter(pk=d["member"]).first()
            if member is None:
                errors["member"] = [gettext("Unknown member.")]
    if errors:
        raise ApiValidationError(errors)
    return {"user": user, "role": d.get("role", current.role if current else ""), "member": member}


def _listed(cluster: Cluster):
    return (
        ClusterRole.objects.filter(cluster=cluster)
        .select_related("user", "member")
        .order_by("user__username", "role", "id")
    )


class RoleListView(APIView):
    """GET: who holds which role in the cluster. POST: grant one (`role_grant`)."""

    serializer_class = RoleSerializer

    @extend_schema(responses=RoleSerializer(many=True))
    def get(self, request, cluster_slug):
        cluster = access_roles(request.user, cluster_slug)
        return Response(RoleSerializer(_listed(cluster), many=True).data)

    @extend_schema(request=RoleGrantSerializer, responses={201: RoleSerializer})
    def post(self, request, cluster_slug):
        cluster = access_roles(request.user, cluster_slug)
        arguments = _grant_arguments(request.data, None)
        try:
            grant = role_grant(cluster=cluster, by=request.user, **arguments)
        except ValidationError as exc:
            raise _refusal(exc) from exc
        return Response(RoleSerializer(grant).data, status=status.HTTP_201_CREATED)


class RoleDetailView(APIView):
    """GET: one grant. PATCH: change it — `role_revoke` then `role_grant`, in one transaction (a
    refused grant keeps the old one). DELETE: revoke it (`role_revoke`)."""

    serializer_class = RoleSerializer

    @extend_schema(responses=RoleSerializer)
    def get(self, request, cluster_slug, role_id):
        _, role = access_role(request.user, cluster_slug, role_id)
        return Response(RoleSerializer(role).data)

    @extend_schema(request=RoleChangeSerializer, responses=RoleSerializer)
    def patch(self, request, cluster_slug, role_id):
        cluster, role = access_role(request.user, cluster_slug, role_id)
        arguments = _grant_arguments(request.data, role)
        try:
            with transaction.atomic():
                role_revoke(role=role, by=request.user)
                grant = role_grant(cluster=cluster, by=request.user, **arguments)
        except ValidationError as exc:
            raise _refusal(exc) from exc
        return Response(RoleSerializer(grant).data)

    @extend_schema(responses={204: None})
    def delete(self, request, cluster_slug, role_id):
        _, role = access_role(request.user, cluster_slug, role_id)
        role_revoke(role=role, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
