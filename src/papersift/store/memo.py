"""A small least-recently-used memo for derived reads, keyed by what they depend on (put the
store's change mark in the key: a changed store then misses and the old entry ages out)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    """At most ``size`` entries; the least recently used goes first. Not thread-safe: one per
    Radar, used by one thread at a time (as the web app does)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> Any:
        """The value kept under ``key``, or ``None``."""
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: Hashable, value: T) -> T:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)
