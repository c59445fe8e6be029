"""Django admin for the office only, and only over its own clusters' records."""

from __future__ import annotations

from django.contrib import admin

from klaster.core.access import office_cluster_ids


def restrict_admin_to_office(site: admin.AdminSite) -> None:
    original = site.has_permission

    def has_permission(request) -> bool:
        if not original(request):
            return False
        return request.user.is_superuser or bool(office_cluster_ids(request.user))

    site.has_permission = has_permission  # type: ignore[method-assign]


class ClusterScopedAdmin(admin.ModelAdmin):
    """Shows and edits only the rows of clusters where the user is the office."""

    cluster_path = "cluster"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.cluster_path}__in": office_cluster_ids(request.user)})

    def _allowed(self, request) -> bool:
        return request.user.is_superuser or bool(office_cluster_ids(request.user))

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        # History is never lost: deletions go through the services (MEM-6), not the admin.
        return False
