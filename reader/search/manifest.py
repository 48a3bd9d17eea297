"""The index manifest: what was indexed, from which file state, and what the index files were.

Two JSON files per generation. `state.json` is read on every sync: its
first line (the head) says what the index files are and a key of the file
states last indexed; its second line holds per post its size, mtime, ctime,
inode, content hash and warnings, so "what changed?" needs no stored fields.
That line is decoded only when the key differs from the folder's now: a
no-change sync at 10k posts then skips decoding and comparing 10k rows. The
head carries the line's hash, so damage is seen on load, not mid-sync.
`meta.json` holds titles, dates and tags, read only when a search shows hits
or the app wants its list before the posts are loaded.
"""

from __future__ import annotations

import json
import marshal
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, AnyStr, NamedTuple

from reader.paths import write_atomic
from reader.posts import listing
from reader.posts.discovery import FileRow, FileRows
from reader.posts.messages import say
from reader.posts.post import FileState, Post, new_digest

FEW_METAS = 16  # posts' metadata looked up in meta.json's text before it is decoded whole
# Posts put or removed in a save whose rows and metadata are written by splicing their entries
# into the JSON texts last read or written, not by encoding all posts again (see `_spliced`).
FEW_CHANGES = 64
_DECODER = json.JSONDecoder()

# The version of what the index stores (reader.search.schema); an index of another is rebuilt.
SCHEMA_VERSION = 11  # 11: no HTML markup in `text` (10: `tri` marks a post indexed in part)


class Row(NamedTuple):
    """One post as last indexed."""

    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int
    hash: str
    binary: bool
    warnings: list[str]

    @property
    def state(self) -> FileState:
        return FileState(self.size, self.mtime_ns, self.ctime_ns, self.ino)


def post_meta(post: Post) -> dict[str, Any]:
    return {
        "title": post.title,
        "date": post.date.isoformat() if post.date else None,
        "updated": post.updated.isoformat() if post.updated else None,
        "categories": post.category_names,
        "tags": list(post.tags),
        "draft": post.draft,
        # Where the body starts, for `with_body`: a JSON front matter can end mid-line.
        **({"body_line": post.body_line} if post.front_matter != "json" else {}),
    }


class ManifestError(ValueError):
    pass


def files_key(files: Sequence[tuple[str, FileState]]) -> tuple[str, int]:
    """A key of the paths and states of `files` (equal keys: nothing changed), and the
    newest mtime among them (a file written just before an index commit is checked again)."""
    return state_key([path for path, _ in files], [tuple(state) for _, state in files])


def rows_key(rows: Sequence[FileRow]) -> tuple[str, int]:
    """`files_key` of the same files given as the scan's flat (path, size, mtime_ns, ctime_ns,
    inode) rows, made without a `FileState` a file (as they are, for the scan's `FileRows`)."""
    if isinstance(rows, FileRows):
        return state_key(rows.paths, rows.states)
    return state_key([row[0] for row in rows], [row[1:] for row in rows])


def state_key(paths: Sequence[str], states: Sequence[tuple[int, ...]]) -> tuple[str, int]:
    """The key of `files_key` from the paths and the (size, mtime_ns, ctime_ns, inode) tuples.

    Hashed as the paths joined by NULs and the states as marshal writes them (version 2
    has no back-references, so equal numbers give equal bytes whatever objects hold them):
    C loops all, ~3 ms at 10k posts where formatting a line a file cost ~12 ms."""
    digest = new_digest()
    digest.update("\0".join(paths).encode("utf-8", "surrogatepass"))
    digest.update(marshal.dumps(states if isinstance(states, list) else list(states), 2))
    newest = max(map(itemgetter(1), states), default=0)
    return str(digest.hexdigest()), newest


@dataclass
class Manifest:
    schema: int
    root: str
    _rows: dict[str, Row] | None = field(default_factory=dict)  # None: not decoded yet (_rows_text)
    doc_count: int = 0
    written_ns: int = 0
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # index file name -> (size, mtime_ns)
    hashes: dict[str, str] = field(default_factory=dict)  # index file name -> blake2b
    generation: Path | None = None
    _meta: dict[str, dict[str, Any]] | None = None
    dirty: bool = False  # rows changed since the last save
    scan_key: str = ""  # files_key of the files as indexed; "" when unknown (a file was skipped)
    # The site settings the posts were read with (their dates' time zone, how categories
    # read: Library.site_key); None in an index written before it was recorded.
    site: str | None = None
    _warnings: list[str] = field(default_factory=list)  # the rows' warnings, while they are not decoded
    _rows_text: str = ""  # the rows' JSON as last read or written ("": not known)
    _rows_edits: dict[str, None] = field(default_factory=dict)  # paths whose row changed since _rows_text, in order
    _meta_dirty: bool = False  # metadata changed since meta.json was written
    _meta_text: bytes | None = None  # meta.json read, not decoded yet (a few posts looked up in it)
    _meta_edits: dict[str, dict[str, Any] | None] = field(default_factory=dict)  # on _meta_text (None: removed)
    _meta_lookups: int = 0
    _edit_lookups: int = 0  # metadata of changed posts looked up in _meta_text
    _changed: set[str] = field(default_factory=set)  # paths put or removed since the last save (the listing's)
    # Held while the metadata goes from text and edits to decoded: a search thread may decode it
    # (`meta`, `metas`) while a sync puts a post, and neither may lose the other's change.
    _meta_lock: threading.RLock = field(default_factory=threading.RLock, compare=False, repr=False)

    @classmethod
    def load(cls, generation: Path) -> Manifest:
        try:
            head_text, _, rows_text = (generation / "state.json").read_text("utf-8").partition("\n")
            head = json.loads(head_text)
            old = "rows" in head  # one line, as the reader wrote it before the split
            if not old and head.get("rows_hash") != _hash(rows_text):
                raise ValueError(say("its rows do not match their hash"))
            return cls(
                int(head["schema"]),
                str(head["root"]),
                _rows(head["rows"]) if old else None,
                int(head["doc_count"]),
                int(head["written_ns"]),
                {str(k): (int(v[0]), int(v[1])) for k, v in head["files"].items()},
                {str(k): str(v) for k, v in head.get("hashes", {}).items()},
                generation,
                scan_key=str(head.get("scan_key", "")),
                site=None if head.get("site") is None else str(head["site"]),
                _warnings=[str(w) for w in head.get("warnings", [])],
                _rows_text=rows_text,
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            raise ManifestError(say("unreadable manifest: {error}", error=exc)) from exc

    @property
    def rows(self) -> dict[str, Row]:
        """Every post as last indexed (decoded on first use; the head's hash vouched for it)."""
        if self._rows is None:
            self._rows = _rows(json.loads(self._rows_text))  # the text is kept: a save splices it
        return self._rows

    def warnings(self) -> list[str]:
        """The warnings of every indexed post."""
        if self._rows is None:
            return list(self._warnings)
        return [w for row in self._rows.values() for w in row.warnings]

    # --- rows and metadata ---------------------------------------------------------

    def meta(self, path: str) -> dict[str, Any] | None:
        """Title, date, categories, tags and draft of an indexed post.

        The first few are found in meta.json's text, each alone: decoding all of it costs
        ~40 ms at 10k posts, and a cold `reader search` asks for two or three."""
        with self._meta_lock:
            if self._meta is not None:
                return self._meta.get(path)
            if path in self._meta_edits:  # changed by a sync, not saved yet
                return self._meta_edits[path]
            if self._meta_text is None:
                self._meta_text = self._read_meta()
            if self._meta_lookups < FEW_METAS:
                self._meta_lookups += 1
                found = _meta_in(self._meta_text, path)
                if found is not None:
                    return found
            return self._load_meta().get(path)

    def metas(self) -> dict[str, dict[str, Any]]:
        """The metadata of every indexed post, by path (read once; not to be changed)."""
        return self._load_meta()

    def _read_meta(self) -> bytes:
        """meta.json's bytes, as UTF-8: its entries are looked up and spliced in the bytes (decoding
        its 2 MB of mostly Korean text at 10k posts cost ~11 ms, encoding it again ~5 ms)."""
        if self.generation is None:
            return b"{}"
        try:
            return (self.generation / "meta.json").read_bytes()
        except OSError:
            return b"{}"

    def _load_meta(self) -> dict[str, dict[str, Any]]:
        """Every post's metadata, decoded (once), with the changes not saved yet."""
        with self._meta_lock:
            if self._meta is None:
                text = self._read_meta() if self._meta_text is None else self._meta_text
                try:
                    loaded = json.loads(text)
                except ValueError:
                    loaded = {}
                metas = loaded if isinstance(loaded, dict) else {}
                for path, meta in self._meta_edits.items():
                    if meta is None:
                        metas.pop(path, None)
                    else:
                        metas[path] = meta
                self._meta, self._meta_text, self._meta_edits = metas, None, {}
            return self._meta

    def _meta_before(self, path: str) -> dict[str, Any] | None:
        """A post's metadata as saved, or as changed since, for a put or remove: looked up in
        meta.json's text for a sync of a few posts (decoding 10k posts' metadata costs ~40 ms,
        encoding it again as much); decoded whole past FEW_CHANGES."""
        with self._meta_lock:
            if self._meta is None:
                if path in self._meta_edits:
                    return self._meta_edits[path]
                if self._edit_lookups < FEW_CHANGES:
                    self._edit_lookups += 1
                    if self._meta_text is None:
                        self._meta_text = self._read_meta()
                    return _meta_in(self._meta_text, path)
            return self._load_meta().get(path)

    def _set_meta(self, path: str, meta: dict[str, Any] | None) -> None:
        with self._meta_lock:
            if self._meta is None:
                self._meta_edits.pop(path, None)  # a path removed and put again goes last, as in a dict
                self._meta_edits[path] = meta
            elif meta is None:
                self._meta.pop(path, None)
            else:
                self._meta[path] = meta
            self._meta_dirty = True

    def put(self, post: Post) -> None:
        """Remember a post as indexed now: its file state, hash, warnings and metadata."""
        path = post.path
        self.rows[path] = Row(*post.state, post.digest, post.binary, list(post.warnings))
        self._rows_edits[path] = None
        self._changed.add(path)
        meta = post_meta(post)
        if self._meta_before(path) != meta:
            self._set_meta(path, meta)
        self.dirty = True

    def remove(self, path: str) -> None:
        self.rows.pop(path, None)
        self._rows_edits[path] = None
        self._changed.add(path)
        if self._meta_before(path) is not None:
            self._set_meta(path, None)
        self.dirty = True

    def restat(self, path: str, state: FileState) -> None:
        """Touched but not changed: remember the new state, keep the rest."""
        self.rows[path] = self.rows[path]._replace(
            size=state.size, mtime_ns=state.mtime_ns, ctime_ns=state.ctime_ns, ino=state.ino
        )
        self._rows_edits[path] = None
        self.dirty = True

    # --- files -----------------------------------------------------------------------

    def save(self, generation: Path, index_written: bool = True) -> None:
        """Write atomically. After a commit (`index_written`), record the index files as
        they are now; otherwise keep what the last commit recorded, so damage done
        since is still seen (a restat must not bless a broken file)."""
        # meta.json is written when a title, date, tag, category or draft flag changed (an
        # edit to a body alone leaves it: re-encoding 10k posts' metadata was ~0.1 s a sync).
        write_meta = self._meta_dirty or generation != self.generation or not (generation / "meta.json").exists()
        meta_text = None
        with self._meta_lock:
            text, edits = self._meta_text, self._meta_edits
            if write_meta and self._meta is None:
                # A few posts' metadata changed: their entries spliced into the text of meta.json.
                if generation == self.generation and text is not None and len(edits) <= FEW_CHANGES:
                    meta_text = _spliced(text, edits)
                if meta_text is None:
                    self.generation = self.generation or generation
                    self._load_meta()
        self.generation = generation
        previous_written_ns, self.written_ns = self.written_ns, time.time_ns()
        if index_written or not self.files:
            # A file with the size and mtime it had at the last commit keeps its hash: hashing
            # the big unchanged segments again cost ~0.1 s per sync at 10k, and would bless rot.
            files, known = index_files(generation), self.files
            self.hashes = {
                name: self.hashes[name]
                if known.get(name) == state and name in self.hashes
                else file_hash(generation / name)
                for name, state in files.items()
            }
            self.files = files
        rows = self._rows_json()
        head = {
            "schema": self.schema,
            "root": self.root,
            "doc_count": self.doc_count,
            "written_ns": self.written_ns,
            "files": self.files,
            "hashes": self.hashes,
            "scan_key": self.scan_key,
            "site": self.site,
            "warnings": self.warnings(),
            "rows_hash": _hash(rows),
        }
        # meta first: a crash between the two leaves state older, which only
        # means those posts are indexed again.
        if write_meta:
            if meta_text is None:
                meta_text = _json(self._meta).encode("utf-8")
            write_atomic(generation / "meta.json", meta_text, durable=True)
            with self._meta_lock:
                if self._meta is None:  # what was spliced is the text now
                    self._meta_text, self._meta_edits, self._edit_lookups = meta_text, {}, 0
        write_atomic(generation / "state.json", _json(head) + "\n" + rows, durable=True)
        edited, self._rows_text, self._rows_edits = self._rows_edits, rows, {}
        # The app's first screen lists from this (reader.posts.listing), not from the JSON.
        metas: Mapping[str, dict[str, Any]] | None = self._meta
        if metas is None and self._changed:
            metas = _Metas(self)  # the changed posts' looked up in the text, all of it decoded if many
        # The rows edited since the last save are the only ones whose states the last listing lacks.
        listing.save(generation, self.rows, metas, self.written_ns, previous_written_ns, self._changed, edited.keys())
        self._changed = set()
        self.dirty = self._meta_dirty = False

    def _rows_json(self) -> str:
        """The rows' JSON line: the last one with the changed rows' entries spliced in, when few
        changed (encoding 10k rows again cost ~25 ms a sync); else every row encoded."""
        if self._rows is None:
            return self._rows_text  # not decoded, so not changed
        if self._rows_text and len(self._rows_edits) <= FEW_CHANGES:
            rows = self._rows
            spliced = _spliced(self._rows_text, {path: rows.get(path) for path in self._rows_edits})
            if spliced is not None:
                return spliced
        return _json(self._rows)  # a Row is a tuple: a JSON array

    def verify_files(self, generation: Path, contents: bool = False) -> None:
        """Raise if an index file went missing, changed size or was written since the last
        commit (a stat each: cheap enough for every search); with `contents`, also if a
        byte changed without a write we could see (Whoosh itself does not notice)."""
        actual = index_files(generation)
        for name, (size, mtime_ns) in self.files.items():
            if name not in actual:
                raise ManifestError(say("index file {name} is missing", name=name))
            if actual[name][0] != size:
                raise ManifestError(
                    say(
                        "index file {name} is {size} bytes, expected {expected}",
                        name=name,
                        size=actual[name][0],
                        expected=size,
                    )
                )
            if actual[name][1] != mtime_ns:
                raise ManifestError(say("index file {name} was written after the index was", name=name))
            if contents and name in self.hashes and file_hash(generation / name) != self.hashes[name]:
                raise ManifestError(say("index file {name} does not hold what was written", name=name))


class _Metas(Mapping[str, dict[str, Any]]):
    """A manifest's metadata by path for the listing, without decoding all of it for a few."""

    def __init__(self, manifest: Manifest) -> None:
        self._manifest = manifest
        self._lookups = 0

    def __getitem__(self, path: str) -> dict[str, Any]:
        manifest = self._manifest
        if manifest._meta is None and manifest._meta_text is not None and self._lookups < FEW_CHANGES:
            self._lookups += 1  # the text just written: a post not in it has no metadata
            meta = _meta_in(manifest._meta_text, path)
        else:
            meta = manifest.metas().get(path)
        if meta is None:
            raise KeyError(path)
        return meta

    def __iter__(self) -> Iterator[str]:
        return iter(self._manifest.metas())

    def __len__(self) -> int:
        return len(self._manifest.metas())


def _meta_in(text: AnyStr, path: str) -> dict[str, Any] | None:
    """One post's metadata from meta.json's text or bytes (as `_json` wrote it), or None when not found."""
    found = _entry(text, _json(path) + ":")
    value = found[2] if found is not None else None
    return value if isinstance(value, dict) else None


def _entry(text: AnyStr, key: str) -> tuple[int, int, Any] | None:
    """Where the entry `key` (a JSON string and a colon) of the JSON object `text` (as `_json`
    wrote it, or its UTF-8 bytes) starts and ends, and its value; None when it has none.

    A key is a quote right after `{` or `,`: inside a JSON string a quote is always `\\"`."""
    if isinstance(text, bytes):
        return _entry_in_bytes(text, key)
    at = text.find(key)
    while at > 0 and text[at - 1] not in "{,":
        at = text.find(key, at + 1)
    if at <= 0:
        return None
    try:
        value, end = _DECODER.raw_decode(text, at + len(key))
    except ValueError:
        return None
    return at, end, value


def _entry_in_bytes(data: bytes, key: str) -> tuple[int, int, Any] | None:
    """`_entry` in UTF-8 bytes: the value decoded from the bytes after its key, a window at a
    time (grown until it holds the whole value), its end given in bytes."""
    needle = key.encode("utf-8")
    at = data.find(needle)
    while at > 0 and data[at - 1 : at] not in (b"{", b","):
        at = data.find(needle, at + 1)
    if at <= 0:
        return None
    start, size = at + len(needle), 4096
    while True:
        whole = start + size >= len(data)
        # A window may end inside a character: "ignore" drops that part of it, nothing else.
        window = data[start : start + size].decode("utf-8", "ignore")
        try:
            value, end = _DECODER.raw_decode(window)
        except ValueError:
            if whole:
                return None
            size *= 16
            continue
        if end == len(window) and not whole:  # what follows might still be part of it
            size *= 16
            continue
        return at, start + len(window[:end].encode("utf-8")), value


def _spliced(text: AnyStr, edits: Mapping[str, Any]) -> AnyStr | None:
    """The JSON object `text` (as `_json` wrote it, or its UTF-8 bytes) with the entries of
    `edits` replaced, added (at the end) or removed (a value of None), made in one join; None
    if `text` is not such.

    The same object as decoding, changing and encoding it again (an entry replaced keeps its
    place, as a dict's does), at a small part of the cost when the edits are few."""
    as_text: Callable[[str], AnyStr] = (lambda s: s.encode("utf-8")) if isinstance(text, bytes) else (lambda s: s)
    opening, closing, comma = as_text("{"), as_text("}"), as_text(",")
    if not (text.startswith(opening) and text.endswith(closing)):
        return None
    cuts: list[tuple[int, int, AnyStr]] = []
    added: list[AnyStr] = []
    for path, value in edits.items():
        key = _json(path) + ":"
        found = _entry(text, key)
        if found is None:
            if value is not None:
                added.append(as_text(key + _json(value)))
            continue
        start, end, _ = found
        lead = ""
        if text[start - 1 : start] == comma:  # an entry after the first goes with the comma before it
            start, lead = start - 1, ","
        cuts.append((start, end, as_text("" if value is None else lead + key + _json(value))))
    cuts.sort()
    pieces: list[AnyStr] = []
    at = 0
    for start, end, piece in cuts:
        pieces += (text[at:start], piece)
        at = end
    pieces.append(text[at:-1])
    body = as_text("").join(pieces)
    if body.startswith(opening + comma):  # the first entry removed: the next one's comma goes too
        body = opening + body[2:]
    if added:
        body += (comma if body != opening else as_text("")) + comma.join(added)
    return body + closing


def _rows(data: dict[str, list[Any]]) -> dict[str, Row]:
    """The rows as JSON holds them (the types JSON gives are the types of a Row; the head's
    hash vouched for the text): no conversion a field, which cost ~40 ms at 10k posts."""
    make = Row._make  # raises TypeError for a row of another length
    return {k: make(v) for k, v in data.items()}


def _hash(text: str) -> str:
    digest = new_digest()
    digest.update(text.encode("utf-8", "surrogatepass"))
    return str(digest.hexdigest())


def _json(data: Any) -> str:
    """One line of JSON (json.dumps escapes newlines inside strings)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def file_hash(path: Path) -> str:
    """blake2b of a file's bytes; opened non-blocking, so a FIFO that took a post's place never hangs."""
    digest = new_digest()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


OURS = ("state.json", "meta.json", listing.LISTING_NAME)  # in a generation beside Whoosh's files


def index_files(generation: Path) -> dict[str, tuple[int, int]]:
    """The Whoosh files of a generation with their sizes and mtimes (not ours, not locks)."""
    out = {}
    for child in generation.iterdir():
        name = child.name
        if name.startswith(OURS) or name.endswith((".lock", ".tmp")) or "LOCK" in name:
            continue
        st = child.stat()
        out[name] = (st.st_size, st.st_mtime_ns)
    return out
