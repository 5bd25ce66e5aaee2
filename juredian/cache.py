"""Cache backends: Django's Redis backend made to degrade instead of break, and a local
page store bounded by bytes.

**Redis** (`NewsroomRedisCache`). Two changes to Django's backend:
- One redis-py client per connection pool. Django's `RedisCacheClient.get_client` makes a
  new `redis.Redis` for every call, whose constructor fills a table of response callbacks:
  ~0.24 ms a call, about as much as the round trip itself, on every cached page.
- Every call goes through a circuit breaker (`juredian.breaker`), shared by all aliases of
  one Redis URL in a process: a dead Redis costs one short connect attempt every few
  seconds. With `OPTIONS["degrade"]` (the `default` and `pages` aliases) a call that cannot
  reach Redis answers as an empty cache would — pages are rendered, rate limits let people
  through — and callers never see the error. Without it (the `reads` alias: the read
  buffer must know when its reads did not arrive) the call raises `CacheUnavailable`.

Private names of Django's backend are used here, and only here, on purpose: Django offers
no public hook to choose the client (`_class`, `_client`, `_get_connection_pool`) or to
reach redis-py for a script (`_cache`). Subclassing keeps that knowledge in this file.

**Local pages** (`BoundedMemoryCache`). Without Redis, whole pages live in the process; a
flood of distinct addresses must not grow it without bound, so it keeps at most
`OPTIONS["max_bytes"]` of pickled values, dropping the least recently used.
"""

import pickle
import threading
import time
from collections import OrderedDict

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

from .breaker import breaker_for


class CacheUnavailable(ConnectionError):
    """Redis could not be reached (or its breaker is open): nothing was read or written."""


class PooledClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # id(pool) → client

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# KEYS: the keys to claim; ARGV: the seconds to keep them, then each key's token. A key is
# ours if it was free (SET NX) or already holds our token (an attempt whose reply was lost).
CLAIM_SCRIPT = """
local won = {}
for i, key in ipairs(KEYS) do
  local token = ARGV[i + 1]
  if redis.call('SET', key, token, 'NX', 'EX', ARGV[1]) or redis.call('GET', key) == token then
    won[i] = 1
  else
    won[i] = 0
  end
end
return won
"""

_MISSING = object()


def _guarded(name: str, when_down=None):
    """The backend's method `name`, through the breaker; `when_down(args, kwargs)` is what a
    degrading cache answers when Redis cannot be reached."""

    def method(self, *args, **kwargs):
        if self.breaker.allow():
            try:
                result = getattr(RedisCache, name)(self, *args, **kwargs)
            except redis.RedisError as error:
                self.breaker.failed(error)
            else:
                self.breaker.succeeded()
                return result
        if not self.degrade:
            raise CacheUnavailable(f"Redis ({self.breaker.name}) is unreachable")
        return when_down(args, kwargs) if when_down else None

    method.__name__ = name
    return method


def _no_counter(args, kwargs):
    raise ValueError("the cache is unreachable: no counter")  # what incr says of a lost key


class NewsroomRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.degrade = options.pop("degrade", False)
        cooldown = options.pop("breaker_seconds", 5.0)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = PooledClientRedisCacheClient
        # One breaker per Redis, whatever the alias, key prefix or database number.
        self.breaker = breaker_for("Redis " + self._servers[0].split("@")[-1], cooldown)

    get = _guarded("get", lambda args, kwargs: args[1] if len(args) > 1 else kwargs.get("default"))
    get_many = _guarded("get_many", lambda args, kwargs: {})
    add = _guarded("add", lambda args, kwargs: False)
    set = _guarded("set")
    set_many = _guarded("set_many", lambda args, kwargs: list(args[0] if args else kwargs["data"]))
    touch = _guarded("touch", lambda args, kwargs: False)
    delete = _guarded("delete", lambda args, kwargs: False)
    delete_many = _guarded("delete_many")
    has_key = _guarded("has_key", lambda args, kwargs: False)
    incr = _guarded("incr", _no_counter)
    clear = _guarded("clear")

    def claim_many(self, claims: list[tuple[str, str]], *, timeout: int) -> list[bool]:
        """`add` for many (key, token) pairs in one round trip: True for each key that now
        holds its token (free before, or set by an earlier attempt whose reply was lost).
        Keys get the configured prefix and version, as `add` would give them; writes go to
        the first (leader) server, as `add`'s do. Raises `CacheUnavailable`, degrading or
        not: a claim that did not happen must not count as lost."""
        if not self.breaker.allow():
            raise CacheUnavailable(f"Redis ({self.breaker.name}) is unreachable")
        try:
            client = self._cache.get_client(write=True)
            won = client.register_script(CLAIM_SCRIPT)(
                keys=[self.make_and_validate_key(key) for key, _ in claims],
                args=[timeout, *(token for _, token in claims)],
            )
        except redis.RedisError as error:
            self.breaker.failed(error)
            raise CacheUnavailable(str(error)) from error
        self.breaker.succeeded()
        return [bool(flag) for flag in won]

    def ping(self) -> bool:
        """Whether Redis answers now (for /healthz): one attempt, through the breaker."""
        if not self.breaker.allow():
            return False
        try:
            self._cache.get_client().ping()
        except redis.RedisError as error:
            self.breaker.failed(error)
            return False
        self.breaker.succeeded()
        return True


class _Store:
    """The entries of one location, shared by every thread (Django makes a backend instance
    per thread, as LocMemCache does; its storage is module-level for the same reason)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.entries: OrderedDict[str, tuple[float | None, bytes]] = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()

    def get(self, key: str):
        found = self.entries.get(key)
        if found is None:
            return _MISSING
        expiry, data = found
        if expiry is not None and expiry <= time.monotonic():
            self.remove(key)
            return _MISSING
        self.entries.move_to_end(key)
        return pickle.loads(data)

    def put(self, key: str, value, expiry: float | None) -> None:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        self.remove(key)
        if cost(key, data) > self.max_bytes:
            return
        self.entries[key] = (expiry, data)
        self.bytes += cost(key, data)
        while self.bytes > self.max_bytes:
            self.remove(next(iter(self.entries)))

    def remove(self, key: str) -> bool:
        found = self.entries.pop(key, None)
        if found is not None:
            self.bytes -= cost(key, found[1])
        return found is not None


ENTRY_OVERHEAD = 200  # bytes a small entry costs beyond its key and value (dict slot, tuple)


def cost(key: str, data: bytes) -> int:
    """What an entry really takes in memory, roughly: a flood of tiny entries (markers of
    pages asked for once) must count for what they weigh, not for their few bytes."""
    return len(key) + len(data) + ENTRY_OVERHEAD


_stores: dict[str, _Store] = {}
_stores_lock = threading.Lock()


class BoundedMemoryCache(BaseCache):
    """A process-local cache of at most `OPTIONS["max_bytes"]` of pickled values, the least
    recently used dropped first. For whole pages without Redis."""

    def __init__(self, location, params):
        options = dict(params.get("OPTIONS", {}))
        max_bytes = int(options.pop("max_bytes", 64 * 1024 * 1024))
        super().__init__({**params, "OPTIONS": options})
        with _stores_lock:
            self._store = _stores.setdefault(location, _Store(max_bytes))
        self._store.max_bytes = max_bytes

    def _expiry(self, timeout) -> float | None:
        timeout = self.get_backend_timeout(timeout)
        return None if timeout is None else time.monotonic() + timeout

    @property
    def bytes_held(self) -> int:
        return self._store.bytes

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._store.lock:
            value = self._store.get(key)
        return default if value is _MISSING else value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._store.lock:
            self._store.put(key, value, self._expiry(timeout))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._store.lock:
            if self._store.get(key) is not _MISSING:
                return False
            self._store.put(key, value, self._expiry(timeout))
            return True

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._store.lock:
            value = self._store.get(key)
            if value is _MISSING:
                raise ValueError(f"Key '{key}' not found")
            self._store.put(key, value + delta, self._store.entries[key][0])
            return value + delta

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._store.lock:
            if self._store.get(key) is _MISSING:
                return False
            self._store.entries[key] = (self._expiry(timeout), self._store.entries[key][1])
            return True

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._store.lock:
            return self._store.remove(key)

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._store.lock:
            return self._store.get(key) is not _MISSING

    def clear(self):
        with self._store.lock:
            self._store.entries.clear()
            self._store.bytes = 0
