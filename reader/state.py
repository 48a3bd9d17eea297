"""Small state files the reader keeps between runs: JSON, bounded, written atomically.

State is never the truth (the Markdown files are): a state file that is
missing, damaged, too large or of another shape is read as empty, and is
replaced whole at the next save (a temporary file renamed over it), so a
crash mid-write never leaves half a file. Folders are made private (0700).
"""

from __future__ import annotations

import json
import math
from collections.abc import Container
from itertools import islice
from pathlib import Path
from typing import Any

from reader.log import log_exception
from reader.paths import make_private_dirs, state_dir, write_atomic

MAX_STATE_BYTES = 1_000_000
SHARE_DIGITS = 4  # how far into a block the reader was, kept to this many decimals


def state_path(name: str) -> Path:
    return state_dir() / name


def load(path: Path, limit: int = MAX_STATE_BYTES) -> Any:
    """The JSON value in `path`; None when there is none, it cannot be read or is over `limit` bytes."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            return None
        return json.loads(data.decode("utf-8"))
    except (OSError, ValueError):
        return None


def save(path: Path, value: Any) -> bool:
    """Write `value` as JSON, atomically. False (and a line in the log) when it cannot be written."""
    try:
        make_private_dirs(path.parent)
        write_atomic(path, json.dumps(value, ensure_ascii=False))
        return True
    except OSError as exc:
        log_exception(f"could not save {path}", exc)
        return False


class SearchHistory:
    """Earlier queries, newest last, without repeats, at most `limit` (for ↑/↓ in the search box)."""

    def __init__(self, path: Path | None = None, limit: int = 100) -> None:
        self.path = path or state_path("search-history.json")
        self.limit = limit
        value = load(self.path)
        entries = value.get("queries") if isinstance(value, dict) else None
        self.entries: list[str] = (
            [q for q in entries if isinstance(q, str) and q.strip()] if isinstance(entries, list) else []
        )
        self.entries = self.entries[-limit:]

    def add(self, query: str) -> None:
        query = query.strip()
        if not query or len(query) > 500:
            return
        if query in self.entries:
            self.entries.remove(query)
        self.entries.append(query)
        del self.entries[: -self.limit]
        save(self.path, {"version": 1, "queries": self.entries})


class Positions:
    """Where the reader was in each post of one folder (a file line), and when: restored on
    open, and the recent posts for the palette. At most `limit` posts over all folders."""

    def __init__(self, root: Path, path: Path | None = None, limit: int = 2000) -> None:
        self.path = path or state_path("positions.json")
        self.root = str(root)
        self.limit = limit
        value = load(self.path)
        folders = value.get("folders") if isinstance(value, dict) else None
        self._all: dict[str, dict[str, list[float]]] = {}
        if isinstance(folders, dict):
            for folder, entries in folders.items():
                if isinstance(folder, str) and isinstance(entries, dict):
                    self._all[folder] = {
                        p: [int(e[0]), *map(float, e[1:])]
                        for p, e in entries.items()
                        if isinstance(p, str) and _is_entry(e)
                    }
        self.changed = False

    @property
    def _here(self) -> dict[str, list[float]]:
        return self._all.setdefault(self.root, {})

    def get(self, post: str) -> int:
        """The file line the reader was at in `post` (0: never read here)."""
        entry = self._here.get(post)
        return int(entry[0]) if entry else 0

    def share(self, post: str) -> float:
        """How far into the block at that line the reader was (0 to 1: a long list, a long
        paragraph is one block)."""
        entry = self._here.get(post)
        # Kept to SHARE_DIGITS, rounded either way: half a unit added back, so that the share
        # times the block's lines, cut down to a line, is the line again (1/9 kept as 0.1111
        # came back a line short).
        share = float(entry[2]) + 0.5 / 10**SHARE_DIGITS if entry and len(entry) > 2 and entry[2] else 0.0
        return min(1.0, max(0.0, share))

    def remember(self, post: str, line: int, when: float, share: float = 0.0) -> None:
        self._here[post] = [max(0, int(line)), when, round(share, SHARE_DIGITS)]
        self.changed = True

    def touch(self, post: str, when: float) -> None:
        """`post` was opened on purpose: a recent post from `when` on, its place kept."""
        entry = self._here.get(post)
        line, share = (int(entry[0]), float(entry[2]) if len(entry) > 2 else 0.0) if entry else (0, 0.0)
        self._here[post] = [line, when, share]
        self.changed = True

    def recent(self, count: int = 10, leave_out: Container[str] = ()) -> list[str]:
        """The posts read last here, newest first (`count` of them, none of `leave_out`)."""
        newest = sorted(self._here.items(), key=lambda item: -item[1][1])
        return list(islice((p for p, _ in newest if p not in leave_out), count))

    def save(self) -> bool:
        if not self.changed:
            return True
        entries = [(folder, post, e) for folder, posts in self._all.items() for post, e in posts.items()]
        if len(entries) > self.limit:  # the oldest go first
            keep = sorted(entries, key=lambda item: -item[2][1])[: self.limit]
            self._all = {}
            for folder, post, e in keep:
                self._all.setdefault(folder, {})[post] = e
        self.changed = not save(self.path, {"version": 1, "folders": self._all})
        return not self.changed


def _is_entry(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) in (2, 3)  # [line, when] or [line, when, share]
        and all(is_number(v) for v in value)
    )


def is_number(value: Any) -> bool:
    """A JSON number a state file may hold: finite and of a sane size (a damaged file can say
    1e400, NaN or a 400-digit integer; int() and float() of those raise)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return abs(value) < 1e15 and (isinstance(value, int) or math.isfinite(value))
