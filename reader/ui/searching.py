"""Searching from the main screen: the search box, the results in the list, find in the post.

Search goes to the index when there is one; while the first index is being
built (or when none can be), the loaded posts are scanned with the same
matcher, and the status says so. With a sidebar filter on, search is scoped
to it (shown in the list's title); Ctrl+G widens it to every post.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.actions import SkipAction
from textual.widgets import Input

from reader.posts.text import printable
from reader.search.query import Node, facet, parse_date_range
from reader.ui import messages
from reader.ui.connections import ConnectionsPanel
from reader.ui.i18n import t
from reader.ui.link_panel import LinkPanel
from reader.ui.outline import Outline
from reader.ui.post_list import PostList, Row
from reader.ui.post_view import PostBody
from reader.ui.query_problems import query_problem
from reader.ui.search_box import FindBox, SearchBox

if TYPE_CHECKING:
    from reader.library import SearchResult
    from reader.posts.snapshot import Snapshot
    from reader.search.highlight import Matcher
    from reader.settings import Settings
    from reader.ui.history import Place
    from reader.ui.services import Services
    from reader.ui.sidebar import Filter


class SearchActions:
    """Mixed into the main screen: everything the search and find boxes set off."""

    snapshot: Snapshot
    services: Services
    settings: Settings
    filter: Filter
    matcher: Matcher | None
    find_matcher: Matcher | None
    match_index: int
    index_ready: bool
    index_searchable: bool
    index_problem: str | None
    open_path: str | None
    _hit: Row | None
    _reading: str | None
    _left_place: Place | None
    _pending_place: Place | None
    _pending_anchor: str | None
    _read_before_preview: bool
    search_result: SearchResult | None
    search_widened: bool
    search_note: str  # what the status says about the search, for the indexing progress to keep
    _entered_problem: str | None  # a query Enter was pressed on that cannot run (`(머신`): said as an error

    # provided by textual.screen.Screen and the main screen
    query_one: Any
    focused: Any
    set_focus: Any
    say: Any
    status: Any
    idle_status: Any
    show_post_rows: Any
    show_post: Any
    mark_rows: Any
    action_toggle_links: Any
    action_toggle_connections: Any
    action_toggle_outline: Any
    action_toggle_maximize: Any
    narrow: bool
    single: str
    focused_pane: str | None
    show_pane: Any
    apply_layout: Any
    panes: tuple[str, ...]
    go_back_along_link: Any
    can_go_back_along_link: Any

    @property
    def search_box(self) -> SearchBox:
        return self.query_one(SearchBox)

    @property
    def find_box(self) -> FindBox:
        return self.query_one(FindBox)

    # --- search --------------------------------------------------------------------------

    def action_search(self) -> None:
        """`/`: the search box, focused at once. A priority binding: the keys typed or pasted
        with it (`/머신러닝` in one burst) were each queued to the list before `/` moved the focus,
        and acted there (`b` bookmarked the post). In a box, `/` is text (`category:공부/머신러닝`)."""
        if isinstance(self.focused, Input):
            raise SkipAction()
        self.search_widened = False
        if not self.search_box.active:
            self._read_before_preview = False
        self.show_results()
        self.search_box.open()

    def show_results(self) -> None:
        """The list in view, for the hits to show as they are typed: the panes back from `z`, and
        the list in place of the post (or the sidebar) under 100 columns.

        There the list takes the focus at once: the panes' layout would focus it later (a focus
        is deferred), after the search box opened next had taken it, and the query typed went to
        the list (`/` from the post or the sidebar at 80 columns: nothing was searched)."""
        to_list = self.narrow and (self.single != "list" or self.settings.maximized)
        if to_list:
            self.single = "list"
            self.set_focus(self.query_one(PostList))  # in the pane shown: the layout moves no focus
        if self.settings.maximized:
            self.action_toggle_maximize()
        elif to_list:
            self.apply_layout()

    def on_search_box_query_changed(self, event: SearchBox.QueryChanged) -> None:
        if event.query != self._entered_problem:
            self._entered_problem = None
        self.start_search()

    def action_submit_search(self) -> None:
        """Enter in the search box. A priority binding (see action_search), taken only while the
        box has the focus (the screen's check_action): the focus moves to the hits before the keys
        typed after Enter are handed out, so `z` or `j` act on the hits instead of being typed on
        to the query. The keys typed before Enter may still wait in the box's queue: what Enter
        does with the query is decided once the box has taken them (_search_entered)."""
        # Enter goes to the hits, as search boxes do: j/k move through them (the one under the
        # cursor previewed where there is room), Enter opens one, Esc comes back to them.
        self.show_results()
        self.set_focus(self.query_one(PostList))  # now, not after the keys already queued
        self.search_box.call_later(self._search_entered)

    def _search_entered(self) -> None:
        box = self.search_box
        if not box.active:  # closed meanwhile (Esc typed right after Enter)
            return
        box.flush()  # typed and entered at once: the hits follow, the cursor on the first
        problem = query_problem(box.query_text)
        if problem is not None:  # `(머신`, `tag:`: what is wrong, said now as an error; the box keeps the keys
            self._entered_problem = box.query_text
            self.status(problem.message, "red")
            self._back_to_box()
            return
        box.remember()
        result = self.search_result
        if result is not None and result.query == box.query_text and not result.hits:
            self._back_to_box()  # nothing to go to: the box keeps the keys, for another query

    def _back_to_box(self) -> None:
        """The focus back in the search box, its cursor at the end of the query as it was left
        (not the whole query selected, as a box entered anew selects it: the next key would
        replace `(머신` instead of closing it)."""
        box = self.search_box
        box.select_on_focus = False
        self.set_focus(box)
        box.call_later(setattr, box, "select_on_focus", True)  # after the focus event, queued before it

    @property
    def search_scope(self) -> Node | None:
        """The sidebar's filter as part of the query, unless widened."""
        if self.search_widened or self.filter.kind in ("all", "unread", "bookmarks"):
            return None  # the reading marks are not in the index: those filters search everything
        if self.filter.kind == "month":
            return parse_date_range(self.filter.value)
        return facet(self.filter.kind, self.filter.value)

    def start_search(self) -> None:
        query = self.search_box.query_text
        if not query:
            self.matcher = None
            self.search_note = ""
            self.show_post_rows(self.open_path)
            self.idle_status()
            return
        if self.index_searchable and self.index_problem is None:
            self.services.search(query, self.snapshot, self.settings.show_drafts, self.search_scope)
        elif self.snapshot.complete:
            self.services.search(query, self.snapshot, self.settings.show_drafts, self.search_scope, scan=True)
        else:
            self.status(t("the posts are still being read; results will follow"))

    def action_widen_search(self) -> None:
        """Ctrl+G: search every post instead of the sidebar's filter (and back)."""
        if not self.search_box.active or self.filter.kind == "all":
            return
        self.search_widened = not self.search_widened
        self.start_search()

    def on_search_finished(self, message: messages.SearchFinished) -> None:
        if not self.search_box.active or message.query != self.search_box.query_text:
            return  # stale: the box was left or the query changed since
        if message.error or message.result is None:
            # The list stays as it was: while `tag:` waits for its value, the hits for the
            # words before it (or every post) stay in place rather than flicker away and back.
            # Incomplete, it is not an error while it is typed; Enter on it makes it one.
            typing = message.incomplete and message.query != self._entered_problem
            self.status(message.error or t("search failed"), "yellow" if typing else "red")
            return
        result, before = message.result, self.search_result
        # The same query answered again (the index followed a file changed on disk): the post
        # being read stays on screen, at its place, its row under the cursor wherever it now
        # ranks. (The top hit previewed instead replaced the post the reader had opened.)
        again = before is not None and before.query == result.query and self.open_path is not None
        self.search_result = result
        if not (again and result.matcher == self.matcher):
            self.matcher = result.matcher  # else the same object: the post shown is the one wanted
        rows = [Row(h.path, h.title, (h.date or "")[:10], h.draft, False, h, h.title_highlights) for h in result.hits]
        post_list = self.query_one(PostList)
        where = t(" in {filter}", filter=self.filter.label) if self.search_scope is not None else ""
        # A Text: the query is the reader's, the filter's name the posts' (a str would be markup).
        post_list.border_title = Text(t("search: {query}", query=printable(result.query)) + where)
        scope = self.filter.label if self.search_scope is not None else None
        post_list.set_rows(
            self.mark_rows(rows),
            keep_path=self.open_path if again else None,
            snippets=True,
            empty=nothing_found(result, scope),
        )
        scan_note = None
        if result.read_so_far is not None:
            done, of = result.read_so_far
            scan_note = t("still reading the posts: {done} of {of}", done=f"{done:,}", of=f"{of:,}")
        elif result.scanned:
            scan_note = (
                t("from a scan while the index is built")
                if self.index_problem is None
                else t("from a scan: search is not available: {reason}", reason=self.index_problem)
            )
        self.search_note = describe(result, scope, scan_note)
        self.status(self.search_note, "yellow" if result.approximate or not result.hits else "dim")

    def action_to_results(self) -> None:
        if self.focused is self.search_box:
            self.set_focus(self.query_one(PostList))  # now: Enter typed after ↓ is the list's

    def leave_search(self) -> None:
        self.search_box.close()
        self.matcher = None
        self._hit = None
        self.search_result = None
        self.search_note = ""
        # A hit previewed in place of the post being read (none opened since): that post again,
        # where the reader was, its row under the cursor. (The preview stayed, the post read gone.)
        back = self._left_place if self._read_before_preview and self._reading is None else None
        self._read_before_preview = False
        if back is not None and back.path != self.open_path and back.path in self.snapshot:
            self._pending_place, self._pending_anchor = back, None
            self.show_post(back.path, with_matches=False)
            self._reading = back.path
        self.show_post_rows(self.open_path)
        self.idle_status()

    def action_escape(self) -> None:
        if not self.query_one(LinkPanel).has_class("hidden"):
            self.action_toggle_links()
        elif not self.query_one(ConnectionsPanel).has_class("hidden"):
            self.action_toggle_connections()
        elif not self.query_one(Outline).has_class("hidden"):
            self.action_toggle_outline()
        elif self.find_box.active:
            self.close_find()
        elif self.focused_pane == "post" and self.go_back_along_link():
            pass  # a post reached by a link: back to the post left, where the reader was (at any width)
        elif self.settings.maximized:
            # Back to the list, which is hidden: the panes come back as `z` brings them (the focus
            # in the hidden list left the post shown with the list's keys hinted).
            self.action_toggle_maximize()
            self.show_pane("list")
        elif self.narrow and self.single != "list":
            self.show_pane("list")  # one pane at a time: back to the list (the results, if searching)
        elif self.search_box.active and self.focused_pane == "post":
            self.show_pane("list")  # from a hit opened: back to the hits, as under 100 columns
        elif self.search_box.active:
            self.leave_search()
            self.query_one(PostList).focus()
        else:
            self.query_one(PostList).focus()

    def escape_hint(self) -> str | None:
        """What Esc does from the post, for the key hints, where the screen does not show it: back
        to the post a link was followed from, or to the list the post hides (under 100 columns,
        maximized). None elsewhere: in the list, in a panel under the post (its Enter's hint comes
        first there), and where Esc closes what is open under the post."""
        if not isinstance(self.focused, PostBody):
            return None
        panels = (self.query_one(LinkPanel), self.query_one(Outline), self.query_one(ConnectionsPanel))
        if self.find_box.active or any(not panel.has_class("hidden") for panel in panels):
            return None
        if self.can_go_back_along_link():
            return t("Back")
        return t("List") if "list" not in self.panes else None

    def scroll_to_hit(self) -> bool:
        """The hit opened, at the match its snippet was cut around (the passage the list showed),
        made the current one: `n`/`N` go on from it. False while its post is not on screen yet."""
        row, body = self._hit, self.query_one(PostBody)
        if row is None or row.path != self.open_path or body.document is None or body.matcher is None:
            return False
        matches = [(text.plain, start, end) for block in body.all_blocks() for text, start, end in block.matches]
        if not matches:
            return False
        self.match_index = snippet_match(row.snippet, row.highlights, matches)
        body.scroll_to_match(self.match_index)
        return True

    # --- find in the post ------------------------------------------------------------------

    def action_find(self, from_box: bool = False) -> None:
        """`f` or Ctrl+F: the find box, focused at once. A priority binding (see action_search):
        the word typed right after it goes to the box, not to the list. In a box the priority
        binding steps aside (`f` is text there); Ctrl+F, which a box leaves alone, comes back
        through the screen's other find binding, `from_box`."""
        if isinstance(self.focused, Input) and not from_box:
            raise SkipAction()
        if self.open_path is None:
            return
        self.find_box.open()

    def action_submit_find(self) -> None:
        """Enter in the find box. A priority binding, taken only while the box has the focus (the
        screen's check_action): the focus moves to the post before the keys typed after Enter are
        handed out, so `n` goes to the next match instead of on to the word. The keys typed
        before Enter may still wait in the box's queue: the word is found once the box has taken
        them (not after the typing's pause), and `n` waits for it (see _after_find_box)."""
        self.set_focus(self.query_one(PostBody))  # now, not after the keys already queued
        self.find_box.call_later(self._find_entered)

    def _find_entered(self) -> None:
        box = self.find_box
        text = box.take_typed()
        if box.active and text != box.found:
            self.find_in_post(text)

    def _after_find_box(self, callback: Any, *args: Any) -> None:
        """`callback` once the find box has taken the keys queued to it (a word typed and entered
        at once, the `n` after it), at once when the box is closed."""
        if self.find_box.active:
            self.find_box.call_later(callback, *args)
        else:
            callback(*args)

    def on_find_box_query_changed(self, event: FindBox.QueryChanged) -> None:
        if event.query != self.find_box.found:  # else found already, on Enter
            self.find_in_post(event.query)

    def find_in_post(self, text: str) -> None:
        """Mark `text` in the open post and go to its match nearest the view."""
        from reader.search.scan import matcher_for  # with the searcher (Whoosh): not on the first screen's path

        self.find_box.found = text
        body = self.query_one(PostBody)
        matcher = matcher_for(text) if text else None
        self.find_matcher = matcher if matcher is not None and matcher.pattern is not None else None
        body.set_matcher(self.find_matcher or self._search_matcher())
        if not text:
            self.idle_status()
            return
        body.all_blocks()
        count = len(body.match_blocks)
        if not count:
            self.status(t("not in this post: {query}", query=text), "yellow")
            return
        self.match_index = body.first_match_from_view()
        body.scroll_to_match(self.match_index)
        self.status(t("match {index}/{count}", index=self.match_index + 1, count=count))

    def _search_matcher(self) -> Matcher | None:
        return self.matcher if self.search_box.active else None

    def close_find(self) -> None:
        """Esc: the find box goes, and so do its marks (the search's come back, if one is on)."""
        self.find_box.close()
        self.find_matcher = None
        body = self.query_one(PostBody)
        body.set_matcher(self._search_matcher())
        body.focus()
        self.idle_status() if not self.search_box.active else self.status(self.search_note)

    def action_next_match(self) -> None:
        self._after_find_box(self._step_match, 1)

    def action_previous_match(self) -> None:
        self._after_find_box(self._step_match, -1)

    def _step_match(self, step: int) -> None:
        body = self.query_one(PostBody)
        body.all_blocks()
        if not body.match_blocks:
            self.say(t("no matches in this post"))
            return
        self.match_index = (self.match_index + step) % len(body.match_blocks)
        body.scroll_to_match(self.match_index)
        self.status(t("match {index}/{count}", index=self.match_index + 1, count=len(body.match_blocks)))


CONTEXT = 40  # characters either side of a match compared with a snippet's


def snippet_match(snippet: str, highlights: Sequence[tuple[int, int]], matches: Sequence[tuple[str, int, int]]) -> int:
    """Which of a post's matches (each: the text of its block, its span) a hit's snippet was cut
    around: the one whose text before and after reads most like the snippet's around its first
    highlight (spaces, "…" and the " · " after a heading aside: a snippet is the post as plain
    text, on one line). The first of the best; 0 when the snippet marks nothing."""
    if not highlights or not matches:
        return 0
    start, end = min(highlights)
    before, after = _squeezed(snippet[:start])[-CONTEXT:], _squeezed(snippet[end:])[:CONTEXT]
    word = _squeezed(snippet[start:end]).casefold()
    best, best_score = 0, -1
    for n, (text, a, b) in enumerate(matches):
        score = _common(before[::-1], _squeezed(text[max(0, a - 2 * CONTEXT) : a])[::-1])
        score += _common(after, _squeezed(text[b : b + 2 * CONTEXT]))
        score += _squeezed(text[a:b]).casefold() == word  # the same form of the word, too
        if score > best_score:
            best, best_score = n, score
    return best


def _squeezed(text: str) -> str:
    return "".join(text.split()).replace("…", "").replace("·", "")


def _common(one: str, other: str) -> int:
    """How many characters `one` and `other` begin with alike."""
    n = 0
    for x, y in zip(one, other, strict=False):
        if x != y:
            break
        n += 1
    return n


def nothing_found(result: SearchResult, scope: str | None) -> list[Text]:
    """What the list says when a search found nothing, where the reader looks for the hits: what
    no post holds, the spellings the blog does hold, and the way out. The query is the reader's
    text: shown as typed, never read as markup."""
    if result.missing:
        said = t("no posts contain {words}", words=", ".join(printable(w) for w in result.missing))
    else:
        said = t("no posts match {query}", query=printable(result.query))
    lines = [Text(said, style="bold")]
    if result.suggestions:
        lines.append(Text(t("did you mean {words}?", words=t(" or ").join(printable(s) for s in result.suggestions))))
    if result.elsewhere and scope is not None:
        words = t(" or ").join(printable(s) for s in result.elsewhere)
        lines.append(Text(t("did you mean {words}? (not in {filter})", words=words, filter=printable(scope))))
    lines.append(Text(""))
    if scope is not None:
        lines.append(Text(t("Ctrl+G: search all posts"), style="dim"))
    lines.append(Text(t("Esc: leave the search, back to the list"), style="dim"))
    return lines


def describe(result: SearchResult, scope: str | None, scan_note: str | None = None) -> str:
    """The status line for a search: how many, how counted, and what was really searched
    (`scope`: the filter it was limited to)."""
    if not result.hits:
        if result.missing:
            line = t("no posts contain {words}", words=", ".join(printable(w) for w in result.missing))
        else:
            line = t("no posts match {query}", query=printable(result.query))
        if result.suggestions:
            line += t(" · did you mean {words}?", words=t(" or ").join(printable(s) for s in result.suggestions))
        if result.elsewhere and scope is not None:  # a typo's spelling that only posts outside the filter hold
            words = t(" or ").join(printable(s) for s in result.elsewhere)
            line += t(" · did you mean {words}? (not in {filter})", words=words, filter=printable(scope))
    else:
        if result.read_so_far is not None:  # a scan under way: the best of those found so far
            line = t(
                "{count} post found so far" if result.total == 1 else "{count} posts found so far", count=result.total
            )
        elif not result.total_exact:
            line = t("about {count} posts match", count=result.total)
        else:
            line = t("{count} post matches" if result.total == 1 else "{count} posts match", count=result.total)
        if result.corrected is not None:
            line = t("showing results for {query}", query=printable(result.corrected)) + " · " + line
            if result.approximate:
                line += t(" · no posts contain {words}", words=", ".join(printable(w) for w in result.missing))
        if result.suggestions:
            line += t(" · also: {words}", words=", ".join(printable(s) for s in result.suggestions))
    if scope is not None:
        line += t(" · Ctrl+G: all posts")
    if scan_note:
        line += " · " + scan_note
    return line
