"""Shared fixtures. Tests run on a real PostgreSQL (embedded, or DATABASE_URL) and the
configured cache (Redis when REDIS_URL is set); nothing of ours is mocked."""

import contextlib
import os

import pytest
import redis
from django.core.cache import caches


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Serve static files from the source folders: tests must not depend on collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def clear_caches() -> None:
    from django.conf import settings

    from juredian.cache import CacheUnavailable

    for alias in settings.CACHES:
        with contextlib.suppress(CacheUnavailable):  # a test's unreachable Redis
            caches[alias].clear()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches, as after a deploy, and an empty read buffer and
    content-version memo, as in a fresh process."""
    from articles import page_cache
    from trending import buffer

    clear_caches()
    for state in (buffer._pending, buffer._retry, buffer._tally, buffer._batches, page_cache._memo):
        state.clear()
    yield
    clear_caches()


def redis_caches(location: str, *, prefix: str = "juredian-test", **options) -> dict:
    """The three cache aliases of settings.CACHES on one Redis (see juredian/settings.py)."""

    def alias(degrade: bool) -> dict:
        return {
            "BACKEND": "juredian.cache.NewsroomRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "degrade": degrade,
                        **options},
        }  # fmt: skip

    return {"default": alias(True), "pages": alias(True), "reads": alias(False)}


def local_caches(name: str = "test") -> dict:
    """The three aliases in this process's memory, as without REDIS_URL."""
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}
    pages = {"BACKEND": "juredian.cache.BoundedMemoryCache", "LOCATION": f"{name}-pages"}
    return {"default": local, "reads": local, "pages": pages}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): …` runs the on-commit work (cache retirement, reindexing, emails)
    as a real commit would; tests otherwise run inside a transaction that never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def same_minute():
    """Cached pages are keyed by the minute (see articles.page_cache): a test that expects a
    cache hit first waits out the last seconds of a minute, so no boundary falls inside it."""
    import time

    from articles.page_cache import PAGE_SECONDS

    left = PAGE_SECONDS - time.time() % PAGE_SECONDS
    if left < 10:
        time.sleep(left + 0.05)


# Tests that must hold on both caches take `cache_backend`.
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def require_redis() -> str:
    """The Redis tests use; outside CI a test without one skips (saying why), in CI it fails."""
    if not redis_answers():
        message = f"Redis is not answering at {REDIS_URL}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return REDIS_URL


@pytest.fixture(params=["local-memory", "redis"])
def cache_backend(request, settings):
    """Run a test on the local-memory cache and on a real Redis."""
    if request.param == "redis":
        require_redis()
        settings.CACHES = redis_caches(REDIS_URL)
    else:
        settings.CACHES = local_caches()
    clear_caches()
    yield request.param
    clear_caches()
