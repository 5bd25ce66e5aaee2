"""WSGI entry point for gunicorn: `gunicorn juredian.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "juredian.settings")
application = get_wsgi_application()
