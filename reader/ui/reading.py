"""Read and bookmarked posts, mixed into the main screen: the read clock, `m`, `b`, the marks shown.

A post opened on purpose (Enter, a link, the palette, history) counts as read
once it has been the open post for `read_delay` seconds (a Textual timer, so
nothing waits), or as soon as the reader reaches its end. `m` toggles read,
`b` the bookmark. Previewing with j/k marks nothing. The state file is
written at most every `READING_SAVE_EVERY` seconds, and when the screen goes.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from reader.ui.i18n import t
from reader.ui.post_list import PostList
from reader.ui.post_view import PostBody

if TYPE_CHECKING:
    from textual.timer import Timer

    from reader.posts.post import Post
    from reader.posts.snapshot import Snapshot
    from reader.reading import ReadingState

READ_DELAY = 4.0  # seconds a post opened on purpose stays open before it counts as read
READING_SAVE_EVERY = 5.0  # seconds: the reading file is written at most this often, and on quit


class ReadingActions:
    """Mixed into the main screen (message handlers found by name, like ListActions')."""

    reading: ReadingState
    read_delay: float
    snapshot: Snapshot
    open_path: str | None
    open_post_data: Post | None
    _opened: str | None
    _read_timer: Timer | None
    _reading_save_timer: Timer | None
    _reading_saved: float
    _read_by_hand: str | None  # the post `m` was pressed on: nothing marks it automatically while open

    # provided by textual.screen.Screen and the main screen
    query_one: Any
    set_timer: Any
    say: Any
    refresh_sidebar: Any
    mark_rows: Any
    show_post_rows: Any
    idle_status: Any
    search_box: Any

    # --- marking read without a key ---------------------------------------------------------

    def start_read_clock(self, path: str) -> None:
        """`path` was opened on purpose: it is read if it is still open after `read_delay`."""
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        if self._read_by_hand != path:
            self._read_by_hand = None
        if not self.reading.is_read(path):
            delay = max(0.01, self.read_delay)  # a Textual timer of 0 s divides by zero
            self._read_timer = self.set_timer(delay, lambda: self._read_clock_done(path))

    def _read_clock_done(self, path: str) -> None:
        self._read_timer = None
        if self.open_path == path and self._opened == path:
            self._mark_read_now(path)

    def on_post_body_moved(self, event: PostBody.Moved) -> None:
        # The main screen has a handler of this name too (the outline): Textual calls both.
        body = self.query_one(PostBody)
        if self.open_path is not None and body.fully_rendered and event.line >= round(body.max_scroll_y) > 0:
            self._mark_read_now(self.open_path)  # the reader reached the end

    def _mark_read_now(self, path: str) -> None:
        post = self.snapshot.by_path.get(path)
        if post is None or self._read_by_hand == path:
            return
        if self.reading.set_read(path, post.digest):
            self.reading_changed()

    # --- keys ----------------------------------------------------------------------------

    def action_toggle_read(self) -> None:
        """`m`: the open post read / unread."""
        post = self.open_post_data
        if post is None:
            return
        read = self.reading.toggle_read(post.path, post.digest)
        self._read_by_hand = post.path  # the clock or the end of the post must not undo this
        self.reading_changed()
        self.say(t("marked read") if read else t("marked unread"))

    def action_toggle_bookmark(self) -> None:
        """`b`: a bookmark on the open post, or off."""
        post = self.open_post_data
        if post is None:
            return
        marked = self.reading.toggle_bookmark(post.path, post.digest)
        self.reading_changed()
        self.say(t("bookmarked") if marked else t("bookmark removed"))

    # --- showing and saving ----------------------------------------------------------------

    def reading_changed(self) -> None:
        """The marks changed: the list's rows (kept where they are: a post read in the Unread
        filter stays until the filter is chosen again), the sidebar's counts, the file soon."""
        post_list = self.query_one(PostList)
        if not post_list.rows and post_list.empty and not self.search_box.active:
            # An empty Bookmarks (or Unread) saying so, and `b` (`m`) as it says: the post is listed.
            self.show_post_rows(self.open_path)
            self.idle_status()  # its count in the filter too
        self.mark_rows(post_list.rows)
        post_list.refresh()
        self.refresh_sidebar()
        self.save_reading()

    def save_reading(self, now: bool = False) -> None:
        """Write the reading file now (`now`) or within `READING_SAVE_EVERY` seconds."""
        if now or time.monotonic() - self._reading_saved >= READING_SAVE_EVERY:
            if self._reading_save_timer is not None:
                self._reading_save_timer.stop()
                self._reading_save_timer = None
            self._reading_saved = time.monotonic()
            self.reading.save()
        elif self._reading_save_timer is None:
            wait = READING_SAVE_EVERY - (time.monotonic() - self._reading_saved)
            self._reading_save_timer = self.set_timer(wait, self._save_reading_later)

    def _save_reading_later(self) -> None:
        self._reading_save_timer = None
        self.save_reading(now=True)

    def follow_renames(self, snapshot: Snapshot) -> None:
        """A new snapshot: marks of posts renamed (same content, new path) go with them."""
        if self.reading.follow(snapshot.digests()):
            self.save_reading()
