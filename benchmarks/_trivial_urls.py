"""Klaster's URLs plus `POST /bench/trivial/`: authenticated as every API call is (DRF's default
authentication and permission: the token, then IsAuthenticated), reads the JSON body and answers
201 — no other work. See _trivial_settings.py."""

from django.db import connection
from django.urls import path
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from klaster.urls import urlpatterns as klaster_urlpatterns


class TrivialPost(APIView):
    def post(self, request):
        return Response({"ok": bool(request.data)}, status=status.HTTP_201_CREATED)


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Queries"] = str(count[0])
        return response


urlpatterns = [
    path("bench/trivial/", TrivialPost.as_view(), name="bench_trivial"),
    *klaster_urlpatterns,
]
