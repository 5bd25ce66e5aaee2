"""Reading from a PostgreSQL replica, when `DATABASE_REPLICA_URL` names one.

Only anonymous readers' GET requests read from the replica: they tolerate the replica's
few milliseconds of lag, and they are nearly all the traffic. Editors (any request with a
session cookie), every POST, background threads and management commands use the primary,
so nobody ever misses what they have just written.
"""

from contextvars import ContextVar

from django.conf import settings

_reader_request: ContextVar[bool] = ContextVar("reader_request", default=False)


class ReplicaMiddleware:
    """Marks anonymous GET/HEAD requests as free to read from the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reader_request.set(
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        try:
            return self.get_response(request)
        finally:
            _reader_request.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica" if _reader_request.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
