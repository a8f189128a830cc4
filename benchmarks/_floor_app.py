"""The "floor" of the exam-day benchmark: the cheapest useful Django write, served next to the real product.

`PUT /bench/floor/` authenticates the caller exactly as the REST API does (the `Authorization: Bearer …` token, checked
by `accounts.api.user_for_api_token`: one query for the token and its user), reads a small JSON body and inserts it as
one row with one raw SQL statement, through the same server, middleware and database as the answer saves; nothing
else (no django-ninja routing or schema validation, no ORM, no checks of the body).
Only the benchmark's server loads this URL map (benchmarks/_floor_settings.py); the product's URLs never include it.
"""

import json

from django.db import connection
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kynangso.accounts import api as accounts

TABLE = "bench_floor"
CREATE_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} "
    "(id bigserial PRIMARY KEY, body jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())"
)


@csrf_exempt
@require_http_methods(["PUT"])
def floor(request):
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    user = accounts.user_for_api_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        return JsonResponse({"detail": "unauthenticated"}, status=401)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"detail": "invalid JSON"}, status=400)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (body) VALUES (%s) RETURNING id, at", [json.dumps({**body, "user": user.pk})]
        )
        row_id, at = cursor.fetchone()
    return JsonResponse({"id": row_id, "at": at.isoformat()})


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("kynangso.urls")),
]
