"""What the reader has read and bookmarked, per site: one small JSON file, carried across renames.

Entries are keyed by the site's root and the post's path relative to it, and
hold the post's content hash (`Post.digest`), so a post renamed without being
edited keeps its marks: when a path is gone and exactly one new path (without
marks of its own) has the same hash, the marks move there. A path that is gone
keeps its entry (the file may come back); the oldest entries go past `limit`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.state import is_number, load, save, state_path

if TYPE_CHECKING:
    from reader.posts.post import Post

MAX_READING_BYTES = 8_000_000  # 50,000 entries of a long path fit


@dataclass(slots=True)
class Marks:
    """One post's marks: when it was read and when bookmarked (None: not), and its hash then."""

    digest: str = ""
    read: float | None = None
    bookmarked: float | None = None

    @property
    def empty(self) -> bool:
        return self.read is None and self.bookmarked is None

    @property
    def last(self) -> float:
        return max(self.read or 0.0, self.bookmarked or 0.0)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"digest": self.digest}
        if self.read is not None:
            out["read"] = self.read
        if self.bookmarked is not None:
            out["bookmarked"] = self.bookmarked
        return out

    @classmethod
    def from_json(cls, value: Any) -> Marks | None:
        if not isinstance(value, dict):
            return None
        digest = value.get("digest")
        marks = cls(digest if isinstance(digest, str) else "", _when(value.get("read")), _when(value.get("bookmarked")))
        return None if marks.empty else marks


def _when(value: Any) -> float | None:
    return float(value) if is_number(value) and value >= 0 else None


class ReadingState:
    """Read and bookmarked posts of the site at `root` (other sites' entries are kept as they are)."""

    def __init__(self, root: Path, path: Path | None = None, limit: int = 50_000) -> None:
        self.path = path or state_path("reading.json")
        self.root = str(root)
        self.limit = limit
        value = load(self.path, MAX_READING_BYTES)
        sites = value.get("sites") if isinstance(value, dict) and value.get("version") == 1 else None
        self._all: dict[str, dict[str, Marks]] = {}
        if isinstance(sites, dict):
            for site, entries in sites.items():
                if isinstance(site, str) and isinstance(entries, dict):
                    parsed = {p: Marks.from_json(e) for p, e in entries.items() if isinstance(p, str)}
                    self._all[site] = {p: m for p, m in parsed.items() if m is not None}
        self.changed = False

    @property
    def _here(self) -> dict[str, Marks]:
        return self._all.setdefault(self.root, {})

    # --- questions --------------------------------------------------------------------------

    def is_read(self, post: str) -> bool:
        marks = self._here.get(post)
        return marks is not None and marks.read is not None

    def is_bookmarked(self, post: str) -> bool:
        marks = self._here.get(post)
        return marks is not None and marks.bookmarked is not None

    def has_read(self) -> bool:
        """Whether anything here was ever marked read (until then, unread is not worth marking)."""
        return any(m.read is not None for m in self._here.values())

    def bookmarks(self) -> list[str]:
        """The bookmarked posts here, the newest bookmark first."""
        marked = [(m.bookmarked, p) for p, m in self._here.items() if m.bookmarked is not None]
        return [p for _, p in sorted(marked, key=lambda item: (-(item[0] or 0.0), item[1]))]

    # --- changes ----------------------------------------------------------------------------

    def set_read(self, post: str, digest: str, read: bool = True, when: float | None = None) -> bool:
        """Mark `post` read (or unread); True if that changed anything."""
        return self._set(post, digest, "read", read, when)

    def set_bookmarked(self, post: str, digest: str, bookmarked: bool = True, when: float | None = None) -> bool:
        return self._set(post, digest, "bookmarked", bookmarked, when)

    def toggle_read(self, post: str, digest: str) -> bool:
        """Read becomes unread and the other way round; returns the new state (True: read)."""
        read = not self.is_read(post)
        self.set_read(post, digest, read)
        return read

    def toggle_bookmark(self, post: str, digest: str) -> bool:
        """Returns the new state (True: bookmarked)."""
        marked = not self.is_bookmarked(post)
        self.set_bookmarked(post, digest, marked)
        return marked

    def _set(self, post: str, digest: str, field: str, on: bool, when: float | None) -> bool:
        here = self._here
        marks = here.get(post)
        if (marks is not None and getattr(marks, field) is not None) == on:
            return False
        if marks is None:
            marks = here[post] = Marks(digest)
        if digest:
            marks.digest = digest
        setattr(marks, field, round(time.time() if when is None else when, 3) if on else None)
        if marks.empty:
            del here[post]
        self.changed = True
        return True

    def follow(self, posts: Mapping[str, str]) -> bool:
        """Keep the marks with their posts, given every post of the site now ({path: digest}):
        a path gone whose hash is now exactly one unmarked path's moves there; a post edited
        gets its new hash (so a later rename is still followed). True if anything changed."""
        here = self._here
        changed = False
        gone = [path for path in here if path not in posts]
        if gone:
            unmarked: dict[str, list[str]] = {}
            for path, digest in posts.items():
                if digest and path not in here:
                    unmarked.setdefault(digest, []).append(path)
            for old in gone:
                candidates = unmarked.get(here[old].digest, []) if here[old].digest else []
                if len(candidates) == 1:  # two copies of the same text: which one it was is not known
                    here[candidates.pop()] = here.pop(old)
                    changed = True
        for path, marks in here.items():
            current = posts.get(path)
            if current and current != marks.digest:
                marks.digest = current
                changed = True
        self.changed |= changed
        return changed

    def save(self) -> bool:
        """Write the file if anything changed (atomically); False if it could not be written."""
        if not self.changed:
            return True
        entries = [(site, post, m) for site, posts in self._all.items() for post, m in posts.items()]
        if len(entries) > self.limit:  # bookmarks are kept longest, then the newest marks
            keep = sorted(entries, key=lambda e: (e[2].bookmarked is None, -e[2].last))[: self.limit]
            self._all = {}
            for site, post, marks in keep:
                self._all.setdefault(site, {})[post] = marks
        value = {
            "version": 1,
            "sites": {site: {p: m.to_json() for p, m in posts.items()} for site, posts in self._all.items() if posts},
        }
        self.changed = not save(self.path, value)
        return not self.changed


def digests(posts: Iterable[Post]) -> dict[str, str]:
    """{path: digest} of posts, for `ReadingState.follow`."""
    return {post.path: post.digest for post in posts}
