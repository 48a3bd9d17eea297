"""Which panes the main screen shows, by the terminal's width and the reader's choices.

    ≥ 120 columns   sidebar, list and post side by side (Ctrl+B hides the sidebar)
    100–119         list and post; the sidebar on Ctrl+B
    < 100           one pane at a time: the list, Enter opens the post, Esc goes back;
                    Ctrl+B shows the sidebar in place of the list; `/` the list (the hits);
                    Tab and Shift+Tab the next and the previous pane
    any width       `z`: the post alone (and back)

The sidebar choice ("auto", "shown", "hidden") and `z` are kept in the config.
The panes are shown and hidden with CSS classes on the screen (app.tcss); beside the
others the sidebar takes a share of the width (24 to 44 columns), alone the whole of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reader.ui.i18n import t

if TYPE_CHECKING:
    from reader.settings import Settings

WIDE = 120
MEDIUM = 100
PANES = ("sidebar", "list", "post")
PANELS = "#link-panel, #connections, #outline"


def visible_panes(width: int, sidebar: str, maximized: bool, single: str) -> tuple[str, ...]:
    """The panes shown at `width` columns (pure, for the tests): a tuple from PANES, in order."""
    if maximized:
        return ("post",)
    if width < MEDIUM:
        return (single,)
    shown_sidebar = sidebar == "shown" or (sidebar == "auto" and width >= WIDE)
    return ("sidebar", "list", "post") if shown_sidebar else ("list", "post")


class LayoutActions:
    """Mixed into the main screen: the panes, Ctrl+B, `z`, and the single pane of a narrow terminal."""

    settings: Settings
    single: str  # the pane shown alone below MEDIUM columns
    _focused_before_maximized: Any = None  # the widget `z` took the focus from, given it back

    # provided by textual.screen.Screen and the main screen
    size: Any
    focused: Any
    focus_chain: Any
    focus_next: Any
    focus_previous: Any
    query_one: Any
    query: Any
    set_class: Any
    set_focus: Any
    say: Any
    save_settings: Any
    refresh_bindings: Any

    @property
    def panes(self) -> tuple[str, ...]:
        return visible_panes(self.size.width, self.settings.sidebar, self.settings.maximized, self.single)

    @property
    def focused_pane(self) -> str | None:
        """The pane (from PANES) the focus is in; None in the search box or a dialog."""
        return _pane_of(self.focused) if self.focused is not None else None

    @property
    def narrow(self) -> bool:
        return self.size.width < MEDIUM

    def apply_layout(self, follow_focus: bool = False) -> None:
        """Show the panes for the width; `follow_focus` (a resize): going narrow keeps the pane
        the reader is in (the post being read stays, full width)."""
        if follow_focus and self.narrow and not self.settings.maximized:
            pane = self.focused_pane
            if pane is not None:
                self.single = pane
        panes = self.panes
        for pane in PANES:
            self.set_class(pane not in panes, f"-no-{pane}")
        self.set_class(len(panes) == 1, "-single")
        self.set_class(self.settings.maximized, "-maximized")  # the search box too gives way to the post
        focused = self.focused
        if focused is None or not _in_shown_pane(focused, panes):
            self.focus_pane(panes[-1] if "post" in panes and self.single == "post" else panes[0])
        self.refresh_bindings()  # the key hints: Esc's way back to a list hidden or shown again

    def open_panel(self, panel: Any) -> None:
        """Show one of the panels under the post (links, connections, outline), the others
        closed: two at once left one line of post at 80×24."""
        for other in self.query(PANELS):
            if other is not panel:
                other.add_class("hidden")
        panel.remove_class("hidden")

    def focus_pane(self, pane: str) -> None:
        widget = {"sidebar": "#sidebar", "list": "#post-list", "post": "#post-body"}[pane]
        self.query_one(widget).focus()

    def show_pane(self, pane: str) -> None:
        """Below MEDIUM columns: show `pane` alone and focus it (elsewhere: focus it)."""
        if self.narrow and not self.settings.maximized:
            self.single = pane
            self.apply_layout()
        self.focus_pane(pane)

    def action_next_pane(self, step: int) -> None:
        """Tab / Shift+Tab: the next widget that takes the focus; below MEDIUM columns, where
        one pane shows at a time, past the last of the pane shown, the next pane in its place
        (the focus alone had nowhere to go: Tab did nothing)."""
        pane = self.focused_pane
        if not self.narrow or self.settings.maximized or pane is None:
            self.focus_next() if step > 0 else self.focus_previous()
            return
        within = [widget for widget in self.focus_chain if _pane_of(widget) == pane]
        at = within.index(self.focused) if self.focused in within else -1
        if at >= 0 and 0 <= at + step < len(within):
            within[at + step].focus()  # the post's link panel or outline, under the post
            return
        self.show_pane(PANES[(PANES.index(pane) + step) % len(PANES)])

    def action_toggle_sidebar(self) -> None:
        """Ctrl+B: the sidebar in or out (in a narrow terminal, in place of the list)."""
        if self.settings.maximized:
            self.settings.maximized = False
        if self.narrow:
            self.show_pane("list" if self.single == "sidebar" else "sidebar")
            return
        shown = "sidebar" in self.panes
        self.settings.sidebar = "hidden" if shown else "shown"
        self.save_settings()
        self.apply_layout()
        if not shown:
            self.focus_pane("sidebar")

    def action_toggle_maximize(self) -> None:
        """`z`: the post alone (the post the pane holds: under the hits, the one under the cursor),
        and back to the panes as they were, the focus where it was (the hits, the same one)."""
        self.settings.maximized = not self.settings.maximized
        self.save_settings()
        if self.settings.maximized:
            self._focused_before_maximized = self.focused
        self.apply_layout()
        if self.settings.maximized:
            self.focus_pane("post")
        else:
            before, self._focused_before_maximized = self._focused_before_maximized, None
            if before is not None and before.is_attached and _pane_of(before) in self.panes:
                self.set_focus(before)
        self.say(t("post maximized (z: back)") if self.settings.maximized else t("panes back"))


def _pane_of(widget: Any) -> str | None:
    ids = {"sidebar": "sidebar", "post-list": "list", "right": "post"}
    node = widget
    while node is not None:
        pane = ids.get(getattr(node, "id", None) or "")
        if pane is not None:
            return pane
        node = node.parent
    return None  # the search box, a dialog: not in a pane


def _in_shown_pane(widget: Any, panes: tuple[str, ...]) -> bool:
    pane = _pane_of(widget)
    return pane is None or pane in panes
