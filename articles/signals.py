"""Signals other apps listen to; `articles` itself never imports its listeners.

- `pages_imported(trending_blocks)`: the page importer found 热传 blocks, each a dict
  {"title", "summary", "article"} (article may be None); whoever keeps trending items makes them.

Saves and status changes need no signal of their own: listeners use Django's post_save.
"""

import django.dispatch

pages_imported = django.dispatch.Signal()
