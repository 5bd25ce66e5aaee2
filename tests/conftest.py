"""Shared fixtures. Tests run on a real PostgreSQL (embedded, or DATABASE_URL) and the
configured cache (Redis when REDIS_URL is set); nothing of ours is mocked."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Serve static files from the source folders: tests must not depend on collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def no_background_threads(settings):
    """Tests flush and recompute 热传 themselves, at the moment they choose."""
    settings.TRENDING_BACKGROUND = False


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, as after a deploy."""
    cache.clear()
    yield
    cache.clear()


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
