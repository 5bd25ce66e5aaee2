"""The newsroom's admin: articles with inline sections, images, channels, tags, authors."""

from . import article, media, people, taxonomy  # noqa: F401  (registers the ModelAdmins)
