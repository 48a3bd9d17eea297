"""The search box: a query as you type, debounced, posted up as a message."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

from reader.ui.i18n import t

SEARCH_DEBOUNCE = 0.15


class SearchBox(Input):
    """Hidden until `/`; typing posts `SearchBox.QueryChanged` once the typing pauses."""

    class QueryChanged(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(placeholder=t('search: words, "phrase", -word, tag:x, date:2020 (Esc to leave)'), **kwargs)
        self._timer: Timer | None = None

    @property
    def active(self) -> bool:
        return not self.has_class("hidden")

    @property
    def query_text(self) -> str:
        return self.value.strip()

    def open(self) -> None:
        self.remove_class("hidden")
        self.focus()

    def close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.value = ""
        self.add_class("hidden")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DEBOUNCE, lambda: self.post_message(self.QueryChanged(self.query_text)))
