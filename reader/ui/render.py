"""A parsed post (`Document`) to Rich renderables, block by block, so a long post renders progressively.

Textual's Markdown widget builds a widget per block and measured 1.8 s for a
50 KB post here; we build light Rich renderables instead, and the PostBody
turns them into lines only as far as the reader scrolls.

The renderer reads the same tokens as the link list: a link's number is on
its token (`meta["link"]`), a heading's slug too. Post text is always data:
every string goes into a `Text` as plain text, never through markup, and
link numbers travel as style meta, not actions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rich.color import Color, ColorParseError
from rich.console import RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.style import Style
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from reader.posts.document import Document, Token
from reader.search.highlight import Matcher

PIECE_CHARS = 8_000  # a longer paragraph is cut into blocks of about this size, so it renders progressively


@dataclass(frozen=True)
class Palette:
    """The renderer's styles, made from the app theme's colours."""

    headings: tuple[Style, Style, Style]
    link: Style
    link_number: Style
    code: Style
    image: Style
    muted: Style
    bullet: Style
    footnote: Style
    match: Style
    syntax_theme: str = "ansi_dark"

    @classmethod
    def plain(cls) -> Palette:
        """No colours: bold, underline and dim only (before a theme is known)."""
        dim, bold = Style(dim=True), Style(bold=True)
        return cls(
            (Style(bold=True, underline=True), bold, bold),
            Style(underline=True),
            dim,
            bold,
            Style(italic=True),
            dim,
            dim,
            dim,
            Style(reverse=True, bold=True),
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
            syntax_theme="ansi_dark" if dark else "ansi_light",
        )


@dataclass
class Block:
    """One top-level piece of the post: a paragraph, a heading, a code block …"""

    renderable: RenderableType
    line: int  # file line it starts on
    anchor: str | None = None  # heading slug
    matches: int = 0  # search matches inside


@dataclass
class RenderState:
    matcher: Matcher | None = None
    palette: Palette = field(default_factory=Palette.plain)


class Renderer:
    """Walks a document's tokens once, giving its blocks one at a time."""

    def __init__(self, document: Document, state: RenderState) -> None:
        self.document = document
        self.tokens = document.tokens
        self.state = state
        self.palette = state.palette
        self.pos = 0
        self._blocks = self._all_blocks()

    def next_block(self) -> Block | None:
        return next(self._blocks, None)

    def line_of(self, token: Token) -> int:
        return self.document.line_of(token)

    def _all_blocks(self) -> Iterator[Block]:
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            if token.type == "paragraph_open" and self.pos + 1 < len(self.tokens):
                self.pos += 3
                yield from self._paragraph_pieces(self.tokens[self.pos - 2], self.line_of(token))
                continue
            block = self.block()
            if block is not None:
                yield block

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def block(self) -> Block | None:
        token = self.take()
        kind = token.type
        line = self.line_of(token)
        if kind == "heading_open":
            inline = self.take()
            self.take()  # heading_close
            level = int(token.tag[1:])
            text = self.inline(inline)
            prefix = Text("#" * level + " ", style=self.palette.muted) if level > 2 else Text("")
            text = Text.assemble(prefix, text)
            text.stylize(self.palette.headings[min(level, 3) - 1])
            return self._block(text, line, (token.meta or {}).get("slug"), text)
        if kind == "paragraph_open":
            inline = self.take()
            self.take()
            text = self.inline(inline)
            return self._block(text, line, None, text)
        if kind in ("fence", "code_block"):
            return self.code(token, line)
        if kind == "hr":
            return Block(Rule(style=self.palette.muted), line)
        if kind == "html_block":
            text = Text(token.content.rstrip("\n"), style=self.palette.muted)
            self._numbers(text, token)
            return self._block(text, line, None, text)
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list_block(token, line)
        if kind == "blockquote_open":
            return self.container(line, "blockquote_close", prefix="▌ ", style="italic")
        if kind == "table_open":
            return self.table(line)
        if kind == "footnote_block_open":
            return self.container(line, "footnote_block_close", prefix="", style="")
        if kind == "footnote_open":
            number = token.meta.get("id", 0) + 1 if token.meta else 0
            return self.container(line, "footnote_close", prefix=f"[{number}] ", style="")
        return None  # closing tokens and anything we do not draw

    def _paragraph_pieces(self, inline: Token, line: int) -> Iterator[Block]:
        """A paragraph, cut at line breaks into pieces of about PIECE_CHARS (one piece, usually)."""
        for text, at in self._inline_pieces(inline, line):
            yield self._block(text, at, None, text)

    def _block(self, renderable: RenderableType, line: int, anchor: str | None, text: Text | None) -> Block:
        matches = self.highlight(text) if text is not None else 0
        return Block(renderable, line, anchor, matches)

    def highlight(self, text: Text) -> int:
        if self.state.matcher is None:
            return 0
        spans = self.state.matcher.spans(text.plain)
        for start, end in spans:
            text.stylize(self.palette.match, start, end)
        return len(spans)

    def code(self, token: Token, line: int) -> Block:
        code = token.content.rstrip("\n")
        lang = (token.info or "").strip().split(" ")[0] or "text"
        syntax = Syntax(
            code,
            lang,
            theme=self.palette.syntax_theme,
            word_wrap=False,
            background_color="default",
            line_numbers=False,
            indent_guides=False,
        )
        return Block(Padding(syntax, (0, 0, 0, 2)), line)

    def collect(self, closing: str) -> list[Block]:
        inner: list[Block] = []
        while self.pos < len(self.tokens) and self.tokens[self.pos].type != closing:
            block = self.block()
            if block is not None:
                inner.append(block)
        if self.pos < len(self.tokens):
            self.take()
        return inner

    def container(self, line: int, closing: str, prefix: str, style: str) -> Block:
        inner = self.collect(closing)
        grid = Table.grid(padding=0)
        if prefix:
            grid.add_column(width=len(prefix), style=self.palette.muted)
        grid.add_column()
        for index, block in enumerate(inner):
            cells = [Text(prefix if index == 0 or prefix.startswith("▌") else " " * len(prefix))] if prefix else []
            grid.add_row(*cells, block.renderable, style=style)
        return Block(grid, line, None, sum(b.matches for b in inner))

    def list_block(self, token: Token, line: int) -> Block:
        ordered = token.type == "ordered_list_open"
        closing = "ordered_list_close" if ordered else "bullet_list_close"
        number = int(token.attrs.get("start", 1) or 1) if ordered else 0
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(no_wrap=True, style=Style() if ordered else self.palette.bullet)
        grid.add_column()
        matches = 0
        while self.pos < len(self.tokens) and self.tokens[self.pos].type != closing:
            item = self.take()
            if item.type != "list_item_open":
                continue
            inner = self.collect("list_item_close")
            matches += sum(b.matches for b in inner)
            bullet = f"{number}." if ordered else "•"
            number += 1
            body = Table.grid()
            body.add_column()
            for block in inner:
                body.add_row(block.renderable)
            grid.add_row(Text(bullet), body)
        if self.pos < len(self.tokens):
            self.take()
        return Block(Padding(grid, (0, 0, 0, 1)), line, None, matches)

    def table(self, line: int) -> Block:
        table = Table(show_lines=False, header_style="bold", border_style=self.palette.muted, expand=False)
        header_done = False
        row: list[Text] = []
        in_head = False
        matches = 0
        while self.pos < len(self.tokens):
            token = self.take()
            if token.type == "table_close":
                break
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head, header_done = False, True
            elif token.type in ("th_open", "td_open"):
                cell = self.inline(self.take())
                matches += self.highlight(cell)
                style = str((token.attrs.get("style") or "") if token.attrs else "")
                justify: Any = "center" if "center" in style else "right" if "right" in style else "left"
                if in_head:
                    table.add_column(cell, justify=justify)
                else:
                    row.append(cell)
            elif token.type == "tr_close" and not in_head and header_done:
                table.add_row(*row)
                row = []
        return Block(table, line, None, matches)

    # --- inline ------------------------------------------------------------------

    def inline(self, token: Token) -> Text:
        return Text("").join(text for text, _ in self._inline_pieces(token, 0, split=False))

    def _inline_pieces(self, token: Token, line: int, split: bool = True) -> Iterator[tuple[Text, int]]:
        text = Text(no_wrap=False, overflow="fold")
        styles: list[Style] = []
        link_start: list[tuple[int, Token]] = []
        palette = self.palette
        start_line = line
        for child in token.children or []:
            kind = child.type
            current = Style.combine(styles) if styles else Style()
            if kind == "text":
                text.append(child.content, current)
            elif kind == "softbreak":
                if split and len(text) >= PIECE_CHARS and not link_start:
                    yield text, start_line
                    text, start_line = Text(no_wrap=False, overflow="fold"), line + 1
                else:
                    text.append(" ", current)
            elif kind == "hardbreak":
                text.append("\n", current)
            elif kind == "code_inline":
                text.append(child.content, current + palette.code)
            elif kind in ("em_open", "strong_open", "s_open"):
                styles.append(
                    {"em_open": Style(italic=True), "strong_open": Style(bold=True), "s_open": Style(strike=True)}[kind]
                )
            elif kind in ("em_close", "strong_close", "s_close") and styles:
                styles.pop()
            elif kind == "link_open":
                link_start.append((len(text), child))
            elif kind == "link_close" and link_start:
                start, opening = link_start.pop()
                self._link(text, start, len(text), (opening.meta or {}).get("link"))
            elif kind == "image":
                alt = "".join(c.content for c in child.children or []) or child.content
                start = len(text)
                text.append(f"🖼 [{alt or 'image'}]", current + palette.image)
                self._link(text, start, len(text), (child.meta or {}).get("link"))
            elif kind == "html_inline":
                text.append(child.content, current + palette.muted)
                self._numbers(text, child)
            elif kind == "footnote_ref":
                number = (child.meta or {}).get("id", 0) + 1
                text.append(f"[{number}]", current + palette.footnote)
            if kind in ("softbreak", "hardbreak"):
                line += 1
            elif kind == "text":
                line += child.content.count("\n")
        if split and len(text) > PIECE_CHARS * 2 and "\n" not in text.plain:
            # One enormous line (a dump with no breaks): cut it anyway, so it renders in steps.
            for offset in range(0, len(text), PIECE_CHARS):
                yield text[offset : offset + PIECE_CHARS], start_line
            return
        yield text, start_line

    def _numbers(self, text: Text, token: Token) -> None:
        """The numbers of links in raw HTML, after it (HTML is shown as written)."""
        for number in (token.meta or {}).get("links", []):
            text.append(f"[{number}]", self.palette.link_number + Style(meta={"link": number}))

    def _link(self, text: Text, start: int, end: int, number: int | None) -> None:
        style = self.palette.link
        if number is not None:
            style += Style(meta={"link": number})
        text.stylize(style, start, end)
        if number is not None:
            text.append(f"[{number}]", self.palette.link_number + Style(meta={"link": number}))
