"""The records behind application sections 9–34, as one table of kinds.

Each kind names its model, the section of the form it feeds, the fields the office edits,
which of them point at members, and the choices of its coded fields. The generic views,
forms and services (`activity_record_*`) work from this table, so a kind is edited the
same way everywhere. Keys are the dataset's block names (DATASET.md), which are also the
names the engine and the application use in references ("projects[3]").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from klaster.core.models import Cluster
from klaster.kkk import models as km
from klaster.rules import kkk_application as ka

Choices = list[tuple[str, Promise | str]]


@dataclass(frozen=True)
class RecordKind:
    key: str
    model: type[km.ClusterRecord]
    title: Promise
    section: str
    fields: tuple[str, ...]
    list_fields: tuple[str, ...]
    member_fields: tuple[str, ...] = ()  # many-to-many to members
    member_fks: tuple[str, ...] = ()  # one member
    choices: dict[str, Choices] = field(default_factory=dict)
    filters: dict[str, Any] = field(default_factory=dict)  # fixed values (Practice.area)
    limits: dict[str, int] = field(default_factory=dict)  # 004's length limits per field
    max_count: int | None = None
    help: Promise | str = ""

    def queryset(self, cluster: Cluster) -> models.QuerySet:
        return self.model._default_manager.filter(cluster=cluster, **self.filters).order_by(
            "position", "id"
        )

    def label(self, field_name: str) -> str:
        if field_name in LABELS:
            return str(LABELS[field_name])
        model_field = self.model._meta.get_field(field_name)
        assert isinstance(
            model_field, models.Field
        )  # a column or a many-to-many, not a reverse relation
        return str(model_field.verbose_name)


# Labels for record fields the models leave unnamed (the models are shared with the dataset
# import; naming them here keeps the forms and lists readable without a schema migration).
LABELS: dict[str, Promise] = {
    "years_private_mgmt": _("years of management in the private sector"),
    "years_cluster_mgmt": _("years of cluster management"),
    "years_intl_projects": _("years of leading international projects"),
    "provider": _("provided by (member)"),
    "equal_preferential_access": _("equal, preferential access for all members"),
    "participants": _("participating members"),
    "private_contribution": _("private contribution (PLN)"),
    "funded": _("funded"),
    "applicants": _("applicant members"),
    "holder": _("holder (member enterprise)"),
    "protected_until": _("protected until"),
    "mode": _("mode of protection"),
    "by": _("introduced by (members)"),
    "from_rd": _("result of R&D"),
    "online": _("online"),
    "coordinator_participated": _("the coordinator took part"),
    "beneficiaries": _("members served"),
    "justification": _("justification (projects and undertakings of the cluster)"),
    "consistent_with_specialisation": _("consistent with the cluster's specialisation"),
    "confirmed_by_projects": _("confirmed by the cluster's projects"),
    "date": _("date"),
    "entities": _("members taking part"),
    "member": _("member (business partner)"),
    "startup": _("startup"),
    "programme": _("acceleration programme"),
    "basis": _("formal basis (contract, agreement)"),
    "date_from": _("from"),
    "date_to": _("until"),
    "kind": _("kind"),
    "introduced": _("introduced"),
    "offered_by": _("offered by (member enterprises)"),
    "by_coordinator": _("offered by the coordinator"),
    "revenue": _("revenue from sales outside the cluster"),
}


CERTIFICATE_KINDS: Choices = [
    ("esca_gold", "ESCA Gold"),
    ("esca_silver", "ESCA Silver"),
    ("esca_bronze", "ESCA Bronze"),
    ("other", _("other management certificate")),
]
RESOURCE_KINDS: Choices = [
    ("production", _("production (the cluster's specialisation)")),
    ("laboratory", _("laboratory")),
    ("digital", _("digital")),
    ("demonstration", _("demonstration")),
    ("other", _("other")),
]
PROJECT_TYPES: Choices = [
    ("investment", _("investment")),
    ("research", _("research")),
    ("promotion", _("promotion")),
    ("training", _("training")),
    ("other", _("other")),
]
IP_KINDS: Choices = [
    ("patent", _("patent")),
    ("utility_model", _("utility model")),
    ("industrial_design", _("industrial design")),
    ("trademark", _("trademark")),
]
IP_MODES: Choices = [("", "—"), ("polish", _("Polish")), ("foreign", _("foreign"))]
EVENT_KINDS: Choices = [
    ("industry", _("industry event")),
    ("cluster", _("event dedicated to clusters")),
    ("fair", _("fair")),
]
EVENT_LOCATIONS: Choices = [("", "—"), ("poland", _("in Poland")), ("abroad", _("abroad"))]
MISSION_KINDS: Choices = [
    ("mission", _("business mission")),
    ("matchmaking", _("matchmaking")),
    ("fair", _("fair")),
    ("meeting", _("meeting with potential partners")),
]
SERVICE_KINDS: Choices = [
    ("knowledge_transfer", _("knowledge-transfer service")),
    ("ecosystem", _("action developing the branch ecosystem")),
]
DUAL_KINDS: Choices = [
    ("curricula", _("dual-education curricula / cooperation with schools")),
    ("student_internships", _("student internships")),
    ("teacher_internships", _("teacher internships")),
    ("vocational_teachers", _("practical vocational teachers")),
    ("implementation_doctorate", _("implementation doctorates")),
]
CIRCULAR_KINDS: Choices = [
    ("material_recovery", _("material recovery and reuse")),
    ("waste_minimisation", _("waste minimisation")),
    ("life_extension", _("product life extension")),
    ("training", _("training on the circular economy")),
    ("eco_certificate", _("ETV / Ecolabel certificates")),
]
LOW_EMISSION_KINDS: Choices = [
    ("energy_audit", _("measures from an energy audit")),
    ("rd", _("R&D in low-emission technologies")),
    ("renewables", _("own renewable generation")),
    ("training", _("training, conferences or projects on low emission")),
]

RECORD_KINDS: dict[str, RecordKind] = {
    k.key: k
    for k in (
        RecordKind(
            "staff",
            km.Staff,
            _("Coordinator's team"),
            "9.1, 9.2",
            (
                "name",
                "email",
                "role",
                "manager",
                "contract",
                "employed_from",
                "employed_to",
                "years_private_mgmt",
                "years_cluster_mgmt",
                "years_intl_projects",
            ),
            ("name", "role", "manager", "employed_from", "employed_to"),
            help=_(
                "9.2 lists everyone employed at least 3 months before D and on D; managers (9.1) must be "
                "among them."
            ),
        ),
        RecordKind(
            "certificates",
            km.CoordinatorCertificate,
            _("Management quality certificates"),
            "10",
            ("kind", "name", "valid_until"),
            ("kind", "name", "valid_until"),
            choices={"kind": CERTIFICATE_KINDS},
        ),
        RecordKind(
            "shared_resources",
            km.SharedResource,
            _("Resources shared by other entities"),
            "12",
            ("name", "kind", "provider", "equal_preferential_access"),
            ("name", "kind", "provider", "equal_preferential_access"),
            member_fks=("provider",),
            choices={"kind": RESOURCE_KINDS},
            help=_(
                "Only resources every member reaches on equal, preferential terms are listed in the "
                "application."
            ),
        ),
        RecordKind(
            "projects",
            km.Project,
            _("Joint projects"),
            "13, 18, 20",
            (
                "key",
                "name",
                "description",
                "type",
                "international",
                "rd",
                "coordinator_participates",
                "participants",
                "value",
                "private_contribution",
                "funding_source",
                "start",
                "end",
            ),
            ("key", "name", "type", "international", "rd", "start", "end"),
            member_fields=("participants",),
            choices={"type": PROJECT_TYPES},
        ),
        RecordKind(
            "funding_applications",
            km.FundingApplication,
            _("Funding applications for members' projects"),
            "14",
            ("name", "programme", "submitted", "funded", "applicants"),
            ("name", "programme", "submitted", "funded"),
            member_fields=("applicants",),
        ),
        RecordKind(
            "ip_rights",
            km.IpRight,
            _("Patents, utility models, designs, trademarks"),
            "21",
            ("kind", "number", "title", "holder", "protected_until", "mode"),
            ("kind", "number", "title", "holder", "protected_until"),
            member_fks=("holder",),
            choices={"kind": IP_KINDS, "mode": IP_MODES},
        ),
        RecordKind(
            "innovations",
            km.Innovation,
            _("Innovations from R&D"),
            "22",
            ("name", "introduced", "by", "from_rd"),
            ("name", "introduced", "from_rd"),
            member_fields=("by",),
        ),
        RecordKind(
            "events",
            km.Event,
            _("Events and fairs"),
            "23",
            (
                "name",
                "kind",
                "location",
                "online",
                "date",
                "coordinator_participated",
                "participants",
            ),
            ("name", "kind", "location", "date", "coordinator_participated"),
            member_fields=("participants",),
            choices={"kind": EVENT_KINDS, "location": EVENT_LOCATIONS},
        ),
        RecordKind(
            "missions",
            km.Mission,
            _("Missions and partner meetings"),
            "32",
            ("name", "kind", "date", "participants"),
            ("name", "kind", "date"),
            member_fields=("participants",),
            choices={"kind": MISSION_KINDS},
        ),
        RecordKind(
            "services",
            km.Service,
            _("Coordinator's services"),
            "24",
            ("name", "description", "kind", "date", "beneficiaries"),
            ("name", "kind", "date"),
            member_fields=("beneficiaries",),
            choices={"kind": SERVICE_KINDS},
        ),
        RecordKind(
            "kis",
            km.Kis,
            _("National smart specialisations (KIS)"),
            "25",
            ("number", "justification", "consistent_with_specialisation", "confirmed_by_projects"),
            ("number", "consistent_with_specialisation", "confirmed_by_projects"),
            limits={"justification": ka.KIS_JUSTIFICATION_MAX},
            max_count=ka.KIS_MAX,
        ),
        RecordKind(
            "dual_education",
            km.DualEducation,
            _("Dual education"),
            "26",
            ("kind", "name", "description", "date", "date_to", "entities"),
            ("kind", "name", "date", "date_to"),
            member_fields=("entities",),
            choices={"kind": DUAL_KINDS},
            limits={"description": ka.DUAL_DESCRIPTION_MAX},
        ),
        RecordKind(
            "digital_initiatives",
            km.DigitalInitiative,
            _("Coordinator's digitalisation initiatives"),
            "27",
            ("name", "date"),
            ("name", "date"),
        ),
        RecordKind(
            "startup_cooperations",
            km.StartupCooperation,
            _("Cooperation with tech startups"),
            "28",
            ("member", "startup", "programme", "description", "basis", "date_from", "date_to"),
            ("member", "startup", "programme", "basis"),
            member_fks=("member",),
            limits={"description": ka.STARTUP_DESCRIPTION_MAX},
        ),
        RecordKind(
            "circular_economy",
            km.Practice,
            _("Circular economy"),
            "29",
            ("kind", "description", "entities"),
            ("kind", "description"),
            member_fields=("entities",),
            choices={"kind": CIRCULAR_KINDS},
            filters={"area": km.Practice.Area.CIRCULAR},
        ),
        RecordKind(
            "low_emission",
            km.Practice,
            _("Low-emission economy"),
            "30",
            ("kind", "description", "entities"),
            ("kind", "description"),
            member_fields=("entities",),
            choices={"kind": LOW_EMISSION_KINDS},
            filters={"area": km.Practice.Area.LOW_EMISSION},
        ),
        RecordKind(
            "joint_products",
            km.JointProduct,
            _("Joint products and services"),
            "31",
            ("name", "description", "introduced", "offered_by", "by_coordinator", "revenue"),
            ("name", "introduced", "by_coordinator", "revenue"),
            member_fields=("offered_by",),
            limits={"description": ka.JOINT_PRODUCT_MAX},
        ),
    )
}
