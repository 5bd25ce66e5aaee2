"""With a replica configured, readers' pages read from it and everything else from the primary."""

import json

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from juredian.replica import ReplicaMiddleware, ReplicaRouter
from tests.factories import make_article
from tests.juredian.test_settings import run_manage
from tests.servers import free_port, gunicorn

router = ReplicaRouter()


def database_seen_by(request) -> str:
    seen = {}

    def view(request):
        seen["db"] = router.db_for_read(None)
        return None

    ReplicaMiddleware(view)(request)
    return seen["db"]


def test_anonymous_reads_go_to_the_replica_and_the_rest_to_the_primary():
    factory = RequestFactory()
    assert database_seen_by(factory.get("/a/x/")) == "replica"
    assert database_seen_by(factory.head("/")) == "replica"
    assert database_seen_by(factory.post("/takedown/")) == "default"
    editor = factory.get("/a/x/")
    editor.COOKIES["sessionid"] = "abc"
    assert database_seen_by(editor) == "default"
    assert router.db_for_read(None) == "default", "outside a request (threads, commands)"
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "articles") is False


def test_whoever_just_posted_a_form_reads_from_the_primary(settings):
    settings.DATABASE_REPLICA_URL = "postgres://ro@replica.internal:5432/juredian"
    factory = RequestFactory()
    posted = ReplicaMiddleware(lambda request: HttpResponse())(factory.post("/takedown/"))
    cookie = posted.cookies["wrote"]
    assert 0 < cookie["max-age"] <= 60 and cookie["httponly"]
    after = factory.get("/takedown/status/")
    after.COOKIES["wrote"] = "1"
    assert database_seen_by(after) == "default", "read-your-writes"


def test_the_replica_url_becomes_a_mirrored_database():
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.DATABASES['replica']['HOST'], s.DATABASES['replica']['TEST'], "
        "s.DATABASE_ROUTERS]))"
    )
    result = run_manage(
        "shell", "-c", code, DATABASE_REPLICA_URL="postgres://ro@replica.internal:5432/juredian"
    )
    host, test, routers = json.loads(result.stdout.strip().splitlines()[-1])
    assert host == "replica.internal"
    assert test["MIRROR"] == "default", "tests read the primary through the replica alias"
    assert routers == ["juredian.replica.ReplicaRouter"]


@pytest.mark.django_db(transaction=True)
def test_a_reader_who_meets_a_dead_replica_gets_the_page_and_the_log_one_line():
    """No traceback for an error the reader never sees: one warning line says what happened."""
    article = make_article("副本宕机时的文章")
    dead = f"postgres://postgres@127.0.0.1:{free_port()}/juredian"
    with gunicorn(DATABASE_REPLICA_URL=dead) as server:
        status, body = server.get(article.get_absolute_url())
        log = server.stop(graceful=True)
    assert status == 200 and "副本宕机时的文章" in body.decode()
    assert "replica unreachable: /a/" in log
    assert "Traceback" not in log and "Internal Server Error" not in log, log[-2000:]
