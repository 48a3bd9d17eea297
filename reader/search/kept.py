"""Candidates' file texts (reader.search.sources) kept across one searcher's searches.

A narrowed or repeated query checks the same long posts again: a zero-hit
compound read ~80 files (~40 ms) every time it was typed. Each text is
checked against its file's size and time (a stat, ~3 µs) before it is used;
the metadata in it is the index generation's, as the searcher's is.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

KEPT_CHARS = 4_000_000  # file texts kept per searcher (~8 MB: Hangul takes two bytes a character)
KEPT_ONE = 500_000  # a longer file text is not kept


class KeptTexts:
    """File texts by path, each with the size and time of the file it was read from."""

    def __init__(self) -> None:
        self._texts: OrderedDict[str, tuple[tuple[int, int], str]] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def reader(self, root: str, read: Callable[[str], str | None]) -> Callable[[str], str | None]:
        """`read`, answered from the kept texts where the file has not changed."""

        def text(path: str) -> str | None:
            try:
                stat = os.stat(os.path.join(root, path))
            except OSError:
                return None
            stamp = (stat.st_size, stat.st_mtime_ns)
            with self._lock:
                found = self._texts.get(path)
                if found is not None and found[0] == stamp:
                    self._texts.move_to_end(path)
                    return found[1]
            fresh = read(path)
            if fresh is not None and len(fresh) <= KEPT_ONE:
                self._keep(path, stamp, fresh)
            return fresh

        return text

    def _keep(self, path: str, stamp: tuple[int, int], text: str) -> None:
        with self._lock:
            old = self._texts.pop(path, None)
            if old is not None:
                self._chars -= len(old[1])
            self._texts[path] = (stamp, text)
            self._chars += len(text)
            while self._chars > KEPT_CHARS and self._texts:
                _, (_, dropped) = self._texts.popitem(last=False)
                self._chars -= len(dropped)


_KEPT = "_reader_kept_texts"  # on the searcher: dropped with it (the index changed)
_KEPT_LOCK = threading.Lock()


def kept_texts(searcher: Any) -> KeptTexts:
    """The kept file texts of an open searcher (made on first use)."""
    with _KEPT_LOCK:
        found: KeptTexts | None = getattr(searcher, _KEPT, None)
        if found is None:
            found = KeptTexts()
            setattr(searcher, _KEPT, found)
    return found
