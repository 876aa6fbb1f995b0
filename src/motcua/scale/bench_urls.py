"""The floor endpoints of the HTTP benchmark, mounted only by scale.bench_settings: the least a Django endpoint
can do for the same job (one INSERT and commit; one SELECT by the unique dossier code), so each measured figure
stands next to what the web tier itself costs on this machine."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from motcua.dossiers.models import Dossier
from motcua.urls import urlpatterns as app_urlpatterns

FLOOR_TABLE = "scale_bench_floor"


def create_floor_table() -> None:
    serial = "BIGSERIAL" if connection.vendor == "postgresql" else "INTEGER"
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} (id {serial} PRIMARY KEY, code VARCHAR(64), "
                    f"at TIMESTAMP WITH TIME ZONE)")


@csrf_exempt
def floor_insert(request):
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {FLOOR_TABLE} (code, at) VALUES (%s, %s)", ["floor", timezone.now()])
    return HttpResponse(status=201)


def floor_select(request):
    with connection.cursor() as cur:
        cur.execute(f"SELECT code, status, due_at FROM {Dossier._meta.db_table} WHERE code = %s",
                    [request.GET.get("code", "")])
        row = cur.fetchone()
    return JsonResponse({"code": row[0], "status": row[1], "due_at": row[2]} if row else {}, status=200 if row else 404)


urlpatterns = [path("_bench/insert", floor_insert), path("_bench/select", floor_select), *app_urlpatterns]
