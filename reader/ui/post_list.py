"""The post list: a virtual list that draws only the visible rows (10k posts stay instant)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.posts.text import fit, printable_spans
from reader.ui import snippets


class Found(Protocol):
    """A search hit as a row shows it (reader.search.searcher.SearchHit): its snippet is cut
    when first read, so a list of 200 hits cuts only those drawn."""

    @property
    def snippet(self) -> str: ...

    @property
    def highlights(self) -> Sequence[tuple[int, int]]: ...


@dataclass(slots=True)
class Row:
    """One entry: a post in the list, or a search hit (with a snippet line). A list of 10k
    posts makes 10k rows on every refresh: slots, and no empty lists of highlights."""

    path: str
    title: str
    date: str  # YYYY-MM-DD or ""
    draft: bool = False
    warned: bool = False
    found: Found | None = None  # a search hit: the snippet line's text
    title_highlights: Sequence[tuple[int, int]] = ()
    unread: bool = False  # marked • (not read yet)
    bookmarked: bool = False  # marked ★

    @property
    def snippet(self) -> str:
        return self.found.snippet if self.found is not None else ""

    @property
    def highlights(self) -> Sequence[tuple[int, int]]:
        return self.found.highlights if self.found is not None else ()


MATCH = Style(reverse=True, bold=True)
NARROW = 70  # a list narrower than this shows a hit's snippet on two lines
SNIPPET_INDENT = 3
EMPTY_MARGIN = 1  # cells before (and after) what an empty list says


class PostList(ScrollView, can_focus=True):
    """Rows of date and title (and a snippet for search hits); j/k move, Enter opens."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("enter", "select", "Open"),
    ]
    COMPONENT_CLASSES = {"post-list--cursor", "post-list--dim"}
    DEFAULT_CSS = """
    PostList > .post-list--cursor { background: $accent 40%; }
    PostList:focus > .post-list--cursor { background: $accent; color: $text; }
    PostList > .post-list--dim { color: $text-muted; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        """The cursor moved onto a row (preview it)."""

        def __init__(self, row: Row) -> None:
            super().__init__()
            self.row = row

    class Selected(Message):
        """Enter or a click on a row (open it)."""

        def __init__(self, row: Row) -> None:
            super().__init__()
            self.row = row

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.rows: list[Row] = []
        self.snippets = False
        self._quiet = False
        self._base_style: Style | None = None  # the list's own style, kept until the styles change
        self._line_width = 0  # set once a frame by render_lines
        self.empty: tuple[Text, ...] = ()  # what the list says when it has no rows (a search that found nothing)
        self._empty_lines: tuple[int, list[Text]] = (0, [])  # `empty` wrapped, for the width it was wrapped to
        # Each hit's snippet fitted to the row (row index -> its hit, the cells and lines fitted to,
        # the lines): cut again at every paint it was half of the list's drawing, 3-5 ms a frame.
        self._fitted: dict[int, tuple[Found | None, int, int, list[Text]]] = {}

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base_style = None

    @property
    def _row_style(self) -> Style:
        """`rich_style` walks every ancestor: once per style change, not once per row drawn."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    @property
    def row_height(self) -> int:
        """1 for a post; a search hit adds its snippet, on two lines when the list is narrow."""
        if not self.snippets:
            return 1
        return 3 if self.size.width < NARROW else 2

    def on_resize(self) -> None:
        self._size_rows()
        self._scroll_cursor_visible()

    def _size_rows(self) -> None:
        # As wide as the room beside the scroll bar: never a horizontal scroll bar.
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows) * self.row_height)

    def set_rows(
        self, rows: list[Row], keep_path: str | None = None, snippets: bool = False, empty: Sequence[Text] = ()
    ) -> None:
        """Show `rows`; `empty`: the lines the list shows instead when there are none (each a
        paragraph, wrapped to the list's width), else nothing is said there."""
        self.rows = rows
        self.snippets = snippets
        self.empty = tuple(empty)
        self._empty_lines = (0, [])
        self._fitted = {}
        self._size_rows()
        index = next((i for i, r in enumerate(rows) if r.path == keep_path), None) if keep_path else 0
        # The post kept is not in the new rows (a filter): the cursor goes to the top without
        # previewing that row, which would replace the post being read.
        self._quiet = index is None
        self.cursor = min(index or 0, max(0, len(rows) - 1))
        self._quiet = False
        self.refresh()
        # The rows' new height is known after the next layout: scroll to the cursor then too
        # (a filter cleared to show a post far down the list).
        self.call_after_refresh(self._scroll_cursor_visible)

    def move_to(self, path: str) -> bool:
        """Put the cursor on the row of `path`, if the list has one."""
        for index, row in enumerate(self.rows):
            if row.path == path:
                self.cursor = index
                return True
        return False

    @property
    def current(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_visible()
        self.refresh()
        row = self.current
        if row is not None and not self._quiet:
            self.post_message(self.Highlighted(row))

    def _scroll_cursor_visible(self) -> None:
        top = self.cursor * self.row_height
        self.scroll_to_region(Region(0, top, 1, self.row_height), animate=False, immediate=True)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.size.height // self.row_height - 1)

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Selected(row))

    def on_click(self, event: events.Click) -> None:
        # The event's y counts from the widget's edge: the border's row comes off first.
        index = (event.y - self.gutter.top + round(self.scroll_y)) // self.row_height
        if 0 <= index < len(self.rows):
            self.cursor = index
            self.post_message(self.Selected(self.rows[index]))

    def render_lines(self, crop: Region) -> list[Strip]:
        # The rows' room: the list's width less its scroll bar, when one is shown. Once a
        # frame: computed in every render_line it was ~1 ms a line in the first screen's profile.
        self._line_width = self.scrollable_content_region.width or self.size.width
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_y = round(self.scroll_y)
        line = y + scroll_y
        index, sub = divmod(line, self.row_height)
        width = self._line_width or self.scrollable_content_region.width or self.size.width
        if not self.rows and self.empty:
            return self._empty_line(line, width)
        if index >= len(self.rows):
            return Strip.blank(width, self._row_style)
        row = self.rows[index]
        base = self.get_component_rich_style("post-list--cursor") if index == self.cursor else self._row_style
        text = self._title_line(row, width) if sub == 0 else self._snippet_line(index, row, width, sub - 1)
        text.stylize(base)
        # No width given to Strip: it measures the segments, so a short line is padded to `width`.
        return Strip(text.render(self.app.console)).crop_extend(0, width, base)

    def _title_line(self, row: Row, width: int) -> Text:
        marks = ("!" if row.warned else " ") + ("D" if row.draft else " ")
        reading = "★" if row.bookmarked else "•" if row.unread else " "
        date = (row.date or "").ljust(10)
        title_width = max(4, width - 15)
        shown, highlights = printable_spans(row.title, row.title_highlights)
        title = Text(fit(shown, title_width))
        for start, end in highlights:
            if end <= len(title.plain):
                title.stylize(MATCH, start, end)
        return Text.assemble(
            Text(f"{date} ", style="dim"),
            Text(marks, style="yellow"),
            Text(reading, style="bold" if row.bookmarked else "dim"),
            " ",
            title,
        )

    def _snippet_line(self, index: int, row: Row, width: int, number: int) -> Text:
        lines = self._snippet_lines(index, row, width - SNIPPET_INDENT - 1, self.row_height - 1)
        if number >= len(lines):
            return Text("")
        line = Text(" " * SNIPPET_INDENT, style="dim", no_wrap=True)
        line.append_text(lines[number])
        return line

    def _snippet_lines(self, index: int, row: Row, cells: int, count: int) -> list[Text]:
        """The snippet of the hit in row `index` fitted to `count` lines of `cells` cells: fitted
        once for the rows shown, not again at every paint (a row's hit is never changed: new hits come in new rows)."""
        found = row.found
        kept = self._fitted.get(index)
        if kept is not None and kept[0] is found and kept[1:3] == (cells, count):
            return kept[3]
        shown, highlights = printable_spans(row.snippet, row.highlights)
        lines = snippets.fit(shown, highlights, cells, count)
        self._fitted[index] = (found, cells, count, lines)
        return lines

    def _empty_line(self, line: int, width: int) -> Strip:
        """Line `line` of what the list says in place of rows: after a blank line, each paragraph
        wrapped to the width (in cells: a Korean word takes two a syllable), under a margin."""
        if self._empty_lines[0] != width:
            room = max(1, width - 2 * EMPTY_MARGIN)
            wrapped: list[Text] = [Text("")]
            for paragraph in self.empty:
                wrapped.extend(paragraph.wrap(self.app.console, room, overflow="fold") if paragraph else [Text("")])
            self._empty_lines = (width, wrapped)
        lines = self._empty_lines[1]
        text = Text(" " * EMPTY_MARGIN, style=self._row_style)  # the list's colours under the lines' own
        if line < len(lines):
            text.append_text(lines[line])
        return Strip(text.render(self.app.console)).crop_extend(0, width, self._row_style)
