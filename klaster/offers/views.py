"""Pages of offers, competences, ideas and training needs (PLT-3)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klaster.core.feedback import apply_errors, form_messages, messages_from
from klaster.core.models import Cluster
from klaster.members.models import Member, Status
from klaster.offers import access, selectors, services
from klaster.offers.forms import (
    AreaForm,
    CompetenceForm,
    IdeaForm,
    IdeaStatusForm,
    NeedForm,
    OfferForm,
    SurveyForm,
)
from klaster.offers.models import CompetenceArea, Offer, TrainingSurvey


def _members(cluster, grants):
    """The members a user writes for: all current ones for the office, its own for a
    representative."""
    rows = Member.objects.filter(cluster=cluster, status__in=(Status.ACTIVE, Status.SUSPENDED))
    if not grants.office:
        rows = rows.filter(pk__in=grants.member_ids)
    return rows.order_by("name")


def _may_write(grants) -> bool:
    return bool(grants.office or grants.representative)


@login_required
def offers_view(request, slug):
    cluster, grants = access.access_offers(request.user, slug)
    q = request.GET.get("q", "")[:200]
    category = request.GET.get("category", "")
    rows = list(selectors.offers_search(cluster, q=q, category=category)[:300])
    return render(
        request,
        "offers/offers.html",
        {
            "cluster": cluster,
            "grants": grants,
            "offers": rows,
            "q": q,
            "category": category,
            "categories": Offer.Category.choices,
            "may_write": _may_write(grants),
            "own_ids": set(grants.member_ids),
        },
    )


def _offer_form(request, slug, offer=None):
    cluster, grants = access.access_contributor(request.user, slug)
    initial = {}
    if offer is not None:
        initial = {f: getattr(offer, f) for f in services.OFFER_FIELDS} | {"member": offer.member}
    form = OfferForm(request.POST or None, members=_members(cluster, grants), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        member = access.writable_member(cluster, grants, data.pop("member").pk)
        if offer is not None and member.pk != offer.member_id:
            raise Http404
        try:
            saved = services.offer_save(member=member, user=request.user, data=data, offer=offer)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The offer “%(name)s” is saved.") % {"name": saved.name_pl})
            return redirect("offers", cluster.slug)
    return render(
        request,
        "offers/offer_form.html",
        {"cluster": cluster, "grants": grants, "form": form, "offer": offer},
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_new_view(request, slug):
    return _offer_form(request, slug)


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit_view(request, slug, offer_id):
    _cluster, _grants, offer = access.access_offer(request.user, slug, offer_id, for_write=True)
    return _offer_form(request, slug, offer)


@login_required
@require_POST
def offer_delete_view(request, slug, offer_id):
    cluster, _grants, offer = access.access_offer(request.user, slug, offer_id, for_write=True)
    services.offer_delete(offer=offer, user=request.user)
    messages.success(request, _("The offer is deleted."))
    return redirect("offers", cluster.slug)


def offers_public_view(request, slug):
    """The cluster's public offer catalogue: the offers their members made public, in the
    reader's language where the member wrote it. No login; a cluster with no public offer has
    no such page (404, as a cluster that does not exist)."""
    try:
        cluster = Cluster.objects.get(slug=slug)
    except Cluster.DoesNotExist:
        raise Http404 from None
    if not Offer.objects.filter(cluster=cluster, public=True).exists():
        # a cluster that publishes nothing has no public page: its existence is not disclosed
        raise Http404
    q = request.GET.get("q", "")[:200]
    category = request.GET.get("category", "")
    language = translation.get_language() or "pl"
    rows = [
        {
            "name": o.name_in(language),
            # each text's own language where it falls back to Polish (screen readers read it so)
            "name_lang": "en" if language.startswith("en") and o.name_en else "pl",
            "description_lang": "en" if language.startswith("en") and o.description_en else "pl",
            "description": o.description_in(language),
            "member": o.member.name,
            # a link only to a web address (an imported value is not checked as a form's is)
            "website": o.member.website
            if o.member.website.startswith(("https://", "http://"))
            else "",
            "category": o.get_category_display(),
        }
        for o in selectors.offers_search(cluster, q=q, category=category, public_only=True)[:300]
    ]
    return render(
        request,
        "offers/public.html",
        {
            "cluster_name": cluster.name,
            "offers": rows,
            "q": q,
            "category": category,
            "categories": Offer.Category.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def competences_view(request, slug):
    cluster, grants = access.access_offers(request.user, slug)
    areas = CompetenceArea.objects.filter(cluster=cluster).order_by("name")
    area_form = AreaForm(prefix="a")
    form = CompetenceForm(prefix="c", members=_members(cluster, grants), areas=areas)
    if request.method == "POST":
        if request.POST.get("action") == "area":
            if not grants.office:
                raise PermissionDenied
            area_form = AreaForm(request.POST, prefix="a")
            if area_form.is_valid():
                try:
                    services.area_add(cluster=cluster, user=request.user, **area_form.cleaned_data)
                except ValidationError as exc:
                    apply_errors(area_form, exc)
                else:
                    return redirect("offers_competences", cluster.slug)
        else:
            if not _may_write(grants):
                raise PermissionDenied
            form = CompetenceForm(
                request.POST, prefix="c", members=_members(cluster, grants), areas=areas
            )
            if form.is_valid():
                data = form.cleaned_data
                member = access.writable_member(cluster, grants, data["member"].pk)
                try:
                    services.competence_add(
                        member=member,
                        user=request.user,
                        area=data["area"],
                        kind=data["kind"],
                        note=data["note"],
                    )
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, _("Recorded on the map."))
                    return redirect("offers_competences", cluster.slug)
    rows = selectors.competence_map(cluster)
    return render(
        request,
        "offers/competences.html",
        {
            "cluster": cluster,
            "grants": grants,
            "rows": rows,
            "gaps": [r.area for r in rows if r.gap],
            "own_ids": set(grants.member_ids),
            "area_form": area_form if grants.office else None,
            "form": form if _may_write(grants) else None,
        },
    )


@login_required
@require_POST
def competence_remove_view(request, slug, competence_id):
    cluster, competence = access.access_competence(request.user, slug, competence_id)
    services.competence_remove(competence=competence, user=request.user)
    messages.success(request, _("Taken off the map."))
    return redirect("offers_competences", cluster.slug)


@login_required
@require_POST
def area_remove_view(request, slug, area_id):
    cluster, area = access.access_area(request.user, slug, area_id)
    services.area_remove(area=area, user=request.user)
    messages.success(request, _("The area “%(name)s” is removed.") % {"name": area.name})
    return redirect("offers_competences", cluster.slug)


@login_required
@require_http_methods(["GET", "POST"])
def ideas_view(request, slug):
    cluster, grants = access.access_offers(request.user, slug)
    form = IdeaForm(request.POST or None, members=_members(cluster, grants))
    if request.method == "POST":
        if not _may_write(grants):
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            member = access.writable_member(cluster, grants, data.pop("member").pk)
            try:
                idea = services.idea_post(cluster=cluster, user=request.user, member=member, **data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The idea is posted."))
                return redirect("offers_idea", cluster.slug, idea.pk)
    return render(
        request,
        "offers/ideas.html",
        {
            "cluster": cluster,
            "grants": grants,
            "ideas": list(selectors.ideas_with_interest(cluster)[:200]),
            "form": form if _may_write(grants) else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def idea_view(request, slug, idea_id):
    cluster, grants, idea = access.access_idea(request.user, slug, idea_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "status":
            if not grants.office:
                raise PermissionDenied
            status_form = IdeaStatusForm(request.POST)
            if status_form.is_valid():
                services.idea_status(idea=idea, user=request.user, **status_form.cleaned_data)
                messages.success(request, _("The idea's status is changed."))
        else:
            if not _may_write(grants):
                raise PermissionDenied
            posted = request.POST.get("member", "")
            member = access.writable_member(
                cluster, grants, int(posted) if posted.isdigit() else None
            )
            try:
                services.idea_interest(
                    idea=idea, member=member, user=request.user, note=request.POST.get("note", "")
                )
            except ValidationError as exc:
                messages_from(request, exc)
            else:
                messages.success(request, _("Your interest is recorded; the author will see it."))
        return redirect("offers_idea", cluster.slug, idea.pk)
    return render(
        request,
        "offers/idea.html",
        {
            "cluster": cluster,
            "grants": grants,
            "idea": idea,
            "interests": idea.interests.select_related("member").order_by("at"),
            # others express interest: the author's own member is not offered
            "members": _members(cluster, grants).exclude(pk=idea.member_id)
            if _may_write(grants)
            else [],
            "status_form": IdeaStatusForm(initial={"status": idea.status})
            if grants.office
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_view(request, slug):
    cluster, grants = access.access_contributor(request.user, slug)
    survey = TrainingSurvey.objects.filter(cluster=cluster).order_by("-closes_on", "-id").first()
    survey_form = SurveyForm(prefix="s")
    need_form = NeedForm(prefix="n", members=_members(cluster, grants))
    if request.method == "POST":
        if request.POST.get("action") == "survey":
            if not grants.office:
                raise PermissionDenied
            survey_form = SurveyForm(request.POST, prefix="s")
            if survey_form.is_valid():
                try:
                    services.survey_open(
                        cluster=cluster, user=request.user, **survey_form.cleaned_data
                    )
                except ValidationError as exc:
                    apply_errors(survey_form, exc)
                else:
                    return redirect("offers_training", cluster.slug)
        else:
            if survey is None:
                raise Http404
            need_form = NeedForm(request.POST, prefix="n", members=_members(cluster, grants))
            if need_form.is_valid():
                data = dict(need_form.cleaned_data)
                member = access.writable_member(cluster, grants, data.pop("member").pk)
                try:
                    services.training_need_add(
                        survey=survey, member=member, user=request.user, **data
                    )
                except ValidationError as exc:
                    apply_errors(need_form, exc)
                else:
                    messages.success(request, _("The training need is recorded."))
                    return redirect("offers_training", cluster.slug)
            else:
                form_messages(request, need_form)
    summary = selectors.training_summary(survey) if survey else []
    return render(
        request,
        "offers/training.html",
        {
            "cluster": cluster,
            "grants": grants,
            "survey": survey,
            "summary": summary,
            "survey_form": survey_form if grants.office else None,
            "need_form": need_form,
            "own_needs": survey.needs.filter(member_id__in=grants.member_ids).order_by("topic")
            if survey and not grants.office
            else [],
        },
    )
