"""The cluster's own grants to report to SHRIMP, the state-aid register of UOKiK (AID-8).

Art. 32 ust. 1 ustawy z dnia 30 kwietnia 2004 r. o postępowaniu w sprawach dotyczących pomocy
publicznej obliges a granting body to report aid granted to the President of UOKiK, and ust. 10
makes the report go through SHRIMP's forms (text checked on lexlege.pl). The current text of
art. 32 does not itself name a term; the 7 days "od dnia udzielenia pomocy" are the term of the
Council of Ministers' regulation on these reports (rozporządzenie z dnia 7 sierpnia 2008 r. w
sprawie sprawozdań o udzielonej pomocy publicznej…, Dz. U. Nr 153, poz. 952, z późn. zm., § 6):
its 2013 amendment (text on prawo.legeo.pl) adds to § 6 a 45-day term "w terminie 45 dni od dnia
udzielenia pomocy" for one kind of aid beside the general one, and its 2007 predecessor (§ 5 ust.
1 pkt 2, sip.lex.pl) set "7 dni od dnia udzielenia pomocy publicznej". The current wording of § 6
ust. 2 itself was not read here.
The term is read in calendar days without the day of grant (art. 111 § 2 k.c. as the general
rule): a grant of 1 December is due by 8 December inclusive, overdue from 9 December. A
correction or a voiding is its own grant row and is reported as its own record, from its own day of grant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from klaster.aid.models import Grant
from klaster.core.models import Cluster

DAYS = 7

DUE = "due"
OVERDUE = "overdue"
REPORTED = "reported"


def deadline(granted_on: dt.date) -> dt.date:
    """The last day to report a grant of `granted_on` (the day of grant + 7 calendar days)."""
    return granted_on + dt.timedelta(days=DAYS)


def state(grant: Grant, today: dt.date) -> str:
    if grant.reported_on is not None:
        return REPORTED
    return OVERDUE if today > deadline(grant.granted_on) else DUE


@dataclass(frozen=True)
class Row:
    grant: Grant
    deadline: dt.date
    state: str
    days_left: int


def own_grants(cluster: Cluster):
    return (
        Grant.objects.filter(cluster=cluster, source=Grant.Source.CONTRACT)
        .select_related(
            "undertaking__member", "supersedes", "contract__application__equipment", "cluster"
        )
        .order_by("granted_on", "pk")
    )


def rows(cluster: Cluster, today: dt.date) -> list[Row]:
    """Every own grant with its deadline and state: overdue first, then due, then reported."""
    out = [
        Row(g, deadline(g.granted_on), state(g, today), (deadline(g.granted_on) - today).days)
        for g in own_grants(cluster)
    ]
    order = {OVERDUE: 0, DUE: 1, REPORTED: 2}
    out.sort(key=lambda r: (order[r.state], r.deadline, r.grant.pk))
    return out


def unreported(cluster: Cluster, today: dt.date) -> list[Row]:
    return [r for r in rows(cluster, today) if r.state != REPORTED]


def sheet(grant: Grant) -> list[tuple[str, str, str]]:
    """The grant's data in the order of SHRIMP's form: (section, field, value). Fields the
    register does not hold are given empty, for the office to fill in SHRIMP."""
    from django.utils.translation import gettext as _

    u = grant.undertaking
    settings = getattr(grant.cluster, "aid_settings", None)
    kind = grant.get_kind_display()
    return [
        (_("Granting body"), _("Name"), settings.grantor_name if settings else grant.body_name),
        (_("Granting body"), "NIP", settings.grantor_nip if settings else grant.body_nip),
        (_("Beneficiary"), "NIP", u.nip),
        (_("Beneficiary"), _("Name"), u.name),
        (_("Beneficiary"), _("Address (municipality)"), u.address),
        (_("Beneficiary"), _("Size class"), size_class(u)),
        (_("Beneficiary"), _("PKD of the activity"), pkd_class(u)),
        (_("Aid"), _("Record"), kind),
        (_("Aid"), _("Corrects"), grant.supersedes.certificate_no if grant.supersedes else ""),
        (
            _("Aid"),
            _("Legal basis"),
            grant.legal_basis or (settings.legal_basis if settings else ""),
        ),
        (_("Aid"), _("Regulation"), grant.get_regulation_display()),
        (_("Aid"), _("Form of aid"), _("making infrastructure available (lending equipment)")),
        (_("Aid"), _("Purpose of aid"), _("de minimis aid")),
        (_("Aid"), _("Day of grant"), grant.granted_on.strftime("%d.%m.%Y")),
        (_("Aid"), _("Nominal value (PLN)"), _fmt(grant.amount_pln)),
        (_("Aid"), _("Gross grant equivalent (PLN)"), _fmt(grant.amount_pln)),
        (_("Aid"), _("Gross grant equivalent (EUR)"), _fmt(grant.amount_eur)),
        (
            _("Aid"),
            _("NBP rate"),
            f"{grant.rate_mid} ({grant.rate_table})" if grant.rate_mid else "",
        ),
        (_("Aid"), _("Certificate number"), grant.certificate_no),
    ]


def size_class(undertaking) -> str:
    """SHRIMP's "wielkość beneficjenta" from the member's size in the register (MEM-1: micro,
    small, medium, large); empty for an undertaking that is not a member, or a member that is not
    an enterprise (an institution, a university: the office says what SHRIMP should get)."""
    from django.utils.translation import pgettext

    member = undertaking.member
    names = {  # the wording of SHRIMP's list (a person, not a company: "przedsiębiorca")
        "micro": pgettext("SHRIMP size class", "micro-enterprise"),
        "small": pgettext("SHRIMP size class", "small enterprise"),
        "medium": pgettext("SHRIMP size class", "medium-sized enterprise"),
        "large": pgettext("SHRIMP size class", "other enterprise (large)"),
    }
    return names.get(member.type, "") if member is not None else ""


def pkd_class(undertaking) -> str:
    """The PKD class (NN.NN) of the member's main activity — the first of its PKD codes — as
    a suggestion for SHRIMP's "PKD of the activity the aid is for"; empty without one."""
    member = undertaking.member
    codes = list(member.pkd_codes or []) if member is not None else []
    return str(codes[0])[:5] if codes else ""


def _fmt(v) -> str:
    if v is None:
        return ""
    return f"{v:,.2f}".replace(",", " ").replace(".", ",")
