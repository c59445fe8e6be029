"""Governance API: the live state of a meeting and casting ballots (token or session auth)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.core.access import access_cluster
from klaster.governance import services
from klaster.governance.access import access_meeting, holds_proxy, takes_part
from klaster.governance.live import live_state
from klaster.governance.models import Ballot, Vote


class MeetingLiveView(APIView):
    """The chair's live state: attendance, quorum now, the running tally."""

    def get(self, request, cluster_slug, meeting_id):
        _, _, meeting = access_meeting(request.user, cluster_slug, meeting_id, for_write=True)
        return Response(live_state(meeting))


class BallotSerializer(serializers.Serializer):
    choices = serializers.DictField(child=serializers.ChoiceField(choices=Ballot.Choice.values), allow_empty=False)


class BallotCastView(APIView):
    """POST {"choices": {"<member id>": "for" | "against" | "abstain"}}: a representative casts its
    member's ballot, a proxy holder the ballots of the members whose proxies it holds."""

    def post(self, request, cluster_slug, vote_id):
        # The light path a thousand voters take: the cluster and the vote, then `ballot_cast` decides
        # for which members this user may cast (its own present members, proxies it holds).
        cluster, grants = access_cluster(request.user, cluster_slug)
        try:
            vote = Vote.objects.select_related("meeting__cluster", "meeting__organ").defer("snapshot").get(
                meeting__cluster=cluster, pk=vote_id)
        except Vote.DoesNotExist:
            raise Http404 from None
        # as the member's voting page: a member of the meeting's organ, or a proxy holder for it
        if not (takes_part(vote.meeting, grants) or holds_proxy(vote.meeting, request.user)):
            raise PermissionDenied
        serializer = BallotSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            choices = {int(k): v for k, v in serializer.validated_data["choices"].items()}
        except ValueError:
            raise ApiValidationError({"choices": ["Klucze to identyfikatory członków."]}) from None
        try:
            ballots = services.ballot_cast(vote=vote, user=request.user, choices=choices)
        except ValidationError as exc:
            raise ApiValidationError({"detail": exc.messages}) from exc
        return Response({"cast": [{"member": b.member_id, "choice": b.choice, "via": b.via} for b in ballots]},
                        status=status.HTTP_201_CREATED)
