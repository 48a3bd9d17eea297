"""The search box and the find-in-post box: a query as you type, debounced, posted up as a message."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.actions import SkipAction
from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

from reader.state import SearchHistory
from reader.ui.i18n import t

SEARCH_DEBOUNCE = 0.15
FIND_DEBOUNCE = 0.08


class _QueryBox(Input):
    """Hidden until opened; typing posts `QueryChanged` once the typing pauses."""

    DEBOUNCE = SEARCH_DEBOUNCE

    class QueryChanged(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self, placeholder: str, **kwargs: Any) -> None:
        super().__init__(placeholder=placeholder, **kwargs)
        self._timer: Timer | None = None

    @property
    def active(self) -> bool:
        return not self.has_class("hidden")

    @property
    def query_text(self) -> str:
        return self.value.strip()

    def open(self) -> None:
        self.remove_class("hidden")
        self.screen.set_focus(self)  # now, not after the keys already queued (`focus()` waits its turn)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.value = ""
        self.add_class("hidden")

    def flush(self) -> None:
        """The query typed last, posted now if the pause after it has not come yet (Enter)."""
        if self._timer is not None:
            self._timer.stop()
            self._posted()

    def _posted(self) -> None:
        self._timer = None
        self.post_message(self.QueryChanged(self.query_text))

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.DEBOUNCE, self._posted)


class SearchBox(_QueryBox):
    """`/`: search every post. ↑/↓ recall earlier queries (kept between runs)."""

    BINDINGS = [
        Binding("up", "history(-1)", "Earlier search", show=False),
        Binding("down", "history(1)", "Later search", show=False),
    ]

    class QueryChanged(_QueryBox.QueryChanged):
        pass

    def __init__(self, history: SearchHistory | None = None, **kwargs: Any) -> None:
        super().__init__(t('search: words, "phrase", -word, tag:x, date:2020 (Esc to leave)'), **kwargs)
        self.history = history if history is not None else SearchHistory()
        self._browsing: int | None = None  # where in the history ↑ has gone (None: not browsing)
        self._typed = ""  # what was typed before ↑, given back by ↓ past the newest

    @property
    def browsing(self) -> bool:
        """Whether ↑ has gone back through earlier queries (↓ then comes forward through them)."""
        return self._browsing is not None

    def remember(self) -> None:
        """Keep the query in the history (Enter, or opening one of its results)."""
        self.history.add(self.query_text)
        self._browsing = None

    def close(self) -> None:
        self._browsing = None
        super().close()

    def action_history(self, step: int) -> None:
        entries = self.history.entries
        if step > 0 and self._browsing is None:
            raise SkipAction()  # not browsing: ↓ goes down to the results (the screen's binding)
        if step < 0:
            if self._browsing is None:
                self._typed, self._browsing = self.value, len(entries)
            earlier = self._browsing - 1
            while earlier >= 0 and entries[earlier] == self.value.strip():
                earlier -= 1  # the query in the box already: the one before it
            if earlier < 0:
                if self._browsing == len(entries):
                    self._browsing = None  # nothing earlier: not browsing after all
                return
            self._browsing = earlier
            self._show(entries[self._browsing])
            return
        assert self._browsing is not None
        self._browsing += 1
        if self._browsing < len(entries) and entries[self._browsing] == self._typed.strip():
            self._browsing += 1  # the newest is what was typed: straight back to it
        if self._browsing >= len(entries):
            self._browsing = None
            self._show(self._typed)
        else:
            self._show(entries[self._browsing])

    def _show(self, value: str) -> None:
        browsing = self._browsing
        self.value = value
        self.cursor_position = len(value)
        self._browsing = browsing  # the Changed handler must not end the browsing we do

    @on(Input.Changed)
    def _typed_by_hand(self, event: Input.Changed) -> None:
        if (
            self._browsing is not None
            and self.history.entries
            and (self._browsing >= len(self.history.entries) or self.value != self.history.entries[self._browsing])
        ):
            self._browsing = None


class FindBox(_QueryBox):
    """`f` or Ctrl+F: find in the open post, as you type; Enter goes to the post, Esc closes."""

    DEBOUNCE = FIND_DEBOUNCE

    class QueryChanged(_QueryBox.QueryChanged):
        pass

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(t("find in this post (Enter: to the post, n/N: next/previous, Esc: close)"), **kwargs)
        # The query the post's marks are for (set by the screen): Enter finds at once, and the
        # same query posted after it, from the pause, must not take the reader back to the first match.
        self.found: str | None = None

    def take_typed(self) -> str:
        """The query typed last, for Enter to find now: the pause after it will post nothing."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        return self.query_text

    def close(self) -> None:
        self.found = None
        super().close()
