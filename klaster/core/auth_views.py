"""The API token endpoints: POST /api/token/ and POST /api/token/revoke/ (see klaster.core.auth)."""

from __future__ import annotations

import logging
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.core.auth import LockedOut, token_expired

log = logging.getLogger("klaster.auth")


class TokenObtainView(ObtainAuthToken):
    """POST /api/token/ (login and password): the caller's token, a new one if it had expired.

    Wrong credentials answer 400 with one message whether or not the user exists; once the
    account or the address is locked out, 429 (even with the right password)."""

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                raise LockedOut()
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        token, created = Token.objects.get_or_create(user=user)
        if not created and token_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key})


class TokenRevokeView(APIView):
    """POST /api/token/revoke/: deletes the caller's API token (204); the next request with it
    gets 401. Works signed in by the token itself or by the session."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        deleted, _by_model = Token.objects.filter(user=request.user).delete()
        log.info(
            "API token of user id %s revoked by its owner (%s deleted)", request.user.pk, deleted
        )
        return Response(status=204)
