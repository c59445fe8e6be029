"""What the archive takes (PLT-3): a file is bounded in size, then in kind — by its name's
extension and by its first bytes — before anything parses it; only then is its text read for
the search (plain text as it is, a PDF's text layer through pypdf, nothing from other kinds).

The bound is the archive's own (klaster.core.uploads keeps the shared helpers and the request
guard; a deployment may still move this limit with ``KLASTER_UPLOAD_LIMITS = {"document": …}``).
"""

from __future__ import annotations

import io
import logging
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from klaster.core.uploads import MB, limit, megabytes

log = logging.getLogger("klaster.documents")

#: the largest file kept, by default: a scanned resolution or a year's report (25 MB, as a
#: working group's material); never above what the request guard lets through
MAX_BYTES = 25 * MB

#: the kinds of file the archive takes, by extension: the type served back on download
ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: how each binary kind's file begins (a renamed executable is refused before any parser runs)
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (ZIP,),
    ".xlsx": (ZIP,),
    ".pptx": (ZIP,),
    ".odt": (ZIP,),
    ".ods": (ZIP,),
    ".doc": (OLE,),
    ".xls": (OLE,),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
TEXT_KINDS = (".txt", ".md", ".csv")
#: the text taken from one file for the search, at most (a long report is found by its start)
MAX_TEXT = 200_000
#: pages of a PDF read for the search, at most
MAX_PDF_PAGES = 100


def max_bytes() -> int:
    """The archive's limit, kept with every other upload limit (klaster.core.uploads.KINDS:
    "document", default :data:`MAX_BYTES`; a deployment moves it with KLASTER_UPLOAD_LIMITS)."""
    return limit("document")


def extension(name: str) -> str:
    return PurePath(name).suffix.lower()


def _help_text() -> str:
    return str(
        _("At most %(limit)s MB; PDF, office documents, text or images.")
        % {"limit": megabytes(max_bytes())}
    )


help_text = lazy(_help_text, str)


def check_size(upload: Any) -> None:
    """Looks at ``upload.size`` only (known from the request before the file is read)."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise ValidationError(
            _(
                "The file is too large (%(size)s MB): the archive keeps files of at most "
                "%(limit)s MB. Nothing was saved."
            )
            % {"size": megabytes(size), "limit": megabytes(max_bytes())},
            code="file_too_large",
        )


def check_file(upload: Any) -> None:
    """Bounded in size, then in kind (extension and first bytes), before anything parses it."""
    if upload is None:
        raise ValidationError({"file": _("Choose a file.")})
    try:
        check_size(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    ext = extension(upload.name)
    if ext not in ALLOWED:
        raise ValidationError(
            {
                "file": _("Files of this kind are not kept in the archive; allowed: %(kinds)s.")
                % {"kinds": ", ".join(sorted(ALLOWED))}
            }
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if ext in TEXT_KINDS:
        ok = b"\x00" not in head
    else:
        ok = head.startswith(SIGNATURES[ext])
    if not ok:
        raise ValidationError(
            {
                "file": _("The file's content is not a %(kind)s file; nothing was saved.")
                % {"kind": ext.lstrip(".").upper()}
            },
            code="file_kind",
        )


def size_validator(upload: Any) -> None:
    """For a form's FileField: the size bound, refused with the form's own message."""
    check_size(upload)


def extract_text(name: str, data: bytes) -> str:
    """The searchable text of a checked file: plain text as it is, a PDF's text layer (its first
    pages), nothing for other kinds (their title and description are searched)."""
    ext = extension(name)
    if ext in TEXT_KINDS:
        return data[: MAX_TEXT * 4].decode("utf-8", "replace")[:MAX_TEXT]
    if ext == ".pdf":
        try:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            parts: list[str] = []
            for page in reader.pages[:MAX_PDF_PAGES]:
                parts.append(page.extract_text() or "")
                if sum(len(p) for p in parts) > MAX_TEXT:
                    break
            return "\n".join(parts)[:MAX_TEXT]
        except Exception:  # noqa: BLE001 — a damaged PDF is kept, only not searchable by content
            log.warning("no text from %s", name, exc_info=True)
            return ""
    return ""
