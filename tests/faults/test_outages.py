"""The fault drill: under a steady load of readers and notices, Redis dies and comes back
empty, then the database stops and starts again. Nothing breaks that could degrade, and
nothing accepted is lost or counted twice.

Private servers only (a redis-server and a PostgreSQL of the test's own, on free loopback
ports); the machine's shared ones are never touched. Load stays on loopback and is bounded:
five clients for about twenty seconds.
"""

import http.cookiejar
import itertools
import random
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter

import pytest

from juredian.embedded_postgres.node import PostgresNode
from tests.servers import ROOT, RedisServer, free_port, gunicorn, manage_once, wait_until
from tests.takedown.helpers import PDF, notice_fields

pytestmark = pytest.mark.faults
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Pages every reader and editor reaches, asked for while Redis is down: each answers 200.
SITE_PAGES = ["/", "/search/?q=%E9%92%A2%E9%93%81", "/trending/", "/takedown/", "/admin/login/"]
BEACON = re.compile(r'<img class="read-beacon" src="([^"]+)"')


class Drill:
    """What the load saw: every response, the reads the site accepted, the notices it said it
    had received."""

    def __init__(self, base: str, article_paths: list[str]):
        self.base, self.paths = base, article_paths
        self.statuses: Counter = Counter()
        self.bad: list[str] = []
        self.reads_accepted = 0
        self.stale_served = 0
        self.notices_received: list[str] = []  # submission keys answered "received"
        self.notices_refused = 0
        self.notices_kept = 0  # refused in the outage, the form back as typed
        self.readers = itertools.count(1)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.started = time.monotonic()

    def judge(self, status: int, headers, body: bytes, what: str) -> None:
        """Anything but a plain success must be a 503 that says when to retry, in Chinese."""
        with self.lock:
            self.statuses[status] += 1
            text = body.decode(errors="replace")
            when = f"{time.monotonic() - self.started:.1f} s"
            if status >= 500 and not (status == 503 and headers.get("Retry-After")):
                self.bad.append(f"{when} {what}: {status} {text[:80]!r}")
            elif status >= 400 and not CHINESE.search(text):
                self.bad.append(f"{when} {what}: {status} without Chinese: {text[:80]!r}")

    def read(self) -> None:
        while not self.stopping.is_set():
            path = random.choice(self.paths)
            reader = next(self.readers)
            address = f"10.{reader // 62500 % 250}.{reader // 250 % 250}.{reader % 250 + 1}"
            request = urllib.request.Request(
                self.base + path, headers={"X-Real-IP": address, "User-Agent": BROWSER}
            )
            status, headers, body = fetch(request)
            self.judge(status, headers, body, path)
            if status == 200:
                with self.lock:
                    self.stale_served += headers.get("X-Stale") == "1"
                # The browser loads the page's read beacon: that is the read.
                beacon = BEACON.search(body.decode()).group(1)
                request = urllib.request.Request(self.base + beacon, headers=request.headers)
                status, headers, body = fetch(request)
                self.judge(status, headers, body, beacon)
                if status == 200:
                    with self.lock:
                        self.reads_accepted += 1
            time.sleep(0.01)

    def send_notices(self) -> None:
        while not self.stopping.is_set():
            self.send_notice(open_form(self.base))
            time.sleep(0.2)

    def send_notice(self, form: "OpenForm | tuple") -> None:
        """Post a form opened earlier (or judge the refusal met when opening it)."""
        key = uuid.uuid4().hex
        if isinstance(form, OpenForm):
            status, headers, body = form.post(self.base, random.choice(self.paths), key)
        else:
            status, headers, body = form
        self.judge(status, headers, body, "notice")
        with self.lock:
            if status == 302 and "/takedown/received/" in headers.get("Location", ""):
                self.notices_received.append(key)
            else:
                self.notices_refused += 1
                text = body.decode(errors="replace")
                if status == 503 and "未能提交，请稍后重试" in text:
                    typed = "北京市东城区某街道 1 号" in text and f'value="{key}"' in text
                    self.notices_kept += 1
                    if not typed:
                        self.bad.append("an outage refusal lost what was typed")


def fetch(request, opener=None) -> tuple[int, dict, bytes]:
    try:
        with (opener or _no_redirects).open(request, timeout=15) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except OSError as error:  # a connection refused or cut: as bad as a bare 500
        return 599, {}, str(error).encode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_no_redirects = urllib.request.build_opener(_NoRedirect)


class OpenForm:
    """The notice form as a browser holds it once loaded: its CSRF cookie and token."""

    def __init__(self, opener, headers: dict, token: str):
        self.opener, self.headers, self.token = opener, headers, token

    def post(self, base: str, article_path: str, key: str) -> tuple[int, dict, bytes]:
        fields = {
            **notice_fields(base + article_path, email=f"{key[:8]}@example.com"),
            "csrfmiddlewaretoken": self.token,
            "submission_key": key,
        }
        body, content_type = multipart(fields, {"proof": ("证明.pdf", PDF)})
        request = urllib.request.Request(
            base + "/takedown/", data=body, headers={**self.headers, "Content-Type": content_type}
        )
        return fetch(request, self.opener)


def open_form(base: str) -> "OpenForm | tuple[int, dict, bytes]":
    """As a browser does it: fetch the form; or the answer met when it could not be."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    headers = {"User-Agent": BROWSER, "X-Real-IP": f"172.16.{random.randint(0, 250)}.1"}
    status, _, form = fetch(urllib.request.Request(base + "/takedown/", headers=headers), opener)
    if status != 200:
        return status, {"Retry-After": "30"} if status == 503 else {}, form
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1).decode()
    return OpenForm(opener, headers, token)


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())  # fmt: skip
    for name, (filename, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + data + b"\r\n"
        )  # fmt: skip
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def database():
    """A private PostgreSQL with the site's schema and the demo essays."""
    node = PostgresNode(ROOT / "var" / "faults" / uuid.uuid4().hex[:8], free_port())
    node.init(settings={"fsync": "off"}).start()
    node.create_database("juredian")
    env = {"DATABASE_URL": node.url("juredian")}
    manage_once("migrate", "--noinput", **env)
    manage_once("seed_demo", **env)
    yield node
    node.stop("immediate")
    import shutil

    shutil.rmtree(node.home, ignore_errors=True)


def totals(node: PostgresNode) -> tuple[int, list[str]]:
    """(reads written to the hourly totals, every stored notice's submission key)."""
    connection = node.connect("juredian")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(sum(reads), 0) FROM trending_articlereadhour")
            reads = cursor.fetchone()[0]
            cursor.execute("SELECT key FROM takedown_takedownsubmission WHERE kind = 'notice'")
            keys = [row[0].hex if hasattr(row[0], "hex") else str(row[0]).replace("-", "")
                    for row in cursor.fetchall()]  # fmt: skip
        return reads, keys
    finally:
        connection.close()


def test_redis_and_the_database_fail_and_nothing_accepted_is_lost(database):
    redis = RedisServer().start()
    env = {
        "DATABASE_URL": database.url("juredian"),
        "REDIS_URL": redis.url,
        "CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        "WEB_CONCURRENCY": "2",
        "TRENDING_FLUSH_SECONDS": "1",
        "TRENDING_RESEND_SECONDS": "3",
        "TAKEDOWN_NOTICES_PER_HOUR": "100000",
        "TAKEDOWN_ATTEMPTS_PER_HOUR": "100000",
        "REDIS_TIMEOUT": "0.5",
    }
    connection = database.connect("juredian")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug FROM articles_article WHERE status = 'published' AND published_at < now()"
        )
        paths = [f"/a/{slug}/" for (slug,) in cursor.fetchall()]
    connection.close()
    try:
        with gunicorn(**env) as server:
            drill = Drill(server.url, paths)
            clients = [threading.Thread(target=drill.read) for _ in range(4)]
            clients.append(threading.Thread(target=drill.send_notices))
            for client in clients:
                client.start()
            try:
                time.sleep(3)
                redis.kill()  # the cache dies under load
                time.sleep(1.5)
                asked = time.monotonic()
                health = fetch(urllib.request.Request(server.url + "/healthz"))
                pages = {
                    path: fetch(
                        urllib.request.Request(
                            server.url + path,
                            headers={"User-Agent": BROWSER, "X-Real-IP": "192.0.2.7"},
                        )
                    )
                    for path in SITE_PAGES
                }
                time.sleep(max(0.0, 2.5 - (time.monotonic() - asked)))  # Redis down 4 s
                redis.start()  # back, empty
                time.sleep(4)
                opened = open_form(server.url)  # a reader fills in the form meanwhile
                database.stop("fast")  # the database goes away
                time.sleep(1)
                drill.send_notice(opened)  # and sends it in the outage
                time.sleep(3)
                database.start()  # and comes back
                time.sleep(5)
            finally:
                drill.stopping.set()
                for client in clients:
                    client.join(timeout=30)

            assert health[0] == 200 and b'"cache": "down"' in health[2], health
            assert {path: page[0] for path, page in pages.items()} == dict.fromkeys(SITE_PAGES, 200)
            assert "热传" in pages["/"][2].decode(), "热传 from its kept snapshot"
            assert not drill.bad, drill.bad[:10]
            assert drill.statuses[503] > 0, "the database outage was seen"
            assert drill.stale_served > 0, "pages kept in the cache were served during it"
            assert drill.notices_kept > 0, "notices posted in the outage came back as typed"
            assert drill.notices_received and drill.reads_accepted > 100

            def everything_written():
                """every accepted read reaches the totals"""
                return totals(database)[0] >= drill.reads_accepted

            wait_until(everything_written, seconds=60, every=1)
            time.sleep(4)  # anything resent late would be counted now: it must not be
        reads, keys = totals(database)
        assert reads == drill.reads_accepted, "every accepted read, exactly once"
        stored = Counter(keys)
        assert all(stored[key] == 1 for key in drill.notices_received), "each stored once"
        assert max(stored.values()) == 1
    finally:
        redis.kill()
