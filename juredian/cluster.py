"""The production cluster on one machine, from field-standard parts, for `make cluster` and
the failure drills (tests/cluster/):

    PostgreSQL primary ──streaming──▶ replica          (the embedded server's initdb,
    Redis                                                pg_basebackup -R, pg_ctl promote)
    SeaweedFS (S3: juredian-media public, juredian-private private)
    app0, app1: gunicorn ─┬─ read from the replica, write to the primary
    worker: manage.py worker (django-tasks' database queue, the shared jobs)
    edge: Varnish ─ probes /healthz, round-robin over app0 and app1, /media/ from the store

Everything listens on loopback; data, logs and the state (ports, process ids, the shared
SECRET_KEY) live under `home` (var/cluster/ for `make cluster`). No Django imports: this
runs before the site does.

    python -m juredian.cluster start|stop|status|failover [--home DIR]
"""

import argparse
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from juredian.embedded_postgres.node import PostgresNode
from juredian.varnish import Varnish, stop_process

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PARTS = ["primary", "replica", "redis", "store", "app0", "app1", "worker", "edge"]
S3_KEY, S3_SECRET = "juredian", "juredian-cluster-secret"
EDGE_PROBES_SETTLE_SECONDS = 3.5  # juredian.varnish probes: every 1 s, 2 of 3 to be healthy


def free_port() -> int:
    """A free loopback port below 45,000: SeaweedFS also listens on each port + 10,000."""
    while True:
        port = random.randint(20_000, 45_000)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port + 10_000))
                return port
            except OSError:
                continue


class Cluster:
    def __init__(self, home: Path, *, fsync: bool = True, env: dict | None = None):
        self.home = Path(home).resolve()
        self.state_file = self.home / "state.json"
        self.fsync = fsync
        self.extra_env = env or {}  # settings of the tests' own (shorter intervals…)
        if self.state_file.exists():
            self.state = json.loads(self.state_file.read_text())
        else:
            names = ["primary", "replica", "redis", "s3", "master", "volume", "filer",
                     "app0", "app1", "edge"]  # fmt: skip
            self.state = {
                "ports": {name: free_port() for name in names},
                "pids": {},
                "secret_key": secrets.token_urlsafe(50),
                "primary": "primary",  # which node's folder is the primary now
            }

    # --- where things are ------------------------------------------------------------------

    @property
    def ports(self) -> dict:
        return self.state["ports"]

    def node(self, role: str) -> PostgresNode:
        """The "primary" or "replica" PostgreSQL (their folders swap roles on failover)."""
        folder = self.state["primary"] if role == "primary" else self.other_node_folder()
        return PostgresNode(self.home / folder, self.ports[folder])

    def other_node_folder(self) -> str:
        return "replica" if self.state["primary"] == "primary" else "primary"

    @property
    def edge_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['edge']}"

    def app_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def environment(self) -> dict:
        """What every app node and the worker run with."""
        env = {
            **os.environ,
            "DATABASE_URL": self.node("primary").url("juredian"),
            "REDIS_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
            "SECRET_KEY": self.state["secret_key"],
            "BACKGROUND_WORKER": "1",
            "EDGE_PURGE_URLS": self.edge_url + "/",
            "CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
            "S3_ENDPOINT_URL": f"http://127.0.0.1:{self.ports['s3']}",
            "S3_ACCESS_KEY": S3_KEY,
            "S3_SECRET_KEY": S3_SECRET,
            "MEDIA_URL": "/media/",
            "SERVE_MEDIA": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "WEB_CONCURRENCY": "2",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            **self.extra_env,
        }
        if self.state.get("replica_active", True):
            env["DATABASE_REPLICA_URL"] = self.node("replica").url("juredian")
        return env

    # --- life ------------------------------------------------------------------------------

    def start(self) -> "Cluster":
        self.home.mkdir(parents=True, exist_ok=True)
        fresh = not (self.home / "primary" / "data").exists()
        primary = self.node("primary")
        if fresh:
            primary.init(settings={} if self.fsync else {"fsync": "off"})
        primary.start()
        if fresh:
            primary.create_database("juredian")
        if not (self.home / "replica" / "data").exists():
            PostgresNode.replica_of(primary, self.home / "replica", self.ports["replica"])
        if self.state.get("replica_active", True):
            self.node("replica").start()
        self.save()
        for part in ("redis", "store"):
            self.start_part(part)
        self.wait_for_store()
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("seed_demo", "--if-empty")
        self.manage("seed_reads", "--if-empty")
        self.manage("reindex", "--if-needed")
        for part in ("app0", "app1", "worker", "edge"):
            self.start_part(part)
        return self

    def start_part(self, part: str) -> None:
        if part in ("primary", "replica"):
            self.node(part).start()
            return
        if part == "edge":
            backends = [f"127.0.0.1:{self.ports[n]}" for n in ("app0", "app1")]
            varnish = Varnish(self.home / "edge", f"127.0.0.1:{self.ports['edge']}", backends,
                              media=f"127.0.0.1:{self.ports['s3']}").start()  # fmt: skip
            self.state["pids"]["edge"] = varnish.process.pid
            self.save()
            return
        if part == "store":  # a store killed hard leaves its sockets behind: they would block it
            for name in ("master", "volume", "filer", "s3"):
                for port in (self.ports[name], self.ports[name] + 10_000):  # HTTP and gRPC
                    for stale in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
                        stale.unlink(missing_ok=True)
        log = open(self.home / f"{part}.log", "ab")  # noqa: SIM115 (the child's own)
        process = subprocess.Popen(
            self.command(part), cwd=ROOT, env=self.environment(), stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        self.state["pids"][part] = process.pid
        self.save()
        if part in ("app0", "app1"):
            wait_until(lambda: answers(self.app_url(part) + "/healthz"), f"{part} to answer")
        elif part == "redis":
            wait_until(lambda: port_open(self.ports["redis"]), "Redis to listen")

    def command(self, part: str) -> list[str]:
        ports = self.ports
        if part == "redis":
            return ["redis-server", "--port", str(ports["redis"]), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no"]  # fmt: skip
        if part == "store":
            (self.home / "store").mkdir(exist_ok=True)
            config = self.home / "s3.json"
            config.write_text(json.dumps(S3_IDENTITIES))
            return [str(BIN / "weed"), "server", f"-dir={self.home / 'store'}",
                    "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-master.port={ports['master']}",
                    f"-volume.port={ports['volume']}", f"-filer.port={ports['filer']}",
                    # Room for every bucket's volumes (the default 8 is taken by the first
                    # two buckets, and the filer's own writes then fail); one master and
                    # one volume server: no election to wait 10 s for, nobody to hand to.
                    "-master.volumeSizeLimitMB=64", "-volume.max=64", "-volume.preStopSeconds=1",
                    "-master.electionTimeout=2s", "-s3", f"-s3.port={ports['s3']}",
                    f"-s3.config={config}"]  # fmt: skip
        if part in ("app0", "app1"):
            return [sys.executable, "-m", "gunicorn", "juredian.wsgi", "--config",
                    "python:juredian.gunicorn", "--bind", f"127.0.0.1:{ports[part]}",
                    "--access-logfile", "/dev/null"]  # fmt: skip
        if part == "worker":
            return [sys.executable, "manage.py", "worker"]
        raise ValueError(part)

    def stop_part(self, part: str) -> None:
        if part in ("primary", "replica"):
            self.node(part).stop("fast")
            return
        pid = self.state["pids"].pop(part, None)
        if pid:
            stop_process(pid, seconds=30)  # SeaweedFS flushes its volumes on the way out
        self.save()

    def kill_part(self, part: str) -> None:
        """As if the machine under it went away: SIGKILL, no goodbye."""
        if part in ("primary", "replica"):
            self.node(part).kill()
            return
        pid = self.state["pids"].pop(part, None)
        if pid:
            stop_process(pid, seconds=0)
        self.save()

    def stop(self) -> None:
        for part in ("edge", "app0", "app1", "worker", "store", "redis"):
            self.stop_part(part)
        for role in ("replica", "primary"):
            self.node(role).stop("fast")

    def running(self) -> dict[str, bool]:
        alive = {part: pid_alive(self.state["pids"].get(part)) for part in PARTS[2:]}
        return {"primary": self.node("primary").running,
                "replica": self.node("replica").running, **alive}  # fmt: skip

    def failover(self) -> None:
        """The primary is gone: promote the replica, point the app nodes and the worker at it
        (restarted one after the other, so the edge always has a node), run without a
        replica until one is made again from the new primary."""
        self.node("primary").stop("immediate")
        promoted = self.other_node_folder()
        PostgresNode(self.home / promoted, self.ports[promoted]).promote()
        self.state["primary"] = promoted
        self.state["replica_active"] = False
        self.save()
        self.stop_part("worker")
        self.start_part("worker")
        for part in ("app0", "app1"):
            self.stop_part(part)
            self.start_part(part)
            # The edge takes a node back after two good probes a second apart: only then
            # may the other one go, or for a moment readers would have no node at all.
            time.sleep(EDGE_PROBES_SETTLE_SECONDS)

    def manage(self, *args: str) -> str:
        """Run a management command as the app nodes would; returns what it printed."""
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.environment(), check=True,
            timeout=600, stdout=subprocess.PIPE, text=True,
        ).stdout  # fmt: skip

    def wait_for_store(self) -> None:
        """SeaweedFS answers on S3 a few seconds after it starts; the buckets are made then."""
        import boto3  # the site's S3 client; imported here, as only the cluster needs it

        client = boto3.client(
            "s3", endpoint_url=f"http://127.0.0.1:{self.ports['s3']}", aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_SECRET, region_name="us-east-1",
        )  # fmt: skip

        def buckets_made():
            """the object store to take the buckets"""
            try:
                for bucket in ("juredian-media", "juredian-private"):
                    try:
                        client.head_bucket(Bucket=bucket)
                    except client.exceptions.ClientError:
                        client.create_bucket(Bucket=bucket)
                    # Answering is not taking: after a restart the filer needs a moment more.
                    client.put_object(Bucket=bucket, Key="healthz/probe", Body=b"ok")
                    client.delete_object(Bucket=bucket, Key="healthz/probe")
                return True
            except Exception:
                return False

        try:
            wait_until(buckets_made, "the object store", seconds=120)
        except RuntimeError as error:  # say why, from the store's own words
            log = (self.home / "store.log").read_text(errors="replace").splitlines()
            raise RuntimeError(f"{error}; the store's log ends:\n" + "\n".join(log[-15:])) from None

    def save(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.state_file.write_text(json.dumps(self.state, indent=2))

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)


# The store's accounts: the site reads and writes everything with its key; anyone may read
# the public media bucket (readers' images); the private bucket needs the key.
S3_IDENTITIES = {
    "identities": [
        {
            "name": "juredian",
            "credentials": [{"accessKey": S3_KEY, "secretKey": S3_SECRET}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        },
        {"name": "anonymous", "actions": ["Read:juredian-media"]},
    ]
}


def wait_until(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise RuntimeError(f"waited {seconds:.0f} s for {what}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description="聚热点 juredian: the cluster on loopback")
    parser.add_argument("action", choices=["start", "stop", "status", "failover"])
    parser.add_argument("--home", default=str(ROOT / "var" / "cluster"))
    options = parser.parse_args()
    cluster = Cluster(Path(options.home))
    if options.action == "start":
        cluster.start()
        print(f"\n  集群已启动 the cluster is up: readers at {cluster.edge_url}/ (Varnish)")
        print(f"  app nodes {cluster.app_url('app0')} {cluster.app_url('app1')}; "
              f"health: {cluster.app_url('app0')}/healthz")  # fmt: skip
        print("  stop it with: make cluster-stop\n")
    elif options.action == "stop":
        cluster.stop()
    elif options.action == "failover":
        cluster.failover()
        print(f"  the replica is now the primary (port {cluster.node('primary').port})")
    else:
        for part, alive in cluster.running().items():
            print(f"  {part:8} {'running' if alive else 'stopped'}")


if __name__ == "__main__":
    main()
