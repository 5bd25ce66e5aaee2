"""Django's Redis cache backend, with one redis-py client per connection pool and an atomic
`claim_many`.

Django's `RedisCacheClient.get_client` makes a new `redis.Redis` for every cache call, and
that constructor fills a table of response callbacks: measured here at ~0.24 ms a call,
about as much as the round trip itself, on every cached page. A client is a thin,
thread-safe front for its pool, so one per pool serves every call — the same pools,
connections and options as Django's own.

Private names of Django's backend are used here, and only here, on purpose: Django offers no
public hook to choose the client (`_class`, `_client`, `_get_connection_pool`) or to reach
redis-py for a script (`_cache`). Subclassing the backend keeps that knowledge in one file
that the Django upgrade checklist names.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


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


class NewsroomRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PooledClientRedisCacheClient

    def claim_many(self, claims: list[tuple[str, str]], *, timeout: int) -> list[bool]:
        """`add` for many (key, token) pairs in one round trip: True for each key that now
        holds its token (free before, or set by an earlier attempt whose reply was lost).
        Keys get the configured prefix and version, as `add` would give them; writes go to
        the first (leader) server, as `add`'s do."""
        client = self._cache.get_client(write=True)
        script = client.register_script(CLAIM_SCRIPT)
        won = script(
            keys=[self.make_and_validate_key(key) for key, _ in claims],
            args=[timeout, *(token for _, token in claims)],
        )
        return [bool(flag) for flag in won]
