"""Reindexing, as a task (see articles/tasks.py for where tasks run)."""

from django_tasks import task

from . import indexing


@task()
def reindex_articles(article_ids: list[int]) -> None:
    indexing.reindex(article_ids)
