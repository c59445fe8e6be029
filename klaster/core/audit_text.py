"""PLT-4: the audit log read as plain sentences in the reader's language.

The stored rows stay language-free (action codes, model labels, field names, raw values); this
module turns a page of them into sentences at read time: who (the person's name), what (the
action in words), which record (its name and kind), which field (its verbose name) and the old
and new values (dates, yes/no and choices in words). Every action code the services write has
a sentence here; ``tests/core/test_audit_text.py`` fails on a code without one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klaster.core.say import say

#: Action code → the sentence (who, what was done, to which record). Prefixed codes
#: ("proxy_accepted", "event:admitted", "status:in_force") are read in ``action_text``.
ACTIONS: dict[str, Promise] = {
    "create": gettext_lazy("%(who)s added %(what)s"),
    "update": gettext_lazy("%(who)s changed %(what)s"),
    "delete": gettext_lazy("%(who)s deleted %(what)s"),
    "import": gettext_lazy("%(who)s imported %(what)s"),
    "election": gettext_lazy("%(who)s recorded an election in %(what)s"),
    "close": gettext_lazy("%(who)s closed %(what)s"),
    "withdraw": gettext_lazy("%(who)s withdrew %(what)s"),
    "vote_open": gettext_lazy("%(who)s opened a vote in %(what)s"),
    "vote_close": gettext_lazy("%(who)s closed a vote in %(what)s"),
    "summary_send": gettext_lazy("%(who)s sent the summary of %(what)s"),
    "notice_send": gettext_lazy("%(who)s sent the notice of %(what)s"),
    "newsletter_send": gettext_lazy("%(who)s sent the newsletter %(what)s"),
    "resend": gettext_lazy("%(who)s sent again the message %(what)s"),
    "unsubscribe": gettext_lazy("%(who)s took %(what)s off the newsletter"),
    "resubscribe": gettext_lazy("%(who)s put %(what)s back on the newsletter"),
    "event_invite": gettext_lazy("%(who)s sent the invitations to %(what)s"),
    "rsvp": gettext_lazy("%(who)s answered the invitation to %(what)s"),
    "attendance": gettext_lazy("%(who)s recorded who came to %(what)s"),
    "statute_pin": gettext_lazy("%(who)s fixed the statute version of %(what)s"),
    "start": gettext_lazy("%(who)s started %(what)s"),
    "seat_end": gettext_lazy("%(who)s ended a seat in %(what)s"),
    "schedule": gettext_lazy("%(who)s scheduled %(what)s"),
    "resolve": gettext_lazy("%(who)s resolved %(what)s"),
    "register": gettext_lazy("%(who)s registered %(what)s"),
    "proxy_withdraw": gettext_lazy("%(who)s withdrew the proxy %(what)s"),
    "password": gettext_lazy("%(who)s changed the password of %(what)s"),
    "open": gettext_lazy("%(who)s opened %(what)s"),
    "objection": gettext_lazy("%(who)s recorded an objection to %(what)s"),
    "notify": gettext_lazy("%(who)s sent a notice about %(what)s"),
    "help": gettext_lazy("%(who)s asked for help with %(what)s"),
    "gdpr_export": gettext_lazy("%(who)s exported the personal data of %(what)s"),
    "gdpr_erase": gettext_lazy("%(who)s erased the personal data of %(what)s"),
    "error": gettext_lazy("%(who)s recorded an error in %(what)s"),
    "detach": gettext_lazy("%(who)s detached %(what)s"),
    "declaration_send": gettext_lazy("%(who)s sent the declaration of %(what)s"),
    "decide": gettext_lazy("%(who)s decided on %(what)s"),
    "correct": gettext_lazy("%(who)s corrected %(what)s"),
    "convene": gettext_lazy("%(who)s convened %(what)s"),
    "check_out": gettext_lazy("%(who)s recorded the departure from %(what)s"),
    "check_in": gettext_lazy("%(who)s recorded the arrival at %(what)s"),
    "ballot": gettext_lazy("%(who)s recorded ballots in %(what)s"),
    "attach": gettext_lazy("%(who)s attached %(what)s"),
    "seat": gettext_lazy("%(who)s gave a seat in %(what)s"),
    "export": gettext_lazy("%(who)s exported %(what)s"),
    "forum_take_part": gettext_lazy("%(who)s joined %(what)s for the cluster"),
    "forum_withdraw": gettext_lazy("%(who)s withdrew the cluster from %(what)s"),
}

PREFIXED: dict[str, Promise] = {
    "proxy_": gettext_lazy("%(who)s recorded a proxy (%(how)s) for %(what)s"),
    "event:": gettext_lazy("%(who)s recorded a membership event (%(how)s) of %(what)s"),
    "status:": gettext_lazy("%(who)s set the status (%(how)s) of %(what)s"),
}

#: Keys of ``changes`` that are not model fields, in words.
KEYS: dict[str, Promise] = {
    "seat": gettext_lazy("seat"),
    "decision": gettext_lazy("decision"),
    "reason": gettext_lazy("reason"),
    "sent": gettext_lazy("sent"),
    "error": gettext_lazy("error"),
    "quorum": gettext_lazy("quorum"),
    "statute_version": gettext_lazy("statute version"),
    "term": gettext_lazy("term"),
    "sat": gettext_lazy("sat"),
    "recipients": gettext_lazy("recipients"),
    "agenda": gettext_lazy("agenda"),
    "valid": gettext_lazy("valid"),
    "amount": gettext_lazy("amount"),
    "received_at": gettext_lazy("received at"),
    "at": gettext_lazy("time"),
    "mode": gettext_lazy("attendance"),
    "ended_on": gettext_lazy("ended on"),
    "resolved_on": gettext_lazy("resolved on"),
    "status": gettext_lazy("status"),
    "rows": gettext_lazy("rows"),
    "count": gettext_lazy("number"),
    "projects": gettext_lazy("projects"),
    "events": gettext_lazy("events"),
    "staff": gettext_lazy("staff"),
    "clusters": gettext_lazy("clusters taking part"),
}

#: A higher app's reading of its own rows, registered from its ``AppConfig.ready`` (core names no
#: higher app): (model label, action) → a function taking the page's rows of that kind and
#: returning, per row id, its changes as (label, old, new) in words — in a fixed number of queries.
Resolver = Callable[[Sequence[Any]], dict[int, list[tuple[str, str, str]]]]
RESOLVERS: dict[tuple[str, str], Resolver] = {}


def register_resolver(model: str, action: str, resolver: Resolver) -> None:
    RESOLVERS[(model, action)] = resolver


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def action_text(action: str) -> str:
    """The action's sentence template (``%(who)s``, ``%(what)s``); ``""`` for an unknown code
    (the test lists them)."""
    if action in ACTIONS:
        return str(ACTIONS[action])
    for prefix, text in PREFIXED.items():
        if action.startswith(prefix):
            return str(text).replace("%(how)s", _words(action[len(prefix) :]))
    return ""


def _words(code: str) -> str:
    return _(code.replace("_", " "))


def person_name(user: Any) -> str:
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()


def model_of(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label) if label else None
    except (LookupError, ValueError):
        return None


def model_name(label: str) -> str:
    model = model_of(label)
    return str(model._meta.verbose_name) if model is not None else ""


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    for f in model._meta.concrete_fields:
        if key in (f.name, f.attname):
            return f
    return None


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    row: Any
    who: str
    action: str
    kind: str
    name: str
    changes: list[Change] = field(default_factory=list)

    @property
    def sentence(self) -> str:
        quoted = _("“%(name)s”") % {"name": self.name}
        what = f"{self.kind} {quoted}" if self.kind else quoted
        template = self.action or _("%(who)s: %(what)s")
        return template % {"who": self.who, "what": what}


def _value(value: Any, f: models.Field | None, names: dict[tuple[str, str], str]) -> str:
    if value is None or value == "":
        return "—"
    if f is not None and f.is_relation and f.related_model is not None:
        label = f.related_model._meta.label  # type: ignore[union-attr]
        if not str(value).isdigit():  # some services store the related record's name itself
            return str(value)
        return names.get((label, str(value)), _("record no. %(id)s") % {"id": value})
    if f is not None and f.choices:
        for key, text in f.flatchoices:
            if str(key) == str(value):
                return str(text)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    if isinstance(value, str) and _DATETIME.match(value):
        try:
            moment = dt.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%d.%m.%Y %H:%M")
        except ValueError:
            return value
    if isinstance(value, list | tuple):
        return ", ".join(_value(v, None, names) for v in value) or "—"
    if isinstance(value, dict) and set(value) == {"code", "params"}:
        # a rule's message stored language-free (klaster.rules.message.to_json): its words
        try:
            return say(value)
        except (KeyError, ValueError, TypeError):
            return str(value.get("code"))
    if isinstance(value, dict):
        # a nested record (the statute's numbers): its size, never a dict on the page
        return _("a set of %(n)s values") % {"n": len(value)}
    return str(value)


def _label(model: type[models.Model] | None, key: str) -> str:
    f = _field(model, key)
    if f is not None:
        return str(f.verbose_name)
    if key in KEYS:
        return str(KEYS[key])
    return _words(key)


def entries(rows: Sequence[Any]) -> list[Entry]:
    """A page of audit rows as sentences; related records named with one query per kind."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        model = model_of(row.model)
        for key, pair in (row.changes or {}).items():
            f = _field(model, key)
            if f is not None and f.is_relation and f.related_model is not None:
                for v in _pair(pair):
                    if v not in (None, ""):
                        wanted[f.related_model._meta.label].add(str(v))  # type: ignore[union-attr]
    names: dict[tuple[str, str], str] = {}
    for label, ids in wanted.items():
        related = model_of(label)
        if related is None:
            continue
        pk = related._meta.pk
        try:
            keys = [pk.to_python(i) for i in ids] if pk is not None else []
        except (ValidationError, ValueError, TypeError):  # an id that no longer parses: a number
            continue
        for obj in related._default_manager.filter(pk__in=keys):
            names[(label, str(obj.pk))] = str(obj)
    resolved: dict[int, list[tuple[str, str, str]]] = {}
    kinds: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for row in rows:
        if (row.model, row.action) in RESOLVERS:
            kinds[(row.model, row.action)].append(row)
    for kind, kind_rows in kinds.items():
        resolved.update(RESOLVERS[kind](kind_rows))
    out = []
    for row in rows:
        model = model_of(row.model)
        entry = Entry(
            row=row,
            who=person_name(row.user),
            action=action_text(row.action),
            kind=model_name(row.model),
            name=row.object_repr,
        )
        if row.pk in resolved:
            entry.changes = [Change(*change) for change in resolved[row.pk]]
            out.append(entry)
            continue
        for key, pair in (row.changes or {}).items():
            f = _field(model, key)
            old, new = _pair(pair)
            entry.changes.append(
                Change(_label(model, key), _value(old, f, names), _value(new, f, names))
            )
        out.append(entry)
    return out


def _pair(pair: Any) -> tuple[Any, Any]:
    if isinstance(pair, list | tuple) and len(pair) == 2:
        return pair[0], pair[1]
    return None, pair


def model_choices(labels: Iterable[str]) -> list[tuple[str, str]]:
    """Distinct record kinds of the log, by name, for the filter."""
    return sorted(((label, model_name(label) or label) for label in labels), key=lambda c: c[1])
