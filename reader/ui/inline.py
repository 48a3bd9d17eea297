"""The inline part of a post (a paragraph's tokens) as Rich Text: emphasis, code, links, images,
inline HTML, math and site tags; cut into pieces when a paragraph is enormous."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache

from rich.style import Style
from rich.text import Text

from reader.posts.document import Token
from reader.posts.latex import to_text
from reader.ui.html import DROPPED_TAGS, INLINE_STYLES, image_label, image_placeholder, inline_tag, link_text
from reader.ui.palette import Palette

PIECE_CHARS = 8_000  # a longer paragraph is cut into blocks of about this size, so it renders progressively
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_EMPHASIS = {"em_open": Style(italic=True), "strong_open": Style(bold=True), "s_open": Style(strike=True)}


@lru_cache(maxsize=4096)
def footnote_mark(number: int) -> str:
    """A footnote's number as the site sets it, raised (`¹²`): not `[12]`, which is a link's."""
    return str(number).translate(_SUPERSCRIPT)


def math_text(latex: str) -> str | None:
    return to_text(latex)


class MathRows(str):
    """An inline formula of more than one row (an aligned environment), its rows as read: MathJax
    stacks them even inside a line of text, so a top-level paragraph draws them as a display
    where they stand on lines of their own (`text` / `$$…$$` / `text`); one in the middle of a
    sentence runs on in it, its rows one after another."""


def math_rows(latex: str, source: bool) -> MathRows | None:
    """Inline math's rows when it has more than one (see MathRows), else None."""
    converted = None if source else math_text(latex)
    return MathRows(converted.strip("\n")) if converted is not None and "\n" in converted.strip() else None


def math_inline(latex: str, double: bool, source: bool) -> str:
    """Inline math as Unicode, or as written (`source`, or when it cannot be shown faithfully)."""
    converted = None if source else math_text(latex)
    if converted is None:
        fence = "$$" if double else "$"
        return f"{fence}{latex}{fence}"
    return " ".join(converted.split())  # an aligned environment's rows, run on without their indent


def _on_own_lines(children: list[Token], index: int) -> bool:
    """Whether the inline token at `index` stands on lines of its own among `children` (nothing
    but a line break on either side of it): a formula set between the paragraph's lines."""
    breaks = ("softbreak", "hardbreak")
    before = children[index - 1] if index else None
    after = children[index + 1] if index + 1 < len(children) else None
    return (before is None or before.type in breaks) and (after is None or after.type in breaks)


class InlineRenderer:
    def __init__(
        self, palette: Palette, math_source: bool = False, link_texts: Mapping[int, str] | None = None
    ) -> None:
        self.palette = palette
        self.math_source = math_source
        self.link_texts = link_texts or {}  # a link number -> the text drawn instead of its own

    def text(self, token: Token) -> Text:
        """All of an inline token as one Text."""
        return Text("").join(piece for piece, _ in self.pieces(token, 0, split=False) if isinstance(piece, Text))

    def pieces(self, token: Token, line: int, split: bool = True) -> Iterator[tuple[Text | MathRows, int]]:
        """The token as Texts of about PIECE_CHARS each (cut at line breaks), with their file lines;
        with `split`, a formula of more than one row on lines of its own outside a link comes apart
        as its MathRows."""
        text = Text(no_wrap=False, overflow="fold")
        styles: list[Style] = []
        html_styles: dict[str, list[Style]] = {}
        links: list[tuple[int, int | None]] = []  # start offset, number (Markdown and HTML links alike)
        replaced = False  # inside a link drawn with other text (link_texts): its own is skipped
        apart = False  # rows of math came apart from the text (no empty piece after them, then)
        palette = self.palette
        start_line = line
        children = token.children or []
        for index, child in enumerate(children):
            kind = child.type
            current = Style.combine([Style(), *styles, *(s for stack in html_styles.values() for s in stack)])
            if replaced and kind != "link_close":
                pass
            elif kind == "text":
                if not html_styles.get("\0dropping"):
                    # Text after rows of math starts a line of its own, without the space before it.
                    text.append(child.content if text else child.content.lstrip(), current)
            elif kind == "softbreak":
                if not text:
                    pass  # at the start of a paragraph's piece: nothing to part
                elif split and len(text) >= PIECE_CHARS and not links:
                    yield text, start_line
                    text, start_line = Text(no_wrap=False, overflow="fold"), line + 1
                else:
                    text.append(" ", current)
            elif kind == "hardbreak":
                text.append("\n", current)
            elif kind == "code_inline":
                text.append(child.content, current + palette.code)
            elif kind in _EMPHASIS:
                styles.append(_EMPHASIS[kind])
            elif kind in ("em_close", "strong_close", "s_close") and styles:
                styles.pop()
            elif kind == "link_open":
                number = (child.meta or {}).get("link")
                links.append((len(text), number))
                shown = self.link_texts.get(number) if isinstance(number, int) else None
                if shown is not None:
                    text.append(shown, current)
                    replaced = True
            elif kind == "link_close" and links:
                replaced = False
                start, number = links.pop()
                link_text(text, start, len(text), number, palette)
            elif kind == "image":
                alt = "".join(c.content for c in child.children or []) or child.content
                label = image_label(alt, str(child.attrs.get("title", "") or ""), str(child.attrs.get("src", "")))
                start = len(text)
                text.append(image_placeholder(label), current + palette.image)
                link_text(text, start, len(text), (child.meta or {}).get("link"), palette, underline=False)
            elif kind == "html_inline":
                self._html(child, text, current, links, html_styles)
            elif (
                kind in ("math_inline", "math_inline_double")
                and split
                and not links
                and _on_own_lines(children, index)
                and (rows := math_rows(child.content, self.math_source))
            ):
                if text.plain.strip():
                    text.rstrip()
                    yield text, start_line
                yield rows, line
                apart = True
                line += child.content.count("\n")
                text, start_line = Text(no_wrap=False, overflow="fold"), line
                continue
            elif kind in ("math_inline", "math_inline_double"):
                text.append(
                    math_inline(child.content, kind.endswith("double"), self.math_source), current + palette.math
                )
            elif kind == "footnote_ref":
                number = (child.meta or {}).get("id", 0) + 1
                text.append(footnote_mark(number), current + palette.footnote)
            elif kind == "site_tag":
                text.append(f"⟨{child.content}⟩", current + palette.muted)
            if kind in ("softbreak", "hardbreak"):
                line += 1
            elif kind == "text":
                line += child.content.count("\n")
        if split and len(text) > PIECE_CHARS * 2 and "\n" not in text.plain:
            # One enormous line (a dump with no breaks): cut it anyway, so it renders in steps.
            for offset in range(0, len(text), PIECE_CHARS):
                yield text[offset : offset + PIECE_CHARS], start_line
            return
        if text.plain.strip() or not apart:
            yield text, start_line

    def _html(
        self,
        token: Token,
        text: Text,
        current: Style,
        links: list[tuple[int, int | None]],
        html_styles: dict[str, list[Style]],
    ) -> None:
        """One inline HTML tag: a link, an image, a break, a style; anything else is not shown."""
        tag = inline_tag(token.content)
        numbers = iter((token.meta or {}).get("links", []))
        if tag is None:
            return  # a comment
        if tag.name in DROPPED_TAGS:  # <script>, <style>: their text is not shown either
            stack = html_styles.setdefault("\0dropping", [])
            if tag.closing and stack:
                stack.pop()
            elif not tag.closing:
                stack.append(Style())
            return
        if tag.name == "br" and not tag.closing:
            text.append("\n", current)
        elif tag.name == "img" and not tag.closing:
            src = tag.attrs.get("src", "")
            number = next(numbers, None) if src else None
            start = len(text)
            label = image_label(tag.attrs.get("alt", ""), tag.attrs.get("title", ""), src)
            text.append(image_placeholder(label), current + self.palette.image)
            link_text(text, start, len(text), number, self.palette, underline=False)
        elif tag.name == "a":
            if not tag.closing:
                links.append((len(text), next(numbers, None) if tag.attrs.get("href") else None))
            elif links:
                start, number = links.pop()
                link_text(text, start, len(text), number, self.palette)
        elif tag.name in INLINE_STYLES or tag.name in ("code", "tt"):
            stack = html_styles.setdefault(tag.name, [])
            if tag.closing:
                if stack:
                    stack.pop()
            else:
                stack.append(self.palette.code if tag.name in ("code", "tt") else INLINE_STYLES[tag.name])
