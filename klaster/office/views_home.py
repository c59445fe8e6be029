"""The cluster's home (issue 9, point 1): what to do now, per role, on top of what the
register shows (`members.cluster_views.home_context`). Lives in office because it gathers
from governance (and later kkk). Reads only: parse → access → selectors → render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.core import charts
from klaster.core.access import access_cluster
from klaster.members.cluster_views import home_context
from klaster.office.selectors import office_agenda, recent_changes, recent_documents


@login_required
def cluster_home(request: HttpRequest, slug: str) -> HttpResponse:
    cluster, grants = access_cluster(request.user, slug)
    today = timezone.localdate()
    context = home_context(cluster, grants)
    context["today"] = today
    context["agenda"] = office_agenda(cluster, grants, request.user, today)
    context["recent"] = recent_changes(cluster, grants)
    context["documents"] = recent_documents(cluster, grants, request.user, today)
    context["agenda_shown"] = bool(grants.office or grants.organ_member or grants.representative)
    if grants.office and context["counts"]:
        context["type_chart"] = charts.bars(
            _("Members by type"),
            [charts.Point(label, n) for label, n in context["counts"].items()],
            value_head=_("Members"),
        )
    return render(request, "office/home.html", context)
