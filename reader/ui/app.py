"""The reader app: builds the screen, routes messages, runs the slow work in workers."""

from __future__ import annotations

import os
import shlex
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from reader.core.highlight import Matcher
from reader.core.index import SyncReport
from reader.core.library import Library, PostNotFound
from reader.core.links import Link
from reader.core.query import InvalidQuery
from reader.core.search import SearchResult
from reader.ui.commands import PostCommands
from reader.ui.config import Settings
from reader.ui.help import help_sections
from reader.ui.link_actions import LinkActions
from reader.ui.link_panel import LinkPanel
from reader.ui.post_list import PostList, Row
from reader.ui.post_view import PostBody, PostPane
from reader.ui.render import RenderState
from reader.ui.screens import HelpScreen
from reader.ui.sidebar import Filter, Sidebar

SEARCH_DEBOUNCE = 0.15
PREVIEW_DEBOUNCE = 0.06


@dataclass
class History:
    """Posts opened through links, for back and forward."""

    back: list[str] = field(default_factory=list)
    forward: list[str] = field(default_factory=list)


class ReaderApp(LinkActions, App[None]):
    """A terminal reader for a folder of Markdown posts."""

    TITLE = "reader"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {PostCommands}
    BINDINGS = [
        Binding("slash", "search", "Search", id="search"),
        Binding("l", "toggle_links", "Links", id="links"),
        Binding("tab", "focus_next", "Next pane", show=False, id="next-pane"),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="previous-pane"),
        Binding("n", "next_match", "Next match", show=False, id="next-match"),
        Binding("N", "previous_match", "Previous match", show=False, id="previous-match"),
        Binding("o", "open_link", "Open link", show=False, id="open-link"),
        Binding("y", "copy_link", "Copy link", show=False, id="copy-link"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("r", "resync", "Re-sync", show=False, id="resync"),
        Binding("d", "toggle_drafts", "Drafts", show=False, id="drafts"),
        Binding("s", "toggle_sort", "Sort by date/updated", show=False, id="sort"),
        Binding("backspace,left_square_bracket", "back", "Back", show=False, id="back"),
        Binding("right_square_bracket", "forward", "Forward", show=False, id="forward"),
        Binding("escape", "escape", "Back to list", show=False, id="escape"),
        Binding("down", "to_results", "Search box: down to the results", show=False, id="to-results"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        *(Binding(str(d), f"digit({d})", show=False) for d in range(10)),
    ]

    class LibraryLoaded(Message):
        pass

    class IndexProgress(Message):
        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done, self.total = done, total

    class IndexSynced(Message):
        def __init__(self, report: SyncReport) -> None:
            super().__init__()
            self.report = report

    class SearchFinished(Message):
        def __init__(self, result: SearchResult | None, error: str | None) -> None:
            super().__init__()
            self.result, self.error = result, error

    class FilesChanged(Message):
        pass

    def __init__(self, library: Library, settings: Settings | None = None, watch: bool = True,
                 settings_path: Path | None = None) -> None:
        super().__init__()
        self.library = library
        self.settings = settings or Settings()
        self.settings_path = settings_path
        self.watch_files = watch
        self.filter = Filter()
        self.show_drafts = self.settings.show_drafts
        self.sort_by_updated = False
        self.open_path: str | None = None
        self.matcher: Matcher | None = None
        self.match_index = 0
        self.history = History()
        self.index_ready = False
        self.search_result: SearchResult | None = None
        self._search_timer: Timer | None = None
        self._preview_timer: Timer | None = None
        self._stop_watching = threading.Event()
        self._links: list[Link] = []

    # --- layout --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Input(placeholder="search: words, \"phrase\", -word, tag:x, date:2020 (Esc to leave)",
                    id="search", classes="hidden")
        with Horizontal(id="main"):
            yield Sidebar(id="sidebar")
            yield PostList(id="post-list")
            with Vertical(id="right"):
                yield PostPane(id="post-pane")
                yield LinkPanel(id="link-panel", classes="hidden")
        yield Static(Text("loading posts…", style="dim"), id="status")
        yield Footer()

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.query_one(PostList).focus()
        if self.library.load_cached():  # the list from the index at once; the files follow
            self.refresh_lists()
            self.status(f"{len(self.library)} posts (from the index) · reading the files…")
        self.load_library()

    def _remember_theme(self, theme: Any) -> None:
        self.settings.theme = self.theme
        self._save_settings()

    def _save_settings(self) -> None:
        try:
            self.settings.save(self.settings_path)
        except OSError as exc:
            self.notify(f"cannot save settings: {exc}", severity="warning", markup=False)

    def status(self, text: str, style: str = "dim") -> None:
        self.query_one("#status", Static).update(Text(text, style=style))

    # --- loading and indexing ----------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_library(self) -> None:
        self.library.load()
        self.post_message(self.LibraryLoaded())

    def on_reader_app_library_loaded(self, message: LibraryLoaded) -> None:
        self.refresh_lists(keep=self.open_path)
        count = len(self.library)
        warned = sum(1 for p in self.library.posts if p.warnings)
        self.status(f"{count} posts" + (f", {warned} with warnings" if warned else "") + " · indexing…")
        self.sync_index()
        if self.watch_files:
            self.watch_posts()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def sync_index(self, rebuild: bool = False) -> None:
        def progress(done: int, total: int) -> None:
            if done == total or done % 50 == 0:
                self.post_message(self.IndexProgress(done, total))

        report = self.library.sync_index(rebuild=rebuild, progress=progress, verify=True)
        self.post_message(self.IndexSynced(report))

    def on_reader_app_index_progress(self, message: IndexProgress) -> None:
        self.status(f"indexing {message.done}/{message.total}…")

    def on_reader_app_index_synced(self, message: IndexSynced) -> None:
        self.index_ready = True
        report = message.report
        # No timings here: they belong to `reader index` and the benchmark, and
        # the status line must read the same in every snapshot.
        text = f"{len(self.library)} posts · index ready"
        self.status(" · ".join([text, *report.messages]), "yellow" if report.messages else "dim")
        if self.query_one("#search", Input).value.strip():
            self._start_search()

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def watch_posts(self) -> None:
        """Reload when files change on disk (watchfiles), until the app stops."""
        from watchfiles import watch

        worker = get_current_worker()
        for _changes in watch(self.library.root, stop_event=self._stop_watching, debounce=400,
                              recursive=True, raise_interrupt=False):
            if worker.is_cancelled:
                return
            self.post_message(self.FilesChanged())

    def on_reader_app_files_changed(self, message: FilesChanged) -> None:
        self.status("files changed · reloading…")
        self.load_library()

    def on_unmount(self) -> None:
        self._stop_watching.set()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """One place for worker failures: say what failed, keep the app running."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.status(f"{event.worker.name} failed: {type(error).__name__}: {error}", "red")

    # --- the list ------------------------------------------------------------------

    def visible_posts(self) -> list[Any]:
        kind, value = self.filter.kind, self.filter.value
        posts = self.library.filter(
            tag=value if kind == "tag" else None,
            category=value if kind == "category" else None,
            drafts=self.show_drafts,
        )
        if self.sort_by_updated:  # last updated first; a post never updated counts by its date
            posts = sorted(posts, key=lambda p: (p.updated or p.date).timestamp() if (p.updated or p.date) else 0,
                           reverse=True)
        return posts

    def refresh_lists(self, keep: str | None = None) -> None:
        drafts = sum(1 for p in self.library.posts if p.draft)
        self.query_one(Sidebar).load(self.library.taxonomy, len(self.library),
                                     0 if self.show_drafts else drafts)
        if not self._searching:
            self.show_post_rows(keep)

    def show_post_rows(self, keep: str | None = None) -> None:
        def shown_date(post: Any) -> Any:
            return (post.updated or post.date) if self.sort_by_updated else post.date

        rows = [Row(p.path, p.title, shown_date(p).strftime("%Y-%m-%d") if shown_date(p) else "", p.draft,
                    bool(p.warnings)) for p in self.visible_posts()]
        post_list = self.query_one(PostList)
        post_list.border_title = self.filter.label + (" · by updated" if self.sort_by_updated else "")
        post_list.set_rows(rows, keep_path=keep)

    def apply_filter(self, chosen: Filter) -> None:
        self.filter = chosen
        self.show_post_rows()
        self.query_one(PostList).focus()

    @on(Sidebar.FilterChosen)
    def _filter_chosen(self, event: Sidebar.FilterChosen) -> None:
        self.apply_filter(event.filter)

    @on(PostList.Highlighted)
    def _preview(self, event: PostList.Highlighted) -> None:
        # Holding j/k: only the post the cursor rests on gets rendered.
        if self._preview_timer is not None:
            self._preview_timer.stop()
        path = event.row.path
        self._preview_timer = self.set_timer(PREVIEW_DEBOUNCE, lambda: self._show(path, self._searching))

    @on(PostList.Selected)
    def _selected(self, event: PostList.Selected) -> None:
        self._show(event.row.path, self._searching)
        self.query_one(PostBody).focus()
        if self._searching and self.matcher is not None:
            self.query_one(PostBody).scroll_to_match(0)

    # --- showing a post ----------------------------------------------------------------

    def _show(self, path: str, with_matches: bool) -> None:
        try:
            post = self.library.get(path)
        except PostNotFound:
            self.query_one(PostPane).clear(f"{path} is gone")
            return
        self.open_path = post.path
        self._links = self.library.links(post.path)
        table: dict[tuple[int, str], int] = {}
        for link in self._links:
            table.setdefault((link.line, link.url), link.n)
        state = RenderState(links=lambda line, url: table.get((line, url)),
                            matcher=self.matcher if with_matches else None)
        self.query_one(PostPane).show(post, state)
        self.match_index = 0
        panel = self.query_one(LinkPanel)
        if not panel.has_class("hidden"):
            self._fill_link_panel()

    def open_post(self, path: str, remember: bool = True) -> None:
        """Open a post by path (links, palette, history)."""
        if path not in self.library:
            self.notify(f"no post {path}", severity="error", markup=False)
            return
        if remember and self.open_path and self.open_path != path:
            self.history.back.append(self.open_path)
            self.history.forward.clear()
        self._show(path, with_matches=False)
        self.query_one(PostList).set_rows(self.query_one(PostList).rows, keep_path=path) if not self._searching \
            else None
        self.query_one(PostBody).focus()

    def action_back(self) -> None:
        if self.history.back:
            if self.open_path:
                self.history.forward.append(self.open_path)
            self.open_post(self.history.back.pop(), remember=False)

    def action_forward(self) -> None:
        if self.history.forward:
            if self.open_path:
                self.history.back.append(self.open_path)
            self.open_post(self.history.forward.pop(), remember=False)

    # --- search ------------------------------------------------------------------

    @property
    def _searching(self) -> bool:
        return not self.query_one("#search", Input).has_class("hidden")

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.remove_class("hidden")
        search.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DEBOUNCE, self._start_search)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        post_list = self.query_one(PostList)
        if post_list.rows:
            post_list.focus()
            post_list.action_select()

    def _start_search(self) -> None:
        query = self.query_one("#search", Input).value.strip()
        if not query:
            self.matcher = None
            self.show_post_rows(self.open_path)
            return
        if not self.index_ready:
            self.status("the index is still being built; results will follow")
            return
        self.run_search(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        worker = get_current_worker()
        try:
            result = self.library.search(query, limit=200, include_drafts=self.show_drafts)
        except InvalidQuery as exc:
            if not worker.is_cancelled:
                self.post_message(self.SearchFinished(None, f"invalid query: {exc}"))
            return
        if not worker.is_cancelled:  # a newer keystroke started a newer search
            self.post_message(self.SearchFinished(result, None))

    def on_reader_app_search_finished(self, message: SearchFinished) -> None:
        if not self._searching:
            return
        if message.error or message.result is None:
            self.status(message.error or "search failed", "red")
            return
        result = message.result
        if result.query != self.query_one("#search", Input).value.strip():
            return  # stale
        self.search_result = result
        self.matcher = result.matcher
        rows = [Row(h.path, h.title, (h.date or "")[:10], h.draft, False, h.snippet, h.highlights,
                    h.title_highlights) for h in result.hits]
        post_list = self.query_one(PostList)
        post_list.border_title = f"search: {result.query}"
        post_list.set_rows(rows, snippets=True)
        note = " (approximate)" if result.approximate else ""
        about = "" if result.total_exact else "about "
        self.status(f"{about}{result.total} posts match{note}")

    def action_to_results(self) -> None:
        if self.focused is self.query_one("#search", Input):
            self.query_one(PostList).focus()

    def action_escape(self) -> None:
        search = self.query_one("#search", Input)
        if not self.query_one(LinkPanel).has_class("hidden"):
            self.action_toggle_links()
        elif self._searching:
            search.value = ""
            search.add_class("hidden")
            self.matcher = None
            self.show_post_rows(self.open_path)
            self.query_one(PostList).focus()
        else:
            self.query_one(PostList).focus()

    def action_next_match(self) -> None:
        self._step_match(1)

    def action_previous_match(self) -> None:
        self._step_match(-1)

    def _step_match(self, step: int) -> None:
        body = self.query_one(PostBody)
        body._parse_all()
        if not body.match_blocks:
            self.notify("no matches in this post", markup=False)
            return
        self.match_index = (self.match_index + step) % len(body.match_blocks)
        body.scroll_to_match(self.match_index)
        self.status(f"match {self.match_index + 1}/{len(body.match_blocks)}")

    # --- other actions -----------------------------------------------------------------

    def action_edit(self) -> None:
        if self.open_path is None:
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        path = self.library.get(self.open_path).file
        try:
            with self.suspend():
                subprocess.call([*shlex.split(editor), str(path)])
        except (OSError, ValueError, SuspendNotSupported) as exc:
            self.notify(f"cannot run {editor}: {exc or 'this terminal cannot be suspended'}", severity="error",
                        markup=False)
        self.load_library()

    def action_resync(self) -> None:
        self.status("re-reading posts…")
        self.load_library()

    def action_toggle_drafts(self) -> None:
        self.show_drafts = not self.show_drafts
        self.settings.show_drafts = self.show_drafts
        self._save_settings()
        self.refresh_lists(keep=self.open_path)
        self.notify("drafts shown" if self.show_drafts else "drafts hidden", markup=False)

    def action_toggle_sort(self) -> None:
        self.sort_by_updated = not self.sort_by_updated
        if not self._searching:
            self.show_post_rows(self.open_path)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(help_sections()))

    def action_focus_next(self) -> None:
        self.screen.focus_next()

    def action_focus_previous(self) -> None:
        self.screen.focus_previous()


def build_app(posts: Path, index_dir: Path | None = None, watch: bool = True,
              settings_path: Path | None = None) -> ReaderApp:
    """The factory the CLI and the tests share."""
    settings, problem = Settings.load(settings_path)
    app = ReaderApp(Library(posts, index_dir=index_dir), settings, watch=watch, settings_path=settings_path)
    if problem:
        app.call_later(app.notify, problem, severity="warning", markup=False)
    return app
