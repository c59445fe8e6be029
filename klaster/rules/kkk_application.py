"""The KKK application form (seed 004 part D, sections 1–34), its checks and its checksum.

Pure Python, no Django: the web app reads the registry into a `Dataset`, scores it with
`klaster.rules.kkk.evaluate`, and hands both to `assemble()`, which lays the application out
as plain JSON-ready data:

    content = assemble(dataset, evaluation, locate=locate, extras=extras)
    problems = validate(content)          # "Sprawdź wniosek" (KKK-2)
    digest = checksum(content)            # KKK-3

**KKK-1.** Every automatic figure (counts and shares per type, the share within 200 km, the
share of independent enterprises, export share and intensity, R&D, Industry 4.0, missions,
ISO) is copied from the engine's `Evaluation` — counts from `evaluation.members`, shares
from the criterion's or indicator's `value` — and member distances from the engine's own
`Context`, so the application and the dashboard can never disagree. The only figure the
engine does not compute is the employment (FTE) per member type in section 7, summed here
for the last closed fiscal year.

**The content.** A dict: `format`, `edition`, `mode`, `as_of`, `cluster`, `applicant`, the
`sections` in the form's order, and `evaluation` (the engine's `to_json` at the time). A
section holds `items`; an item is a field (`value`) or a table (`columns`, `rows`). Every
item says its type, whether it is required, its length limit, whether the generator
computes it (`auto`), and where in the product it is edited (`edit`). Values are only
str, int, bool, None, lists and dicts — money and decimals as strings ("1500000.00"),
dates as ISO strings, shares as the engine prints them ("27.50%") — so the content survives
a JSON round trip unchanged. A field that does not apply reads "NIE DOTYCZY" (004 B.6); a
value of None is a field not filled in.

**The checksum (KKK-3)** is SHA-256 over the canonical serialisation of the content:
JSON with keys sorted at every level, no whitespace (separators "," and ":"), non-ASCII
characters written as themselves and the whole encoded as UTF-8; Decimal values as their
string (`str(Decimal)`), dates as ISO 8601; floats are refused (their text is not stable).
The same content always gives the same checksum, whatever the order its keys were built
in; any change to any value changes it.

The layout is the 2021 form (`FORMS`); an edition with another form adds a builder there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from klaster.rules import kkk_form_labels as labels
from klaster.rules.dataset.model import ENTERPRISE_TYPES, Address, Dataset, Member
from klaster.rules.kkk import Evaluation, to_json
from klaster.rules.kkk.context import Context, KkkError, Locate
from klaster.rules.kkk.measure import pct, share
from klaster.rules.kkk.output import sayer
from klaster.rules.message import Msg, Term, define, render

FORMAT = "klaster-kkk-wniosek/1"
NIE_DOTYCZY = "NIE DOTYCZY"

# 004 part D: the length limits the instruction states (characters with spaces).
SPECIALISATION_MAX = 150  # pt 2
ACTUAL_START_MAX = 500  # pt 3.8
KIS_JUSTIFICATION_MAX = 500  # pt 25
DUAL_DESCRIPTION_MAX = 500  # pt 26
STARTUP_DESCRIPTION_MAX = 500  # pt 28
JOINT_PRODUCT_MAX = 1000  # pt 31
KIS_MAX = 3  # pt 25: "maksymalna liczba specjalizacji, które można wskazać wynosi 3"

Json = dict[str, Any]

MEMBER_TYPE_LABELS = {
    "micro": "przedsiębiorstwo mikro",
    "small": "przedsiębiorstwo małe",
    "medium": "przedsiębiorstwo średnie",
    "large": "przedsiębiorstwo duże",
    "iob": "IOB",
    "science": "jednostka naukowa",
    "other": "pozostali członkowie",
}
CLASSIFICATION_LABELS = {"PKD": "PKD", "EKD": "EKD", "description": "opis"}
START_KIND_LABELS = {
    "joint_project": "realizacja wspólnego projektu Klastra",
    "strategic_document": "zapisy o Klastrze w dokumentach strategicznych",
    "international_network": "udział w międzynarodowej sieci branżowej",
    "esca": "uzyskanie certyfikatu ESCA",
    "other": "inne",
}
CERTIFICATE_LABELS = {
    "esca_gold": "ESCA Gold Label",
    "esca_silver": "ESCA Silver Label",
    "esca_bronze": "ESCA Bronze Label",
    "other": "inny certyfikat jakości zarządzania",
}
RESOURCE_LABELS = {
    "production": "infrastruktura produkcyjna",
    "laboratory": "infrastruktura laboratoryjna",
    "digital": "infrastruktura cyfrowa",
    "demonstration": "infrastruktura demonstracyjna",
    "other": "inne",
}
PROJECT_TYPE_LABELS = {
    "investment": "inwestycyjny",
    "research": "badawczy",
    "promotion": "promocyjny",
    "training": "szkoleniowy",
    "other": "inny",
}
IP_KIND_LABELS = {
    "patent": "patent",
    "utility_model": "wzór użytkowy",
    "industrial_design": "wzór przemysłowy",
    "trademark": "znak towarowy",
}
IP_MODE_LABELS = {"polish": "polski", "foreign": "zagraniczny"}
EVENT_KIND_LABELS = {
    "industry": "wydarzenie branżowe",
    "cluster": "wydarzenie dedykowane klastrom",
    "fair": "targi",
}
EVENT_LOCATION_LABELS = {"poland": "w Polsce", "abroad": "za granicą"}
MISSION_KIND_LABELS = {
    "mission": "misja gospodarcza",
    "matchmaking": "spotkanie typu matchmaking",
    "fair": "targi",
    "meeting": "spotkanie z potencjalnymi partnerami",
}
SERVICE_KIND_LABELS = {
    "knowledge_transfer": "usługa transferu wiedzy",
    "ecosystem": "działanie na rzecz ekosystemu branżowego",
}
DUAL_KIND_LABELS = {
    "curricula": "programy kształcenia dualnego / współpraca ze szkołami",
    "student_internships": "praktyki i staże uczniów/studentów",
    "teacher_internships": "praktyki i staże kadry pedagogicznej",
    "vocational_teachers": "nauczyciele praktycznej nauki zawodu",
    "implementation_doctorate": "doktoraty wdrożeniowe",
}
CIRCULAR_KIND_LABELS = {
    "material_recovery": "odzyskiwanie i ponowne wykorzystanie materiałów",
    "waste_minimisation": "minimalizacja wytwarzania odpadów",
    "life_extension": "przedłużenie cyklu życia produktu",
    "training": "szkolenia i upowszechnianie wiedzy o GOZ",
    "eco_certificate": "certyfikaty ETV / Ecolabel",
}
LOW_EMISSION_KIND_LABELS = {
    "energy_audit": "wdrożenia rozwiązań z audytu energetycznego",
    "rd": "prace B+R w technologiach niskoemisyjnych",
    "renewables": "wytwarzanie energii ze źródeł odnawialnych",
    "training": "szkolenia, konferencje, projekty o gospodarce niskoemisyjnej",
}

# 004 "Załączniki do wniosku": the kind, its title, the modes it applies to, and whether it
# is always required ("always"), required when an ESCA certificate is shown ("esca") or
# optional ("optional").
ATTACHMENTS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    (
        "1",
        "Podpisana umowa Klastra lub inny dokument powołania Klastra oraz aneksy lub deklaracje przystąpienia",
        ("grant",),
        "always",
    ),
    ("2", "Statut lub regulamin Klastra", ("grant",), "always"),
    (
        "3",
        "Oświadczenie o spełnieniu kryteriów I etapu oceny (odnowienie statusu)",
        ("renewal",),
        "always",
    ),
    ("4", "Strategia rozwoju Klastra", ("grant", "renewal"), "always"),
    ("5", "Decyzja organu Klastra o ubieganiu się o status KKK", ("grant", "renewal"), "always"),
    ("6", "Aktualny certyfikat zarządzania Klastrem ESCA", ("grant", "renewal"), "esca"),
    ("7", "Aktualne certyfikaty", ("grant", "renewal"), "optional"),
    ("8", "Inne załączniki", ("grant", "renewal"), "optional"),
)
ATTACHMENT_TITLES = {kind: title for kind, title, _, _ in ATTACHMENTS}

# 004 "Oświadczenia": what the applicant states. Statement 5 applies only to a cluster that
# held the status before.
STATEMENTS: tuple[tuple[int, str], ...] = (
    (
        1,
        "informacje zawarte we wniosku i załącznikach są zgodne ze stanem faktycznym; Wnioskodawca jest "
        "świadomy odpowiedzialności karnej z art. 271 Kodeksu karnego",
    ),
    (
        2,
        "Wnioskodawca nie pozostaje pod zarządem komisarycznym, nie jest w likwidacji, w postępowaniu "
        "upadłościowym ani układowym",
    ),
    (
        3,
        "Wnioskodawca nie zalega ze składkami na ubezpieczenia społeczne i zdrowotne, FP i FGŚP ani z podatkami "
        "i innymi należnościami publicznoprawnymi",
    ),
    (4, "Wnioskodawca wyraża zgodę na udzielanie informacji na potrzeby oceny w Konkursie"),
    (5, "Klaster uzyskał status KKK w przeszłości"),
    (
        6,
        "Wnioskodawca zobowiązuje się do współpracy z Organizatorem w okresie obowiązywania statusu i dwa "
        "lata po jego wygaśnięciu (monitorowanie, dane, wyjaśnienia)",
    ),
    (
        7,
        "Wnioskodawca wyraża zgodę na wykorzystanie danych teleadresowych do celów korespondencyjnych i "
        "promocyjnych",
    ),
    (
        8,
        "Wnioskodawca wyraża zgodę na wykorzystanie danych z wniosku do celów badawczych bez możliwości "
        "identyfikacji podmiotów",
    ),
)


# ---------------------------------------------------------------------------------------
# inputs


@dataclass(frozen=True)
class Attachment:
    """An uploaded attachment as the application sees it. `pdf` is the magic-byte check."""

    kind: str
    name: str
    size: int
    sha256: str
    pdf: bool


@dataclass(frozen=True)
class Extras:
    """What the application needs beyond the dataset: the coordinator's own entries.

    `record_extras` carries fields the dataset format has no key for, by the record's
    reference as the engine names it (``"projects[3]"`` → ``{"description": …}``).
    `science_units_a` lists A/A+ sub-units of member science units (member id, name,
    category) for table 4 (004 pt 4: listed again, never counted).
    """

    applicant_name: str | None = None
    applicant_address: str | None = None
    applicant_website: str | None = None
    coordinator_website: str | None = None
    appointment_document: str | None = None
    appointment_date: dt.date | None = None
    previously_granted: bool = False
    statements: frozenset[int] = frozenset()
    record_extras: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    science_units_a: tuple[tuple[str, str, str], ...] = ()
    attachments: tuple[Attachment, ...] = ()
    # Section 7 employment (FTE) per member type entered for the application; a type not
    # given here is summed from the members' figures for the last closed fiscal year.
    fte: Mapping[str, Decimal] = field(default_factory=dict)


ProblemKind = Literal[
    "required", "length", "arithmetic", "consistency", "attachment", "statement", "date"
]


@dataclass(frozen=True)
class Problem:
    """One finding of "Sprawdź wniosek": the field it is in, and what is wrong.

    `field` is the item id in the form ("3.2", "4", "25"); `label` names it and `message` says
    what is wrong, both messages (code and parameters) that the page, the API and the exports
    render in their reader's language (issue 9 point 4); `ref` the table row ("m012",
    "kis[3]") and `column` its column, when the problem is in a row; `edit` says where the
    product edits it ("cluster", "application", "member:m012", "record:kis:3", …).
    """

    field: str
    label: Msg
    message: Msg
    kind: ProblemKind
    edit: str
    ref: str | None = None
    column: str | None = None

    @property
    def anchor(self) -> str:
        return row_anchor(self.field, self.ref) if self.ref else field_anchor(self.field)

    def text(self, say: Callable[[Msg], str]) -> str:
        """The problem on one line, its words rendered by `say`: "3.2 <label> [ref]: <message>"."""
        where = f"{self.field} {say(self.label)}"
        if self.ref:
            where += f" [{self.ref}]"
        return f"{where}: {say(self.message)}"

    def __str__(self) -> str:
        return self.text(lambda message: render(message, "en", lambda code, text: text))


def field_anchor(field_id: str) -> str:
    return "f-" + re.sub(r"[^0-9A-Za-z]+", "-", field_id).strip("-")


def row_anchor(field_id: str, ref: str) -> str:
    return field_anchor(field_id) + "-" + re.sub(r"[^0-9A-Za-z]+", "-", ref).strip("-")


# ---------------------------------------------------------------------------------------
# value helpers


def _s(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _text(value: str | None) -> str | None:
    """Free text keeps its line breaks; only surrounding blanks go."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _money(value: Decimal | None) -> str | None:
    return str(value.quantize(Decimal("0.01"))) if value is not None else None


def _dec(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def address_text(address: Address | None) -> str | None:
    """A seat as one line: "ul. Piotrkowska 276, 90-361 Łódź"."""
    if address is None:
        return None
    town = " ".join(p for p in (address.postal_code, address.city) if p)
    return _s(", ".join(p for p in (address.street, town) if p))


def same_address(a: str | None, b: str | None) -> bool:
    """3.2 = table 4: the same address, ignoring case, spacing and punctuation."""

    def norm(text: str | None) -> str:
        return re.sub(r"[\W_]+", " ", (text or "").casefold()).strip()

    return bool(a) and norm(a) == norm(b)


def _ref_index(ref: str) -> tuple[str, int] | None:
    m = re.fullmatch(r"([a-z_]+)\[(\d+)\]", ref)
    return (m.group(1), int(m.group(2))) if m else None


def _field(
    id_: str,
    label: str,
    value: Any,
    type_: str = "text",
    *,
    required: bool = True,
    max_len: int | None = None,
    auto: bool = False,
    edit: str = "application",
    help_: str = "",
) -> Json:
    return {
        "id": id_,
        "label": label,
        "type": type_,
        "value": value,
        "required": required,
        "max": max_len,
        "auto": auto,
        "edit": edit,
        "help": help_,
    }


def _col(
    key: str, label: str, type_: str = "text", *, required: bool = True, max_len: int | None = None
) -> Json:
    return {"key": key, "label": label, "type": type_, "required": required, "max": max_len}


def _table(
    id_: str,
    label: str,
    columns: list[Json],
    rows: list[Json],
    *,
    required: bool = False,
    auto: bool = False,
    edit: str = "",
    help_: str = "",
) -> Json:
    return {
        "id": id_,
        "label": label,
        "columns": columns,
        "rows": rows,
        "required": required,
        "value": NIE_DOTYCZY if not rows and not required else None,
        "auto": auto,
        "edit": edit,
        "help": help_,
    }


def _section(no: str, title: str, items: list[Json], part: str = "") -> Json:
    return {"no": no, "title": title, "part": part, "items": items}


# ---------------------------------------------------------------------------------------
# assembling the 2021 form


class _Form:
    """Builds the 2021 application from a dataset, its evaluation and the extras."""

    def __init__(
        self,
        dataset: Dataset,
        evaluation: Evaluation,
        locate: Locate | None,
        extras: Extras,
        lang: str = "pl",
    ) -> None:
        # The application is a document in the competition's language (the 2021 form is
        # Polish): the engine's messages are written into it in `lang`, once, so that its
        # content and checksum do not depend on who reads it.
        self.lang = lang
        self.say = sayer(lang)
        self.ds = dataset
        self.ev = evaluation
        self.x = extras
        self.ctx = Context(dataset, evaluation.as_of, locate)
        self.d = evaluation.as_of
        self.all_members: dict[str, Member] = {m.id: m for m in dataset.members}
        self.criteria = {c.id: c for c in evaluation.stage1.criteria}
        self.indicators = {i.id: i for i in evaluation.stage2.indicators}

    # -- helpers --------------------------------------------------------------------------

    def names(self, ids: Iterable[str]) -> list[str]:
        return [
            self.all_members[i].name if i in self.all_members else i for i in dict.fromkeys(ids)
        ]

    def count_on_d(self, ids: Iterable[str]) -> int:
        return len(self.ctx.members_among(ids)[0])

    def record_extra(self, ref: str, key: str) -> Any:
        return self.x.record_extras.get(ref, {}).get(key)

    def value(self, rule_id: str) -> Any:
        if rule_id in self.criteria:
            value = self.criteria[rule_id].value
        else:
            value = self.indicators[rule_id].value
        return self.say(value) if isinstance(value, Msg) else value

    def basis(self, rule_id: str) -> tuple[str, ...]:
        if rule_id in self.criteria:
            return self.criteria[rule_id].basis
        return self.indicators[rule_id].basis

    def a_units(self) -> list[Json]:
        """004 pt 4: A/A+ science units are listed again — member units and members' sub-units."""
        ctx = self.ctx
        rows = [
            {"ref": m.id, "name": _s(m.name), "category": m.science_category, "member": _s(m.name)}
            for m in ctx.members
            if m.type == "science" and m.science_category in ("A+", "A")
        ]
        rows += [
            {
                "ref": f"{mid}/{n}",
                "name": _s(name),
                "category": category,
                "member": self.all_members[mid].name if mid in self.all_members else mid,
            }
            for n, (mid, name, category) in enumerate(self.x.science_units_a)
            if mid in ctx.by_id and category in ("A+", "A")
        ]
        return rows

    def current_certificates(self) -> list[Json]:
        rows = []
        for i, cert in enumerate(self.ds.certificates):
            if cert.valid_until is not None and cert.valid_until < self.d:
                continue  # "za aktualny uznaje się certyfikat, który jest ważny w momencie składania wniosku"
            rows.append(
                {
                    "ref": f"certificates[{i}]",
                    "kind": CERTIFICATE_LABELS.get(cert.kind, cert.kind),
                    "kind_key": cert.kind,
                    "name": _s(cert.name),
                    "valid_until": _date(cert.valid_until),
                }
            )
        return rows

    @property
    def coordinator(self) -> Member | None:
        return self.ctx.coordinator or self.all_members.get(self.ctx.coordinator_id)

    # -- sections -------------------------------------------------------------------------

    def build(self) -> Json:
        c = self.ds.cluster
        coordinator = self.coordinator
        applicant_name = _s(self.x.applicant_name) or (coordinator.name if coordinator else None)
        applicant_address = _s(self.x.applicant_address) or address_text(
            coordinator.address if coordinator else None
        )
        sections = [
            _section(
                "1",
                "Nazwa Klastra",
                [
                    _field("1", "Nazwa Klastra", _s(c.name), edit="cluster"),
                ],
            ),
            _section(
                "1a",
                "Adres strony internetowej",
                [
                    _field(
                        "1a", "Adres strony internetowej Klastra", _s(c.website), edit="cluster"
                    ),
                ],
            ),
            self.s2(),
            self.s3(applicant_name, applicant_address),
            self.s4(),
            self.s5(),
            self.s6(),
            self.s7(),
            self.s8(),
            *self.part2(),
            self.attachments(),
            self.statements(),
        ]
        return {
            "format": FORMAT,
            "edition": self.ev.edition,
            "edition_title": self.say(self.ev.edition_title),
            "mode": self.ev.mode,
            "as_of": self.d.isoformat(),
            "cluster": _s(c.name),
            "applicant": {"name": applicant_name, "address": applicant_address},
            "sections": sections,
            "evaluation": to_json(self.ev, self.lang),
        }

    def s2(self) -> Json:
        spec = self.ds.cluster.specialisation
        classification = spec.classification if spec else None
        described = classification == "description"
        codes: Any = list(spec.codes) if spec and spec.codes else None
        if described and not codes:
            codes = NIE_DOTYCZY
        description = _s(spec.description) if spec else None
        return _section(
            "2",
            "Specjalizacja Klastra",
            [
                _field(
                    "2.klasyfikacja",
                    "Klasyfikacja (PKD, EKD albo opis)",
                    CLASSIFICATION_LABELS.get(classification or "", classification),
                    edit="cluster",
                ),
                _field(
                    "2.kody", "Kody PKD/EKD", codes, "list", required=not described, edit="cluster"
                ),
                _field(
                    "2.opis",
                    "Opis specjalizacji",
                    description or (NIE_DOTYCZY if not described else None),
                    required=described,
                    max_len=SPECIALISATION_MAX,
                    edit="cluster",
                    help_="opis nie powinien przekroczyć 150 znaków ze spacjami",
                ),
            ],
        )

    def s3(self, applicant_name: str | None, applicant_address: str | None) -> Json:
        c = self.ds.cluster
        m = self.coordinator
        contact = c.contact
        website = _s(self.x.applicant_website) or _s(self.x.coordinator_website) or _s(c.website)
        krs: str | None = _s(m.krs) if m else None
        if krs is None and m is not None and m.type == "science":
            krs = NIE_DOTYCZY  # public universities and institutes are not entered in the KRS
        return _section(
            "3",
            "Wnioskodawca (Koordynator Klastra)",
            [
                _field(
                    "3", "Nazwa Wnioskodawcy", _s(m.name) if m else None, edit="coordinator_member"
                ),
                _field(
                    "3.1",
                    "Pełna nazwa Wnioskodawcy zgodna z dokumentem rejestrowym",
                    applicant_name,
                ),
                _field(
                    "3.2",
                    "Adres siedziby Wnioskodawcy",
                    applicant_address,
                    help_="musi być tożsamy z adresem Koordynatora w tabeli 4; od niego liczone są odległości",
                ),
                _field("3.3", "Adres strony internetowej Wnioskodawcy", website),
                _field("3.4.nip", "NIP", _s(m.nip) if m else None, edit="coordinator_member"),
                _field("3.4.regon", "REGON", _s(m.regon) if m else None, edit="coordinator_member"),
                _field("3.4.krs", "KRS", krs, edit="coordinator_member"),
                _field(
                    "3.5.dokument",
                    "Dokument, z którego wynika pełnienie funkcji Koordynatora",
                    _s(self.x.appointment_document),
                ),
                _field("3.5.data", "Data dokumentu", _date(self.x.appointment_date), "date"),
                _field(
                    "3.6.imie",
                    "Osoba do kontaktu: imię i nazwisko",
                    _s(contact.name) if contact else None,
                    edit="cluster",
                ),
                _field(
                    "3.6.stanowisko",
                    "Stanowisko",
                    _s(contact.position) if contact else None,
                    edit="cluster",
                ),
                _field(
                    "3.6.adres",
                    "Adres do korespondencji",
                    _s(contact.address) if contact else None,
                    edit="cluster",
                ),
                _field(
                    "3.6.telefon", "Telefon", _s(contact.phone) if contact else None, edit="cluster"
                ),
                _field(
                    "3.6.email", "E-mail", _s(contact.email) if contact else None, edit="cluster"
                ),
            ],
        )

    def s4(self) -> Json:
        ctx = self.ctx
        ordered = sorted(
            ctx.members, key=lambda m: m.id != ctx.coordinator_id
        )  # the coordinator first
        rows = []
        for n, m in enumerate(ordered, start=1):
            distance = ctx.distance.get(m.id)
            rows.append(
                {
                    "ref": m.id,
                    "coordinator": m.id == ctx.coordinator_id,
                    "type_key": m.type,
                    "lp": n,
                    "name": _s(m.name),
                    "type": MEMBER_TYPE_LABELS.get(m.type, m.type),
                    "address": address_text(m.address),
                    "distance_km": _dec(distance),
                    "independent": m.independent if m.is_enterprise else NIE_DOTYCZY,
                }
            )
        return _section(
            "4",
            "Aktualny wykaz wszystkich członków Klastra wraz z Koordynatorem Klastra",
            [
                _table(
                    "4",
                    "Tabela 4. Członkowie Klastra (stan na dzień złożenia wniosku)",
                    [
                        _col("lp", "Lp.", "int"),
                        _col("name", "Nazwa podmiotu"),
                        _col("type", "Typ podmiotu"),
                        _col("address", "Adres siedziby"),
                        _col("distance_km", "Odległość od siedziby Koordynatora (km)", "dec"),
                        _col("independent", "Przedsiębiorstwo samodzielne (T/N)", "bool"),
                    ],
                    rows,
                    required=True,
                    edit="members",
                    help_="odległość z dokładnością do 10 km od adresu z pkt 3.2",
                ),
                _table(
                    "4a",
                    "Jednostki naukowe z kategorią naukową A/A+ (nie wliczane do liczby członków)",
                    [
                        _col("name", "Nazwa jednostki"),
                        _col("category", "Kategoria naukowa"),
                        _col("member", "Członek Klastra"),
                    ],
                    self.a_units(),
                    edit="members",
                ),
                _field(
                    "4.samodzielne",
                    "Udział przedsiębiorstw samodzielnych w liczbie przedsiębiorstw",
                    self.value("KKK-S1-8"),
                    "pct",
                    auto=True,
                    edit="",
                ),
            ],
            part="I. Kryteria oceny merytorycznej wstępnej",
        )

    def s5(self) -> Json:
        c = self.ds.cluster
        start = c.actual_start
        kinds: Any = (
            [START_KIND_LABELS.get(k, k) for k in start.kinds] if start and start.kinds else None
        )
        return _section(
            "5",
            "Historia działalności Klastra",
            [
                _field(
                    "3.7",
                    "Data formalnego rozpoczęcia działalności (zawarcia umowy Klastra)",
                    _date(c.agreement_date),
                    "date",
                    edit="cluster",
                ),
                _field(
                    "3.8",
                    "Rok faktycznego rozpoczęcia działalności",
                    start.year if start else None,
                    "year",
                    edit="cluster",
                ),
                _field(
                    "3.8.rodzaj",
                    "Rodzaj działania potwierdzającego faktyczne rozpoczęcie działalności",
                    kinds,
                    "list",
                    edit="cluster",
                ),
                _field(
                    "3.8.opis",
                    "Opis działania potwierdzającego faktyczne rozpoczęcie działalności",
                    _text(start.description) if start else None,
                    max_len=ACTUAL_START_MAX,
                    edit="cluster",
                ),
                _field(
                    "3.9",
                    "Klaster zarejestrowany na European Cluster Collaboration Platform",
                    c.eccp_registered,
                    "bool",
                    edit="cluster",
                ),
            ],
        )

    def s6(self) -> Json:
        strategies = self.ds.cluster.strategies
        valid = [int(ref.split("[")[1].rstrip("]")) for ref in self.basis("KKK-S1-21")]
        # 6.1–6.3 name one strategy: the one valid on D adopted last; with none valid, the last entered.
        pick = (
            max(valid, key=lambda i: (strategies[i].adopted or dt.date.min, i))
            if valid
            else (len(strategies) - 1 if strategies else None)
        )
        s = strategies[pick] if pick is not None else None
        return _section(
            "6",
            "Strategia rozwoju Klastra",
            [
                _field("6.1", "Nazwa strategii", _s(s.name) if s else None, edit="strategies"),
                _field(
                    "6.2",
                    "Data przyjęcia (aktualizacji) strategii",
                    _date(s.adopted) if s else None,
                    "date",
                    edit="strategies",
                ),
                _field(
                    "6.3.od",
                    "Okres obowiązywania: od",
                    _date(s.valid_from) if s else None,
                    "date",
                    edit="strategies",
                ),
                _field(
                    "6.3.do",
                    "Okres obowiązywania: do",
                    _date(s.valid_to) if s else None,
                    "date",
                    edit="strategies",
                ),
            ],
        )

    def s7(self) -> Json:
        counts = dict(self.ev.members.by_type)
        total = self.ev.members.total
        year = (
            self.d.year - 1
        )  # "za ostatni zakończony rok obrotowy poprzedzający złożenie wniosku"
        summed: dict[str, Decimal] = {}
        for m in self.ctx.members:
            for y in m.years:
                if y.year == year and y.fte is not None:
                    summed[m.type] = summed.get(m.type, Decimal(0)) + y.fte
        per_type: dict[str, Any] = {}
        for t in ("micro", "small", "medium", "large", "science", "iob", "other"):
            if t in self.x.fte:
                per_type[t] = self.x.fte[t]  # entered by the office for the application
            elif t in summed:
                per_type[t] = summed[t]
            else:
                per_type[t] = NIE_DOTYCZY if not counts.get(t, 0) else None

        def fte_of(types: Iterable[str]) -> Any:
            values = [per_type[t] for t in types]
            if all(v == NIE_DOTYCZY for v in values):
                return NIE_DOTYCZY
            if any(v is None for v in values):
                return None
            total_fte = sum((v for v in values if isinstance(v, Decimal)), Decimal(0))
            return str(total_fte.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

        def row(key: str, label: str, n: int, types: Iterable[str], counted: bool = True) -> Json:
            return {
                "ref": key,
                "category": label,
                "count": n,
                "share": pct(share(n, total)) if counted else NIE_DOTYCZY,
                "fte": fte_of(types) if counted else NIE_DOTYCZY,
            }

        enterprises = ("micro", "small", "medium", "large")
        a_units = len(self.a_units())
        rows = [
            row("micro", "Przedsiębiorstwa mikro", counts.get("micro", 0), ["micro"]),
            row("small", "Przedsiębiorstwa małe", counts.get("small", 0), ["small"]),
            row("medium", "Przedsiębiorstwa średnie", counts.get("medium", 0), ["medium"]),
            row("large", "Przedsiębiorstwa duże", counts.get("large", 0), ["large"]),
            {
                **row(
                    "enterprises",
                    "Przedsiębiorstwa (razem)",
                    self.ev.members.enterprises,
                    enterprises,
                ),
                "aggregate": True,
            },
            row("science", "Jednostki naukowe", counts.get("science", 0), ["science"]),
            row(
                "science_a",
                "w tym jednostki z kategorią A/A+ (informacyjnie)",
                a_units,
                [],
                counted=False,
            ),
            row("iob", "IOB", counts.get("iob", 0), ["iob"]),
            row("other", "Pozostali członkowie", counts.get("other", 0), ["other"]),
            {
                **row("total", "Ogółem", total, (*enterprises, "science", "iob", "other")),
                "aggregate": True,
            },
        ]
        return _section(
            "7",
            "Masa krytyczna",
            [
                _table(
                    "7",
                    "Liczba i udział członków według kategorii",
                    [
                        _col("category", "Kategoria"),
                        _col("count", "Liczba", "int"),
                        _col("share", "Udział", "pct"),
                        _col("fte", f"Zatrudnienie (etaty, średniorocznie {year})", "dec"),
                    ],
                    rows,
                    required=True,
                    auto=True,
                    edit="members",
                    help_="liczby i udziały oblicza generator na podstawie tabeli 4; zatrudnienie wpisane we wniosku "
                    "albo suma etatów członków za ostatni zakończony rok obrotowy",
                ),
                _field(
                    "7.ponad_rok",
                    "Udział członków należących do Klastra ponad rok",
                    self.value("KKK-S1-3"),
                    "pct",
                    auto=True,
                    edit="",
                ),
            ],
        )

    def s8(self) -> Json:
        return _section(
            "8",
            "Koncentracja geograficzna członków Klastra",
            [
                _field(
                    "8.liczba",
                    "Liczba członków w odległości do 200 km od siedziby Koordynatora",
                    self.ev.members.within_200_km,
                    "int",
                    auto=True,
                    edit="",
                ),
                _field(
                    "8.udzial",
                    "Udział członków w odległości do 200 km",
                    self.value("KKK-S1-17"),
                    "pct",
                    auto=True,
                    edit="",
                ),
            ],
        )

    # -- part II ----------------------------------------------------------------------------

    def part2(self) -> list[Json]:
        return [
            self.s9(),
            self.s10(),
            self.s11(),
            self.s12(),
            self.s13(),
            self.s14(),
            self.s15(),
            self.s16(),
            self.s17(),
            self.s18(),
            self.s19(),
            self.s20(),
            self.s21(),
            self.s22(),
            self.s23(),
            self.s24(),
            self.s25(),
            self.s26(),
            self.s27(),
            self.s28(),
            self.s29_30("29"),
            self.s29_30("30"),
            self.s31(),
            self.s32(),
            self.s33(),
            self.s34(),
        ]

    def s9(self) -> Json:
        d = self.d
        ctx = self.ctx
        managers, staff = [], []
        for i, s in enumerate(self.ds.staff):
            ref = f"staff[{i}]"
            on_d = (s.employed_from is None or s.employed_from <= d) and (
                s.employed_to is None or s.employed_to >= d
            )
            # 004 pt 9.2: employed at least 3 months before submission and on the day itself
            throughout = (
                s.employed_from is not None
                and s.employed_from <= ctx.three_months_ago
                and (s.employed_to is None or s.employed_to >= d)
            )
            person = {"ref": ref, "name": _s(s.name), "email": _s(s.email), "role": _s(s.role)}
            if s.manager and on_d:
                managers.append(
                    {
                        **person,
                        "years_private_mgmt": _dec(s.years_private_mgmt),
                        "years_cluster_mgmt": _dec(s.years_cluster_mgmt),
                        "years_intl_projects": _dec(s.years_intl_projects),
                    }
                )
            if throughout:
                staff.append({**person, "contract": _s(s.contract)})
        experience = self.ds.cluster.coordinator.clustering_experience_years
        return _section(
            "9",
            "Kadra zarządzająca Klastrem",
            [
                _table(
                    "9.1",
                    "Osoby zarządzające Klastrem",
                    [
                        _col("name", "Imię i nazwisko"),
                        _col("email", "E-mail"),
                        _col("role", "Funkcja w organie zarządzającym"),
                        _col(
                            "years_private_mgmt",
                            "Lata doświadczenia w zarządzaniu w sektorze prywatnym",
                            "dec",
                        ),
                        _col(
                            "years_cluster_mgmt", "Lata doświadczenia w zarządzaniu Klastrem", "dec"
                        ),
                        _col(
                            "years_intl_projects",
                            "Lata doświadczenia w kierowaniu projektami międzynarodowymi",
                            "dec",
                        ),
                    ],
                    managers,
                    required=True,
                    edit="records:staff",
                ),
                _table(
                    "9.2",
                    "Osoby oddelegowane przez Koordynatora do obsługi Klastra (wraz z kadrą zarządzającą)",
                    [
                        _col("name", "Imię i nazwisko (tytuł)"),
                        _col("email", "E-mail"),
                        _col("role", "Zakres odpowiedzialności / czynności"),
                        _col("contract", "Podstawa zatrudnienia", required=False),
                    ],
                    staff,
                    required=True,
                    edit="records:staff",
                    help_=f"zatrudnieni co najmniej od {ctx.three_months_ago.isoformat()} (3 miesiące przed D) i w dniu D",
                ),
                _field(
                    "9.doswiadczenie",
                    "Lata doświadczenia Koordynatora w prowadzeniu i animowaniu działań klastrowych",
                    _dec(experience),
                    "dec",
                    edit="coordinator",
                ),
                _field(
                    "9.relacja",
                    "Liczba członków na pracownika zespołu Koordynatora",
                    self.value("KKK-S2-9"),
                    auto=True,
                    edit="",
                ),
            ],
            part="II. Kryteria oceny merytorycznej parametrycznej",
        )

    def s10(self) -> Json:
        rows = self.current_certificates()
        return _section(
            "10",
            "Jakość zarządzania Klastrem",
            [
                _table(
                    "10",
                    "Aktualne certyfikaty jakości zarządzania Koordynatora",
                    [
                        _col("kind", "Rodzaj certyfikatu"),
                        _col("name", "Nazwa certyfikatu"),
                        _col("valid_until", "Data ważności", "date"),
                    ],
                    rows,
                    edit="records:certificates",
                ),
            ],
        )

    def s11(self) -> Json:
        p = self.ds.cluster.coordinator.platforms
        return _section(
            "11",
            "Zasoby udostępniane przez Koordynatora Klastra członkom Klastra",
            [
                _field(
                    "11.komunikacja",
                    "Platforma informatyczna do komunikacji wewnętrznej",
                    p.communication,
                    "bool",
                    edit="coordinator",
                ),
                _field("11.zakupy", "Platforma zakupowa", p.purchasing, "bool", edit="coordinator"),
                _field("11.sprzedaz", "Platforma sprzedażowa", p.sales, "bool", edit="coordinator"),
            ],
        )

    def s12(self) -> Json:
        rows = []
        for i, r in enumerate(self.ds.shared_resources):
            # 004 pt 12: only resources all members reach equally on preferential terms, and not the
            # coordinator's own (those are pt 11).
            if not r.equal_preferential_access or r.provider == self.ctx.coordinator_id:
                continue
            rows.append(
                {
                    "ref": f"shared_resources[{i}]",
                    "name": _s(r.name),
                    "kind": RESOURCE_LABELS.get(r.kind, r.kind),
                    "provider": self.names([r.provider])[0] if r.provider else None,
                }
            )
        return _section(
            "12",
            "Zasoby udostępnione przez podmioty inne niż Koordynator Klastra",
            [
                _table(
                    "12",
                    "Zasoby udostępnione do wspólnego użytkowania (równy, preferencyjny dostęp)",
                    [
                        _col("name", "Nazwa zasobu"),
                        _col("kind", "Rodzaj infrastruktury"),
                        _col("provider", "Podmiot udostępniający"),
                    ],
                    rows,
                    edit="records:shared_resources",
                ),
            ],
        )

    def _project_index(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.ds.projects)}

    def s13(self) -> Json:
        index = self._project_index()
        rows = []
        for pid in self.basis("KKK-S2-13"):
            i = index[pid]
            p = self.ds.projects[i]
            rows.append(
                {
                    "ref": f"projects[{i}]",
                    "name": _s(p.name),
                    "private_contribution": _money(p.private_contribution),
                }
            )
        return _section(
            "13",
            "Środki prywatne przeznaczone na działalność Klastra",
            [
                _table(
                    "13",
                    "Wkład własny członków Klastra we wspólne projekty (ostatnie 3 lata)",
                    [
                        _col("name", "Nazwa projektu"),
                        _col("private_contribution", "Wkład prywatny (PLN)", "money"),
                    ],
                    rows,
                    edit="records:projects",
                ),
                _field(
                    "13.suma",
                    "Środki prywatne razem (PLN)",
                    self.value("KKK-S2-13"),
                    "money",
                    auto=True,
                    edit="",
                ),
            ],
        )

    def s14(self) -> Json:
        rows = []
        for i, a in enumerate(self.ds.funding_applications):
            if not self.ctx.in_last_3_years(a.submitted):
                continue
            rows.append(
                {
                    "ref": f"funding_applications[{i}]",
                    "name": _s(a.name),
                    "programme": _s(a.programme),
                    "submitted": _date(a.submitted),
                    "funded": a.funded,
                    "applicants": self.names(a.applicants),
                }
            )
        return _section(
            "14",
            "Finansowanie zewnętrzne projektów członków Klastra",
            [
                _table(
                    "14",
                    "Złożone wnioski o dofinansowanie projektów członków (ostatnie 3 lata)",
                    [
                        _col("name", "Nazwa wniosku"),
                        _col("programme", "Program"),
                        _col("submitted", "Data złożenia", "date"),
                        _col("funded", "Dofinansowanie (T/N)", "bool"),
                        _col("applicants", "Wnioskodawcy (członkowie)", "list", required=False),
                    ],
                    rows,
                    edit="records:funding_applications",
                ),
            ],
        )

    def s15(self) -> Json:
        years = ", ".join(str(y) for y in self.ctx.fiscal_years)
        return _section(
            "15",
            "Wartość sprzedaży w przedsiębiorstwach wchodzących w skład Klastra",
            [
                _field(
                    "15",
                    f"Przychody ze sprzedaży przedsiębiorstw Klastra w latach {years} (PLN)",
                    self.value("KKK-S2-15"),
                    "money",
                    auto=True,
                    edit="members",
                ),
            ],
            part="II.3 Potencjał gospodarczy Klastra",
        )

    def s16(self) -> Json:
        basis = self.basis("KKK-S2-16")
        return _section(
            "16",
            "Przedsiębiorstwa wchodzące w skład Klastra prowadzące działalność eksportową",
            [
                _field(
                    "16.eksporterzy",
                    "Liczba przedsiębiorstw z przychodami z eksportu (3 lata obrotowe)",
                    len(basis),
                    "int",
                    auto=True,
                    edit="members",
                ),
                _field(
                    "16.przedsiebiorstwa",
                    "Łączna liczba przedsiębiorstw Klastra",
                    self.ev.members.enterprises,
                    "int",
                    auto=True,
                    edit="",
                ),
                _field(
                    "16.udzial",
                    "Udział przedsiębiorstw eksportujących",
                    self.value("KKK-S2-16"),
                    "pct",
                    auto=True,
                    edit="",
                ),
            ],
        )

    def s17(self) -> Json:
        return _section(
            "17",
            "Intensywność eksportu przedsiębiorstw wchodzących w skład Klastra",
            [
                _field(
                    "17.liczba",
                    "Liczba przedsiębiorstw eksportujących ujętych w średniej",
                    len(self.basis("KKK-S2-17")),
                    "int",
                    auto=True,
                    edit="members",
                ),
                _field(
                    "17.intensywnosc",
                    "Średnia udziałów przychodów z eksportu w przychodach ze sprzedaży",
                    self.value("KKK-S2-17"),
                    "pct",
                    auto=True,
                    edit="",
                ),
            ],
        )

    def _project_rows(self, projects: Iterable[int]) -> list[Json]:
        rows = []
        for i in projects:
            p = self.ds.projects[i]
            ref = f"projects[{i}]"
            found = self.ctx.members_among(p.participants)[0]
            types = sorted({MEMBER_TYPE_LABELS.get(self.ctx.by_id[m].type, "") for m in found})
            rows.append(
                {
                    "ref": ref,
                    "name": _s(p.name),
                    "description": _text(self.record_extra(ref, "description")),
                    "type": PROJECT_TYPE_LABELS.get(p.type, p.type),
                    "participants": len(found),
                    "participant_types": types,
                    "coordinator": self.ctx.coordinator_takes_part(
                        p.coordinator_participates, p.participants
                    ),
                    "value": _money(p.value),
                    "funding_source": _s(p.funding_source),
                    "start": _date(p.start),
                    "end": _date(p.end) or "trwa",
                }
            )
        return rows

    def _running(self, international: bool | None = None, rd: bool | None = None) -> list[int]:
        # 004 pt 18/20: projects ended or running in the last 3 years; never one not yet started.
        return [
            i
            for i, p in enumerate(self.ds.projects)
            if (international is None or p.international == international)
            and (rd is None or p.rd == rd)
            and self.ctx.running_in_last_3_years(p.start, p.end)
        ]

    def s18(self) -> Json:
        return _section(
            "18",
            "Wspólne projekty międzynarodowe",
            [
                _table(
                    "18",
                    "Projekty międzynarodowe członków Klastra (zakończone lub trwające w ostatnich 3 latach)",
                    [
                        _col("name", "Nazwa projektu"),
                        _col("description", "Krótka charakterystyka", required=False),
                        _col("type", "Typ projektu"),
                        _col("participants", "Liczba członków Klastra", "int"),
                        _col("coordinator", "Udział Koordynatora (T/N)", "bool"),
                        _col("value", "Wartość projektu (PLN)", "money"),
                        _col("funding_source", "Źródło finansowania"),
                        _col("start", "Początek", "date"),
                        _col("end", "Koniec", "date"),
                    ],
                    self._project_rows(self._running(international=True)),
                    edit="records:projects",
                ),
                _field(
                    "18.liczba",
                    "Liczba projektów spełniających kryterium (Koordynator lub ≥ 3 członków)",
                    self.value("KKK-S2-18"),
                    "int",
                    auto=True,
                    edit="",
                ),
            ],
        )

    def s19(self) -> Json:
        return _section(
            "19",
            "Przedsiębiorstwa wchodzące w skład Klastra prowadzące działalność B+R",
            [
                _field(
                    "19.liczba",
                    "Liczba przedsiębiorstw z wydatkami na B+R (3 lata obrotowe)",
                    len(self.basis("KKK-S2-19")),
                    "int",
                    auto=True,
                    edit="members",
                ),
                _field(
                    "19.udzial",
                    "Udział przedsiębiorstw prowadzących B+R",
                    self.value("KKK-S2-19"),
                    "pct",
                    auto=True,
                    edit="",
                ),
            ],
            part="II.4 Tworzenie i transfer wiedzy",
        )

    def s20(self) -> Json:
        return _section(
            "20",
            "Wspólne projekty badawczo-rozwojowe",
            [
                _table(
                    "20",
                    "Wspólne projekty B+R (zakończone lub trwające w ostatnich 3 latach)",
                    [
                        _col("name", "Tytuł projektu"),
                        _col("participants", "Liczba członków Klastra", "int"),
                        _col("participant_types", "Typy podmiotów", "list"),
                        _col("value", "Wartość projektu (PLN)", "money"),
                        _col("funding_source", "Źródło finansowania"),
                        _col("start", "Początek", "date"),
                        _col("end", "Koniec", "date"),
                    ],
                    self._project_rows(self._running(rd=True)),
                    edit="records:projects",
                ),
                _field(
                    "20.liczba",
                    "Liczba projektów spełniających kryterium (≥ 3 członków, jednostka naukowa i przedsiębiorca)",
                    self.value("KKK-S2-20"),
                    "int",
                    auto=True,
                    edit="",
                ),
            ],
        )

    def s21(self) -> Json:
        rows = []
        for i, r in enumerate(self.ds.ip_rights):
            holder = self.ctx.by_id.get(r.holder)
            # 004 pt 21: rights still protected on D, held by member enterprises of table 4
            if holder is None or not holder.is_enterprise:
                continue
            if r.protected_until is not None and r.protected_until < self.d:
                continue
            rows.append(
                {
                    "ref": f"ip_rights[{i}]",
                    "kind": IP_KIND_LABELS.get(r.kind, r.kind),
                    "number": _s(r.number),
                    "title": _s(r.title),
                    "holder": _s(holder.name),
                    "protected_until": _date(r.protected_until),
                    "mode": IP_MODE_LABELS.get(r.mode or "", _s(r.mode)),
                }
            )
        return _section(
            "21",
            "Patenty, wzory użytkowe, wzory przemysłowe i znaki towarowe przedsiębiorstw",
            [
                _table(
                    "21",
                    "Prawa własności przemysłowej przedsiębiorstw Klastra (ochrona trwa w dniu złożenia)",
                    [
                        _col("kind", "Rodzaj"),
                        _col("number", "Numer"),
                        _col("title", "Tytuł"),
                        _col("holder", "Uprawniony"),
                        _col("protected_until", "Termin upływu ochrony", "date"),
                        _col("mode", "Tryb ochrony"),
                    ],
                    rows,
                    edit="records:ip_rights",
                ),
            ],
        )

    def s22(self) -> Json:
        rows = []
        for i, x in enumerate(self.ds.innovations):
            if not x.from_rd or not self.ctx.in_last_3_years(x.introduced):
                continue
            rows.append(
                {
                    "ref": f"innovations[{i}]",
                    "name": _s(x.name),
                    "introduced": _date(x.introduced),
                    "by": self.names(x.by),
                }
            )
        return _section(
            "22",
            "Innowacje produktowe lub procesowe powstałe w wyniku prac B+R",
            [
                _table(
                    "22",
                    "Innowacje z prac B+R wprowadzone w ostatnich 3 latach",
                    [
                        _col("name", "Nazwa innowacji"),
                        _col("introduced", "Data wprowadzenia", "date"),
                        _col("by", "Podmioty wprowadzające", "list"),
                    ],
                    rows,
                    edit="records:innovations",
                ),
            ],
        )

    def s23(self) -> Json:
        rows = []
        for i, e in enumerate(self.ds.events):
            if not self.ctx.in_last_3_years(e.date):
                continue
            rows.append(
                {
                    "ref": f"events[{i}]",
                    "name": _s(e.name),
                    "kind": EVENT_KIND_LABELS.get(e.kind, e.kind),
                    "location": EVENT_LOCATION_LABELS.get(e.location or "", None),
                    "online": e.online,
                    "date": _date(e.date),
                    "coordinator": self.ctx.coordinator_takes_part(
                        e.coordinator_participated, e.participants
                    ),
                    "participants": self.count_on_d(e.participants),
                }
            )
        return _section(
            "23",
            "Udział Klastra w wydarzeniach branżowych, dedykowanych klastrom oraz targach",
            [
                _table(
                    "23",
                    "Wydarzenia w ostatnich 3 latach",
                    [
                        _col("name", "Nazwa wydarzenia"),
                        _col("kind", "Rodzaj"),
                        _col("location", "Miejsce"),
                        _col("online", "On-line (T/N)", "bool"),
                        _col("date", "Data", "date"),
                        _col("coordinator", "Udział Koordynatora (T/N)", "bool"),
                        _col("participants", "Liczba członków uczestniczących", "int"),
                    ],
                    rows,
                    edit="records:events",
                ),
            ],
        )

    def s24(self) -> Json:
        rows = []
        for i, s in enumerate(self.ds.services):
            if not self.ctx.twelve_months_ago <= s.date <= self.d:
                continue
            ref = f"services[{i}]"
            rows.append(
                {
                    "ref": ref,
                    "name": _s(s.name),
                    "description": _text(self.record_extra(ref, "description")),
                    "kind": SERVICE_KIND_LABELS.get(s.kind, s.kind),
                    "date": _date(s.date),
                    "beneficiaries": self.count_on_d(s.beneficiaries),
                }
            )
        return _section(
            "24",
            "Usługi Koordynatora w zakresie transferu wiedzy i na rzecz ekosystemów branżowych",
            [
                _table(
                    "24",
                    "Usługi i działania w ostatnich 12 miesiącach",
                    [
                        _col("name", "Nazwa usługi / działania"),
                        _col("description", "Krótki opis"),
                        _col("kind", "Kategoria"),
                        _col("date", "Data", "date"),
                        _col(
                            "beneficiaries",
                            "Liczba członków, na rzecz których wykonano usługę",
                            "int",
                        ),
                    ],
                    rows,
                    edit="records:services",
                ),
            ],
        )

    def s25(self) -> Json:
        rows = [
            {"ref": f"kis[{i}]", "number": k.number, "justification": _text(k.justification)}
            for i, k in enumerate(self.ds.kis)
        ]
        return _section(
            "25",
            "Specjalizacja Klastra wpisuje się w Krajową Inteligentną Specjalizację (KIS)",
            [
                _table(
                    "25",
                    "Krajowe Inteligentne Specjalizacje (najwyżej 3)",
                    [
                        _col("number", "Numer KIS", "int"),
                        _col(
                            "justification",
                            "Uzasadnienie (projekty i przedsięwzięcia Klastra)",
                            max_len=KIS_JUSTIFICATION_MAX,
                        ),
                    ],
                    rows,
                    edit="records:kis",
                ),
            ],
            part="II.5 Działania na rzecz polityk publicznych",
        )

    def s26(self) -> Json:
        rows = []
        for i, x in enumerate(self.ds.dual_education):
            ref = f"dual_education[{i}]"
            rows.append(
                {
                    "ref": ref,
                    "kind": DUAL_KIND_LABELS.get(x.kind, x.kind),
                    "name": _s(x.name),
                    "description": _text(self.record_extra(ref, "description")),
                    "entities": self.names(x.entities),
                    "from": _date(x.date),
                    "to": _date(self.record_extra(ref, "date_to")),
                }
            )
        return _section(
            "26",
            "Zaangażowanie Klastra w kształcenie w systemie dualnym",
            [
                _table(
                    "26",
                    "Inicjatywy kształcenia dualnego",
                    [
                        _col("kind", "Rodzaj"),
                        _col("name", "Nazwa"),
                        _col("description", "Krótki opis", max_len=DUAL_DESCRIPTION_MAX),
                        _col("entities", "Podmioty biorące udział", "list"),
                        _col("from", "Realizacja od", "date"),
                        _col("to", "Realizacja do", "date", required=False),
                    ],
                    rows,
                    edit="records:dual_education",
                ),
            ],
        )

    def s27(self) -> Json:
        initiatives = [
            {"ref": f"digital_initiatives[{i}]", "name": _s(x.name), "date": _date(x.date)}
            for i, x in enumerate(self.ds.digital_initiatives)
            if x.date is None or x.date <= self.d
        ]
        users = [m for m in self.basis("KKK-S2-27") if not m.startswith("digital_initiatives[")]
        return _section(
            "27",
            "Transformacja cyfrowa Klastra",
            [
                _field(
                    "27.liczba",
                    "Liczba przedsiębiorstw stosujących rozwiązania Przemysłu 4.0",
                    len(users),
                    "int",
                    auto=True,
                    edit="members",
                ),
                _field(
                    "27.udzial",
                    "Przemysł 4.0 i inicjatywy (wartość obliczona)",
                    self.value("KKK-S2-27"),
                    auto=True,
                    edit="",
                ),
                _table(
                    "27.inicjatywy",
                    "Inicjatywy Koordynatora upowszechniające wiedzę o digitalizacji",
                    [
                        _col("name", "Nazwa inicjatywy"),
                        _col("date", "Data", "date"),
                    ],
                    initiatives,
                    edit="records:digital_initiatives",
                ),
            ],
        )

    def s28(self) -> Json:
        rows = []
        for i, x in enumerate(self.ds.startup_cooperations):
            ref = f"startup_cooperations[{i}]"
            rows.append(
                {
                    "ref": ref,
                    "member": self.names([x.member])[0],
                    "startup": _s(x.startup),
                    "programme": _s(x.programme),
                    "description": _text(self.record_extra(ref, "description")),
                    "basis": _s(x.basis),
                    "from": _date(x.from_),
                    "to": _date(x.to),
                }
            )
        return _section(
            "28",
            "Udokumentowana współpraca członków Klastra ze startupami technologicznymi",
            [
                _table(
                    "28",
                    "Współpraca ze startupami w programach akceleracyjnych",
                    [
                        _col("member", "Członek Klastra (partner biznesowy)"),
                        _col("startup", "Startup"),
                        _col("programme", "Program akceleracyjny"),
                        _col(
                            "description",
                            "Typ współpracy i krótki opis",
                            max_len=STARTUP_DESCRIPTION_MAX,
                        ),
                        _col("basis", "Formalna podstawa (umowa, porozumienie)"),
                        _col("from", "Od", "date"),
                        _col("to", "Do", "date", required=False),
                    ],
                    rows,
                    edit="records:startup_cooperations",
                ),
            ],
        )

    def s29_30(self, number: str) -> Json:
        circular = number == "29"
        records = self.ds.circular_economy if circular else self.ds.low_emission
        section = "circular_economy" if circular else "low_emission"
        labels = CIRCULAR_KIND_LABELS if circular else LOW_EMISSION_KIND_LABELS
        rows = []
        for i, x in enumerate(records):
            ref = f"{section}[{i}]"
            rows.append(
                {
                    "ref": ref,
                    "kind": labels.get(x.kind, x.kind),
                    "description": _text(self.record_extra(ref, "description")),
                    "entities": self.names(x.entities),
                }
            )
        title = (
            "Zaangażowanie Klastra w działania na rzecz gospodarki obiegu zamkniętego (GOZ)"
            if circular
            else "Zaangażowanie Klastra w działania na rzecz gospodarki niskoemisyjnej"
        )
        return _section(
            number,
            title,
            [
                _table(
                    number,
                    "Rozwiązania i działania",
                    [
                        _col("kind", "Rodzaj"),
                        _col("description", "Opis", required=False),
                        _col("entities", "Podmioty stosujące", "list"),
                    ],
                    rows,
                    edit=f"records:{section}",
                ),
            ],
        )

    def s31(self) -> Json:
        rows = []
        for i, x in enumerate(self.ds.joint_products):
            if not self.ctx.in_last_3_years(x.introduced):
                continue
            ref = f"joint_products[{i}]"
            rows.append(
                {
                    "ref": ref,
                    "name": _s(x.name),
                    "description": _text(self.record_extra(ref, "description")),
                    "introduced": _date(x.introduced),
                    "offered_by": self.names(x.offered_by),
                    "by_coordinator": self.ctx.coordinator_takes_part(
                        x.by_coordinator, x.offered_by
                    ),
                    "revenue": x.revenue,
                }
            )
        return _section(
            "31",
            "Wspólne produkty i usługi Klastra wprowadzone do oferty",
            [
                _table(
                    "31",
                    "Wspólne produkty/usługi wprowadzone w ostatnich 3 latach",
                    [
                        _col("name", "Nazwa produktu / usługi"),
                        _col("description", "Charakterystyka", max_len=JOINT_PRODUCT_MAX),
                        _col("introduced", "Wprowadzenie do oferty", "date"),
                        _col("offered_by", "Oferujący członkowie", "list", required=False),
                        _col("by_coordinator", "Produkt Koordynatora (T/N)", "bool"),
                        _col("revenue", "Przychód ze sprzedaży (T/N)", "bool"),
                    ],
                    rows,
                    edit="records:joint_products",
                ),
            ],
            part="II.6 Orientacja na klienta",
        )

    def s32(self) -> Json:
        rows = []
        for i, x in enumerate(self.ds.missions):
            if not self.ctx.in_last_3_years(x.date):
                continue
            rows.append(
                {
                    "ref": f"missions[{i}]",
                    "name": _s(x.name),
                    "kind": MISSION_KIND_LABELS.get(x.kind, x.kind),
                    "date": _date(x.date),
                    "participants": self.count_on_d(x.participants),
                }
            )
        enterprises = [m for m in self.basis("KKK-S2-32") if not m.startswith("missions[")]
        return _section(
            "32",
            "Udział członków Klastra w misjach i spotkaniach z potencjalnymi partnerami",
            [
                _table(
                    "32",
                    "Misje, targi i spotkania w ostatnich 3 latach",
                    [
                        _col("name", "Nazwa wydarzenia"),
                        _col("kind", "Charakter / typ"),
                        _col("date", "Data", "date"),
                        _col("participants", "Liczba uczestników ze strony Klastra", "int"),
                    ],
                    rows,
                    edit="records:missions",
                ),
                _field(
                    "32.liczba",
                    "Liczba przedsiębiorstw uczestniczących",
                    len(enterprises),
                    "int",
                    auto=True,
                    edit="",
                ),
                _field(
                    "32.udzial",
                    "Udział przedsiębiorstw uczestniczących",
                    self.value("KKK-S2-32"),
                    "pct",
                    auto=True,
                    edit="",
                ),
            ],
        )

    def s33(self) -> Json:
        holders = [m for m in self.ctx.enterprises if m.iso]
        return _section(
            "33",
            "Certyfikacja jakości",
            [
                _field(
                    "33.liczba",
                    "Liczba przedsiębiorstw z wdrożonymi normami ISO",
                    len(holders),
                    "int",
                    auto=True,
                    edit="members",
                ),
                _field(
                    "33.udzial",
                    "Udział przedsiębiorstw z ISO i obszary ICS (wartość obliczona)",
                    self.value("KKK-S2-33"),
                    auto=True,
                    edit="",
                ),
            ],
        )

    def s34(self) -> Json:
        holders: dict[str, dict[str, None]] = defaultdict(dict)
        names: dict[str, str] = {}
        for m in self.ctx.members:
            for cert in m.certificates:
                key = " ".join(cert.split()).casefold()  # as the engine groups them (KKK-S2-34)
                names.setdefault(key, cert.strip())
                holders[key][m.id] = None
        rows = [
            {
                "ref": f"certificate:{n}",
                "name": names[k],
                "count": len(holders[k]),
                "holders": self.names(holders[k]),
            }
            for n, k in enumerate(sorted(holders, key=lambda k: (-len(holders[k]), k)))
        ]
        return _section(
            "34",
            "Wdrożone certyfikaty specjalistyczne i branżowe",
            [
                _table(
                    "34",
                    "Certyfikaty specjalistyczne i branżowe członków",
                    [
                        _col("name", "Certyfikat"),
                        _col("count", "Liczba członków", "int"),
                        _col("holders", "Członkowie", "list"),
                    ],
                    rows,
                    edit="members",
                ),
            ],
        )

    # -- attachments and statements -----------------------------------------------------------

    def attachments(self) -> Json:
        mode = self.ev.mode
        esca = any(r["kind_key"].startswith("esca_") for r in self.current_certificates())
        rows = []
        for kind, title, modes, rule in ATTACHMENTS:
            files = [a for a in self.x.attachments if a.kind == kind]
            applies = mode in modes and (rule != "esca" or esca)
            required: Any = NIE_DOTYCZY if not applies else (rule in ("always", "esca"))
            rows.append(
                {
                    "ref": f"attachment:{kind}",
                    "kind": kind,
                    "title": title,
                    "required": required,
                    "files": [
                        {"name": a.name, "size": a.size, "sha256": a.sha256, "pdf": a.pdf}
                        for a in files
                    ]
                    if applies or files
                    else NIE_DOTYCZY,
                }
            )
        return _section(
            "Z",
            "Załączniki do wniosku",
            [
                _table(
                    "Z",
                    "Załączniki (format PDF)",
                    [
                        _col("kind", "Nr"),
                        _col("title", "Załącznik"),
                        _col("required", "Wymagany (T/N)", "bool"),
                        _col("files", "Pliki", "files", required=False),
                    ],
                    rows,
                    required=True,
                    edit="attachments",
                ),
            ],
        )

    def statements(self) -> Json:
        accepted = self.x.statements
        previously = self.x.previously_granted or self.ev.mode == "renewal"
        rows = []
        for number, text in STATEMENTS:
            applies = number != 5 or previously
            rows.append(
                {
                    "ref": f"statement:{number}",
                    "number": number,
                    "text": text,
                    "accepted": (number in accepted) if applies else NIE_DOTYCZY,
                }
            )
        return _section(
            "O",
            "Oświadczenia",
            [
                _table(
                    "O",
                    "Wnioskodawca oświadcza, że",
                    [
                        _col("number", "Nr", "int"),
                        _col("text", "Oświadczenie"),
                        _col("accepted", "Złożone (T/N)", "bool"),
                    ],
                    rows,
                    required=True,
                    edit="application",
                ),
            ],
        )


def assemble(
    dataset: Dataset,
    evaluation: Evaluation,
    *,
    locate: Locate | None = None,
    extras: Extras | None = None,
    lang: str = "pl",
) -> Json:
    """The whole application (KKK-1) for `dataset` as of `evaluation.as_of`, in its mode and edition.

    `evaluation` must be `evaluate(dataset, …)` with the same `locate`, so that distances
    and figures agree; the mode is the evaluation's (the caller sets `cluster.mode`). `lang`
    is the document's language, the competition's (the engine's notes are written in it).
    """
    builder = FORMS.get(evaluation.edition, _Form)
    return builder(dataset, evaluation, locate, extras or Extras(), lang).build()


FORMS: dict[str, type[_Form]] = {"2021": _Form}


UNKNOWN_MODE = define("kkk.error.mode", "unknown application mode: {mode}")


def with_mode(dataset: Dataset, mode: str) -> Dataset:
    """The dataset with the application's mode (KKK-4), for `evaluate`; KkkError for another."""
    if mode not in ("grant", "renewal"):
        raise KkkError(Msg.of(UNKNOWN_MODE, mode=repr(mode)))
    return replace(dataset, cluster=replace(dataset.cluster, mode=mode))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# reading the content


def items(content: Json) -> Iterator[tuple[Json, Json]]:
    """(section, item) for every item in form order."""
    for section in content.get("sections", []):
        for item in section.get("items", []):
            yield section, item


def item(content: Json, item_id: str) -> Json:
    for _, it in items(content):
        if it["id"] == item_id:
            return it
    raise KeyError(item_id)


def item_value(content: Json, item_id: str) -> Any:
    return item(content, item_id).get("value")


# ---------------------------------------------------------------------------------------
# "Sprawdź wniosek" (KKK-2)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str | list) and len(value) == 0)


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str) else 0


def _row_edit(table: Json, row: Json) -> str:
    """Where a row is edited: its member, its record, or the table's page."""
    ref = str(row.get("ref", ""))
    parsed = _ref_index(ref)
    if parsed is not None:
        return f"record:{parsed[0]}:{parsed[1]}"
    if table["id"] == "4":
        return f"member:{ref}"
    return str(table.get("edit") or "")


# What "Sprawdź wniosek" says (KKK-2), as codes; the Polish is the catalogue's.
EMPTY_TABLE = define("kkk.check.empty_table", "the table is empty; at least one row is required")
REQUIRED = define("kkk.check.required", "a required field is not filled in")
TOO_LONG = define(
    "kkk.check.too_long",
    "the text has {length} characters, at most {limit} allowed (spaces included)",
)
NO_VALUE = define("kkk.check.no_value", "no value")
NO_COORDINATOR = define("kkk.check.no_coordinator", "table 4 has no Cluster Coordinator")
ADDRESS_DIFFERS = define(
    "kkk.check.address_differs",
    "the address “{address}” is not the same as the Coordinator's address in table 4 "
    "(“{coordinator}”)",
)
NAME_DIFFERS = define(
    "kkk.check.name_differs",
    "the name “{name}” differs from the Coordinator's name in table 4 (“{coordinator}”)",
)
MANAGER_NOT_STAFF = define(
    "kkk.check.manager_not_staff",
    "{name} is not listed in 9.2 (the managers belong to the Coordinator's team; 9.2 lists the "
    "persons employed at least 3 months before the filing and on the filing day)",
)
TOO_MANY_KIS = define("kkk.check.too_many_kis", "{count} KIS given; at most {limit} may be given")
UNKNOWN_CLASSIFICATION = define(
    "kkk.check.unknown_classification", "unknown classification “{value}”"
)
YEAR_LATER = define(
    "kkk.check.year_later", "the year {year} is later than the year the application is filed"
)
AGREEMENT_LATER = define(
    "kkk.check.agreement_later",
    "the date of the agreement is later than the day the application is filed",
)
PERIOD_REVERSED = define(
    "kkk.check.period_reversed", "the end of the period {end} is earlier than its start {start}"
)
ROW_DATES_REVERSED = define(
    "kkk.check.row_dates_reversed", "the start date {start} is later than the end date {end}"
)
COUNT_DIFFERS = define(
    "kkk.check.count_differs", "{category}: {stated}, while {source} gives {count}"
)
SOURCE_TABLE_4 = define("kkk.check.source.table_4", "table 4")
SOURCE_ENTERPRISES = define(
    "kkk.check.source.enterprises", "the sum of micro, small, medium and large enterprises"
)
SOURCE_ROWS = define(
    "kkk.check.source.rows",
    "the number of rows of table 4 (enterprises + science units + IOB + others)",
)
CATEGORY_SHARE_DIFFERS = define(
    "kkk.check.category_share_differs",
    "{category}: share {stated}, while {part} of {whole} is {share}",
)
TOTAL_DIFFERS = define(
    "kkk.check.total_differs", "Total {stated} ≠ the sum of the categories {parts}"
)
WITHIN_DIFFERS = define(
    "kkk.check.within_differs", "{stated}, while table 4 has {count} members within 200 km"
)
SHARE_DIFFERS = define("kkk.check.share_differs", "{stated}, while {part} of {whole} is {share}")
INDEPENDENT_DIFFERS = define(
    "kkk.check.independent_differs", "{stated}, while {part} of {whole} enterprises is {share}"
)
ENTERPRISES_DIFFER = define(
    "kkk.check.enterprises_differ", "{stated}, while table 4 has {count} enterprises"
)
CONTRIBUTIONS_DIFFER = define(
    "kkk.check.contributions_differ",
    "PLN {stated}, while the contributions in table 13 add up to PLN {listed}",
)
ATTACHMENT_MISSING = define(
    "kkk.check.attachment_missing", "required attachment no. {kind} ({title}) is missing"
)
ATTACHMENT_NOT_PDF = define(
    "kkk.check.attachment_not_pdf", "attachment no. {kind}: the file “{name}” is not a PDF file"
)
STATEMENT_NOT_MADE = define(
    "kkk.check.statement_not_made", "statement no. {number} has not been made"
)
# a field's label: its declared code (kkk_form_labels), else the label the content stores
LABEL_AS_STORED = define("kkk.check.label", "{label}")
CELL = define("kkk.check.cell", "{table} — {column}")


def _shown(value: Any) -> Any:
    """A value from the content as a message parameter: text and whole numbers as they are,
    nothing as "—", anything else as its text."""
    if value is None or (isinstance(value, str | int) and not isinstance(value, bool)):
        return value
    return str(value)


def _label(it: Json, column: Json | None = None) -> Msg:
    """The label of an item (or of its column) as a message, by the form's id."""
    if column is None:
        code = labels.ITEMS.get(str(it.get("id")))
        stored = it.get("label")
    else:
        code = labels.COLUMNS.get((str(it.get("id")), str(column.get("key"))))
        stored = column.get("label")
    if code is None:
        return Msg.of(LABEL_AS_STORED, label=str(stored or ""))
    param = labels.PARAMS.get(code)
    if param is None:
        return Msg.of(code)
    return Msg.of(code, **{param: ", ".join(re.findall(r"\b\d{4}\b", str(stored or "")))})


def _category(row: Json) -> Any:
    """A row of table 7 named by its key (Term), or by its stored words when the key is unknown."""
    key = str(row.get("ref"))
    return Term("kkk_category", key) if key in labels.CATEGORIES else _shown(row.get("category"))


class _Checker:
    def __init__(self, content: Json) -> None:
        self.c = content
        self.problems: list[Problem] = []

    def add(
        self,
        it: Json,
        message: Msg,
        kind: ProblemKind,
        *,
        row: Json | None = None,
        column: Json | None = None,
        edit: str | None = None,
    ) -> None:
        label = _label(it)
        if column is not None:
            label = Msg.of(CELL, table=label, column=_label(it, column))
        self.problems.append(
            Problem(
                field=it["id"],
                label=label,
                message=message,
                kind=kind,
                edit=edit
                if edit is not None
                else (_row_edit(it, row) if row is not None else str(it.get("edit") or "")),
                ref=str(row["ref"]) if row is not None and "ref" in row else None,
                column=column["key"] if column is not None else None,
            )
        )

    # -- generic: required and lengths --------------------------------------------------------

    def generic(self) -> None:
        for _, it in items(self.c):
            if "columns" in it:
                if it.get("required") and not it["rows"]:
                    self.add(it, Msg.of(EMPTY_TABLE), "required")
                for row in it["rows"]:
                    for col in it["columns"]:
                        self.cell(it, row, col)
            else:
                value = it.get("value")
                if it.get("required") and _blank(value):
                    self.add(it, Msg.of(REQUIRED), "required")
                limit = it.get("max")
                if limit and _length(value) > limit:
                    self.add(
                        it,
                        Msg.of(TOO_LONG, length=_length(value), limit=_shown(limit)),
                        "length",
                    )

    def cell(self, it: Json, row: Json, col: Json) -> None:
        value = row.get(col["key"])
        if value == NIE_DOTYCZY:
            return
        # a sum row is blank when one of its parts is; the part is the problem to name
        if col.get("required") and _blank(value) and not row.get("aggregate"):
            self.add(it, Msg.of(NO_VALUE), "required", row=row, column=col)
        limit = col.get("max")
        if limit and _length(value) > limit:
            self.add(
                it,
                Msg.of(TOO_LONG, length=_length(value), limit=_shown(limit)),
                "length",
                row=row,
                column=col,
            )

    # -- specific checks ------------------------------------------------------------------------

    def get(self, item_id: str) -> Json | None:
        try:
            return item(self.c, item_id)
        except KeyError:
            return None

    def consistency(self) -> None:
        table4 = self.get("4")
        coordinator = next(
            (r for r in (table4 or {}).get("rows", []) if r.get("coordinator")), None
        )
        addr = self.get("3.2")
        if addr is not None and table4 is not None:
            if coordinator is None:
                self.add(table4, Msg.of(NO_COORDINATOR), "consistency", edit="cluster")
            elif addr.get("value") and not same_address(addr["value"], coordinator.get("address")):
                self.add(
                    addr,
                    Msg.of(
                        ADDRESS_DIFFERS,
                        address=_shown(addr["value"]),
                        coordinator=_shown(coordinator.get("address") or None),
                    ),
                    "consistency",
                )
        name = self.get("3.1")
        if (
            name is not None
            and coordinator is not None
            and name.get("value")
            and coordinator.get("name")
            and " ".join(str(name["value"]).split()).casefold()
            != " ".join(str(coordinator["name"]).split()).casefold()
        ):
            self.add(
                name,
                Msg.of(
                    NAME_DIFFERS,
                    name=_shown(name["value"]),
                    coordinator=_shown(coordinator["name"]),
                ),
                "consistency",
            )
        managers, staff = self.get("9.1"), self.get("9.2")
        if managers is not None and staff is not None:
            team = {
                (str(r.get("name") or "").casefold(), str(r.get("email") or "").casefold())
                for r in staff["rows"]
            }
            for row in managers["rows"]:
                key = (
                    str(row.get("name") or "").casefold(),
                    str(row.get("email") or "").casefold(),
                )
                if key not in team:
                    self.add(
                        managers,
                        Msg.of(MANAGER_NOT_STAFF, name=_shown(row.get("name"))),
                        "consistency",
                        row=row,
                    )
        kis = self.get("25")
        if kis is not None and len(kis["rows"]) > KIS_MAX:
            self.add(
                kis,
                Msg.of(TOO_MANY_KIS, count=len(kis["rows"]), limit=KIS_MAX),
                "consistency",
            )
        spec = self.get("2.klasyfikacja")
        if spec is not None and spec.get("value") not in (None, *CLASSIFICATION_LABELS.values()):
            self.add(
                spec, Msg.of(UNKNOWN_CLASSIFICATION, value=_shown(spec["value"])), "consistency"
            )
        start = self.get("3.8")
        as_of = dt.date.fromisoformat(self.c["as_of"])
        if (
            start is not None
            and isinstance(start.get("value"), int)
            and start["value"] > as_of.year
        ):
            self.add(
                start,
                Msg.of(YEAR_LATER, year=start["value"]),
                "consistency",
            )
        agreement = self.get("3.7")
        if (
            agreement is not None
            and isinstance(agreement.get("value"), str)
            and dt.date.fromisoformat(agreement["value"]) > as_of
        ):
            self.add(agreement, Msg.of(AGREEMENT_LATER), "date")

    def dates(self) -> None:
        def later(first: Any, second: Any) -> bool:
            return _iso(first) and _iso(second) and str(first) > str(second)

        start, end = self.get("6.3.od"), self.get("6.3.do")
        if start is not None and end is not None and later(start.get("value"), end.get("value")):
            self.add(
                end,
                Msg.of(PERIOD_REVERSED, end=_shown(end["value"]), start=_shown(start["value"])),
                "date",
            )
        for table_id, a, b in (
            ("18", "start", "end"),
            ("20", "start", "end"),
            ("26", "from", "to"),
            ("28", "from", "to"),
        ):
            it = self.get(table_id)
            for row in (it or {}).get("rows", []):
                if it is not None and later(row.get(a), row.get(b)):
                    self.add(
                        it,
                        Msg.of(ROW_DATES_REVERSED, start=_shown(row[a]), end=_shown(row[b])),
                        "date",
                        row=row,
                    )

    def arithmetic(self) -> None:
        """004 A.5 "poprawne wyliczenia arytmetyczne": the automatic figures against their tables."""
        t4, t7 = self.get("4"), self.get("7")
        if t4 is None or t7 is None:
            return
        rows7 = {r["ref"]: r for r in t7["rows"]}
        by_type: dict[str, int] = defaultdict(int)
        for r in t4["rows"]:
            by_type[str(r.get("type_key"))] += 1
        total = len(t4["rows"])
        enterprises = sum(by_type[t] for t in ENTERPRISE_TYPES)

        def expect(key: str, n: int, why: Msg) -> None:
            row = rows7.get(key)
            if row is None:
                return
            if row.get("count") != n:
                self.add(
                    t7,
                    Msg.of(
                        COUNT_DIFFERS,
                        category=_category(row),
                        stated=_shown(row.get("count")),
                        source=why,
                        count=n,
                    ),
                    "arithmetic",
                    row=row,
                    edit="members",
                )
            elif row.get("share") not in (NIE_DOTYCZY, pct(share(n, total))):
                self.add(
                    t7,
                    Msg.of(
                        CATEGORY_SHARE_DIFFERS,
                        category=_category(row),
                        stated=_shown(row.get("share")),
                        part=n,
                        whole=total,
                        share=pct(share(n, total)),
                    ),
                    "arithmetic",
                    row=row,
                    edit="members",
                )

        for t in ("micro", "small", "medium", "large", "science", "iob", "other"):
            expect(t, by_type[t], Msg.of(SOURCE_TABLE_4))
        expect("enterprises", enterprises, Msg.of(SOURCE_ENTERPRISES))
        expect("total", total, Msg.of(SOURCE_ROWS))
        parts = sum(
            rows7[k].get("count") or 0
            for k in ("enterprises", "science", "iob", "other")
            if k in rows7
        )
        if "total" in rows7 and rows7["total"].get("count") != parts:
            self.add(
                t7,
                Msg.of(TOTAL_DIFFERS, stated=_shown(rows7["total"].get("count")), parts=parts),
                "arithmetic",
                row=rows7["total"],
                edit="members",
            )

        distances = [_number(r.get("distance_km")) for r in t4["rows"]]
        within = sum(1 for km in distances if km is not None and km <= 200)
        count8, share8 = self.get("8.liczba"), self.get("8.udzial")
        if count8 is not None and count8.get("value") != within:
            self.add(
                count8,
                Msg.of(WITHIN_DIFFERS, stated=_shown(count8.get("value")), count=within),
                "arithmetic",
                edit="members",
            )
        if share8 is not None and share8.get("value") != pct(share(within, total)):
            self.add(
                share8,
                Msg.of(
                    SHARE_DIFFERS,
                    stated=_shown(share8.get("value")),
                    part=within,
                    whole=total,
                    share=pct(share(within, total)),
                ),
                "arithmetic",
                edit="members",
            )

        independent = sum(
            1
            for r in t4["rows"]
            if r.get("type_key") in ENTERPRISE_TYPES and r.get("independent") is True
        )
        ind = self.get("4.samodzielne")
        if ind is not None and ind.get("value") != pct(share(independent, enterprises)):
            self.add(
                ind,
                Msg.of(
                    INDEPENDENT_DIFFERS,
                    stated=_shown(ind.get("value")),
                    part=independent,
                    whole=enterprises,
                    share=pct(share(independent, enterprises)),
                ),
                "arithmetic",
                edit="members",
            )

        for count_id, whole_id, share_id in (
            ("16.eksporterzy", "16.przedsiebiorstwa", "16.udzial"),
            ("19.liczba", "16.przedsiebiorstwa", "19.udzial"),
            ("32.liczba", "16.przedsiebiorstwa", "32.udzial"),
        ):
            part_it, whole_it, share_it = self.get(count_id), self.get(whole_id), self.get(share_id)
            if part_it is None or whole_it is None or share_it is None:
                continue
            if whole_it.get("value") != enterprises:
                self.add(
                    whole_it,
                    Msg.of(
                        ENTERPRISES_DIFFER, stated=_shown(whole_it.get("value")), count=enterprises
                    ),
                    "arithmetic",
                    edit="members",
                )
                continue
            p, w = part_it.get("value"), whole_it.get("value")
            if (
                isinstance(p, int)
                and isinstance(w, int)
                and share_it.get("value") != pct(share(p, w))
            ):
                self.add(
                    share_it,
                    Msg.of(
                        SHARE_DIFFERS,
                        stated=_shown(share_it.get("value")),
                        part=p,
                        whole=w,
                        share=pct(share(p, w)),
                    ),
                    "arithmetic",
                    edit="members",
                )

        t13, sum13 = self.get("13"), self.get("13.suma")
        if t13 is not None and sum13 is not None:
            listed = sum(
                (
                    Decimal(str(r["private_contribution"]))
                    for r in t13["rows"]
                    if _number(r.get("private_contribution")) is not None
                ),
                Decimal(0),
            )
            if _number(sum13.get("value")) != listed:
                self.add(
                    sum13,
                    Msg.of(
                        CONTRIBUTIONS_DIFFER,
                        stated=_shown(sum13.get("value")),
                        listed=_money(listed),
                    ),
                    "arithmetic",
                    edit="records:projects",
                )

    def attachments(self) -> None:
        table = self.get("Z")
        for row in (table or {}).get("rows", []):
            files = row.get("files")
            if row.get("required") is True and (not isinstance(files, list) or not files):
                self.add(
                    table,  # type: ignore[arg-type]
                    Msg.of(
                        ATTACHMENT_MISSING,
                        kind=_shown(row["kind"]),
                        title=Term("kkk_attachment", str(row["kind"]))
                        if str(row["kind"]) in labels.ATTACHMENT_TITLES
                        else _shown(row["title"]),
                    ),
                    "attachment",
                    row=row,
                    edit="attachments",
                )
            for f in files if isinstance(files, list) else []:
                if not f.get("pdf"):
                    self.add(
                        table,  # type: ignore[arg-type]
                        Msg.of(
                            ATTACHMENT_NOT_PDF, kind=_shown(row["kind"]), name=_shown(f.get("name"))
                        ),
                        "attachment",
                        row=row,
                        edit="attachments",
                    )

    def statements(self) -> None:
        table = self.get("O")
        for row in (table or {}).get("rows", []):
            if row.get("accepted") is False:
                self.add(
                    table,  # type: ignore[arg-type]
                    Msg.of(STATEMENT_NOT_MADE, number=_shown(row["number"])),
                    "statement",
                    row=row,
                    edit="application",
                )

    def run(self) -> list[Problem]:
        self.generic()
        self.consistency()
        self.dates()
        self.arithmetic()
        self.attachments()
        self.statements()
        return self.problems


def _iso(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == NIE_DOTYCZY:
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def validate(content: Json) -> list[Problem]:
    """Every problem "Sprawdź wniosek" finds (KKK-2), in form order; empty means it may be registered.

    Required fields and table cells, the instruction's length limits, consistency (3.2 = the
    coordinator's address in table 4, 3.1 = its name, 9.1 ⊆ 9.2, at most 3 KIS), dates in
    order, arithmetic (section 7, 8, 4, 16, 19, 32 and 13 against their tables), attachments
    present and PDF, statements made. Each problem names its field.
    """
    return _Checker(content).run()


# ---------------------------------------------------------------------------------------
# checksum (KKK-3)


def _canonical_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | frozenset | set):
        return sorted(value) if isinstance(value, frozenset | set) else list(value)
    raise TypeError(f"nie można zapisać kanonicznie wartości typu {type(value).__name__}")


def _no_floats(value: Any, path: str = "$") -> None:
    if isinstance(value, float):
        raise TypeError(
            f"{path}: liczba zmiennoprzecinkowa {value!r} nie ma stałego zapisu; użyj Decimal"
        )
    if isinstance(value, dict):
        for k, v in value.items():
            _no_floats(v, f"{path}.{k}")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            _no_floats(v, f"{path}[{i}]")


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_FLOAT = re.compile(r"\d[.eE]")


def canonical(content: Any) -> bytes:
    """The canonical serialisation: sorted keys, no whitespace, UTF-8, Decimal as its string."""
    text = json.dumps(
        content,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=_canonical_default,
        allow_nan=False,
    )
    # A float is the only value written as a bare number with a point or an exponent.
    if _JSON_FLOAT.search(_JSON_STRING.sub('""', text)):
        _no_floats(content)  # names the path
        raise TypeError("liczba zmiennoprzecinkowa w treści wniosku; użyj Decimal")
    return text.encode("utf-8")


def checksum(content: Any) -> str:
    """SHA-256 (hex) of `canonical(content)`."""
    return hashlib.sha256(canonical(content)).hexdigest()


# ---------------------------------------------------------------------------------------
# attachments


PDF_MAGIC = b"%PDF-"


def is_pdf(head: bytes) -> bool:
    """A PDF by its magic bytes: "%PDF-" within the first 1024 bytes (ISO 32000-1 §7.5.2
    allows leading bytes before the header; readers look in the first kilobyte)."""
    return PDF_MAGIC in head[:1024]


__all__ = [
    "ATTACHMENTS",
    "FORMAT",
    "NIE_DOTYCZY",
    "STATEMENTS",
    "Attachment",
    "Extras",
    "Problem",
    "assemble",
    "canonical",
    "checksum",
    "is_pdf",
    "item",
    "item_value",
    "items",
    "validate",
    "with_mode",
]
