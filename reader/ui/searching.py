"""Searching from the main screen: the search box, the results in the list, matches in the post."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reader.posts.text import printable
from reader.ui import messages
from reader.ui.i18n import t
from reader.ui.link_panel import LinkPanel
from reader.ui.post_list import PostList, Row
from reader.ui.post_view import PostBody
from reader.ui.search_box import SearchBox

if TYPE_CHECKING:
    from reader.library import SearchResult
    from reader.posts.snapshot import Snapshot
    from reader.search.highlight import Matcher
    from reader.settings import Settings
    from reader.ui.services import Services


class SearchActions:
    """Mixed into the main screen: everything the search box sets off."""

    snapshot: Snapshot
    services: Services
    settings: Settings
    matcher: Matcher | None
    match_index: int
    index_ready: bool
    index_problem: str | None
    open_path: str | None
    search_result: SearchResult | None

    # provided by textual.screen.Screen and the main screen
    query_one: Any
    focused: Any
    notify: Any
    status: Any
    show_post_rows: Any
    action_toggle_links: Any

    @property
    def search_box(self) -> SearchBox:
        return self.query_one(SearchBox)

    def action_search(self) -> None:
        self.search_box.open()

    def on_search_box_query_changed(self, event: SearchBox.QueryChanged) -> None:
        self.start_search()

    def on_input_submitted(self, event: SearchBox.Submitted) -> None:
        if event.input is not self.search_box:
            return
        post_list = self.query_one(PostList)
        if post_list.rows:
            post_list.focus()
            post_list.action_select()

    def start_search(self) -> None:
        query = self.search_box.query_text
        if not query:
            self.matcher = None
            self.show_post_rows(self.open_path)
            return
        if self.index_problem is not None:
            self.status(t("search is not available: {reason}", reason=self.index_problem), "red")
            return
        if not self.index_ready:
            self.status(t("the index is still being built; results will follow"))
            return
        self.services.search(query, self.snapshot, self.settings.show_drafts)

    def on_search_finished(self, message: messages.SearchFinished) -> None:
        if not self.search_box.active or message.query != self.search_box.query_text:
            return  # stale: the box was left or the query changed since
        if message.error or message.result is None:
            self.status(message.error or t("search failed"), "red")
            return
        result = message.result
        self.search_result = result
        self.matcher = result.matcher
        rows = [
            Row(h.path, h.title, (h.date or "")[:10], h.draft, False, h.snippet, h.highlights, h.title_highlights)
            for h in result.hits
        ]
        post_list = self.query_one(PostList)
        post_list.border_title = t("search: {query}", query=printable(result.query))
        post_list.set_rows(rows, snippets=True)
        note = t(" (approximate)") if result.approximate else ""
        if not result.total_exact:
            counted = t("about {count} posts match", count=result.total)
        else:
            counted = t("{count} post matches" if result.total == 1 else "{count} posts match", count=result.total)
        self.status(counted + note)

    def action_to_results(self) -> None:
        if self.focused is self.search_box:
            self.query_one(PostList).focus()

    def action_escape(self) -> None:
        if not self.query_one(LinkPanel).has_class("hidden"):
            self.action_toggle_links()
        elif self.search_box.active:
            self.search_box.close()
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
        body.all_blocks()
        if not body.match_blocks:
            self.notify(t("no matches in this post"), markup=False)
            return
        self.match_index = (self.match_index + step) % len(body.match_blocks)
        body.scroll_to_match(self.match_index)
        self.status(t("match {index}/{count}", index=self.match_index + 1, count=len(body.match_blocks)))
