"""A circuit breaker: stop calling a service that has just failed, then try it again once.

A dead Redis (or object store) then costs each process one short attempt every `cooldown`
seconds, not a connect timeout on every request. Shared by every caller of one service in
a process; the first failure and the recovery are logged, once each.
"""

import logging
import threading
import time

logger = logging.getLogger("juredian.services")


class CircuitBreaker:
    def __init__(self, name: str, cooldown: float = 5.0):
        self.name = name
        self.cooldown = cooldown
        self._open_until = 0.0  # monotonic time; 0 while the service answers
        self._lock = threading.Lock()

    @property
    def is_down(self) -> bool:
        return self._open_until != 0.0

    def allow(self) -> bool:
        """May a call go out now? While open, no; once the cooldown has passed, exactly one
        caller is let through to try (the others keep waiting for its outcome)."""
        if not self._open_until:
            return True
        with self._lock:
            now = time.monotonic()
            if now < self._open_until:
                return False
            self._open_until = now + self.cooldown  # this caller tries; the rest wait
            return True

    def failed(self, error: BaseException) -> None:
        with self._lock:
            if not self._open_until:
                logger.warning(
                    "%s is unreachable (%s); trying again every %.0f s",
                    self.name, error, self.cooldown,
                )  # fmt: skip
            self._open_until = time.monotonic() + self.cooldown

    def succeeded(self) -> None:
        if self._open_until:
            with self._lock:
                if self._open_until:
                    logger.warning("%s answers again", self.name)
                self._open_until = 0.0


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(name: str, cooldown: float = 5.0) -> CircuitBreaker:
    """The process's one breaker for a service (e.g. a Redis URL), made on first use."""
    with _breakers_lock:
        if name not in _breakers:
            _breakers[name] = CircuitBreaker(name, cooldown)
        return _breakers[name]
