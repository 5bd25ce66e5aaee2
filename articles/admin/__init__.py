"""The newsroom's admin: articles with inline sections, images, channels and tags."""

from . import article, media, taxonomy  # noqa: F401  (registers the ModelAdmins)
