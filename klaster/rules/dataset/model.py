"""The cluster dataset as frozen dataclasses — one class per block of DATASET.md.

Field names follow the file format's keys exactly, so that load and dump are mechanical.
Money is Decimal, dates are datetime.date, FTE is Decimal (one decimal place).
Optional keys that are absent in a file are None (or an empty tuple for lists), and the
dumper leaves out what the loader would fill with its default, so import(export(x)) == x.

Every class has a docstring: for a class without one, @dataclass makes one from
inspect.signature() at import, which every `klaster kkk` process would pay for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

FORMAT = "klaster-dataset/1"

MemberType = Literal["micro", "small", "medium", "large", "iob", "science", "other"]
MEMBER_TYPES: tuple[str, ...] = ("micro", "small", "medium", "large", "iob", "science", "other")
ENTERPRISE_TYPES: frozenset[str] = frozenset({"micro", "small", "medium", "large"})
Category = Literal["partner", "strategic_partner"]
ScienceCategory = Literal["A+", "A", "B+", "B", "C"]


@dataclass(frozen=True)
class Specialisation:
    """`cluster.specialisation`: the classification and its codes."""

    classification: str  # PKD | EKD | description
    codes: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class ActualStart:
    """`cluster.actual_start`: the year the cluster began working, and how."""

    year: int
    kinds: tuple[
        str, ...
    ] = ()  # joint_project, strategic_document, international_network, esca, other
    description: str | None = None


@dataclass(frozen=True)
class Strategy:
    """`cluster.strategies[]`: a development strategy and its period."""

    name: str
    adopted: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@dataclass(frozen=True)
class Platforms:
    """`cluster.coordinator.platforms`: the coordinator's shared platforms."""

    communication: bool = False
    purchasing: bool = False
    sales: bool = False


@dataclass(frozen=True)
class Coordinator:
    """`cluster.coordinator`: which member coordinates, and its experience."""

    member: str
    clustering_experience_years: Decimal | None = None
    platforms: Platforms = field(default_factory=Platforms)
    dues_revenue: bool = False


@dataclass(frozen=True)
class Contact:
    """`cluster.contact`: the contact person."""

    name: str
    position: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Cluster:
    """The `cluster` block: name, coordinator, specialisation, mode."""

    name: str
    coordinator: Coordinator
    website: str | None = None
    specialisation: Specialisation | None = None
    agreement_date: dt.date | None = None
    actual_start: ActualStart | None = None
    eccp_registered: bool = False
    mode: Literal["grant", "renewal"] = "grant"
    strategies: tuple[Strategy, ...] = ()
    contact: Contact | None = None
    bank_accounts: tuple[str, ...] = ()  # IBAN or NRB as written; for dues (FIN-3)


@dataclass(frozen=True)
class Address:
    """A member's seat, `members[].address`."""

    street: str | None = None
    postal_code: str | None = None
    city: str | None = None


@dataclass(frozen=True)
class Location:
    """A member's seat as coordinates, `members[].location`."""

    lat: Decimal
    lon: Decimal


@dataclass(frozen=True)
class MemberYear:
    """`members[].years[]`: one fiscal year's revenue, export, R&D and FTE."""

    year: int
    revenue: Decimal | None = None
    export_revenue: Decimal | None = None
    rd_expenditure: Decimal | None = None
    fte: Decimal | None = None


@dataclass(frozen=True)
class Iso:
    """`members[].iso[]`: an ISO certificate."""

    standard: str
    ics: str | None = None


@dataclass(frozen=True)
class Member:
    """A member of the cluster, `members[]`."""

    id: str
    name: str
    type: str  # MemberType
    category: str = "partner"  # Category
    nip: str | None = None
    regon: str | None = None
    krs: str | None = None
    address: Address | None = None
    location: Location | None = None
    distance_km: Decimal | None = None  # manual override
    joined: dt.date | None = None
    left: dt.date | None = None
    independent: bool | None = None  # enterprises only
    science_category: str | None = None
    years: tuple[MemberYear, ...] = ()
    industry40: bool = False
    iso: tuple[Iso, ...] = ()
    certificates: tuple[str, ...] = ()
    bank_accounts: tuple[str, ...] = ()  # IBAN or NRB as written; the member pays from them

    @property
    def is_enterprise(self) -> bool:
        return self.type in ENTERPRISE_TYPES


@dataclass(frozen=True)
class Staff:
    """`staff[]`: a person of the coordinator's team."""

    name: str
    email: str | None = None
    role: str | None = None
    manager: bool = False
    contract: str | None = None
    employed_from: dt.date | None = None
    employed_to: dt.date | None = None
    years_private_mgmt: Decimal | None = None
    years_cluster_mgmt: Decimal | None = None
    years_intl_projects: Decimal | None = None


@dataclass(frozen=True)
class Certificate:
    """`certificates[]`: a certificate of the cluster (ESCA labels and others)."""

    kind: str  # esca_gold | esca_silver | esca_bronze | other
    name: str
    valid_until: dt.date | None = None


@dataclass(frozen=True)
class SharedResource:
    """`shared_resources[]`: a resource shared with members."""

    name: str
    kind: str  # production | laboratory | digital | demonstration | other
    provider: str | None = None
    equal_preferential_access: bool = False


@dataclass(frozen=True)
class Project:
    """`projects[]`: a project and its participants."""

    id: str
    name: str
    type: str = "other"  # investment | research | promotion | training | other
    international: bool = False
    rd: bool = False
    coordinator_participates: bool = False
    participants: tuple[str, ...] = ()
    value: Decimal | None = None
    private_contribution: Decimal | None = None
    funding_source: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class FundingApplication:
    """`funding_applications[]`: an application for funding."""

    name: str
    submitted: dt.date
    programme: str | None = None
    funded: bool | None = None
    applicants: tuple[str, ...] = ()


@dataclass(frozen=True)
class IpRight:
    """`ip_rights[]`: a patent, utility model, design or trademark."""

    kind: str  # patent | utility_model | industrial_design | trademark
    holder: str
    number: str | None = None
    title: str | None = None
    protected_until: dt.date | None = None
    mode: str | None = None  # polish | foreign


@dataclass(frozen=True)
class Innovation:
    """`innovations[]`: an innovation introduced by members."""

    name: str
    introduced: dt.date
    by: tuple[str, ...] = ()
    from_rd: bool = False


@dataclass(frozen=True)
class Event:
    """`events[]`: an industry or cluster event or a fair."""

    name: str
    kind: str  # industry | cluster | fair
    date: dt.date
    location: str | None = None  # poland | abroad
    online: bool = False
    coordinator_participated: bool = False
    participants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mission:
    """`missions[]`: a mission, matchmaking, fair or meeting with partners."""

    name: str
    kind: str  # mission | matchmaking | fair | meeting
    date: dt.date
    participants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Service:
    """`services[]`: a service for members."""

    name: str
    kind: str  # knowledge_transfer | ecosystem
    date: dt.date
    beneficiaries: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kis:
    """`kis[]`: a national smart specialisation the cluster works in."""

    number: int
    justification: str | None = None
    consistent_with_specialisation: bool = False
    confirmed_by_projects: bool = False


@dataclass(frozen=True)
class DualEducation:
    """`dual_education[]`: an initiative of dual education."""

    kind: str  # curricula | student_internships | teacher_internships | vocational_teachers | implementation_doctorate
    name: str | None = None
    date: dt.date | None = None
    entities: tuple[str, ...] = ()


@dataclass(frozen=True)
class DigitalInitiative:
    """`digital_initiatives[]`: a digitalisation initiative."""

    name: str
    date: dt.date | None = None


@dataclass(frozen=True)
class StartupCooperation:
    """`startup_cooperations[]`: a member's cooperation with a start-up."""

    member: str
    startup: str
    programme: str | None = None
    basis: str | None = None
    from_: dt.date | None = None  # key "from" in the file
    to: dt.date | None = None


@dataclass(frozen=True)
class EntitiesPractice:
    """circular_economy (29) and low_emission (30) entries."""

    kind: str
    entities: tuple[str, ...] = ()


@dataclass(frozen=True)
class JointProduct:
    """`joint_products[]`: a product or service offered jointly."""

    name: str
    introduced: dt.date
    offered_by: tuple[str, ...] = ()
    by_coordinator: bool = False
    revenue: bool = False


@dataclass(frozen=True)
class Panel:
    """`panel`: the expert panel's scores (stage III)."""

    successes_strategy: int
    knowledge_transfer: int
    public_policies: int
    pandemic: int


@dataclass(frozen=True)
class Expert:
    """`experts[]`: one expert's stage II scores."""

    name: str
    scores: tuple[
        tuple[str, int], ...
    ] = ()  # (indicator number as in the file, points), in file order


@dataclass(frozen=True)
class Dataset:
    """A whole dataset file (DATASET.md)."""

    cluster: Cluster
    members: tuple[Member, ...]
    format: str = FORMAT
    as_of: dt.date | None = None
    staff: tuple[Staff, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    shared_resources: tuple[SharedResource, ...] = ()
    projects: tuple[Project, ...] = ()
    funding_applications: tuple[FundingApplication, ...] = ()
    ip_rights: tuple[IpRight, ...] = ()
    innovations: tuple[Innovation, ...] = ()
    events: tuple[Event, ...] = ()
    missions: tuple[Mission, ...] = ()
    services: tuple[Service, ...] = ()
    kis: tuple[Kis, ...] = ()
    dual_education: tuple[DualEducation, ...] = ()
    digital_initiatives: tuple[DigitalInitiative, ...] = ()
    startup_cooperations: tuple[StartupCooperation, ...] = ()
    circular_economy: tuple[EntitiesPractice, ...] = ()
    low_emission: tuple[EntitiesPractice, ...] = ()
    joint_products: tuple[JointProduct, ...] = ()
    panel: Panel | None = None
    experts: tuple[Expert, ...] = ()

    def member(self, member_id: str) -> Member:
        for m in self.members:
            if m.id == member_id:
                return m
        raise KeyError(member_id)
