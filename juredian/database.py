"""Turn the environment into Django's DATABASES entry.

`DATABASE_URL` names an external PostgreSQL server; without it the project runs its own
embedded server under `var/postgres/` (see `juredian.embedded_postgres`). Errors here are
configuration mistakes an operator must read at a glance, so they are one line each.
"""

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}


def parse_database_url(url: str, *, conn_max_age: int = 60) -> dict:
    """Parse `postgres://user:password@host:port/name?option=value` into a DATABASES entry.

    A Unix-socket directory may be given as `?host=/path`, as libpq allows. Any other query
    parameters (`sslmode`, `connect_timeout`, …) are passed to libpq as OPTIONS.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed ({exc}): {_redact(url)}") from None
    if parts.scheme not in POSTGRES_SCHEMES:
        raise ImproperlyConfigured(
            "DATABASE_URL must start with postgres:// or postgresql:// "
            f"(juredian runs on PostgreSQL only), got: {_redact(url)}"
        )
    name = unquote(parts.path.lstrip("/"))
    if not name or "/" in name:
        raise ImproperlyConfigured(
            f"DATABASE_URL names no database (expected …/DBNAME at the end): {_redact(url)}"
        )
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    host = options.pop("host", None) or unquote(parts.hostname or "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(port or ""),
        "OPTIONS": {"connect_timeout": 5, **options},
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
    }


def embedded_database(data_dir: Path, *, conn_max_age: int = 60) -> dict:
    """The DATABASES entry for the project's own PostgreSQL, started on first connection."""
    return {
        "ENGINE": "juredian.embedded_postgres",
        "NAME": "juredian",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "OPTIONS": {"connect_timeout": 5},
        "DATA_DIR": str(data_dir),
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
    }


def _redact(url: str) -> str:
    """Hide the password so it never reaches a terminal or a log."""
    try:
        parts = urlsplit(url)
        if parts.password:
            return url.replace(f":{parts.password}@", ":***@", 1)
    except ValueError:
        pass
    return url
