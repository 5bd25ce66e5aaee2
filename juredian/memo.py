"""A small thread-safe LRU of derived page bodies (compressed, converted), keyed by the page
version (its ETag): a page read a thousand times is transformed once per process."""

import threading
from collections import OrderedDict
from collections.abc import Callable


class Memo:
    def __init__(self, entries: int):
        self.entries = entries
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key, make: Callable[[], bytes]) -> bytes:
        """The stored value for `key`, else `make()` stored; no key (None): `make()` only."""
        if key is None:
            return make()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.entries:
                self._items.popitem(last=False)
        return value
