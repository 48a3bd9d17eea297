"""The renderer's styles, made from the app theme's colours (or plain, for a pipe)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.color import Color, ColorParseError
from rich.style import Style


@dataclass(frozen=True)
class Palette:
    headings: tuple[Style, Style, Style]
    link: Style
    link_number: Style
    code: Style
    image: Style
    muted: Style
    bullet: Style
    footnote: Style
    match: Style
    current_match: Style
    math: Style
    syntax_theme: str = "ansi_dark"

    @classmethod
    def plain(cls) -> Palette:
        """No colours: bold, underline and dim only (before a theme is known)."""
        dim, bold = Style(dim=True), Style(bold=True)
        return cls(
            headings=(Style(bold=True, underline=True), bold, bold),
            link=Style(underline=True),
            link_number=dim,
            code=bold,
            image=Style(italic=True),
            muted=dim,
            bullet=dim,
            footnote=dim,
            match=Style(reverse=True, bold=True),
            current_match=Style(reverse=True, bold=True, underline=True, italic=True),
            math=Style(italic=True),
        )

    @classmethod
    def from_theme(cls, colors: dict[str, str | None], dark: bool) -> Palette:
        """Styles from a Textual theme's colours (`primary`, `accent`, `secondary`, …)."""

        def color(name: str, fallback: str) -> Color:
            try:
                return Color.parse(colors.get(name) or fallback)
            except ColorParseError:
                return Color.parse(fallback)

        primary, accent = color("primary", "blue"), color("accent", "magenta")
        secondary, warning = color("secondary", "cyan"), color("warning", "yellow")
        dim = Style(dim=True)
        return cls(
            headings=(
                Style(bold=True, underline=True, color=accent),
                Style(bold=True, color=primary),
                Style(bold=True, color=secondary),
            ),
            link=Style(underline=True, color=primary),
            link_number=dim,
            code=Style(color=warning, bgcolor=color("surface", "grey15")),
            image=Style(color=accent),
            muted=dim,
            bullet=dim,
            footnote=Style(color=secondary),
            match=Style(reverse=True, bold=True),
            # The match `n`/`N` is on: another colour and underlined, so it shows in any theme.
            current_match=Style(color=color("background", "black"), bgcolor=accent, bold=True, underline=True),
            math=Style(italic=True, color=secondary),
            syntax_theme="ansi_dark" if dark else "ansi_light",
        )
