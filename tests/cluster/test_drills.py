"""The cluster's failure drills: the whole production cluster on loopback (juredian/cluster.py:
a PostgreSQL primary and streaming replica, Redis, SeaweedFS, two gunicorn app nodes, the task
worker, Varnish in front), under a bounded load of readers through the edge, while one part
after another fails and comes back.

Everything is the cluster's own: its servers on free loopback ports, its data in a folder of
its own under var/; the machine's shared PostgreSQL and Redis are never touched. Load: four
reader threads, each pausing between requests, for a few seconds per drill."""

import itertools
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg2
import pytest

from juredian.cluster import Cluster
from tests.faults.test_outages import BROWSER, OpenForm, open_form
from tests.servers import ROOT, collect_static, wait_until

pytestmark = pytest.mark.cluster
ADDRESSES = itertools.count(1)


CHECKER = "curl/8.5.0 (the drill's own checks: not a reader, never counted)"


def get(url: str, **headers) -> tuple[int, dict, str]:
    headers.setdefault("User-Agent", CHECKER)
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")
    except OSError as error:
        return 599, {}, str(error)


class Readers:
    """Readers through the edge: each opens an article (every one a new reader, by address)
    and loads its read beacon. Every answer that is not a success is a failure."""

    def __init__(self, edge: str, paths: list[tuple[str, int]]):
        self.edge, self.paths = edge, paths
        self.failures: list[str] = []
        self.counted = 0  # beacons answered 200: reads the site accepted
        self.addresses = ADDRESSES  # one reader, one read in 30 minutes: never the same one
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.read) for _ in range(4)]

    def read(self) -> None:
        while not self.stopping.is_set():
            path, article_id = random.choice(self.paths)
            n = next(self.addresses)
            address = {"X-Real-IP": f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}",
                       "User-Agent": BROWSER}  # fmt: skip
            for url in (path, f"/trending/read/{article_id}/"):
                status, _, body = get(self.edge + url, **address)
                with self.lock:
                    if status >= 400:
                        self.failures.append(f"{url}: {status} {body[:80]!r}")
                    elif url.startswith("/trending/read/"):
                        self.counted += 1
            time.sleep(0.05)

    def __enter__(self) -> "Readers":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)


class Site:
    """The cluster as the drills use it."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.edge = cluster.edge_url

    def sql(self, query: str, params=(), *, role: str = "primary"):
        connection = psycopg2.connect(
            host="127.0.0.1", port=self.cluster.node(role).port, user="postgres",
            dbname="juredian", connect_timeout=3,
        )  # fmt: skip
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall() if cursor.description else None
        finally:
            connection.close()

    def articles(self) -> list[tuple[str, int]]:
        rows = self.sql(
            "SELECT slug, id FROM articles_article WHERE status = 'published' "
            "AND published_at < now() ORDER BY id"
        )
        return [(f"/a/{slug}/", article_id) for slug, article_id in rows]

    def reads(self) -> int:
        return self.sql("SELECT coalesce(sum(reads), 0) FROM trending_articlereadhour")[0][0]

    def settled_reads(self) -> int:
        """The total once nothing is arriving any more (reads of an earlier drill included),
        so that each drill counts its own."""
        last, deadline = self.reads(), time.monotonic() + 30
        while time.monotonic() < deadline:
            time.sleep(2)
            now = self.reads()
            if now == last:
                return now
            last = now
        return last

    def all_counted(self, before: int, readers: Readers) -> None:
        """Every accepted read (a beacon answered) written exactly once."""

        def written():
            """every accepted read reaches the hourly totals"""
            return self.reads() >= before + readers.counted

        try:
            wait_until(written, seconds=60, every=0.5)
        except AssertionError:
            raise AssertionError(
                f"{self.reads() - before} of {readers.counted} accepted reads written"
            ) from None
        time.sleep(2)  # a read sent twice would be counted by now
        written = self.reads() - before
        assert written == readers.counted, (
            f"every read exactly once: {written} written, {readers.counted} accepted"
        )

    def editor(self, code: str) -> str:
        """What an editor does, run by the site's own code against the primary."""
        return self.cluster.manage("shell", "-c", code)

    def healthz(self, node: str = "app0") -> dict:
        return json.loads(get(self.cluster.app_url(node) + "/healthz")[2])


UPLOAD_AN_IMAGE = """
import io
from PIL import Image as Picture
from django.core.files.uploadedfile import SimpleUploadedFile
from articles.forms import ImageAdminForm
data = io.BytesIO()
Picture.new("RGB", (640, 360), (200, 60, 40)).save(data, "PNG")
upload = SimpleUploadedFile("封面.png", data.getvalue(), content_type="image/png")
form = ImageAdminForm({"alt": "一张图", "caption": "", "credit": ""}, {"file": upload})
print(form.is_valid() and form.save(), form.errors.as_text())
"""


def retitle(article_id: int, title: str) -> str:
    return (
        f"from articles.models import Article; a = Article.objects.get(pk={article_id}); "
        f"a.title = '{title}'; a.save()"
    )


EDITOR_LOOP = """
import time
from pathlib import Path
from articles.models import Article
stop, number = Path({stop!r}), 0
while not stop.exists():
    number += 1
    try:
        article = Article.objects.get(pk={article_id})
        article.lede = f"编辑第 {{number}} 次保存的导语。"
        article.save()
        print("saved", number, flush=True)
    except Exception as error:
        print("failed", number, type(error).__name__, flush=True)
    time.sleep(1.5)
"""


class Trickle:
    """Beside the readers, the newsroom at work: an editor saving an article every 1.5 s
    (the site's own code, one process) and a rights holder filing a notice every 2 s
    through the edge. Every save must land; every notice is stored once or refused with
    the form kept (while the object store is down)."""

    def __init__(self, site: "Site"):
        self.site = site
        self.stop_file = site.cluster.home / f"stop-{uuid.uuid4().hex[:6]}"
        self.article_id = site.articles()[-1][1]
        self.notices: list[str] = []
        self.refused = 0
        self.failures: list[str] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.file_notices)

    def file_notices(self) -> None:
        path = self.site.articles()[0][0]
        while not self.stopping.is_set():
            form = open_form(self.site.edge)
            if isinstance(form, OpenForm):
                key = uuid.uuid4().hex
                status, _headers, body = form.post(self.site.edge, path, key)
                if status == 302:
                    self.notices.append(key)
                elif status == 503 and "未能提交" in body.decode(errors="replace"):
                    self.refused += 1  # the form came back as typed: "try again"
                else:
                    self.failures.append(f"notice: {status}")
            else:
                self.failures.append(f"notice form: {form[0]}")
            self.stopping.wait(2)

    def __enter__(self) -> "Trickle":
        code = EDITOR_LOOP.format(stop=str(self.stop_file), article_id=self.article_id)
        self.editor = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT,
            env=self.site.cluster.environment(), stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.stop_file.touch()
        self.thread.join(timeout=30)
        output, _ = self.editor.communicate(timeout=60)
        saves = [line for line in output.splitlines() if line.startswith(("saved", "failed"))]
        self.failures += [line for line in saves if line.startswith("failed")]
        self.saves = len(saves)

    def check(self) -> None:
        assert self.failures == [], self.failures[:5]
        assert self.saves >= 2 and (self.notices or self.refused), "the newsroom kept working"
        stored = self.site.sql(
            "SELECT count(*) FROM takedown_takedownsubmission WHERE key::text = ANY(%s)",
            ([str(uuid.UUID(key)) for key in self.notices],),
        )[0][0]
        assert stored == len(self.notices), "every notice answered 'received' stored once"


def within(check, seconds: float) -> float:
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < seconds, check.__doc__
        time.sleep(0.05)
    return time.monotonic() - started


@pytest.fixture(scope="module")
def site():
    collect_static()
    home = ROOT / "var" / f"cluster-test-{uuid.uuid4().hex[:6]}"
    env = {
        "TRENDING_FLUSH_SECONDS": "1",
        "TRENDING_RESEND_SECONDS": "3",
        "TAKEDOWN_NOTICES_PER_HOUR": "100000",
        "TAKEDOWN_ATTEMPTS_PER_HOUR": "100000",
        "REDIS_TIMEOUT": "0.5",
    }
    cluster = Cluster(home, fsync=False, env=env)
    try:
        cluster.start()
        yield Site(cluster)
    finally:
        if os.environ.get("KEEP_CLUSTER"):  # to read its logs after a failure
            cluster.stop()
        else:
            cluster.remove()


def test_the_cluster_is_healthy(site):
    health = site.healthz()
    assert health["status"] == "ok", health
    assert health["replica"] == "ok" and health["replica_lag_seconds"] < 5
    assert health["storage"] == "ok" and health["tasks"]["depth"] >= 0
    status, headers, _ = get(site.edge + "/")
    assert status == 200 and headers.get("X-Cache") in ("HIT", "MISS")


def test_an_app_node_dies_and_rejoins(site):
    before = site.settled_reads()
    with Readers(site.edge, site.articles()) as readers, Trickle(site) as newsroom:
        time.sleep(1)
        site.cluster.kill_part("app0")
        time.sleep(4)
        site.cluster.start_part("app0")
        time.sleep(3)
    site.all_counted(before, readers)  # first: a failed drill leaves no reads in flight
    assert readers.failures == [], readers.failures[:5]
    newsroom.check()
    assert site.healthz("app0")["status"] == "ok", "it rejoined"


def test_the_replica_stops_and_catches_up(site):
    before = site.settled_reads()
    with Readers(site.edge, site.articles()) as readers, Trickle(site) as newsroom:
        time.sleep(1)
        site.cluster.stop_part("replica")
        time.sleep(2)
        health = site.healthz()
        assert health["replica"] == "down" and health["status"] == "degraded"
        site.editor(
            "from articles.models import Channel; c = Channel.objects.first(); "
            "c.description = '副本停机时写入'; c.save()"
        )
        site.cluster.start_part("replica")
        time.sleep(2)
    assert readers.failures == [], readers.failures[:5]
    newsroom.check()

    def caught_up():
        """the replica has what the primary took while it was down"""
        rows = site.sql("SELECT 1 FROM articles_channel WHERE description = '副本停机时写入'",
                        role="replica")  # fmt: skip
        return bool(rows)

    within(caught_up, 10)
    site.all_counted(before, readers)


def test_the_worker_dies_for_thirty_seconds_and_nothing_is_lost(site):
    before = site.settled_reads()
    path, article_id = site.articles()[0]
    get(site.edge + path)
    with Readers(site.edge, site.articles()) as readers, Trickle(site) as newsroom:
        site.cluster.kill_part("worker")
        site.editor(retitle(article_id, "工作进程停机时改的标题"))
        form = open_form(site.edge)
        assert isinstance(form, OpenForm)
        key = uuid.uuid4().hex
        status, _, _ = form.post(site.edge, path, key)
        assert status == 302, "the notice is taken while the worker is away"
        reference = site.sql("SELECT reference FROM takedown_takedowncase c JOIN "
                             "takedown_takedownsubmission s ON s.case_id = c.id WHERE s.key = %s",
                             (key,))[0][0]  # fmt: skip
        time.sleep(30)
        assert site.sql("SELECT count(*) FROM django_tasks_database_dbtaskresult "
                        "WHERE status = 'READY'")[0][0] > 0, "work waits in the queue"  # fmt: skip
        site.cluster.start_part("worker")

        def purged():
            """the edit shows through the edge once the worker is back"""
            return "工作进程停机时改的标题" in get(site.edge + path)[2]

        within(purged, 15)
    assert readers.failures == [], readers.failures[:5]
    newsroom.check()
    log = Path(site.cluster.home / "worker.log")

    def mailed():
        """the notice's acknowledgement was sent"""
        return reference in log.read_text(errors="replace")

    within(mailed, 15)
    site.all_counted(before, readers)


def test_redis_restarts_empty(site):
    before = site.settled_reads()
    with Readers(site.edge, site.articles()) as readers, Trickle(site) as newsroom:
        time.sleep(1)
        site.cluster.kill_part("redis")
        time.sleep(1.5)
        site.cluster.start_part("redis")
        time.sleep(4)
    assert readers.failures == [], readers.failures[:5]
    newsroom.check()
    site.all_counted(before, readers)


def test_the_object_store_stops(site):
    path, _ = site.articles()[1]
    with Readers(site.edge, site.articles()) as readers, Trickle(site) as newsroom:
        site.cluster.stop_part("store")
        time.sleep(1)
        assert site.healthz()["storage"] == "down"
        form = open_form(site.edge)
        key = uuid.uuid4().hex
        status, _, body = form.post(site.edge, path, key)
        assert status == 503 and "未能提交" in body.decode(), "refused, in Chinese"
        assert site.sql("SELECT count(*) FROM takedown_takedownsubmission WHERE key = %s",
                        (key,))[0][0] == 0, "nothing half-written"  # fmt: skip
        images = site.sql("SELECT count(*) FROM articles_image")[0][0]
        said = site.editor(UPLOAD_AN_IMAGE)
        assert "存储暂时无法连接" in said, "an editor's upload is refused, in Chinese"
        assert site.sql("SELECT count(*) FROM articles_image")[0][0] == images
        site.cluster.start_part("store")
        site.cluster.wait_for_store()
    assert readers.failures == [], "pages still serve: " + repr(readers.failures[:5])
    newsroom.check()
    status, _, _ = open_form(site.edge).post(site.edge, path, uuid.uuid4().hex)
    assert status == 302, "and take attachments again once it is back"


def test_sixty_readers_an_edit_and_a_withdrawal_reach_both_nodes_and_the_edge(site):
    path, article_id = site.articles()[2]
    site.settled_reads()  # an earlier drill's reads of this article have all arrived
    before = site.sql("SELECT coalesce(sum(reads), 0) FROM trending_articlereadhour "
                      "WHERE article_id = %s", (article_id,))[0][0]  # fmt: skip
    for reader in range(60):
        address = {"X-Real-IP": f"203.0.113.{reader + 1}", "User-Agent": BROWSER}
        assert get(site.edge + path, **address)[0] == 200
        assert get(site.edge + f"/trending/read/{article_id}/", **address)[0] == 200

    def sixty():
        """sixty readers over both nodes, counted +60"""
        rows = site.sql("SELECT coalesce(sum(reads), 0) FROM trending_articlereadhour "
                        "WHERE article_id = %s", (article_id,))  # fmt: skip
        return rows[0][0] == before + 60

    within(sixty, 30)
    places = [site.edge, site.cluster.app_url("app0"), site.cluster.app_url("app1")]
    for place in places:
        get(place + path)
    site.editor(retitle(article_id, "两个节点都看得到"))

    def edited():
        """the edit shows on both nodes and through the edge"""
        return all("两个节点都看得到" in get(place + path)[2] for place in places)

    assert within(edited, 1.0) < 1.0
    site.editor(
        "from articles.models import Article; from articles.services import article_withdraw; "
        f"article_withdraw(Article.objects.get(pk={article_id}), reference='JRD-2026-0451', "
        "basis='著作权', notice_url='/takedown/')"
    )

    def withdrawn():
        """451 on both nodes and through the edge"""
        return all(get(place + path)[0] == 451 for place in places)

    assert within(withdrawn, 1.0) < 1.0


def test_failover_promotes_the_replica_and_the_site_writes_to_it(site):
    """Last: it leaves the cluster with one PostgreSQL (make cluster-failover, once)."""
    path, article_id = site.articles()[3]
    with Readers(site.edge, site.articles()) as readers:
        site.cluster.failover()
        time.sleep(1)
    # A failover is not free: writes wait for the promotion, and on a loaded machine a
    # request or two can meet both app nodes mid-restart. Readers barely notice.
    assert len(readers.failures) <= max(2, readers.counted // 100), readers.failures[:5]
    assert site.sql("SELECT pg_is_in_recovery()")[0][0] is False, "the replica was promoted"
    site.editor(retitle(article_id, "新主库上写入的标题"))

    def written():
        """the edit, written to the promoted primary, shows through the edge"""
        return "新主库上写入的标题" in get(site.edge + path)[2]

    within(written, 2)
    assert site.healthz()["status"] == "ok"
