"""Signals other apps listen to; `articles` itself never imports its listeners.

- `article_viewed(article_id, request)`: a reader opened a public article page (not a
  preview), rendered or from the page cache.
- `pages_imported(trending_blocks)`: the page importer found 热传 blocks, each a dict
  {"title", "summary", "article"} (article may be None); whoever keeps trending items makes them.

Saves and status changes need no signal of their own: listeners use Django's post_save.
"""

import django.dispatch

# Sent on every reader's page view: receivers are looked up once per sender, not each time.
article_viewed = django.dispatch.Signal(use_caching=True)
pages_imported = django.dispatch.Signal()
