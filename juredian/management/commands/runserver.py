"""`manage.py runserver` (make dev), starting the background runner as gunicorn's post_fork
hook does for `make run`: in the serving process, once, before the first request."""

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

from juredian import background


class Command(RunserverCommand):
    def inner_run(self, *args, **options):
        background.start()
        super().inner_run(*args, **options)
