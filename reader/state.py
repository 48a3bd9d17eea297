"""Small state files the reader keeps between runs: JSON, bounded, written atomically.

State is never the truth (the Markdown files are): a state file that is
missing, damaged, too large or of another shape is read as empty, and is
replaced whole at the next save (a temporary file renamed over it), so a
crash mid-write never leaves half a file. Folders are made private (0700).
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

from reader.log import log_exception
from reader.paths import make_private_dirs, state_dir

MAX_STATE_BYTES = 1_000_000


def state_path(name: str) -> Path:
    return state_dir() / name


def load(path: Path) -> Any:
    """The JSON value in `path`; None when there is none or it cannot be read."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_STATE_BYTES + 1)
        if len(data) > MAX_STATE_BYTES:
            return None
        return json.loads(data.decode("utf-8"))
    except (OSError, ValueError):
        return None


def save(path: Path, value: Any) -> bool:
    """Write `value` as JSON, atomically. False (and a line in the log) when it cannot be written."""
    tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        make_private_dirs(path.parent)
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump(value, handle, ensure_ascii=False)
        os.replace(tmp, path)
        return True
    except OSError as exc:
        tmp.unlink(missing_ok=True)
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
