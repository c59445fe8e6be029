"""Pages of events (PLT-2): the list, a new event, an event's page (the office: invitations,
answers and attendance; a representative: its member's answer), and the event's .ics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klaster.core.feedback import apply_errors, form_messages, messages_from
from klaster.events import access, services
from klaster.events.forms import EventForm, RsvpForm
from klaster.events.ics import event_ics
from klaster.events.models import Attendance, Event, Rsvp
from klaster.members.models import Member


@login_required
def events_view(request, slug):
    cluster, grants = access.access_events(request.user, slug)
    found = Event.objects.filter(cluster=cluster)
    if not grants.office:
        found = found.filter(invited_at__isnull=False)
    now = timezone.now()
    events = list(found.order_by("-starts_at", "-id")[:200])
    return render(
        request,
        "events/events.html",
        {
            "cluster": cluster,
            "grants": grants,
            "ahead": sorted([e for e in events if e.ends_at >= now], key=lambda e: e.starts_at),
            "past": [e for e in events if e.ends_at < now],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_new_view(request, slug):
    cluster, grants = access.access_events(request.user, slug, for_write=True)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(cluster=cluster, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The event is saved. Send the invitations when it is ready.")
            )
            return redirect("event", cluster.slug, event.pk)
    return render(
        request, "events/event_form.html", {"cluster": cluster, "grants": grants, "form": form}
    )


def _url(request, event: Event) -> str:
    return request.build_absolute_uri(reverse("event", args=[event.cluster.slug, event.pk]))


@login_required
def event_view(request, slug, event_id):
    cluster, grants, event = access.access_event(request.user, slug, event_id)
    rsvps = Rsvp.objects.filter(event=event).select_related("member")
    own = []
    if grants.representative:
        mine = {r.member_id: r for r in rsvps if r.member_id in grants.member_ids}
        for member in Member.objects.filter(cluster=cluster, pk__in=grants.member_ids).order_by(
            "name"
        ):
            answer = mine.get(member.pk)
            initial = (
                {"answer": answer.answer, "people": answer.people or 1, "note": answer.note}
                if answer
                else {"answer": "yes", "people": 1}
            )
            form = RsvpForm(initial=initial, prefix=f"m{member.pk}")
            own.append({"member": member, "answer": answer, "form": form})
    context = {
        "cluster": cluster,
        "grants": grants,
        "event": event,
        "own": own,
        "started": event.starts_at <= timezone.now(),
        "taken": services.places_taken(event),
    }
    if grants.office:
        context["rsvps"] = sorted(rsvps, key=lambda r: (r.answer, r.member.name))
        came = Attendance.objects.filter(event=event)
        context["came"] = set(came.values_list("member_id", flat=True))
        context["came_people"] = came.aggregate(n=Sum("people"))["n"] or 0
        context["members"] = Member.objects.filter(
            cluster=cluster, status__in=("active", "suspended")
        ).order_by("name")
    return render(request, "events/event.html", context)


@login_required
@require_POST
def event_invite_view(request, slug, event_id):
    cluster, _grants, event = access.access_event(request.user, slug, event_id, for_write=True)
    try:
        event = services.event_invite(event=event, user=request.user, url=_url(request, event))
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        messages.success(
            request,
            _(
                "The invitations are queued to %(n)s addresses; the worker sends them within a minute."
            )
            % {"n": event.invited},
        )
    return redirect("event", cluster.slug, event.pk)


@login_required
@require_POST
def event_rsvp_view(request, slug, event_id, member_id):
    cluster, event, member = access.access_rsvp(request.user, slug, event_id, member_id)
    form = RsvpForm(request.POST, prefix=f"m{member.pk}")
    if not form.is_valid():
        form_messages(request, form)
        return redirect("event", cluster.slug, event.pk)
    try:
        services.rsvp_answer(event=event, member=member, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("Your answer is saved. Thank you."))
    return redirect("event", cluster.slug, event.pk)


@login_required
@require_POST
def event_attendance_view(request, slug, event_id):
    cluster, _grants, event = access.access_event(request.user, slug, event_id, for_write=True)
    ids = [int(x) for x in request.POST.getlist("came") if x.isdigit()][:5000]
    members = list(Member.objects.filter(cluster=cluster, pk__in=ids))
    try:
        n = services.attendance_record(event=event, user=request.user, members=members)
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("Attendance is recorded: %(n)s members came.") % {"n": n})
    return redirect("event", cluster.slug, event.pk)


@login_required
def event_ics_view(request, slug, event_id):
    _cluster, _grants, event = access.access_event(request.user, slug, event_id)
    response = HttpResponse(
        event_ics(event, url=_url(request, event)), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="wydarzenie-{event.pk}.ics"'
    return response
