"""The main screen: sidebar, post list, post pane and link panel; it routes every message.

Attributes go down to the widgets, messages come up from them and from the
workers. Only this screen swaps the current snapshot, on the main thread.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import Worker

from reader.collector import collector_paused, freeze_what_exists
from reader.library import Library
from reader.posts.links import Link
from reader.posts.post import Post
from reader.posts.snapshot import PostNotFound, Snapshot
from reader.posts.text import printable
from reader.reading import ReadingState
from reader.search.highlight import Matcher
from reader.settings import Settings, config_path
from reader.state import Positions
from reader.ui import messages
from reader.ui.connections import ConnectionActions, ConnectionsPanel
from reader.ui.editor import edit_file
from reader.ui.file_changes import FileChangeActions
from reader.ui.history import History, Place
from reader.ui.i18n import t, tell
from reader.ui.image_view import inline_preview
from reader.ui.key_hints import KeyHints
from reader.ui.layout import LayoutActions
from reader.ui.link_actions import LinkActions
from reader.ui.link_panel import LinkPanel
from reader.ui.listing import ListActions
from reader.ui.outline import Outline
from reader.ui.places import Gone, PlaceActions
from reader.ui.post_list import PostList, Row
from reader.ui.post_pane import PostPane
from reader.ui.post_view import PostBody, TextPlace
from reader.ui.reading import READ_DELAY, ReadingActions
from reader.ui.render import Palette, RenderState, link_titles
from reader.ui.search_box import FindBox, SearchBox
from reader.ui.searching import SearchActions
from reader.ui.services import FINDING_CONNECTIONS, READING_ALL, READING_CHANGES, Services
from reader.ui.sidebar import Filter, Sidebar

if TYPE_CHECKING:  # the searcher (Whoosh) is imported by the first search
    from reader.library import SearchResult


SAID_FOR = 3.0  # seconds a key's confirmation (math as symbols, post maximized) heads the status line
# The bindings that act on the open post: hinted at the bottom while the post pane (the post,
# its panels) has focus. They act from the list too, on the post previewed beside it; help lists them.
POST_KEYS = frozenset({"find", "maximize", "links", "outline", "connections", "edit"})


class MainScreen(
    ListActions,
    LinkActions,
    ConnectionActions,
    PlaceActions,
    SearchActions,
    LayoutActions,
    ReadingActions,
    FileChangeActions,
    Screen[None],
):
    """Everything the reader shows at once."""

    BINDINGS = [
        # Priority: taken before the keys queued after it reach the list (see action_search).
        Binding("slash", "search", "Search", id="search", priority=True),
        # Priority too (see action_find); the second takes Ctrl+F that a box left alone.
        Binding("f,ctrl+f", "find", "Find in post", id="find", priority=True),
        Binding("ctrl+f", "find(True)", show=False),
        Binding("ctrl+b", "toggle_sidebar", "Sidebar", id="sidebar"),
        Binding("z", "toggle_maximize", "Maximize post", id="maximize"),
        Binding("ctrl+g", "widen_search", "Search all posts / the filter", show=False, id="widen-search"),
        Binding("l", "toggle_links", "Links", id="links"),
        Binding("t", "toggle_outline", "Outline", id="outline"),
        Binding("L", "toggle_connections", "Links here, related", id="connections"),
        Binding("tab", "next_pane(1)", "Next pane", show=False, id="next-pane"),
        Binding("shift+tab", "next_pane(-1)", "Previous pane", show=False, id="previous-pane"),
        Binding("n", "next_match", "Next match", show=False, id="next-match"),
        Binding("N", "previous_match", "Previous match", show=False, id="previous-match"),
        Binding("o", "open_link", "Open link", show=False, id="open-link"),
        Binding("y", "copy_link", "Copy link", show=False, id="copy-link"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("r", "resync", "Re-read", show=False, id="resync"),
        Binding("d", "toggle_drafts", "Drafts", show=False, id="drafts"),
        Binding("s", "toggle_sort", "Sort by date/updated", show=False, id="sort"),
        Binding("m", "toggle_read", "Read / unread", show=False, id="read"),
        Binding("b", "toggle_bookmark", "Bookmark", show=False, id="bookmark"),
        Binding("dollar_sign", "toggle_math", "Math: as written / as symbols", show=False, id="math"),
        Binding("backspace,left_square_bracket", "go_back", "Back", show=False, id="back"),
        Binding("right_square_bracket", "go_forward", "Forward", show=False, id="forward"),
        Binding("escape", "escape", "Back to the post a link left, else to the list", show=False, id="escape"),
        # Priority too, as Enter: ↓ and Enter typed at once went Enter first (to the hits) and ↓
        # after it, to the list: the second hit under the cursor and nothing opened.
        Binding("down", "to_results", "Search box: down to the results", show=False, id="to-results", priority=True),
        # Enter in the search box, before the keys queued after it reach the box (see action_search).
        Binding("enter", "submit_search", show=False, priority=True),
        Binding("enter", "submit_find", show=False, priority=True),  # the same, in the find box
        *(Binding(str(d), f"digit({d})", show=False) for d in range(10)),
    ]

    def __init__(
        self,
        library: Library,
        settings: Settings,
        save_settings: Any,
        watch: bool = True,
        first_post: str | None = None,
        why: str = "given",
    ) -> None:
        super().__init__()
        self.first_post = first_post
        self.why = why
        self.library = library
        self.settings = settings
        self.save_settings = save_settings
        self.single = "list"  # below 100 columns, the one pane shown
        self.watch_files = watch
        self.services = Services(self, library)
        self.snapshot: Snapshot = library.snapshot
        self.filter = Filter()
        self.sort_by_updated = False
        self.math_source = False  # math shown as written instead of as Unicode (`m`)
        self.open_path: str | None = None
        self.open_post_data: Post | None = None
        self.links: list[Link] = []
        self._links_from: tuple[int, Snapshot] | None = None  # see LinkActions.resolve_links_again
        self._links_asked: Snapshot | None = None
        self._links_good_for: Snapshot | None = None
        self._links_skipped: set[str] = set()
        self.matcher: Matcher | None = None  # the search's, marked in posts opened from its results
        self.find_matcher: Matcher | None = None  # find in the post's, while the find box is open
        self.match_index = 0
        self.history = History()
        self.index_ready = False  # synced with the files
        self.index_searchable = False  # an index exists to search (maybe a run behind the files)
        self.index_problem: str | None = None  # why there is no index at all, when there is none
        self.index_messages: list[str] = []  # what the last sync had to say (rebuilt, …)
        self.loaded = False  # the files themselves were read (not only the manifest)
        self.search_result: SearchResult | None = None
        self.search_widened = False  # Ctrl+G: search every post, not the sidebar's filter
        self.search_note = ""
        self._entered_problem: str | None = None  # see SearchActions
        self._index_started: float | None = None
        self._writing_since: float | None = None
        self._writing_timer: Timer | None = None
        self._index_progress = ""
        self._request = 0  # the newest post asked for; older parses are dropped
        self._with_matches = False
        self._partial = 0  # the request whose post is shown from a parse of its start only
        self._pending_place: Place | None = None
        self._pending_anchor: str | None = None  # the heading a link into this post leads to
        self._pending_lines: tuple[str, ...] = ()  # the text on top of the post gone, to go back to
        # The text on top of the post being read when it changed on disk, with the place it goes with.
        self._pending_text: tuple[Place, TextPlace] | None = None
        self._gone: Gone | None = None  # the post being read, gone from the disk: reopened if it comes back
        self.positions = Positions(library.root)
        self._positions_saved = time.monotonic()
        # The post read last in this folder, under the list's cursor when the list first shows it
        # (previewed where it was left); not when a post was given to open.
        self._restore: str | None = None if first_post else next(iter(self.positions.recent(1)), None)
        self._opened: str | None = None  # the post opened on purpose (Enter, a link), not previewed
        # The post shown as the reader's own (opened on purpose, or the one read last, at the start),
        # not as a preview: shown again (a search started or left) it stays where the reader is.
        self._reading: str | None = None
        self._hit: Row | None = None  # the search hit opened last (its post opens at its snippet's passage)
        self._left_place: Place | None = None  # where the reader left that post (for history)
        # A search's preview replaced the post being read (`_left_place`): leaving the search
        # brings that post back, where the reader was.
        self._read_before_preview = False
        self._body: PostBody | None = None
        self._preview_timer: Timer | None = None
        self._watching = False
        self._changed_paths: set[str] = set()  # reported by the watcher, not read yet
        self._reads_asked = 0  # reads of every post asked for (each one's request number)
        self._read_awaited: int | None = None  # the newest of them, until adopted (changes wait for it)
        self._changes_worker: Worker[None] | None = None  # reading changed files (one at a time)
        self._index_timer: Timer | None = None  # the index's update after changes, once they pause
        self._read_after_first_post = False
        self._sidebar_after_first_post = False
        self.reading = ReadingState(library.root)
        self.read_delay = READ_DELAY  # tests set 0
        self._read_timer: Timer | None = None
        self._reading_save_timer: Timer | None = None
        self._reading_saved = time.monotonic()
        self._read_by_hand: str | None = None
        self._status_line = Text(t("loading posts…"), style="dim")  # what the status says, at rest
        self._said: str | None = None  # a key's confirmation before it, for SAID_FOR seconds
        self._said_timer: Timer | None = None

    # --- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SearchBox(id="search", classes="hidden")
        with Horizontal(id="main"):
            yield Sidebar(id="sidebar")
            yield PostList(id="post-list")
            with Vertical(id="right"):
                yield PostPane(id="post-pane")
                yield FindBox(id="find", classes="hidden")
                yield Outline(id="outline", classes="hidden")
                yield LinkPanel(id="link-panel", classes="hidden")
                yield ConnectionsPanel(id="connections", classes="hidden")
        yield Static(self._status_line, id="status")
        # The sidebar's hint gives way first: at 80x24 the post's keys and Esc's way back fill the line.
        yield KeyHints(
            self.key_applies,
            keep=("help", "quit"),
            first_out=("sidebar",),
            escape=self.escape_hint,
            describe=self.key_description,
            id="keys",
        )

    def on_mount(self) -> None:
        self._body = self.query_one(PostBody)
        self.query_one(PostList).focus()
        self.apply_layout()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._restyle())
        cached = self.library.read_cached()  # the list from the index at once; the files follow
        if cached is not None and len(cached):
            self.index_searchable = True  # the list came from the index: it can answer at once
            # The list and the first post first; the sidebar's counts follow once the post is shown.
            self._sidebar_after_first_post = True
            with collector_paused():  # a row for each of 10k posts, none in a cycle
                self._adopt(cached)
            self.status(t("{count} posts (from the index) · reading the files…", count=len(cached)))
            self._read_after_first_post = True  # the first screen first: reading 10k files competes for the GIL
            self._open_first_post()
        else:
            self.status(t("reading {where}…", where=self.where))
            self.read_all(None)

    def on_resize(self) -> None:
        self.apply_layout(follow_focus=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit_search":  # Enter is the search box's only while it has the focus
            return self.focused is self.search_box
        if action == "to_results":  # ↓ in the search box, unless it goes through earlier queries
            return self.focused is self.search_box and not self.search_box.browsing
        if action == "submit_find":  # and the find box's while it has it
            return isinstance(self.focused, FindBox)
        return super().check_action(action, parameters)

    def key_applies(self, binding: Binding) -> bool:
        """Whether the key hints show `binding` now: a post's keys while the post pane has focus
        (not while a box there takes the keys as text)."""
        if binding.id not in POST_KEYS:
            return True
        return self.focused_pane == "post" and not isinstance(self.focused, Input)

    def key_description(self, binding: Binding) -> str:
        """A key's hint as it is now: with the post maximized (`z`, or kept from the last run with
        nothing said), `z` shows the panes again; "Maximize post" hinted over a maximized post."""
        if binding.id == "maximize" and self.settings.maximized:
            return t("Show the panes")
        return t(binding.description)

    @property
    def where(self) -> str:
        """The folder open (its name: the whole path is in `reader config`), and how it was chosen."""
        why = {
            "given": t("given"),
            "GEULBAT_POSTS": "GEULBAT_POSTS",
            "the config file's posts": t("the config file's posts"),
            "the current folder": t("the current folder"),
            "the bundled guide": t("the bundled guide"),
            "the bundled guide: no blog in the current folder": t("the bundled guide: no blog in the current folder"),
            "the post given": t("the post given"),
        }.get(self.why, self.why)
        return f"{self.library.root.name or self.library.root}/ ({why})"

    def _open_first_post(self) -> None:
        """`reader some/post.md`: that post first, once it is in the list."""
        if self.first_post and self.first_post in self.snapshot:
            path, self.first_post = self.first_post, None
            self.open_post(path, remember=False)

    def on_unmount(self) -> None:
        self.services.stop()
        self._leave_post()
        self.positions.save()
        self.reading.save()

    def status(self, text: str, style: str = "dim") -> None:
        self._status_line = Text(printable(text), style=style)
        self._show_status()

    def say(self, text: str) -> None:
        """Confirm what a key did (math as symbols, the post maximized) at the head of the status
        line for a few seconds, the newest replacing the one before: a toast would lie over the
        post being read. Warnings and errors are toasts (`notify`)."""
        self._said = text
        if self._said_timer is not None:
            self._said_timer.stop()
        self._said_timer = self.set_timer(SAID_FOR, self._unsay)
        self._show_status()

    def _unsay(self) -> None:
        self._said, self._said_timer = None, None
        self._show_status()

    def _show_status(self) -> None:
        line = self._status_line
        if self._said is not None:  # the status still said after it (a search's count, the index's progress)
            line = Text.assemble((printable(self._said), "bold"), (" · ", "dim"), line)
        # One row whatever it says (app.tcss): no layout of the whole screen for it, which took
        # 40-100 ms at 160x48 after every file change adopted.
        self.query_one("#status", Static).update(line, layout=False)

    @property
    def palette(self) -> Palette:
        theme = self.app.current_theme
        colors = {
            name: getattr(theme, name, None)
            for name in ("primary", "secondary", "accent", "warning", "background", "surface")
        }
        return Palette.from_theme(colors, theme.dark)

    def _restyle(self) -> None:
        self.query_one(PostBody).restyle(self.palette)

    # --- snapshots, loading and indexing ---------------------------------------------------

    def _adopt(self, snapshot: Snapshot, follow: bool = True) -> None:
        self.snapshot = snapshot
        self.library.adopt(snapshot)
        if follow:  # a partial snapshot lacks most posts: they are not gone
            self.follow_renames(snapshot)
        keep = self.open_path
        back = self._came_back(snapshot) if keep is None and follow else None
        if keep is None and self._gone is not None:
            # Its row when it is back; while it is not, the cursor moves without previewing a post
            # the reader did not open.
            keep = back or self._gone.place.path
        if keep is None and self._restore is not None and self._restore in snapshot:
            # Listed from the index, the post may have been renamed or deleted since: not then.
            keep = self._restore if snapshot.by_path[self._restore].file.exists() else None
            self._restore = None
            if keep is not None:
                self._reading = keep  # where it was left: the reader's place in it
                if self.narrow and not self.search_box.active:
                    self.show_pane("post")  # one pane: the post, not the list with its cursor on it
        if self._sidebar_after_first_post:
            if not self.search_box.active:
                self.show_post_rows(keep)
        else:
            self.refresh_lists(keep=keep)
        if back is not None:
            self._bring_back(back)

    def _came_back(self, snapshot: Snapshot) -> str | None:
        """The path of the post that went while it was read, if `snapshot` has it again: at its
        path, or its same text at one new path (moved)."""
        gone = self._gone
        if gone is None:
            return None
        if gone.place.path in snapshot:
            return gone.place.path
        moved = [p for p in snapshot.changes.added if p in snapshot and snapshot.by_path[p].digest == gone.digest]
        return moved[0] if len(moved) == 1 else None

    def _bring_back(self, path: str) -> None:
        """The post that went is back: opened again where the reader was, as it was opened."""
        gone, self._gone = self._gone, None
        if gone is None:
            return
        self._pending_place = replace(gone.place, path=path)
        self._pending_lines = gone.lines
        self.show_post(path, self.search_box.active)
        if gone.opened:
            self._opened = path
        if gone.reading:
            self._reading = path
        self.say(t("{title} reloaded (changed on disk)", title=self.snapshot.by_path[path].title))

    def _fill_sidebar_late(self) -> None:
        """The sidebar held back for the first screen: filled now."""
        if self._sidebar_after_first_post:
            self._sidebar_after_first_post = False
            self.refresh_sidebar()

    def on_snapshot_partial(self, message: messages.SnapshotPartial) -> None:
        """The first posts of a long first read: listed (and the first opened) while the rest
        are read, as the list from the index is; the whole read replaces them."""
        if self.loaded or len(self.snapshot):
            return
        self._sidebar_after_first_post = True
        self._adopt(message.snapshot, follow=False)

    def on_snapshot_read(self, message: messages.SnapshotRead) -> None:
        first = not self.loaded
        opened = self.open_post_data
        self.loaded = True
        self._adopt(message.snapshot)
        self._fill_sidebar_late()  # had the first post not been shown yet
        count = len(self.snapshot)
        if not (self.search_box.active and self.search_note):
            self.idle_status()
        if not count:
            self.query_one(PostPane).clear(
                t("No Markdown posts in {where}.", where=self.where)
                + "\n\n"
                + t(
                    "Start reader in a blog folder, or name one (reader ~/blog, reader ~/blog/_posts/a.md), "
                    'or set posts = "~/blog" in {config}.',
                    config=config_path(),
                )
            )
        self._open_first_post()
        self._restore = None  # not in the folder any more: the list stays at its top
        if opened is not None:
            fresh = self.snapshot.by_path.get(opened.path)
            if fresh is None or fresh.digest != opened.digest or opened.stub:
                self.show_post(opened.path, self.search_box.active, keep_place=True)
        if first or message.snapshot.changes:
            self.services.sync_index(message.snapshot)
            self.fill_connections()  # another post may link here now
        self.resolve_links_again()  # the first screen's, from the index, knew no post's links
        if first and self.search_box.active and self.search_box.query_text:
            self.start_search()  # typed while the posts were read: "results will follow"
        if message.request and message.request == self._read_awaited:
            self._read_awaited = None
            self._read_changed()  # the changes reported while it read, read now
        if first:
            freeze_what_exists()  # the full collections while searching walk only what is made later

    def on_load_progressed(self, message: messages.LoadProgressed) -> None:
        self.status(t("reading posts {done}/{total}…", done=message.done, total=message.total))

    def on_index_progressed(self, message: messages.IndexProgressed) -> None:
        done, total = message.done, message.total
        now = time.monotonic()
        if self._index_started is None or done == 0:
            self._index_started = now
        elapsed = now - self._index_started
        if done >= total:  # every post analysed; Whoosh writes its segment, which takes a while
            self._writing_since = now
            if self._writing_timer is None:
                self._writing_timer = self.set_interval(1.0, self._show_writing)
            self._index_progress = t("indexing {done}/{total} · writing the index…", done=done, total=total)
        elif done and elapsed > 0.5:
            left = max(1, round(elapsed / done * (total - done)))
            self._index_progress = t(
                "indexing {done}/{total} · about {seconds} s left", done=done, total=total, seconds=left
            )
        else:
            self._index_progress = t("indexing {done}/{total}…", done=done, total=total)
        self._show_progress()

    def _show_writing(self) -> None:
        if self._writing_since is not None:
            seconds = round(time.monotonic() - self._writing_since)
            self._index_progress = t("indexing · writing the index… {seconds} s", seconds=seconds)
            self._show_progress()

    def _show_progress(self) -> None:
        if self.search_box.active and self.search_note:
            self.status(self.search_note + " · " + self._index_progress)  # the search's count first
        else:
            self.status(self._index_progress)

    def _index_done(self) -> None:
        self._index_started = self._writing_since = None
        if self._writing_timer is not None:
            self._writing_timer.stop()
            self._writing_timer = None

    def on_index_synced(self, message: messages.IndexSynced) -> None:
        scanned = self.search_result is not None and self.search_result.scanned
        self.index_ready = self.index_searchable = True
        self._index_done()
        self.index_messages = [tell(m) for m in message.report.messages]
        self.idle_status()
        self.connections_with_the_index()
        if self.search_box.active and self.search_box.query_text and (scanned or message.snapshot.changes):
            self.start_search()  # the index answers now, instead of the scan

    def idle_status(self) -> None:
        """The status line at rest: the posts, their warnings, the filter's count, the index."""
        if not self.loaded and not len(self.snapshot):
            return
        warned = self.snapshot.warned
        text = t("{count} posts in {where}", count=len(self.snapshot), where=self.where)
        if warned:
            text += t(", {count} with warnings", count=warned)
        if self.filter.kind != "all":
            text += t(" · {count} in {filter}", count=len(self.visible_posts()), filter=self.filter.label)
        if self.index_problem is not None:
            self.status(text + t(" · search is not available: {reason}", reason=self.index_problem), "red")
            return
        # No timings here: they belong to `reader index` and the benchmark, and
        # the status line must read the same in every snapshot.
        text += t(" · index ready") if self.index_ready else t(" · indexing…")
        self.status(" · ".join([text, *self.index_messages]), "yellow" if self.index_messages else "dim")

    def on_index_unusable(self, message: messages.IndexUnusable) -> None:
        self.index_problem = tell(message.reason)
        self._index_done()
        self.idle_status()

    def on_work_failed(self, message: messages.WorkFailed) -> None:
        self.status(message.line, "red")
        if message.what == FINDING_CONNECTIONS:
            self.connections_failed()
        if message.what == READING_CHANGES:  # the changes after it are read still
            self._changes_worker = None
            self._read_changed()
        if message.what == READING_ALL and message.request == self._read_awaited:
            # Nor do the changes wait for it any longer (an older read's failure, handled after
            # `r` asked for a new one, must not release the changes held for the new one).
            self._read_awaited = None
            self._read_changed()
        self._fill_sidebar_late()
        if self._read_after_first_post:  # the first post could not be shown: read the others anyway
            self._read_after_first_post = False
            self.read_all(None)

    # --- showing a post ----------------------------------------------------------------

    def show_post(self, path: str, with_matches: bool, keep_place: bool = False) -> None:
        """Show a post: its header at once, its body when parsed (a worker reads and parses)."""
        try:
            post = self.snapshot.get(path)
        except PostNotFound:
            if self.open_path == path and self.open_post_data is not None:
                here = self._here()
                if here is not None:  # the post being read went: kept, to reopen where it was
                    self._gone = Gone(
                        here,
                        self.open_post_data.digest,
                        self.query_one(PostBody).top_lines(),
                        self._opened == path,
                        self._reading == path,
                    )
            self.query_one(PostPane).clear(t("{path} is gone", path=path))
            self.open_path, self.open_post_data = None, None
            self.fill_connections()  # none to look for
            return
        body = self.query_one(PostBody)
        self._gone = None  # another post shown (or that one again): the one gone is not reopened
        if self.find_box.active and post.path != self.open_path:
            self.find_box.close()  # find is in one post
            self.find_matcher = None
        if self.open_path == post.path:
            placed = body.document is not None and not self._partial  # else the post is not at its place yet
            if keep_place or (self._reading == post.path and placed and not self._place_asked(post.path)):
                # The post being read, shown again (with a search's marks or without): where the reader is.
                pending = self._pending_place
                if placed or pending is None or pending.path != post.path:  # else the place to go to stays
                    self._pending_place = self._here()
                    self._pending_lines = ()
                    # Edited outside, its text moved: the place follows the text on top, not its line.
                    text = body.text_place() if keep_place else None
                    self._pending_text = (self._pending_place, text) if self._pending_place and text else None
        elif self.open_path:
            if self.open_path == self._reading:
                self._left_place = self._here()
                self._read_before_preview = self.search_box.active
            self._leave_post()
            self._reading = None  # a preview, until opened on purpose
        self.open_path, self.open_post_data = post.path, post
        self.connections_of_another_post(post.path)
        self._request += 1
        self._with_matches = with_matches
        pane = self.query_one(PostPane)
        pane.show_header(post)
        body.show(None, RenderState())
        self.services.parse_post(self._request, post.path, self.snapshot)

    def on_document_parsed(self, message: messages.DocumentParsed) -> None:
        if self._sidebar_after_first_post:
            self.call_after_refresh(self._fill_sidebar_late)  # once this post is painted
        if self._read_after_first_post:
            self._read_after_first_post = False
            # Once this post is painted: a worker reading 10k files takes the GIL from the render.
            self.call_after_refresh(self.read_all, None)
        if message.request != self._request:
            return  # the reader moved on
        body = self.query_one(PostBody)
        was_partial = self._partial == message.request
        # Where the reader is in the start shown so far, as text: the whole post's rows differ above
        # it when its table of contents lists more headings, or a reference is defined further down.
        reading_at = body.text_place() if was_partial and round(body.scroll_y) > 0 else None
        self._partial = message.request if message.partial else 0
        self.open_post_data = message.post
        self.links = message.links
        self._links_from = (message.request, message.snapshot)
        self._links_good_for, self._links_asked, self._links_skipped = message.snapshot, None, set()
        state = RenderState(
            matcher=self.find_matcher or (self.matcher if self._with_matches else None),
            palette=self.palette,
            math_source=self.math_source,
            preview=self._image_preview(message.links),
            link_texts=link_titles(message.links),
        )
        self.query_one(PostPane).show(message.post, message.document, state)
        self.match_index = 0
        outline = self.query_one(Outline)
        if not outline.has_class("hidden"):
            outline.load(message.document)
        edited = self._pending_text
        if edited is not None and edited[0] is not self._pending_place:
            edited = self._pending_text = None  # another place asked for since (history, a link)
        if message.partial:  # the start of a long post: read on while the rest is parsed
            if edited is not None and body.go_to_text(edited[1], whole=False) and body.scroll_y > 0:
                # The text read is in that start: read on there (the whole post follows where the reader is).
                self._pending_place = self._pending_text = None
            return
        place, self._pending_place = self._pending_place, None
        anchor, self._pending_anchor = self._pending_anchor, None
        lines, self._pending_lines = self._pending_lines, ()
        self._pending_text = None
        if place is not None and place.path == message.post.path:
            if edited is not None:
                body.go_to_text(edited[1])
            else:
                self._go_to(place, lines)
        elif anchor is not None:
            body.scroll_to_anchor(anchor)  # a link to one of this post's headings
        elif reading_at is not None:
            body.go_to_text(reading_at)  # the whole post replaces its start where the reader is
        elif self._with_matches and self.matcher is not None:
            if self._reading == message.post.path and not self.scroll_to_hit():
                body.scroll_to_match(0)  # a hit opened: at its snippet's passage, else its first match
        elif self.positions.get(message.post.path) > 1:  # where the reader left it, last time
            path = message.post.path
            body.jump_to_source_line(self.positions.get(path), self.positions.share(path))
        if not self.query_one(LinkPanel).has_class("hidden"):
            self.fill_link_panel()
        self.fill_connections()
        self.resolve_links_again()  # a snapshot adopted while it was parsed

    def _image_preview(self, links: list[Link]) -> Any:
        """With `inline_images` on: link number -> a small picture of its local image."""
        if not self.settings.inline_images or self.app.image_widget is None:
            return None
        images = {link.n: link.target for link in links if link.kind == "image" and link.target and not link.broken}
        cache: dict[int, Any] = {}

        def preview(number: int) -> Any:
            if number not in cache:
                file = self.library.local_file(images[number]) if number in images else None
                cache[number] = inline_preview(file) if file is not None else None
            return cache[number]

        return preview

    def open_post(
        self,
        path: str,
        remember: bool = True,
        place: Place | None = None,
        anchor: str | None = None,
        by_link: bool = False,
    ) -> None:
        """Open a post by path (links, palette, history), at `place` or at the heading `anchor`;
        `by_link`: a link followed to it (Esc there comes back, see PlaceActions)."""
        if path not in self.snapshot:
            self.notify(t("no post {path}", path=printable(path)), severity="error", markup=False)
            return
        if remember:
            self.remember_leaving(path, by_link)
        self._pending_place = place
        self._pending_anchor = anchor
        self._opened, self._hit = path, None
        self.start_read_clock(path)
        self.positions.touch(path, time.time())  # a recent post now, read or not
        self.show_post(path, with_matches=False)
        self._reading = path
        if not self.search_box.active:
            post_list = self.query_one(PostList)
            if not post_list.move_to(path) and self.filter.kind != "all":
                # Outside the sidebar's filter: the filter goes, so the list shows the post; said at
                # the head of the status line (a toast covered the post's last lines at 80x24).
                cleared = self.filter.label
                self.filter = Filter()
                self.show_post_rows(path)
                self.idle_status()
                self.say(t("filter {filter} cleared to show this post", filter=cleared))
        self.show_pane("post")
        self.refresh_bindings()  # what Esc does from here, in the key hints (the focus may not move)

    def open_row(self, row: Row) -> None:
        """Enter on a row of the list (or a click): its post opened on purpose, where the reader
        left it; a search hit at the passage its snippet shows, `n`/`N` going on from there."""
        path, searching = row.path, self.search_box.active
        if self._preview_timer is not None:
            self._preview_timer.stop()  # the row's preview, still to come: the post is opened instead
        hit = searching and self.matcher is not None
        if hit and self._reading == path == self.open_path:
            self.remember_jump()  # a hit of the post being read: `[` comes back to where the reader was
        self.remember_leaving(path)
        self._opened, self._hit = path, (row if hit and row.found is not None else None)
        self.start_read_clock(path)
        self.positions.touch(path, time.time())  # a recent post now, read or not
        if searching:
            self.search_box.remember()  # a query whose result was opened is worth recalling
        if not self._showing(path):
            self.show_post(path, searching)
        self._reading = path
        self.show_pane("post")
        if hit:
            self._pending_place = None  # the reader asked for the hit, not for the place left
            if not self.scroll_to_hit():
                self.query_one(PostBody).scroll_to_match(0)

    # --- other actions -----------------------------------------------------------------

    def action_edit(self) -> None:
        if self.open_post_data is None:
            return
        problem = edit_file(self.app, self.open_post_data.file, self.query_one(PostBody).top_source_line)
        if problem:
            self.notify(problem, severity="error", markup=False)
        self.read_all(self.snapshot)

    def action_toggle_drafts(self) -> None:
        self.settings.show_drafts = not self.settings.show_drafts
        self.save_settings()
        self.refresh_lists(keep=self.open_path)
        self.say(t("drafts shown") if self.settings.show_drafts else t("drafts hidden"))

    def action_toggle_math(self) -> None:
        self.math_source = not self.math_source
        self.query_one(PostBody).restyle(math_source=self.math_source)
        self.say(t("math as written ($…$)") if self.math_source else t("math as symbols"))

    def action_toggle_sort(self) -> None:
        self.sort_by_updated = not self.sort_by_updated
        if not self.search_box.active:
            self.show_post_rows(self.open_path)
