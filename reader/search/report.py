"""What a sync did, and how close to a write a file's time may be: all a sync that finds
nothing changed needs, without importing the indexer (and Whoosh's writer) for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RACY_NS = 2_000_000_000  # a file written this close to a read may change again within the same mtime


@dataclass
class SyncReport:
    posts: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # about posts
    messages: list[str] = field(default_factory=list)  # about the index itself
    rebuilt: bool = False
    busy: bool = False  # another process holds the write lock
    written: bool = True  # False: the index could not be written (read-only, full disk)

    @property
    def nothing_changed(self) -> bool:
        """The index was found holding every file as it is, and still is what it was."""
        return not (self.added or self.updated or self.removed or self.rebuilt or self.busy) and self.written

    def to_json(self) -> dict[str, Any]:
        return {
            "posts": self.posts,
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "seconds": round(self.seconds, 3),
            "warnings": self.warnings,
            "messages": self.messages,
            "rebuilt": self.rebuilt,
            "busy": self.busy,
            "written": self.written,
        }
