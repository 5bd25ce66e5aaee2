"""Background work has one home (juredian/background.py), started once per process."""

import logging
import threading

import pytest
from django.urls import reverse

from juredian import background
from tests.conftest import require_redis
from tests.factories import make_article
from tests.servers import gunicorn, manage, wait_until
from trending.models import ArticleReadHour

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0"


def test_the_runner_runs_each_job_on_its_interval_and_survives_a_failing_one(caplog):
    calls = {"ok": 0, "broken": 0}

    def ok():
        calls["ok"] += 1

    def broken():
        calls["broken"] += 1
        raise ConnectionError("the cache is down")

    runner = background.Runner(
        [
            background.Job("ok", ok, lambda: 0.05, shared=False),
            background.Job("broken", broken, lambda: 0.05, shared=True),
        ]
    )
    with caplog.at_level(logging.ERROR, logger="juredian.background"):
        runner.start()
        wait_until(lambda: calls["ok"] >= 3 and calls["broken"] >= 3, seconds=5)
        runner.finish()
    after_finish = dict(calls)
    assert not runner.thread.is_alive()
    assert "broken failed; will retry" in caplog.text
    threading.Event().wait(0.2)
    assert calls == after_finish, "nothing runs once finished"


def test_web_processes_leave_shared_jobs_to_a_separate_worker(settings):
    settings.BACKGROUND_WORKER = False
    assert {job.name for job in background.jobs_for(worker=False)} == {
        job.name for job in background.JOBS
    }
    settings.BACKGROUND_WORKER = True
    assert [job.name for job in background.jobs_for(worker=False)] == [
        "push reads",
        "confirm reads",
        "retry edge purges",
    ]
    assert len(background.jobs_for(worker=True)) == len(background.JOBS)


def read_as(server, article, readers: int) -> None:
    """`readers` readers open the article, and their browsers load its read beacon."""
    for n in range(readers):
        reader = {"X-Real-IP": f"203.0.113.{n + 1}", "User-Agent": BROWSER}
        for path in (article.get_absolute_url(), reverse("trending:read", args=[article.pk])):
            status, _ = server.get(path, **reader)
            assert status == 200


def reads_of(article) -> int:
    return sum(ArticleReadHour.objects.filter(article=article).values_list("reads", flat=True))


@pytest.mark.django_db(transaction=True)
def test_make_run_counts_reads_with_no_other_process_to_start():
    """gunicorn's post_fork hook starts the runner; reads reach PostgreSQL by themselves."""
    article = make_article()
    env = {"CLIENT_IP_HEADER": "HTTP_X_REAL_IP", "TRENDING_FLUSH_SECONDS": "1"}
    with gunicorn(**env) as server:
        read_as(server, article, 3)
        wait_until(lambda: reads_of(article) == 3, seconds=15)


@pytest.mark.django_db(transaction=True)
def test_a_worker_stopping_gracefully_hands_over_its_reads():
    """gunicorn's worker_exit hook: reads not yet flushed are written on the way out."""
    article = make_article()
    env = {"CLIENT_IP_HEADER": "HTTP_X_REAL_IP", "TRENDING_FLUSH_SECONDS": "3600"}
    with gunicorn(**env) as server:
        read_as(server, article, 4)
        threading.Event().wait(1.5)
        assert reads_of(article) == 0, "nothing flushed on its own within the hour"
        server.stop(graceful=True)
    assert reads_of(article) == 4


@pytest.mark.django_db(transaction=True)
def test_with_a_separate_worker_the_web_process_only_pushes():
    redis_url = require_redis()
    article = make_article()
    env = {
        "CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        "TRENDING_FLUSH_SECONDS": "1",
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"test-worker-{article.pk}",
        "BACKGROUND_WORKER": "1",
    }
    with gunicorn(**env) as server:
        read_as(server, article, 5)
        threading.Event().wait(2.5)
        assert reads_of(article) == 0, "the web process leaves flushing to the worker"
        with manage("worker", **env):
            wait_until(lambda: reads_of(article) == 5, seconds=15)


@pytest.mark.django_db
def test_tasks_a_killed_worker_had_claimed_go_back_to_the_queue(settings):
    """django-tasks-db leaves a task RUNNING when its worker dies; after the lease it is
    queued again, and a task still well within it is left to its worker."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from articles.tasks import send_edge_purges

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    lost, busy = (send_edge_purges.enqueue(["home"]) for _ in range(2))
    long_ago = timezone.now() - timedelta(seconds=background.TASK_LEASE_SECONDS + 1)
    DBTaskResult.objects.filter(id=lost.id).update(
        status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["killed"]
    )
    DBTaskResult.objects.filter(id=busy.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )
    assert background.requeue_lost_tasks() == 1
    assert DBTaskResult.objects.get(id=lost.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(id=busy.id).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.ready().filter(id=lost.id).exists(), "a worker will take it"
