"""SPEC §2: the statute profile edited as a form — one typed field per number of the profile
(whole numbers, fractions, yes/no, choices), grouped as the statute is (General Assembly,
Council, Board, admission, general provisions), each labelled in words, and one "confirmed"
checkbox per number still marked "to be confirmed". The form only rebuilds the stored dict
(``profile_to_dict``); ``services.statute_profile_set`` validates it as before."""

from __future__ import annotations

import copy
import dataclasses
import re
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from django import forms
from django.utils.translation import gettext_lazy as _

from klaster.core.say import say, say_value
from klaster.rules.governance import profile_rows
from klaster.rules.message import Term
from klaster.rules.statute import (
    GROUP_NAMES_PL,
    ORGAN_NAMES_PL,
    PATH_TOKEN,
    StatuteProfile,
    paragraph_for,
    profile_from_dict,
    source_of,
    unconfirmed,
)

#: The words for a number's own field inside a rule ("Kworum — drugi termin: próg").
WORDS: Mapping[str, Any] = {
    "threshold": _("threshold"),
    "basis": _("counted from"),
    "counts_proxies": _("proxies count towards it"),
    "second_term": _("second term"),
    "second_term_threshold": _("threshold in the second term"),
    "kind": _("kind"),
    "share": _("share"),
    "strict": _("more than the share (not at least)"),
    "min_present": _("at least present"),
    "share_cap": _("at most this share of those entitled"),
    "count_cap": _("at most this many per person"),
    "deadline_days_before": _("days before the meeting to submit"),
    "lapses_on_attendance": _("lapses when the giver attends"),
    "min_share": _("minimum share of meetings"),
    "window_months": _("over months"),
    "counted_modes": _("counted attendance"),
    "business_days": _("business days"),
    "max_months": _("at most months"),
    "gap_months": _("months between suspensions"),
    "first_notice_days": _("first reminder after days"),
    "second_notice_days": _("second reminder after days"),
    "days": _("days"),
    "involved_member_stands_aside": _("a member involved stands aside"),
    "return_within_years": _("returned when leaving within years"),
    "return_within_share": _("share returned within that time"),
    "return_later_share": _("share returned later"),
    "annual_dues_multiplier": _("multiple of the annual dues"),
    "near_multiplier": _("multiple for a nearby seat"),
    "near_radius_km": _("nearby means within km"),
    "name": _("name of the profile"),
    "notice_days": _("notice of a meeting, days before"),
    "presentation_on_agenda": _("presentation on the agenda"),
    "decisions": _("majorities for particular decisions"),
    "represented_groups": _("groups it should represent"),
}
LITERAL_WORDS: Mapping[str, Any] = {
    "entitled": _("those entitled"),
    "of_votes_cast": _("of the votes cast"),
    "of_entitled": _("of those entitled"),
    "two_thirds_cast_half_present": _("two thirds of the votes cast, half present"),
    "in_person": _("in person"),
    "online": _("online"),
    "proxy": _("by proxy"),
    "absent": _("absent"),
    "ceil": _("rounded up"),
    "floor": _("rounded down"),
}
SOURCE_WORDS: Mapping[str, Any] = {
    "agreement_template": _("from the agreement template — to be confirmed"),
    "no_source": _("no source — to be confirmed"),
}
_OTHER = _("Other provisions")
_PARAGRAPHS = _("Where each number stands in the statute")
_FRACTION = re.compile(r"^\s*\d+\s*(/\s*\d+\s*)?$")


@dataclass(frozen=True)
class Leaf:
    path: str
    tp: Any
    optional: bool


def _unwrap(tp: Any) -> tuple[Any, bool]:
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return (args[0] if len(args) == 1 else tp), len(args) < len(get_args(tp))
    return tp, False


def _is_dataclass_type(tp: Any) -> bool:
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def leaves(cls: type, data: Mapping[str, Any], path: str = "") -> Iterator[Leaf]:
    """Every editable number of a stored profile, in the order of the profile's fields. Rules a
    profile does not have (``null``) stay absent; keys (a decision's name) are not edited."""
    hints = get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.name in ("confirm", "sources") or (f.name == "decision" and path):
            continue
        tp, optional = _unwrap(hints[f.name])
        sub = f"{path}.{f.name}" if path else f.name
        value = data.get(f.name)
        if _is_dataclass_type(tp):
            if isinstance(value, Mapping):
                yield from leaves(tp, value, sub)
        elif get_origin(tp) is tuple and _is_dataclass_type(get_args(tp)[0]):
            for i, item in enumerate(value or ()):
                yield from leaves(get_args(tp)[0], item, f"{sub}[{i}]")
        else:
            yield Leaf(sub, tp, optional)


def _tokens(path: str) -> list[str | int]:
    return [int(i) if i else name for name, i in PATH_TOKEN.findall(path)]


def get_path(data: Any, path: str) -> Any:
    for token in _tokens(path):
        data = data[token]
    return data


def set_path(data: Any, path: str, value: Any) -> None:
    *parents, last = _tokens(path)
    for token in parents:
        data = data[token]
    data[last] = value


def _field_name(path: str) -> str:
    return "n-" + path


def _confirm_name(path: str) -> str:
    return "c-" + path


def _word(value: str) -> str:
    """A choice in words: an organ or a group by its declared term, else LITERAL_WORDS."""
    if value in ORGAN_NAMES_PL:
        return say_value(Term("organ", value))
    if value in GROUP_NAMES_PL:
        return say_value(Term("group", value))
    return str(LITERAL_WORDS.get(value, value))


def _source_name(path: str) -> str:
    return "s-" + path


def _choices(values: tuple[Any, ...]) -> list[tuple[str, str]]:
    return [(v, _word(v)) for v in values]


def _make_field(leaf: Leaf, label: str, help_text: str) -> forms.Field:
    tp, required = leaf.tp, not leaf.optional
    common: dict[str, Any] = {"label": label, "help_text": help_text}
    if tp is bool:
        return forms.BooleanField(required=False, **common)
    if tp is int:
        return forms.IntegerField(required=required, min_value=0, **common)
    if tp is Fraction:
        return forms.RegexField(
            regex=_FRACTION,
            required=required,
            max_length=20,
            error_messages={"invalid": _('Enter a fraction such as "1/2" or a whole number.')},
            widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
            **common,
        )
    if get_origin(tp) is Literal:
        choices = _choices(get_args(tp))
        if leaf.optional:
            choices = [("", "—"), *choices]
        return forms.ChoiceField(choices=choices, required=required, **common)
    if get_origin(tp) is tuple:
        item = get_args(tp)[0]
        values = get_args(item) if get_origin(item) is Literal else tuple(GROUP_NAMES_PL)
        return forms.MultipleChoiceField(
            choices=_choices(values),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    return forms.CharField(required=required, max_length=200, **common)


def _initial(leaf: Leaf, value: Any) -> Any:
    if get_origin(leaf.tp) is tuple:
        return list(value or ())
    return "" if value is None else value


def _parsed(leaf: Leaf, value: Any) -> Any:
    if leaf.tp is Fraction:
        if value in (None, ""):
            return None
        text = re.sub(r"\s+", "", value)
        return text if "/" in text else f"{text}/1"
    if get_origin(leaf.tp) is tuple:
        return list(value)
    if value in (None, "") and leaf.tp is not bool:
        return None
    return value


class StatuteNumbersForm(forms.Form):
    """The numbers of one statute profile, built from a stored profile (``base``)."""

    def __init__(self, *args: Any, base: Mapping[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base = copy.deepcopy(dict(base))
        profile = profile_from_dict(self.base)
        rows = profile_rows(profile)
        marks = unconfirmed(profile)
        self.leaves = list(leaves(StatuteProfile, self.base))
        self.marks = marks
        sections: dict[str, list[str]] = {}
        paragraphs: list[str] = []
        self.source_paths = [leaf.path for leaf in self.leaves]
        for leaf in self.leaves:
            row = _row_for(rows, leaf.path)
            section = _section(rows, row, leaf.path)
            label = _label(row, leaf.path)
            name = _field_name(leaf.path)
            paragraph = source_of(profile, leaf.path)
            help_text = _("Source: %(paragraph)s") % {"paragraph": paragraph} if paragraph else ""
            self.fields[name] = _make_field(leaf, label, help_text)
            self.initial[name] = _initial(leaf, get_path(self.base, leaf.path))
            sections.setdefault(section, []).append(name)
            # the provision it comes from, its own or its rule's — editable for the cluster's own
            # statute; saved only where it differs from what the rule's paragraph already says
            source = _source_name(leaf.path)
            self.fields[source] = forms.CharField(
                label=_("Provision for: %(number)s") % {"number": label},
                required=False,
                max_length=120,
            )
            self.initial[source] = paragraph
            paragraphs.append(source)
        for mark in marks:
            row = _row_for(rows, mark.path)
            name = _confirm_name(mark.path)
            self.fields[name] = forms.BooleanField(
                required=False,
                label=_("Confirmed: %(number)s") % {"number": _label(row, mark.path)},
                help_text=SOURCE_WORDS.get(mark.source, ""),
            )
            sections.setdefault(_section(rows, row, mark.path), []).append(name)
        other = sections.pop(str(_OTHER), None)
        if other:
            sections[str(_OTHER)] = other
        sections[str(_PARAGRAPHS)] = paragraphs
        self.sections = sections

    def groups(self) -> list[dict[str, Any]]:
        """The fields by section of the statute, each a form-like dict for the form partial."""
        return [
            {
                "title": title,
                "visible_fields": [self[name] for name in names],
                "hidden_fields": [],
                "non_field_errors": [],
            }
            for title, names in self.sections.items()
        ]

    def profile_data(self) -> dict[str, Any]:
        """The stored dict with the typed numbers and without the marks confirmed."""
        data = copy.deepcopy(self.base)
        for leaf in self.leaves:
            set_path(data, leaf.path, _parsed(leaf, self.cleaned_data.get(_field_name(leaf.path))))
        data["sources"] = self._sources()
        for mark in self.marks:
            if self.cleaned_data.get(_confirm_name(mark.path)):
                owner_path, _sep, field = mark.path.rpartition(".")
                owner = get_path(data, owner_path) if owner_path else data
                owner["confirm"] = [c for c in owner.get("confirm", []) if c["field"] != field]
        return data

    def _sources(self) -> list[dict[str, str]]:
        """The provisions as typed, in the stored order (new ones after): a number's own where it
        differs from the one it would inherit from its rule (a rule's paragraph is stored once);
        the rules' own paragraphs kept as they were; a number's emptied field drops its own."""
        numbers = set(self.source_paths)
        base = list(self.base.get("sources", []))
        rule_level = {s["path"]: s["paragraph"] for s in base if s["path"] not in numbers}

        def typed(path: str) -> dict[str, str] | None:
            text = (self.cleaned_data.get(_source_name(path)) or "").strip()
            if not text or text == paragraph_for(rule_level, path, own=False):
                return None
            return {"path": path, "paragraph": text}

        out: list[dict[str, str]] = []
        for stored in base:
            entry = typed(stored["path"]) if stored["path"] in numbers else stored
            if entry is not None:
                out.append(entry)
        stored_paths = {s["path"] for s in base}
        out += [e for p in self.source_paths if p not in stored_paths and (e := typed(p))]
        return out


def _row_for(rows: Any, path: str) -> Any:
    """The row of the statute page that shows this number (or the rule holding it)."""
    best = None
    for row in rows:
        if path == row.path or path.startswith((row.path + ".", row.path + "[")):
            if best is None or len(row.path) > len(best.path):
                best = row
        elif row.path.startswith(path + ".") and best is None:
            best = row
    if best is None and "." in (parent := path.rpartition(".")[0]):
        # a number the page says in the words of its rule ("ga.quorum.basis" → "Kworum")
        best = next((r for r in rows if r.path.startswith(parent + ".")), None)
    return best


def _section(rows: Any, row: Any, path: str) -> str:
    if row is not None:
        return say(row.section)
    top = str(_tokens(path)[0])
    found = next((r for r in rows if str(_tokens(r.path)[0]) == top), None)
    return say(found.section) if found is not None else str(_OTHER)


def _label(row: Any, path: str) -> str:
    last = _tokens(path)[-1]
    word = str(WORDS.get(str(last), str(last).replace("_", " ")))
    if row is None:
        return word[:1].upper() + word[1:]
    if row.path == path or row.path.startswith(path + "."):
        return say(row.label)
    return f"{say(row.label)} — {word}"
