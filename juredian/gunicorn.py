"""gunicorn settings used by `make run` (`--config python:juredian.gunicorn`), and the hooks
that start and finish each worker's background runner (see juredian/background.py).

This file reads the environment itself: gunicorn loads it before Django's settings, to know
how many processes to start. It is the one exception to "only settings.py reads os.environ".

Without Redis the cache lives in each process's memory, and several processes would each
keep their own — a withdrawn article could linger in another process's 热传 list, and one
reader's reloads would be de-duplicated per process. So without `REDIS_URL` this serves
from one process with threads; with Redis (shared by all), from `WEB_CONCURRENCY` processes.
"""

import os

if os.environ.get("REDIS_URL"):
    workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
    worker_class = "sync"
    max_requests = 2000  # recycle workers now and then; their state lives in Redis
    max_requests_jitter = 200
else:
    workers = 1
    worker_class = "gthread"
    threads = int(os.environ.get("GUNICORN_THREADS", "4"))
    max_requests = 0  # the cache lives in this process: never recycle it
timeout = 30
# gunicorn's own limit (4094 bytes) refuses a search for ~450 Chinese characters with an
# English 414 page; the site cuts queries itself (see search.text). nginx allows 8k too.
limit_request_line = 8190
graceful_timeout = 20
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = True


def post_fork(server, worker):
    """Each worker starts its own background runner: threads do not survive the fork."""
    from juredian import background

    background.start()


def worker_exit(server, worker):
    """A worker leaving gracefully (max_requests, a deploy) hands over its pending reads."""
    from juredian import background

    background.finish()
