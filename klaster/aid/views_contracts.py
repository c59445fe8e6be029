"""Lending contracts and certificates of de minimis aid (AID-2, AID-3, AID-6, AID-8).

The office signs a chosen application's contract after seeing the price list, the days, the
fees, the aid in PLN and EUR with the NBP rate and the verdict; the member's own representatives
read their contracts and certificates. Views parse, check access, call `services_contracts` and
render; the verdict shown is recomputed under the group lock at the POST and a changed one is
refused.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klaster.aid import forms_contracts as forms
from klaster.aid import services_contracts as services
from klaster.aid.access import access_aid, check_member_row
from klaster.aid.models import AidSettings, Application, Certificate, Contract, Grant
from klaster.core.access import access_cluster, get_in_cluster
from klaster.core.feedback import apply_errors, form_messages, messages_from
from klaster.core.say import say
from klaster.rules.aid.check import AidRefused


def _refused(request, exc: AidRefused | ValidationError) -> None:
    if isinstance(exc, AidRefused):
        messages.error(request, say(exc.message))
    else:
        messages_from(request, exc)


@login_required
def aid_contracts_view(request, slug):
    """The office's list: applications chosen and waiting for a contract, and the contracts."""
    cluster, grants = access_aid(request.user, slug)
    contracts = list(
        Contract.objects.filter(cluster=cluster)
        .select_related("application__member", "application__equipment", "grant")
        .order_by("-signed_on", "-pk")[:200]
    )
    waiting = list(
        Application.objects.filter(
            cluster=cluster, status=Application.Status.CHOSEN, contract__isnull=True
        )
        .select_related("member", "equipment")
        .order_by("start", "pk")
    )
    return render(
        request,
        "aid/contracts/list.html",
        {
            "cluster": cluster,
            "grants": grants,
            "contracts": contracts,
            "waiting": waiting,
            "has_settings": AidSettings.objects.filter(cluster=cluster).exists(),
            "settings_link": services.settings_link(cluster),
        },
    )


def _day(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return timezone.localdate()


@login_required
@require_http_methods(["GET", "POST"])
def aid_contract_new_view(request, slug, application_id):
    """AID-6: what the contract of a chosen application would carry on the day of signing, and
    the signing itself (the grant only when the verdict allows it)."""
    cluster, grants = access_aid(request.user, slug, for_write=request.method == "POST")
    application = get_in_cluster(
        Application.objects.select_related("member", "equipment", "cluster"),
        cluster,
        pk=application_id,
    )
    existing = Contract.objects.filter(application=application).first()
    if existing is not None and request.method == "GET":
        return redirect("aid_contract", slug=slug, contract_id=existing.pk)
    if request.method == "POST":
        form = forms.SignForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                contract = services.sign_contract(
                    application=application,
                    signed_on=data["signed_on"],
                    number=data["number"],
                    expected=data["seen"] or None,
                    user=request.user,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except AidRefused as exc:
                form.add_error(None, say(exc.message))
            else:
                messages.success(
                    request,
                    _("The contract %(number)s was signed and its certificate issued.")
                    % {"number": contract.number},
                )
                return redirect("aid_contract", slug=slug, contract_id=contract.pk)
        day = form.cleaned_data.get("signed_on") if form.is_valid() else None
        day = day or timezone.localdate()
    else:
        day = _day(request.GET.get("signed_on"))
        form = forms.SignForm(initial={"signed_on": day})
    shown = services.preview(application, day)
    if request.method == "GET":
        form = forms.SignForm(initial={"signed_on": day, "seen": shown.digest})
    else:
        data = request.POST.copy()
        data["seen"] = shown.digest  # the figures shown now: signing them is a new decision
        form.data = data
    verdict_text = say(shown.verdict.message) if shown.verdict else ""
    refusal = say(shown.refusal) if shown.refusal else ""
    settings_missing = not AidSettings.objects.filter(cluster=cluster).exists()
    return render(
        request,
        "aid/contracts/new.html",
        {
            "cluster": cluster,
            "grants": grants,
            "application": application,
            "shown": shown,
            "verdict_text": verdict_text,
            "refusal": refusal,
            "form": form,
            "settings_missing": settings_missing,
            "settings_link": services.settings_link(cluster),
        },
    )


def _contract(request, slug, contract_id, *, office: bool = False):
    if office:
        cluster, grants = access_aid(request.user, slug, for_write=True)
    else:
        cluster, grants = access_cluster(request.user, slug)
    contract = get_in_cluster(
        Contract.objects.select_related(
            "application__member", "application__equipment", "grant__undertaking"
        ),
        cluster,
        pk=contract_id,
    )
    check_member_row(grants, contract.application.member_id)
    return cluster, grants, contract


@login_required
def aid_contract_view(request, slug, contract_id):
    """A contract with its price, aid and certificates (the office and the member's own
    representatives); the office corrects or voids by new certificates (AID-8)."""
    cluster, grants, contract = _contract(request, slug, contract_id)
    certificates = services.chain(contract)
    latest = certificates[-1] if certificates else None
    office = grants.office
    can_act = (
        office
        and latest is not None
        and contract.status != Contract.Status.VOID
        and latest.grant.kind != "void"
    )
    return render(
        request,
        "aid/contracts/detail.html",
        {
            "cluster": cluster,
            "grants": grants,
            "contract": contract,
            "application": contract.application,
            "certificates": certificates,
            "latest": latest,
            "days": (contract.end - contract.start).days + 1,
            "correct_form": forms.CorrectForm(
                initial={
                    "amount_pln": latest.grant.amount_pln,
                    "granted_on": latest.grant.granted_on,
                }
            )
            if can_act and latest is not None
            else None,
            "void_form": forms.VoidForm() if can_act else None,
        },
    )


@login_required
def aid_certificate_pdf_view(request, slug, certificate_id):
    """The certificate as PDF (AID-6): the office and the member's own representatives."""
    from klaster.aid import pdf

    cluster, grants = access_cluster(request.user, slug)
    cert = get_in_cluster(
        Certificate.objects.select_related("grant__undertaking"), cluster, pk=certificate_id
    )
    member_id = cert.grant.undertaking.member_id
    contract = Contract.objects.filter(cluster=cluster, grant__in=_roots(cert)).first()
    if contract is not None:
        member_id = contract.application.member_id
    check_member_row(grants, member_id)
    response = HttpResponse(pdf.certificate_pdf(cert), content_type="application/pdf")
    name = cert.number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def _roots(cert: Certificate) -> list[int]:
    """The grants of a certificate's chain back to the first (the contract's own)."""
    ids = []
    grant: Grant | None = cert.grant
    while grant is not None:
        ids.append(grant.pk)
        grant = grant.supersedes
    return ids


@login_required
@require_POST
def aid_certificate_correct_view(request, slug, contract_id):
    """AID-8: a correcting certificate for the contract's latest one (a new record)."""
    cluster, grants, contract = _contract(request, slug, contract_id, office=True)
    form = forms.CorrectForm(request.POST)
    if not form.is_valid():
        form_messages(request, form)
    else:
        certificates = services.chain(contract)
        if not certificates:
            messages.error(request, _("This contract has no certificate to correct."))
        else:
            try:
                cert = services.correct_certificate(
                    certificate=certificates[-1], user=request.user, **form.cleaned_data
                )
            except (ValidationError, AidRefused) as exc:
                _refused(request, exc)
            else:
                messages.success(
                    request,
                    _("The correcting certificate %(number)s was issued.")
                    % {"number": cert.number},
                )
    return redirect("aid_contract", slug=slug, contract_id=contract.pk)


@login_required
@require_POST
def aid_contract_void_view(request, slug, contract_id):
    """AID-8: the contract voided by a voiding grant and certificate (new records)."""
    cluster, grants, contract = _contract(request, slug, contract_id, office=True)
    form = forms.VoidForm(request.POST)
    if not form.is_valid():
        form_messages(request, form)
    else:
        try:
            cert = services.void_contract(
                contract=contract, reason=form.cleaned_data["reason"], user=request.user
            )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(
                request,
                _("The contract was voided; certificate %(number)s was issued.")
                % {"number": cert.number},
            )
    return redirect("aid_contract", slug=slug, contract_id=contract.pk)
