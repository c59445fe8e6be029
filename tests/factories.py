"""factory_boy factories for the Django side of the tests: one per model the tests create.

Tests make their rows here, never with a raw `Model.objects.create(...)`
(`tests/test_factories.py` scans for that and lists the few justified exceptions). Two rules:

- A factory only fills in what a row needs; where a test's point is what a service does (the
  audit row, a check it makes, a number it assigns), the test calls the service, not a factory.
- Every row lands in one cluster. Parents come from `SubFactory`s that follow the cluster of the
  row's other parents, and a parent a test passes decides the rest (`_derive`): a seat made for a
  given person is in that person's member's cluster, a meeting of a given organ in its cluster.

The defaults respect the models' constraints (a representative role has its member, an area group
its area, a registered KKK application its number and content) and `full_clean()` passes on every
row a factory makes with its defaults (`tests/test_factories.py`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone
from rest_framework.authtoken.models import Token
from stdnum.pl import nip as stdnip

from klaster.aid.models import (
    AidSettings,
    ApplicationDocument,
    ControlLink,
    Equipment,
    Grant,
    PriceList,
    RateTable,
    Undertaking,
)
from klaster.aid.models import Application as AidApplication
from klaster.core.models import Cluster, ClusterRole, StatuteProfileVersion, Strategy
from klaster.forum.models import Forum, Sharing, Snapshot, Work
from klaster.forum.models import Membership as ForumMembership
from klaster.governance.models import (
    AgendaItem,
    Attendance,
    Ballot,
    FeePayment,
    Meeting,
    Organ,
    Proxy,
    Seat,
    Vote,
    VoteRight,
    VotingRestriction,
)
from klaster.groups.models import Declaration as GroupDeclaration
from klaster.groups.models import GroupContact, WorkingGroup
from klaster.kkk.models import Application, Project, Staff
from klaster.members.models import (
    DelegatedPerson,
    IsoCertificate,
    Member,
    MembershipEvent,
    MemberYear,
    NotificationEmail,
    ScienceSubunit,
)
from klaster.money.models import (
    ClusterAccount,
    Document,
    KsefAttempt,
    MemberBilling,
    PayerAccount,
    Payment,
    StatementRequest,
    VatTreatment,
)
from klaster.rules.calendar import WARSAW
from klaster.rules.statute import EVOLUMA, profile_to_dict


def valid_nip(n: int) -> str:
    """A NIP with a correct check digit: try check digits until stdnum accepts one."""
    base = f"5{(n * 7919 + 1000000) % 100000000:08d}"
    for bump in range(100):
        stem = f"{(int(base) + bump):09d}"
        for digit in "0123456789":
            if stdnip.is_valid(stem + digit):
                return stem + digit
    raise AssertionError("no NIP found")


def _next(rows, field: str) -> int:
    """The next number after the highest `field` of `rows` (1 for none), as the services number."""
    return (rows.aggregate(m=Max(field))["m"] or 0) + 1


class KlasterFactory(factory.django.DjangoModelFactory):
    """Base: `_derive` lists (field, path) pairs; when a call gives the path's first object and
    not the field, the field is read along the path — `("cluster", "organ.cluster")` puts a
    meeting made for a given organ into that organ's cluster instead of a new one."""

    class Meta:
        abstract = True

    _derive: tuple[tuple[str, str], ...] = ()

    @classmethod
    def _generate(cls, strategy, params):
        params = dict(params)
        for field, path in cls._derive:
            head, *rest = path.split(".")
            if field in params or params.get(head) is None:
                continue
            value = params[head]
            for part in rest:
                value = getattr(value, part)
            params[field] = value
        return super()._generate(strategy, params)


# --- core ------------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):  # noqa: N805
        obj.set_password(extracted or "haslo-testowe-1")
        if create:
            obj.save(update_fields=["password"])


class TokenFactory(factory.django.DjangoModelFactory):
    """An API token (DRF); its key is generated on save, as for a login."""

    class Meta:
        model = Token

    user = factory.SubFactory(UserFactory)


class ClusterFactory(factory.django.DjangoModelFactory):
    """A cluster; governance creates its five organs on save (`post_save`), as in the product."""

    class Meta:
        model = Cluster

    slug = factory.Sequence(lambda n: f"klaster-{n}")
    name = factory.Sequence(lambda n: f"Klaster Testowy {n}")
    agreement_date = dt.date(2015, 1, 20)


class StrategyFactory(KlasterFactory):
    class Meta:
        model = Strategy

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"Strategia {n}")


class StatuteProfileVersionFactory(KlasterFactory):
    """A statute version row as is (evoluma's numbers by default). A test about setting or
    correcting the statute calls `klaster.core.services.statute_profile_set` instead."""

    class Meta:
        model = StatuteProfileVersion

    cluster = factory.SubFactory(ClusterFactory)
    valid_from = dt.date(2020, 1, 1)
    revision = 1
    preset = "evoluma"
    data = factory.LazyFunction(lambda: profile_to_dict(EVOLUMA))


# --- members ---------------------------------------------------------------------------------


class MemberFactory(factory.django.DjangoModelFactory):
    """An active member with its "admitted" event on `joined` (none when `joined=None`)."""

    class Meta:
        model = Member
        skip_postgeneration_save = True

    cluster = factory.SubFactory(ClusterFactory)
    key = factory.Sequence(lambda n: f"m{n:04d}")
    name = factory.Sequence(lambda n: f"Firma {n} sp. z o.o.")
    type = "small"
    category = "partner"
    nip = factory.Sequence(valid_nip)
    postal_code = "00-001"
    city = "Warszawa"
    joined = dt.date(2016, 3, 1)
    status = "active"
    independent = True

    @factory.post_generation
    def admitted(obj, create, extracted, **kwargs):  # noqa: N805
        if create and obj.joined:
            MembershipEventFactory(member=obj, kind="admitted", date=obj.joined)


class MembershipEventFactory(KlasterFactory):
    """A dated event as is (by default a candidate's filing, for a new candidate). It does not
    move the member's cached status: a test about what an event does to a member calls
    `klaster.members.services.member_event_add`."""

    class Meta:
        model = MembershipEvent

    member = factory.SubFactory(MemberFactory, status="candidate", joined=None)
    kind = "candidate"
    date = dt.date(2016, 3, 1)


class DelegatedPersonFactory(KlasterFactory):
    """A delegated person with only a name: e-mail, General Assembly etc. as the model's defaults."""

    class Meta:
        model = DelegatedPerson

    member = factory.SubFactory(MemberFactory)
    name = factory.Sequence(lambda n: f"Osoba Delegowana {n}")


class ScienceSubunitFactory(KlasterFactory):
    class Meta:
        model = ScienceSubunit

    member = factory.SubFactory(MemberFactory, type="science")
    name = factory.Sequence(lambda n: f"Wydział {n}")


class NotificationEmailFactory(KlasterFactory):
    class Meta:
        model = NotificationEmail

    member = factory.SubFactory(MemberFactory)
    email = factory.Sequence(lambda n: f"powiadomienia{n}@example.com")


class MemberYearFactory(KlasterFactory):
    """A member's figures for a year; the figures are empty unless given."""

    class Meta:
        model = MemberYear

    member = factory.SubFactory(MemberFactory)
    year = 2024


class IsoCertificateFactory(KlasterFactory):
    class Meta:
        model = IsoCertificate

    member = factory.SubFactory(MemberFactory)
    standard = "ISO 9001:2015"


class ClusterRoleFactory(KlasterFactory):
    """A grant; a representative's member is made in the grant's cluster when not given."""

    class Meta:
        model = ClusterRole

    _derive = (("cluster", "member.cluster"),)

    user = factory.SubFactory(UserFactory)
    cluster = factory.SubFactory(ClusterFactory)
    role = "office"
    member = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == "representative"),
        yes_declaration=factory.SubFactory(
            MemberFactory, cluster=factory.SelfAttribute("..cluster")
        ),
        no_declaration=None,
    )


def grant(user, cluster, role, member=None) -> ClusterRole:
    """`user` gets `role` in `cluster` (for a representative: for `member`), exactly as given."""
    return ClusterRoleFactory(user=user, cluster=cluster, role=role, member=member)


# --- governance ------------------------------------------------------------------------------


class OrganFactory(KlasterFactory):
    """A cluster's organ: the one the cluster already has (they are made with it), else a new one."""

    class Meta:
        model = Organ
        django_get_or_create = ("cluster", "kind")

    cluster = factory.SubFactory(ClusterFactory)
    kind = "ga"


class MeetingFactory(KlasterFactory):
    """A meeting (of the General Assembly unless an organ is given), planned, at 10:00 Warsaw time
    on its date. Like any meeting created directly, it pins the statute version in force on its
    date (`Meeting.save`). Convening as a test subject is `governance.services.meeting_convene`."""

    class Meta:
        model = Meeting

    _derive = (("cluster", "organ.cluster"),)

    cluster = factory.SubFactory(ClusterFactory)
    organ = factory.SubFactory(OrganFactory, cluster=factory.SelfAttribute("..cluster"))
    title = factory.Sequence(lambda n: f"Posiedzenie {n}")
    date = dt.date(2025, 6, 30)
    starts_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.date, dt.time(10, 0), tzinfo=WARSAW)
    )


class AgendaItemFactory(KlasterFactory):
    """A point of a meeting's agenda (an ordinary matter unless `kind` says otherwise)."""

    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    organ = factory.SelfAttribute("meeting.organ")
    title = factory.Sequence(lambda n: f"Sprawa {n}")


class SeatFactory(KlasterFactory):
    """A seat in the Council (unless an organ is given) for a delegated person of a member of the
    organ's cluster; `member` is the person's member."""

    class Meta:
        model = Seat

    class Params:
        cluster = factory.SubFactory(ClusterFactory)

    _derive = (
        ("member", "person.member"),
        ("cluster", "organ.cluster"),
        ("cluster", "member.cluster"),
    )

    organ = factory.SubFactory(
        OrganFactory, cluster=factory.SelfAttribute("..cluster"), kind="council"
    )
    member = factory.SubFactory(MemberFactory, cluster=factory.SelfAttribute("..cluster"))
    person = factory.SubFactory(DelegatedPersonFactory, member=factory.SelfAttribute("..member"))
    starts = dt.date(2024, 1, 1)


class VotingRestrictionFactory(KlasterFactory):
    """A period without the vote as is; `governance.services.voting_restriction_add` checks and audits one."""

    class Meta:
        model = VotingRestriction

    member = factory.SubFactory(MemberFactory)
    kind = "dues_exempt"
    starts = dt.date(2025, 1, 1)


class ProxyFactory(KlasterFactory):
    """An accepted proxy of a member of the meeting's cluster, received the day before the
    meeting. It is not checked: the rules that accept or refuse a proxy run in
    `governance.services.proxy_grant`."""

    class Meta:
        model = Proxy

    meeting = factory.SubFactory(MeetingFactory)
    giver = factory.SubFactory(MemberFactory, cluster=factory.SelfAttribute("..meeting.cluster"))
    holder_name = factory.Sequence(lambda n: f"Pełnomocnik {n}")
    received_at = factory.LazyAttribute(lambda o: o.meeting.starts_at - dt.timedelta(days=1))
    status = Proxy.Status.ACCEPTED


class VoteFactory(KlasterFactory):
    """A vote row with nobody entitled. Opening a vote (the roll, the quorum, the snapshot, the
    rights) is `governance.services.vote_open`."""

    class Meta:
        model = Vote

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.LazyAttribute(
        lambda o: _next(o.meeting.votes, "number") if o.meeting.pk else 1
    )
    title = factory.Sequence(lambda n: f"Głosowanie {n}")
    opened_at = factory.LazyFunction(timezone.now)
    entitled = 0
    snapshot = factory.LazyFunction(
        lambda: {"rights": [], "present": {}, "represented": {}, "proxies_refused": []}
    )


class BallotFactory(KlasterFactory):
    """A ballot "for", cast by the member's own representative, for a member of the vote's cluster."""

    class Meta:
        model = Ballot

    vote = factory.SubFactory(VoteFactory)
    member = factory.SubFactory(
        MemberFactory, cluster=factory.SelfAttribute("..vote.meeting.cluster")
    )
    choice = "for"
    cast_by_name = factory.Sequence(lambda n: f"Głosujący {n}")
    via = "own"
    cast_at = factory.LazyFunction(timezone.now)


class VoteRightFactory(KlasterFactory):
    """A member's right in a vote, as `vote_open` fixes it: present in person by default."""

    class Meta:
        model = VoteRight

    vote = factory.SubFactory(VoteFactory)
    member = factory.SubFactory(
        MemberFactory, cluster=factory.SelfAttribute("..vote.meeting.cluster")
    )
    mode = "in_person"


# --- groups ----------------------------------------------------------------------------------


class WorkingGroupFactory(KlasterFactory):
    """An additional group, still collecting declarations. An area group needs its area:
    `WorkingGroupFactory(kind="area", area="it")`."""

    class Meta:
        model = WorkingGroup

    cluster = factory.SubFactory(ClusterFactory)
    kind = "additional"
    name = factory.Sequence(lambda n: f"Grupa {n}")


class GroupDeclarationFactory(KlasterFactory):
    """A member's declaration of joining a group (groups' `Declaration`), by a member of the group's cluster."""

    class Meta:
        model = GroupDeclaration

    group = factory.SubFactory(WorkingGroupFactory)
    member = factory.SubFactory(MemberFactory, cluster=factory.SelfAttribute("..group.cluster"))
    declared_on = dt.date(2024, 1, 10)


class GroupContactFactory(KlasterFactory):
    """A contact the office added to a group's list (GZW-5)."""

    class Meta:
        model = GroupContact

    group = factory.SubFactory(WorkingGroupFactory)
    name = factory.Sequence(lambda n: f"Kontakt {n}")
    email = factory.Sequence(lambda n: f"kontakt{n}@example.org")


# --- kkk -------------------------------------------------------------------------------------


class StaffFactory(KlasterFactory):
    class Meta:
        model = Staff

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"Pracownik {n}")


class ProjectFactory(KlasterFactory):
    class Meta:
        model = Project

    cluster = factory.SubFactory(ClusterFactory)
    key = factory.Sequence(lambda n: f"p{n:04d}")
    name = factory.Sequence(lambda n: f"Projekt {n}")


class ApplicationFactory(KlasterFactory):
    """A KKK application: a draft; `registered=True` gives a registered one with its number, id,
    checksum and (minimal) frozen content. Drafting and registering as test subjects are
    `kkk.services.application_create` and `application_register`."""

    class Meta:
        model = Application

    class Params:
        registered = factory.Trait(
            status="registered",
            year=factory.LazyAttribute(lambda o: o.as_of.year),
            seq=factory.LazyAttribute(
                lambda o: (
                    _next(Application.objects.filter(cluster=o.cluster, year=o.year), "seq")
                    if o.cluster.pk
                    else 1
                )
            ),
            number=factory.LazyAttribute(lambda o: f"KKK/{o.year}/{o.seq:03d}"),
            public_id=factory.LazyFunction(uuid.uuid4),
            checksum="0" * 64,
            registered_at=factory.LazyFunction(timezone.now),
            content=factory.LazyAttribute(
                lambda o: {
                    "cluster": o.cluster.name,
                    "mode": o.mode,
                    "as_of": o.as_of.isoformat(),
                    "sections": [],
                }
            ),
        )

    cluster = factory.SubFactory(ClusterFactory)
    mode = "grant"
    as_of = dt.date(2026, 6, 30)


# --- money -----------------------------------------------------------------------------------


class MemberBillingFactory(KlasterFactory):
    """How a member is billed (FIN-2): monthly, its dataset id as the payment reference."""

    class Meta:
        model = MemberBilling

    member = factory.SubFactory(MemberFactory)
    billing = "month"


class PayerAccountFactory(KlasterFactory):
    """An account a member pays from (FIN-3), stored normalised (digits, no PL)."""

    class Meta:
        model = PayerAccount

    member = factory.SubFactory(MemberFactory)
    account = "27114020040000300201355387"


class DocumentFactory(KlasterFactory):
    """An issued invoice as is, numbered FV/<year>/<seq> (the dues run issues real ones; this is
    for tests about numbering and the ledger's rows). `fee_type` must be given."""

    class Meta:
        model = Document

    _derive = (("cluster", "member.cluster"),)

    member = factory.SubFactory(MemberFactory)
    kind = "invoice"
    series = "FV"
    year = 2026
    seq = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"{o.series}/{o.year}/{o.seq:04d}")
    issued = dt.date(2026, 1, 1)
    due = dt.date(2026, 1, 15)
    net = Decimal("100.00")
    vat = Decimal("23.00")
    gross = Decimal("123.00")


class FeePaymentFactory(KlasterFactory):
    """A payment towards the entry fee the office typed on an admission file (GOV-12), before
    the money app issued the fee as a document. `admission` must be given."""

    class Meta:
        model = FeePayment

    paid_on = dt.date(2026, 1, 15)
    amount = Decimal("100.00")


class StatementRequestFactory(KlasterFactory):
    """A member's written request for the sub-account statements (FIN-12), not yet provided."""

    class Meta:
        model = StatementRequest

    _derive = (("cluster", "member.cluster"),)

    member = factory.SubFactory(MemberFactory)
    requested_on = dt.date(2026, 4, 1)
    period_start = dt.date(2026, 1, 1)
    period_end = dt.date(2026, 3, 31)


class AttendanceFactory(KlasterFactory):
    """One entity's presence at a meeting as recorded (GOV-2): `meeting` and `member` given."""

    class Meta:
        model = Attendance

    mode = "in_person"


class ClusterAccountFactory(KlasterFactory):
    """An account of the cluster whose statements are imported (FIN-3), normalised."""

    class Meta:
        model = ClusterAccount

    account = "61109010140000071219812874"


class VatTreatmentFactory(KlasterFactory):
    """A fee type's dated VAT treatment (FIN-1): `fee_type` given."""

    class Meta:
        model = VatTreatment

    valid_from = dt.date(2026, 1, 1)
    treatment = "taxable"


class PaymentFactory(KlasterFactory):
    """A payment the office recorded by hand (FIN-3), not from a bank entry."""

    class Meta:
        model = Payment

    _derive = (("cluster", "member.cluster"),)

    member = factory.SubFactory(MemberFactory)
    day = dt.date(2026, 1, 10)
    amount = Decimal("100.00")


class KsefAttemptFactory(KlasterFactory):
    """One try of the KSeF outbox (FIN-2): `document` given."""

    class Meta:
        model = KsefAttempt

    at = factory.LazyFunction(timezone.now)


# --- aid (de minimis) --------------------------------------------------------------------------


class AidSettingsFactory(KlasterFactory):
    """The grantor's data printed on certificates (AID-6)."""

    class Meta:
        model = AidSettings

    cluster = factory.SubFactory(ClusterFactory)
    grantor_name = "Instytut Doradztwa Sp. z o.o."
    grantor_nip = "6793994090"
    grantor_address = "ul. Rynek 1, 31-001 Kraków"
    legal_basis = "Regulamin udostępniania produktów projektu, § 3"
    signatory_name = "Anna Nowak"
    signatory_role = "Prezes Zarządu"


class UndertakingFactory(KlasterFactory):
    """An undertaking of the register (AID-1), by default not a member; `member=` links one
    (and takes its cluster, NIP and name)."""

    class Meta:
        model = Undertaking

    _derive = (("cluster", "member.cluster"), ("nip", "member.nip"), ("name", "member.name"))

    cluster = factory.SubFactory(ClusterFactory)
    nip = factory.Sequence(lambda n: valid_nip(n + 500000))
    name = factory.Sequence(lambda n: f"Przedsiębiorstwo {n} sp. z o.o.")


class ControlLinkFactory(KlasterFactory):
    """`parent` controls `child` from 2018-03-01 while it lasts (basis a)."""

    class Meta:
        model = ControlLink

    cluster = factory.LazyAttribute(lambda o: o.parent.cluster)
    parent = factory.SubFactory(UndertakingFactory)
    child = factory.SubFactory(
        UndertakingFactory, cluster=factory.SelfAttribute("..parent.cluster")
    )
    start = dt.date(2018, 3, 1)
    basis = "a"


class GrantFactory(KlasterFactory):
    """A grant from another body, imported from its certificate (EUR as on the certificate)."""

    class Meta:
        model = Grant

    cluster = factory.LazyAttribute(lambda o: o.undertaking.cluster)
    undertaking = factory.SubFactory(UndertakingFactory)
    source = "import"
    body_name = "Powiatowy Urząd Pracy w Krakowie"
    regulation = "2023/2831"
    granted_on = dt.date(2025, 3, 1)
    amount_pln = Decimal("43000.00")
    amount_eur = Decimal("10000.00")


class RateTableFactory(KlasterFactory):
    """One NBP table A (shared by every cluster)."""

    class Meta:
        model = RateTable

    date = factory.Sequence(lambda n: dt.date(2020, 1, 2) + dt.timedelta(days=n))
    number = factory.LazyAttribute(
        lambda o: f"{o.date.timetuple().tm_yday:03d}/A/NBP/{o.date.year}"
    )
    mid = Decimal("4.3000")


class EquipmentFactory(KlasterFactory):
    """A product of the project lent to members (AID-4)."""

    class Meta:
        model = Equipment

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"Drukarka 3D nr {n}")
    inventory_no = factory.Sequence(lambda n: f"ST/{n:04d}")


class PriceListFactory(KlasterFactory):
    """A product's price list from 2024-01-01 (AID-6)."""

    class Meta:
        model = PriceList

    equipment = factory.SubFactory(EquipmentFactory)
    valid_from = dt.date(2024, 1, 1)
    upkeep_fee_per_day = Decimal("20.00")
    lending_fee_per_day = Decimal("30.00")
    aid_per_day = Decimal("400.00")


class AidApplicationFactory(KlasterFactory):
    """An application to use a product, received (AID-4)."""

    class Meta:
        model = AidApplication

    cluster = factory.LazyAttribute(lambda o: o.member.cluster)
    member = factory.SubFactory(MemberFactory)
    equipment = factory.SubFactory(
        EquipmentFactory, cluster=factory.SelfAttribute("..member.cluster")
    )
    start = dt.date(2027, 1, 11)
    end = dt.date(2027, 1, 22)
    arrived_at = factory.LazyFunction(timezone.now)


class ApplicationDocumentFactory(KlasterFactory):
    """A checklist document received on paper (AID-4)."""

    class Meta:
        model = ApplicationDocument

    kind = "rules"
    form = "paper"
    received_on = dt.date(2026, 12, 1)


# --- forum -------------------------------------------------------------------------------------


class ForumFactory(KlasterFactory):
    """A forum of clusters (FOR-1) with no clusters yet."""

    class Meta:
        model = Forum

    slug = factory.Sequence(lambda n: f"forum-{n}")
    name = factory.Sequence(lambda n: f"Forum Klastrów {n}")
    region = "pomorskie"


class ForumMembershipFactory(KlasterFactory):
    """A cluster in a forum since 2025-01-10 by its decision."""

    class Meta:
        model = ForumMembership

    forum = factory.SubFactory(ForumFactory)
    cluster = factory.SubFactory(ClusterFactory)
    joined_on = dt.date(2025, 1, 10)
    join_decision = "Uchwała Zarządu nr 1/2025"


class SharingFactory(KlasterFactory):
    """One indicator a cluster shares (KKK 2021 set)."""

    class Meta:
        model = Sharing

    cluster = factory.SubFactory(ClusterFactory)
    set_code = "kkk-2021"
    key = "s2.total"


class SnapshotFactory(KlasterFactory):
    """A cluster's stored figures as of a day (KKK 2021 set)."""

    class Meta:
        model = Snapshot

    cluster = factory.SubFactory(ClusterFactory)
    set_code = "kkk-2021"
    as_of = dt.date(2026, 6, 30)
    values = factory.LazyFunction(lambda: {"s2.total": "42", "members.total": "80"})


class WorkFactory(KlasterFactory):
    """Shared work of a forum: a good practice by default."""

    class Meta:
        model = Work

    forum = factory.SubFactory(ForumFactory)
    kind = "practice"
    title = factory.Sequence(lambda n: f"Dobra praktyka {n}")
    body = "Opis"
