"""The index manifest: what was indexed, from which file state, and what the index files were.

It answers "what changed?" without reading stored fields (a JSON load is
milliseconds; Whoosh's stored fields for 10k posts are not), and it lets a
search show titles, dates and tags of hits without opening the posts.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from reader.core.post import Post


@dataclass(frozen=True)
class FileState:
    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int


def file_state(path: Path) -> FileState:
    st = os.stat(path)
    return FileState(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass
class Entry:
    """One post as last indexed."""

    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int
    hash: str
    title: str
    date: str | None
    updated: str | None
    categories: list[str]
    tags: list[str]
    draft: bool
    binary: bool = False
    warnings: list[str] = field(default_factory=list)
    state_changed: bool = False  # touched since the manifest was written

    @classmethod
    def from_post(cls, post: Post, state: FileState, digest: str) -> Entry:
        return cls(
            size=state.size, mtime_ns=state.mtime_ns, ctime_ns=state.ctime_ns, ino=state.ino, hash=digest,
            title=post.title, date=post.date.isoformat() if post.date else None,
            updated=post.updated.isoformat() if post.updated else None,
            categories=post.category_names, tags=list(post.tags), draft=post.draft,
            binary=post.binary, warnings=list(post.warnings),
        )

    def same_state(self, state: FileState) -> bool:
        # ctime cannot be set back by a user, so an edit that restores the
        # mtime (touch -d, rsync -t) still shows; the hash decides then.
        return (self.size, self.mtime_ns, self.ctime_ns, self.ino) == (
            state.size, state.mtime_ns, state.ctime_ns, state.ino)

    def restat(self, state: FileState) -> Entry:
        return replace(self, size=state.size, mtime_ns=state.mtime_ns, ctime_ns=state.ctime_ns,
                       ino=state.ino, state_changed=True)


class ManifestError(ValueError):
    pass


@dataclass
class Manifest:
    schema: int
    root: str
    entries: dict[str, Entry] = field(default_factory=dict)
    doc_count: int = 0
    written_ns: int = 0
    files: dict[str, int] = field(default_factory=dict)  # index file name -> size

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text("utf-8"))
            entries = {k: Entry(**{**v, "state_changed": False}) for k, v in data["entries"].items()}
            return cls(int(data["schema"]), str(data["root"]), entries, int(data["doc_count"]),
                       int(data["written_ns"]), {str(k): int(v) for k, v in data["files"].items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ManifestError(f"unreadable manifest: {exc}") from exc

    def save(self, generation: Path) -> None:
        """Write atomically, recording the index files as they are now."""
        self.written_ns = time.time_ns()
        self.files = index_files(generation)
        data = {
            "schema": self.schema, "root": self.root, "doc_count": self.doc_count,
            "written_ns": self.written_ns, "files": self.files,
            "entries": {k: _entry_json(v) for k, v in self.entries.items()},
        }
        tmp = generation / f"manifest.json.{uuid.uuid4().hex}.tmp"
        try:
            with open(tmp, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, generation / "manifest.json")
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        for entry in self.entries.values():
            entry.state_changed = False

    def verify_files(self, generation: Path) -> None:
        """Raise if an index file went missing or changed size since the last commit."""
        actual = index_files(generation)
        for name, size in self.files.items():
            if name not in actual:
                raise ManifestError(f"index file {name} is missing")
            if actual[name] != size:
                raise ManifestError(f"index file {name} is {actual[name]} bytes, expected {size}")


def _entry_json(entry: Entry) -> dict[str, Any]:
    data = asdict(entry)
    data.pop("state_changed")
    return data


def index_files(generation: Path) -> dict[str, int]:
    out = {}
    for child in generation.iterdir():
        name = child.name
        if name.startswith("manifest.json") or name.endswith(".lock") or "LOCK" in name:
            continue
        out[name] = child.stat().st_size
    return out
