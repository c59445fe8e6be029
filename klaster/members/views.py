"""Member registry pages. Thin: parse → access check → service → render/redirect."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klaster.core import charts
from klaster.core.access import access_cluster
from klaster.core.concurrency import (
    VERSION_FIELD,
    StaleEdit,
    add_version_field,
    edit_version,
)
from klaster.core.feedback import apply_errors as _apply_errors
from klaster.core.feedback import form_messages as _form_messages
from klaster.core.feedback import messages_from as _messages_from
from klaster.core.feedback import run_form as _run
from klaster.core.feedback import save_versioned
from klaster.core.models import AuditLog
from klaster.members import services
from klaster.members.access import (
    access_delegate,
    access_independence_link,
    access_legal_hold,
    access_member,
    access_member_facts,
    access_own_member,
    access_registry,
    access_subunit,
)
from klaster.members.forms import (
    DelegateForm,
    ErasureForm,
    IndependenceLinkForm,
    LegalHoldForm,
    LinkEndForm,
    LinkReportedForm,
    MemberFilterForm,
    MemberForm,
    MembershipEventForm,
    MemberYearForm,
    NotificationEmailForm,
    SubunitForm,
)
from klaster.members.models import Category, MemberType, Status
from klaster.members.selectors import (
    MIN_CONTRIBUTORS,
    MemberRow,
    candidate_preferences,
    counted_members,
    delegate_link_end_reminders,
    independence_conflicts,
    independence_links_of,
    member_counts_by_type,
    member_list_page,
    member_spans,
    member_year_totals,
    member_years_for,
    open_statistics_round,
    person_data,
    round_field_labels,
    statistics_round_progress,
)
from klaster.rules.membership import members_at_year_ends

PAGE_SIZE = 50


@login_required
def member_list_view(request, slug):
    cluster, grants = access_registry(request.user, slug)
    form = MemberFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = member_list_page(cluster, filters, request.GET.get("page"), per_page=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    filtered = any(v not in (None, "") for v in filters.values())
    return render(
        request,
        "members/member_list.html",
        {
            "cluster": cluster,
            "grants": grants,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "rows": _member_list_rows(page, cluster.slug),
            # issue 9: the register lists every status; the member count is the one every page
            # uses (MEM-6, `counted_members`), said beside it so the two never seem to disagree
            "counted": None if filtered else getattr(page.paginator.object_list, "counted", None),
        },
    )


_ID_MARK = 987654321


def _km(value: int | Decimal) -> str:
    """Whole kilometres; an override (kept to 0.1 km) rounded half up, as ``floatformat:0`` shows it."""
    return str(
        value.quantize(Decimal(1), rounding=ROUND_HALF_UP) if isinstance(value, Decimal) else value
    )


def _member_list_rows(rows: Iterable[MemberRow], slug: str) -> SafeString:
    """The page's table rows, as one HTML string (issue 8).

    Per row, ``get_FOO_display`` and ``{% url %}`` were most of the page's time, and one template
    variable per cell (or ``format_html`` per row) still cost more than the rest of the page put
    together; here a page of 50 rows takes about 0.1 ms. Labels come from one dict per request, in
    the reader's language; links from one ``reverse``. Every text from the database or gettext is
    passed through ``html.escape`` (quotes included, as Django's ``escape``); the rest are ints
    and the page's own markup. The distance is the one in force (MEM-9: the override wins, marked
    as entered by hand); an unknown one reads "unknown", never 0. The status is the register's
    cached one under its label (MEM-6: "member" for an active member)."""
    esc = html.escape
    types = {value: esc(str(label)) for value, label in MemberType.choices}
    categories = {value: esc(str(label)) for value, label in Category.choices}
    statuses = {value: esc(str(label)) for value, label in Status.choices}
    head, _mark, tail = (
        esc(part)
        for part in reverse("member_detail", args=[slug, _ID_MARK]).rpartition(str(_ID_MARK))
    )
    by_hand = esc(_("entered by hand"))
    unknown = f'<span class="muted">{esc(_("unknown"))}</span>'
    out = []
    for r in rows:
        if r.distance_override_km is not None:
            distance = f'<span class="badge manual" title="{by_hand}">{_km(r.distance_override_km)}*</span>'
        elif r.distance_km is None:
            distance = unknown
        else:
            distance = _km(r.distance_km)
        out.append(
            f'<tr><td><a href="{head}{r.id}{tail}">{esc(r.name)}</a></td>'
            f"<td>{types.get(r.type) or esc(r.type)}</td><td>{categories.get(r.category) or esc(r.category)}</td>"
            f'<td>{esc(r.city)}</td><td class="num">{distance}</td>'
            f"<td>{statuses.get(r.status) or esc(r.status)}</td><td>{esc(r.nip)}</td></tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 — every text in it is escaped above


@login_required
def member_detail_view(request, slug, member_id):
    cluster, grants, member = access_member(request.user, slug, member_id)
    history = (
        AuditLog.objects.filter(
            cluster=cluster, model="members.Member", object_id=str(member.pk)
        ).select_related("user")[:100]
        if grants.office
        else []
    )
    # MEM-12 (001 "Dane" 2): yearly figures are the office's and the member's own; others see totals only.
    can_see_figures = grants.office or member.pk in grants.member_ids
    links = independence_links_of(member)
    delegates = list(member.delegates.all())
    # MEM-10: preferences (not bars) shown while the member is a candidate
    preferences = (
        candidate_preferences(member, timezone.localdate())
        if member.status == "candidate"
        else None
    )
    active = [p for p in delegates if p.link_ended is None]
    return render(
        request,
        "members/member_detail.html",
        {
            "cluster": cluster,
            "grants": grants,
            "member": member,
            "events": member.events.all(),
            "delegates": delegates,
            # MEM-7: at least one active person delegated to the General Assembly (a link end may take the last one)
            "no_ga_delegate": bool(delegates) and not any(p.to_general_assembly for p in active),
            "can_end_links": grants.office or member.pk in grants.member_ids,
            "emails": member.notification_emails.all(),
            "years": member.years.all() if can_see_figures else [],
            "iso": member.iso.all(),
            "links": links,
            "link_conflicts": independence_conflicts(member, links),
            "subunits": [
                (u, edit_version(u, services.SUBUNIT_FIELDS) if grants.office else "")
                for u in member.subunits.all()
            ],
            "history": history,
            "event_form": MembershipEventForm() if grants.office else None,
            "subunit_form": SubunitForm(prefix="su")
            if grants.office and member.type == "science"
            else None,
            "link_form": IndependenceLinkForm(prefix="il", member=member)
            if grants.office and member.is_enterprise
            else None,
            "is_coordinator": cluster.coordinator_id == member.pk,
            "preferences": preferences,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit_view(request, slug, member_id):
    cluster, grants, member = access_member(request.user, slug, member_id, for_write=True)
    if not grants.office:
        return redirect("portal", slug=slug, member_id=member.pk)
    form = add_version_field(
        MemberForm(request.POST or None, instance=member), member, services.MEMBER_FIELDS
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.changed_data if k != VERSION_FIELD}
        if {"lat", "lon"} & set(data):
            data["location_given"] = form.cleaned_data["lat"] is not None

        def save(version: str) -> object:
            return services.member_update(
                member=member, user=request.user, data=data, expected_version=version
            )

        if save_versioned(request, form, save, _("Changes saved."), errors=_apply_errors):
            return redirect("member_detail", slug=slug, member_id=member.pk)
    elif request.method == "POST":
        messages.error(request, _("The form has errors; nothing was saved."))
    return render(
        request,
        "members/member_form.html",
        {"cluster": cluster, "grants": grants, "member": member, "form": form},
    )


@login_required
@require_POST
def member_event_add_view(request, slug, member_id):
    cluster, grants, member = access_member(request.user, slug, member_id, for_write=True)
    if not grants.office:
        return redirect("member_detail", slug=slug, member_id=member.pk)
    form = MembershipEventForm(request.POST)
    if form.is_valid():
        try:
            services.member_event_add(member=member, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    messages.error(request, error)
        else:
            messages.success(request, _("Membership event recorded."))
    else:
        for field, field_errors in form.errors.items():
            for field_error in field_errors:
                messages.error(
                    request,
                    f"{form.fields[field].label if field in form.fields else ''}: {field_error}",
                )
    return redirect("member_detail", slug=slug, member_id=member.pk)


@login_required
@require_POST
def subunit_save_view(request, slug, member_id):
    """MEM-3: the office adds a sub-unit, or renames / re-categorises one (``subunit_id`` given)."""
    cluster, grants, member = access_member_facts(request.user, slug, member_id)
    subunit = None
    if request.POST.get("subunit_id"):
        subunit = member.subunits.filter(pk=request.POST["subunit_id"]).first()
        if subunit is None:
            messages.error(request, _("No such sub-unit."))
            return redirect("member_detail", slug=slug, member_id=member.pk)
    form = SubunitForm(request.POST, prefix="su")
    if form.is_valid():
        try:
            services.subunit_save(
                member=member,
                user=request.user,
                data=form.cleaned_data,
                subunit=subunit,
                expected_version=request.POST.get("su-version", "") if subunit else None,
            )
        except ValidationError as exc:
            _messages_from(request, exc)
        else:
            messages.success(request, _("Sub-unit saved."))
    else:
        _form_messages(request, form)
    return redirect("member_detail", slug=slug, member_id=member.pk)


@login_required
@require_POST
def subunit_remove_view(request, slug, subunit_id):
    cluster, grants, subunit = access_subunit(request.user, slug, subunit_id, for_write=True)
    services.subunit_remove(subunit=subunit, user=request.user)
    messages.success(request, _("Sub-unit removed."))
    return redirect("member_detail", slug=slug, member_id=subunit.member_id)


@login_required
@require_POST
def independence_link_add_view(request, slug, member_id):
    cluster, grants, member = access_member_facts(request.user, slug, member_id)
    form = IndependenceLinkForm(request.POST, prefix="il", member=member)
    _run(
        request,
        form,
        lambda data: services.independence_link_add(member=member, user=request.user, **data),
        _("Link between enterprises recorded."),
    )
    return redirect("member_detail", slug=slug, member_id=member.pk)


@login_required
@require_POST
def independence_link_remove_view(request, slug, link_id):
    cluster, grants, link = access_independence_link(request.user, slug, link_id, for_write=True)
    back = request.POST.get("back", "")
    back_id = (
        int(back)
        if back.isdigit() and int(back) in (link.member_id, link.other_id)
        else link.member_id
    )
    services.independence_link_remove(link=link, user=request.user)
    messages.success(request, _("Link between enterprises removed."))
    return redirect("member_detail", slug=slug, member_id=back_id)


@login_required
@require_POST
def delegate_link_end_view(request, slug, person_id):
    """MEM-8: the office (or the member's own representative) records the end of a person's link."""
    cluster, grants, person = access_delegate(request.user, slug, person_id, for_write=True)
    form = LinkEndForm(request.POST)
    if form.is_valid():
        reported = form.cleaned_data["link_end_reported"] if grants.office else None
        try:
            services.delegate_link_end(
                delegate=person,
                user=request.user,
                ended=form.cleaned_data["link_ended"],
                reported=reported,
            )
        except ValidationError as exc:
            _messages_from(request, exc)
        else:
            messages.success(request, _("End of the person's link recorded."))
    else:
        _form_messages(request, form)
    if grants.office:
        return redirect("member_detail", slug=slug, member_id=person.member_id)
    return redirect("portal", slug=slug, member_id=person.member_id)


@login_required
@require_POST
def delegate_link_end_reported_view(request, slug, person_id):
    """MEM-8: the office marks that the person's notice reached the coordinator."""
    cluster, grants, person = access_delegate(
        request.user, slug, person_id, for_write=True, office_only=True
    )
    form = LinkReportedForm(request.POST)
    if form.is_valid():
        try:
            services.delegate_link_end_reported(
                delegate=person, user=request.user, reported=form.cleaned_data["link_end_reported"]
            )
        except ValidationError as exc:
            _messages_from(request, exc)
        else:
            messages.success(request, _("Notice of the link's end marked as reported."))
    else:
        _form_messages(request, form)
    if request.POST.get("back") == "member":
        return redirect("member_detail", slug=slug, member_id=person.member_id)
    return redirect("delegate_reminders", slug=slug)


@login_required
def delegate_reminders_view(request, slug):
    """MEM-8: the office's reminders — ended links whose notice has not reached the coordinator."""
    cluster, grants = access_cluster(request.user, slug, for_write=True)  # the office's list
    rows = delegate_link_end_reminders(cluster, timezone.localdate())
    return render(
        request,
        "members/delegate_reminders.html",
        {
            "cluster": cluster,
            "grants": grants,
            "overdue": [r for r in rows if r.overdue],
            "pending": [r for r in rows if not r.overdue],
            "today": timezone.localdate(),
        },
    )


@login_required
def member_statistics_view(request, slug):
    """MEM-12 (001 "Dane" 2): totals per fiscal year for every role of the cluster; the office
    also sees each member's figures, a representative its own member's."""
    cluster, grants = access_cluster(request.user, slug)
    totals = member_year_totals(cluster, office=grants.office)
    years = [t.year for t in totals]
    year: int | None
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[-1] if years else None
    if grants.office:
        rows = member_years_for(cluster, None, year)
    elif grants.member_ids:
        rows = member_years_for(cluster, grants.member_ids, None)
    else:
        rows = None
    return render(
        request,
        "members/statistics.html",
        {
            "cluster": cluster,
            "grants": grants,
            "totals": totals,
            "years": years,
            "year": year,
            "rows": rows,
            "min_contributors": MIN_CONTRIBUTORS,
            "type_chart": charts.bars(
                _("Members by type"),
                [charts.Point(label, n) for label, n in member_counts_by_type(cluster)],
                value_head=_("Members"),
            ),
            "members_total": counted_members(cluster).count(),
            "time_chart": _members_over_time_chart(cluster),
        },
    )


def _members_over_time_chart(cluster) -> SafeString | None:
    """Members at the end of each of the last six years (today for this one): one query."""
    today = timezone.localdate()
    points = members_at_year_ends(
        member_spans(cluster), range(today.year - 5, today.year + 1), today
    )
    if not any(n for _year, n in points):
        return None
    return charts.line(
        _("Members at the end of each year"),
        [charts.Point(str(year), n) for year, n in points],
        value_head=_("Members"),
    )


@login_required
def person_data_view(request, slug, person_id):
    """MEM-12: a person's data under RODO — what is held, legal holds, export and erasure."""
    cluster, grants, person = access_delegate(request.user, slug, person_id, office_only=True)
    data = person_data(person)
    today = timezone.localdate()
    return render(
        request,
        "members/person_data.html",
        {
            "cluster": cluster,
            "grants": grants,
            "person": person,
            "data": data,
            "holds": [(h, h.in_force(today)) for h in data.holds],
            "hold_form": LegalHoldForm(),
            "erase_form": ErasureForm(),
        },
    )


@login_required
@require_POST  # the export is audited (MEM-12): an action, not a read (reads never write)
def person_data_export_view(request, slug, person_id):
    cluster, grants, person = access_delegate(request.user, slug, person_id, office_only=True)
    payload = services.person_data_export(person=person, user=request.user)
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="dane-osoby-{person.pk}.json"'
    return response


@login_required
@require_POST
def person_data_erase_view(request, slug, person_id):
    cluster, grants, person = access_delegate(request.user, slug, person_id, office_only=True)
    form = ErasureForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the confirmation to erase the person's data."))
    else:
        try:
            result = services.person_data_erase(person=person, user=request.user)
        except ValidationError as exc:
            _messages_from(request, exc)
        else:
            messages.success(
                request,
                _(
                    "Personal data erased: %(records)s records, %(entries)s audit entries "
                    "scrubbed, %(other)s rows in other modules (sent mail, invitations, accounts, "
                    "newsletter)."
                )
                % {
                    "records": result.records,
                    "entries": result.audit_entries,
                    "other": sum(result.elsewhere.values()),
                },
            )
    return redirect("person_data", slug=slug, person_id=person.pk)


@login_required
@require_POST
def legal_hold_add_view(request, slug, person_id):
    cluster, grants, person = access_delegate(
        request.user, slug, person_id, for_write=True, office_only=True
    )
    form = LegalHoldForm(request.POST)
    _run(
        request,
        form,
        lambda data: services.legal_hold_add(person=person, user=request.user, **data),
        _("Legal hold recorded."),
    )
    return redirect("person_data", slug=slug, person_id=person.pk)


@login_required
@require_POST
def legal_hold_release_view(request, slug, hold_id):
    cluster, grants, hold = access_legal_hold(request.user, slug, hold_id, for_write=True)
    try:
        services.legal_hold_release(hold=hold, user=request.user)
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        messages.success(request, _("Legal hold released."))
    return redirect("person_data", slug=slug, person_id=hold.person_id)


def _posted_versions(request) -> dict[str, str]:
    """The year → version map the portal page carried (see ``year_versions``)."""
    try:
        data = json.loads(request.POST.get("year_versions") or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def _posted_id(request, name: str) -> int | None:
    """A record id from a form; None when it is missing or not a number (never a 500)."""
    value = (request.POST.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


@login_required
@require_http_methods(["GET", "POST"])
def portal_view(request, slug, member_id):
    """The representative's own page: contacts, delegates, notification e-mails, yearly figures."""
    cluster, grants, member = access_own_member(request.user, slug, member_id)
    delegate_form = DelegateForm(prefix="d")
    email_form = NotificationEmailForm(prefix="e")
    year_form = MemberYearForm(prefix="y")
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "delegate":
                delegate_form = DelegateForm(request.POST, prefix="d")
                if delegate_form.is_valid():
                    services.delegate_save(
                        member=member, user=request.user, data=delegate_form.cleaned_data
                    )
                    messages.success(request, _("Delegated person saved."))
                    return redirect("portal", slug=slug, member_id=member.pk)
            elif action == "email":
                email_form = NotificationEmailForm(request.POST, prefix="e")
                if email_form.is_valid():
                    services.notification_email_add(
                        member=member, user=request.user, email=email_form.cleaned_data["email"]
                    )
                    messages.success(request, _("Notification address added."))
                    return redirect("portal", slug=slug, member_id=member.pk)
            elif action == "email_remove":
                email_id = _posted_id(request, "email_id")
                if email_id is None or not member.notification_emails.filter(pk=email_id).exists():
                    messages.error(request, _("No such notification address."))
                    return redirect("portal", slug=slug, member_id=member.pk)
                services.notification_email_remove(
                    member=member, user=request.user, email_id=email_id
                )
                messages.success(request, _("Notification address removed."))
                return redirect("portal", slug=slug, member_id=member.pk)
            elif action == "delegate_end":
                # MEM-8: the member records the end; the person's own notice to the coordinator
                # (001 dec. 7) is marked by the office when it arrives.
                delegate = member.delegates.get(pk=_posted_id(request, "delegate_id") or 0)
                form = LinkEndForm({"link_ended": request.POST.get("link_ended")})
                if form.is_valid():
                    services.delegate_link_end(
                        delegate=delegate, user=request.user, ended=form.cleaned_data["link_ended"]
                    )
                    messages.success(request, _("End of the person's link recorded."))
                else:
                    messages.error(request, _("Enter the date the link ended."))
                return redirect("portal", slug=slug, member_id=member.pk)
            elif action == "year":
                year_form = MemberYearForm(request.POST, prefix="y")
                if year_form.is_valid():
                    data = dict(year_form.cleaned_data)
                    year = data.pop("year")
                    services.member_year_set(
                        member=member,
                        user=request.user,
                        year=year,
                        values=data,
                        expected_versions=_posted_versions(request),
                    )
                    messages.success(request, _("Figures for %(year)s saved.") % {"year": year})
                    return redirect("portal", slug=slug, member_id=member.pk)
        except StaleEdit as exc:
            year_form.add_error(None, exc)
        except ValidationError as exc:
            target = {"delegate": delegate_form, "email": email_form, "year": year_form}.get(action)
            if target is not None:
                _apply_errors(target, exc)
            else:
                for errors in exc.message_dict.values():
                    for error in errors:
                        messages.error(request, error)
        except member.delegates.model.DoesNotExist:
            messages.error(request, _("No such delegated person."))
    years = list(member.years.all())
    statistics_round = open_statistics_round(cluster)
    round_state = None
    round_missing: list[str] = []
    if statistics_round is not None:
        progress = statistics_round_progress(statistics_round, member_ids=[member.pk])
        round_state = progress.rows[0] if progress.rows else None
        if round_state is not None:
            labels = round_field_labels()
            round_missing = [labels[f] for f in round_state.missing]
    return render(
        request,
        "members/portal.html",
        {
            "statistics_round": statistics_round,
            "round_state": round_state,
            "round_missing": round_missing,
            "cluster": cluster,
            "grants": grants,
            "member": member,
            "delegates": member.delegates.all(),
            "emails": member.notification_emails.all(),
            "years": years,
            # the versions of the years shown: figures somebody else changed meanwhile are refused
            "year_versions": json.dumps(
                {str(y.year): edit_version(y, services.YEAR_FIELDS) for y in years}
            ),
            "delegate_form": delegate_form,
            "email_form": email_form,
            "year_form": year_form,
        },
    )
