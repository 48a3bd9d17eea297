"""Markdown to Rich renderables, block by block, so a long post can render progressively.

Textual's Markdown widget builds a widget per block and measured 1.8 s for a
50 KB post here; we build light Rich renderables instead, and the PostView
turns them into lines only as far as the reader scrolls.

Post text is always data: every string goes into a `Text` as plain text,
never through markup, and link targets travel as style meta, not actions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from markdown_it.token import Token
from rich.console import RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.style import Style
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from reader.core.highlight import Matcher
from reader.core.markdown import parser, preprocess, restore_url
from reader.core.slugs import SlugMap

CHUNK_CHARS = 12_000
MATCH_STYLE = Style(reverse=True, bold=True)
LinkLookup = Callable[[int, str], "int | None"]  # (file line, url) -> link number

_HEADING_STYLES = {
    1: Style(bold=True, underline=True, color="bright_magenta"),
    2: Style(bold=True, color="bright_cyan"),
    3: Style(bold=True, color="cyan"),
}
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass
class Block:
    """One top-level piece of the post: a paragraph, a heading, a code block …"""

    renderable: RenderableType
    line: int  # file line it starts on
    anchor: str | None = None  # heading slug
    matches: int = 0  # search matches inside


@dataclass
class RenderState:
    slugs: SlugMap = field(default_factory=SlugMap)
    links: LinkLookup = lambda line, url: None
    matcher: Matcher | None = None


def chunks(body: str, body_line: int, size: int = CHUNK_CHARS) -> Iterator[tuple[str, int]]:
    """Split at blank lines outside code fences into pieces of about `size` chars.

    A post with no blank line for a long stretch (a 50 MB dump) is split at a
    line end after `4 * size` chars anyway, and a single enormous line into
    pieces of `size`: such a post renders as plain wrapped text, but it renders.
    """
    lines = body.split("\n")
    start = 0
    length = 0
    fence: str | None = None
    for index, line in enumerate(lines):
        if len(line) > 4 * size:  # one enormous line: flush what came before, then cut it up
            if index > start:
                yield "\n".join(lines[start:index]), body_line + start
            for offset in range(0, len(line), size):
                yield line[offset : offset + size], body_line + index
            start, length, fence = index + 1, 0, None
            continue
        opening = _FENCE.match(line)
        if opening:
            marker = opening.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
        length += len(line) + 1
        boundary = fence is None and not line.strip()
        forced = length >= 4 * size and (fence is None or length >= 16 * size)
        if ((length >= size and boundary) or forced) and index + 1 < len(lines):
            yield "\n".join(lines[start : index + 1]), body_line + start
            start, length = index + 1, 0
            if forced:
                fence = None
    if start < len(lines):
        yield "\n".join(lines[start:]), body_line + start


def render_chunk(text: str, first_line: int, state: RenderState) -> list[Block]:
    """Render one chunk of Markdown (lines counted from `first_line`)."""
    tokens = parser().parse(preprocess(text))
    return list(_Renderer(tokens, first_line, state).blocks())


class _Renderer:
    def __init__(self, tokens: list[Token], first_line: int, state: RenderState) -> None:
        self.tokens = tokens
        self.first_line = first_line
        self.state = state
        self.pos = 0

    def line_of(self, token: Token) -> int:
        return self.first_line + (token.map[0] if token.map else 0)

    def blocks(self) -> Iterator[Block]:
        while self.pos < len(self.tokens):
            block = self.block(depth=0)
            if block is not None:
                yield block

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def block(self, depth: int) -> Block | None:
        token = self.take()
        kind = token.type
        line = self.line_of(token)
        if kind == "heading_open":
            inline = self.take()
            self.take()  # heading_close
            level = int(token.tag[1:])
            text = self.inline(inline, line)
            slug = self.state.slugs.add(text.plain)
            prefix = Text("#" * level + " ", style="dim") if level > 2 else Text("")
            text = Text.assemble(prefix, text)
            text.stylize(_HEADING_STYLES.get(level, Style(bold=True)))
            return self._block(text, line, slug, text)
        if kind == "paragraph_open":
            inline = self.take()
            self.take()
            text = self.inline(inline, line)
            return self._block(text, line, None, text)
        if kind in ("fence", "code_block"):
            return self.code(token, line)
        if kind == "hr":
            return Block(Rule(style="dim"), line)
        if kind == "html_block":
            text = Text(token.content.rstrip("\n"), style="dim")
            return self._block(text, line, None, text)
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list_block(token, line)
        if kind == "blockquote_open":
            return self.container(line, "blockquote_close", prefix="▌ ", style="italic")
        if kind == "table_open":
            return self.table(line)
        if kind == "footnote_block_open":
            return self.container(line, "footnote_block_close", prefix="", style="dim")
        if kind == "footnote_open":
            number = token.meta.get("id", 0) + 1 if token.meta else 0
            return self.container(line, "footnote_close", prefix=f"[{number}] ", style="")
        return None  # closing tokens and anything we do not draw

    def _block(self, renderable: RenderableType, line: int, anchor: str | None, text: Text | None) -> Block:
        matches = self.highlight(text) if text is not None else 0
        return Block(renderable, line, anchor, matches)

    def highlight(self, text: Text) -> int:
        if self.state.matcher is None:
            return 0
        spans = self.state.matcher.spans(text.plain)
        for start, end in spans:
            text.stylize(MATCH_STYLE, start, end)
        return len(spans)

    def code(self, token: Token, line: int) -> Block:
        code = token.content.rstrip("\n")
        lang = (token.info or "").strip().split(" ")[0] or "text"
        syntax = Syntax(code, lang, theme="ansi_dark", word_wrap=False, background_color="default",
                        line_numbers=False, indent_guides=False)
        return Block(Padding(syntax, (0, 0, 0, 2)), line)

    def collect(self, closing: str, depth: int) -> list[Block]:
        inner: list[Block] = []
        while self.pos < len(self.tokens) and self.tokens[self.pos].type != closing:
            block = self.block(depth + 1)
            if block is not None:
                inner.append(block)
        if self.pos < len(self.tokens):
            self.take()
        return inner

    def container(self, line: int, closing: str, prefix: str, style: str) -> Block:
        inner = self.collect(closing, 1)
        grid = Table.grid(padding=0)
        grid.add_column(width=len(prefix), style="dim") if prefix else None
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
        grid.add_column(no_wrap=True, style="bright_black" if not ordered else "")
        grid.add_column()
        matches = 0
        while self.pos < len(self.tokens) and self.tokens[self.pos].type != closing:
            item = self.take()
            if item.type != "list_item_open":
                continue
            inner = self.collect("list_item_close", 1)
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
        table = Table(show_lines=False, header_style="bold", border_style="bright_black", expand=False)
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
                inline = self.take()
                cell = self.inline(inline, self.line_of(inline))
                matches += self.highlight(cell)
                style = (token.attrs.get("style") or "") if token.attrs else ""
                justify = "center" if "center" in str(style) else "right" if "right" in str(style) else "left"
                if in_head:
                    table.add_column(cell, justify=justify)  # type: ignore[arg-type]
                else:
                    row.append(cell)
            elif token.type == "tr_close" and not in_head and header_done:
                table.add_row(*row)
                row = []
        return Block(table, line, None, matches)

    # --- inline ------------------------------------------------------------------

    def inline(self, token: Token, line: int) -> Text:
        text = Text(no_wrap=False, overflow="fold")
        styles: list[Style] = []
        link_start: list[tuple[int, str]] = []
        for child in token.children or []:
            kind = child.type
            current = Style.combine(styles) if styles else Style()
            if kind == "text":
                text.append(child.content, current)
            elif kind == "softbreak":
                text.append(" ", current)
            elif kind == "hardbreak":
                text.append("\n", current)
            elif kind == "code_inline":
                text.append(child.content, current + Style(color="bright_yellow", bgcolor="grey15"))
            elif kind in ("em_open", "strong_open", "s_open"):
                styles.append({"em_open": Style(italic=True), "strong_open": Style(bold=True),
                               "s_open": Style(strike=True)}[kind])
            elif kind in ("em_close", "strong_close", "s_close") and styles:
                styles.pop()
            elif kind == "link_open":
                link_start.append((len(text), restore_url(str(child.attrs.get("href", "")))))
            elif kind == "link_close" and link_start:
                start, url = link_start.pop()
                self._link(text, start, len(text), line, url)
            elif kind == "image":
                alt = "".join(c.content for c in child.children or []) or child.content
                start = len(text)
                text.append(f"🖼 [{alt or 'image'}]", current + Style(color="magenta"))
                self._link(text, start, len(text), line, str(child.attrs.get("src", "")))
            elif kind == "html_inline":
                text.append(child.content, current + Style(dim=True))
            elif kind == "footnote_ref":
                number = (child.meta or {}).get("id", 0) + 1
                text.append(f"[{number}]", current + Style(color="cyan"))
            if kind in ("softbreak", "hardbreak"):
                line += 1
            elif kind == "text":
                line += child.content.count("\n")
        return text

    def _link(self, text: Text, start: int, end: int, line: int, url: str) -> None:
        number = self.state.links(line, url)
        style = Style(underline=True, color="bright_blue")
        if number is not None:
            style += Style(meta={"link": number})
        text.stylize(style, start, end)
        if number is not None:
            text.append(f"[{number}]", Style(color="bright_black", meta={"link": number}))
