"""The persistent Whoosh index: schema, generations, locking and incremental sync.

The Markdown files are the truth and the index is a cache. An index lives in
a private directory as generations (`g-…/`, each a Whoosh index plus its
manifest) and a `CURRENT` file naming the live one, so a rebuild is written
beside the old index and swapped in with one atomic rename. Anything wrong
with an index (missing, truncated, garbage, another schema, a count that
does not match its manifest) means a rebuild, with a message, never a crash.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import filelock
from whoosh import fields, formats
from whoosh.analysis import Token, Tokenizer
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import Index
from whoosh.system import pack_uint

from reader.core.analysis import term_counts
from reader.core.discovery import Found, Layout, scan
from reader.core.manifest import FileState, Manifest, ManifestError, file_hash, file_state
from reader.core.paths import default_index_dir, make_private_dir
from reader.core.post import Post, load_post

SCHEMA_VERSION = 5
MAX_INDEXED_CHARS = 1_000_000  # a 50 MB post is searchable by its first million characters
Progress = Callable[[int, int], None]


class _KoreanTokenizer(Tokenizer):
    """Whoosh-facing tokenizer; indexing goes through `_KoreanPositions` instead."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, mode: str = "",
                 **kwargs: Any) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for term, count in term_counts(value).items():
            for _ in range(count):
                token.text = term
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = pos
                    pos += 1
                yield token


class _KoreanFrequency(formats.Frequency):
    """Postings straight from `index_terms`: no Token objects, several times faster.

    No positions are stored. Whoosh's span matching measured 4 s for one
    four-syllable word over 1,000 generated posts, and positions made the
    build 40% slower; long words and phrases are matched as all of their
    terms instead, and the hits shown are verified on the post text.
    """

    def word_values(self, value: str, analyzer: Any, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        boost = self.field_boost
        for term, count in term_counts(value).items():
            yield term, count, count * boost, pack_uint(count)


def _text_field(boost: float = 1.0) -> fields.TEXT:
    field_type = fields.TEXT(analyzer=_KoreanTokenizer(), phrase=False, field_boost=boost)
    field_type.format = _KoreanFrequency(field_boost=boost)
    return field_type


def build_schema() -> fields.Schema:
    return fields.Schema(
        path=fields.ID(stored=True, unique=True),
        title=_text_field(),
        text=_text_field(),  # title, tags, categories and body together
        tag=fields.KEYWORD(lowercase=True, commas=True),
        category=fields.KEYWORD(lowercase=True, commas=True),
        day=fields.NUMERIC(int, bits=32, signed=False),
        draft=fields.BOOLEAN(),
    )


def document(post: Post) -> dict[str, Any]:
    """The fields of one post as the index stores them."""
    prefixes = {"/".join(path[:depth]).lower() for path in post.categories for depth in range(1, len(path) + 1)}
    return {
        "path": post.path,
        "title": post.title,
        # One field for everything searchable, so a word is one intersection
        # (block-max pruning works) instead of an OR over four fields. Newlines
        # between the parts: no cross-space bigram joins a tag to the body.
        "text": "\n".join([post.title, " ".join(post.tags),
                           " ".join(name for path in post.categories for name in path),
                           post.body[:MAX_INDEXED_CHARS]]),
        "tag": ",".join(t.lower().replace(",", " ") for t in post.tags),
        "category": ",".join(p.replace(",", " ") for p in sorted(prefixes)),
        "day": int(post.date.strftime("%Y%m%d")) if post.date else 0,
        "draft": post.draft,
    }


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

    def to_json(self) -> dict[str, Any]:
        return {
            "posts": self.posts, "added": self.added, "updated": self.updated, "removed": self.removed,
            "unchanged": self.unchanged, "seconds": round(self.seconds, 3), "warnings": self.warnings,
            "messages": self.messages, "rebuilt": self.rebuilt, "busy": self.busy,
        }


class IndexUnavailable(Exception):
    """No index can be opened or built (the message says why)."""


class SearchIndex:
    """The index of one posts root. Owned by the Library; the UI never opens it."""

    def __init__(self, layout: Layout, tz: Any, hierarchical: bool, index_dir: Path | None = None) -> None:
        self.layout = layout
        self.root = layout.root
        self.tz = tz
        self.hierarchical = hierarchical
        self.dir = (index_dir or default_index_dir(self.root)).expanduser().absolute()
        real_root = os.path.realpath(self.root)
        if os.path.commonpath([os.path.realpath(self.dir), real_root]) == real_root:
            # Whoosh files are pickles: never read one from inside a posts folder.
            raise IndexUnavailable(f"the index directory may not be inside the posts folder: {self.dir}")
        self._index: Index | None = None
        self._searcher: Any = None
        self._lock = threading.RLock()  # the app searches and syncs from worker threads
        self.manifest: Manifest | None = None
        self._generation: str | None = None
        self.messages: list[str] = []

    # --- generations ------------------------------------------------------------

    def _current_name(self) -> str | None:
        try:
            name = (self.dir / "CURRENT").read_text("ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return name if name.startswith("g-") and "/" not in name and ".." not in name else None

    def load_manifest(self) -> bool:
        """Open the live generation's manifest (no Whoosh); False if there is none usable."""
        with self._lock:
            return self._load_manifest()

    def _load_manifest(self, verify: bool = False) -> bool:
        """Read the live generation's manifest and check its files; cheap (no Whoosh)."""
        if self.manifest is not None:
            return True
        name = self._current_name()
        if name is None:
            return False
        gen = self.dir / name
        try:
            manifest = Manifest.load(gen)
            if manifest.schema != SCHEMA_VERSION:
                raise ManifestError(f"index schema {manifest.schema} is not {SCHEMA_VERSION}")
            if manifest.root != str(self.root):
                raise ManifestError("the index belongs to another posts folder")
            manifest.verify_files(gen, contents=verify)
        except ManifestError as exc:
            self.messages.append(f"index damaged ({exc}); rebuilding")
            return False
        self.manifest, self._generation = manifest, name
        return True

    def _open_whoosh(self) -> None:
        """Open the Whoosh index of the live generation, checking it against the manifest."""
        assert self.manifest is not None and self._generation is not None
        index = FileStorage(str(self.dir / self._generation)).open_index()
        searcher = index.searcher()
        count = searcher.doc_count()
        if count != self.manifest.doc_count:
            searcher.close()
            index.close()
            raise ManifestError(f"index holds {count} posts, its manifest says {self.manifest.doc_count}")
        self._index, self._searcher = index, searcher

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            if self._index is not None:
                self._index.close()
            self._index = self._searcher = None

    def _forget(self) -> None:
        self.close()
        self.manifest, self._generation = None, None

    @contextlib.contextmanager
    def searcher(self) -> Iterator[Any]:
        """The open searcher (kept between searches: opening one costs ~80 ms at 10k posts).

        A damaged index found here is rebuilt once, with a message.
        """
        with self._lock:
            if self._searcher is None:
                if not self._load_manifest():
                    raise IndexUnavailable("no index yet")
                try:
                    self._open_whoosh()
                except Exception as exc:  # any failure of a cache file means rebuild
                    note = f"index damaged ({type(exc).__name__}: {exc}); rebuilt"
                    self._forget()
                    report = self.sync(rebuild=True)
                    self.messages.extend([note, *report.messages])
                    if self._searcher is None:
                        self._open_whoosh()
            yield self._searcher

    @property
    def is_open(self) -> bool:
        return self.manifest is not None

    # --- sync -------------------------------------------------------------------

    def sync(self, rebuild: bool = False, progress: Progress | None = None,
             lock_timeout: float = 0.0, verify: bool = False) -> SyncReport:
        """Bring the index up to date with the files; never raises for a post.

        `verify` also hashes every index file against the manifest (flipped
        bytes): `reader index` and the app do, a search's own sync does not.
        """
        started = time.perf_counter()
        report = SyncReport()
        found = scan(self.layout)
        report.warnings.extend(found.warnings)
        with self._lock:
            try:
                make_private_dir(self.dir)
                lock = filelock.FileLock(str(self.dir / "write.lock"), timeout=lock_timeout)
                lock.acquire()
            except filelock.Timeout:
                report.busy = True
                report.messages.append("the index is busy (another reader is updating it); searching its last state")
                if not self._load_manifest():  # nothing committed yet: do not wait for the other one
                    report.messages.append("no finished index yet; searching a temporary in-memory one")
                    self._build(RamStorage(), found.files, None, report, name=None)
                return self._finish(report, started)
            except OSError as exc:
                return self._read_only(report, found, exc, started)
            try:
                if verify and not rebuild:
                    self._forget()
                    # On a mismatch (or no index at all): a message, then a rebuild.
                    rebuild = not self._load_manifest(verify=True)
                self._sync_locked(found, rebuild, progress, report)
            except OSError as exc:
                self._forget()
                return self._read_only(report, found, exc, started)
            finally:
                lock.release()
            return self._finish(report, started)

    def _finish(self, report: SyncReport, started: float) -> SyncReport:
        report.messages[:0] = self.messages
        self.messages = []
        if self.manifest is not None:
            report.posts = self.manifest.doc_count
            for row in self.manifest.rows.values():
                report.warnings.extend(row.warnings)
        report.seconds = time.perf_counter() - started
        return report

    def _read_only(self, report: SyncReport, found: Any, exc: OSError, started: float) -> SyncReport:
        """The cache cannot be written: search what exists, or an index in memory."""
        report.messages.append(f"cannot update the index in {self.dir}: {exc.strerror or exc}")
        if not self._load_manifest():
            report.messages.append("searching a temporary in-memory index instead")
            self._build(RamStorage(), found.files, None, report, name=None)
        return self._finish(report, started)

    def _sync_locked(self, found: Any, rebuild: bool, progress: Progress | None, report: SyncReport) -> None:
        if rebuild or not self._load_manifest():
            self._forget()
            self._rebuild(found.files, progress, report)
            return
        manifest = self.manifest
        assert manifest is not None
        changed: list[tuple[Found, str, FileState]] = []
        seen: set[str] = set()
        racy_after = manifest.written_ns - 2_000_000_000
        for item in found.files:
            seen.add(item.rel)
            row = manifest.rows.get(item.rel)
            state = file_state(item.path, item.stat)
            # ctime cannot be set back by a user, so an edit that restores the
            # mtime (touch -d, rsync -t) still shows; then the hash decides.
            if row is not None and row.state == state and state.mtime_ns < racy_after:
                continue
            digest = _hash(item.path)
            if row is not None and digest == row.hash:
                manifest.restat(item.rel, state)
                continue
            changed.append((item, digest, state))
        removed = [path for path in manifest.rows if path not in seen]
        report.unchanged = len(seen) - len(changed)
        if not changed and not removed:
            if manifest.dirty:
                manifest.save(self.dir / self._generation_name())
            return
        self.close()
        generation = self.dir / self._generation_name()
        existing = set(os.listdir(generation))
        index = FileStorage(str(generation)).open_index()
        writer = None
        try:
            # Our write.lock already makes this the only writer; Whoosh's own
            # lock would stay held if a full disk broke the writer half-built.
            writer = index.writer(_lk=False)
            for path in removed:
                writer.delete_by_term("path", path)
                manifest.remove(path)
                report.removed += 1
            for done, (item, digest, state) in enumerate(changed, start=1):
                post = load_post(item, self.tz, self.hierarchical)
                is_new = item.rel not in manifest.rows
                manifest.put(item.rel, post, state, digest)
                if post.binary:
                    writer.delete_by_term("path", item.rel)
                else:
                    writer.update_document(**document(post))
                if is_new:
                    report.added += 1
                else:
                    report.updated += 1
                if progress:
                    progress(done, len(changed))
            writer.commit()
        except BaseException:
            _abandon(writer, index)
            _remove_new_files(generation, existing)  # a full disk leaves no half-written segment
            self._forget()
            raise
        manifest.doc_count = index.doc_count()
        index.close()
        manifest.save(generation)

    def _generation_name(self) -> str:
        assert self._generation is not None
        return self._generation

    def _rebuild(self, files: list[Found], progress: Progress | None, report: SyncReport) -> None:
        name = f"g-{time.time_ns():x}-{uuid.uuid4().hex[:6]}"
        gen = self.dir / name
        make_private_dir(gen)
        try:
            self._build(FileStorage(str(gen)), files, progress, report, name)
            tmp = self.dir / f"CURRENT.{uuid.uuid4().hex}"
            tmp.write_text(name, "ascii")
            os.replace(tmp, self.dir / "CURRENT")
        except BaseException:
            self._forget()
            shutil.rmtree(gen, ignore_errors=True)
            raise
        self._generation = name
        for old in self.dir.glob("g-*"):
            if old.name != name:
                shutil.rmtree(old, ignore_errors=True)

    def _build(self, storage: Any, files: list[Found], progress: Progress | None,
               report: SyncReport, name: str | None) -> None:
        """Index every file into `storage` from scratch."""
        report.rebuilt = True
        index = storage.create_index(build_schema())
        manifest = Manifest(schema=SCHEMA_VERSION, root=str(self.root), _meta={})
        writer = _writer_for(index, storage, len(files))
        try:
            for done, item in enumerate(files, start=1):
                try:
                    state = file_state(item.path, item.stat)
                except OSError as exc:
                    report.warnings.append(f"{item.rel}: cannot read: {exc.strerror or exc}")
                    continue
                post = load_post(item, self.tz, self.hierarchical)
                manifest.put(item.rel, post, state, _hash(item.path))
                if not post.binary:
                    writer.add_document(**document(post))
                report.added += 1
                if progress:
                    progress(done, len(files))
            writer.commit()
        except BaseException:
            _abandon(writer, index)
            raise
        manifest.doc_count = index.doc_count()
        if name is not None:
            manifest.save(self.dir / name)
            index.close()
        else:  # in memory: keep it open, it is all there is
            self._index, self._searcher = index, index.searcher()
        self.manifest = manifest


def _abandon(writer: Any, index: Index) -> None:
    """Give up a write that failed. Cancelling can fail the same way (a full disk);
    the first error is the one the caller raises, so these are only attempts."""
    lock = getattr(writer, "writelock", None)
    steps = [writer.cancel] if writer is not None else []
    steps += [lock.release] if lock is not None else []  # cancel may fail before releasing it
    for step in [*steps, index.close]:
        try:
            step()
        except Exception:
            continue


def _remove_new_files(directory: Path, keep: set[str]) -> None:
    """Delete what a failed write added; the last commit's files are untouched."""
    for name in set(os.listdir(directory)) - keep:
        path = directory / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


PARALLEL_BUILD_FROM = 1500  # posts; below this a second process costs more than it saves


def _writer_for(index: Index, storage: Any, count: int) -> Any:
    """A writer for a full build: both cores when the build is big enough.

    Whoosh's MpWriter analyses and writes in sub-processes, each its own
    segment (no merge at the end); measured 1.8x faster on 1,000 posts here.
    """
    procs = min(2, os.cpu_count() or 1)
    if procs > 1 and count >= PARALLEL_BUILD_FROM and isinstance(storage, FileStorage):
        from whoosh.multiproc import MpWriter

        return MpWriter(index, procs=procs, limitmb=128, multisegment=True)
    return index.writer(limitmb=256)


def _hash(path: Path) -> str:
    """A post's content hash; "" when it cannot be read (then it counts as changed)."""
    try:
        return file_hash(path)
    except OSError:
        return ""
