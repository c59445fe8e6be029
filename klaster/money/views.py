"""The money pages (issue 10): the office's books and a member's own account in the portal.

Every page checks its reader with klaster.money.access; writes go through klaster.money.services
(one transaction each, audited) and a refusal changes nothing and says why in the reader's
language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klaster.core.access import access_cluster, get_in_cluster
from klaster.core.feedback import form_messages, messages_from
from klaster.core.say import say
from klaster.members.models import Member
from klaster.money import access, forms, selectors, services
from klaster.money.models import (
    ArrearsStep,
    BankEntry,
    Document,
    FeeType,
    Payment,
    Statement,
    TariffVersion,
    VatTreatment,
)
from klaster.rules import money as rules

ZERO = Decimal("0.00")
PAGE = 50


def _today() -> dt.date:
    return timezone.localdate()


def _refused(request, exc: Exception) -> None:
    message = getattr(exc, "message", None)
    messages.error(request, say(message) if message is not None else str(exc))


def _totals(book: rules.Ledger, today: dt.date) -> dict[str, Decimal]:
    issued = sum((d.gross for d in book.documents.values()), ZERO)
    open_ = sum((v for v in book.open.values() if v > 0), ZERO)
    overdue = sum(
        (v for n, v in book.open.items() if v > 0 and book.documents[n].due < today), ZERO
    )
    return {
        "issued": issued,
        "open": open_,
        "overdue": overdue,
        "paid": sum(book.paid.values(), ZERO),
        "credit": sum(book.credit.values(), ZERO),
    }


@login_required
def money_home_view(request, slug):
    """The books: totals, the documents (newest first, a page at a time), the dues run."""
    cluster, grants = access.access_books(request.user, slug)
    today = _today()
    settings = selectors.settings_of(cluster)
    book = selectors.cluster_ledger(cluster)
    documents = Document.objects.filter(cluster=cluster).select_related("member")
    member_id = request.GET.get("member", "")
    if member_id.isdigit():
        documents = documents.filter(member_id=int(member_id))
    page = Paginator(documents.order_by("-issued", "-series", "-seq"), PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(d, book.open.get(d.number, ZERO)) for d in page.object_list]
    return render(
        request,
        "money/home.html",
        {
            "cluster": cluster,
            "grants": grants,
            "settings": settings,
            "totals": _totals(book, today),
            "rows": rows,
            "page": page,
            "queued": BankEntry.objects.filter(cluster=cluster, state="queued").count(),
            "run_form": forms.DuesRunForm(initial={"through": today}),
            "reading": say(_reading()),
            "today": today,
        },
    )


def _reading() -> Any:
    from klaster.rules.message import Msg

    return Msg.of(rules.DUES_READING)


@login_required
@require_POST
def money_dues_run_view(request, slug):
    cluster, grants = access.access_books(request.user, slug, for_write=True)
    form = forms.DuesRunForm(request.POST)
    if not form.is_valid():
        form_messages(request, form)
        return redirect("money_home", slug=slug)
    try:
        run = services.dues_run(
            cluster=cluster, through=form.cleaned_data["through"], user=request.user
        )
    except services.MoneyError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Documents issued: %(n)s.") % {"n": run.count})
    return redirect("money_home", slug=slug)


@login_required
def money_document_view(request, slug, document_id):
    cluster, grants, document = access.access_document(request.user, slug, document_id)
    book = selectors.cluster_ledger(cluster, member_ids=[document.member_id])
    allocations = [a for a in book.allocations if a.document == document.number]
    return render(
        request,
        "money/document.html",
        {
            "cluster": cluster,
            "grants": grants,
            "document": document,
            "open": book.open.get(document.number, ZERO),
            "paid": book.paid.get(document.number, ZERO),
            "allocations": allocations,
            "explanation": say(document.explanation) if document.explanation else "",
            "corrections": list(document.corrections.all()),
        },
    )


@login_required
def money_document_pdf_view(request, slug, document_id):
    cluster, grants, document = access.access_document(request.user, slug, document_id)
    from klaster.money import pdf

    try:
        data = pdf.document_pdf(document)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("money_document", slug=slug, document_id=document.pk)
    response = HttpResponse(data, content_type="application/pdf")
    name = document.number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
def money_account_view(request, slug, member_id):
    """One member's account: its documents with what is open, its payments, its balance (the
    office, and the member's own representatives in the portal)."""
    from klaster.money.suspension import suspensions_of

    cluster, grants, member = access.access_account(request.user, slug, member_id)
    book = selectors.cluster_ledger(cluster, member_ids=[member.pk])
    key = str(member.pk)
    documents = list(
        Document.objects.filter(cluster=cluster, member=member).order_by("-issued", "-seq")
    )
    payments = list(
        Payment.objects.filter(cluster=cluster, member=member)
        .select_related("entry__statement")
        .order_by("-day", "-id")
    )
    today = _today()
    rule = selectors.arrears_rule(cluster, today)
    vote = None
    if rule is not None:
        vote = rules.member_votes(
            [
                rules.OpenDocument(d.number, d.due, book.open[d.number])
                for d in book.open_documents(key)
            ],
            today,
            rule,
        )
    fee_form = fee_terms = returning = None
    if grants.office and not selectors.entry_fee_documents(cluster, member.pk):
        fee_terms = selectors.entry_fee_terms(cluster, member, today)
        payable = fee_terms.payable if fee_terms else None
        returning = (
            selectors.return_terms(cluster, member, today, fee_terms.fee) if fee_terms else None
        )
        if returning is not None:  # FIN-8: a member coming back after resigning
            payable = returning.amount
        fee_form = forms.EntryFeeForm(initial={"amount": payable, "issued": today})
    return render(
        request,
        "money/account.html",
        {
            "cluster": cluster,
            "grants": grants,
            "member": member,
            "rows": [
                (d, book.open.get(d.number, ZERO), book.paid.get(d.number, ZERO)) for d in documents
            ],
            "payments": payments,
            "owed": sum((book.open[d.number] for d in book.open_documents(key)), ZERO),
            "credit": book.credit.get(key, ZERO),
            "balance": book.balance(key),
            "vote": say(vote.message) if vote is not None else "",
            "votes": vote.votes if vote is not None else True,
            "reading": say(_reading()),
            "today": today,
            "fee_form": fee_form,
            "suspension_form": forms.SuspensionForm(prefix="s") if grants.office else None,
            "suspensions": suspensions_of(member),
            "fee_terms": say(fee_terms.message) if fee_terms else "",
            "return_terms": say(returning.message) if returning else "",
        },
    )


@login_required
@require_POST
def money_entry_fee_view(request, slug, member_id):
    """The office issues a candidate's entry fee as a document (FIN-6)."""
    cluster, grants = access.access_books(request.user, slug, for_write=True)
    _c, _g, member = access.access_account(request.user, slug, member_id)
    form = forms.EntryFeeForm(request.POST)
    if form.is_valid():
        fee, waived = form.cleaned_data["amount"], form.cleaned_data["waived"] or Decimal("0")
        resolution = form.cleaned_data["resolution"].strip()
        try:
            if waived and waived == fee:
                services.entry_fee_waived(
                    cluster=cluster,
                    member=member,
                    fee=fee,
                    resolution=resolution,
                    user=request.user,
                )
                messages.success(
                    request,
                    _("The entry fee was waived in whole (%(resolution)s): nothing to pay.")
                    % {"resolution": resolution},
                )
            else:
                document = services.entry_fee_issue(
                    cluster=cluster,
                    member=member,
                    amount=fee - waived,
                    issued=form.cleaned_data["issued"],
                    user=request.user,
                    waived=waived,
                    resolution=resolution,
                )
                messages.success(
                    request, _("Entry fee issued: %(number)s.") % {"number": document.number}
                )
        except services.MoneyError as exc:
            _refused(request, exc)
    else:
        form_messages(request, form)
    return redirect("money_account", slug=slug, member_id=member.pk)


@login_required
@require_POST
def money_suspension_view(request, slug, member_id):
    """The office records a member's suspension (FIN-7): checked against the statute, written as
    its two dated events, or refused with the reason and nothing written."""
    from klaster.money.suspension import suspension_record

    cluster, grants = access.access_books(request.user, slug, for_write=True)
    _c, _g, member = access.access_account(request.user, slug, member_id)
    form = forms.SuspensionForm(request.POST, prefix="s")
    if form.is_valid():
        try:
            decision = suspension_record(
                member=member,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                reasons=form.cleaned_data["reasons"],
                commitments=form.commitment_list(),
                user=request.user,
            )
        except services.MoneyError as exc:
            _refused(request, exc)
        except ValidationError as exc:
            messages_from(request, exc)
        else:
            messages.success(request, say(decision.message))
    else:
        form_messages(request, form)
    return redirect("money_account", slug=slug, member_id=member.pk)


@login_required
def money_my_view(request, slug):
    """The portal's entry: a representative's own member's account (one member: straight there)."""
    cluster, grants = access_cluster(request.user, slug)
    if grants.office:
        return redirect("money_home", slug=slug)
    ids = sorted(grants.member_ids)
    if not ids:
        raise PermissionDenied
    if len(ids) == 1:
        return redirect("money_account", slug=slug, member_id=ids[0])
    members = Member.objects.filter(cluster=cluster, pk__in=ids).order_by("name")
    return render(
        request, "money/my.html", {"cluster": cluster, "grants": grants, "members": members}
    )


@login_required
@require_http_methods(["GET", "POST"])
def money_statements_view(request, slug):
    """Bank statements: the list, and a new one imported and matched (FIN-3)."""
    cluster, grants = access.access_books(request.user, slug, for_write=request.method == "POST")
    form = forms.StatementForm()
    if request.method == "POST":
        form = forms.StatementForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            try:
                done = services.import_statement(cluster=cluster, data=data, user=request.user)
            except (services.StatementError, services.MoneyError) as exc:
                form.add_error("file", say(exc.message))
            else:
                r = done.result
                messages.success(
                    request,
                    _(
                        "Statement imported: %(matched)s matched, %(queued)s waiting for you, "
                        "%(ignored)s not members' payments, %(dup)s already imported before."
                    )
                    % {
                        "matched": len(r.matched),
                        "queued": len(r.queued),
                        "ignored": len(r.ignored),
                        "dup": r.duplicates,
                    },
                )
                if r.queued:
                    return redirect("money_queue", slug=slug)
                return redirect("money_statements", slug=slug)
    statements = Statement.objects.filter(cluster=cluster).order_by("-imported_at")[:100]
    return render(
        request,
        "money/statements.html",
        {"cluster": cluster, "grants": grants, "form": form, "statements": statements},
    )


#: candidates shown per queued payment (FIN-3)
QUEUE_SHOWN = 10


@login_required
def money_queue_view(request, slug):
    """Payments the product was not sure of, each with its candidates ranked (FIN-3)."""
    cluster, grants = access.access_books(request.user, slug)
    entries = list(
        BankEntry.objects.filter(cluster=cluster, state="queued")
        .select_related("statement")
        .order_by("booked", "id")
    )
    # an amount that only fits (a common monthly fee) may fit thousands: the first few, ranked,
    # are shown and the rest counted; the form still offers every member
    ids = {c["member"] for e in entries for c in e.candidates[:QUEUE_SHOWN]}
    names = dict(Member.objects.filter(cluster=cluster, pk__in=ids).values_list("pk", "name"))
    choices = forms.member_choices(cluster)
    rows = []
    for e in entries:
        candidates = [
            {"name": names.get(c["member"], "?"), "documents": c.get("documents", [])}
            for c in e.candidates[:QUEUE_SHOWN]
        ]
        first = e.candidates[0]["member"] if e.candidates else None
        form = forms.ResolveForm(choices=choices, initial={"member": first}, prefix=f"e{e.pk}")
        rows.append((e, candidates, len(e.candidates) - len(candidates), form))
    return render(request, "money/queue.html", {"cluster": cluster, "grants": grants, "rows": rows})


@login_required
@require_POST
def money_entry_resolve_view(request, slug, entry_id):
    cluster, grants, entry = access.access_entry(request.user, slug, entry_id)
    form = forms.ResolveForm(
        request.POST, choices=forms.member_choices(cluster), prefix=f"e{entry.pk}"
    )
    if not form.is_valid():
        messages.error(request, _("Choose the member who paid."))
        return redirect("money_queue", slug=slug)
    member = Member.objects.get(cluster=cluster, pk=form.cleaned_data["member"])
    try:
        services.entry_resolve(entry=entry, member=member, user=request.user)
    except services.MoneyError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _("The payment of %(amount)s was assigned to %(member)s.")
            % {"amount": entry.amount, "member": member.name},
        )
    return redirect("money_queue", slug=slug)


def _as_of(request) -> dt.date:
    text = request.GET.get("as_of", "")
    try:
        return dt.date.fromisoformat(text) if text else _today()
    except ValueError:
        messages.error(request, _("The date must be written as YYYY-MM-DD."))
        return _today()


@login_required
def money_arrears_view(request, slug):
    """Arrears on a day (FIN-4): each member's open documents, stage, interest and vote, the
    steps taken, and the next step to take."""
    cluster, grants = access.access_books(request.user, slug)
    as_of = _as_of(request)
    rows = selectors.arrears(cluster, as_of)
    steps: dict[int, list[ArrearsStep]] = {}
    for step in ArrearsStep.objects.filter(cluster=cluster).order_by("day", "id"):
        steps.setdefault(step.member_id, []).append(step)
    table = []
    for r in rows:
        interest = sum((d.interest.amount for d in r.documents), ZERO)
        open_ = sum((d.open for d in r.documents), ZERO)
        compensation = selectors.compensation_lines(r.documents)
        form = forms.ArrearsStepForm(
            initial={
                "member": r.member.pk,
                "kind": "letter" if r.level >= 2 else "notice",
                "day": as_of,
            },
            prefix=f"m{r.member.pk}",
        )
        table.append(
            {
                "row": r,
                "open": open_,
                "interest": interest,
                "compensation": compensation,
                "steps": steps.get(r.member.pk, []),
                "vote": say(r.vote.message) if r.vote is not None else "",
                "form": form if r.level >= 1 else None,
            }
        )
    return render(
        request,
        "money/arrears.html",
        {"cluster": cluster, "grants": grants, "as_of": as_of, "table": table},
    )


@login_required
@require_POST
def money_arrears_step_view(request, slug, member_id):
    cluster, grants = access.access_books(request.user, slug, for_write=True)
    _c, _g, member = access.access_account(request.user, slug, member_id)
    form = forms.ArrearsStepForm(request.POST, prefix=f"m{member.pk}")
    back = reverse("money_arrears", kwargs={"slug": slug})
    if not form.is_valid() or form.cleaned_data["member"] != member.pk:
        messages.error(request, _("The step was not recorded: give its kind and date."))
        return redirect(back)
    day = form.cleaned_data["day"]
    rows = [r for r in selectors.arrears(cluster, day) if r.member.pk == member.pk]
    if not rows or rows[0].level == 0:
        messages.error(request, _("On that day the member has no document past the first limit."))
        return redirect(back)
    r = rows[0]
    late = [d for d in r.documents if d.stage.level >= 1]
    step = services.arrears_step(
        cluster=cluster,
        member=member,
        kind=form.cleaned_data["kind"],
        stage=max(late, key=lambda d: d.stage.level).stage.stage,
        day=day,
        documents=[d.document.number for d in late],
        regime=late[0].interest.basis,
        interest=sum((d.interest.amount for d in late), ZERO),
        compensation=sum((d.compensation.pln for d in late if d.compensation), ZERO),
        user=request.user,
    )
    step = services.arrears_email(step=step, user=request.user)
    if step.send_error:
        messages.warning(
            request,
            _("The step was recorded, but no e-mail was queued: %(error)s")
            % {"error": step.send_error},
        )
    else:
        messages.success(
            request,
            _("The step was recorded; the letter goes by e-mail to %(to)s (see Sent mail).")
            % {"to": ", ".join(step.emailed_to)},
        )
    return redirect(f"{back}?as_of={day.isoformat()}")


@login_required
def money_arrears_letter_view(request, slug, member_id):
    """The notice or registered letter (PDF) listing the member's open documents (FIN-4)."""
    cluster, grants = access.access_books(request.user, slug)
    _c, _g, member = access.access_account(request.user, slug, member_id)
    as_of = _as_of(request)
    rows = [r for r in selectors.arrears(cluster, as_of) if r.member.pk == member.pk]
    if not rows:
        messages.error(request, _("The member owes nothing on that day."))
        return redirect("money_arrears", slug=slug)
    from klaster.money import pdf

    r = rows[0]
    stage = max((d.stage for d in r.documents), key=lambda s: s.level, default=None)
    data = pdf.arrears_letter_pdf(cluster, r, as_of, stage.stage if stage else "none")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="zaleglosci-{member.key}.pdf"'
    return response


@login_required
def money_export_view(request, slug, what):
    """The ledger or the aging report as XLSX (issue 10 point 8): the office."""
    cluster, grants = access.access_books(request.user, slug)
    if what not in ("ledger", "aging"):
        raise Http404
    from klaster.money import exports

    as_of = _as_of(request)
    if what == "ledger":
        data, name = exports.ledger_xlsx(cluster), f"ksiega-{cluster.slug}-{as_of}.xlsx"
    else:
        data, name = exports.aging_xlsx(cluster, as_of), f"wiekowanie-{cluster.slug}-{as_of}.xlsx"
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _fee_forms(cluster) -> list[tuple[Any, Any]]:
    """Each fee type with its form, filled with the treatment in force today."""
    today = _today()
    settings_by_fee: dict[int, Any] = {}
    for v in VatTreatment.objects.filter(fee_type__cluster=cluster, valid_from__lte=today).order_by(
        "valid_from"
    ):
        settings_by_fee[v.fee_type_id] = v
    out = []
    for fee in FeeType.objects.filter(cluster=cluster).order_by("key"):
        current = settings_by_fee.get(fee.pk)
        out.append(
            (
                fee,
                forms.FeeTypeForm(
                    prefix=f"f{fee.pk}",
                    initial={
                        "treatment": current.treatment if current else "taxable",
                        "valid_from": today,
                        "basis": current.basis if current else "",
                        "interest_regime": fee.interest_regime,
                        "recovery_compensation": fee.recovery_compensation,
                    },
                ),
            )
        )
    return out


@login_required
@require_http_methods(["GET", "POST"])
def money_settings_view(request, slug):
    """The office's money settings (FIN-1 … FIN-3) and the dated tariff."""
    from klaster.core.concurrency import StaleEdit, add_version_field, posted_version, show_stale

    cluster, grants = access.access_books(request.user, slug, for_write=request.method == "POST")
    settings = selectors.settings_of(cluster)
    accounts = selectors.cluster_accounts(cluster)

    def versioned(form):
        if settings is None:
            return form
        return add_version_field(form, settings, forms.SETTINGS_FIELDS)

    form = versioned(
        forms.MoneySettingsForm(initial=forms.MoneySettingsForm.initial_of(settings, accounts))
    )
    tariff_form = forms.TariffForm(prefix="t")
    fee_forms = _fee_forms(cluster)
    if request.method == "POST" and request.POST.get("action") == "fee":
        fee_row = get_in_cluster(FeeType, cluster, pk=request.POST.get("fee", ""))
        posted = forms.FeeTypeForm(request.POST, prefix=f"f{fee_row.pk}")
        fee_forms = [(f, posted if f.pk == fee_row.pk else form_) for f, form_ in fee_forms]
        if posted.is_valid():
            try:
                services.fee_type_save(fee_type=fee_row, user=request.user, **posted.cleaned_data)
            except services.MoneyError as exc:
                posted.add_error(
                    exc.field if exc.field in posted.fields else None, say(exc.message)
                )
            else:
                messages.success(request, _("The fee type was saved."))
                return redirect("money_settings", slug=slug)
    elif request.method == "POST" and request.POST.get("action") == "tariff":
        tariff_form = forms.TariffForm(request.POST, prefix="t")
        if tariff_form.is_valid():
            try:
                services.tariff_save(
                    cluster=cluster,
                    user=request.user,
                    valid_from=tariff_form.cleaned_data["valid_from"],
                    monthly=tariff_form.monthly(),
                )
            except services.MoneyError as exc:
                tariff_form.add_error("valid_from", say(exc.message))
            else:
                messages.success(request, _("The tariff was saved."))
                return redirect("money_settings", slug=slug)
    elif request.method == "POST":
        form = versioned(forms.MoneySettingsForm(request.POST))
        if form.is_valid():
            changes = {
                "billing_start": form.cleaned_data["billing_start"],
                "payment_term_days": form.cleaned_data["payment_term_days"],
                "sub_account_iban": form.cleaned_data["sub_account_iban"],
                "csv_mapping": form.csv_mapping(),
            }
            try:
                services.money_settings_save(
                    cluster=cluster,
                    user=request.user,
                    changes=changes,
                    accounts=form.cleaned_data["accounts"],
                    expected_version=posted_version(form) if settings is not None else None,
                )
            except StaleEdit as exc:
                show_stale(form, exc)
            else:
                messages.success(request, _("The money settings were saved."))
                return redirect("money_settings", slug=slug)
    tariffs = list(TariffVersion.objects.filter(cluster=cluster).order_by("-valid_from"))
    labels = dict(forms.TARIFF_CATEGORIES)
    return render(
        request,
        "money/settings.html",
        {
            "cluster": cluster,
            "grants": grants,
            "form": form,
            "tariff_form": tariff_form,
            "fee_forms": fee_forms,
            "tariffs": [
                (t, [(labels.get(k, k), Decimal(v)) for k, v in t.monthly.items()]) for t in tariffs
            ],
        },
    )
