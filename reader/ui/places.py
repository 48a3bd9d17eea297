"""Where the reader is: history (back/forward to the same place), the last place in each
post (kept across runs), and the outline that marks the section being read.

A mixin of the main screen, like LinkActions: it reads the screen's open post and
body and asks the screen to open posts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from reader.state import Positions
from reader.ui.history import History, Place
from reader.ui.outline import Outline
from reader.ui.post_view import PostBody

POSITIONS_SAVE_EVERY = 10.0  # seconds: the positions file is written at most this often, and on quit


@dataclass(frozen=True)
class Gone:
    """The post being read, deleted or moved away outside the app (a checkout, an editor that
    deletes then writes): where the reader was in it, to reopen it there if it comes back."""

    place: Place
    digest: str  # its text: the same text at another path is the same post, moved
    lines: tuple[str, ...]  # the lines at the top of the view (PostBody.top_lines)
    opened: bool  # opened on purpose (not a preview)
    reading: bool


class PlaceActions:
    """Back/forward, remembered places, the outline (`t`)."""

    # provided by the main screen (and textual.screen.Screen)
    query_one: Any
    call_after_refresh: Any
    show_pane: Any
    open_panel: Any
    open_post: Any
    open_path: str | None
    history: History
    positions: Positions
    _opened: str | None
    _reading: str | None
    _left_place: Place | None
    _pending_place: Place | None
    _pending_anchor: str | None
    _pending_lines: tuple[str, ...]
    _gone: Gone | None
    _body: PostBody | None
    _positions_saved: float

    # --- the outline -------------------------------------------------------------------

    def action_toggle_outline(self) -> None:
        """`t`: the open post's headings; Enter jumps to one."""
        outline = self.query_one(Outline)
        if outline.has_class("hidden"):
            self.open_panel(outline)
            outline.load(self.query_one(PostBody).document)
            # The tree numbers its lines when it is next drawn: mark the section after that.
            self.call_after_refresh(outline.follow, self.query_one(PostBody).top_source_line)
            self.show_pane("post")
            outline.focus()
        else:
            outline.add_class("hidden")
            self.query_one(PostBody).focus()

    def on_outline_heading_chosen(self, event: Outline.HeadingChosen) -> None:
        self.remember_jump()
        body = self.query_one(PostBody)
        body.jump_to_source_line(event.heading.line)
        body.focus()

    def on_post_body_moved(self, event: PostBody.Moved) -> None:
        outline = self.query_one(Outline)
        if not outline.has_class("hidden"):
            outline.follow(event.source_line)

    # --- history and positions ---------------------------------------------------------

    def remember_leaving(self, path: str, by_link: bool = False) -> None:
        """Before `path` is opened on purpose (`by_link`: a link followed to it): history gets the
        place the reader is at; when the list's cursor already previews `path`, the post opened
        last on purpose (j/k previews are not visits)."""
        leaving = self._here()
        if leaving is not None and leaving.path == path and self.open_path != self._reading:
            leaving = self._left_place
        if leaving is not None and leaving.path != path:
            self.history.visit(leaving, by_link)

    def remember_jump(self) -> None:
        """Before a jump inside the post (a heading link, the outline): `[` comes back here."""
        here = self._here()
        if here is not None:
            self.history.visit(here)

    def _here(self) -> Place | None:
        if self.open_path is None:
            return None
        body = self.query_one(PostBody)
        return Place(self.open_path, round(body.scroll_y), body.rendered_width, body.top_source_line, body.top_share)

    def _place_asked(self, path: str) -> bool:
        """Whether `path` is being opened at a place or a heading asked for (history, a link)."""
        place = self._pending_place
        return (place is not None and place.path == path) or self._pending_anchor is not None

    def _go_to(self, place: Place, lines: tuple[str, ...] = ()) -> None:
        """To `place`; with `lines` (the text that was on top, the post since edited), to that
        text wherever it is now, as near the place as it can be: the place follows the text."""
        body = self.query_one(PostBody)
        if lines and place.width == body.rendered_width and body.jump_to_text(lines, place.line):
            return
        if place.width == body.rendered_width and not lines:
            body.jump_to(place.line)
        else:
            body.jump_to_source_line(place.source_line, place.share)

    def _leave_post(self) -> None:
        """Remember where the reader was in the post being left, if they read into it or were
        reading it (opened it on purpose, or it was the post read last at the start): a preview
        left at its top changes nothing."""
        body = self._body  # kept: on unmount the screen's children are gone from queries
        if self.open_path is None or body is None or body.document is None:
            return
        if round(body.scroll_y) > 0 or self._reading == self.open_path:
            scrolled = body.scroll_y > 0
            line, share = (body.top_source_line, body.top_share) if scrolled else (0, 0.0)
            self.positions.remember(self.open_path, line, time.time(), share)
            if time.monotonic() - self._positions_saved > POSITIONS_SAVE_EVERY:
                self._positions_saved = time.monotonic()
                self.positions.save()

    def action_go_back(self) -> None:
        place = self.history.go_back(self._here())
        if place is not None:
            self.open_post(place.path, remember=False, place=place)

    def can_go_back_along_link(self) -> bool:
        """Whether the post being read (not a preview) was reached by a link: Esc goes back."""
        path = self.open_path
        return path is not None and path == self._reading and self.history.steps_to_link(path) is not None

    def go_back_along_link(self) -> bool:
        """Esc in a post reached by a link: back to the post the link was in, where the reader was
        (as `[` goes, over the jumps inside this post since); False when it was not reached so."""
        here = self._here()
        if here is None or not self.can_go_back_along_link():
            return False
        place = self.history.back_along_link(here)
        if place is None:
            return False
        self.open_post(place.path, remember=False, place=place)
        return True

    def action_go_forward(self) -> None:
        place = self.history.go_forward(self._here())
        if place is not None:
            self.open_post(place.path, remember=False, place=place)
