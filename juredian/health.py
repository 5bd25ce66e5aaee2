"""What /healthz reports: each part this node depends on, checked now, briefly.

`status` is "ok" when every part answers, "degraded" when the node still serves readers
without some part (the cache: pages are rendered without it), "error" without its database.
"""

from django.core.cache import caches
from django.db import connections

UP, DOWN = "ok", "down"


def database(alias: str) -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure to answer means down, whatever the driver raised
        return DOWN
    return UP


def cache() -> str:
    backend = caches["default"]
    if not hasattr(backend, "ping"):
        return "local"  # in this process's memory: up while the process is
    return UP if backend.ping() else DOWN


def report() -> dict:
    parts = {alias: database(alias) for alias in connections}
    parts = {"database" if alias == "default" else alias: state for alias, state in parts.items()}
    parts["cache"] = cache()
    if parts["database"] == DOWN:
        status = "error"
    elif DOWN in parts.values():
        status = "degraded"
    else:
        status = "ok"
    return {"status": status, **parts}
