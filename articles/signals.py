"""Signals other apps listen to; `articles` itself never imports its listeners.

- `article_viewed(article, request)`: a reader opened a public article page (not a preview).
- `article_visibility_changed(article)`: an article may have entered or left the public set
  (published, unpublished, withdrawn, restored, rescheduled); listeners drop their caches.
"""

import django.dispatch

article_viewed = django.dispatch.Signal()
article_visibility_changed = django.dispatch.Signal()
