"""Configuration from the environment: clear one-line errors, the right backends."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from juredian.database import parse_database_url
from juredian.settings import stored_secret_key

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    skip = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the browser tests set it
    environment = {k: v for k, v in os.environ.items() if k not in skip}
    environment["SECRET_KEY"] = "a-test-key-that-is-only-for-these-subprocesses"
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def current_database_url_is_parsed_into_a_postgres_entry():
    db = parse_database_url("postgres://news:s%40cret@db.internal:6543/juredian?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("juredian", "news", "s@cret")
    assert (db["HOST"], db["PORT"]) == ("db.internal", "6543")
    assert db["OPTIONS"]["sslmode"] == "require"


def current_database_url_may_name_a_unix_socket_directory():
    db = parse_database_url("postgresql://postgres@/juredian?host=/var/run/postgresql")
    assert db["HOST"] == "/var/run/postgresql"
    assert "host" not in db["OPTIONS"]


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("mysql://root@localhost/news", "PostgreSQL only"),
        ("postgres://localhost", "names no database"),
        ("postgres://u@localhost:notaport/db", "malformed"),
        ("just some words", "must start with postgres://"),
    ],
)
def test_bad_database_url_says_what_is_wrong(url, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        parse_database_url(url)


def test_bad_database_url_stops_manage_py_with_one_clear_line():
    result = run_manage("check", DATABASE_URL="mysql://root:hunter2@localhost/news")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "DATABASE_URL" in lines[0]
    assert "hunter2" not in lines[0], "the password must never be printed"
    assert "Traceback" not in result.stderr


def test_unreachable_database_stops_manage_py_with_one_clear_line():
    result = run_manage("migrate", DATABASE_URL="postgres://postgres@127.0.0.1:1/juredian")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("juredian: cannot reach the database")
    assert "Traceback" not in result.stderr


def test_redis_url_selects_djangos_redis_cache_and_its_absence_local_memory():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    with_redis = run_manage("shell", "-c", code, REDIS_URL="redis://127.0.0.1:6379/3")
    without = run_manage("shell", "-c", code)
    assert with_redis.stdout.strip().endswith("RedisCache"), with_redis.stderr
    assert without.stdout.strip().endswith("LocMemCache"), without.stderr


def test_settings_follow_the_environment():
    code = (
        "import json; from django.conf import settings as s; print(json.dumps("
        "[s.DEBUG, s.ALLOWED_HOSTS, str(s.MEDIA_ROOT), s.LANGUAGE_CODE, s.TIME_ZONE, s.USE_TZ]))"
    )
    result = run_manage(
        "shell", "-c", code, DEBUG="1", ALLOWED_HOSTS="news.example,www.news.example",
        MEDIA_ROOT="/srv/media",
    )  # fmt: skip
    debug, hosts, media, language, zone, use_tz = json.loads(result.stdout.strip().splitlines()[-1])
    assert debug is True
    assert hosts == ["news.example", "www.news.example"]
    assert media == "/srv/media"
    assert (language, zone, use_tz) == ("zh-hans", "Asia/Shanghai", True)


def test_debug_is_off_unless_asked_for(settings):
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_a_missing_secret_key_is_generated_once_and_kept_private(tmp_path):
    path = tmp_path / "var" / "secret_key"
    first = stored_secret_key(path)
    assert len(first) >= 50
    assert stored_secret_key(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"
