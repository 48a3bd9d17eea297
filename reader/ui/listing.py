"""The post list and the sidebar's filter, mixed into the main screen: which posts, in which order."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text

from reader.posts.post import Post
from reader.posts.stats import Stats
from reader.posts.taxonomy import in_month
from reader.ui.i18n import t
from reader.ui.post_list import PostList, Row
from reader.ui.post_view import PostBody
from reader.ui.sidebar import Filter, Sidebar

if TYPE_CHECKING:
    from textual.timer import Timer

    from reader.posts.listing import Listing
    from reader.posts.snapshot import Snapshot
    from reader.reading import ReadingState
    from reader.search.highlight import Matcher
    from reader.settings import Settings

PREVIEW_DEBOUNCE = 0.06


class ListActions:
    """Mixed into the main screen (message handlers found by name, like LinkActions')."""

    snapshot: Snapshot
    settings: Settings
    filter: Filter
    sort_by_updated: bool
    open_path: str | None
    _preview_timer: Timer | None
    matcher: Matcher | None
    reading: ReadingState

    # provided by textual.screen.Screen and the main screen
    query_one: Any
    set_timer: Any
    search_box: Any
    show_post: Any
    start_search: Any
    idle_status: Any
    show_pane: Any
    open_row: Any
    _listed_taxonomy: tuple[Any, Any] = (None, None)  # (the snapshot, its taxonomy without drafts)

    def visible_posts(self) -> list[Post]:
        kind, value = self.filter.kind, self.filter.value
        posts = self.snapshot.filter(
            tag=value if kind == "tag" else None,
            category=value if kind == "category" else None,
            drafts=self.settings.show_drafts,
        )
        if kind == "month":
            posts = [p for p in posts if in_month(p, value)]
        elif kind == "unread":
            posts = [p for p in posts if not self.reading.is_read(p.path)]
        elif kind == "bookmarks":
            posts = [p for p in posts if self.reading.is_bookmarked(p.path)]
        if self.sort_by_updated:  # last updated first; a post never updated counts by its date
            posts = sorted(posts, key=_last_change, reverse=True)
        return posts

    def refresh_lists(self, keep: str | None = None) -> None:
        self.refresh_sidebar()
        if not self.search_box.active:
            self.show_post_rows(keep)

    def refresh_sidebar(self) -> None:
        """The sidebar's entries and counts, the unread ones (drafts among them when drafts are shown)
        once something has been read."""
        # No post made for this: a snapshot listed from the index counts from its columns.
        snapshot = self.snapshot
        drafts = snapshot.drafts
        shown = self.settings.show_drafts
        if drafts and not shown:  # the counts are of the posts listed: drafts hidden, not counted
            if self._listed_taxonomy[0] is not snapshot:
                self._listed_taxonomy = (snapshot, snapshot.taxonomy_of(drafts=False))
            taxonomy = self._listed_taxonomy[1]
        else:
            taxonomy = snapshot.taxonomy
        marks = self.reading.has_read()
        listed = Stats.from_taxonomy(taxonomy)
        by_path = snapshot.by_path
        if marks:  # the unread are the listed less the read, who are few: count those
            is_read = self.reading.is_read
            read = [by_path[path] for path in by_path if is_read(path)]
            listed = _less(listed, Stats.of([p for p in read if shown or not p.draft]))
        bookmarks = sum(1 for path in self.reading.bookmarks() if path in by_path)  # few: not 100k asked
        self.query_one(Sidebar).load(
            taxonomy,
            len(self.snapshot) - (0 if shown else drafts),
            0 if shown else drafts,
            listed,
            bookmarks,
            marks,
            snapshot.expected,
        )

    def mark_rows(self, rows: list[Row]) -> list[Row]:
        """The rows' unread and bookmark marks, as the reading state has them now (unread
        marked only once something has been read: before, every post would be)."""
        marks = self.reading.has_read()
        if not marks and not self.reading.bookmarks():  # nothing to mark: a row is made unmarked
            return rows
        for row in rows:
            row.unread = marks and not self.reading.is_read(row.path)
            row.bookmarked = self.reading.is_bookmarked(row.path)
        return rows

    def show_post_rows(self, keep: str | None = None) -> None:
        by_updated = self.sort_by_updated
        listed = self.snapshot.listing
        if listed is not None and self.filter.kind == "all" and not by_updated:
            rows = _listed_rows(listed, self.settings.show_drafts)
        else:
            rows = [
                Row(p.path, p.title, _day((p.updated or p.date) if by_updated else p.date), p.draft, bool(p.warnings))
                for p in self.visible_posts()
            ]
        post_list = self.query_one(PostList)
        expected = self.snapshot.expected  # a long first read's first posts: so many of how many
        count = f"{len(rows)}/{expected}…" if expected else str(len(rows))
        # A Text: a category's or a tag's name is the posts' text (a str would be read as markup).
        post_list.border_title = Text(
            self.filter.label + f" ({count})" + (t(" · by updated") if self.sort_by_updated else "")
        )
        post_list.set_rows(self.mark_rows(rows), keep_path=keep, empty=_nothing_listed(self.filter.kind))

    def apply_filter(self, chosen: Filter, focus_list: bool = True) -> None:
        self.filter = chosen
        if self.search_box.active and self.search_box.query_text:
            self.start_search()  # the search follows the filter: scoped to it
            return
        self.show_post_rows()
        self.idle_status()
        if focus_list:
            self.show_pane("list")

    def on_sidebar_filter_chosen(self, event: Sidebar.FilterChosen) -> None:
        # A folded branch (a year, a category with others below) opens and keeps the sidebar's
        # focus; Enter on it again, or on any other node, goes to its posts (below 100 columns
        # the list is the only way to see them).
        self.apply_filter(event.filter, focus_list=not event.opened)

    def on_post_list_highlighted(self, event: PostList.Highlighted) -> None:
        # Holding j/k: only the post the cursor rests on gets rendered.
        if self._preview_timer is not None:
            self._preview_timer.stop()
        path = event.row.path
        if self._showing(path):
            return
        if self.open_path is None:  # the first post on screen: no key is being held
            self.show_post(path, self.search_box.active)
            return
        self._preview_timer = self.set_timer(PREVIEW_DEBOUNCE, lambda: self.show_post(path, self.search_box.active))

    def _showing(self, path: str) -> bool:
        """Whether `path` is on screen already, with the search's matches if a search is on."""
        wanted = self.matcher if self.search_box.active else None
        return path == self.open_path and self.query_one(PostBody).matcher is wanted

    def on_post_list_selected(self, event: PostList.Selected) -> None:
        self.open_row(event.row)


def _nothing_listed(kind: str) -> list[Text]:
    """What an empty list of the reader's own marks says (a blank list said nothing)."""
    if kind == "bookmarks":
        return [Text(t("No bookmarks yet."), style="bold"), Text(t("b bookmarks the post being read."), style="dim")]
    if kind == "unread":
        return [Text(t("Every post has been read."), style="bold"), Text(t("m marks a post unread."), style="dim")]
    return []


def _listed_rows(listed: Listing, drafts: bool) -> list[Row]:
    """The rows of every post listed from the index, from its columns (no post made)."""
    day, titles, flags, warned = listed.day, listed.titles, listed.drafts, listed.warnings
    return [
        Row(path, titles[n], day(n), bool(flags[n]), path in warned)
        for n, path in enumerate(listed.paths)
        if drafts or not flags[n]
    ]


def _day(when: datetime | None) -> str:
    """`YYYY-MM-DD` of a post's date, as the post's time zone has it (strftime costs 8x more)."""
    return when.date().isoformat() if when is not None else ""


def _less(listed: Stats, read: Stats) -> Stats:
    """The counts of `listed` less those of `read` (a subset of it): the unread posts."""
    return Stats(
        posts=listed.posts - read.posts,
        drafts=listed.drafts - read.drafts,
        undated=listed.undated - read.undated,
        years={year: n - read.years.get(year, 0) for year, n in listed.years.items()},
        months={month: n - read.months.get(month, 0) for month, n in listed.months.items()},
        tags={tag: n - read.tag(tag) for tag, n in listed.tags.items()},
        categories={path: n - read.category(path) for path, n in listed.categories.items()},
    )


def _last_change(post: Post) -> float:
    when = post.updated or post.date
    return when.timestamp() if when is not None else 0.0
