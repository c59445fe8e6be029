"""Optimistic locking for records several people edit (issue 7 point 4: two people editing one
member — the second save must not silently undo the first).

A form (or an API read) carries the record's *edit version*: the id of the record's last audit
entry and a digest of the values of the fields the service writes. The service, after it has
locked the row, compares the digest with the row as it is now; when they differ, somebody else
saved in between and the save is refused with what changed and by whom (from the audit log,
entries after the one the form saw). Nothing is merged: the user sees the other change and
decides (ground rule "a stale form is refused, not merged silently").

The digest decides, not the audit id: an audited change that left the shown values as they were
(another field, or a change and its undo) takes nothing away from the user's edit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from klaster.core.audit import snapshot
from klaster.core.models import AuditLog

VERSION_FIELD = "version"


@dataclass(frozen=True)
class Tracked:
    """What an edit version is taken of: the audit log's name for the record (model label and
    object id, as `audit_record` writes them) and the values the save would overwrite."""

    label: str
    object_id: str
    values: dict[str, Any]
    model: type[models.Model] | None = None

    @classmethod
    def of(cls, instance: models.Model, fields: Sequence[str]) -> Tracked:
        return cls(
            instance._meta.label, str(instance.pk), snapshot(instance, fields), type(instance)
        )


def _digest(values: dict[str, Any]) -> str:
    raw = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _last_audit_id(tracked: Tracked) -> int:
    return (
        AuditLog.objects.filter(model=tracked.label, object_id=tracked.object_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    ) or 0


def version_of(tracked: Tracked) -> str:
    """``<last audit id>.<digest of the values>``: what a form or an API read hands out."""
    return f"{_last_audit_id(tracked)}.{_digest(tracked.values)}"


def edit_version(instance: models.Model, fields: Sequence[str]) -> str:
    """The edit version of a model instance's `fields`."""
    return version_of(Tracked.of(instance, fields))


def _parse(version: str) -> tuple[int, str] | None:
    seen, _sep, digest = (version or "").strip().removeprefix("W/").strip('"').partition(".")
    if not seen.isdigit() or len(seen) > 18 or len(digest) != 16:
        return None
    return int(seen), digest


@dataclass(frozen=True)
class Change:
    """One save by somebody else since the form was shown."""

    who: str
    at: Any
    fields: tuple[str, ...]


def _label(model: type[models.Model] | None, name: str) -> str:
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        try:
            field = next(f for f in model._meta.concrete_fields if f.attname == name)
        except StopIteration:
            return name
    return str(getattr(field, "verbose_name", name))


class StaleEdit(ValidationError):
    """The record changed after the form was shown; nothing was saved."""

    def __init__(self, changes: list[Change], current_version: str) -> None:
        self.changes = changes
        self.current_version = current_version
        super().__init__(self.describe(changes), code="stale")

    @staticmethod
    def describe(changes: list[Change]) -> str:
        head = str(
            _("Somebody else saved this record after you opened the form; nothing was saved.")
        )
        if not changes:
            detail = str(_("Its data changed in the meantime."))
        else:
            parts = []
            for c in changes:
                when = (
                    formats.date_format(timezone.localtime(c.at), "SHORT_DATETIME_FORMAT")
                    if c.at
                    else ""
                )
                fields = ", ".join(c.fields)
                parts.append(f"{c.who} ({when}): {fields}" if fields else f"{c.who} ({when})")
            detail = ngettext("Change: %(list)s.", "Changes: %(list)s.", len(parts)) % {
                "list": "; ".join(parts)
            }
        tail = str(_("Check the current data and enter your changes again."))
        return f"{head} {detail} {tail}"


def changes_since(tracked: Tracked, seen_audit_id: int) -> list[Change]:
    """The audit entries of the record after the one the form saw: who, when, which fields."""
    wanted = set(tracked.values)
    out = []
    for entry in (
        AuditLog.objects.filter(
            model=tracked.label, object_id=tracked.object_id, id__gt=seen_audit_id
        )
        .select_related("user")
        .order_by("id")[:20]
    ):
        touched = [name for name in (entry.changes or {}) if name in wanted]
        who = (
            (entry.user.get_full_name() or entry.user.get_username())
            if entry.user
            else str(_("the system"))
        )
        out.append(
            Change(who=who, at=entry.at, fields=tuple(_label(tracked.model, n) for n in touched))
        )
    return [c for c in out if c.fields] or out


def ensure_current(tracked: Tracked, expected: str | None) -> None:
    """Refuse a save made from a stale form. Call with the record as it is under the row lock.

    ``expected`` None means the caller edits without a form shown to a person (import, CLI,
    the services' own follow-up writes): no check."""
    if expected is None:
        return
    parsed = _parse(expected)
    if parsed is not None and parsed[1] == _digest(tracked.values):
        return
    seen = parsed[0] if parsed is not None else _last_audit_id(tracked)
    raise StaleEdit(changes_since(tracked, seen), version_of(tracked))


def ensure_fresh(instance: models.Model, fields: Sequence[str], expected: str | None) -> None:
    """`ensure_current` for a model instance's `fields` (locked with select_for_update)."""
    if expected is not None:
        ensure_current(Tracked.of(instance, fields), expected)


# --- forms -------------------------------------------------------------------------------------


_Form = TypeVar("_Form", bound=forms.BaseForm)


def add_version_field(
    form: _Form,
    instance: models.Model | Tracked | Callable[[], Tracked],
    fields: Sequence[str] = (),
) -> _Form:
    """Give an edit form its hidden edit version: on a page shown, the version of the record now
    (a model instance and its fields, a `Tracked`, or a function making one); on a page posted,
    what the user saw when it was shown."""
    form.fields[VERSION_FIELD] = forms.CharField(
        widget=forms.HiddenInput,
        required=True,
        max_length=60,
        error_messages={
            "required": _("This form is out of date; reload the page and enter your changes again.")
        },
    )
    if not form.is_bound:
        if isinstance(instance, models.Model):
            tracked = Tracked.of(instance, fields)
        else:
            tracked = instance if isinstance(instance, Tracked) else instance()
        form.initial[VERSION_FIELD] = version_of(tracked)
    return form


def posted_version(form: forms.BaseForm) -> str:
    return form.cleaned_data.get(VERSION_FIELD) or ""


def show_stale(form: forms.BaseForm, exc: StaleEdit) -> None:
    """Put the refusal on the form and hand it the current version, so that the user, having seen
    the other change, may save their own deliberately."""
    form.add_error(None, exc)
    if form.is_bound:
        posted = form.data  # a QueryDict from a request, a dict in tests
        data = posted.copy() if isinstance(posted, QueryDict | dict) else dict(posted)
        data[form.add_prefix(VERSION_FIELD)] = exc.current_version
        form.data = data
