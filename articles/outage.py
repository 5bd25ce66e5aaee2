"""What "the database cannot be reached" looks like to Python, for the places that answer it
on purpose (a 503 that keeps what a person typed) instead of failing."""

from django.db import InterfaceError, OperationalError

# A refused, lost or timed-out connection: psycopg2's errors, as Django wraps them.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
