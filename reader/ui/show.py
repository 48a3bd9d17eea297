"""`reader show`: a post rendered to standard output with the app's own renderer (glow-like)."""

from __future__ import annotations

from typing import IO

from rich.console import Console, RenderableType
from rich.rule import Rule
from rich.style import Style
from rich.text import Text

from reader.posts.document import Document
from reader.posts.links import Link
from reader.posts.post import Post
from reader.posts.text import printable
from reader.ui.post_pane import header_text
from reader.ui.render import Palette, Renderer, RenderState, link_titles

PLAIN_THEME: dict[str, str | None] = {
    "primary": None,
    "secondary": None,
    "accent": None,
    "warning": None,
    "surface": None,
}
TERMINAL_THEME: dict[str, str | None] = {
    "primary": "#0178D4",
    "secondary": "#004578",
    "accent": "#ffa62b",
    "warning": "#ffa62b",
    "surface": "#1e1e1e",
}


def make_console(file: IO[str], width: int | None, color: bool) -> Console:
    """Colour on a terminal; no escape sequence at all when piped or with NO_COLOR."""
    return Console(
        file=file,
        width=width,
        color_system="auto" if color else None,
        force_terminal=color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
    )


def print_post(console: Console, post: Post, document: Document, links: list[Link]) -> None:
    """The header, the body block by block, and the links by number at the end."""
    palette = Palette.from_theme(TERMINAL_THEME if console.color_system else PLAIN_THEME, dark=True)
    emit(console, header_text(post))
    emit(console, Rule(style=Style(dim=True)))
    # The post's bidi marks kept in its paragraphs: no column of ours shares their lines here.
    renderer = Renderer(document, RenderState(palette=palette, link_texts=link_titles(links), bidi_marks=True))
    while (block := renderer.next_block()) is not None:
        emit(console, block.renderable)
        emit(console, Text(""))
    if links:
        emit(console, Rule("links", style=Style(dim=True)))
        for link in links:
            where = link.target if link.kind in ("post", "anchor", "image") and link.target else link.url
            line = Text(f"[{link.n}] ", style="bold")
            line.append(printable(where), style="dim" if link.broken else "")
            if link.broken:
                line.append("  BROKEN", style="bold red")
            emit(console, line)


def emit(console: Console, renderable: RenderableType) -> None:
    """Print one renderable; as plain text, without the spaces Rich pads lines with."""
    if console.color_system:
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    console.file.write("\n".join(line.rstrip() for line in captured.get().split("\n")))
