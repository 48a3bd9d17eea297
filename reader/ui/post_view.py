"""The post pane: a header over the rendered post, drawn lazily line by line."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.posts.document import Document
from reader.search.highlight import Matcher
from reader.ui.render import Block, Palette, Renderer, RenderState

FRAME_BUDGET = 0.015  # seconds of rendering per idle step, so keys stay responsive
# Idle steps between two growths of the pane's scrollable height. Each growth lays the whole
# screen out and paints it again (30-90 ms at 160x48 with a 10k-post list): grown at every
# step, a long post rendering below the view kept the app's loop busy for seconds (a title
# edited on disk then took 150-290 ms to reach its row). The lines the view shows are
# rendered when drawn, whatever the height says.
STEPS_PER_GROWTH = 12
PAGE_OVERLAP = 2  # lines of a page kept in sight on the next (Space, PgUp): the line being read stays


@dataclass(frozen=True)
class TextPlace:
    """Where the reader is, as the post's text: the parse shown, the block on top (the file line
    it starts on, and how many blocks before it start there too: a paragraph's image previews),
    and how many of its rendered rows, of how many, are above the view."""

    document: Document
    line: int
    nth: int
    rows: int
    height: int


class PostBody(ScrollView, can_focus=True):
    """The rendered Markdown. Only blocks above the bottom of the view are turned into
    lines at once; the rest are rendered in small steps while the app is idle."""

    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("k,up", "scroll_up", "Up", show=False),
        Binding("g,home", "scroll_home", "Top", show=False),
        Binding("G,end", "scroll_end", "Bottom", show=False),
        Binding("space,pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
    ]

    def action_page_down(self) -> None:
        self.scroll_to(y=self.scroll_y + self._page())

    def action_scroll_end(self) -> None:
        """The post's last line, not the last one rendered so far."""
        self.render_all()
        super().action_scroll_end()

    def action_page_up(self) -> None:
        self.scroll_to(y=self.scroll_y - self._page())

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - PAGE_OVERLAP)

    class LinkClicked(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    class Moved(Message):
        """The top of the view moved to another rendered line (scrolling, a jump, a resize)."""

        def __init__(self, line: int, block: int, source_line: int) -> None:
            super().__init__()
            self.line, self.block, self.source_line = line, block, source_line

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
        self._shown_width = 0  # the width it had when last on screen: hidden, it renders at that
        self._step_scheduled = False
        self._steps_since_growth = 0
        self._exhausted = False
        self.match_blocks: list[int] = []  # block index of each search match, in order
        self._matches: list[tuple[Text, int, int]] = []  # each match: the Text it is in, its span
        self.current_match: int | None = None
        self._frame_style: Style | None = None  # the pane's style while a frame is drawn (render_lines)

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
        self._matches = []
        self.current_match = None
        self._width = 0  # before the lines `jump_to` makes: they are made at the width said
        self.jump_to(0)
        self.virtual_size = Size(self._render_width(), 0)
        # The view's lines now, the rest in idle steps: a code block below the view (Pygments
        # compiles its lexer on first use, ~0.1 s) need not hold up the post's first paint.
        self._ensure_lines(max(self.size.height, 40) + 1)
        self.call_after_refresh(self._schedule_step)  # the view painted first
        self.refresh()

    def restyle(self, palette: Palette | None = None, math_source: bool | None = None) -> None:
        """Render again from the same document, at the same place: new colours (the theme
        changed) or math shown the other way (source / Unicode)."""
        state = self._state
        self._rerender(
            replace(
                state,
                palette=palette or state.palette,
                math_source=state.math_source if math_source is None else math_source,
            )
        )

    def set_link_texts(self, link_texts: Mapping[int, str]) -> None:
        """Draw links by other texts (the titles of the posts they lead to), at the same place."""
        if link_texts != self._state.link_texts:
            self._rerender(replace(self._state, link_texts=link_texts))

    def set_matcher(self, matcher: Matcher | None) -> None:
        """Mark another query's matches (find in the post), at the same place."""
        if matcher is self._state.matcher:
            return
        self._rerender(replace(self._state, matcher=matcher))

    def _rerender(self, state: RenderState) -> None:
        if self.document is None:
            self._state = state
            return
        top = self._block_at(round(self.scroll_y))
        self.show(self.document, state)
        self._scroll_to_block(top)

    def first_match_from_view(self) -> int:
        """The first match at or below the top of the view (the first one, if none is): where find starts."""
        top = self._block_at(round(self.scroll_y))
        return next((n for n, block in enumerate(self.match_blocks) if block >= top), 0)

    @property
    def matcher(self) -> Matcher | None:
        """The search whose matches are highlighted (None: none are)."""
        return self._state.matcher

    @property
    def math_source(self) -> bool:
        return self._state.math_source

    @property
    def rendered_width(self) -> int:
        return self._width

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
        self.match_blocks.extend([len(self._blocks)] * len(block.matches))
        self._matches.extend(block.matches)
        self._blocks.append(block)
        return True

    def _render_width(self) -> int:
        # Hidden (one pane at a time), a post is rendered at the width it will be shown at, not
        # at 80: shown again, its lines and the place in them are the same.
        width = self.scrollable_content_region.width or self.size.width
        if width:
            self._shown_width = width
        return max(20, width or self._shown_width or 80)

    def _render_next_block(self) -> bool:
        if self._rendered_blocks >= len(self._blocks) and not self._next_block():
            return False
        width = self._render_width()
        if width != self._width:
            self._restart(width)
        block = self._blocks[self._rendered_blocks]
        self._block_lines.append(len(self._lines))
        self._lines.extend(self._lines_of(block, width))
        self._lines.append(Strip.blank(0))
        self._rendered_blocks += 1
        return True

    def _grow(self) -> None:
        """The scrollable height: the lines rendered so far."""
        self._steps_since_growth = 0
        size = Size(self._width, len(self._lines))
        if self.virtual_size != size:
            self.virtual_size = size

    def _lines_of(self, block: Block, width: int) -> list[Strip]:
        console = self.app.console
        options = console.options.update(width=width, min_width=width, max_width=width, height=None)
        lines = console.render_lines(block.renderable, options, pad=False, new_lines=False)
        return [Strip(line).simplify() for line in lines]

    def _restart(self, width: int) -> None:
        self._width = width
        self._lines, self._block_lines = [], []
        self._rendered_blocks = 0

    def _ensure_lines(self, count: int) -> None:
        while len(self._lines) < count and self._render_next_block():
            pass
        self._grow()

    def render_all(self) -> None:
        """Render every block now (tests, and `n` needs every match)."""
        while self._render_next_block():
            pass
        self._grow()

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
        progressed, width = False, self._width
        while time.perf_counter() < deadline:
            if not self._render_next_block():
                break
            progressed = True
        if progressed:
            self._steps_since_growth += 1
            if self._width != width:  # rendered again at a new width: the view's lines too
                self.refresh()
                self._grow()
            elif self.fully_rendered or self._steps_since_growth >= STEPS_PER_GROWTH:
                self._grow()
            self._schedule_step()
        elif len(self._lines) != self.virtual_size.height:
            self._grow()

    def on_resize(self, event: events.Resize) -> None:
        if self.document is not None and self._render_width() != self._width:
            # The same block on top, as far into it as before (its lines re-wrap to the new width).
            top = round(self.scroll_y)
            block = self._block_at(top)
            share = self._share_into(block, top)
            self._restart(self._render_width())
            self._ensure_lines(self.size.height * 2)
            self._scroll_to_block(block, share)
            self._schedule_step()

    def _block_height(self, index: int) -> int:
        after = self._block_lines[index + 1] if index + 1 < len(self._block_lines) else len(self._lines)
        return max(1, after - self._block_lines[index])

    def _share_into(self, block: int, line: int) -> float:
        """How far `line` is into `block`, 0 to 1."""
        if block >= len(self._block_lines):
            return 0.0
        return (line - self._block_lines[block]) / self._block_height(block)

    # --- drawing ---------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # `rich_style` walks every ancestor: once a frame, not twice a line. Read in each line it
        # was most of the drawing: a 40-line frame of the post took 3.8-4.6 ms, 1.3-1.6 ms so.
        self._frame_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        style = self._frame_style if self._frame_style is not None else self.rich_style
        index = y + scroll_y
        if index >= len(self._lines):
            self._ensure_lines(index + self.size.height)
        if index >= len(self._lines):
            return Strip.blank(self.size.width, style)
        strip = self._lines[index].apply_style(style)
        return strip.crop_extend(scroll_x, scroll_x + self.size.width, style)

    @property
    def text(self) -> str:
        """What is rendered so far, as plain text (for tests and the pty check)."""
        return "\n".join(strip.text for strip in self._lines)

    # --- navigation ----------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value + 2 * self.size.height > self.virtual_size.height and not self.fully_rendered:
            self._ensure_lines(round(new_value) + 3 * self.size.height)  # room to scroll on
        if round(old_value) != round(new_value):
            top = round(new_value)
            block = self._block_at(top)
            self.post_message(self.Moved(top, block, self.source_line_of(block)))

    def source_line_of(self, block: int) -> int:
        """The file line a block starts on (1 when there is none yet)."""
        return self._blocks[block].line if 0 <= block < len(self._blocks) else 1

    @property
    def top_source_line(self) -> int:
        """The file line of the block at the top of the view: a place that survives any width."""
        return self.source_line_of(self._block_at(round(self.scroll_y)))

    @property
    def top_share(self) -> float:
        """How far into the block at the top the view starts (0 to 1)."""
        y = round(self.scroll_y)
        block = self._block_at(y)
        if block >= len(self._block_lines):
            return 0.0
        height = self._block_height(block)
        return min(1.0, max(0.0, (y - self._block_lines[block]) / height)) if height else 0.0

    def top_lines(self, count: int = 4) -> tuple[str, ...]:
        """The text of the rendered lines at the top of the view (blank lines included): where the
        reader is, as text that an edit elsewhere in the post leaves as it was."""
        top = round(self.scroll_y)
        lines = tuple(strip.text.rstrip() for strip in self._lines[top : top + count])
        return lines if any(lines) else ()

    def jump_to_text(self, lines: tuple[str, ...], near: int) -> bool:
        """Put the rendered lines `lines` (from `top_lines`) at the top, where they are nearest
        to rendered line `near`; False when the post has them nowhere."""
        if not lines:
            return False
        self.render_all()
        texts = [strip.text.rstrip() for strip in self._lines]
        first, count = lines[0], len(lines)
        found = [
            index for index, text in enumerate(texts) if text == first and tuple(texts[index : index + count]) == lines
        ]
        if not found:
            return False
        self.jump_to(min(found, key=lambda index: abs(index - near)))
        return True

    def text_place(self) -> TextPlace | None:
        """Where the reader is, to find again in an edited parse of the post (`go_to_text`)."""
        if self.document is None or not self._block_lines:
            return None
        top = round(self.scroll_y)
        block = self._block_at(top)
        line, nth = self._blocks[block].line, 0
        while block - nth > 0 and self._blocks[block - nth - 1].line == line:
            nth += 1
        return TextPlace(self.document, line, nth, top - self._block_lines[block], self._block_height(block))

    def go_to_text(self, place: TextPlace, whole: bool = True) -> bool:
        """Put the text `place` had on top (in an earlier parse of this post, edited since) on top
        again: its block, as far into it as before, wherever the edit moved it; when the block
        itself was edited or taken out, the block its lines went to. Only the blocks down to it
        are rendered. `whole=False` (the start of a long post, the rest being parsed): only if
        a block follows it there, else False and the view stays."""
        if self.document is None:
            return False
        line, fate = (
            (place.line, "kept")
            if place.document is self.document
            else self.document.moved_line(place.document, place.line)
        )
        index = self._block_for(line, place.nth, after=fate == "removed")  # the text after it
        if not whole and index + 1 >= len(self._blocks):
            return False
        while index + 1 >= self._rendered_blocks and self._render_next_block():
            pass
        if index >= len(self._block_lines):
            return False
        height, rows = self._block_height(index), place.rows
        if fate == "removed":
            rows = 0  # its text is gone: the text after it, from its start
        elif fate == "edited" or height != place.height or self._blocks[index].line != line:
            rows = rows * height // max(1, place.height)  # as far into it as before
        self.jump_to(self._block_lines[index] + min(rows, height - 1))
        return True

    def _block_for(self, line: int, nth: int = 0, after: bool = False) -> int:
        """The block that starts on file line `line` (the `nth` of those that do), else the one
        holding it (the last one starting before it), or with `after` the first one after it;
        the blocks made down to it."""
        index = 0  # the first block starting at `line` or after it
        while (index < len(self._blocks) or self._next_block()) and self._blocks[index].line < line:
            index += 1
        end = index
        while (end < len(self._blocks) or self._next_block()) and self._blocks[end].line == line:
            end += 1
        if end > index:
            return min(index + nth, end - 1)
        if after and index < len(self._blocks):
            return index
        return max(0, index - 1)

    def jump_to_source_line(self, line: int, share: float = 0.0) -> None:
        """Put the block holding file line `line` (the last one starting at or before it) at the
        top, `share` of the way into it."""
        best = index = 0
        while True:
            if index >= len(self._blocks) and not self._next_block():
                break
            if self._blocks[index].line > line:
                break
            best, index = index, index + 1
        self._scroll_to_block(best, share)

    def _block_at(self, line: int) -> int:
        for index in range(len(self._block_lines) - 1, -1, -1):
            if self._block_lines[index] <= line:
                return index
        return 0

    def _scroll_to_block(self, index: int, share: float = 0.0) -> None:
        while index + 1 >= self._rendered_blocks and self._render_next_block():
            pass
        if index < len(self._block_lines):
            self.jump_to(self._block_lines[index] + int(share * self._block_height(index)))

    def scroll_to_anchor(self, fragment: str) -> bool:
        """Scroll to the heading a `#fragment` leads to (its slug exactly, else loosely, as
        Document.find_heading decides); False if there is none."""
        heading = self.document.find_heading(fragment) if self.document is not None else None
        if heading is None:
            return False
        for index, block in enumerate(self.all_blocks()):
            if block.anchor == heading.slug:
                self._scroll_to_block(index)
                return True
        return False

    def scroll_to_match(self, n: int) -> None:
        """Scroll to the block of the n-th search match (0-based) and mark it as the current one."""
        self.all_blocks()
        if not self.match_blocks:
            return
        n %= len(self.match_blocks)
        self._mark_current(n)
        self._scroll_to_block(self.match_blocks[n])

    def _mark_current(self, n: int) -> None:
        """The current match in its own style, the one before back in the others' style; only
        their blocks are drawn again (the text is the same, so the lines are as many)."""
        palette = self._state.palette
        touched = set()
        if self.current_match is not None and self.current_match < len(self._matches):
            text, start, end = self._matches[self.current_match]
            text.spans = [
                s for s in text.spans if not (s.start == start and s.end == end and s.style == palette.current_match)
            ]
            touched.add(self.match_blocks[self.current_match])
        text, start, end = self._matches[n]
        text.stylize(palette.current_match, start, end)
        touched.add(self.match_blocks[n])
        self.current_match = n
        for index in touched:
            self._redraw_block(index)

    def _redraw_block(self, index: int) -> None:
        if index >= self._rendered_blocks:
            return  # not drawn yet: it will be drawn with its new style
        first = self._block_lines[index]
        after = self._block_lines[index + 1] if index + 1 < len(self._block_lines) else len(self._lines)
        lines = self._lines_of(self._blocks[index], self._width)
        if len(lines) + 1 != after - first:  # cannot happen for a restyle; be safe all the same
            self._restart(self._width)
            return
        self._lines[first : after - 1] = lines
        self.refresh()

    def jump_to(self, line: int) -> None:
        """Put rendered line `line` at the top, now. Forced: right after new content,
        Textual has not yet decided that the scroll bar is needed and would ignore it."""
        # Lines for the tallest the view can be, not for its height now: once scrolled, the
        # header folds and the view grows (hidden, its height is 0), and a scroll past the
        # lines made is cut back to them.
        self._ensure_lines(line + max(self.size.height, self.app.size.height))
        self.scroll_to(0, line, animate=False, immediate=True, force=True)

    def current_line_text(self, y: int) -> str:
        index = y + round(self.scroll_y)
        return self._lines[index].text if index < len(self._lines) else ""

    def on_click(self, event: events.Click) -> None:
        x, y = event.x - self.gutter.left, event.y - self.gutter.top  # relative to this widget
        meta = self.meta_at(x + round(self.scroll_x), y + round(self.scroll_y))
        number, anchor = meta.get("link"), meta.get("anchor")
        if isinstance(number, int):
            event.stop()
            self.post_message(self.LinkClicked(number))
        elif isinstance(anchor, str):  # an entry of a table of contents
            event.stop()
            self.scroll_to_anchor(anchor)

    def link_at(self, x: int, line: int) -> int | None:
        """The link number drawn at cell `x` of rendered line `line`, if any."""
        number = self.meta_at(x, line).get("link")
        return number if isinstance(number, int) else None

    def meta_at(self, x: int, line: int) -> dict[str, object]:
        """The style meta we put at cell `x` of rendered line `line` (a link number, an anchor).

        Read from our own lines, so it does not depend on how the terminal reports
        the style under the mouse.
        """
        if not 0 <= line < len(self._lines):
            return {}
        cell = 0
        for segment in self._lines[line]:
            width = segment.cell_length
            if cell <= x < cell + width:
                return dict(segment.style.meta) if segment.style else {}
            cell += width
        return {}
