"""Klaster's URLs plus a trivial authenticated POST (DRF's default authentication and permission,
the JSON body read, 201): what a ballot's queries are measured against (issue 8 point 5)."""

from django.urls import path
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.urls import urlpatterns as klaster_urlpatterns


class TrivialPost(APIView):
    def post(self, request):
        return Response({"ok": bool(request.data)}, status=status.HTTP_201_CREATED)


urlpatterns = [path("trivial/", TrivialPost.as_view(), name="trivial_post"), *klaster_urlpatterns]
