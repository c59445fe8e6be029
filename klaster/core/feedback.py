"""How views turn a form's or a service's refusal into what the user reads — one place for all apps.

Services raise ``ValidationError`` naming the field; a view either puts it on the form it
re-renders (``apply_errors``) or, after a POST that redirects, shows it as messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from klaster.core.concurrency import StaleEdit, posted_version, show_stale
from klaster.core.say import say


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on the form when unnamed)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def messages_from(request: HttpRequest, exc: ValidationError) -> None:
    """A service's refusal as error messages (for views that redirect after a POST)."""
    for errors in exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]:
        for error in errors:
            messages.error(request, error)


def form_messages(request: HttpRequest, form: forms.BaseForm) -> None:
    """An invalid form's errors as messages, each prefixed with its field's label."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            # an ErrorList yields its messages as text
            messages.error(request, f"{label}: {error}" if label else str(error))


def attempt(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], Any],
    success: str | Callable[[Any], str],
    *,
    refusals: tuple[type[Exception], ...] = (),
) -> tuple[bool, Any]:
    """Validate the form, call the service with its data, turn every refusal into messages: the
    form's errors by field, a ValidationError, or one of ``refusals`` — an app's own refusal
    carrying a rule message (``exc.message``, rendered in the reader's language). Returns (True,
    what the service returned) with the success message (``success(result)`` when callable), or
    (False, None)."""
    if not form.is_valid():
        form_messages(request, form)
        return False, None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        messages_from(request, exc)
        return False, None
    except refusals as exc:
        messages.error(request, say(getattr(exc, "message", None)) or str(exc))
        return False, None
    messages.success(request, success(result) if callable(success) else success)
    return True, result


def run_form(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], Any],
    success: str,
    *,
    refusals: tuple[type[Exception], ...] = (),
) -> bool:
    """`attempt` when only whether it went through matters."""
    return attempt(request, form, action, success, refusals=refusals)[0]


def save_versioned(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[str], object],
    success: str,
    *,
    errors: Callable[[forms.BaseForm, ValidationError], None] = apply_errors,
) -> bool:
    """An edit form's save (the form already valid): ``save`` gets the edit version the form
    was shown with and calls the service. A stale version puts who changed what on the form,
    with the current version (``show_stale``); any other refusal goes on its fields. True, with
    the success message, when it was saved."""
    try:
        save(posted_version(form))
    except StaleEdit as exc:
        show_stale(form, exc)
    except ValidationError as exc:
        errors(form, exc)
    else:
        messages.success(request, success)
        return True
    return False
