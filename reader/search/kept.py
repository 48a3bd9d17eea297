"""What one searcher keeps across its searches of the candidates' files: texts, UTF-8 verdicts, metadata.

A narrowed or repeated query checks the same long posts again: a zero-hit
compound read ~80 files (~40 ms) every time it was typed. Each text is
checked against its file's size and time (a stat, ~3 µs) before it is used;
the metadata in it is the index generation's, as the searcher's is.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from reader.posts import listing

KEPT_CHARS = 4_000_000  # file texts kept per searcher (~8 MB: Hangul takes two bytes a character)
KEPT_ONE = 500_000  # a longer file text is not kept
KEPT_VERDICTS = 100_000  # files whose UTF-8 verdict is kept (forgotten all at once past it)


class KeptTexts:
    """File texts by path, each with the size and time of the file it was read from."""

    def __init__(self) -> None:
        self._texts: OrderedDict[str, tuple[tuple[int, int], str]] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()
        self._utf8: dict[str, tuple[tuple[int, int], bool]] = {}

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

    def kept(self, root: str) -> Callable[[str], str | None]:
        """`kept(path)`: the kept text of an unchanged file, or None (nothing is read)."""

        def text(path: str) -> str | None:
            with self._lock:
                found = self._texts.get(path)
            if found is None:
                return None
            try:
                stat = os.stat(os.path.join(root, path))
            except OSError:
                return None
            return found[1] if found[0] == (stat.st_size, stat.st_mtime_ns) else None

        return text

    def is_utf8(self, root: str) -> Callable[[str, bytes], bool]:
        """`is_utf8(path, data)`: whether a file's bytes `data` are UTF-8, known once per
        unchanged file (a did-you-mean counting spellings decodes the same long posts
        each time it is typed: 85 of them for 읽은다섯, ~8 ms)."""

        def known(path: str, data: bytes) -> bool:
            try:
                stat = os.stat(os.path.join(root, path))
            except OSError:
                return is_utf8(data)
            stamp = (stat.st_size, stat.st_mtime_ns)
            with self._lock:
                found = self._utf8.get(path)
            if found is not None and found[0] == stamp and stamp[0] == len(data):
                return found[1]
            verdict = is_utf8(data)
            with self._lock:
                if len(self._utf8) >= KEPT_VERDICTS:
                    self._utf8.clear()
                self._utf8[path] = (stamp, verdict)
            return verdict

        return known

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
    return _kept_on(searcher, _KEPT, KeptTexts)


K = TypeVar("K")


def _kept_on(searcher: Any, name: str, make: Callable[[], K]) -> K:
    """What is kept on an open searcher under `name` (made on first use, dropped with it)."""
    with _KEPT_LOCK:
        found: K | None = getattr(searcher, name, None)
        if found is None:
            found = make()
            setattr(searcher, name, found)
    return found


MetaFor = Callable[[str], "dict[str, Any] | None"]


class KeptMetas:
    """Posts' indexed title, tags and categories, from the listing written with the manifest.

    What a candidate's quick text and a spelling's count need of its metadata. The
    manifest finds the first few posts' in meta.json's text (~1 ms each at 10k posts)
    and then decodes all of it (~35 ms, ~10 MB); the listing (reader.posts.listing)
    holds the same facts of the same save in marshal's format (~12 ms, ~4 MB). A post
    it does not list (a binary file), or a manifest changed since, is asked of the
    manifest itself.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[str, int] | None = None
        self._rows: dict[str, int] = {}
        self._listing: Any = None
        self._dates: dict[int, str] = {}  # a document's date by docnum (see date_key)

    def reader(self, manifest: Any) -> MetaFor:
        """`meta(path)` for the manifest's generation: {title, tags, categories}, or None."""
        own: MetaFor = manifest.meta
        if getattr(manifest, "_meta", None) is not None:
            return own  # its metadata decoded already (nothing to gain)
        found, rows = self._current(manifest)
        if found is None:
            return own

        def meta(path: str) -> dict[str, Any] | None:
            n = rows.get(path)
            if n is None:
                return own(path)
            return {
                "title": found.titles[n],
                "tags": list(found.tag_lists[found.tags[n]]),
                "categories": list(found.category_names[found.categories[n]]),
            }

        return meta

    def date_key(
        self, manifest: Any, docs: Iterable[int], path_of: Callable[[int], str]
    ) -> Callable[[int], str] | None:
        """A sort key of `docs`: each one's date (ISO 8601; "" undated), as the listing of the
        manifest's save holds it, kept for the searcher's next search (a filter of every post
        at 10k: ~15 ms the first time, its dicts' lookups after); None without that listing."""
        found, rows = self._current(manifest)
        if found is None:
            return None
        known, dates = self._dates, found.dates
        for docnum in docs:
            if docnum not in known:
                n = rows.get(path_of(docnum))
                known[docnum] = (dates[n] if n is not None else None) or ""
        return known.__getitem__

    def files(self, manifest: Any) -> Callable[[str], tuple[int, int, int] | None] | None:
        """`file(path)`: (size, mtime_ns, body line) of the file the index read, as the listing
        of the manifest's save holds them (None: not listed); None when there is no such listing."""
        found, rows = self._current(manifest)
        if found is None:
            return None
        states, body_lines = found.states, found.body_lines

        def file(path: str) -> tuple[int, int, int] | None:
            n = rows.get(path)
            return None if n is None else (states[4 * n], states[4 * n + 1], body_lines[n])

        return file

    def offer(self, manifest: Any, read: Any) -> None:
        """A listing the caller read already (the library's snapshot lists its posts from it):
        kept when it is the manifest's save's, so that it is not read again (~12 ms at 10k).
        Only read here, never changed."""
        if read is None or manifest.dirty or manifest.generation is None or read.key != manifest.written_ns:
            return
        key = (str(manifest.generation), int(manifest.written_ns))
        with self._lock:
            if self._key != key:
                self._take(key, read)

    def _take(self, key: tuple[str, int], found: Any) -> None:
        self._listing = found
        self._rows = {path: n for n, path in enumerate(found.paths)} if found else {}
        self._dates = {}
        self._key = key

    def _current(self, manifest: Any) -> tuple[Any, dict[str, int]]:
        """The listing of the manifest's save and its rows by path ((None, {}) when the manifest
        changed since its save or has none)."""
        if manifest.dirty or manifest.generation is None:
            return None, {}
        key = (str(manifest.generation), int(manifest.written_ns))
        with self._lock:
            if self._key != key:
                self._take(key, listing.read(manifest.generation, manifest.written_ns))
            return self._listing, self._rows


_METAS = "_reader_kept_metas"


def kept_metas(searcher: Any) -> KeptMetas:
    """The kept listing metadata of an open searcher (made on first use)."""
    return _kept_on(searcher, _METAS, KeptMetas)


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
