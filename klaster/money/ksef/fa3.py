"""FA(3), the structure of a KSeF e-invoice: build it from an `Invoice`, check it offline.

`build_fa3(invoice)` refuses bad data with `InvoiceDataError` (every problem, each naming its
field, nothing built), writes the XML in the order the schema's sequences demand, and checks the
result against the official schema before returning it: a document that leaves here is one KSeF's
schema accepts.

`validate_fa3(xml)` checks any document against the official FA(3) schema — the XSDs shipped in
the `ksef-client` package (`ksef_client/documents/fa3/schemas`: schemat_FA(3)_v1-0E.xsd and the
StrukturyDanych, ElementarneTypyDanych and KodyKrajow schemas it imports; their provenance is in
that package's THIRD_PARTY_NOTICES.md). The schemas import each other by absolute crd.gov.pl
URLs; a resolver hands lxml the packaged file instead and refuses any other, so validation never
touches the network. The document itself is parsed without entities, DTDs or network access,
and a DOCTYPE is refused outright (KSeF refuses one too).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import threading
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from klaster.rules.identifiers import IdentifierError, validate_iban, validate_nip
from klaster.rules.message import Money, Msg, Term, say

from . import messages as m
from .model import VAT_RATES, Invoice, Party, Totals, compute_totals
from .number import ksef_number_valid

FA3_NAMESPACE = "http://crd.gov.pl/wzor/2025/06/25/13775/"
SCHEMA_FILE = "schemat_FA(3)_v1-0E.xsd"
FORM_CODE = ("FA (3)", "1-0E", "FA")  # kodSystemowy, wersjaSchemy, value: KSeF's form code
_BUNDLED_SCHEMAS = frozenset(
    {
        SCHEMA_FILE,
        "StrukturyDanych_v10-0E.xsd",
        "ElementarneTypyDanych_v10-0E.xsd",
        "KodyKrajow_v10-0E.xsd",
    }
)

# The limits the schema puts on these fields (schemat_FA(3): TData, TDataT, DataWytworzeniaFa,
# TZnakowy, TZnakowy512), checked first so that the office reads which field is wrong.
_P1_FIRST, _P1_LAST = dt.date(2006, 1, 1), dt.date(2050, 1, 1)
_PERIOD_FIRST, _PERIOD_LAST = dt.date(2016, 7, 1), dt.date(2050, 1, 1)
_CREATED_FIRST = dt.datetime(2025, 9, 1, tzinfo=dt.UTC)
_CREATED_LAST = dt.datetime(2050, 1, 1, 23, 59, 59, tzinfo=dt.UTC)
_TEXT = 256
_TEXT512 = 512
# FA(3) P_12 for each rate the model knows, and the P_13_x/P_14_x pair that sums it up
_P12 = {"23": "23", "8": "8", "5": "5", "0": "0 KR", "zw": "zw"}
_SUMMARY_FIELDS = {
    "23": ("P_13_1", "P_14_1"),
    "8": ("P_13_2", "P_14_2"),
    "5": ("P_13_3", "P_14_3"),
    "0": ("P_13_6_1", None),
    "zw": ("P_13_7", None),
}
_TRANSFER = "6"  # FormaPlatnosci 6: przelew


# --- errors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the invoice's data: the field (a Msg naming it) and the reason."""

    field: str
    message: Msg


class InvoiceDataError(ValueError):
    """The invoice's data cannot make an FA(3) document; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(say(p.message) for p in self.problems))

    def messages(self) -> tuple[Msg, ...]:
        return tuple(p.message for p in self.problems)


@dataclass(frozen=True)
class SchemaProblem:
    """Where an FA(3) document breaks the schema: `line` in the document, lxml's own `detail`."""

    line: int
    path: str
    detail: str

    @property
    def message(self) -> Msg:
        return Msg.of(m.SCHEMA_INVALID, line=self.line, detail=self.detail)


class Fa3SchemaError(ValueError):
    """A document built here broke the schema: a bug in `build_fa3`, never sent."""

    def __init__(self, problems: list[SchemaProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.line}: {p.detail}" for p in self.problems))


# --- checking the data ------------------------------------------------------------------------


def _field(code: str, **params: Any) -> Msg:
    return Msg.of(code, **params)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field: Msg, code: str, **params: Any) -> None:
        self.problems.append(Problem(field.code, Msg.of(code, field=field, **params)))

    def text(self, field: Msg, value: str, limit: int, *, required: bool = True) -> None:
        if not value.strip():
            if required:
                self.add(field, m.INPUT_REQUIRED)
            return
        if len(value.strip()) > limit:
            self.add(field, m.INPUT_TOO_LONG, max=limit)

    def day(self, field: Msg, value: dt.date, first: dt.date, last: dt.date) -> None:
        if not first <= value <= last:
            self.add(field, m.INPUT_DATE_RANGE, date=value, first=first, last=last)

    def decimal(self, field: Msg, value: Decimal, places: int, *, positive: bool) -> None:
        if not isinstance(value, Decimal) or not value.is_finite():
            self.add(field, m.INPUT_POSITIVE if positive else m.INPUT_NOT_NEGATIVE)
            return
        if positive and not value > 0:
            self.add(field, m.INPUT_POSITIVE)
        elif not positive and value < 0:
            self.add(field, m.INPUT_NOT_NEGATIVE)
        try:
            exact = value == value.quantize(Decimal(1).scaleb(-places))
        except InvalidOperation:
            exact = False
        if not exact:
            self.add(field, m.INPUT_PRECISION, places=places)

    def party(self, party: Party, *, seller: bool) -> None:
        name, nip, address = (
            (m.FIELD_SELLER_NAME, m.FIELD_SELLER_NIP, m.FIELD_SELLER_ADDRESS)
            if seller
            else (m.FIELD_BUYER_NAME, m.FIELD_BUYER_NIP, m.FIELD_BUYER_ADDRESS)
        )
        self.text(_field(name), party.name, _TEXT512)
        if party.nip is None and seller:
            self.add(_field(nip), m.INPUT_REQUIRED)
        elif party.nip is not None:
            try:
                validate_nip(party.nip)
            except IdentifierError as exc:
                self.add(_field(nip), m.INPUT_NIP, reason=Term("ksef_id_reason", exc.code))
        self.text(_field(address), party.address.line1, _TEXT512)
        self.text(_field(address), party.address.line2, _TEXT512, required=False)


def check_invoice(invoice: Invoice) -> list[Problem]:
    """Every reason the invoice's data cannot make an FA(3) document (empty: it can)."""
    c = _Checker()
    c.text(_field(m.FIELD_NUMBER), invoice.number, _TEXT)
    c.day(_field(m.FIELD_ISSUE_DATE), invoice.issue_date, _P1_FIRST, _P1_LAST)
    created = invoice.created_at
    if created.tzinfo is None or created.utcoffset() is None:
        c.add(_field(m.FIELD_CREATED_AT), m.INPUT_NAIVE)
    elif not _CREATED_FIRST <= created <= _CREATED_LAST:
        c.add(
            _field(m.FIELD_CREATED_AT),
            m.INPUT_DATE_RANGE,
            date=created,
            first=_CREATED_FIRST.date(),
            last=_CREATED_LAST.date(),
        )
    if invoice.currency != "PLN":
        c.add(_field(m.FIELD_TOTALS), m.INPUT_CURRENCY, currency=invoice.currency)
    c.text(_field(m.FIELD_PLACE), invoice.place, _TEXT, required=False)
    if (invoice.period_from is None) != (invoice.period_to is None):
        c.add(_field(m.FIELD_PERIOD), m.INPUT_PERIOD_HALF)
    elif invoice.period_from is not None and invoice.period_to is not None:
        if invoice.period_to < invoice.period_from:
            c.add(
                _field(m.FIELD_PERIOD),
                m.INPUT_PERIOD,
                start=invoice.period_from,
                end=invoice.period_to,
            )
        for day in (invoice.period_from, invoice.period_to):
            c.day(_field(m.FIELD_PERIOD), day, _PERIOD_FIRST, _PERIOD_LAST)
    c.party(invoice.seller, seller=True)
    c.party(invoice.buyer, seller=False)
    if not invoice.lines:
        c.add(_field(m.FIELD_LINES), m.INPUT_REQUIRED)
    for n, line in enumerate(invoice.lines, start=1):
        c.text(_field(m.FIELD_LINE_DESCRIPTION, n=n), line.description, _TEXT512)
        c.text(_field(m.FIELD_LINE_UNIT, n=n), line.unit, _TEXT)
        c.decimal(_field(m.FIELD_LINE_QUANTITY, n=n), line.quantity, 6, positive=True)
        c.decimal(_field(m.FIELD_LINE_PRICE, n=n), line.unit_net_price, 8, positive=False)
        if line.vat_rate not in VAT_RATES:
            c.add(
                _field(m.FIELD_LINE_RATE, n=n),
                m.INPUT_RATE,
                rate=line.vat_rate,
                allowed=tuple(VAT_RATES),
            )
    if any(line.vat_rate == "zw" for line in invoice.lines):
        c.text(_field(m.FIELD_EXEMPTION), invoice.exemption_basis, _TEXT)
    corrected = invoice.corrected
    if corrected is None:
        for n, line in enumerate(invoice.lines, start=1):
            if line.before:
                c.add(_field(m.FIELD_LINE_DESCRIPTION, n=n), m.INPUT_BEFORE_NOT_CORRECTION)
    else:
        c.text(_field(m.FIELD_CORRECTED_NUMBER), corrected.number, _TEXT)
        c.day(_field(m.FIELD_CORRECTED_DATE), corrected.issue_date, _P1_FIRST, invoice.issue_date)
        if corrected.ksef_number is not None and not ksef_number_valid(corrected.ksef_number):
            c.add(_field(m.FIELD_CORRECTED_KSEF), m.INPUT_KSEF_NUMBER)
        c.text(_field(m.FIELD_CORRECTION_REASON), invoice.correction_reason, _TEXT, required=False)
    payment = invoice.payment
    if payment is not None:
        if payment.due < invoice.issue_date:
            c.add(
                _field(m.FIELD_PAYMENT_DUE),
                m.INPUT_DUE_BEFORE_ISSUE,
                due=payment.due,
                issued=invoice.issue_date,
            )
        try:
            validate_iban(payment.iban)
        except IdentifierError as exc:
            c.add(
                _field(m.FIELD_PAYMENT_IBAN),
                m.INPUT_IBAN,
                reason=Term("ksef_id_reason", exc.code),
            )
        c.text(_field(m.FIELD_PAYMENT_TITLE), payment.title, _TEXT, required=False)
    if invoice.totals is not None and not c.problems:
        computed = compute_totals(invoice.lines)
        if invoice.totals != computed:
            c.add(
                _field(m.FIELD_TOTALS),
                m.INPUT_TOTALS,
                given=Money(invoice.totals.gross),
                computed=Money(computed.gross),
            )
    return c.problems


# --- building -----------------------------------------------------------------------------------


def _q(tag: str) -> str:
    return f"{{{FA3_NAMESPACE}}}{tag}"


def _sub(parent: Any, tag: str, text: str | None = None) -> Any:
    node = etree.SubElement(parent, _q(tag))
    if text is not None:
        node.text = text
    return node


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros (1.500000 → 1.5, 180 → 180)."""
    return format(value.normalize(), "f")


def _price(value: Decimal) -> str:
    """A unit price with at least the grosz shown (180 → 180.00, 0.123 → 0.123)."""
    text = _plain(value)
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


def _party(root: Any, tag: str, party: Party, *, buyer: bool) -> None:
    node = _sub(root, tag)
    identity = _sub(node, "DaneIdentyfikacyjne")
    if party.nip is not None:
        _sub(identity, "NIP", validate_nip(party.nip))
    else:
        _sub(identity, "BrakID", "1")
    _sub(identity, "Nazwa", party.name.strip())
    address = _sub(node, "Adres")
    _sub(address, "KodKraju", party.address.country)
    _sub(address, "AdresL1", party.address.line1.strip())
    if party.address.line2.strip():
        _sub(address, "AdresL2", party.address.line2.strip())
    if buyer:
        # FA(3) asks of every buyer whether it is a local-government unit's subunit (JST) or a
        # VAT group member (GV); a cluster member is neither as a buyer of its own dues (2 = no).
        _sub(node, "JST", "2")
        _sub(node, "GV", "2")


def _summary(fa: Any, totals: Totals) -> None:
    for rate_total in totals.by_rate:
        net_tag, vat_tag = _SUMMARY_FIELDS[rate_total.rate]
        _sub(fa, net_tag, _amount(rate_total.net))
        if vat_tag is not None:
            _sub(fa, vat_tag, _amount(rate_total.vat))
    _sub(fa, "P_15", _amount(totals.gross))


def _annotations(fa: Any, invoice: Invoice) -> None:
    node = _sub(fa, "Adnotacje")
    _sub(node, "P_16", "2")  # no cash accounting method
    _sub(node, "P_17", "2")  # not self-billing
    _sub(node, "P_18", "2")  # no reverse charge
    _sub(node, "P_18A", "2")  # no split payment obligation (dues are not in annex 15)
    exemption = _sub(node, "Zwolnienie")
    if any(line.vat_rate == "zw" for line in invoice.lines):
        _sub(exemption, "P_19", "1")
        _sub(exemption, "P_19A", invoice.exemption_basis.strip())
    else:
        _sub(exemption, "P_19N", "1")
    transport = _sub(node, "NoweSrodkiTransportu")
    _sub(transport, "P_22N", "1")
    _sub(node, "P_23", "2")  # not a simplified triangular transaction
    margin = _sub(node, "PMarzy")
    _sub(margin, "P_PMarzyN", "1")


def _created_at(moment: dt.datetime) -> str:
    utc = moment.astimezone(dt.UTC).replace(microsecond=0)
    return utc.isoformat().replace("+00:00", "Z")


def build_fa3(invoice: Invoice) -> bytes:
    """The invoice as FA(3) XML (UTF-8, with its declaration), checked against the schema.

    Raises `InvoiceDataError` for bad data (nothing built) and `Fa3SchemaError` if the built
    document still broke the schema (a bug here; the document must not be sent).
    """
    problems = check_invoice(invoice)
    if problems:
        raise InvoiceDataError(problems)
    totals = compute_totals(invoice.lines)
    root = etree.Element(_q("Faktura"), nsmap={None: FA3_NAMESPACE})
    header = _sub(root, "Naglowek")
    form = _sub(header, "KodFormularza", FORM_CODE[2])
    form.set("kodSystemowy", FORM_CODE[0])
    form.set("wersjaSchemy", FORM_CODE[1])
    _sub(header, "WariantFormularza", "3")
    _sub(header, "DataWytworzeniaFa", _created_at(invoice.created_at))
    _sub(header, "SystemInfo", invoice.system_info)
    _party(root, "Podmiot1", invoice.seller, buyer=False)
    _party(root, "Podmiot2", invoice.buyer, buyer=True)

    fa = _sub(root, "Fa")
    _sub(fa, "KodWaluty", invoice.currency)
    _sub(fa, "P_1", invoice.issue_date.isoformat())
    if invoice.place.strip():
        _sub(fa, "P_1M", invoice.place.strip())
    _sub(fa, "P_2", invoice.number.strip())
    if invoice.period_from is not None and invoice.period_to is not None:
        period = _sub(fa, "OkresFa")
        _sub(period, "P_6_Od", invoice.period_from.isoformat())
        _sub(period, "P_6_Do", invoice.period_to.isoformat())
    _summary(fa, totals)
    _annotations(fa, invoice)
    corrected = invoice.corrected
    _sub(fa, "RodzajFaktury", "VAT" if corrected is None else "KOR")
    if corrected is not None:
        if invoice.correction_reason.strip():
            _sub(fa, "PrzyczynaKorekty", invoice.correction_reason.strip())
        data = _sub(fa, "DaneFaKorygowanej")
        _sub(data, "DataWystFaKorygowanej", corrected.issue_date.isoformat())
        _sub(data, "NrFaKorygowanej", corrected.number.strip())
        if corrected.ksef_number is not None:
            _sub(data, "NrKSeF", "1")
            _sub(data, "NrKSeFFaKorygowanej", corrected.ksef_number)
        else:
            _sub(data, "NrKSeFN", "1")
    if invoice.payment is not None and invoice.payment.title.strip():
        extra = _sub(fa, "DodatkowyOpis")
        _sub(extra, "Klucz", "Tytuł przelewu")
        _sub(extra, "Wartosc", invoice.payment.title.strip())
    for n, line in enumerate(invoice.lines, start=1):
        row = _sub(fa, "FaWiersz")
        _sub(row, "NrWierszaFa", str(n))
        _sub(row, "P_7", line.description.strip())
        _sub(row, "P_8A", line.unit.strip())
        _sub(row, "P_8B", _plain(line.quantity))
        _sub(row, "P_9A", _price(line.unit_net_price))
        _sub(row, "P_11", _amount(line.net))
        _sub(row, "P_12", _P12[line.vat_rate])
        if line.before:
            _sub(row, "StanPrzed", "1")
    if invoice.payment is not None:
        payment = _sub(fa, "Platnosc")
        due = _sub(payment, "TerminPlatnosci")
        _sub(due, "Termin", invoice.payment.due.isoformat())
        _sub(payment, "FormaPlatnosci", _TRANSFER)
        account = _sub(payment, "RachunekBankowy")
        # the NRB: the 26 digits Polish statements and payers use (FA(3) TNrRB takes 10-34)
        _sub(account, "NrRB", validate_iban(invoice.payment.iban)[2:])

    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    schema_problems = validate_fa3(xml)
    if schema_problems:
        raise Fa3SchemaError(schema_problems)
    return xml


# --- validating ---------------------------------------------------------------------------------


class _PackagedSchemas(etree.Resolver):  # type: ignore[misc]
    """Gives lxml the packaged copy of each FA(3) schema, and refuses anything else."""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.directory = directory

    def resolve(self, url: str, public_id: str | None, context: Any) -> Any:
        name = Path(url).name
        if name not in _BUNDLED_SCHEMAS:
            raise OSError(f"FA(3) schema import outside the packaged set refused: {url}")
        return self.resolve_filename(str(self.directory / name), context)


def schema_directory() -> Path:
    """Where the packaged FA(3) schemas are (a directory inside the installed ksef-client).

    Found without importing ksef_client (whose import pulls in its whole HTTP client).
    """
    spec = importlib.util.find_spec("ksef_client")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("ksef-client is not installed: the FA(3) schemas come with it")
    return Path(next(iter(spec.submodule_search_locations))) / "documents" / "fa3" / "schemas"


_BUILD_LOCK = threading.Lock()


def _schema() -> Any:
    """The FA(3) schema, built once per process. Built under a lock: two threads building it at
    once (two KSeF senders starting together) made libxml2 miss the packaged include in one of
    them ("Failed to load the document … for inclusion")."""
    with _BUILD_LOCK:
        return _build_schema()


@lru_cache(maxsize=1)
def _build_schema() -> Any:
    directory = schema_directory()
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_PackagedSchemas(directory))
    return etree.XMLSchema(etree.parse(str(directory / SCHEMA_FILE), parser))


# lxml's XMLSchema keeps its error log on the object: one validation at a time.
_SCHEMA_LOCK = threading.Lock()


def _safe_parser() -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def validate_fa3(xml: bytes) -> list[SchemaProblem]:
    """Every place `xml` breaks the official FA(3) schema; empty when KSeF's schema accepts it.

    Offline: the schemas come from the installed ksef-client, the document is parsed without
    entities, DTDs or network access, and a document declaring a DOCTYPE is refused.
    """
    try:
        document = etree.fromstring(xml, _safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else 0
        return [SchemaProblem(line=line, path="", detail=str(exc.msg))]
    tree = document.getroottree()
    if tree.docinfo.doctype:
        return [SchemaProblem(line=1, path="", detail="DOCTYPE")]
    schema = _schema()
    with _SCHEMA_LOCK:
        if schema.validate(tree):
            return []
        errors = [(error.line, error.path or "", error.message) for error in schema.error_log]
    return [
        SchemaProblem(line=line, path=_readable_path(tree, path), detail=detail)
        for line, path, detail in errors
    ]


def _readable_path(tree: Any, path: str) -> str:
    """lxml's `/*/*[4]/*[7]` as `/Faktura/Fa/P_15`, the names the FA(3) brochure uses."""
    try:
        found = tree.xpath(path) if path else []
    except etree.XPathError:
        return path
    if not found or not isinstance(found[0], etree._Element):
        return path
    names = [etree.QName(node).localname for node in [found[0], *found[0].iterancestors()]]
    return "/" + "/".join(reversed(names))


def validation_messages(problems: list[SchemaProblem]) -> list[Msg]:
    """The problems as messages for the office (a DOCTYPE or a syntax error gets its own words)."""
    result = []
    for problem in problems:
        if problem.detail == "DOCTYPE":
            result.append(Msg.of(m.SCHEMA_DOCTYPE))
        elif not problem.path:
            result.append(Msg.of(m.SCHEMA_NOT_XML, detail=problem.detail))
        else:
            result.append(problem.message)
    return result
