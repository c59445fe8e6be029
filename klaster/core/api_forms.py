"""An API write through a page's own form and service (issue 9 point 6), for every app above core.

The page's form parses the call (its errors by field, as the page shows them), the page's service
decides (its refusals, as 400s by field) — the API re-implements no rule and no message.
Versioned edits name the version they read (``If-Match``, issue 7 point 4): none is a 428, a
stale one a 412 with who changed what meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext
from rest_framework import status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from klaster.core.concurrency import StaleEdit

T = TypeVar("T")


def form_data(data: Any) -> dict[str, Any]:
    """JSON (or form) data as a Django form reads it: a true boolean as the ticked checkbox, a
    false one or a null as the field left out; lists stay lists (a multiple choice)."""
    if not isinstance(data, Mapping):
        return {}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, bool):
            if value:
                out[key] = "on"
        elif value is not None:
            out[key] = value
    return out


def form_query(data: Any) -> QueryDict:
    """:func:`form_data` as the ``request.POST`` a page's own view reads: each value its text,
    a list a multiple choice (an item that is null or false left out, a true one ticked)."""
    out = QueryDict(mutable=True)
    for key, value in form_data(data).items():
        for item in value if isinstance(value, list) else [value]:
            if item is not None and item is not False:
                out.appendlist(str(key), "on" if item is True else str(item))
    return out


def _errors_by_field(errors: Mapping[str, Any]) -> dict[str, list[str]]:
    return {
        (k if k != "__all__" else "non_field_errors"): [str(e) for e in v]
        for k, v in errors.items()
    }


def errors_refusal(errors: Mapping[str, Any]) -> ApiValidationError:
    """Errors by field (a form's, a service's message_dict) as a 400; "__all__" becomes
    ``non_field_errors``."""
    return ApiValidationError(_errors_by_field(errors))


def form_refusal(form: Any) -> ApiValidationError:
    """A page's form errors as a 400 (the same form parses the API call: the same messages)."""
    return errors_refusal(form.errors)


def service_refusal(exc: ValidationError) -> ApiValidationError:
    """A service's ValidationError as a 400: its messages by field (already in the user's
    language), the rest under ``non_field_errors``."""
    if hasattr(exc, "error_dict"):
        return ApiValidationError(_errors_by_field(exc.message_dict))
    return ApiValidationError({"non_field_errors": exc.messages})


def form_write(form: Any, write: Callable[[dict[str, Any]], T]) -> T:
    """Validate the page's form, then call the page's service with its cleaned data."""
    if not form.is_valid():
        raise form_refusal(form)
    try:
        return write(form.cleaned_data)
    except ValidationError as exc:
        raise service_refusal(exc) from exc


def if_match(request) -> str:
    """The version the caller read (the ETag it got), or "" when it sent none."""
    return request.headers.get("If-Match", "").strip()


def precondition_required() -> Response:
    return Response(
        {
            "detail": gettext(
                "Send the If-Match header with the ETag of the record as you read it "
                "(GET); the change was not saved."
            )
        },
        status=status.HTTP_428_PRECONDITION_REQUIRED,
    )


def stale(exc: StaleEdit) -> Response:
    """A write from a stale read: 412, who changed what meanwhile, and the current ETag."""
    response = Response(
        {
            "detail": exc.messages[0],
            "changes": [{"by": c.who, "at": c.at, "fields": list(c.fields)} for c in exc.changes],
        },
        status=status.HTTP_412_PRECONDITION_FAILED,
    )
    response["ETag"] = f'"{exc.current_version}"'
    return response
