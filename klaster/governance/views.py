"""Governance pages. Thin: parse → access check → service → render/redirect."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klaster.core import charts
from klaster.core.access import get_in_cluster
from klaster.core.concurrency import add_version_field, posted_version
from klaster.core.exports import csv_writer
from klaster.core.feedback import form_messages as _form_errors
from klaster.core.feedback import messages_from as _errors
from klaster.core.models import OutboxMessage
from klaster.governance import forms as f
from klaster.governance import hooks, selectors, services
from klaster.governance.access import (
    access_admission,
    access_ballot_page,
    access_declarations,
    access_governance,
    access_mediation,
    access_meeting,
    access_meetings,
    access_objection,
    access_vote,
    declaration_member_ids,
    may_run,
)
from klaster.governance.live import live_state, live_votes
from klaster.governance.models import (
    Admission,
    AgendaItem,
    Attendance,
    Ballot,
    Declaration,
    ExtraordinaryRequest,
    MediationCase,
    Meeting,
    OrganKind,
    Proxy,
    Resolution,
    Vote,
)
from klaster.governance.services.admissions import admission_tracked, fee_paid, readiness
from klaster.governance.services.votes import ballot_form_choices, castable_members, results_rows
from klaster.members.models import Member

# --- organs, seats, elections (GOV-8, GOV-9, GOV-10) ---


@login_required
def governance_home(request, slug):
    cluster, grants = access_governance(request.user, slug)
    on = timezone.localdate()
    try:
        report = selectors.seat_report(cluster, on)
    except ValidationError as exc:
        report = None
        _errors(request, exc)
    return render(
        request,
        "governance/home.html",
        {
            "cluster": cluster,
            "grants": grants,
            "report": report,
            "on": on,
            "election_form": f.ElectionForm(cluster=cluster, prefix="el")
            if grants.office
            else None,
            "seat_form": f.SeatForm(cluster=cluster, prefix="seat") if grants.office else None,
            "relation_form": f.RelationForm(cluster=cluster, prefix="rel")
            if grants.office
            else None,
            "end_form": f.MembershipEndForm(cluster=cluster, prefix="end")
            if grants.office
            else None,
        },
    )


@login_required
@require_POST
def governance_action(request, slug):
    """The office's writes on the organs page: election, seat, relation, end of membership."""
    cluster, grants = access_governance(request.user, slug, for_write=True)
    action = request.POST.get("action", "")
    form: forms.BaseForm
    try:
        if action == "election":
            form = f.ElectionForm(request.POST, cluster=cluster, prefix="el")
            if form.is_valid():
                election = f.election_from_form(cluster, request.user, form.cleaned_data)
                for c in election.candidacies.select_related("person"):
                    (messages.success if c.outcome == "elected" else messages.error)(
                        request, c.reason_words
                    )
            else:
                _form_errors(request, form)
        elif action == "seat":
            form = f.SeatForm(request.POST, cluster=cluster, prefix="seat")
            if form.is_valid():
                f.seat_from_form(cluster, request.user, form.cleaned_data)
                messages.success(request, _("Seat recorded."))
            else:
                _form_errors(request, form)
        elif action == "relation":
            form = f.RelationForm(request.POST, cluster=cluster, prefix="rel")
            if form.is_valid():
                services.person_relation_add(
                    cluster=cluster, user=request.user, **form.cleaned_data
                )
                messages.success(request, _("Relation recorded."))
            else:
                _form_errors(request, form)
        elif action == "membership_end":
            form = f.MembershipEndForm(request.POST, cluster=cluster, prefix="end")
            if form.is_valid():
                services.membership_end(user=request.user, **form.cleaned_data)
                messages.success(
                    request, _("Membership ended; the member's seats ended the same day.")
                )
            else:
                _form_errors(request, form)
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("governance_home", slug=slug)


# --- meetings ---


@login_required
def meeting_list(request, slug):
    cluster, grants = access_meetings(request.user, slug)
    meetings = selectors.meeting_list(cluster, grants, request.user)
    history = selectors.attendance_history(meetings)
    chart = (
        charts.hbars(
            _("Attendance at the last General Assemblies"),
            [
                charts.Point(
                    f"{m.date:%d.%m.%Y} {m.title}",
                    getattr(m, "n_present", 0),
                    getattr(m, "n_listed", 0),
                )
                for m in history
            ],
            value_head=_("Present or represented"),
            max_head=_("On the list"),
        )
        if history
        else ""
    )
    return render(
        request,
        "governance/meeting_list.html",
        {"cluster": cluster, "grants": grants, "meetings": meetings, "attendance_chart": chart},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, slug):
    cluster, grants = access_governance(request.user, slug, for_write=True)
    organ = request.GET.get("organ")  # the home's "the Board has not met this month" link
    initial = {"organ": organ} if organ in OrganKind.values else {}
    form = f.MeetingForm(request.POST or None, cluster=cluster, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = f.convene_from_form(cluster, request.user, d)
        except ValidationError as exc:
            f_errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, errs in f_errors.items():
                for e in errs:
                    form.add_error(field if field in form.fields else None, e)
        else:
            if meeting.irregular:
                messages.warning(request, meeting.irregular_reason)
            messages.success(request, _("Meeting convened."))
            return redirect("meeting_detail", slug=slug, meeting_id=meeting.pk)
    return render(
        request,
        "governance/meeting_form.html",
        {"cluster": cluster, "grants": grants, "form": form},
    )


@login_required
def meeting_detail(request, slug, meeting_id):
    cluster, grants, meeting = access_meeting(request.user, slug, meeting_id)
    runs = may_run(meeting, request.user, grants)
    attendance = list(
        Attendance.objects.filter(meeting=meeting).select_related("member").order_by("member__name")
    )
    proxies = (
        list(
            Proxy.objects.filter(meeting=meeting)
            .select_related("giver")
            .order_by("received_at", "id")
        )
        if runs
        else None
    )
    try:
        # read from the rows this page shows anyway
        situation = selectors.meeting_situation(meeting, attendance=attendance, proxies=proxies)
    except ValidationError as exc:
        _errors(request, exc)
        situation = None
    # GOV-4: a closed meeting takes no new proxies, so the office is not offered the forms.
    takes_proxies = grants.office and meeting.status != Meeting.Status.CLOSED
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "cluster": cluster,
            "grants": grants,
            "meeting": meeting,
            "runs": runs,
            "situation": situation,
            "statute": situation.statute if situation else None,
            "roll": situation.roll if situation else None,
            "profile": situation.profile if situation else None,
            "has_minutes": services.minutes_refusal(meeting) is None,
            "agenda": meeting.agenda_items.order_by("position", "id"),
            "notices": (
                OutboxMessage.objects.filter(
                    cluster=cluster, source=services.notice_source(meeting)
                ).aggregate(n=Count("id"), last=Max("created_at"))
                if grants.office and meeting.status == Meeting.Status.CONVENED
                else None
            ),
            "attendance": attendance,
            "proxies": proxies or [],
            "votes": meeting.votes.select_related("resolution").order_by("number"),
            "proxy_form": f.ProxyForm(cluster=cluster, prefix="px") if takes_proxies else None,
            "import_form": f.ProxyImportForm(prefix="csv") if takes_proxies else None,
            "objection_form": f.ObjectionForm(
                cluster=cluster, member_ids=None if grants.office else grants.member_ids
            )
            if (grants.office or grants.member_ids) and meeting.summary_sent_at
            else None,
            "dispatches": meeting.dispatches.all() if grants.office else [],
        },
    )


@login_required
@require_POST
def meeting_control(request, slug, meeting_id):
    """The chair's and the office's actions on a meeting: open (first/second term), close, agenda,
    check-in/out, open/close a vote, record a ballot for the room."""
    cluster, grants, meeting = access_meeting(request.user, slug, meeting_id, for_write=True)
    action = request.POST.get("action", "")
    form: forms.BaseForm
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # Only a page of this site: never an open redirect to wherever `next` points.
        back = reverse("meeting_live", kwargs={"slug": slug, "meeting_id": meeting.pk})
    user = request.user
    try:
        if action in ("open", "open_second"):
            services.meeting_open(
                meeting=meeting, user=user, term=2 if action == "open_second" else 1
            )
            messages.success(request, _("Meeting opened."))
        elif action == "close":
            services.meeting_close(meeting=meeting, user=user)
            messages.success(request, _("Meeting closed."))
        elif action == "agenda":
            title = request.POST.get("title", "").strip()
            if title:
                services.agenda_item_add(meeting=meeting, user=user, title=title)
        elif action in ("check_in", "check_out"):
            form = f.CheckInForm(request.POST, cluster=cluster)
            if form.is_valid():
                d = form.cleaned_data
                if action == "check_in":
                    services.attendance_check_in(
                        meeting=meeting,
                        member=d["member"],
                        user=user,
                        mode=d["mode"],
                        person_name=d["person_name"],
                    )
                else:
                    services.attendance_check_out(meeting=meeting, member=d["member"], user=user)
            else:
                _form_errors(request, form)
        elif action == "vote_open":
            form = f.VoteOpenForm(request.POST, meeting=meeting)
            if form.is_valid():
                vote = services.vote_open(
                    meeting=meeting,
                    user=user,
                    title=form.cleaned_data["title"],
                    admission=form.cleaned_data["admission"],
                )
                messages.success(
                    request, _("Vote opened: %(quorum)s") % {"quorum": vote.quorum_words}
                )
            else:
                _form_errors(request, form)
        elif action == "vote_close":
            vote = Vote.objects.get(meeting=meeting, pk=request.POST.get("vote"))
            resolution = services.vote_close(vote=vote, user=user)
            messages.success(request, resolution.reason_words)
        elif action == "ballot":
            # the chair (or the office) records the ballot of a member in the room
            vote = Vote.objects.get(meeting=meeting, pk=request.POST.get("vote"))
            ballots = services.ballot_cast(
                vote=vote, user=user, chair=True, choices=ballot_form_choices(request.POST)
            )
            messages.success(request, _("Votes cast: %(n)s.") % {"n": len(ballots)})
        else:
            messages.error(request, _("Unknown action."))
    except (ValidationError, Vote.DoesNotExist, ValueError) as exc:
        if isinstance(exc, ValidationError):
            _errors(request, exc)
        else:
            messages.error(request, _("No such vote."))
    return redirect(back)


@login_required
def meeting_live(request, slug, meeting_id):
    """The chair's live page: attendance, quorum and the running tally, polled without a reload."""
    cluster, grants, meeting = access_meeting(request.user, slug, meeting_id, for_write=True)
    return render(
        request,
        "governance/meeting_live.html",
        {
            "cluster": cluster,
            "grants": grants,
            "meeting": meeting,
            "checkin_form": f.CheckInForm(cluster=cluster),
            "vote_form": f.VoteOpenForm(meeting=meeting),
            # attendance and quorum (the roll of every member) come from live.json on the first poll
            "state": live_votes(meeting),
        },
    )


@login_required
def meeting_live_json(request, slug, meeting_id):
    cluster, grants, meeting = access_meeting(request.user, slug, meeting_id, for_write=True)
    return JsonResponse(live_state(meeting))


@login_required
@require_POST
def proxy_add(request, slug, meeting_id):
    """GOV-4: the coordinator's office records a proxy (or a CSV of them); every refusal says why."""
    cluster, grants, meeting = access_meeting(request.user, slug, meeting_id, for_write=True)
    if not grants.office:
        return redirect("meeting_detail", slug=slug, meeting_id=meeting.pk)
    back = redirect("meeting_detail", slug=slug, meeting_id=meeting.pk)
    form: forms.BaseForm
    if request.FILES.get("csv-file"):
        form = f.ProxyImportForm(request.POST, request.FILES, prefix="csv")
        if not form.is_valid():  # too large, not UTF-8: said, nothing stored (issue 7)
            _form_errors(request, form)
            return back
        try:
            rows = services.proxies_import_csv(
                meeting=meeting, user=request.user, content=form.cleaned_data["content"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return back
        for row in rows:
            if row.error:
                messages.error(
                    request,
                    _("Line %(line)s (%(giver)s): %(error)s")
                    % {"line": row.line, "giver": row.giver, "error": row.error},
                )
        ok = sum(1 for r in rows if not r.error)
        messages.success(
            request, _("%(ok)s of %(n)s proxies accepted.") % {"ok": ok, "n": len(rows)}
        )
        return back
    form = f.ProxyForm(request.POST, cluster=cluster, prefix="px")
    if form.is_valid():
        try:
            proxy = services.proxy_grant(meeting=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            if proxy.status == Proxy.Status.ACCEPTED:
                messages.success(request, proxy.reason_words)
            else:
                messages.error(
                    request, _("Proxy refused: %(reason)s") % {"reason": proxy.reason_words}
                )
    else:
        _form_errors(request, form)
    return back


@login_required
@require_http_methods(["GET", "POST"])
def meeting_my(request, slug, meeting_id):
    """A member's own page: check in online, cast its member's ballot, or — as a proxy holder — the
    ballots of the members whose proxies it holds."""
    cluster, grants, meeting = access_ballot_page(request.user, slug, meeting_id)
    vote = meeting.votes.filter(status=Vote.Status.OPEN).defer("snapshot").first()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "check_in":
                f.own_check_in_from_form(
                    cluster=cluster,
                    grants=grants,
                    meeting=meeting,
                    user=request.user,
                    data=request.POST,
                )
                messages.success(request, _("Attendance recorded."))
            else:
                # the vote the form was shown for — never one opened since (then: "closed")
                posted = request.POST.get("vote", "")
                target = (
                    vote
                    if not posted
                    else meeting.votes.select_related("meeting__cluster")
                    .defer("snapshot")
                    .filter(pk=int(posted) if posted.isdigit() else 0)
                    .first()
                )
                if target is None:
                    raise Vote.DoesNotExist
                ballots = services.ballot_cast(
                    vote=target, user=request.user, choices=ballot_form_choices(request.POST)
                )
                messages.success(request, _("Votes cast: %(n)s.") % {"n": len(ballots)})
        except ValidationError as exc:
            _errors(request, exc)
        except Vote.DoesNotExist:
            messages.error(request, _("No such vote."))
        except (ValueError, Member.DoesNotExist):
            messages.error(request, _("Unknown member."))
        return redirect("meeting_my", slug=slug, meeting_id=meeting.pk)
    castable, cast = {}, {}
    if vote is not None:
        castable = castable_members(vote, request.user)
        cast = dict(
            Ballot.objects.filter(vote=vote, member_id__in=list(castable)).values_list(
                "member_id", "choice"
            )
        )
    names = dict(
        Member.objects.filter(pk__in=[*castable, *grants.member_ids]).values_list("id", "name")
    )
    attendance = dict(
        Attendance.objects.filter(
            meeting=meeting, member_id__in=list(grants.member_ids)
        ).values_list("member_id", "mode")
    )
    return render(
        request,
        "governance/meeting_my.html",
        {
            "cluster": cluster,
            "grants": grants,
            "meeting": meeting,
            "vote": vote,
            "castable": [
                (m, names.get(m, m), via, cast.get(m)) for m, (via, _r) in sorted(castable.items())
            ],
            "own": [
                (m, names.get(m, m), attendance.get(m, "absent")) for m in sorted(grants.member_ids)
            ],
            "choices": Ballot.Choice.choices,
        },
    )


@login_required
def meeting_my_json(request, slug, meeting_id):
    """What the member's voting page polls: the meeting's status and the open vote, if any, with the
    members this user may still cast for — the page reloads itself when the vote opens or closes."""
    cluster, grants, meeting = access_ballot_page(request.user, slug, meeting_id)
    vote = meeting.votes.filter(status=Vote.Status.OPEN).defer("snapshot").first()
    state: dict = {"meeting": meeting.pk, "status": meeting.status, "vote": None}
    if vote is not None:
        castable = castable_members(vote, request.user)
        cast = set(
            Ballot.objects.filter(vote=vote, member_id__in=list(castable)).values_list(
                "member_id", flat=True
            )
        )
        state["vote"] = {
            "id": vote.pk,
            "number": vote.number,
            "title": vote.title,
            "may_cast": sorted(m for m in castable if m not in cast),
            "cast": sorted(cast),
        }
    return JsonResponse(state)


@login_required
def vote_results_csv(request, slug, vote_id):
    cluster, grants, vote = access_vote(request.user, slug, vote_id)
    out = io.StringIO()
    csv_writer(out).writerows(results_rows([vote]))  # text stays text
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="glosowanie-{vote.pk}.csv"'
    return response


@login_required
def minutes_pdf(request, slug, meeting_id):
    cluster, grants, meeting = access_meeting(request.user, slug, meeting_id)
    try:
        pdf = services.minutes_pdf(meeting=meeting)
    except ValidationError as exc:  # GOV-14: a meeting that never sat has no minutes
        _errors(request, exc)
        return redirect("meeting_detail", slug=slug, meeting_id=meeting.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="protokol-{meeting.pk}.pdf"'
    return response


@login_required
@require_POST
def summary_send(request, slug, meeting_id):
    cluster, grants, meeting = access_meeting(request.user, slug, meeting_id, for_write=True)
    if not grants.office:
        return redirect("meeting_detail", slug=slug, meeting_id=meeting.pk)
    try:
        dispatch = services.summary_send(meeting=meeting, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            _(
                "The summary is published and queued to %(n)s recipients; the worker sends it "
                "within a minute."
            )
            % {"n": dispatch.sent_count},
        )
    return redirect("meeting_detail", slug=slug, meeting_id=meeting.pk)


@login_required
@require_POST
def notice_send(request, slug, meeting_id):
    cluster, grants, meeting = access_meeting(request.user, slug, meeting_id, for_write=True)
    if not grants.office:
        return redirect("meeting_detail", slug=slug, meeting_id=meeting.pk)
    try:
        n = services.notice_send(meeting=meeting, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            _("The notice is queued to %(n)s recipients; the worker sends it within a minute.")
            % {"n": n},
        )
    return redirect("meeting_detail", slug=slug, meeting_id=meeting.pk)


@login_required
@require_POST
def objection_file(request, slug, vote_id):
    cluster, grants, vote = access_objection(request.user, slug, vote_id)
    form = f.ObjectionForm(
        request.POST, cluster=cluster, member_ids=None if grants.office else grants.member_ids
    )
    if form.is_valid():
        try:
            objection = services.objection_file(vote=vote, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            (messages.success if objection.valid else messages.error)(
                request, objection.reason_words
            )
    else:
        _form_errors(request, form)
    return redirect("meeting_detail", slug=slug, meeting_id=vote.meeting_id)


@login_required
def resolution_list(request, slug):
    cluster, grants = access_meetings(request.user, slug)
    rows = (
        Resolution.objects.filter(cluster=cluster)
        .select_related("organ", "meeting")
        .order_by("organ_id", "-year", "-number")
    )
    return render(
        request,
        "governance/resolution_list.html",
        {"cluster": cluster, "grants": grants, "resolutions": rows},
    )


# --- reports and registers (GOV-6, GOV-7, GOV-11, GOV-13, GOV-15) ---


@login_required
def attendance_duties(request, slug):
    cluster, grants = access_governance(request.user, slug)
    on = timezone.localdate()
    try:
        rows = selectors.attendance_duties(cluster, on)
    except ValidationError as exc:
        _errors(request, exc)
        rows = []
    names = selectors.attendee_names(cluster)
    return render(
        request,
        "governance/duties.html",
        {
            "cluster": cluster,
            "grants": grants,
            "on": on,
            "rows": [(names.get(r.attendee_id, r.attendee_id), r) for r in rows],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def declarations(request, slug):
    """GOV-11: the office, or a member's representative for its own delegated persons, files a
    declaration; it is sent to the coordinator and the chair, and the office resends a failed one."""
    cluster, grants = access_declarations(request.user, slug, for_write=request.method == "POST")
    own = declaration_member_ids(grants)
    may_file = grants.office or bool(grants.member_ids)
    form = f.DeclarationForm(
        request.POST or None,
        cluster=cluster,
        member_ids=None if grants.office else grants.member_ids,
    )
    if request.method == "POST" and request.POST.get("action") == "resend":
        if not grants.office:
            raise PermissionDenied
        decl = get_in_cluster(
            Declaration, cluster, via="organ__cluster", pk=request.POST.get("declaration", "0")
        )
        decl = services.declaration_send(declaration=decl, user=request.user)
        (messages.error if decl.send_error else messages.success)(
            request,
            decl.send_error
            or _("Declaration sent to: %(to)s") % {"to": ", ".join(decl.recipients)},
        )
        return redirect("declarations", slug=slug)
    if request.method == "POST":
        if form.is_valid():
            try:
                decl = f.declaration_from_form(cluster, request.user, form.cleaned_data)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                assert (
                    decl.agenda_item is not None
                )  # declaration_file always gives it an agenda item
                messages.success(request, decl.agenda_item.reason_words)
                if decl.send_error:
                    messages.error(
                        request,
                        _("Declaration recorded but not sent: %(error)s")
                        % {"error": decl.send_error},
                    )
                else:
                    messages.success(
                        request,
                        _("Declaration sent to: %(to)s") % {"to": ", ".join(decl.recipients)},
                    )
                return redirect("declarations", slug=slug)
        else:
            _form_errors(request, form)
    rows = Declaration.objects.filter(organ__cluster=cluster).select_related(
        "person", "organ", "agenda_item__meeting"
    )
    if own is not None:
        rows = rows.filter(person__member_id__in=list(own))
    return render(
        request,
        "governance/declarations.html",
        {"cluster": cluster, "grants": grants, "rows": rows, "form": form if may_file else None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def extraordinary_requests(request, slug):
    cluster, grants = access_governance(request.user, slug, for_write=request.method == "POST")
    form = f.ExtraordinaryForm(request.POST or None, cluster=cluster)
    if request.method == "POST":
        if form.is_valid():
            try:
                req = services.extraordinary_request_file(
                    cluster=cluster, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                (messages.success if req.threshold_met else messages.error)(
                    request, req.reason_words
                )
                return redirect("extraordinary_requests", slug=slug)
        else:
            _form_errors(request, form)
    rows = ExtraordinaryRequest.objects.filter(cluster=cluster).prefetch_related("meetings")
    return render(
        request,
        "governance/extraordinary.html",
        {
            "cluster": cluster,
            "grants": grants,
            "rows": rows,
            "form": form if grants.office else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mediation_list(request, slug):
    cluster, grants = access_governance(request.user, slug, for_write=request.method == "POST")
    form = f.MediationForm(request.POST or None, cluster=cluster)
    if request.method == "POST":
        if form.is_valid():
            services.mediation_open(cluster=cluster, user=request.user, **form.cleaned_data)
            return redirect("mediation_list", slug=slug)
        _form_errors(request, form)
    on = timezone.localdate()
    cases = [
        (c, selectors.mediation_status(c, on))
        for c in MediationCase.objects.filter(cluster=cluster).prefetch_related("parties")
    ]
    return render(
        request,
        "governance/mediation.html",
        {
            "cluster": cluster,
            "grants": grants,
            "cases": cases,
            "form": form if grants.office else None,
            "resolve_form": f.ResolveForm(),
        },
    )


@login_required
@require_POST
def mediation_resolve(request, slug, case_id):
    cluster, grants, case = access_mediation(request.user, slug, case_id, for_write=True)
    form = f.ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.mediation_resolve(case=case, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
    else:
        _form_errors(request, form)
    return redirect("mediation_list", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def contacts(request, slug):
    """GOV-15: members the coordinator has not met within the year."""
    cluster, grants = access_governance(request.user, slug, for_write=request.method == "POST")
    form = f.ContactForm(request.POST or None, cluster=cluster)
    if request.method == "POST":
        if form.is_valid():
            services.individual_meeting_add(cluster=cluster, user=request.user, **form.cleaned_data)
            return redirect("contacts", slug=slug)
        _form_errors(request, form)
    on = timezone.localdate()
    try:
        rows = selectors.members_not_met(cluster, on)
    except ValidationError as exc:
        _errors(request, exc)
        rows = []
    return render(
        request,
        "governance/contacts.html",
        {
            "cluster": cluster,
            "grants": grants,
            "rows": rows,
            "on": on,
            "form": form if grants.office else None,
        },
    )


# --- admissions (GOV-12) ---


@login_required
@require_http_methods(["GET", "POST"])
def admission_list(request, slug):
    cluster, grants = access_governance(request.user, slug, for_write=request.method == "POST")
    form = f.AdmissionOpenForm(request.POST or None, cluster=cluster)
    if request.method == "POST":
        if form.is_valid():
            try:
                admission = services.admission_open(
                    cluster=cluster, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                return redirect("admission_detail", slug=slug, admission_id=admission.pk)
        else:
            _form_errors(request, form)
    rows = Admission.objects.filter(cluster=cluster).select_related("candidate", "meeting__organ")
    return render(
        request,
        "governance/admission_list.html",
        {
            "cluster": cluster,
            "grants": grants,
            "rows": rows,
            "form": form if grants.office else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def admission_detail(request, slug, admission_id):
    cluster, grants, admission = access_admission(
        request.user, slug, admission_id, for_write=request.method == "POST"
    )
    if request.method == "POST":
        action = request.POST.get("action")
        form: forms.BaseForm
        try:
            if action == "update":
                form = add_version_field(
                    f.AdmissionForm(
                        request.POST,
                        instance=Admission.objects.get(pk=admission.pk),
                        cluster=cluster,
                    ),
                    lambda: admission_tracked(admission),
                )
                if form.is_valid():
                    f.admission_update_from_form(
                        admission=admission,
                        user=request.user,
                        form=form,
                        expected_version=posted_version(form),
                    )
                else:
                    _form_errors(request, form)
            elif action == "payment":
                form = f.FeePaymentForm(request.POST)
                if form.is_valid():
                    services.fee_payment_add(
                        admission=admission, user=request.user, **form.cleaned_data
                    )
                else:
                    _form_errors(request, form)
            elif action == "schedule":
                form = f.ScheduleForm(request.POST, cluster=cluster)
                if form.is_valid():
                    services.admission_schedule(
                        admission=admission, user=request.user, **form.cleaned_data
                    )
                else:
                    _form_errors(request, form)
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("admission_detail", slug=slug, admission_id=admission.pk)
    ready = None
    if admission.meeting_id:
        try:
            ready = readiness(admission)
        except ValidationError as exc:
            _errors(request, exc)
    paid = fee_paid(admission)
    refusal = ""
    if admission.decision == Admission.Decision.REFUSED:
        # FIN-6: the advance paid before the deciding meeting is kept on refusal (001 2c)
        from decimal import Decimal

        from klaster.core.say import say
        from klaster.rules.money import on_refusal

        refusal = say(on_refusal(sum((amount for _day, amount in paid), Decimal(0))).message)
    return render(
        request,
        "governance/admission_detail.html",
        {
            "cluster": cluster,
            "grants": grants,
            "admission": admission,
            "ready": ready,
            "form": add_version_field(
                f.AdmissionForm(instance=admission, cluster=cluster),
                lambda: admission_tracked(admission),
            )
            if grants.office
            else None,
            # FIN-6: read from the ledger once money issued the fee as a document (then the
            # office records payments on the bank statement, not here)
            "fee_paid": paid,
            "refusal": refusal,
            "fee_from_ledger": hooks.fee_payments(admission) is not None,
            "payment_form": f.FeePaymentForm() if grants.office else None,
            "schedule_form": f.ScheduleForm(cluster=cluster) if grants.office else None,
            "agenda": AgendaItem.objects.filter(meeting=admission.meeting)
            if admission.meeting_id
            else [],
        },
    )
