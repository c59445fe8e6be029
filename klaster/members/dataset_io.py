"""The database ↔ dataset bridge (DATASET.md): ``cluster_import`` writes a whole Dataset in
one transaction; ``dataset_from_db`` reads it back so that import(export(x)) == x."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from klaster.core.audit import audit_record
from klaster.core.models import Cluster, Strategy
from klaster.kkk import models as km
from klaster.members import geocoding
from klaster.members.models import IsoCertificate, Member, MembershipEvent, MemberYear
from klaster.rules import dataset as d

BATCH = 2000


def _s(value: str | None) -> str:
    return value or ""


def _n(value: str) -> str | None:
    return value or None


def unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "klaster"
    slug, n = base, 1
    taken = set(Cluster.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def cluster_import(ds: d.Dataset, *, user: Any = None, slug: str | None = None, source: str = "import") -> Cluster:
    """Create a cluster from a validated Dataset. All or nothing."""
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
        Strategy(cluster=cluster, position=i, name=s.name, adopted=s.adopted, valid_from=s.valid_from, valid_to=s.valid_to)
        for i, s in enumerate(c.strategies)
    )

    today = timezone.localdate()
    members = [_member_row(cluster, m, today) for m in ds.members]
    geocoding.place_members(members, coordinator_key=coord.member)
    Member.objects.bulk_create(members, batch_size=BATCH)
    by_key = {m.key: m for m in members}
    cluster.coordinator = by_key[coord.member]
    cluster.save(update_fields=["coordinator"])

    events, years, isos = [], [], []
    for m in ds.members:
        row = by_key[m.id]
        if m.joined is not None:
            events.append(MembershipEvent(member=row, kind=MembershipEvent.Kind.ADMITTED, date=m.joined))
        if m.left is not None:
            events.append(MembershipEvent(member=row, kind=MembershipEvent.Kind.RESIGNED, date=m.left,
                                          note="z pliku danych"))
        years.extend(
            MemberYear(member=row, year=y.year, revenue=y.revenue, export_revenue=y.export_revenue,
                       rd_expenditure=y.rd_expenditure, fte=y.fte)
            for y in m.years
        )
        isos.extend(IsoCertificate(member=row, standard=i.standard, ics=_s(i.ics)) for i in m.iso)
    MembershipEvent.objects.bulk_create(events, batch_size=BATCH)
    MemberYear.objects.bulk_create(years, batch_size=BATCH)
    IsoCertificate.objects.bulk_create(isos, batch_size=BATCH)

    _import_activities(cluster, ds, by_key)
    audit_record(
        cluster=cluster, user=user, action="import", instance=cluster, source=source,
        changes={"members": [None, len(ds.members)], "projects": [None, len(ds.projects)],
                 "events": [None, len(ds.events)]},
    )
    return cluster


def _member_row(cluster: Cluster, m: d.Member, today: dt.date) -> Member:
    """The cached status is the one in force today (a departure dated later is still ahead;
    members.services.statuses_bring_up_to_date applies it on its day)."""
    addr = m.address or d.Address()
    status = "active"
    if m.left is not None and m.left <= today:
        status = "former"
    elif m.joined is None or m.joined > today:
        status = "candidate"
    return Member(
        cluster=cluster, key=m.id, name=m.name, type=m.type, category=m.category,
        nip=_s(m.nip), regon=_s(m.regon), krs=_s(m.krs),
        street=_s(addr.street), postal_code=_s(addr.postal_code), city=_s(addr.city),
        lat=m.location.lat if m.location else None, lon=m.location.lon if m.location else None,
        location_given=m.location is not None,
        distance_override_km=m.distance_km,
        independent=m.independent, science_category=_s(m.science_category),
        industry40=m.industry40, certificates=list(m.certificates),
        status=status, joined=m.joined, left=m.left,
    )


def _m2m(model, field: str, pairs: Iterable[tuple[Any, Member]]) -> None:
    """Link rows in bulk. A 10,000-member file has >100,000 participations; building a model
    instance per link costs most of the import, so the pairs go in with executemany."""
    through = getattr(model, field).through
    src = model._meta.model_name + "_id"
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(through._meta.db_table)} ({qn(src)}, {qn('member_id')}) "  # noqa: S608 — names from _meta
           "VALUES (%s, %s)")
    rows = [(obj.pk, mem.pk) for obj, mem in pairs]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10 * BATCH):
            cursor.executemany(sql, rows[start:start + 10 * BATCH])


def _import_activities(cluster: Cluster, ds: d.Dataset, by_key: dict[str, Member]) -> None:
    def refs(objs, keys_of, model, field):
        _m2m(model, field, ((o, by_key[k]) for o, rec in objs for k in dict.fromkeys(keys_of(rec))))

    km.Staff.objects.bulk_create(
        km.Staff(cluster=cluster, position=i, name=s.name, email=_s(s.email), role=_s(s.role), manager=s.manager,
                 contract=_s(s.contract), employed_from=s.employed_from, employed_to=s.employed_to,
                 years_private_mgmt=s.years_private_mgmt, years_cluster_mgmt=s.years_cluster_mgmt,
                 years_intl_projects=s.years_intl_projects)
        for i, s in enumerate(ds.staff)
    )
    km.CoordinatorCertificate.objects.bulk_create(
        km.CoordinatorCertificate(cluster=cluster, position=i, kind=c.kind, name=c.name, valid_until=c.valid_until)
        for i, c in enumerate(ds.certificates)
    )
    km.SharedResource.objects.bulk_create(
        km.SharedResource(cluster=cluster, position=i, name=r.name, kind=r.kind,
                          provider=by_key[r.provider] if r.provider else None,
                          equal_preferential_access=r.equal_preferential_access)
        for i, r in enumerate(ds.shared_resources)
    )
    projects = km.Project.objects.bulk_create(
        [km.Project(cluster=cluster, position=i, key=p.id, name=p.name, type=p.type, international=p.international,
                    rd=p.rd, coordinator_participates=p.coordinator_participates, value=p.value,
                    private_contribution=p.private_contribution, funding_source=_s(p.funding_source),
                    start=p.start, end=p.end)
         for i, p in enumerate(ds.projects)], batch_size=BATCH)
    refs(zip(projects, ds.projects, strict=True), lambda p: p.participants, km.Project, "participants")
    apps = km.FundingApplication.objects.bulk_create(
        [km.FundingApplication(cluster=cluster, position=i, name=a.name, programme=_s(a.programme),
                               submitted=a.submitted, funded=a.funded)
         for i, a in enumerate(ds.funding_applications)], batch_size=BATCH)
    refs(zip(apps, ds.funding_applications, strict=True), lambda a: a.applicants, km.FundingApplication, "applicants")
    km.IpRight.objects.bulk_create(
        [km.IpRight(cluster=cluster, position=i, kind=r.kind, number=_s(r.number), title=_s(r.title),
                    holder=by_key[r.holder], protected_until=r.protected_until, mode=_s(r.mode))
         for i, r in enumerate(ds.ip_rights)], batch_size=BATCH)
    innov = km.Innovation.objects.bulk_create(
        [km.Innovation(cluster=cluster, position=i, name=n.name, introduced=n.introduced, from_rd=n.from_rd)
         for i, n in enumerate(ds.innovations)], batch_size=BATCH)
    refs(zip(innov, ds.innovations, strict=True), lambda n: n.by, km.Innovation, "by")
    events = km.Event.objects.bulk_create(
        [km.Event(cluster=cluster, position=i, name=e.name, kind=e.kind, location=_s(e.location), online=e.online,
                  date=e.date, coordinator_participated=e.coordinator_participated)
         for i, e in enumerate(ds.events)], batch_size=BATCH)
    refs(zip(events, ds.events, strict=True), lambda e: e.participants, km.Event, "participants")
    missions = km.Mission.objects.bulk_create(
        [km.Mission(cluster=cluster, position=i, name=m.name, kind=m.kind, date=m.date)
         for i, m in enumerate(ds.missions)], batch_size=BATCH)
    refs(zip(missions, ds.missions, strict=True), lambda m: m.participants, km.Mission, "participants")
    services = km.Service.objects.bulk_create(
        [km.Service(cluster=cluster, position=i, name=s.name, kind=s.kind, date=s.date)
         for i, s in enumerate(ds.services)], batch_size=BATCH)
    refs(zip(services, ds.services, strict=True), lambda s: s.beneficiaries, km.Service, "beneficiaries")
    km.Kis.objects.bulk_create(
        km.Kis(cluster=cluster, position=i, number=k.number, justification=_s(k.justification),
               consistent_with_specialisation=k.consistent_with_specialisation,
               confirmed_by_projects=k.confirmed_by_projects)
        for i, k in enumerate(ds.kis)
    )
    duals = km.DualEducation.objects.bulk_create(
        [km.DualEducation(cluster=cluster, position=i, kind=x.kind, name=_s(x.name), date=x.date)
         for i, x in enumerate(ds.dual_education)])
    refs(zip(duals, ds.dual_education, strict=True), lambda x: x.entities, km.DualEducation, "entities")
    km.DigitalInitiative.objects.bulk_create(
        km.DigitalInitiative(cluster=cluster, position=i, name=x.name, date=x.date)
        for i, x in enumerate(ds.digital_initiatives)
    )
    km.StartupCooperation.objects.bulk_create(
        km.StartupCooperation(cluster=cluster, position=i, member=by_key[x.member], startup=x.startup,
                              programme=_s(x.programme), basis=_s(x.basis), date_from=x.from_, date_to=x.to)
        for i, x in enumerate(ds.startup_cooperations)
    )
    practices: list[tuple[km.Practice, d.EntitiesPractice]] = []
    for area, items in (("circular_economy", ds.circular_economy), ("low_emission", ds.low_emission)):
        rows = km.Practice.objects.bulk_create(
            [km.Practice(cluster=cluster, position=i, area=area, kind=x.kind) for i, x in enumerate(items)])
        practices.extend(zip(rows, items, strict=True))
    refs(practices, lambda x: x.entities, km.Practice, "entities")
    products = km.JointProduct.objects.bulk_create(
        [km.JointProduct(cluster=cluster, position=i, name=x.name, introduced=x.introduced,
                         by_coordinator=x.by_coordinator, revenue=x.revenue)
         for i, x in enumerate(ds.joint_products)])
    refs(zip(products, ds.joint_products, strict=True), lambda x: x.offered_by, km.JointProduct, "offered_by")
    if ds.panel is not None:
        km.PanelScore.objects.create(
            cluster=cluster, successes_strategy=ds.panel.successes_strategy,
            knowledge_transfer=ds.panel.knowledge_transfer, public_policies=ds.panel.public_policies,
            pandemic=ds.panel.pandemic)
    km.ExpertScore.objects.bulk_create(
        km.ExpertScore(cluster=cluster, position=i, name=e.name, scores=[[k, v] for k, v in e.scores])
        for i, e in enumerate(ds.experts)
    )


# --- export -------------------------------------------------------------------------------


def _member_keys(model, field: str, cluster: Cluster) -> dict[int, list[str]]:
    through = getattr(model, field).through
    src = model._meta.model_name + "_id"
    out: dict[int, list[str]] = defaultdict(list)
    rows = through.objects.filter(**{f"{model._meta.model_name}__cluster": cluster}).order_by("id")
    for obj_id, key in rows.values_list(src, "member__key"):
        out[obj_id].append(key)
    return out


def _dec(value: Decimal | None) -> Decimal | None:
    """Coordinates, years and kilometres come back from fixed-scale columns with trailing
    zeros (53.132500); give them back as written (53.1325). Money keeps its two places."""
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


def dataset_from_db(cluster: Cluster, *, on: dt.date | None = None) -> d.Dataset:
    """The cluster as a Dataset (what `klaster export` writes and the KKK engine scores)."""
    members = list(Member.objects.filter(cluster=cluster).order_by("id"))
    key_of = {m.pk: m.key for m in members}
    years: dict[int, list[d.MemberYear]] = defaultdict(list)
    for y in MemberYear.objects.filter(member__cluster=cluster).order_by("member_id", "year"):
        years[y.member_id].append(d.MemberYear(year=y.year, revenue=y.revenue, export_revenue=y.export_revenue,
                                               rd_expenditure=y.rd_expenditure, fte=y.fte))
    isos: dict[int, list[d.Iso]] = defaultdict(list)
    for i in IsoCertificate.objects.filter(member__cluster=cluster).order_by("id"):
        isos[i.member_id].append(d.Iso(standard=i.standard, ics=_n(i.ics)))

    ds_members = []
    for m in members:
        address = None
        if m.street or m.postal_code or m.city:
            address = d.Address(street=_n(m.street), postal_code=_n(m.postal_code), city=_n(m.city))
        location = d.Location(lat=_dec(m.lat), lon=_dec(m.lon)) if m.location_given and m.lat is not None else None
        ds_members.append(d.Member(
            id=m.key, name=m.name, type=m.type, category=m.category, nip=_n(m.nip), regon=_n(m.regon),
            krs=_n(m.krs), address=address, location=location, distance_km=_dec(m.distance_override_km),
            joined=m.joined, left=m.left, independent=m.independent, science_category=_n(m.science_category),
            years=tuple(years[m.pk]), industry40=m.industry40, iso=tuple(isos[m.pk]),
            certificates=tuple(m.certificates),
        ))

    def keys(model, field):
        return _member_keys(model, field, cluster)

    def rows(model, **filters):
        return list(model.objects.filter(cluster=cluster, **filters).order_by("position", "id"))

    projects_p = keys(km.Project, "participants")
    apps_a = keys(km.FundingApplication, "applicants")
    innov_by = keys(km.Innovation, "by")
    events_p = keys(km.Event, "participants")
    missions_p = keys(km.Mission, "participants")
    services_b = keys(km.Service, "beneficiaries")
    dual_e = keys(km.DualEducation, "entities")
    practice_e = keys(km.Practice, "entities")
    product_o = keys(km.JointProduct, "offered_by")
    panel = km.PanelScore.objects.filter(cluster=cluster).first()

    spec = None
    if cluster.specialisation_classification or cluster.specialisation_codes or cluster.specialisation_description:
        spec = d.Specialisation(classification=cluster.specialisation_classification,
                                codes=tuple(cluster.specialisation_codes),
                                description=_n(cluster.specialisation_description))
    start = None
    if cluster.actual_start_year is not None:
        start = d.ActualStart(year=cluster.actual_start_year, kinds=tuple(cluster.actual_start_kinds),
                              description=_n(cluster.actual_start_description))
    contact = None
    if cluster.contact_name:
        contact = d.Contact(name=cluster.contact_name, position=_n(cluster.contact_position),
                            email=_n(cluster.contact_email), phone=_n(cluster.contact_phone),
                            address=_n(cluster.contact_address))
    ds_cluster = d.Cluster(
        name=cluster.name,
        coordinator=d.Coordinator(
            member=key_of[cluster.coordinator_id],
            clustering_experience_years=_dec(cluster.coordinator_experience_years),
            platforms=d.Platforms(communication=cluster.platform_communication,
                                  purchasing=cluster.platform_purchasing, sales=cluster.platform_sales),
            dues_revenue=cluster.dues_revenue,
        ),
        website=_n(cluster.website), specialisation=spec, agreement_date=cluster.agreement_date,
        actual_start=start, eccp_registered=cluster.eccp_registered, mode=cluster.mode,
        strategies=tuple(d.Strategy(name=s.name, adopted=s.adopted, valid_from=s.valid_from, valid_to=s.valid_to)
                         for s in cluster.strategies.order_by("position", "id")),
        contact=contact,
    )
    return d.Dataset(
        cluster=ds_cluster,
        members=tuple(ds_members),
        as_of=on or cluster.as_of,
        staff=tuple(d.Staff(name=s.name, email=_n(s.email), role=_n(s.role), manager=s.manager,
                            contract=_n(s.contract), employed_from=s.employed_from, employed_to=s.employed_to,
                            years_private_mgmt=_dec(s.years_private_mgmt),
                            years_cluster_mgmt=_dec(s.years_cluster_mgmt),
                            years_intl_projects=_dec(s.years_intl_projects)) for s in rows(km.Staff)),
        certificates=tuple(d.Certificate(kind=c.kind, name=c.name, valid_until=c.valid_until)
                           for c in rows(km.CoordinatorCertificate)),
        shared_resources=tuple(d.SharedResource(name=r.name, kind=r.kind,
                                                provider=key_of.get(r.provider_id) if r.provider_id else None,
                                                equal_preferential_access=r.equal_preferential_access)
                               for r in rows(km.SharedResource)),
        projects=tuple(d.Project(id=p.key, name=p.name, type=p.type, international=p.international, rd=p.rd,
                                 coordinator_participates=p.coordinator_participates,
                                 participants=tuple(projects_p[p.pk]), value=p.value,
                                 private_contribution=p.private_contribution,
                                 funding_source=_n(p.funding_source), start=p.start, end=p.end)
                       for p in rows(km.Project)),
        funding_applications=tuple(d.FundingApplication(name=a.name, submitted=a.submitted,
                                                        programme=_n(a.programme), funded=a.funded,
                                                        applicants=tuple(apps_a[a.pk]))
                                   for a in rows(km.FundingApplication)),
        ip_rights=tuple(d.IpRight(kind=r.kind, holder=key_of[r.holder_id], number=_n(r.number),
                                  title=_n(r.title), protected_until=r.protected_until, mode=_n(r.mode))
                        for r in rows(km.IpRight)),
        innovations=tuple(d.Innovation(name=n.name, introduced=n.introduced, by=tuple(innov_by[n.pk]),
                                       from_rd=n.from_rd) for n in rows(km.Innovation)),
        events=tuple(d.Event(name=e.name, kind=e.kind, date=e.date, location=_n(e.location), online=e.online,
                             coordinator_participated=e.coordinator_participated,
                             participants=tuple(events_p[e.pk])) for e in rows(km.Event)),
        missions=tuple(d.Mission(name=m.name, kind=m.kind, date=m.date, participants=tuple(missions_p[m.pk]))
                       for m in rows(km.Mission)),
        services=tuple(d.Service(name=s.name, kind=s.kind, date=s.date, beneficiaries=tuple(services_b[s.pk]))
                       for s in rows(km.Service)),
        kis=tuple(d.Kis(number=k.number, justification=_n(k.justification),
                        consistent_with_specialisation=k.consistent_with_specialisation,
                        confirmed_by_projects=k.confirmed_by_projects) for k in rows(km.Kis)),
        dual_education=tuple(d.DualEducation(kind=x.kind, name=_n(x.name), date=x.date,
                                             entities=tuple(dual_e[x.pk])) for x in rows(km.DualEducation)),
        digital_initiatives=tuple(d.DigitalInitiative(name=x.name, date=x.date)
                                  for x in rows(km.DigitalInitiative)),
        startup_cooperations=tuple(d.StartupCooperation(member=key_of[x.member_id], startup=x.startup,
                                                        programme=_n(x.programme), basis=_n(x.basis),
                                                        from_=x.date_from, to=x.date_to)
                                   for x in rows(km.StartupCooperation)),
        circular_economy=tuple(d.EntitiesPractice(kind=x.kind, entities=tuple(practice_e[x.pk]))
                               for x in rows(km.Practice, area="circular_economy")),
        low_emission=tuple(d.EntitiesPractice(kind=x.kind, entities=tuple(practice_e[x.pk]))
                           for x in rows(km.Practice, area="low_emission")),
        joint_products=tuple(d.JointProduct(name=x.name, introduced=x.introduced,
                                            offered_by=tuple(product_o[x.pk]), by_coordinator=x.by_coordinator,
                                            revenue=x.revenue) for x in rows(km.JointProduct)),
        panel=d.Panel(successes_strategy=panel.successes_strategy, knowledge_transfer=panel.knowledge_transfer,
                      public_policies=panel.public_policies, pandemic=panel.pandemic) if panel else None,
        experts=tuple(d.Expert(name=e.name, scores=tuple((str(k), int(v)) for k, v in e.scores))
                      for e in rows(km.ExpertScore)),
    )
