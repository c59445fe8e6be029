"""Members in the admin, for superusers only (klaster.core.admin_site). A save goes through
`member_update` (validation, audit row); its refusals are form errors, never a 500. The cluster
and the key are fixed: a member never moves between clusters, and its key ties it to the
cluster's data file."""

from __future__ import annotations

from django.contrib import admin

from klaster.core.admin_site import (
    ServiceAdminForm,
    SuperuserAdmin,
    add_service_errors,
    is_operator,
    service_errors,
)
from klaster.members import normalise
from klaster.members.forms import MemberForm
from klaster.members.models import Member
from klaster.rules import identifiers
from klaster.rules.text import fold

# The services (geocoding, the status rules…) are imported where a save needs them: every
# `klaster` command imports this module when Django starts (admin autodiscovery).

# MEM-5 / MEM-6: the status, dates, category and honorary title follow the membership events;
# the distance and how the seat was placed are computed (MEM-9).
READ_ONLY = [
    "cluster",
    "key",
    "status",
    "joined",
    "left",
    "category",
    "honorary",
    "distance_km",
    "location_note",
]
EDITABLE = [
    "name",
    "type",
    "nip",
    "regon",
    "krs",
    "website",
    "pkd_codes",
    "branch_revenue",
    "street",
    "postal_code",
    "city",
    "lat",
    "lon",
    "location_given",
    "distance_override_km",
    "independent",
    "science_category",
    "industry40",
    "certificates",
]


class MemberAdminForm(ServiceAdminForm):
    # MEM-4 / MEM-9: the member form's identifier fields and their one normaliser, as typed
    # by people ("PL 888-751-16-44", "00950"), stored compact
    nip, regon, krs, postal_code = (MemberForm.base_fields[k] for k in normalise.MEMBER_KINDS)
    clean_nip, clean_regon = MemberForm.clean_nip, MemberForm.clean_regon
    clean_krs, clean_postal_code = MemberForm.clean_krs, MemberForm.clean_postal_code

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.changed_data if k in self.cleaned_data}

    def clean(self):
        cleaned = super().clean()
        if not self.errors and self.instance.pk is not None:
            from klaster.members.services import member_update

            member = self.instance
            problem = service_errors(
                lambda: member_update(member=member, user=self.by, data=self.service_data())
            )
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

    def get_search_results(self, request, queryset, search_term):
        # a NIP typed with "PL" or dashes finds the member stored compact (MEM-4)
        given = queryset  # the list's own rows (filters applied), before the search narrows them
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        nip = identifiers.lookup_nip(search_term)
        if nip and nip != search_term:
            queryset |= self.model.objects.filter(nip=nip)
        if search_term.strip():
            # issue 9: "lodz" finds "Łódź" here too (the folded name and city, Member.search)
            queryset |= given.filter(search__contains=fold(search_term.strip()))
        return queryset, duplicates

    def save_model(self, request, obj, form, change):
        # Writes go through the service so the audit log and validation apply (PLT-4).
        from klaster.members.services import member_update

        member_update(member=obj, user=request.user, data=form.service_data())
