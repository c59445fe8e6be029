"""Pages of communications (PLT-2): the newsletters (the office writes and sends them; members read
them in the portal), the link that leaves the newsletter, and a member's choice to read in the
portal instead of e-mail."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from klaster.comms import access, selectors, services
from klaster.comms.forms import NewsletterForm
from klaster.comms.models import Newsletter, PortalReading
from klaster.core.concurrency import add_version_field
from klaster.core.feedback import messages_from, save_versioned
from klaster.core.models import OutboxMessage
from klaster.core.say import say
from klaster.members.models import Member


def _link(request):
    return lambda token: request.build_absolute_uri(reverse("comms_unsubscribe", args=[token]))


def _states(cluster, sources: list[str]) -> dict[str, dict[str, int]]:
    """Outbox states per newsletter (one query)."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (
        OutboxMessage.objects.filter(cluster=cluster, source__in=sources)
        .values("source", "state")
        .annotate(n=Count("id"))
    )
    for row in rows:
        out[row["source"]][row["state"]] = row["n"]
    return out


@login_required
def newsletters_view(request, slug):
    cluster, grants = access.access_comms(request.user, slug)
    found = Newsletter.objects.filter(cluster=cluster).select_related("sent_by")
    if not grants.office:
        found = found.filter(status=Newsletter.Status.SENT)
    letters = list(found.order_by("-sent_at", "-created_at", "-id")[:200])
    context = {"cluster": cluster, "grants": grants, "letters": letters}
    if grants.office:
        cadence = selectors.cadence(cluster)
        context["cadence"] = cadence
        context["cadence_words"] = say(cadence.message)
        states = _states(cluster, [n.source for n in letters if n.status == "sent"])
        context["rows"] = [{"letter": n, "states": states.get(n.source, {})} for n in letters]
        context["portal_count"] = PortalReading.objects.filter(member__cluster=cluster).count()
    else:
        context["rows"] = [{"letter": n, "states": {}} for n in letters]
    if grants.representative:
        own = Member.objects.filter(cluster=cluster, pk__in=grants.member_ids).order_by("name")
        reading = set(
            PortalReading.objects.filter(member__in=own).values_list("member_id", flat=True)
        )
        context["own"] = [{"member": m, "portal": m.pk in reading} for m in own]
    return render(request, "comms/newsletters.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def newsletter_new_view(request, slug):
    cluster, grants = access.access_comms(request.user, slug, for_write=True)
    form = NewsletterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.newsletter_create(
                cluster=cluster,
                user=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            from klaster.core.feedback import apply_errors

            apply_errors(form, exc)
        else:
            messages.success(request, _("The draft is saved. Read it once more, then send it."))
            return redirect("comms_newsletter", cluster.slug, letter.pk)
    return render(
        request,
        "comms/newsletter_form.html",
        {"cluster": cluster, "grants": grants, "form": form, "cadence": selectors.cadence(cluster)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def newsletter_view(request, slug, newsletter_id):
    cluster, grants, letter = access.access_newsletter(
        request.user, slug, newsletter_id, for_write=request.method == "POST"
    )
    form = None
    if grants.office and letter.status == Newsletter.Status.DRAFT:
        form = NewsletterForm(
            request.POST or None, initial={"subject": letter.subject, "body": letter.body}
        )
        add_version_field(form, letter, services.EDITED)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data

            def save(version: str) -> object:
                return services.newsletter_update(
                    newsletter=letter,
                    user=request.user,
                    subject=data["subject"],
                    body=data["body"],
                    version=version,
                )

            if save_versioned(request, form, save, _("The draft is saved.")):
                return redirect("comms_newsletter", cluster.slug, letter.pk)
    elif request.method == "POST":
        raise Http404
    context = {"cluster": cluster, "grants": grants, "letter": letter, "form": form}
    if grants.office and letter.status == Newsletter.Status.SENT:
        context["states"] = _states(cluster, [letter.source]).get(letter.source, {})
    if grants.office and letter.status == Newsletter.Status.DRAFT:
        who = selectors.recipients(cluster, newsletter=True)
        context["would_reach"] = len(who.emails)
        context["would_skip"] = who.portal_members
    return render(request, "comms/newsletter.html", context)


@login_required
@require_POST
def newsletter_send_view(request, slug, newsletter_id):
    cluster, _grants, letter = access.access_newsletter(
        request.user, slug, newsletter_id, for_write=True
    )
    try:
        letter = services.newsletter_send(newsletter=letter, user=request.user, link=_link(request))
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        messages.success(
            request,
            _(
                "The newsletter is queued to %(n)s addresses and published in the portal; the "
                "worker sends it within a minute."
            )
            % {"n": letter.addresses},
        )
    return redirect("comms_newsletter", cluster.slug, letter.pk)


@login_required
@require_POST
def newsletter_delete_view(request, slug, newsletter_id):
    cluster, _grants, letter = access.access_newsletter(
        request.user, slug, newsletter_id, for_write=True
    )
    try:
        services.newsletter_delete(newsletter=letter, user=request.user)
    except ValidationError as exc:
        messages_from(request, exc)
        return redirect("comms_newsletter", cluster.slug, letter.pk)
    messages.success(request, _("The draft is deleted."))
    return redirect("comms_newsletters", cluster.slug)


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without a session; the token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    """The link in every newsletter: GET asks to confirm (a link scanner must not unsubscribe
    anyone), POST leaves the newsletter — from the page's button or a mail client's one click."""
    found = services.unsubscribe_read(token)
    if found is None:
        raise Http404
    cluster, email = found
    done = False
    if request.method == "POST":
        services.unsubscribe(cluster=cluster, email=email)
        done = True
    return render(
        request,
        "comms/unsubscribe.html",
        {"cluster_name": cluster.name, "email": email, "done": done},
    )


@login_required
@require_POST
def portal_reading_view(request, slug, member_id):
    cluster, _grants, member = access.access_portal_reading(request.user, slug, member_id)
    portal_only = request.POST.get("portal") == "1"
    services.portal_reading_set(member=member, user=request.user, portal_only=portal_only)
    if portal_only:
        messages.success(
            request,
            _(
                "%(member)s now reads newsletters and event invitations here, in the portal, "
                "instead of e-mail. Meeting notices still come by e-mail."
            )
            % {"member": member.name},
        )
    else:
        messages.success(
            request,
            _("%(member)s gets newsletters and event invitations by e-mail again.")
            % {"member": member.name},
        )
    return redirect("comms_newsletters", cluster.slug)
