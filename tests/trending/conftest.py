import os

import pytest
import redis

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["local-memory", "redis"])
def cache_backend(request, settings):
    """Run a test on the local-memory cache and on a real Redis."""
    if request.param == "redis":
        if not redis_answers():
            message = f"Redis is not answering at {REDIS_URL}"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": "juredian-test",
            }
        }
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    yield request.param
    cache.clear()
