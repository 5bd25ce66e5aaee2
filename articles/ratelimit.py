"""Hourly allowances per visitor address, counted atomically in the shared cache.

Increment first, then decide: simultaneous requests each get their own number from the
cache's atomic increment, so 50 notices sent at once from one address cannot get past an
allowance of 5. A request that took a place and was then not accepted (a form with errors)
gives it back, so that mistakes do not use up a person's allowance.
"""

import contextlib
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

from .clients import client_address

WINDOW_SECONDS = 3600


class HourlyLimit:
    """At most `limit` requests of one kind (`scope`) per address and fixed hour. `limit` may
    be a callable, read at each use, so that settings changed at run time apply."""

    def __init__(self, scope: str, limit: int | Callable[[], int]):
        self.scope = scope
        self._limit = limit

    @property
    def limit(self) -> int:
        return self._limit() if callable(self._limit) else self._limit

    def key(self, request) -> str:
        """The address is hashed with the secret key: no raw IP is kept in the cache."""
        digest = hashlib.sha256(f"{settings.SECRET_KEY}|{client_address(request)}".encode())
        return f"rate:{self.scope}:{digest.hexdigest()[:24]}"

    def take(self, request) -> bool:
        """Count this request; True while the address is within its allowance. When the
        cache cannot count (it is down), True: better to let people through for a while
        than to refuse everyone."""
        key = self.key(request)
        for _ in range(2):  # a second time if the window ended between add and incr
            cache.add(key, 0, timeout=WINDOW_SECONDS)
            try:
                return cache.incr(key) <= self.limit
            except ValueError:
                continue
        return True

    def give_back(self, request) -> None:
        """Undo `take` for a request that was not accepted after all."""
        with contextlib.suppress(ValueError):  # the window ended meanwhile: nothing to give
            cache.decr(self.key(request))
