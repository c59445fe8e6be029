"""Pages of the Advanced Cooperation Groups. Thin: parse → access check → service → render/redirect."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klaster.core.access import get_in_cluster
from klaster.core.exports import csv_writer
from klaster.core.feedback import apply_errors
from klaster.core.feedback import run_form as _run
from klaster.core.services import statute_profile_in_force
from klaster.groups import forms as group_forms
from klaster.groups import selectors, services
from klaster.groups.access import (
    access_declaration,
    access_group,
    access_group_confidential,
    access_group_contribution,
    access_groups,
    access_material,
    access_notification,
)
from klaster.groups.forms import (
    ContactForm,
    DeclarationForm,
    GroupCreateForm,
    MaterialForm,
    MeetingForm,
    NotifyForm,
    OpinionForm,
    PaymentForm,
    StartForm,
    WithdrawalForm,
)
from klaster.groups.models import GroupContact, GroupKind
from klaster.members.access import access_own_member
from klaster.members.models import Member


def _today():
    return timezone.localdate()


def _back(request, slug, group_id, member_id=None):
    if request.POST.get("next") == "portal" and member_id is not None:
        return redirect("group_portal", slug=slug, member_id=member_id)
    return redirect("group_detail", slug=slug, group_id=group_id)


_cluster_members = group_forms.cluster_members
_declaring_members = group_forms.declaring_members


# --- list, create, export ---------------------------------------------------------------------


@login_required
def group_list_view(request, slug):
    cluster, grants = access_groups(request.user, slug)
    today = _today()
    profile = statute_profile_in_force(cluster, today)
    rows = selectors.group_rows(cluster, grants, today, profile)
    pending = (
        selectors.special_forms_pending(cluster, grants, today)
        if (grants.office or grants.organ_member)
        else []
    )
    own = (
        list(Member.objects.filter(cluster=cluster, pk__in=grants.member_ids).order_by("name"))
        if grants.member_ids
        else []
    )
    return render(
        request,
        "groups/group_list.html",
        {
            "cluster": cluster,
            "grants": grants,
            "rows": rows,
            "profile": profile,
            "pending": pending,
            "own_members": own,
            "today": today,
        },
    )


@login_required
@require_POST
def group_areas_ensure_view(request, slug):
    cluster, grants = access_groups(request.user, slug, for_write=True)
    created = services.group_areas_ensure(cluster=cluster, user=request.user)
    messages.success(request, _("Standing areas created: %(n)s.") % {"n": len(created)})
    return redirect("group_list", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def group_create_view(request, slug):
    cluster, grants = access_groups(request.user, slug, for_write=True)
    form = GroupCreateForm(request.POST or None, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        try:
            group = group_forms.group_create_from_form(
                cluster=cluster, user=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Group created."))
            return redirect("group_detail", slug=slug, group_id=group.pk)
    if request.method == "POST":
        messages.error(request, _("The form has errors; nothing was saved."))
    return render(
        request, "groups/group_form.html", {"cluster": cluster, "grants": grants, "form": form}
    )


EXPORT_COLUMNS = [
    "group_id",
    "group",
    "kind",
    "status",
    "members",
    "item",
    "item_id",
    "date",
    "title",
    "confidential",
]


@login_required
def group_export_view(request, slug):
    """GZW-4: the groups with their meetings and materials, as CSV or JSON. Whatever the format,
    the rows come from `selectors.export_rows`, which drops confidential items for anyone
    outside their group."""
    cluster, grants = access_groups(request.user, slug)
    rows = selectors.export_rows(cluster, grants, _today())
    stamp = _today().isoformat()
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(
                {"cluster": cluster.slug, "as_of": stamp, "groups": rows},
                ensure_ascii=False,
                indent=2,
            ),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="gzw-{cluster.slug}-{stamp}.json"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gzw-{cluster.slug}-{stamp}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv_writer(response)  # text stays text (no formulas)
    writer.writerow(EXPORT_COLUMNS)
    for g in rows:
        head = [g["id"], g["name"], g["kind"], g["status"], g["member_count"]]
        writer.writerow([*head, "group", "", g["started_on"] or "", "", ""])
        for m in g["meetings"]:
            writer.writerow(
                [*head, "meeting", m["id"], m["date"], m["place"], int(m["confidential"])]
            )
        for m in g["materials"]:
            writer.writerow(
                [*head, "material", m["id"], m["added"], m["title"], int(m["confidential"])]
            )
    return response


@login_required
def group_portal_view(request, slug, member_id):
    """The member portal's part for groups: a representative sees every group and declares its
    member's joining or withdrawal (GZW-2)."""
    cluster, grants, member = access_own_member(request.user, slug, member_id)
    today = _today()
    groups, mine = selectors.visible_groups(cluster, grants, today)
    current = {d.group_id: d for d in member.group_declarations.filter(selectors.open_on(today))}
    history = member.group_declarations.select_related("group").order_by("-declared_on", "-id")
    return render(
        request,
        "groups/group_portal.html",
        {
            "cluster": cluster,
            "grants": grants,
            "member": member,
            "today": today,
            "groups": [(g, current.get(g.pk)) for g in groups if g.status != "closed"],
            "history": history,
        },
    )


# --- one group ----------------------------------------------------------------------------------


@login_required
def group_detail_view(request, slug, group_id):
    ga = access_group(request.user, slug, group_id)
    group, grants, today = ga.group, ga.grants, _today()
    see = ga.sees_confidential
    check = None
    if group.status == "forming":
        profile = statute_profile_in_force(ga.cluster, today)
        if profile is not None:
            from klaster.rules.governance.working_groups import group_can_start

            check = group_can_start(
                profile, [str(i) for i in selectors.member_ids_in_group(group, today)]
            )
    declarations = list(selectors.declarations_of(group))
    open_ids = {
        d.member_id for d in declarations if d.withdrawn_on is None or d.withdrawn_on > today
    }
    declarable = _declaring_members(ga)
    payments = group.payments.select_related("member")
    if not grants.office:
        payments = payments.filter(member_id__in=grants.member_ids)
    members_in = _cluster_members(ga.cluster).filter(
        pk__in=selectors.member_ids_in_group(group, today)
    )
    return render(
        request,
        "groups/group_detail.html",
        {
            "cluster": ga.cluster,
            "grants": grants,
            "group": group,
            "ga": ga,
            "today": today,
            "check": check,
            "declarations": declarations,
            "meetings": selectors.meetings_of(group, sees_confidential=see),
            "materials": selectors.materials_of(group, sees_confidential=see),
            "contacts": selectors.group_contacts(group, today) if see else None,
            "extra_contacts": group.extra_contacts.all() if grants.office else [],
            "payments": list(payments),
            "notifications": group.notifications.all() if group.is_special else [],
            "initiators": group.initiators.order_by("name"),
            "declare_form": DeclarationForm(members=declarable.exclude(pk__in=open_ids))
            if grants.office or grants.member_ids
            else None,
            "withdraw_form": WithdrawalForm(members=declarable.filter(pk__in=open_ids))
            if grants.office or grants.member_ids
            else None,
            "start_form": StartForm()
            if grants.office and group.status == "forming" and not group.is_special
            else None,
            "payment_form": PaymentForm(members=members_in, prefix="p") if grants.office else None,
            "meeting_form": MeetingForm(prefix="mt") if grants.office else None,
            "material_form": MaterialForm(
                members=members_in
                if grants.office
                else members_in.filter(pk__in=grants.member_ids),
                prefix="ma",
            )
            if see
            else None,
            "contact_form": ContactForm(members=_cluster_members(ga.cluster), prefix="c")
            if grants.office
            else None,
            "notify_form": NotifyForm(prefix="n")
            if group.is_special and (grants.office or ga.is_initiator_representative)
            else None,
            "opinion_form": OpinionForm(prefix="o") if group.is_special and grants.office else None,
            "kinds": GroupKind,
        },
    )


def _posted_member_id(request) -> int:
    value = request.POST.get("member", "")
    if not value.isdigit():
        raise Http404
    return int(value)


@login_required
@require_POST
def group_declare_view(request, slug, group_id):
    """GZW-2: a representative declares its member's joining; the office records any member's."""
    ga = access_group(request.user, slug, group_id)
    if not (ga.grants.office or ga.grants.member_ids):
        raise PermissionDenied
    member_id = request.POST.get("member", "")
    if member_id.isdigit():
        ga, member = access_declaration(request.user, slug, group_id, int(member_id))
    form = DeclarationForm(request.POST, members=_declaring_members(ga))
    _run(
        request,
        form,
        lambda d: services.declaration_add(
            group=ga.group,
            member=d["member"],
            user=request.user,
            on=d["on"],
            contact_name=d["contact_name"],
            contact_email=d["contact_email"],
        ),
        _("Declaration of joining recorded."),
    )
    return _back(request, slug, group_id, int(member_id) if member_id.isdigit() else None)


@login_required
@require_POST
def group_withdraw_view(request, slug, group_id):
    ga = access_group(request.user, slug, group_id)
    if not (ga.grants.office or ga.grants.member_ids):
        raise PermissionDenied
    member_id = request.POST.get("member", "")
    if member_id.isdigit():
        ga, member = access_declaration(request.user, slug, group_id, int(member_id))
    form = WithdrawalForm(request.POST, members=_declaring_members(ga))
    _run(
        request,
        form,
        lambda d: services.declaration_withdraw(
            group=ga.group, member=d["member"], user=request.user, on=d["on"]
        ),
        _("Withdrawal recorded."),
    )
    return _back(request, slug, group_id, int(member_id) if member_id.isdigit() else None)


@login_required
@require_POST
def group_start_view(request, slug, group_id):
    ga = access_group(request.user, slug, group_id, for_write=True)
    _run(
        request,
        StartForm(request.POST),
        lambda d: services.group_start(group=ga.group, user=request.user, on=d["on"]),
        _("The group has started."),
    )
    return redirect("group_detail", slug=slug, group_id=group_id)


@login_required
@require_POST
def group_payment_add_view(request, slug, group_id):
    ga = access_group(request.user, slug, group_id, for_write=True)
    form = PaymentForm(request.POST, members=_cluster_members(ga.cluster), prefix="p")
    _run(
        request,
        form,
        lambda d: services.group_payment_add(group=ga.group, user=request.user, **d),
        _("Extra payment recorded."),
    )
    return redirect("group_detail", slug=slug, group_id=group_id)


@login_required
@require_POST
def group_meeting_add_view(request, slug, group_id):
    ga = access_group(request.user, slug, group_id, for_write=True)
    _run(
        request,
        MeetingForm(request.POST, prefix="mt"),
        lambda d: services.group_meeting_add(group=ga.group, user=request.user, **d),
        _("Meeting recorded."),
    )
    return redirect("group_detail", slug=slug, group_id=group_id)


@login_required
@require_POST
def group_material_add_view(request, slug, group_id):
    """GZW-4: the office or a member in the group adds a material; a member adds it as its own."""
    ga = access_group_contribution(request.user, slug, group_id)
    members = group_forms.contributing_members(ga)
    form = MaterialForm(request.POST, request.FILES, members=members, prefix="ma")
    _run(
        request,
        form,
        lambda d: group_forms.material_add_from_form(
            ga=ga, user=request.user, data=d, members=members
        ),
        _("Material added."),
    )
    return redirect("group_detail", slug=slug, group_id=group_id)


@login_required
@require_POST
def group_material_mark_view(request, slug, material_id):
    ga, material = access_material(request.user, slug, material_id, for_write=True)
    services.group_material_mark(
        material=material, user=request.user, confidential=request.POST.get("confidential") == "1"
    )
    messages.success(request, _("Material updated."))
    return redirect("group_detail", slug=slug, group_id=material.group_id)


@login_required
def group_material_file_view(request, slug, material_id):
    ga, material = access_material(request.user, slug, material_id)
    if not material.file:
        raise Http404
    return FileResponse(
        material.file.open("rb"), as_attachment=True, filename=material.file.name.rsplit("/", 1)[-1]
    )


@login_required
@require_POST
def group_contact_add_view(request, slug, group_id):
    ga = access_group(request.user, slug, group_id, for_write=True)
    form = ContactForm(request.POST, members=_cluster_members(ga.cluster), prefix="c")
    _run(
        request,
        form,
        lambda d: services.group_contact_add(group=ga.group, user=request.user, **d),
        _("Contact added."),
    )
    return redirect("group_detail", slug=slug, group_id=group_id)


@login_required
@require_POST
def group_contact_remove_view(request, slug, contact_id):
    cluster, grants = access_groups(request.user, slug, for_write=True)
    contact = get_in_cluster(
        GroupContact.objects.select_related("group"), cluster, via="group__cluster", pk=contact_id
    )
    services.group_contact_remove(contact=contact, user=request.user)
    messages.success(request, _("Contact removed."))
    return redirect("group_detail", slug=slug, group_id=contact.group_id)


@login_required
def group_contacts_csv_view(request, slug, group_id):
    """GZW-5: the group's contact list as CSV, for the group's members and the office only."""
    ga = access_group_confidential(request.user, slug, group_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gzw-{ga.group.pk}-kontakty.csv"'
    response.write("\ufeff")
    writer = csv_writer(response)  # text stays text (no formulas)
    writer.writerow(["name", "email", "member", "role", "source"])
    for c in selectors.group_contacts(ga.group, _today()):
        writer.writerow([c.name, c.email, c.member, c.role, c.source])
    return response


@login_required
@require_POST
def special_form_notify_view(request, slug, group_id):
    ga = access_notification(request.user, slug, group_id)
    form = NotifyForm(request.POST, prefix="n")
    _run(
        request,
        form,
        lambda d: group_forms.special_form_notify_from_form(
            group=ga.group, user=request.user, data=d
        ),
        _("Notification recorded."),
    )
    return redirect("group_detail", slug=slug, group_id=group_id)


@login_required
@require_POST
def special_form_opinion_view(request, slug, group_id):
    ga = access_group(request.user, slug, group_id, for_write=True)
    _run(
        request,
        OpinionForm(request.POST, prefix="o"),
        lambda d: services.special_form_opinion_record(group=ga.group, user=request.user, **d),
        _("Council opinion recorded."),
    )
    return redirect("group_detail", slug=slug, group_id=group_id)
