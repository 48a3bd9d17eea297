"""The key hints at the bottom: the bindings that apply now, in the interface's language."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.keys import key_to_character
from textual.widgets import Static

from reader.ui.i18n import t

HINT_GAP = "  "


class KeyHints(Static):
    """Like Textual's Footer, but its descriptions are translated (reader.ui.i18n), it shows only
    the bindings `applies` says apply where the focus is, and when they do not all fit it leaves
    out the ids in `first_out` first, then the last ones, never the ids in `keep` (the help key: 80
    columns cut it off). A kept key the focused box takes as text (`?` in the search box) is shown
    as reached from outside it: `esc then ? Help`. `escape` says what Esc does now when the screen
    does not show it (the way back from a post alone: `esc List`): hinted first, and kept.
    `describe` gives a binding's description as it is now, translated (`z` undoes what it did)."""

    DEFAULT_CSS = "KeyHints { height: 1; padding: 0 1; background: $panel; color: $text-muted; }"

    def __init__(
        self,
        applies: Callable[[Binding], bool] = lambda _binding: True,
        keep: Collection[str] = (),
        first_out: Sequence[str] = (),
        escape: Callable[[], str | None] = lambda: None,
        describe: Callable[[Binding], str] = lambda binding: t(binding.description),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.applies = applies
        self.describe = describe
        self.keep = keep
        self.first_out = first_out
        self.escape = escape

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)  # also on every change of focus
        self._changed()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self._changed()

    def _changed(self, *_: Any) -> None:
        hints: list[tuple[Text, int | None]] = []  # (the hint, its turn to be left out; None: kept)
        seen = set()
        escape = self.escape()
        if escape:
            hint = Text()
            hint.append(self.app.get_key_display(Binding("escape", "")), "bold")
            hint.append(" " + escape)
            hints.append((hint, None))
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or not binding.description or binding.action in seen or not self.applies(binding):
                continue
            seen.add(binding.action)
            hint = Text()
            hint.append(self.app.get_key_display(binding) if key == binding.key.split(",")[0] else key, "bold")
            hint.append(" " + self.describe(binding), "" if active.enabled else "dim")
            hints.append((hint, self._turn(binding.id, len(hints))))
        hints.extend((hint, None) for hint in self._typed_over(seen))
        text = Text(HINT_GAP, no_wrap=True, overflow="ellipsis").join(fitted(hints, self.content_size.width))
        self.update(text)

    def _turn(self, binding_id: str | None, position: int) -> int | None:
        """When a hint is left out for want of room (the highest first): `first_out` in its order,
        then the last ones first; never a kept one."""
        if binding_id is not None and binding_id in self.keep:
            return None
        if binding_id is not None and binding_id in self.first_out:
            return 1_000_000 - list(self.first_out).index(binding_id)
        return position

    def _typed_over(self, seen: set[str]) -> list[Text]:
        """Hints for the kept bindings the focused widget hides by taking their keys as text."""
        focused = self.screen.focused
        if focused is None:
            return []
        hints = []
        for binding in (*getattr(self.screen, "BINDINGS", ()), *getattr(self.app, "BINDINGS", ())):
            if not isinstance(binding, Binding) or binding.id not in self.keep or binding.action in seen:
                continue
            key = binding.key.split(",")[0]
            if not focused.check_consume_key(key, key_to_character(key)):
                continue
            seen.add(binding.action)
            hint = Text()
            escape = self.app.get_key_display(Binding("escape", ""))
            # Two keys one after the other, not held together: "esc ?" read as a chord.
            hint.append(t("{escape} then {key}", escape=escape, key=self.app.get_key_display(binding)), "bold")
            hint.append(" " + t(binding.description))
            hints.append(hint)
        return hints


def fitted(hints: list[tuple[Text, int | None]], width: int) -> list[Text]:
    """The hints that fit in `width` cells, each with its turn to be left out (the highest
    first; None: kept, cut at the edge when even those do not fit)."""
    shown = list(hints)

    def cells() -> int:
        return sum(hint.cell_len for hint, _ in shown) + len(HINT_GAP) * (len(shown) - 1)

    while width > 0 and cells() > width:
        droppable = [(turn, n) for n, (_, turn) in enumerate(shown) if turn is not None]
        if not droppable:
            break  # what is kept is cut at the edge (with an ellipsis)
        del shown[max(droppable)[1]]
    return [hint for hint, _ in shown]
