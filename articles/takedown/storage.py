"""Takedown attachments on this server's disk (the default without an object store)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Attachments live under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, so no URL serves them;
    editors download them through a permission-checked view. The location is read from the
    settings at each use, so tests and servers may move it. Files are readable by the site's
    own account only (0600, folders 0700): they hold ID documents."""

    file_permissions_mode = 0o600
    directory_permissions_mode = 0o700

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None
