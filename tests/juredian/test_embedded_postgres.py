"""The embedded PostgreSQL starts on demand, is shared by later processes, and stops."""

import subprocess
import sys

import psycopg2
import pytest

from juredian.embedded_postgres.server import ensure_running, running_socket_dir, stop


@pytest.fixture
def data_dir(tmp_path):
    path = tmp_path / "postgres"
    yield path
    stop(path)


def postmaster_pid(data_dir):
    return int((data_dir / "postmaster.pid").read_text().splitlines()[0])


def test_embedded_server_starts_is_reused_and_stops(data_dir):
    socket_dir = ensure_running(data_dir, "juredian")
    pid = postmaster_pid(data_dir)

    conn = psycopg2.connect(dbname="juredian", user="postgres", host=str(socket_dir))
    with conn, conn.cursor() as cursor:
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        (ctype,) = cursor.fetchone()
    conn.close()
    assert ctype == "C.UTF-8", "Chinese text needs a UTF-8 ctype, never C"

    # Another process finds the same running server instead of starting a second one.
    code = (
        "import sys; from pathlib import Path; "
        "from juredian.embedded_postgres.server import ensure_running; "
        f"print(ensure_running(Path({str(data_dir)!r}), 'juredian'))"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip() == str(socket_dir)
    assert "Starting" not in other.stderr
    assert postmaster_pid(data_dir) == pid

    assert stop(data_dir) is True
    assert running_socket_dir(data_dir) is None
    assert stop(data_dir) is False
