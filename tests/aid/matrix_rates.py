"""Access-matrix rows of the de minimis app's NBP rates pages (wired in
tests/core/test_access_matrix.py): the series is the office's to see and update (AID-2)."""

from __future__ import annotations

LOGIN = "login"
DENY = {
    "chair": 403,
    "member": 403,
    "proxy": 403,
    "forum": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}
OFFICE = {"office": 200, **DENY}
#: an empty POST: the form again with its errors (200), nothing stored
OFFICE_POST = {"office": 200, **DENY}

#: one real table (NBP table A 251/A/NBP/2025 of 31 December 2025)
ONE_TABLE = b"date;number;mid\n2025-12-31;251/A/NBP/2025;4.2267\n"


def s(w):
    return {"slug": "alfa"}


def rows():
    return {
        "aid_rates": ("get", s, OFFICE),
        "aid_rates_upload": ("post", s, OFFICE_POST),
    }


def _upload(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("nbp.csv", ONE_TABLE, "text/csv"), "seen": ""}


def payloads():
    return {"aid_rates_upload": _upload}
