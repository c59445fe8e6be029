"""Proxies (GOV-4): recorded with the time the e-mail reached the coordinator, decided by the rules
(deadline, giver's right, the cap as the lower of share and count), refused with the reason."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from klaster.core.audit import audit_record
from klaster.governance import literals
from klaster.governance.models import Attendance, AttendanceMode, Meeting, Proxy
from klaster.governance.selectors import (
    _holder_own_votes,
    holder_key,
    voting_roll_for,
)
from klaster.governance.services.meetings import meeting_statute_pin
from klaster.members.models import Member
from klaster.rules import governance as rules
from klaster.rules import identifiers
from klaster.rules.calendar import WARSAW
from klaster.rules.governance.proxies import NO_PROXIES, SUPERSEDED, WITHDRAWN
from klaster.rules.message import Msg, Term, to_json


@transaction.atomic
def proxy_grant(
    *,
    meeting: Meeting,
    user: Any,
    giver: Member,
    holder_name: str,
    received_at: dt.datetime,
    holder_user: Any = None,
) -> Proxy:
    """Record a proxy and decide it now. The returned proxy is `accepted` or `refused`, with the
    rule's reason either way; a later accepted proxy of the same giver supersedes the earlier one.
    A closed meeting takes none: what happened at it is settled."""
    meeting = (
        Meeting.objects.select_for_update().select_related("organ", "cluster").get(pk=meeting.pk)
    )
    _refuse_closed(meeting)
    if giver.cluster_id != meeting.cluster_id:
        raise ValidationError({"giver": _("The grantor is not a member of this cluster.")})
    if not holder_name.strip():
        holder_name = (
            holder_user.get_full_name() or holder_user.get_username() if holder_user else ""
        )
    if not holder_name.strip():
        raise ValidationError({"holder_name": _("Give the proxy holder (a natural person).")})
    if received_at.tzinfo is None:
        raise ValidationError({"received_at": _("Give the time of receipt with a time zone.")})
    profile = meeting_statute_pin(meeting, user).profile
    kind = literals.organ(meeting.organ.kind)
    proxy = Proxy(
        meeting=meeting,
        giver=giver,
        holder_name=holder_name.strip()[:200],
        holder_user=holder_user,
        received_at=received_at,
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    roll = voting_roll_for(meeting, profile)
    if profile.organ(kind).proxy is None:
        proxy.status, proxy.code = Proxy.Status.REFUSED, "not_provided"
        proxy.reason_msg = to_json(
            rules.NotInStatute(
                profile, Msg.of(NO_PROXIES, organ=Term("organ", kind)), "GOV-4"
            ).message
        )
    else:
        existing = list(
            Proxy.objects.select_for_update()
            .filter(meeting=meeting, status=Proxy.Status.ACCEPTED)
            .order_by("received_at", "id")
        )
        modes = dict(
            Attendance.objects.filter(
                meeting=meeting, mode__in=[AttendanceMode.IN_PERSON, AttendanceMode.ONLINE]
            ).values_list("member_id", "mode")
        )
        entitled = set(roll.entitled_ids)
        own = _holder_own_votes(
            meeting.cluster, [*existing, proxy], modes, {int(i) for i in entitled}
        )
        grants = [
            rules.ProxyGrant(str(p.pk), str(p.giver_id), holder_key(p), p.received_at)
            for p in existing
        ]
        grants.append(rules.ProxyGrant("new", str(giver.pk), holder_key(proxy), received_at))
        evaluation = rules.evaluate_proxies(
            profile,
            kind,
            meeting.date,
            entitled,
            {str(m): literals.attendance_mode(md) for m, md in modes.items()},
            grants,
            own,
        )
        decision = next(d for d in evaluation.decisions if d.proxy_id == "new")
        proxy.code, proxy.reason_msg = decision.code, to_json(decision.message)
        if decision.accepted:
            proxy.status = Proxy.Status.ACCEPTED
        elif decision.code == "superseded":
            # An earlier proxy received after this one: the later will stands; this one is kept, refused.
            proxy.status = Proxy.Status.REFUSED
        else:
            proxy.status = Proxy.Status.REFUSED
        if decision.accepted:
            for old in existing:
                if old.giver_id == giver.pk:
                    old.status, old.code = Proxy.Status.SUPERSEDED, "superseded"
                    old.reason_msg = to_json(Msg.of(SUPERSEDED))
                    old.save(update_fields=["status", "code", "reason_msg"])
    proxy.save()
    audit_record(
        cluster=meeting.cluster,
        user=user,
        action=f"proxy_{proxy.status}",
        instance=proxy,
        object_repr=f"{giver} → {proxy.holder_name}",
        changes={
            "received_at": [None, received_at.isoformat()],
            "decision": [None, proxy.reason_msg],
        },
    )
    return proxy


def _refuse_closed(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CLOSED:
        raise ValidationError(
            _(
                "The meeting “{meeting}” is closed: proxies are no longer accepted or withdrawn. "
                "Proxies are recorded before or during the meeting."
            ).format(meeting=meeting)
        )


@transaction.atomic
def proxy_withdraw(*, proxy: Proxy, user: Any) -> Proxy:
    proxy = Proxy.objects.select_for_update().select_related("meeting__cluster").get(pk=proxy.pk)
    _refuse_closed(proxy.meeting)
    before = proxy.status
    proxy.status, proxy.reason_msg = Proxy.Status.WITHDRAWN, to_json(Msg.of(WITHDRAWN))
    proxy.save(update_fields=["status", "reason_msg"])
    audit_record(
        cluster=proxy.meeting.cluster,
        user=user,
        action="proxy_withdraw",
        instance=proxy,
        changes={"status": [before, proxy.status]},
    )
    return proxy


@dataclass(frozen=True)
class ImportRow:
    line: int
    giver: str
    holder: str
    proxy: Proxy | None
    error: str


def _parse_when(value: str) -> dt.datetime:
    value = value.strip()
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M"):
        try:
            return dt.datetime.strptime(value, fmt).replace(tzinfo=WARSAW)
        except ValueError:
            continue
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            f"Nieczytelny czas otrzymania: {value!r} (np. 2025-06-10 14:30)."
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=WARSAW)


def proxies_import_csv(*, meeting: Meeting, user: Any, content: str) -> list[ImportRow]:
    """Import proxies from CSV with columns `giver` (member key, NIP or name), `holder` (a natural
    person; a login name links the account) and `received_at` (Warsaw time). Each row is one
    `proxy_grant` — decided in order, every refusal with its reason; a malformed row is reported.
    A closed meeting refuses the whole file at once."""
    _refuse_closed(Meeting.objects.select_related("cluster").get(pk=meeting.pk))
    reader = csv.DictReader(
        io.StringIO(content.lstrip("\ufeff")),
        delimiter=";" if ";" in content.split("\n")[0] else ",",
    )
    needed = {"giver", "holder", "received_at"}
    if not reader.fieldnames or not needed <= {f.strip() for f in reader.fieldnames}:
        raise ValidationError(_("The CSV file must have the columns: giver, holder, received_at."))
    users = get_user_model()
    out: list[ImportRow] = []
    rows = [{k.strip(): (v or "").strip() for k, v in r.items() if k} for r in reader]
    rows.sort(key=lambda r: r["received_at"])
    for n, r in enumerate(rows, start=2):
        giver_ref, holder = r["giver"], r["holder"]
        try:
            ref = Q(key=giver_ref) | Q(name=giver_ref)
            nip = identifiers.lookup_nip(
                giver_ref
            )  # MEM-4: "PL 526-025-02-74" as the form stores it
            if nip and len(nip) == 10:
                ref |= Q(nip=nip)
            giver = Member.objects.get(ref, cluster=meeting.cluster)
        except (Member.DoesNotExist, Member.MultipleObjectsReturned):
            out.append(
                ImportRow(
                    n,
                    giver_ref,
                    holder,
                    None,
                    _("No single member matches “{ref}”.").format(ref=giver_ref),
                )
            )
            continue
        try:
            when = _parse_when(r["received_at"])
        except ValidationError as exc:
            out.append(ImportRow(n, giver_ref, holder, None, " ".join(exc.messages)))
            continue
        # only an account with a role in this cluster: another tenant's logins stay unknown here
        holder_user = users.objects.filter(
            username=holder, cluster_roles__cluster=meeting.cluster
        ).first()
        try:
            proxy = proxy_grant(
                meeting=meeting,
                user=user,
                giver=giver,
                holder_name=holder,
                received_at=when,
                holder_user=holder_user,
            )
        except ValidationError as exc:
            out.append(ImportRow(n, giver_ref, holder, None, " ".join(exc.messages)))
            continue
        out.append(
            ImportRow(
                n,
                giver_ref,
                holder,
                proxy,
                "" if proxy.status == Proxy.Status.ACCEPTED else proxy.reason_words,
            )
        )
    return out
