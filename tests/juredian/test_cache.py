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


def test_a_hung_redis_costs_one_connection_per_cooldown_not_one_per_call():
    """The circuit breaker: Redis accepting connections but never answering (the worst case:
    every call would wait out its timeout) is tried once, then left alone until the cooldown
    has passed; meanwhile the site's cache answers as an empty one."""
    import socket
    import threading
    import time

    from juredian.cache import NewsroomRedisCache

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    accepted = []

    def accept():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            accepted.append(connection)  # held open, never answered

    threading.Thread(target=accept, daemon=True).start()
    options = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "degrade": True,
               "breaker_seconds": 1.0}  # fmt: skip
    cache = NewsroomRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": options})
    try:
        answers = [cache.get("热传", "空") for _ in range(200)]
        assert answers == ["空"] * 200 and cache.breaker.is_down
        tried = len(accepted)
        assert 1 <= tried <= 2, f"{tried} connections for 200 calls"
        time.sleep(1.1)
        assert cache.get_many(["a", "b"]) == {}
        assert tried < len(accepted) <= tried + 2, "one new try after the cooldown"
    finally:
        listener.close()
        for connection in accepted:
            connection.close()


def test_the_page_cache_without_redis_holds_at_most_its_bytes_dropping_the_least_used():
    from juredian.cache import BoundedMemoryCache

    cache = BoundedMemoryCache("bounded-test", {"OPTIONS": {"max_bytes": 50_000}})
    cache.set("first", "首" * 1000, 60)
    for n in range(200):
        cache.set(f"page-{n}", "页" * 1000, 60)
        cache.get("first")  # read all along: kept
    assert cache.bytes_held <= 50_000
    assert cache.get("first") == "首" * 1000
    assert cache.get("page-0") is None and cache.get("page-199") == "页" * 1000
    cache.set("huge", "大" * 100_000, 60)
    assert cache.get("huge") is None, "larger than the whole cache: not kept"
