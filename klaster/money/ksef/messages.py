"""What the KSeF adapter says, as codes with English templates (klaster.rules.message).

The Polish lives in the catalogue with the rest (`define` is extracted by makemessages); the page,
the CLI and the outbox render a `Msg` in their reader's language.
"""

from __future__ import annotations

from klaster.rules.message import define

# --- the fields an invoice's data is refused for (rendered inside INPUT_* messages) ------------
FIELD_NUMBER = define("ksef.field.number", "invoice number")
FIELD_ISSUE_DATE = define("ksef.field.issue_date", "issue date")
FIELD_CREATED_AT = define("ksef.field.created_at", "time the invoice was made")
FIELD_PERIOD = define("ksef.field.period", "billing period")
FIELD_PLACE = define("ksef.field.place", "place of issue")
FIELD_SELLER_NAME = define("ksef.field.seller_name", "seller's name")
FIELD_SELLER_NIP = define("ksef.field.seller_nip", "seller's NIP")
FIELD_SELLER_ADDRESS = define("ksef.field.seller_address", "seller's address")
FIELD_BUYER_NAME = define("ksef.field.buyer_name", "buyer's name")
FIELD_BUYER_NIP = define("ksef.field.buyer_nip", "buyer's NIP")
FIELD_BUYER_ADDRESS = define("ksef.field.buyer_address", "buyer's address")
FIELD_LINES = define("ksef.field.lines", "invoice lines")
FIELD_LINE_DESCRIPTION = define("ksef.field.line_description", "line {n}: description")
FIELD_LINE_UNIT = define("ksef.field.line_unit", "line {n}: unit")
FIELD_LINE_QUANTITY = define("ksef.field.line_quantity", "line {n}: quantity")
FIELD_LINE_PRICE = define("ksef.field.line_price", "line {n}: net unit price")
FIELD_LINE_RATE = define("ksef.field.line_rate", "line {n}: VAT rate")
FIELD_EXEMPTION = define("ksef.field.exemption_basis", "legal basis of the VAT exemption")
FIELD_PAYMENT_DUE = define("ksef.field.payment_due", "payment due date")
FIELD_PAYMENT_IBAN = define("ksef.field.payment_iban", "account for the payment")
FIELD_PAYMENT_TITLE = define("ksef.field.payment_title", "payment title")
FIELD_TOTALS = define("ksef.field.totals", "invoice totals")
FIELD_CORRECTED_NUMBER = define("ksef.field.corrected_number", "number of the corrected invoice")
FIELD_CORRECTED_DATE = define("ksef.field.corrected_date", "issue date of the corrected invoice")
FIELD_CORRECTED_KSEF = define("ksef.field.corrected_ksef", "KSeF number of the corrected invoice")
FIELD_CORRECTION_REASON = define("ksef.field.correction_reason", "reason for the correction")

# why an identifier was refused: Term("ksef_id_reason", <klaster.rules.identifiers code>)
define("ksef_id_reason.empty", "empty value")
define("ksef_id_reason.not_text", "a text value is expected")
define("ksef_id_reason.digits", "only digits are allowed")
define("ksef_id_reason.length_nip", "10 digits are required")
define("ksef_id_reason.length_account", "26 digits are required")
define("ksef_id_reason.checksum", "invalid check digit")
define("ksef_id_reason.checksum_account", "invalid check digits")
define("ksef_id_reason.zero", "the number cannot be all zeros")
define("ksef_id_reason.country", "only a Polish account number (PL) is allowed")

# --- bad invoice data (build_fa3 refuses it, nothing is built) ---------------------------------
INPUT_REQUIRED = define("ksef.input.required", "{field}: required.")
INPUT_TOO_LONG = define("ksef.input.too_long", "{field}: at most {max} characters.")
INPUT_NIP = define("ksef.input.nip", "{field}: not a valid NIP ({reason}).")
INPUT_IBAN = define("ksef.input.iban", "{field}: not a valid Polish account number ({reason}).")
INPUT_POSITIVE = define("ksef.input.positive", "{field}: must be greater than zero.")
INPUT_NOT_NEGATIVE = define("ksef.input.not_negative", "{field}: cannot be negative.")
INPUT_PRECISION = define("ksef.input.precision", "{field}: at most {places} decimal places.")
INPUT_RATE = define("ksef.input.rate", "{field}: unknown rate {rate} (allowed: {allowed}).")
INPUT_PERIOD = define("ksef.input.period", "{field}: ends on {end}, before it starts on {start}.")
INPUT_PERIOD_HALF = define("ksef.input.period_half", "{field}: needs both its first and last day.")
INPUT_DATE_RANGE = define(
    "ksef.input.date_range", "{field}: {date} lies outside what KSeF accepts ({first} to {last})."
)
INPUT_NAIVE = define("ksef.input.naive", "{field}: needs a time zone.")
INPUT_DUE_BEFORE_ISSUE = define(
    "ksef.input.due_before_issue", "{field}: {due} is before the issue date {issued}."
)
INPUT_TOTALS = define(
    "ksef.input.totals",
    "{field}: the totals given (gross {given}) differ from those of the lines (gross {computed}).",
)
INPUT_KSEF_NUMBER = define("ksef.input.ksef_number", "{field}: not a valid KSeF number.")
INPUT_BEFORE_NOT_CORRECTION = define(
    "ksef.input.before_not_correction",
    "{field}: a line stating the state before a correction belongs only on a correcting invoice.",
)
INPUT_CURRENCY = define("ksef.input.currency", "{field}: only PLN is supported, not {currency}.")

# --- the FA(3) schema --------------------------------------------------------------------------
SCHEMA_INVALID = define(
    "ksef.schema.invalid", "The FA(3) document breaks the schema at line {line}: {detail}"
)
SCHEMA_NOT_XML = define(
    "ksef.schema.not_xml", "The FA(3) document is not well-formed XML: {detail}"
)
SCHEMA_DOCTYPE = define(
    "ksef.schema.doctype", "The FA(3) document declares a DOCTYPE, which KSeF does not accept."
)

# --- sending ------------------------------------------------------------------------------------
SEND_UNREACHABLE = define("ksef.send.unreachable", "KSeF could not be reached: {detail}")
SEND_UNAVAILABLE = define(
    "ksef.send.unavailable", "KSeF is unavailable for now (HTTP {status}): {detail}"
)
SEND_PENDING = define(
    "ksef.send.pending",
    "KSeF accepted the document for processing but has not given its KSeF number yet "
    "(reference {reference}).",
)
SEND_UPO_PENDING = define(
    "ksef.send.upo_pending",
    "KSeF gave the invoice its KSeF number {ksef_number}, but its UPO cannot be had yet: {detail}",
)
SEND_AUTH = define("ksef.send.auth", "KSeF refused the cluster's credentials: {detail}")
SEND_REJECTED = define("ksef.send.rejected", "KSeF rejected the document ({status}): {detail}")
SEND_DUPLICATE = define(
    "ksef.send.duplicate",
    "KSeF already holds an invoice with this number from this seller ({detail}).",
)
SEND_BAD_ANSWER = define("ksef.send.bad_answer", "KSeF answered something unexpected: {detail}")

# --- the offline24 window -----------------------------------------------------------------------
OFFLINE24_RETRY = define(
    "ksef.offline24.retry",
    "Sending to KSeF failed ({reason}); it will be tried again until {deadline} (offline24).",
)
OFFLINE24_EXPIRED = define(
    "ksef.offline24.expired",
    "Sending to KSeF failed ({reason}) and the offline24 window closed on {deadline}: "
    "the office must deal with this invoice.",
)
OFFLINE24_FINAL = define(
    "ksef.offline24.final",
    "KSeF will not accept this invoice as it is ({reason}): the office must deal with it.",
)

# --- checking an environment --------------------------------------------------------------------
CHECK_OK = define(
    "ksef.check.ok", "KSeF {env} ({url}) answers: {n} public key {n:certificate|certificates}."
)
CHECK_UNREACHABLE = define(
    "ksef.check.unreachable", "KSeF {env} ({url}) cannot be reached: {detail}"
)
CHECK_ERROR = define("ksef.check.error", "KSeF {env} ({url}) answered with an error: {detail}")
CHECK_UNKNOWN_ENV = define(
    "ksef.check.unknown_env", "Unknown KSeF environment {env} (known: {known})."
)
