"""The dataset file into the database (DATASET.md): ``cluster_import`` writes a whole Dataset in
one transaction — the cluster, its members, the KKK records and the bank accounts (the money
app's ``ClusterAccount`` and ``PayerAccount``). The way back is ``cluster_export``:
``klaster.kkk.dataset.dataset_from_db`` (the KKK engine scores what it reads) with the bank
accounts, which the KKK engine does not read, added here, so that import(export(x)) == x."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from operator import attrgetter
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from klaster.core.audit import audit_record
from klaster.core.bulk import insert_rows
from klaster.core.models import Cluster, Strategy
from klaster.kkk import models as km
from klaster.kkk.dataset import dataset_from_db
from klaster.members import geocoding
from klaster.members.models import (
    IsoCertificate,
    Member,
    MembershipEvent,
    MemberYear,
    member_search_text,
)
from klaster.money.models import ClusterAccount, PayerAccount
from klaster.rules import dataset as d
from klaster.rules import identifiers
from klaster.rules.dataset.errors import DatasetError, Issue
from klaster.rules.money.bank.model import normalize_account, valid_iban


def _s(value: str | None) -> str:
    return value or ""


def postal_codes(ds: d.Dataset) -> dict[str, str]:
    """MEM-9 at the register's door: every member's postal code through the one normaliser
    (``"15001"`` → ``"15-001"``), by member id. DATASET.md leaves the address free, so the KKK
    engine only notes a code it cannot read and leaves the member unplaced; the register keeps
    no such code, because a code nobody can read would move the member's distance unseen. Any
    refusal stops the whole import, each named by its path, before anything is written."""
    found: dict[str, str] = {}
    issues: list[Issue] = []
    for i, m in enumerate(ds.members):
        typed = m.address.postal_code if m.address is not None else None
        if not typed:
            continue
        try:
            found[m.id] = identifiers.normalise("postal_code", typed)
        except identifiers.IdentifierError as exc:
            where = f"members[{i}].address.postal_code"
            issues.append(Issue(where, "identifier", {"reason": exc.code, "value": typed}))
    if issues:
        raise DatasetError(issues)
    return found


def bank_accounts(ds: d.Dataset) -> tuple[list[str], dict[str, list[str]]]:
    """The cluster's accounts and each member's (by member id), as the money app stores and
    compares them (``normalize_account``: no spaces, no PL prefix), each once. The loader has
    refused a bad one already; a Dataset made in code is checked here the same way, every bad
    account named by its path, before anything is written."""
    issues: list[Issue] = []

    def normalised(accounts: tuple[str, ...], where: str) -> list[str]:
        out: dict[str, None] = {}
        for i, account in enumerate(accounts):
            if valid_iban(account):
                out[normalize_account(account)] = None
            else:
                issues.append(
                    Issue(f"{where}.bank_accounts[{i}]", "bank_account", {"value": account})
                )
        return list(out)

    own = normalised(ds.cluster.bank_accounts, "cluster")
    payers = {
        m.id: normalised(m.bank_accounts, f"members[{i}]")
        for i, m in enumerate(ds.members)
        if m.bank_accounts
    }
    if issues:
        raise DatasetError(issues)
    return own, payers


def _as_written(account: str) -> str:
    """A stored account as a dataset writes it: a Polish NRB (26 digits) as its IBAN."""
    return f"PL{account}" if len(account) == 26 and account.isdigit() else account


def cluster_export(cluster: Cluster) -> d.Dataset:
    """The cluster as a Dataset (what `klaster export` writes): ``dataset_from_db`` and the bank
    accounts, in the order they were stored, a Polish NRB written as its IBAN."""
    ds = dataset_from_db(cluster)
    own = ClusterAccount.objects.filter(cluster=cluster).order_by("id")
    payers: dict[str, list[str]] = defaultdict(list)
    rows = PayerAccount.objects.filter(member__cluster=cluster).order_by("id")
    for key, account in rows.values_list("member__key", "account"):
        payers[key].append(_as_written(account))
    return replace(
        ds,
        cluster=replace(
            ds.cluster,
            bank_accounts=tuple(_as_written(a) for a in own.values_list("account", flat=True)),
        ),
        members=tuple(
            replace(m, bank_accounts=tuple(payers[m.id])) if m.id in payers else m
            for m in ds.members
        ),
    )


def unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "klaster"
    slug, n = base, 1
    taken = set(Cluster.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def cluster_import(
    ds: d.Dataset, *, user: Any = None, slug: str | None = None, source: str = "import"
) -> Cluster:
    """Create a cluster from a validated Dataset. All or nothing."""
    codes = postal_codes(ds)
    own_accounts, payer_accounts = bank_accounts(ds)
    c = ds.cluster
    spec = c.specialisation
    start = c.actual_start
    coord = c.coordinator
    contact = c.contact
    cluster = Cluster.objects.create(
        slug=slug or unique_slug(c.name),
        name=c.name,
        website=_s(c.website),
        specialisation_classification=spec.classification if spec else "",
        specialisation_codes=list(spec.codes) if spec else [],
        specialisation_description=_s(spec.description) if spec else "",
        agreement_date=c.agreement_date,
        actual_start_year=start.year if start else None,
        actual_start_kinds=list(start.kinds) if start else [],
        actual_start_description=_s(start.description) if start else "",
        eccp_registered=c.eccp_registered,
        mode=c.mode,
        as_of=ds.as_of,
        coordinator_experience_years=coord.clustering_experience_years,
        platform_communication=coord.platforms.communication,
        platform_purchasing=coord.platforms.purchasing,
        platform_sales=coord.platforms.sales,
        dues_revenue=coord.dues_revenue,
        contact_name=contact.name if contact else "",
        contact_position=_s(contact.position) if contact else "",
        contact_email=_s(contact.email) if contact else "",
        contact_phone=_s(contact.phone) if contact else "",
        contact_address=_s(contact.address) if contact else "",
    )
    Strategy.objects.bulk_create(
        Strategy(
            cluster=cluster,
            position=i,
            name=s.name,
            adopted=s.adopted,
            valid_from=s.valid_from,
            valid_to=s.valid_to,
        )
        for i, s in enumerate(c.strategies)
    )
    ClusterAccount.objects.bulk_create(
        ClusterAccount(cluster=cluster, account=account) for account in own_accounts
    )

    today = timezone.localdate()
    members = [_member_row(cluster, m, today, codes.get(m.id, "")) for m in ds.members]
    geocoding.place_members(members, coordinator_key=coord.member)
    ids = _insert_members(cluster, members)
    cluster.coordinator = Member.objects.get(pk=ids[coord.member])
    cluster.save(update_fields=["coordinator"])

    events: list[tuple[Any, ...]] = []
    years: list[tuple[Any, ...]] = []
    isos: list[tuple[Any, ...]] = []
    admitted, resigned = MembershipEvent.Kind.ADMITTED.value, MembershipEvent.Kind.RESIGNED.value
    for m in ds.members:
        pk = ids[m.id]
        if m.joined is not None:
            events.append((pk, admitted, m.joined, ""))
        if m.left is not None:
            events.append((pk, resigned, m.left, "z pliku danych"))
        years.extend(
            (pk, y.year, y.revenue, y.export_revenue, y.rd_expenditure, y.fte) for y in m.years
        )
        isos.extend((pk, i.standard, _s(i.ics)) for i in m.iso)
    insert_rows(MembershipEvent, ["member_id", "kind", "date", "note"], events)
    insert_rows(
        MemberYear,
        ["member_id", "year", "revenue", "export_revenue", "rd_expenditure", "fte"],
        years,
    )
    insert_rows(IsoCertificate, ["member_id", "standard", "ics"], isos)
    insert_rows(
        PayerAccount,
        ["member_id", "account"],
        ((ids[key], account) for key, accounts in payer_accounts.items() for account in accounts),
    )

    _import_activities(cluster, ds, ids)
    audit_record(
        cluster=cluster,
        user=user,
        action="import",
        instance=cluster,
        source=source,
        changes={
            "members": [None, len(ds.members)],
            "projects": [None, len(ds.projects)],
            "events": [None, len(ds.events)],
        },
    )
    return cluster


def _member_row(cluster: Cluster, m: d.Member, today: dt.date, postal_code: str) -> SimpleNamespace:
    """A member's columns, by attname, as `Member(...)` would take them (a model instance per
    member cost more than inserting it). The cached status is the one in force today (a
    departure dated later is still ahead; members.services.statuses_bring_up_to_date applies
    it on its day). Placing fills lat, lon, location_note and distance_km."""
    addr = m.address or d.Address()
    status = "active"
    if m.left is not None and m.left <= today:
        status = "former"
    elif m.joined is None or m.joined > today:
        status = "candidate"
    return SimpleNamespace(
        cluster_id=cluster.pk,
        key=m.id,
        name=m.name,
        type=m.type,
        category=m.category,
        nip=_s(m.nip),
        regon=_s(m.regon),
        krs=_s(m.krs),
        street=_s(addr.street),
        postal_code=postal_code,
        city=_s(addr.city),
        lat=m.location.lat if m.location else None,
        lon=m.location.lon if m.location else None,
        location_given=m.location is not None,
        distance_km=None,
        distance_override_km=m.distance_km,
        location_note="",
        independent=m.independent,
        science_category=_s(m.science_category),
        industry40=m.industry40,
        certificates=list(m.certificates),
        status=status,
        joined=m.joined,
        left=m.left,
        search=member_search_text(m.name, _s(addr.city)),  # what Member.save() would store
    )


def _insert_members(cluster: Cluster, members: list[SimpleNamespace]) -> dict[str, int]:
    """Insert the rows (every other column takes its default, as in a new Member); the
    members' ids by key."""
    if not members:
        return {}
    fields = list(vars(members[0]))
    insert_rows(Member, fields, map(attrgetter(*fields), members))
    return dict(Member.objects.filter(cluster=cluster).order_by().values_list("key", "pk"))


def _records(
    model: type[Model],
    cluster: Cluster,
    fields: list[str],
    rows: Iterable[tuple[Any, ...]],
    **where: Any,
) -> list[int]:
    """Insert one kind of the cluster's records, `position` their order in the file; their ids in
    that order (read back by position, `where` narrowing to this insert's rows)."""
    rows = list(rows)
    if not rows:
        return []
    insert_rows(
        model,
        ["cluster_id", "position", *fields],
        ((cluster.pk, i, *row) for i, row in enumerate(rows)),
    )
    ids = dict(
        model._default_manager.filter(cluster=cluster, **where)
        .order_by()
        .values_list("position", "pk")
    )
    return [ids[i] for i in range(len(rows))]


def _links(
    model: type[Model],
    field: str,
    ids: list[int],
    records: Iterable[Any],
    members_of: Callable[[Any], Iterable[int]],
) -> None:
    """The member links of records just inserted (`ids` in the order of `records`), a member
    named twice in one record linked once. A 10,000-member file has >100,000 of them."""
    through = getattr(model, field).through
    rows = (
        (pk, member)
        for pk, rec in zip(ids, records, strict=True)
        for member in dict.fromkeys(members_of(rec))
    )
    insert_rows(through, [f"{model._meta.model_name}_id", "member_id"], rows)


def _import_activities(cluster: Cluster, ds: d.Dataset, ids: dict[str, int]) -> None:
    """The KKK records, file order kept in `position`; member references by the members' ids."""

    def each(
        model: type[Model], fields: str, rows: Iterable[tuple[Any, ...]], **where: Any
    ) -> list[int]:
        return _records(model, cluster, fields.split(), rows, **where)

    each(
        km.Staff,
        "name email role manager contract employed_from employed_to years_private_mgmt "
        "years_cluster_mgmt years_intl_projects",
        (
            (
                s.name,
                _s(s.email),
                _s(s.role),
                s.manager,
                _s(s.contract),
                s.employed_from,
                s.employed_to,
                s.years_private_mgmt,
                s.years_cluster_mgmt,
                s.years_intl_projects,
            )
            for s in ds.staff
        ),
    )
    each(
        km.CoordinatorCertificate,
        "kind name valid_until",
        ((c.kind, c.name, c.valid_until) for c in ds.certificates),
    )
    each(
        km.SharedResource,
        "name kind provider_id equal_preferential_access",
        (
            (r.name, r.kind, ids[r.provider] if r.provider else None, r.equal_preferential_access)
            for r in ds.shared_resources
        ),
    )
    projects = each(
        km.Project,
        "key name type international rd coordinator_participates value "
        "private_contribution funding_source start end",
        (
            (
                p.id,
                p.name,
                p.type,
                p.international,
                p.rd,
                p.coordinator_participates,
                p.value,
                p.private_contribution,
                _s(p.funding_source),
                p.start,
                p.end,
            )
            for p in ds.projects
        ),
    )
    _links(
        km.Project,
        "participants",
        projects,
        ds.projects,
        lambda p: (ids[k] for k in p.participants),
    )
    apps = each(
        km.FundingApplication,
        "name programme submitted funded",
        ((a.name, _s(a.programme), a.submitted, a.funded) for a in ds.funding_applications),
    )
    _links(
        km.FundingApplication,
        "applicants",
        apps,
        ds.funding_applications,
        lambda a: (ids[k] for k in a.applicants),
    )
    each(
        km.IpRight,
        "kind number title holder_id protected_until mode",
        (
            (r.kind, _s(r.number), _s(r.title), ids[r.holder], r.protected_until, _s(r.mode))
            for r in ds.ip_rights
        ),
    )
    innovations = each(
        km.Innovation,
        "name introduced from_rd",
        ((n.name, n.introduced, n.from_rd) for n in ds.innovations),
    )
    _links(km.Innovation, "by", innovations, ds.innovations, lambda n: (ids[k] for k in n.by))
    events = each(
        km.Event,
        "name kind location online date coordinator_participated",
        (
            (e.name, e.kind, _s(e.location), e.online, e.date, e.coordinator_participated)
            for e in ds.events
        ),
    )
    _links(km.Event, "participants", events, ds.events, lambda e: (ids[k] for k in e.participants))
    missions = each(km.Mission, "name kind date", ((m.name, m.kind, m.date) for m in ds.missions))
    _links(
        km.Mission,
        "participants",
        missions,
        ds.missions,
        lambda m: (ids[k] for k in m.participants),
    )
    services = each(km.Service, "name kind date", ((s.name, s.kind, s.date) for s in ds.services))
    _links(
        km.Service,
        "beneficiaries",
        services,
        ds.services,
        lambda s: (ids[k] for k in s.beneficiaries),
    )
    each(
        km.Kis,
        "number justification consistent_with_specialisation confirmed_by_projects",
        (
            (
                k.number,
                _s(k.justification),
                k.consistent_with_specialisation,
                k.confirmed_by_projects,
            )
            for k in ds.kis
        ),
    )
    duals = each(
        km.DualEducation,
        "kind name date",
        ((x.kind, _s(x.name), x.date) for x in ds.dual_education),
    )
    _links(
        km.DualEducation,
        "entities",
        duals,
        ds.dual_education,
        lambda x: (ids[k] for k in x.entities),
    )
    each(km.DigitalInitiative, "name date", ((x.name, x.date) for x in ds.digital_initiatives))
    each(
        km.StartupCooperation,
        "member_id startup programme basis date_from date_to",
        (
            (ids[x.member], x.startup, _s(x.programme), _s(x.basis), x.from_, x.to)
            for x in ds.startup_cooperations
        ),
    )
    for area, items in (
        ("circular_economy", ds.circular_economy),
        ("low_emission", ds.low_emission),
    ):
        practices = each(km.Practice, "area kind", ((area, x.kind) for x in items), area=area)
        _links(km.Practice, "entities", practices, items, lambda x: (ids[k] for k in x.entities))
    products = each(
        km.JointProduct,
        "name introduced by_coordinator revenue",
        ((x.name, x.introduced, x.by_coordinator, x.revenue) for x in ds.joint_products),
    )
    _links(
        km.JointProduct,
        "offered_by",
        products,
        ds.joint_products,
        lambda x: (ids[k] for k in x.offered_by),
    )
    if ds.panel is not None:
        km.PanelScore.objects.create(
            cluster=cluster,
            successes_strategy=ds.panel.successes_strategy,
            knowledge_transfer=ds.panel.knowledge_transfer,
            public_policies=ds.panel.public_policies,
            pandemic=ds.panel.pandemic,
        )
    each(
        km.ExpertScore, "name scores", ((e.name, [[k, v] for k, v in e.scores]) for e in ds.experts)
    )
