"""The Django admin is an operator's tool, for superusers only (issue 7).

A cluster's office works in the product's own pages, where every query is scoped to its cluster
and every write goes through a service with its audit row. The admin used to be open to offices
too, and its forms listed every cluster and user: an office could give itself a role in any
cluster. Now a staff account that is not a superuser gets the admin's login refusal, and even a
superuser writes only through the services (``service_errors`` shows their refusals as form
errors); everything else in the admin is read-only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction


def is_operator(user: Any) -> bool:
    """Who may use the admin at all: an active superuser."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


class SuperuserAuthenticationForm(AdminAuthenticationForm):
    """The admin's login: a staff account that is not a superuser gets the same answer as a
    wrong password, so the form tells nobody which accounts exist or are staff."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not is_operator(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


def restrict_admin_to_superusers(site: admin.AdminSite) -> None:
    def has_permission(request) -> bool:
        return is_operator(request.user)

    site.has_permission = has_permission  # type: ignore[method-assign]
    site.login_form = SuperuserAuthenticationForm


# The old name, still called by klaster/urls.py: the admin is no longer the office's.
restrict_admin_to_office = restrict_admin_to_superusers


class _DryRun(Exception):
    """Raised to roll a service's trial run back."""


def service_errors(call: Callable[[], Any]) -> ValidationError | None:
    """Run a service in a savepoint that is always rolled back: its validation without its write.

    The admin validates a form before it saves it; running the service here lets a form show the
    service's refusal as form errors instead of a 500 from ``save_model``. Row locks the service
    takes stay held until the admin's own transaction ends, so the real call that follows sees
    the same rows."""
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        return None
    except ValidationError as exc:
        return exc


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError on a form: each message on its field when the form has that
    field, otherwise at the top of the form with the field's name."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        if field in form.fields:
            form.add_error(field, errors)
        elif field in (NON_FIELD_ERRORS, None):
            form.add_error(None, errors)
        else:
            form.add_error(None, [f"{field}: {message}" for message in errors])


class ServiceAdminForm(forms.ModelForm):
    """An admin form whose clean() tries the service as the superuser saving (``service_errors``)."""

    by: Any = None  # the superuser saving, set per request by SuperuserAdmin.get_form


class SuperuserAdmin(admin.ModelAdmin):
    """Superusers only, and read-only: a subclass opens add, change or delete only where its
    saves go through a service (``save_model``/``delete_model`` overridden)."""

    def has_module_permission(self, request):
        return is_operator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_operator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # History is never lost: deletions go through the services (MEM-6), not the admin.
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        # the form's clean() tries the service as this user (`service_errors`), so it knows who
        form = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(form, ServiceAdminForm):
            form.by = request.user
        return form
