"""The cluster as a Dataset (DATASET.md), read from the database: what the KKK engine scores
(``klaster.kkk.selectors``) and what ``klaster export`` writes (``klaster.exchange``). It reads the
member registry and the KKK records; ``klaster.exchange.dataset_io.cluster_import`` is its
inverse, so that import(export(x)) == x."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Literal, overload

from klaster.core.literals import one_of
from klaster.core.models import Cluster
from klaster.kkk import models as km
from klaster.members.models import IsoCertificate, Member, MemberYear
from klaster.rules import dataset as d


def _n(value: str) -> str | None:
    return value or None


def _member_keys(model, field: str, cluster: Cluster) -> dict[int, list[str]]:
    through = getattr(model, field).through
    src = model._meta.model_name + "_id"
    out: dict[int, list[str]] = defaultdict(list)
    rows = through.objects.filter(**{f"{model._meta.model_name}__cluster": cluster}).order_by("id")
    for obj_id, key in rows.values_list(src, "member__key"):
        out[obj_id].append(key)
    return out


_MODES: tuple[Literal["grant", "renewal"], ...] = ("grant", "renewal")


@overload
def _dec(value: Decimal) -> Decimal: ...
@overload
def _dec(value: Decimal | None) -> Decimal | None: ...
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
        years[y.member_id].append(
            d.MemberYear(
                year=y.year,
                revenue=y.revenue,
                export_revenue=y.export_revenue,
                rd_expenditure=y.rd_expenditure,
                fte=y.fte,
            )
        )
    isos: dict[int, list[d.Iso]] = defaultdict(list)
    for i in IsoCertificate.objects.filter(member__cluster=cluster).order_by("id"):
        isos[i.member_id].append(d.Iso(standard=i.standard, ics=_n(i.ics)))

    ds_members = []
    for m in members:
        address = None
        if m.street or m.postal_code or m.city:
            address = d.Address(street=_n(m.street), postal_code=_n(m.postal_code), city=_n(m.city))
        location = (
            d.Location(lat=_dec(m.lat), lon=_dec(m.lon))
            if m.location_given and m.lat is not None and m.lon is not None
            else None
        )
        ds_members.append(
            d.Member(
                id=m.key,
                name=m.name,
                type=m.type,
                category=m.category,
                nip=_n(m.nip),
                regon=_n(m.regon),
                krs=_n(m.krs),
                address=address,
                location=location,
                distance_km=_dec(m.distance_override_km),
                joined=m.joined,
                left=m.left,
                independent=m.independent,
                science_category=_n(m.science_category),
                years=tuple(years[m.pk]),
                industry40=m.industry40,
                iso=tuple(isos[m.pk]),
                certificates=tuple(m.certificates),
            )
        )

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
    if (
        cluster.specialisation_classification
        or cluster.specialisation_codes
        or cluster.specialisation_description
    ):
        spec = d.Specialisation(
            classification=cluster.specialisation_classification,
            codes=tuple(cluster.specialisation_codes),
            description=_n(cluster.specialisation_description),
        )
    start = None
    if cluster.actual_start_year is not None:
        start = d.ActualStart(
            year=cluster.actual_start_year,
            kinds=tuple(cluster.actual_start_kinds),
            description=_n(cluster.actual_start_description),
        )
    contact = None
    if cluster.contact_name:
        contact = d.Contact(
            name=cluster.contact_name,
            position=_n(cluster.contact_position),
            email=_n(cluster.contact_email),
            phone=_n(cluster.contact_phone),
            address=_n(cluster.contact_address),
        )
    if cluster.coordinator_id is None:
        raise ValueError(f"Klaster {cluster.slug} nie ma koordynatora (MEM-2).")
    ds_cluster = d.Cluster(
        name=cluster.name,
        coordinator=d.Coordinator(
            member=key_of[cluster.coordinator_id],
            clustering_experience_years=_dec(cluster.coordinator_experience_years),
            platforms=d.Platforms(
                communication=cluster.platform_communication,
                purchasing=cluster.platform_purchasing,
                sales=cluster.platform_sales,
            ),
            dues_revenue=cluster.dues_revenue,
        ),
        website=_n(cluster.website),
        specialisation=spec,
        agreement_date=cluster.agreement_date,
        actual_start=start,
        eccp_registered=cluster.eccp_registered,
        mode=one_of(cluster.mode, _MODES, "a cluster mode"),
        strategies=tuple(
            d.Strategy(name=s.name, adopted=s.adopted, valid_from=s.valid_from, valid_to=s.valid_to)
            for s in cluster.strategies.order_by("position", "id")
        ),
        contact=contact,
    )
    return d.Dataset(
        cluster=ds_cluster,
        members=tuple(ds_members),
        as_of=on or cluster.as_of,
        staff=tuple(
            d.Staff(
                name=s.name,
                email=_n(s.email),
                role=_n(s.role),
                manager=s.manager,
                contract=_n(s.contract),
                employed_from=s.employed_from,
                employed_to=s.employed_to,
                years_private_mgmt=_dec(s.years_private_mgmt),
                years_cluster_mgmt=_dec(s.years_cluster_mgmt),
                years_intl_projects=_dec(s.years_intl_projects),
            )
            for s in rows(km.Staff)
        ),
        certificates=tuple(
            d.Certificate(kind=c.kind, name=c.name, valid_until=c.valid_until)
            for c in rows(km.CoordinatorCertificate)
        ),
        shared_resources=tuple(
            d.SharedResource(
                name=r.name,
                kind=r.kind,
                provider=key_of.get(r.provider_id) if r.provider_id else None,
                equal_preferential_access=r.equal_preferential_access,
            )
            for r in rows(km.SharedResource)
        ),
        projects=tuple(
            d.Project(
                id=p.key,
                name=p.name,
                type=p.type,
                international=p.international,
                rd=p.rd,
                coordinator_participates=p.coordinator_participates,
                participants=tuple(projects_p[p.pk]),
                value=p.value,
                private_contribution=p.private_contribution,
                funding_source=_n(p.funding_source),
                start=p.start,
                end=p.end,
            )
            for p in rows(km.Project)
        ),
        funding_applications=tuple(
            d.FundingApplication(
                name=a.name,
                submitted=a.submitted,
                programme=_n(a.programme),
                funded=a.funded,
                applicants=tuple(apps_a[a.pk]),
            )
            for a in rows(km.FundingApplication)
        ),
        ip_rights=tuple(
            d.IpRight(
                kind=r.kind,
                holder=key_of[r.holder_id],
                number=_n(r.number),
                title=_n(r.title),
                protected_until=r.protected_until,
                mode=_n(r.mode),
            )
            for r in rows(km.IpRight)
        ),
        innovations=tuple(
            d.Innovation(
                name=n.name, introduced=n.introduced, by=tuple(innov_by[n.pk]), from_rd=n.from_rd
            )
            for n in rows(km.Innovation)
        ),
        events=tuple(
            d.Event(
                name=e.name,
                kind=e.kind,
                date=e.date,
                location=_n(e.location),
                online=e.online,
                coordinator_participated=e.coordinator_participated,
                participants=tuple(events_p[e.pk]),
            )
            for e in rows(km.Event)
        ),
        missions=tuple(
            d.Mission(name=m.name, kind=m.kind, date=m.date, participants=tuple(missions_p[m.pk]))
            for m in rows(km.Mission)
        ),
        services=tuple(
            d.Service(name=s.name, kind=s.kind, date=s.date, beneficiaries=tuple(services_b[s.pk]))
            for s in rows(km.Service)
        ),
        kis=tuple(
            d.Kis(
                number=k.number,
                justification=_n(k.justification),
                consistent_with_specialisation=k.consistent_with_specialisation,
                confirmed_by_projects=k.confirmed_by_projects,
            )
            for k in rows(km.Kis)
        ),
        dual_education=tuple(
            d.DualEducation(kind=x.kind, name=_n(x.name), date=x.date, entities=tuple(dual_e[x.pk]))
            for x in rows(km.DualEducation)
        ),
        digital_initiatives=tuple(
            d.DigitalInitiative(name=x.name, date=x.date) for x in rows(km.DigitalInitiative)
        ),
        startup_cooperations=tuple(
            d.StartupCooperation(
                member=key_of[x.member_id],
                startup=x.startup,
                programme=_n(x.programme),
                basis=_n(x.basis),
                from_=x.date_from,
                to=x.date_to,
            )
            for x in rows(km.StartupCooperation)
        ),
        circular_economy=tuple(
            d.EntitiesPractice(kind=x.kind, entities=tuple(practice_e[x.pk]))
            for x in rows(km.Practice, area="circular_economy")
        ),
        low_emission=tuple(
            d.EntitiesPractice(kind=x.kind, entities=tuple(practice_e[x.pk]))
            for x in rows(km.Practice, area="low_emission")
        ),
        joint_products=tuple(
            d.JointProduct(
                name=x.name,
                introduced=x.introduced,
                offered_by=tuple(product_o[x.pk]),
                by_coordinator=x.by_coordinator,
                revenue=x.revenue,
            )
            for x in rows(km.JointProduct)
        ),
        panel=d.Panel(
            successes_strategy=panel.successes_strategy,
            knowledge_transfer=panel.knowledge_transfer,
            public_policies=panel.public_policies,
            pandemic=panel.pandemic,
        )
        if panel
        else None,
        experts=tuple(
            d.Expert(name=e.name, scores=tuple((str(k), int(v)) for k, v in e.scores))
            for e in rows(km.ExpertScore)
        ),
    )
