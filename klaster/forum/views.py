"""Pages of a forum of clusters (FOR-1, FOR-2; issue 13): the forum's home with its clusters,
vocabulary and shared work; the benchmark with charts, as XLSX, PDF and chart data (JSON);
a cluster office's sharing choices and its place against the forum."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from klaster.core.access import access_cluster
from klaster.core.exports import workbook_bytes
from klaster.core.feedback import apply_errors, form_messages, messages_from, run_form
from klaster.core.models import Cluster, ClusterRole, Role
from klaster.core.say import say
from klaster.forum import charts, forms, selectors, services
from klaster.forum.models import LinkageRecord, Membership, Sharing, Snapshot, Work
from klaster.forum.panel import _num, _titles
from klaster.rules.forum.sets import KKK_2021, RADAR_AREAS

SET = KKK_2021


@login_required
@require_GET
def forum_list_view(request):
    return render(request, "forum/list.html", {"forums": selectors.forums_for(request.user)})


@login_required
@require_GET
def forum_home_view(request, forum_slug):
    reader = selectors.access_forum(request.user, forum_slug)
    works = (
        Work.objects.filter(forum=reader.forum)
        .annotate(posts_count=Count("posts"))
        .order_by("-created_at")
    )
    return render(
        request,
        "forum/home.html",
        {
            "reader": reader,
            "forum": reader.forum,
            "memberships": selectors.members(reader.forum),
            "works": works,
            "work_form": forms.WorkForm(),
            "kinds": Work.Kind.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_members_view(request, forum_slug):
    """The forum's office records clusters joining and leaving by decision (FOR-1)."""
    reader = selectors.access_forum(request.user, forum_slug)
    if not reader.officer:
        raise PermissionDenied
    join_form = forms.JoinForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "leave":
            leave_form = forms.LeaveForm(request.POST, forum=reader.forum)
            run_form(
                request,
                leave_form,
                lambda d: services.leave(
                    membership=d["membership"],
                    left_on=d["left_on"],
                    decision=d["decision"],
                    user=request.user,
                ),
                _("The cluster's leaving was recorded."),
            )
        else:
            run_form(
                request,
                join_form,
                lambda d: services.join(
                    forum=reader.forum,
                    cluster=d["cluster"],
                    joined_on=d["joined_on"],
                    decision=d["decision"],
                    user=request.user,
                ),
                _("The cluster joined the forum."),
            )
        return redirect("forum_members", forum_slug=forum_slug)
    return render(
        request,
        "forum/members.html",
        {
            "reader": reader,
            "forum": reader.forum,
            "memberships": selectors.members(reader.forum),
            "join_form": join_form,
            "leave_form": forms.LeaveForm(forum=reader.forum),
        },
    )


def _benchmark(request, forum_slug):
    reader = selectors.access_forum(request.user, forum_slug, as_cluster=request.GET.get("as"))
    data = selectors.comparison(reader, SET)
    return reader, data


def _rows_for_page(data, titles, *, full: bool = False):
    """Per indicator: the median, the best, the reader's own figure and a chart — a one-line
    spread of all shared figures (the overview, whatever the number of clusters), or, for one
    indicator (``full``), a bar per cluster."""
    out = []
    for row in data["rows"]:
        ind = SET.indicator(row.key)
        assert ind is not None
        own = next((e for e in row.entries if e.own), None)
        chart = charts.comparison_bars if full else charts.spread_box
        out.append(
            {
                "row": row,
                "key": row.key,
                "title": titles[row.key],
                "basis": ind.basis,
                "chart": chart(titles[row.key], row, ind.maximum),
                "median": _num(row.median),
                "best": _num(row.best),
                "own": _num(own.value) if own else None,
            }
        )
    return out


@login_required
@require_GET
def forum_benchmark_view(request, forum_slug):
    reader, data = _benchmark(request, forum_slug)
    titles = _titles(SET)
    return render(
        request,
        "forum/benchmark.html",
        {
            "reader": reader,
            "forum": reader.forum,
            "set": SET,
            "rows": _rows_for_page(data, titles),
            "radar": charts.radar(
                _("Areas: your cluster against the forum's median (% of the maximum)"),
                [(say(a.title), a.key) for a in SET.areas if a.key in RADAR_AREAS],
                data["own_areas"],
                data["median_areas"],
            ),
            "trend": charts.trend(
                _("Stage II points over the years"), data["own_trend"], data["median_trend"]
            ),
            "shared_count": sum(1 for c in data["clusters"] if c.shared),
            "cluster_count": len(data["clusters"]),
        },
    )


def _flat(data, titles) -> list[dict]:
    """The figures the reader may see, flat: the same for the XLSX, the PDF and the JSON."""
    out = []
    for row in data["rows"]:
        for e in row.entries:
            out.append(
                {
                    "indicator": titles[row.key],
                    "key": row.key,
                    "cluster": say(e.label),
                    "value": str(e.value),
                    "own": e.own,
                    "median": None if row.median is None else str(row.median),
                    "best": None if row.best is None else str(row.best),
                }
            )
    return out


@login_required
@require_GET
def forum_indicator_view(request, forum_slug, key):
    """One indicator: every shared figure by cluster, best first, against the median."""
    reader, data = _benchmark(request, forum_slug)
    if SET.indicator(key) is None:
        raise Http404
    titles = _titles(SET)
    data = {**data, "rows": [r for r in data["rows"] if r.key == key]}
    rows = _rows_for_page(data, titles, full=True)
    return render(
        request,
        "forum/indicator.html",
        {
            "reader": reader,
            "forum": reader.forum,
            "title": titles[key],
            "r": rows[0] if rows else None,
        },
    )


@login_required
@require_GET
def forum_benchmark_json_view(request, forum_slug):
    """The chart data as JSON (the same figures as the page: shared only)."""
    reader, data = _benchmark(request, forum_slug)
    return JsonResponse(benchmark_payload(reader, data), json_dumps_params={"ensure_ascii": False})


def benchmark_payload(reader, data) -> dict:
    """The chart data (and the API's answer): the shared figures only, flat."""
    return {
        "forum": reader.forum.name,
        "set": SET.code,
        "rows": _flat(data, _titles(SET)),
        "areas": {k: str(v) for k, v in data["own_areas"].items()},
        "median_areas": {k: str(v) for k, v in data["median_areas"].items()},
    }


@login_required
@require_GET
def forum_benchmark_xlsx_view(request, forum_slug):
    reader, data = _benchmark(request, forum_slug)
    titles = _titles(SET)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Benchmark")
    ws.append([reader.forum.name, say(SET.title)])
    ws.append([_("Indicator"), _("Cluster"), _("Value"), _("Median"), _("Best")])
    for row in data["rows"]:
        for e in row.entries:
            ws.append([titles[row.key], say(e.label), e.value, row.median, row.best])
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 32
    response = HttpResponse(
        workbook_bytes(wb),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="forum-{reader.forum.slug}.xlsx"'
    return response


@login_required
@require_GET
def forum_benchmark_pdf_view(request, forum_slug):
    reader, data = _benchmark(request, forum_slug)
    titles = _titles(SET)
    with translation.override("pl"):
        html = render_to_string(
            "forum/benchmark_pdf.html",
            {
                "forum": reader.forum,
                "reader": reader,
                "set_title": say(SET.title),
                "rows": _rows_for_page(data, titles),
                "radar": charts.radar(
                    _("Areas: your cluster against the forum's median (% of the maximum)"),
                    [(say(a.title), a.key) for a in SET.areas if a.key in RADAR_AREAS],
                    data["own_areas"],
                    data["median_areas"],
                ),
                "today": timezone.localdate(),
            },
        )
    from weasyprint import HTML  # loads fonts and Pango on import

    pdf = bytes(HTML(string=html).write_pdf())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="forum-{reader.forum.slug}.pdf"'
    return response


@login_required
@require_POST
def forum_work_new_view(request, forum_slug):
    reader = selectors.access_forum(request.user, forum_slug)
    form = forms.WorkForm(request.POST)
    if not form.is_valid():
        form_messages(request, form)
        return redirect("forum_home", forum_slug=forum_slug)
    try:
        work = services.add_work(
            forum=reader.forum,
            kind=form.cleaned_data["kind"],
            data=form.cleaned_data,
            user=request.user,
            clusters=list(reader.clusters[:1]),
        )
    except ValidationError as exc:
        messages_from(request, exc)
        return redirect("forum_home", forum_slug=forum_slug)
    messages.success(request, _("Added."))
    return redirect("forum_work", forum_slug=forum_slug, work_id=work.pk)


@login_required
@require_http_methods(["GET", "POST"])
def forum_work_view(request, forum_slug, work_id):
    reader = selectors.access_forum(request.user, forum_slug)
    try:
        work = Work.objects.get(forum=reader.forum, pk=work_id)
    except (Work.DoesNotExist, ValueError):
        raise Http404 from None
    form = forms.PostForm(request.POST or None)
    if request.method == "POST":
        run_form(
            request,
            form,
            lambda d: services.add_post(
                work=work,
                user=request.user,
                cluster=reader.cluster,
                text=d["text"],
                answer=d["answer"],
                today=timezone.localdate(),
            ),
            _("Posted."),
        )
        return redirect("forum_work", forum_slug=forum_slug, work_id=work.pk)
    taking_part = list(work.clusters.order_by("name"))
    members = list(work.members.order_by("name"))
    recorded = {
        r.cluster_id: r for r in LinkageRecord.objects.filter(work=work).select_related("project")
    }
    offices = set(
        ClusterRole.objects.filter(user=request.user, role=Role.OFFICE).values_list(
            "cluster_id", flat=True
        )
    )
    mine = {c.pk for c in reader.clusters}
    return render(
        request,
        "forum/work.html",
        {
            "reader": reader,
            "forum": reader.forum,
            "work": work,
            "posts": work.posts.select_related("author", "cluster"),
            "form": form,
            "open": work.deadline is None or timezone.localdate() <= work.deadline,
            "joinable": work.kind in (Work.Kind.INITIATIVE, Work.Kind.LINKAGE),
            "taking_part": [
                {
                    "cluster": c,
                    "mine": c.pk in mine,
                    "office": c.pk in offices,
                    "record": recorded.get(c.pk),
                    "members": [m for m in members if m.cluster_id == c.pk],
                    "members_form": forms.WorkMembersForm(
                        cluster=c,
                        initial={"members": [m.pk for m in members if m.cluster_id == c.pk]},
                        prefix=f"c{c.pk}",
                    )
                    if c.pk in offices
                    else None,
                }
                for c in taking_part
            ],
            "may_join": [c for c in reader.clusters if c.pk not in {t.pk for t in taking_part}],
        },
    )


def _work(reader, work_id) -> Work:
    try:
        return Work.objects.get(forum=reader.forum, pk=work_id)
    except (Work.DoesNotExist, ValueError):
        raise Http404 from None


def _acting_cluster(reader, slug: str) -> Cluster:
    """One of the reader's own member clusters (its office or forum role), by slug; 404 else."""
    for cluster in reader.clusters:
        if cluster.slug == slug:
            return cluster
    raise Http404


@login_required
@require_POST
def forum_work_take_part_view(request, forum_slug, work_id, slug):
    """A member cluster joins a joint initiative or a linkage, or withdraws (FOR-2)."""
    reader = selectors.access_forum(request.user, forum_slug)
    work = _work(reader, work_id)
    cluster = _acting_cluster(reader, slug)
    withdraw = request.POST.get("action") == "withdraw"
    try:
        if withdraw:
            services.withdraw(work=work, cluster=cluster, user=request.user)
        else:
            services.take_part(work=work, cluster=cluster, user=request.user)
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        messages.success(
            request,
            _("%(cluster)s no longer takes part.") % {"cluster": cluster.name}
            if withdraw
            else _("%(cluster)s takes part.") % {"cluster": cluster.name},
        )
    return redirect("forum_work", forum_slug=forum_slug, work_id=work.pk)


@login_required
@require_POST
def forum_work_members_view(request, forum_slug, work_id, slug):
    """FOR-2: a taking-part cluster's office names its own members taking part."""
    reader = selectors.access_forum(request.user, forum_slug)
    work = _work(reader, work_id)
    cluster, grants = access_cluster(request.user, slug, for_write=True)
    if not grants.office:
        raise PermissionDenied
    if not work.clusters.filter(pk=cluster.pk).exists():
        raise Http404
    form = forms.WorkMembersForm(request.POST, cluster=cluster, prefix=f"c{cluster.pk}")
    run_form(
        request,
        form,
        lambda d: services.set_members(
            work=work, cluster=cluster, members=d["members"], user=request.user
        ),
        _("The members taking part were saved."),
    )
    return redirect("forum_work", forum_slug=forum_slug, work_id=work.pk)


@login_required
@require_http_methods(["GET", "POST"])
def forum_linkage_kkk_view(request, forum_slug, work_id, slug):
    """FOR-2: the office of a cluster taking part in a cooperative linkage takes it into its
    KKK records as a joint project, with its own members as participants."""
    from klaster.kkk.forms import record_form_class
    from klaster.kkk.records import RECORD_KINDS

    reader = selectors.access_forum(request.user, forum_slug)
    work = _work(reader, work_id)
    if work.kind != Work.Kind.LINKAGE:
        raise Http404
    cluster, grants = access_cluster(request.user, slug, for_write=request.method == "POST")
    if not grants.office:
        raise PermissionDenied
    if not work.clusters.filter(pk=cluster.pk).exists():
        raise Http404
    done = LinkageRecord.objects.filter(work=work, cluster=cluster).select_related("project")
    if done.exists():
        messages.info(request, _("This linkage is already in the cluster's KKK records."))
        return redirect("forum_work", forum_slug=forum_slug, work_id=work.pk)
    spec = RECORD_KINDS["projects"]
    initial = {
        "name": work.project or work.title,
        "description": _("Cooperative linkage of the forum %(forum)s: %(title)s.")
        % {"forum": reader.forum.name, "title": work.title},
        "type": "other",
    }
    form = record_form_class(spec, cluster)(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.linkage_to_kkk(
                work=work, cluster=cluster, user=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The linkage is now a joint project in the KKK records."))
            return redirect("forum_work", forum_slug=forum_slug, work_id=work.pk)
    return render(
        request,
        "forum/linkage_kkk.html",
        {"reader": reader, "forum": reader.forum, "work": work, "cluster": cluster, "form": form},
    )


# -- a cluster's own office: what it shares, where it stands (issue 13 points 3, 4) ----------


@login_required
@require_http_methods(["GET", "POST"])
def forum_sharing_view(request, slug):
    cluster, grants = access_cluster(request.user, slug, for_write=request.method == "POST")
    if not grants.office:
        raise PermissionDenied
    memberships = list(
        Membership.objects.filter(cluster=cluster, left_on__isnull=True).select_related("forum")
    )
    shared = set(
        Sharing.objects.filter(cluster=cluster, set_code=SET.code).values_list("key", flat=True)
    )
    titles = _titles(SET)
    choices = [(i.key, titles[i.key]) for i in SET.indicators]
    named = any(m.named for m in memberships)
    form = forms.SharingForm(
        request.POST or None, choices=choices, initial={"keys": sorted(shared), "named": named}
    )
    if request.method == "POST":
        if request.POST.get("action") == "refresh":
            services.refresh_figures(cluster=cluster, as_of=timezone.localdate())
            messages.success(request, _("The figures for the forum were computed anew."))
        else:
            run_form(
                request,
                form,
                lambda d: services.set_sharing(
                    cluster=cluster,
                    indicator_set=SET,
                    keys=d["keys"],
                    named=d["named"],
                    user=request.user,
                ),
                _("What the cluster shares with the forum was saved."),
            )
        return redirect("forum_sharing", slug=slug)
    latest = Snapshot.objects.filter(cluster=cluster, set_code=SET.code).order_by("-as_of").first()
    positions = []
    for m in memberships:
        reader = selectors.Reader(m.forum, False, (cluster,))
        data = selectors.comparison(reader, SET)
        own_rows = [
            {
                "title": titles[r.key],
                "own": next((e.value for e in r.entries if e.own), None),
                "median": _num(r.median),
                "best": _num(r.best),
                "count": r.count,
            }
            for r in data["rows"]
            if r.count
        ]
        positions.append({"forum": m.forum, "rows": own_rows})
    return render(
        request,
        "forum/sharing.html",
        {
            "cluster": cluster,
            "grants": grants,
            "form": form,
            "memberships": memberships,
            "latest": latest,
            "positions": positions,
            "groups": _groups(titles),
            "shared": shared,
        },
    )


def _groups(titles: dict[str, str]) -> list[dict]:
    out = []
    for area in SET.areas:
        keys = [i.key for i in SET.indicators if i.area == area.key]
        if keys:
            out.append({"title": say(area.title), "items": [(k, titles[k]) for k in keys]})
    return out
