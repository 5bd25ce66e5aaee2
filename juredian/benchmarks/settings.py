"""Settings for benchmark servers: the site's own, plus the ceiling URL."""

from juredian.settings import *  # noqa: F403

ROOT_URLCONF = "juredian.benchmarks.urls"
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}
