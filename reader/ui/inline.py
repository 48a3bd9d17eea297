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


def math_inline(latex: str, double: bool, source: bool) -> str:
    """Inline math as Unicode, or as written (`source`, or when it cannot be shown faithfully)."""
    converted = None if source else math_text(latex)
    if converted is None:
        fence = "$$" if double else "$"
        return f"{fence}{latex}{fence}"
    return " ".join(converted.split())  # an aligned environment's rows, run on without their indent


class InlineRenderer:
    def __init__(
        self, palette: Palette, math_source: bool = False, link_texts: Mapping[int, str] | None = None
    ) -> None:
        self.palette = palette
        self.math_source = math_source
        self.link_texts = link_texts or {}  # a link number -> the text drawn instead of its own

    def text(self, token: Token) -> Text:
        """All of an inline token as one Text."""
        return Text("").join(text for text, _ in self.pieces(token, 0, split=False))

    def pieces(self, token: Token, line: int, split: bool = True) -> Iterator[tuple[Text, int]]:
        """The token as Texts of about PIECE_CHARS each (cut at line breaks), with their file lines."""
        text = Text(no_wrap=False, overflow="fold")
        styles: list[Style] = []
        html_styles: dict[str, list[Style]] = {}
        links: list[tuple[int, int | None]] = []  # start offset, number (Markdown and HTML links alike)
        replaced = False  # inside a link drawn with other text (link_texts): its own is skipped
        palette = self.palette
        start_line = line
        for child in token.children or []:
            kind = child.type
            current = Style.combine([Style(), *styles, *(s for stack in html_styles.values() for s in stack)])
            if replaced and kind != "link_close":
                pass
            elif kind == "text":
                if not html_styles.get("\0dropping"):
                    text.append(child.content, current)
            elif kind == "softbreak":
                if split and len(text) >= PIECE_CHARS and not links:
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
