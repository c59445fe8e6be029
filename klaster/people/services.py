"""People and access (PLT-1): invite, accept, revoke. Each change is one transaction with its
audit entry (PLT-4); e-mail goes out through the configured SMTP server after the commit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from klaster.core.audit import audit_record
from klaster.core.mailbox import CLUSTER_HEADER
from klaster.core.models import Cluster, ClusterRole, Role
from klaster.core.smtp import smtp_send
from klaster.members.models import Member
from klaster.people.models import EXPIRY, Invitation


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_by_email(email: str) -> Any:
    """The account of this address (its e-mail or its login), or None."""
    User = get_user_model()  # noqa: N806
    email = email.strip()
    return (
        User.objects.filter(email__iexact=email).order_by("pk").first()
        or User.objects.filter(username__iexact=email).order_by("pk").first()
    )


@dataclass(frozen=True)
class Sent:
    invitation: Invitation
    error: str


def invite(
    *,
    cluster: Cluster,
    email: str,
    role: str,
    member: Member | None,
    by: Any,
    link: Any,
) -> Sent:
    """Invite ``email`` to ``role`` in ``cluster`` (a representative: of ``member``). ``link(token)``
    gives the absolute address of the acceptance page. Refused (ValidationError naming the field)
    when the person already holds the role or an invitation to it is still waiting."""
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if role == Role.REPRESENTATIVE:
        if member is None or member.cluster_id != cluster.pk:
            raise ValidationError(
                {"member": _("A member representative needs the member it represents.")}
            )
    else:
        member = None
    existing = user_by_email(email)
    if (
        existing is not None
        and ClusterRole.objects.filter(
            user=existing, cluster=cluster, role=role, member=member
        ).exists()
    ):
        raise ValidationError({"email": _("This person already has this role in the cluster.")})
    now = timezone.now()
    if Invitation.objects.filter(
        cluster=cluster,
        email__iexact=email,
        role=role,
        member=member,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).exists():
        raise ValidationError(
            {
                "email": _(
                    "An invitation for this address to this role is still waiting. Revoke it to send a new one."
                )
            }
        )
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation(
            cluster=cluster,
            email=email,
            role=role,
            member=member,
            invited_by=by if getattr(by, "is_authenticated", False) else None,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + EXPIRY,
        )
        invitation.save()
        audit_record(
            cluster=cluster,
            user=by,
            action="create",
            instance=invitation,
            changes={
                "email": [None, email],
                "role": [None, role],
                "member": [None, str(member) if member else None],
            },
            source="people",
        )
    error = send_invitation(invitation, link(token))
    if error:
        with transaction.atomic():
            Invitation.objects.filter(pk=invitation.pk).update(send_error=error[:500])
            invitation.send_error = error[:500]
            audit_record(
                cluster=cluster,
                user=by,
                action="update",
                instance=invitation,
                changes={"send_error": ["", error[:500]]},
                source="people",
            )
    return Sent(invitation, error)


def send_invitation(invitation: Invitation, url: str) -> str:
    cluster = invitation.cluster
    role = invitation.get_role_display()
    if invitation.member is not None:
        role = f"{role} ({invitation.member.name})"
    subject = _("Invitation to %(cluster)s") % {"cluster": cluster.name}
    body = _(
        "Hello,\n\nyou are invited to %(cluster)s in Klaster as: %(role)s.\n\n"
        "To accept, open this link and set your password (if you already have an account with "
        "this e-mail, log in instead):\n%(url)s\n\n"
        "The link can be used once and is valid until %(until)s.\n\n%(cluster)s\n"
    ) % {
        "cluster": cluster.name,
        "role": role,
        "url": url,
        "until": timezone.localtime(invitation.expires_at).strftime("%d.%m.%Y %H:%M"),
    }
    message = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
        headers={CLUSTER_HEADER: cluster.slug},
    )
    sent, error = smtp_send([message])
    if not sent and not error:
        error = _("The mail server did not accept the message.")
    return error


def find(token: str) -> Invitation | None:
    """The invitation of a link's token (by its hash), or None."""
    return (
        Invitation.objects.select_related("cluster", "member")
        .filter(token_hash=token_hash(token))
        .first()
    )


REFUSALS: dict[str, str] = {
    Invitation.State.ACCEPTED: gettext_noop("This invitation link has already been used."),
    Invitation.State.EXPIRED: gettext_noop(
        "This invitation link has expired. Ask the cluster office for a new one."
    ),
    Invitation.State.REVOKED: gettext_noop("This invitation has been revoked."),
}


def _locked(invitation: Invitation) -> Invitation:
    """The invitation re-read under a row lock, refused unless it still waits (single use: two
    requests with one link cannot both accept it)."""
    fresh = Invitation.objects.select_for_update().get(pk=invitation.pk)
    state = fresh.state()
    if state != Invitation.State.PENDING:
        raise ValidationError(_(REFUSALS[state]))
    return fresh


def _grant(invitation: Invitation, user: Any) -> ClusterRole:
    role, _created = ClusterRole.objects.get_or_create(
        user=user, cluster=invitation.cluster, role=invitation.role, member=invitation.member
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    audit_record(
        cluster=invitation.cluster,
        user=user,
        action="update",
        instance=invitation,
        changes={"accepted_at": [None, str(invitation.accepted_at)], "user": [None, str(user)]},
        source="people",
    )
    audit_record(
        cluster=invitation.cluster,
        user=user,
        action="create",
        instance=role,
        changes={"role": [None, role.role], "member": [None, str(role.member or "") or None]},
        source="people",
    )
    return role


def accept_new(*, invitation: Invitation, password: str) -> Any:
    """A new account for the invitation's address with ``password`` (already validated), and
    the role. Refused when an account with this address exists (it logs in and accepts)."""
    User = get_user_model()  # noqa: N806
    with transaction.atomic():
        invitation = _locked(invitation)
        if user_by_email(invitation.email) is not None:
            raise ValidationError(
                _("An account with this e-mail already exists: log in to accept the invitation.")
            )
        user = User(username=invitation.email, email=invitation.email)
        user.set_password(password)
        user.save()
        audit_record(
            cluster=invitation.cluster,
            user=user,
            action="create",
            instance=user,
            object_repr=invitation.email,
            changes={"username": [None, user.username], "email": [None, user.email]},
            source="people",
        )
        _grant(invitation, user)
    return user


def accept_existing(*, invitation: Invitation, user: Any) -> ClusterRole:
    """The signed-in account of the invitation's address takes the role."""
    with transaction.atomic():
        invitation = _locked(invitation)
        if user_by_email(invitation.email) != user:
            raise ValidationError(
                _("This invitation was sent to another e-mail address than your account's.")
            )
        return _grant(invitation, user)


def revoke_role(*, role: ClusterRole, by: Any) -> None:
    """Removes a grant; the cluster's last office grant is refused (someone must run it)."""
    with transaction.atomic():
        locked = ClusterRole.objects.select_for_update().filter(cluster=role.cluster)
        if role.role == Role.OFFICE and (
            sum(1 for r in locked if r.role == Role.OFFICE and r.pk != role.pk) == 0
        ):
            raise ValidationError(
                _("This is the cluster office's last account: invite another office person first.")
            )
        audit_record(
            cluster=role.cluster,
            user=by,
            action="delete",
            instance=role,
            changes={
                "user": [str(role.user), None],
                "role": [role.role, None],
                "member": [str(role.member) if role.member else None, None],
            },
            source="people",
        )
        role.delete()


def revoke_invitation(*, invitation: Invitation, by: Any) -> None:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        state = invitation.state()
        if state in (Invitation.State.ACCEPTED, Invitation.State.REVOKED):
            raise ValidationError(_(REFUSALS[state]))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            cluster=invitation.cluster,
            user=by,
            action="update",
            instance=invitation,
            changes={"revoked_at": [None, str(invitation.revoked_at)]},
            source="people",
        )


def audit_password_reset(user: Any) -> None:
    """A password set from a reset link, in the log of each cluster the person belongs to."""
    with transaction.atomic():
        clusters: list[Cluster | None] = list(Cluster.objects.filter(roles__user=user).distinct())
        for cluster in clusters or [None]:
            audit_record(
                cluster=cluster,
                user=user,
                action="update",
                instance=user,
                object_repr=user.email or user.username,
                changes={"password": ["—", _("set from a reset link")]},
                source="people",
            )
