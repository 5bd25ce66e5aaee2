"""The Redis cache backend: Django's, reusing one client per connection pool."""

from django.core.cache import caches


def test_the_site_cache_works_and_reuses_its_redis_client(cache_backend):
    cache = caches["default"]
    cache.set("a", {"热传": 1}, 30)
    assert cache.get_many(["a", "b"]) == {"a": {"热传": 1}}
    assert cache.add("n", 0) and not cache.add("n", 5)
    assert cache.incr("n") == 1
    cache.delete_many(["a", "n"])
    assert cache.get("a") is None
    if cache_backend == "redis":
        client = cache._cache.get_client(write=True)
        assert client is cache._cache.get_client(write=True), "no new client per call"
        assert client is cache._cache.get_client(), "one server: reads share it"
