"""The admin's core models, for superusers only (klaster.core.admin_site). Roles change through
`role_grant`/`role_revoke`, accounts with an audit row; everything else here is read-only:
a cluster's data changes on its settings page, a statute version on the statute page."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from klaster.core.admin_site import (
    ServiceAdminForm,
    SuperuserAdmin,
    add_service_errors,
    is_operator,
    service_errors,
)
from klaster.core.audit import audit_record, diff, snapshot
from klaster.core.models import AuditLog, Cluster, ClusterRole, StatuteProfileVersion

# The services (and the rules they bring: statutes, quorum…) are imported where a save needs
# them: every `klaster` command imports this module when Django starts (admin autodiscovery).


@admin.register(Cluster)
class ClusterAdmin(SuperuserAdmin):
    # The cluster page (core.views.cluster_edit) validates the IBAN/PKD codes and audits every
    # change; a cluster is created by `klaster import`.
    list_display = ["name", "slug", "agreement_date"]
    search_fields = ["name", "slug"]


class ClusterRoleForm(ServiceAdminForm):
    """A new grant, validated by `role_grant` itself (a representative's member in the same
    cluster, no duplicates), its refusals shown on the form."""

    class Meta:
        model = ClusterRole
        fields = ["cluster", "user", "role", "member"]

    def grant(self, by):
        from klaster.core.services import role_grant

        d = self.cleaned_data
        return role_grant(
            cluster=d["cluster"], user=d["user"], role=d["role"], member=d.get("member"), by=by
        )

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            problem = service_errors(lambda: self.grant(self.by))
            if problem is not None:
                add_service_errors(self, problem)
        return cleaned

    def validate_unique(self):
        pass  # role_grant says it in Polish, as a form error above


@admin.register(ClusterRole)
class ClusterRoleAdmin(SuperuserAdmin):
    """A role is granted or revoked, never edited in place: a change is a revocation and a grant,
    each with its audit row."""

    form = ClusterRoleForm
    list_display = ["user", "cluster", "role", "member"]
    list_filter = ["role"]
    list_select_related = ["user", "cluster", "member"]
    search_fields = ["user__username", "cluster__slug", "cluster__name"]
    raw_id_fields = ["member"]

    def has_add_permission(self, request):
        return is_operator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_operator(request.user)

    def save_model(self, request, obj, form, change):
        grant = form.grant(request.user)
        # the admin goes on with `obj` (its message, its log entry): make it the saved grant
        obj.pk, obj._state.adding, obj._state.db = grant.pk, False, grant._state.db

    def delete_model(self, request, obj):
        from klaster.core.services import role_revoke

        role_revoke(role=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        from klaster.core.services import role_revoke

        with transaction.atomic():
            for role in queryset:
                role_revoke(role=role, by=request.user)


@admin.register(StatuteProfileVersion)
class StatuteProfileVersionAdmin(SuperuserAdmin):
    # Read-only: a version changes meetings held under it; a correction is a new version entered
    # on the cluster's statute page (core.views.statute_view), validated and audited there.
    list_display = ["cluster", "valid_from", "preset"]
    list_select_related = ["cluster"]


@admin.register(AuditLog)
class AuditLogAdmin(SuperuserAdmin):
    list_display = ["at", "cluster", "user", "action", "model", "object_repr", "source", "ip"]
    list_filter = ["action", "model"]
    list_select_related = ["cluster", "user"]


# --- accounts -----------------------------------------------------------------------------------

User = get_user_model()
USER_AUDIT_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
]

# Klaster's permissions are its cluster roles; Django's groups and permissions mean nothing here.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Accounts, until the invitation pages exist (issue 12): superusers only, every save with
    an audit row. No deletion — it would drop the person's roles without theirs; deactivate the
    account and revoke its roles instead."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    list_filter = ["is_active", "is_superuser"]
    readonly_fields = ["last_login", "date_joined"]

    def has_module_permission(self, request):
        return is_operator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_operator(request.user)

    def has_add_permission(self, request):
        return is_operator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_operator(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        before = snapshot(User.objects.get(pk=obj.pk), USER_AUDIT_FIELDS) if change else {}
        super().save_model(request, obj, form, change)
        changes = diff(before, snapshot(obj, USER_AUDIT_FIELDS))
        if changes or not change:
            audit_record(
                cluster=None,
                user=request.user,
                action="update" if change else "create",
                instance=obj,
                changes=changes,
            )

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            request._klaster_password_view = True
            return super().user_change_password(request, id, form_url)

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if getattr(request, "_klaster_password_view", False):
            # never the hash itself: only that it changed
            audit_record(
                cluster=None,
                user=request.user,
                action="password",
                instance=obj,
                changes={"password": ["…", "…"]},
            )
        return entry
