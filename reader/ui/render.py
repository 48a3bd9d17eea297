"""A parsed post (`Document`) to Rich renderables, block by block, so a long post renders progressively.

Textual's Markdown widget builds a widget per block and measured 1.8 s for a
50 KB post here; we build light Rich renderables instead, and the PostBody
turns them into lines only as far as the reader scrolls.

The renderer reads the same tokens as the link list: a link's number is on
its token (`meta["link"]`), a heading's slug too. Post text is always data:
every string goes into a `Text` as plain text, never through markup, and
link numbers travel as style meta, not actions. And nothing in it may act on the
terminal: a line or paragraph separator becomes the line break it means, a bidi mark its
visible stand-in unless the line holds the post's text alone (`settle`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Span, Text

from reader.posts.document import Document, Heading, Token
from reader.posts.links import Link
from reader.posts.text import BIDI_MARKS, LINE_SEPARATORS, cell_width, marks_shown, printable
from reader.search.highlight import Matcher
from reader.ui.code import CodeBlock, highlighted
from reader.ui.gutter import Gutter
from reader.ui.html import TEXT_OVERFLOW, html_block
from reader.ui.i18n import t
from reader.ui.inline import InlineRenderer, MathRows, footnote_mark, math_text
from reader.ui.math_block import MathBlock
from reader.ui.palette import Palette
from reader.ui.table_fit import CellText, FittedTable

__all__ = ["Block", "Palette", "RenderState", "Renderer"]


@dataclass
class Block:
    """One top-level piece of the post: a paragraph, a heading, a code block …"""

    renderable: RenderableType
    line: int  # file line it starts on
    anchor: str | None = None  # heading slug
    matches: list[tuple[Text, int, int]] = field(default_factory=list)  # search matches inside, in order


@dataclass
class RenderState:
    matcher: Matcher | None = None
    palette: Palette = field(default_factory=Palette.plain)
    math_source: bool = False  # show math as written instead of as Unicode
    # A link number -> a small preview of its local image (None: not an image, or none to show).
    preview: Callable[[int], RenderableType | None] | None = None
    # A link number -> the text drawn for it instead of the post's (see `link_titles`).
    link_texts: Mapping[int, str] = field(default_factory=dict)
    # Keep the post's bidi marks in its top-level paragraphs, whose lines hold its text alone
    # (`reader show`); in the app every line has our panes beside it, so they show as `<U+200F>`.
    bidi_marks: bool = False


_BREAKS = {ord(char): "\n" for char in LINE_SEPARATORS}
_UNSAFE = re.compile(f"[{LINE_SEPARATORS}]|{BIDI_MARKS.pattern}")


def settle(text: Text, keep_marks: bool = False, stand_in: Style | str = "") -> None:
    """Make a Text of the post's safe on a terminal, in place, its styles (and link numbers)
    kept on their characters: a line or paragraph separator (U+2028, U+2029) becomes the line
    break it means, and, unless `keep_marks`, a bidi mark (LRM, RLM, ALM) its stand-in
    (`<U+200F>`, in `stand_in`'s style), so it cannot reorder what we draw beside it."""
    plain = text.plain
    if not _UNSAFE.search(plain):
        return
    broken = plain.translate(_BREAKS)
    if broken != plain:
        text.plain = broken  # as long: the spans stay where they are
    if keep_marks or not BIDI_MARKS.search(broken):
        return
    spans = text.spans
    marks = [match.span() for match in BIDI_MARKS.finditer(broken)]
    shown, moved = marks_shown(broken, [(span.start, span.end) for span in spans] + marks)
    text.plain = shown
    text.spans = [Span(start, end, span.style) for (start, end), span in zip(moved[: len(spans)], spans, strict=True)]
    for start, end in moved[len(spans) :]:
        text.stylize(stand_in, start, end)


def _is_footer(token: Token) -> bool:
    """Whether a block inside a quote is its source line (reader.posts.site_syntax writes a Hexo
    blockquote's as a `<footer>` HTML block)."""
    return token.type == "html_block" and token.content.lstrip().startswith("<footer")


def _settled(plain: str) -> str:
    """`settle` for a string drawn on its own (an equation)."""
    return BIDI_MARKS.sub(lambda match: printable(match.group()), plain.translate(_BREAKS))


def link_titles(links: Iterable[Link]) -> dict[int, str]:
    """The links shown by the title of the post they lead to (Hexo's `{% post_link slug %}`)."""
    return {link.n: link.text for link in links if link.titled}


class Renderer:
    """Walks a document's tokens once, giving its blocks one at a time."""

    def __init__(self, document: Document, state: RenderState) -> None:
        self.document = document
        self.tokens = document.tokens
        self.state = state
        self.palette = state.palette
        self.inline = InlineRenderer(state.palette, state.math_source, state.link_texts)
        self.pos = 0
        self.depth = 0  # containers (lists, quotes, footnotes) the tokens being read are in
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
                inline = self.tokens[self.pos - 2]
                for piece, at in self.inline.pieces(inline, self.line_of(token)):
                    if isinstance(piece, MathRows):
                        yield self._math_block(piece, at)
                    else:
                        yield self._block(piece, at, texts=[piece], prose=True)
                yield from self._previews(
                    [(c.meta or {}).get("link") for c in inline.children or [] if c.type == "image"], token
                )
                continue
            start = self.pos
            block = self.block()
            if block is not None:
                yield block
            if self.tokens[start].type == "html_block":
                yield from self._previews(list((self.tokens[start].meta or {}).get("links", [])), self.tokens[start])

    def _previews(self, numbers: list[Any], token: Token) -> Iterator[Block]:
        """The inline previews of the local images among link `numbers` (when switched on)."""
        if self.state.preview is None:
            return
        for number in numbers:
            if isinstance(number, int):
                preview = self.state.preview(number)
                if preview is not None:
                    yield Block(Padding(preview, (0, 0, 0, 2)), self.line_of(token))

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def block(self) -> Block | None:
        token = self.take()
        kind = token.type
        line = self.line_of(token)
        if kind == "heading_open":
            return self.heading(token, line)
        if kind == "paragraph_open":
            text = self.inline.text(self.take())
            self.take()
            return self._block(text, line, texts=[text], prose=self.depth == 0)
        if kind in ("fence", "code_block"):
            return self.code(token, line)
        if kind in ("math_block", "math_block_label"):
            return self.math(token, line)
        if kind == "hr":
            return Block(Rule(style=self.palette.muted), line)
        if kind == "html_block":
            renderables, texts = html_block(token.content, self.palette, (token.meta or {}).get("links", []))
            if not renderables:
                return None  # a comment, a script: nothing to show
            return self._block(Group(*renderables), line, texts=texts)
        if kind == "site_block":
            tag = Text(f"⟨{token.content}⟩", style=self.palette.muted)
            settle(tag)
            return Block(tag, line)
        if kind == "toc":
            return self.toc(line)
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
            return self.container(line, "footnote_close", prefix=f"{footnote_mark(number)} ", style="")
        return None  # closing tokens and anything we do not draw

    def _block(
        self,
        renderable: RenderableType,
        line: int,
        anchor: str | None = None,
        texts: list[Text] | None = None,
        prose: bool = False,
    ) -> Block:
        """A block drawing `texts` (Texts of the post), made safe for the terminal (`settle`;
        `prose`: a top-level paragraph, whose lines hold its text alone), its matches marked."""
        keep_marks = prose and self.state.bidi_marks
        for text in texts or []:
            settle(text, keep_marks, self.palette.muted)
        matches = [m for text in texts or [] for m in self.highlight(text)]
        return Block(renderable, line, anchor, matches)

    def highlight(self, text: Text) -> list[tuple[Text, int, int]]:
        if self.state.matcher is None:
            return []
        spans = self.state.matcher.spans(text.plain)
        for start, end in spans:
            text.stylize(self.palette.match, start, end)
        return [(text, start, end) for start, end in spans]

    # --- blocks ----------------------------------------------------------------------------

    def heading(self, token: Token, line: int) -> Block:
        inline = self.take()
        self.take()  # heading_close
        level = int(token.tag[1:])
        text = self.inline.text(inline)
        prefix = Text("#" * level + " ", style=self.palette.muted) if level > 2 else Text("")
        text = Text.assemble(prefix, text)
        text.stylize(self.palette.headings[min(level, 3) - 1])
        return self._block(text, line, (token.meta or {}).get("slug"), texts=[text])

    def code(self, token: Token, line: int) -> Block:
        lang = (token.info or "").strip().split(" ")[0]
        text = highlighted(token.content.rstrip("\n"), lang, self.palette.syntax_theme)
        return self._block(CodeBlock(text, self.palette.muted), line, texts=[text])

    def math(self, token: Token, line: int) -> Block:
        converted = None if self.state.math_source else math_text(token.content)
        shown = converted if converted is not None else f"$$\n{token.content.strip()}\n$$"
        return self._math_block(shown, line)

    def _math_block(self, shown: str, line: int) -> Block:
        """An equation's lines set apart as a display (`$$` on lines of its own, or inline rows)."""
        return Block(Padding(MathBlock(_settled(shown), self.palette.math), (0, 0, 0, 4)), line)

    def toc(self, line: int) -> Block:
        """kramdown's `{:toc}`: the post's own headings, where the author asked for them."""
        headings: tuple[Heading, ...] = self.document.headings
        top = min((h.level for h in headings), default=1)
        text = Text()
        for heading in headings:
            if text:
                text.append("\n")
            text.append("  " * (heading.level - top) + "• ", self.palette.bullet)
            text.append(printable(heading.text), self.palette.link + Style(meta={"anchor": heading.slug}))
        return Block(text or Text(t("(no headings)"), style=self.palette.muted), line)

    def collect(self, closing: str) -> list[Block]:
        return [block for _, block in self.collect_opened(closing)]

    def collect_opened(self, closing: str) -> list[tuple[Token, Block]]:
        """The blocks up to `closing`, each with the token that opened it."""
        inner: list[tuple[Token, Block]] = []
        self.depth += 1
        while self.pos < len(self.tokens) and self.tokens[self.pos].type != closing:
            opening = self.tokens[self.pos]
            block = self.block()
            if block is not None:
                inner.append((opening, block))
        self.depth -= 1
        if self.pos < len(self.tokens):
            self.take()
        return inner

    def container(self, line: int, closing: str, prefix: str, style: str) -> Block:
        """Blocks inside a quote (its bar beside each of their lines, a barred blank line between
        two of them, as the site spaces a quote's paragraphs) or a footnote (its mark beside the
        first line). A Hexo quote's source (`<footer>`) stays under its last line."""
        opened = self.collect_opened(closing)
        inner = [block for _, block in opened]
        quote = prefix.startswith("▌")
        grid = Table.grid(padding=0)
        grid.add_column(overflow=TEXT_OVERFLOW)
        for index, (opening, block) in enumerate(opened):
            if quote and index and not _is_footer(opening):
                grid.add_row(Text(""), style=style)
            grid.add_row(block.renderable, style=style)
        drawn: RenderableType = grid
        if prefix:
            rest = prefix if prefix.startswith("▌") else " " * cell_width(prefix)
            drawn = Gutter(grid, prefix, rest, self.palette.muted + Style.parse(style), Style.parse(style))
        return Block(drawn, line, None, [m for b in inner for m in b.matches])

    def list_block(self, token: Token, line: int) -> Block:
        ordered = token.type == "ordered_list_open"
        closing = "ordered_list_close" if ordered else "bullet_list_close"
        number = int(token.attrs.get("start", 1) or 1) if ordered else 0
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(no_wrap=True, style=Style() if ordered else self.palette.bullet)
        grid.add_column(overflow=TEXT_OVERFLOW)
        matches: list[tuple[Text, int, int]] = []
        while self.pos < len(self.tokens) and self.tokens[self.pos].type != closing:
            item = self.take()
            if item.type != "list_item_open":
                continue
            inner = self.collect("list_item_close")
            matches += [m for b in inner for m in b.matches]
            bullet = f"{number}." if ordered else "•"
            number += 1
            body = Table.grid()
            body.add_column(overflow=TEXT_OVERFLOW)
            for block in inner:
                body.add_row(block.renderable)
            grid.add_row(Text(bullet), body)
        if self.pos < len(self.tokens):
            self.take()
        return Block(Padding(grid, (0, 0, 0, 1)), line, None, matches)

    def table(self, line: int) -> Block:
        table = Table(show_lines=False, header_style="bold", border_style=self.palette.muted, expand=False)
        header_done = False
        row: list[CellText] = []
        in_head = False
        texts: list[Text] = []
        while self.pos < len(self.tokens):
            token = self.take()
            if token.type == "table_close":
                break
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head, header_done = False, True
            elif token.type in ("th_open", "td_open"):
                cell = self.inline.text(self.take())
                texts.append(cell)
                style = str((token.attrs.get("style") or "") if token.attrs else "")
                justify: Any = "center" if "center" in style else "right" if "right" in style else "left"
                drawn = CellText(cell, self.palette.muted)
                if in_head:
                    table.add_column(drawn, justify=justify, overflow=TEXT_OVERFLOW)
                else:
                    row.append(drawn)
            elif token.type == "tr_close" and not in_head and header_done:
                table.add_row(*row)
                row = []
        return self._block(FittedTable(table), line, texts=texts)
