"""Governance API: the live state of a meeting and casting ballots (token or session auth)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.governance import services
from klaster.governance.access import access_ballot, access_meeting
from klaster.governance.live import live_state


class MeetingLiveView(APIView):
    """The chair's live state: attendance, quorum now, the running tally."""

    def get(self, request, cluster_slug, meeting_id):
        _, _, meeting = access_meeting(request.user, cluster_slug, meeting_id, for_write=True)
        return Response(live_state(meeting))


class BallotCastView(APIView):
    """POST {"choices": {"<member id>": "for" | "against" | "abstain"}}: a representative casts its
    member's ballot, a proxy holder the ballots of the members whose proxies it holds."""

    def post(self, request, cluster_slug, vote_id):
        # The light path a thousand voters take: the vote and the user's grants (`access_ballot`),
        # then `ballot_cast` reads the choices and decides for which members this user may cast.
        _, _, vote = access_ballot(request.user, cluster_slug, vote_id)
        data = request.data
        try:
            ballots = services.ballot_cast(
                vote=vote,
                user=request.user,
                choices=data.get("choices") if isinstance(data, Mapping) else data,
            )
        except ValidationError as exc:
            raise ApiValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            ) from exc
        return Response(
            {"cast": [{"member": b.member_id, "choice": b.choice, "via": b.via} for b in ballots]},
            status=status.HTTP_201_CREATED,
        )
