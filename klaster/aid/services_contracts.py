"""Lending contracts, their de minimis grants and certificates (AID-2, AID-3, AID-6, AID-8).

`sign_contract` turns a chosen application into a signed contract: the price list in force on
the day of signing gives the fees and the aid (per day × days of use, both ends included); the
day of grant is the day of signing (AID-2); the EUR value and the verdict come from
`klaster.aid.engine.verdict` — the one path to a verdict — and the grant is registered only when
the verdict allows it (AID-3: refused whole, never trimmed, with the headroom in EUR and PLN).

Two contracts signed at the same moment for two firms of one single undertaking can never
together break the ceiling: inside the signing transaction the whole group (the undertakings
joined on the day and those whose history it holds) is locked row by row in the order of their
ids, the group is drawn again under the lock (and the new ones locked too, until it stops
growing), and only then is the verdict computed and the grant inserted. On PostgreSQL these are
row locks; SQLite serialises every write transaction anyway.

Contracts (``UM/<year>/<seq>``) and certificates (``ZDM/<year>/<seq>``) are numbered without
gaps per year by the `Counter` row, reserved inside the issuing transaction (as money's
`reserve_numbers`). A certificate's printed fields are frozen at issue; a correction or a voiding
is a new grant and a new certificate that supersede the old ones — nothing is edited.

The member's undertaking is the register's undertaking linked to the member, else the one with
the member's NIP; when the register has neither, it is created from the member's NIP, name and
seat inside the signing transaction (a member without a valid NIP is refused: the certificate
needs it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.aid import engine
from klaster.aid.models import (
    AidSettings,
    Application,
    Certificate,
    Contract,
    Counter,
    Grant,
    PriceList,
    Undertaking,
)
from klaster.core.audit import audit_record
from klaster.core.models import Cluster
from klaster.members.models import Member
from klaster.rules.aid import model as m
from klaster.rules.aid.check import (
    AidRefused,
    Verdict,
    check,
    default_regulation,
    rate_on,
    to_eur,
    to_pln_down,
)
from klaster.rules.aid.load import valid_nip
from klaster.rules.message import Money, Msg, define

CONTRACT_SERIES = "UM"
CERTIFICATE_SERIES = "ZDM"
ZERO = Decimal("0.00")

#: the Official Journal reference printed with each regulation (AID-8)
OJ = {
    m.R2831: "Dz. Urz. UE L, 2023/2831, 15.12.2023",
    m.R1407: "Dz. Urz. UE L 352 z 24.12.2013, str. 1",
}
REGULATION_TITLE = {
    m.R2831: "Rozporządzenie Komisji (UE) 2023/2831 z dnia 13 grudnia 2023 r. w sprawie "
    "stosowania art. 107 i 108 Traktatu o funkcjonowaniu Unii Europejskiej do pomocy de minimis",
    m.R1407: "Rozporządzenie Komisji (UE) nr 1407/2013 z dnia 18 grudnia 2013 r. w sprawie "
    "stosowania art. 107 i 108 Traktatu o funkcjonowaniu Unii Europejskiej do pomocy de minimis",
}
#: the national act the certificate's form follows (AID-8)
TEMPLATE_ACT = (
    "art. 5 ust. 3 ustawy z dnia 30 kwietnia 2004 r. o postępowaniu w sprawach dotyczących "
    "pomocy publicznej; rozporządzenie Rady Ministrów w sprawie zaświadczeń o pomocy de minimis "
    "i pomocy de minimis w rolnictwie lub rybołówstwie (Dz. U. z 2024 r. poz. 1546)"
)

CORRECTION_REFUSED = define(
    "aid.contract.correction_refused",
    "Refused whole, it is not trimmed: the corrected value EUR {eur} ({pln}) with the aid used "
    "without it EUR {used} exceeds the ceiling of EUR {ceiling}; headroom EUR {headroom_eur} "
    "({headroom_pln}).",
)

CORRECTION_LATER_REFUSED = define(
    "aid.contract.correction_later_refused",
    "Refused whole: with the corrected value EUR {eur}, the aid counted on {day} — the day of a "
    "later grant to the same single undertaking — would be EUR {used}, over the ceiling of "
    "EUR {ceiling}.",
)


# -- small helpers -----------------------------------------------------------------------------


def today() -> dt.date:
    return timezone.localdate()


def reserve_number(cluster: Cluster, series: str, year: int) -> int:
    """The next number of a series and year, without gaps: the UPDATE holds the counter's row
    until the commit, so parallel issuers queue, and a rolled-back issue gives its number back.
    Must run inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbers are reserved inside the issuing transaction")
    counter, _created = Counter.objects.get_or_create(cluster=cluster, series=series, year=year)
    Counter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return Counter.objects.values_list("last", flat=True).get(pk=counter.pk)


def settings_link(cluster: Cluster) -> str:
    try:
        return reverse("aid_settings", kwargs={"slug": cluster.slug})
    except NoReverseMatch:
        return ""


def aid_settings(cluster: Cluster) -> AidSettings:
    """The grantor's data for certificates; refused, pointing to the settings page, when missing."""
    row = AidSettings.objects.filter(cluster=cluster).first()
    if row is None:
        link = settings_link(cluster)
        text = _(
            "The de minimis settings (the granting body's name, address and NIP, the legal basis "
            "and the signatory) are not filled in: a certificate cannot be issued without them."
        )
        if link:
            text += " " + _("Fill them in on the settings page: %(link)s") % {"link": link}
        raise ValidationError(text)
    return row


def price_on(equipment_id: int, day: dt.date) -> PriceList | None:
    """The price list of a product in force on ``day``."""
    return (
        PriceList.objects.filter(equipment_id=equipment_id, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )


def days_of_use(application: Application) -> int:
    return (application.end - application.start).days + 1


def member_address(member: Member) -> str:
    place = " ".join(x for x in (member.postal_code, member.city) if x)
    return ", ".join(x for x in (member.street, place) if x)


def find_undertaking(member: Member) -> Undertaking | None:
    """The register's undertaking of the member: linked to it, else with its NIP."""
    found = Undertaking.objects.filter(cluster_id=member.cluster_id, member=member).first()
    if found is None and member.nip:
        found = Undertaking.objects.filter(cluster_id=member.cluster_id, nip=member.nip).first()
    return found


def _member_nip(member: Member) -> str:
    nip = (member.nip or "").strip().replace("-", "")
    if not valid_nip(nip):
        raise ValidationError(
            _(
                "The member %(name)s has no valid NIP in the register of members: the grant and "
                "the certificate need it. Enter the NIP on the member's page first."
            )
            % {"name": member.name}
        )
    return nip


def undertaking_for(member: Member, user: Any) -> Undertaking:
    """The member's undertaking; created from the member's NIP, name and seat when the register
    has none (inside the caller's transaction: a refused signing leaves nothing)."""
    found = find_undertaking(member)
    if found is not None:
        return found
    nip = _member_nip(member)
    row = Undertaking(
        cluster_id=member.cluster_id,
        nip=nip,
        name=member.name,
        address=member_address(member)[:300],
        member=member,
    )
    row.save()
    audit_record(
        cluster=member.cluster,
        user=user,
        action="create",
        instance=row,
        object_repr=row.name,
        changes={"nip": [None, nip], "member": [None, member.name], "source": [None, "contract"]},
    )
    return row


# -- the group lock ------------------------------------------------------------------------------


def group_of(cluster_id: int, ids: Iterable[int], day: dt.date) -> set[int]:
    """The undertakings a check of ``ids`` on ``day`` reads: joined by links in force, plus those
    whose history they hold (mergers, splits), and again the links of these — as `aid_file`."""
    found = engine.group_ids(cluster_id, ids, day)
    found, _mergers, _splits = engine._history(cluster_id, found, day)
    more = engine.group_ids(cluster_id, found, day)
    if more != found:
        more, _mergers, _splits = engine._history(cluster_id, more, day)
    return more


def lock_group(cluster_id: int, root_id: int, day: dt.date) -> set[int]:
    """Lock every undertaking of ``root_id``'s group on ``day`` (select_for_update, by id), draw
    the group again under the lock, lock the new ones, until it stops growing. Returns the ids."""
    locked: set[int] = set()
    wanted = group_of(cluster_id, [root_id], day)
    while not wanted <= locked:
        new = sorted(wanted - locked)
        list(
            Undertaking.objects.select_for_update()
            .filter(pk__in=new)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        locked |= set(new)
        wanted = group_of(cluster_id, locked, day)
    return locked


#: the lock taken before a verdict; a test replaces it to show what a weaker one would let by
LOCK: Callable[[int, int, dt.date], set[int]] = lock_group


# -- the preview ---------------------------------------------------------------------------------


@dataclass
class Preview:
    """What signing would do on ``day``: fees, aid, rate and verdict (or why it cannot be made)."""

    application: Application
    day: dt.date
    regulation: str
    price: PriceList | None
    days: int
    upkeep_fee: Decimal = ZERO
    lending_fee: Decimal = ZERO
    aid_pln: Decimal = ZERO
    undertaking: Undertaking | None = None
    verdict: Verdict | None = None
    refusal: Msg | str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return self.verdict is not None and self.verdict.allowed and not self.problems

    @property
    def digest(self) -> str:
        """What the office saw: a signing whose figures differ at the POST is refused as stale."""
        a = self.application
        v = self.verdict
        raw = "|".join(
            str(x)
            for x in (
                a.pk,
                a.status,
                a.start,
                a.end,
                a.equipment_id,
                self.day,
                self.price.pk if self.price else "",
                self.upkeep_fee,
                self.lending_fee,
                self.aid_pln,
                v.rate.table.number if v else "",
                v.amount_eur if v else "",
                v.allowed if v else "",
            )
        )
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _verdict_for_new(member: Member, day: dt.date, amount: Decimal, regulation: str) -> Verdict:
    """The verdict for an undertaking not yet in the register: alone, with no grants (the rules'
    own check on a file of one, through the stored rates)."""
    nip = _member_nip(member)
    file = m.AidFile(
        undertakings=(m.Undertaking(nip, member.name),),
        links=(),
        mergers=(),
        splits=(),
        grants=(),
        rates=engine.rates(day, day),
    )
    return check(file, nip, day, amount, regulation)


def preview(application: Application, day: dt.date) -> Preview:
    """The figures and the verdict of signing ``application`` on ``day``; nothing written."""
    regulation = default_regulation(day)
    price = price_on(application.equipment_id, day)
    days = days_of_use(application)
    out = Preview(application, day, regulation, price, days)
    if application.status != Application.Status.CHOSEN:
        out.problems.append(_("Only a chosen application can get a contract."))
    if Contract.objects.filter(application_id=application.pk).exists():
        out.problems.append(_("This application has a contract already."))
    if price is None:
        out.problems.append(
            _("The product has no price list in force on %(day)s.") % {"day": f"{day:%d.%m.%Y}"}
        )
        return out
    out.upkeep_fee = price.upkeep_fee_per_day * days
    out.lending_fee = price.lending_fee_per_day * days
    out.aid_pln = price.aid_per_day * days
    member = application.member
    out.undertaking = find_undertaking(member)
    try:
        if out.undertaking is None:
            out.verdict = _verdict_for_new(member, day, out.aid_pln, regulation)
        else:
            out.verdict = engine.verdict(
                application.cluster_id, out.undertaking.nip, day, out.aid_pln, regulation
            )
    except AidRefused as exc:
        out.refusal = exc.message
    except ValidationError as exc:
        out.refusal = " ".join(exc.messages)
    return out


# -- AID-6: signing ------------------------------------------------------------------------------


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def certificate_fields(
    settings: AidSettings,
    undertaking: Undertaking,
    grant: Grant,
    issued_on: dt.date,
    *,
    kind: str = Grant.Kind.ORIGINAL,
    supersedes: Certificate | None = None,
    reason: str = "",
) -> dict[str, Any]:
    """The printed fields of the 2024 certificate template, frozen at issue (AID-8)."""
    return {
        "issued_on": issued_on.isoformat(),
        "kind": str(kind),
        "grantor": {
            "name": settings.grantor_name,
            "address": settings.grantor_address,
            "nip": settings.grantor_nip,
        },
        "beneficiary": {
            "name": undertaking.name,
            "address": undertaking.address,
            "nip": undertaking.nip,
        },
        "granted_on": grant.granted_on.isoformat(),
        "amount_pln": _plain(grant.amount_pln),
        "amount_eur": _plain(grant.amount_eur),
        "rate": {
            "table": grant.rate_table,
            "date": grant.rate_date.isoformat() if grant.rate_date else "",
            "mid": _plain(grant.rate_mid),
        },
        "legal_basis": grant.legal_basis,
        "regulation": grant.regulation,
        "regulation_title": REGULATION_TITLE.get(grant.regulation, grant.regulation),
        "regulation_oj": OJ.get(grant.regulation, ""),
        "template_act": TEMPLATE_ACT,
        "project": settings.project,
        "signatory": {"name": settings.signatory_name, "position": settings.signatory_role},
        "supersedes": (
            {"number": supersedes.number, "issued_on": supersedes.issued_on.isoformat()}
            if supersedes is not None
            else None
        ),
        "reason": reason,
    }


def _issue_certificate(
    *,
    cluster: Cluster,
    settings: AidSettings,
    undertaking: Undertaking,
    grant: Grant,
    issued_on: dt.date,
    user: Any,
    supersedes: Certificate | None = None,
    reason: str = "",
) -> Certificate:
    seq = reserve_number(cluster, CERTIFICATE_SERIES, issued_on.year)
    number = f"{CERTIFICATE_SERIES}/{issued_on.year}/{seq}"
    cert = Certificate(
        cluster=cluster,
        grant=grant,
        number=number,
        issued_on=issued_on,
        supersedes=supersedes,
        fields=certificate_fields(
            settings,
            undertaking,
            grant,
            issued_on,
            kind=grant.kind,
            supersedes=supersedes,
            reason=reason,
        ),
    )
    cert.save()
    grant.certificate_no = number
    grant.save(update_fields=["certificate_no"])
    audit_record(
        cluster=cluster,
        user=user,
        action="create",
        instance=cert,
        object_repr=number,
        changes={
            "grant": [None, grant.pk],
            "kind": [None, str(grant.kind)],
            "supersedes": [None, supersedes.number if supersedes else None],
        },
    )
    return cert


def _clean_number(cluster: Cluster, number: str | None) -> str | None:
    number = (number or "").strip()
    if not number:
        return None
    if Contract.objects.filter(cluster=cluster, number=number).exists():
        raise ValidationError({"number": _("A contract with this number exists already.")})
    return number


def sign_contract(
    *,
    application: Application,
    signed_on: dt.date,
    user: Any,
    number: str | None = None,
    expected: str | None = None,
) -> Contract:
    """AID-6: sign the lending contract of a chosen application on ``signed_on`` (the day of
    grant, AID-2) and issue its certificate; the grant only when the verdict allows it (AID-3).

    ``expected``: the preview's digest the office saw; a signing whose figures changed since is
    refused. ValidationError (naming the field) or AidRefused (the rule's message); a refusal
    leaves nothing behind."""
    if signed_on > today():
        raise ValidationError({"signed_on": _("A contract cannot be signed in the future.")})
    cluster = application.cluster
    settings = aid_settings(cluster)
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("member", "equipment", "cluster")
            .get(pk=application.pk)
        )
        if app.status != Application.Status.CHOSEN:
            raise ValidationError(
                _("Only a chosen application can get a contract; this one is %(status)s.")
                % {"status": app.get_status_display()}
            )
        if Contract.objects.filter(application_id=app.pk).exists():
            raise ValidationError(_("This application has a contract already."))
        number = _clean_number(cluster, number)
        price = price_on(app.equipment_id, signed_on)
        if price is None:
            raise ValidationError(
                {
                    "signed_on": _("The product has no price list in force on %(day)s.")
                    % {"day": f"{signed_on:%d.%m.%Y}"}
                }
            )
        undertaking = undertaking_for(app.member, user)
        LOCK(cluster.pk, undertaking.pk, signed_on)
        shown = preview(app, signed_on)  # recomputed under the lock
        if expected is not None and expected != shown.digest:
            raise ValidationError(
                _(
                    "The application, the price list or the register changed since the page was "
                    "shown: check the new figures and sign again."
                )
            )
        regulation = shown.regulation
        # the one path to a verdict (AidRefused propagates: a missing rate stops it, AID-2)
        verdict = engine.verdict(cluster.pk, undertaking.nip, signed_on, shown.aid_pln, regulation)
        if not verdict.allowed:
            raise AidRefused("AID-3", verdict.message)
        table = verdict.rate.table
        grant = Grant(
            cluster=cluster,
            undertaking=undertaking,
            kind=Grant.Kind.ORIGINAL,
            source=Grant.Source.CONTRACT,
            body_name=settings.grantor_name,
            body_nip=settings.grantor_nip,
            regulation=regulation,
            granted_on=signed_on,
            amount_pln=shown.aid_pln,
            amount_eur=verdict.amount_eur,
            rate_table=table.number,
            rate_date=table.date,
            rate_mid=table.mid,
            legal_basis=settings.legal_basis[:500],
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        grant.save()
        if number is None:
            seq = reserve_number(cluster, CONTRACT_SERIES, signed_on.year)
            number = f"{CONTRACT_SERIES}/{signed_on.year}/{seq}"
        contract = Contract(
            cluster=cluster,
            application=app,
            number=number,
            signed_on=signed_on,
            start=app.start,
            end=app.end,
            upkeep_fee=shown.upkeep_fee,
            lending_fee=shown.lending_fee,
            aid_pln=shown.aid_pln,
            grant=grant,
            created_by=grant.created_by,
        )
        contract.save()
        audit_record(
            cluster=cluster,
            user=user,
            action="create",
            instance=contract,
            object_repr=number,
            changes={
                "member": [None, app.member.name],
                "equipment": [None, app.equipment.name],
                "signed_on": [None, signed_on.isoformat()],
                "aid_pln": [None, str(shown.aid_pln)],
                "aid_eur": [None, str(verdict.amount_eur)],
                "rate_table": [None, table.number],
            },
        )
        audit_record(
            cluster=cluster,
            user=user,
            action="update",
            instance=app,
            object_repr=f"{app.member.name}: {app.equipment.name}",
            changes={"status": [app.status, Application.Status.CONTRACTED], "contract": number},
        )
        app.status = Application.Status.CONTRACTED
        app.save(update_fields=["status", "updated_at"])
        _issue_certificate(
            cluster=cluster,
            settings=settings,
            undertaking=undertaking,
            grant=grant,
            issued_on=signed_on,
            user=user,
        )
    return contract


# -- AID-8: corrections and voidings as new records ---------------------------------------------


def current_certificate(cert: Certificate) -> Certificate:
    """The last certificate of a chain (the one not superseded)."""
    row = cert
    while True:
        nxt = Certificate.objects.filter(supersedes=row).first()
        if nxt is None:
            return row
        row = nxt


def chain(contract: Contract) -> list[Certificate]:
    """The contract's certificates in order of issue: the first, then its corrections."""
    first = Certificate.objects.filter(grant_id=contract.grant_id).select_related("grant").first()
    out: list[Certificate] = []
    row = first
    while row is not None:
        out.append(row)
        row = Certificate.objects.filter(supersedes=row).select_related("grant").first()
    return out


def _locked_certificate(cert: Certificate) -> Certificate:
    row = (
        Certificate.objects.select_for_update(of=("self",)).select_related("grant").get(pk=cert.pk)
    )
    if (
        Certificate.objects.filter(supersedes=row).exists()
        or Grant.objects.filter(supersedes_id=row.grant_id).exists()
    ):
        raise ValidationError(
            _("This certificate was corrected or voided already: act on the latest one.")
        )
    if row.grant.kind == Grant.Kind.VOID:
        raise ValidationError(_("A voiding certificate cannot be corrected."))
    return row


def _check_later_grants(
    cluster_id: int, undertaking: Undertaking, day: dt.date, eur: Decimal
) -> None:
    """AID-3: a corrected grant counts in the windows of the grants given after it too: the
    same single undertaking (linked on the day of grant or today, with the undertakings whose
    grants passed to it) must stay within the ceiling on each later day of grant, under that
    grant's regulation. The first day that would go over refuses the correction whole."""
    try:  # no window is longer than three years (AID-3)
        three_years = day.replace(year=day.year + 3)
    except ValueError:  # 29 February
        three_years = dt.date(day.year + 3, 2, 28)
    later_end = min(today(), three_years)
    if later_end <= day:
        return
    ids = engine.group_ids(cluster_id, [undertaking.pk], day) | engine.group_ids(
        cluster_id, [undertaking.pk], today()
    )
    ids = engine._history(cluster_id, ids, today())[0]
    later = (
        engine.counting_grants(cluster_id)
        .filter(undertaking_id__in=ids, granted_on__gt=day, granted_on__lte=later_end)
        .values_list("granted_on", "regulation", "undertaking__nip")
        .distinct()
        .order_by("granted_on")
    )
    for later_day, regulation, nip in later:
        check = engine.verdict(cluster_id, nip, later_day, ZERO, regulation)
        if check.used_eur > check.ceiling.eur:
            raise AidRefused(
                "AID-3",
                Msg.of(
                    CORRECTION_LATER_REFUSED,
                    eur=eur,
                    day=later_day,
                    used=check.used_eur,
                    ceiling=check.ceiling.eur,
                ),
            )


def correct_certificate(
    *,
    certificate: Certificate,
    amount_pln: Decimal,
    reason: str,
    user: Any,
    granted_on: dt.date | None = None,
    issued_on: dt.date | None = None,
) -> Certificate:
    """AID-8: a correction is a new grant (kind correction) superseding the old one and a new
    certificate superseding the old certificate; the ceiling is checked again on the corrected
    value (refused whole). Nothing is edited."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    if amount_pln is None or amount_pln <= 0:
        raise ValidationError({"amount_pln": _("The corrected value must be more than zero.")})
    issued_on = issued_on or today()
    cluster = certificate.cluster
    settings = aid_settings(cluster)
    with transaction.atomic():
        cert = _locked_certificate(certificate)
        old = cert.grant
        day = granted_on or old.granted_on
        if day > today():
            raise ValidationError({"granted_on": _("The day of grant cannot be in the future.")})
        amount = amount_pln.quantize(Decimal("0.01"))
        if amount == old.amount_pln and day == old.granted_on:
            raise ValidationError({"amount_pln": _("The corrected values are the same as before.")})
        undertaking = old.undertaking
        LOCK(cluster.pk, undertaking.pk, day)
        rate = rate_on(engine.rates(day, day), day)  # AidRefused when the rate is missing
        eur = to_eur(amount, rate.table.mid)
        grant = Grant(
            cluster=cluster,
            undertaking=undertaking,
            kind=Grant.Kind.CORRECTION,
            supersedes=old,
            source=old.source,
            body_name=old.body_name,
            body_nip=old.body_nip,
            regulation=old.regulation,
            granted_on=day,
            amount_pln=amount,
            amount_eur=eur,
            rate_table=rate.table.number,
            rate_date=rate.table.date,
            rate_mid=rate.table.mid,
            legal_basis=old.legal_basis,
            reason=reason[:500],
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        grant.save()
        # the corrected grant counts now in place of the old one: the ceiling with it
        verdict = engine.verdict(cluster.pk, undertaking.nip, day, ZERO, old.regulation)
        if verdict.used_eur > verdict.ceiling.eur:
            used = verdict.used_eur - eur
            headroom = max(ZERO, verdict.ceiling.eur - used)
            raise AidRefused(
                "AID-3",
                Msg.of(
                    CORRECTION_REFUSED,
                    eur=eur,
                    pln=Money(amount),
                    used=used,
                    ceiling=verdict.ceiling.eur,
                    headroom_eur=headroom,
                    headroom_pln=Money(to_pln_down(headroom, rate.table.mid)),
                ),
            )
        _check_later_grants(cluster.pk, undertaking, day, eur)
        audit_record(
            cluster=cluster,
            user=user,
            action="create",
            instance=grant,
            object_repr=f"{old.certificate_no} ({_('correction')})",
            changes={
                "supersedes": [None, old.pk],
                "amount_pln": [str(old.amount_pln), str(amount)],
                "granted_on": [old.granted_on.isoformat(), day.isoformat()],
                "reason": [None, reason],
            },
        )
        return _issue_certificate(
            cluster=cluster,
            settings=settings,
            undertaking=undertaking,
            grant=grant,
            issued_on=issued_on,
            user=user,
            supersedes=cert,
            reason=reason,
        )


def void_contract(
    *, contract: Contract, reason: str, user: Any, issued_on: dt.date | None = None
) -> Certificate:
    """AID-8: the contract is voided — a voiding grant row supersedes its current grant (the aid
    stops counting) and a voiding certificate supersedes its current certificate; the contract's
    status becomes void. Nothing else is edited."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the voiding.")})
    issued_on = issued_on or today()
    cluster = contract.cluster
    settings = aid_settings(cluster)
    with transaction.atomic():
        row = Contract.objects.select_for_update().get(pk=contract.pk)
        if row.status == Contract.Status.VOID:
            raise ValidationError(_("This contract is void already."))
        certs = chain(row)
        if not certs:
            raise ValidationError(_("This contract has no certificate to void."))
        cert = _locked_certificate(certs[-1])
        old = cert.grant
        grant = Grant(
            cluster=cluster,
            undertaking=old.undertaking,
            kind=Grant.Kind.VOID,
            supersedes=old,
            source=old.source,
            body_name=old.body_name,
            body_nip=old.body_nip,
            regulation=old.regulation,
            granted_on=old.granted_on,
            amount_pln=ZERO,
            amount_eur=ZERO,
            rate_table=old.rate_table,
            rate_date=old.rate_date,
            rate_mid=old.rate_mid,
            legal_basis=old.legal_basis,
            reason=reason[:500],
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        grant.save()
        audit_record(
            cluster=cluster,
            user=user,
            action="update",
            instance=row,
            object_repr=row.number,
            changes={"status": [row.status, Contract.Status.VOID], "reason": reason},
        )
        row.status = Contract.Status.VOID
        row.save(update_fields=["status"])
        return _issue_certificate(
            cluster=cluster,
            settings=settings,
            undertaking=old.undertaking,
            grant=grant,
            issued_on=issued_on,
            user=user,
            supersedes=cert,
            reason=reason,
        )


def refusal_text(exc: AidRefused | ValidationError) -> list[str]:
    """A refusal in the reader's language (views, commands)."""
    from klaster.core.say import say

    if isinstance(exc, AidRefused):
        return [say(exc.message)]
    return list(exc.messages)
