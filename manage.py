#!/usr/bin/env python
"""Django's command-line utility for 聚热点 juredian."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "juredian.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        sys.exit(f"juredian: configuration error: {exc}")
    except OperationalError as exc:
        # A wrong DATABASE_URL or a server that is down: say so in one line, not a traceback.
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        sys.exit(f"juredian: cannot reach the database: {first_line}")


if __name__ == "__main__":
    main()
