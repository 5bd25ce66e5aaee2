"""Real servers for tests that need more than the in-process test client: the site under
gunicorn, on a free loopback port, against the test database (whose rows the test commits)."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from juredian.benchmarks.http import free_port

ROOT = Path(__file__).resolve().parent.parent


def current_database_url() -> str:
    """The URL of the database this test runs on (the embedded server's socket included)."""
    params = connection.get_connection_params()
    user, password = quote(params.get("user") or ""), quote(params.get("password") or "")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    host, port = params.get("host") or "", params.get("port") or ""
    if host.startswith("/"):
        return f"postgres://{credentials}/{params['dbname']}?host={quote(host)}"
    return f"postgres://{credentials}{host}:{port or 5432}/{params['dbname']}"


def fetch(url: str, *, headers: dict | None = None, timeout: float = 10) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until(condition, *, seconds: float = 15, every: float = 0.2):
    """Poll `condition` until it returns something true; return it, or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    raise AssertionError(f"not true within {seconds} s: {condition.__doc__ or condition}")


class Server:
    def __init__(self, process: subprocess.Popen, port: int, log):
        self.process, self.port, self.log = process, port, log
        self.url = f"http://127.0.0.1:{port}"

    def get(self, path: str, **headers) -> tuple[int, bytes]:
        return fetch(self.url + path, headers=headers)

    def stop(self, *, graceful: bool = True) -> str:
        """Stop the server (SIGTERM: workers finish; SIGKILL: gone at once); its log."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM if graceful else signal.SIGKILL)
            self.process.wait(timeout=30)
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


def environment(**env) -> dict:
    """The environment of a server or command of the test's site: the test database unless
    `DATABASE_URL` is given, the test's secret key, no Redis unless `REDIS_URL` is given."""
    from django.conf import settings

    base = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL",)}
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests, refused by checks
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "juredian.settings",
        "DATABASE_URL": env.pop("DATABASE_URL", None) or current_database_url(),
        "SECRET_KEY": settings.SECRET_KEY,  # every server of a site shares one key
        "LANG": "C.UTF-8",
        **env,
    }


def collect_static() -> None:
    """Real servers serve hashed static files, as after `make run`'s collectstatic."""
    if not getattr(collect_static, "done", False):
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT, env=environment(), check=True,
        )  # fmt: skip
        collect_static.done = True


@contextmanager
def gunicorn(*, args=(), **env):
    """The site under gunicorn with `make run`'s configuration (juredian/gunicorn.py)."""
    collect_static()
    port = free_port()
    # A file, not a pipe: a pipe nobody reads fills up, and then every log line blocks.
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed below, when the server is gone)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "juredian.wsgi", "--config",
         "python:juredian.gunicorn", "--bind", f"127.0.0.1:{port}", "--access-logfile",
         "/dev/null", *args],
        cwd=ROOT, env=environment(**env), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    server = Server(process, port, log)
    try:
        wait_until(lambda: _answers(server), seconds=30)
        yield server
    except BaseException:
        lines = server.stop(graceful=False).splitlines()
        print("gunicorn's log, last lines:\n" + "\n".join(lines[-80:]))
        raise
    finally:
        server.stop(graceful=False)
        log.close()


def _answers(server: Server) -> bool:
    """gunicorn answers /healthz"""
    if server.process.poll() is not None:
        raise AssertionError("gunicorn exited:\n" + server.stop())
    try:
        return server.get("/healthz")[0] in (200, 503)
    except OSError:
        return False


def manage_once(*command, **env) -> str:
    """Run a `manage.py` command to its end; its output (a failure raises, with it)."""
    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT, env=environment(**env), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(command)} failed:\n{result.stderr}")
    return result.stdout


@contextmanager
def manage(*command, **env):
    """A long-running `manage.py` command (e.g. the worker) in its own process."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", *command],
        cwd=ROOT, env=environment(**env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


class RedisServer:
    """A private redis-server on a free loopback port, which a test may kill and start again
    (empty: it keeps nothing on disk). Never the machine's shared one."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self._answers, seconds=10)
        return self

    def _answers(self) -> bool:
        """redis-server answers PING"""
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except redis.RedisError:
            return False

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
