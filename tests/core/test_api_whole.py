"""Issue 9 point 6: the API whole -- the OpenAPI schema builds without a warning or an error, and
every API route is in the access matrix with every method it answers."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from tests.core.test_access_matrix import MATRIX, WRITES


def _schema_problems(patterns=None) -> tuple[dict, dict[str, int], dict[str, int]]:
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    warnings, errors = dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    return schema, warnings, errors


def test_openapi_schema_has_no_warnings_or_errors():
    """`manage.py spectacular --validate --fail-on-warn`, in-process."""
    schema, warnings, errors = _schema_problems()
    assert not warnings, list(warnings)
    assert not errors, list(errors)
    validate_schema(schema)  # raises on an invalid OpenAPI document
    paths = schema["paths"]
    assert "/api/clusters/{cluster_slug}/meetings/" in paths
    assert "post" in paths["/api/clusters/{cluster_slug}/meetings/{meeting_id}/actions/"]


class _Undocumented(APIView):
    def get(self, request):
        return Response({})


def test_the_schema_check_sees_an_undocumented_view():
    """The check above can fail: a view whose serializer spectacular cannot guess is reported."""
    _, warnings, errors = _schema_problems([path("api/undocumented/", _Undocumented.as_view())])
    assert warnings or errors


def _api_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            yield from _api_routes(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and (prefix + str(p.pattern)).startswith("api/"):
            yield p


def _methods(pattern: URLPattern) -> set[str]:
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions:  # a ViewSet bound to {method: action}
        return set(actions) - {"head", "options"}
    view = callback.view_class
    return {m for m in view.http_method_names if hasattr(view, m)} - {"head", "options"}


def test_every_api_route_and_method_has_a_matrix_row():
    """Every method of every /api/ route is tried by every persona: the GET (or the one write) in
    MATRIX, any further write in WRITES (tests/core/test_access_matrix.py)."""
    missing = []
    routes = list(_api_routes())
    assert len(routes) > 10
    for pattern in routes:
        covered = {
            row[0]
            for key, row in (*MATRIX.items(), *WRITES.items())
            if key.partition("@")[0] == pattern.name
        }
        for method in sorted(_methods(pattern) - covered):
            missing.append(f"{pattern.name} {method.upper()}")
    assert not missing, f"API routes × methods with no row in the access matrix: {missing}"


def test_the_route_check_can_fail():
    pattern = path("api/x/", _Undocumented.as_view(), name="api_not_in_the_matrix")
    assert _methods(pattern) == {"get"}
    assert (pattern.name in MATRIX) is False
