"""Logging helpers (issue 9 point 8): a refused page is an answer, not a fault."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied


class RefusalWithoutTraceback(logging.Filter):
    """On `django.request`: a 403 from PermissionDenied keeps its one warning line
    ("Forbidden (Permission denied): /c/alfa/audit/") but loses the traceback Django attaches
    to it; a real error (500) keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
