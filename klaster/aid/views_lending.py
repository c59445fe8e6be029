"""The lending queue's pages (AID-4, AID-5; 003 §4–§5).

The catalogue and the queues are read by the office and by members' representatives (members
choose what to apply for); a representative sees its own member's applications and the other
members' only as days taken. Everything else — documents, results, ranking lists, returns — is
the office's. Views parse, check access, call `services_lending` and render.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klaster.aid import forms_lending as forms
from klaster.aid import selectors_lending as selectors
from klaster.aid import services_lending as services
from klaster.aid.access import access_aid, check_member_row
from klaster.aid.models import (
    Application,
    ApplicationDocument,
    Contract,
    Equipment,
    PriceList,
    Ranking,
)
from klaster.core.access import Grants, access_cluster, get_in_cluster
from klaster.core.concurrency import add_version_field
from klaster.core.feedback import apply_errors, form_messages, messages_from, save_versioned
from klaster.core.models import Cluster
from klaster.core.say import say
from klaster.members.models import Member


def access_lending(user, slug: str) -> tuple[Cluster, Grants]:
    """The catalogue and the queues: the office and members' representatives (who apply for
    their own members); organ members and the forum, as such, not."""
    cluster, grants = access_cluster(user, slug)
    if not (grants.office or grants.member_ids):
        raise PermissionDenied
    return cluster, grants


def _today() -> dt.date:
    return timezone.localdate()


def _contract_link(slug: str, application: Application) -> str | None:
    """The contract's signing page (AID-6), once it exists."""
    try:
        return reverse("aid_contract_new", kwargs={"slug": slug, "application_id": application.pk})
    except NoReverseMatch:
        return None


def _contract_page(slug: str, contract: Contract) -> str | None:
    """A signed contract's page (AID-6), once it exists."""
    try:
        return reverse("aid_contract", kwargs={"slug": slug, "contract_id": contract.pk})
    except NoReverseMatch:
        return None


# -- the catalogue --------------------------------------------------------------------------------


@login_required
def aid_lending_view(request, slug):
    """The products lent with today's prices and each one's queue; the office's ranking lists."""
    cluster, grants = access_lending(request.user, slug)
    products = selectors.products(cluster, grants, _today())
    rankings = (
        list(
            Ranking.objects.filter(cluster=cluster)
            .select_related("equipment")
            .order_by(F("approved_on").desc(nulls_first=True), "-created_at")[:50]
        )
        if grants.office
        else []
    )
    return render(
        request,
        "aid/lending/home.html",
        {"cluster": cluster, "grants": grants, "products": products, "rankings": rankings},
    )


@login_required
def aid_equipment_view(request, slug, equipment_id):
    """One product: its price lists, its queue; the office's forms."""
    cluster, grants = access_lending(request.user, slug)
    equipment = get_in_cluster(Equipment, cluster, pk=equipment_id)
    if not equipment.active and not grants.office:
        raise PermissionDenied
    (product,) = selectors.products(cluster, grants, _today(), only=equipment.pk)
    prices = list(PriceList.objects.filter(equipment=equipment).order_by("-valid_from"))
    returns = []
    if grants.office:
        for row in product.queue:
            if row.contract is not None and row.contract.status == Contract.Status.SIGNED:
                returns.append(
                    (
                        row,
                        forms.ReturnForm(
                            prefix=f"r{row.contract.pk}", initial={"returned_on": _today()}
                        ),
                    )
                )
    return render(
        request,
        "aid/lending/equipment.html",
        {
            "cluster": cluster,
            "grants": grants,
            "product": product,
            "equipment": equipment,
            "prices": prices,
            "price_form": forms.PriceListForm(initial={"valid_from": _today()})
            if grants.office
            else None,
            "returns": returns,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def aid_equipment_new_view(request, slug):
    cluster, grants = access_aid(request.user, slug, for_write=request.method == "POST")
    form = forms.EquipmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.equipment_save(cluster=cluster, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The product was added to the catalogue."))
            return redirect("aid_equipment", slug=slug, equipment_id=row.pk)
    return render(
        request,
        "aid/lending/equipment_form.html",
        {"cluster": cluster, "grants": grants, "form": form, "equipment": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def aid_equipment_edit_view(request, slug, equipment_id):
    cluster, grants = access_aid(request.user, slug, for_write=request.method == "POST")
    equipment = get_in_cluster(Equipment, cluster, pk=equipment_id)
    fields = services.EQUIPMENT_FIELDS
    if request.method == "POST":
        form = add_version_field(forms.EquipmentForm(request.POST), equipment, fields)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k in fields}
            if save_versioned(
                request,
                form,
                lambda version: services.equipment_save(
                    cluster=cluster,
                    user=request.user,
                    equipment=equipment,
                    expected_version=version,
                    **data,
                ),
                _("The product was saved."),
            ):
                return redirect("aid_equipment", slug=slug, equipment_id=equipment.pk)
    else:
        form = add_version_field(
            forms.EquipmentForm(initial={f: getattr(equipment, f) for f in fields}),
            equipment,
            fields,
        )
    return render(
        request,
        "aid/lending/equipment_form.html",
        {"cluster": cluster, "grants": grants, "form": form, "equipment": equipment},
    )


@login_required
@require_POST
def aid_price_new_view(request, slug, equipment_id):
    cluster, grants = access_aid(request.user, slug, for_write=True)
    equipment = get_in_cluster(Equipment, cluster, pk=equipment_id)
    form = forms.PriceListForm(request.POST)
    if not form.is_valid():
        form_messages(request, form)
    else:
        try:
            services.price_list_add(equipment=equipment, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _field_messages(request, form, exc)
        else:
            messages.success(request, _("The new price list was added."))
    return redirect("aid_equipment", slug=slug, equipment_id=equipment.pk)


def _field_messages(request, form, exc: ValidationError) -> None:
    """A service's refusal after a redirecting POST, each error under its field's label."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                text = " ".join(error.messages)
                messages.error(request, f"{label}: {text}" if label else text)
    else:
        messages_from(request, exc)


# -- AID-4: applications ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def aid_application_new_view(request, slug):
    """A representative files an application for its own member (arrival stamped now); the
    office registers a paper one with the moment it came."""
    cluster, grants = access_lending(request.user, slug)
    members = Member.objects.filter(cluster=cluster).order_by("name")
    if not grants.office:
        members = members.filter(pk__in=grants.member_ids)
    member_choices = list(members.values_list("pk", "name"))
    equipment_choices = list(
        Equipment.objects.filter(cluster=cluster, active=True)
        .order_by("name")
        .values_list("pk", "name")
    )
    initial: dict[str, Any] = {}
    wanted = request.GET.get("equipment", "")
    if wanted.isdigit():
        initial["equipment"] = int(wanted)
    if grants.office:
        initial["arrived_at"] = timezone.localtime().replace(second=0, microsecond=0)
    form = forms.ApplicationForm(
        request.POST or None,
        initial=initial,
        members=member_choices,
        equipment=equipment_choices,
        office=grants.office,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = get_in_cluster(Member, cluster, pk=data["member"])
        check_member_row(grants, member.pk)
        try:
            row = services.application_file(
                cluster=cluster,
                member=member,
                equipment=get_in_cluster(Equipment, cluster, pk=data["equipment"]),
                start=data["start"],
                end=data["end"],
                purpose=data["purpose"],
                user=request.user,
                arrived_at=data.get("arrived_at") if grants.office else None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The application was registered as arrived on %(at)s.")
                % {"at": f"{timezone.localtime(row.arrived_at):%d.%m.%Y %H:%M}"},
            )
            return redirect("aid_application", slug=slug, application_id=row.pk)
    return render(
        request,
        "aid/lending/application_form.html",
        {"cluster": cluster, "grants": grants, "form": form, "has_equipment": equipment_choices},
    )


def _application(request, slug, application_id, *, for_write: bool = False):
    """The application for its member's representatives and the office; the office only for a
    write (``for_write``)."""
    if for_write:
        cluster, grants = access_aid(request.user, slug, for_write=True)
    else:
        cluster, grants = access_lending(request.user, slug)
    application = selectors.application_detail(cluster, application_id)
    check_member_row(grants, application.member_id)
    return cluster, grants, application


@login_required
def aid_application_view(request, slug, application_id):
    """An application with its checklist (AID-4) and what the applicant was told."""
    cluster, grants, application = _application(request, slug, application_id)
    documents = sorted(application.documents.all(), key=lambda d: (d.received_on, d.pk))
    checklist = services.checklist_of(application, documents)
    items = [(item, [say(m) for m in item.messages]) for item in checklist.items]
    contract = selectors._contract(application)
    office = grants.office
    ranking = services.open_ranking_of(application) if office else None
    context: dict[str, Any] = {
        "cluster": cluster,
        "grants": grants,
        "application": application,
        "documents": documents,
        "checklist": checklist,
        "items": items,
        "contract": contract,
        "notices": services.notices_of(application),
        "open": application.status in services.OPEN,
        "withdrawable": application.status in (*services.OPEN, "chosen", "waiting"),
        "ranking": ranking,
        "contract_url": _contract_page(slug, contract) if contract is not None else None,
    }
    if office:
        context["document_form"] = forms.DocumentForm(initial={"received_on": _today()})
        context["competitors"] = (
            services.competitors(application) if application.status == "complete" else []
        )
        if application.status == "chosen" and contract is None:
            context["contract_link"] = _contract_link(slug, application)
        if contract is not None and contract.status == Contract.Status.SIGNED:
            context["return_form"] = forms.ReturnForm(
                prefix=f"r{contract.pk}", initial={"returned_on": _today()}
            )
    return render(request, "aid/lending/application.html", context)


def _back(slug, application) -> Any:
    return redirect("aid_application", slug=slug, application_id=application.pk)


@login_required
@require_POST
def aid_document_add_view(request, slug, application_id):
    cluster, grants, application = _application(request, slug, application_id, for_write=True)
    form = forms.DocumentForm(request.POST)
    if not form.is_valid():
        form_messages(request, form)
        return _back(slug, application)
    try:
        result = services.document_add(
            application=application, user=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        _field_messages(request, form, exc)
    else:
        if result.complete:
            messages.success(request, _("The document was recorded; the application is complete."))
        else:
            messages.success(
                request, _("The document was recorded; the application is not complete yet.")
            )
    return _back(slug, application)


@login_required
@require_POST
def aid_document_remove_view(request, slug, application_id, document_id):
    cluster, grants, application = _application(request, slug, application_id, for_write=True)
    document = get_in_cluster(
        ApplicationDocument.objects.filter(application=application),
        cluster,
        via="application__cluster",
        pk=document_id,
    )
    try:
        services.document_remove(document=document, user=request.user)
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("The document was taken off the checklist."))
    return _back(slug, application)


def _notice_message(request, notice: services.Notice) -> None:
    if notice.sent:
        messages.success(
            request,
            _("The applicant was told by e-mail at %(to)s.") % {"to": ", ".join(notice.emailed_to)},
        )
    else:
        messages.warning(request, _("The e-mail was not sent: %(error)s") % {"error": notice.error})


@login_required
@require_POST
def aid_application_notify_view(request, slug, application_id):
    """AID-4 (003 §4.3): the applicant is told the result of the verification."""
    cluster, grants, application = _application(request, slug, application_id, for_write=True)
    try:
        notice = services.application_notify(application=application, user=request.user)
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        _notice_message(request, notice)
    return _back(slug, application)


@login_required
@require_POST
def aid_application_decide_view(request, slug, application_id):
    """A complete application nobody competes with: chosen, or waiting for a return."""
    cluster, grants, application = _application(request, slug, application_id, for_write=True)
    try:
        row, notice = services.application_decide(application=application, user=request.user)
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        if row.status == "chosen":
            messages.success(request, _("The application was chosen."))
        else:
            messages.success(
                request,
                _("The product is taken for these days: the application waits for its return."),
            )
        _notice_message(request, notice)
    return _back(slug, application)


@login_required
@require_POST
def aid_application_withdraw_view(request, slug, application_id):
    """The applicant's representative, or the office for it, withdraws the application."""
    cluster, grants, application = _application(request, slug, application_id)
    try:
        _row, chosen, notice = services.application_withdraw(
            application=application, user=request.user
        )
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("The application was withdrawn."))
        if chosen is not None and grants.office:
            messages.info(
                request,
                _("Its days went to the next in line: %(member)s.")
                % {"member": chosen.member.name},
            )
    return _back(slug, application)


# -- AID-5: ranking lists and returns ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def aid_ranking_new_view(request, slug):
    cluster, grants = access_aid(request.user, slug, for_write=request.method == "POST")
    choices = list(
        Equipment.objects.filter(cluster=cluster).order_by("name").values_list("pk", "name")
    )
    initial: dict[str, Any] = {}
    for key in ("equipment", "start", "end"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    form = forms.RankingForm(request.POST or None, initial=initial, equipment=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ranking = services.ranking_create(
                cluster=cluster,
                equipment=get_in_cluster(Equipment, cluster, pk=data["equipment"]),
                start=data["start"],
                end=data["end"],
                user=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The ranking list was made: enter the evaluations."))
            return redirect("aid_ranking", slug=slug, ranking_id=ranking.pk)
    return render(
        request,
        "aid/lending/ranking_form.html",
        {"cluster": cluster, "grants": grants, "form": form},
    )


def _ranking(request, slug, ranking_id, *, for_write=False):
    cluster, grants = access_aid(request.user, slug, for_write=for_write)
    ranking = get_in_cluster(Ranking.objects.select_related("equipment"), cluster, pk=ranking_id)
    return cluster, grants, ranking


@login_required
def aid_ranking_view(request, slug, ranking_id):
    """AID-5: the list in the rule's order (evaluation, then arrival), who fits, the approval."""
    cluster, grants, ranking = _ranking(request, slug, ranking_id)
    entries = list(ranking.entries.select_related("application__member"))
    places: list[tuple[int, Any, bool | None, str | None]]
    if ranking.approved_on is not None:
        places = [
            (e.position, e.application, e.chosen, None)
            for e in sorted(entries, key=lambda e: e.position)
        ]
        refusal = None
    else:
        ranked = services.ranking_order(ranking, entries)
        by_id = {e.application_id: e.application for e in entries}
        places = [
            (p.position, by_id[p.request.id], p.chosen, say(p.message)) for p in ranked.places
        ]
        refusal = say(ranked.refusal) if ranked.refusal else None
        if refusal:  # not all evaluated yet: in order of arrival
            places = [
                (i, e.application, None, None)
                for i, e in enumerate(
                    sorted(entries, key=lambda e: (e.application.arrived_at, e.application_id)), 1
                )
            ]
    return render(
        request,
        "aid/lending/ranking.html",
        {
            "cluster": cluster,
            "grants": grants,
            "ranking": ranking,
            "places": places,
            "refusal": refusal,
            "scores_form": forms.ScoresForm(entries=entries)
            if ranking.approved_on is None
            else None,
            "approval_form": forms.ApprovalForm(initial={"approved_on": _today()})
            if ranking.approved_on is None
            else None,
        },
    )


@login_required
@require_POST
def aid_ranking_scores_view(request, slug, ranking_id):
    cluster, grants, ranking = _ranking(request, slug, ranking_id, for_write=True)
    entries = list(ranking.entries.select_related("application__member"))
    form = forms.ScoresForm(request.POST, entries=entries)
    if not form.is_valid():
        form_messages(request, form)
    else:
        try:
            services.ranking_scores(ranking=ranking, scores=form.scores(), user=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            messages_from(request, exc)
        else:
            messages.success(request, _("The evaluations were saved."))
    return redirect("aid_ranking", slug=slug, ranking_id=ranking.pk)


@login_required
@require_POST
def aid_ranking_approve_view(request, slug, ranking_id):
    """AID-5: the management's approval: the chosen are set chosen, the rest wait; all told."""
    cluster, grants, ranking = _ranking(request, slug, ranking_id, for_write=True)
    form = forms.ApprovalForm(request.POST)
    if not form.is_valid():
        form_messages(request, form)
    else:
        try:
            _ranking_row, notices = services.ranking_approve(
                ranking=ranking, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _field_messages(request, form, exc)
        else:
            messages.success(request, _("The approval was recorded; the applicants were told."))
            for notice in notices:
                if not notice.sent:
                    _notice_message(request, notice)
    return redirect("aid_ranking", slug=slug, ranking_id=ranking.pk)


@login_required
@require_POST
def aid_return_view(request, slug, contract_id):
    """003 §5.4: the product of a contract is returned; the next in line gets it."""
    cluster, grants = access_aid(request.user, slug, for_write=True)
    contract = get_in_cluster(
        Contract.objects.select_related("application"), cluster, pk=contract_id
    )
    form = forms.ReturnForm(request.POST, prefix=f"r{contract.pk}")
    back = request.POST.get("next", "")
    if not form.is_valid():
        form_messages(request, form)
    else:
        try:
            _row, hand, notice = services.contract_return(
                contract=contract, returned_on=form.cleaned_data["returned_on"], user=request.user
            )
        except ValidationError as exc:
            _field_messages(request, form, exc)
        else:
            messages.success(request, _("The return was recorded."))
            messages.info(request, say(hand.message))
            if notice is not None:
                _notice_message(request, notice)
    if back == "equipment":
        return redirect("aid_equipment", slug=slug, equipment_id=contract.application.equipment_id)
    return _back(slug, contract.application)
