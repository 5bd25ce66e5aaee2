"""Background work's one home: what runs, how often, and in which process.

Two kinds of periodic job:
- **per process**: pushing a web process's pending reads into the shared cache
  (`trending.buffer.push_pending`, every second) and learning which of them the database
  has (`confirm_sent_batches`, every 5 s); sending again the edge purges a cache node did
  not take (`articles.purging.retry_failed`). Only that process knows of them, so every
  process that serves pages runs them.
- **shared**: flushing reads to PostgreSQL (every `TRENDING_FLUSH_SECONDS`), recomputing
  热传 (at most every `TRENDING_RECOMPUTE_SECONDS` among all processes), and purging the
  pages a scheduled article joins when its time comes (every second). By default the web
  process runs them too: `make run` is one process and needs no other. With
  `BACKGROUND_WORKER=1` (a shared Redis cache required) only `manage.py worker` runs them.

Each process starts its runner once, at start-up: gunicorn's `post_fork` hook
(`juredian/gunicorn.py`), `manage.py runserver` and `manage.py worker` — never a template, a
view or a signal receiver. gunicorn's `worker_exit` hook calls `finish()`, so a worker that
is recycled or stopped gracefully hands over its last second of reads.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections

from articles.edge_purges import purge_come_due
from articles.outage import DATABASE_UNREACHABLE
from articles.purging import retry_failed
from articles.services import expire_come_due
from trending.buffer import push_pending
from trending.flushing import confirm_sent_batches, flush_reads, forget_old_batch_ids
from trending.ranking import recompute_if_due

from .cache import CacheUnavailable

logger = logging.getLogger(__name__)
OUTAGES = (CacheUnavailable, *DATABASE_UNREACHABLE)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]
    seconds: Callable[[], float]  # read when the runner starts, so settings apply
    shared: bool  # True: one kind of process runs it for the deployment (see above)


JOBS = [
    Job("push reads", push_pending, lambda: 1.0, shared=False),
    Job("confirm reads", confirm_sent_batches, lambda: 5.0, shared=False),
    Job("flush reads", flush_reads, lambda: settings.TRENDING_FLUSH_SECONDS, shared=True),
    Job("recompute 热传", recompute_if_due, lambda: 1.0, shared=True),
    Job("forget old batch ids", forget_old_batch_ids, lambda: 3600.0, shared=True),
    Job("retry edge purges", retry_failed, lambda: 1.0, shared=False),
    Job("scheduled articles come due", purge_come_due, lambda: 1.0, shared=True),
    Job("scheduled unpublishing", expire_come_due, lambda: 1.0, shared=True),
    Job("prune finished tasks", lambda: prune_finished_tasks(), lambda: 3600.0, shared=True),
    Job("tasks of a lost worker", lambda: requeue_lost_tasks(), lambda: 60.0, shared=True),
]
# Our tasks take seconds (a purge, an email, a few articles reindexed, an image resized): one
# still "running" after this long belongs to a worker that was killed under it.
TASK_LEASE_SECONDS = 600


def tasks_in_database() -> bool:
    """Whether tasks wait in PostgreSQL for `manage.py worker` (django-tasks-db), rather than
    running at once in the process that enqueues them (see TASKS in settings)."""
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def prune_finished_tasks() -> None:
    """The task queue's finished results, a day after they finished (django-tasks-db keeps
    them until told); nothing to do when tasks run in-process."""
    if tasks_in_database():
        call_command("prune_db_task_results", "--queue-name", "*", "--min-age-days", "1",
                     verbosity=0)  # fmt: skip


def requeue_lost_tasks() -> int:
    """Tasks a killed worker had claimed go back to the queue, to be run again (each of ours
    may safely run twice: a purge, a resize, a reindex; an email at worst arrives twice).
    django-tasks-db marks a claimed task RUNNING and has no lease of its own."""
    if not tasks_in_database():
        return 0
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(seconds=TASK_LEASE_SECONDS)
    lost = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    count = lost.update(status=TaskResultStatus.READY, started_at=None)
    if count:
        logger.warning("background: %d tasks of a lost worker put back in the queue", count)
    return count


def jobs_for(*, worker: bool) -> list[Job]:
    """A worker process runs every job; a web process the per-process ones, and the shared
    ones too unless a separate worker does (`BACKGROUND_WORKER`)."""
    if worker or not settings.BACKGROUND_WORKER:
        return list(JOBS)
    return [job for job in JOBS if not job.shared]


class Runner:
    """Runs its jobs on their intervals, one after another; a failing job is logged and tried
    again at its next turn (the services it talks to may be down for a while)."""

    def __init__(self, jobs: list[Job]):
        self.jobs = jobs
        self.failing: set[str] = set()  # jobs whose service is down
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def run_forever(self) -> None:
        due = {job.name: time.monotonic() + job.seconds() for job in self.jobs}
        while not self.stopping.is_set():
            now = time.monotonic()
            for job in self.jobs:
                if now >= due[job.name]:
                    due[job.name] = now + job.seconds()
                    self.run_once(job)
            self.stopping.wait(max(0.05, min(due.values()) - time.monotonic()))

    def run_once(self, job: Job) -> None:
        try:
            job.run()
        except OUTAGES as error:
            # The breaker has said the service is down; one line per job until it is back.
            if job.name not in self.failing:
                logger.warning("background: %s waits: %s", job.name, error)
            self.failing.add(job.name)
        except Exception:
            logger.exception("background: %s failed; will retry", job.name)
        else:
            if job.name in self.failing:
                logger.warning("background: %s runs again", job.name)
                self.failing.discard(job.name)
        finally:
            close_old_connections()

    def start(self) -> None:
        self.thread = threading.Thread(target=self.run_forever, name="background", daemon=True)
        self.thread.start()

    def finish(self) -> None:
        """Stop, then run every job once more, so that nothing waits in this process."""
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=5)
        for job in self.jobs:
            self.run_once(job)


_runner: Runner | None = None


def start() -> Runner:
    """Start this process's runner in a thread (once): for web processes."""
    global _runner
    if _runner is None:
        _runner = Runner(jobs_for(worker=False))
        _runner.start()
    return _runner


def finish() -> None:
    if _runner is not None:
        _runner.finish()
