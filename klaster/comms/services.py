"""Writes of communications (PLT-2): newsletters written, sent through the outbox and published
in the portal; addresses leaving and rejoining the newsletter; a member's choice to read in the
portal. Each write in one transaction with its audit row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klaster.comms.models import Newsletter, PortalReading, Unsubscribed
from klaster.comms.selectors import recipients
from klaster.core.audit import audit_record
from klaster.core.concurrency import ensure_fresh
from klaster.core.models import Cluster, OutboxMessage
from klaster.core.outbox import outbox_enqueue
from klaster.members.models import Member

UNSUBSCRIBE_SALT = "klaster.comms.unsubscribe"
MAX_BODY = 100_000
#: the fields a draft's form edits (its edit version is taken of them)
EDITED = ("subject", "body")


def unsubscribe_token(cluster: Cluster, email: str) -> str:
    return signing.dumps([cluster.pk, email.lower()], salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[Cluster, str] | None:
    """The cluster and address a link names, or None for a link that is not ours."""
    try:
        cluster_id, email = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    cluster = Cluster.objects.filter(pk=cluster_id).first()
    return (cluster, str(email)) if cluster is not None else None


def _check(subject: str, body: str) -> None:
    errors = {}
    if not subject.strip():
        errors["subject"] = _("Give the newsletter a subject.")
    if not body.strip():
        errors["body"] = _("The newsletter has no text.")
    elif len(body) > MAX_BODY:
        errors["body"] = _("The text is longer than %(n)s characters.") % {"n": MAX_BODY}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def newsletter_create(*, cluster: Cluster, user: Any, subject: str, body: str) -> Newsletter:
    _check(subject, body)
    letter = Newsletter.objects.create(
        cluster=cluster, subject=subject.strip(), body=body, created_by=user
    )
    audit_record(
        cluster=cluster,
        user=user,
        action="create",
        instance=letter,
        object_repr=letter.subject,
        changes={"subject": [None, letter.subject]},
    )
    return letter


@transaction.atomic
def newsletter_update(
    *, newsletter: Newsletter, user: Any, subject: str, body: str, version: str | None = None
) -> Newsletter:
    """A draft changed; a sent newsletter is never changed. ``version``: the draft's edit version
    the form was shown with — a draft changed meanwhile by someone else is refused, not merged."""
    letter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if letter.status != Newsletter.Status.DRAFT:
        raise ValidationError(_("A newsletter that was sent is not changed."))
    ensure_fresh(letter, EDITED, version)
    _check(subject, body)
    before = Newsletter(subject=letter.subject, body=letter.body)
    letter.subject, letter.body = subject.strip(), body
    letter.save()
    audit_record(
        cluster=letter.cluster,
        user=user,
        action="update",
        instance=letter,
        changes={"subject": [before.subject, letter.subject], "body": [before.body, letter.body]},
    )
    return letter


@transaction.atomic
def newsletter_delete(*, newsletter: Newsletter, user: Any) -> None:
    letter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if letter.status != Newsletter.Status.DRAFT:
        raise ValidationError(_("A newsletter that was sent is kept."))
    audit_record(
        cluster=letter.cluster,
        user=user,
        action="delete",
        instance=letter,
        object_repr=letter.subject,
    )
    letter.delete()


def _message(
    letter: Newsletter, email: str, link: Callable[[str], str], sender: str
) -> EmailMessage:
    url = link(unsubscribe_token(letter.cluster, email))
    footer = _(
        "You receive this newsletter as a member of %(cluster)s. To stop receiving newsletters "
        "at this address: %(url)s (notices of meetings still reach you, as the statute requires)."
    ) % {"cluster": letter.cluster.name, "url": url}
    return EmailMessage(
        letter.subject,
        f"{letter.body.rstrip()}\n\n-- \n{footer}\n",
        sender,
        [email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",  # RFC 8058
        },
    )


def newsletter_send(*, newsletter: Newsletter, user: Any, link: Callable[[str], str]) -> Newsletter:
    """PLT-2: the newsletter queued in the outbox, one message per notification address of every
    current member (less the addresses that left it and the members reading in the portal), and
    published in the portal; sent once. ``link(token)`` makes the unsubscribe address."""
    with transaction.atomic():
        letter = (
            Newsletter.objects.select_for_update().select_related("cluster").get(pk=newsletter.pk)
        )
        if letter.status != Newsletter.Status.DRAFT:
            raise ValidationError(_("This newsletter was sent already."))
        who = recipients(letter.cluster, newsletter=True)
        sender = settings.DEFAULT_FROM_EMAIL
        with translation.override("pl"):  # the cluster's language, whoever pressed "send"
            messages = [_message(letter, email, link, sender) for email in who.emails]
        outbox_enqueue(
            cluster=letter.cluster,
            messages=messages,
            kind=OutboxMessage.Kind.NEWSLETTER,
            source=letter.source,
            user=user,
        )
        letter.status = Newsletter.Status.SENT
        letter.sent_at = timezone.now()
        letter.sent_by = user
        letter.addresses = len(who.emails)
        letter.portal_only = who.portal_members
        letter.save()
        audit_record(
            cluster=letter.cluster,
            user=user,
            action="newsletter_send",
            instance=letter,
            object_repr=letter.subject,
            changes={"addresses": [None, letter.addresses]},
        )
    return letter


@transaction.atomic
def unsubscribe(*, cluster: Cluster, email: str, user: Any = None) -> bool:
    """The address leaves the cluster's newsletter; True when it was on it."""
    _row, created = Unsubscribed.objects.get_or_create(cluster=cluster, email=email.lower())
    if created:
        audit_record(
            cluster=cluster,
            user=user,
            action="unsubscribe",
            model="comms.unsubscribed",
            object_repr=email.lower(),
            source="web",
        )
    return created


@transaction.atomic
def resubscribe(*, cluster: Cluster, email: str, user: Any) -> bool:
    deleted, _ = Unsubscribed.objects.filter(cluster=cluster, email=email.lower()).delete()
    if deleted:
        audit_record(
            cluster=cluster,
            user=user,
            action="resubscribe",
            model="comms.unsubscribed",
            object_repr=email.lower(),
        )
    return bool(deleted)


@transaction.atomic
def portal_reading_set(*, member: Member, user: Any, portal_only: bool) -> None:
    """001 Kom. 3: the member reads newsletters and event invitations in the portal instead of
    e-mail (True), or gets them by e-mail again (False)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    had = PortalReading.objects.filter(member=member).exists()
    if portal_only and not had:
        PortalReading.objects.create(member=member)
    elif not portal_only and had:
        PortalReading.objects.filter(member=member).delete()
    else:
        return
    audit_record(
        cluster=member.cluster,
        user=user,
        action="update",
        instance=member,
        changes={"portal_reading": [had, portal_only]},
    )
