"""The register's pages (AID-1 … AID-3; issue 11 points 2, 3): the office's overview with a
ceiling check, a member's aid (the single undertaking drawn as a graph, used aid and headroom
per regulation in EUR and PLN, the window on a timeline), an undertaking's links and grants,
and the import of certificates with a preview. Every verdict comes from `engine.verdict`."""

from __future__ import annotations

import base64
import datetime as dt
import math
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klaster.aid import engine, register, register_events
from klaster.aid.access import access_aid, access_member_aid
from klaster.aid.forms_events import MergerForm, SplitForm
from klaster.aid.models import ControlLink, Grant, Regulation, Undertaking
from klaster.core.access import access_cluster, get_in_cluster
from klaster.core.feedback import run_form
from klaster.core.say import say
from klaster.members.models import Member
from klaster.rules.aid.check import AidRefused, applies
from klaster.rules.aid.model import R1407, R2831

DATE = forms.DateInput(attrs={"type": "date"})


class CheckForm(forms.Form):
    nip = forms.CharField(label=gettext_lazy("NIP"), max_length=20)
    day = forms.DateField(label=gettext_lazy("Day of grant"), widget=DATE)
    amount = forms.DecimalField(
        label=gettext_lazy("Amount (PLN gross)"), min_value=Decimal("0"), decimal_places=2
    )


class UndertakingForm(forms.Form):
    nip = forms.CharField(label="NIP", max_length=20)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=300)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False)
    fiscal_month = forms.IntegerField(label=gettext_lazy("Fiscal year starts (month)"), initial=1)
    fiscal_day = forms.IntegerField(label=gettext_lazy("Fiscal year starts (day)"), initial=1)
    road_freight = forms.BooleanField(
        label=gettext_lazy("Road freight transport for hire or reward"), required=False
    )


class LinkForm(forms.Form):
    other = forms.CharField(label=gettext_lazy("NIP of the other undertaking"), max_length=20)
    direction = forms.ChoiceField(
        label=gettext_lazy("Who controls whom"),
        choices=[
            ("parent", gettext_lazy("this undertaking controls the other")),
            ("child", gettext_lazy("the other controls this undertaking")),
        ],
    )
    basis = forms.ChoiceField(label=gettext_lazy("Basis"), choices=ControlLink.Basis.choices)
    start = forms.DateField(label=gettext_lazy("From"), widget=DATE)
    end = forms.DateField(label=gettext_lazy("Until (empty: lasts)"), widget=DATE, required=False)


class GrantForm(forms.Form):
    body_name = forms.CharField(label=gettext_lazy("Granting body"), max_length=300)
    body_nip = forms.CharField(label=gettext_lazy("Granting body's NIP"), required=False)
    regulation = forms.ChoiceField(label=gettext_lazy("Regulation"), choices=Regulation.choices)
    granted_on = forms.DateField(label=gettext_lazy("Day of grant"), widget=DATE)
    amount_pln = forms.DecimalField(
        label=gettext_lazy("Gross value (PLN)"), required=False, decimal_places=2
    )
    amount_eur = forms.DecimalField(
        label=gettext_lazy("Gross value (EUR)"), required=False, decimal_places=2
    )
    certificate_no = forms.CharField(
        label=gettext_lazy("Certificate number"), required=False, max_length=60
    )


class SupersedeForm(forms.Form):
    grant = forms.IntegerField(widget=forms.HiddenInput)
    void = forms.BooleanField(label=gettext_lazy("Void the grant"), required=False)
    amount_pln = forms.DecimalField(
        label=gettext_lazy("Corrected value (PLN)"), required=False, decimal_places=2
    )
    amount_eur = forms.DecimalField(
        label=gettext_lazy("Corrected value (EUR)"), required=False, decimal_places=2
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Certificates (CSV or XLSX)"))


def _on(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


# -- overview -------------------------------------------------------------------------------


@login_required
@require_GET
def aid_home_view(request, slug):
    cluster, grants = access_aid(request.user, slug)
    q = request.GET.get("q", "").strip()
    rows = Undertaking.objects.filter(cluster=cluster).select_related("member")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(nip__contains=register.clean_nip(q)))
    rows = rows.annotate(grants_count=Count("grants")).order_by("name")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    form = CheckForm(request.GET if "nip" in request.GET else None)
    verdict = refusal = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            verdict = engine.verdict(cluster.pk, d["nip"], d["day"], d["amount"])
        except AidRefused as exc:
            refusal = say(exc.message)
    return render(
        request,
        "aid/reg/home.html",
        {
            "cluster": cluster,
            "grants": grants,
            "page": page,
            "q": q,
            "form": form if form.is_bound else CheckForm(initial={"day": timezone.localdate()}),
            "verdict": verdict,
            "refusal": refusal,
            "add_form": UndertakingForm(),
        },
    )


@login_required
@require_POST
def aid_undertaking_new_view(request, slug):
    cluster, grants = access_aid(request.user, slug, for_write=True)
    form = UndertakingForm(request.POST)
    run_form(
        request,
        form,
        lambda d: register.undertaking_add(
            cluster=cluster,
            user=request.user,
            nip=d["nip"],
            name=d["name"],
            address=d["address"],
            fiscal_month=d["fiscal_month"],
            fiscal_day=d["fiscal_day"],
            road_freight=d["road_freight"],
        ),
        _("The undertaking was added to the register."),
    )
    return redirect("aid_home", slug=slug)


@login_required
@require_GET
def aid_my_view(request, slug):
    cluster, grants = access_cluster(request.user, slug)
    if grants.office:
        return redirect("aid_home", slug=slug)
    if grants.member_ids:
        return redirect("aid_member", slug=slug, member_id=min(grants.member_ids))
    raise PermissionDenied


# -- a member's aid ----------------------------------------------------------------------------


def _graph(members, links, root: str) -> SafeString:
    """The single undertaking on the day as a graph: nodes on a circle, arrows from the
    controlling to the controlled, the basis on each; the same as a list for screen readers."""
    size = 320
    n = max(len(members), 1)
    pos = {}
    for i, u in enumerate(members):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = 0 if n == 1 else 110
        pos[u.nip] = (size / 2 + r * math.cos(angle), size / 2 + r * math.sin(angle))
    parts = [
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='6' "
        "markerHeight='6' orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' "
        "fill='#1f5f99'/></marker></defs>"
    ]
    for link in links:
        if link.parent.nip in pos and link.child.nip in pos:
            (x1, y1), (x2, y2) = pos[link.parent.nip], pos[link.child.nip]
            dx, dy = x2 - x1, y2 - y1
            d = math.hypot(dx, dy) or 1
            parts.append(
                f"<line x1='{x1 + dx * 22 / d:.1f}' y1='{y1 + dy * 22 / d:.1f}' "
                f"x2='{x2 - dx * 22 / d:.1f}' y2='{y2 - dy * 22 / d:.1f}' stroke='#1f5f99' "
                f"stroke-width='2' marker-end='url(#arrow)'/>"
                f"<text x='{(x1 + x2) / 2:.1f}' y='{(y1 + y2) / 2 - 4:.1f}' font-size='10' "
                f"text-anchor='middle' fill='#1a1a1a'>{escape(link.basis or '')}</text>"
            )
    for u in members:
        x, y = pos[u.nip]
        fill = "#8a4b00" if u.nip == root else "#1f5f99"
        parts.append(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='20' fill='{fill}'/>"
            f"<text x='{x:.1f}' y='{y + 34:.1f}' font-size='10' text-anchor='middle' "
            f"fill='#1a1a1a'>{escape(u.name[:28])}</text>"
        )
    title = _("Single undertaking")
    items = (
        "".join(
            f"<li>{escape(link.parent.name)} → {escape(link.child.name)} "
            f"({escape(link.get_basis_display() or '')})</li>"
            for link in links
        )
        or f"<li>{escape(_('No control links on this day.'))}</li>"
    )
    return mark_safe(  # noqa: S308 — every text escaped above
        f"<figure class='chart-figure'><svg class='chart' xmlns='http://www.w3.org/2000/svg' "
        f"role='img' aria-label='{escape(title)}' viewBox='0 0 {size} {size + 20}' width='100%'>"
        f"<title>{escape(title)}</title>{''.join(parts)}</svg><ul class='chart-table'>{items}"
        f"</ul></figure>"
    )


def _timeline(verdict) -> SafeString:
    """The window of the regulation with each counted grant as a mark (height ∝ EUR)."""
    width, height, left, right = 320, 90, 8, 8
    start, end = verdict.window.start, verdict.window.end
    days = max((end - start).days, 1)
    top = max([c.eur for c in verdict.counted] + [Decimal(1)])
    parts = [
        f"<rect x='{left}' y='60' width='{width - left - right}' height='6' fill='#d0d0d0'/>"
        f"<text x='{left}' y='82' font-size='10' fill='#1a1a1a'>{start:%d.%m.%Y}</text>"
        f"<text x='{width - right}' y='82' font-size='10' text-anchor='end' "
        f"fill='#1a1a1a'>{end:%d.%m.%Y}</text>"
    ]
    for c in verdict.counted:
        x = left + (width - left - right) * (c.date - start).days / days
        h = 50 * float(c.eur / top)
        parts.append(
            f"<rect x='{x - 3:.1f}' y='{60 - h:.1f}' width='6' height='{h:.1f}' fill='#1f5f99'>"
            f"<title>{c.date:%d.%m.%Y}: {c.eur} EUR</title></rect>"
        )
    title = _("Window %(start)s – %(end)s") % {
        "start": f"{start:%d.%m.%Y}",
        "end": f"{end:%d.%m.%Y}",
    }
    return mark_safe(  # noqa: S308 — numbers and dates only
        f"<figure class='chart-figure'><svg class='chart' xmlns='http://www.w3.org/2000/svg' "
        f"role='img' aria-label='{escape(title)}' viewBox='0 0 {width} {height}' width='100%'>"
        f"<title>{escape(title)}</title>{''.join(parts)}</svg></figure>"
    )


def member_aid(cluster, member, on: dt.date) -> list[dict]:
    """Per undertaking of the member: per regulation applicable on the day, the verdict (used,
    headroom in EUR and PLN, the counted grants, the window) or the refusal's words."""
    out = []
    for u in Undertaking.objects.filter(cluster=cluster, member=member).order_by("name"):
        regs: list[dict[str, Any]] = []
        graph = None
        for regulation in (R2831, R1407):
            if not applies(regulation, on):
                continue
            try:
                v = engine.verdict(cluster.pk, u.nip, on, Decimal("0.00"), regulation)
            except AidRefused as exc:
                regs.append({"regulation": regulation, "refusal": say(exc.message)})
                continue
            if graph is None:
                nips = [m.nip for m in v.single.members]
                links = list(
                    ControlLink.objects.filter(
                        cluster=cluster,
                        parent__nip__in=nips,
                        child__nip__in=nips,
                        start__lte=on,
                    )
                    .filter(Q(end__isnull=True) | Q(end__gte=on))
                    .select_related("parent", "child")
                )
                graph = _graph(v.single.members, links, u.nip)
            regs.append({"regulation": regulation, "verdict": v, "timeline": _timeline(v)})
        out.append({"undertaking": u, "regulations": regs, "graph": graph})
    return out


@login_required
@require_GET
def aid_member_view(request, slug, member_id):
    cluster, grants, member = access_member_aid(request.user, slug, member_id)
    on = _on(request)
    return render(
        request,
        "aid/reg/member.html",
        {
            "cluster": cluster,
            "grants": grants,
            "member": member,
            "on": on,
            "rows": member_aid(cluster, member, on),
        },
    )


@login_required
@require_POST
def aid_member_undertaking_view(request, slug, member_id):
    """The office puts a member into the register from its own data (NIP, name, seat)."""
    cluster, grants = access_aid(request.user, slug, for_write=True)
    member = get_in_cluster(Member, cluster, pk=member_id)
    try:
        register.undertaking_for_member(member=member, user=request.user)
        messages.success(request, _("The member is in the register."))
    except Exception as exc:  # noqa: BLE001 — a ValidationError's words, shown
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("aid_member", slug=slug, member_id=member_id)


# -- one undertaking -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def aid_undertaking_view(request, slug, undertaking_id):
    cluster, grants = access_aid(request.user, slug, for_write=request.method == "POST")
    u = get_in_cluster(Undertaking.objects.select_related("member"), cluster, pk=undertaking_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "link":
            form = LinkForm(request.POST)

            def add_link(d):
                other = engine.find(cluster.pk, d["other"])
                parent, child = (u, other) if d["direction"] == "parent" else (other, u)
                return register.link_add(
                    cluster=cluster,
                    user=request.user,
                    parent=parent,
                    child=child,
                    start=d["start"],
                    end=d["end"],
                    basis=d["basis"],
                )

            try:
                run_form(request, form, add_link, _("The link was recorded."))
            except AidRefused as exc:
                messages.error(request, say(exc.message))
        elif action == "end":
            link = get_in_cluster(ControlLink, cluster, pk=request.POST.get("link") or 0)
            try:
                day = dt.date.fromisoformat(request.POST.get("end", ""))
                register.link_end(link=link, user=request.user, end=day)
                messages.success(request, _("The link's end was recorded."))
            except ValueError:
                messages.error(request, _("Until: give a date."))
            except Exception as exc:  # noqa: BLE001 — a ValidationError's words
                messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        elif action == "grant":
            run_form(
                request,
                GrantForm(request.POST),
                lambda d: register.grant_add(
                    cluster=cluster,
                    user=request.user,
                    undertaking=u,
                    body_name=d["body_name"],
                    body_nip=d["body_nip"],
                    regulation=d["regulation"],
                    granted_on=d["granted_on"],
                    amount_pln=d["amount_pln"],
                    amount_eur=d["amount_eur"],
                    certificate_no=d["certificate_no"],
                ),
                _("The grant was added."),
            )
        elif action == "supersede":
            sform = SupersedeForm(request.POST)

            def supersede(d):
                g = get_in_cluster(Grant, cluster, pk=d["grant"])
                if g.undertaking_id != u.pk:
                    raise PermissionDenied
                return register.grant_supersede(
                    grant=g,
                    user=request.user,
                    reason=d["reason"],
                    void=d["void"],
                    amount_pln=d["amount_pln"],
                    amount_eur=d["amount_eur"],
                )

            run_form(request, sform, supersede, _("The correction was recorded as a new grant."))
        elif action == "merger":
            run_form(
                request,
                MergerForm(request.POST, cluster_id=cluster.pk),
                lambda d: register_events.merger_record(
                    cluster=cluster,
                    user=request.user,
                    into=u,
                    absorbed=d["absorbed"],
                    date=d["date"],
                    note=d["note"],
                ),
                _("The merger was recorded: the absorbed undertakings' grants count for this one."),
            )
        elif action == "split":
            split_form = SplitForm(request.POST, cluster_id=cluster.pk, grants=_splittable(u))

            def record_split(d):
                assignments = split_form.assignments()
                if split_form.errors:
                    raise ValidationError(
                        [
                            f"{split_form.fields[name].label}: {error}"
                            for name, errors in split_form.errors.items()
                            for error in errors
                        ]
                    )
                return register_events.split_record(
                    cluster=cluster,
                    user=request.user,
                    undertaking=u,
                    date=d["date"],
                    successors=d["successors"],
                    assignments=assignments,
                    note=d["note"],
                )

            run_form(request, split_form, record_split, _("The split was recorded."))
        return redirect("aid_undertaking", slug=slug, undertaking_id=u.pk)
    mergers, splits = register_events.events_of(u)
    links = ControlLink.objects.filter(Q(parent=u) | Q(child=u)).select_related("parent", "child")
    rows = (
        Grant.objects.filter(undertaking=u)
        .select_related("supersedes")
        .annotate(newer=Count("superseded_by"))
        .order_by("granted_on", "pk")
    )
    return render(
        request,
        "aid/reg/undertaking.html",
        {
            "cluster": cluster,
            "grants": grants,
            "u": u,
            "links": links.order_by("start"),
            "rows": rows,
            "link_form": LinkForm(),
            "grant_form": GrantForm(),
            "merger_form": MergerForm(cluster_id=cluster.pk),
            "split_form": SplitForm(cluster_id=cluster.pk, grants=_splittable(u)),
            "mergers": mergers,
            "splits": splits,
            "today": timezone.localdate(),
        },
    )


def _splittable(u: Undertaking) -> list[Grant]:
    """The undertaking's grants that a split could hand to one successor: those that count."""
    return list(
        Grant.objects.filter(undertaking=u, superseded_by__isnull=True)
        .exclude(kind=Grant.Kind.VOID)
        .order_by("granted_on", "pk")[:50]
    )


# -- import of certificates (AID-1) -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def aid_import_view(request, slug):
    """Upload → preview (nothing written) → confirm: the same bytes, all or nothing."""
    cluster, grants = access_aid(request.user, slug, for_write=request.method == "POST")
    form = ImportForm(request.POST or None, request.FILES or None)
    parsed = None
    payload = name = ""
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            data = base64.b64decode(request.POST.get("payload", ""), validate=True)
        except ValueError:
            data = b""
        name = request.POST.get("filename", "")
        try:
            batch = register.import_certificates(
                cluster=cluster,
                user=request.user,
                data=data,
                filename=name,
                digest=request.POST.get("digest", ""),
            )
        except Exception as exc:  # noqa: BLE001 — a ValidationError's words
            for text in getattr(exc, "messages", [str(exc)]):
                messages.error(request, text)
            return redirect("aid_import", slug=slug)
        messages.success(request, _("Imported %(n)s grants.") % {"n": batch.rows})
        return HttpResponseRedirect(reverse("aid_home", args=[slug]))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > register.MAX_FILE_BYTES:
            messages.error(request, _("The file is larger than 2 MB."))
            return redirect("aid_import", slug=slug)
        data = upload.read()
        name = upload.name
        parsed = register.parse_certificates(cluster, data, name)
        payload = base64.b64encode(data).decode()
    return render(
        request,
        "aid/reg/import.html",
        {
            "cluster": cluster,
            "grants": grants,
            "form": form if request.method == "GET" or parsed is None else ImportForm(),
            "parsed": parsed,
            "payload": payload,
            "filename": name,
            "columns": register.COLUMNS,
        },
    )
