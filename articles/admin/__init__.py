"""The newsroom's admin: articles with inline sections, images, channels and tags."""

from . import article, media, takedown, taxonomy  # noqa: F401  (registers the ModelAdmins)
