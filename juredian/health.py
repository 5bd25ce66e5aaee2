"""What /healthz reports: each part this node depends on, checked now, briefly.

`status` is "ok" when every part answers, "degraded" when the node still serves readers
without some part (the cache: pages are rendered without it; the replica: readers go to the
primary; the primary, while a replica answers: readers read the replica, forms answer 503;
the object store: pages serve, uploads are refused), "error" (503) when no database answers —
the edge's health probe then takes the node out of rotation.
"""

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.models import Count, Min
from django.utils import timezone

from articles.outage import storage_answers

from .background import tasks_in_database

UP, DOWN = "ok", "down"
LAG_SQL = """
    SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
           ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END
"""


def database(alias: str) -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure to answer means down, whatever the driver raised
        return DOWN
    return UP


def replica_lag_seconds() -> float | None:
    """How far the replica's replay is behind the primary's last commit; 0 when it has
    replayed everything it received."""
    try:
        with connections["replica"].cursor() as cursor:
            cursor.execute(LAG_SQL)
            return round(float(cursor.fetchone()[0]), 3)
    except Exception:
        return None


def cache() -> str:
    backend = caches["default"]
    if not hasattr(backend, "ping"):
        return "local"  # in this process's memory: up while the process is
    return UP if backend.ping() else DOWN


def storage() -> str:
    """The object store answers for both buckets ("local": this server's disk)."""
    if not settings.S3_ENDPOINT_URL:
        return "local"
    return UP if storage_answers("default") and storage_answers("private") else DOWN


def task_queue() -> dict | None:
    """Tasks waiting for the worker and the oldest one's age (None: tasks run in-process)."""
    if not tasks_in_database():
        return None
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.using("default").filter(status="READY")
    figures = waiting.aggregate(depth=Count("id"), oldest=Min("enqueued_at"))
    oldest = figures["oldest"]
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {"depth": figures["depth"], "oldest_seconds": round(age, 1)}


def report() -> dict:
    parts: dict = {"database": database("default")}
    degraded = False
    if "replica" in connections:
        parts["replica"] = database("replica")
        parts["replica_lag_seconds"] = replica_lag_seconds()
        degraded |= parts["replica"] == DOWN
    parts["cache"] = cache()
    parts["storage"] = storage()
    degraded |= DOWN in (parts["cache"], parts["storage"])
    if parts["database"] == UP and (queue := task_queue()) is not None:
        parts["tasks"] = queue
    # Without its primary a node still serves readers from the replica (forms answer 503
    # and keep what was typed): it stays in the edge's rotation while a replica answers.
    if parts["database"] == DOWN and parts.get("replica", DOWN) == DOWN:
        status = "error"
    elif degraded or parts["database"] == DOWN:
        status = "degraded"
    else:
        status = "ok"
    return {"status": status, **parts}
