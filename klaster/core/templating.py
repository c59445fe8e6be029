"""The product's template backend: Django's own, noting the forms a page shows with errors.

A page's POST that refuses the input shows its form again with the errors on the fields. When a
page runs for an API call (klaster/api_pages.py), the request carries a list
(``request.forms_shown_with_errors``) and every template rendered for it adds to that list the
bound forms with errors found in its context: the API answers 400 with those errors by field,
the same messages the page shows. A page rendered for a browser carries no list: nothing is
looked at, nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet
from django.template.backends.django import DjangoTemplates, Template

NOTED = "forms_shown_with_errors"


def _with_errors(value: Any) -> Iterator[forms.BaseForm | BaseFormSet]:
    if isinstance(value, forms.BaseForm):
        if value.is_bound and value.errors:
            yield value
    elif isinstance(value, BaseFormSet):
        if value.is_bound and not value.is_valid():
            yield value


def forms_with_errors(context: Mapping[str, Any]) -> Iterator[forms.BaseForm | BaseFormSet]:
    """The bound forms (and formsets) with errors in a template's context: its values, and the
    values of its lists, tuples and dicts one level down (a page with a form per row)."""
    for value in context.values():
        if isinstance(value, list | tuple):
            for item in value:
                yield from _with_errors(item)
        elif isinstance(value, dict):
            for item in value.values():
                yield from _with_errors(item)
        else:
            yield from _with_errors(value)


class NotingTemplate(Template):
    def render(self, context: Any = None, request: Any = None) -> Any:
        noted = getattr(request, NOTED, None)
        if noted is not None and isinstance(context, Mapping):
            for form in forms_with_errors(context):
                if not any(form is seen for seen in noted):
                    noted.append(form)
        return super().render(context, request)


class Backend(DjangoTemplates):
    """settings.TEMPLATES' backend: Django's, its templates noting forms shown with errors."""

    def from_string(self, template_code: str) -> NotingTemplate:
        return NotingTemplate(super().from_string(template_code).template, self)

    def get_template(self, template_name: str) -> NotingTemplate:
        return NotingTemplate(super().get_template(template_name).template, self)
