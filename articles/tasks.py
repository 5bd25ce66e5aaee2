"""Work the site hands to the task worker (django-tasks): run at once in the enqueuing process
under `make run`, by `manage.py worker` when BACKGROUND_WORKER is set."""

from django_tasks import task

from . import purging
from .models import Image


@task()
def send_edge_purges(keys: list[str]) -> None:
    """Purge these keys on every edge node; what a node does not take is retried by the
    worker's runner (purging.retry_failed) and logged."""
    purging.send(set(keys))


@task()
def make_renditions(image_id: int) -> None:
    """The resized copies (WebP and the original format) of a newly uploaded image."""
    image = Image.objects.filter(pk=image_id).first()
    if image is not None:
        image.refresh_renditions()
