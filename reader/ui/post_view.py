"""The post pane: a header over the rendered post, drawn lazily line by line."""

from __future__ import annotations

import time
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from reader.posts.document import Document
from reader.posts.post import Post
from reader.posts.text import printable
from reader.ui.render import Block, Palette, Renderer, RenderState

FRAME_BUDGET = 0.015  # seconds of rendering per idle step, so keys stay responsive


class PostBody(ScrollView, can_focus=True):
    """The rendered Markdown. Only blocks above the bottom of the view are turned into
    lines at once; the rest are rendered in small steps while the app is idle."""

    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("k,up", "scroll_up", "Up", show=False),
        Binding("g,home", "scroll_home", "Top", show=False),
        Binding("G,end", "scroll_end", "Bottom", show=False),
        Binding("space,pagedown", "page_down", "Page down", show=False),
        Binding("b,pageup", "page_up", "Page up", show=False),
    ]

    class LinkClicked(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.document: Document | None = None
        self._renderer: Renderer | None = None
        self._state = RenderState()
        self._blocks: list[Block] = []
        self._lines: list[Strip] = []
        self._block_lines: list[int] = []  # first line of each rendered block
        self._rendered_blocks = 0
        self._width = 0
        self._step_scheduled = False
        self._exhausted = False
        self.match_blocks: list[int] = []  # block index of each search match, in order

    # --- content ---------------------------------------------------------------

    def show(self, document: Document | None, state: RenderState) -> None:
        """Show a parsed post (None: nothing, e.g. while it is being parsed)."""
        self.document = document
        self._state = state
        self._renderer = Renderer(document, state) if document is not None else None
        self._blocks, self._lines, self._block_lines = [], [], []
        self._rendered_blocks = 0
        self._exhausted = document is None
        self.match_blocks = []
        self.jump_to(0)
        self._width = 0
        self.virtual_size = Size(self._render_width(), 0)
        self._ensure_lines(max(self.size.height, 40) * 2)
        self._schedule_step()
        self.refresh()

    def restyle(self, palette: Palette) -> None:
        """New colours (the theme changed): render again from the same document."""
        if self.document is None:
            return
        top = self._block_at(round(self.scroll_y))
        self._state = RenderState(self._state.matcher, palette)
        self.show(self.document, self._state)
        self._scroll_to_block(top)

    @property
    def fully_rendered(self) -> bool:
        return self._exhausted and self._rendered_blocks == len(self._blocks)

    def _next_block(self) -> bool:
        """Make the next Block from the tokens; False at the end."""
        if self._exhausted or self._renderer is None:
            return False
        block = self._renderer.next_block()
        if block is None:
            self._exhausted = True
            return False
        self.match_blocks.extend([len(self._blocks)] * block.matches)
        self._blocks.append(block)
        return True

    def _render_width(self) -> int:
        return max(20, self.scrollable_content_region.width or self.size.width or 80)

    def _render_next_block(self) -> bool:
        if self._rendered_blocks >= len(self._blocks) and not self._next_block():
            return False
        width = self._render_width()
        if width != self._width:
            self._restart(width)
        block = self._blocks[self._rendered_blocks]
        console = self.app.console
        options = console.options.update(width=width, min_width=width, max_width=width, height=None)
        lines = console.render_lines(block.renderable, options, pad=False, new_lines=False)
        self._block_lines.append(len(self._lines))
        self._lines.extend(Strip(line).simplify() for line in lines)
        self._lines.append(Strip.blank(0))
        self._rendered_blocks += 1
        self.virtual_size = Size(width, len(self._lines))
        return True

    def _restart(self, width: int) -> None:
        self._width = width
        self._lines, self._block_lines = [], []
        self._rendered_blocks = 0

    def _ensure_lines(self, count: int) -> None:
        while len(self._lines) < count and self._render_next_block():
            pass

    def render_all(self) -> None:
        """Render every block now (tests, and `n` needs every match)."""
        while self._render_next_block():
            pass

    def all_blocks(self) -> list[Block]:
        """Every block of the post (made, not necessarily turned into lines)."""
        while self._next_block():
            pass
        return self._blocks

    def _schedule_step(self) -> None:
        if not self._step_scheduled and not self.fully_rendered:
            self._step_scheduled = True
            self.set_timer(0.01, self._step)

    def _step(self) -> None:
        self._step_scheduled = False
        deadline = time.perf_counter() + FRAME_BUDGET
        progressed = False
        while time.perf_counter() < deadline:
            if not self._render_next_block():
                break
            progressed = True
        if progressed:
            self.refresh()
            self._schedule_step()

    def on_resize(self, event: events.Resize) -> None:
        if self.document is not None and self._render_width() != self._width:
            top_block = self._block_at(round(self.scroll_y))
            self._restart(self._render_width())
            self._ensure_lines(self.size.height * 2)
            self._scroll_to_block(top_block)
            self._schedule_step()

    # --- drawing ---------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        if index >= len(self._lines):
            self._ensure_lines(index + self.size.height)
        if index >= len(self._lines):
            return Strip.blank(self.size.width, self.rich_style)
        strip = self._lines[index].apply_style(self.rich_style)
        return strip.crop_extend(scroll_x, scroll_x + self.size.width, self.rich_style)

    @property
    def text(self) -> str:
        """What is rendered so far, as plain text (for tests and the pty check)."""
        return "\n".join(strip.text for strip in self._lines)

    # --- navigation ----------------------------------------------------------------

    def _block_at(self, line: int) -> int:
        for index in range(len(self._block_lines) - 1, -1, -1):
            if self._block_lines[index] <= line:
                return index
        return 0

    def _scroll_to_block(self, index: int) -> None:
        while index >= self._rendered_blocks and self._render_next_block():
            pass
        if index < len(self._block_lines):
            self.jump_to(self._block_lines[index])

    def scroll_to_anchor(self, slug: str) -> bool:
        """Scroll to the heading with this slug; False if there is none."""
        for index, block in enumerate(self.all_blocks()):
            if block.anchor == slug:
                self._scroll_to_block(index)
                return True
        return False

    def scroll_to_match(self, n: int) -> None:
        """Scroll to the block of the n-th search match (0-based)."""
        self.all_blocks()
        if self.match_blocks:
            self._scroll_to_block(self.match_blocks[n % len(self.match_blocks)])

    def jump_to(self, line: int) -> None:
        """Put rendered line `line` at the top, now. Forced: right after new content,
        Textual has not yet decided that the scroll bar is needed and would ignore it."""
        self._ensure_lines(line + self.size.height)
        self.scroll_to(0, line, animate=False, immediate=True, force=True)

    def current_line_text(self, y: int) -> str:
        index = y + round(self.scroll_y)
        return self._lines[index].text if index < len(self._lines) else ""

    def on_click(self, event: events.Click) -> None:
        x, y = event.x - self.gutter.left, event.y - self.gutter.top  # relative to this widget
        number = self.link_at(x + round(self.scroll_x), y + round(self.scroll_y))
        if number is not None:
            event.stop()
            self.post_message(self.LinkClicked(number))

    def link_at(self, x: int, line: int) -> int | None:
        """The link number drawn at cell `x` of rendered line `line`, if any.

        Read from our own lines (the style meta we put there), so it does not
        depend on how the terminal reports the style under the mouse.
        """
        if not 0 <= line < len(self._lines):
            return None
        cell = 0
        for segment in self._lines[line]:
            width = segment.cell_length
            if cell <= x < cell + width:
                meta = segment.style.meta if segment.style else {}
                number = meta.get("link")
                return number if isinstance(number, int) else None
            cell += width
        return None


class PostHeader(Static):
    """Title, dates, taxonomy, path and warnings; all plain text."""

    DEFAULT_CSS = "PostHeader { height: auto; padding: 0 1; border-bottom: solid $primary-darken-2; }"


def header_text(post: Post) -> Text:
    text = Text()
    text.append(printable(post.title), Style(bold=True))
    text.append("\n")
    facts = []
    if post.date:
        facts.append(post.date.strftime("%Y-%m-%d %H:%M"))
    if post.updated:
        facts.append("updated " + post.updated.strftime("%Y-%m-%d"))
    if post.draft:
        facts.append("DRAFT")
    text.append("  ·  ".join(facts), Style(dim=True))
    if post.categories:
        text.append("\n")
        text.append(printable("  ".join("📁 " + name for name in post.category_names)), Style(color="green"))
    if post.tags:
        text.append("\n")
        text.append(printable(" ".join("#" + tag for tag in post.tags)), Style(color="cyan"))
    text.append("\n")
    text.append(printable(post.path), Style(dim=True, italic=True))
    for warning in post.warnings:
        text.append("\n⚠ " + printable(warning), Style(color="yellow"))
    return text


class PostPane(Vertical):
    """The header over the body; the screen gives it posts to show."""

    DEFAULT_CSS = "PostPane { height: 1fr; } PostBody { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield PostHeader(Text("Select a post", style="dim"), id="post-header")
        yield PostBody(id="post-body")

    def show_header(self, post: Post) -> None:
        self.query_one(PostHeader).update(header_text(post))

    def show(self, post: Post, document: Document | None, state: RenderState) -> None:
        self.show_header(post)
        self.query_one(PostBody).show(document, state)

    def clear(self, message: str) -> None:
        self.query_one(PostHeader).update(Text(printable(message), style="dim"))
        self.query_one(PostBody).show(None, RenderState())

    @property
    def body(self) -> PostBody:
        return self.query_one(PostBody)
