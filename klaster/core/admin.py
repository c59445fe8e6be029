from django.contrib import admin

from klaster.core.admin_site import ClusterScopedAdmin
from klaster.core.models import AuditLog, Cluster, ClusterRole, StatuteProfileVersion


@admin.register(Cluster)
class ClusterAdmin(ClusterScopedAdmin):
    cluster_path = "id"
    list_display = ["name", "slug", "agreement_date"]
    readonly_fields = ["coordinator"]

    def has_change_permission(self, request, obj=None):
        # The cluster page (core.views.cluster_edit) validates the IBAN/PKD codes and audits
        # every change; the admin would bypass both.
        return False


@admin.register(ClusterRole)
class ClusterRoleAdmin(ClusterScopedAdmin):
    list_display = ["user", "cluster", "role", "member"]
    list_filter = ["role"]
    raw_id_fields = ["member"]


@admin.register(StatuteProfileVersion)
class StatuteProfileVersionAdmin(ClusterScopedAdmin):
    list_display = ["cluster", "valid_from", "preset"]


@admin.register(AuditLog)
class AuditLogAdmin(ClusterScopedAdmin):
    list_display = ["at", "user", "action", "model", "object_repr", "source", "ip"]
    list_filter = ["action", "model"]

    def has_change_permission(self, request, obj=None):
        return False
