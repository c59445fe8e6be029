"""The money app's staff pages: the Board's remuneration (FIN-9), the staff time register with the
Board's hourly rates (FIN-10), and members' statement requests with the statements in the
member's portal (FIN-12).

The office writes everything. Organ members read the Board's remuneration and the staff register
(the Board sets the rates and is paid from these sums); a member's statement requests and
statements are the office's and that member's own representatives' only.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from klaster.core.access import Grants, access_cluster, get_in_cluster
from klaster.core.exports import workbook_bytes
from klaster.core.feedback import attempt, run_form
from klaster.core.models import Cluster
from klaster.members.models import Member
from klaster.money import access
from klaster.money import staff_selectors as selectors
from klaster.money import staff_services as services
from klaster.money.models import BoardRate, StaffTime, StatementRequest
from klaster.money.services import MoneyError
from klaster.rules.money.staff import fte_display

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
DATE = forms.DateInput(attrs={"type": "date"})
FIRST_YEAR, LAST_YEAR = 2000, 2100


# --- forms ---------------------------------------------------------------------------------------


class StaffTimeForm(forms.Form):
    person = forms.CharField(label=gettext_lazy("Person"), max_length=200)
    role = forms.CharField(
        label=gettext_lazy("Role"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("As named in the Board's hourly rates, e.g. “coordinator”."),
    )
    month = forms.DateField(
        label=gettext_lazy("Month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    hours = forms.DecimalField(
        label=gettext_lazy("Hours"), max_digits=6, decimal_places=2, localize=True
    )
    gzw_hours = forms.DecimalField(
        label=gettext_lazy("Of which in working groups (h)"),
        max_digits=6,
        decimal_places=2,
        required=False,
        localize=True,
    )


class RateForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    role = forms.CharField(label=gettext_lazy("Role"), max_length=120)
    rate = forms.DecimalField(
        label=gettext_lazy("Hourly rate (PLN)"), max_digits=12, decimal_places=2, localize=True
    )
    resolution = forms.CharField(
        label=gettext_lazy("Board resolution"), max_length=200, required=False
    )


class RequestForm(forms.Form):
    member = forms.ModelChoiceField(label=gettext_lazy("Member"), queryset=Member.objects.none())
    requested_on = forms.DateField(label=gettext_lazy("Requested in writing on"), widget=DATE)
    period_start = forms.DateField(
        label=gettext_lazy("Statements from"),
        widget=DATE,
        required=False,
        help_text=gettext_lazy("Empty: the last quarter closed before the request."),
    )
    period_end = forms.DateField(label=gettext_lazy("Statements to"), widget=DATE, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(cluster=cluster).order_by("name")  # type: ignore[attr-defined]


class ProvideForm(forms.Form):
    provided_on = forms.DateField(label=gettext_lazy("Provided on"), widget=DATE)


def _labels(form: forms.Form) -> dict[str, str]:
    return {name: str(f.label) for name, f in form.fields.items()}


# --- access --------------------------------------------------------------------------------------


def access_staff(user, slug: str, *, for_write: bool = False) -> tuple[Cluster, Grants]:
    """The Board's pay and the staff register: the office writes, organ members read (403 for
    everybody else in the cluster, 404 outside it)."""
    cluster, grants = access_cluster(user, slug, for_write=for_write)
    if not (grants.office or (grants.organ_member and not for_write)):
        raise PermissionDenied
    return cluster, grants


def access_request(user, slug: str, request_id: int) -> tuple[Cluster, Grants, StatementRequest]:
    """A statement request: the office, or the requesting member's own representatives once the
    statements are provided; another member's request is refused (403)."""
    cluster, grants = access_cluster(user, slug)
    if not (grants.office or grants.member_ids):
        raise PermissionDenied
    req = get_in_cluster(StatementRequest.objects.select_related("member"), cluster, pk=request_id)
    if not grants.office and (req.member_id not in grants.member_ids or req.provided_on is None):
        raise PermissionDenied
    return cluster, grants, req


def _year(request) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return int(raw)
    return timezone.localdate().year


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _bold_last(ws) -> None:
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)


# --- FIN-9 ---------------------------------------------------------------------------------------


@login_required
@require_GET
def money_board_pay_view(request, slug):
    from klaster.money.views_rates import BoardRateForm

    cluster, grants = access_staff(request.user, slug)
    year = _year(request)
    return render(
        request,
        "money/board_pay.html",
        {
            "cluster": cluster,
            "grants": grants,
            "year": year,
            "board": selectors.board_pay_year(cluster, year),
            "quarters": (1, 2, 3, 4),
            "rates": list(BoardRate.objects.filter(cluster=cluster).order_by("valid_from")),
            "rate_form": BoardRateForm(prefix="rate"),
        },
    )


@login_required
@require_GET
def money_board_pay_xlsx_view(request, slug):
    cluster, grants = access_staff(request.user, slug)
    year = _year(request)
    data = selectors.board_pay_year(cluster, year)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = str(year)
    ws.append([_("Board remuneration %(year)s") % {"year": year}])
    _bold_last(ws)
    ws.append([str(cluster)])
    ws.append([_("Per meeting attended in person or online (gross)"), data.rate])
    ws.append([])
    head = [_("Board member")]
    for q in (1, 2, 3, 4):
        head += [_("Q%(q)s meetings") % {"q": q}, _("Q%(q)s amount") % {"q": q}]
    head += [_("Total")]
    ws.append(head)
    _bold_last(ws)
    for row in data.rows:
        cells: list = [row.name]
        for pay in row.quarters:
            cells += [pay.meetings_paid if pay else 0, pay.total if pay else 0]
        cells.append(row.total)
        ws.append(cells)
    cells = [_("Total")]
    for total in data.quarter_totals:
        cells += ["", total]
    cells.append(data.total)
    ws.append(cells)
    _bold_last(ws)
    for r in ws.iter_rows(min_row=6):
        for cell in (*r[2:9:2], *r[9:10]):  # each quarter's amount and the total
            cell.number_format = MONEY_FORMAT
    ws.column_dimensions["A"].width = 40
    return _xlsx(workbook_bytes(wb), f"wynagrodzenia-zarzadu-{cluster.slug}-{year}.xlsx")


# --- FIN-10 --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def money_staff_view(request, slug):
    """The register of a year: per person the hours and FTE of each month, the yearly average and
    the cost at the Board's rate; the office adds or corrects a month's hours here."""
    cluster, grants = access_staff(request.user, slug, for_write=request.method == "POST")
    if request.method == "POST":
        form = StaffTimeForm(request.POST)
        ok, row = attempt(
            request,
            form,
            lambda d: services.save_staff_time(
                cluster=cluster,
                user=request.user,
                person=d["person"],
                role=d["role"],
                month=d["month"],
                hours=d["hours"],
                gzw_hours=d["gzw_hours"] or Decimal(0),
                labels=_labels(form),
            ),
            lambda row: (
                _("The hours of %(person)s in %(month)s were saved.")
                % {"person": row.person, "month": row.month.strftime("%m.%Y")}
            ),
            refusals=(MoneyError,),
        )
        if not ok:
            return redirect("money_staff", slug=slug)
        return redirect(f"{request.path}?year={row.month.year}")
    year = _year(request)
    add_form: StaffTimeForm | None = None
    rate_form: RateForm | None = None
    if grants.office:
        initial: dict = {"month": timezone.localdate().replace(day=1)}
        edit = request.GET.get("edit", "")
        if edit.isdigit():
            found = StaffTime.objects.filter(cluster=cluster, pk=int(edit)).first()
            if found is not None:
                initial = {
                    "person": found.person,
                    "role": found.role,
                    "month": found.month,
                    "hours": found.hours,
                    "gzw_hours": found.gzw_hours,
                }
        add_form = StaffTimeForm(initial=initial)
        rate_form = RateForm(initial={"year": year})
    return render(
        request,
        "money/staff.html",
        {
            "cluster": cluster,
            "grants": grants,
            "year": year,
            "register": selectors.staff_year(cluster, year),
            "rates": selectors.rates(cluster),
            "form": add_form,
            "rate_form": rate_form,
        },
    )


@login_required
@require_POST
def money_rate_view(request, slug):
    cluster, grants = access_staff(request.user, slug, for_write=True)
    form = RateForm(request.POST)
    ok, _rate = attempt(
        request,
        form,
        lambda d: services.set_rate(
            cluster=cluster,
            user=request.user,
            year=d["year"],
            role=d["role"],
            rate=d["rate"],
            resolution=d["resolution"],
            labels=_labels(form),
        ),
        _("The hourly rate was saved."),
        refusals=(MoneyError,),
    )
    if not ok:
        return redirect("money_staff", slug=slug)
    return redirect(f"{reverse('money_staff', args=[slug])}?year={form.cleaned_data['year']}")


@login_required
@require_GET
def money_staff_xlsx_view(request, slug):
    cluster, grants = access_staff(request.user, slug)
    year = _year(request)
    data = selectors.staff_year(cluster, year)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = str(year)
    ws.append([_("Staff time register %(year)s") % {"year": year}])
    _bold_last(ws)
    ws.append([str(cluster)])
    ws.append([])
    months = [f"{m:02d}.{year}" for m in range(1, 13)]
    ws.append([_("Full-time hours"), ""] + data.full_hours)
    ws.append([_("Person"), _("Role"), *months, _("Hours"), _("Average FTE"), _("Rate"), _("Cost")])
    _bold_last(ws)
    for row in data.rows:
        ws.append(
            [row.person, row.role, *[m.hours for m in row.months], row.hours, row.average_fte]
            + ([row.rate, row.year.cost] if row.year else ["", ""])
        )
        ws.append(["", _("FTE"), *[float(fte_display(m.fte)) for m in row.months]])
    ws.append([_("Total"), "", *[""] * 12, data.hours, "", "", data.cost])
    _bold_last(ws)
    ws.column_dimensions["A"].width = 32
    return _xlsx(workbook_bytes(wb), f"ewidencja-czasu-{cluster.slug}-{year}.xlsx")


# --- FIN-12 --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def money_requests_view(request, slug):
    """The members' written requests for statements, each with its deadline and state; the office
    records a new one here."""
    cluster, grants = access.access_books(request.user, slug, for_write=request.method == "POST")
    if request.method == "POST":
        form = RequestForm(request.POST, cluster=cluster)
        run_form(
            request,
            form,
            lambda d: services.record_request(
                cluster=cluster,
                user=request.user,
                member=d["member"],
                requested_on=d["requested_on"],
                period_start=d["period_start"],
                period_end=d["period_end"],
                note=d["note"],
                labels=_labels(form),
            ),
            _("The request was recorded."),
            refusals=(MoneyError,),
        )
        return redirect("money_requests", slug=slug)
    today = timezone.localdate()
    return render(
        request,
        "money/requests.html",
        {
            "cluster": cluster,
            "grants": grants,
            "rows": selectors.request_rows(cluster, today),
            "form": RequestForm(cluster=cluster, initial={"requested_on": today}),
            "provide_form": ProvideForm(initial={"provided_on": today}),
        },
    )


@login_required
@require_POST
def money_request_provide_view(request, slug, request_id):
    cluster, grants = access.access_books(request.user, slug, for_write=True)
    req = get_in_cluster(StatementRequest, cluster, pk=request_id)
    form = ProvideForm(request.POST)
    run_form(
        request,
        form,
        lambda d: services.provide_request(
            request=req, user=request.user, provided_on=d["provided_on"], labels=_labels(form)
        ),
        _("The statements were marked as provided."),
        refusals=(MoneyError,),
    )
    return redirect("money_requests", slug=slug)


@login_required
@require_GET
def money_my_statements_view(request, slug, member_id):
    """A member's requests and, for those provided, the statements (the office and the member's
    own representatives)."""
    cluster, grants, member = access.access_account(request.user, slug, member_id)
    return render(
        request,
        "money/request_my.html",
        {
            "cluster": cluster,
            "grants": grants,
            "member": member,
            "rows": selectors.request_rows(cluster, timezone.localdate(), member=member),
        },
    )


def statement_html(req: StatementRequest) -> str:
    lines = selectors.statement_lines(req)
    with translation.override("pl"):
        return render_to_string(
            "money/request_statement_pdf.html",
            {
                "req": req,
                "cluster": req.cluster,
                "member": req.member,
                "lines": lines,
                "total": sum((line.amount for line in lines), selectors.ZERO),
                "generated_at": timezone.localtime(),
            },
        )


@login_required
@require_GET
def money_statement_pdf_view(request, slug, request_id):
    cluster, grants, req = access_request(request.user, slug, request_id)
    from weasyprint import HTML

    data = HTML(string=statement_html(req)).write_pdf()
    response = HttpResponse(data, content_type="application/pdf")
    name = f"wyciag-{req.member.key}-{req.period_start:%Y%m%d}-{req.period_end:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
