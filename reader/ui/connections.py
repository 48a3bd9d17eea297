"""The connections panel (`L`): the posts that link to the open one (with the sentence of
each link) and the posts most like it (with why). Enter opens one; a backlink opens its
post at the linking line.

Both are found in a worker (reader.ui.services): the first backlinks of a
large blog scan every post once (~1 ms a post), related posts ask the index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.posts.backlinks import Backlink
from reader.posts.text import printable
from reader.ui.history import Place
from reader.ui.i18n import t
from reader.ui.post_view import PostBody

if TYPE_CHECKING:  # the related-posts module (Whoosh) is imported when first asked
    from reader.library import Related


class ConnectionsPanel(OptionList):
    """Links here, then related posts; j/k move, Enter opens."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("enter", "select", "Open"),  # OptionList's own Enter, hinted
    ]

    class PostChosen(Message):
        def __init__(self, path: str, line: int | None) -> None:
            super().__init__()
            self.path, self.line = path, line

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.targets: dict[str, tuple[str, int | None]] = {}
        self.path: str | None = None
        self.related_known = False  # False while the index cannot say (asked again once it can)

    def waiting(self, path: str | None) -> None:
        """Looking for `path`'s connections (or for the post to open first): said, one line."""
        self.say(path, t("finding links here and related posts…"))

    def say(self, path: str | None, line: str) -> None:
        """One line in place of the connections (looking for them, none to look for, a failure)."""
        self.path = path
        self.targets = {}
        self.related_known = False
        self.clear_options()
        self.add_option(Option(Text(line, style="dim"), disabled=True))
        self.border_title = t("links here · related")

    def show(
        self, path: str, backlinks: list[Backlink] | None, related: list[Related] | None, why_not: str | None
    ) -> None:
        """Fill the panel for `path`: `related` None with `why_not` when the index can't say."""
        self.path = path
        self.targets = {}
        self.related_known = related is not None
        self.clear_options()
        self.add_option(
            Option(Text(t("Links here ({count})", count=len(backlinks or [])), style="bold"), disabled=True)
        )
        for n, link in enumerate(backlinks or []):
            title = Text("  ")
            title.append(printable(link.title), Style(bold=True, color="bright_cyan"))
            title.append(f"  :{link.line}", Style(dim=True))
            self._add(
                f"b{n}",
                self._label_of(title, Text("    " + printable(link.context), Style(dim=True))),
                link.path,
                link.line,
            )
        if not backlinks:
            self.add_option(Option(Text(t("  no post links here"), style="dim"), disabled=True))
        self.add_option(Option(Text(t("Related posts"), style="bold"), disabled=True))
        for n, post in enumerate(related or []):
            title = Text("  ")
            title.append(printable(post.title), Style(bold=True, color="bright_cyan"))
            self._add(
                f"r{n}", self._label_of(title, Text("    " + printable(_why(post)), Style(dim=True))), post.path, None
            )
        if related is None:
            self.add_option(Option(Text("  " + (why_not or ""), style="dim"), disabled=True))
        elif not related:
            self.add_option(Option(Text(t("  no related posts"), style="dim"), disabled=True))
        if related is None:  # not "related (0)": none were looked for
            self.border_title = t("links here ({backlinks}) · related", backlinks=len(backlinks or []))
        else:
            self.border_title = t(
                "links here ({backlinks}) · related ({related})", backlinks=len(backlinks or []), related=len(related)
            )
        first = next((i for i in range(self.option_count) if not self.get_option_at_index(i).disabled), None)
        self.highlighted = first

    def _label_of(self, *lines: Text) -> Text:
        """One option of several lines, each cut to the panel's width (never wrapped)."""
        width = max(20, (self.scrollable_content_region.width or 80) - 2)
        for line in lines:
            line.truncate(width, overflow="ellipsis")
        return Text("\n").join(lines)

    def _add(self, key: str, label: Text, path: str, line: int | None) -> None:
        self.targets[key] = (path, line)
        self.add_option(Option(label, id=key))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id in self.targets:
            path, line = self.targets[event.option.id]
            self.post_message(self.PostChosen(path, line))


def _why(post: Related) -> str:
    return " · ".join(post.reasons(t))


class ConnectionActions:
    """The main screen's side of the panel (a mixin, as LinkActions)."""

    query_one: Any
    services: Any
    open_path: str | None
    open_post: Any
    open_panel: Any
    snapshot: Any
    index_searchable: bool
    loaded: bool

    def action_toggle_connections(self) -> None:
        panel = self.query_one(ConnectionsPanel)
        if panel.has_class("hidden"):
            self.open_panel(panel)
            self.fill_connections()
            panel.focus()
        else:
            panel.add_class("hidden")
            self.query_one(PostBody).focus()

    def fill_connections(self) -> None:
        """Ask for the open post's connections (the panel says it is looking meanwhile)."""
        panel = self.query_one(ConnectionsPanel)
        if panel.has_class("hidden"):
            return
        if self.open_path is None:  # the first post still to come, or none open (gone, no posts)
            if self.loaded:
                panel.say(None, t("no post is open"))
            else:
                panel.waiting(None)  # asked for once the first post is shown
            return
        if panel.path != self.open_path or not panel.targets:
            panel.waiting(self.open_path)
        self.services.find_connections(self.open_path, self.snapshot, self.index_searchable)

    def connections_of_another_post(self, path: str) -> None:
        """Another post shown (a link, `[`, the list): the panel looks for its connections at once
        rather than list the last post's under it until the new one is parsed."""
        panel = self.query_one(ConnectionsPanel)
        if not panel.has_class("hidden") and panel.path != path:
            panel.waiting(path)

    def connections_with_the_index(self) -> None:
        """The index is ready: related posts, which waited for it, are asked for."""
        panel = self.query_one(ConnectionsPanel)
        if not panel.has_class("hidden") and not panel.related_known:
            self.fill_connections()

    def connections_failed(self) -> None:
        """The worker failed (the status line says how): the panel stops saying it is looking."""
        panel = self.query_one(ConnectionsPanel)
        if not panel.has_class("hidden"):
            panel.say(panel.path, t("could not find them: the status line says why"))

    def on_connections_found(self, message: Any) -> None:
        panel = self.query_one(ConnectionsPanel)
        if message.path == self.open_path and not panel.has_class("hidden"):
            panel.show(message.path, message.backlinks, message.related, message.why_not)

    def on_connections_panel_post_chosen(self, event: ConnectionsPanel.PostChosen) -> None:
        place = Place(event.path, 0, -1, event.line) if event.line else None
        self.open_post(event.path, place=place, by_link=True)  # Esc comes back, as from a link
