"""Posts changed on disk while the app runs: the watcher's reports read alone, one read at a
time, the list patched in place, the open post shown again at its place, the index after.

A mixin of the main screen, like SearchActions: it reads and sets the screen's snapshot and
asks it to adopt, list and show. Every read of the whole folder goes through `read_all`, which
starts the watcher first (a file changed during the read after it was read is reported).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from textual.timer import Timer
from textual.worker import Worker

from reader.library import Library
from reader.posts.delta import CHANGES_AT_ONCE
from reader.posts.post import Post
from reader.posts.snapshot import Snapshot
from reader.ui import messages
from reader.ui.i18n import t
from reader.ui.post_list import PostList
from reader.ui.services import Services

INDEX_AFTER_CHANGES = 0.5  # seconds without a change before the index follows the files


class FileChangeActions:
    """The watcher's reports read and adopted; `r` reads every post again."""

    # provided by the main screen (and textual.screen.Screen)
    query_one: Any
    call_after_refresh: Any
    set_timer: Any
    status: Any
    say: Any
    idle_status: Any
    show_post: Any
    refresh_sidebar: Any
    fill_connections: Any
    links_after_changes: Any
    save_reading: Any
    on_snapshot_read: Any
    _adopt: Any
    _here: Any
    library: Library
    services: Services
    snapshot: Snapshot
    search_box: Any
    search_note: Any
    filter: Any
    reading: Any
    open_post_data: Post | None
    open_path: str | None
    watch_files: bool
    _watching: bool
    _reads_asked: int
    _read_awaited: int | None
    _changed_paths: set[str]
    _changes_worker: Worker[None] | None
    _index_timer: Timer | None
    _sidebar_after_first_post: bool
    _opened: str | None
    _reading: str | None
    _pending_place: Any

    def read_all(self, previous: Snapshot | None) -> None:
        """Read every post again (a worker; `previous`'s unchanged posts reused). The watcher
        starts before the first read, which waits until it watches; the changes it reports
        meanwhile wait until the read is adopted, then are read alone: a file the read read
        before its change is read again, and no read of every post begins again for it."""
        if self.watch_files and not self._watching:
            self._watching = True
            self.services.watch()
        self._reads_asked += 1
        self._read_awaited = self._reads_asked
        self.services.read_posts(previous, self._reads_asked)

    def on_files_changed(self, message: messages.FilesChanged) -> None:
        self._changed_paths |= message.paths
        # One read at a time: the next starts once this one's result is handled (ChangesRead, or
        # WorkFailed). Not `is_finished`: a worker is finished as soon as it has posted its
        # result, before the screen has adopted it; a second read started then ran beside the
        # next, and an older result landing last put stale posts back on screen.
        if self._changes_worker is None:
            self._read_changed()

    def _read_changed(self) -> None:
        """Read the files changed since the last read, alone (a worker), one read at a time:
        each is applied to the snapshot the one before made."""
        if self._read_awaited is not None or self._changes_worker is not None:
            return  # read once that read of every post, or of changes, is adopted
        paths, self._changed_paths = frozenset(self._changed_paths), set()
        if not paths:
            return
        if str(self.library.root) in paths or len(paths) > CHANGES_AT_ONCE:
            # The whole folder read again (the process was stopped a while, a checkout): said.
            self.status(t("files changed · reloading…"))
        self._changes_worker = self.services.read_changes(paths, self.snapshot)

    def on_changes_read(self, message: messages.ChangesRead) -> None:
        delta = message.delta
        if delta is None:  # the whole folder read again
            self._changes_worker = None
            self.on_snapshot_read(messages.SnapshotRead(message.snapshot))
        else:
            snapshot = message.snapshot
            if delta.base is not self.snapshot:  # another read was adopted meanwhile: the delta goes on it
                snapshot = self.library.apply_changes(delta, self.snapshot)
            self._changes_worker = None
            if snapshot.changes:
                self._adopt_changes(snapshot)
            else:  # files touched (new states), the same posts
                self.snapshot = snapshot
                self.library.adopt(snapshot)
        self._read_changed()

    def _adopt_changes(self, snapshot: Snapshot) -> None:
        """A snapshot with a few posts changed: the list first (its cursor kept), the sidebar
        after it is drawn, the open post again at its place if it changed, then the index."""
        opened, changes = self.open_post_data, snapshot.changes
        place = self._here()
        renamed = None
        if opened is not None and opened.path in changes.removed:
            moved = [p for p in changes.added if snapshot.files[p].digest == opened.digest]
            if len(moved) == 1:  # the same text at a new path: the post moved
                renamed = self.open_path = moved[0]
                if self._opened == opened.path:
                    self._opened = renamed
                if self._reading == opened.path:
                    self._reading = renamed
        sidebar = "taxonomy" not in snapshot.__dict__  # else the same taxonomy: the sidebar stands
        before = self.snapshot
        if not self.search_box.active and self._patch_rows(before, snapshot):
            self.snapshot = snapshot
            self.library.adopt(snapshot)
            if self.reading.follow(_Digests(snapshot.by_path)):  # `follow_renames`, without a 10k dict
                self.save_reading()
        else:
            held = self._sidebar_after_first_post
            self._sidebar_after_first_post = True  # `_adopt` lists the rows alone
            try:
                self._adopt(snapshot)
            finally:
                self._sidebar_after_first_post = held
        if sidebar and not self._sidebar_after_first_post:
            self.call_after_refresh(self.refresh_sidebar)
        # The open post again once the list is drawn (its parse and render take longer).
        if renamed is not None:
            if place is not None:
                self._pending_place = replace(place, path=renamed)
            self.call_after_refresh(self.show_post, renamed, self.search_box.active)
        elif opened is not None and opened.path in (*changes.updated, *changes.removed):
            fresh = snapshot.by_path.get(opened.path)
            if fresh is None or fresh.digest != opened.digest:  # or says it is gone
                self.call_after_refresh(self._show_again, opened.path)
        if not (self.search_box.active and self.search_note):
            self.idle_status()
        # The index follows once the edits pause: a save every few seconds (an editor's autosave)
        # writes it once, and its commit (~0.6 s at 10k posts) does not hold the GIL while the
        # next change is read and listed.
        if self._index_timer is not None:
            self._index_timer.stop()
        self._index_timer = self.set_timer(INDEX_AFTER_CHANGES, self._sync_changes)
        self.fill_connections()  # another post may link here now
        self.links_after_changes(before)  # or a link of this post lead to one added

    def _sync_changes(self) -> None:
        self._index_timer = None
        self.services.sync_index(self.snapshot, verify=False)  # verified when the app started

    def _show_again(self, path: str) -> None:
        if self.open_path == path:  # the reader did not move on meanwhile
            self.show_post(path, self.search_box.active, keep_place=True)
            if path in self.snapshot:
                self.say(t("{title} reloaded (changed on disk)", title=self.snapshot.by_path[path].title))

    def _patch_rows(self, before: Snapshot, after: Snapshot) -> bool:
        """Posts edited in place (the same date, draft, tags and categories: the same rows in
        the same order): their rows alone are made again. False when the list must be rebuilt."""
        changes = after.changes
        if changes.added or changes.removed or self.filter.kind in ("unread", "bookmarks"):
            return False
        for path in changes.updated:
            old, new = before.by_path.get(path), after.by_path.get(path)
            if (
                old is None
                or new is None
                or (old.date, old.updated, old.draft, old.categories, old.tags)
                != (new.date, new.updated, new.draft, new.categories, new.tags)
            ):
                return False
        post_list = self.query_one(PostList)
        updated = set(changes.updated)
        for row in post_list.rows:
            if row.path in updated:
                new = after.by_path[row.path]
                row.title, row.warned = new.title, bool(new.warnings)
        post_list.refresh()
        return True

    def action_resync(self) -> None:
        self.status(t("re-reading posts…"))
        self.read_all(self.snapshot)


class _Digests(Mapping[str, str]):
    """Each post's digest by path, read from the snapshot's map as asked."""

    def __init__(self, posts: Mapping[str, Post]) -> None:
        self.posts = posts

    def __getitem__(self, path: str) -> str:
        return self.posts[path].digest

    def __iter__(self) -> Iterator[str]:
        return iter(self.posts)

    def __len__(self) -> int:
        return len(self.posts)
