"""A post's Markdown parsed once: tokens, headings with slugs, links numbered in document order.

The renderer and the link list both read the same `Document`, so a link's
number is a fact of the parse, not a join of two parses: the number is
written on the token (`token.meta["link"]`) where the link is, and the
`links` list holds the same numbers in the same order. References and
footnotes resolve across the whole post because the whole post is parsed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from html.parser import HTMLParser
from typing import Literal

from markdown_it.token import Token

from reader.posts.fences import Fences
from reader.posts.markdown import parser, preprocess
from reader.posts.slugs import SlugMap
from reader.posts.text import clean, has_controls, scrub_controls

_CLOSING_A = re.compile(r"^</a\s*>$", re.IGNORECASE)
LineFate = Literal["kept", "edited", "removed"]  # what an edit did to a line (`moved_line`)

__all__ = [
    "Document",
    "Heading",
    "LineFate",
    "RawLink",
    "Token",
    "embedded_gist",
    "head",
    "moved_line",
    "parse_document",
]
_GIST = re.compile(r"https://gist\.github\.com/((?:[\w-]+/)?[0-9a-fA-F]+)\.js(?:\?[^\s#]*)?")


@dataclass(frozen=True)
class RawLink:
    """A link as the Markdown says it, before we know where it goes."""

    n: int  # its number, from 1, in document order
    text: str
    url: str
    line: int  # 1-based line of the file
    image: bool = False


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    slug: str
    line: int  # 1-based line of the file


@dataclass(frozen=True, eq=False)
class Document:
    """The parse of one post body. Tokens are shared read-only between threads."""

    tokens: list[Token]
    headings: tuple[Heading, ...]
    links: tuple[RawLink, ...]
    slugs: SlugMap
    body_line: int
    source: str = ""  # the body parsed (its lines are the tokens' `map` lines)

    def line_of(self, token: Token) -> int:
        return self.body_line + (token.map[0] if token.map else 0)

    def moved_line(self, before: Document, line: int) -> tuple[int, LineFate]:
        """Where the text at file line `line` of `before` (an earlier parse of this post, edited
        since) is in this one, and how it fared (see `moved_line`)."""
        index, how = moved_line(before.source.split("\n"), self.source.split("\n"), max(0, line - before.body_line))
        return self.body_line + index, how

    def find_heading(self, fragment: str) -> Heading | None:
        """The heading a `#fragment` leads to (percent-encoded or not, `#` or not): by its
        slug exactly, else loosely as other tools write tables of contents; see SlugMap.resolve."""
        slug = self.slugs.resolve(fragment)
        return next((heading for heading in self.headings if heading.slug == slug), None) if slug else None


def moved_line(before: Sequence[str], after: Sequence[str], index: int) -> tuple[int, LineFate]:
    """Where line `index` of `before` is in `after` (the same text edited), and whether it is
    "kept" there (where the diff aligns it: of the same paragraph twice, the one in the same
    order among the lines kept), "edited" (as far into the lines that replace it) or "removed"
    (the line after the lines taken out)."""
    n, m = len(before), len(after)
    index = min(index, n)
    # Most edits touch one place: the lines before and after it are the same, compared alone.
    shortest, start = min(n, m), 0
    while start < shortest and before[start] == after[start]:
        start += 1
    if index < start:
        return index, "kept"
    end = 0
    while end < shortest and before[n - 1 - end] == after[m - 1 - end]:
        end += 1
    if index >= n - end:  # (of lines alike taken out, the ones above it: it is kept)
        return index + m - n, "kept"
    end = min(end, shortest - start)  # the lines between, compared alone
    edited = SequenceMatcher(None, before[start : n - end], after[start : m - end])  # autojunk: blank lines
    offset = index - start
    for tag, i1, i2, j1, j2 in edited.get_opcodes():
        if i1 <= offset < i2:
            if tag == "equal":
                return start + j1 + offset - i1, "kept"
            if tag == "replace":
                return start + j1 + min(offset - i1, j2 - j1 - 1), "edited"
            return start + j1, "removed"
    return m - end, "removed"  # not reached: the opcodes cover every line of `before`'s part


def embedded_gist(src: str) -> str | None:
    """The page of a gist that `<script src>` embeds (`https://gist.github.com/a/0f45e15.js`):
    the site shows its code where the script stands, so the post keeps a link to it there.
    None for any other script, which is dropped (nothing in a post runs)."""
    match = _GIST.fullmatch(src.strip())
    return f"https://gist.github.com/{match.group(1)}" if match else None


class _HTMLLinks(HTMLParser):
    """`<a href>`, `<img src>` and a gist's `<script src>` in raw HTML, with their text and line offsets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[list[object]] = []  # [url, text, line offset, image]
        self._open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        line = self.getpos()[0] - 1
        if tag == "a" and values.get("href"):
            self.found.append([values["href"] or "", "", line, False])
            self._open.append(len(self.found) - 1)
        elif tag == "img" and values.get("src"):
            self.found.append([values["src"] or "", values.get("alt") or "", line, True])
        elif tag == "script" and (page := embedded_gist(values.get("src") or "")):
            self.found.append([page, "gist", line, False])

    def handle_data(self, data: str) -> None:
        if self._open:
            self.found[self._open[-1]][1] = str(self.found[self._open[-1]][1]) + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            self._open.pop()


def _html_links(html: str) -> list[tuple[str, str, int, bool]]:
    scanner = _HTMLLinks()
    scanner.feed(html)
    scanner.close()
    # The URL stays as written (the link policy must see a newline or a bidi control
    # in it); the text is cleaned like post text (html.unescape gives `&#10;` back raw).
    return [
        (str(url), clean(" ".join(str(text).split())), int(str(offset)), bool(image))
        for url, text, offset, image in scanner.found
    ]


def inline_text(children: list[Token]) -> str:
    """The plain text of inline tokens (for heading slugs and link texts)."""
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(inline_text(child.children or []) or child.content)
    return "".join(parts)


class _Numbering:
    """Walks the tokens once, numbering links where they stand."""

    def __init__(self, body_line: int) -> None:
        self.body_line = body_line
        self.links: list[RawLink] = []

    def add(self, text: str, url: str, line: int, image: bool = False) -> int:
        number = len(self.links) + 1
        self.links.append(RawLink(number, text, url, line, image))
        return number

    def html(self, token: Token, line: int) -> list[int]:
        """Number the links of a raw HTML token; their numbers go on the token."""
        numbers = [self.add(text, url, line + offset, image) for url, text, offset, image in _html_links(token.content)]
        if numbers:
            token.meta = {**(token.meta or {}), "links": numbers}
        return numbers

    def inline(self, children: list[Token], line: int) -> None:
        open_link: tuple[Token, int, int] | None = None  # link_open, its number, index of first child
        html_anchor: int | None = None  # number of an open raw `<a href>` still collecting its text
        for index, child in enumerate(children):
            kind = child.type
            if kind == "link_open":
                # Numbered where it opens, before an image inside it (`[![alt](a.png)](url)`),
                # as `<a href><img src></a>` is; its text is known at its close.
                number = self.add("", str(child.attrs.get("href", "")), line)
                child.meta = {**(child.meta or {}), "link": number}
                open_link = (child, number, index + 1)
            elif kind == "link_close" and open_link is not None:
                opening, number, first = open_link
                text = inline_text(children[first:index])
                href = str(opening.attrs.get("href", ""))  # our own schemes stay: links.py resolves them
                if opening.markup in ("linkify", "autolink"):
                    href = text  # as written: `www.x.org`, `me@x.org`, not the normalised href
                self.links[number - 1] = RawLink(number, text, href, self.links[number - 1].line)
                open_link = None
            elif kind == "image":
                alt = inline_text(child.children or []) or child.content
                child.meta = {**(child.meta or {}), "link": self.add(alt, str(child.attrs.get("src", "")), line, True)}
            elif kind == "html_inline":
                if _CLOSING_A.match(child.content) and html_anchor is not None:
                    html_anchor = None
                else:
                    numbers = self.html(child, line)
                    last = self.links[numbers[-1] - 1] if numbers else None
                    if last is not None and not last.image and not last.text:
                        html_anchor = last.n
            elif kind == "text" and html_anchor is not None:
                link = self.links[html_anchor - 1]
                self.links[html_anchor - 1] = RawLink(link.n, link.text + child.content, link.url, link.line)
            if kind in ("softbreak", "hardbreak"):
                line += 1
            elif kind in ("html_inline", "code_inline", "text"):
                line += child.content.count("\n")


def head(body: str, chars: int) -> str:
    """The start of `body`, about `chars` long, cut at a blank line outside code fences
    (at a line end after four times that, for a post without blank lines)."""
    if len(body) <= chars:
        return body
    fences = Fences()
    length = 0
    for line in body[: chars * 4].split("\n"):
        length += len(line) + 1
        fences.code(line)
        if length >= chars and fences.open is None and not line.strip():
            return body[:length]
    return body[: min(length, chars * 4)]


def _scrub(tokens: list[Token]) -> None:
    """Entities can make what decoding took out (`&#8238;` is a bidi override): clean the
    text of every token like post text, so no consumer of a Document meets a control."""
    for token in tokens:
        if token.content and has_controls(token.content):
            token.content = scrub_controls(token.content)
        if token.children:
            _scrub(token.children)


def parse_document(body: str, body_line: int = 1, flavor: str = "commonmark") -> Document:
    """Parse a post body once: the tokens, the headings and every link, numbered.
    `flavor`: how the site's renderer reads emphasis (see reader.posts.markdown.parser)."""
    tokens = parser(flavor).parse(preprocess(body))
    _scrub(tokens)
    slugs = SlugMap()
    headings: list[Heading] = []
    numbering = _Numbering(body_line)
    for index, token in enumerate(tokens):
        line = body_line + (token.map[0] if token.map else 0)
        if token.type == "heading_open" and index + 1 < len(tokens):
            text = inline_text(tokens[index + 1].children or [])
            slug = slugs.add(text)
            token.meta = {**(token.meta or {}), "slug": slug}
            headings.append(Heading(int(token.tag[1:]), text, slug, line))
        elif token.type == "html_block":
            numbering.html(token, line)
        elif token.type == "inline":
            numbering.inline(token.children or [], line)
    return Document(tokens, tuple(headings), tuple(numbering.links), slugs, body_line, body)
