"""Upload size limits, one per kind of file, in one place (issue 7).

Each kind has a default below; a deployment changes any of them with the setting
``KLASTER_UPLOAD_LIMITS = {"group_material": 50 * 2**20, …}`` (bytes). A file over its
limit is refused by its form before anything reads it (``UploadSizeValidator`` looks at
``file.size``, which Django knows from the upload), with one Polish message naming the
limit; nothing is stored. :class:`klaster.core.request_limits.RequestSizeLimitMiddleware`
refuses with 413 any request body over the largest web limit plus a margin, before Django
reads the body at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024


@dataclass(frozen=True)
class UploadKind:
    default: int  # bytes
    what: Any  # the file in "the limit for … is" ("a working-group material"; Polish genitive)
    web: bool = True  # uploaded through a page (counts for the request-body guard)


KINDS: dict[str, UploadKind] = {
    # a list of tens to hundreds of members; XLSX/CSV (klaster.exchange.spreadsheet.MAX_BYTES)
    "member_import": UploadKind(5 * MB, _("a member list")),
    # presentations and reports for a working group (GZW-4); a 200 MB file was stored once
    "group_material": UploadKind(25 * MB, _("a working-group material")),
    # a document of the cluster's archive (PLT-3): PDF, office files, text
    "document": UploadKind(25 * MB, _("a document of the archive")),
    # a PDF attachment of the KKK application (004 "Załączniki")
    "kkk_attachment": UploadKind(25 * MB, _("a KKK application attachment")),
    # one line per proxy (giver, holder, date): a few hundred lines at most
    "proxy_csv": UploadKind(1 * MB, _("a proxy CSV file")),
    # a bank statement (FIN-3): MT940/camt.053/CSV of a month; klaster.rules.money.bank.MAX_BYTES
    "bank_statement": UploadKind(20 * MB, _("a bank statement")),
    # `klaster import FILE`: a 10,000-member cluster is a 13 MB JSON or 8 MB YAML file
    "dataset": UploadKind(64 * MB, _("a cluster data file"), web=False),
}

# Room for the multipart framing and the form's other fields around the largest file.
REQUEST_MARGIN = 1 * MB


def limit(kind: str) -> int:
    """The size limit of ``kind`` in bytes (the setting's value, else the default)."""
    configured = getattr(settings, "KLASTER_UPLOAD_LIMITS", None) or {}
    value = configured.get(kind, KINDS[kind].default)
    return int(value)


def max_request_bytes() -> int:
    """The largest request body the web accepts: the largest web upload limit plus a margin."""
    return max(limit(kind) for kind, spec in KINDS.items() if spec.web) + REQUEST_MARGIN


def megabytes(size: int) -> str:
    """Bytes as MB for a message: whole MB, one decimal below 10 MB ("2,5")."""
    mb = size / MB
    text = f"{mb:.0f}" if mb >= 10 or mb == int(mb) else f"{mb:.1f}"
    return text.replace(".", ",")


def too_large_message(kind: str, size: int) -> str:
    """The one message for a file over its limit, in the active language."""
    maximum = megabytes(limit(kind))
    shown = megabytes(size)
    if (
        float(shown.replace(",", ".")) <= limit(kind) / MB
    ):  # "5 MB" over a 5 MB limit reads as no excess
        shown = f"{size / MB:.2f}".replace(".", ",")
    return str(
        _(
            "The file is too large (%(size)s MB): the limit for %(what)s is %(limit)s MB. Nothing was "
            "saved."
        )
        % {"size": shown, "what": KINDS[kind].what, "limit": maximum}
    )


def _help_text(kind: str) -> str:
    return str(_("At most %(limit)s MB.") % {"limit": megabytes(limit(kind))})


help_text = lazy(_help_text, str)  # for a form field: rendered in the reader's language


def check_size(upload: Any, kind: str) -> None:
    """Raise ValidationError (code ``file_too_large``) when ``upload`` is over the limit of ``kind``.

    Looks only at ``upload.size`` (known from the request before the file is read)."""
    size = getattr(upload, "size", None)
    if size is not None and size > limit(kind):
        raise ValidationError(too_large_message(kind, size), code="file_too_large")


@deconstructible
class UploadSizeValidator:
    """A form field validator: ``forms.FileField(validators=[UploadSizeValidator("proxy_csv")])``."""

    def __init__(self, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown upload kind {kind!r}")
        self.kind = kind

    def __call__(self, upload: Any) -> None:
        check_size(upload, self.kind)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadSizeValidator) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(self.kind)
