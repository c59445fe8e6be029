from django.contrib import admin

from klaster.core.admin_site import ClusterScopedAdmin
from klaster.members.models import Member


@admin.register(Member)
class MemberAdmin(ClusterScopedAdmin):
    list_display = ["name", "type", "category", "city", "status"]
    list_filter = ["type", "category", "status"]
    search_fields = ["name", "nip", "city"]
    # MEM-5: category and honorary title change by membership events (with the resolution), not here.
    readonly_fields = ["status", "joined", "left", "category", "honorary"]

    def save_model(self, request, obj, form, change):
        # Writes go through the service so the audit log and validation apply (PLT-4).
        from klaster.members.services import member_update

        data = {k: form.cleaned_data[k] for k in form.changed_data if k in form.cleaned_data}
        member_update(member=obj.__class__.objects.get(pk=obj.pk), user=request.user, data=data)
