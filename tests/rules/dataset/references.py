"""Checks shared by the tests of generated and shipped datasets (the synthetic cluster, the demo)."""

from __future__ import annotations

from collections.abc import Iterator

from stdnum.pl import nip, regon

from klaster.rules.dataset.model import Dataset


def member_references(ds: Dataset) -> Iterator[tuple[str, str]]:
    """Every place in a dataset that names a member id: (where, id)."""
    yield "cluster.coordinator.member", ds.cluster.coordinator.member
    for r in ds.shared_resources:
        if r.provider is not None:
            yield f"shared_resources[{r.name}].provider", r.provider
    for p in ds.projects:
        for x in p.participants:
            yield f"projects[{p.id}].participants", x
    for f in ds.funding_applications:
        for x in f.applicants:
            yield f"funding_applications[{f.name}]", x
    for ip in ds.ip_rights:
        yield f"ip_rights[{ip.number}].holder", ip.holder
    for i in ds.innovations:
        for x in i.by:
            yield f"innovations[{i.name}].by", x
    for e in ds.events:
        for x in e.participants:
            yield f"events[{e.name}].participants", x
    for mi in ds.missions:
        for x in mi.participants:
            yield f"missions[{mi.name}].participants", x
    for s in ds.services:
        for x in s.beneficiaries:
            yield f"services[{s.name}].beneficiaries", x
    for de in ds.dual_education:
        for x in de.entities:
            yield f"dual_education[{de.kind}].entities", x
    for sc in ds.startup_cooperations:
        yield f"startup_cooperations[{sc.startup}].member", sc.member
    for practice in (*ds.circular_economy, *ds.low_emission):
        for x in practice.entities:
            yield f"practices[{practice.kind}].entities", x
    for jp in ds.joint_products:
        for x in jp.offered_by:
            yield f"joint_products[{jp.name}].offered_by", x


def assert_identifiers_valid(ds: Dataset) -> None:
    nips = [m.nip for m in ds.members if m.nip]
    regons = [m.regon for m in ds.members if m.regon]
    krss = [m.krs for m in ds.members if m.krs]
    assert all(nip.is_valid(n) for n in nips), [n for n in nips if not nip.is_valid(n)]
    assert all(regon.is_valid(r) for r in regons), [r for r in regons if not regon.is_valid(r)]
    assert all(len(k) == 10 and k.isdigit() for k in krss)
    for values in (nips, regons, krss):
        assert len(values) == len(set(values))
