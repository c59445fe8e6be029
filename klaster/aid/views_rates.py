"""The office's NBP rates page (AID-2): how far the stored EUR table A series goes and where it
came from, the table a day's grant would use (`klaster.rules.aid.check.rate_on` over
`klaster.aid.engine.rates`, exactly as a verdict takes it) or why there is none, and an upload
of NBP's CSV. The series is shared by every cluster; the page is the office's (access_aid)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from klaster.aid import engine, rates
from klaster.aid.access import access_aid
from klaster.aid.models import RateTable
from klaster.core.say import say
from klaster.rules.aid.check import AidRefused, rate_on

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LAST = 10


def _no_larger(upload) -> None:
    if upload.size > rates.MAX_BYTES:
        raise forms.ValidationError(
            _("The file is too large (%(size)s bytes): the limit is %(limit)s bytes.")
            % {"size": upload.size, "limit": rates.MAX_BYTES},
            code="file_too_large",
        )


class LookupForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Rate on the day"), widget=DATE)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("NBP's CSV file"),
        validators=[_no_larger],
        help_text=gettext_lazy(
            "NBP's yearly archive of table A (archiwum_tab_a_RRRR.csv) as NBP publishes it, or "
            "a file with the columns date;number;mid. At most 2 MB."
        ),
    )
    through = forms.DateField(
        label=gettext_lazy("The file covers through"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("Empty: through the file's last table."),
    )
    #: the series' end as the page showed it: a stale form is refused
    seen = forms.CharField(widget=forms.HiddenInput, required=False)


def _seen(through: dt.date | None) -> str:
    return through.isoformat() if through else ""


def _lookup(day: dt.date, through: dt.date | None):
    """The table a grant on ``day`` takes (AID-2), or the refusal's words."""
    first = RateTable.objects.order_by("date").values_list("date", flat=True).first()
    if first is None or through is None:
        return None, _("No NBP rates are stored yet: load the shipped series or NBP's file.")
    try:
        # until the first table at least, so that a day before it is refused naming it
        return rate_on(engine.rates(day, max(day, first)), day), None
    except AidRefused as exc:
        return None, say(exc.message)


def _page(request, cluster, grants, upload: UploadForm, status: int = 200):
    through, source = rates.series_state()
    lookup = LookupForm(request.GET or None)
    used = refusal = None
    if lookup.is_valid():
        used, refusal = _lookup(lookup.cleaned_data["day"], through)
    tables = list(RateTable.objects.order_by("-date")[:LAST])
    return render(
        request,
        "aid/rates/rates.html",
        {
            "cluster": cluster,
            "grants": grants,
            "through": through,
            "source": source,
            "tables": tables,
            "count": RateTable.objects.count(),
            "lookup": lookup,
            "used": used,
            "refusal": refusal,
            "upload": upload,
        },
        status=status,
    )


@login_required
def aid_rates_view(request, slug):
    """The stored series, the rate of a day, the upload form (AID-2)."""
    cluster, grants = access_aid(request.user, slug)
    through, _source = rates.series_state()
    upload = UploadForm(initial={"seen": _seen(through)})
    return _page(request, cluster, grants, upload)


@login_required
@require_POST
def aid_rates_upload_view(request, slug):
    """NBP's CSV into the series: all or nothing, a changed stored table refused (AID-2)."""
    cluster, grants = access_aid(request.user, slug, for_write=True)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        through, _source = rates.series_state()
        if form.cleaned_data["seen"] != _seen(through):
            messages.error(
                request,
                _(
                    "The series changed since this page was opened: it is now complete through "
                    "%(date)s. Nothing was stored; check the page and upload again."
                )
                % {"date": through.isoformat() if through else "—"},
            )
            form = UploadForm(initial={"seen": _seen(through)})
        else:
            upload = form.cleaned_data["file"]
            try:
                done = rates.load_file(
                    upload.read(),
                    name=upload.name,
                    through=form.cleaned_data["through"],
                    user=request.user,
                    cluster=cluster,
                )
            except rates.RatesError as exc:
                for problem in exc.problems:
                    form.add_error("file", problem)
            else:
                messages.success(
                    request,
                    _(
                        "Tables added: %(added)s (already stored: %(same)s). Complete through %(date)s."
                    )
                    % {
                        "added": done.added,
                        "same": done.unchanged,
                        "date": done.complete_through.isoformat() if done.complete_through else "—",
                    },
                )
                if done.gap:
                    messages.warning(
                        request,
                        _(
                            "The series was not moved forward: the business days %(first)s – "
                            "%(last)s between the stored series and the file have no table. "
                            "Upload those days first."
                        )
                        % {"first": done.gap[0].isoformat(), "last": done.gap[1].isoformat()},
                    )
                return redirect("aid_rates", slug=slug)
    return _page(request, cluster, grants, form, status=200)
