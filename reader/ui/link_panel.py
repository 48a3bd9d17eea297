"""The jump-to-link panel: every link of the open post, numbered."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.posts.links import Link
from reader.posts.text import printable
from reader.ui.i18n import t

KIND_STYLE = {
    "external": "bright_blue",
    "email": "magenta",
    "anchor": "green",
    "post": "bright_cyan",
    "image": "yellow",
    "other": "red",
}


class Hanging(Visual):
    """A head (a link's number and kind) and a text wrapped beside it: its lines after the first
    start under the text's first character, not under the number. Measured in cells (a Korean
    title takes two a character), at whatever width the panel has now."""

    MIN_TEXT = 12  # narrower than this beside the head, the text wraps under it instead

    def __init__(self, head: Text, text: Text) -> None:
        self.head = Content.from_rich_text(head)
        self.text = Content.from_rich_text(text)
        self._whole = self.head + self.text

    def __str__(self) -> str:
        return self._whole.plain

    def _indent(self, width: int) -> int:
        indent = self.head.cell_length
        return indent if width - indent >= self.MIN_TEXT else 0

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._whole.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        indent = self._indent(width)
        return (self.text if indent else self._whole).get_height(rules, width - indent)

    def render_strips(self, width: int, height: int | None, style: VisualStyle, options: RenderOptions) -> list[Strip]:
        indent = self._indent(width)
        if not indent:
            return self._whole.render_strips(width, height, style, options)
        head = self.head.render_strips(indent, 1, style, options)[0].crop_extend(0, indent, style.rich_style)
        lines = self.text.render_strips(width - indent, height, style, options)
        under = Strip.blank(indent, style.rich_style)
        return [Strip.join([head if n == 0 else under, line]) for n, line in enumerate(lines)]


def link_label(link: Link, post_title: str | None) -> Hanging:
    head = Text()
    head.append(f"{link.n:>3} ", Style(bold=True))
    head.append(f"{link.kind:<9}", Style(color=KIND_STYLE.get(link.kind, "white")))
    if link.broken:
        head.append("BROKEN ", Style(color="red", bold=True))
    shown = printable(link.text or link.url)
    text = Text(shown)
    # A link whose text is already its post's title (Hexo's post_link) shows the post's path.
    target = post_title if link.kind == "post" and post_title and not link.titled else link.target
    detail = printable(link.url if not target else f"{target}")
    if detail != shown:  # a bare URL (`<https://…>`, `www.…`, an address) is its own text: once
        text.append(f"  → {detail}", Style(dim=True))
    return Hanging(head, text)


MAX_LISTED = 1000


class LinkPanel(OptionList):
    """Type a number then Enter, or move and press Enter (or click)."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    class LinkChosen(Message):
        def __init__(self, link: Link) -> None:
            super().__init__()
            self.link = link

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.links: list[Link] = []
        self.typed = ""

    def set_links(self, links: list[Link], titles: dict[str, str], keep_cursor: bool = False) -> None:
        """List `links` (`keep_cursor`: the same post's, resolved again: the cursor stays on its link)."""
        highlighted = self.highlighted if keep_cursor else None
        self.links = links
        self.typed = ""
        self.clear_options()
        if not links:
            self.add_option(Option(Text(t("This post has no links."), style="dim"), disabled=True))
            return
        # A post controls how many links it has: list the first MAX_LISTED (the rest are
        # still followed by number), so a post of 150k links opens its panel at once.
        shown = links[:MAX_LISTED]
        self.add_options(Option(link_label(link, titles.get(link.target or "")), id=str(link.n)) for link in shown)
        if len(links) > len(shown):
            more = len(links) - len(shown)
            self.add_option(
                Option(
                    Text(t("… {count} more: type a number and Enter to follow one", count=f"{more:,}"), style="dim"),
                    disabled=True,
                )
            )
        self.highlighted = highlighted if highlighted is not None and highlighted < len(shown) else 0

    def highlight_from(self, line: int) -> None:
        """The cursor on the first link at or after file line `line` (the top of the post's
        view), else on the last: the panel opens at the links the reader is reading."""
        shown = self.links[:MAX_LISTED]
        if shown:
            self.highlighted = next((at for at, link in enumerate(shown) if link.line >= line), len(shown) - 1)

    def type_digit(self, digit: str) -> None:
        self.typed = (self.typed + digit)[-len(str(len(self.links))) :]
        number = int(self.typed)
        if 1 <= number <= min(len(self.links), MAX_LISTED):
            self.highlighted = number - 1
        self.border_subtitle = t("go to {number}", number=self.typed)

    def action_select(self) -> None:
        """Enter: the link typed (even one past the list), else the one highlighted."""
        number = int(self.typed) if self.typed else 0
        if MAX_LISTED < number <= len(self.links):
            self.typed = ""
            self.border_subtitle = ""
            self.post_message(self.LinkChosen(self.links[number - 1]))
            return
        super().action_select()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.typed = ""
        self.border_subtitle = ""
        if event.option.id is not None:
            self.post_message(self.LinkChosen(self.links[int(event.option.id) - 1]))

    @property
    def current(self) -> Link | None:
        if self.highlighted is None or not self.links:
            return None
        return self.links[self.highlighted]
