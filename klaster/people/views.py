"""Pages of people and access (PLT-1): the people page, invitations and their public
acceptance page, revocation, and Django's password reset with Polish pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klaster.core.feedback import apply_errors, messages_from
from klaster.core.models import ClusterRole, Role
from klaster.members.models import Member
from klaster.people import access, services
from klaster.people.forms import InviteForm, PasswordResetForm
from klaster.people.models import Invitation

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _people(cluster, grants) -> dict[str, Any]:
    roles = ClusterRole.objects.filter(cluster=cluster).select_related("user", "member")
    invitations = Invitation.objects.filter(
        cluster=cluster, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("member", "invited_by")
    members = Member.objects.none()
    if not grants.office:
        own = Q(member_id__in=grants.member_ids)
        roles = roles.filter(own, role=Role.REPRESENTATIVE)
        invitations = invitations.filter(own)
        members = Member.objects.filter(cluster=cluster, pk__in=grants.member_ids).order_by("name")
    now = timezone.now()
    people: dict[int, dict[str, Any]] = {}
    for r in roles.order_by("user__last_name", "user__username", "role", "pk"):
        row = people.setdefault(r.user_id, {"user": r.user, "roles": []})
        row["roles"].append(r)
    return {
        "people": list(people.values()),
        "invitations": [
            {"invitation": i, "expired": i.expires_at <= now}
            for i in invitations.order_by("-created_at")
        ],
        "own_members": list(members),
    }


def _link(request):
    return lambda token: request.build_absolute_uri(reverse("invite_accept", args=[token]))


@login_required
def people_view(request, slug):
    cluster, grants = access.access_people(request.user, slug)
    return render(
        request,
        "people/people.html",
        {"cluster": cluster, "grants": grants, **_people(cluster, grants)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite_view(request, slug):
    cluster, grants = access.access_people(request.user, slug)
    form = InviteForm(request.POST or None, cluster=cluster, grants=grants)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.invite(
                cluster=cluster,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                member=form.cleaned_data["member"],
                by=request.user,
                link=_link(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if sent.error:
                messages.warning(
                    request,
                    _("Invitation saved but the e-mail was not sent: %(error)s")
                    % {"error": sent.error},
                )
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": sent.invitation.email},
                )
            return redirect("people", slug=slug)
    return render(
        request, "people/invite.html", {"cluster": cluster, "grants": grants, "form": form}
    )


@login_required
@require_POST
def role_revoke_view(request, slug, role_id):
    cluster, grants, role = access.access_role_revoke(request.user, slug, role_id)
    try:
        services.revoke_role(role=role, by=request.user)
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        messages.success(
            request,
            _("Access removed: %(person)s — %(role)s.")
            % {
                "person": role.user.get_full_name() or role.user.username,
                "role": role.get_role_display(),
            },
        )
    return redirect("people", slug=slug)


@login_required
@require_POST
def invitation_revoke_view(request, slug, invitation_id):
    cluster, grants, invitation = access.access_invitation(request.user, slug, invitation_id)
    try:
        services.revoke_invitation(invitation=invitation, by=request.user)
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        messages.success(
            request, _("Invitation for %(email)s revoked.") % {"email": invitation.email}
        )
    return redirect("people", slug=slug)


@require_http_methods(["GET", "POST"])
def invite_accept_view(request, token):
    """The link of an invitation e-mail. Unknown token: 404; used, expired or revoked: 410 and
    why. A new address sets its password here; an existing account logs in and accepts."""
    invitation = services.find(token)
    if invitation is None:
        return render(request, "people/invite_invalid.html", {"reason": None}, status=404)
    state = invitation.state()
    if state != Invitation.State.PENDING:
        return render(
            request,
            "people/invite_invalid.html",
            {"reason": _(services.REFUSALS[state])},
            status=410,
        )
    existing = services.user_by_email(invitation.email)
    context: dict[str, Any] = {"invitation": invitation, "cluster": invitation.cluster}
    if existing is not None:
        context["existing"] = True
        context["mine"] = request.user.is_authenticated and request.user.pk == existing.pk
        context["login_url"] = f"{reverse('login')}?next={request.path}"
        if request.method == "POST" and context["mine"]:
            try:
                services.accept_existing(invitation=invitation, user=request.user)
            except ValidationError as exc:
                messages_from(request, exc)
                return redirect(request.path)
            messages.success(
                request,
                _("Invitation accepted: you now have access to %(cluster)s.")
                % {"cluster": invitation.cluster.name},
            )
            return redirect("cluster_home", slug=invitation.cluster.slug)
        return render(request, "people/invite_accept.html", context)
    form = SetPasswordForm(
        User(username=invitation.email, email=invitation.email), request.POST or None
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_new(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(
                request,
                _("Your account is ready. Your login is %(login)s.") % {"login": user.username},
            )
            return redirect("cluster_home", slug=invitation.cluster.slug)
    context["form"] = form
    return render(request, "people/invite_accept.html", context)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "people/password_reset_form.html"
    email_template_name = "people/password_reset_email.txt"
    subject_template_name = "people/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "people/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "people/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.audit_password_reset(form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "people/password_reset_complete.html"
