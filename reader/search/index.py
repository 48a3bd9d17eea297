"""The search index of one posts root: kept in step with the posts, opened for searching.

The Markdown files are the truth and the index is a cache: verified damage
(a missing file, another size, other bytes than were written, a manifest
that cannot be read) means a rebuild with a message, never a crash. An
index another process is writing is "busy", which is not damage: we search
its last commit. Only errors raised inside Whoosh count as possible damage,
and only a failed verification makes them so; anything else is a bug and
is raised as one.
"""

from __future__ import annotations

import contextlib
import gc
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.posts.messages import say
from reader.posts.post import FileState
from reader.search.manifest import FEW_CHANGES, Manifest, ManifestError, files_key
from reader.search.report import RACY_NS, SyncReport
from reader.search.store import Busy, IndexStore, IndexUnavailable, from_whoosh

# The indexer (and Whoosh under it) is imported when the index is written: listing the
# posts from the manifest (the app's first screen) and a sync that finds nothing changed need neither.

if TYPE_CHECKING:
    from types import ModuleType

    from reader.search.indexer import PostFor, Progress

__all__ = ["IndexUnavailable", "SearchIndex", "SyncReport"]


Files = Sequence[tuple[str, FileState]]
STATE_NAME = "state.json"  # a generation's manifest (reader.search.manifest)
BUSY_WAIT = 10.0  # seconds to wait for another process's commit before saying the index is busy


class SearchIndex:
    """The index of one posts root. Owned by the Library; the UI never opens it."""

    def __init__(self, root: Path, directory: Path, site: str = "") -> None:
        """`site`: the site settings the posts are read with (Library.site_key): an index whose
        posts were read with others is rebuilt (their dates, their categories)."""
        self.root = root
        self.site = site
        self.dir = directory.expanduser().absolute()
        real_root = root.resolve()
        real_dir = self.dir.resolve()
        if real_dir == real_root or real_root in real_dir.parents:
            # Whoosh files are pickles: never read one from inside a posts folder.
            raise IndexUnavailable(
                say("the index folder may not be inside the posts folder: {folder}", folder=self.dir)
            )
        self.store = IndexStore(self.dir, root)
        self.manifest: Manifest | None = None
        self.messages: list[str] = []  # about the index, for whoever reports next
        self._index: Any = None
        self._searcher: Any = None
        self._lock = threading.RLock()  # the app searches and syncs from worker threads
        self.busy = False  # the last look found another process writing for longer than BUSY_WAIT
        # The live generation and its state file's identity when `manifest` was read: another
        # process's commit into the same generation (an update is made in place) replaces it.
        self._read_from: tuple[str | None, tuple[int, int, int] | None] = (None, None)

    # --- reading -----------------------------------------------------------------------

    def load_manifest(self, verify: bool = False, locked: bool = False) -> bool:
        """Open the live generation's manifest (no Whoosh); False if there is none usable.

        Files that do not match their manifest while another process holds the write
        lock are a commit in progress, not damage: wait for it (`locked`: we hold it).
        """
        with self._lock:
            self.busy = False
            if self.manifest is not None and not verify:
                generation = self.manifest.generation
                if generation is None or self._read_from == self._live():
                    return True  # in memory, or still the live generation's last commit
            if not self.store.dir.is_dir():
                return False
            self.close()
            live = self._live()  # looked at before the read: a commit meanwhile is read next time
            manifest, problem = self.store.load_manifest(verify)
            self._read_from = live
            if manifest is not None and manifest.site is not None and manifest.site != self.site:
                manifest, problem = None, say("the site's time zone or categories changed; rebuilding the index")
            if problem and not locked and self.store.is_busy():
                try:
                    with self.store.write_lock(timeout=BUSY_WAIT):  # the writer's commit ends
                        manifest, problem = self.store.load_manifest(verify)
                except Busy:
                    self.busy = True
                    return False
            if problem and problem not in self.messages:  # looked at again before it is reported:
                self.messages.append(problem)  # said once (a listing read, then the sync)
            self.manifest = manifest
            return manifest is not None

    def _live(self) -> tuple[str | None, tuple[int, int, int] | None]:
        """The live generation, and its state file's inode, mtime and size (a stat: each search
        asks): what `manifest` must have been read from to be the last commit."""
        name = self.store.current()
        try:
            info = (self.dir / name / STATE_NAME).stat() if name else None
        except OSError:
            return name, None
        return name, None if info is None else (info.st_ino, info.st_mtime_ns, info.st_size)

    def _saved(self) -> None:
        """Our own commit: the manifest in memory is the one on disk."""
        self._read_from = self._live()

    @contextlib.contextmanager
    def searcher(self) -> Iterator[Any]:
        """The open Whoosh searcher (kept between searches: opening one costs ~80 ms at 10k posts)."""
        with self._lock:
            if self._searcher is None:
                if not self.load_manifest():
                    if self.busy:
                        raise IndexUnavailable(say("the index is being written by another process; try again"))
                    raise IndexUnavailable(say("no index yet"))
                assert self.manifest is not None
                if self.manifest.generation is None:
                    raise IndexUnavailable(say("no index yet"))
                try:
                    self._index, self._searcher = self.store.open_whoosh(self.manifest)
                except ManifestError as exc:
                    self.manifest = None
                    raise _Damage(str(exc)) from exc
            yield self._searcher

    def diagnose(self, exc: BaseException) -> str | None:
        """After a search failed: "retry" (busy, or replaced by a newer generation), "damaged", or
        None when the failure was not the index's (a bug: the caller raises it)."""
        if isinstance(exc, _Damage):
            return "damaged"
        if not from_whoosh(exc):
            return None
        with self._lock:
            opened = self.manifest.generation if self.manifest is not None else None
            self.close()
            self.manifest = None
            if self.store.is_busy():
                return "retry"
            manifest, problem = self.store.load_manifest(verify=True)
            if problem or manifest is None:
                self.messages.append(problem or say("index missing"))
                return "damaged"
            self.manifest = manifest
            return "retry" if manifest.generation != opened else None

    def close(self) -> None:
        with self._lock:
            for handle in (self._searcher, self._index):
                if handle is not None:
                    handle.close()
            self._index = self._searcher = None

    @property
    def is_open(self) -> bool:
        return self.manifest is not None

    # --- writing -------------------------------------------------------------------------

    def sync(
        self,
        files: Files,
        post_for: PostFor,
        rebuild: bool = False,
        progress: Progress | None = None,
        lock_timeout: float = 0.0,
        verify: bool = False,
        cancelled: Callable[[], bool] | None = None,
        key: tuple[str, int] | None = None,
    ) -> SyncReport:
        """Bring the index in step with `files` (path and state of every current file).

        `post_for(path)` gives the post of a file that changed (already read by
        the library). `verify` also hashes every index file (flipped bytes):
        `reader index` and the app do; a search's own sync does not. `key` is
        `files_key(files)` when the caller has it already (`rows_key` of its scan).
        """
        started = time.perf_counter()
        report = SyncReport()
        with self._lock:
            try:
                self.store.claim()
                if not (rebuild or verify):
                    key = key or files_key(files)
                    same = self._unchanged_report(key, len(files), started)
                    if same is not None:
                        return same  # nothing to write: no write lock taken
                with self.store.write_lock(lock_timeout):
                    self.store.remove_generations(keep=self.store.current())  # a killed build's
                    usable = self.load_manifest(verify=verify, locked=True)
                    if rebuild or not usable:
                        self._rebuild(files, post_for, report, progress, cancelled)
                    else:
                        self._update(files, post_for, report, progress, cancelled, key)
            except Busy:
                report.busy = True
                report.messages.append(
                    say("the index is busy (another reader is updating it); searching its last state")
                )
                if not self.load_manifest():  # nothing committed yet: do not wait for the other one
                    report.messages.append(say("no finished index yet; searching a temporary in-memory one"))
                    self._build_in_memory(files, post_for, report)
            except OSError as exc:
                self.close()
                self.manifest = None
                report.written = False
                report.added = report.updated = report.removed = 0  # nothing of it was committed
                report.rebuilt = False
                report.messages.append(
                    say("cannot update the index in {folder}: {error}", folder=self.dir, error=exc.strerror or exc)
                )
                if not self.load_manifest():
                    report.messages.append(say("searching a temporary in-memory index instead"))
                    self._build_in_memory(files, post_for, report)
            return self._finish(report, started)

    def sync_unchanged(self, key: tuple[str, int], count: int) -> SyncReport | None:
        """The report of a sync that finds nothing to do, from the key of the files alone
        (`rows_key` of a scan made elsewhere: a child's); None when something changed (or the
        index cannot say): then `sync` with the files."""
        started = time.perf_counter()
        with self._lock:
            try:
                self.store.claim()
            except (IndexUnavailable, OSError):
                return None  # `sync` says why
            return self._unchanged_report(key, count, started)

    def _unchanged_report(self, key: tuple[str, int], count: int, started: float) -> SyncReport | None:
        """The report of a sync of `count` files (of key `key`) that the index holds as they are;
        None if it does not."""
        if not self._unchanged(key):
            return None
        return self._finish(SyncReport(unchanged=count), started)

    def _unchanged(self, key: tuple[str, int]) -> bool:
        """Whether the live index holds `files` as they are: a no-change sync's whole work,
        done without the write lock (a manifest is replaced atomically; what we read is a
        commit). A killed build's leftover generation needs the lock to go: not unchanged."""
        said = len(self.messages)
        if self.load_manifest() and self._same_files(key) and not self.store.leftovers():
            return True
        del self.messages[said:]  # the locked look says it again, once
        return False

    def _same_files(self, key: tuple[str, int]) -> bool:
        """Whether the manifest was written from the files of `key` (`files_key`) in the same
        states, long enough after the newest was written (a write in the same tick is looked at)."""
        manifest = self.manifest
        if manifest is None or manifest.generation is None:
            return False
        scan_key, newest_ns = key
        return scan_key == manifest.scan_key and newest_ns < manifest.written_ns - RACY_NS

    def _update(
        self,
        files: Files,
        post_for: PostFor,
        report: SyncReport,
        progress: Progress | None,
        cancelled: Callable[[], bool] | None,
        key: tuple[str, int] | None = None,
    ) -> None:
        manifest = self.manifest
        assert manifest is not None and manifest.generation is not None
        key = key or files_key(files)
        if self._same_files(key):
            report.unchanged = len(files)  # the same files in the same states as indexed
            return
        # Whoosh imported, the rows decoded, a few posts written and the manifest saved make some
        # 10^5 objects, none garbage in a cycle: the collector's passes over them (a full one of the
        # process among them) were ~40-80 ms of a 10-edit sync at 10k posts. A bigger change
        # collects as it goes.
        with collector_held() as resume:
            indexer = _indexer()
            change = indexer.compare(manifest, files)
            if len(change.changed) + len(change.removed) > FEW_CHANGES:
                resume()
            report.unchanged = change.unchanged
            if key[0] != manifest.scan_key:
                manifest.scan_key = key[0]  # update() clears it if it skips a file
                manifest.dirty = True
            if manifest.site is None:  # an index from before it was recorded: its posts read as now
                manifest.site, manifest.dirty = self.site, True
            written = False
            if change.changed or change.removed:
                self.close()  # Whoosh's readers of the old segments
                try:
                    written = indexer.update(manifest, change, post_for, report, progress, cancelled)
                except BaseException:
                    self.manifest = None  # read again from disk: the last commit
                    raise
            if manifest.dirty:
                manifest.save(manifest.generation, index_written=written)
                self._saved()

    def _rebuild(
        self,
        files: Files,
        post_for: PostFor,
        report: SyncReport,
        progress: Progress | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        build = _indexer().build
        self.close()
        self.manifest = None
        name, path = self.store.new_generation()
        try:
            manifest, _ = build(self.root, path, files, post_for, report, progress, cancelled)
            manifest.site = self.site
            manifest.save(path)
            self.store.publish(name)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        self.manifest = manifest
        self._saved()

    def _build_in_memory(self, files: Files, post_for: PostFor, report: SyncReport) -> None:
        build = _indexer().build
        self.close()
        manifest, index = build(self.root, None, files, post_for, report, None, None)
        self.manifest, self._index, self._searcher = manifest, index, index.searcher()

    def _finish(self, report: SyncReport, started: float) -> SyncReport:
        report.messages[:0] = self.messages
        self.messages = []
        if self.manifest is not None:
            report.posts = self.manifest.doc_count
            report.warnings.extend(self.manifest.warnings())
        report.seconds = time.perf_counter() - started
        return report


@contextlib.contextmanager
def collector_held() -> Iterator[Callable[[], None]]:
    """The cyclic garbage collector held off until the block ends or calls the `resume` it is
    given, then as it was (see `reader.collector.collector_paused`)."""
    enabled = gc.isenabled()
    gc.disable()

    def resume() -> None:
        if enabled:
            gc.enable()

    try:
        yield resume
    finally:
        resume()


def _indexer() -> ModuleType:
    """The indexer, with Whoosh imported as the CLI imports it: without the modules Whoosh
    imports and never uses here (urllib.request, asyncio, English morphology: ~45 ms of a
    10-edit sync in a fresh process at 10k posts), whoever made this library."""
    from reader.search import lean_imports

    lean_imports.install()
    from reader.search import indexer

    return indexer


class _Damage(Exception):
    """The live generation does not match its manifest."""
