from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.core.concurrency import StaleEdit, edit_version
from klaster.members import normalise, services
from klaster.members.access import access_member, access_registry
from klaster.members.forms import MemberFilterForm, MembershipEventForm
from klaster.members.models import Member, MembershipEvent
from klaster.members.selectors import member_list


def _typed(label: str) -> serializers.CharField:
    """An identifier as a client may send it ("PL 526-025-02-74"); ``validate_<field>`` compacts it."""
    return serializers.CharField(
        label=label,
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=normalise.TYPED_MAX_LENGTH,
    )


class MemberSerializer(serializers.ModelSerializer):
    # MEM-4 / MEM-9: the same normaliser as the member form and the imports (klaster.members.normalise)
    nip = _typed("NIP")
    regon = _typed("REGON")
    krs = _typed("KRS")
    postal_code = _typed("postal code")

    class Meta:
        model = Member
        fields = [
            "id",
            "key",
            "name",
            "type",
            "category",
            "honorary",
            "nip",
            "regon",
            "krs",
            "website",
            "street",
            "postal_code",
            "city",
            "lat",
            "lon",
            "distance_km",
            "distance_override_km",
            "independent",
            "science_category",
            "industry40",
            "status",
            "joined",
            "left",
        ]
        # MEM-5: category and honorary title change only by a membership event naming the resolution.
        read_only_fields = [
            "id",
            "key",
            "status",
            "joined",
            "left",
            "distance_km",
            "honorary",
            "category",
        ]

    def _identifier(self, kind: str, value: str | None) -> str:
        try:
            return normalise.clean(kind, value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages[0], code=exc.code) from exc

    def validate_nip(self, value: str | None) -> str:
        return self._identifier("nip", value)

    def validate_regon(self, value: str | None) -> str:
        return self._identifier("regon", value)

    def validate_krs(self, value: str | None) -> str:
        return self._identifier("krs", value)

    def validate_postal_code(self, value: str | None) -> str:
        return self._identifier("postal_code", value)


class MemberPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class MemberViewSet(viewsets.ViewSet):
    """Members of one cluster: the office and organ members list them; a representative reads its own."""

    serializer_class = MemberSerializer

    def list(self, request, cluster_slug=None):
        cluster, _ = access_registry(request.user, cluster_slug)
        form = MemberFilterForm(request.query_params)
        filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
        paginator = MemberPagination()
        page = paginator.paginate_queryset(member_list(cluster, **filters), request, view=self)
        return paginator.get_paginated_response(MemberSerializer(page, many=True).data)

    def retrieve(self, request, cluster_slug=None, pk=None):
        _, _, member = access_member(request.user, cluster_slug, int(pk))
        return _with_etag(Response(MemberSerializer(member).data), member)

    def partial_update(self, request, cluster_slug=None, pk=None):
        """A change needs ``If-Match`` with the ETag of the member as read (issue 7 point 4): a
        write from a stale read is refused (412) with who changed what meanwhile."""
        _, grants, member = access_member(request.user, cluster_slug, int(pk), for_write=True)
        if not grants.office:
            raise PermissionDenied("Tylko biuro klastra zmienia dane rejestrowe członka.")
        expected = request.headers.get("If-Match", "").strip()
        if not expected:
            return Response(
                {
                    "detail": gettext(
                        "Send the If-Match header with the ETag of the member as you read it "
                        "(GET); the change was not saved."
                    )
                },
                status=status.HTTP_428_PRECONDITION_REQUIRED,
            )
        serializer = MemberSerializer(member, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if {"lat", "lon"} & data.keys():
            data["location_given"] = data.get("lat", member.lat) is not None
        try:
            member = services.member_update(
                member=member, user=request.user, data=data, expected_version=expected
            )
        except StaleEdit as exc:
            response = Response(
                {
                    "detail": exc.messages[0],
                    "changes": [
                        {"by": c.who, "at": c.at, "fields": list(c.fields)} for c in exc.changes
                    ],
                },
                status=status.HTTP_412_PRECONDITION_FAILED,
            )
            response["ETag"] = f'"{exc.current_version}"'
            return response
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict) from exc
        return _with_etag(Response(MemberSerializer(member).data), member)


def _with_etag(response: Response, member: Member) -> Response:
    response["ETag"] = f'"{edit_version(member, services.MEMBER_FIELDS)}"'
    return response


class MembershipEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = MembershipEvent
        fields = ["id", "kind", "date", "category", "document", "note"]
        read_only_fields = ["id"]


class MembershipEventListView(APIView):
    """MEM-5 / MEM-6: a member's membership events. GET: whoever reads the member. POST: the
    office records one (join, category change, suspension, leaving …), as on the member page:
    the page's form parses it, `services.member_event_add` decides."""

    serializer_class = MembershipEventSerializer

    @extend_schema(responses=MembershipEventSerializer(many=True))
    def get(self, request, cluster_slug, pk):
        _, _, member = access_member(request.user, cluster_slug, int(pk))
        events = member.events.order_by("date", "id")
        return Response(MembershipEventSerializer(events, many=True).data)

    @extend_schema(request=MembershipEventSerializer, responses={201: MembershipEventSerializer})
    def post(self, request, cluster_slug, pk):
        _, grants, member = access_member(request.user, cluster_slug, int(pk), for_write=True)
        if not grants.office:
            raise PermissionDenied("Tylko biuro klastra zmienia dane rejestrowe członka.")
        form = MembershipEventForm(request.data if isinstance(request.data, Mapping) else {})
        if not form.is_valid():
            raise ApiValidationError(
                {
                    (k if k != "__all__" else "non_field_errors"): [str(e) for e in v]
                    for k, v in form.errors.items()
                }
            )
        try:
            event = services.member_event_add(member=member, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict) from exc
        return Response(MembershipEventSerializer(event).data, status=status.HTTP_201_CREATED)
