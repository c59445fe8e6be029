"""The office's register of undertakings and grants (AID-1, AID-3; issue 11 points 2 and 3).

Writes are atomic and audited; a grant that counts is never edited — a correction or a voiding
is a new grant row that supersedes it (the engine counts the newest of each chain). Certificates
from other granting bodies come in from CSV or XLSX in two steps: `parse_certificates` reads and
checks the file (bounded before it is parsed, every problem named by row and column, in Polish),
the office sees the preview, and `import_certificates` writes all of it or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from klaster.aid.models import ControlLink, Grant, ImportBatch, Regulation, Undertaking
from klaster.core.audit import audit_record
from klaster.core.models import Cluster
from klaster.members.models import Member
from klaster.rules.aid.load import valid_nip

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

#: the columns of a certificates file, by their Polish header (what a coordinator types)
COLUMNS = (
    ("nip", "NIP beneficjenta"),
    ("name", "Nazwa beneficjenta"),
    ("body", "Organ udzielający"),
    ("body_nip", "NIP organu"),
    ("regulation", "Rozporządzenie"),
    ("date", "Dzień udzielenia"),
    ("pln", "Wartość brutto PLN"),
    ("eur", "Wartość EUR"),
    ("certificate", "Numer zaświadczenia"),
)
REQUIRED = ("nip", "name", "body", "regulation", "date")


def clean_nip(value: str) -> str:
    """A NIP as stored: ten digits, without dashes, spaces or the PL prefix."""
    text = "".join(str(value or "").split()).replace("-", "").upper().removeprefix("PL")
    return text


def _nip_or_error(value: str, field_name: str) -> str:
    nip = clean_nip(value)
    if not valid_nip(nip):
        raise ValidationError({field_name: _("%(value)s is not a valid NIP.") % {"value": value}})
    return nip


# -- undertakings and links (AID-1) ---------------------------------------------------------


def undertaking_add(
    *,
    cluster: Cluster,
    user,
    nip: str,
    name: str,
    address: str = "",
    member: Member | None = None,
    fiscal_month: int = 1,
    fiscal_day: int = 1,
    road_freight: bool = False,
) -> Undertaking:
    nip = _nip_or_error(nip, "nip")
    if not 1 <= fiscal_month <= 12 or not 1 <= fiscal_day <= 28:
        raise ValidationError(
            {"fiscal_year_start_day": _("The fiscal year starts on a day 1–28 of a month 1–12.")}
        )
    if member is not None and member.cluster_id != cluster.pk:
        raise ValidationError({"member": _("Choose a member of this cluster.")})
    with transaction.atomic():
        if Undertaking.objects.filter(cluster=cluster, nip=nip).exists():
            raise ValidationError({"nip": _("This NIP is already in the register.")})
        row = Undertaking.objects.create(
            cluster=cluster,
            nip=nip,
            name=name.strip(),
            address=address.strip(),
            member=member,
            fiscal_year_start_month=fiscal_month,
            fiscal_year_start_day=fiscal_day,
            road_freight=road_freight,
        )
        audit_record(cluster=cluster, user=user, action="create", instance=row)
    return row


def undertaking_for_member(*, member: Member, user) -> Undertaking:
    """The member's undertaking in the register, made from the member's own data if missing."""
    found = Undertaking.objects.filter(cluster=member.cluster, member=member).first()
    if found:
        return found
    found = Undertaking.objects.filter(cluster=member.cluster, nip=clean_nip(member.nip)).first()
    if found:
        with transaction.atomic():
            found.member = member
            found.save(update_fields=["member"])
            audit_record(cluster=member.cluster, user=user, action="update", instance=found)
        return found
    address = ", ".join(
        p for p in (member.street, f"{member.postal_code} {member.city}".strip()) if p
    )
    return undertaking_add(
        cluster=member.cluster,
        user=user,
        nip=member.nip,
        name=member.name,
        address=address,
        member=member,
    )


def link_add(
    *,
    cluster: Cluster,
    user,
    parent: Undertaking,
    child: Undertaking,
    start: dt.date,
    end: dt.date | None,
    basis: str,
    note: str = "",
) -> ControlLink:
    """A dated control link, Art. 2(2) (AID-1): both ends included; an overlapping link between
    the same two undertakings is refused."""
    if parent.pk == child.pk:
        raise ValidationError({"child": _("An undertaking cannot control itself.")})
    if end is not None and end < start:
        raise ValidationError({"end": _("The link cannot end before it starts.")})
    if basis and basis not in ControlLink.Basis.values:
        raise ValidationError({"basis": _("Choose the basis a–d.")})
    with transaction.atomic():
        same = ControlLink.objects.select_for_update().filter(
            cluster=cluster, parent=parent, child=child
        )
        for other in same:
            if other.start <= (end or dt.date.max) and start <= (other.end or dt.date.max):
                raise ValidationError(
                    {"start": _("These two are already linked for part of that time.")}
                )
        row = ControlLink.objects.create(
            cluster=cluster,
            parent=parent,
            child=child,
            start=start,
            end=end,
            basis=basis,
            note=note,
        )
        audit_record(
            cluster=cluster,
            user=user,
            action="create",
            instance=row,
            object_repr=f"{parent.name} → {child.name}",
        )
    return row


def link_end(*, link: ControlLink, user, end: dt.date) -> ControlLink:
    if end < link.start:
        raise ValidationError({"end": _("The link cannot end before it starts.")})
    with transaction.atomic():
        row = ControlLink.objects.select_for_update().get(pk=link.pk)
        before = row.end
        row.end = end
        row.save(update_fields=["end"])
        audit_record(
            cluster=row.cluster,
            user=user,
            action="update",
            instance=row,
            object_repr=f"{row.parent.name} → {row.child.name}",
            changes={"end": [before.isoformat() if before else None, end.isoformat()]},
        )
    return row


# -- grants (AID-1, AID-3) -------------------------------------------------------------------


def _amounts(pln: Decimal | None, eur: Decimal | None) -> None:
    if pln is None and eur is None:
        raise ValidationError({"amount_pln": _("Give the value in PLN, in EUR or both.")})
    for name, value in (("amount_pln", pln), ("amount_eur", eur)):
        if value is not None and (value <= 0 or value != value.quantize(Decimal("0.01"))):
            raise ValidationError({name: _("A value above zero with at most two decimals.")})


def grant_add(
    *,
    cluster: Cluster,
    user,
    undertaking: Undertaking,
    body_name: str,
    body_nip: str,
    regulation: str,
    granted_on: dt.date,
    amount_pln: Decimal | None,
    amount_eur: Decimal | None,
    certificate_no: str = "",
    legal_basis: str = "",
) -> Grant:
    """A grant from another body typed from its certificate (source office)."""
    if regulation not in Regulation.values:
        raise ValidationError({"regulation": _("Choose the regulation the aid was granted under.")})
    _amounts(amount_pln, amount_eur)
    if body_nip:
        body_nip = _nip_or_error(body_nip, "body_nip")
    with transaction.atomic():
        row = Grant.objects.create(
            cluster=cluster,
            undertaking=undertaking,
            source=Grant.Source.OFFICE,
            body_name=body_name.strip(),
            body_nip=body_nip,
            regulation=regulation,
            granted_on=granted_on,
            amount_pln=amount_pln,
            amount_eur=amount_eur,
            certificate_no=certificate_no.strip(),
            legal_basis=legal_basis.strip(),
            created_by=user,
        )
        audit_record(
            cluster=cluster,
            user=user,
            action="create",
            instance=row,
            object_repr=f"{undertaking.name}: {row}",
        )
    return row


def grant_supersede(
    *,
    grant: Grant,
    user,
    reason: str,
    void: bool = False,
    amount_pln: Decimal | None = None,
    amount_eur: Decimal | None = None,
    granted_on: dt.date | None = None,
) -> Grant:
    """A correction (new values) or a voiding of a grant, as a new row that supersedes it; the
    old row stays as it was (AID-3, AID-8). Only the newest of a chain can be superseded; a
    grant of the cluster's own contracts is corrected on its contract (its certificate)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the grant is corrected or voided.")})
    if grant.source == Grant.Source.CONTRACT:
        raise ValidationError(
            {"reason": _("A grant of the cluster's own contract is corrected on its contract.")}
        )
    if not void:
        _amounts(amount_pln, amount_eur)
    with transaction.atomic():
        old = Grant.objects.select_for_update().get(pk=grant.pk)
        if Grant.objects.filter(supersedes=old).exists() or old.kind == Grant.Kind.VOID:
            raise ValidationError({"reason": _("This grant was already corrected or voided.")})
        row = Grant.objects.create(
            cluster=old.cluster,
            undertaking=old.undertaking,
            kind=Grant.Kind.VOID if void else Grant.Kind.CORRECTION,
            supersedes=old,
            source=old.source,
            body_name=old.body_name,
            body_nip=old.body_nip,
            regulation=old.regulation,
            granted_on=granted_on or old.granted_on,
            amount_pln=None if void else amount_pln,
            amount_eur=None if void else amount_eur,
            certificate_no=old.certificate_no,
            legal_basis=old.legal_basis,
            ref=old.ref,
            reason=reason.strip(),
            created_by=user,
        )
        audit_record(
            cluster=old.cluster,
            user=user,
            action="update",
            instance=old,
            object_repr=f"{old.undertaking.name}: {old}",
            changes={"kind": [old.kind, row.kind]},
        )
    return row


# -- certificates from other bodies: CSV / XLSX with a preview (AID-1) ---------------------------


@dataclass
class Parsed:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    digest: str = ""
    new_undertakings: list[tuple[str, str]] = field(default_factory=list)


def _cells(data: bytes, filename: str) -> list[list[str]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.worksheets[0]
        out = []
        for i, row in enumerate(ws.iter_rows(values_only=True)):
            if i > MAX_ROWS:
                break
            out.append(
                [
                    "" if v is None else (v.isoformat()[:10] if isinstance(v, dt.date) else str(v))
                    for v in row[:20]
                ]
            )
        wb.close()
        return out
    text = data.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,\t") if text.strip() else csv.excel
    return [row[:20] for row in csv.reader(io.StringIO(text), dialect)][: MAX_ROWS + 1]


def _date(value: str) -> dt.date | None:
    value = value.strip()
    try:
        if "." in value:
            day, month, year = value.split(".")
            return dt.date(int(year), int(month), int(day))
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _money(value: str) -> Decimal | None:
    text = value.strip().replace(" ", "").replace("\xa0", "").replace(",", ".")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None


def parse_certificates(cluster: Cluster, data: bytes, filename: str) -> Parsed:
    """Read a file of certificates; every problem is named by row and column."""
    out = Parsed(digest=hashlib.sha256(data).hexdigest())
    if len(data) > MAX_FILE_BYTES:
        out.errors.append(_("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // 2**20})
        return out
    if not filename.lower().endswith((".csv", ".xlsx")):
        out.errors.append(_("Send a CSV or XLSX file."))
        return out
    try:
        cells = _cells(data, filename)
    except Exception:  # noqa: BLE001 — any unreadable file is the same refusal to the user
        out.errors.append(_("The file cannot be read as CSV or XLSX."))
        return out
    if not cells:
        out.errors.append(_("The file is empty."))
        return out
    if len(cells) > MAX_ROWS + 1:
        out.errors.append(_("At most %(n)s rows at once.") % {"n": MAX_ROWS})
        return out
    header = [c.strip().lower() for c in cells[0]]
    index: dict[str, int] = {}
    for key, title in COLUMNS:
        if title.lower() in header:
            index[key] = header.index(title.lower())
        elif key in REQUIRED:
            out.errors.append(_("Column “%(column)s” is missing.") % {"column": title})
    if out.errors:
        return out
    titles = dict(COLUMNS)
    known = dict(Undertaking.objects.filter(cluster=cluster).values_list("nip", "name"))
    new: dict[str, str] = {}
    for n, row in enumerate(cells[1:], start=2):
        if not any(c.strip() for c in row):
            continue

        def get(key: str, row: list[str] = row) -> str:
            i = index.get(key)
            return row[i].strip() if i is not None and i < len(row) else ""

        def bad(key: str, why: str, n: int = n) -> None:
            out.errors.append(
                _("Row %(row)s, “%(column)s”: %(why)s")
                % {"row": n, "column": titles[key], "why": why}
            )

        before = len(out.errors)
        for key in REQUIRED:
            if not get(key):
                bad(key, _("empty"))
        nip = clean_nip(get("nip"))
        if get("nip") and not valid_nip(nip):
            bad("nip", _("not a valid NIP"))
        if get("body_nip") and not valid_nip(clean_nip(get("body_nip"))):
            bad("body_nip", _("not a valid NIP"))
        regulation = get("regulation").replace(" ", "")
        if get("regulation") and regulation not in Regulation.values:
            bad("regulation", _("one of %(allowed)s") % {"allowed": ", ".join(Regulation.values)})
        day = _date(get("date"))
        if get("date") and day is None:
            bad("date", _("not a date (RRRR-MM-DD or DD.MM.RRRR)"))
        amounts: dict[str, Decimal | None] = {}
        for key in ("pln", "eur"):
            try:
                value = _money(get(key))
            except ValueError:
                bad(key, _("not an amount"))
                continue
            if value is not None and (value <= 0 or value != value.quantize(Decimal("0.01"))):
                bad(key, _("above zero, at most two decimals"))
            amounts[key] = value
        if not amounts.get("pln") and not amounts.get("eur") and len(out.errors) == before:
            bad("pln", _("give PLN, EUR or both"))
        if len(out.errors) > before:
            continue
        if nip not in known and nip not in new:
            new[nip] = get("name")
        out.rows.append(
            {
                "row": n,
                "nip": nip,
                "name": known.get(nip) or new[nip],
                "body": get("body"),
                "body_nip": clean_nip(get("body_nip")),
                "regulation": regulation,
                "date": day,
                "pln": amounts.get("pln"),
                "eur": amounts.get("eur"),
                "certificate": get("certificate"),
            }
        )
        if len(out.errors) > 50:
            break
    out.new_undertakings = sorted(new.items())
    if not out.rows and not out.errors:
        out.errors.append(_("The file has no grants."))
    return out


def import_certificates(
    *, cluster: Cluster, user, data: bytes, filename: str, digest: str
) -> ImportBatch:
    """Write the previewed file: the same bytes (``digest`` of the preview), all or nothing."""
    parsed = parse_certificates(cluster, data, filename)
    if parsed.digest != digest:
        raise ValidationError({"file": _("The file changed since the preview: preview it again.")})
    if parsed.errors:
        raise ValidationError({"file": parsed.errors})
    with transaction.atomic():
        if ImportBatch.objects.filter(
            cluster=cluster, filename=f"{filename} [{digest[:12]}]"
        ).exists():
            raise ValidationError({"file": _("This file was already imported.")})
        batch = ImportBatch.objects.create(
            cluster=cluster,
            filename=f"{filename} [{digest[:12]}]",
            rows=len(parsed.rows),
            created_by=user,
        )
        members = {m.nip: m for m in Member.objects.filter(cluster=cluster).exclude(nip="")}
        by_nip = {u.nip: u for u in Undertaking.objects.filter(cluster=cluster)}
        for nip, name in parsed.new_undertakings:
            by_nip[nip] = Undertaking.objects.create(
                cluster=cluster, nip=nip, name=name, member=members.get(nip)
            )
        Grant.objects.bulk_create(
            Grant(
                cluster=cluster,
                undertaking=by_nip[r["nip"]],
                source=Grant.Source.IMPORT,
                body_name=r["body"],
                body_nip=r["body_nip"],
                regulation=r["regulation"],
                granted_on=r["date"],
                amount_pln=r["pln"],
                amount_eur=r["eur"],
                certificate_no=r["certificate"],
                batch=batch,
                created_by=user,
            )
            for r in parsed.rows
        )
        audit_record(
            cluster=cluster,
            user=user,
            action="import",
            instance=batch,
            object_repr=_("%(n)s de minimis certificates") % {"n": len(parsed.rows)},
        )
    return batch
