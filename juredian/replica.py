"""Reading from a PostgreSQL replica, when `DATABASE_REPLICA_URL` names one.

Only anonymous readers' GET requests read from the replica: they tolerate the replica's
few milliseconds of lag, and they are nearly all the traffic. Editors (any request with a
session cookie), every POST, background threads and management commands use the primary,
and so does whoever has just posted a form (a cookie for `WROTE_SECONDS` after any POST),
so nobody ever misses what they have just written.

A replica that stops answering costs no reader a failed page: the request that met the
failure is answered again from the primary, and for the next `RETRY_SECONDS` this process
sends its readers to the primary before trying the replica again.
"""

import logging
import sys
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)
RETRY_SECONDS = 1.0
WROTE_COOKIE = "wrote"  # the edge passes requests carrying it (deploy/varnish/juredian.vcl)
WROTE_SECONDS = 10  # well above the replica's lag, even a lagging one
_reader_request: ContextVar[bool] = ContextVar("reader_request", default=False)
_replica_failed: ContextVar[list | None] = ContextVar("replica_failed", default=None)
_down_until = 0.0  # this process leaves the replica alone until then (time.monotonic())


class ReplicaMiddleware:
    """Marks anonymous GET/HEAD requests as free to read from the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reading = (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and WROTE_COOKIE not in request.COOKIES
            and time.monotonic() >= _down_until
        )
        failed: list = []
        response = self._respond(request, reading, failed)
        if failed:  # the replica failed this request: the primary answers it
            logger.warning("replica unreachable: %s answered from the primary", request.path)
            _replica_down()
            response = self._respond(request, False, [])
        if request.method not in ("GET", "HEAD", "OPTIONS") and settings.DATABASE_REPLICA_URL:
            response.set_cookie(WROTE_COOKIE, "1", max_age=WROTE_SECONDS, httponly=True,
                                samesite="Lax", secure=request.is_secure())  # fmt: skip
        return response

    def _respond(self, request, reading: bool, failed: list):
        watched = failed if reading and settings.DATABASE_REPLICA_URL else None
        tokens = _reader_request.set(reading), _replica_failed.set(watched)
        try:
            return self.get_response(request)
        finally:
            _reader_request.reset(tokens[0])
            _replica_failed.reset(tokens[1])


def _replica_down() -> None:
    global _down_until
    _down_until = time.monotonic() + RETRY_SECONDS
    connections["replica"].close_if_unusable_or_obsolete()


def _note_replica_failure(sender, request=None, **kwargs):
    """An unhandled error on a replica-reading request: if the database could not be
    reached, the middleware answers the request again from the primary."""
    failed = _replica_failed.get()
    if failed is not None and isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        failed.append(True)


got_request_exception.connect(_note_replica_failure)


def answered_again_from_the_primary() -> bool:
    """Whether the current request met an unreachable replica (and so is answered again):
    its error is not the reader's, and is logged as one line, not a traceback."""
    return bool(_replica_failed.get())


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica" if _reader_request.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
