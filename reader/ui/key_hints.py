"""The key hints at the bottom: the bindings shown now, in the interface's language."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from reader.ui.i18n import t


class KeyHints(Static):
    """Like Textual's Footer, but its descriptions are translated (reader.ui.i18n)."""

    DEFAULT_CSS = "KeyHints { height: 1; padding: 0 1; background: $panel; color: $text-muted; }"

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self._changed()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, *_: Any) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        seen = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            if text:
                text.append("  ")
            text.append(self.app.get_key_display(binding) if key == binding.key.split(",")[0] else key, "bold")
            text.append(" " + t(binding.description), "" if active.enabled else "dim")
        self.update(text)
