"""gunicorn settings used by `make run` (`--config python:juredian.gunicorn`).

Production sets its own flags; these are sane defaults for a small machine. `PORT` and
`WEB_CONCURRENCY` come from the environment as gunicorn itself documents.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = True
