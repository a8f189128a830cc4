"""The "floor" of the exam-day benchmark: the cheapest useful Django write, served next to the real product.

`PUT /bench/floor/` reads a small JSON body and inserts it as one row with one raw SQL statement, through the same
server, middleware and database as the answer saves; nothing else (no auth lookup, no ORM, no validation).
Only the benchmark's server loads this URL map (benchmarks/_floor_settings.py); the product's URLs never include it.
"""
import json

from django.db import connection
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

TABLE = "bench_floor"
CREATE_TABLE = (f"CREATE TABLE IF NOT EXISTS {TABLE} "
                "(id bigserial PRIMARY KEY, body jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())")


@csrf_exempt
@require_http_methods(["PUT"])
def floor(request):
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"detail": "invalid JSON"}, status=400)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (body) VALUES (%s) RETURNING id, at", [json.dumps(body)])
        row_id, at = cursor.fetchone()
    return JsonResponse({"id": row_id, "at": at.isoformat()})


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("kynangso.urls")),
]
