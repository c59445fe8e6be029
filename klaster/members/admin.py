"""Members in the admin, for superusers only (klaster.core.admin_site). A save goes through
`member_update` (validation, audit row); its refusals are form errors, never a 500. The cluster
and the key are fixed: a member never moves between clusters, and its key ties it to the
cluster's data file."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from klaster.core.admin_site import SuperuserAdmin, add_service_errors, is_operator, service_errors
from klaster.members.models import Member

# The services (geocoding, the status rules…) are imported where a save needs them: every
# `klaster` command imports this module when Django starts (admin autodiscovery).

# MEM-5 / MEM-6: the status, dates, category and honorary title follow the membership events;
# the distance and how the seat was placed are computed (MEM-9).
READ_ONLY = ["cluster", "key", "status", "joined", "left", "category", "honorary", "distance_km", "location_note"]
EDITABLE = ["name", "type", "nip", "regon", "krs", "website", "pkd_codes", "branch_revenue", "street", "postal_code",
            "city", "lat", "lon", "location_given", "distance_override_km", "independent", "science_category",
            "industry40", "certificates"]


class MemberAdminForm(forms.ModelForm):
    by = None  # the superuser saving, set per request by SuperuserAdmin.get_form

    class Meta:
        model = Member
        fields = EDITABLE

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.changed_data if k in self.cleaned_data}

    def clean(self):
        cleaned = super().clean()
        if not self.errors and self.instance.pk is not None:
            from klaster.members.services import member_update

            member = self.instance
            problem = service_errors(lambda: member_update(member=member, user=self.by, data=self.service_data()))
            if problem is not None:
                add_service_errors(self, problem)
        return cleaned


@admin.register(Member)
class MemberAdmin(SuperuserAdmin):
    form = MemberAdminForm
    list_display = ["name", "cluster", "type", "category", "city", "status"]
    list_filter = ["type", "category", "status"]
    list_select_related = ["cluster"]
    search_fields = ["name", "nip", "city", "cluster__slug"]
    fields = [*READ_ONLY, *EDITABLE]
    readonly_fields = READ_ONLY

    def has_change_permission(self, request, obj=None):
        return is_operator(request.user)

    def save_model(self, request, obj, form, change):
        # Writes go through the service so the audit log and validation apply (PLT-4).
        from klaster.members.services import member_update

        member_update(member=obj, user=request.user, data=form.service_data())
