"""The slow work of the app, in cancellable thread workers that post their results as messages.

Each worker reads what it is given (a snapshot, a post) and builds something
new; it never changes what the main thread reads. Quitting sets `stopping`,
and every loop in the core asks `cancelled()` between posts, so the app
exits within a post's time even in the middle of a 10k-post build.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual.dom import DOMNode
from textual.worker import NoActiveWorker, Worker, get_current_worker

from reader.library import PREVIEW_FROM, InvalidQuery, Library
from reader.log import log_exception
from reader.posts.post import Post
from reader.posts.snapshot import Cancelled, Snapshot
from reader.search.index import IndexUnavailable
from reader.search.query import Node
from reader.ui.i18n import t, tell
from reader.ui.messages import (
    ChangesRead,
    ConnectionsFound,
    DocumentParsed,
    FilesChanged,
    IndexProgressed,
    IndexSynced,
    IndexUnusable,
    LinksResolved,
    LoadProgressed,
    SearchFinished,
    SnapshotPartial,
    SnapshotRead,
    WorkFailed,
)
from reader.ui.query_problems import problem_of

if TYPE_CHECKING:  # the searcher (Whoosh) is imported by the first search
    from reader.library import Related, SearchResult
    from reader.posts.document import Document

PROGRESS_EVERY = 50  # posts between progress messages
RESULTS_LIMIT = 200  # hits listed for one search
READING_ALL = "reading posts"  # the worker reading every post (its WorkFailed says so)
READING_CHANGES = "reading changed posts"  # the worker reading changed files (its WorkFailed says so)
FINDING_CONNECTIONS = "finding connections"  # the connections panel's worker (its WorkFailed says so)
SNIPPETS_FIRST = 50  # hits whose snippets the worker cuts (a tall first screen); the list cuts the rest as drawn
WATCH_STEP_MS = 10  # quiet time after a change before the watcher reports it (watchfiles: 50)
# The watcher silent this long (it asks every WATCH_STEP_MS): the process was stopped (SIGSTOP, a
# debugger, a frozen container), and the kernel may have dropped changes meanwhile (see `_StopAsked`).
STALLED_AFTER = 2.0


class Services:
    """Starts the workers of one screen; their messages go to that screen."""

    def __init__(self, node: DOMNode, library: Library) -> None:
        self.node = node
        self.library = library
        self.stopping = threading.Event()
        self._reading_all: Worker[None] | None = None
        self._watch_up: threading.Event | None = None  # set once the watcher watches (None: none started)

    def stop(self) -> None:
        """Ask every worker to stop at its next check (the app is quitting)."""
        self.stopping.set()
        self.node.workers.cancel_node(self.node)

    def cancelled(self) -> bool:
        if self.stopping.is_set():
            return True
        try:
            return get_current_worker().is_cancelled
        except NoActiveWorker:  # not in a worker: only `stopping` counts
            return False

    def _run(
        self, what: str, work: Callable[[], None], group: str, exclusive: bool = True, request: int = 0
    ) -> Worker[None]:
        def guarded() -> None:
            try:
                work()
            except Cancelled:
                return
            except Exception as exc:  # one place for worker failures: a line, and the log
                if not self.cancelled():
                    where = log_exception(f"{what} failed", exc)
                    line = f"{what} failed: {type(exc).__name__}: {exc}; {where}"
                    self.node.post_message(WorkFailed(what, line, request))

        return self.node.run_worker(
            guarded, name=what, group=group, thread=True, exclusive=exclusive, exit_on_error=False
        )

    def _progress(self, message: Callable[[int, int], Any]) -> Callable[[int, int], None]:
        def progress(done: int, total: int) -> None:
            if done == total or done % PROGRESS_EVERY == 0:
                self.node.post_message(message(done, total))

        return progress

    # --- the work -----------------------------------------------------------------------

    def read_posts(self, previous: Snapshot | None, request: int = 0) -> None:
        """Read every post (`previous`'s unchanged ones reused); SnapshotRead says `request`.
        With a watcher started, the read begins once it watches: a file changed after the
        read has read it is reported, and read again once this read is adopted."""

        def partial(snapshot: Snapshot) -> None:
            if not self.cancelled():
                self.node.post_message(SnapshotPartial(snapshot))

        def work() -> None:
            self._wait_for_watch()
            snapshot = self.library.read(previous, self.cancelled, self._progress(LoadProgressed), partial)
            if not self.cancelled():
                self.node.post_message(SnapshotRead(snapshot.prepare(), request))

        self._reading_all = self._run(READING_ALL, work, "load", request=request)

    @property
    def reading_all(self) -> bool:
        """A read of every post is under way (what it finds may predate a change just seen)."""
        return self._reading_all is not None and not self._reading_all.is_finished

    def read_changes(self, paths: frozenset[str], previous: Snapshot) -> Worker[None]:
        """Read the files the watcher reported alone, or (a folder, a config, too many) all of them.
        One at a time: the screen starts the next once this one's snapshot is adopted."""

        def work() -> None:
            delta = self.library.read_changes(paths, previous)
            if delta is not None:
                snapshot = self.library.apply_changes(delta, previous)
            else:
                snapshot = self.library.read(previous, self.cancelled, self._progress(LoadProgressed))
            if not self.cancelled():
                self.node.post_message(ChangesRead(snapshot, delta))

        return self._run(READING_CHANGES, work, "changes", exclusive=False)

    def sync_index(self, snapshot: Snapshot, rebuild: bool = False, verify: bool = True) -> None:
        """Bring the index in step with `snapshot`; `verify` hashes the index's files too (at the
        start; a few posts changed under a running app need not)."""

        def work() -> None:
            try:
                report = self.library.sync_index(
                    snapshot,
                    rebuild=rebuild,
                    verify=verify,
                    cancelled=self.cancelled,
                    progress=self._progress(IndexProgressed),
                )
            except IndexUnavailable as exc:  # not a bug: a folder that is not ours, say
                self.node.post_message(IndexUnusable(str(exc)))
                return
            if not self.cancelled():
                self.node.post_message(IndexSynced(report, snapshot))
                self.library.prepare_search(snapshot)  # the first search typed need not open it

        self._run("indexing", work, "index")

    def search(
        self, query: str, snapshot: Snapshot, include_drafts: bool, scope: Node | None = None, scan: bool = False
    ) -> None:
        """Search the index, or (`scan`) read the snapshot's posts while there is no index yet."""

        def so_far(result: SearchResult) -> None:
            """A long scan's hits so far: shown while it goes on (the last, whole answer replaces them)."""
            result.cut_snippets(SNIPPETS_FIRST)
            if not self.cancelled():
                self.node.post_message(SearchFinished(query, result, None))

        def work() -> None:
            result: SearchResult | None = None
            error: str | None = None
            incomplete = False
            try:
                if scan:
                    result = self.library.scan(
                        query, snapshot, RESULTS_LIMIT, include_drafts, scope, self.cancelled, so_far
                    )
                else:
                    result = self.library.search(query, RESULTS_LIMIT, include_drafts, snapshot, scope)
                result.cut_snippets(SNIPPETS_FIRST)
            except InvalidQuery as exc:  # `tag:`, `"자연어`, `(머신` as they are typed: not an error yet
                problem = problem_of(exc, query)
                error, incomplete = problem.message, problem.incomplete
            except IndexUnavailable as exc:
                error = t("search is not available: {reason}", reason=tell(str(exc)))
            if not self.cancelled():  # a newer keystroke started a newer search
                self.node.post_message(SearchFinished(query, result, error, incomplete))

        self._run("searching", work, "search")

    def parse_post(self, request: int, path: str, snapshot: Snapshot) -> None:
        """Read (if only listed) and parse a post, and resolve its links, off the UI thread."""

        def work() -> None:
            post: Post = self.library.get(path, snapshot)
            if len(post.body) > PREVIEW_FROM and self.library.cached_document(post) is None:
                preview = self.library.preview_document(post)
                links = self.library.resolve_links(post, preview, snapshot)
                if self.cancelled():
                    return
                self.node.post_message(DocumentParsed(request, post, preview, links, snapshot, partial=True))
            document = self.library.document(post)
            links = self.library.resolve_links(post, document, snapshot)
            if not self.cancelled():
                self.node.post_message(DocumentParsed(request, post, document, links, snapshot))

        self._run("opening the post", work, "document")

    def resolve_links(self, request: int, post: Post, document: Document, snapshot: Snapshot) -> None:
        """Resolve a post's links again, against `snapshot` (the first use of a snapshot works
        out its URL maps and the site's own hosts: tens of milliseconds at 10k posts)."""

        def work() -> None:
            links = self.library.resolve_links(post, document, snapshot)
            if not self.cancelled():
                self.node.post_message(LinksResolved(request, links, snapshot))

        self._run("resolving links", work, "links")

    def find_connections(self, path: str, snapshot: Snapshot, use_index: bool) -> None:
        """The posts linking to `path` and the posts like it (by the index, when there is one)."""

        def work() -> None:
            backlinks = self.library.backlinks(path, snapshot, self.cancelled)
            if backlinks is None or self.cancelled():
                return
            related: list[Related] | None = None
            why_not: str | None = t("related posts once the index is built")
            if use_index and path in snapshot:
                try:
                    related, why_not = self.library.related(path, snapshot=snapshot), None
                except IndexUnavailable as exc:
                    why_not = t("related posts are not available: {reason}", reason=tell(str(exc)))
            if not self.cancelled():
                self.node.post_message(ConnectionsFound(path, backlinks, related, why_not))

        self._run(FINDING_CONNECTIONS, work, "connections")

    def _wait_for_watch(self) -> None:
        up = self._watch_up
        while up is not None and not up.wait(0.05):
            if self.cancelled():
                raise Cancelled

    def watch(self) -> None:
        """Post FilesChanged, with the paths, when files under the root change (watchfiles), until stopped.

        watchfiles yields once no new change came for `step` ms (an editor's save is a few
        events in a row), or after `debounce` ms of changes coming without a pause. Reads
        of every post started from now on wait until it watches (`read_posts`). After the
        process was stopped a while, the root itself is reported: the whole folder is read again.
        """
        up = self._watch_up = threading.Event()
        root = str(self.library.root)

        def stalled() -> None:
            if not self.cancelled():
                self.node.post_message(FilesChanged(frozenset({root})))

        def work() -> None:
            from watchfiles import watch

            try:
                for changes in watch(
                    self.library.root,
                    stop_event=_StopAsked(self.stopping, up, stalled),
                    debounce=400,
                    step=WATCH_STEP_MS,
                    recursive=True,
                    raise_interrupt=False,
                ):
                    if self.cancelled():
                        return
                    self.node.post_message(FilesChanged(frozenset(path for _change, path in changes)))
            finally:
                up.set()  # it could not watch (said as a failure) or stopped: no read waits for it

        self._run("watching files", work, "watch")


class _StopAsked:
    """The stop event given to watchfiles, which asks it between its steps, once it watches: its
    watcher adds a watch to every folder before its constructor returns. Its first ask sets `up`.

    An overflow of the kernel's queue of events (16384 by default, unread while the process was
    stopped) drops every change after it, and watchfiles 1.3 says nothing of it: its Rust notify
    reports a rescan with no path, which it drops. The changes queued before the overflow come,
    and more than `CHANGES_AT_ONCE` paths already make the folder read again, not fewer (the
    same files rewritten again and again). A silence between asks longer than STALLED_AFTER
    means the process was stopped: `stalled` is called, once it runs again."""

    def __init__(self, stopping: threading.Event, up: threading.Event, stalled: Callable[[], None]) -> None:
        self.stopping = stopping
        self.up = up
        self.stalled = stalled
        self._asked: float | None = None

    def is_set(self) -> bool:
        now = monotonic()
        if self._asked is None:
            self.up.set()
        elif now - self._asked > STALLED_AFTER:
            self.stalled()
        self._asked = now
        return self.stopping.is_set()
